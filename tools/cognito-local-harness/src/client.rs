//! The async test API: [`LocalCognito`] (the server) and [`TestAccount`] (one test's account).

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, Region, SdkConfig, retry::RetryConfig};
use aws_credential_types::Credentials;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use serde::Deserialize;
use tokio::sync::OnceCell;

use crate::process::{self, ServerProcess, SpawnOptions};

/// Region of every SDK config the harness hands out.
pub const REGION: &str = "us-east-1";

/// The account `test`-style credentials act in on the server.
pub const DEFAULT_ACCOUNT: &str = "000000000000";

/// How long [`TestAccount::next_email`] / [`TestAccount::next_sms`] wait by default.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(10);

/// One HTTP exchange with the server may take this long before it counts as a failure.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// What can go wrong talking to the server.
#[derive(Debug)]
pub enum Error {
    /// Building or starting the binary failed.
    Process(process::ProcessError),
    /// The HTTP exchange failed (connection refused, timeout, ...).
    Http(String),
    /// The server answered with an error status; `body` is its JSON error.
    Status { status: u16, body: String },
    /// The answer was not what the API promises.
    Decode(String),
    /// [`eventually`] ran out of time; the text says what it waited for.
    Timeout(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Process(e) => write!(f, "cognito-local: {e}"),
            Error::Http(e) => write!(f, "cognito-local: HTTP: {e}"),
            Error::Status { status, body } => write!(f, "cognito-local answered {status}: {body}"),
            Error::Decode(e) => write!(f, "cognito-local: unexpected answer: {e}"),
            Error::Timeout(what) => write!(f, "cognito-local: timed out waiting for {what}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<process::ProcessError> for Error {
    fn from(e: process::ProcessError) -> Self {
        Error::Process(e)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The server for this test process.
pub struct LocalCognito {
    endpoint: String,
    // Kept for the life of the process; the server exits when this process does.
    _process: Option<ServerProcess>,
}

static SHARED: OnceCell<LocalCognito> = OnceCell::const_new();

impl LocalCognito {
    /// The one server of this process: `COGNITO_LOCAL_ENDPOINT` if set (checked with a health
    /// request), else the binary, built if missing or stale, started on a free port. Concurrent
    /// callers wait for the same start.
    pub async fn shared() -> Result<&'static LocalCognito> {
        SHARED
            .get_or_try_init(|| async {
                if let Some(endpoint) = std::env::var("COGNITO_LOCAL_ENDPOINT").ok().filter(|e| !e.trim().is_empty()) {
                    let local =
                        LocalCognito { endpoint: endpoint.trim().trim_end_matches('/').to_string(), _process: None };
                    local.health().await?;
                    return Ok(local);
                }
                // `build` is cargo's freshness check (under a second when nothing changed), so a
                // test never runs against a binary older than the server's sources; the first
                // build on a machine takes minutes. Keep it off the async workers.
                let process = tokio::task::spawn_blocking(|| -> Result<ServerProcess> {
                    let binary = process::build()?;
                    let options = SpawnOptions {
                        log_filter: Some(std::env::var("COGNITO_LOCAL_LOG").unwrap_or_else(|_| "error".into())),
                        ..SpawnOptions::default()
                    };
                    Ok(process::spawn(&binary, &options)?)
                })
                .await
                .map_err(|e| Error::Http(format!("the start-up task failed: {e}")))??;
                let local = LocalCognito { endpoint: process.endpoint().to_string(), _process: Some(process) };
                local.health().await?;
                Ok(local)
            })
            .await
    }

    /// `http://127.0.0.1:<port>`: the AWS endpoint URL and the base of the test endpoints.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// A fresh account of its own: nothing created through it is visible to any other account.
    pub async fn account(&self) -> Result<TestAccount> {
        Ok(TestAccount::new(&self.endpoint, &unique_account_id()).await)
    }

    /// The server's default account (`000000000000`), shared by everything that uses `test`
    /// credentials (e.g. a developer's CLI against `cargo xtask local`). Tests should prefer
    /// [`LocalCognito::account`].
    pub async fn default_account(&self) -> Result<TestAccount> {
        Ok(TestAccount::new(&self.endpoint, DEFAULT_ACCOUNT).await)
    }

    /// `GET /_local/health`.
    pub async fn health(&self) -> Result<serde_json::Value> {
        get_json(&format!("{}/_local/health", self.endpoint)).await
    }

    /// Forgets every account's state. Only for serial use (a developer loop): parallel tests
    /// reset their own account with [`TestAccount::reset`], or simply use a new account.
    pub async fn reset_all(&self) -> Result<()> {
        post_json::<serde_json::Value>(&format!("{}/_local/reset", self.endpoint)).await.map(|_| ())
    }
}

/// A distinct 12-digit account id per call, across threads and processes: a per-process random
/// seed (std's `RandomState`), the clock and a counter, hashed.
fn unique_account_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u32(std::process::id());
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
    // 100000000000..=999999999999: never the default account, always 12 digits.
    format!("{}", 100_000_000_000 + h.finish() % 900_000_000_000)
}

/// One test's account on the server, with an SDK config that acts in it.
pub struct TestAccount {
    endpoint: String,
    account_id: String,
    config: SdkConfig,
    /// Per (channel, recipient): the id of the last message handed out by `next_*`.
    cursors: Mutex<HashMap<(&'static str, String), u64>>,
}

impl TestAccount {
    async fn new(endpoint: &str, account_id: &str) -> TestAccount {
        TestAccount {
            endpoint: endpoint.to_string(),
            account_id: account_id.to_string(),
            config: sdk_config(endpoint, account_id).await,
            cursors: Mutex::new(HashMap::new()),
        }
    }

    pub fn account_id(&self) -> &str {
        &self.account_id
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Endpoint `endpoint()`, region `us-east-1`, credentials (access key id = the account id,
    /// any secret: signatures are not checked), retries disabled so a failure shows at once.
    /// Build it per test (it holds the connection pool of the runtime that made it).
    pub fn sdk_config(&self) -> &SdkConfig {
        &self.config
    }

    /// Everything the server stored for a user: sign-up / forgot-password code, attribute
    /// verification codes, pending SMS MFA codes. `username` may also be the `sub`, email or
    /// phone number.
    pub async fn codes(&self, user_pool_id: &str, username: &str) -> Result<UserCodes> {
        let url =
            format!("{}/_local/codes?userPoolId={}&username={}", self.endpoint, encode(user_pool_id), encode(username));
        get_json(&url).await
    }

    /// The pending confirmation code (SignUp, ResendConfirmationCode, ForgotPassword), or an
    /// error naming the user's status when there is none.
    pub async fn confirmation_code(&self, user_pool_id: &str, username: &str) -> Result<String> {
        let codes = self.codes(user_pool_id, username).await?;
        codes.confirmation_code.ok_or_else(|| {
            Error::Decode(format!(
                "{username} in {user_pool_id} has no pending confirmation code (status {})",
                codes.user_status
            ))
        })
    }

    /// Emails captured for this account, oldest first (`to`: only to that address).
    pub async fn emails(&self, to: Option<&str>) -> Result<Vec<Message>> {
        self.outbox("email", to, None).await
    }

    /// Text messages captured for this account, oldest first (`to`: only to that number).
    pub async fn sms(&self, to: Option<&str>) -> Result<Vec<Message>> {
        self.outbox("sms", to, None).await
    }

    /// The next email to `to` that this `TestAccount` has not handed out yet, waiting up to
    /// [`DEFAULT_WAIT`] for it: read an inbox in order, without sleeping.
    pub async fn next_email(&self, to: &str) -> Result<Message> {
        self.next("email", to, DEFAULT_WAIT).await
    }

    /// Like [`TestAccount::next_email`], for SMS (`to` is the E.164 number).
    pub async fn next_sms(&self, to: &str) -> Result<Message> {
        self.next("sms", to, DEFAULT_WAIT).await
    }

    async fn next(&self, channel: &'static str, to: &str, timeout: Duration) -> Result<Message> {
        let key = (channel, to.to_ascii_lowercase());
        let after = self.cursors.lock().map(|c| c.get(&key).copied().unwrap_or(0)).unwrap_or(0);
        let message = eventually(&format!("the next {channel} to {to}"), timeout, || async move {
            Ok(self.outbox(channel, Some(to), Some(after)).await?.into_iter().next())
        })
        .await?;
        if let Ok(mut cursors) = self.cursors.lock() {
            cursors.insert(key, message.id);
        }
        Ok(message)
    }

    async fn outbox(&self, channel: &str, to: Option<&str>, after: Option<u64>) -> Result<Vec<Message>> {
        let mut url = format!("{}/_local/outbox/{channel}?account={}", self.endpoint, self.account_id);
        if let Some(to) = to {
            url.push_str(&format!("&to={}", encode(to)));
        }
        if let Some(after) = after {
            url.push_str(&format!("&after={after}"));
        }
        Ok(get_json::<Messages>(&url).await?.messages)
    }

    /// Trigger invocations made for this account's pools (`function`: only that function).
    pub async fn trigger_invocations(&self, function: Option<&str>) -> Result<Vec<Invocation>> {
        let mut url = format!("{}/_local/triggers/invocations?account={}", self.endpoint, self.account_id);
        if let Some(f) = function {
            url.push_str(&format!("&function={}", encode(f)));
        }
        Ok(get_json::<Invocations>(&url).await?.invocations)
    }

    /// Forgets this account's state (pools, users, identity pools, IAM, messages, trigger log).
    pub async fn reset(&self) -> Result<()> {
        post_json::<serde_json::Value>(&format!("{}/_local/reset?account={}", self.endpoint, self.account_id))
            .await
            .map(|_| ())
            .inspect(|_| {
                if let Ok(mut c) = self.cursors.lock() {
                    c.clear();
                }
            })
    }
}

/// The SDK config for `account_id` on `endpoint`.
pub async fn sdk_config(endpoint: &str, account_id: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new(REGION))
        .credentials_provider(Credentials::new(account_id, "cognito-local", None, None, "cognito-local-harness"))
        .retry_config(RetryConfig::disabled())
        .load()
        .await
}

/// Polls `probe` until it yields `Some`, an error, or `timeout` passes (then [`Error::Timeout`]
/// naming `what`). The interval grows from 5 ms to 100 ms: fast when the event is quick, cheap
/// when it is not. Use it for anything the server does after answering (message delivery,
/// fire-and-forget triggers) instead of sleeping.
pub async fn eventually<T, F, Fut>(what: &str, timeout: Duration, mut probe: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>>>,
{
    let deadline = Instant::now() + timeout;
    let mut interval = Duration::from_millis(5);
    loop {
        if let Some(value) = probe().await? {
            return Ok(value);
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(Error::Timeout(format!("{what} (waited {timeout:?})")));
        }
        tokio::time::sleep(interval.min(deadline - now)).await;
        interval = (interval * 2).min(Duration::from_millis(100));
    }
}

/// What `/_local/codes` returns.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserCodes {
    pub account_id: String,
    pub user_pool_id: String,
    pub username: String,
    pub sub: String,
    pub user_status: String,
    /// From SignUp, ResendConfirmationCode or ForgotPassword (fakecloud keeps one slot for both).
    pub confirmation_code: Option<String>,
    /// attribute name (`email`, `phone_number`) -> code, from GetUserAttributeVerificationCode
    /// or UpdateUserAttributes.
    pub attribute_verification_codes: BTreeMap<String, String>,
    /// Codes of sign-ins waiting on an SMS_MFA answer.
    pub challenge_codes: Vec<ChallengeCode>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChallengeCode {
    pub challenge_name: String,
    pub code: String,
}

/// A captured email or SMS.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// Increases across both channels and all accounts.
    pub id: u64,
    /// `email` or `sms`.
    pub channel: String,
    pub account_id: String,
    pub to: String,
    pub from: Option<String>,
    pub subject: Option<String>,
    /// Email text body, or the SMS text.
    pub body: String,
    pub body_html: Option<String>,
    pub sent_at_ms: u64,
}

impl Message {
    /// The first run of exactly six ASCII digits in the body (Cognito's codes are six digits;
    /// a custom message template that puts another six-digit number first defeats this).
    pub fn code(&self) -> Option<String> {
        let bytes = self.body.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i].is_ascii_digit() {
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                if i - start == 6 {
                    return Some(self.body[start..i].to_string());
                }
            } else {
                i += 1;
            }
        }
        None
    }
}

/// One Lambda trigger invocation the server answered.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invocation {
    pub id: u64,
    pub function_name: String,
    pub function_arn: String,
    pub account_id: String,
    pub trigger_source: String,
    pub user_pool_id: String,
    pub user_name: String,
    /// `None` when the handler answered.
    pub error: Option<String>,
    pub invoked_at_ms: u64,
    /// The event the server sent to the function (what a real Lambda would receive).
    pub event: serde_json::Value,
}

#[derive(Deserialize)]
struct Messages {
    messages: Vec<Message>,
}

#[derive(Deserialize)]
struct Invocations {
    invocations: Vec<Invocation>,
}

/// Percent-encoding for a query value.
fn encode(s: &str) -> String {
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

async fn get_json<T: serde::de::DeserializeOwned>(url: &str) -> Result<T> {
    decode_json(url, send("GET", url, &[], "").await?)
}

async fn post_json<T: serde::de::DeserializeOwned>(url: &str) -> Result<T> {
    decode_json(url, send("POST", url, &[], "").await?)
}

fn decode_json<T: serde::de::DeserializeOwned>(url: &str, resp: RawResponse) -> Result<T> {
    if !(200..300).contains(&resp.status) {
        return Err(Error::Status { status: resp.status, body: resp.body });
    }
    serde_json::from_str(&resp.body).map_err(|e| Error::Decode(format!("{url}: {e}: {}", resp.body)))
}

/// An HTTP answer as [`send`] returns it, whatever its status.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    /// Header names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl RawResponse {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> Result<serde_json::Value> {
        serde_json::from_str(&self.body).map_err(|e| Error::Decode(format!("{e}: {}", self.body)))
    }
}

