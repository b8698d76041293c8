//! The outputs file apps read: `amplify_outputs.json` in Amplify Gen 2's schema (version 1.x), so an
//! existing JS/Swift/Kotlin Amplify app works unchanged, plus our own section under `custom` with
//! every client's id for the Rust client. One type in one place: deploy writes it, the client and
//! the templates read it. Secrets never appear here: a client with a secret is only flagged.

use crate::state::{AuthState, MfaConfiguration, ProviderType};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The schema version of `amplify_outputs.json` this writes.
pub const OUTPUTS_VERSION: &str = "1.4";
/// The JSON Schema URL of `amplify_outputs.json`.
pub const OUTPUTS_SCHEMA_URL: &str = "https://raw.githubusercontent.com/aws-amplify/amplify-backend/main/packages/client-config/src/client-config-schema/schema_v1.json";
/// The key of our section under `custom`.
pub const CUSTOM_KEY: &str = "cognito_auth";

/// `amplify_outputs.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AmplifyOutputs {
    /// The JSON Schema of the file.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Schema version, `1.x`.
    pub version: String,
    /// The `auth` section Amplify libraries read.
    pub auth: AuthOutputs,
    /// Free-form section; ours is under [`CUSTOM_KEY`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<CustomOutputs>,
}

/// The `auth` section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthOutputs {
    /// Region of the user pool.
    pub aws_region: String,
    /// User pool id.
    pub user_pool_id: String,
    /// The app client Amplify libraries use.
    pub user_pool_client_id: String,
    /// Identity pool id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_pool_id: Option<String>,
    /// The password policy, for client-side checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_policy: Option<PasswordPolicyOutputs>,
    /// Hosted UI settings of the default client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth: Option<OAuthOutputs>,
    /// Standard attributes required at sign-up.
    #[serde(default)]
    pub standard_required_attributes: Vec<String>,
    /// `email`, `phone_number` or `username`.
    #[serde(default)]
    pub username_attributes: Vec<String>,
    /// `email`, `phone_number`.
    #[serde(default)]
    pub user_verification_types: Vec<String>,
    /// Whether the identity pool gives guests credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unauthenticated_identities_enabled: Option<bool>,
    /// `NONE`, `OPTIONAL` or `REQUIRED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_configuration: Option<String>,
    /// `SMS`, `TOTP` (and `EMAIL`).
    #[serde(default)]
    pub mfa_methods: Vec<String>,
    /// Groups with their precedence: `[{"admins": {"precedence": 0}}]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<BTreeMap<String, GroupOutputs>>,
}

/// `auth.password_policy`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicyOutputs {
    /// Minimum length.
    pub min_length: u8,
    /// Requires a digit.
    pub require_numbers: bool,
    /// Requires a lowercase letter.
    pub require_lowercase: bool,
    /// Requires an uppercase letter.
    pub require_uppercase: bool,
    /// Requires a symbol.
    pub require_symbols: bool,
}

/// `auth.oauth`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthOutputs {
    /// `GOOGLE`, `FACEBOOK`, `LOGIN_WITH_AMAZON`, `SIGN_IN_WITH_APPLE`.
    pub identity_providers: Vec<String>,
    /// Hosted UI host name.
    pub domain: String,
    /// Scopes the client requests.
    pub scopes: Vec<String>,
    /// Callback URLs.
    pub redirect_sign_in_uri: Vec<String>,
    /// Sign-out URLs.
    pub redirect_sign_out_uri: Vec<String>,
    /// `code` or `token`.
    pub response_type: String,
}

/// One entry of `auth.groups`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupOutputs {
    /// The group's precedence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precedence: Option<u32>,
}

/// The `custom` section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomOutputs {
    /// Our section.
    #[serde(rename = "cognito_auth")]
    pub cognito_auth: DeploymentOutputs,
}

