//! Building the AWS clients, and counting the calls they make.
//!
//! One place decides the endpoint override, region, profile and retry policy, so `diff`, `deploy`,
//! the tests and the benchmark all talk to Cognito the same way. Every client carries a
//! [`CallLog`] interceptor: it sees each operation as the SDK executes it, so tests and the bench
//! can count mutating calls through the real SDK, without mocking anything.

use crate::error::{Error, Result};
use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
};
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Environment variable naming a Cognito-compatible endpoint (the local server), like
/// `--endpoint-url`.
pub const ENDPOINT_ENV: &str = "COGNITO_ENDPOINT_URL";

/// Where and how to reach AWS.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsTarget {
    /// Endpoint override for every service (a local Cognito-compatible server).
    pub endpoint_url: Option<String>,
    /// Region; else the spec's, else the normal AWS resolution (`AWS_REGION`, the profile).
    pub region: Option<String>,
    /// Named profile of the shared AWS config files.
    pub profile: Option<String>,
    /// Maximum attempts per call, including the first (default 5). Throttling
    /// (`TooManyRequestsException`) and transient errors are retried with exponential backoff and
    /// jitter; errors that retrying cannot fix are reported at once.
    pub max_attempts: Option<u32>,
    /// Fixed credentials instead of the normal resolution (a local server, whose accounts are
    /// named by the access key id).
    pub credentials: Option<StaticCredentials>,
}

/// An access key pair. `Debug` shows the key id only.
#[derive(Clone, PartialEq, Eq)]
pub struct StaticCredentials {
    /// The access key id.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: String,
}

impl std::fmt::Debug for StaticCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaticCredentials").field("access_key_id", &self.access_key_id).finish_non_exhaustive()
    }
}

/// The AWS clients a deployment uses, sharing one [`CallLog`].
#[derive(Debug, Clone)]
pub struct Aws {
    pub(crate) idp: aws_sdk_cognitoidentityprovider::Client,
    pub(crate) identity: aws_sdk_cognitoidentity::Client,
    pub(crate) iam: aws_sdk_iam::Client,
    region: String,
    endpoint_url: Option<String>,
    calls: CallLog,
}

impl Aws {
    /// Loads the AWS configuration the usual way (environment, profile, instance metadata...),
    /// with the target's overrides, and builds the clients.
    pub async fn connect(target: &AwsTarget) -> Result<Aws> {
        let attempts = target.max_attempts.unwrap_or(5).max(1);
        let retry = RetryConfig::standard()
            .with_max_attempts(attempts)
            .with_initial_backoff(Duration::from_millis(200))
            .with_max_backoff(Duration::from_secs(20));
        let mut loader = aws_config::defaults(BehaviorVersion::latest()).retry_config(retry);
        if let Some(profile) = &target.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(region) = &target.region {
            loader = loader.region(Region::new(region.clone()));
        }
        let endpoint_url =
            target.endpoint_url.clone().or_else(|| std::env::var(ENDPOINT_ENV).ok().filter(|v| !v.is_empty()));
        if let Some(url) = &endpoint_url {
            loader = loader.endpoint_url(url);
        }
        if let Some(credentials) = &target.credentials {
            loader = loader.credentials_provider(aws_credential_types::Credentials::new(
                &credentials.access_key_id,
                &credentials.secret_access_key,
                None,
                None,
                "auth-deploy",
            ));
        }
        let config = loader.load().await;
        Aws::from_sdk_config(&config)
    }

    /// Builds the clients from a ready configuration (the test harness gives one). The endpoint
    /// override, if any, is taken from it.
    pub fn from_sdk_config(config: &SdkConfig) -> Result<Aws> {
        let region = config.region().map(|region| region.to_string()).ok_or_else(|| {
            Error::Config("no region: pass --region, set AWS_REGION, or set `region` in the spec".into())
        })?;
        let calls = CallLog::default();
        let idp = aws_sdk_cognitoidentityprovider::Client::from_conf(
            aws_sdk_cognitoidentityprovider::config::Builder::from(config).interceptor(calls.clone()).build(),
        );
        let identity = aws_sdk_cognitoidentity::Client::from_conf(
            aws_sdk_cognitoidentity::config::Builder::from(config).interceptor(calls.clone()).build(),
        );
        let iam = aws_sdk_iam::Client::from_conf(
            aws_sdk_iam::config::Builder::from(config).interceptor(calls.clone()).build(),
        );
        Ok(Aws { idp, identity, iam, region, endpoint_url: config.endpoint_url().map(str::to_string), calls })
    }

    /// The region the clients talk to.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The endpoint override, when talking to a local server.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// The log of calls made through these clients.
    pub fn calls(&self) -> &CallLog {
        &self.calls
    }
}

