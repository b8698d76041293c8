use super::{is_default, is_false};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How users recover a forgotten password.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AccountRecovery {
    /// Where the reset code goes, in order of preference. `admin_only` (alone) disables
    /// self-service recovery. When absent: `email` if users have a verified email, else `phone`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = vec![RecoveryMethod::Email, RecoveryMethod::Phone])]
    pub methods: Option<Vec<RecoveryMethod>>,
}

/// A password recovery channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecoveryMethod {
    /// The verified email address.
    Email,
    /// The verified phone number.
    Phone,
    /// Only an administrator can reset the password.
    AdminOnly,
}

/// Device tracking.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Devices {
    /// Whether Cognito remembers users' devices.
    #[serde(skip_serializing_if = "is_default")]
    pub remember: DeviceRemembering,
    /// Whether signing in from a new device always needs the second factor.
    #[serde(skip_serializing_if = "is_false")]
    pub challenge_new_device: bool,
}

/// Whether Cognito remembers devices.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeviceRemembering {
    /// No device tracking.
    #[default]
    Off,
    /// Every device a user signs in from is remembered.
    Always,
    /// The app asks the user whether to remember the device.
    UserOptIn,
}
