//! Shared helpers of the integration tests: each test gets its own account on the local
//! Cognito-compatible server (started by the harness, or `COGNITO_LOCAL_ENDPOINT`), and talks to
//! it through the real SDK.

#![allow(dead_code)]

use auth_deploy::deploy::{self, DeployOptions, Deployed};
use auth_deploy::{Aws, Externals, Plan};
use auth_spec::model::*;
use auth_spec::{AuthState, Spec};
use cognito_local_harness::{LocalCognito, TestAccount};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// An account of its own and the clients acting in it.
pub struct Env {
    pub account: TestAccount,
    pub aws: Aws,
}

pub async fn env() -> Env {
    let local = LocalCognito::shared().await.expect("the local Cognito server starts");
    let account = local.account().await.expect("a test account");
    let aws = Aws::from_sdk_config(account.sdk_config()).expect("clients");
    Env { account, aws }
}

/// The folder of the example specs.
pub fn examples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("examples")
}

/// The secrets the example specs and fixtures reference.
pub fn secrets() -> BTreeMap<String, String> {
    [
        "GOOGLE_CLIENT_SECRET",
        "FACEBOOK_APP_SECRET",
        "AMAZON_CLIENT_SECRET",
        "APPLE_PRIVATE_KEY",
        "OKTA_CLIENT_SECRET",
        "CORPORATE_OIDC_SECRET",
        "CORP_CLIENT_SECRET",
    ]
    .into_iter()
    .map(|name| (name.to_string(), format!("{}-value", name.to_lowercase())))
    .collect()
}

pub fn externals() -> Externals {
    Externals::from_map(examples_dir(), secrets())
}

/// Loads an example spec (as the CLI does), minus what the local server cannot store.
pub fn example(name: &str) -> Spec {
    let path = examples_dir().join(format!("{name}.toml"));
    local_subset(auth_spec::load_file(&path, None).unwrap_or_else(|e| panic!("{}: {e}", path.display())).spec)
}

/// The spec without the settings the local server (fakecloud 0.51) does not store, so a deploy
/// can converge on it. Each is a divergence from real Cognito reported to the server's owner;
/// the requests for them are proven complete by the unit tests of `requests` (which read each
/// request back the way Cognito stores it), not by these tests:
/// - `SetUserPoolMfaConfig` ignores `EmailMfaConfiguration`;
/// - `CreateUserPoolClient` / `UpdateUserPoolClient` drop `DefaultRedirectURI`.
///
/// (The attribute schema, which fakecloud also mangles, is repaired by the server itself.)
pub fn local_subset(mut spec: Spec) -> Spec {
    spec.mfa.methods.retain(|method| *method != MfaMethod::Email);
    spec.mfa.email_subject = None;
    spec.mfa.email_message = None;
    if spec.mfa.methods.is_empty() {
        spec.mfa.mode = MfaMode::Off;
    }
    for client in spec.clients.values_mut() {
        if let Some(oauth) = &mut client.oauth {
            oauth.default_redirect_uri = None;
        }
    }
    spec
}

pub fn allow(keys: &[&str]) -> DeployOptions {
    DeployOptions { allow_destructive: keys.iter().map(|k| k.to_string()).collect(), ..DeployOptions::default() }
}

pub async fn deploy(env: &Env, desired: &AuthState) -> Deployed {
    deploy_with(env, desired, &DeployOptions::default()).await
}

pub async fn deploy_with(env: &Env, desired: &AuthState, options: &DeployOptions) -> Deployed {
    deploy::deploy(&env.aws, desired, &externals(), options, &mut |_| {})
        .await
        .unwrap_or_else(|e| panic!("deploy of {}: {e}", desired.pool.name))
}

pub async fn plan(env: &Env, desired: &AuthState) -> Plan {
    deploy::diff(&env.aws, desired, &externals())
        .await
        .unwrap_or_else(|e| panic!("diff of {}: {e}", desired.pool.name))
        .plan
}

/// Asserts that nothing is left to do.
pub async fn assert_converged(env: &Env, desired: &AuthState) {
    let plan = plan(env, desired).await;
    assert!(!plan.has_changes(), "diff right after deploy shows changes:\n{}", plan.display());
}

/// A spec using most features, all of which the local server stores.
pub fn rich() -> Spec {
    local_subset(rich_spec())
}

fn rich_spec() -> Spec {
    let mut spec = Spec::default();
    spec.pool.name = "rich-users".into();
    spec.pool.password.min_length = 12;
    spec.pool.tags.insert("team".into(), "identity".into());
    spec.attributes.email = Some(StandardAttributeSpec::required());
    spec.attributes.given_name = Some(StandardAttributeSpec::required());
    spec.custom_attributes.insert(
        "tier".into(),
        CustomAttribute { max_length: Some(16), ..CustomAttribute::new(CustomAttributeType::String) },
    );
    spec.custom_attributes.insert(
        "seats".into(),
        CustomAttribute { min: Some(1), max: Some(500), ..CustomAttribute::new(CustomAttributeType::Number) },
    );
    spec.verification.email_subject = Some("Welcome to Rich".into());
    spec.mfa = Mfa { mode: MfaMode::Optional, methods: vec![MfaMethod::Totp], ..Mfa::default() };
    spec.devices = Devices { remember: DeviceRemembering::UserOptIn, challenge_new_device: true };
    spec.triggers
        .set(Trigger::PreSignUp, cognito_local_harness::functions::arn(cognito_local_harness::functions::AUTO_CONFIRM));
    spec.groups.insert(
        "admins".into(),
        Group { precedence: Some(0), description: Some("Administrators".into()), role_arn: None },
    );
    spec.groups.insert("users".into(), Group { precedence: Some(10), ..Group::default() });
    spec.resource_servers.insert(
        "https://api.example.com".into(),
        ResourceServer {
            name: "Orders API".into(),
            scopes: BTreeMap::from([("orders.read".into(), "Read orders".into())]),
        },
    );
    spec.providers.google = Some(SocialProvider {
        client_id: "1234-abc.apps.googleusercontent.com".into(),
        client_secret: SecretRef::env("GOOGLE_CLIENT_SECRET"),
        scopes: Vec::new(),
        attribute_mapping: BTreeMap::from([("email".into(), "email".into())]),
        api_version: None,
    });
    spec.clients.insert(
        "web".into(),
        AppClient {
            read_attributes: Some(vec!["email".into(), "given_name".into(), "tier".into()]),
            oauth: Some(ClientOAuth {
                flows: vec![OAuthFlow::Code],
                callback_urls: vec!["https://app.example.com/callback".into()],
                logout_urls: vec!["https://app.example.com/".into()],
                ..ClientOAuth::default()
            }),
            ..AppClient::default()
        },
    );
    spec.clients.insert(
        "backend".into(),
        AppClient {
            generate_secret: true,
            auth_flows: vec![AuthFlow::AdminUserPassword, AuthFlow::RefreshToken],
            access_token_validity: Some(TokenValidity::minutes(15)),
            ..AppClient::default()
        },
    );
    spec.domain = Some(Domain { prefix: Some("rich-auth".into()), ..Domain::default() });
    spec.identity_pool =
        Some(IdentityPool { name: "rich_identities".into(), allow_guest: true, ..IdentityPool::default() });
    spec
}
