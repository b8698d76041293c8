//! [`AuthClient`]: the async driver around the pure parts. Each method sends Cognito's operations
//! through the AWS SDK and lets the sign-in machine, the session cache and the stores decide.

use crate::clock::{Clock, SystemClock};
use crate::config::AuthConfig;
use crate::error::AuthError;
use crate::events::{AuthEvent, Events, UserState};
use crate::flows::sign_in::{
    AuthenticationResult, ChallengeAnswer, DeviceSecrets, NewDeviceMetadata, Request, Response, SignIn, SignInContext,
    SignInInput, SignInNextStep, Step,
};
use crate::secret::Secret;
use crate::session::SessionCache;
use crate::storage::{KeyValueStorage, MemoryStorage};
use crate::tokens::Tokens;
use aws_sdk_cognitoidentity as identity;
use aws_sdk_cognitoidentityprovider as idp;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use tokio::sync::{Mutex, broadcast, watch};

/// The client. Cheap to clone: clones share the session, the store and the event channel.
#[derive(Clone)]
pub struct AuthClient {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for AuthClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthClient")
            .field("user_pool_id", &self.inner.config.user_pool_id)
            .field("client_id", &self.inner.config.client_id)
            .field("state", &self.inner.events.state())
            .finish_non_exhaustive()
    }
}

pub(crate) struct Inner {
    pub(crate) config: AuthConfig,
    pub(crate) idp: idp::Client,
    pub(crate) identity: identity::Client,
    pub(crate) storage: Arc<dyn KeyValueStorage>,
    pub(crate) session: SessionCache,
    pub(crate) events: Events,
    pub(crate) pending: Mutex<Option<SignIn>>,
    pub(crate) auto_sign_in: Mutex<Option<(String, Secret)>>,
    pub(crate) credentials: crate::credentials::CredentialsCache,
    pub(crate) http: crate::oauth::HttpClient,
}

/// Builds an [`AuthClient`].
#[must_use]
pub struct AuthClientBuilder {
    config: AuthConfig,
    storage: Option<Arc<dyn KeyValueStorage>>,
    clock: Option<Arc<dyn Clock>>,
    sdk_config: Option<aws_config::SdkConfig>,
    idp: Option<idp::Client>,
}

impl AuthClientBuilder {
    /// Where the session persists (default: in memory).
    pub fn storage(mut self, storage: Arc<dyn KeyValueStorage>) -> Self {
        self.storage = Some(storage);
        self
    }

    /// The clock (default: the system clock).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// An SDK configuration to use (HTTP client, retries, timeouts); the region and endpoint of the
    /// [`AuthConfig`] still apply. Without it a default one is loaded; Cognito's user operations
    /// are unsigned, so no AWS credentials are needed.
    pub fn sdk_config(mut self, sdk_config: aws_config::SdkConfig) -> Self {
        self.sdk_config = Some(sdk_config);
        self
    }

    /// A ready user pool SDK client (with your interceptors); overrides [`Self::sdk_config`] for the
    /// user pool.
    pub fn user_pool_client(mut self, client: idp::Client) -> Self {
        self.idp = Some(client);
        self
    }

    /// Builds the client and resumes a session from the store.
    pub async fn build(self) -> Result<AuthClient, AuthError> {
        self.config.validate()?;
        let config = self.config;
        let sdk_config = match self.sdk_config {
            Some(sdk_config) => sdk_config,
            None => {
                aws_config::defaults(aws_config::BehaviorVersion::latest())
                    .region(aws_config::Region::new(config.region.clone()))
                    .no_credentials()
                    .load()
                    .await
            }
        };
        let region = aws_config::Region::new(config.region.clone());
        let idp = match self.idp {
            Some(client) => client,
            None => {
                let mut builder = idp::config::Builder::from(&sdk_config).region(region.clone());
                if let Some(endpoint) = &config.endpoint_url {
                    builder = builder.endpoint_url(endpoint);
                }
                idp::Client::from_conf(builder.build())
            }
        };
        let mut identity_builder = identity::config::Builder::from(&sdk_config).region(region);
        if let Some(endpoint) = &config.endpoint_url {
            identity_builder = identity_builder.endpoint_url(endpoint);
        }
        let clock = self.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let client = AuthClient {
            inner: Arc::new(Inner {
                session: SessionCache::new(clock, config.refresh_margin),
                idp,
                identity: identity::Client::from_conf(identity_builder.build()),
                storage: self.storage.unwrap_or_else(|| Arc::new(MemoryStorage::new())),
                events: Events::new(),
                pending: Mutex::new(None),
                auto_sign_in: Mutex::new(None),
                credentials: crate::credentials::CredentialsCache::default(),
                http: crate::oauth::HttpClient::new()?,
                config,
            }),
        };
        client.resume().await?;
        Ok(client)
    }
}

