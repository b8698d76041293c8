//! `DescribeUserPool` names the pool's domain.
//!
//! Cognito's `UserPoolType` carries `Domain` (the prefix domain) and `CustomDomain`; fakecloud
//! 0.51.0 stores domains (CreateUserPoolDomain, DescribeUserPoolDomain work) but never puts
//! them in `DescribeUserPool`, so a client cannot find the domain of a pool it knows only by id,
//! and a removed domain goes unseen. The repair fills both fields from the stored domains.

use serde_json::Value;

use crate::tenants::Tenant;

pub struct Pending {
    pool_id: String,
}

pub fn handles(operation: &str) -> bool {
    operation == "DescribeUserPool"
}

pub fn before(operation: &str, body: &Value) -> Option<Pending> {
    if !handles(operation) {
        return None;
    }
    let pool_id = body.get("UserPoolId")?.as_str()?.to_string();
    Some(Pending { pool_id })
}

/// Returns whether the answer was changed.
pub fn after(pending: Pending, tenant: &Tenant, json: &mut Value) -> bool {
    let Some(pool) = json.get_mut("UserPool").and_then(Value::as_object_mut) else { return false };
    if pool.contains_key("Domain") || pool.contains_key("CustomDomain") {
        return false;
    }
    let mut changed = false;
    let accounts = tenant.cognito.read();
    for (_, state) in accounts.iter() {
        for domain in state.domains.values().filter(|d| d.user_pool_id == pending.pool_id) {
            let field = if domain.custom_domain_config.is_some() { "CustomDomain" } else { "Domain" };
            pool.insert(field.to_string(), Value::String(domain.domain.clone()));
            changed = true;
        }
    }
    changed
}
