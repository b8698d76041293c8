//! Federated identity providers.

use super::clients::check_mapping;
use crate::diagnostics::{Diagnostic, KeyPath};
use crate::model::*;

/// Names Cognito reserves for its own providers.
const RESERVED_PROVIDER_NAMES: &[&str] =
    &["COGNITO", "Cognito", "cognito", "Google", "Facebook", "LoginWithAmazon", "SignInWithApple"];

pub(super) fn check(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let providers = &spec.providers;
    let table = KeyPath::of(&["providers"]);
    for (name, provider) in
        [("google", &providers.google), ("facebook", &providers.facebook), ("amazon", &providers.amazon)]
    {
        if let Some(provider) = provider {
            let path = table.key(name);
            check_id(&provider.client_id, &path, found);
            check_secret_name(&provider.client_secret, &path.key("client_secret"), found);
            check_mapping(spec, &provider.attribute_mapping, &path.key("attribute_mapping"), found);
            if provider.api_version.is_some() && name != "facebook" {
                found.push(
                    Diagnostic::error(
                        "cognito::provider-detail",
                        path.key("api_version"),
                        "api_version only applies to Facebook",
                    )
                    .with_help("remove api_version"),
                );
            }
        }
    }
    if let Some(apple) = &providers.apple {
        let path = table.key("apple");
        check_id(&apple.client_id, &path, found);
        check_secret_name(&apple.private_key, &path.key("private_key"), found);
        check_mapping(spec, &apple.attribute_mapping, &path.key("attribute_mapping"), found);
        for (index, scope) in apple.scopes.iter().enumerate() {
            if scope != "email" && scope != "name" {
                found.push(
                    Diagnostic::error(
                        "cognito::provider-scope",
                        path.key("scopes").index(index),
                        format!("Sign in with Apple has no scope `{scope}`"),
                    )
                    .with_help("use \"email\" and/or \"name\""),
                );
            }
        }
    }
    for (name, oidc) in &providers.oidc {
        let path = table.key("oidc").key(name);
        check_provider_name(name, &path, found);
        check_id(&oidc.client_id, &path, found);
        check_secret_name(&oidc.client_secret, &path.key("client_secret"), found);
        check_mapping(spec, &oidc.attribute_mapping, &path.key("attribute_mapping"), found);
        if !oidc.issuer.starts_with("https://") {
            found.push(
                Diagnostic::error(
                    "cognito::oidc-issuer",
                    path.key("issuer"),
                    format!("`{}` is not an https URL", oidc.issuer),
                )
                .with_help(
                    "write the issuer as in the provider's discovery document, e.g. \"https://login.example.com\"",
                ),
            );
        }
        if !oidc.scopes.iter().any(|scope| scope == "openid") {
            found.push(
                Diagnostic::error(
                    "cognito::provider-scope",
                    path.key("scopes"),
                    "an OIDC provider's scopes must include `openid`",
                )
                .with_help("add \"openid\" to scopes"),
            );
        }
    }
    for (name, saml) in &providers.saml {
        let path = table.key("saml").key(name);
        check_provider_name(name, &path, found);
        check_mapping(spec, &saml.attribute_mapping, &path.key("attribute_mapping"), found);
        match (&saml.metadata_url, &saml.metadata_file) {
            (Some(_), Some(_)) | (None, None) => found.push(
                Diagnostic::error(
                    "cognito::saml-metadata",
                    path.clone(),
                    "a SAML provider needs exactly one of `metadata_url` and `metadata_file`",
                )
                .with_help(
                    "add metadata_url = \"https://idp.example.com/metadata\", or metadata_file = \"idp-metadata.xml\"",
                ),
            ),
            (Some(url), None) if !url.starts_with("https://") => found.push(
                Diagnostic::error(
                    "cognito::saml-metadata",
                    path.key("metadata_url"),
                    format!("`{url}` is not an https URL"),
                )
                .with_help("Cognito fetches SAML metadata over https"),
            ),
            _ => {}
        }
    }
    let mut identifiers: Vec<(&str, KeyPath)> = Vec::new();
    let routed = providers
        .oidc
        .iter()
        .map(|(name, oidc)| (name, "oidc", &oidc.identifiers))
        .chain(providers.saml.iter().map(|(name, saml)| (name, "saml", &saml.identifiers)));
    for (name, kind, list) in routed {
        for (index, identifier) in list.iter().enumerate() {
            let path = table.key(kind).key(name).key("identifiers").index(index);
            if identifiers.iter().any(|(seen, _)| *seen == identifier) {
                found.push(
                    Diagnostic::error(
                        "cognito::idp-identifier",
                        path.clone(),
                        format!("identifier `{identifier}` routes to more than one provider"),
                    )
                    .with_help("each identifier may belong to one provider"),
                );
            }
            identifiers.push((identifier, path));
        }
    }
}

fn check_provider_name(name: &str, path: &KeyPath, found: &mut Vec<Diagnostic>) {
    let length = name.chars().count();
    if RESERVED_PROVIDER_NAMES.contains(&name) {
        found.push(
            Diagnostic::error(
                "cognito::provider-name",
                path.clone(),
                format!("`{name}` is reserved for Cognito's own providers"),
            )
            .at_key()
            .with_help("pick another name for this provider"),
        );
    } else if !(1..=32).contains(&length) || name.starts_with('_') || name.chars().any(char::is_whitespace) {
        found.push(
            Diagnostic::error("cognito::provider-name", path.clone(), format!("`{name}` is not a valid provider name"))
                .at_key()
                .with_help("use 1 to 32 characters without spaces, not starting with an underscore"),
        );
    }
}

fn check_id(client_id: &str, path: &KeyPath, found: &mut Vec<Diagnostic>) {
    if client_id.trim().is_empty() {
        found.push(
            Diagnostic::error("cognito::provider-detail", path.key("client_id"), "client_id is empty")
                .with_help("use the client (app) id the provider issued"),
        );
    }
}

fn check_secret_name(secret: &SecretRef, path: &KeyPath, found: &mut Vec<Diagnostic>) {
    let valid = !secret.env.is_empty()
        && !secret.env.starts_with(|c: char| c.is_ascii_digit())
        && secret.env.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        found.push(
            Diagnostic::error(
                "cognito::secret-ref",
                path.key("env"),
                format!("`{}` is not an environment variable name", secret.env),
            )
            .with_help("use letters, digits and underscores, e.g. { env = \"GOOGLE_CLIENT_SECRET\" }"),
        );
    }
}
