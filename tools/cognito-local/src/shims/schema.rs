//! The attribute schema, stored as Cognito stores it.
//!
//! fakecloud 0.51.0 parses `CreateUserPool`'s `Schema` but keeps only the attributes it does
//! not already have, so `Required`, `Mutable` and `StringAttributeConstraints` of *standard*
//! attributes (email required, birthdate immutable, ...) are dropped; it stores custom
//! attributes under the bare name (Cognito: `custom:<name>`); and it drops
//! `NumberAttributeConstraints` everywhere (also in `AddCustomAttributes`). A pool read back
//! with `DescribeUserPool` then differs from what was asked for, which breaks every
//! create-then-compare flow (the workspace's `diff` right after `deploy`).
//!
//! The repair rewrites the stored pool after fakecloud answered, and the `UserPool` in
//! `CreateUserPool`'s answer with it.

use fakecloud_cognito::{SchemaAttribute, default_schema_attributes};
use serde_json::{Value, json};

use crate::tenants::Tenant;

pub struct Pending {
    operation: Operation,
    /// The `SchemaAttributeType`s of the request.
    requested: Vec<Value>,
}

enum Operation {
    CreateUserPool,
    AddCustomAttributes { pool_id: String },
}

pub fn handles(operation: &str) -> bool {
    matches!(operation, "CreateUserPool" | "AddCustomAttributes")
}

pub fn before(operation: &str, body: &Value) -> Option<Pending> {
    let (operation, field) = match operation {
        "CreateUserPool" => (Operation::CreateUserPool, "Schema"),
        "AddCustomAttributes" => {
            let pool_id = body.get("UserPoolId")?.as_str()?.to_string();
            (Operation::AddCustomAttributes { pool_id }, "CustomAttributes")
        }
        _ => return None,
    };
    let requested = body.get(field)?.as_array().filter(|a| !a.is_empty())?.clone();
    Some(Pending { operation, requested })
}

/// Returns whether the answer was changed.
pub fn after(pending: Pending, tenant: &Tenant, json: &mut Value) -> bool {
    let pool_id = match &pending.operation {
        Operation::CreateUserPool => json.pointer("/UserPool/Id").and_then(Value::as_str).map(str::to_string),
        Operation::AddCustomAttributes { pool_id } => Some(pool_id.clone()),
    };
    let Some(pool_id) = pool_id else { return false };
    let mut accounts = tenant.cognito.write();
    let Some(pool) = accounts.iter_mut().find_map(|(_, state)| state.user_pools.get_mut(&pool_id)) else {
        return false;
    };
    repair(&mut pool.schema_attributes, &pending.requested);
    // Only CreateUserPool answers with the pool; AddCustomAttributes answers `{}`.
    if !matches!(pending.operation, Operation::CreateUserPool) {
        return false;
    }
    json["UserPool"]["SchemaAttributes"] = Value::Array(pool.schema_attributes.iter().map(to_wire).collect());
    true
}

/// Applies the requested attributes to the stored ones, as Cognito would have stored them.
fn repair(stored: &mut [SchemaAttribute], requested: &[Value]) {
    let standard: Vec<String> = default_schema_attributes().into_iter().map(|a| a.name).collect();
    for wanted in requested {
        let Some(name) = wanted.get("Name").and_then(Value::as_str) else { continue };
        let Some(parsed) = from_wire(wanted) else { continue };
        if standard.iter().any(|s| s == name) {
            let Some(attribute) = stored.iter_mut().find(|a| a.name == name) else { continue };
            if wanted.get("Required").and_then(Value::as_bool).is_some() {
                attribute.required = parsed.required;
            }
            if wanted.get("Mutable").and_then(Value::as_bool).is_some() {
                attribute.mutable = parsed.mutable;
            }
            if parsed.string_attribute_constraints.is_some() {
                attribute.string_attribute_constraints = parsed.string_attribute_constraints;
            }
            if parsed.number_attribute_constraints.is_some() {
                attribute.number_attribute_constraints = parsed.number_attribute_constraints;
            }
        } else {
            let bare = name.strip_prefix("custom:").unwrap_or(name);
            let prefixed = format!("custom:{bare}");
            let Some(attribute) = stored.iter_mut().find(|a| a.name == prefixed || a.name == bare) else { continue };
            attribute.name = prefixed;
            if parsed.number_attribute_constraints.is_some() {
                attribute.number_attribute_constraints = parsed.number_attribute_constraints;
            }
        }
    }
}

/// A `SchemaAttributeType` as fakecloud stores it. Its constraint types are not exported, so
/// the value goes through fakecloud's own serde form.
fn from_wire(wanted: &Value) -> Option<SchemaAttribute> {
    let text = |v: Option<&Value>| match v? {
        Value::String(s) => Some(Value::String(s.clone())),
        Value::Number(n) => Some(Value::String(n.to_string())),
        _ => None,
    };
    let constraints = |field: &str, min: &str, max: &str, min_key: &str, max_key: &str| {
        let c = wanted.get(field)?.as_object()?;
        Some(json!({ min_key: text(c.get(min)), max_key: text(c.get(max)) }))
    };
    serde_json::from_value(json!({
        "name": wanted.get("Name")?.as_str()?,
        "attribute_data_type": wanted.get("AttributeDataType").and_then(Value::as_str).unwrap_or("String"),
        "developer_only_attribute": wanted.get("DeveloperOnlyAttribute").and_then(Value::as_bool).unwrap_or(false),
        "mutable": wanted.get("Mutable").and_then(Value::as_bool).unwrap_or(true),
        "required": wanted.get("Required").and_then(Value::as_bool).unwrap_or(false),
        "string_attribute_constraints":
            constraints("StringAttributeConstraints", "MinLength", "MaxLength", "min_length", "max_length"),
        "number_attribute_constraints":
            constraints("NumberAttributeConstraints", "MinValue", "MaxValue", "min_value", "max_value"),
    }))
    .ok()
}

