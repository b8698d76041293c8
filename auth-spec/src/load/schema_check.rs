//! The JSON Schema check, with jsonschema's errors turned into messages a person can act on:
//! unknown keys with "did you mean", wrong types in TOML's words, the allowed values of an enum,
//! and a literal secret explained as such.

use crate::diagnostics::{Diagnostic, KeyPath, Segment, did_you_mean};
use crate::schema::{allowed_keys, json_schema, ref_name_at, subschema_at};
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;
use std::sync::OnceLock;

struct Compiled {
    schema: Value,
    validator: jsonschema::Validator,
}

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| {
        let schema = json_schema();
        let validator = jsonschema::validator_for(&schema).expect("the generated schema is a valid JSON Schema");
        Compiled { schema, validator }
    })
}

/// Every structural problem of a document.
pub(crate) fn check(document: &Value) -> Vec<Diagnostic> {
    let compiled = compiled();
    compiled
        .validator
        .iter_errors(document)
        .flat_map(|error| {
            let path = KeyPath(
                error
                    .instance_path()
                    .segments()
                    .map(|segment| match segment {
                        jsonschema::paths::LocationSegment::Property(key) => Segment::Key(key.to_string()),
                        jsonschema::paths::LocationSegment::Index(index) => Segment::Index(index),
                    })
                    .collect(),
            );
            let instance = lookup(document, &path);
            explain(&compiled.schema, path, error.kind(), instance, error.to_string())
        })
        .collect()
}

fn lookup<'a>(document: &'a Value, path: &KeyPath) -> Option<&'a Value> {
    path.0.iter().try_fold(document, |value, segment| match segment {
        Segment::Key(key) => value.get(key),
        Segment::Index(index) => value.get(index),
    })
}

fn explain(
    schema: &Value,
    path: KeyPath,
    kind: &ValidationErrorKind,
    instance: Option<&Value>,
    fallback: String,
) -> Vec<Diagnostic> {
    let shown = |value: Option<&Value>| value.map(short).unwrap_or_default();
    match kind {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let allowed = subschema_at(schema, &path.0).map(allowed_keys).unwrap_or_default();
            unexpected
                .iter()
                .map(|key| {
                    let key_path = path.key(key);
                    let table = if path.is_root() { "at the top level".to_string() } else { format!("in [{path}]") };
                    let diagnostic =
                        Diagnostic::error("unknown-key", key_path, format!("unknown key `{key}` {table}")).at_key();
                    match did_you_mean(key, allowed.iter().map(String::as_str)) {
                        Some(close) => diagnostic
                            .with_label(format!("did you mean `{close}`?"))
                            .with_help(format!("rename it to `{close}`")),
                        None if allowed.is_empty() => diagnostic.with_help("remove it"),
                        None => diagnostic
                            .with_label("unknown key")
                            .with_help(format!("allowed keys here: {}", allowed.join(", "))),
                    }
                })
                .collect()
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(kind) => toml_type_name(&kind.to_string()).to_string(),
                TypeKind::Multiple(kinds) => kinds
                    .iter()
                    .map(|kind| toml_type_name(&kind.to_string()).to_string())
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            if ref_name_at(schema, &path.0).as_deref() == Some("SecretRef") {
                let name = secret_env_name(&path);
                return vec![
                    Diagnostic::error("literal-secret", path.clone(), format!("`{}` must not hold a secret", last_key(&path)))
                        .with_label("secret written in the spec")
                        .with_help(format!(
                            "secrets never go into the spec: reference an environment variable instead, e.g. `{} = {{ env = \"{name}\" }}`, and set {name} where deploy runs",
                            last_key(&path)
                        )),
                ];
            }
            let found = instance.map(json_type_of).unwrap_or("nothing");
            vec![
                Diagnostic::error("wrong-type", path, format!("expected {expected}, found {found}"))
                    .with_label(format!("this is {found}")),
            ]
        }
        ValidationErrorKind::Enum { options } => {
            let allowed: Vec<String> =
                options.as_array().map(|values| values.iter().map(short).collect()).unwrap_or_default();
            let given = shown(instance);
            let diagnostic =
                Diagnostic::error("unknown-value", path, format!("{given} is not one of {}", allowed.join(", ")));
            let unquoted: Vec<&str> = allowed.iter().map(|value| value.trim_matches('"')).collect();
            match instance.and_then(Value::as_str).and_then(|word| did_you_mean(word, unquoted.iter().copied())) {
                Some(close) => diagnostic.with_label(format!("did you mean \"{close}\"?")),
                None => diagnostic.with_help(format!("use one of {}", allowed.join(", "))),
            }
            .into_vec()
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default().to_string();
            let table = if path.is_root() { "the top level".to_string() } else { format!("[{path}]") };
            vec![
                Diagnostic::error("missing-key", path, format!("{table} is missing `{name}`"))
                    .with_help(format!("add `{name} = ...` to {table}")),
            ]
        }
        ValidationErrorKind::Minimum { limit } | ValidationErrorKind::ExclusiveMinimum { limit } => {
            vec![Diagnostic::error(
                "out-of-range",
                path.clone(),
                format!("`{}` is {}, below the minimum of {limit}", last_key(&path), shown(instance)),
            )]
        }
        ValidationErrorKind::Maximum { limit } | ValidationErrorKind::ExclusiveMaximum { limit } => {
            vec![Diagnostic::error(
                "out-of-range",
                path.clone(),
                format!("`{}` is {}, above the maximum of {limit}", last_key(&path), shown(instance)),
            )]
        }
        ValidationErrorKind::Pattern { .. } => {
            let description = subschema_at(schema, &path.0)
                .and_then(|node| node.get("description"))
                .and_then(Value::as_str)
                .unwrap_or("see the schema")
                .to_string();
            vec![
                Diagnostic::error("bad-format", path, format!("{} is not in the expected format", shown(instance)))
                    .with_help(description),
            ]
        }
        _ => vec![Diagnostic::error("schema", path, fallback)],
    }
}

trait IntoVec {
    fn into_vec(self) -> Vec<Diagnostic>;
}

impl IntoVec for Diagnostic {
    fn into_vec(self) -> Vec<Diagnostic> {
        vec![self]
    }
}

/// The environment variable name suggested for a literal secret: `GOOGLE_CLIENT_SECRET` for
/// `providers.google.client_secret`.
fn secret_env_name(path: &KeyPath) -> String {
    path.0
        .iter()
        .filter_map(|segment| match segment {
            Segment::Key(key) if key != "providers" && key != "oidc" && key != "saml" => Some(key.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("_")
        .to_uppercase()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "_")
}

fn last_key(path: &KeyPath) -> String {
    match path.0.last() {
        Some(Segment::Key(key)) => key.clone(),
        Some(Segment::Index(index)) => format!("[{index}]"),
        None => "the spec".to_string(),
    }
}

fn toml_type_name(json_type: &str) -> &'static str {
    match json_type {
        "string" => "a string",
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "true or false",
        "array" => "an array",
        "object" => "a table",
        "null" => "nothing",
        _ => "a value",
    }
}

fn json_type_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(number) if number.is_i64() || number.is_u64() => "an integer",
        Value::Number(_) => "a float",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "a table",
    }
}

/// A value as it would be written in TOML, shortened.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 { format!("{}...", text.chars().take(57).collect::<String>()) } else { text }
}