/// One plain-HTTP exchange with the server (or any `http://` URL), for what the AWS SDK does
/// not cover: JWKS and discovery documents, the hosted-UI `/oauth2/*` endpoints, `/logout`.
/// Redirects are not followed (a test wants to see them). Any status is returned as is.
///
/// A fresh connection each time, no pooling on purpose: each `#[tokio::test]` has its own
/// runtime, and a pooled connection would belong to whichever runtime opened it.
pub async fn send(method: &str, url: &str, headers: &[(&str, &str)], body: &str) -> Result<RawResponse> {
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .pool_max_idle_per_host(0)
        .build_http::<Full<Bytes>>();
    let method = http::Method::from_bytes(method.as_bytes()).map_err(|e| Error::Http(format!("{method}: {e}")))?;
    let mut builder = http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let req = builder.body(Full::new(Bytes::from(body.to_string()))).map_err(|e| Error::Http(format!("{url}: {e}")))?;
    let exchange = async {
        let resp = client.request(req).await.map_err(|e| Error::Http(format!("{url}: {e}")))?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let body = resp
            .into_body()
            .collect()
            .await
            .map_err(|e| Error::Http(format!("{url}: reading the body: {e}")))?
            .to_bytes();
        Ok::<_, Error>(RawResponse { status, headers, body: String::from_utf8_lossy(&body).into_owned() })
    };
    tokio::time::timeout(REQUEST_TIMEOUT, exchange)
        .await
        .map_err(|_| Error::Http(format!("{url}: no answer within {REQUEST_TIMEOUT:?}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(body: &str) -> Message {
        Message {
            id: 1,
            channel: "sms".into(),
            account_id: "1".into(),
            to: "+1".into(),
            from: None,
            subject: None,
            body: body.into(),
            body_html: None,
            sent_at_ms: 0,
        }
    }

    #[test]
    fn code_is_the_first_six_digit_run() {
        assert_eq!(msg("Your code is 123456.").code().as_deref(), Some("123456"));
        assert_eq!(msg("Ref 12345678, code 654321").code().as_deref(), Some("654321"));
        assert_eq!(msg("no code 12345").code(), None);
    }

    #[test]
    fn account_ids_are_distinct_and_twelve_digits() {
        let ids: std::collections::HashSet<String> = (0..1000).map(|_| unique_account_id()).collect();
        assert_eq!(ids.len(), 1000);
        assert!(ids.iter().all(|i| i.len() == 12 && i.bytes().all(|b| b.is_ascii_digit()) && i != DEFAULT_ACCOUNT));
    }

    #[test]
    fn query_encoding() {
        assert_eq!(encode("+1 555@x/y"), "%2B1%20555%40x%2Fy");
    }

    #[tokio::test]
    async fn eventually_times_out_with_what_it_waited_for() {
        let err =
            eventually::<(), _, _>("nothing", Duration::from_millis(30), || async { Ok(None) }).await.unwrap_err();
        assert!(matches!(err, Error::Timeout(ref w) if w.contains("nothing")), "{err}");
        let mut n = 0;
        let v = eventually("third try", Duration::from_secs(5), || {
            n += 1;
            let ready = n >= 3;
            async move { Ok(ready.then_some(n)) }
        })
        .await
        .unwrap();
        assert_eq!(v, 3);
    }
}
