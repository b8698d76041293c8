//! Live -> Spec: writes the spec of an existing pool, so a team can adopt this tool for a pool made
//! by hand or by Amplify (`amplify import auth`).
//!
//! The spec written is the shortest one that resolves back to the live configuration: a value
//! equal to what [`auth_spec::resolve`] would default to is left out. The round trip
//! `resolve(import(live))` plans no change (tests check it); what the spec language cannot express
//! is listed in [`Imported::warnings`] instead of being silently lost.

use crate::error::{Error, Result};
use crate::live::{self, Live, Target};
use crate::normalize::{MANAGED_BY_TAG, MANAGED_BY_VALUE};
use crate::sdk::Aws;
use auth_spec::model::*;
use auth_spec::resolve::{self, STANDARD_SCOPES, auth_flow_name, oauth_flow_name, provider_names};
use auth_spec::state::*;
use std::collections::BTreeMap;

/// An imported spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The spec.
    pub spec: Spec,
    /// Files the spec refers to, relative to it (SAML metadata documents), with their content.
    pub files: BTreeMap<String, String>,
    /// What could not be expressed, one sentence each.
    pub warnings: Vec<String>,
    /// Environment variables the spec's secrets refer to: set them before deploying.
    pub secret_variables: Vec<String>,
}

impl Imported {
    /// The spec as TOML.
    pub fn to_toml(&self) -> Result<String> {
        let body = toml::to_string(&self.spec).map_err(|error| Error::Unexpected {
            resource: format!("pool {}", self.spec.pool.name),
            operation: "import",
            message: format!("the spec does not serialize to TOML: {error}"),
        })?;
        Ok(format!(
            "# Imported from Cognito by `cargo xtask import`. Review it, then `cargo xtask diff` should show no changes.\n\n{body}"
        ))
    }
}

/// Reads a pool by id (managed or not), its clients, domain, providers, groups and the identity
/// pool that uses it, and writes the spec. With `adopt`, tags the pool `managed-by` so `deploy`
/// will manage it from now on (the only change import makes).
pub async fn import(aws: &Aws, pool_id: &str, adopt: bool) -> Result<Imported> {
    let live = live::read(aws, &Target::ById(pool_id.to_string())).await?;
    let imported = spec_from_live(&live)?;
    if adopt && let Some(pool) = &live.user_pool {
        aws.idp
            .tag_resource()
            .resource_arn(&pool.arn)
            .tags(MANAGED_BY_TAG, MANAGED_BY_VALUE)
            .send()
            .await
            .map_err(Error::aws(format!("pool {}", pool.state.pool.name), "TagResource"))?;
    }
    Ok(imported)
}

