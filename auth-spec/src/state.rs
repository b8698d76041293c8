//! The normalised configuration of a user pool and everything around it, in Cognito's own terms.
//!
//! [`crate::resolve`] produces the *desired* state from a spec; auth-deploy reads the *live* state
//! from Cognito into the same types, and the plan is a diff of the two. Templates, outputs and the
//! macro read this too, so they cannot disagree about what a spec means.
//!
//! Normal form, so equal configurations compare equal: every default is explicit, lists that
//! Cognito treats as sets are sorted and deduplicated, names are Cognito's wire names
//! (`custom:tier`, `ALLOW_USER_SRP_AUTH`, `LoginWithAmazon`), and nothing Cognito adds on its own
//! (the `sub` attribute, `email_verified`) appears.

use crate::model::{
    CustomAttributeType, OidcRequestMethod, PreTokenGenerationVersion, SecretRef, StandardAttribute, TokenValidity,
    Trigger,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The whole desired (or live) configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthState {
    /// The user pool's own settings.
    pub pool: PoolState,
    /// Groups by name.
    pub groups: BTreeMap<String, GroupState>,
    /// Resource servers by identifier.
    pub resource_servers: BTreeMap<String, ResourceServerState>,
    /// Identity providers by Cognito provider name (`Google`, `SignInWithApple`, an OIDC name...).
    pub identity_providers: BTreeMap<String, IdentityProviderState>,
    /// App clients by name (Cognito's `ClientName`).
    pub clients: BTreeMap<String, ClientState>,
    /// The hosted UI domain.
    pub domain: Option<DomainState>,
    /// The identity pool.
    pub identity_pool: Option<IdentityPoolState>,
}

/// A user pool's settings, every field explicit (Cognito's `UpdateUserPool` resets omitted ones).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolState {
    /// `PoolName`.
    pub name: String,
    /// The region, when the spec fixes one.
    pub region: Option<String>,
    /// `UsernameAttributes`: `email`, `phone_number`. Immutable.
    pub username_attributes: BTreeSet<String>,
    /// `AliasAttributes`: `email`, `phone_number`, `preferred_username`. Immutable.
    pub alias_attributes: BTreeSet<String>,
    /// `UsernameConfiguration.CaseSensitive`. Immutable.
    pub case_sensitive: bool,
    /// Standard attributes with their settings: all seventeen, declared or not (every pool has
    /// them all), so declaring an attribute with default settings is not a change.
    pub standard_attributes: BTreeMap<StandardAttribute, AttributeSettings>,
    /// Custom attributes by wire name (`custom:tier`).
    pub custom_attributes: BTreeMap<String, CustomAttributeState>,
    /// `AutoVerifiedAttributes`: `email`, `phone_number`.
    pub auto_verified_attributes: BTreeSet<String>,
    /// `VerificationMessageTemplate`.
    pub verification: VerificationState,
    /// `AdminCreateUserConfig`.
    pub admin_create_user: AdminCreateUserState,
    /// `Policies.PasswordPolicy`.
    pub password_policy: PasswordPolicyState,
    /// MFA configuration (`SetUserPoolMfaConfig`).
    pub mfa: MfaState,
    /// `AccountRecoverySetting`, in priority order.
    pub account_recovery: Vec<RecoveryOptionState>,
    /// `DeviceConfiguration`; `None` when devices are not tracked.
    pub devices: Option<DeviceState>,
    /// `EmailConfiguration`.
    pub email: EmailState,
    /// `SmsConfiguration`.
    pub sms: Option<SmsState>,
    /// `LambdaConfig`.
    pub lambda: LambdaState,
    /// `DeletionProtection` is `ACTIVE`.
    pub deletion_protection: bool,
    /// `UserPoolTags` the spec asks for (deploy adds its own `managed-by` tag).
    pub tags: BTreeMap<String, String>,
}

/// `Required` and `Mutable` of an attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeSettings {
    /// Must be present at sign-up.
    pub required: bool,
    /// Can change after sign-up.
    pub mutable: bool,
}

impl Default for AttributeSettings {
    fn default() -> Self {
        AttributeSettings { required: false, mutable: true }
    }
}

