//! The client's configuration: from `amplify_outputs.json` (auth-spec's [`AmplifyOutputs`]) or by
//! hand.

use crate::error::AuthError;
use crate::secret::Secret;
use crate::session::DEFAULT_REFRESH_MARGIN;
use auth_spec::outputs::AmplifyOutputs;
use std::path::Path;
use std::time::Duration;

/// Hosted UI (OAuth 2.0) settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthConfig {
    /// The hosted UI's base URL: `https://DOMAIN` for Cognito, the endpoint URL for a local server.
    pub base_url: String,
    /// Scopes to request.
    pub scopes: Vec<String>,
    /// Allowed callback URLs.
    pub redirect_sign_in: Vec<String>,
    /// Allowed sign-out URLs.
    pub redirect_sign_out: Vec<String>,
}

/// Everything the client needs to reach a user pool (and an identity pool).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AuthConfig {
    /// The region.
    pub region: String,
    /// The user pool id (`region_name`).
    pub user_pool_id: String,
    /// The app client id.
    pub client_id: String,
    /// The app client secret, when the client has one (never in the outputs file).
    pub client_secret: Option<Secret>,
    /// The identity pool id, for AWS credentials.
    pub identity_pool_id: Option<String>,
    /// Hosted UI settings.
    pub oauth: Option<OAuthConfig>,
    /// A Cognito-compatible endpoint (a local server) instead of AWS's.
    pub endpoint_url: Option<String>,
    /// Tokens are refreshed this long before they expire.
    pub refresh_margin: Duration,
    /// The issuer shown by authenticator apps for TOTP setup URIs.
    pub totp_issuer: String,
    /// The name a confirmed device gets (`DeviceName`).
    pub device_name: String,
}

impl AuthConfig {
    /// A configuration by hand.
    pub fn new(region: impl Into<String>, user_pool_id: impl Into<String>, client_id: impl Into<String>) -> AuthConfig {
        AuthConfig {
            region: region.into(),
            user_pool_id: user_pool_id.into(),
            client_id: client_id.into(),
            client_secret: None,
            identity_pool_id: None,
            oauth: None,
            endpoint_url: None,
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            totp_issuer: "Cognito".to_string(),
            device_name: format!("auth-client on {}", std::env::consts::OS),
        }
    }

    /// The default client of an outputs file.
    pub fn from_outputs(outputs: &AmplifyOutputs) -> Result<AuthConfig, AuthError> {
        let auth = &outputs.auth;
        let mut config = AuthConfig::new(&auth.aws_region, &auth.user_pool_id, &auth.user_pool_client_id);
        config.identity_pool_id = auth.identity_pool_id.clone();
        let deployment = outputs.deployment();
        config.endpoint_url = deployment.and_then(|deployment| deployment.endpoint_url.clone());
        if let Some(oauth) = &auth.oauth {
            config.oauth = Some(OAuthConfig {
                base_url: config.endpoint_url.clone().unwrap_or_else(|| host_url(&oauth.domain)),
                scopes: oauth.scopes.clone(),
                redirect_sign_in: oauth.redirect_sign_in_uri.clone(),
                redirect_sign_out: oauth.redirect_sign_out_uri.clone(),
            });
        }
        Ok(config)
    }

    /// A named client (its spec name) of an outputs file written by `cargo xtask deploy`.
    pub fn from_outputs_client(outputs: &AmplifyOutputs, client: &str) -> Result<AuthConfig, AuthError> {
        let mut config = AuthConfig::from_outputs(outputs)?;
        let deployment = outputs
            .deployment()
            .ok_or_else(|| AuthError::Configuration("the outputs file has no custom.cognito_auth section".into()))?;
        let entry = deployment.clients.get(client).ok_or_else(|| {
            let known: Vec<&String> = deployment.clients.keys().collect();
            AuthError::Configuration(format!("no client `{client}` in the outputs file (known: {known:?})"))
        })?;
        config.client_id = entry.client_id.clone();
        config.oauth = match (&deployment.domain, entry.oauth_flows.is_empty()) {
            (Some(domain), false) => Some(OAuthConfig {
                base_url: config.endpoint_url.clone().unwrap_or_else(|| host_url(domain)),
                scopes: entry.oauth_scopes.clone(),
                redirect_sign_in: entry.callback_urls.clone(),
                redirect_sign_out: entry.logout_urls.clone(),
            }),
            _ => None,
        };
        if entry.has_secret && config.client_secret.is_none() {
            tracing::debug!(client, "the client has a secret: set it with with_client_secret");
        }
        Ok(config)
    }

