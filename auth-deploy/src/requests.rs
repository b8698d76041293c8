//! Desired state -> SDK requests. Pure: each function fills a request builder and returns it
//! unsent, so tests can check exactly what would be sent.
//!
//! Cognito's update calls (`UpdateUserPool`, `UpdateUserPoolClient`, `SetUserPoolMfaConfig`,
//! `UpdateIdentityPool`) reset every field they are not given to its default (the local server
//! does not), so they are always given the complete desired configuration, plus, unchanged, the
//! settings this tool does not model (kept in `Preserved*`). The unit tests prove it field by
//! field.

use crate::error::{Error, Result};
use crate::live::{PreservedClient, PreservedPool};
use crate::normalize::{MANAGED_BY_TAG, MANAGED_BY_VALUE, VERIFIED_COMPANIONS};
use auth_spec::model::{
    CustomAttributeType, PreTokenGenerationVersion, StandardAttribute, TimeUnit, TokenValidity, Trigger,
};
use auth_spec::resolve::DEFAULT_MFA_SMS_MESSAGE;
use auth_spec::state::*;
use aws_sdk_cognitoidentity as cid;
use aws_sdk_cognitoidentityprovider as cip;
use aws_smithy_types::error::operation::BuildError;
use cip::types as idp;
use std::collections::{BTreeMap, HashMap};

/// Tag on identity pools naming the user pool they belong to.
pub const USER_POOL_TAG: &str = "user-pool";

/// IAM path of the roles deploy creates for identity pools.
pub const ROLE_PATH: &str = "/auth-deploy/";

fn built<T>(what: &str, result: std::result::Result<T, BuildError>) -> Result<T> {
    result.map_err(|error| Error::Unexpected {
        resource: what.to_string(),
        operation: "build request",
        message: error.to_string(),
    })
}

/// The pool's tags as sent: the spec's, plus ours.
pub fn pool_tags(pool: &PoolState) -> HashMap<String, String> {
    let mut tags: HashMap<String, String> = pool.tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    tags.insert(MANAGED_BY_TAG.to_string(), MANAGED_BY_VALUE.to_string());
    tags
}

fn password_policy(policy: &PasswordPolicyState, history: Option<i32>) -> idp::PasswordPolicyType {
    idp::PasswordPolicyType::builder()
        .minimum_length(i32::from(policy.minimum_length))
        .require_lowercase(policy.require_lowercase)
        .require_uppercase(policy.require_uppercase)
        .require_numbers(policy.require_numbers)
        .require_symbols(policy.require_symbols)
        .temporary_password_validity_days(i32::from(policy.temporary_password_validity_days))
        .set_password_history_size(history)
        .build()
}

fn verification_template(verification: &VerificationState) -> idp::VerificationMessageTemplateType {
    idp::VerificationMessageTemplateType::builder()
        .default_email_option(match verification.default_email_option {
            DefaultEmailOption::ConfirmWithCode => idp::DefaultEmailOptionType::ConfirmWithCode,
            DefaultEmailOption::ConfirmWithLink => idp::DefaultEmailOptionType::ConfirmWithLink,
        })
        .email_subject(&verification.email_subject)
        .email_message(&verification.email_message)
        .email_subject_by_link(&verification.email_subject_by_link)
        .email_message_by_link(&verification.email_message_by_link)
        .sms_message(&verification.sms_message)
        .build()
}

fn admin_create_user(admin: &AdminCreateUserState) -> idp::AdminCreateUserConfigType {
    idp::AdminCreateUserConfigType::builder()
        .allow_admin_create_user_only(admin.allow_admin_create_user_only)
        .invite_message_template(
            idp::MessageTemplateType::builder()
                .email_subject(&admin.email_subject)
                .email_message(&admin.email_message)
                .sms_message(&admin.sms_message)
                .build(),
        )
        .build()
}

