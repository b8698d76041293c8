//! HTTP routing: AWS wire protocol through fakecloud's dispatcher, plus the endpoints real
//! Cognito serves outside its JSON API (JWKS, OpenID discovery, the hosted-UI OAuth2 endpoints)
//! and our `/_local/...` test endpoints.
//!
//! Every handler runs inside its own task so that a panic in a service (a bug on a request we
//! did not foresee) becomes a 500 answer instead of a dropped connection; a bad request must
//! never take the server or its neighbours down.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Extension, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use base64::Engine;
use fakecloud_cognito::triggers::CognitoDeliveryContext;
use fakecloud_core::delivery::DeliveryBus;
use serde_json::{Value, json};

use crate::outbox::Outbox;
use crate::tenants::{self, Tenant, Tenants};
use crate::triggers::LocalLambda;

/// Largest request body we buffer. Cognito requests are a few KiB; this only bounds abuse.
const MAX_BODY: usize = 16 * 1024 * 1024;

pub struct App {
    pub tenants: Tenants,
    pub outbox: Arc<Outbox>,
    pub lambda: Arc<LocalLambda>,
    pub started: std::time::Instant,
}

impl App {
    pub fn new(endpoint: &str, region: &str, default_account: &str) -> Self {
        let outbox = Arc::new(Outbox::default());
        let lambda = Arc::new(LocalLambda::default());
        let bus = Arc::new(DeliveryBus::new().with_lambda(lambda.clone()));
        let delivery = CognitoDeliveryContext::new(bus).with_email(outbox.clone()).with_sms(outbox.clone());
        App {
            tenants: Tenants::new(endpoint, region, default_account, delivery),
            outbox,
            lambda,
            started: std::time::Instant::now(),
        }
    }
}

pub type SharedApp = Arc<App>;

pub fn router(app: SharedApp) -> Router {
    Router::new()
        .nest("/_local", crate::test_api::router())
        .route("/{pool_id}/.well-known/jwks.json", get(jwks))
        .route("/{pool_id}/.well-known/openid-configuration", get(openid_configuration))
        .route("/oauth2/authorize", get(oauth2_authorize).post(oauth2_authorize))
        .route("/oauth2/token", post(oauth2_token))
        .route("/oauth2/userInfo", get(oauth2_userinfo).post(oauth2_userinfo))
        .route("/oauth2/userinfo", get(oauth2_userinfo).post(oauth2_userinfo))
        .route("/oauth2/revoke", post(oauth2_revoke))
        .route("/logout", get(logout))
        .route("/", any(aws))
        .fallback(aws)
        .layer(middleware::from_fn(cors))
        .with_state(app)
}

/// Runs `fut` on its own task; a panic inside becomes a 500 JSON error.
async fn isolated<F>(fut: F) -> Response
where
    F: std::future::Future<Output = Response> + Send + 'static,
{
    match tokio::spawn(fut).await {
        Ok(response) => response,
        Err(e) => {
            tracing::error!(error = %e, "request handler panicked");
            json_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalErrorException",
                "cognito-local: the request handler failed unexpectedly; see the server log",
            )
        }
    }
}

/// An AWS-JSON-shaped error body (`__type` + `message`), which every AWS SDK can parse.
pub fn json_error(status: StatusCode, code: &str, message: &str) -> Response {
    let mut resp = (status, axum::Json(json!({ "__type": code, "message": message }))).into_response();
    resp.headers_mut().insert(
        "x-amzn-errortype",
        HeaderValue::from_str(code).unwrap_or(HeaderValue::from_static("InternalErrorException")),
    );
    resp
}

/// Browsers (Amplify, amazon-cognito-identity-js in a page) call Cognito cross-origin.
/// Answer preflights here and allow every origin: this server only listens on loopback.
async fn cors(req: Request, next: Next) -> Response {
    let origin = req.headers().get(header::ORIGIN).cloned();
    let is_preflight =
        req.method() == Method::OPTIONS && req.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let requested_headers = req.headers().get(header::ACCESS_CONTROL_REQUEST_HEADERS).cloned();
    let mut resp = if is_preflight {
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST, PUT, DELETE, OPTIONS"));
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, requested_headers.unwrap_or(HeaderValue::from_static("*")));
        h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        r
    } else {
        next.run(req).await
    };
    if origin.is_some() {
        let h = resp.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.unwrap_or(HeaderValue::from_static("*")));
        h.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, HeaderValue::from_static("true"));
        h.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage, date"),
        );
        h.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    resp
}