/// A stored attribute as `DescribeUserPool` renders it.
fn to_wire(attribute: &SchemaAttribute) -> Value {
    let mut out = json!({
        "Name": attribute.name,
        "AttributeDataType": attribute.attribute_data_type,
        "DeveloperOnlyAttribute": attribute.developer_only_attribute,
        "Mutable": attribute.mutable,
        "Required": attribute.required,
    });
    if let Some(c) = &attribute.string_attribute_constraints {
        out["StringAttributeConstraints"] = bounds(("MinLength", &c.min_length), ("MaxLength", &c.max_length));
    }
    if let Some(c) = &attribute.number_attribute_constraints {
        out["NumberAttributeConstraints"] = bounds(("MinValue", &c.min_value), ("MaxValue", &c.max_value));
    }
    out
}

/// A constraints object with the bounds that are set.
fn bounds(min: (&str, &Option<String>), max: (&str, &Option<String>)) -> Value {
    let mut out = serde_json::Map::new();
    for (key, value) in [min, max] {
        if let Some(value) = value {
            out.insert(key.to_string(), json!(value));
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What fakecloud stores for `Schema` = `requested`.
    fn as_fakecloud_stores(requested: &[Value]) -> Vec<SchemaAttribute> {
        let mut stored = default_schema_attributes();
        for wanted in requested {
            let mut parsed = from_wire(wanted).expect("parses");
            parsed.number_attribute_constraints = None;
            if !stored.iter().any(|a| a.name == parsed.name) {
                stored.push(parsed);
            }
        }
        stored
    }

    fn find(stored: &[SchemaAttribute], name: &str) -> Value {
        stored.iter().find(|a| a.name == name).map(to_wire).unwrap_or(Value::Null)
    }

    #[test]
    fn standard_attributes_keep_required_mutable_and_constraints() {
        let requested = vec![
            json!({"Name": "email", "AttributeDataType": "String", "Required": true, "Mutable": true}),
            json!({"Name": "birthdate", "AttributeDataType": "String", "Required": false, "Mutable": false}),
            json!({"Name": "given_name", "Required": true,
                   "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "256"}}),
        ];
        let mut stored = as_fakecloud_stores(&requested);
        assert_eq!(find(&stored, "email")["Required"], json!(false), "the divergence being repaired");
        repair(&mut stored, &requested);
        assert_eq!(find(&stored, "email")["Required"], json!(true));
        assert_eq!(find(&stored, "birthdate")["Mutable"], json!(false));
        assert_eq!(find(&stored, "birthdate")["StringAttributeConstraints"]["MaxLength"], json!("10"));
        assert_eq!(
            find(&stored, "given_name")["StringAttributeConstraints"],
            json!({"MinLength": "1", "MaxLength": "256"})
        );
        assert_eq!(find(&stored, "phone_number")["Required"], json!(false), "untouched");
    }

    #[test]
    fn custom_attributes_get_the_prefix_and_number_constraints() {
        let requested = vec![
            json!({"Name": "tier", "AttributeDataType": "String", "Mutable": true,
                   "StringAttributeConstraints": {"MaxLength": "16"}}),
            json!({"Name": "seats", "AttributeDataType": "Number", "Mutable": false,
                   "NumberAttributeConstraints": {"MinValue": "1", "MaxValue": 500}}),
        ];
        let mut stored = as_fakecloud_stores(&requested);
        repair(&mut stored, &requested);
        assert_eq!(find(&stored, "tier"), Value::Null);
        assert_eq!(find(&stored, "custom:tier")["StringAttributeConstraints"], json!({"MaxLength": "16"}));
        let seats = find(&stored, "custom:seats");
        assert_eq!(seats["NumberAttributeConstraints"], json!({"MinValue": "1", "MaxValue": "500"}));
        assert_eq!(seats["Mutable"], json!(false));
    }

    #[test]
    fn add_custom_attributes_keeps_number_constraints() {
        // fakecloud already prefixes the names here; only the constraints are lost.
        let requested = vec![
            json!({"Name": "age", "AttributeDataType": "Number", "NumberAttributeConstraints": {"MinValue": "0"}}),
        ];
        let mut stored = default_schema_attributes();
        let mut parsed = from_wire(&requested[0]).expect("parses");
        parsed.name = "custom:age".into();
        parsed.number_attribute_constraints = None;
        stored.push(parsed);
        repair(&mut stored, &requested);
        assert_eq!(find(&stored, "custom:age")["NumberAttributeConstraints"], json!({"MinValue": "0"}));
    }

    #[test]
    fn only_create_and_add_with_attributes_are_repaired() {
        assert!(before("CreateUserPool", &json!({"Schema": [{"Name": "email"}]})).is_some());
        assert!(before("CreateUserPool", &json!({"Schema": []})).is_none());
        assert!(before("AddCustomAttributes", &json!({"CustomAttributes": [{"Name": "a"}]})).is_none(), "no pool id");
        assert!(
            before("AddCustomAttributes", &json!({"UserPoolId": "p", "CustomAttributes": [{"Name": "a"}]})).is_some()
        );
        assert!(before("UpdateUserPool", &json!({"Schema": [{"Name": "email"}]})).is_none());
    }
}