fn account_recovery(options: &[RecoveryOptionState]) -> Result<idp::AccountRecoverySettingType> {
    let mut setting = idp::AccountRecoverySettingType::builder();
    for (index, option) in options.iter().enumerate() {
        let name = match option {
            RecoveryOptionState::VerifiedEmail => idp::RecoveryOptionNameType::VerifiedEmail,
            RecoveryOptionState::VerifiedPhoneNumber => idp::RecoveryOptionNameType::VerifiedPhoneNumber,
            RecoveryOptionState::AdminOnly => idp::RecoveryOptionNameType::AdminOnly,
        };
        let priority = i32::try_from(index + 1).unwrap_or(i32::MAX);
        setting = setting.recovery_mechanisms(built(
            "account recovery",
            idp::RecoveryOptionType::builder().priority(priority).name(name).build(),
        )?);
    }
    Ok(setting.build())
}

fn device_configuration(devices: &DeviceState) -> idp::DeviceConfigurationType {
    idp::DeviceConfigurationType::builder()
        .challenge_required_on_new_device(devices.challenge_required_on_new_device)
        .device_only_remembered_on_user_prompt(devices.device_only_remembered_on_user_prompt)
        .build()
}

fn email_configuration(email: &EmailState) -> idp::EmailConfigurationType {
    idp::EmailConfigurationType::builder()
        .email_sending_account(if email.developer {
            idp::EmailSendingAccountType::Developer
        } else {
            idp::EmailSendingAccountType::CognitoDefault
        })
        .set_source_arn(email.source_arn.clone())
        .set_from(email.from.clone())
        .set_reply_to_email_address(email.reply_to.clone())
        .set_configuration_set(email.configuration_set.clone())
        .build()
}

fn sms_configuration(sms: &SmsState) -> idp::SmsConfigurationType {
    idp::SmsConfigurationType::builder()
        .sns_caller_arn(&sms.sns_caller_arn)
        .set_external_id(sms.external_id.clone())
        .set_sns_region(sms.sns_region.clone())
        .build()
}

fn lambda_config(lambda: &LambdaState) -> Result<idp::LambdaConfigType> {
    let arn = |trigger: Trigger| lambda.triggers.get(&trigger).cloned();
    let mut config = idp::LambdaConfigType::builder()
        .set_pre_sign_up(arn(Trigger::PreSignUp))
        .set_post_confirmation(arn(Trigger::PostConfirmation))
        .set_pre_authentication(arn(Trigger::PreAuthentication))
        .set_post_authentication(arn(Trigger::PostAuthentication))
        .set_define_auth_challenge(arn(Trigger::DefineAuthChallenge))
        .set_create_auth_challenge(arn(Trigger::CreateAuthChallenge))
        .set_verify_auth_challenge_response(arn(Trigger::VerifyAuthChallengeResponse))
        .set_custom_message(arn(Trigger::CustomMessage))
        .set_user_migration(arn(Trigger::UserMigration))
        .set_kms_key_id(lambda.kms_key_id.clone());
    if let Some(pre_token) = arn(Trigger::PreTokenGeneration) {
        let version = match lambda.pre_token_generation_version.unwrap_or_default() {
            PreTokenGenerationVersion::V1 => idp::PreTokenGenerationLambdaVersionType::V10,
            PreTokenGenerationVersion::V2 => idp::PreTokenGenerationLambdaVersionType::V20,
            PreTokenGenerationVersion::V3 => idp::PreTokenGenerationLambdaVersionType::V30,
        };
        config = config.pre_token_generation_config(built(
            "pre token generation trigger",
            idp::PreTokenGenerationVersionConfigType::builder().lambda_arn(pre_token).lambda_version(version).build(),
        )?);
    }
    if let Some(sender) = arn(Trigger::CustomEmailSender) {
        config = config.custom_email_sender(built(
            "custom email sender trigger",
            idp::CustomEmailLambdaVersionConfigType::builder()
                .lambda_arn(sender)
                .lambda_version(idp::CustomEmailSenderLambdaVersionType::V10)
                .build(),
        )?);
    }
    if let Some(sender) = arn(Trigger::CustomSmsSender) {
        config = config.custom_sms_sender(built(
            "custom SMS sender trigger",
            idp::CustomSmsLambdaVersionConfigType::builder()
                .lambda_arn(sender)
                .lambda_version(idp::CustomSmsSenderLambdaVersionType::V10)
                .build(),
        )?);
    }
    Ok(config.build())
}

