//! Lambda trigger crates: `cargo xtask new-trigger <trigger> [--template <name>]` writes a Rust
//! crate (lambda_runtime, aws_lambda_events' Cognito event types) with a handler, a unit test of
//! it on a sample event shaped like Cognito's, and a README with the spec wiring. The custom
//! email/SMS senders, which aws_lambda_events does not cover, get their own event type and
//! decrypt the code with the AWS Encryption SDK (aws-esdk) before delivering through SES or SNS.
//!
//! The templates are the ones Amplify offers (`amplify add function` -> Lambda trigger), in Rust:
//! an empty boilerplate for every trigger, e-mail domain allow- and deny-lists before sign-up,
//! add-to-group after confirmation, a custom message with a verification link, a captcha-style
//! custom challenge (define, create, verify), a claims override before token generation, and a
//! user migration.

use super::{RenderError, render};
use auth_spec::model::Trigger;
use serde::Serialize;
use std::path::PathBuf;

/// One template of one trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TriggerTemplate {
    /// The trigger it handles.
    pub trigger: Trigger,
    /// Its name (`--template <name>`).
    pub name: &'static str,
    /// What the handler does.
    pub description: &'static str,
    /// The `main.rs` template under `templates/`.
    source: &'static str,
    /// Dependencies beyond the four every crate has: `(name, Cargo requirement)`.
    dependencies: &'static [(&'static str, &'static str)],
    /// What to set up before deploying it.
    notes: &'static [&'static str],
}

/// The template every trigger has.
pub const BOILERPLATE: &str = "boilerplate";

const BOILERPLATE_SOURCE: &str = "triggers/boilerplate/main.rs.j2";

/// An AWS SDK crate as the workspace uses it (rustls, tokio, no legacy HTTP stack).
const AWS_CRATE: &str = r#"{ version = "1", default-features = false, features = ["rt-tokio", "default-https-client", "behavior-version-latest"] }"#;

/// The AWS SDK for Cognito.
const SDK: &[(&str, &str)] = &[("aws-config", AWS_CRATE), ("aws-sdk-cognitoidentityprovider", AWS_CRATE)];

