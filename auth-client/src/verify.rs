//! Verifying Cognito tokens a server receives: the RS256 signature against the pool's JWKS
//! (fetched once, refetched when a new key id appears), the issuer, the audience (`aud` of id
//! tokens, `client_id` of access tokens), `token_use` and expiry. This is what a Rust backend
//! calls to authorize a request; the typed claims of `#[auth_config]` build on it.

use crate::typed::ClaimsMap;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use std::collections::{BTreeSet, HashMap};
use std::sync::RwLock;
use std::time::{Duration, Instant};

/// Which token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenUse {
    /// An id token (`token_use: "id"`): who the user is.
    Id,
    /// An access token (`token_use: "access"`): what the caller may do.
    Access,
}

impl TokenUse {
    /// The `token_use` claim's value.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenUse::Id => "id",
            TokenUse::Access => "access",
        }
    }
}

/// Why a token was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// Not a JWT.
    #[error("not a JWT: {0}")]
    Malformed(String),
    /// Signed with a key the pool does not publish.
    #[error("the token's key `{0}` is not in the pool's JWKS")]
    UnknownKey(String),
    /// The signature, algorithm or a standard claim is wrong (`exp` included).
    #[error("the token is invalid: {0}")]
    Invalid(String),
    /// The token has expired.
    #[error("the token has expired")]
    Expired,
    /// Issued by another pool.
    #[error("the token was issued by {found}, not {expected}")]
    Issuer {
        /// This pool's issuer.
        expected: String,
        /// The token's.
        found: String,
    },
    /// Issued to a client this verifier does not accept.
    #[error("the token was issued to client `{0}`, which is not one of this pool's accepted clients")]
    Audience(String),
    /// An id token where an access token was expected, or the reverse.
    #[error("expected an {expected} token, got `{found}`")]
    TokenUse {
        /// What was expected.
        expected: &'static str,
        /// The token's `token_use`.
        found: String,
    },
    /// The JWKS could not be fetched or read.
    #[error("cannot get the pool's signing keys from {url}: {message}")]
    Jwks {
        /// The JWKS URL.
        url: String,
        /// Why.
        message: String,
    },
}

/// How long a JWKS fetch blocks another one for an unknown key id, so forged key ids cannot
/// make the verifier hammer the JWKS endpoint.
const REFETCH_INTERVAL: Duration = Duration::from_secs(60);

/// Verifies tokens of one user pool. Cheap to share (`Arc`); keys are cached.
pub struct TokenVerifier {
    issuer: String,
    jwks_url: String,
    client_ids: BTreeSet<String>,
    keys: RwLock<HashMap<String, DecodingKey>>,
    last_fetch: tokio::sync::Mutex<Option<Instant>>,
    http: crate::oauth::HttpClient,
    leeway: Duration,
}

impl std::fmt::Debug for TokenVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenVerifier")
            .field("issuer", &self.issuer)
            .field("jwks_url", &self.jwks_url)
            .field("client_ids", &self.client_ids)
            .finish()
    }
}

impl TokenVerifier {
    /// A verifier for the pool `user_pool_id` in `region`, accepting tokens issued to any of
    /// `client_ids`.
    pub fn new(
        region: &str,
        user_pool_id: &str,
        client_ids: impl IntoIterator<Item = impl Into<String>>,
    ) -> Result<TokenVerifier, VerifyError> {
        let issuer = format!("https://cognito-idp.{region}.amazonaws.com/{user_pool_id}");
        Ok(TokenVerifier {
            jwks_url: format!("{issuer}/.well-known/jwks.json"),
            issuer,
            client_ids: client_ids.into_iter().map(Into::into).collect(),
            keys: RwLock::new(HashMap::new()),
            last_fetch: tokio::sync::Mutex::new(None),
            http: crate::oauth::HttpClient::new()
                .map_err(|error| VerifyError::Jwks { url: String::new(), message: error.to_string() })?,
            leeway: Duration::from_secs(0),
        })
    }

    /// A verifier for the pool and every client in `amplify_outputs.json`, fetching keys from
    /// the local server when the outputs name one.
    pub fn from_outputs(outputs: &auth_spec::outputs::AmplifyOutputs) -> Result<TokenVerifier, VerifyError> {
        let auth = &outputs.auth;
        let mut clients: BTreeSet<String> = BTreeSet::from([auth.user_pool_client_id.clone()]);
        let mut verifier = TokenVerifier::new(&auth.aws_region, &auth.user_pool_id, std::iter::empty::<String>())?;
        if let Some(deployment) = outputs.deployment() {
            clients.extend(deployment.clients.values().map(|client| client.client_id.clone()));
            if let Some(endpoint) = &deployment.endpoint_url {
                verifier = verifier.with_endpoint_url(endpoint);
            }
        }
        verifier.client_ids = clients;
        Ok(verifier)
    }

    /// Fetches keys from a Cognito-compatible server at `endpoint_url` (the local server);
    /// tokens keep Cognito's issuer.
    pub fn with_endpoint_url(mut self, endpoint_url: &str) -> TokenVerifier {
        let pool_id = self.issuer.rsplit('/').next().unwrap_or_default().to_string();
        self.jwks_url = format!("{}/{pool_id}/.well-known/jwks.json", endpoint_url.trim_end_matches('/'));
        self
    }

