//! Per-account isolation ("tenants").
//!
//! fakecloud keeps its state per account (`MultiAccountState`), and the dispatcher picks the
//! account from the caller's credentials. Two things in fakecloud-cognito 0.51.0 make that
//! insufficient on its own for parallel tests:
//!
//! * unsigned operations (SignUp, InitiateAuth, RespondToAuthChallenge, GetUser, GetId, ...)
//!   carry no credentials, so the dispatcher files them under its default account, where the
//!   pool that a test created with its own credentials does not exist;
//! * Lambda triggers and the verification-message templates are read from the *default*
//!   account only (`triggers::get_trigger_arn` and `dispatch_verification_email` call
//!   `default_ref()`), so a pool in any other account would silently lose its triggers.
//!
//! So each account gets its own fakecloud Cognito state whose default account *is* that
//! account, and its own service registry. A request is routed to a tenant before fakecloud sees
//! it: signed requests by access key id (a 12-digit key *is* the account, a key minted by STS or
//! cognito-identity belongs to the account recorded in IAM, anything else is the default
//! account); unsigned requests by the resource they name (ClientId, UserPoolId, the pool in an
//! access token's `iss`, Session, IdentityPoolId, IdentityId). IAM and STS are shared: their
//! state is natively per account and cognito-identity writes minted credentials into it.

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine;
use fakecloud_cognito::{CognitoIdentityService, CognitoService, CognitoState, SharedCognitoState};
use fakecloud_core::auth::CredentialResolver;
use fakecloud_core::dispatch::DispatchConfig;
use fakecloud_core::multi_account::MultiAccountState;
use fakecloud_core::registry::ServiceRegistry;
use fakecloud_iam::SharedIamState;
use fakecloud_iam::credential_resolver::IamCredentialResolver;
use fakecloud_iam::iam_service::IamService;
use fakecloud_iam::sts_service::StsService;
use parking_lot::RwLock;
use serde_json::Value;

/// The account that `test`-style credentials and unrouteable unsigned calls act in.
pub const DEFAULT_ACCOUNT: &str = "000000000000";

/// A 12-digit AWS account id.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// One account's fakecloud stack.
pub struct Tenant {
    pub account_id: String,
    pub cognito: SharedCognitoState,
    pub registry: Arc<ServiceRegistry>,
    pub dispatch: Arc<DispatchConfig>,
}

/// What every tenant shares: IAM/STS, the trigger and message plumbing.
pub struct Shared {
    pub region: String,
    pub endpoint: String,
    pub default_account: String,
    pub iam_state: SharedIamState,
    pub credentials: Arc<IamCredentialResolver>,
    iam: Arc<IamService>,
    sts: Arc<StsService>,
    pub delivery: fakecloud_cognito::triggers::CognitoDeliveryContext,
}

pub struct Tenants {
    pub shared: Shared,
    by_account: RwLock<BTreeMap<String, Arc<Tenant>>>,
}

impl Tenants {
    pub fn new(
        endpoint: &str,
        region: &str,
        default_account: &str,
        delivery: fakecloud_cognito::triggers::CognitoDeliveryContext,
    ) -> Self {
        let iam_state: SharedIamState =
            Arc::new(RwLock::new(MultiAccountState::new(default_account, region, endpoint)));
        let shared = Shared {
            region: region.to_string(),
            endpoint: endpoint.to_string(),
            default_account: default_account.to_string(),
            credentials: Arc::new(IamCredentialResolver::new(iam_state.clone())),
            iam: Arc::new(IamService::new(iam_state.clone())),
            sts: Arc::new(StsService::new(iam_state.clone())),
            iam_state,
            delivery,
        };
        Self { shared, by_account: RwLock::new(BTreeMap::new()) }
    }

    /// The tenant for `account_id`, created on first use.
    pub fn get_or_create(&self, account_id: &str) -> Arc<Tenant> {
        if let Some(t) = self.by_account.read().get(account_id) {
            return t.clone();
        }
        let mut map = self.by_account.write();
        map.entry(account_id.to_string()).or_insert_with(|| Arc::new(self.build(account_id))).clone()
    }

    pub fn default_tenant(&self) -> Arc<Tenant> {
        self.get_or_create(&self.shared.default_account)
    }

    fn build(&self, account_id: &str) -> Tenant {
        let s = &self.shared;
        let cognito: SharedCognitoState =
            Arc::new(RwLock::new(MultiAccountState::new(account_id, &s.region, &s.endpoint)));
        let mut registry = ServiceRegistry::new();
        registry.register(Arc::new(CognitoService::new(cognito.clone()).with_delivery(s.delivery.clone())));
        registry.register(Arc::new(CognitoIdentityService::new(cognito.clone(), s.iam_state.clone())));
        registry.register(s.iam.clone());
        registry.register(s.sts.clone());
        let mut dispatch = DispatchConfig::new(s.region.clone(), account_id.to_string());
        // Lets STS/IAM see the principal behind credentials minted by cognito-identity or STS.
        // Signatures are not verified (verify_sigv4 stays off): any secret works.
        dispatch.credential_resolver = Some(s.credentials.clone());
        Tenant {
            account_id: account_id.to_string(),
            cognito,
            registry: Arc::new(registry),
            dispatch: Arc::new(dispatch),
        }
    }

    /// Every tenant that exists now, in account order.
    pub fn all(&self) -> Vec<Arc<Tenant>> {
        self.by_account.read().values().cloned().collect()
    }