/// A custom attribute in Cognito's terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomAttributeState {
    /// `AttributeDataType`.
    pub data_type: CustomAttributeType,
    /// `Mutable`.
    pub mutable: bool,
    /// `StringAttributeConstraints` (Cognito's default is 0..=2048) or `NumberAttributeConstraints`.
    pub constraints: AttributeConstraints,
}

/// Constraints of a custom attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttributeConstraints {
    /// No constraints (boolean, date-time).
    None,
    /// `StringAttributeConstraints`, made explicit.
    String {
        /// Minimum length.
        min_length: u32,
        /// Maximum length.
        max_length: u32,
    },
    /// `NumberAttributeConstraints`.
    Number {
        /// Minimum value.
        min: Option<i64>,
        /// Maximum value.
        max: Option<i64>,
    },
}

/// Whether verification emails carry a code or a link (`DefaultEmailOption`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DefaultEmailOption {
    /// `CONFIRM_WITH_CODE`.
    ConfirmWithCode,
    /// `CONFIRM_WITH_LINK`.
    ConfirmWithLink,
}

/// `VerificationMessageTemplate`, with Cognito's fields for both styles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationState {
    /// `DefaultEmailOption`.
    pub default_email_option: DefaultEmailOption,
    /// `EmailSubject` (code style).
    pub email_subject: String,
    /// `EmailMessage` (code style, contains `{####}`).
    pub email_message: String,
    /// `EmailSubjectByLink`.
    pub email_subject_by_link: String,
    /// `EmailMessageByLink` (contains `{##Verify Email##}`).
    pub email_message_by_link: String,
    /// `SmsMessage` (contains `{####}`).
    pub sms_message: String,
}

/// `AdminCreateUserConfig`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminCreateUserState {
    /// `AllowAdminCreateUserOnly`.
    pub allow_admin_create_user_only: bool,
    /// `InviteMessageTemplate.EmailSubject`.
    pub email_subject: String,
    /// `InviteMessageTemplate.EmailMessage`.
    pub email_message: String,
    /// `InviteMessageTemplate.SMSMessage`.
    pub sms_message: String,
}

/// `PasswordPolicy`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicyState {
    /// `MinimumLength`.
    pub minimum_length: u8,
    /// `RequireLowercase`.
    pub require_lowercase: bool,
    /// `RequireUppercase`.
    pub require_uppercase: bool,
    /// `RequireNumbers`.
    pub require_numbers: bool,
    /// `RequireSymbols`.
    pub require_symbols: bool,
    /// `TemporaryPasswordValidityDays`.
    pub temporary_password_validity_days: u16,
}

/// `MfaConfiguration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MfaConfiguration {
    /// `OFF`.
    Off,
    /// `OPTIONAL`.
    Optional,
    /// `ON`.
    On,
}

/// The pool's MFA settings, as `SetUserPoolMfaConfig` takes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaState {
    /// `MfaConfiguration`.
    pub configuration: MfaConfiguration,
    /// SMS MFA enabled, with its message (`SmsMfaConfiguration.SmsAuthenticationMessage`).
    pub sms_message: Option<String>,
    /// `SoftwareTokenMfaConfiguration.Enabled`.
    pub totp: bool,
    /// Email MFA enabled, with its subject and message (`EmailMfaConfiguration`).
    pub email: Option<EmailMfaState>,
}

impl MfaState {
    /// Whether SMS is an enabled second factor.
    pub fn sms(&self) -> bool {
        self.sms_message.is_some()
    }
}

/// `EmailMfaConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailMfaState {
    /// `Subject`.
    pub subject: String,
    /// `Message` (contains `{####}`).
    pub message: String,
}

/// One `RecoveryOption`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecoveryOptionState {
    /// `verified_email`.
    VerifiedEmail,
    /// `verified_phone_number`.
    VerifiedPhoneNumber,
    /// `admin_only`.
    AdminOnly,
}

