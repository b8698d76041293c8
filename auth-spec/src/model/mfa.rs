use super::is_default;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Multi-factor authentication.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Mfa {
    /// Whether MFA is off, optional (each user chooses) or required for every user.
    #[serde(skip_serializing_if = "is_default")]
    pub mode: MfaMode,
    /// The second factors users may use. `optional` and `required` need at least one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = vec![MfaMethod::Totp, MfaMethod::Sms])]
    pub methods: Vec<MfaMethod>,
    /// Text of the SMS carrying the MFA code: must contain `{####}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "Your sign-in code is {####}")]
    pub sms_message: Option<String>,
    /// Subject of the email carrying the MFA code (email MFA).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"Your sign-in code")]
    pub email_subject: Option<String>,
    /// Body of the email carrying the MFA code (email MFA): must contain `{####}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"Your sign-in code is {####}")]
    pub email_message: Option<String>,
}

/// Whether MFA is used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MfaMode {
    /// No second factor.
    #[default]
    Off,
    /// Users may enable a second factor.
    Optional,
    /// Every user must use a second factor.
    Required,
}

/// A second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MfaMethod {
    /// A code sent by SMS (needs `[sms]`).
    Sms,
    /// A time-based one-time password from an authenticator app.
    Totp,
    /// A code sent by email (needs `[email] sender = "ses"`).
    Email,
}