/// A custom sender's dependencies: the AWS Encryption SDK (Cognito encrypts each code with it),
/// KMS for its keyring, and the service that delivers the message (SES).
const EMAIL_SENDER: &[(&str, &str)] = &[
    ("aws-config", AWS_CRATE),
    ("aws-esdk", r#""1.2""#),
    ("aws-sdk-kms", AWS_CRATE),
    ("aws-sdk-sesv2", AWS_CRATE),
    ("base64", r#""0.22""#),
    ("serde", r#"{ version = "1", features = ["derive"] }"#),
];

/// As [`EMAIL_SENDER`], delivering with Amazon SNS.
const SMS_SENDER: &[(&str, &str)] = &[
    ("aws-config", AWS_CRATE),
    ("aws-esdk", r#""1.2""#),
    ("aws-sdk-kms", AWS_CRATE),
    ("aws-sdk-sns", AWS_CRATE),
    ("base64", r#""0.22""#),
    ("serde", r#"{ version = "1", features = ["derive"] }"#),
];

const SENDER_SOURCE: &str = "triggers/custom-sender/main.rs.j2";

const SENDER_NOTES: &[&str] = &[
    "Set `kms_key_arn` under `[triggers]` to a symmetric KMS key, give the function its ARN as `KEY_ARN`, and allow the function's role `kms:Decrypt` on it (Cognito encrypts every code with it).",
    "The AWS Encryption SDK for Rust (aws-esdk) is a large crate: the first build takes several minutes.",
];

const EMAIL_SENDER_NOTES: &[&str] = &[
    SENDER_NOTES[0],
    SENDER_NOTES[1],
    "Set `FROM_ADDRESS` to an address SES may send from, and allow the role `ses:SendEmail`; or replace `SesEmail` with your provider.",
];

const SMS_SENDER_NOTES: &[&str] =
    &[SENDER_NOTES[0], SENDER_NOTES[1], "Allow the role `sns:Publish` (SMS), or replace `SnsSms` with your provider."];

const CAPTCHA_NOTE: &str = "Deploy the three captcha functions (`define_auth_challenge`, `create_auth_challenge`, \
`verify_auth_challenge_response`) together, and let the app client use the custom flow: `auth_flows = [\"custom\", \"refresh_token\"]` \
(add `user_srp` to ask for the password first).";

/// The templates beyond the boilerplate.
const TEMPLATES: &[TriggerTemplate] = &[
    TriggerTemplate {
        trigger: Trigger::PreSignUp,
        name: "email-filter-allowlist",
        description: "lets users sign up only with an email address at an allowed domain.",
        source: "triggers/email-filter-allowlist/main.rs.j2",
        dependencies: &[],
        notes: &["Edit `ALLOWED_DOMAINS` in `src/main.rs`."],
    },
    TriggerTemplate {
        trigger: Trigger::PreSignUp,
        name: "email-filter-denylist",
        description: "refuses sign-ups with an email address at a denied domain.",
        source: "triggers/email-filter-denylist/main.rs.j2",
        dependencies: &[],
        notes: &["Edit `DENIED_DOMAINS` in `src/main.rs`."],
    },
    TriggerTemplate {
        trigger: Trigger::PostConfirmation,
        name: "add-to-group",
        description: "adds every user who confirms their sign-up to a group.",
        source: "triggers/add-to-group/main.rs.j2",
        dependencies: SDK,
        notes: &[
            "Set the function's `GROUP` environment variable to a group of the spec (`[groups.<name>]`).",
            "Allow the function's role `cognito-idp:AdminAddUserToGroup` on the user pool.",
        ],
    },
    TriggerTemplate {
        trigger: Trigger::CustomMessage,
        name: "verification-link",
        description: "sends new users a link to your app that confirms their sign-up, instead of a bare code.",
        source: "triggers/verification-link/main.rs.j2",
        dependencies: &[],
        notes: &[
            "Set the function's `VERIFICATION_URL` environment variable to the page of your app that calls `ConfirmSignUp` with the `username` and `code` it receives.",
        ],
    },
    TriggerTemplate {
        trigger: Trigger::DefineAuthChallenge,
        name: "captcha",
        description: "runs a captcha-style custom challenge: asks it until it is answered, three tries at most.",
        source: "triggers/captcha/define_auth_challenge.rs.j2",
        dependencies: &[],
        notes: &[CAPTCHA_NOTE],
    },
    TriggerTemplate {
        trigger: Trigger::CreateAuthChallenge,
        name: "captcha",
        description: "creates a captcha-style question for the custom challenge.",
        source: "triggers/captcha/create_auth_challenge.rs.j2",
        dependencies: &[],
        notes: &[CAPTCHA_NOTE],
    },
    TriggerTemplate {
        trigger: Trigger::VerifyAuthChallengeResponse,
        name: "captcha",
        description: "checks the answer to the captcha-style question.",
        source: "triggers/captcha/verify_auth_challenge_response.rs.j2",
        dependencies: &[],
        notes: &[CAPTCHA_NOTE],
    },
    TriggerTemplate {
        trigger: Trigger::PreTokenGeneration,
        name: "alter-claims",
        description: "adds and suppresses id token claims.",
        source: "triggers/alter-claims/main.rs.j2",
        dependencies: &[],
        notes: &[
            "Edit `CLAIMS_TO_ADD` and `CLAIMS_TO_SUPPRESS` in `src/main.rs`; the spec's `pre_token_generation_version` must stay `v1`.",
        ],
    },
    TriggerTemplate {
        trigger: Trigger::UserMigration,
        name: "migrate-user",
        description: "moves users from an old directory into the pool at their first sign-in or password reset.",
        source: "triggers/migrate-user/main.rs.j2",
        dependencies: &[("serde", r#"{ version = "1", features = ["derive"] }"#), ("sha2", r#""0.10""#)],
        notes: &[
            "Ship the old users' export as `legacy-users.json` next to the function (or set `LEGACY_USERS_FILE`), or implement `LegacyDirectory` for your old store.",
            "Let the app client use `user_password` (or `admin_user_password`): a migration needs the plain password once.",
        ],
    },
];

/// The sample events, by trigger: what Cognito sends, as its documentation shows it.
const EVENTS: &[(Trigger, &str)] = &[
    (Trigger::PreSignUp, include_str!("../../templates/triggers/events/pre_sign_up.json")),
    (Trigger::PostConfirmation, include_str!("../../templates/triggers/events/post_confirmation.json")),
    (Trigger::PreAuthentication, include_str!("../../templates/triggers/events/pre_authentication.json")),
    (Trigger::PostAuthentication, include_str!("../../templates/triggers/events/post_authentication.json")),
    (Trigger::DefineAuthChallenge, include_str!("../../templates/triggers/events/define_auth_challenge.json")),
    (Trigger::CreateAuthChallenge, include_str!("../../templates/triggers/events/create_auth_challenge.json")),
    (
        Trigger::VerifyAuthChallengeResponse,
        include_str!("../../templates/triggers/events/verify_auth_challenge_response.json"),
    ),
    (Trigger::CustomMessage, include_str!("../../templates/triggers/events/custom_message.json")),
    (Trigger::PreTokenGeneration, include_str!("../../templates/triggers/events/pre_token_generation.json")),
    (Trigger::UserMigration, include_str!("../../templates/triggers/events/user_migration.json")),
    (Trigger::CustomEmailSender, include_str!("../../templates/triggers/events/custom_email_sender.json")),
    (Trigger::CustomSmsSender, include_str!("../../templates/triggers/events/custom_sms_sender.json")),
];

/// The type of a trigger's event: aws_lambda_events' for most, the generated crate's own for the
/// custom senders.
fn event_type(trigger: Trigger) -> &'static str {
    match trigger {
        Trigger::PreSignUp => "CognitoEventUserPoolsPreSignup",
        Trigger::PostConfirmation => "CognitoEventUserPoolsPostConfirmation",
        Trigger::PreAuthentication => "CognitoEventUserPoolsPreAuthentication",
        Trigger::PostAuthentication => "CognitoEventUserPoolsPostAuthentication",
        Trigger::DefineAuthChallenge => "CognitoEventUserPoolsDefineAuthChallenge",
        Trigger::CreateAuthChallenge => "CognitoEventUserPoolsCreateAuthChallenge",
        Trigger::VerifyAuthChallengeResponse => "CognitoEventUserPoolsVerifyAuthChallenge",
        Trigger::CustomMessage => "CognitoEventUserPoolsCustomMessage",
        Trigger::PreTokenGeneration => "CognitoEventUserPoolsPreTokenGen",
        Trigger::UserMigration => "CognitoEventUserPoolsMigrateUser",
        // aws_lambda_events has no type for these: the generated crate defines it.
        Trigger::CustomEmailSender | Trigger::CustomSmsSender => "CustomSenderEvent",
    }
}

/// What a trigger does, for the boilerplate's README.
fn boilerplate_description(trigger: Trigger) -> &'static str {
    match trigger {
        Trigger::PreSignUp => "runs before sign-up; it can refuse it, or confirm and verify the user at once.",
        Trigger::PostConfirmation => "runs after a user confirms their sign-up or a password reset.",
        Trigger::PreAuthentication => "runs before each sign-in; it can refuse it.",
        Trigger::PostAuthentication => "runs after each successful sign-in.",
        Trigger::DefineAuthChallenge => "decides the next step of a custom sign-in.",
        Trigger::CreateAuthChallenge => "creates the challenge of a custom sign-in.",
        Trigger::VerifyAuthChallengeResponse => "checks the answer to a custom challenge.",
        Trigger::CustomMessage => "writes the emails and SMS messages Cognito sends.",
        Trigger::PreTokenGeneration => "changes the claims of the tokens Cognito issues.",
        Trigger::UserMigration => "moves users from another directory when they first sign in.",
        Trigger::CustomEmailSender => "sends Cognito's emails through your own provider (Amazon SES here).",
        Trigger::CustomSmsSender => "sends Cognito's text messages through your own provider (Amazon SNS here).",
    }
}

/// The boilerplate's source, dependencies and notes: the custom senders decrypt and deliver,
/// the others pass the event through.
fn boilerplate_parts(
    trigger: Trigger,
) -> (&'static str, &'static [(&'static str, &'static str)], &'static [&'static str]) {
    match trigger {
        Trigger::CustomEmailSender => (SENDER_SOURCE, EMAIL_SENDER, EMAIL_SENDER_NOTES),
        Trigger::CustomSmsSender => (SENDER_SOURCE, SMS_SENDER, SMS_SENDER_NOTES),
        _ => (BOILERPLATE_SOURCE, &[], &[]),
    }
}

/// Every template of a trigger, the boilerplate first.
pub fn trigger_templates(trigger: Trigger) -> Vec<TriggerTemplate> {
    let (source, dependencies, notes) = boilerplate_parts(trigger);
    let boilerplate = TriggerTemplate {
        trigger,
        name: BOILERPLATE,
        description: boilerplate_description(trigger),
        source,
        dependencies,
        notes,
    };
    std::iter::once(boilerplate)
        .chain(TEMPLATES.iter().filter(|template| template.trigger == trigger).copied())
        .collect()
}

/// A file of a generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative to the crate's folder.
    pub path: PathBuf,
    /// Its content.
    pub contents: String,
}

/// A generated crate, not yet written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scaffold {
    /// The crate's name.
    pub crate_name: String,
    /// Its files.
    pub files: Vec<GeneratedFile>,
    /// The line to add under `[triggers]` in the spec once the function is deployed.
    pub spec_wiring: String,
}

#[derive(Debug, Serialize)]
struct Context<'a> {
    command: String,
    crate_name: &'a str,
    trigger: &'static str,
    template: &'static str,
    description: &'static str,
    event_type: &'static str,
    extra_dependencies: &'static [(&'static str, &'static str)],
    notes: &'static [&'static str],
    spec_wiring: &'a str,
    /// What the custom sender template says per channel (absent for other templates).
    #[serde(flatten)]
    sender: Option<SenderContext>,
}

/// The words and names that differ between the email and the SMS sender.
#[derive(Debug, Serialize)]
struct SenderContext {
    email: bool,
    channel: &'static str,
    service: &'static str,
    deliverer: &'static str,
    source_prefix: &'static str,
    address_attribute: &'static str,
    address_name: &'static str,
    sample_address: &'static str,
}

fn sender_context(trigger: Trigger) -> Option<SenderContext> {
    match trigger {
        Trigger::CustomEmailSender => Some(SenderContext {
            email: true,
            channel: "email",
            service: "Amazon SES",
            deliverer: "SesEmail",
            source_prefix: "CustomEmailSender_",
            address_attribute: "email",
            address_name: "email address",
            sample_address: "ana@example.com",
        }),
        Trigger::CustomSmsSender => Some(SenderContext {
            email: false,
            channel: "text message",
            service: "Amazon SNS",
            deliverer: "SnsSms",
            source_prefix: "CustomSMSSender_",
            address_attribute: "phone_number",
            address_name: "phone number",
            sample_address: "+15555550100",
        }),
        _ => None,
    }
}

/// The default crate name: `<trigger>` with dashes, e.g. `pre-sign-up`.
pub fn default_crate_name(trigger: Trigger) -> String {
    trigger.name().replace('_', "-")
}

/// Whether Cargo accepts this as a package name (and it is safe in a path and a TOML string).
fn is_crate_name(name: &str) -> bool {
    name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The crate for `trigger` from its template `template` (`None`: the boilerplate), named
/// `crate_name` (`None`: the trigger's name with dashes).
pub fn trigger_scaffold(
    trigger: Trigger,
    template: Option<&str>,
    crate_name: Option<&str>,
) -> Result<Scaffold, RenderError> {
    let templates = trigger_templates(trigger);
    let name = template.unwrap_or(BOILERPLATE);
    let chosen =
        templates.iter().find(|candidate| candidate.name == name).ok_or_else(|| RenderError::UnknownTemplate {
            trigger: trigger.name().to_string(),
            template: name.to_string(),
            available: templates.iter().map(|template| template.name.to_string()).collect(),
        })?;
    let crate_name = crate_name.map(str::to_string).unwrap_or_else(|| default_crate_name(trigger));
    if !is_crate_name(&crate_name) {
        return Err(RenderError::InvalidCrateName(crate_name));
    }
    let event_type = event_type(trigger);
    let event =
        EVENTS.iter().find(|(candidate, _)| *candidate == trigger).map(|(_, event)| *event).ok_or_else(|| {
            RenderError::UnsupportedTrigger {
                trigger: trigger.name().to_string(),
                reason: "no sample event".to_string(),
            }
        })?;
    let mut command = format!("cargo xtask new-trigger {}", trigger.name());
    if chosen.name != BOILERPLATE {
        command.push_str(&format!(" --template {}", chosen.name));
    }
    if crate_name != default_crate_name(trigger) {
        command.push_str(&format!(" --name {crate_name}"));
    }
    let spec_wiring = format!("{} = \"arn:aws:lambda:<region>:<account>:function:{crate_name}\"", trigger.name());
    let context = super::to_value(Context {
        command,
        crate_name: &crate_name,
        trigger: trigger.name(),
        template: chosen.name,
        description: chosen.description,
        event_type,
        extra_dependencies: chosen.dependencies,
        notes: chosen.notes,
        spec_wiring: &spec_wiring,
        sender: sender_context(trigger),
    });
    let files = vec![
        GeneratedFile { path: "Cargo.toml".into(), contents: render("triggers/Cargo.toml.j2", context.clone())? },
        GeneratedFile { path: "README.md".into(), contents: render("triggers/README.md.j2", context.clone())? },
        GeneratedFile { path: PathBuf::from("src").join("main.rs"), contents: render(chosen.source, context)? },
        GeneratedFile {
            path: PathBuf::from("events").join(format!("{}.json", trigger.name())),
            contents: event.to_string(),
        },
    ];
    Ok(Scaffold { crate_name, files, spec_wiring })
}

/// Every scaffoldable `(trigger, template)` pair, for tests and `--list`.
pub fn all_trigger_templates() -> Vec<TriggerTemplate> {
    Trigger::ALL.iter().flat_map(|trigger| trigger_templates(*trigger)).collect()
}

#[cfg(test)]
pub(crate) const EVENT_FILES: &[(Trigger, &str)] = EVENTS;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_trigger_has_a_boilerplate_and_a_sample_event() {
        for trigger in Trigger::ALL {
            let templates = trigger_templates(*trigger);
            assert_eq!(templates[0].name, BOILERPLATE);
            assert!(EVENTS.iter().any(|(candidate, _)| candidate == trigger), "{trigger:?} has no sample event");
        }
    }

    #[test]
    fn unknown_templates_and_bad_names_are_explained() {
        let error = trigger_scaffold(Trigger::PreSignUp, Some("captcha"), None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "trigger `pre_sign_up` has no template `captcha`; its templates: boilerplate, email-filter-allowlist, email-filter-denylist"
        );
        for bad in ["", "1st", "../escape", "a b", "name\"quote"] {
            assert_eq!(
                trigger_scaffold(Trigger::PreSignUp, None, Some(bad)),
                Err(RenderError::InvalidCrateName(bad.to_string()))
            );
        }
    }

    #[test]
    fn the_wiring_names_the_trigger_and_the_function() {
        let scaffold =
            trigger_scaffold(Trigger::PreSignUp, Some("email-filter-allowlist"), Some("signup-filter")).unwrap();
        assert_eq!(scaffold.spec_wiring, r#"pre_sign_up = "arn:aws:lambda:<region>:<account>:function:signup-filter""#);
        let readme =
            &scaffold.files.iter().find(|file| file.path == std::path::Path::new("README.md")).unwrap().contents;
        assert!(readme.contains(&scaffold.spec_wiring), "{readme}");
        assert!(
            readme
                .contains("cargo xtask new-trigger pre_sign_up --template email-filter-allowlist --name signup-filter")
        );
    }
}
