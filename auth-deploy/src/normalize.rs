//! What Cognito returns -> the normal form of [`auth_spec::state`]. Pure functions of SDK values.
//!
//! This is where perpetual diffs die (Terraform's worst Cognito bug). Cognito adds things nobody
//! asked for and reformats others; each rule below names what it undoes:
//! - the schema lists `sub`, `email_verified`, `phone_number_verified` and `identities`: only the
//!   seventeen standard attributes and `custom:*` ones are kept;
//! - string custom attributes come back with or without `StringAttributeConstraints`, with
//!   lengths as strings: missing bounds become Cognito's defaults (0..=2048);
//! - token lifetimes come back without units when the defaults apply: Cognito's default units
//!   (hours for access and id tokens, days for refresh tokens) are filled in, and the plan compares
//!   lifetimes by duration, so `60m` and `1h` are the same;
//! - legacy `ExplicitAuthFlows` names (`USER_PASSWORD_AUTH`...) become their `ALLOW_` names;
//! - the `email_verified` / `phone_number_verified` attributes the request builder adds to a
//!   client's read and write attributes (Cognito needs them readable next to `email`/`phone_number`)
//!   are removed again;
//! - the `username` attribute mapping Cognito adds to every federated provider is removed when it is
//!   the provider's default;
//! - provider details keep only the keys a spec sets; the endpoints Cognito discovers
//!   (`authorize_url`, `jwks_uri`...) are dropped, and secrets are replaced by their fingerprint
//!   at once, so a secret read from Cognito is never held;
//! - lists Cognito treats as sets are sets; account recovery options are sorted by priority;
//! - our own `managed-by` tag is not part of the spec's tags.

use crate::externals::fingerprint;
use auth_spec::model::{
    CustomAttributeType, PreTokenGenerationVersion, StandardAttribute, TimeUnit, TokenValidity, Trigger,
};
use auth_spec::resolve::{self as defaults, canonical_scopes};
use auth_spec::state::*;
use aws_sdk_cognitoidentityprovider::types as idp;
use std::collections::{BTreeMap, BTreeSet};

/// Key of the tag that marks the pools (and identity pools) this tool manages.
pub const MANAGED_BY_TAG: &str = "managed-by";
/// Value of [`MANAGED_BY_TAG`].
pub const MANAGED_BY_VALUE: &str = "auth-deploy";

/// The MFA part of a pool, as `GetUserPoolMfaConfig` returns it.
#[derive(Debug, Clone, Default)]
pub struct MfaRead {
    /// `MfaConfiguration`.
    pub configuration: Option<idp::UserPoolMfaType>,
    /// `SmsMfaConfiguration`.
    pub sms: Option<idp::SmsMfaConfigType>,
    /// `SoftwareTokenMfaConfiguration`.
    pub totp: Option<idp::SoftwareTokenMfaConfigType>,
    /// `EmailMfaConfiguration`.
    pub email: Option<idp::EmailMfaConfigType>,
}