const PREFIX: &str = "CognitoIdentityServiceProvider";

impl AuthClient {
    /// A builder for a configuration.
    pub fn builder(config: AuthConfig) -> AuthClientBuilder {
        AuthClientBuilder { config, storage: None, clock: None, sdk_config: None, idp: None }
    }

    /// The configuration.
    pub fn config(&self) -> &AuthConfig {
        &self.inner.config
    }

    pub(crate) fn now(&self) -> std::time::SystemTime {
        self.inner.session.clock().now()
    }

    fn session_key(&self) -> String {
        format!("{PREFIX}.{}.session", self.inner.config.client_id)
    }

    fn device_key_for(&self, username: &str) -> String {
        format!("{PREFIX}.{}.{username}.device", self.inner.config.client_id)
    }

    pub(crate) fn context(&self) -> SignInContext {
        SignInContext {
            user_pool_id: self.inner.config.user_pool_id.clone(),
            client_id: self.inner.config.client_id.clone(),
            client_secret: self.inner.config.client_secret.clone(),
        }
    }

    pub(crate) fn secret_hash(&self, username: &str) -> Option<String> {
        self.context().secret_hash(username)
    }

    async fn resume(&self) -> Result<(), AuthError> {
        let stored = self.inner.storage.get(&self.session_key()).await?;
        let tokens = stored.and_then(|text| serde_json::from_str::<Tokens>(&text).ok());
        let state = if tokens.is_some() { UserState::SignedIn } else { UserState::SignedOut };
        self.inner.session.set(tokens);
        self.inner.events.set_state(state);
        Ok(())
    }

    // ---- events ----

    /// A subscription to auth events (the Hub's `auth` channel).
    pub fn subscribe(&self) -> broadcast::Receiver<AuthEvent> {
        self.inner.events.subscribe()
    }

    /// The user state now.
    pub fn user_state(&self) -> UserState {
        self.inner.events.state()
    }

    /// A watch on the user state.
    pub fn watch_user_state(&self) -> watch::Receiver<UserState> {
        self.inner.events.watch_state()
    }

    // ---- sign-in ----

    /// Signs in with the default flow (`USER_SRP_AUTH`): the password never leaves the device.
    pub async fn sign_in(&self, username: &str, password: &str) -> Result<SignInNextStep, AuthError> {
        self.sign_in_with(SignInInput {
            username: username.to_string(),
            password: Some(Secret::new(password)),
            ..SignInInput::default()
        })
        .await
    }

    /// Signs in with a chosen flow and client metadata.
    pub async fn sign_in_with(&self, input: SignInInput) -> Result<SignInNextStep, AuthError> {
        let result = self.sign_in_inner(input).await;
        if let Err(error) = &result {
            self.inner.events.emit(AuthEvent::SignInFailure(error.clone()));
        }
        result
    }

    async fn sign_in_inner(&self, input: SignInInput) -> Result<SignInNextStep, AuthError> {
        let mut pending = self.inner.pending.lock().await;
        *pending = None;
        let device = self.stored_device(&input.username).await?;
        let typed_username = input.username.clone();
        let (mut machine, request) = SignIn::start(self.context(), input, device)?;
        let step = self.drive(&mut machine, request, &typed_username).await?;
        if machine.is_waiting() {
            *pending = Some(machine);
        }
        Ok(step)
    }

    /// Answers the pending sign-in step: a code, an MFA choice, a new password, a custom answer.
    /// A wrong code leaves the step open for another try.
    pub async fn confirm_sign_in(&self, answer: impl Into<ChallengeAnswer>) -> Result<SignInNextStep, AuthError> {
        let result = self.confirm_sign_in_inner(answer.into()).await;
        if let Err(error) = &result {
            self.inner.events.emit(AuthEvent::SignInFailure(error.clone()));
        }
        result
    }

    async fn confirm_sign_in_inner(&self, answer: ChallengeAnswer) -> Result<SignInNextStep, AuthError> {
        let mut pending = self.inner.pending.lock().await;
        let mut machine =
            pending.take().ok_or_else(|| AuthError::InvalidState("no sign-in is waiting for an answer".into()))?;
        let request = match machine.answer(answer) {
            Ok(request) => request,
            Err(error) => {
                *pending = Some(machine);
                return Err(error);
            }
        };
        let typed = machine.user_id().to_string();
        let step = self.drive(&mut machine, request, &typed).await;
        if machine.is_waiting() {
            *pending = Some(machine);
        }
        step
    }

