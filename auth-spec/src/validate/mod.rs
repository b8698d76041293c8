//! Cognito's own rules, beyond what the JSON Schema can say: one module per area, each adding
//! located [`Diagnostic`]s for every problem it finds. No rule panics, and every rule has a passing
//! and a failing case in the tests.

mod arn;
mod attributes;
mod clients;
mod identity_pool;
mod messages;
mod mfa;
mod pool;
mod providers;
mod triggers;

use crate::diagnostics::Diagnostic;
use crate::model::Spec;

/// Runs every rule over a deserialized spec.
pub(crate) fn rules(spec: &Spec) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    pool::check(spec, &mut found);
    attributes::check(spec, &mut found);
    messages::check(spec, &mut found);
    mfa::check(spec, &mut found);
    triggers::check(spec, &mut found);
    clients::check(spec, &mut found);
    providers::check(spec, &mut found);
    identity_pool::check(spec, &mut found);
    found
}

/// Cognito's name pattern for pools, clients and identity pools: `[\w\s+=,.@-]+`.
pub(crate) fn is_cognito_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_alphanumeric() || c == '_' || c.is_whitespace() || "+=,.@-".contains(c))
}