    /// The first tenant whose Cognito state satisfies `pred` (checked under a read lock).
    pub fn find(&self, pred: impl Fn(&CognitoState) -> bool) -> Option<Arc<Tenant>> {
        self.all().into_iter().find(|t| t.cognito.read().iter().any(|(_, state)| pred(state)))
    }

    pub fn owner_of_pool(&self, pool_id: &str) -> Option<Arc<Tenant>> {
        self.find(|s| s.user_pools.contains_key(pool_id))
    }

    pub fn owner_of_client(&self, client_id: &str) -> Option<Arc<Tenant>> {
        self.find(|s| s.user_pool_clients.contains_key(client_id))
    }

    /// Drop one account's state (Cognito, IAM) or, with `None`, every account's.
    pub fn reset(&self, account_id: Option<&str>) {
        match account_id {
            Some(acct) => {
                self.by_account.write().remove(acct);
                self.shared.iam_state.write().reset_account(acct);
            }
            None => {
                self.by_account.write().clear();
                self.shared.iam_state.write().reset();
            }
        }
    }

    /// The tenant a wire request belongs to; see the module docs for the rules.
    pub fn route(&self, access_key_id: Option<&str>, json_body: Option<&Value>) -> Arc<Tenant> {
        if let Some(akid) = access_key_id.map(str::trim).filter(|k| !k.is_empty()) {
            if is_account_id(akid) {
                return self.get_or_create(akid);
            }
            if let Some(resolved) = self.shared.credentials.resolve(akid)
                && is_account_id(&resolved.principal.account_id)
            {
                return self.get_or_create(&resolved.principal.account_id);
            }
            return self.default_tenant();
        }
        if let Some(body) = json_body
            && let Some(t) = self.owner_from_body(body)
        {
            return t;
        }
        self.default_tenant()
    }

    /// Owner of the first resource named in an unsigned Cognito request body.
    fn owner_from_body(&self, body: &Value) -> Option<Arc<Tenant>> {
        let field = |name: &str| body.get(name).and_then(Value::as_str).filter(|s| !s.is_empty());
        field("ClientId")
            .and_then(|id| self.owner_of_client(id))
            .or_else(|| field("UserPoolId").and_then(|id| self.owner_of_pool(id)))
            .or_else(|| field("AccessToken").and_then(jwt_pool_id).and_then(|pool| self.owner_of_pool(&pool)))
            .or_else(|| field("Session").and_then(|s| self.find(|st| st.sessions.contains_key(s))))
            .or_else(|| field("IdentityPoolId").and_then(|id| self.find(|st| st.identity_pools.contains_key(id))))
            .or_else(|| field("IdentityId").and_then(|id| self.find(|st| st.federated_identities.contains_key(id))))
    }
}

/// The user pool id in a Cognito JWT's `iss` (`https://cognito-idp.<region>.amazonaws.com/<pool>`).
/// The token is *not* verified here: this only picks which account's fakecloud verifies it.
pub fn jwt_pool_id(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    let iss = claims.get("iss")?.as_str()?;
    let pool = iss.rsplit('/').next()?;
    (!pool.is_empty()).then(|| pool.to_string())
}

/// The access key id of a SigV4-signed request: from `Authorization: AWS4-HMAC-SHA256
/// Credential=AKID/date/region/service/aws4_request, ...` or a presigned `X-Amz-Credential`.
pub fn access_key_id(authorization: Option<&str>, query: Option<&str>) -> Option<String> {
    if let Some(auth) = authorization
        && let Some(idx) = auth.find("Credential=")
    {
        let rest = &auth[idx + "Credential=".len()..];
        let akid = rest.split('/').next().unwrap_or("");
        if !akid.is_empty() {
            return Some(akid.to_string());
        }
    }
    let query = query?;
    for pair in query.split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        if k == "X-Amz-Credential" {
            let decoded = percent_decode(v);
            let akid = decoded.split('/').next().unwrap_or("").to_string();
            if !akid.is_empty() {
                return Some(akid);
            }
        }
    }
    None
}

/// Minimal `%XX` / `+` decoding for query values (invalid escapes are kept verbatim).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids_are_twelve_digits() {
        assert!(is_account_id("123456789012"));
        assert!(!is_account_id("12345678901"));
        assert!(!is_account_id("12345678901a"));
        assert!(!is_account_id("test"));
    }

    #[test]
    fn access_key_from_header_and_presigned_query() {
        let h = "AWS4-HMAC-SHA256 Credential=111122223333/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=abc";
        assert_eq!(access_key_id(Some(h), None).as_deref(), Some("111122223333"));
        let q = "Action=GetCallerIdentity&X-Amz-Credential=ASIAXYZ%2F20260101%2Fus-east-1%2Fsts%2Faws4_request";
        assert_eq!(access_key_id(None, Some(q)).as_deref(), Some("ASIAXYZ"));
        assert_eq!(access_key_id(Some("Basic abc"), Some("a=b")), None);
    }

    #[test]
    fn percent_decoding_keeps_bad_escapes() {
        assert_eq!(percent_decode("a%2Fb+c"), "a/b c");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode("%+1"), "% 1");
    }

    #[test]
    fn pool_id_from_unverified_token() {
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"iss":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc"}"#);
        assert_eq!(jwt_pool_id(&format!("h.{payload}.s")).as_deref(), Some("us-east-1_abc"));
        assert_eq!(jwt_pool_id("not-a-jwt"), None);
        assert_eq!(jwt_pool_id("a.!!!.c"), None);
    }
}
