//! Spec -> [`AuthState`]: what the spec means in Cognito's terms, with every default decided here,
//! once. Deploy, templates, outputs and the macro all read the result.
//!
//! The defaults are Amplify's "Default configuration" where Amplify has one (verify the sign-in
//! identifiers, its message texts), else Cognito's own (token lifetimes, string constraints), else
//! CDK's (an OAuth client offers every configured provider and every standard scope).

use crate::model::*;
use crate::state::*;
use std::collections::{BTreeMap, BTreeSet};

/// Default verification email subject (code style).
pub const DEFAULT_VERIFICATION_EMAIL_SUBJECT: &str = "Your verification code";
/// Default verification email body (code style).
pub const DEFAULT_VERIFICATION_EMAIL_MESSAGE: &str = "Your verification code is {####}";
/// Default verification email subject (link style).
pub const DEFAULT_VERIFICATION_LINK_SUBJECT: &str = "Your verification link";
/// Default verification email body (link style).
pub const DEFAULT_VERIFICATION_LINK_MESSAGE: &str =
    "Please click the link below to verify your email address. {##Verify Email##}";
/// Default verification SMS.
pub const DEFAULT_VERIFICATION_SMS_MESSAGE: &str = "Your verification code is {####}";
/// Default invitation email subject.
pub const DEFAULT_INVITATION_EMAIL_SUBJECT: &str = "Your temporary password";
/// Default invitation email and SMS body.
pub const DEFAULT_INVITATION_MESSAGE: &str = "Your username is {username} and temporary password is {####}.";
/// Default MFA SMS.
pub const DEFAULT_MFA_SMS_MESSAGE: &str = "Your authentication code is {####}";
/// Default MFA email subject.
pub const DEFAULT_MFA_EMAIL_SUBJECT: &str = "Your sign-in code";
/// Default MFA email body.
pub const DEFAULT_MFA_EMAIL_MESSAGE: &str = "Your sign-in code is {####}";
/// Cognito's default access and id token lifetime.
pub const DEFAULT_ACCESS_TOKEN_VALIDITY: TokenValidity = TokenValidity::minutes(60);
/// Cognito's default id token lifetime.
pub const DEFAULT_ID_TOKEN_VALIDITY: TokenValidity = TokenValidity::minutes(60);
/// Cognito's default refresh token lifetime.
pub const DEFAULT_REFRESH_TOKEN_VALIDITY: TokenValidity = TokenValidity::days(30);
/// Cognito's default sign-in session lifetime, minutes.
pub const DEFAULT_AUTH_SESSION_VALIDITY_MINUTES: u8 = 3;
/// Cognito's default maximum length of a string custom attribute.
pub const DEFAULT_STRING_MAX_LENGTH: u32 = 2048;
/// The OAuth scopes every pool has, offered by default (as CDK does).
pub const STANDARD_SCOPES: &[&str] = &["aws.cognito.signin.user.admin", "email", "openid", "phone", "profile"];

/// Resolves a spec into Cognito's terms. The spec should have passed [`crate::validate`]; on an
/// invalid spec the result is still well-formed but may not be accepted by Cognito.
pub fn resolve(spec: &Spec) -> AuthState {
    AuthState {
        pool: pool_state(spec),
        groups: spec
            .groups
            .iter()
            .map(|(name, group)| {
                let state = GroupState {
                    description: group.description.clone(),
                    precedence: group.precedence,
                    role_arn: group.role_arn.clone(),
                };
                (name.clone(), state)
            })
            .collect(),
        resource_servers: spec
            .resource_servers
            .iter()
            .map(|(identifier, server)| {
                let state = ResourceServerState { name: server.name.clone(), scopes: server.scopes.clone() };
                (identifier.clone(), state)
            })
            .collect(),
        identity_providers: identity_providers(spec),
        clients: spec.clients.iter().map(|(name, client)| (name.clone(), client_state(spec, client))).collect(),
        domain: spec.domain.as_ref().and_then(domain_state),
        identity_pool: spec.identity_pool.as_ref().map(|pool| identity_pool_state(spec, pool)),
    }
}