/// The AWS wire protocol: pick the tenant, then hand the untouched request to fakecloud.
async fn aws(State(app): State<SharedApp>, ConnectInfo(remote): ConnectInfo<SocketAddr>, req: Request) -> Response {
    isolated(async move {
        let (parts, body) = req.into_parts();
        let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
            Ok(b) => b,
            Err(_) => {
                return json_error(StatusCode::PAYLOAD_TOO_LARGE, "RequestEntityTooLarge", "request body too large");
            }
        };
        let authorization = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        let akid = tenants::access_key_id(authorization, parts.uri.query());
        let target = parts.headers.get("x-amz-target").and_then(|v| v.to_str().ok());
        // Only unsigned JSON-protocol calls need their body read for routing; the shims read
        // a few signed ones too.
        let body_json = if (akid.is_none() && target.is_some() || crate::shims::reads_body(target)) && !bytes.is_empty()
        {
            serde_json::from_slice::<Value>(&bytes).ok()
        } else {
            None
        };
        let tenant = app.tenants.route(akid.as_deref(), body_json.as_ref());
        let shim = crate::shims::before(target, body_json.as_ref());
        let query = match Query::<HashMap<String, String>>::try_from_uri(&parts.uri) {
            Ok(q) => q,
            Err(e) => {
                return json_error(
                    StatusCode::BAD_REQUEST,
                    "InvalidParameterException",
                    &format!("invalid query string: {e}"),
                );
            }
        };
        let request = Request::from_parts(parts, Body::from(bytes));
        let response = fakecloud_core::dispatch::dispatch(
            ConnectInfo(remote),
            Extension(tenant.registry.clone()),
            Extension(tenant.dispatch.clone()),
            query,
            request,
        )
        .await;
        match shim {
            Some(pending) => crate::shims::after(pending, &tenant, response).await,
            None => response,
        }
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// JWKS and OpenID discovery
// ---------------------------------------------------------------------------------------------

fn oauth_json(status: StatusCode, body: Value) -> Response {
    let mut resp = (status, axum::Json(body)).into_response();
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

fn not_found_pool(pool_id: &str) -> Response {
    json_error(StatusCode::NOT_FOUND, "ResourceNotFoundException", &format!("User pool {pool_id} does not exist."))
}

async fn jwks(State(app): State<SharedApp>, Path(pool_id): Path<String>) -> Response {
    isolated(async move {
        let Some(tenant) = app.tenants.owner_of_pool(&pool_id) else {
            return not_found_pool(&pool_id);
        };
        match fakecloud_cognito::pool_jwks_document(&tenant.cognito, &pool_id).await {
            Some(doc) => (StatusCode::OK, axum::Json(doc)).into_response(),
            None => not_found_pool(&pool_id),
        }
    })
    .await
}

/// `http://<Host header>`: the origin the client used to reach us, so discovery URLs resolve
/// for it (falls back to the bound endpoint).
fn base_url(app: &App, headers: &HeaderMap) -> String {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_graphic()))
        .map(|h| format!("http://{h}"))
        .unwrap_or_else(|| app.tenants.shared.endpoint.clone())
}

async fn openid_configuration(
    State(app): State<SharedApp>,
    Path(pool_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(tenant) = app.tenants.owner_of_pool(&pool_id) else {
        return not_found_pool(&pool_id);
    };
    let (exists, domain) = fakecloud_cognito::pool_existence_and_domain(&tenant.cognito, &pool_id);
    if !exists {
        return not_found_pool(&pool_id);
    }
    let doc = fakecloud_cognito::oidc_discovery_document(
        &pool_id,
        &app.tenants.shared.region,
        &base_url(&app, &headers),
        domain.as_deref(),
    );
    (StatusCode::OK, axum::Json(doc)).into_response()
}

// ---------------------------------------------------------------------------------------------
// Hosted-UI OAuth2 endpoints
// ---------------------------------------------------------------------------------------------

/// `application/x-www-form-urlencoded` body or query string -> map (last value wins).
fn form_map(raw: &str) -> BTreeMap<String, String> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (tenants::percent_decode(k), tenants::percent_decode(v))
        })
        .collect()
}