/// The spec of a live state. Pure.
pub fn spec_from_live(live: &Live) -> Result<Imported> {
    let state = live.state().ok_or_else(|| Error::PoolNotFound("(none read)".into()))?;
    let mut imported =
        Imported { spec: Spec::default(), files: BTreeMap::new(), warnings: Vec::new(), secret_variables: Vec::new() };
    let spec = &mut imported.spec;
    let pool = &state.pool;
    spec.pool = Pool {
        name: pool.name.clone(),
        region: pool.region.clone(),
        sign_in: sign_in(pool),
        case_sensitive: pool.case_sensitive,
        self_sign_up: !pool.admin_create_user.allow_admin_create_user_only,
        deletion_protection: pool.deletion_protection,
        password: PasswordPolicy {
            min_length: pool.password_policy.minimum_length,
            require: [
                (pool.password_policy.require_lowercase, CharacterClass::Lowercase),
                (pool.password_policy.require_uppercase, CharacterClass::Uppercase),
                (pool.password_policy.require_numbers, CharacterClass::Numbers),
                (pool.password_policy.require_symbols, CharacterClass::Symbols),
            ]
            .into_iter()
            .filter_map(|(on, class)| on.then_some(class))
            .collect(),
            temporary_password_validity_days: pool.password_policy.temporary_password_validity_days,
        },
        tags: pool.tags.clone(),
    };
    for (attribute, settings) in &pool.standard_attributes {
        if *settings != AttributeSettings::default() {
            spec.attributes
                .set(*attribute, StandardAttributeSpec { required: settings.required, mutable: settings.mutable });
        }
    }
    for (wire, attribute) in &pool.custom_attributes {
        let Some(name) = wire.strip_prefix("custom:") else {
            imported
                .warnings
                .push(format!("developer-only attribute `{wire}` cannot be expressed in a spec; it is left out"));
            continue;
        };
        let mut custom = CustomAttribute::new(attribute.data_type);
        custom.mutable = attribute.mutable;
        match attribute.constraints {
            AttributeConstraints::String { min_length, max_length } => {
                custom.min_length = (min_length != 0).then_some(min_length);
                custom.max_length = (max_length != resolve::DEFAULT_STRING_MAX_LENGTH).then_some(max_length);
            }
            AttributeConstraints::Number { min, max } => {
                custom.min = min;
                custom.max = max;
            }
            AttributeConstraints::None => {}
        }
        spec.custom_attributes.insert(name.to_string(), custom);
    }
    spec.verification = verification(pool, &mut imported.warnings);
    spec.invitation = Invitation {
        email_subject: unless_default(&pool.admin_create_user.email_subject, resolve::DEFAULT_INVITATION_EMAIL_SUBJECT),
        email_message: unless_default(&pool.admin_create_user.email_message, resolve::DEFAULT_INVITATION_MESSAGE),
        sms_message: unless_default(&pool.admin_create_user.sms_message, resolve::DEFAULT_INVITATION_MESSAGE),
    };
    spec.mfa = mfa(&pool.mfa);
    spec.account_recovery = AccountRecovery {
        methods: Some(
            pool.account_recovery
                .iter()
                .map(|option| match option {
                    RecoveryOptionState::VerifiedEmail => RecoveryMethod::Email,
                    RecoveryOptionState::VerifiedPhoneNumber => RecoveryMethod::Phone,
                    RecoveryOptionState::AdminOnly => RecoveryMethod::AdminOnly,
                })
                .collect(),
        ),
    };
    spec.devices = match pool.devices {
        None => Devices::default(),
        Some(devices) => Devices {
            remember: if devices.device_only_remembered_on_user_prompt {
                DeviceRemembering::UserOptIn
            } else {
                DeviceRemembering::Always
            },
            challenge_new_device: devices.challenge_required_on_new_device,
        },
    };
    spec.email = EmailConfig {
        sender: if pool.email.developer { EmailSender::Ses } else { EmailSender::Cognito },
        from: pool.email.from.clone(),
        reply_to: pool.email.reply_to.clone(),
        source_arn: pool.email.source_arn.clone(),
        configuration_set: pool.email.configuration_set.clone(),
    };
    spec.sms = pool.sms.as_ref().map(|sms| SmsConfig {
        role_arn: sms.sns_caller_arn.clone(),
        external_id: sms.external_id.clone(),
        sns_region: sms.sns_region.clone(),
    });
    for (trigger, arn) in &pool.lambda.triggers {
        spec.triggers.set(*trigger, arn.clone());
    }
    spec.triggers.pre_token_generation_version =
        pool.lambda.pre_token_generation_version.filter(|version| *version != PreTokenGenerationVersion::default());
    spec.triggers.kms_key_arn = pool.lambda.kms_key_id.clone();
    spec.groups = state
        .groups
        .iter()
        .map(|(name, group)| {
            (
                name.clone(),
                Group {
                    precedence: group.precedence,
                    description: group.description.clone(),
                    role_arn: group.role_arn.clone(),
                },
            )
        })
        .collect();
    spec.resource_servers = state
        .resource_servers
        .iter()
        .map(|(id, server)| (id.clone(), ResourceServer { name: server.name.clone(), scopes: server.scopes.clone() }))
        .collect();
    spec.domain = state.domain.as_ref().map(|domain| match domain {
        DomainState::Prefix(prefix) => Domain { prefix: Some(prefix.clone()), ..Domain::default() },
        DomainState::Custom { domain, certificate_arn } => {
            Domain { prefix: None, custom: Some(domain.clone()), certificate_arn: Some(certificate_arn.clone()) }
        }
    });
    if let Some(user_pool) = &live.user_pool {
        for name in &user_pool.foreign_providers {
            imported
                .warnings
                .push(format!("identity provider `{name}` is of a type this tool does not manage; it is left out"));
        }
        providers(&state, user_pool, &mut imported);
    }
    let spec = &mut imported.spec;
    // Clients are converted after providers, whose names their `providers` lists use.
    let clients: Vec<(String, AppClient)> = state
        .clients
        .iter()
        .map(|(name, client)| (name.clone(), app_client(spec, name, client, &mut imported.warnings)))
        .collect();
    let spec = &mut imported.spec;
    spec.clients = clients.into_iter().collect();
    spec.identity_pool = state.identity_pool.as_ref().map(|pool| identity_pool(spec, pool));
    simplify(&mut imported.spec);
    Ok(imported)
}