/// The `Schema` of a new pool: the standard attributes whose settings differ from Cognito's
/// defaults (required, or immutable). Custom attributes are added by the next step,
/// `AddCustomAttributes`, the one call that adds them to any pool, new or not.
pub fn schema(pool: &PoolState) -> Vec<idp::SchemaAttributeType> {
    let mut schema = Vec::new();
    for (attribute, settings) in &pool.standard_attributes {
        if *settings == AttributeSettings::default() {
            continue;
        }
        let data_type = if *attribute == StandardAttribute::UpdatedAt {
            idp::AttributeDataType::Number
        } else {
            idp::AttributeDataType::String
        };
        schema.push(
            idp::SchemaAttributeType::builder()
                .name(attribute.name())
                .attribute_data_type(data_type)
                .required(settings.required)
                .mutable(settings.mutable)
                .build(),
        );
    }
    schema
}

/// One custom attribute as `CreateUserPool` and `AddCustomAttributes` take it.
pub fn custom_schema_attribute(wire_name: &str, attribute: &CustomAttributeState) -> idp::SchemaAttributeType {
    let name = wire_name.strip_prefix("custom:").unwrap_or(wire_name);
    let data_type = match attribute.data_type {
        CustomAttributeType::String => idp::AttributeDataType::String,
        CustomAttributeType::Number => idp::AttributeDataType::Number,
        CustomAttributeType::Boolean => idp::AttributeDataType::Boolean,
        CustomAttributeType::Datetime => idp::AttributeDataType::Datetime,
    };
    let mut entry = idp::SchemaAttributeType::builder()
        .name(name)
        .attribute_data_type(data_type)
        .mutable(attribute.mutable)
        .required(false)
        .developer_only_attribute(false);
    match &attribute.constraints {
        AttributeConstraints::String { min_length, max_length } => {
            entry = entry.string_attribute_constraints(
                idp::StringAttributeConstraintsType::builder()
                    .min_length(min_length.to_string())
                    .max_length(max_length.to_string())
                    .build(),
            );
        }
        AttributeConstraints::Number { min, max } => {
            if min.is_some() || max.is_some() {
                entry = entry.number_attribute_constraints(
                    idp::NumberAttributeConstraintsType::builder()
                        .set_min_value(min.map(|v| v.to_string()))
                        .set_max_value(max.map(|v| v.to_string()))
                        .build(),
                );
            }
        }
        AttributeConstraints::None => {}
    }
    entry.build()
}

/// `CreateUserPool`. MFA starts off: `SetUserPoolMfaConfig` (the next step) sets it, because it
/// can enable factors `CreateUserPool` cannot.
pub fn create_user_pool(
    client: &cip::Client,
    pool: &PoolState,
) -> Result<cip::operation::create_user_pool::builders::CreateUserPoolFluentBuilder> {
    Ok(client
        .create_user_pool()
        .pool_name(&pool.name)
        .set_username_attributes(non_empty(
            pool.username_attributes.iter().map(|a| idp::UsernameAttributeType::from(a.as_str())).collect(),
        ))
        .set_alias_attributes(non_empty(
            pool.alias_attributes.iter().map(|a| idp::AliasAttributeType::from(a.as_str())).collect(),
        ))
        .username_configuration(built(
            "username configuration",
            idp::UsernameConfigurationType::builder().case_sensitive(pool.case_sensitive).build(),
        )?)
        .set_schema(non_empty(schema(pool)))
        .policies(
            idp::UserPoolPolicyType::builder().password_policy(password_policy(&pool.password_policy, None)).build(),
        )
        .deletion_protection(deletion_protection(pool.deletion_protection))
        .lambda_config(lambda_config(&pool.lambda)?)
        .set_auto_verified_attributes(Some(
            pool.auto_verified_attributes.iter().map(|a| idp::VerifiedAttributeType::from(a.as_str())).collect(),
        ))
        .sms_verification_message(&pool.verification.sms_message)
        .email_verification_message(&pool.verification.email_message)
        .email_verification_subject(&pool.verification.email_subject)
        .verification_message_template(verification_template(&pool.verification))
        .sms_authentication_message(pool.mfa.sms_message.as_deref().unwrap_or(DEFAULT_MFA_SMS_MESSAGE))
        .mfa_configuration(idp::UserPoolMfaType::Off)
        .set_device_configuration(pool.devices.as_ref().map(device_configuration))
        .email_configuration(email_configuration(&pool.email))
        .set_sms_configuration(pool.sms.as_ref().map(sms_configuration))
        .set_user_pool_tags(Some(pool_tags(pool)))
        .admin_create_user_config(admin_create_user(&pool.admin_create_user))
        .account_recovery_setting(account_recovery(&pool.account_recovery)?))
}

