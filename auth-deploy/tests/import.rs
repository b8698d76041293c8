//! Import: a pool made with plain SDK calls (as by hand, or by Amplify) becomes a spec that
//! resolves back to the same configuration.

mod common;

use auth_deploy::import::{import, spec_from_live};
use auth_deploy::live::{self, Target};
use auth_deploy::{Fingerprints, plan};
use auth_spec::resolve;
use aws_sdk_cognitoidentityprovider::types as idp;
use common::*;
use std::collections::HashMap;

async fn hand_made_pool(env: &Env) -> String {
    let cognito = aws_sdk_cognitoidentityprovider::Client::new(env.account.sdk_config());
    let pool = cognito
        .create_user_pool()
        .pool_name("hand-made")
        .username_attributes(idp::UsernameAttributeType::Email)
        .auto_verified_attributes(idp::VerifiedAttributeType::Email)
        .username_configuration(idp::UsernameConfigurationType::builder().case_sensitive(false).build().unwrap())
        .policies(
            idp::UserPoolPolicyType::builder()
                .password_policy(
                    idp::PasswordPolicyType::builder()
                        .minimum_length(10)
                        .require_lowercase(true)
                        .require_numbers(true)
                        .temporary_password_validity_days(3)
                        .build(),
                )
                .build(),
        )
        .verification_message_template(
            idp::VerificationMessageTemplateType::builder()
                .default_email_option(idp::DefaultEmailOptionType::ConfirmWithCode)
                .email_subject("Hand-made code")
                .email_message("Your hand-made code is {####}")
                .build(),
        )
        .account_recovery_setting(
            idp::AccountRecoverySettingType::builder()
                .recovery_mechanisms(
                    idp::RecoveryOptionType::builder()
                        .priority(1)
                        .name(idp::RecoveryOptionNameType::VerifiedEmail)
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .admin_create_user_config(idp::AdminCreateUserConfigType::builder().allow_admin_create_user_only(true).build())
        .user_pool_tags("team", "legacy")
        .send()
        .await
        .unwrap();
    let pool_id = pool.user_pool().and_then(|p| p.id()).unwrap().to_string();
    cognito
        .add_custom_attributes()
        .user_pool_id(&pool_id)
        .custom_attributes(
            idp::SchemaAttributeType::builder()
                .name("plan")
                .attribute_data_type(idp::AttributeDataType::String)
                .string_attribute_constraints(idp::StringAttributeConstraintsType::builder().max_length("32").build())
                .build(),
        )
        .send()
        .await
        .unwrap();
    cognito
        .create_group()
        .user_pool_id(&pool_id)
        .group_name("staff")
        .precedence(3)
        .description("Staff")
        .send()
        .await
        .unwrap();
    cognito
        .create_resource_server()
        .user_pool_id(&pool_id)
        .identifier("https://api.hand.example")
        .name("Hand API")
        .scopes(idp::ResourceServerScopeType::builder().scope_name("read").scope_description("Read").build().unwrap())
        .send()
        .await
        .unwrap();
    cognito
        .create_identity_provider()
        .user_pool_id(&pool_id)
        .provider_name("Google")
        .provider_type(idp::IdentityProviderTypeType::Google)
        .set_provider_details(Some(HashMap::from([
            ("client_id".to_string(), "hand.apps.googleusercontent.com".to_string()),
            ("client_secret".to_string(), "google_client_secret-value".to_string()),
            ("authorize_scopes".to_string(), "openid email".to_string()),
        ])))
        .attribute_mapping("email", "email")
        .send()
        .await
        .unwrap();
    cognito
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("app")
        .explicit_auth_flows(idp::ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(idp::ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(idp::OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes("https://api.hand.example/read")
        .callback_urls("https://hand.example/cb")
        .supported_identity_providers("COGNITO")
        .supported_identity_providers("Google")
        .prevent_user_existence_errors(idp::PreventUserExistenceErrorTypes::Enabled)
        .send()
        .await
        .unwrap();
    cognito
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("server")
        .generate_secret(true)
        .explicit_auth_flows(idp::ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .send()
        .await
        .unwrap();
    cognito.create_user_pool_domain().user_pool_id(&pool_id).domain("hand-made-auth").send().await.unwrap();
    pool_id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_made_pool_imports_to_a_spec_that_plans_no_change() {
    let env = env().await;
    let pool_id = hand_made_pool(&env).await;

    let imported = import(&env.aws, &pool_id, false).await.expect("import");
    let spec = &imported.spec;
    assert_eq!(spec.pool.name, "hand-made");
    assert!(!spec.pool.self_sign_up);
    assert_eq!(spec.pool.password.min_length, 10);
    assert_eq!(spec.custom_attributes["plan"].max_length, Some(32));
    assert_eq!(spec.groups["staff"].precedence, Some(3));
    assert!(spec.providers.google.is_some());
    assert!(spec.clients["server"].generate_secret);
    assert_eq!(
        spec.clients["app"].oauth.as_ref().unwrap().providers,
        Vec::<String>::new(),
        "the default: every provider"
    );
    assert_eq!(imported.secret_variables, ["GOOGLE_CLIENT_SECRET"]);

    // The TOML is a valid spec, and it is the same spec.
    let toml = imported.to_toml().unwrap();
    let loaded = auth_spec::load_str("imported.toml".as_ref(), &toml, None).unwrap_or_else(|e| panic!("{e}\n{toml}"));
    assert_eq!(&loaded.spec, spec, "{toml}");

    // Resolving it gives back the live configuration: nothing to plan. (The domain is not in the
    // spec: the local server's DescribeUserPool does not name it, so import cannot see it there;
    // Cognito's does. `normalize`'s unit tests cover reading it.)
    let desired = resolve(spec);
    let live = live::read(
        &env.aws,
        &Target::Managed { pool_name: "hand-made".into(), identity_pool_name: None, domain: None },
    )
    .await;
    // The pool is not ours yet: a deploy would refuse it.
    assert!(matches!(live, Err(auth_deploy::Error::UnmanagedPool { .. })), "{live:?}");
    let live = live::read(&env.aws, &Target::ById(pool_id.clone())).await.unwrap();
    let round_trip = plan(&desired, &live, &externals().fingerprints(&desired));
    assert!(!round_trip.has_changes(), "{}\n{toml}", round_trip.display());
    assert!(round_trip.warnings.is_empty(), "{:?}", round_trip.warnings);
    // Pure round trip of the same live state.
    let again = spec_from_live(&live).unwrap();
    assert_eq!(&again.spec, spec);
    let unknown = plan(&desired, &live, &Fingerprints::none());
    assert_eq!(unknown.warnings.len(), 1, "the Google secret cannot be compared without its variable");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adopting_tags_the_pool() {
    let env = env().await;
    let pool_id = hand_made_pool(&env).await;
    import(&env.aws, &pool_id, true).await.expect("import --adopt");
    let cognito = aws_sdk_cognitoidentityprovider::Client::new(env.account.sdk_config());
    let arn = cognito.describe_user_pool().user_pool_id(&pool_id).send().await.unwrap().user_pool.unwrap().arn.unwrap();
    let tags = cognito.list_tags_for_resource().resource_arn(&arn).send().await.unwrap();
    assert_eq!(tags.tags().and_then(|t| t.get("managed-by")).map(String::as_str), Some("auth-deploy"));
}
