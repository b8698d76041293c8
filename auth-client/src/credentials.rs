//! AWS credentials from the identity pool: guest, the signed-in user's (federating the ID token),
//! or a federated provider's; cached, refreshed before expiry, and usable by any AWS SDK client
//! through [`CognitoCredentialsProvider`].

use crate::client::AuthClient;
use crate::error::AuthError;
use crate::events::UserState;
use crate::secret::Secret;
use aws_credential_types::provider::{self, ProvideCredentials, error::CredentialsError};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// Credentials are refreshed this long before they expire.
const CREDENTIALS_MARGIN: Duration = Duration::from_secs(300);

/// Temporary AWS credentials. `Debug` hides the secret parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsCredentials {
    /// The access key id.
    pub access_key_id: String,
    /// The secret key.
    pub secret_access_key: Secret,
    /// The session token.
    pub session_token: Secret,
    /// When they expire.
    pub expiration: Option<SystemTime>,
    /// The identity they belong to.
    pub identity_id: String,
    /// Whether they are a signed-in (or federated) user's, not a guest's.
    pub authenticated: bool,
}

/// An external identity provider for [`AuthClient::federated_sign_in`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FederatedProvider {
    /// Google (`accounts.google.com`), with an ID token.
    Google,
    /// Facebook (`graph.facebook.com`), with an access token.
    Facebook,
    /// Login with Amazon (`www.amazon.com`).
    Amazon,
    /// Sign in with Apple (`appleid.apple.com`).
    Apple,
    /// An OIDC provider registered in IAM, by issuer (`https://issuer.example.com`).
    Oidc(String),
    /// A SAML provider, by ARN.
    Saml(String),
    /// Developer-authenticated identities: your backend's `GetOpenIdTokenForDeveloperIdentity`
    /// gave this identity id and token.
    Developer {
        /// The identity id your backend got.
        identity_id: String,
    },
}

impl FederatedProvider {
    /// The `Logins` key.
    pub fn login_key(&self) -> String {
        match self {
            FederatedProvider::Google => "accounts.google.com".into(),
            FederatedProvider::Facebook => "graph.facebook.com".into(),
            FederatedProvider::Amazon => "www.amazon.com".into(),
            FederatedProvider::Apple => "appleid.apple.com".into(),
            FederatedProvider::Oidc(issuer) => {
                issuer.trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/').to_string()
            }
            FederatedProvider::Saml(arn) => arn.clone(),
            FederatedProvider::Developer { .. } => "cognito-identity.amazonaws.com".into(),
        }
    }
}

/// Gives a fresh provider token when the old one has expired.
pub type RefreshHandler =
    Arc<dyn Fn() -> Pin<Box<dyn Future<Output = Result<String, AuthError>> + Send>> + Send + Sync>;

#[derive(Clone)]
struct Federation {
    provider: FederatedProvider,
    token: Secret,
    refresh: Option<RefreshHandler>,
}

#[derive(Default)]
struct State {
    guest_identity: Option<String>,
    user_identity: Option<String>,
    credentials: Option<AwsCredentials>,
    federation: Option<Federation>,
}

/// The cache behind [`AuthClient::fetch_aws_credentials`].
#[derive(Default)]
pub(crate) struct CredentialsCache {
    state: Mutex<State>,
    fetch: tokio::sync::Mutex<()>,
}

impl CredentialsCache {
    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        match self.state.lock() {
            Ok(mut state) => f(&mut state),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }

    /// Forgets everything but the guest identity (sign-in, sign-out).
    pub(crate) fn clear(&self) {
        self.with(|state| {
            state.user_identity = None;
            state.credentials = None;
            state.federation = None;
        });
    }

    /// Forgets authenticated credentials (new tokens: the next fetch federates them).
    pub(crate) fn clear_authenticated(&self) {
        self.with(|state| {
            if state.credentials.as_ref().is_some_and(|credentials| credentials.authenticated) {
                state.credentials = None;
            }
        });
    }
}

impl AuthClient {
    fn identity_pool_id(&self) -> Result<&str, AuthError> {
        self.inner
            .config
            .identity_pool_id
            .as_deref()
            .ok_or_else(|| AuthError::Configuration("no identity pool is configured".into()))
    }