/// `UpdateUserPool` with every setting: the desired ones, and the preserved ones as read. The
/// MFA mode is sent as it is live; the MFA step that follows sets the desired one together with
/// its factors (Cognito refuses a mode whose factors are not enabled yet).
pub fn update_user_pool(
    client: &cip::Client,
    pool_id: &str,
    pool: &PoolState,
    preserved: &PreservedPool,
) -> Result<cip::operation::update_user_pool::builders::UpdateUserPoolFluentBuilder> {
    Ok(client
        .update_user_pool()
        .user_pool_id(pool_id)
        .pool_name(&pool.name)
        .policies(
            idp::UserPoolPolicyType::builder()
                .password_policy(password_policy(&pool.password_policy, preserved.password_history_size))
                .set_sign_in_policy(preserved.sign_in_policy.clone())
                .build(),
        )
        .deletion_protection(deletion_protection(pool.deletion_protection))
        .lambda_config(lambda_config(&pool.lambda)?)
        .set_auto_verified_attributes(Some(
            pool.auto_verified_attributes.iter().map(|a| idp::VerifiedAttributeType::from(a.as_str())).collect(),
        ))
        .sms_verification_message(&pool.verification.sms_message)
        .email_verification_message(&pool.verification.email_message)
        .email_verification_subject(&pool.verification.email_subject)
        .verification_message_template(verification_template(&pool.verification))
        .sms_authentication_message(pool.mfa.sms_message.as_deref().unwrap_or(DEFAULT_MFA_SMS_MESSAGE))
        .set_user_attribute_update_settings(preserved.user_attribute_update_settings.clone())
        .mfa_configuration(preserved.mfa_configuration.clone().unwrap_or(idp::UserPoolMfaType::Off))
        .set_device_configuration(pool.devices.as_ref().map(device_configuration))
        .email_configuration(email_configuration(&pool.email))
        .set_sms_configuration(pool.sms.as_ref().map(sms_configuration))
        .set_user_pool_tags(Some(pool_tags(pool)))
        .admin_create_user_config(admin_create_user(&pool.admin_create_user))
        .set_user_pool_add_ons(preserved.user_pool_add_ons.clone())
        .account_recovery_setting(account_recovery(&pool.account_recovery)?)
        .set_user_pool_tier(preserved.user_pool_tier.clone())
        .set_key_configuration(preserved.key_configuration.clone())
        .set_issuer_configuration(preserved.issuer_configuration.clone())
        .set_acr_configuration(preserved.acr_configuration.clone()))
}

fn deletion_protection(active: bool) -> idp::DeletionProtectionType {
    if active { idp::DeletionProtectionType::Active } else { idp::DeletionProtectionType::Inactive }
}

fn non_empty<T>(items: Vec<T>) -> Option<Vec<T>> {
    (!items.is_empty()).then_some(items)
}

/// `SetUserPoolMfaConfig` with the mode and every factor (a factor left out is disabled).
pub fn set_mfa(
    client: &cip::Client,
    pool_id: &str,
    mfa: &MfaState,
    sms: Option<&SmsState>,
    preserved: &PreservedPool,
) -> Result<cip::operation::set_user_pool_mfa_config::builders::SetUserPoolMfaConfigFluentBuilder> {
    let sms_mfa = mfa.sms_message.as_ref().map(|message| {
        idp::SmsMfaConfigType::builder()
            .sms_authentication_message(message)
            .set_sms_configuration(sms.map(sms_configuration))
            .build()
    });
    Ok(client
        .set_user_pool_mfa_config()
        .user_pool_id(pool_id)
        .mfa_configuration(match mfa.configuration {
            MfaConfiguration::Off => idp::UserPoolMfaType::Off,
            MfaConfiguration::Optional => idp::UserPoolMfaType::Optional,
            MfaConfiguration::On => idp::UserPoolMfaType::On,
        })
        .set_sms_mfa_configuration(sms_mfa)
        .software_token_mfa_configuration(idp::SoftwareTokenMfaConfigType::builder().enabled(mfa.totp).build())
        .set_email_mfa_configuration(
            mfa.email.as_ref().map(|email| {
                idp::EmailMfaConfigType::builder().subject(&email.subject).message(&email.message).build()
            }),
        )
        .set_web_authn_configuration(preserved.web_authn.clone()))
}

