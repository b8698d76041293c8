//! An axum extractor that authorizes a request with one line: `Verified<IdTokenClaims>` (or any
//! [`TypedClaims`], e.g. the ones `#[auth_config]` generates) verifies the `Authorization: Bearer`
//! token against the pool and hands the handler its typed claims; anything else is a 401.

use crate::typed::TypedClaims;
use crate::verify::TokenVerifier;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The verified, typed claims of the request's bearer token. The router's state must give an
/// `Arc<TokenVerifier>` (`FromRef`).
#[derive(Debug, Clone)]
pub struct Verified<T>(pub T);

/// Why a request was not authorized: a 401 with a `WWW-Authenticate: Bearer` challenge.
#[derive(Debug)]
pub struct Rejection(String);

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let challenge = format!("Bearer error=\"invalid_token\", error_description=\"{}\"", self.0.replace('"', "'"));
        (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, challenge)], self.0).into_response()
    }
}

impl<S, T> FromRequestParts<S> for Verified<T>
where
    S: Send + Sync,
    Arc<TokenVerifier>: FromRef<S>,
    T: TypedClaims + Send,
{
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = Arc::<TokenVerifier>::from_ref(state);
        let header = parts.headers.get(header::AUTHORIZATION).and_then(|value| value.to_str().ok());
        let token = header
            .and_then(|value| value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer ")))
            .ok_or_else(|| Rejection("no bearer token".to_string()))?;
        let claims = verifier.verify(token.trim(), T::TOKEN_USE).await.map_err(|error| Rejection(error.to_string()))?;
        T::from_claims(&claims).map(Verified).map_err(|error| Rejection(error.to_string()))
    }
}
