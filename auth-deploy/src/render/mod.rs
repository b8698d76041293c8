//! Renders what a spec means into files other tools read: a CloudFormation template
//! ([`cloudformation()`]), the client configuration files of Amplify's older libraries
//! ([`client_config()`]) and Lambda trigger crates ([`trigger_scaffold()`]).
//!
//! Every output is a minijinja template in `auth-deploy/templates/` (one file per output, named
//! after what it renders) fed a typed context built here. The templates only lay values out: what
//! a value *is* (a CloudFormation property, a client setting) is decided in Rust, from the same
//! [`AuthState`](auth_spec::AuthState) and the same request builders deploy uses, so a template
//! cannot disagree with a deploy and every decision has a unit test.
//!
//! Templates run with [`UndefinedBehavior::Strict`]: a misspelt or missing variable is an error,
//! never an empty string in a file someone deploys.

mod client_config;
mod cloudformation;
mod triggers;
mod yaml;

pub use client_config::{ClientConfigFormat, client_config};
pub use cloudformation::{CfnFormat, CfnOptions, SecretSource, cloudformation};
pub use triggers::{
    BOILERPLATE, GeneratedFile, Scaffold, TriggerTemplate, all_trigger_templates, default_crate_name, trigger_scaffold,
    trigger_templates,
};

use minijinja::{Environment, ErrorKind, UndefinedBehavior, Value, syntax::SyntaxConfig};
use std::sync::OnceLock;

/// Why something could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// A template failed: a bug in a template or its context (tests render every template).
    #[error("template `{template}` failed: {message}")]
    Template {
        /// The template's name in `templates/`.
        template: String,
        /// minijinja's explanation.
        message: String,
    },
    /// The rendered text is not what it claims to be (e.g. YAML that does not parse).
    #[error("the rendered {what} is invalid: {message}")]
    Invalid {
        /// What was rendered.
        what: &'static str,
        /// The parser's explanation.
        message: String,
    },
    /// A file the spec references (SAML metadata) could not be read.
    #[error("cannot read {path} for {resource}: {message}")]
    File {
        /// The resource that needs it.
        resource: String,
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// The state refers to something it does not define (a spec that skipped validation).
    #[error("{0}")]
    Inconsistent(String),
    /// No template of this name for this trigger.
    #[error("trigger `{trigger}` has no template `{template}`; its templates: {}", available.join(", "))]
    UnknownTemplate {
        /// The trigger.
        trigger: String,
        /// The template asked for.
        template: String,
        /// The templates the trigger has.
        available: Vec<String>,
    },
    /// This trigger cannot be scaffolded, and why.
    #[error("cannot scaffold `{trigger}`: {reason}")]
    UnsupportedTrigger {
        /// The trigger.
        trigger: String,
        /// Why.
        reason: String,
    },
    /// Not a valid Cargo package name.
    #[error("`{0}` is not a valid crate name: use ASCII letters, digits, `-` and `_`, starting with a letter")]
    InvalidCrateName(String),
}

/// Every template, by its path under `templates/`. Compiled into the binary so the CLI works from
/// any directory; a test checks that this list and the folder agree.
pub(crate) const TEMPLATES: &[(&str, &str)] = &[
    ("cloudformation.yaml.j2", include_str!("../../templates/cloudformation.yaml.j2")),
    ("aws-exports.js.j2", include_str!("../../templates/aws-exports.js.j2")),
    ("amplifyconfiguration.json.j2", include_str!("../../templates/amplifyconfiguration.json.j2")),
    ("awsconfiguration.json.j2", include_str!("../../templates/awsconfiguration.json.j2")),
    ("triggers/Cargo.toml.j2", include_str!("../../templates/triggers/Cargo.toml.j2")),
    ("triggers/README.md.j2", include_str!("../../templates/triggers/README.md.j2")),
    ("triggers/boilerplate/main.rs.j2", include_str!("../../templates/triggers/boilerplate/main.rs.j2")),
    (
        "triggers/email-filter-allowlist/main.rs.j2",
        include_str!("../../templates/triggers/email-filter-allowlist/main.rs.j2"),
    ),
    (
        "triggers/email-filter-denylist/main.rs.j2",
        include_str!("../../templates/triggers/email-filter-denylist/main.rs.j2"),
    ),
    ("triggers/add-to-group/main.rs.j2", include_str!("../../templates/triggers/add-to-group/main.rs.j2")),
    ("triggers/verification-link/main.rs.j2", include_str!("../../templates/triggers/verification-link/main.rs.j2")),
    (
        "triggers/captcha/define_auth_challenge.rs.j2",
        include_str!("../../templates/triggers/captcha/define_auth_challenge.rs.j2"),
    ),
    (
        "triggers/captcha/create_auth_challenge.rs.j2",
        include_str!("../../templates/triggers/captcha/create_auth_challenge.rs.j2"),
    ),
    (
        "triggers/captcha/verify_auth_challenge_response.rs.j2",
        include_str!("../../templates/triggers/captcha/verify_auth_challenge_response.rs.j2"),
    ),
    ("triggers/alter-claims/main.rs.j2", include_str!("../../templates/triggers/alter-claims/main.rs.j2")),
    ("triggers/migrate-user/main.rs.j2", include_str!("../../templates/triggers/migrate-user/main.rs.j2")),
    ("triggers/custom-sender/main.rs.j2", include_str!("../../templates/triggers/custom-sender/main.rs.j2")),
];

