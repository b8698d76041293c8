//! Proof that the update calls carry the complete configuration.
//!
//! Real Cognito resets every field an `Update*` call leaves out; the local server does not, so
//! only these tests can catch a forgotten field. Two checks per call:
//! - no top-level field of the request is unset, for a desired state that uses every feature
//!   (read off the request's `Debug`, so a field the SDK adds later fails the test until it is
//!   handled);
//! - the request, read back the way Cognito stores it, normalises to exactly the desired state.

use super::*;
use crate::fixtures;
use crate::live::{PreservedClient, PreservedPool};
use crate::normalize::{self, MfaRead};
use auth_spec::model::{DeviceRemembering, Devices, EmailSender, MfaMethod, MfaMode, Spec, Trigger};
use auth_spec::resolve;
use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Region};

fn idp_client() -> cip::Client {
    cip::Client::from_conf(
        cip::Config::builder().behavior_version(BehaviorVersion::latest()).region(Region::new("us-east-1")).build(),
    )
}

fn identity_client() -> cid::Client {
    cid::Client::from_conf(
        cid::Config::builder()
            .behavior_version(cid::config::BehaviorVersion::latest())
            .region(cid::config::Region::new("us-east-1"))
            .build(),
    )
}

/// A spec using every pool setting, so every request field has something to carry.
fn maximal() -> Spec {
    let mut spec = fixtures::full();
    spec.mfa.methods = vec![MfaMethod::Sms, MfaMethod::Totp, MfaMethod::Email];
    spec.mfa.mode = MfaMode::Required;
    spec.mfa.email_subject = Some("Your code".into());
    spec.email.sender = EmailSender::Ses;
    spec.email.from = Some("Full <no-reply@example.com>".into());
    spec.email.reply_to = Some("help@example.com".into());
    spec.email.source_arn = Some("arn:aws:ses:us-east-1:123456789012:identity/example.com".into());
    spec.email.configuration_set = Some("full".into());
    spec.devices = Devices { remember: DeviceRemembering::Always, challenge_new_device: true };
    for trigger in Trigger::ALL {
        spec.triggers.set(*trigger, format!("arn:aws:lambda:us-east-1:000000000000:function:{}", trigger.name()));
    }
    spec.triggers.kms_key_arn = Some("arn:aws:kms:us-east-1:123456789012:key/abc".into());
    spec.sms.as_mut().unwrap().sns_region = Some("us-west-2".into());
    spec
}

fn maximal_preserved() -> PreservedPool {
    PreservedPool {
        mfa_configuration: Some(idp::UserPoolMfaType::On),
        user_attribute_update_settings: Some(
            idp::UserAttributeUpdateSettingsType::builder()
                .attributes_require_verification_before_update(idp::VerifiedAttributeType::Email)
                .build(),
        ),
        user_pool_add_ons: Some(
            idp::UserPoolAddOnsType::builder()
                .advanced_security_mode(idp::AdvancedSecurityModeType::Audit)
                .build()
                .unwrap(),
        ),
        user_pool_tier: Some(idp::UserPoolTierType::Plus),
        sign_in_policy: Some(
            idp::SignInPolicyType::builder().allowed_first_auth_factors(idp::AuthFactorType::Password).build(),
        ),
        password_history_size: Some(3),
        web_authn: Some(idp::WebAuthnConfigurationType::builder().relying_party_id("example.com").build()),
        key_configuration: Some(
            idp::KeyConfigurationType::builder().key_type(idp::EncryptionKeyType::AwsOwnedKey).build(),
        ),
        issuer_configuration: Some(idp::IssuerConfigurationType::builder().build()),
        acr_configuration: Some(HashMap::new()),
    }
}

/// Top-level fields of a request builder's `Debug` that are `None`.
fn unset_fields(debug: &str) -> Vec<String> {
    debug
        .lines()
        .filter(|line| line.starts_with("    ") && !line.starts_with("     "))
        .filter_map(|line| line.trim().strip_suffix(": None,").map(str::to_string))
        .collect()
}