fn pool_state(spec: &Spec) -> PoolState {
    let pool = &spec.pool;
    let auto_verified = auto_verified_attributes(spec);
    PoolState {
        name: pool.name.clone(),
        region: pool.region.clone(),
        username_attributes: username_attributes(&pool.sign_in),
        alias_attributes: alias_attributes(&pool.sign_in),
        case_sensitive: pool.case_sensitive,
        standard_attributes: StandardAttribute::ALL
            .iter()
            .map(|&attribute| {
                let settings = spec
                    .attributes
                    .get(attribute)
                    .map(|declared| AttributeSettings { required: declared.required, mutable: declared.mutable })
                    .unwrap_or_default();
                (attribute, settings)
            })
            .collect(),
        custom_attributes: spec
            .custom_attributes
            .iter()
            .map(|(name, attribute)| (custom_wire_name(name), custom_attribute_state(attribute)))
            .collect(),
        account_recovery: account_recovery(spec, &auto_verified),
        auto_verified_attributes: auto_verified,
        verification: verification_state(&spec.verification),
        admin_create_user: AdminCreateUserState {
            allow_admin_create_user_only: !pool.self_sign_up,
            email_subject: or_default(&spec.invitation.email_subject, DEFAULT_INVITATION_EMAIL_SUBJECT),
            email_message: or_default(&spec.invitation.email_message, DEFAULT_INVITATION_MESSAGE),
            sms_message: or_default(&spec.invitation.sms_message, DEFAULT_INVITATION_MESSAGE),
        },
        password_policy: PasswordPolicyState {
            minimum_length: pool.password.min_length,
            require_lowercase: pool.password.require.contains(&CharacterClass::Lowercase),
            require_uppercase: pool.password.require.contains(&CharacterClass::Uppercase),
            require_numbers: pool.password.require.contains(&CharacterClass::Numbers),
            require_symbols: pool.password.require.contains(&CharacterClass::Symbols),
            temporary_password_validity_days: pool.password.temporary_password_validity_days,
        },
        mfa: mfa_state(&spec.mfa),
        devices: match spec.devices.remember {
            DeviceRemembering::Off => None,
            remember => Some(DeviceState {
                challenge_required_on_new_device: spec.devices.challenge_new_device,
                device_only_remembered_on_user_prompt: remember == DeviceRemembering::UserOptIn,
            }),
        },
        email: EmailState {
            developer: spec.email.sender == EmailSender::Ses,
            source_arn: spec.email.source_arn.clone(),
            from: spec.email.from.clone(),
            reply_to: spec.email.reply_to.clone(),
            configuration_set: spec.email.configuration_set.clone(),
        },
        sms: spec.sms.as_ref().map(|sms| SmsState {
            sns_caller_arn: sms.role_arn.clone(),
            external_id: sms.external_id.clone(),
            sns_region: sms.sns_region.clone(),
        }),
        lambda: LambdaState {
            triggers: spec.triggers.iter().map(|(trigger, arn)| (trigger, arn.to_string())).collect(),
            pre_token_generation_version: spec
                .triggers
                .pre_token_generation
                .as_ref()
                .map(|_| spec.triggers.pre_token_generation_version.unwrap_or_default()),
            kms_key_id: spec.triggers.kms_key_arn.clone(),
        },
        deletion_protection: pool.deletion_protection,
        tags: pool.tags.clone(),
    }
}

/// `email` / `phone_number` as the username, when users do not pick one.
fn username_attributes(sign_in: &[SignInIdentifier]) -> BTreeSet<String> {
    if sign_in.contains(&SignInIdentifier::Username) {
        return BTreeSet::new();
    }
    sign_in.iter().filter_map(|identifier| identifier_attribute(*identifier)).map(str::to_string).collect()
}

/// The aliases of a chosen username.
fn alias_attributes(sign_in: &[SignInIdentifier]) -> BTreeSet<String> {
    if !sign_in.contains(&SignInIdentifier::Username) {
        return BTreeSet::new();
    }
    sign_in.iter().filter_map(|identifier| identifier_attribute(*identifier)).map(str::to_string).collect()
}

fn identifier_attribute(identifier: SignInIdentifier) -> Option<&'static str> {
    match identifier {
        SignInIdentifier::Username => None,
        SignInIdentifier::Email => Some("email"),
        SignInIdentifier::Phone => Some("phone_number"),
        SignInIdentifier::PreferredUsername => Some("preferred_username"),
    }
}

