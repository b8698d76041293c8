use super::is_default;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How sign-ups and attribute changes are verified.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Verification {
    /// Attributes Cognito verifies by sending a code. When absent, the sign-in identifiers
    /// (email and/or phone) are verified, as `amplify add auth` does.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = vec![VerifiableAttribute::Email])]
    pub auto_verify: Option<Vec<VerifiableAttribute>>,
    /// Whether the verification email carries a code or a link.
    #[serde(skip_serializing_if = "is_default")]
    pub email_style: EmailStyle,
    /// Subject of the verification email.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "Your verification code")]
    pub email_subject: Option<String>,
    /// Body of the verification email: must contain `{####}` (code style) or
    /// `{##Verify Email##}` (link style).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "Your verification code is {####}")]
    pub email_message: Option<String>,
    /// Text of the verification SMS: must contain `{####}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "Your verification code is {####}")]
    pub sms_message: Option<String>,
}

/// An attribute Cognito can verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VerifiableAttribute {
    /// `email`, by an emailed code or link.
    Email,
    /// `phone_number`, by an SMS code.
    PhoneNumber,
}

/// The style of the verification email.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EmailStyle {
    /// A code the user types (`{####}`).
    #[default]
    Code,
    /// A link the user clicks (`{##Verify Email##}`).
    Link,
}

/// Messages for users created by an administrator (`AdminCreateUser`). Whether users can sign up
/// themselves is `[pool] self_sign_up`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Invitation {
    /// Subject of the invitation email.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "Your temporary password")]
    pub email_subject: Option<String>,
    /// Body of the invitation email: must contain `{username}` and `{####}` (the temporary
    /// password).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "Your username is {username} and temporary password is {####}.")]
    pub email_message: Option<String>,
    /// Text of the invitation SMS: must contain `{username}` and `{####}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "Your username is {username} and temporary password is {####}.")]
    pub sms_message: Option<String>,
}