#[test]
fn unset_fields_reads_only_the_top_level() {
    let debug = "Builder {\n    a: Some(\n        X {\n            inner: None,\n        },\n    ),\n    b: None,\n}";
    assert_eq!(unset_fields(debug), ["b"]);
}

#[test]
fn update_user_pool_sets_every_field() {
    let desired = resolve(&maximal());
    let request = update_user_pool(&idp_client(), "us-east-1_X", &desired.pool, &maximal_preserved()).unwrap();
    let unset = unset_fields(&format!("{:#?}", request.as_input()));
    assert!(unset.is_empty(), "UpdateUserPool would reset {unset:?}");
}

#[test]
fn update_user_pool_client_sets_every_field() {
    let mut spec = maximal();
    let web = spec.clients.get_mut("web").unwrap();
    web.write_attributes = Some(vec!["given_name".into()]);
    web.oauth.as_mut().unwrap().default_redirect_uri = Some("https://app.example.com/callback".into());
    let desired = resolve(&spec);
    let preserved = PreservedClient {
        analytics_configuration: Some(idp::AnalyticsConfigurationType::builder().application_id("app").build()),
        enable_propagate_additional_user_context_data: Some(false),
        refresh_token_rotation: Some(
            idp::RefreshTokenRotationType::builder().feature(idp::FeatureType::Disabled).build().unwrap(),
        ),
    };
    let request = update_client(&idp_client(), "us-east-1_X", "id-web", "web", &desired.clients["web"], &preserved);
    let unset = unset_fields(&format!("{:#?}", request.as_input()));
    assert!(unset.is_empty(), "UpdateUserPoolClient would reset {unset:?}");
}

#[test]
fn set_mfa_sets_every_factor() {
    let desired = resolve(&maximal());
    let request =
        set_mfa(&idp_client(), "us-east-1_X", &desired.pool.mfa, desired.pool.sms.as_ref(), &maximal_preserved())
            .unwrap();
    let unset = unset_fields(&format!("{:#?}", request.as_input()));
    assert!(unset.is_empty(), "SetUserPoolMfaConfig would reset {unset:?}");
}

#[test]
fn update_identity_pool_sets_every_field() {
    let mut spec = maximal();
    let identity = spec.identity_pool.as_mut().unwrap();
    identity.providers.developer_provider_name = Some("login.example".into());
    identity.providers.google_client_id = Some("google-app".into());
    identity.providers.oidc_provider_arns = vec!["arn:aws:iam::1:oidc-provider/x".into()];
    identity.providers.saml_provider_arns = vec!["arn:aws:iam::1:saml-provider/y".into()];
    let desired = resolve(&spec);
    let pool = desired.identity_pool.as_ref().unwrap();
    let ids = BTreeMap::from([("web".to_string(), "id-web".to_string())]);
    let providers = cognito_identity_providers(pool, "us-east-1", "us-east-1_X", &ids);
    assert_eq!(providers.len(), 1);
    let request = update_identity_pool(&identity_client(), "us-east-1:abc", pool, providers, "full-users");
    let unset = unset_fields(&format!("{:#?}", request.as_input()));
    assert!(unset.is_empty(), "UpdateIdentityPool would reset {unset:?}");
}