/// Explicit list, or (as `amplify add auth` does) the email/phone users sign in with; with a plain
/// username, the email when the spec declares one.
fn auto_verified_attributes(spec: &Spec) -> BTreeSet<String> {
    let wire = |attribute: &VerifiableAttribute| match attribute {
        VerifiableAttribute::Email => "email".to_string(),
        VerifiableAttribute::PhoneNumber => "phone_number".to_string(),
    };
    if let Some(explicit) = &spec.verification.auto_verify {
        return explicit.iter().map(wire).collect();
    }
    let sign_in = &spec.pool.sign_in;
    let mut verified = BTreeSet::new();
    if sign_in.contains(&SignInIdentifier::Email) || spec.attributes.email.is_some() {
        verified.insert("email".to_string());
    }
    if sign_in.contains(&SignInIdentifier::Phone) {
        verified.insert("phone_number".to_string());
    }
    verified
}

fn account_recovery(spec: &Spec, auto_verified: &BTreeSet<String>) -> Vec<RecoveryOptionState> {
    let option = |method: &RecoveryMethod| match method {
        RecoveryMethod::Email => RecoveryOptionState::VerifiedEmail,
        RecoveryMethod::Phone => RecoveryOptionState::VerifiedPhoneNumber,
        RecoveryMethod::AdminOnly => RecoveryOptionState::AdminOnly,
    };
    if let Some(methods) = &spec.account_recovery.methods {
        let mut options: Vec<_> = Vec::new();
        for method in methods.iter().map(option) {
            if !options.contains(&method) {
                options.push(method);
            }
        }
        return options;
    }
    let mut options = Vec::new();
    if auto_verified.contains("email") {
        options.push(RecoveryOptionState::VerifiedEmail);
    }
    if auto_verified.contains("phone_number") {
        options.push(RecoveryOptionState::VerifiedPhoneNumber);
    }
    if options.is_empty() {
        options.push(RecoveryOptionState::AdminOnly);
    }
    options
}

fn verification_state(verification: &Verification) -> VerificationState {
    let (code_subject, code_message, link_subject, link_message) = match verification.email_style {
        EmailStyle::Code => (
            or_default(&verification.email_subject, DEFAULT_VERIFICATION_EMAIL_SUBJECT),
            or_default(&verification.email_message, DEFAULT_VERIFICATION_EMAIL_MESSAGE),
            DEFAULT_VERIFICATION_LINK_SUBJECT.to_string(),
            DEFAULT_VERIFICATION_LINK_MESSAGE.to_string(),
        ),
        EmailStyle::Link => (
            DEFAULT_VERIFICATION_EMAIL_SUBJECT.to_string(),
            DEFAULT_VERIFICATION_EMAIL_MESSAGE.to_string(),
            or_default(&verification.email_subject, DEFAULT_VERIFICATION_LINK_SUBJECT),
            or_default(&verification.email_message, DEFAULT_VERIFICATION_LINK_MESSAGE),
        ),
    };
    VerificationState {
        default_email_option: match verification.email_style {
            EmailStyle::Code => DefaultEmailOption::ConfirmWithCode,
            EmailStyle::Link => DefaultEmailOption::ConfirmWithLink,
        },
        email_subject: code_subject,
        email_message: code_message,
        email_subject_by_link: link_subject,
        email_message_by_link: link_message,
        sms_message: or_default(&verification.sms_message, DEFAULT_VERIFICATION_SMS_MESSAGE),
    }
}

fn mfa_state(mfa: &Mfa) -> MfaState {
    let configuration = match mfa.mode {
        MfaMode::Off => MfaConfiguration::Off,
        MfaMode::Optional => MfaConfiguration::Optional,
        MfaMode::Required => MfaConfiguration::On,
    };
    let enabled = |method| configuration != MfaConfiguration::Off && mfa.methods.contains(&method);
    MfaState {
        configuration,
        sms_message: enabled(MfaMethod::Sms).then(|| or_default(&mfa.sms_message, DEFAULT_MFA_SMS_MESSAGE)),
        totp: enabled(MfaMethod::Totp),
        email: enabled(MfaMethod::Email).then(|| EmailMfaState {
            subject: or_default(&mfa.email_subject, DEFAULT_MFA_EMAIL_SUBJECT),
            message: or_default(&mfa.email_message, DEFAULT_MFA_EMAIL_MESSAGE),
        }),
    }
}