fn unless_default(value: &str, default: &str) -> Option<String> {
    (value != default).then(|| value.to_string())
}

fn sign_in(pool: &PoolState) -> Vec<SignInIdentifier> {
    let identifier = |attribute: &str| match attribute {
        "email" => Some(SignInIdentifier::Email),
        "phone_number" => Some(SignInIdentifier::Phone),
        "preferred_username" => Some(SignInIdentifier::PreferredUsername),
        _ => None,
    };
    if !pool.username_attributes.is_empty() {
        return pool.username_attributes.iter().filter_map(|a| identifier(a)).collect();
    }
    std::iter::once(SignInIdentifier::Username)
        .chain(pool.alias_attributes.iter().filter_map(|a| identifier(a)))
        .collect()
}

fn verification(pool: &PoolState, warnings: &mut Vec<String>) -> Verification {
    let v = &pool.verification;
    let (style, subject, message) = match v.default_email_option {
        DefaultEmailOption::ConfirmWithCode => {
            if v.email_subject_by_link != resolve::DEFAULT_VERIFICATION_LINK_SUBJECT
                || v.email_message_by_link != resolve::DEFAULT_VERIFICATION_LINK_MESSAGE
            {
                warnings
                    .push("the verification link texts are not used (the pool sends codes) and are left out".into());
            }
            (
                EmailStyle::Code,
                unless_default(&v.email_subject, resolve::DEFAULT_VERIFICATION_EMAIL_SUBJECT),
                unless_default(&v.email_message, resolve::DEFAULT_VERIFICATION_EMAIL_MESSAGE),
            )
        }
        DefaultEmailOption::ConfirmWithLink => {
            if v.email_subject != resolve::DEFAULT_VERIFICATION_EMAIL_SUBJECT
                || v.email_message != resolve::DEFAULT_VERIFICATION_EMAIL_MESSAGE
            {
                warnings
                    .push("the verification code texts are not used (the pool sends links) and are left out".into());
            }
            (
                EmailStyle::Link,
                unless_default(&v.email_subject_by_link, resolve::DEFAULT_VERIFICATION_LINK_SUBJECT),
                unless_default(&v.email_message_by_link, resolve::DEFAULT_VERIFICATION_LINK_MESSAGE),
            )
        }
    };
    Verification {
        auto_verify: Some(
            pool.auto_verified_attributes
                .iter()
                .filter_map(|a| match a.as_str() {
                    "email" => Some(VerifiableAttribute::Email),
                    "phone_number" => Some(VerifiableAttribute::PhoneNumber),
                    _ => None,
                })
                .collect(),
        ),
        email_style: style,
        email_subject: subject,
        email_message: message,
        sms_message: unless_default(&v.sms_message, resolve::DEFAULT_VERIFICATION_SMS_MESSAGE),
    }
}

fn mfa(mfa: &MfaState) -> Mfa {
    let mut methods = Vec::new();
    if mfa.sms_message.is_some() {
        methods.push(MfaMethod::Sms);
    }
    if mfa.totp {
        methods.push(MfaMethod::Totp);
    }
    if mfa.email.is_some() {
        methods.push(MfaMethod::Email);
    }
    Mfa {
        mode: match mfa.configuration {
            MfaConfiguration::Off => MfaMode::Off,
            MfaConfiguration::Optional => MfaMode::Optional,
            MfaConfiguration::On => MfaMode::Required,
        },
        methods,
        sms_message: mfa.sms_message.as_deref().and_then(|m| unless_default(m, resolve::DEFAULT_MFA_SMS_MESSAGE)),
        email_subject: mfa.email.as_ref().and_then(|e| unless_default(&e.subject, resolve::DEFAULT_MFA_EMAIL_SUBJECT)),
        email_message: mfa.email.as_ref().and_then(|e| unless_default(&e.message, resolve::DEFAULT_MFA_EMAIL_MESSAGE)),
    }
}

/// The spec name of a pool attribute's wire name: a custom attribute by its plain name.
fn spec_attribute(spec: &Spec, wire: &str) -> String {
    match wire.strip_prefix("custom:") {
        Some(name) if spec.custom_attributes.contains_key(name) && StandardAttribute::from_name(name).is_none() => {
            name.to_string()
        }
        _ => wire.to_string(),
    }
}

