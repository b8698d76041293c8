//! The pool itself: name, region, sign-in identifiers, email and SMS delivery, recovery, devices,
//! groups.

use super::{arn, is_cognito_name};
use crate::diagnostics::{Diagnostic, KeyPath};
use crate::model::*;

pub(super) fn check(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let pool = &spec.pool;
    if pool.name.trim().is_empty() {
        found.push(
            Diagnostic::error("cognito::pool-name", KeyPath::of(&["pool", "name"]), "the user pool needs a name")
                .with_help("add `name = \"myapp-users\"` under [pool]"),
        );
    } else if !is_cognito_name(&pool.name) || pool.name.chars().count() > 128 {
        found.push(
            Diagnostic::error(
                "cognito::pool-name",
                KeyPath::of(&["pool", "name"]),
                format!("`{}` is not a valid user pool name", pool.name),
            )
            .with_help("use 1 to 128 letters, digits, spaces and + = , . @ - _"),
        );
    }
    if let Some(region) = &pool.region
        && !is_region(region)
    {
        found.push(
            Diagnostic::error(
                "cognito::region",
                KeyPath::of(&["pool", "region"]),
                format!("`{region}` is not an AWS region"),
            )
            .with_help("write a region code such as \"us-east-1\" or \"eu-west-2\""),
        );
    }
    check_sign_in(spec, found);
    check_email(spec, found);
    if let Some(sms) = &spec.sms
        && !arn::is_iam_role(&sms.role_arn)
    {
        found.push(
            Diagnostic::error(
                "cognito::sms-role",
                KeyPath::of(&["sms", "role_arn"]),
                format!("`{}` is not an IAM role ARN", sms.role_arn),
            )
            .with_help("Cognito publishes SMS through SNS by assuming a role: arn:aws:iam::<account>:role/<name>"),
        );
    }
    check_recovery(spec, found);
    if spec.devices.challenge_new_device && spec.devices.remember == DeviceRemembering::Off {
        found.push(
            Diagnostic::error(
                "cognito::devices",
                KeyPath::of(&["devices", "challenge_new_device"]),
                "challenging new devices needs device tracking",
            )
            .with_help(
                "set `remember = \"always\"` or `\"user_opt_in\"` under [devices], or remove challenge_new_device",
            ),
        );
    }
    for (name, group) in &spec.groups {
        let path = KeyPath::of(&["groups"]).key(name);
        if name.is_empty() || name.chars().count() > 128 || name.chars().any(char::is_whitespace) {
            found.push(
                Diagnostic::error("cognito::group-name", path.clone(), format!("`{name}` is not a valid group name"))
                    .at_key()
                    .with_help("use 1 to 128 characters without spaces"),
            );
        }
        if let Some(role) = &group.role_arn
            && !arn::is_iam_role(role)
        {
            found.push(
                Diagnostic::error(
                    "cognito::group-role",
                    path.key("role_arn"),
                    format!("`{role}` is not an IAM role ARN"),
                )
                .with_help("write arn:aws:iam::<account>:role/<name>"),
            );
        }
    }
}