fn custom_attribute_state(attribute: &CustomAttribute) -> CustomAttributeState {
    let constraints = match attribute.kind {
        CustomAttributeType::String => AttributeConstraints::String {
            min_length: attribute.min_length.unwrap_or(0),
            max_length: attribute.max_length.unwrap_or(DEFAULT_STRING_MAX_LENGTH),
        },
        CustomAttributeType::Number => AttributeConstraints::Number { min: attribute.min, max: attribute.max },
        CustomAttributeType::Boolean | CustomAttributeType::Datetime => AttributeConstraints::None,
    };
    CustomAttributeState { data_type: attribute.kind, mutable: attribute.mutable, constraints }
}

/// `custom:<name>` for a custom attribute's spec name.
pub fn custom_wire_name(name: &str) -> String {
    format!("custom:{name}")
}

/// The wire name of an attribute as a spec names it: standard names as they are, a declared custom
/// attribute by its plain name or `custom:<name>`.
pub fn attribute_wire_name(spec: &Spec, name: &str) -> String {
    if spec.custom_attributes.contains_key(name) && StandardAttribute::from_name(name).is_none() {
        custom_wire_name(name)
    } else {
        name.to_string()
    }
}

fn client_state(spec: &Spec, client: &AppClient) -> ClientState {
    let attributes = |names: &Option<Vec<String>>| {
        names.as_ref().map(|names| names.iter().map(|name| attribute_wire_name(spec, name)).collect())
    };
    ClientState {
        generate_secret: client.generate_secret,
        explicit_auth_flows: client.auth_flows.iter().map(|flow| auth_flow_name(*flow).to_string()).collect(),
        access_token_validity: client.access_token_validity.unwrap_or(DEFAULT_ACCESS_TOKEN_VALIDITY),
        id_token_validity: client.id_token_validity.unwrap_or(DEFAULT_ID_TOKEN_VALIDITY),
        refresh_token_validity: client.refresh_token_validity.unwrap_or(DEFAULT_REFRESH_TOKEN_VALIDITY),
        auth_session_validity_minutes: client
            .auth_session_validity_minutes
            .unwrap_or(DEFAULT_AUTH_SESSION_VALIDITY_MINUTES),
        read_attributes: attributes(&client.read_attributes),
        write_attributes: attributes(&client.write_attributes),
        prevent_user_existence_errors: client.prevent_user_existence_errors,
        enable_token_revocation: client.enable_token_revocation,
        oauth: client.oauth.as_ref().map(|oauth| client_oauth_state(spec, oauth)),
    }
}

/// Cognito's `ExplicitAuthFlows` name of a flow.
pub fn auth_flow_name(flow: AuthFlow) -> &'static str {
    match flow {
        AuthFlow::UserSrp => "ALLOW_USER_SRP_AUTH",
        AuthFlow::UserPassword => "ALLOW_USER_PASSWORD_AUTH",
        AuthFlow::AdminUserPassword => "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        AuthFlow::Custom => "ALLOW_CUSTOM_AUTH",
        AuthFlow::RefreshToken => "ALLOW_REFRESH_TOKEN_AUTH",
    }
}

/// Cognito's `AllowedOAuthFlows` name of a grant.
pub fn oauth_flow_name(flow: OAuthFlow) -> &'static str {
    match flow {
        OAuthFlow::Code => "code",
        OAuthFlow::Implicit => "implicit",
        OAuthFlow::ClientCredentials => "client_credentials",
    }
}

fn client_oauth_state(spec: &Spec, oauth: &ClientOAuth) -> ClientOAuthState {
    let identity_providers = if oauth.providers.is_empty() {
        std::iter::once("COGNITO".to_string()).chain(provider_names(&spec.providers)).collect()
    } else {
        oauth.providers.iter().map(|name| supported_provider_name(name)).collect()
    };
    let scopes = if oauth.scopes.is_empty() && !oauth.flows.contains(&OAuthFlow::ClientCredentials) {
        STANDARD_SCOPES.iter().map(|scope| scope.to_string()).collect()
    } else {
        oauth.scopes.iter().cloned().collect()
    };
    ClientOAuthState {
        flows: oauth.flows.iter().map(|flow| oauth_flow_name(*flow).to_string()).collect(),
        scopes,
        callback_urls: oauth.callback_urls.iter().cloned().collect(),
        logout_urls: oauth.logout_urls.iter().cloned().collect(),
        default_redirect_uri: oauth.default_redirect_uri.clone(),
        identity_providers,
    }
}