fn secret(imported: &mut Imported, env: String) -> SecretRef {
    imported.secret_variables.push(env.clone());
    SecretRef::env(env)
}

fn env_name(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect()
}

fn providers(state: &AuthState, user_pool: &live::LiveUserPool, imported: &mut Imported) {
    for (name, provider) in &state.identity_providers {
        let plain = |key: &str| match provider.details.get(key) {
            Some(DetailValue::Plain(value)) => value.clone(),
            _ => String::new(),
        };
        let mapping: AttributeMapping = provider
            .attribute_mapping
            .iter()
            .map(|(wire, claim)| (spec_attribute(&imported.spec, wire), claim.clone()))
            .collect();
        let scopes = |provider_type: ProviderType| -> Vec<String> {
            let scopes: Vec<String> =
                plain("authorize_scopes").split([' ', ',']).filter(|s| !s.is_empty()).map(str::to_string).collect();
            // Scopes equal to the provider's default are left out of the spec.
            let written = resolve::canonical_scopes(provider_type, scopes.iter().map(String::as_str));
            if written == default_scopes(provider_type) { Vec::new() } else { scopes }
        };
        match provider.provider_type {
            ProviderType::Google | ProviderType::Facebook | ProviderType::LoginWithAmazon => {
                let env = match provider.provider_type {
                    ProviderType::Google => "GOOGLE_CLIENT_SECRET",
                    ProviderType::Facebook => "FACEBOOK_APP_SECRET",
                    _ => "AMAZON_CLIENT_SECRET",
                }
                .to_string();
                let social = SocialProvider {
                    client_id: plain("client_id"),
                    client_secret: secret(imported, env),
                    scopes: scopes(provider.provider_type),
                    attribute_mapping: mapping,
                    api_version: provider.details.get("api_version").map(|_| plain("api_version")),
                };
                let providers = &mut imported.spec.providers;
                match provider.provider_type {
                    ProviderType::Google => providers.google = Some(social),
                    ProviderType::Facebook => providers.facebook = Some(social),
                    _ => providers.amazon = Some(social),
                }
            }
            ProviderType::SignInWithApple => {
                let apple = AppleProvider {
                    client_id: plain("client_id"),
                    team_id: plain("team_id"),
                    key_id: plain("key_id"),
                    private_key: secret(imported, "APPLE_PRIVATE_KEY".into()),
                    scopes: scopes(ProviderType::SignInWithApple),
                    attribute_mapping: mapping,
                };
                imported.spec.providers.apple = Some(apple);
            }
            ProviderType::Oidc => {
                let oidc = OidcProvider {
                    client_id: plain("client_id"),
                    client_secret: secret(imported, format!("{}_CLIENT_SECRET", env_name(name))),
                    issuer: plain("oidc_issuer"),
                    scopes: plain("authorize_scopes")
                        .split(' ')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect(),
                    attribute_mapping: mapping,
                    request_method: if plain("attributes_request_method") == "POST" {
                        OidcRequestMethod::Post
                    } else {
                        OidcRequestMethod::Get
                    },
                    identifiers: provider.identifiers.iter().cloned().collect(),
                };
                imported.spec.providers.oidc.insert(name.clone(), oidc);
            }
            ProviderType::Saml => {
                let metadata_file = user_pool.saml_metadata.get(name).map(|content| {
                    let path = format!("{name}-metadata.xml");
                    imported.files.insert(path.clone(), content.clone());
                    path
                });
                let saml = SamlProvider {
                    metadata_url: provider.details.get("MetadataURL").map(|_| plain("MetadataURL")),
                    metadata_file: if provider.details.contains_key("MetadataURL") { None } else { metadata_file },
                    sign_out: plain("IDPSignout") == "true",
                    identifiers: provider.identifiers.iter().cloned().collect(),
                    attribute_mapping: mapping,
                };
                imported.spec.providers.saml.insert(name.clone(), saml);
            }
        }
    }
}

