//! Small repairs around fakecloud 0.51.0 where a standard client flow would otherwise break.
//!
//! Each shim is keyed by operation, touches only a successful answer, and is covered by a test
//! in the harness (`tests/local_server/shims.rs`). When fakecloud fixes the behaviour the shim
//! becomes a no-op (its condition no longer holds) and can be deleted.
//!
//! * **TOTP set-up during sign-in (MFA_SETUP).** Real clients (amazon-cognito-identity-js,
//!   Amplify, the SDK-based flows) chain sessions: InitiateAuth -> `MFA_SETUP` + session S0;
//!   AssociateSoftwareToken(Session=S0) -> S1; VerifySoftwareToken(Session=S1) -> S2;
//!   RespondToAuthChallenge(MFA_SETUP, Session=S2). fakecloud returns S1 without storing it, so
//!   VerifySoftwareToken answers "Invalid session.", and VerifySoftwareToken returns no session at
//!   all. We register S1 as an alias of S0, and when VerifySoftwareToken omits the session we
//!   return the one it was called with.

use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use serde_json::Value;

use crate::tenants::Tenant;

/// What a shim needs to remember from the request.
pub struct Pending {
    operation: Operation,
    session: String,
}

enum Operation {
    AssociateSoftwareToken,
    VerifySoftwareToken,
}

/// Inspects an unsigned cognito-idp request; `Some` when its answer needs a repair.
pub fn before(target: Option<&str>, body: Option<&Value>) -> Option<Pending> {
    let operation = match target?.strip_prefix("AWSCognitoIdentityProviderService.")? {
        "AssociateSoftwareToken" => Operation::AssociateSoftwareToken,
        "VerifySoftwareToken" => Operation::VerifySoftwareToken,
        _ => return None,
    };
    let session = body?.get("Session")?.as_str().filter(|s| !s.is_empty())?.to_string();
    Some(Pending { operation, session })
}

/// Applies the repair to fakecloud's answer.
pub async fn after(pending: Pending, tenant: &Tenant, response: Response) -> Response {
    if !response.status().is_success() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1024 * 1024).await else {
        return fail_closed();
    };
    let Ok(mut json) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    match pending.operation {
        Operation::AssociateSoftwareToken => {
            if let Some(new_session) = json.get("Session").and_then(Value::as_str) {
                let mut mas = tenant.cognito.write();
                for (_, state) in mas.iter_mut() {
                    if let Some(data) = state.sessions.get(&pending.session).cloned() {
                        state.sessions.entry(new_session.to_string()).or_insert(data);
                    }
                }
            }
            Response::from_parts(parts, Body::from(bytes))
        }
        Operation::VerifySoftwareToken => {
            if json.get("Session").is_some() {
                return Response::from_parts(parts, Body::from(bytes));
            }
            json["Session"] = Value::String(pending.session);
            let out = json.to_string();
            parts.headers.remove(header::CONTENT_LENGTH);
            if let Ok(len) = HeaderValue::from_str(&out.len().to_string()) {
                parts.headers.insert(header::CONTENT_LENGTH, len);
            }
            Response::from_parts(parts, Body::from(out))
        }
    }
}

/// The answer's body could not be read back (it is in memory, so this does not happen in
/// practice); say so rather than pass on a truncated answer.
fn fail_closed() -> Response {
    crate::server::json_error(
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        "InternalErrorException",
        "cognito-local: could not read the service's answer",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_session_based_totp_calls_are_shimmed() {
        let with_session = json!({"Session": "s0"});
        assert!(
            before(
                Some("AWSCognitoIdentityProviderService.AssociateSoftwareToken"),
                Some(&with_session)
            )
            .is_some()
        );
        assert!(
            before(
                Some("AWSCognitoIdentityProviderService.VerifySoftwareToken"),
                Some(&with_session)
            )
            .is_some()
        );
        assert!(
            before(
                Some("AWSCognitoIdentityProviderService.VerifySoftwareToken"),
                Some(&json!({"AccessToken": "t"}))
            )
            .is_none()
        );
        assert!(
            before(
                Some("AWSCognitoIdentityProviderService.InitiateAuth"),
                Some(&with_session)
            )
            .is_none()
        );
        assert!(before(None, Some(&with_session)).is_none());
    }
}
