//! Lambda triggers answered in process.
//!
//! fakecloud-cognito invokes a pool's Lambda triggers through `DeliveryBus::invoke_lambda` with
//! the function ARN from the pool's `LambdaConfig`. There is no Docker here, so instead of
//! running Lambda code we answer with small Rust handlers chosen by *function name*: put
//! `arn:aws:lambda:us-east-1:000000000000:function:local-auto-confirm` (any region, account or
//! qualifier; a bare name works too) in `LambdaConfig.PreSignUp` and the `local-auto-confirm`
//! handler below answers. Every invocation is recorded so tests can assert that a trigger fired.
//!
//! The handlers:
//!
//! | function name                  | trigger(s)                    | behaviour |
//! |--------------------------------|-------------------------------|-----------|
//! | `local-auto-confirm`           | PreSignUp                     | `autoConfirmUser`, plus `autoVerifyEmail` / `autoVerifyPhone` when the attribute is present |
//! | `local-pre-token-claims`       | PreTokenGeneration (V1 or V2) | adds the claim `local_claim` = `"added-by-local-pre-token-claims"` to the id token (and, in V2, the access token) |
//! | `local-define-auth-challenge`  | DefineAuthChallenge           | CUSTOM_CHALLENGE until one is answered correctly (then tokens); fails after 3 wrong answers |
//! | `local-create-auth-challenge`  | CreateAuthChallenge           | a 6-digit code derived from user name and round, published in `publicChallengeParameters.answer` |
//! | `local-verify-auth-challenge`  | VerifyAuthChallengeResponse   | correct iff the answer equals that code |
//! | `local-echo`                   | any                           | returns the event unchanged (a no-op Lambda; use it to observe that a trigger fired) |
//! | `local-fail`                   | any                           | fails the invocation (to exercise error handling) |

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use fakecloud_core::delivery::LambdaDelivery;
use parking_lot::Mutex;
use serde::Serialize;
use serde_json::{Value, json};

/// Names of the built-in functions, as listed by `/_local/triggers`.
pub const FUNCTIONS: &[(&str, &str)] = &[
    ("local-auto-confirm", "PreSignUp: auto-confirm the user, auto-verify email/phone when present"),
    ("local-pre-token-claims", "PreTokenGeneration: add claim local_claim=added-by-local-pre-token-claims"),
    ("local-define-auth-challenge", "DefineAuthChallenge: CUSTOM_CHALLENGE until answered, 3 attempts"),
    ("local-create-auth-challenge", "CreateAuthChallenge: 6-digit code in publicChallengeParameters.answer"),
    ("local-verify-auth-challenge", "VerifyAuthChallengeResponse: answer must equal the code"),
    ("local-echo", "Any trigger: return the event unchanged"),
    ("local-fail", "Any trigger: fail the invocation"),
];

/// The claim `local-pre-token-claims` adds, and its value.
pub const PRE_TOKEN_CLAIM: (&str, &str) = ("local_claim", "added-by-local-pre-token-claims");

/// Wrong custom-challenge answers allowed before `local-define-auth-challenge` fails the sign-in.
const MAX_CUSTOM_ATTEMPTS: usize = 3;

const LOG_CAPACITY: usize = 10_000;

/// One recorded trigger invocation.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Invocation {
    pub id: u64,
    pub function_name: String,
    pub function_arn: String,
    /// From the event's `callerContext.accountId` (empty when the event has none).
    pub account_id: String,
    pub trigger_source: String,
    pub user_pool_id: String,
    pub user_name: String,
    /// `None` when the handler answered, else why the invocation failed.
    pub error: Option<String>,
    pub invoked_at_ms: u64,
    /// The event Cognito sent (what a real Lambda would have received), for asserting on it.
    pub event: Value,
}

#[derive(Default)]
pub struct LocalLambda {
    next_id: AtomicU64,
    log: Mutex<VecDeque<Invocation>>,
}

impl LocalLambda {
    /// Recorded invocations, oldest first, optionally narrowed to one account / function.
    pub fn invocations(&self, account_id: Option<&str>, function_name: Option<&str>) -> Vec<Invocation> {
        self.log
            .lock()
            .iter()
            .filter(|i| account_id.is_none_or(|a| a == i.account_id))
            .filter(|i| function_name.is_none_or(|f| f == i.function_name))
            .cloned()
            .collect()
    }