fn default_scopes(provider_type: ProviderType) -> String {
    // What resolve fills in for a provider without scopes: resolve a probe spec and read it back.
    let mut spec = Spec::default();
    spec.pool.name = "probe".into();
    let probe = || SocialProvider {
        client_id: String::new(),
        client_secret: SecretRef::env("PROBE"),
        scopes: Vec::new(),
        attribute_mapping: AttributeMapping::new(),
        api_version: None,
    };
    match provider_type {
        ProviderType::Google => spec.providers.google = Some(probe()),
        ProviderType::Facebook => spec.providers.facebook = Some(probe()),
        ProviderType::LoginWithAmazon => spec.providers.amazon = Some(probe()),
        ProviderType::SignInWithApple => {
            spec.providers.apple = Some(AppleProvider {
                client_id: String::new(),
                team_id: String::new(),
                key_id: String::new(),
                private_key: SecretRef::env("PROBE"),
                scopes: Vec::new(),
                attribute_mapping: AttributeMapping::new(),
            })
        }
        ProviderType::Oidc | ProviderType::Saml => return String::new(),
    }
    resolve::resolve(&spec)
        .identity_providers
        .get(provider_type.as_cognito())
        .and_then(|p| match p.details.get("authorize_scopes") {
            Some(DetailValue::Plain(scopes)) => Some(scopes.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

fn app_client(spec: &Spec, name: &str, client: &ClientState, warnings: &mut Vec<String>) -> AppClient {
    const FLOWS: &[AuthFlow] = &[
        AuthFlow::UserSrp,
        AuthFlow::UserPassword,
        AuthFlow::AdminUserPassword,
        AuthFlow::Custom,
        AuthFlow::RefreshToken,
    ];
    // In the model's order, so the default set is recognised as the default.
    let auth_flows: Vec<AuthFlow> =
        FLOWS.iter().copied().filter(|flow| client.explicit_auth_flows.contains(auth_flow_name(*flow))).collect();
    for flow in &client.explicit_auth_flows {
        if !FLOWS.iter().any(|known| auth_flow_name(*known) == flow) {
            warnings.push(format!("client `{name}`: auth flow `{flow}` cannot be expressed in a spec; it is left out"));
        }
    }
    let attributes = |names: &Option<std::collections::BTreeSet<String>>| {
        names.as_ref().map(|names| names.iter().map(|wire| spec_attribute(spec, wire)).collect())
    };
    let validity = |live: TokenValidity, default: TokenValidity| (live != default).then_some(live);
    let oauth = client.oauth.as_ref().map(|oauth| {
        const GRANTS: &[OAuthFlow] = &[OAuthFlow::Code, OAuthFlow::Implicit, OAuthFlow::ClientCredentials];
        let flows: Vec<OAuthFlow> = oauth
            .flows
            .iter()
            .filter_map(|flow| GRANTS.iter().find(|g| oauth_flow_name(**g) == flow).copied())
            .collect();
        let default_providers: std::collections::BTreeSet<String> =
            std::iter::once("COGNITO".to_string()).chain(provider_names(&spec.providers)).collect();
        let providers = if oauth.identity_providers == default_providers {
            Vec::new()
        } else {
            oauth
                .identity_providers
                .iter()
                .map(|provider| match provider.as_str() {
                    "COGNITO" => "cognito".to_string(),
                    "Google" => "google".to_string(),
                    "Facebook" => "facebook".to_string(),
                    "LoginWithAmazon" => "amazon".to_string(),
                    "SignInWithApple" => "apple".to_string(),
                    other => other.to_string(),
                })
                .collect()
        };
        let standard: std::collections::BTreeSet<String> = STANDARD_SCOPES.iter().map(|s| s.to_string()).collect();
        let scopes = if oauth.scopes == standard && !flows.contains(&OAuthFlow::ClientCredentials) {
            Vec::new()
        } else {
            oauth.scopes.iter().cloned().collect()
        };
        ClientOAuth {
            flows,
            scopes,
            callback_urls: oauth.callback_urls.iter().cloned().collect(),
            logout_urls: oauth.logout_urls.iter().cloned().collect(),
            default_redirect_uri: oauth.default_redirect_uri.clone(),
            providers,
        }
    });
    AppClient {
        generate_secret: client.generate_secret,
        auth_flows,
        access_token_validity: validity(client.access_token_validity, resolve::DEFAULT_ACCESS_TOKEN_VALIDITY),
        id_token_validity: validity(client.id_token_validity, resolve::DEFAULT_ID_TOKEN_VALIDITY),
        refresh_token_validity: validity(client.refresh_token_validity, resolve::DEFAULT_REFRESH_TOKEN_VALIDITY),
        auth_session_validity_minutes: (client.auth_session_validity_minutes
            != resolve::DEFAULT_AUTH_SESSION_VALIDITY_MINUTES)
            .then_some(client.auth_session_validity_minutes),
        read_attributes: attributes(&client.read_attributes),
        write_attributes: attributes(&client.write_attributes),
        prevent_user_existence_errors: client.prevent_user_existence_errors,
        enable_token_revocation: client.enable_token_revocation,
        oauth,
    }
}

fn identity_pool(spec: &Spec, pool: &IdentityPoolState) -> IdentityPool {
    let login = |domain: &str| pool.supported_login_providers.get(domain).cloned();
    let all_clients: std::collections::BTreeSet<String> = spec.clients.keys().cloned().collect();
    IdentityPool {
        name: pool.name.clone(),
        allow_guest: pool.allow_unauthenticated,
        allow_classic_flow: pool.allow_classic_flow,
        authenticated_role_arn: pool.authenticated_role_arn.clone().filter(|arn| !arn.is_empty()),
        unauthenticated_role_arn: pool.unauthenticated_role_arn.clone().filter(|arn| !arn.is_empty()),
        clients: (pool.clients != all_clients).then(|| pool.clients.iter().cloned().collect()),
        roles_from_token: pool.roles_from_token,
        providers: IdentityPoolProviders {
            facebook_app_id: login("graph.facebook.com"),
            google_client_id: login("accounts.google.com"),
            amazon_app_id: login("www.amazon.com"),
            apple_services_id: login("appleid.apple.com"),
            oidc_provider_arns: pool.oidc_provider_arns.iter().cloned().collect(),
            saml_provider_arns: pool.saml_provider_arns.iter().cloned().collect(),
            developer_provider_name: pool.developer_provider_name.clone(),
        },
    }
}

/// Leaves out the explicit values that resolve would pick anyway, so the spec reads like one a
/// person would write (`auto_verify`, recovery methods).
fn simplify(spec: &mut Spec) {
    let target = resolve::resolve(spec);
    let auto_verify = spec.verification.auto_verify.take();
    if resolve::resolve(spec).pool.auto_verified_attributes != target.pool.auto_verified_attributes {
        spec.verification.auto_verify = auto_verify;
    }
    let methods = spec.account_recovery.methods.take();
    if resolve::resolve(spec).pool.account_recovery != target.pool.account_recovery {
        spec.account_recovery.methods = methods;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{self, deployed, fingerprints};

    #[test]
    fn imported_specs_resolve_back_to_the_live_state() {
        for spec in [fixtures::minimal(), fixtures::full()] {
            let desired = resolve::resolve(&spec);
            let live = deployed(&desired);
            let imported = spec_from_live(&live).unwrap();
            assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
            let web = &imported.spec.clients["web"];
            assert_eq!(web.auth_flows, AppClient::default().auth_flows, "the default flows are recognised");
            let again = resolve::resolve(&imported.spec);
            let plan = crate::plan(&again, &live, &fingerprints(&again));
            assert!(!plan.has_changes(), "{}", plan.display());
        }
    }

    #[test]
    fn what_a_spec_cannot_say_is_a_warning() {
        let desired = resolve::resolve(&fixtures::minimal());
        let mut live = deployed(&desired);
        let pool = live.user_pool.as_mut().unwrap();
        pool.state.clients.get_mut("web").unwrap().explicit_auth_flows.insert("ALLOW_USER_AUTH".into());
        pool.foreign_providers.push("LegacyIdp".into());
        let imported = spec_from_live(&live).unwrap();
        assert_eq!(imported.warnings.len(), 2, "{:?}", imported.warnings);
        assert!(imported.warnings.iter().any(|w| w.contains("ALLOW_USER_AUTH")));
        assert!(imported.warnings.iter().any(|w| w.contains("LegacyIdp")));
    }

    #[test]
    fn secrets_become_environment_references() {
        let desired = resolve::resolve(&fixtures::full());
        let imported = spec_from_live(&deployed(&desired)).unwrap();
        assert_eq!(imported.secret_variables, ["CORP_CLIENT_SECRET", "GOOGLE_CLIENT_SECRET"]);
        let toml = imported.to_toml().unwrap();
        assert!(toml.contains("env = \"GOOGLE_CLIENT_SECRET\""), "{toml}");
        assert!(!toml.contains("google-secret"));
    }
}