/// What the Rust client needs beyond Amplify's section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeploymentOutputs {
    /// The user pool name.
    pub user_pool_name: String,
    /// The spec name of the client in `auth.user_pool_client_id`.
    pub default_client: String,
    /// Every app client, by spec name.
    pub clients: BTreeMap<String, ClientOutputs>,
    /// Hosted UI host name, when the pool has a domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Endpoint override (a local Cognito-compatible server), when deployed to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_url: Option<String>,
    /// Whether email MFA is enabled (Amplify's `mfa_methods` predates it).
    #[serde(default)]
    pub email_mfa: bool,
}

/// One app client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientOutputs {
    /// The client id.
    pub client_id: String,
    /// Whether the client has a secret. The secret itself is never written here: read it from
    /// Cognito (`DescribeUserPoolClient`) or your secret store.
    pub has_secret: bool,
    /// `ExplicitAuthFlows`.
    pub auth_flows: Vec<String>,
    /// OAuth scopes, when the client uses OAuth.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub oauth_scopes: Vec<String>,
    /// OAuth callback URLs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub callback_urls: Vec<String>,
    /// OAuth sign-out URLs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub logout_urls: Vec<String>,
    /// OAuth grant types.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub oauth_flows: Vec<String>,
}

/// The ids Cognito gave a deployment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeployedIds {
    /// The region.
    pub region: String,
    /// The user pool id.
    pub user_pool_id: String,
    /// Client ids by spec name.
    pub client_ids: BTreeMap<String, String>,
    /// The identity pool id.
    pub identity_pool_id: Option<String>,
    /// Endpoint override, when deployed to a local server.
    pub endpoint_url: Option<String>,
}

/// Why outputs cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OutputsError {
    /// Amplify's section needs one app client.
    #[error("the spec has no app client: add a [clients.<name>] table")]
    NoClient,
    /// A client of the state has no id.
    #[error("app client `{0}` has no id: deploy it first")]
    MissingClientId(String),
}