    pub fn clear(&self, account_id: Option<&str>) {
        let mut log = self.log.lock();
        match account_id {
            Some(acct) => log.retain(|i| i.account_id != acct),
            None => log.clear(),
        }
    }

    /// Run the handler for `function_arn` on `payload` and record the invocation.
    pub fn invoke(&self, function_arn: &str, payload: &str) -> Result<Vec<u8>, String> {
        let name = function_name(function_arn).to_string();
        let event: Result<Value, String> =
            serde_json::from_str(payload).map_err(|e| format!("trigger payload is not JSON: {e}"));
        let result = event.as_ref().map_err(Clone::clone).and_then(|event| handle(&name, event));
        let text = |v: Option<&Value>, ptr: &str| {
            v.and_then(|e| e.pointer(ptr)).and_then(Value::as_str).unwrap_or_default().to_string()
        };
        let ev = event.as_ref().ok();
        let invocation = Invocation {
            id: self.next_id.fetch_add(1, Ordering::Relaxed) + 1,
            function_name: name.clone(),
            function_arn: function_arn.to_string(),
            account_id: text(ev, "/callerContext/accountId"),
            trigger_source: text(ev, "/triggerSource"),
            user_pool_id: text(ev, "/userPoolId"),
            user_name: text(ev, "/userName"),
            error: result.as_ref().err().cloned(),
            invoked_at_ms: SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0),
            event: event.clone().unwrap_or_else(|_| Value::String(payload.to_string())),
        };
        match &invocation.error {
            None => tracing::info!(function = %name, source = %invocation.trigger_source, "trigger answered"),
            Some(e) => tracing::warn!(function = %name, error = %e, "trigger failed"),
        }
        {
            let mut log = self.log.lock();
            if log.len() >= LOG_CAPACITY {
                log.pop_front();
            }
            log.push_back(invocation);
        }
        result.and_then(|v| serde_json::to_vec(&v).map_err(|e| e.to_string()))
    }
}

impl LambdaDelivery for LocalLambda {
    fn invoke_lambda(
        &self,
        function_arn: &str,
        payload: &str,
    ) -> Pin<Box<dyn Future<Output = Result<Vec<u8>, String>> + Send>> {
        // The handlers are synchronous and cheap: answer now, hand back a ready future.
        let result = self.invoke(function_arn, payload);
        Box::pin(async move { result })
    }
}

/// `arn:aws:lambda:<region>:<acct>:function:<name>[:<qualifier>]`, `<name>:<qualifier>` or
/// `<name>` -> `<name>`.
pub fn function_name(arn_or_name: &str) -> &str {
    let tail = match arn_or_name.find(":function:") {
        Some(idx) => &arn_or_name[idx + ":function:".len()..],
        None => arn_or_name,
    };
    tail.split(':').next().unwrap_or(tail)
}

fn handle(name: &str, event: &Value) -> Result<Value, String> {
    let source = event.get("triggerSource").and_then(Value::as_str).unwrap_or_default();
    let expect = |prefix: &str| {
        if source.starts_with(prefix) {
            Ok(())
        } else {
            Err(format!("{name} answers {prefix}* triggers, but was invoked for {source:?}"))
        }
    };
    match name {
        "local-auto-confirm" => {
            expect("PreSignUp_")?;
            auto_confirm(event)
        }
        "local-pre-token-claims" => {
            expect("TokenGeneration_")?;
            pre_token_claims(event)
        }
        "local-define-auth-challenge" => {
            expect("DefineAuthChallenge_")?;
            define_auth_challenge(event)
        }
        "local-create-auth-challenge" => {
            expect("CreateAuthChallenge_")?;
            create_auth_challenge(event)
        }
        "local-verify-auth-challenge" => {
            expect("VerifyAuthChallengeResponse_")?;
            verify_auth_challenge(event)
        }
        "local-echo" => Ok(event.clone()),
        "local-fail" => Err("local-fail: this function always fails".to_string()),
        other => {
            let known: Vec<&str> = FUNCTIONS.iter().map(|(n, _)| *n).collect();
            Err(format!("Function not found: {other} (built-in functions: {})", known.join(", ")))
        }
    }
}

fn has_attribute(event: &Value, name: &str) -> bool {
    event.pointer(&format!("/request/userAttributes/{name}")).and_then(Value::as_str).is_some_and(|v| !v.is_empty())
}

fn with_response(event: &Value, response: Value) -> Value {
    let mut out = event.clone();
    out["response"] = response;
    out
}