/// What `DescribeUserPool` returns after `UpdateUserPool` with this request, on a pool created
/// with `create` and given the `custom` attributes by `AddCustomAttributes`: the update's fields,
/// the immutable ones from the creation, and custom attribute names with the `custom:` prefix
/// Cognito adds.
fn described(
    create: &cip::operation::create_user_pool::builders::CreateUserPoolInputBuilder,
    custom: &[idp::SchemaAttributeType],
    update: Option<&cip::operation::update_user_pool::builders::UpdateUserPoolInputBuilder>,
) -> idp::UserPoolType {
    let schema = create
        .get_schema()
        .clone()
        .unwrap_or_default()
        .into_iter()
        .chain(custom.iter().cloned())
        .map(|entry| {
            let name = entry.name().unwrap_or_default().to_string();
            let custom = StandardAttribute::from_name(&name).is_none();
            let mut entry = entry;
            if custom {
                entry.name = Some(format!("custom:{name}"));
            }
            entry
        })
        .collect();
    let base = idp::UserPoolType::builder()
        .set_name(create.get_pool_name().clone())
        .set_username_attributes(create.get_username_attributes().clone())
        .set_alias_attributes(create.get_alias_attributes().clone())
        .set_username_configuration(create.get_username_configuration().clone())
        .set_schema_attributes(Some(schema));
    let base = match update {
        Some(update) => base
            .set_policies(update.get_policies().clone())
            .set_deletion_protection(update.get_deletion_protection().clone())
            .set_lambda_config(update.get_lambda_config().clone())
            .set_auto_verified_attributes(update.get_auto_verified_attributes().clone())
            .set_sms_verification_message(update.get_sms_verification_message().clone())
            .set_email_verification_message(update.get_email_verification_message().clone())
            .set_email_verification_subject(update.get_email_verification_subject().clone())
            .set_verification_message_template(update.get_verification_message_template().clone())
            .set_sms_authentication_message(update.get_sms_authentication_message().clone())
            .set_device_configuration(update.get_device_configuration().clone())
            .set_email_configuration(update.get_email_configuration().clone())
            .set_sms_configuration(update.get_sms_configuration().clone())
            .set_user_pool_tags(update.get_user_pool_tags().clone())
            .set_admin_create_user_config(update.get_admin_create_user_config().clone())
            .set_account_recovery_setting(update.get_account_recovery_setting().clone()),
        None => base
            .set_policies(create.get_policies().clone())
            .set_deletion_protection(create.get_deletion_protection().clone())
            .set_lambda_config(create.get_lambda_config().clone())
            .set_auto_verified_attributes(create.get_auto_verified_attributes().clone())
            .set_sms_verification_message(create.get_sms_verification_message().clone())
            .set_email_verification_message(create.get_email_verification_message().clone())
            .set_email_verification_subject(create.get_email_verification_subject().clone())
            .set_verification_message_template(create.get_verification_message_template().clone())
            .set_sms_authentication_message(create.get_sms_authentication_message().clone())
            .set_device_configuration(create.get_device_configuration().clone())
            .set_email_configuration(create.get_email_configuration().clone())
            .set_sms_configuration(create.get_sms_configuration().clone())
            .set_user_pool_tags(create.get_user_pool_tags().clone())
            .set_admin_create_user_config(create.get_admin_create_user_config().clone())
            .set_account_recovery_setting(create.get_account_recovery_setting().clone()),
    };
    base.build()
}

/// `GetUserPoolMfaConfig` after this `SetUserPoolMfaConfig`.
fn mfa_read(set: &cip::operation::set_user_pool_mfa_config::builders::SetUserPoolMfaConfigInputBuilder) -> MfaRead {
    MfaRead {
        configuration: set.get_mfa_configuration().clone(),
        sms: set.get_sms_mfa_configuration().clone(),
        totp: set.get_software_token_mfa_configuration().clone(),
        email: set.get_email_mfa_configuration().clone(),
    }
}

#[test]
fn pool_requests_read_back_as_the_desired_state() {
    for spec in [fixtures::minimal(), fixtures::full(), maximal()] {
        let desired = resolve(&spec).pool;
        let mut expected = desired.clone();
        expected.region = Some("us-east-1".into());
        let create = create_user_pool(&idp_client(), &desired).unwrap();
        let custom: Vec<_> =
            desired.custom_attributes.iter().map(|(name, a)| custom_schema_attribute(name, a)).collect();
        let mfa = set_mfa(&idp_client(), "us-east-1_X", &desired.mfa, desired.sms.as_ref(), &PreservedPool::default())
            .unwrap();
        let created =
            normalize::pool_state(&described(create.as_input(), &custom, None), &mfa_read(mfa.as_input()), "us-east-1");
        assert_eq!(created, expected, "CreateUserPool of {}", desired.name);

        // An update from a pool in some other state carries everything back.
        let update = update_user_pool(&idp_client(), "us-east-1_X", &desired, &PreservedPool::default()).unwrap();
        let updated = normalize::pool_state(
            &described(create.as_input(), &custom, Some(update.as_input())),
            &mfa_read(mfa.as_input()),
            "us-east-1",
        );
        assert_eq!(updated, expected, "UpdateUserPool of {}", desired.name);
    }
}