fn time_units(unit: TimeUnit) -> idp::TimeUnitsType {
    match unit {
        TimeUnit::Seconds => idp::TimeUnitsType::Seconds,
        TimeUnit::Minutes => idp::TimeUnitsType::Minutes,
        TimeUnit::Hours => idp::TimeUnitsType::Hours,
        TimeUnit::Days => idp::TimeUnitsType::Days,
    }
}

fn validity_value(validity: TokenValidity) -> i32 {
    i32::try_from(validity.value).unwrap_or(i32::MAX)
}

/// The client settings both `CreateUserPoolClient` and `UpdateUserPoolClient` take.
struct ClientSettings {
    access: i32,
    id: i32,
    refresh: i32,
    units: idp::TokenValidityUnitsType,
    read: Option<Vec<String>>,
    write: Option<Vec<String>>,
    flows: Vec<idp::ExplicitAuthFlowsType>,
    providers: Option<Vec<String>>,
    callbacks: Option<Vec<String>>,
    logouts: Option<Vec<String>>,
    default_redirect: Option<String>,
    oauth_flows: Option<Vec<idp::OAuthFlowType>>,
    oauth_scopes: Option<Vec<String>>,
    oauth_enabled: bool,
    prevent_errors: idp::PreventUserExistenceErrorTypes,
    revocation: bool,
    session: i32,
}

fn client_settings(client: &ClientState) -> ClientSettings {
    let oauth = client.oauth.as_ref();
    let list =
        |f: fn(&ClientOAuthState) -> &std::collections::BTreeSet<String>| oauth.map(|o| f(o).iter().cloned().collect());
    ClientSettings {
        access: validity_value(client.access_token_validity),
        id: validity_value(client.id_token_validity),
        refresh: validity_value(client.refresh_token_validity),
        units: idp::TokenValidityUnitsType::builder()
            .access_token(time_units(client.access_token_validity.unit))
            .id_token(time_units(client.id_token_validity.unit))
            .refresh_token(time_units(client.refresh_token_validity.unit))
            .build(),
        read: client.read_attributes.as_ref().map(with_companions),
        write: client.write_attributes.as_ref().map(|names| names.iter().cloned().collect()),
        flows: client.explicit_auth_flows.iter().map(|flow| idp::ExplicitAuthFlowsType::from(flow.as_str())).collect(),
        providers: list(|o| &o.identity_providers),
        callbacks: list(|o| &o.callback_urls),
        logouts: list(|o| &o.logout_urls),
        default_redirect: oauth.and_then(|o| o.default_redirect_uri.clone()),
        oauth_flows: oauth.map(|o| o.flows.iter().map(|flow| idp::OAuthFlowType::from(flow.as_str())).collect()),
        oauth_scopes: list(|o| &o.scopes),
        oauth_enabled: oauth.is_some(),
        prevent_errors: if client.prevent_user_existence_errors {
            idp::PreventUserExistenceErrorTypes::Enabled
        } else {
            idp::PreventUserExistenceErrorTypes::Legacy
        },
        revocation: client.enable_token_revocation,
        session: i32::from(client.auth_session_validity_minutes),
    }
}

/// Read attributes as sent: `email_verified` goes with `email`, `phone_number_verified` with
/// `phone_number` (apps need to read them; Cognito's console adds them the same way).
fn with_companions(names: &std::collections::BTreeSet<String>) -> Vec<String> {
    let mut all: std::collections::BTreeSet<String> = names.clone();
    for (attribute, companion) in VERIFIED_COMPANIONS {
        if names.contains(*attribute) {
            all.insert(companion.to_string());
        }
    }
    all.into_iter().collect()
}

