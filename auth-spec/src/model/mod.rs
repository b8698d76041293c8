//! The auth spec as users write it: only data and documentation.
//!
//! Every type here is serde + schemars: the TOML file, the JSON Schema in `schemas/` and a spec built
//! in Rust are three views of these types. Defaults are the ones `amplify add auth` ("Default
//! configuration") and Cognito itself use; [`crate::resolve`] turns a spec into Cognito's terms.

mod attributes;
mod clients;
mod delivery;
mod domain;
mod groups;
mod identity_pool;
mod messages;
mod mfa;
mod pool;
mod providers;
mod recovery;
mod resource_servers;
mod secret;
mod triggers;
mod validity;

pub use attributes::{
    CustomAttribute, CustomAttributeType, StandardAttribute, StandardAttributeSpec, StandardAttributes,
};
pub use clients::{AppClient, AuthFlow, ClientOAuth, OAuthFlow};
pub use delivery::{EmailConfig, EmailSender, SmsConfig};
pub use domain::Domain;
pub use groups::Group;
pub use identity_pool::{IdentityPool, IdentityPoolProviders};
pub use messages::{EmailStyle, Invitation, VerifiableAttribute, Verification};
pub use mfa::{Mfa, MfaMethod, MfaMode};
pub use pool::{CharacterClass, PasswordPolicy, Pool, SignInIdentifier};
pub use providers::{
    AppleProvider, AttributeMapping, OidcProvider, OidcRequestMethod, Providers, SamlProvider, SocialProvider,
};
pub use recovery::{AccountRecovery, DeviceRemembering, Devices, RecoveryMethod};
pub use resource_servers::ResourceServer;
pub use secret::SecretRef;
pub use triggers::{PreTokenGenerationVersion, Trigger, Triggers};
pub use validity::{TimeUnit, TokenValidity};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A whole auth configuration: one Cognito user pool with its clients, providers, domain, groups
/// and triggers, and optionally an identity pool.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
#[schemars(title = "Auth spec", example = crate::examples_for_schema::minimal())]
pub struct Spec {
    /// The user pool itself: name, region, how users sign in, password policy.
    pub pool: Pool,
    /// Cognito's standard (OIDC) attributes the pool uses, by snake_case name.
    #[serde(skip_serializing_if = "StandardAttributes::is_empty")]
    pub attributes: StandardAttributes,
    /// Custom attributes, by name without the `custom:` prefix (Cognito adds it on the wire).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(example = crate::examples_for_schema::custom_attributes())]
    pub custom_attributes: BTreeMap<String, CustomAttribute>,
    /// How new users and changed attributes are verified, and the messages sent.
    #[serde(skip_serializing_if = "is_default")]
    pub verification: Verification,
    /// Messages sent to users created by an administrator.
    #[serde(skip_serializing_if = "is_default")]
    pub invitation: Invitation,
    /// Multi-factor authentication.
    #[serde(skip_serializing_if = "is_default")]
    pub mfa: Mfa,
    /// How users recover a forgotten password.
    #[serde(skip_serializing_if = "is_default")]
    pub account_recovery: AccountRecovery,
    /// Device tracking and remembering.
    #[serde(skip_serializing_if = "is_default")]
    pub devices: Devices,
    /// How the pool sends email.
    #[serde(skip_serializing_if = "is_default")]
    pub email: EmailConfig,
    /// How the pool sends SMS (needed for SMS MFA and phone verification).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms: Option<SmsConfig>,
    /// Lambda triggers, by snake_case name, each mapped to a Lambda function ARN.
    #[serde(skip_serializing_if = "is_default")]
    pub triggers: Triggers,
    /// User pool groups, by group name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: BTreeMap<String, Group>,
    /// App clients, by a name of your choosing (it becomes the Cognito client name).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub clients: BTreeMap<String, AppClient>,
    /// The hosted UI / OAuth domain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<Domain>,
    /// Federated identity providers: social (Google, Facebook, Amazon, Apple), OIDC and SAML.
    #[serde(skip_serializing_if = "Providers::is_empty")]
    pub providers: Providers,
    /// OAuth resource servers with custom scopes, by identifier (often an API URL).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub resource_servers: BTreeMap<String, ResourceServer>,
    /// A Cognito identity pool that exchanges this pool's tokens for AWS credentials.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_pool: Option<IdentityPool>,
    /// Environment overlays: `[env.prod]` holds any of the sections above, merged over the base
    /// spec by `--env prod` (tables merge key by key, arrays and values replace).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(with = "BTreeMap<String, EnvOverlay>")]
    pub env: BTreeMap<String, serde_json::Value>,
}

/// The shape of an `[env.<name>]` overlay: the same sections as the spec, every key optional.
///
/// Only used for the JSON Schema; overlays are kept as plain values and merged before the spec is
/// deserialized (see [`crate::load`]).
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub(crate) struct EnvOverlay {
    /// Overrides `[pool]` in this environment.
    pool: Option<Pool>,
    /// Overrides `[attributes]` in this environment.
    attributes: Option<StandardAttributes>,
    /// Overrides `[custom_attributes]` in this environment.
    custom_attributes: Option<BTreeMap<String, CustomAttribute>>,
    /// Overrides `[verification]` in this environment.
    verification: Option<Verification>,
    /// Overrides `[invitation]` in this environment.
    invitation: Option<Invitation>,
    /// Overrides `[mfa]` in this environment.
    mfa: Option<Mfa>,
    /// Overrides `[account_recovery]` in this environment.
    account_recovery: Option<AccountRecovery>,
    /// Overrides `[devices]` in this environment.
    devices: Option<Devices>,
    /// Overrides `[email]` in this environment.
    email: Option<EmailConfig>,
    /// Overrides `[sms]` in this environment.
    sms: Option<SmsConfig>,
    /// Overrides `[triggers]` in this environment.
    triggers: Option<Triggers>,
    /// Overrides `[groups]` in this environment.
    groups: Option<BTreeMap<String, Group>>,
    /// Overrides `[clients]` in this environment.
    clients: Option<BTreeMap<String, AppClient>>,
    /// Overrides `[domain]` in this environment.
    domain: Option<Domain>,
    /// Overrides `[providers]` in this environment.
    providers: Option<Providers>,
    /// Overrides `[resource_servers]` in this environment.
    resource_servers: Option<BTreeMap<String, ResourceServer>>,
    /// Overrides `[identity_pool]` in this environment.
    identity_pool: Option<IdentityPool>,
}

/// `skip_serializing_if` helper: leave a value out of the TOML when it is the default, so a spec
/// built in Rust serializes to the short file a person would write.
pub(crate) fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

pub(crate) fn is_true(value: &bool) -> bool {
    *value
}

pub(crate) fn is_false(value: &bool) -> bool {
    !*value
}

pub(crate) fn yes() -> bool {
    true
}