fn oauth_error(status: u16, code: &str, description: Option<&str>) -> Response {
    let mut body = json!({ "error": code });
    if let Some(d) = description {
        body["error_description"] = json!(d);
    }
    oauth_json(StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST), body)
}

/// `Authorization: Basic base64(client_id:client_secret)`. Taken verbatim, not form-decoded:
/// Cognito client secrets contain `+` and `/`, and clients send them as they are.
fn basic_auth(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ").or_else(|| value.strip_prefix("basic "))?;
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

fn tenant_for_client(app: &App, client_id: Option<&str>) -> Arc<Tenant> {
    client_id.and_then(|id| app.tenants.owner_of_client(id)).unwrap_or_else(|| app.tenants.default_tenant())
}

async fn oauth2_authorize(State(app): State<SharedApp>, method: Method, uri: axum::http::Uri, body: Bytes) -> Response {
    isolated(async move {
        let mut params = form_map(uri.query().unwrap_or(""));
        if method == Method::POST {
            params.extend(form_map(&String::from_utf8_lossy(&body)));
        }
        let get = |k: &str| params.get(k).cloned();
        let (Some(response_type), Some(client_id), Some(redirect_uri)) =
            (get("response_type"), get("client_id"), get("redirect_uri"))
        else {
            return oauth_error(400, "invalid_request", Some("response_type, client_id and redirect_uri are required"));
        };
        let request = fakecloud_cognito::OAuth2AuthorizeRequest {
            response_type,
            client_id: client_id.clone(),
            redirect_uri,
            scope: get("scope"),
            state: get("state"),
            code_challenge: get("code_challenge"),
            code_challenge_method: get("code_challenge_method"),
            nonce: get("nonce"),
            username: get("username"),
            password: get("password"),
        };
        let tenant = tenant_for_client(&app, Some(&client_id));
        let shared = &app.tenants.shared;
        match fakecloud_cognito::handle_oauth2_authorize(
            &tenant.cognito,
            &request,
            &shared.region,
            Some(&shared.delivery),
        )
        .await
        {
            Ok(fakecloud_cognito::OAuth2AuthorizeOutcome::Redirect(url)) => redirect(&url),
            Ok(fakecloud_cognito::OAuth2AuthorizeOutcome::LoginRequired { html }) => {
                ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
            }
            Err(fakecloud_cognito::OAuth2AuthorizeError::InvalidClient) => oauth_error(400, "invalid_client", None),
            Err(fakecloud_cognito::OAuth2AuthorizeError::InvalidRedirectUri) => {
                oauth_error(400, "invalid_request", Some("redirect_mismatch"))
            }
        }
    })
    .await
}

fn redirect(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(v) => (StatusCode::FOUND, [(header::LOCATION, v)]).into_response(),
        Err(_) => oauth_error(400, "invalid_request", Some("redirect URL is not a valid header value")),
    }
}

async fn oauth2_token(State(app): State<SharedApp>, headers: HeaderMap, body: Bytes) -> Response {
    isolated(async move {
        let params = form_map(&String::from_utf8_lossy(&body));
        let basic = basic_auth(&headers);
        let client_id = basic.as_ref().map(|(id, _)| id.clone()).or_else(|| params.get("client_id").cloned());
        let tenant = tenant_for_client(&app, client_id.as_deref());
        let shared = &app.tenants.shared;
        let basic_ref = basic.as_ref().map(|(i, s)| (i.as_str(), s.as_str()));
        match fakecloud_cognito::handle_oauth2_token(
            &tenant.cognito,
            &params,
            basic_ref,
            &shared.region,
            Some(&shared.delivery),
        )
        .await
        {
            Ok(tokens) => oauth_json(StatusCode::OK, tokens.to_json()),
            Err(e) => oauth_error(e.status_code(), e.as_oauth_code(), e.description()),
        }
    })
    .await
}

async fn oauth2_userinfo(State(app): State<SharedApp>, headers: HeaderMap) -> Response {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .unwrap_or_default()
        .to_string();
    let invalid = || {
        let mut r = oauth_error(
            401,
            "invalid_token",
            Some("Access token is expired, disabled, or deleted, or the user has globally signed out."),
        );
        r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer error=\"invalid_token\""));
        r
    };
    if bearer.is_empty() {
        return invalid();
    }
    let Some(tenant) = tenants::jwt_pool_id(&bearer).and_then(|pool| app.tenants.owner_of_pool(&pool)) else {
        return invalid();
    };
    match fakecloud_cognito::handle_oauth2_userinfo(&tenant.cognito, &bearer) {
        Ok(info) => oauth_json(StatusCode::OK, info),
        Err(_) => invalid(),
    }
}