macro_rules! apply_client_settings {
    ($builder:expr, $settings:expr) => {{
        let s = $settings;
        $builder
            .access_token_validity(s.access)
            .id_token_validity(s.id)
            .refresh_token_validity(s.refresh)
            .token_validity_units(s.units)
            .set_read_attributes(s.read)
            .set_write_attributes(s.write)
            .set_explicit_auth_flows(Some(s.flows))
            .set_supported_identity_providers(s.providers)
            .set_callback_urls(s.callbacks)
            .set_logout_urls(s.logouts)
            .set_default_redirect_uri(s.default_redirect)
            .set_allowed_o_auth_flows(s.oauth_flows)
            .set_allowed_o_auth_scopes(s.oauth_scopes)
            .allowed_o_auth_flows_user_pool_client(s.oauth_enabled)
            .prevent_user_existence_errors(s.prevent_errors)
            .enable_token_revocation(s.revocation)
            .auth_session_validity(s.session)
    }};
}

/// `CreateUserPoolClient`.
pub fn create_client(
    client: &cip::Client,
    pool_id: &str,
    name: &str,
    state: &ClientState,
) -> cip::operation::create_user_pool_client::builders::CreateUserPoolClientFluentBuilder {
    let builder =
        client.create_user_pool_client().user_pool_id(pool_id).client_name(name).generate_secret(state.generate_secret);
    apply_client_settings!(builder, client_settings(state))
}

/// `UpdateUserPoolClient` with every setting (and the unmodelled ones as read).
pub fn update_client(
    client: &cip::Client,
    pool_id: &str,
    client_id: &str,
    name: &str,
    state: &ClientState,
    preserved: &PreservedClient,
) -> cip::operation::update_user_pool_client::builders::UpdateUserPoolClientFluentBuilder {
    let builder = client
        .update_user_pool_client()
        .user_pool_id(pool_id)
        .client_id(client_id)
        .client_name(name)
        .set_analytics_configuration(preserved.analytics_configuration.clone())
        .set_enable_propagate_additional_user_context_data(preserved.enable_propagate_additional_user_context_data)
        .set_refresh_token_rotation(preserved.refresh_token_rotation.clone());
    apply_client_settings!(builder, client_settings(state))
}

/// The `Scopes` of a resource server.
pub fn scopes(server: &ResourceServerState) -> Result<Vec<idp::ResourceServerScopeType>> {
    server
        .scopes
        .iter()
        .map(|(name, description)| {
            built(
                "resource server scope",
                idp::ResourceServerScopeType::builder().scope_name(name).scope_description(description).build(),
            )
        })
        .collect()
}

/// The custom domain configuration of a domain, if it is a custom one.
pub fn custom_domain_config(domain: &DomainState) -> Result<Option<idp::CustomDomainConfigType>> {
    match domain {
        DomainState::Prefix(_) => Ok(None),
        DomainState::Custom { certificate_arn, .. } => Ok(Some(built(
            "custom domain",
            idp::CustomDomainConfigType::builder().certificate_arn(certificate_arn).build(),
        )?)),
    }
}

/// Cognito's provider name of a user pool in an identity pool.
pub fn user_pool_provider_name(region: &str, pool_id: &str) -> String {
    format!("cognito-idp.{region}.amazonaws.com/{pool_id}")
}

/// The identity pool's registered user pool clients.
pub fn cognito_identity_providers(
    pool: &IdentityPoolState,
    region: &str,
    pool_id: &str,
    client_ids: &BTreeMap<String, String>,
) -> Vec<cid::types::CognitoIdentityProvider> {
    pool.clients
        .iter()
        .filter_map(|name| client_ids.get(name))
        .map(|client_id| {
            cid::types::CognitoIdentityProvider::builder()
                .provider_name(user_pool_provider_name(region, pool_id))
                .client_id(client_id)
                .server_side_token_check(false)
                .build()
        })
        .collect()
}

/// Tags of an identity pool we manage.
pub fn identity_pool_tags(user_pool_name: &str) -> HashMap<String, String> {
    HashMap::from([
        (MANAGED_BY_TAG.to_string(), MANAGED_BY_VALUE.to_string()),
        (USER_POOL_TAG.to_string(), user_pool_name.to_string()),
    ])
}