    async fn drive(
        &self,
        machine: &mut SignIn,
        mut request: Request,
        typed_username: &str,
    ) -> Result<SignInNextStep, AuthError> {
        loop {
            let response = self.send(request).await;
            match machine.handle(response, self.now())? {
                Step::Send(next) => request = next,
                Step::Wait(step) => return Ok(step),
                Step::Done(result) => {
                    if machine.device_rejected() {
                        self.inner.storage.remove(&self.device_key_for(typed_username)).await?;
                        self.inner.storage.remove(&self.device_key_for(machine.user_id())).await?;
                    }
                    self.complete_sign_in(result, typed_username, false).await?;
                    return Ok(SignInNextStep::Done);
                }
            }
        }
    }

    /// Stores the tokens of a finished sign-in, confirms a new device, and announces it.
    pub(crate) async fn complete_sign_in(
        &self,
        result: AuthenticationResult,
        typed_username: &str,
        hosted_ui: bool,
    ) -> Result<(), AuthError> {
        let mut tokens = Tokens::from_jwts(
            result.id_token.expose().to_string(),
            result.access_token.expose().to_string(),
            result.refresh_token.map(|token| token.expose().to_string()),
            result.expires_in,
            self.now(),
        )?;
        tokens.hosted_ui = hosted_ui;
        if let Some(device) = result.new_device {
            self.confirm_new_device(&tokens, device, typed_username).await?;
        }
        self.store_tokens(&tokens).await?;
        let username = tokens.username.clone();
        self.inner.session.set(Some(tokens));
        self.inner.credentials.clear();
        self.inner.events.set_state(UserState::SignedIn);
        self.inner.events.emit(AuthEvent::SignedIn { username });
        Ok(())
    }

    pub(crate) async fn store_tokens(&self, tokens: &Tokens) -> Result<(), AuthError> {
        let text = serde_json::to_string(tokens).map_err(|error| AuthError::Storage(error.to_string()))?;
        self.inner.storage.set(&self.session_key(), text).await
    }

    async fn confirm_new_device(
        &self,
        tokens: &Tokens,
        device: NewDeviceMetadata,
        typed_username: &str,
    ) -> Result<(), AuthError> {
        let verifier = crate::srp::DeviceVerifier::generate(&device.device_group_key, &device.device_key)?;
        let config = idp::types::DeviceSecretVerifierConfigType::builder()
            .password_verifier(&verifier.verifier_b64)
            .salt(&verifier.salt_b64)
            .build();
        self.inner
            .idp
            .confirm_device()
            .access_token(tokens.access_token.expose())
            .device_key(&device.device_key)
            .device_secret_verifier_config(config)
            .device_name(&self.inner.config.device_name)
            .send()
            .await?;
        let secrets = DeviceSecrets {
            device_key: device.device_key,
            device_group_key: device.device_group_key,
            device_password: verifier.password,
        };
        let text = serde_json::to_string(&secrets).map_err(|error| AuthError::Storage(error.to_string()))?;
        self.inner.storage.set(&self.device_key_for(&tokens.username), text.clone()).await?;
        if typed_username != tokens.username {
            self.inner.storage.set(&self.device_key_for(typed_username), text).await?;
        }
        Ok(())
    }

    /// The device secrets remembered for a user, if any.
    pub(crate) async fn stored_device(&self, username: &str) -> Result<Option<DeviceSecrets>, AuthError> {
        Ok(self
            .inner
            .storage
            .get(&self.device_key_for(username))
            .await?
            .and_then(|text| serde_json::from_str(&text).ok()))
    }

    pub(crate) async fn forget_stored_device(&self, username: &str) -> Result<(), AuthError> {
        self.inner.storage.remove(&self.device_key_for(username)).await
    }

    /// The device key of this device for the signed-in user, when the pool tracks devices.
    pub async fn current_device_key(&self) -> Result<Option<String>, AuthError> {
        let tokens = self.inner.session.cached().ok_or(AuthError::SignedOut)?;
        Ok(self.stored_device(&tokens.username).await?.map(|device| device.device_key))
    }

    /// Sends one request of the sign-in machine.
    async fn send(&self, request: Request) -> Response {
        let result = self.send_inner(request).await;
        result.unwrap_or_else(Response::Error)
    }

