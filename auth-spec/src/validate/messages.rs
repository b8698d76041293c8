//! Message templates: the placeholders Cognito requires.

use crate::diagnostics::{Diagnostic, KeyPath};
use crate::model::*;

/// The code placeholder.
const CODE: &str = "{####}";
/// The username placeholder of invitations.
const USERNAME: &str = "{username}";

pub(super) fn check(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let verification = KeyPath::of(&["verification"]);
    if let Some(message) = &spec.verification.email_message {
        match spec.verification.email_style {
            EmailStyle::Code => {
                require(found, &verification.key("email_message"), message, CODE, "the verification code")
            }
            EmailStyle::Link => {
                if !has_link_placeholder(message) {
                    found.push(
                        Diagnostic::error(
                            "cognito::message-placeholder",
                            verification.key("email_message"),
                            "a link-style verification email must contain the link placeholder `{##Verify Email##}`",
                        )
                        .with_help("add `{##Verify Email##}` (the text between ## and ## becomes the link text)"),
                    );
                }
            }
        }
    }
    if let Some(message) = &spec.verification.sms_message {
        require(found, &verification.key("sms_message"), message, CODE, "the verification code");
    }
    let invitation = KeyPath::of(&["invitation"]);
    for (field, message) in
        [("email_message", &spec.invitation.email_message), ("sms_message", &spec.invitation.sms_message)]
    {
        if let Some(message) = message {
            require(found, &invitation.key(field), message, USERNAME, "the username");
            require(found, &invitation.key(field), message, CODE, "the temporary password");
        }
    }
    let mfa = KeyPath::of(&["mfa"]);
    for (field, message) in [("sms_message", &spec.mfa.sms_message), ("email_message", &spec.mfa.email_message)] {
        if let Some(message) = message {
            require(found, &mfa.key(field), message, CODE, "the sign-in code");
        }
    }
}

fn require(found: &mut Vec<Diagnostic>, path: &KeyPath, message: &str, placeholder: &str, what: &str) {
    if !message.contains(placeholder) {
        found.push(
            Diagnostic::error(
                "cognito::message-placeholder",
                path.clone(),
                format!("the message must contain `{placeholder}` ({what})"),
            )
            .with_label(format!("no {placeholder} here"))
            .with_help(format!("add `{placeholder}` where {what} should appear")),
        );
    }
}

/// `{##<link text>##}`.
fn has_link_placeholder(message: &str) -> bool {
    message.match_indices("{##").any(|(start, _)| {
        let rest = &message[start + 3..];
        !rest.starts_with('#') && rest.find("##}").is_some_and(|end| end > 0)
    })
}
