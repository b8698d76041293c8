use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The hosted UI / OAuth domain: a Cognito prefix domain or your own domain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Domain {
    /// Prefix of `<prefix>.auth.<region>.amazoncognito.com`: lowercase letters, digits and
    /// hyphens, and it may not contain `aws`, `amazon` or `cognito`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "myapp-auth")]
    pub prefix: Option<String>,
    /// A custom domain such as `auth.example.com` (needs `certificate_arn`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "auth.example.com")]
    pub custom: Option<String>,
    /// ACM certificate (in us-east-1) for the custom domain.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e")]
    pub certificate_arn: Option<String>,
}