    async fn send_inner(&self, request: Request) -> Result<Response, AuthError> {
        let idp = &self.inner.idp;
        let metadata =
            |map: BTreeMap<String, String>| (!map.is_empty()).then(|| map.into_iter().collect::<HashMap<_, _>>());
        match request {
            Request::InitiateAuth { auth_flow, parameters, client_metadata } => {
                let output = idp
                    .initiate_auth()
                    .client_id(&self.inner.config.client_id)
                    .auth_flow(idp::types::AuthFlowType::from(auth_flow))
                    .set_auth_parameters(Some(parameters.into_iter().collect()))
                    .set_client_metadata(metadata(client_metadata))
                    .send()
                    .await?;
                Ok(auth_response(
                    output.challenge_name(),
                    output.session(),
                    output.challenge_parameters(),
                    output.authentication_result(),
                ))
            }
            Request::RespondToAuthChallenge { challenge_name, session, responses, client_metadata } => {
                let output = idp
                    .respond_to_auth_challenge()
                    .client_id(&self.inner.config.client_id)
                    .challenge_name(idp::types::ChallengeNameType::from(challenge_name.as_str()))
                    .set_session(session)
                    .set_challenge_responses(Some(responses.into_iter().collect()))
                    .set_client_metadata(metadata(client_metadata))
                    .send()
                    .await?;
                Ok(auth_response(
                    output.challenge_name(),
                    output.session(),
                    output.challenge_parameters(),
                    output.authentication_result(),
                ))
            }
            Request::AssociateSoftwareToken { session } => {
                let output = idp.associate_software_token().set_session(session).send().await?;
                let secret_code = output
                    .secret_code()
                    .ok_or_else(|| AuthError::InvalidResponse("AssociateSoftwareToken returned no secret".into()))?;
                Ok(Response::SecretCode {
                    secret_code: Secret::new(secret_code),
                    session: output.session().map(str::to_string),
                })
            }
            Request::VerifySoftwareToken { session, code } => {
                let output = idp.verify_software_token().set_session(session).user_code(code).send().await?;
                Ok(Response::Verified {
                    status: output.status().map(|status| status.as_str().to_string()).unwrap_or_default(),
                    session: output.session().map(str::to_string),
                })
            }
        }
    }

    // ---- session ----

    /// Valid tokens of the signed-in user, refreshed when about to expire. Many concurrent
    /// callers cause one refresh. Offline, the refresh fails with [`AuthError::Network`] and the
    /// tokens are kept; a revoked or expired refresh token gives [`AuthError::SessionExpired`].
    pub async fn current_session(&self) -> Result<Arc<Tokens>, AuthError> {
        if let Some(tokens) = self.inner.session.valid() {
            return Ok(tokens);
        }
        self.inner.session.current(&self.inner.events, |stale| self.refresh(stale)).await
    }

    /// The cached tokens without refreshing (possibly expired).
    pub fn cached_tokens(&self) -> Option<Arc<Tokens>> {
        self.inner.session.cached()
    }

    /// Refreshes now, whatever the expiry (single-flight like [`Self::current_session`]).
    pub async fn refresh_session(&self) -> Result<Arc<Tokens>, AuthError> {
        let stale = self.inner.session.cached().ok_or(AuthError::SignedOut)?;
        let fresh = self.refresh(stale).await;
        match fresh {
            Ok(tokens) => {
                self.inner.session.set(Some(tokens));
                self.inner.events.emit(AuthEvent::TokenRefresh);
                self.inner.session.cached().ok_or(AuthError::SignedOut)
            }
            Err(error) => Err(error),
        }
    }

