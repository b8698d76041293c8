//! User pool tokens: the three JWTs, their expiry, and the claims apps read.

use crate::error::AuthError;
use crate::secret::Secret;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The tokens of a signed-in user. `Debug` never shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tokens {
    /// The user's username (`cognito:username`), the key of the session in the store.
    pub username: String,
    /// The ID token (a JWT with the user's attributes).
    pub id_token: Secret,
    /// The access token (a JWT for Cognito's user operations and your APIs).
    pub access_token: Secret,
    /// The refresh token; absent after an implicit OAuth grant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
    /// When the earlier of the ID and access tokens expires, in seconds since the epoch.
    pub expires_at: u64,
    /// Whether the tokens came from the hosted UI (refreshed through its token endpoint).
    #[serde(default)]
    pub hosted_ui: bool,
    /// The local clock minus the server's at issue (`now - iat`), in seconds: expiry is judged
    /// on the server's clock, so a skewed device clock neither refreshes in a loop nor too late.
    #[serde(default)]
    pub clock_drift: i64,
}

impl Tokens {
    /// Builds the tokens from a sign-in or refresh answer; the expiry is read from the JWTs
    /// (`exp`), falling back to `now + expires_in` when a token carries none.
    pub fn from_jwts(
        id_token: String,
        access_token: String,
        refresh_token: Option<String>,
        expires_in: Option<i64>,
        now: SystemTime,
    ) -> Result<Tokens, AuthError> {
        let id = Claims::decode(&id_token)?;
        let access = Claims::decode(&access_token)?;
        let fallback = expires_in.filter(|seconds| *seconds > 0).map(|seconds| unix(now) + seconds as u64);
        let expires_at = [id.exp(), access.exp(), fallback]
            .into_iter()
            .flatten()
            .min()
            .ok_or_else(|| AuthError::InvalidResponse("the tokens carry no expiry".into()))?;
        let username = access
            .string("username")
            .or_else(|| id.string("cognito:username"))
            .or_else(|| id.string("sub"))
            .ok_or_else(|| AuthError::InvalidResponse("the tokens name no user".into()))?
            .to_string();
        Ok(Tokens {
            username,
            id_token: Secret::new(id_token),
            access_token: Secret::new(access_token),
            refresh_token: refresh_token.map(Secret::new),
            expires_at,
            hosted_ui: false,
            clock_drift: access.iat().map(|iat| unix(now) as i64 - iat as i64).unwrap_or(0),
        })
    }

    /// The expiry as a time.
    pub fn expires_at(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(self.expires_at)
    }

    /// Whether the tokens are still valid `margin` from `now` (the local time; corrected by the
    /// clock drift seen when they were issued).
    pub fn is_valid_at(&self, now: SystemTime, margin: Duration) -> bool {
        (unix(now) as i64 - self.clock_drift) + (margin.as_secs() as i64) < self.expires_at as i64
    }

    /// The ID token's claims (the user's attributes, `sub`, `cognito:groups`, ...).
    pub fn id_claims(&self) -> Result<Claims, AuthError> {
        Claims::decode(self.id_token.expose())
    }

    /// The access token's claims (`scope`, `cognito:groups`, `device_key`, ...).
    pub fn access_claims(&self) -> Result<Claims, AuthError> {
        Claims::decode(self.access_token.expose())
    }
}

pub(crate) fn unix(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs()
}

/// A JWT's payload. The client does not verify signatures: the tokens came straight from Cognito
/// over TLS, and the services that receive them verify them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims(serde_json::Map<String, serde_json::Value>);

impl Claims {
    /// Decodes the payload of a JWT.
    pub fn decode(jwt: &str) -> Result<Claims, AuthError> {
        let payload = jwt.split('.').nth(1).ok_or_else(|| AuthError::InvalidResponse("a token is not a JWT".into()))?;
        let bytes = URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .map_err(|_| AuthError::InvalidResponse("a token's payload is not base64url".into()))?;
        serde_json::from_slice(&bytes)
            .map(Claims)
            .map_err(|_| AuthError::InvalidResponse("a token's payload is not a JSON object".into()))
    }

    /// A string claim.
    pub fn string(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(|value| value.as_str())
    }

    /// `exp`.
    pub fn exp(&self) -> Option<u64> {
        self.0.get("exp").and_then(|value| value.as_u64())
    }

    /// `iat`.
    pub fn iat(&self) -> Option<u64> {
        self.0.get("iat").and_then(|value| value.as_u64())
    }

    /// `sub`.
    pub fn sub(&self) -> Option<&str> {
        self.string("sub")
    }

    /// `cognito:groups`.
    pub fn groups(&self) -> Vec<String> {
        self.0
            .get("cognito:groups")
            .and_then(|value| value.as_array())
            .map(|groups| groups.iter().filter_map(|group| group.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    }

    /// Every claim.
    pub fn as_map(&self) -> &serde_json::Map<String, serde_json::Value> {
        &self.0
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An unsigned JWT with the given claims.
    pub(crate) fn jwt(claims: serde_json::Value) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#);
        let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
        format!("{header}.{payload}.c2ln")
    }

    pub(crate) fn tokens(username: &str, exp: u64) -> Tokens {
        Tokens::from_jwts(
            jwt(serde_json::json!({"cognito:username": username, "exp": exp + 10, "sub": "s"})),
            jwt(serde_json::json!({"username": username, "exp": exp})),
            Some("refresh".into()),
            None,
            UNIX_EPOCH,
        )
        .unwrap()
    }

    #[test]
    fn expiry_is_the_earlier_token_and_validity_honours_the_margin() {
        let tokens = tokens("alice", 1_000);
        assert_eq!(tokens.expires_at, 1_000);
        assert_eq!(tokens.username, "alice");
        let at = |secs| UNIX_EPOCH + Duration::from_secs(secs);
        assert!(tokens.is_valid_at(at(900), Duration::from_secs(60)));
        assert!(!tokens.is_valid_at(at(950), Duration::from_secs(60)));
        assert!(!tokens.is_valid_at(at(1_000), Duration::ZERO));
    }

    #[test]
    fn garbage_tokens_are_errors_not_panics() {
        for bad in ["", "a", "a.b", "a.!!!.c", &format!("a.{}.c", URL_SAFE_NO_PAD.encode("[1]"))] {
            assert!(matches!(Claims::decode(bad), Err(AuthError::InvalidResponse(_))), "{bad}");
        }
        let no_exp = jwt(serde_json::json!({"username": "u"}));
        assert!(Tokens::from_jwts(no_exp.clone(), no_exp, None, None, UNIX_EPOCH).is_err());
    }

    #[test]
    fn debug_hides_the_tokens() {
        let tokens = tokens("alice", 1_000);
        let printed = format!("{tokens:?}");
        assert!(!printed.contains(tokens.access_token.expose()), "{printed}");
    }
}
