use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A user pool group. Its name is the table key; it appears in tokens as `cognito:groups`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Group {
    /// Lower wins when a user is in several groups with roles (non-negative).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = 0)]
    pub precedence: Option<u32>,
    /// What the group is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"Administrators")]
    pub description: Option<String>,
    /// IAM role the identity pool gives members (`cognito:preferred_role`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "arn:aws:iam::123456789012:role/admins")]
    pub role_arn: Option<String>,
}