/// The environment every output renders in, built once.
fn environment() -> &'static Environment<'static> {
    static ENVIRONMENT: OnceLock<Environment<'static>> = OnceLock::new();
    ENVIRONMENT.get_or_init(|| {
        let mut env = Environment::new();
        // Strict: printing, iterating or testing an undefined value is an error.
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // Block tags on their own line leave no blank line or indentation behind, so YAML and
        // JSON templates can be written indented like their output.
        let syntax = SyntaxConfig::builder().trim_blocks(true).lstrip_blocks(true).keep_trailing_newline(true).build();
        env.set_syntax(syntax.expect("the default delimiters are valid"));
        env.add_filter("id", logical_id_filter);
        env.add_filter("key", yaml_key_filter);
        env.add_filter("cfn", cloudformation::expression_filter);
        for (name, source) in TEMPLATES {
            // The templates are fixed and a test renders each one: a syntax error is a bug that
            // surfaces as `RenderError::Template` when that template is used (see `render`).
            let _ = env.add_template(name, source);
        }
        env
    })
}

/// Renders a template of [`TEMPLATES`] with a context.
///
/// `.yaml.j2`, `.json.j2` and `.js.j2` templates auto-escape to JSON: every `{{ value }}` becomes
/// a JSON literal (quoted, escaped), which is also a valid YAML scalar and a valid JavaScript
/// expression, so no value from a spec can break the structure of a file.
pub(crate) fn render(template: &str, context: Value) -> Result<String, RenderError> {
    let error =
        |error: minijinja::Error| RenderError::Template { template: template.to_string(), message: describe(&error) };
    environment().get_template(template).map_err(error)?.render(context).map_err(error)
}

/// A template context from any serializable value.
pub(crate) fn to_value<T: serde::Serialize>(value: T) -> Value {
    Value::from(minijinja::value::Serde(value))
}

/// minijinja's error with its chain of causes, on one line.
fn describe(error: &minijinja::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// `{{ x|id }}`: a CloudFormation logical id, printed bare. Checked to be alphanumeric (as
/// CloudFormation requires), so printing it unquoted cannot change the YAML's structure.
fn logical_id_filter(value: String) -> Result<Value, minijinja::Error> {
    if is_logical_id(&value) {
        Ok(Value::from_safe_string(value))
    } else {
        Err(minijinja::Error::new(ErrorKind::InvalidOperation, format!("`{value}` is not a CloudFormation logical id")))
    }
}

/// `{{ x|key }}`: a YAML mapping key from data (a tag, a provider detail): bare when YAML reads a
/// bare word as that same string (`team`, `accounts.google.com`), JSON-quoted otherwise
/// (`custom:tier`, `yes`, `1x`).
fn yaml_key_filter(value: String) -> Value {
    let bare = value.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !["y", "n", "yes", "no", "on", "off", "true", "false", "null"]
            .contains(&value.to_ascii_lowercase().as_str());
    if bare {
        Value::from_safe_string(value)
    } else {
        // Serializing a string cannot fail; the fallback keeps the filter total anyway.
        Value::from_safe_string(serde_json::to_string(&value).unwrap_or_else(|_| "\"\"".to_string()))
    }
}

/// Whether a string is a valid CloudFormation logical id: 1 to 255 ASCII letters and digits.
pub(crate) fn is_logical_id(value: &str) -> bool {
    !value.is_empty() && value.len() <= 255 && value.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests;
