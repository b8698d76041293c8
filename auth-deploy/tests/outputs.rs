//! The outputs file, field by field, against what the local server holds (read with plain SDK
//! calls, not through the code under test).

mod common;

use auth_deploy::deploy;
use auth_spec::outputs::{AmplifyOutputs, GroupOutputs};
use auth_spec::resolve;
use common::*;
use std::collections::BTreeMap;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outputs_of_the_full_example_match_the_live_pool_field_by_field() {
    let env = env().await;
    let desired = resolve(&example("full"));
    deploy(&env, &desired).await;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("amplify_outputs.json");
    let outputs = deploy::outputs(&env.aws, &desired).await.expect("outputs");
    deploy::write_outputs(&path, &outputs).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let written = AmplifyOutputs::from_json(&text).expect("the file parses");
    assert_eq!(written, outputs);

    // What is live, read with plain SDK calls.
    let idp = aws_sdk_cognitoidentityprovider::Client::new(env.account.sdk_config());
    let pools = idp.list_user_pools().max_results(60).send().await.unwrap();
    let pool_id =
        pools.user_pools().iter().find(|p| p.name() == Some("full-users")).and_then(|p| p.id()).unwrap().to_string();
    let listed = idp.list_user_pool_clients().user_pool_id(&pool_id).max_results(60).send().await.unwrap();
    let client_ids: BTreeMap<String, String> = listed
        .user_pool_clients()
        .iter()
        .map(|c| (c.client_name().unwrap().to_string(), c.client_id().unwrap().to_string()))
        .collect();
    let identity = aws_sdk_cognitoidentity::Client::new(env.account.sdk_config());
    let identity_pools = identity.list_identity_pools().max_results(60).send().await.unwrap();
    let identity_pool_id = identity_pools.identity_pools()[0].identity_pool_id().unwrap().to_string();

    let auth = &written.auth;
    assert!(written.version.starts_with("1."), "{}", written.version);
    assert_eq!(auth.aws_region, "us-east-1");
    assert_eq!(auth.user_pool_id, pool_id);
    // The public client with OAuth is the one Amplify libraries get.
    assert_eq!(auth.user_pool_client_id, client_ids["web"]);
    assert_eq!(auth.identity_pool_id.as_deref(), Some(identity_pool_id.as_str()));
    let password = auth.password_policy.as_ref().unwrap();
    assert_eq!(
        (
            password.min_length,
            password.require_lowercase,
            password.require_uppercase,
            password.require_numbers,
            password.require_symbols
        ),
        (10, true, true, true, false)
    );
    let oauth = auth.oauth.as_ref().expect("oauth");
    assert_eq!(oauth.domain, "full-example-auth.auth.us-east-1.amazoncognito.com");
    assert_eq!(oauth.identity_providers, ["GOOGLE"], "OIDC and SAML providers have no Amplify name");
    assert_eq!(
        oauth.scopes,
        ["aws.cognito.signin.user.admin", "email", "https://api.example.com/orders.read", "openid", "profile"]
    );
    assert_eq!(
        oauth.redirect_sign_in_uri,
        ["fullapp://callback", "http://localhost:3000/callback", "https://app.example.com/callback"]
    );
    assert_eq!(oauth.redirect_sign_out_uri, ["http://localhost:3000/", "https://app.example.com/"]);
    assert_eq!(oauth.response_type, "code");
    assert_eq!(auth.standard_required_attributes, ["email", "given_name"]);
    assert_eq!(auth.username_attributes, ["username"]);
    assert_eq!(auth.user_verification_types, ["email", "phone_number"]);
    assert_eq!(auth.unauthenticated_identities_enabled, Some(true));
    assert_eq!(auth.mfa_configuration.as_deref(), Some("OPTIONAL"));
    assert_eq!(auth.mfa_methods, ["SMS", "TOTP"]);
    assert_eq!(
        auth.groups,
        [("admins", 0), ("editors", 10), ("readers", 20)].map(|(name, precedence)| BTreeMap::from([(
            name.to_string(),
            GroupOutputs { precedence: Some(precedence) }
        )]))
    );

    let ours = written.deployment().expect("our section");
    assert_eq!(ours.user_pool_name, "full-users");
    assert_eq!(ours.default_client, "web");
    assert_eq!(ours.clients.keys().collect::<Vec<_>>(), ["backend", "cli", "web"]);
    for (name, client) in &ours.clients {
        assert_eq!(client.client_id, client_ids[name], "{name}");
    }
    assert!(ours.clients["backend"].has_secret);
    assert!(!ours.clients["web"].has_secret);
    assert_eq!(
        ours.clients["cli"].auth_flows,
        ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]
    );
    assert_eq!(ours.endpoint_url.as_deref(), Some(env.account.endpoint()));

    // No secret reaches the file: not the client secret Cognito generated, not a provider's.
    let backend =
        idp.describe_user_pool_client().user_pool_id(&pool_id).client_id(&client_ids["backend"]).send().await.unwrap();
    let client_secret =
        backend.user_pool_client().and_then(|c| c.client_secret()).expect("the backend client has a secret");
    assert!(!text.contains(client_secret));
    for secret in secrets().values() {
        assert!(!text.contains(secret.as_str()), "{secret} in the outputs");
    }
}