impl RecoveryOptionState {
    /// Cognito's name of the option.
    pub fn as_cognito(self) -> &'static str {
        match self {
            RecoveryOptionState::VerifiedEmail => "verified_email",
            RecoveryOptionState::VerifiedPhoneNumber => "verified_phone_number",
            RecoveryOptionState::AdminOnly => "admin_only",
        }
    }
}

/// `DeviceConfiguration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceState {
    /// `ChallengeRequiredOnNewDevice`.
    pub challenge_required_on_new_device: bool,
    /// `DeviceOnlyRememberedOnUserPrompt`.
    pub device_only_remembered_on_user_prompt: bool,
}

/// `EmailConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailState {
    /// `EmailSendingAccount` is `DEVELOPER` (Amazon SES) rather than `COGNITO_DEFAULT`.
    pub developer: bool,
    /// `SourceArn`.
    pub source_arn: Option<String>,
    /// `From`.
    pub from: Option<String>,
    /// `ReplyToEmailAddress`.
    pub reply_to: Option<String>,
    /// `ConfigurationSet`.
    pub configuration_set: Option<String>,
}

/// `SmsConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsState {
    /// `SnsCallerArn`.
    pub sns_caller_arn: String,
    /// `ExternalId`.
    pub external_id: Option<String>,
    /// `SnsRegion`.
    pub sns_region: Option<String>,
}

/// `LambdaConfig`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LambdaState {
    /// Function ARN per trigger.
    pub triggers: BTreeMap<Trigger, String>,
    /// Event version of the pre token generation trigger (when it is set).
    pub pre_token_generation_version: Option<PreTokenGenerationVersion>,
    /// `KMSKeyID` for the custom senders.
    pub kms_key_id: Option<String>,
}

/// A group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupState {
    /// `Description`.
    pub description: Option<String>,
    /// `Precedence`.
    pub precedence: Option<u32>,
    /// `RoleArn`.
    pub role_arn: Option<String>,
}

/// A resource server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceServerState {
    /// `Name`.
    pub name: String,
    /// `Scopes`: scope name -> description.
    pub scopes: BTreeMap<String, String>,
}

/// Cognito's identity provider types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ProviderType {
    /// `Google`.
    Google,
    /// `Facebook`.
    Facebook,
    /// `LoginWithAmazon`.
    LoginWithAmazon,
    /// `SignInWithApple`.
    SignInWithApple,
    /// `OIDC`.
    Oidc,
    /// `SAML`.
    Saml,
}

impl ProviderType {
    /// Cognito's `ProviderType` string.
    pub fn as_cognito(self) -> &'static str {
        match self {
            ProviderType::Google => "Google",
            ProviderType::Facebook => "Facebook",
            ProviderType::LoginWithAmazon => "LoginWithAmazon",
            ProviderType::SignInWithApple => "SignInWithApple",
            ProviderType::Oidc => "OIDC",
            ProviderType::Saml => "SAML",
        }
    }
}

/// A value of an identity provider's `ProviderDetails`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DetailValue {
    /// A plain value, compared as is.
    Plain(String),
    /// A secret, known by reference on the desired side; deploy reads the value only when it
    /// writes it, and never shows it.
    Secret(SecretRef),
    /// A secret read from Cognito, kept only as a SHA-256 fingerprint so it can be compared
    /// with the referenced value without being held or printed.
    SecretFingerprint(String),
    /// A file the spec names (SAML metadata), relative to the spec; deploy reads it.
    File(String),
}

/// An identity provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityProviderState {
    /// `ProviderType`.
    pub provider_type: ProviderType,
    /// `ProviderDetails` the spec sets (Cognito adds discovered endpoints; they are not compared).
    pub details: BTreeMap<String, DetailValue>,
    /// `AttributeMapping`: pool attribute (wire name) -> provider attribute.
    pub attribute_mapping: BTreeMap<String, String>,
    /// `IdpIdentifiers`.
    pub identifiers: BTreeSet<String>,
}