#[test]
fn client_requests_read_back_as_the_desired_state() {
    let desired = resolve(&maximal());
    for (name, client) in &desired.clients {
        let request = update_client(&idp_client(), "us-east-1_X", "id", name, client, &PreservedClient::default());
        let input = request.as_input();
        let described = idp::UserPoolClientType::builder()
            .client_name(name)
            .set_client_secret(client.generate_secret.then(|| "secret".to_string()))
            .set_access_token_validity(*input.get_access_token_validity())
            .set_id_token_validity(*input.get_id_token_validity())
            .refresh_token_validity(input.get_refresh_token_validity().unwrap_or_default())
            .set_token_validity_units(input.get_token_validity_units().clone())
            .set_read_attributes(input.get_read_attributes().clone())
            .set_write_attributes(input.get_write_attributes().clone())
            .set_explicit_auth_flows(input.get_explicit_auth_flows().clone())
            .set_supported_identity_providers(input.get_supported_identity_providers().clone())
            .set_callback_urls(input.get_callback_urls().clone())
            .set_logout_urls(input.get_logout_urls().clone())
            .set_default_redirect_uri(input.get_default_redirect_uri().clone())
            .set_allowed_o_auth_flows(input.get_allowed_o_auth_flows().clone())
            .set_allowed_o_auth_scopes(input.get_allowed_o_auth_scopes().clone())
            .set_allowed_o_auth_flows_user_pool_client(*input.get_allowed_o_auth_flows_user_pool_client())
            .set_prevent_user_existence_errors(input.get_prevent_user_existence_errors().clone())
            .set_enable_token_revocation(*input.get_enable_token_revocation())
            .set_auth_session_validity(*input.get_auth_session_validity())
            .build();
        assert_eq!(&normalize::client_state(&described), client, "client {name}");
    }
}

#[test]
fn read_attributes_carry_their_verified_companions() {
    let desired = resolve(&fixtures::full());
    let request = create_client(&idp_client(), "us-east-1_X", "web", &desired.clients["web"]);
    let read = request.as_input().get_read_attributes().clone().unwrap();
    assert_eq!(read, ["custom:tier", "email", "email_verified", "given_name"]);
}

#[test]
fn schema_lists_only_changed_standard_attributes() {
    let desired = resolve(&fixtures::full());
    let names: Vec<String> =
        schema(&desired.pool).iter().map(|entry| entry.name().unwrap_or_default().to_string()).collect();
    assert_eq!(names, ["email", "given_name"]);
}

#[test]
fn managed_role_names_fit_iam() {
    let long = "a pool name with spaces and / slashes that is much longer than sixty-four characters in total";
    let name = managed_role_name(long, false);
    assert!(name.len() <= 64, "{name}");
    assert!(name.ends_with("-unauth"));
    assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)), "{name}");
    let arn = format!("arn:aws:iam::000000000000:role/auth-deploy/{}", managed_role_name("full_identities", true));
    assert!(is_managed_role(&arn, "full_identities", true));
    assert!(!is_managed_role(&arn, "full_identities", false));
    assert!(!is_managed_role("arn:aws:iam::000000000000:role/full_identities-auth", "full_identities", true));
}

#[test]
fn trust_policy_names_the_identity_pool_and_the_kind_of_identity() {
    let policy: serde_json::Value = serde_json::from_str(&trust_policy("us-east-1:abc", false)).unwrap();
    let condition = &policy["Statement"][0]["Condition"];
    assert_eq!(condition["StringEquals"]["cognito-identity.amazonaws.com:aud"], "us-east-1:abc");
    assert_eq!(condition["ForAnyValue:StringLike"]["cognito-identity.amazonaws.com:amr"], "unauthenticated");
}
