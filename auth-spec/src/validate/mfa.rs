//! Multi-factor authentication.

use crate::diagnostics::{Diagnostic, KeyPath};
use crate::model::*;

pub(super) fn check(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let mfa = &spec.mfa;
    let path = KeyPath::of(&["mfa"]);
    match mfa.mode {
        MfaMode::Off if !mfa.methods.is_empty() => found.push(
            Diagnostic::error(
                "cognito::mfa-methods",
                path.key("methods"),
                "MFA methods are listed but mfa.mode is \"off\"",
            )
            .with_help("set mode = \"optional\" or \"required\", or remove methods"),
        ),
        MfaMode::Optional | MfaMode::Required if mfa.methods.is_empty() => found.push(
            Diagnostic::error(
                "cognito::mfa-methods",
                path.key("mode"),
                format!("MFA is {:?} but no method is enabled", mfa.mode).to_lowercase(),
            )
            .with_help("add methods = [\"totp\"] (and/or \"sms\", \"email\") under [mfa]"),
        ),
        _ => {}
    }
    for (index, method) in mfa.methods.iter().enumerate() {
        let method_path = path.key("methods").index(index);
        if mfa.methods[..index].contains(method) {
            found.push(
                Diagnostic::error("cognito::mfa-methods", method_path.clone(), "this method is listed twice")
                    .with_help("remove the duplicate"),
            );
        }
        match method {
            MfaMethod::Sms if spec.sms.is_none() => found.push(
                Diagnostic::error("cognito::sms-needed", method_path, "SMS MFA needs an [sms] section")
                    .with_help("add [sms] with role_arn, the IAM role Cognito assumes to send SMS through SNS"),
            ),
            MfaMethod::Email if spec.email.sender != EmailSender::Ses => found.push(
                Diagnostic::error(
                    "cognito::email-mfa-ses",
                    method_path,
                    "email MFA needs email sent through Amazon SES",
                )
                .with_help("set sender = \"ses\" and source_arn under [email]"),
            ),
            _ => {}
        }
    }
    if mfa.mode == MfaMode::Required && mfa.methods == [MfaMethod::Sms] {
        let phone_required = spec.attributes.phone_number.as_ref().is_some_and(|settings| settings.required);
        if !phone_required {
            found.push(
                Diagnostic::warning(
                    "cognito::mfa-phone",
                    path.key("methods"),
                    "MFA is required by SMS only, but phone_number is not required: users without one cannot sign in",
                )
                .with_help("set [attributes.phone_number] required = true, or add \"totp\""),
            );
        }
    }
}