fn check_sign_in(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let path = KeyPath::of(&["pool", "sign_in"]);
    let sign_in = &spec.pool.sign_in;
    if sign_in.is_empty() {
        found.push(
            Diagnostic::error("cognito::sign-in", path.clone(), "users need at least one way to sign in").with_help(
                "use any of \"username\", \"email\", \"phone\" (and \"preferred_username\" with \"username\")",
            ),
        );
        return;
    }
    for (index, identifier) in sign_in.iter().enumerate() {
        if sign_in[..index].contains(identifier) {
            found.push(
                Diagnostic::error("cognito::sign-in", path.index(index), format!("{identifier:?} is listed twice"))
                    .with_help("remove the duplicate"),
            );
        }
    }
    if sign_in.contains(&SignInIdentifier::PreferredUsername) && !sign_in.contains(&SignInIdentifier::Username) {
        found.push(
            Diagnostic::error(
                "cognito::sign-in",
                path.clone(),
                "\"preferred_username\" is an alias of a username and needs \"username\"",
            )
            .with_help("add \"username\" to sign_in"),
        );
    }
    let verified = crate::resolve(spec).pool.auto_verified_attributes;
    for (identifier, attribute, verify) in [
        (SignInIdentifier::Email, StandardAttribute::Email, VerifiableAttribute::Email),
        (SignInIdentifier::Phone, StandardAttribute::PhoneNumber, VerifiableAttribute::PhoneNumber),
    ] {
        let required = spec.attributes.get(attribute).is_some_and(|settings| settings.required);
        if sign_in.contains(&identifier) && !required && !verified.contains(attribute.name()) {
            found.push(
                Diagnostic::error(
                    "cognito::sign-in-unverified",
                    path.clone(),
                    format!("users sign in with {}, but it is neither required nor verified", attribute.name()),
                )
                .with_help(format!(
                    "add \"{}\" to [verification] auto_verify, or set [attributes.{}] required = true",
                    match verify {
                        VerifiableAttribute::Email => "email",
                        VerifiableAttribute::PhoneNumber => "phone_number",
                    },
                    attribute.name()
                )),
            );
        }
    }
    let verify_phone = verified.contains("phone_number");
    if verify_phone && spec.sms.is_none() {
        found.push(
            Diagnostic::error(
                "cognito::sms-needed",
                KeyPath::of(&["verification", "auto_verify"]),
                "verifying phone numbers needs an [sms] section",
            )
            .with_help("add [sms] with the role_arn Cognito assumes to send SMS through SNS"),
        );
    }
}

fn check_email(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let email = &spec.email;
    let path = KeyPath::of(&["email"]);
    match email.sender {
        EmailSender::Ses => match &email.source_arn {
            None => found.push(
                Diagnostic::error(
                    "cognito::ses-source",
                    path.clone(),
                    "sending email through SES needs the SES identity",
                )
                .with_help(
                    "add `source_arn = \"arn:aws:ses:<region>:<account>:identity/<domain or address>\"` under [email]",
                ),
            ),
            Some(source) if !arn::is_of(source, "ses", "identity/") => found.push(
                Diagnostic::error(
                    "cognito::ses-source",
                    path.key("source_arn"),
                    format!("`{source}` is not an SES identity ARN"),
                )
                .with_help("write arn:aws:ses:<region>:<account>:identity/<domain or address>"),
            ),
            Some(_) => {}
        },
        EmailSender::Cognito => {
            for (field, value) in [
                ("from", &email.from),
                ("source_arn", &email.source_arn),
                ("configuration_set", &email.configuration_set),
            ] {
                if value.is_some() {
                    found.push(
                        Diagnostic::error("cognito::email-sender", path.key(field), format!("`{field}` needs `sender = \"ses\"`"))
                            .with_help("Cognito's own sender cannot change this; set sender = \"ses\" with your SES identity, or remove it"),
                    );
                }
            }
        }
    }
}

fn check_recovery(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let Some(methods) = &spec.account_recovery.methods else { return };
    let path = KeyPath::of(&["account_recovery", "methods"]);
    if methods.is_empty() {
        found.push(
            Diagnostic::error("cognito::recovery", path.clone(), "account recovery needs at least one method")
                .with_help("use [\"email\"], [\"phone\"], [\"email\", \"phone\"], or [\"admin_only\"]"),
        );
    }
    if methods.contains(&RecoveryMethod::AdminOnly) && methods.len() > 1 {
        found.push(
            Diagnostic::error(
                "cognito::recovery",
                path.clone(),
                "\"admin_only\" cannot be combined with other recovery methods",
            )
            .with_help("use [\"admin_only\"] alone, or only \"email\" / \"phone\""),
        );
    }
    let verified = crate::resolve(spec).pool.auto_verified_attributes;
    for (index, method) in methods.iter().enumerate() {
        let attribute = match method {
            RecoveryMethod::Email => "email",
            RecoveryMethod::Phone => "phone_number",
            RecoveryMethod::AdminOnly => continue,
        };
        if !verified.contains(attribute) {
            found.push(
                Diagnostic::warning("cognito::recovery-unverified", path.index(index), format!("recovery by {attribute} works only for users whose {attribute} is verified, and it is not auto-verified"))
                    .with_help(format!("add \"{attribute}\" to [verification] auto_verify")),
            );
        }
    }
}

fn is_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    parts.len() >= 3
        && parts
            .iter()
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
        && parts.last().is_some_and(|last| last.bytes().all(|b| b.is_ascii_digit()))
}