    /// Tolerates this much clock skew on `exp` (default none).
    pub fn with_leeway(mut self, leeway: Duration) -> TokenVerifier {
        self.leeway = leeway;
        self
    }

    /// Uses these keys (a JWKS document) instead of fetching them first.
    pub fn with_jwks(self, jwks_json: &str) -> Result<TokenVerifier, VerifyError> {
        let keys =
            parse_jwks(jwks_json).map_err(|message| VerifyError::Jwks { url: "(given)".to_string(), message })?;
        if let Ok(mut cache) = self.keys.write() {
            cache.extend(keys);
        }
        Ok(self)
    }

    /// The issuer this verifier accepts.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Verifies `token` as a `expected` token of this pool and returns its claims.
    pub async fn verify(&self, token: &str, expected: TokenUse) -> Result<ClaimsMap, VerifyError> {
        let header = jsonwebtoken::decode_header(token).map_err(|error| VerifyError::Malformed(error.to_string()))?;
        if header.alg != Algorithm::RS256 {
            return Err(VerifyError::Invalid(format!("algorithm {:?}; Cognito signs with RS256", header.alg)));
        }
        let kid = header.kid.ok_or_else(|| VerifyError::Malformed("the header has no `kid`".to_string()))?;
        let key = match self.cached_key(&kid) {
            Some(key) => key,
            None => {
                self.refresh_keys().await?;
                self.cached_key(&kid).ok_or_else(|| VerifyError::UnknownKey(kid.clone()))?
            }
        };
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[self.issuer.as_str()]);
        validation.validate_aud = false;
        validation.leeway = self.leeway.as_secs();
        validation.set_required_spec_claims(&["exp", "iss"]);
        let data = jsonwebtoken::decode::<ClaimsMap>(token, &key, &validation).map_err(|error| match error.kind() {
            jsonwebtoken::errors::ErrorKind::ExpiredSignature => VerifyError::Expired,
            jsonwebtoken::errors::ErrorKind::InvalidIssuer => VerifyError::Issuer {
                expected: self.issuer.clone(),
                found: unverified_claim(token, "iss").unwrap_or_default(),
            },
            _ => VerifyError::Invalid(error.to_string()),
        })?;
        let claims = data.claims;
        let token_use = claims.get("token_use").and_then(|value| value.as_str()).unwrap_or_default();
        if token_use != expected.as_str() {
            return Err(VerifyError::TokenUse { expected: expected.as_str(), found: token_use.to_string() });
        }
        let audience = match expected {
            TokenUse::Id => claims.get("aud").and_then(|value| {
                value.as_str().map(str::to_string).or_else(|| value.get(0)?.as_str().map(str::to_string))
            }),
            TokenUse::Access => claims.get("client_id").and_then(|value| value.as_str()).map(str::to_string),
        }
        .unwrap_or_default();
        if !self.client_ids.contains(&audience) {
            return Err(VerifyError::Audience(audience));
        }
        Ok(claims)
    }

    fn cached_key(&self, kid: &str) -> Option<DecodingKey> {
        self.keys.read().ok()?.get(kid).cloned()
    }

    /// Fetches the JWKS, at most once per [`REFETCH_INTERVAL`] after the first time.
    async fn refresh_keys(&self) -> Result<(), VerifyError> {
        let mut last = self.last_fetch.lock().await;
        if last.is_some_and(|at| at.elapsed() < REFETCH_INTERVAL) {
            return Ok(());
        }
        let jwks_error = |message: String| VerifyError::Jwks { url: self.jwks_url.clone(), message };
        let (status, body) = self.http.get(&self.jwks_url).await.map_err(|error| jwks_error(error.to_string()))?;
        *last = Some(Instant::now());
        if status != 200 {
            return Err(jwks_error(format!("HTTP {status}")));
        }
        let keys = parse_jwks(&String::from_utf8_lossy(&body)).map_err(jwks_error)?;
        if let Ok(mut cache) = self.keys.write() {
            cache.extend(keys);
        }
        Ok(())
    }
}

/// The RSA keys of a JWKS document by key id.
fn parse_jwks(json: &str) -> Result<HashMap<String, DecodingKey>, String> {
    let set: JwkSet = serde_json::from_str(json).map_err(|error| format!("not a JWKS document: {error}"))?;
    set.keys
        .iter()
        .filter_map(|jwk| Some((jwk.common.key_id.clone()?, jwk)))
        .map(|(kid, jwk)| DecodingKey::from_jwk(jwk).map(|key| (kid, key)).map_err(|error| format!("key: {error}")))
        .collect()
}

/// A claim read without verification, only to explain a rejection.
fn unverified_claim(token: &str, name: &str) -> Option<String> {
    use base64::Engine;
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).ok()?;
    let claims: ClaimsMap = serde_json::from_slice(&bytes).ok()?;
    claims.get(name)?.as_str().map(str::to_string)
}