/// An app client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientState {
    /// `GenerateSecret`. Immutable.
    pub generate_secret: bool,
    /// `ExplicitAuthFlows` (`ALLOW_...`).
    pub explicit_auth_flows: BTreeSet<String>,
    /// `AccessTokenValidity` with its unit.
    pub access_token_validity: TokenValidity,
    /// `IdTokenValidity` with its unit.
    pub id_token_validity: TokenValidity,
    /// `RefreshTokenValidity` with its unit.
    pub refresh_token_validity: TokenValidity,
    /// `AuthSessionValidity` in minutes.
    pub auth_session_validity_minutes: u8,
    /// `ReadAttributes` (wire names); `None` means all.
    pub read_attributes: Option<BTreeSet<String>>,
    /// `WriteAttributes` (wire names); `None` means all writable.
    pub write_attributes: Option<BTreeSet<String>>,
    /// `PreventUserExistenceErrors` is `ENABLED`.
    pub prevent_user_existence_errors: bool,
    /// `EnableTokenRevocation`.
    pub enable_token_revocation: bool,
    /// OAuth settings; `None` when `AllowedOAuthFlowsUserPoolClient` is false.
    pub oauth: Option<ClientOAuthState>,
}

/// OAuth settings of a client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientOAuthState {
    /// `AllowedOAuthFlows`: `code`, `implicit`, `client_credentials`.
    pub flows: BTreeSet<String>,
    /// `AllowedOAuthScopes`.
    pub scopes: BTreeSet<String>,
    /// `CallbackURLs`.
    pub callback_urls: BTreeSet<String>,
    /// `LogoutURLs`.
    pub logout_urls: BTreeSet<String>,
    /// `DefaultRedirectURI`.
    pub default_redirect_uri: Option<String>,
    /// `SupportedIdentityProviders` (`COGNITO`, `Google`, provider names).
    pub identity_providers: BTreeSet<String>,
}

/// The hosted UI domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DomainState {
    /// `<prefix>.auth.<region>.amazoncognito.com`.
    Prefix(String),
    /// A custom domain with its ACM certificate.
    Custom {
        /// The domain name.
        domain: String,
        /// `CustomDomainConfig.CertificateArn`.
        certificate_arn: String,
    },
}

impl DomainState {
    /// The domain as Cognito's `Domain` parameter takes it.
    pub fn cognito_domain(&self) -> &str {
        match self {
            DomainState::Prefix(prefix) => prefix,
            DomainState::Custom { domain, .. } => domain,
        }
    }

    /// The host name apps redirect to.
    pub fn host(&self, region: &str) -> String {
        match self {
            DomainState::Prefix(prefix) => format!("{prefix}.auth.{region}.amazoncognito.com"),
            DomainState::Custom { domain, .. } => domain.clone(),
        }
    }
}

/// An identity pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityPoolState {
    /// `IdentityPoolName`.
    pub name: String,
    /// `AllowUnauthenticatedIdentities`.
    pub allow_unauthenticated: bool,
    /// `AllowClassicFlow`.
    pub allow_classic_flow: bool,
    /// App clients (by name) registered as `CognitoIdentityProviders`.
    pub clients: BTreeSet<String>,
    /// Whether the user pool provider uses token-based role mapping (`cognito:preferred_role`).
    pub roles_from_token: bool,
    /// `SupportedLoginProviders`: provider domain (`accounts.google.com`...) -> app id.
    pub supported_login_providers: BTreeMap<String, String>,
    /// `OpenIdConnectProviderARNs`.
    pub oidc_provider_arns: BTreeSet<String>,
    /// `SamlProviderARNs`.
    pub saml_provider_arns: BTreeSet<String>,
    /// `DeveloperProviderName`.
    pub developer_provider_name: Option<String>,
    /// Role of signed-in users: an ARN, or `None` for the role deploy creates.
    pub authenticated_role_arn: Option<String>,
    /// Role of guests: an ARN, or `None` for the role deploy creates (only with guests allowed).
    pub unauthenticated_role_arn: Option<String>,
}

/// `OidcRequestMethod` in Cognito's `attributes_request_method` detail.
pub fn oidc_request_method(method: OidcRequestMethod) -> &'static str {
    match method {
        OidcRequestMethod::Get => "GET",
        OidcRequestMethod::Post => "POST",
    }
}