    fn user_pool_login_key(&self) -> String {
        format!("cognito-idp.{}.amazonaws.com/{}", self.inner.config.region, self.inner.config.user_pool_id)
    }

    /// Signs in to the identity pool with an external provider's token; `refresh` is asked for a
    /// new token when the identity pool rejects the old one.
    pub async fn federated_sign_in(
        &self,
        provider: FederatedProvider,
        token: &str,
        refresh: Option<RefreshHandler>,
    ) -> Result<AwsCredentials, AuthError> {
        self.identity_pool_id()?;
        let identity = match &provider {
            FederatedProvider::Developer { identity_id } => Some(identity_id.clone()),
            _ => None,
        };
        self.inner.credentials.with(|state| {
            state.federation = Some(Federation { provider, token: Secret::new(token), refresh });
            state.user_identity = identity;
            state.credentials = None;
        });
        let credentials = self.fetch_aws_credentials(true).await?;
        self.inner.events.set_state(UserState::SignedIn);
        Ok(credentials)
    }

    /// The identity id of the current identity (guest, user or federated), creating it if needed.
    pub async fn identity_id(&self) -> Result<String, AuthError> {
        Ok(self.fetch_aws_credentials(false).await?.identity_id)
    }

    /// AWS credentials for the signed-in user (authenticated role), a federated user, or a guest
    /// (unauthenticated role) when nobody is signed in. Cached until five minutes before expiry.
    pub async fn fetch_aws_credentials(&self, force_refresh: bool) -> Result<AwsCredentials, AuthError> {
        let identity_pool_id = self.identity_pool_id()?.to_string();
        let now = self.now();
        let fresh = |credentials: &AwsCredentials| {
            credentials.expiration.is_none_or(|expiration| expiration > now + CREDENTIALS_MARGIN)
        };
        if !force_refresh
            && let Some(credentials) = self.inner.credentials.with(|state| state.credentials.clone())
            && fresh(&credentials)
        {
            return Ok(credentials);
        }
        let _single_flight = self.inner.credentials.fetch.lock().await;
        if !force_refresh
            && let Some(credentials) = self.inner.credentials.with(|state| state.credentials.clone())
            && fresh(&credentials)
        {
            return Ok(credentials);
        }
        let federation = self.inner.credentials.with(|state| state.federation.clone());
        let signed_in = self.cached_tokens().is_some();
        let credentials = match (federation, signed_in) {
            (Some(federation), _) => self.federated_credentials(&identity_pool_id, federation).await?,
            (None, true) => {
                let tokens = self.current_session().await?;
                let logins = HashMap::from([(self.user_pool_login_key(), tokens.id_token.expose().to_string())]);
                let identity = self.inner.credentials.with(|state| state.user_identity.clone());
                let identity = match identity {
                    Some(identity) => identity,
                    None => self.get_id(&identity_pool_id, Some(logins.clone())).await?,
                };
                self.inner.credentials.with(|state| state.user_identity = Some(identity.clone()));
                self.credentials_for(&identity, Some(logins), true).await?
            }
            (None, false) => {
                let stored_key = format!("CognitoIdentity.{identity_pool_id}.guestIdentityId");
                let identity = match self.inner.credentials.with(|state| state.guest_identity.clone()) {
                    Some(identity) => identity,
                    None => match self.inner.storage.get(&stored_key).await? {
                        Some(identity) => identity,
                        None => {
                            let identity = self.get_id(&identity_pool_id, None).await?;
                            self.inner.storage.set(&stored_key, identity.clone()).await?;
                            identity
                        }
                    },
                };
                self.inner.credentials.with(|state| state.guest_identity = Some(identity.clone()));
                let credentials = self.credentials_for(&identity, None, false).await?;
                self.inner.events.set_state(UserState::Guest);
                credentials
            }
        };
        self.inner.credentials.with(|state| state.credentials = Some(credentials.clone()));
        Ok(credentials)
    }

