//! Lambda triggers.

use super::arn;
use crate::diagnostics::{Diagnostic, KeyPath};
use crate::model::*;

/// The three triggers of a custom authentication flow, which only work together.
pub(crate) const CUSTOM_AUTH_TRIGGERS: [Trigger; 3] =
    [Trigger::DefineAuthChallenge, Trigger::CreateAuthChallenge, Trigger::VerifyAuthChallengeResponse];

pub(super) fn check(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let triggers = &spec.triggers;
    let table = KeyPath::of(&["triggers"]);
    for (trigger, function) in triggers.iter() {
        if !arn::is_lambda_function(function) {
            found.push(
                Diagnostic::error(
                    "cognito::trigger-arn",
                    table.key(trigger.name()),
                    format!("`{function}` is not a Lambda function ARN"),
                )
                .with_help("write arn:aws:lambda:<region>:<account>:function:<name>"),
            );
        }
    }
    let configured: Vec<Trigger> =
        CUSTOM_AUTH_TRIGGERS.into_iter().filter(|trigger| triggers.get(*trigger).is_some()).collect();
    if !configured.is_empty() && configured.len() < CUSTOM_AUTH_TRIGGERS.len() {
        let missing: Vec<&str> = CUSTOM_AUTH_TRIGGERS
            .into_iter()
            .filter(|trigger| !configured.contains(trigger))
            .map(Trigger::name)
            .collect();
        found.push(
            Diagnostic::error(
                "cognito::custom-auth-triggers",
                table.key(configured[0].name()),
                format!("custom authentication needs all three challenge triggers; missing {}", missing.join(", ")),
            )
            .with_help("set define_auth_challenge, create_auth_challenge and verify_auth_challenge_response together"),
        );
    }
    let senders = [Trigger::CustomEmailSender, Trigger::CustomSmsSender];
    if let Some(sender) = senders.into_iter().find(|sender| triggers.get(*sender).is_some())
        && triggers.kms_key_arn.is_none()
    {
        found.push(
            Diagnostic::error(
                "cognito::kms-key",
                table.key(sender.name()),
                "custom senders need a KMS key to decrypt codes",
            )
            .with_help("add kms_key_arn = \"arn:aws:kms:<region>:<account>:key/<id>\" under [triggers]"),
        );
    }
    if let Some(key) = &triggers.kms_key_arn
        && !arn::is_of(key, "kms", "key/")
        && !arn::is_of(key, "kms", "alias/")
    {
        found.push(
            Diagnostic::error("cognito::kms-key", table.key("kms_key_arn"), format!("`{key}` is not a KMS key ARN"))
                .with_help("write arn:aws:kms:<region>:<account>:key/<id>"),
        );
    }
    if triggers.pre_token_generation_version.is_some() && triggers.pre_token_generation.is_none() {
        found.push(
            Diagnostic::error(
                "cognito::trigger-version",
                table.key("pre_token_generation_version"),
                "pre_token_generation_version is set without pre_token_generation",
            )
            .with_help("set pre_token_generation to the function ARN, or remove the version"),
        );
    }
    if triggers.user_migration.is_some()
        && !spec.clients.values().any(|client| client.auth_flows.contains(&AuthFlow::UserPassword))
    {
        found.push(
            Diagnostic::warning(
                "cognito::migration-flow",
                table.key("user_migration"),
                "user migration at sign-in needs a client with the user_password flow (the trigger needs the password)",
            )
            .with_help("add \"user_password\" to the auth_flows of the client that migrates users"),
        );
    }
}