    async fn refresh(&self, stale: Arc<Tokens>) -> Result<Tokens, AuthError> {
        let refresh_token = stale.refresh_token.as_ref().ok_or(AuthError::SessionExpired)?;
        let mut fresh = if stale.hosted_ui {
            self.oauth_refresh(refresh_token).await?
        } else {
            let mut parameters = HashMap::from([("REFRESH_TOKEN".to_string(), refresh_token.expose().to_string())]);
            if let Some(hash) = self.secret_hash(&stale.username) {
                parameters.insert("SECRET_HASH".to_string(), hash);
            }
            if let Some(device) = self.stored_device(&stale.username).await? {
                parameters.insert("DEVICE_KEY".to_string(), device.device_key);
            }
            let output = self
                .inner
                .idp
                .initiate_auth()
                .client_id(&self.inner.config.client_id)
                .auth_flow(idp::types::AuthFlowType::RefreshTokenAuth)
                .set_auth_parameters(Some(parameters))
                .send()
                .await?;
            let result = output
                .authentication_result()
                .ok_or_else(|| AuthError::InvalidResponse("a refresh without tokens".into()))?;
            let (Some(id), Some(access)) = (result.id_token(), result.access_token()) else {
                return Err(AuthError::InvalidResponse("a refresh without tokens".into()));
            };
            Tokens::from_jwts(
                id.to_string(),
                access.to_string(),
                result.refresh_token().map(str::to_string),
                Some(i64::from(result.expires_in())),
                self.now(),
            )?
        };
        if fresh.refresh_token.is_none() {
            fresh.refresh_token = stale.refresh_token.clone();
        }
        fresh.hosted_ui = stale.hosted_ui;
        self.store_tokens(&fresh).await?;
        self.inner.credentials.clear_authenticated();
        Ok(fresh)
    }

    /// The signed-in user's access token, refreshed as needed.
    pub(crate) async fn access_token(&self) -> Result<String, AuthError> {
        Ok(self.current_session().await?.access_token.expose().to_string())
    }

    // ---- sign-out ----

    /// Signs out: with `global`, every session of the user ends (`GlobalSignOut`); the refresh
    /// token is revoked (`RevokeToken`) unless `global` already did it. The local session is
    /// cleared even when the network calls fail; their error is returned after.
    pub async fn sign_out(&self, options: SignOutOptions) -> Result<(), AuthError> {
        let tokens = self.inner.session.cached();
        let mut failure = None;
        if let Some(tokens) = &tokens {
            if options.global {
                if let Err(error) =
                    self.inner.idp.global_sign_out().access_token(tokens.access_token.expose()).send().await
                {
                    failure = Some(AuthError::from(error));
                }
            } else if options.revoke_token
                && let Some(refresh) = &tokens.refresh_token
                && let Err(error) = self.revoke(refresh).await
            {
                failure = Some(error);
            }
        }
        self.clear_local_session().await?;
        *self.inner.pending.lock().await = None;
        self.inner.events.set_state(UserState::SignedOut);
        self.inner.events.emit(AuthEvent::SignedOut);
        match failure {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    pub(crate) async fn revoke(&self, token: &Secret) -> Result<(), AuthError> {
        self.inner
            .idp
            .revoke_token()
            .client_id(&self.inner.config.client_id)
            .token(token.expose())
            .set_client_secret(self.inner.config.client_secret.as_ref().map(|secret| secret.expose().to_string()))
            .send()
            .await?;
        Ok(())
    }

    async fn clear_local_session(&self) -> Result<(), AuthError> {
        self.inner.session.set(None);
        self.inner.credentials.clear();
        self.inner.storage.remove(&self.session_key()).await
    }
}

/// How to sign out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignOutOptions {
    /// End every session of the user (`GlobalSignOut`).
    pub global: bool,
    /// Revoke the refresh token (`RevokeToken`), as Amplify does by default.
    pub revoke_token: bool,
}

impl Default for SignOutOptions {
    fn default() -> Self {
        SignOutOptions { global: false, revoke_token: true }
    }
}

impl SignOutOptions {
    /// Only forget the tokens on this device.
    pub fn local() -> SignOutOptions {
        SignOutOptions { global: false, revoke_token: false }
    }

    /// Sign out everywhere.
    pub fn global() -> SignOutOptions {
        SignOutOptions { global: true, revoke_token: false }
    }
}

fn auth_response(
    challenge_name: Option<&idp::types::ChallengeNameType>,
    session: Option<&str>,
    parameters: Option<&HashMap<String, String>>,
    result: Option<&idp::types::AuthenticationResultType>,
) -> Response {
    let result = result.and_then(|result| {
        Some(AuthenticationResult {
            id_token: Secret::new(result.id_token()?),
            access_token: Secret::new(result.access_token()?),
            refresh_token: result.refresh_token().map(Secret::new),
            expires_in: Some(i64::from(result.expires_in())),
            new_device: result.new_device_metadata().and_then(|device| {
                Some(NewDeviceMetadata {
                    device_key: device.device_key()?.to_string(),
                    device_group_key: device.device_group_key()?.to_string(),
                })
            }),
        })
    });
    Response::Auth {
        challenge_name: challenge_name.map(|name| name.as_str().to_string()),
        session: session.map(str::to_string),
        parameters: parameters.map(|parameters| parameters.clone().into_iter().collect()).unwrap_or_default(),
        result,
    }
}
