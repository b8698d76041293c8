use super::is_default;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How the pool sends email.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct EmailConfig {
    /// `cognito` (Cognito's own sender, low daily quota) or `ses` (your Amazon SES identity).
    #[serde(skip_serializing_if = "is_default")]
    pub sender: EmailSender,
    /// From address, e.g. `"My App <no-reply@example.com>"` (SES only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "My App <no-reply@example.com>")]
    pub from: Option<String>,
    /// Reply-to address.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"support@example.com")]
    pub reply_to: Option<String>,
    /// ARN of the verified SES identity (required with `sender = "ses"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "arn:aws:ses:us-east-1:123456789012:identity/example.com")]
    pub source_arn: Option<String>,
    /// SES configuration set.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"auth-emails")]
    pub configuration_set: Option<String>,
}

/// Who sends the pool's email.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EmailSender {
    /// Cognito's default sender.
    #[default]
    Cognito,
    /// Your own Amazon SES identity (Cognito's `DEVELOPER` sending account).
    Ses,
}

/// How the pool sends SMS, through Amazon SNS.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SmsConfig {
    /// ARN of the IAM role Cognito assumes to publish through SNS.
    #[schemars(example = "arn:aws:iam::123456789012:role/cognito-sms")]
    pub role_arn: String,
    /// External id in the role's trust policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"myapp-sms")]
    pub external_id: Option<String>,
    /// Region of SNS, when it differs from the pool's.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"us-east-1")]
    pub sns_region: Option<String>,
}
