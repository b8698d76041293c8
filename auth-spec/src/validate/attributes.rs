//! Custom attributes: count, names, types and constraints.

use crate::diagnostics::{Diagnostic, KeyPath};
use crate::model::*;

/// Cognito's limit of custom attributes per pool.
pub(crate) const MAX_CUSTOM_ATTRIBUTES: usize = 50;
/// Cognito's limit on a custom attribute name (without `custom:`).
pub(crate) const MAX_CUSTOM_NAME_LENGTH: usize = 20;
/// Cognito's limit on a string attribute's length.
pub(crate) const MAX_STRING_LENGTH: u32 = 2048;

pub(super) fn check(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let table = KeyPath::of(&["custom_attributes"]);
    if spec.custom_attributes.len() > MAX_CUSTOM_ATTRIBUTES {
        found.push(
            Diagnostic::error(
                "cognito::custom-attribute-count",
                table.clone(),
                format!(
                    "{} custom attributes; Cognito allows at most {MAX_CUSTOM_ATTRIBUTES}",
                    spec.custom_attributes.len()
                ),
            )
            .with_help("remove some, or keep the data elsewhere (custom attributes can never be deleted from a pool)"),
        );
    }
    for (name, attribute) in &spec.custom_attributes {
        let path = table.key(name);
        let name_length = name.chars().count();
        if name_length == 0 || name_length > MAX_CUSTOM_NAME_LENGTH {
            found.push(
                Diagnostic::error(
                    "cognito::custom-attribute-name",
                    path.clone(),
                    format!("custom attribute name `{name}` has {name_length} characters"),
                )
                .at_key()
                .with_help(format!(
                    "use 1 to {MAX_CUSTOM_NAME_LENGTH} characters (Cognito adds the `custom:` prefix itself)"
                )),
            );
        }
        let identifier_like = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if name_length > 0 && !identifier_like {
            let hint = if name.starts_with("custom:") {
                format!("write `{}`: the `custom:` prefix is added on the wire", name.trim_start_matches("custom:"))
            } else {
                "start with a letter and use letters, digits and underscores, so the generated Rust field has the same name".to_string()
            };
            found.push(
                Diagnostic::error(
                    "cognito::custom-attribute-name",
                    path.clone(),
                    format!("`{name}` is not a valid custom attribute name"),
                )
                .at_key()
                .with_help(hint),
            );
        }
        if StandardAttribute::from_name(name).is_some()
            || matches!(name.as_str(), "sub" | "email_verified" | "phone_number_verified" | "identities")
        {
            found.push(
                Diagnostic::error(
                    "cognito::custom-attribute-name",
                    path.clone(),
                    format!("`{name}` is a standard attribute"),
                )
                .at_key()
                .with_help(format!("declare it under [attributes.{name}] instead, or pick another name")),
            );
        }
        check_constraints(attribute, &path, found);
    }
}

fn check_constraints(attribute: &CustomAttribute, path: &KeyPath, found: &mut Vec<Diagnostic>) {
    let is_string = attribute.kind == CustomAttributeType::String;
    let is_number = attribute.kind == CustomAttributeType::Number;
    for (field, given, allowed) in [
        ("min_length", attribute.min_length.is_some(), is_string),
        ("max_length", attribute.max_length.is_some(), is_string),
        ("min", attribute.min.is_some(), is_number),
        ("max", attribute.max.is_some(), is_number),
    ] {
        if given && !allowed {
            let applies = if field.ends_with("length") { "string" } else { "number" };
            found.push(
                Diagnostic::error(
                    "cognito::attribute-constraint",
                    path.key(field),
                    format!("`{field}` applies to {applies} attributes, not {:?}", attribute.kind).to_lowercase(),
                )
                .with_help(format!("remove `{field}`, or change the type to \"{applies}\"")),
            );
        }
    }
    if let Some(max) = attribute.max_length
        && max > MAX_STRING_LENGTH
    {
        found.push(
            Diagnostic::error(
                "cognito::attribute-constraint",
                path.key("max_length"),
                format!("max_length {max} is above Cognito's limit of {MAX_STRING_LENGTH}"),
            )
            .with_help(format!("use at most {MAX_STRING_LENGTH}")),
        );
    }
    if let (Some(min), Some(max)) = (attribute.min_length, attribute.max_length)
        && min > max
    {
        found.push(
            Diagnostic::error(
                "cognito::attribute-constraint",
                path.key("min_length"),
                format!("min_length {min} is greater than max_length {max}"),
            )
            .with_help("swap them, or lower min_length"),
        );
    }
    if let (Some(min), Some(max)) = (attribute.min, attribute.max)
        && min > max
    {
        found.push(
            Diagnostic::error(
                "cognito::attribute-constraint",
                path.key("min"),
                format!("min {min} is greater than max {max}"),
            )
            .with_help("swap them, or lower min"),
        );
    }
}

/// Every attribute name a client or a provider mapping may use: the standard ones, the verified
/// flags, and the declared custom attributes by plain or `custom:` name.
pub(crate) fn known_attribute_names(spec: &Spec) -> Vec<String> {
    let mut names: Vec<String> = StandardAttribute::ALL.iter().map(|attribute| attribute.name().to_string()).collect();
    names.push("email_verified".to_string());
    names.push("phone_number_verified".to_string());
    for name in spec.custom_attributes.keys() {
        names.push(name.clone());
        names.push(format!("custom:{name}"));
    }
    names
}

/// The declared custom attribute or standard attribute behind a name, with its mutability.
pub(crate) fn is_mutable(spec: &Spec, name: &str) -> bool {
    let plain = name.strip_prefix("custom:").unwrap_or(name);
    if let Some(custom) = spec.custom_attributes.get(plain) {
        return custom.mutable;
    }
    StandardAttribute::from_name(name)
        .and_then(|attribute| spec.attributes.get(attribute))
        .is_none_or(|settings| settings.mutable)
}