/// Cognito's provider name for a name used in a client's `oauth.providers`.
pub fn supported_provider_name(name: &str) -> String {
    match name {
        "cognito" => "COGNITO".to_string(),
        "google" => "Google".to_string(),
        "facebook" => "Facebook".to_string(),
        "amazon" => "LoginWithAmazon".to_string(),
        "apple" => "SignInWithApple".to_string(),
        other => other.to_string(),
    }
}

/// Cognito provider names of every configured provider.
pub fn provider_names(providers: &Providers) -> Vec<String> {
    let mut names = Vec::new();
    if providers.google.is_some() {
        names.push("Google".to_string());
    }
    if providers.facebook.is_some() {
        names.push("Facebook".to_string());
    }
    if providers.amazon.is_some() {
        names.push("LoginWithAmazon".to_string());
    }
    if providers.apple.is_some() {
        names.push("SignInWithApple".to_string());
    }
    names.extend(providers.oidc.keys().cloned());
    names.extend(providers.saml.keys().cloned());
    names
}

/// Default scopes Cognito requests from each social provider when the spec names none.
fn default_provider_scopes(provider_type: ProviderType) -> &'static [&'static str] {
    match provider_type {
        ProviderType::Google => &["openid", "email", "profile"],
        ProviderType::Facebook => &["public_profile", "email"],
        ProviderType::LoginWithAmazon => &["profile"],
        ProviderType::SignInWithApple => &["email", "name"],
        ProviderType::Oidc => &["openid"],
        ProviderType::Saml => &[],
    }
}

/// `authorize_scopes` as Cognito stores it: Facebook separates scopes with commas, the others with
/// spaces. Live values are put through this too, so formatting never shows up as a change.
pub fn canonical_scopes<'a>(provider_type: ProviderType, scopes: impl IntoIterator<Item = &'a str>) -> String {
    let scopes: Vec<&str> = scopes.into_iter().flat_map(|s| s.split([' ', ','])).filter(|s| !s.is_empty()).collect();
    let separator = if provider_type == ProviderType::Facebook { "," } else { " " };
    scopes.join(separator)
}

