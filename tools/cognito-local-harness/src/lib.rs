//! Test helper for the local Cognito-compatible server (`tools/cognito-local`).
//!
//! One server serves a whole test run. [`LocalCognito::shared`] reuses the server named by
//! `COGNITO_LOCAL_ENDPOINT` (what `cargo xtask test` exports), else builds the binary if it is
//! missing or stale and starts it on a free port; the server exits with the test process. The harness
//! *spawns* the binary and speaks HTTP to it: it does not link the (AGPL) server code.
//!
//! Tests run in parallel, in threads and processes, against that one server, so each test gets
//! its own AWS account from [`LocalCognito::account`]: the server keeps every account's state
//! apart (pools, users, identity pools, IAM, captured messages, trigger log), so tests never
//! see each other's pools and never need a global reset. The SDK config it returns is ready for
//! `aws_sdk_cognitoidentityprovider::Client::new(..)`: endpoint, region `us-east-1`, static
//! credentials whose access key id is the account id, retries off.
//!
//! Codes reach a test without sleeping: [`TestAccount::codes`] reads what the server stored;
//! messages are delivered asynchronously, so [`TestAccount::next_email`] / [`TestAccount::next_sms`]
//! poll the outbox until the message is there or a deadline passes.
//!
//! ```no_run
//! use aws_sdk_cognitoidentityprovider as idp;
//! use cognito_local_harness::LocalCognito;
//!
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! let local = LocalCognito::shared().await?;
//! let account = local.account().await?;               // isolated from every other test
//! let cognito = idp::Client::new(account.sdk_config());
//!
//! let pool = cognito.create_user_pool().pool_name("app")
//!     .auto_verified_attributes(idp::types::VerifiedAttributeType::Email)
//!     .send().await?.user_pool.unwrap();
//! let pool_id = pool.id.unwrap();
//! let client_id = cognito.create_user_pool_client().user_pool_id(&pool_id).client_name("web")
//!     .send().await?.user_pool_client.unwrap().client_id.unwrap();
//!
//! cognito.sign_up().client_id(&client_id).username("alice").password("Passw0rd!x")
//!     .user_attributes(idp::types::AttributeType::builder().name("email").value("alice@example.test").build()?)
//!     .send().await?;
//! let code = account.confirmation_code(&pool_id, "alice").await?;     // stored by the server
//! let mail = account.next_email("alice@example.test").await?;        // waits for delivery
//! assert_eq!(mail.code().as_deref(), Some(code.as_str()));
//! cognito.confirm_sign_up().client_id(&client_id).username("alice").confirmation_code(code)
//!     .send().await?;
//! # Ok(()) }
//! ```
//!
//! Lambda triggers are answered inside the server by built-in handlers chosen by function
//! name ([`functions`]); put e.g. [`functions::arn`]`("local-auto-confirm")` in a pool's
//! `LambdaConfig`. See `tools/cognito-local/README.md` for the endpoints and for the known
//! differences from real Cognito.
//!
//! Without the default `client` feature only [`process`] is compiled (build and spawn, std
//! only); `cargo xtask` uses that.

pub mod process;

#[cfg(feature = "client")]
mod client;
#[cfg(feature = "client")]
pub use client::*;

/// Names of the Lambda functions the server answers in process.
pub mod functions {
    /// PreSignUp: confirms the user; verifies `email` / `phone_number` when present.
    pub const AUTO_CONFIRM: &str = "local-auto-confirm";
    /// PreTokenGeneration: adds [`PRE_TOKEN_CLAIM`] to the id token (V2 events: also access).
    pub const PRE_TOKEN_CLAIMS: &str = "local-pre-token-claims";
    /// The claim name and value `local-pre-token-claims` adds.
    pub const PRE_TOKEN_CLAIM: (&str, &str) = ("local_claim", "added-by-local-pre-token-claims");
    /// DefineAuthChallenge: CUSTOM_CHALLENGE until answered correctly; fails after 3 wrong answers.
    pub const DEFINE_AUTH_CHALLENGE: &str = "local-define-auth-challenge";
    /// CreateAuthChallenge: the expected answer is in the challenge parameter `answer`.
    pub const CREATE_AUTH_CHALLENGE: &str = "local-create-auth-challenge";
    /// VerifyAuthChallengeResponse: correct iff the answer equals that code.
    pub const VERIFY_AUTH_CHALLENGE: &str = "local-verify-auth-challenge";
    /// Any trigger: returns the event unchanged.
    pub const ECHO: &str = "local-echo";
    /// Any trigger: the invocation fails.
    pub const FAIL: &str = "local-fail";

    /// `arn:aws:lambda:us-east-1:000000000000:function:<name>`; the server only looks at the
    /// name, so any region and account work as well.
    pub fn arn(name: &str) -> String {
        format!("arn:aws:lambda:us-east-1:000000000000:function:{name}")
    }
}
