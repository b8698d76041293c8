use super::{TokenValidity, is_false, is_true, yes};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An app client: what an app (web, mobile, CLI, backend) uses to talk to the pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AppClient {
    /// Whether Cognito generates a client secret (for confidential, server-side clients). Fixed
    /// when the client is created. The secret itself never appears in the spec or the outputs.
    #[serde(skip_serializing_if = "is_false")]
    pub generate_secret: bool,
    /// Authentication flows the client may use.
    #[serde(skip_serializing_if = "is_default_auth_flows")]
    #[schemars(example = vec![AuthFlow::UserSrp, AuthFlow::RefreshToken])]
    pub auth_flows: Vec<AuthFlow>,
    /// Lifetime of access tokens, 5 minutes to 1 day (default `60m`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "60m")]
    pub access_token_validity: Option<TokenValidity>,
    /// Lifetime of id tokens, 5 minutes to 1 day (default `60m`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "60m")]
    pub id_token_validity: Option<TokenValidity>,
    /// Lifetime of refresh tokens, 60 minutes to 10 years (default `30d`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "30d")]
    pub refresh_token_validity: Option<TokenValidity>,
    /// Minutes a sign-in session (between challenges) stays valid, 3 to 15 (default 3).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 3, max = 15))]
    #[schemars(example = 5)]
    pub auth_session_validity_minutes: Option<u8>,
    /// Attributes the client may read. Standard names, or custom attributes by name. When absent,
    /// all attributes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = vec!["email", "given_name", "tier"])]
    pub read_attributes: Option<Vec<String>>,
    /// Attributes the client may write. When absent, all mutable attributes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = vec!["email", "given_name"])]
    pub write_attributes: Option<Vec<String>>,
    /// Whether sign-in and recovery errors hide whether a user exists (recommended).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub prevent_user_existence_errors: bool,
    /// Whether refresh tokens can be revoked (`RevokeToken`).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enable_token_revocation: bool,
    /// OAuth 2.0 / hosted UI settings. Absent: the client uses only the Cognito API.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth: Option<ClientOAuth>,
}

impl Default for AppClient {
    fn default() -> Self {
        AppClient {
            generate_secret: false,
            auth_flows: default_auth_flows(),
            access_token_validity: None,
            id_token_validity: None,
            refresh_token_validity: None,
            auth_session_validity_minutes: None,
            read_attributes: None,
            write_attributes: None,
            prevent_user_existence_errors: true,
            enable_token_revocation: true,
            oauth: None,
        }
    }
}

fn default_auth_flows() -> Vec<AuthFlow> {
    vec![AuthFlow::UserSrp, AuthFlow::RefreshToken]
}

fn is_default_auth_flows(flows: &Vec<AuthFlow>) -> bool {
    *flows == default_auth_flows()
}

/// An authentication flow of the Cognito API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuthFlow {
    /// Secure Remote Password: the password never leaves the device (`ALLOW_USER_SRP_AUTH`).
    UserSrp,
    /// The password is sent over TLS (`ALLOW_USER_PASSWORD_AUTH`): needed for user migration.
    UserPassword,
    /// Server-side sign-in with admin credentials (`ALLOW_ADMIN_USER_PASSWORD_AUTH`).
    AdminUserPassword,
    /// Custom challenges from Lambda triggers (`ALLOW_CUSTOM_AUTH`).
    Custom,
    /// Refreshing tokens (`ALLOW_REFRESH_TOKEN_AUTH`).
    RefreshToken,
}

/// OAuth 2.0 settings of a client (hosted UI, social sign-in, machine-to-machine).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ClientOAuth {
    /// Grant types: `code` (recommended, with PKCE), `implicit`, `client_credentials`.
    #[schemars(example = vec![OAuthFlow::Code])]
    pub flows: Vec<OAuthFlow>,
    /// Scopes: `openid`, `email`, `phone`, `profile`, `aws.cognito.signin.user.admin`, or a
    /// resource server's `identifier/scope`.
    #[schemars(example = vec!["openid", "email", "profile"])]
    pub scopes: Vec<String>,
    /// Where the hosted UI may redirect after sign-in: https, or http on localhost.
    #[schemars(example = vec!["https://app.example.com/callback", "http://localhost:3000/"])]
    pub callback_urls: Vec<String>,
    /// Where the hosted UI may redirect after sign-out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = vec!["https://app.example.com/"])]
    pub logout_urls: Vec<String>,
    /// The callback URL used when a request does not name one (must be in `callback_urls`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"https://app.example.com/callback")]
    pub default_redirect_uri: Option<String>,
    /// Identity providers offered: `cognito` (the pool's own users), `google`, `facebook`,
    /// `amazon`, `apple`, or the name of an `[providers.oidc.*]` / `[providers.saml.*]` entry.
    /// Default `["cognito"]`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = vec!["cognito", "google"])]
    pub providers: Vec<String>,
}

/// An OAuth 2.0 grant type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OAuthFlow {
    /// Authorization code grant.
    Code,
    /// Implicit grant (tokens in the redirect; legacy).
    Implicit,
    /// Client credentials grant (machine to machine).
    ClientCredentials,
}