fn identity_providers(spec: &Spec) -> BTreeMap<String, IdentityProviderState> {
    let providers = &spec.providers;
    let mapping = |mapping: &AttributeMapping| -> BTreeMap<String, String> {
        mapping.iter().map(|(attribute, claim)| (attribute_wire_name(spec, attribute), claim.clone())).collect()
    };
    let scopes = |provider_type: ProviderType, scopes: &[String]| {
        if scopes.is_empty() {
            canonical_scopes(provider_type, default_provider_scopes(provider_type).iter().copied())
        } else {
            canonical_scopes(provider_type, scopes.iter().map(String::as_str))
        }
    };
    let plain = |value: &str| DetailValue::Plain(value.to_string());
    let mut states = BTreeMap::new();
    let social = [
        (ProviderType::Google, &providers.google),
        (ProviderType::Facebook, &providers.facebook),
        (ProviderType::LoginWithAmazon, &providers.amazon),
    ];
    for (provider_type, provider) in social {
        let Some(provider) = provider else { continue };
        let mut details = BTreeMap::from([
            ("client_id".to_string(), plain(&provider.client_id)),
            ("client_secret".to_string(), DetailValue::Secret(provider.client_secret.clone())),
            ("authorize_scopes".to_string(), plain(&scopes(provider_type, &provider.scopes))),
        ]);
        if let Some(version) = &provider.api_version {
            details.insert("api_version".to_string(), plain(version));
        }
        states.insert(
            provider_type.as_cognito().to_string(),
            IdentityProviderState {
                provider_type,
                details,
                attribute_mapping: mapping(&provider.attribute_mapping),
                identifiers: BTreeSet::new(),
            },
        );
    }
    if let Some(apple) = &providers.apple {
        let details = BTreeMap::from([
            ("client_id".to_string(), plain(&apple.client_id)),
            ("team_id".to_string(), plain(&apple.team_id)),
            ("key_id".to_string(), plain(&apple.key_id)),
            ("private_key".to_string(), DetailValue::Secret(apple.private_key.clone())),
            ("authorize_scopes".to_string(), plain(&scopes(ProviderType::SignInWithApple, &apple.scopes))),
        ]);
        states.insert(
            ProviderType::SignInWithApple.as_cognito().to_string(),
            IdentityProviderState {
                provider_type: ProviderType::SignInWithApple,
                details,
                attribute_mapping: mapping(&apple.attribute_mapping),
                identifiers: BTreeSet::new(),
            },
        );
    }
    for (name, oidc) in &providers.oidc {
        let details = BTreeMap::from([
            ("client_id".to_string(), plain(&oidc.client_id)),
            ("client_secret".to_string(), DetailValue::Secret(oidc.client_secret.clone())),
            ("oidc_issuer".to_string(), plain(&oidc.issuer)),
            ("authorize_scopes".to_string(), plain(&scopes(ProviderType::Oidc, &oidc.scopes))),
            ("attributes_request_method".to_string(), plain(oidc_request_method(oidc.request_method))),
        ]);
        states.insert(
            name.clone(),
            IdentityProviderState {
                provider_type: ProviderType::Oidc,
                details,
                attribute_mapping: mapping(&oidc.attribute_mapping),
                identifiers: oidc.identifiers.iter().cloned().collect(),
            },
        );
    }
    for (name, saml) in &providers.saml {
        let mut details = BTreeMap::new();
        if let Some(url) = &saml.metadata_url {
            details.insert("MetadataURL".to_string(), plain(url));
        }
        if let Some(path) = &saml.metadata_file {
            details.insert("MetadataFile".to_string(), DetailValue::File(path.clone()));
        }
        details.insert("IDPSignout".to_string(), plain(if saml.sign_out { "true" } else { "false" }));
        states.insert(
            name.clone(),
            IdentityProviderState {
                provider_type: ProviderType::Saml,
                details,
                attribute_mapping: mapping(&saml.attribute_mapping),
                identifiers: saml.identifiers.iter().cloned().collect(),
            },
        );
    }
    states
}

fn domain_state(domain: &Domain) -> Option<DomainState> {
    match (&domain.prefix, &domain.custom) {
        (Some(prefix), _) => Some(DomainState::Prefix(prefix.clone())),
        (None, Some(custom)) => Some(DomainState::Custom {
            domain: custom.clone(),
            certificate_arn: domain.certificate_arn.clone().unwrap_or_default(),
        }),
        (None, None) => None,
    }
}

fn identity_pool_state(spec: &Spec, pool: &IdentityPool) -> IdentityPoolState {
    let providers = &pool.providers;
    let login_providers = [
        ("graph.facebook.com", &providers.facebook_app_id),
        ("accounts.google.com", &providers.google_client_id),
        ("www.amazon.com", &providers.amazon_app_id),
        ("appleid.apple.com", &providers.apple_services_id),
    ];
    IdentityPoolState {
        name: pool.name.clone(),
        allow_unauthenticated: pool.allow_guest,
        allow_classic_flow: pool.allow_classic_flow,
        clients: match &pool.clients {
            Some(clients) => clients.iter().cloned().collect(),
            None => spec.clients.keys().cloned().collect(),
        },
        roles_from_token: pool.roles_from_token,
        supported_login_providers: login_providers
            .into_iter()
            .filter_map(|(domain, id)| id.as_ref().map(|id| (domain.to_string(), id.clone())))
            .collect(),
        oidc_provider_arns: providers.oidc_provider_arns.iter().cloned().collect(),
        saml_provider_arns: providers.saml_provider_arns.iter().cloned().collect(),
        developer_provider_name: providers.developer_provider_name.clone(),
        authenticated_role_arn: pool.authenticated_role_arn.clone(),
        unauthenticated_role_arn: if pool.allow_guest { pool.unauthenticated_role_arn.clone() } else { None },
    }
}

fn or_default(value: &Option<String>, default: &str) -> String {
    value.clone().unwrap_or_else(|| default.to_string())
}
