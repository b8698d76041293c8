//! TOTP set-up during sign-in (`MFA_SETUP`).
//!
//! Real clients (amazon-cognito-identity-js, Amplify, the SDK-based flows) chain sessions:
//! InitiateAuth -> `MFA_SETUP` + session S0; AssociateSoftwareToken(Session=S0) -> S1;
//! VerifySoftwareToken(Session=S1) -> S2; RespondToAuthChallenge(MFA_SETUP, Session=S2).
//! fakecloud returns S1 without storing it, so VerifySoftwareToken answers "Invalid session.",
//! and VerifySoftwareToken returns no session at all. We register S1 as an alias of S0, and
//! when VerifySoftwareToken omits the session we return the one it was called with.

use serde_json::Value;

use crate::tenants::Tenant;

pub struct Pending {
    operation: Operation,
    session: String,
}

enum Operation {
    AssociateSoftwareToken,
    VerifySoftwareToken,
}

pub fn handles(operation: &str) -> bool {
    matches!(operation, "AssociateSoftwareToken" | "VerifySoftwareToken")
}

/// Session-based calls only (the access-token variants need no repair).
pub fn before(operation: &str, body: &Value) -> Option<Pending> {
    let operation = match operation {
        "AssociateSoftwareToken" => Operation::AssociateSoftwareToken,
        "VerifySoftwareToken" => Operation::VerifySoftwareToken,
        _ => return None,
    };
    let session = body.get("Session")?.as_str().filter(|s| !s.is_empty())?.to_string();
    Some(Pending { operation, session })
}

/// Returns whether the answer was changed.
pub fn after(pending: Pending, tenant: &Tenant, json: &mut Value) -> bool {
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
            false
        }
        Operation::VerifySoftwareToken => {
            if json.get("Session").is_some() {
                return false;
            }
            json["Session"] = Value::String(pending.session);
            true
        }
    }
}