/// A pool's settings in normal form. The MFA part comes from `GetUserPoolMfaConfig`, which is the
/// only complete source of it.
pub fn pool_state(pool: &idp::UserPoolType, mfa: &MfaRead, region: &str) -> PoolState {
    let schema = pool.schema_attributes();
    let standard_attributes = StandardAttribute::ALL
        .iter()
        .map(|&attribute| {
            let settings = schema
                .iter()
                .find(|entry| entry.name() == Some(attribute.name()))
                .map(|entry| AttributeSettings {
                    required: entry.required().unwrap_or(false),
                    mutable: entry.mutable().unwrap_or(true),
                })
                .unwrap_or_default();
            (attribute, settings)
        })
        .collect();
    let custom_attributes = schema
        .iter()
        .filter_map(|entry| {
            let name = entry.name()?;
            custom_wire_name(name).map(|wire| (wire, custom_attribute(entry)))
        })
        .collect();
    let template = pool.verification_message_template();
    let pick = |from_template: Option<&str>, legacy: Option<&str>, default: &str| {
        from_template.or(legacy).filter(|text| !text.is_empty()).unwrap_or(default).to_string()
    };
    let verification = VerificationState {
        default_email_option: match template.and_then(|t| t.default_email_option()) {
            Some(idp::DefaultEmailOptionType::ConfirmWithLink) => DefaultEmailOption::ConfirmWithLink,
            _ => DefaultEmailOption::ConfirmWithCode,
        },
        email_subject: pick(
            template.and_then(|t| t.email_subject()),
            pool.email_verification_subject(),
            defaults::DEFAULT_VERIFICATION_EMAIL_SUBJECT,
        ),
        email_message: pick(
            template.and_then(|t| t.email_message()),
            pool.email_verification_message(),
            defaults::DEFAULT_VERIFICATION_EMAIL_MESSAGE,
        ),
        email_subject_by_link: pick(
            template.and_then(|t| t.email_subject_by_link()),
            None,
            defaults::DEFAULT_VERIFICATION_LINK_SUBJECT,
        ),
        email_message_by_link: pick(
            template.and_then(|t| t.email_message_by_link()),
            None,
            defaults::DEFAULT_VERIFICATION_LINK_MESSAGE,
        ),
        sms_message: pick(
            template.and_then(|t| t.sms_message()),
            pool.sms_verification_message(),
            defaults::DEFAULT_VERIFICATION_SMS_MESSAGE,
        ),
    };
    let admin = pool.admin_create_user_config();
    let invite = admin.and_then(|config| config.invite_message_template());
    let admin_create_user = AdminCreateUserState {
        allow_admin_create_user_only: admin.is_some_and(|config| config.allow_admin_create_user_only()),
        email_subject: pick(invite.and_then(|t| t.email_subject()), None, defaults::DEFAULT_INVITATION_EMAIL_SUBJECT),
        email_message: pick(invite.and_then(|t| t.email_message()), None, defaults::DEFAULT_INVITATION_MESSAGE),
        sms_message: pick(invite.and_then(|t| t.sms_message()), None, defaults::DEFAULT_INVITATION_MESSAGE),
    };
    let password = pool.policies().and_then(|policies| policies.password_policy());
    let password_policy = PasswordPolicyState {
        minimum_length: password.and_then(|p| p.minimum_length()).and_then(|n| u8::try_from(n).ok()).unwrap_or(8),
        require_lowercase: password.is_some_and(|p| p.require_lowercase()),
        require_uppercase: password.is_some_and(|p| p.require_uppercase()),
        require_numbers: password.is_some_and(|p| p.require_numbers()),
        require_symbols: password.is_some_and(|p| p.require_symbols()),
        temporary_password_validity_days: password
            .map(|p| p.temporary_password_validity_days())
            .filter(|days| *days > 0)
            .and_then(|days| u16::try_from(days).ok())
            .unwrap_or(7),
    };
    let mut recovery: Vec<&idp::RecoveryOptionType> = pool
        .account_recovery_setting()
        .map(|setting| setting.recovery_mechanisms().iter().collect())
        .unwrap_or_default();
    recovery.sort_by_key(|option| option.priority());
    let account_recovery = recovery
        .into_iter()
        .filter_map(|option| match option.name() {
            idp::RecoveryOptionNameType::VerifiedEmail => Some(RecoveryOptionState::VerifiedEmail),
            idp::RecoveryOptionNameType::VerifiedPhoneNumber => Some(RecoveryOptionState::VerifiedPhoneNumber),
            idp::RecoveryOptionNameType::AdminOnly => Some(RecoveryOptionState::AdminOnly),
            _ => None,
        })
        .collect();
    let email = pool.email_configuration();
    let email = EmailState {
        developer: email.and_then(|e| e.email_sending_account()) == Some(&idp::EmailSendingAccountType::Developer),
        source_arn: email.and_then(|e| e.source_arn()).map(str::to_string),
        from: email.and_then(|e| e.from()).map(str::to_string),
        reply_to: email.and_then(|e| e.reply_to_email_address()).map(str::to_string),
        configuration_set: email.and_then(|e| e.configuration_set()).map(str::to_string),
    };
    let sms = pool.sms_configuration().filter(|sms| !sms.sns_caller_arn().is_empty()).map(|sms| SmsState {
        sns_caller_arn: sms.sns_caller_arn().to_string(),
        external_id: sms.external_id().filter(|id| !id.is_empty()).map(str::to_string),
        // Cognito reports the pool's own region when none was set: the same setting.
        sns_region: sms.sns_region().filter(|sns| !sns.is_empty() && *sns != region).map(str::to_string),
    });
    PoolState {
        name: pool.name().unwrap_or_default().to_string(),
        region: Some(region.to_string()),
        username_attributes: pool.username_attributes().iter().map(|a| a.as_str().to_string()).collect(),
        alias_attributes: pool.alias_attributes().iter().map(|a| a.as_str().to_string()).collect(),
        // Pools made through the API without a `UsernameConfiguration` are case sensitive.
        case_sensitive: pool.username_configuration().is_none_or(|config| config.case_sensitive()),
        standard_attributes,
        custom_attributes,
        auto_verified_attributes: pool.auto_verified_attributes().iter().map(|a| a.as_str().to_string()).collect(),
        verification,
        admin_create_user,
        password_policy,
        mfa: mfa_state(mfa),
        account_recovery,
        devices: pool.device_configuration().map(|device| DeviceState {
            challenge_required_on_new_device: device.challenge_required_on_new_device(),
            device_only_remembered_on_user_prompt: device.device_only_remembered_on_user_prompt(),
        }),
        email,
        sms,
        lambda: lambda_state(pool.lambda_config()),
        deletion_protection: pool.deletion_protection() == Some(&idp::DeletionProtectionType::Active),
        tags: pool
            .user_pool_tags()
            .map(|tags| {
                tags.iter()
                    .filter(|(key, _)| key.as_str() != MANAGED_BY_TAG)
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// Whether a pool carries our `managed-by` tag.
pub fn is_managed(tags: Option<&std::collections::HashMap<String, String>>) -> bool {
    tags.and_then(|tags| tags.get(MANAGED_BY_TAG)).is_some_and(|value| value == MANAGED_BY_VALUE)
}

/// `custom:tier` for a schema name that is a custom attribute (`custom:tier`, or `dev:custom:tier`
/// for developer-only ones, which keep their prefix so they are never confused).
fn custom_wire_name(name: &str) -> Option<String> {
    (name.starts_with("custom:") || name.starts_with("dev:custom:")).then(|| name.to_string())
}

fn custom_attribute(entry: &idp::SchemaAttributeType) -> CustomAttributeState {
    let data_type = match entry.attribute_data_type() {
        Some(idp::AttributeDataType::Number) => CustomAttributeType::Number,
        Some(idp::AttributeDataType::Boolean) => CustomAttributeType::Boolean,
        Some(idp::AttributeDataType::Datetime) => CustomAttributeType::Datetime,
        _ => CustomAttributeType::String,
    };
    let parse_u32 = |text: Option<&str>| text.and_then(|t| t.trim().parse::<u32>().ok());
    let parse_i64 = |text: Option<&str>| text.and_then(|t| t.trim().parse::<i64>().ok());
    let constraints = match data_type {
        CustomAttributeType::String => {
            let string = entry.string_attribute_constraints();
            AttributeConstraints::String {
                min_length: parse_u32(string.and_then(|c| c.min_length())).unwrap_or(0),
                max_length: parse_u32(string.and_then(|c| c.max_length()))
                    .unwrap_or(defaults::DEFAULT_STRING_MAX_LENGTH),
            }
        }
        CustomAttributeType::Number => {
            let number = entry.number_attribute_constraints();
            AttributeConstraints::Number {
                min: parse_i64(number.and_then(|c| c.min_value())),
                max: parse_i64(number.and_then(|c| c.max_value())),
            }
        }
        CustomAttributeType::Boolean | CustomAttributeType::Datetime => AttributeConstraints::None,
    };
    CustomAttributeState { data_type, mutable: entry.mutable().unwrap_or(true), constraints }
}

/// The MFA settings in normal form: with MFA off nothing else is on.
pub fn mfa_state(mfa: &MfaRead) -> MfaState {
    let configuration = match mfa.configuration.as_ref() {
        Some(idp::UserPoolMfaType::On) => MfaConfiguration::On,
        Some(idp::UserPoolMfaType::Optional) => MfaConfiguration::Optional,
        _ => MfaConfiguration::Off,
    };
    if configuration == MfaConfiguration::Off {
        return MfaState { configuration, sms_message: None, totp: false, email: None };
    }
    MfaState {
        configuration,
        sms_message: mfa.sms.as_ref().map(|sms| {
            sms.sms_authentication_message()
                .filter(|m| !m.is_empty())
                .unwrap_or(defaults::DEFAULT_MFA_SMS_MESSAGE)
                .to_string()
        }),
        totp: mfa.totp.as_ref().is_some_and(|totp| totp.enabled()),
        email: mfa.email.as_ref().map(|email| EmailMfaState {
            subject: email
                .subject()
                .filter(|s| !s.is_empty())
                .unwrap_or(defaults::DEFAULT_MFA_EMAIL_SUBJECT)
                .to_string(),
            message: email
                .message()
                .filter(|s| !s.is_empty())
                .unwrap_or(defaults::DEFAULT_MFA_EMAIL_MESSAGE)
                .to_string(),
        }),
    }
}

fn lambda_state(config: Option<&idp::LambdaConfigType>) -> LambdaState {
    let Some(config) = config else { return LambdaState::default() };
    let mut triggers = BTreeMap::new();
    let mut set = |trigger: Trigger, arn: Option<&str>| {
        if let Some(arn) = arn.filter(|arn| !arn.is_empty()) {
            triggers.insert(trigger, arn.to_string());
        }
    };
    set(Trigger::PreSignUp, config.pre_sign_up());
    set(Trigger::PostConfirmation, config.post_confirmation());
    set(Trigger::PreAuthentication, config.pre_authentication());
    set(Trigger::PostAuthentication, config.post_authentication());
    set(Trigger::DefineAuthChallenge, config.define_auth_challenge());
    set(Trigger::CreateAuthChallenge, config.create_auth_challenge());
    set(Trigger::VerifyAuthChallengeResponse, config.verify_auth_challenge_response());
    set(Trigger::CustomMessage, config.custom_message());
    set(Trigger::UserMigration, config.user_migration());
    set(Trigger::CustomEmailSender, config.custom_email_sender().map(|sender| sender.lambda_arn()));
    set(Trigger::CustomSmsSender, config.custom_sms_sender().map(|sender| sender.lambda_arn()));
    // `PreTokenGenerationConfig` carries the version; the older `PreTokenGeneration` means V1.
    let (pre_token, version) = match config.pre_token_generation_config() {
        Some(versioned) => (
            Some(versioned.lambda_arn()),
            Some(match versioned.lambda_version() {
                idp::PreTokenGenerationLambdaVersionType::V20 => PreTokenGenerationVersion::V2,
                idp::PreTokenGenerationLambdaVersionType::V30 => PreTokenGenerationVersion::V3,
                _ => PreTokenGenerationVersion::V1,
            }),
        ),
        None => (config.pre_token_generation(), config.pre_token_generation().map(|_| PreTokenGenerationVersion::V1)),
    };
    set(Trigger::PreTokenGeneration, pre_token);
    LambdaState {
        pre_token_generation_version: version.filter(|_| triggers.contains_key(&Trigger::PreTokenGeneration)),
        triggers,
        kms_key_id: config.kms_key_id().filter(|k| !k.is_empty()).map(str::to_string),
    }
}

/// An app client in normal form. The client secret, when Cognito returns it, only tells that the
/// client has one; it is dropped here.
pub fn client_state(client: &idp::UserPoolClientType) -> ClientState {
    let units = client.token_validity_units();
    let validity =
        |value: Option<i32>, unit: Option<&idp::TimeUnitsType>, default_unit: TimeUnit, default: TokenValidity| {
            match value.filter(|v| *v > 0).and_then(|v| u32::try_from(v).ok()) {
                Some(value) => TokenValidity { value, unit: unit.map(time_unit).unwrap_or(default_unit) },
                None => default,
            }
        };
    let oauth = client.allowed_o_auth_flows_user_pool_client().unwrap_or(false).then(|| ClientOAuthState {
        flows: client.allowed_o_auth_flows().iter().map(|flow| flow.as_str().to_string()).collect(),
        scopes: client.allowed_o_auth_scopes().iter().cloned().collect(),
        callback_urls: client.callback_urls().iter().cloned().collect(),
        logout_urls: client.logout_urls().iter().cloned().collect(),
        default_redirect_uri: client.default_redirect_uri().filter(|uri| !uri.is_empty()).map(str::to_string),
        identity_providers: client.supported_identity_providers().iter().cloned().collect(),
    });
    ClientState {
        generate_secret: client.client_secret().is_some_and(|secret| !secret.is_empty()),
        explicit_auth_flows: client.explicit_auth_flows().iter().map(|flow| auth_flow_name(flow.as_str())).collect(),
        access_token_validity: validity(
            client.access_token_validity(),
            units.and_then(|u| u.access_token()),
            TimeUnit::Hours,
            defaults::DEFAULT_ACCESS_TOKEN_VALIDITY,
        ),
        id_token_validity: validity(
            client.id_token_validity(),
            units.and_then(|u| u.id_token()),
            TimeUnit::Hours,
            defaults::DEFAULT_ID_TOKEN_VALIDITY,
        ),
        refresh_token_validity: validity(
            Some(client.refresh_token_validity()),
            units.and_then(|u| u.refresh_token()),
            TimeUnit::Days,
            defaults::DEFAULT_REFRESH_TOKEN_VALIDITY,
        ),
        auth_session_validity_minutes: client
            .auth_session_validity()
            .filter(|minutes| *minutes > 0)
            .and_then(|minutes| u8::try_from(minutes).ok())
            .unwrap_or(defaults::DEFAULT_AUTH_SESSION_VALIDITY_MINUTES),
        read_attributes: attribute_list(client.read_attributes.as_deref()),
        write_attributes: attribute_list(client.write_attributes.as_deref()),
        prevent_user_existence_errors: client.prevent_user_existence_errors()
            == Some(&idp::PreventUserExistenceErrorTypes::Enabled),
        enable_token_revocation: client.enable_token_revocation().unwrap_or(true),
        oauth,
    }
}

/// The `*_verified` attributes that go with `email` / `phone_number` in a client's attribute lists.
pub const VERIFIED_COMPANIONS: &[(&str, &str)] =
    &[("email", "email_verified"), ("phone_number", "phone_number_verified")];

fn attribute_list(names: Option<&[String]>) -> Option<BTreeSet<String>> {
    let names = names.filter(|names| !names.is_empty())?;
    Some(without_companions(&names.iter().cloned().collect()))
}

/// A client's attribute list without the `*_verified` attributes that go with an attribute in the
/// list (the request adds them; a spec may list them or not). Applied to both sides of a diff.
pub fn without_companions(names: &BTreeSet<String>) -> BTreeSet<String> {
    names
        .iter()
        .filter(|name| {
            !VERIFIED_COMPANIONS.iter().any(|(attribute, companion)| companion == name && names.contains(*attribute))
        })
        .cloned()
        .collect()
}

fn time_unit(unit: &idp::TimeUnitsType) -> TimeUnit {
    match unit {
        idp::TimeUnitsType::Seconds => TimeUnit::Seconds,
        idp::TimeUnitsType::Minutes => TimeUnit::Minutes,
        idp::TimeUnitsType::Days => TimeUnit::Days,
        _ => TimeUnit::Hours,
    }
}

/// The `ALLOW_` name of an `ExplicitAuthFlows` value, legacy names included.
pub fn auth_flow_name(flow: &str) -> String {
    match flow {
        "ADMIN_NO_SRP_AUTH" => "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "CUSTOM_AUTH_FLOW_ONLY" => "ALLOW_CUSTOM_AUTH",
        "USER_PASSWORD_AUTH" => "ALLOW_USER_PASSWORD_AUTH",
        other => other,
    }
    .to_string()
}

/// A group in normal form.
pub fn group_state(group: &idp::GroupType) -> GroupState {
    GroupState {
        description: group.description().filter(|d| !d.is_empty()).map(str::to_string),
        precedence: group.precedence().and_then(|p| u32::try_from(p).ok()),
        role_arn: group.role_arn().filter(|r| !r.is_empty()).map(str::to_string),
    }
}

/// A resource server in normal form.
pub fn resource_server_state(server: &idp::ResourceServerType) -> ResourceServerState {
    ResourceServerState {
        name: server.name().unwrap_or_default().to_string(),
        scopes: server
            .scopes()
            .iter()
            .map(|scope| (scope.scope_name().to_string(), scope.scope_description().to_string()))
            .collect(),
    }
}

/// Our provider type of a Cognito one; `None` for a type this tool does not manage.
pub fn provider_type(provider_type: &idp::IdentityProviderTypeType) -> Option<ProviderType> {
    match provider_type.as_str() {
        "Google" => Some(ProviderType::Google),
        "Facebook" => Some(ProviderType::Facebook),
        "LoginWithAmazon" => Some(ProviderType::LoginWithAmazon),
        "SignInWithApple" => Some(ProviderType::SignInWithApple),
        "OIDC" => Some(ProviderType::Oidc),
        "SAML" => Some(ProviderType::Saml),
        _ => None,
    }
}

/// `ProviderDetails` keys a spec sets, per provider type, and which of them are secret.
pub fn managed_detail_keys(provider_type: ProviderType) -> &'static [(&'static str, bool)] {
    match provider_type {
        ProviderType::Google | ProviderType::LoginWithAmazon => {
            &[("client_id", false), ("client_secret", true), ("authorize_scopes", false)]
        }
        ProviderType::Facebook => {
            &[("client_id", false), ("client_secret", true), ("authorize_scopes", false), ("api_version", false)]
        }
        ProviderType::SignInWithApple => &[
            ("client_id", false),
            ("team_id", false),
            ("key_id", false),
            ("private_key", true),
            ("authorize_scopes", false),
        ],
        ProviderType::Oidc => &[
            ("client_id", false),
            ("client_secret", true),
            ("oidc_issuer", false),
            ("authorize_scopes", false),
            ("attributes_request_method", false),
        ],
        // The metadata document is long and not worth showing: compared by fingerprint.
        ProviderType::Saml => &[("MetadataURL", false), ("MetadataFile", true), ("IDPSignout", false)],
    }
}

/// The attribute Cognito maps `username` to by default, per provider type.
pub fn default_username_mapping(provider_type: ProviderType) -> Option<&'static str> {
    match provider_type {
        ProviderType::Google | ProviderType::SignInWithApple | ProviderType::Oidc => Some("sub"),
        ProviderType::Facebook => Some("id"),
        ProviderType::LoginWithAmazon => Some("user_id"),
        ProviderType::Saml => None,
    }
}

/// An identity provider in normal form, or `None` for a type this tool does not manage.
pub fn identity_provider_state(provider: &idp::IdentityProviderType) -> Option<IdentityProviderState> {
    let provider_type = provider_type(provider.provider_type()?)?;
    let raw = provider.provider_details();
    let mut details = BTreeMap::new();
    for &(key, secret) in managed_detail_keys(provider_type) {
        let value = raw.and_then(|raw| raw.get(key)).map(String::as_str);
        let value = match (key, value) {
            ("authorize_scopes", Some(scopes)) => Some(canonical_scopes(provider_type, [scopes])),
            ("attributes_request_method", None) => Some("GET".to_string()),
            ("IDPSignout", value) => Some(value.unwrap_or("false").to_ascii_lowercase()),
            (_, value) => value.filter(|v| !v.is_empty()).map(str::to_string),
        };
        if let Some(value) = value {
            let value = if secret {
                DetailValue::SecretFingerprint(fingerprint(value.as_bytes()))
            } else {
                DetailValue::Plain(value)
            };
            details.insert(key.to_string(), value);
        }
    }
    let mut attribute_mapping: BTreeMap<String, String> = provider
        .attribute_mapping()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    strip_default_username_mapping(provider_type, &mut attribute_mapping);
    Some(IdentityProviderState {
        provider_type,
        details,
        attribute_mapping,
        identifiers: provider.idp_identifiers().iter().cloned().collect(),
    })
}

/// Removes `username -> <default>` from a mapping: Cognito adds it to every provider.
pub fn strip_default_username_mapping(provider_type: ProviderType, mapping: &mut BTreeMap<String, String>) {
    if let Some(default) = default_username_mapping(provider_type)
        && mapping.get("username").is_some_and(|value| value == default)
    {
        mapping.remove("username");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn schema(name: &str, data_type: idp::AttributeDataType) -> idp::builders::SchemaAttributeTypeBuilder {
        idp::SchemaAttributeType::builder().name(name).attribute_data_type(data_type)
    }

    #[test]
    fn implicit_attributes_are_dropped_and_string_constraints_defaulted() {
        let pool = idp::UserPoolType::builder()
            .name("p")
            .schema_attributes(schema("sub", idp::AttributeDataType::String).required(true).mutable(false).build())
            .schema_attributes(schema("email_verified", idp::AttributeDataType::Boolean).build())
            .schema_attributes(schema("identities", idp::AttributeDataType::String).build())
            .schema_attributes(schema("email", idp::AttributeDataType::String).required(true).mutable(true).build())
            .schema_attributes(
                schema("custom:tier", idp::AttributeDataType::String)
                    .mutable(true)
                    .string_attribute_constraints(
                        idp::StringAttributeConstraintsType::builder().max_length("16").build(),
                    )
                    .build(),
            )
            .schema_attributes(schema("custom:plain", idp::AttributeDataType::String).build())
            .schema_attributes(schema("custom:age", idp::AttributeDataType::Number).build())
            .build();
        let state = pool_state(&pool, &MfaRead::default(), "eu-west-1");
        assert_eq!(state.standard_attributes.len(), StandardAttribute::ALL.len());
        assert!(state.standard_attributes[&StandardAttribute::Email].required);
        assert!(!state.standard_attributes[&StandardAttribute::Name].required);
        assert_eq!(
            state.custom_attributes.keys().cloned().collect::<Vec<_>>(),
            ["custom:age", "custom:plain", "custom:tier"]
        );
        assert_eq!(
            state.custom_attributes["custom:tier"].constraints,
            AttributeConstraints::String { min_length: 0, max_length: 16 }
        );
        assert_eq!(
            state.custom_attributes["custom:plain"].constraints,
            AttributeConstraints::String { min_length: 0, max_length: 2048 }
        );
        assert_eq!(
            state.custom_attributes["custom:age"].constraints,
            AttributeConstraints::Number { min: None, max: None }
        );
        // No `UsernameConfiguration` is Cognito's legacy: case sensitive.
        assert!(state.case_sensitive);
    }

    #[test]
    fn managed_by_tag_is_not_a_spec_tag() {
        let pool = idp::UserPoolType::builder()
            .name("p")
            .set_user_pool_tags(Some(HashMap::from([
                (MANAGED_BY_TAG.to_string(), MANAGED_BY_VALUE.to_string()),
                ("team".to_string(), "auth".to_string()),
            ])))
            .build();
        assert!(is_managed(pool.user_pool_tags()));
        let state = pool_state(&pool, &MfaRead::default(), "us-east-1");
        assert_eq!(state.tags, BTreeMap::from([("team".to_string(), "auth".to_string())]));
    }

    #[test]
    fn token_validity_gets_cognito_default_units_and_flows_their_allow_names() {
        let client = idp::UserPoolClientType::builder()
            .client_name("web")
            .access_token_validity(1)
            .refresh_token_validity(30)
            .explicit_auth_flows(idp::ExplicitAuthFlowsType::UserPasswordAuth)
            .explicit_auth_flows(idp::ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .read_attributes("email")
            .read_attributes("email_verified")
            .build();
        let state = client_state(&client);
        assert_eq!(state.access_token_validity, TokenValidity::hours(1));
        assert_eq!(state.id_token_validity, defaults::DEFAULT_ID_TOKEN_VALIDITY);
        assert_eq!(state.refresh_token_validity, TokenValidity::days(30));
        assert_eq!(
            state.explicit_auth_flows,
            BTreeSet::from(["ALLOW_REFRESH_TOKEN_AUTH".to_string(), "ALLOW_USER_PASSWORD_AUTH".to_string()])
        );
        assert_eq!(state.read_attributes, Some(BTreeSet::from(["email".to_string()])));
        assert_eq!(state.write_attributes, None);
        assert!(!state.generate_secret);
        assert_eq!(state.auth_session_validity_minutes, 3);
    }

    #[test]
    fn provider_details_keep_managed_keys_and_only_a_fingerprint_of_secrets() {
        let provider = idp::IdentityProviderType::builder()
            .provider_name("Google")
            .provider_type(idp::IdentityProviderTypeType::Google)
            .set_provider_details(Some(HashMap::from([
                ("client_id".to_string(), "abc".to_string()),
                ("client_secret".to_string(), "s3cret".to_string()),
                ("authorize_scopes".to_string(), "openid  email profile".to_string()),
                ("authorize_url".to_string(), "https://accounts.google.com/o/oauth2/v2/auth".to_string()),
            ])))
            .set_attribute_mapping(Some(HashMap::from([
                ("username".to_string(), "sub".to_string()),
                ("email".to_string(), "email".to_string()),
            ])))
            .build();
        let state = identity_provider_state(&provider).expect("a Google provider");
        assert_eq!(state.details.len(), 3);
        assert_eq!(state.details["authorize_scopes"], DetailValue::Plain("openid email profile".into()));
        match &state.details["client_secret"] {
            DetailValue::SecretFingerprint(fp) => {
                assert_eq!(fp, &fingerprint(b"s3cret"));
                assert!(!fp.contains("s3cret"));
            }
            other => panic!("secret kept as {other:?}"),
        }
        assert_eq!(state.attribute_mapping, BTreeMap::from([("email".to_string(), "email".to_string())]));
    }

    #[test]
    fn an_sns_region_equal_to_the_pool_region_is_no_region() {
        let sms = |region: &str| {
            idp::UserPoolType::builder()
                .name("p")
                .sms_configuration(
                    idp::SmsConfigurationType::builder()
                        .sns_caller_arn("arn:aws:iam::1:role/sms")
                        .sns_region(region)
                        .build(),
                )
                .build()
        };
        let same = pool_state(&sms("eu-west-1"), &MfaRead::default(), "eu-west-1");
        assert_eq!(same.sms.unwrap().sns_region, None);
        let other = pool_state(&sms("us-east-1"), &MfaRead::default(), "eu-west-1");
        assert_eq!(other.sms.unwrap().sns_region.as_deref(), Some("us-east-1"));
    }

    #[test]
    fn verification_texts_fall_back_to_the_legacy_fields_then_to_the_defaults() {
        let pool = idp::UserPoolType::builder()
            .name("p")
            .email_verification_subject("Legacy subject")
            .verification_message_template(
                idp::VerificationMessageTemplateType::builder().email_message("Template {####}").build(),
            )
            .build();
        let state = pool_state(&pool, &MfaRead::default(), "us-east-1");
        assert_eq!(state.verification.email_subject, "Legacy subject");
        assert_eq!(state.verification.email_message, "Template {####}");
        assert_eq!(state.verification.sms_message, defaults::DEFAULT_VERIFICATION_SMS_MESSAGE);
        assert_eq!(state.admin_create_user.email_subject, defaults::DEFAULT_INVITATION_EMAIL_SUBJECT);
    }

    #[test]
    fn pre_token_generation_version_comes_from_the_versioned_config_or_is_v1() {
        let versioned = idp::LambdaConfigType::builder()
            .pre_token_generation_config(
                idp::PreTokenGenerationVersionConfigType::builder()
                    .lambda_arn("arn:fn")
                    .lambda_version(idp::PreTokenGenerationLambdaVersionType::V20)
                    .build()
                    .unwrap(),
            )
            .build();
        let state = lambda_state(Some(&versioned));
        assert_eq!(state.pre_token_generation_version, Some(PreTokenGenerationVersion::V2));
        assert_eq!(state.triggers[&Trigger::PreTokenGeneration], "arn:fn");
        let legacy = idp::LambdaConfigType::builder().pre_token_generation("arn:old").build();
        assert_eq!(lambda_state(Some(&legacy)).pre_token_generation_version, Some(PreTokenGenerationVersion::V1));
        assert_eq!(lambda_state(None), LambdaState::default());
    }

    #[test]
    fn verified_companions_are_dropped_only_next_to_their_attribute() {
        let set = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<BTreeSet<_>>();
        assert_eq!(without_companions(&set(&["email", "email_verified"])), set(&["email"]));
        assert_eq!(without_companions(&set(&["email_verified"])), set(&["email_verified"]));
        assert_eq!(
            without_companions(&set(&["phone_number", "phone_number_verified", "email_verified"])),
            set(&["email_verified", "phone_number"])
        );
    }

    #[test]
    fn mfa_off_hides_leftover_factors() {
        let mfa = MfaRead {
            configuration: Some(idp::UserPoolMfaType::Off),
            totp: Some(idp::SoftwareTokenMfaConfigType::builder().enabled(true).build()),
            ..MfaRead::default()
        };
        let state = mfa_state(&mfa);
        assert_eq!(
            state,
            MfaState { configuration: MfaConfiguration::Off, sms_message: None, totp: false, email: None }
        );
    }
}
