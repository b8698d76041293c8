//! `/_local/...`: what a test needs to read or reset that no Cognito API exposes.
//!
//! * `GET  /_local/health`                      liveness + what this server is
//! * `GET  /_local/codes?userPoolId=&username=` the codes Cognito would have sent a user
//! * `GET  /_local/outbox[/email|/sms]?account=&to=&after=`  captured messages
//! * `POST /_local/reset[?account=]`            forget one account's state, or everything
//! * `GET  /_local/triggers`                    the built-in Lambda functions
//! * `GET  /_local/triggers/invocations?account=&function=`  what they were asked
//!
//! Answers are JSON; failures are `{"error": <code>, "message": <text>}` with a 4xx status.

use std::collections::{BTreeMap, HashMap};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::outbox::{Channel, Filter};
use crate::server::SharedApp;
use crate::tenants;

pub fn router() -> Router<SharedApp> {
    Router::new()
        .route("/health", get(health))
        .route("/codes", get(codes))
        .route("/outbox", get(outbox_all))
        .route("/outbox/email", get(outbox_email))
        .route("/outbox/sms", get(outbox_sms))
        .route("/reset", post(reset))
        .route("/triggers", get(triggers))
        .route("/triggers/invocations", get(invocations))
}

type Params = Query<HashMap<String, String>>;

fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    (status, axum::Json(json!({ "error": code, "message": message.into() }))).into_response()
}

fn ok(body: Value) -> Response {
    (StatusCode::OK, axum::Json(body)).into_response()
}

/// An optional `account` parameter, which must be a 12-digit account id when present. The
/// error is the 400 answer to send.
fn account_param(params: &HashMap<String, String>) -> Result<Option<String>, Box<Response>> {
    match params.get("account").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(a) if tenants::is_account_id(a) => Ok(Some(a.to_string())),
        Some(a) => Err(Box::new(error(
            StatusCode::BAD_REQUEST,
            "InvalidParameter",
            format!("account must be a 12-digit account id, got {a:?}"),
        ))),
    }
}

async fn health(State(app): State<SharedApp>) -> Response {
    let shared = &app.tenants.shared;
    let accounts: Vec<String> = app.tenants.all().iter().map(|t| t.account_id.clone()).collect();
    ok(json!({
        "status": "ok",
        "service": "cognito-local",
        "version": env!("CARGO_PKG_VERSION"),
        "fakecloud": "0.51.0",
        "endpoint": shared.endpoint,
        "region": shared.region,
        "defaultAccount": shared.default_account,
        "accounts": accounts,
        "uptimeSeconds": app.started.elapsed().as_secs(),
    }))
}

/// The codes a user would have received. `username` may also be the user's `sub`, or their
/// email / phone number when the pool signs in with those.
async fn codes(State(app): State<SharedApp>, Query(params): Params) -> Response {
    let (Some(pool_id), Some(username)) = (params.get("userPoolId"), params.get("username")) else {
        return error(StatusCode::BAD_REQUEST, "InvalidParameter", "userPoolId and username are required");
    };
    let Some(tenant) = app.tenants.owner_of_pool(pool_id) else {
        return error(
            StatusCode::NOT_FOUND,
            "ResourceNotFoundException",
            format!("User pool {pool_id} does not exist."),
        );
    };
    let mas = tenant.cognito.read();
    for (_, state) in mas.iter() {
        let Some(users) = state.users.get(pool_id) else {
            continue;
        };
        let user = users.get(username.as_str()).or_else(|| {
            users.values().find(|u| {
                u.sub == *username
                    || u.attributes
                        .iter()
                        .any(|a| (a.name == "email" || a.name == "phone_number") && a.value == *username)
            })
        });
        let Some(user) = user else { continue };
        let attribute_codes: BTreeMap<&str, &str> =
            user.attribute_verification_codes.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        // SMS_MFA codes live in the pending sign-in session until answered.
        let challenge_codes: Vec<Value> = state
            .sessions
            .values()
            .filter(|s| s.user_pool_id == *pool_id && s.username == user.username && s.challenge_name == "SMS_MFA")
            .filter_map(|s| {
                s.challenge_metadata.as_ref().map(|code| json!({ "challengeName": s.challenge_name, "code": code }))
            })
            .collect();
        return ok(json!({
            "accountId": tenant.account_id,
            "userPoolId": pool_id,
            "username": user.username,
            "sub": user.sub,
            "userStatus": user.user_status,
            "confirmationCode": user.confirmation_code,
            "attributeVerificationCodes": attribute_codes,
            "challengeCodes": challenge_codes,
        }));
    }
    error(StatusCode::NOT_FOUND, "UserNotFoundException", format!("User {username} does not exist in {pool_id}."))
}

fn outbox(app: &SharedApp, params: &HashMap<String, String>, channel: Option<Channel>) -> Response {
    let account_id = match account_param(params) {
        Ok(a) => a,
        Err(resp) => return *resp,
    };
    let after_id = match params.get("after").filter(|s| !s.is_empty()).map(|s| s.parse::<u64>()) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => {
            return error(StatusCode::BAD_REQUEST, "InvalidParameter", "after must be a message id (an integer)");
        }
    };
    let filter = Filter { channel, account_id, to: params.get("to").filter(|s| !s.is_empty()).cloned(), after_id };
    ok(json!({ "messages": app.outbox.list(&filter) }))
}

async fn outbox_all(State(app): State<SharedApp>, Query(params): Params) -> Response {
    let channel = match params.get("channel").map(String::as_str) {
        None | Some("") => None,
        Some("email") => Some(Channel::Email),
        Some("sms") => Some(Channel::Sms),
        Some(other) => {
            return error(
                StatusCode::BAD_REQUEST,
                "InvalidParameter",
                format!("channel must be email or sms, got {other:?}"),
            );
        }
    };
    outbox(&app, &params, channel)
}

async fn outbox_email(State(app): State<SharedApp>, Query(params): Params) -> Response {
    outbox(&app, &params, Some(Channel::Email))
}

async fn outbox_sms(State(app): State<SharedApp>, Query(params): Params) -> Response {
    outbox(&app, &params, Some(Channel::Sms))
}

async fn reset(State(app): State<SharedApp>, Query(params): Params) -> Response {
    let account_id = match account_param(&params) {
        Ok(a) => a,
        Err(resp) => return *resp,
    };
    app.tenants.reset(account_id.as_deref());
    app.outbox.clear(account_id.as_deref());
    app.lambda.clear(account_id.as_deref());
    ok(json!({ "reset": account_id.unwrap_or_else(|| "all".to_string()) }))
}

async fn triggers() -> Response {
    let functions: Vec<Value> = crate::triggers::FUNCTIONS
        .iter()
        .map(|(name, what)| {
            json!({ "functionName": name, "arn": format!("arn:aws:lambda:us-east-1:000000000000:function:{name}"), "description": what })
        })
        .collect();
    ok(json!({ "functions": functions }))
}

async fn invocations(State(app): State<SharedApp>, Query(params): Params) -> Response {
    let account_id = match account_param(&params) {
        Ok(a) => a,
        Err(resp) => return *resp,
    };
    let function = params.get("function").filter(|s| !s.is_empty()).map(String::as_str);
    ok(json!({ "invocations": app.lambda.invocations(account_id.as_deref(), function) }))
}