/// Counts the operations the SDK executes, per service and operation. Cloning shares the log.
#[derive(Debug, Clone, Default)]
pub struct CallLog {
    inner: Arc<Mutex<CallCounts>>,
}

impl CallLog {
    /// The counts so far.
    pub fn snapshot(&self) -> CallCounts {
        self.lock().clone()
    }

    /// Forgets every count.
    pub fn reset(&self) {
        *self.lock() = CallCounts::default();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CallCounts> {
        // A panic while holding the lock only interrupts a counter update: the counts stay usable.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn record(&self, cfg: &ConfigBag, attempt: bool) {
        let Some(metadata) = cfg.load::<Metadata>() else { return };
        let key = format!("{}:{}", metadata.service(), metadata.name());
        let mut counts = self.lock();
        let map = if attempt { &mut counts.attempts } else { &mut counts.calls };
        *map.entry(key).or_default() += 1;
    }
}

impl Intercept for CallLog {
    fn name(&self) -> &'static str {
        "auth-deploy-call-log"
    }

    // Once per operation; the operation's metadata is in the bag from serialization on (not yet
    // at `read_before_execution`).
    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.record(cfg, false);
        Ok(())
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.record(cfg, true);
        Ok(())
    }
}

/// Call counts, keyed `service:Operation` (`Cognito Identity Provider:DescribeUserPool`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CallCounts {
    /// Operations executed.
    pub calls: BTreeMap<String, u64>,
    /// HTTP attempts, retries included.
    pub attempts: BTreeMap<String, u64>,
}

impl CallCounts {
    /// Every operation executed.
    pub fn total(&self) -> u64 {
        self.calls.values().sum()
    }

    /// Operations that change something: everything but `Describe*`, `List*` and `Get*`.
    pub fn mutating(&self) -> BTreeMap<String, u64> {
        self.calls.iter().filter(|(key, _)| is_mutating(key)).map(|(key, count)| (key.clone(), *count)).collect()
    }

    /// Number of mutating operations executed.
    pub fn mutating_total(&self) -> u64 {
        self.mutating().values().sum()
    }

    /// Number of read operations executed.
    pub fn reads_total(&self) -> u64 {
        self.total() - self.mutating_total()
    }

    /// Count of one operation (`DescribeUserPool`), whatever the service.
    pub fn count(&self, operation: &str) -> u64 {
        self.calls.iter().filter(|(key, _)| key.rsplit(':').next() == Some(operation)).map(|(_, n)| n).sum()
    }

    /// The counts made since `earlier` (a snapshot of the same log).
    pub fn since(&self, earlier: &CallCounts) -> CallCounts {
        let minus = |now: &BTreeMap<String, u64>, before: &BTreeMap<String, u64>| {
            now.iter()
                .map(|(key, n)| (key.clone(), n - before.get(key).copied().unwrap_or(0).min(*n)))
                .filter(|(_, n)| *n > 0)
                .collect()
        };
        CallCounts { calls: minus(&self.calls, &earlier.calls), attempts: minus(&self.attempts, &earlier.attempts) }
    }
}