    /// Reads `amplify_outputs.json`.
    pub fn from_outputs_file(path: impl AsRef<Path>) -> Result<AuthConfig, AuthError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|error| AuthError::Configuration(format!("reading {}: {error}", path.display())))?;
        let outputs = AmplifyOutputs::from_json(&text)
            .map_err(|error| AuthError::Configuration(format!("{} is not an outputs file: {error}", path.display())))?;
        AuthConfig::from_outputs(&outputs)
    }

    /// Sets the client secret.
    pub fn with_client_secret(mut self, secret: impl Into<Secret>) -> AuthConfig {
        self.client_secret = Some(secret.into());
        self
    }

    /// Sets the identity pool.
    pub fn with_identity_pool(mut self, identity_pool_id: impl Into<String>) -> AuthConfig {
        self.identity_pool_id = Some(identity_pool_id.into());
        self
    }

    /// Sets a Cognito-compatible endpoint.
    pub fn with_endpoint_url(mut self, endpoint_url: impl Into<String>) -> AuthConfig {
        self.endpoint_url = Some(endpoint_url.into());
        self
    }

    /// Sets the hosted UI.
    pub fn with_oauth(mut self, oauth: OAuthConfig) -> AuthConfig {
        self.oauth = Some(oauth);
        self
    }

    /// Sets the refresh margin.
    pub fn with_refresh_margin(mut self, margin: Duration) -> AuthConfig {
        self.refresh_margin = margin;
        self
    }

    pub(crate) fn validate(&self) -> Result<(), AuthError> {
        if self.user_pool_id.split_once('_').is_none_or(|(region, name)| region.is_empty() || name.is_empty()) {
            return Err(AuthError::Configuration(format!("`{}` is not a user pool id", self.user_pool_id)));
        }
        if self.client_id.is_empty() {
            return Err(AuthError::Configuration("the client id is empty".into()));
        }
        Ok(())
    }
}

fn host_url(domain: &str) -> String {
    if domain.starts_with("http://") || domain.starts_with("https://") {
        domain.trim_end_matches('/').to_string()
    } else {
        format!("https://{}", domain.trim_end_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outputs() -> AmplifyOutputs {
        AmplifyOutputs::from_json(
            r#"{
  "version": "1.4",
  "auth": {
    "aws_region": "eu-west-1",
    "user_pool_id": "eu-west-1_Pool1",
    "user_pool_client_id": "webclient",
    "identity_pool_id": "eu-west-1:1111",
    "oauth": {"identity_providers": [], "domain": "app.auth.eu-west-1.amazoncognito.com", "scopes": ["openid"],
              "redirect_sign_in_uri": ["http://127.0.0.1/cb"], "redirect_sign_out_uri": ["http://127.0.0.1/out"],
              "response_type": "code"}
  },
  "custom": {"cognito_auth": {"user_pool_name": "p", "default_client": "web",
    "clients": {"web": {"client_id": "webclient", "has_secret": false, "auth_flows": []},
                "cli": {"client_id": "cliclient", "has_secret": true, "auth_flows": [], "oauth_flows": ["code"],
                        "oauth_scopes": ["openid", "email"], "callback_urls": ["http://127.0.0.1:0/callback"]}},
    "domain": "app.auth.eu-west-1.amazoncognito.com", "endpoint_url": "http://127.0.0.1:9229"}}
}"#,
        )
        .unwrap()
    }

    #[test]
    fn reads_the_default_and_a_named_client() {
        let config = AuthConfig::from_outputs(&outputs()).unwrap();
        assert_eq!(config.client_id, "webclient");
        assert_eq!(config.region, "eu-west-1");
        assert_eq!(config.identity_pool_id.as_deref(), Some("eu-west-1:1111"));
        assert_eq!(config.endpoint_url.as_deref(), Some("http://127.0.0.1:9229"));
        // Deployed to a local server, the hosted UI is served by that server.
        assert_eq!(config.oauth.as_ref().unwrap().base_url, "http://127.0.0.1:9229");
        let cli = AuthConfig::from_outputs_client(&outputs(), "cli").unwrap();
        assert_eq!(cli.client_id, "cliclient");
        assert_eq!(cli.oauth.unwrap().scopes, vec!["openid", "email"]);
        assert!(matches!(AuthConfig::from_outputs_client(&outputs(), "nope"), Err(AuthError::Configuration(_))));
    }

    #[test]
    fn rejects_a_bad_pool_id() {
        assert!(AuthConfig::new("r", "nounderscore", "c").validate().is_err());
        assert!(AuthConfig::new("r", "r_", "c").validate().is_err());
        assert!(AuthConfig::new("r", "r_x", "").validate().is_err());
        assert!(AuthConfig::new("r", "r_x", "c").validate().is_ok());
        assert_eq!(host_url("a.example"), "https://a.example");
    }
}
