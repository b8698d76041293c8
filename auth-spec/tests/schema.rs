//! The checked-in JSON Schema is what the model generates, and it documents every field.

use serde_json::Value;
use std::path::Path;

#[test]
fn the_checked_in_schema_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/auth-spec.schema.json");
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == auth_spec::schema::json_schema_text(),
        "schemas/auth-spec.schema.json is out of date: run `cargo xtask schema`"
    );
}

/// Every property of every object in the schema, with its path.
fn properties<'a>(node: &'a Value, path: String, out: &mut Vec<(String, &'a Value)>) {
    match node {
        Value::Object(object) => {
            if let Some(Value::Object(props)) = object.get("properties") {
                for (name, schema) in props {
                    out.push((format!("{path}.{name}"), schema));
                    properties(schema, format!("{path}.{name}"), out);
                }
            }
            for (key, value) in object {
                if key != "properties" {
                    properties(value, format!("{path}/{key}"), out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| properties(item, path.clone(), out)),
        _ => {}
    }
}

#[test]
fn every_field_has_a_description_and_an_example_or_a_closed_set_of_values() {
    let schema = auth_spec::schema::json_schema();
    let mut found = Vec::new();
    properties(&schema, String::new(), &mut found);
    assert!(found.len() > 100, "expected the whole model, found {} properties", found.len());
    let resolve = |node: &Value| -> Value {
        match node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/$defs/")) {
            Some(name) => schema["$defs"][name].clone(),
            None => node.clone(),
        }
    };
    let mut undocumented = Vec::new();
    let mut without_example = Vec::new();
    for (path, node) in &found {
        if node.get("description").is_none() {
            undocumented.push(path.clone());
        }
        let target = resolve(node);
        let items = target.get("items").map(&resolve).unwrap_or(Value::Null);
        let closed =
            |value: &Value| value.get("enum").is_some() || value.get("type") == Some(&Value::String("boolean".into()));
        let has_example = node.get("examples").is_some()
            || target.get("examples").is_some()
            || closed(&target)
            || closed(&items)
            || target.get("properties").is_some()
            || target
                .get("additionalProperties")
                .map(&resolve)
                .is_some_and(|value| value.get("properties").is_some() || closed(&value));
        if !has_example {
            without_example.push(path.clone());
        }
    }
    assert!(undocumented.is_empty(), "properties without a description: {undocumented:#?}");
    assert!(without_example.is_empty(), "properties without an example: {without_example:#?}");
}
