use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A reference to a secret kept outside the spec. A literal secret in the spec is an error: the
/// spec is reviewed and committed, secrets are not.
///
/// Deploy reads the value when it applies a change; `Debug` and the plan never show it.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = SecretRef::env("GOOGLE_CLIENT_SECRET"))]
pub struct SecretRef {
    /// Name of the environment variable that holds the secret at deploy time.
    #[schemars(example = &"GOOGLE_CLIENT_SECRET")]
    pub env: String,
}

impl SecretRef {
    /// A secret read from this environment variable.
    pub fn env(name: impl Into<String>) -> Self {
        SecretRef { env: name.into() }
    }
}

impl fmt::Debug for SecretRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretRef(env:{})", self.env)
    }
}
