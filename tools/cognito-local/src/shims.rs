//! Small repairs around fakecloud 0.51.0 where a standard client flow, or this workspace's
//! deploy, would otherwise break.
//!
//! Each shim is keyed by operation, touches only a successful answer, and is covered by a test
//! in the harness (`tests/local_server/shims.rs`). When fakecloud fixes the behaviour the shim
//! becomes a no-op (its condition no longer holds) and can be deleted.
//!
//! * [`totp_setup`]: TOTP set-up during sign-in (`MFA_SETUP`) with chained sessions.
//! * [`schema`]: the attribute schema given to `CreateUserPool` / `AddCustomAttributes` is
//!   stored as Cognito stores it (standard attributes' `Required` / `Mutable` / constraints,
//!   the `custom:` prefix, number constraints).
//! * [`pool_domain`]: `DescribeUserPool` names the pool's domain.

mod pool_domain;
mod schema;
mod totp_setup;

use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use serde_json::Value;

use crate::tenants::Tenant;

const PREFIX: &str = "AWSCognitoIdentityProviderService.";

/// What a shim needs to remember from the request.
pub enum Pending {
    TotpSetup(totp_setup::Pending),
    Schema(schema::Pending),
    PoolDomain(pool_domain::Pending),
}

/// Whether the shims read this operation's request body (signed requests' bodies are otherwise
/// not parsed, as routing does not need them).
pub fn reads_body(target: Option<&str>) -> bool {
    target
        .and_then(|t| t.strip_prefix(PREFIX))
        .is_some_and(|op| totp_setup::handles(op) || schema::handles(op) || pool_domain::handles(op))
}

/// Inspects a cognito-idp request; `Some` when its answer needs a repair.
pub fn before(target: Option<&str>, body: Option<&Value>) -> Option<Pending> {
    let operation = target?.strip_prefix(PREFIX)?;
    let body = body?;
    if let Some(pending) = totp_setup::before(operation, body) {
        return Some(Pending::TotpSetup(pending));
    }
    if let Some(pending) = schema::before(operation, body) {
        return Some(Pending::Schema(pending));
    }
    pool_domain::before(operation, body).map(Pending::PoolDomain)
}

/// Applies the repair to fakecloud's answer.
pub async fn after(pending: Pending, tenant: &Tenant, response: Response) -> Response {
    if !response.status().is_success() {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1024 * 1024).await else {
        return fail_closed();
    };
    let Ok(mut json) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let changed = match pending {
        Pending::TotpSetup(pending) => totp_setup::after(pending, tenant, &mut json),
        Pending::Schema(pending) => schema::after(pending, tenant, &mut json),
        Pending::PoolDomain(pending) => pool_domain::after(pending, tenant, &mut json),
    };
    if changed { with_body(parts, &json) } else { Response::from_parts(parts, Body::from(bytes)) }
}

/// The answer with a rewritten JSON body (and its length).
fn with_body(mut parts: axum::http::response::Parts, json: &Value) -> Response {
    let out = json.to_string();
    parts.headers.remove(header::CONTENT_LENGTH);
    if let Ok(len) = HeaderValue::from_str(&out.len().to_string()) {
        parts.headers.insert(header::CONTENT_LENGTH, len);
    }
    Response::from_parts(parts, Body::from(out))
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
    fn only_the_repaired_operations_are_shimmed() {
        let with_session = json!({"Session": "s0"});
        let target = |op: &str| format!("{PREFIX}{op}");
        assert!(before(Some(&target("AssociateSoftwareToken")), Some(&with_session)).is_some());
        assert!(before(Some(&target("VerifySoftwareToken")), Some(&with_session)).is_some());
        assert!(before(Some(&target("VerifySoftwareToken")), Some(&json!({"AccessToken": "t"}))).is_none());
        assert!(before(Some(&target("InitiateAuth")), Some(&with_session)).is_none());
        assert!(before(None, Some(&with_session)).is_none());

        let schema = json!({"PoolName": "p", "Schema": [{"Name": "email", "Required": true}]});
        assert!(before(Some(&target("CreateUserPool")), Some(&schema)).is_some());
        assert!(before(Some(&target("CreateUserPool")), Some(&json!({"PoolName": "p"}))).is_none());
        assert!(reads_body(Some(&target("CreateUserPool"))));
        assert!(reads_body(Some(&target("AddCustomAttributes"))));
        assert!(reads_body(Some(&target("DescribeUserPool"))));
        assert!(!reads_body(Some(&target("ListUserPools"))));
    }
}