    async fn federated_credentials(
        &self,
        identity_pool_id: &str,
        mut federation: Federation,
    ) -> Result<AwsCredentials, AuthError> {
        let mut refreshed = false;
        loop {
            let logins = HashMap::from([(federation.provider.login_key(), federation.token.expose().to_string())]);
            let identity = match self.inner.credentials.with(|state| state.user_identity.clone()) {
                Some(identity) => Ok(identity),
                None => self.get_id(identity_pool_id, Some(logins.clone())).await,
            };
            let result = match identity {
                Ok(identity) => {
                    self.inner.credentials.with(|state| state.user_identity = Some(identity.clone()));
                    self.credentials_for(&identity, Some(logins), true).await
                }
                Err(error) => Err(error),
            };
            match (result, &federation.refresh) {
                (Err(AuthError::NotAuthorized(_)), Some(refresh)) if !refreshed => {
                    federation.token = Secret::new(refresh().await?);
                    refreshed = true;
                    let updated = federation.clone();
                    self.inner.credentials.with(|state| state.federation = Some(updated));
                }
                (Err(AuthError::NotAuthorized(message)), _) => {
                    self.inner.events.set_state(UserState::SignedOutFederatedTokensInvalid);
                    return Err(AuthError::NotAuthorized(message));
                }
                (result, _) => return result,
            }
        }
    }

    async fn get_id(
        &self,
        identity_pool_id: &str,
        logins: Option<HashMap<String, String>>,
    ) -> Result<String, AuthError> {
        let output = self.inner.identity.get_id().identity_pool_id(identity_pool_id).set_logins(logins).send().await?;
        output
            .identity_id()
            .map(str::to_string)
            .ok_or_else(|| AuthError::InvalidResponse("GetId returned no identity".into()))
    }

    async fn credentials_for(
        &self,
        identity_id: &str,
        logins: Option<HashMap<String, String>>,
        authenticated: bool,
    ) -> Result<AwsCredentials, AuthError> {
        let output = self
            .inner
            .identity
            .get_credentials_for_identity()
            .identity_id(identity_id)
            .set_logins(logins)
            .send()
            .await?;
        let credentials = output
            .credentials()
            .ok_or_else(|| AuthError::InvalidResponse("GetCredentialsForIdentity returned no credentials".into()))?;
        let (Some(access_key_id), Some(secret), Some(session)) =
            (credentials.access_key_id(), credentials.secret_key(), credentials.session_token())
        else {
            return Err(AuthError::InvalidResponse("incomplete credentials".into()));
        };
        Ok(AwsCredentials {
            access_key_id: access_key_id.to_string(),
            secret_access_key: Secret::new(secret),
            session_token: Secret::new(session),
            expiration: credentials.expiration().and_then(|at| SystemTime::try_from(*at).ok()),
            identity_id: output.identity_id().unwrap_or(identity_id).to_string(),
            authenticated,
        })
    }

    /// A credentials provider for AWS SDK clients, backed by this client's identity pool.
    pub fn credentials_provider(&self) -> CognitoCredentialsProvider {
        CognitoCredentialsProvider { client: self.clone() }
    }
}

/// `ProvideCredentials` over [`AuthClient::fetch_aws_credentials`]: give it to an SDK config
/// (`aws_config::defaults(..).credentials_provider(auth.credentials_provider())`).
#[derive(Debug, Clone)]
pub struct CognitoCredentialsProvider {
    client: AuthClient,
}

impl ProvideCredentials for CognitoCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        provider::future::ProvideCredentials::new(async move {
            let credentials =
                self.client.fetch_aws_credentials(false).await.map_err(CredentialsError::provider_error)?;
            Ok(aws_credential_types::Credentials::new(
                credentials.access_key_id,
                credentials.secret_access_key.expose(),
                Some(credentials.session_token.expose().to_string()),
                credentials.expiration,
                "CognitoIdentityPool",
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_keys_follow_the_identity_pool_conventions() {
        assert_eq!(FederatedProvider::Google.login_key(), "accounts.google.com");
        assert_eq!(FederatedProvider::Oidc("https://issuer.example.com/".into()).login_key(), "issuer.example.com");
        assert_eq!(
            FederatedProvider::Developer { identity_id: "x".into() }.login_key(),
            "cognito-identity.amazonaws.com"
        );
    }
}