/// Whether an operation name (`service:Operation` or `Operation`) changes state.
pub fn is_mutating(operation: &str) -> bool {
    let name = operation.rsplit(':').next().unwrap_or(operation);
    !["Describe", "List", "Get"].iter().any(|prefix| name.starts_with(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_describe_list_get_and_everything_else_mutates() {
        for read in ["DescribeUserPool", "ListGroups", "GetUserPoolMfaConfig", "cognitoidentity:GetIdentityPoolRoles"] {
            assert!(!is_mutating(read), "{read}");
        }
        for write in [
            "UpdateUserPool",
            "CreateGroup",
            "SetUserPoolMfaConfig",
            "iam:CreateRole",
            "TagResource",
            "AddCustomAttributes",
        ] {
            assert!(is_mutating(write), "{write}");
        }
    }

    /// The log counts calls the SDK makes, failed ones included, without any server: the
    /// endpoint refuses connections.
    #[tokio::test]
    async fn every_call_is_counted_once_and_every_attempt_too() {
        let config = aws_config::SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url("http://127.0.0.1:1")
            .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(
                aws_credential_types::Credentials::new("a", "b", None, None, "test"),
            ))
            .retry_config(RetryConfig::standard().with_max_attempts(2).with_initial_backoff(Duration::from_millis(1)))
            .build();
        let aws = Aws::from_sdk_config(&config).unwrap();
        assert!(aws.idp.list_user_pools().max_results(1).send().await.is_err());
        assert!(aws.identity.list_identity_pools().max_results(1).send().await.is_err());
        let counts = aws.calls().snapshot();
        assert_eq!(counts.count("ListUserPools"), 1, "{counts:?}");
        assert_eq!(counts.count("ListIdentityPools"), 1, "{counts:?}");
        assert_eq!(counts.total(), 2);
        assert_eq!(counts.attempts.values().sum::<u64>(), 4, "two attempts each: {counts:?}");
        aws.calls().reset();
        assert_eq!(aws.calls().snapshot().total(), 0);
    }

    /// Answers `answers.len()` HTTP requests in turn on a local port (each connection closed
    /// after its answer), as Cognito would: a status and a JSON body.
    fn http_stub(answers: Vec<(&'static str, &'static str)>) -> (u16, std::thread::JoinHandle<usize>) {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let handle = std::thread::spawn(move || {
            let mut served = 0;
            for (status, body) in answers {
                let Ok((mut stream, _)) = listener.accept() else { break };
                let mut request = Vec::new();
                let mut buffer = [0u8; 4096];
                // Read the headers, then as much body as Content-Length says.
                while let Ok(n) = stream.read(&mut buffer) {
                    if n == 0 {
                        break;
                    }
                    request.extend_from_slice(&buffer[..n]);
                    let text = String::from_utf8_lossy(&request).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let length = text[..end]
                            .lines()
                            .find_map(|line| {
                                line.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if request.len() >= end + 4 + length {
                            break;
                        }
                    }
                }
                let answer = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(answer.as_bytes());
                served += 1;
            }
            served
        });
        (port, handle)
    }

    #[tokio::test]
    async fn throttling_is_retried_with_backoff_then_succeeds() {
        let throttled = r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#;
        let (port, server) = http_stub(vec![
            ("400 Bad Request", throttled),
            ("400 Bad Request", throttled),
            ("200 OK", r#"{"UserPools":[]}"#),
        ]);
        let target = AwsTarget {
            endpoint_url: Some(format!("http://127.0.0.1:{port}")),
            region: Some("us-east-1".into()),
            credentials: Some(StaticCredentials { access_key_id: "test".into(), secret_access_key: "test".into() }),
            max_attempts: Some(3),
            profile: None,
        };
        let aws = Aws::connect(&target).await.unwrap();
        let pools = aws.idp.list_user_pools().max_results(1).send().await.expect("the third attempt succeeds");
        assert!(pools.user_pools().is_empty());
        assert_eq!(server.join().unwrap(), 3);
        let counts = aws.calls().snapshot();
        assert_eq!((counts.count("ListUserPools"), counts.attempts.values().sum::<u64>()), (1, 3), "{counts:?}");
    }

    #[tokio::test]
    async fn a_cognito_error_names_the_resource_the_operation_and_the_message() {
        let (port, server) = http_stub(vec![(
            "400 Bad Request",
            r#"{"__type":"InvalidParameterException","message":"Invalid range for token validity."}"#,
        )]);
        let target = AwsTarget {
            endpoint_url: Some(format!("http://127.0.0.1:{port}")),
            region: Some("us-east-1".into()),
            credentials: Some(StaticCredentials { access_key_id: "test".into(), secret_access_key: "test".into() }),
            max_attempts: Some(3),
            profile: None,
        };
        let aws = Aws::connect(&target).await.unwrap();
        let error = aws
            .idp
            .update_user_pool_client()
            .user_pool_id("us-east-1_X")
            .client_id("abc")
            .send()
            .await
            .map_err(Error::aws("client web", "UpdateUserPoolClient"))
            .unwrap_err();
        assert_eq!(server.join().unwrap(), 1, "an invalid parameter is not retried");
        assert_eq!(error.aws_code(), Some("InvalidParameterException"));
        assert_eq!(
            error.to_string(),
            "UpdateUserPoolClient on client web failed: Invalid range for token validity. (InvalidParameterException)"
        );
    }

    #[test]
    fn credentials_never_show_their_secret() {
        let credentials =
            StaticCredentials { access_key_id: "AKIDEXAMPLE".into(), secret_access_key: "wJalrXUtnFEMI".into() };
        let shown = format!("{:?}", AwsTarget { credentials: Some(credentials), ..AwsTarget::default() });
        assert!(shown.contains("AKIDEXAMPLE") && !shown.contains("wJalrXUtnFEMI"), "{shown}");
    }

    #[test]
    fn since_subtracts_an_earlier_snapshot() {
        let earlier = CallCounts { calls: BTreeMap::from([("s:ListGroups".into(), 2)]), attempts: BTreeMap::new() };
        let now = CallCounts {
            calls: BTreeMap::from([("s:ListGroups".into(), 3), ("s:CreateGroup".into(), 1)]),
            attempts: BTreeMap::new(),
        };
        let delta = now.since(&earlier);
        assert_eq!(delta.count("ListGroups"), 1);
        assert_eq!(delta.mutating_total(), 1);
        assert_eq!(delta.total(), 2);
    }
}