fn auto_confirm(event: &Value) -> Result<Value, String> {
    Ok(with_response(
        event,
        json!({
            "autoConfirmUser": true,
            "autoVerifyEmail": has_attribute(event, "email"),
            "autoVerifyPhone": has_attribute(event, "phone_number"),
        }),
    ))
}

fn pre_token_claims(event: &Value) -> Result<Value, String> {
    let (claim, value) = PRE_TOKEN_CLAIM;
    let version = event.get("version").and_then(Value::as_str).unwrap_or("1");
    let response = if version == "1" {
        // V1 events may only change the id token.
        json!({ "claimsOverrideDetails": { "claimsToAddOrOverride": { claim: value } } })
    } else {
        json!({ "claimsAndScopeOverrideDetails": {
            "idTokenGeneration": { "claimsToAddOrOverride": { claim: value } },
            "accessTokenGeneration": { "claimsToAddOrOverride": { claim: value } },
        } })
    };
    Ok(with_response(event, response))
}

/// The `request.session` array of a custom-auth event.
fn session(event: &Value) -> &[Value] {
    event.pointer("/request/session").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

fn define_auth_challenge(event: &Value) -> Result<Value, String> {
    let session = session(event);
    let custom: Vec<&Value> =
        session.iter().filter(|s| s.get("challengeName").and_then(Value::as_str) == Some("CUSTOM_CHALLENGE")).collect();
    let answered = custom.iter().any(|s| s.get("challengeResult").and_then(Value::as_bool) == Some(true));
    let failures = custom.iter().filter(|s| s.get("challengeResult").and_then(Value::as_bool) != Some(true)).count();
    // A non-custom step that failed (e.g. PASSWORD_VERIFIER when custom auth follows SRP) ends it.
    let other_failed = session.iter().any(|s| {
        s.get("challengeName").and_then(Value::as_str) != Some("CUSTOM_CHALLENGE")
            && s.get("challengeResult").and_then(Value::as_bool) == Some(false)
    });
    let response = if answered {
        json!({ "issueTokens": true, "failAuthentication": false })
    } else if failures >= MAX_CUSTOM_ATTEMPTS || other_failed {
        json!({ "issueTokens": false, "failAuthentication": true })
    } else if session.len() == 1 && session[0].get("challengeName").and_then(Value::as_str) == Some("SRP_A") {
        json!({ "issueTokens": false, "failAuthentication": false, "challengeName": "PASSWORD_VERIFIER" })
    } else {
        json!({ "issueTokens": false, "failAuthentication": false, "challengeName": "CUSTOM_CHALLENGE" })
    };
    Ok(with_response(event, response))
}

/// The code for a user's `round`-th custom challenge: 6 digits, FNV-1a of `"<user>:<round>"`.
/// Deterministic so a test can also compute it, and different per round so a replayed answer
/// from an earlier round is wrong.
pub fn challenge_code(user_name: &str, round: usize) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in format!("{user_name}:{round}").bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:06}", hash % 1_000_000)
}

const METADATA_PREFIX: &str = "LOCAL_CODE:";

fn create_auth_challenge(event: &Value) -> Result<Value, String> {
    let user = event.get("userName").and_then(Value::as_str).unwrap_or_default();
    let round = session(event).len() + 1;
    let code = challenge_code(user, round);
    Ok(with_response(
        event,
        json!({
            "publicChallengeParameters": { "challenge": "local-code", "answer": code, "round": round.to_string() },
            "privateChallengeParameters": { "answer": code },
            // fakecloud 0.51.0 does not pass privateChallengeParameters on to the verify trigger
            // (it always sends {}); challengeMetadata does reach it, so the code rides there too.
            "challengeMetadata": format!("{METADATA_PREFIX}{code}"),
        }),
    ))
}

