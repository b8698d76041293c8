use super::{is_default, is_false};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A Cognito identity pool: exchanges user pool tokens (and other providers' tokens) for AWS
/// credentials.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct IdentityPool {
    /// Identity pool name: letters, digits, spaces, `+=,.@-_`, 1 to 128 characters.
    #[schemars(example = &"myapp_identities")]
    pub name: String,
    /// Whether unauthenticated (guest) users get credentials.
    #[serde(skip_serializing_if = "is_false")]
    pub allow_guest: bool,
    /// Whether the basic (classic) authflow is allowed.
    #[serde(skip_serializing_if = "is_false")]
    pub allow_classic_flow: bool,
    /// Role for signed-in users. When absent, deploy creates one with Cognito's standard trust
    /// policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"arn:aws:iam::123456789012:role/myapp-authenticated")]
    pub authenticated_role_arn: Option<String>,
    /// Role for guests (with `allow_guest`). When absent, deploy creates one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"arn:aws:iam::123456789012:role/myapp-guest")]
    pub unauthenticated_role_arn: Option<String>,
    /// App clients (by spec name) whose tokens the identity pool accepts. When absent, all.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = vec!["web"])]
    pub clients: Option<Vec<String>>,
    /// Whether a group's `role_arn` (the token's `cognito:preferred_role`) picks the role.
    #[serde(skip_serializing_if = "is_false")]
    pub roles_from_token: bool,
    /// External identity providers.
    #[serde(skip_serializing_if = "is_default")]
    pub providers: IdentityPoolProviders,
}

/// External providers an identity pool trusts directly (without the user pool).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct IdentityPoolProviders {
    /// Facebook app id.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"1234567890123456")]
    pub facebook_app_id: Option<String>,
    /// Google client id.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"123456789012-abc.apps.googleusercontent.com")]
    pub google_client_id: Option<String>,
    /// Login with Amazon app id.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"amzn1.application.0123456789abcdef")]
    pub amazon_app_id: Option<String>,
    /// Sign in with Apple services id.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"com.example.app.signin")]
    pub apple_services_id: Option<String>,
    /// IAM OIDC provider ARNs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = vec!["arn:aws:iam::123456789012:oidc-provider/login.example.com"])]
    pub oidc_provider_arns: Vec<String>,
    /// IAM SAML provider ARNs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = vec!["arn:aws:iam::123456789012:saml-provider/adfs"])]
    pub saml_provider_arns: Vec<String>,
    /// Developer provider name for developer-authenticated identities.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"login.example.com")]
    pub developer_provider_name: Option<String>,
}