impl AmplifyOutputs {
    /// Builds the outputs of a (live) state and its ids. The default client is the only one, or
    /// else the first (by name) without a secret that uses OAuth when the pool has a domain, or
    /// else the first without a secret, or else the first.
    pub fn from_state(state: &AuthState, ids: &DeployedIds) -> Result<AmplifyOutputs, OutputsError> {
        // Amplify libraries are public clients, and the hosted UI needs the client's OAuth
        // settings: prefer a client without a secret that uses OAuth (when the pool has a
        // domain), then any client without a secret, then the first.
        let public = |client: &&crate::state::ClientState| !client.generate_secret;
        let default_client = state
            .clients
            .iter()
            .find(|(_, client)| public(client) && client.oauth.is_some() && state.domain.is_some())
            .or_else(|| state.clients.iter().find(|(_, client)| public(client)))
            .or_else(|| state.clients.iter().next())
            .map(|(name, _)| name.clone())
            .ok_or(OutputsError::NoClient)?;
        let client_id = |name: &str| {
            ids.client_ids.get(name).cloned().ok_or_else(|| OutputsError::MissingClientId(name.to_string()))
        };
        let pool = &state.pool;
        let domain = state.domain.as_ref().map(|domain| domain.host(&ids.region));
        let oauth = match (&domain, state.clients[&default_client].oauth.as_ref()) {
            (Some(domain), Some(oauth)) => Some(OAuthOutputs {
                identity_providers: oauth
                    .identity_providers
                    .iter()
                    .filter_map(|name| state.identity_providers.get(name))
                    .filter_map(|provider| amplify_provider_name(provider.provider_type))
                    .map(str::to_string)
                    .collect(),
                domain: domain.clone(),
                scopes: oauth.scopes.iter().cloned().collect(),
                redirect_sign_in_uri: oauth.callback_urls.iter().cloned().collect(),
                redirect_sign_out_uri: oauth.logout_urls.iter().cloned().collect(),
                response_type: if oauth.flows.contains("code") { "code" } else { "token" }.to_string(),
            }),
            _ => None,
        };
        let mut username_attributes: Vec<String> = pool.username_attributes.iter().cloned().collect();
        if username_attributes.is_empty() {
            username_attributes.push("username".to_string());
        }
        let mut mfa_methods = Vec::new();
        if pool.mfa.sms() {
            mfa_methods.push("SMS".to_string());
        }
        if pool.mfa.totp {
            mfa_methods.push("TOTP".to_string());
        }
        let mut clients = BTreeMap::new();
        for (name, client) in &state.clients {
            let oauth = client.oauth.as_ref();
            let list = |f: fn(&crate::state::ClientOAuthState) -> &std::collections::BTreeSet<String>| {
                oauth.map(|oauth| f(oauth).iter().cloned().collect()).unwrap_or_default()
            };
            clients.insert(
                name.clone(),
                ClientOutputs {
                    client_id: client_id(name)?,
                    has_secret: client.generate_secret,
                    auth_flows: client.explicit_auth_flows.iter().cloned().collect(),
                    oauth_scopes: list(|oauth| &oauth.scopes),
                    callback_urls: list(|oauth| &oauth.callback_urls),
                    logout_urls: list(|oauth| &oauth.logout_urls),
                    oauth_flows: list(|oauth| &oauth.flows),
                },
            );
        }
        Ok(AmplifyOutputs {
            schema: Some(OUTPUTS_SCHEMA_URL.to_string()),
            version: OUTPUTS_VERSION.to_string(),
            auth: AuthOutputs {
                aws_region: ids.region.clone(),
                user_pool_id: ids.user_pool_id.clone(),
                user_pool_client_id: client_id(&default_client)?,
                identity_pool_id: ids.identity_pool_id.clone(),
                password_policy: Some(PasswordPolicyOutputs {
                    min_length: pool.password_policy.minimum_length,
                    require_numbers: pool.password_policy.require_numbers,
                    require_lowercase: pool.password_policy.require_lowercase,
                    require_uppercase: pool.password_policy.require_uppercase,
                    require_symbols: pool.password_policy.require_symbols,
                }),
                oauth,
                standard_required_attributes: pool
                    .standard_attributes
                    .iter()
                    .filter(|(_, settings)| settings.required)
                    .map(|(attribute, _)| attribute.name().to_string())
                    .collect(),
                username_attributes,
                user_verification_types: pool.auto_verified_attributes.iter().cloned().collect(),
                unauthenticated_identities_enabled: state
                    .identity_pool
                    .as_ref()
                    .map(|identity_pool| identity_pool.allow_unauthenticated),
                mfa_configuration: Some(
                    match pool.mfa.configuration {
                        MfaConfiguration::Off => "NONE",
                        MfaConfiguration::Optional => "OPTIONAL",
                        MfaConfiguration::On => "REQUIRED",
                    }
                    .to_string(),
                ),
                mfa_methods,
                groups: state
                    .groups
                    .iter()
                    .map(|(name, group)| {
                        BTreeMap::from([(name.clone(), GroupOutputs { precedence: group.precedence })])
                    })
                    .collect(),
            },
            custom: Some(CustomOutputs {
                cognito_auth: DeploymentOutputs {
                    user_pool_name: pool.name.clone(),
                    default_client,
                    clients,
                    domain,
                    endpoint_url: ids.endpoint_url.clone(),
                    email_mfa: pool.mfa.email.is_some(),
                },
            }),
        })
    }

    /// The outputs as pretty JSON, as written to `amplify_outputs.json`.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("outputs are plain data and always serialize") + "\n"
    }

    /// Reads `amplify_outputs.json` text.
    pub fn from_json(text: &str) -> Result<AmplifyOutputs, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Our section, when the file was written by this tool.
    pub fn deployment(&self) -> Option<&DeploymentOutputs> {
        self.custom.as_ref().map(|custom| &custom.cognito_auth)
    }
}

/// Amplify's name of a social provider; OIDC and SAML providers have none.
fn amplify_provider_name(provider_type: ProviderType) -> Option<&'static str> {
    match provider_type {
        ProviderType::Google => Some("GOOGLE"),
        ProviderType::Facebook => Some("FACEBOOK"),
        ProviderType::LoginWithAmazon => Some("LOGIN_WITH_AMAZON"),
        ProviderType::SignInWithApple => Some("SIGN_IN_WITH_APPLE"),
        ProviderType::Oidc | ProviderType::Saml => None,
    }
}
