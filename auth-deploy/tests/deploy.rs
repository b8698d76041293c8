//! Deploy against the local Cognito-compatible server, through the real SDK: create from empty,
//! idempotence (counted calls), in-place changes, refused destructive changes, drift.

mod common;

use auth_deploy::deploy::{self, DeployOptions};
use auth_deploy::{Action, Error, Resource};
use auth_spec::model::*;
use auth_spec::resolve;
use common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_example_deploys_from_empty_and_then_has_nothing_to_do() {
    let mut names: Vec<String> = std::fs::read_dir(examples_dir())
        .expect("examples/")
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.strip_suffix(".toml").map(str::to_string))
        .collect();
    names.sort();
    assert!(names.len() >= 5, "examples: {names:?}");
    for name in names {
        let env = env().await;
        let desired = resolve(&example(&name));
        let first = deploy(&env, &desired).await;
        assert!(first.plan.resources.iter().all(|r| r.action == Action::Create), "{name}: {}", first.plan.display());
        assert_converged(&env, &desired).await;

        let before = env.aws.calls().snapshot();
        let second = deploy(&env, &desired).await;
        let calls = env.aws.calls().snapshot().since(&before);
        assert!(!second.plan.has_changes(), "{name}: {}", second.plan.display());
        assert_eq!(calls.mutating_total(), 0, "{name}: second deploy made {:?}", calls.mutating());
        assert_eq!(second.outputs, first.outputs, "{name}: outputs differ between deploys");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_diff_reads_each_resource_once_plus_its_list_calls() {
    let env = env().await;
    let desired = resolve(&rich());
    deploy(&env, &desired).await;
    let before = env.aws.calls().snapshot();
    let plan = plan(&env, &desired).await;
    let calls = env.aws.calls().snapshot().since(&before);
    assert!(!plan.has_changes());
    assert_eq!(calls.mutating_total(), 0);
    for (operation, count) in [
        ("ListUserPools", 1),
        ("DescribeUserPool", 1),
        ("GetUserPoolMfaConfig", 1),
        ("ListUserPoolClients", 1),
        ("DescribeUserPoolClient", 2),
        ("ListGroups", 1),
        ("ListResourceServers", 1),
        ("ListIdentityProviders", 1),
        ("DescribeIdentityProvider", 1),
        ("ListIdentityPools", 1),
        ("DescribeIdentityPool", 1),
        ("GetIdentityPoolRoles", 1),
        // DescribeUserPool names the prefix domain, so it costs no read.
        ("DescribeUserPoolDomain", 0),
    ] {
        assert_eq!(calls.count(operation), count, "{operation} in {:?}", calls.calls);
    }
    assert_eq!(calls.total(), 13, "{:?}", calls.calls);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_place_changes_are_applied_and_converge() {
    let env = env().await;
    let before = rich();
    deploy(&env, &resolve(&before)).await;

    let mut after = before.clone();
    after.pool.password.min_length = 14;
    after.pool.password.require.retain(|c| *c != CharacterClass::Symbols);
    after.pool.tags.insert("cost-center".into(), "42".into());
    after.verification.email_message = Some("Your Rich code: {####}".into());
    after.invitation.email_subject = Some("Join Rich".into());
    // (Turning device tracking off relies on UpdateUserPool resetting an omitted setting, which
    // the local server does not do; see its README.)
    after.devices = Devices { remember: DeviceRemembering::Always, challenge_new_device: false };
    after.triggers.set(
        Trigger::PreTokenGeneration,
        cognito_local_harness::functions::arn(cognito_local_harness::functions::PRE_TOKEN_CLAIMS),
    );
    after.mfa = Mfa { mode: MfaMode::Required, methods: vec![MfaMethod::Totp], ..Mfa::default() };
    after.custom_attributes.insert("beta".into(), CustomAttribute::new(CustomAttributeType::Boolean));
    after.groups.get_mut("admins").unwrap().description = Some("Admins of Rich".into());
    after.groups.get_mut("users").unwrap().precedence = Some(5);
    after.groups.insert("auditors".into(), Group { precedence: Some(20), ..Group::default() });
    after
        .resource_servers
        .get_mut("https://api.example.com")
        .unwrap()
        .scopes
        .insert("orders.write".into(), "Write orders".into());
    after.providers.google.as_mut().unwrap().attribute_mapping.insert("given_name".into(), "given_name".into());
    let web = after.clients.get_mut("web").unwrap();
    web.access_token_validity = Some(TokenValidity::minutes(30));
    web.refresh_token_validity = Some(TokenValidity::days(7));
    web.auth_flows.push(AuthFlow::Custom);
    web.oauth.as_mut().unwrap().callback_urls.push("http://localhost:3000/".into());
    after.clients.insert("cli".into(), AppClient::default());
    after.identity_pool.as_mut().unwrap().allow_classic_flow = true;
    let desired = resolve(&after);

    let deployed = deploy(&env, &desired).await;
    assert!(deployed.plan.destructive().is_empty(), "{}", deployed.plan.display());
    assert_converged(&env, &desired).await;
    let live = deployed.live.state().expect("deployed");
    assert_eq!(live.pool.password_policy.minimum_length, 14);
    assert!(!live.pool.password_policy.require_symbols);
    assert_eq!(live.pool.tags.get("cost-center").map(String::as_str), Some("42"));
    assert_eq!(live.pool.mfa, desired.pool.mfa);
    assert_eq!(live.pool.devices, desired.pool.devices);
    assert!(live.pool.custom_attributes.contains_key("custom:beta"));
    assert_eq!(live.groups, desired.groups);
    assert_eq!(live.resource_servers, desired.resource_servers);
    assert_eq!(live.clients["web"], desired.clients["web"]);
    assert!(live.clients.contains_key("cli"));
    assert_eq!(live.identity_pool, desired.identity_pool);
}

/// A change made to a spec.
type Edit = Box<dyn Fn(&mut Spec)>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn destructive_changes_are_refused_with_their_reason_and_change_nothing() {
    let env = env().await;
    let before = rich();
    let desired_before = resolve(&before);
    deploy(&env, &desired_before).await;

    let cases: Vec<(&str, Edit)> = vec![
        ("pool", Box::new(|s| s.pool.sign_in = vec![SignInIdentifier::Phone])),
        ("pool", Box::new(|s| s.pool.sign_in = vec![SignInIdentifier::Username, SignInIdentifier::Email])),
        ("pool", Box::new(|s| s.pool.case_sensitive = true)),
        ("pool", Box::new(|s| s.attributes.family_name = Some(StandardAttributeSpec::required()))),
        (
            "pool",
            Box::new(|s| {
                s.custom_attributes.remove("tier");
            }),
        ),
        ("pool", Box::new(|s| s.custom_attributes.get_mut("seats").unwrap().max = Some(1000))),
        ("client:backend", Box::new(|s| s.clients.get_mut("backend").unwrap().generate_secret = false)),
        (
            "client:backend",
            Box::new(|s| {
                s.clients.remove("backend");
            }),
        ),
        (
            "group:users",
            Box::new(|s| {
                s.groups.remove("users");
            }),
        ),
        (
            "provider:Google",
            Box::new(|s| {
                s.providers.google = None;
            }),
        ),
        ("group:admins", Box::new(|s| s.groups.get_mut("admins").unwrap().description = None)),
        ("domain", Box::new(|s| s.domain = None)),
        ("identity-pool", Box::new(|s| s.identity_pool = None)),
    ];
    for (key, edit) in cases {
        let mut after = before.clone();
        edit(&mut after);
        let desired = resolve(&after);
        let start = env.aws.calls().snapshot();
        let refused = deploy::deploy(&env.aws, &desired, &externals(), &DeployOptions::default(), &mut |_| {}).await;
        let calls = env.aws.calls().snapshot().since(&start);
        match refused {
            Err(Error::DestructiveRefused { resources }) => {
                assert!(resources.contains(&key.to_string()), "{key}: {resources:?}")
            }
            other => panic!("{key}: expected a refusal, got {other:?}"),
        }
        assert_eq!(calls.mutating_total(), 0, "{key}: a refused deploy changed {:?}", calls.mutating());
        let plan = plan(&env, &desired).await;
        let resource = plan.resources.iter().find(|r| r.resource.key() == key).expect(key);
        assert!(
            matches!(&resource.class, auth_deploy::ChangeClass::Destructive { reason } if !reason.is_empty()),
            "{key}"
        );
    }
    // Nothing was half-applied.
    assert_converged(&env, &desired_before).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allowed_destructive_changes_replace_clients_and_delete_resources() {
    let env = env().await;
    let before = rich();
    let first = deploy(&env, &resolve(&before)).await;
    let old_backend = first.live.deployed_ids().unwrap().client_ids["backend"].clone();

    let mut after = before.clone();
    after.clients.get_mut("backend").unwrap().generate_secret = false;
    after.groups.remove("users");
    after.providers.google = None;
    after.groups.get_mut("admins").unwrap().precedence = None;
    after.domain = None;
    after.identity_pool = None;
    let desired = resolve(&after);
    let allowed =
        allow(&["client:backend", "group:users", "group:admins", "provider:Google", "domain", "identity-pool"]);
    let deployed = deploy_with(&env, &desired, &allowed).await;
    let ids = deployed.live.deployed_ids().unwrap();
    assert_ne!(ids.client_ids["backend"], old_backend, "the client was replaced");
    let live = deployed.live.state().unwrap();
    assert!(!live.groups.contains_key("users"));
    assert_eq!(live.groups["admins"].precedence, None, "the group was made again without a precedence");
    assert_eq!(live.groups["admins"].description.as_deref(), Some("Administrators"));
    assert!(live.identity_providers.is_empty());
    assert_eq!(live.clients["web"].oauth.as_ref().unwrap().identity_providers, ["COGNITO".to_string()].into());
    assert_eq!(live.domain, None);
    assert!(deployed.live.identity_pool.is_none());
    let identity = aws_sdk_cognitoidentity::Client::new(env.account.sdk_config());
    let left = identity.list_identity_pools().max_results(60).send().await.unwrap();
    assert!(left.identity_pools().is_empty(), "the identity pool was deleted: {left:?}");
    assert_converged(&env, &desired).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pool_with_users_is_never_replaced_by_deploy() {
    let env = env().await;
    let mut spec = example("minimal");
    spec.pool.deletion_protection = false;
    let deployed = deploy(&env, &resolve(&spec)).await;
    let pool_id = deployed.live.deployed_ids().unwrap().user_pool_id;
    let idp = aws_sdk_cognitoidentityprovider::Client::new(env.account.sdk_config());
    idp.admin_create_user().user_pool_id(&pool_id).username("alice@example.com").send().await.expect("a user");

    spec.pool.case_sensitive = true;
    let refused = deploy::deploy(&env.aws, &resolve(&spec), &externals(), &allow(&["pool"]), &mut |_| {}).await;
    assert!(matches!(&refused, Err(Error::NeedsDestroy { why, .. }) if why.contains("1 user")), "{refused:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_unprotected_pool_is_replaced_when_allowed() {
    let env = env().await;
    let mut spec = example("minimal");
    spec.pool.deletion_protection = false;
    let first = deploy(&env, &resolve(&spec)).await;
    spec.pool.case_sensitive = true;
    let desired = resolve(&spec);
    let second = deploy_with(&env, &desired, &allow(&["pool"])).await;
    assert_ne!(second.live.deployed_ids().unwrap().user_pool_id, first.live.deployed_ids().unwrap().user_pool_id);
    assert!(second.live.state().unwrap().pool.case_sensitive);
    assert_converged(&env, &desired).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drift_is_shown_by_diff_and_fixed_by_deploy() {
    let env = env().await;
    let desired = resolve(&rich());
    let deployed = deploy(&env, &desired).await;
    let ids = deployed.live.deployed_ids().unwrap();
    let idp = aws_sdk_cognitoidentityprovider::Client::new(env.account.sdk_config());
    // Behind the tool's back: a group deleted, one changed, a client changed, a stray group.
    idp.delete_group().user_pool_id(&ids.user_pool_id).group_name("users").send().await.unwrap();
    idp.update_group()
        .user_pool_id(&ids.user_pool_id)
        .group_name("admins")
        .description("hacked")
        .precedence(7)
        .send()
        .await
        .unwrap();
    idp.create_group().user_pool_id(&ids.user_pool_id).group_name("stray").send().await.unwrap();
    idp.update_user_pool_client()
        .user_pool_id(&ids.user_pool_id)
        .client_id(&ids.client_ids["web"])
        .client_name("web")
        .access_token_validity(2)
        .token_validity_units(
            aws_sdk_cognitoidentityprovider::types::TokenValidityUnitsType::builder()
                .access_token(aws_sdk_cognitoidentityprovider::types::TimeUnitsType::Hours)
                .build(),
        )
        .send()
        .await
        .unwrap();

    let drift = plan(&env, &desired).await;
    let action = |resource: Resource| drift.resources.iter().find(|r| r.resource == resource).map(|r| r.action);
    assert_eq!(action(Resource::Group("users".into())), Some(Action::Create), "{}", drift.display());
    assert_eq!(action(Resource::Group("admins".into())), Some(Action::Update));
    assert_eq!(action(Resource::Group("stray".into())), Some(Action::Delete));
    assert_eq!(action(Resource::Client("web".into())), Some(Action::Update));

    deploy_with(&env, &desired, &allow(&["group:stray"])).await;
    assert_converged(&env, &desired).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unmanaged_pool_of_the_same_name_is_never_touched() {
    let env = env().await;
    let idp = aws_sdk_cognitoidentityprovider::Client::new(env.account.sdk_config());
    let made = idp.create_user_pool().pool_name("minimal-users").send().await.unwrap();
    let id = made.user_pool().and_then(|p| p.id()).unwrap().to_string();
    let result =
        deploy::deploy(&env.aws, &resolve(&example("minimal")), &externals(), &DeployOptions::default(), &mut |_| {})
            .await;
    match result {
        Err(Error::UnmanagedPool { id: found, .. }) => assert_eq!(found, id),
        other => panic!("expected a refusal, got {other:?}"),
    }
}
