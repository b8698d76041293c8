//! The `axum` feature's extractor: a handler's `Verified<T>` argument gets the typed claims of a
//! good bearer token; every other request is a 401 with a `WWW-Authenticate: Bearer` challenge.
//! Tokens are signed with the test key of `tests/fixtures` (see `verify.rs`).

use auth_client::axum::Verified;
use auth_client::typed::{ClaimsError, ClaimsMap, TypedClaims, claim_string};
use auth_client::verify::{TokenUse, TokenVerifier};
use axum::extract::FromRequestParts;
use axum::http::{Request, StatusCode, header};
use axum::response::IntoResponse;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::json;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

const KEY: &str = include_str!("fixtures/verify-test-key.pem");
const JWKS: &str = include_str!("fixtures/verify-test-jwks.json");
const ISSUER: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Test";

/// The claims a handler wants, as `#[auth_config]` would generate them.
#[derive(Debug)]
struct Caller {
    username: String,
}

impl TypedClaims for Caller {
    const TOKEN_USE: TokenUse = TokenUse::Id;

    fn from_claims(claims: &ClaimsMap) -> Result<Self, ClaimsError> {
        Ok(Caller { username: claim_string(claims, "cognito:username")? })
    }
}

fn verifier() -> Arc<TokenVerifier> {
    let verifier = TokenVerifier::new("eu-west-1", "eu-west-1_Test", ["client-1"])
        .unwrap()
        .with_endpoint_url("http://127.0.0.1:9")
        .with_jwks(JWKS)
        .unwrap();
    Arc::new(verifier)
}

fn token(token_use: &str, expires_in: i64) -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    let claims = json!({ "sub": "u-1", "aud": "client-1", "client_id": "client-1", "iss": ISSUER,
        "token_use": token_use, "exp": now + expires_in, "iat": now, "cognito:username": "alice" });
    let header = Header { kid: Some("test-key-1".into()), ..Header::new(Algorithm::RS256) };
    jsonwebtoken::encode(&header, &claims, &EncodingKey::from_rsa_pem(KEY.as_bytes()).unwrap()).unwrap()
}

/// Runs the extractor on a request with this `Authorization` header.
async fn extract(authorization: Option<String>) -> Result<Caller, (StatusCode, String)> {
    let mut request = Request::builder().uri("/me");
    if let Some(value) = authorization {
        request = request.header(header::AUTHORIZATION, value);
    }
    let (mut parts, ()) = request.body(()).unwrap().into_parts();
    match Verified::<Caller>::from_request_parts(&mut parts, &verifier()).await {
        Ok(Verified(caller)) => Ok(caller),
        Err(rejection) => {
            let response = rejection.into_response();
            let challenge = response.headers()[header::WWW_AUTHENTICATE].to_str().unwrap().to_string();
            Err((response.status(), challenge))
        }
    }
}

#[tokio::test]
async fn a_good_bearer_token_gives_the_handler_its_typed_claims() {
    let caller = extract(Some(format!("Bearer {}", token("id", 600)))).await.unwrap();
    assert_eq!(caller.username, "alice");
}

#[tokio::test]
async fn anything_else_is_a_401_with_a_bearer_challenge_saying_why() {
    let cases = [
        (None, "no bearer token"),
        (Some(format!("Basic {}", token("id", 600))), "no bearer token"),
        (Some(format!("Bearer {}", token("id", -60))), "expired"),
        (Some(format!("Bearer {}", token("access", 600))), "expected an id token"),
        (Some("Bearer not.a.jwt".to_string()), "not a jwt"),
    ];
    for (authorization, reason) in cases {
        let (status, challenge) = extract(authorization.clone()).await.unwrap_err();
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{authorization:?}");
        assert!(challenge.starts_with("Bearer error=\"invalid_token\""), "{challenge}");
        assert!(challenge.to_lowercase().contains(reason), "{authorization:?}: {challenge}");
    }
}