/// `UpdateIdentityPool` with every setting.
pub fn update_identity_pool(
    client: &cid::Client,
    id: &str,
    pool: &IdentityPoolState,
    providers: Vec<cid::types::CognitoIdentityProvider>,
    user_pool_name: &str,
) -> cid::operation::update_identity_pool::builders::UpdateIdentityPoolFluentBuilder {
    client
        .update_identity_pool()
        .identity_pool_id(id)
        .identity_pool_name(&pool.name)
        .allow_unauthenticated_identities(pool.allow_unauthenticated)
        .allow_classic_flow(pool.allow_classic_flow)
        .set_supported_login_providers(Some(
            pool.supported_login_providers.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        ))
        .set_developer_provider_name(pool.developer_provider_name.clone())
        .set_open_id_connect_provider_arns(Some(pool.oidc_provider_arns.iter().cloned().collect()))
        .set_cognito_identity_providers(Some(providers))
        .set_saml_provider_arns(Some(pool.saml_provider_arns.iter().cloned().collect()))
        .set_identity_pool_tags(Some(identity_pool_tags(user_pool_name)))
}

/// `CreateIdentityPool`.
pub fn create_identity_pool(
    client: &cid::Client,
    pool: &IdentityPoolState,
    providers: Vec<cid::types::CognitoIdentityProvider>,
    user_pool_name: &str,
) -> cid::operation::create_identity_pool::builders::CreateIdentityPoolFluentBuilder {
    client
        .create_identity_pool()
        .identity_pool_name(&pool.name)
        .allow_unauthenticated_identities(pool.allow_unauthenticated)
        .allow_classic_flow(pool.allow_classic_flow)
        .set_supported_login_providers(Some(
            pool.supported_login_providers.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        ))
        .set_developer_provider_name(pool.developer_provider_name.clone())
        .set_open_id_connect_provider_arns(Some(pool.oidc_provider_arns.iter().cloned().collect()))
        .set_cognito_identity_providers(Some(providers))
        .set_saml_provider_arns(Some(pool.saml_provider_arns.iter().cloned().collect()))
        .set_identity_pool_tags(Some(identity_pool_tags(user_pool_name)))
}

/// The name of the role deploy creates for an identity pool: IAM's characters only, at most 64.
pub fn managed_role_name(identity_pool_name: &str, authenticated: bool) -> String {
    let suffix = if authenticated { "-auth" } else { "-unauth" };
    let mut base: String = identity_pool_name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || "+=,.@_-".contains(c) { c } else { '-' })
        .collect();
    base.truncate(64 - suffix.len());
    base + suffix
}

/// Whether a role ARN is the role deploy creates for this identity pool.
pub fn is_managed_role(arn: &str, identity_pool_name: &str, authenticated: bool) -> bool {
    arn.ends_with(&format!(":role{ROLE_PATH}{}", managed_role_name(identity_pool_name, authenticated)))
}

/// Cognito's standard trust policy for an identity pool role.
pub fn trust_policy(identity_pool_id: &str, authenticated: bool) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Federated": "cognito-identity.amazonaws.com" },
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": { "cognito-identity.amazonaws.com:aud": identity_pool_id },
                "ForAnyValue:StringLike": {
                    "cognito-identity.amazonaws.com:amr": if authenticated { "authenticated" } else { "unauthenticated" }
                }
            }
        }]
    })
    .to_string()
}

/// The role mappings of an identity pool that takes roles from tokens (`cognito:preferred_role`),
/// keyed `<provider name>:<client id>`.
pub fn role_mappings(
    pool: &IdentityPoolState,
    region: &str,
    pool_id: &str,
    client_ids: &BTreeMap<String, String>,
) -> Result<HashMap<String, cid::types::RoleMapping>> {
    if !pool.roles_from_token {
        return Ok(HashMap::new());
    }
    let provider = user_pool_provider_name(region, pool_id);
    pool.clients
        .iter()
        .filter_map(|name| client_ids.get(name))
        .map(|client_id| {
            let mapping = cid::types::RoleMapping::builder()
                .r#type(cid::types::RoleMappingType::Token)
                .ambiguous_role_resolution(cid::types::AmbiguousRoleResolutionType::AuthenticatedRole)
                .build();
            Ok((format!("{provider}:{client_id}"), built("role mapping", mapping)?))
        })
        .collect()
}

#[cfg(test)]
mod tests;
