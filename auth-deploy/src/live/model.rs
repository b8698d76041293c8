//! The live state as read from Cognito: the same normalised [`AuthState`] types as the desired
//! state, plus the ids Cognito gave each resource and the few settings this tool does not manage
//! but must send back unchanged (Cognito's update calls reset what they are not given).

use auth_spec::outputs::DeployedIds;
use auth_spec::state::{AuthState, IdentityPoolState};
use aws_sdk_cognitoidentityprovider::types as idp;
use std::collections::BTreeMap;

/// Everything read from one account and region for one spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Live {
    /// The region read.
    pub region: String,
    /// The endpoint override, when reading a local server.
    pub endpoint_url: Option<String>,
    /// The user pool the spec names, with everything in it; `None` when it does not exist.
    pub user_pool: Option<LiveUserPool>,
    /// The identity pool the spec names; `None` when the spec has none or it does not exist.
    pub identity_pool: Option<LiveIdentityPool>,
}

/// A managed user pool and what it contains.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveUserPool {
    /// The pool id (`us-east-1_AbC123`).
    pub id: String,
    /// The pool ARN.
    pub arn: String,
    /// Cognito's estimate of its users (used to refuse replacing a pool with users).
    pub estimated_users: u64,
    /// The configuration, normalised; its `identity_pool` is always `None` (see
    /// [`Live::identity_pool`]).
    pub state: AuthState,
    /// Client ids by client name.
    pub client_ids: BTreeMap<String, String>,
    /// Clients whose name another client already has (Cognito allows it; we never create one):
    /// `(name, id)`. The plan deletes them.
    pub duplicate_clients: Vec<(String, String)>,
    /// Identity providers of a type this tool does not manage, by name. Left alone.
    pub foreign_providers: Vec<String>,
    /// SAML metadata documents by provider name (only a fingerprint is in `state`), for import.
    pub saml_metadata: BTreeMap<String, String>,
    pub(crate) preserved: PreservedPool,
    pub(crate) preserved_clients: BTreeMap<String, PreservedClient>,
}

/// Settings of a pool that the spec does not model. `UpdateUserPool` and `SetUserPoolMfaConfig`
/// reset whatever they are not given, so these are read and sent back as they are.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PreservedPool {
    pub(crate) mfa_configuration: Option<idp::UserPoolMfaType>,
    pub(crate) user_attribute_update_settings: Option<idp::UserAttributeUpdateSettingsType>,
    pub(crate) user_pool_add_ons: Option<idp::UserPoolAddOnsType>,
    pub(crate) user_pool_tier: Option<idp::UserPoolTierType>,
    pub(crate) sign_in_policy: Option<idp::SignInPolicyType>,
    pub(crate) password_history_size: Option<i32>,
    pub(crate) web_authn: Option<idp::WebAuthnConfigurationType>,
    pub(crate) key_configuration: Option<idp::KeyConfigurationType>,
    pub(crate) issuer_configuration: Option<idp::IssuerConfigurationType>,
    pub(crate) acr_configuration: Option<std::collections::HashMap<String, idp::AcrLevelConfigType>>,
}

/// Settings of an app client that the spec does not model; `UpdateUserPoolClient` resets them
/// when they are left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PreservedClient {
    pub(crate) analytics_configuration: Option<idp::AnalyticsConfigurationType>,
    pub(crate) enable_propagate_additional_user_context_data: Option<bool>,
    pub(crate) refresh_token_rotation: Option<idp::RefreshTokenRotationType>,
}

/// A managed identity pool.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveIdentityPool {
    /// The identity pool id (`us-east-1:uuid`).
    pub id: String,
    /// The configuration, normalised: clients by name, roles this tool created as `None`.
    pub state: IdentityPoolState,
}

impl Live {
    /// Nothing exists.
    pub fn empty(region: impl Into<String>) -> Live {
        Live { region: region.into(), endpoint_url: None, user_pool: None, identity_pool: None }
    }

    /// The whole live configuration in the desired state's shape, when the pool exists.
    pub fn state(&self) -> Option<AuthState> {
        let pool = self.user_pool.as_ref()?;
        let mut state = pool.state.clone();
        state.identity_pool = self.identity_pool.as_ref().map(|identity| identity.state.clone());
        Some(state)
    }

    /// The ids outputs are written from.
    pub fn deployed_ids(&self) -> Option<DeployedIds> {
        let pool = self.user_pool.as_ref()?;
        Some(DeployedIds {
            region: self.region.clone(),
            user_pool_id: pool.id.clone(),
            client_ids: pool.client_ids.clone(),
            identity_pool_id: self.identity_pool.as_ref().map(|identity| identity.id.clone()),
            endpoint_url: self.endpoint_url.clone(),
        })
    }
}