fn verify_auth_challenge(event: &Value) -> Result<Value, String> {
    let from_private =
        event.pointer("/request/privateChallengeParameters/answer").and_then(Value::as_str).filter(|s| !s.is_empty());
    let from_metadata = event
        .pointer("/request/challengeMetadata")
        .and_then(Value::as_str)
        .and_then(|m| m.strip_prefix(METADATA_PREFIX));
    let expected = from_private.or(from_metadata).ok_or(
        "local-verify-auth-challenge: no expected answer (was the challenge created by local-create-auth-challenge?)",
    )?;
    let given = event.pointer("/request/challengeAnswer").and_then(Value::as_str).unwrap_or_default();
    Ok(with_response(event, json!({ "answerCorrect": given == expected })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_names_from_arns() {
        assert_eq!(function_name("arn:aws:lambda:us-east-1:000000000000:function:local-echo"), "local-echo");
        assert_eq!(function_name("arn:aws:lambda:eu-west-1:1:function:local-echo:$LATEST"), "local-echo");
        assert_eq!(function_name("local-echo:prod"), "local-echo");
        assert_eq!(function_name("local-echo"), "local-echo");
    }

    #[test]
    fn unknown_function_and_wrong_trigger_are_errors() {
        let lambda = LocalLambda::default();
        let ev = json!({"triggerSource": "PreSignUp_SignUp", "callerContext": {"accountId": "111111111111"}});
        assert!(lambda.invoke("nope", &ev.to_string()).unwrap_err().contains("Function not found"));
        assert!(lambda.invoke("local-define-auth-challenge", &ev.to_string()).is_err());
        assert!(lambda.invoke("local-echo", "not json").is_err());
        let log = lambda.invocations(Some("111111111111"), None);
        assert_eq!(log.len(), 2);
        assert!(log.iter().all(|i| i.error.is_some()));
    }

    #[test]
    fn auto_confirm_verifies_present_attributes() {
        let ev = json!({"triggerSource": "PreSignUp_SignUp", "request": {"userAttributes": {"email": "a@b.test"}}});
        let out = handle("local-auto-confirm", &ev).unwrap();
        assert_eq!(
            out["response"],
            json!({"autoConfirmUser": true, "autoVerifyEmail": true, "autoVerifyPhone": false})
        );
    }

    #[test]
    fn pre_token_claims_by_version() {
        let v1 = handle(
            "local-pre-token-claims",
            &json!({"version": "1", "triggerSource": "TokenGeneration_Authentication"}),
        )
        .unwrap();
        assert_eq!(v1["response"]["claimsOverrideDetails"]["claimsToAddOrOverride"]["local_claim"], PRE_TOKEN_CLAIM.1);
        let v2 = handle(
            "local-pre-token-claims",
            &json!({"version": "2", "triggerSource": "TokenGeneration_Authentication"}),
        )
        .unwrap();
        assert_eq!(
            v2["response"]["claimsAndScopeOverrideDetails"]["accessTokenGeneration"]["claimsToAddOrOverride"]["local_claim"],
            PRE_TOKEN_CLAIM.1
        );
    }

    #[test]
    fn custom_auth_trio_round_trip() {
        let define = |session: Value| {
            handle(
                "local-define-auth-challenge",
                &json!({"triggerSource": "DefineAuthChallenge_Authentication", "request": {"session": session}}),
            )
            .unwrap()["response"]
                .clone()
        };
        assert_eq!(define(json!([]))["challengeName"], "CUSTOM_CHALLENGE");
        assert_eq!(
            define(json!([{"challengeName": "SRP_A", "challengeResult": true}]))["challengeName"],
            "PASSWORD_VERIFIER"
        );
        assert_eq!(
            define(json!([{"challengeName": "CUSTOM_CHALLENGE", "challengeResult": true}]))["issueTokens"],
            true
        );
        let three_wrong = json!([
            {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": false},
            {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": false},
            {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": false}
        ]);
        assert_eq!(define(three_wrong)["failAuthentication"], true);

        let created = handle(
            "local-create-auth-challenge",
            &json!({"triggerSource": "CreateAuthChallenge_Authentication", "userName": "alice", "request": {"session": []}}),
        )
        .unwrap();
        let code = created["response"]["publicChallengeParameters"]["answer"].as_str().unwrap().to_string();
        assert_eq!(code, challenge_code("alice", 1));
        assert_ne!(challenge_code("alice", 1), challenge_code("alice", 2));
        let metadata = created["response"]["challengeMetadata"].clone();
        let verify = |answer: &str| {
            handle(
                "local-verify-auth-challenge",
                &json!({"triggerSource": "VerifyAuthChallengeResponse_Authentication",
                        "request": {"challengeAnswer": answer, "privateChallengeParameters": {}, "challengeMetadata": metadata}}),
            )
            .unwrap()["response"]["answerCorrect"]
                .clone()
        };
        assert_eq!(verify(&code), true);
        assert_eq!(verify("000000x"), false);
    }
}
