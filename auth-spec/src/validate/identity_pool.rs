//! The identity pool.

use super::{arn, is_cognito_name};
use crate::diagnostics::{Diagnostic, KeyPath, did_you_mean};
use crate::model::*;

pub(super) fn check(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let Some(pool) = &spec.identity_pool else { return };
    let path = KeyPath::of(&["identity_pool"]);
    if pool.name.is_empty() || pool.name.chars().count() > 128 || !is_cognito_name(&pool.name) {
        found.push(
            Diagnostic::error(
                "cognito::identity-pool-name",
                path.key("name"),
                format!("`{}` is not a valid identity pool name", pool.name),
            )
            .with_help("use 1 to 128 letters, digits, spaces and + = , . @ - _"),
        );
    }
    for (field, role) in [
        ("authenticated_role_arn", &pool.authenticated_role_arn),
        ("unauthenticated_role_arn", &pool.unauthenticated_role_arn),
    ] {
        if let Some(role) = role
            && !arn::is_iam_role(role)
        {
            found.push(
                Diagnostic::error(
                    "cognito::identity-pool-role",
                    path.key(field),
                    format!("`{role}` is not an IAM role ARN"),
                )
                .with_help("write arn:aws:iam::<account>:role/<name>, or leave it out and deploy creates the role"),
            );
        }
    }
    if pool.unauthenticated_role_arn.is_some() && !pool.allow_guest {
        found.push(
            Diagnostic::warning(
                "cognito::identity-pool-guest",
                path.key("unauthenticated_role_arn"),
                "a guest role is set but allow_guest is false, so it is never used",
            )
            .with_help("set allow_guest = true, or remove unauthenticated_role_arn"),
        );
    }
    if let Some(clients) = &pool.clients {
        for (index, client) in clients.iter().enumerate() {
            if !spec.clients.contains_key(client) {
                let diagnostic = Diagnostic::error(
                    "cognito::unknown-client",
                    path.key("clients").index(index),
                    format!("there is no app client `{client}`"),
                );
                found.push(match did_you_mean(client, spec.clients.keys().map(String::as_str)) {
                    Some(close) => {
                        diagnostic.with_label(format!("did you mean `{close}`?")).with_help(format!("use `{close}`"))
                    }
                    None => diagnostic.with_help("name a client declared under [clients]"),
                });
            }
        }
    }
    if pool.roles_from_token && !spec.groups.values().any(|group| group.role_arn.is_some()) {
        found.push(
            Diagnostic::warning(
                "cognito::roles-from-token",
                path.key("roles_from_token"),
                "roles come from the token, but no group has a role_arn",
            )
            .with_help("set role_arn on the groups whose members get another role"),
        );
    }
    let providers = &pool.providers;
    for (field, arns, kind) in [
        ("oidc_provider_arns", &providers.oidc_provider_arns, "oidc-provider/"),
        ("saml_provider_arns", &providers.saml_provider_arns, "saml-provider/"),
    ] {
        for (index, value) in arns.iter().enumerate() {
            if !arn::is_of(value, "iam", kind) {
                found.push(
                    Diagnostic::error(
                        "cognito::identity-pool-provider",
                        path.key("providers").key(field).index(index),
                        format!("`{value}` is not an IAM {} ARN", kind.trim_end_matches('/')),
                    )
                    .with_help(format!("write arn:aws:iam::<account>:{kind}<name>")),
                );
            }
        }
    }
}