async fn oauth2_revoke(State(app): State<SharedApp>, headers: HeaderMap, body: Bytes) -> Response {
    let mut params = form_map(&String::from_utf8_lossy(&body));
    // The revoke endpoint takes client credentials as Basic auth too; fakecloud reads the form.
    if let Some((id, secret)) = basic_auth(&headers) {
        params.entry("client_id".into()).or_insert(id);
        params.entry("client_secret".into()).or_insert(secret);
    }
    let tenant = tenant_for_client(&app, params.get("client_id").map(String::as_str));
    match fakecloud_cognito::handle_oauth2_revoke(&tenant.cognito, &params) {
        Ok(()) => StatusCode::OK.into_response(),
        Err(fakecloud_cognito::OAuthRevokeError::InvalidClient) => oauth_error(400, "invalid_client", None),
        Err(fakecloud_cognito::OAuthRevokeError::UnsupportedTokenType) => {
            oauth_error(400, "unsupported_token_type", None)
        }
    }
}

/// `GET /logout`. fakecloud has no hosted-UI session to end (its `/oauth2/authorize` takes the
/// credentials on every call), so logging out is only the redirect, validated like Cognito:
/// `logout_uri` must be one of the client's LogoutURLs; or `redirect_uri` + `response_type`
/// send the user agent back to the sign-in page.
async fn logout(State(app): State<SharedApp>, uri: axum::http::Uri) -> Response {
    let params = form_map(uri.query().unwrap_or(""));
    let Some(client_id) = params.get("client_id") else {
        return oauth_error(400, "invalid_request", Some("client_id is required"));
    };
    let Some(tenant) = app.tenants.owner_of_client(client_id) else {
        return oauth_error(400, "invalid_client", None);
    };
    let (logout_urls, callback_urls) = {
        let mas = tenant.cognito.read();
        let client = mas.iter().find_map(|(_, s)| s.user_pool_clients.get(client_id).cloned());
        match client {
            Some(c) => (c.logout_urls, c.callback_urls),
            None => return oauth_error(400, "invalid_client", None),
        }
    };
    if let Some(logout_uri) = params.get("logout_uri") {
        if logout_urls.iter().any(|u| u == logout_uri) {
            return redirect(logout_uri);
        }
        return oauth_error(400, "invalid_request", Some("logout_uri is not one of the client's LogoutURLs"));
    }
    if let (Some(redirect_uri), Some(_)) = (params.get("redirect_uri"), params.get("response_type")) {
        if !callback_urls.iter().any(|u| u == redirect_uri) {
            return oauth_error(400, "invalid_request", Some("redirect_mismatch"));
        }
        let query: Vec<String> = params
            .iter()
            .filter(|(k, _)| k.as_str() != "logout_uri")
            .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
            .collect();
        return redirect(&format!("/oauth2/authorize?{}", query.join("&")));
    }
    oauth_error(400, "invalid_request", Some("logout_uri, or redirect_uri and response_type, are required"))
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_parsing_and_encoding_round_trip() {
        let m = form_map("grant_type=client_credentials&scope=a%2Fb+c&empty=&flag");
        assert_eq!(m["grant_type"], "client_credentials");
        assert_eq!(m["scope"], "a/b c");
        assert_eq!(m["empty"], "");
        assert_eq!(m["flag"], "");
        assert_eq!(percent_encode("http://x/y?z=1 2"), "http%3A%2F%2Fx%2Fy%3Fz%3D1%202");
    }

    #[test]
    fn basic_auth_header() {
        let mut h = HeaderMap::new();
        let v = base64::engine::general_purpose::STANDARD.encode("client:s+c/r:t");
        h.insert(header::AUTHORIZATION, HeaderValue::from_str(&format!("Basic {v}")).unwrap());
        assert_eq!(basic_auth(&h), Some(("client".into(), "s+c/r:t".into())));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic !!!"));
        assert_eq!(basic_auth(&h), None);
    }
}
