//! What the generated code is made of, decided from the spec in one place: which attributes exist
//! and how they are typed, which sign-in steps the pool can produce, the names of groups,
//! providers, scopes and clients. Pure, so the decisions are unit-tested apart from the tokens.

use auth_spec::Spec;
use auth_spec::model::{CustomAttributeType, StandardAttribute, Trigger};
use auth_spec::state::{AttributeConstraints, AuthState, MfaConfiguration};

/// Everything the generator needs.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthModel {
    /// The user pool name.
    pub pool_name: String,
    /// Attributes the app can set, standard ones first, in a stable order.
    pub attributes: Vec<Attribute>,
    /// The sign-in steps the pool can produce.
    pub steps: Steps,
    /// Group names.
    pub groups: Vec<String>,
    /// OAuth identity providers a client can redirect to.
    pub providers: Vec<Provider>,
    /// Every OAuth scope of the pool: the standard ones and the resource servers'.
    pub scopes: Vec<String>,
    /// App client names.
    pub clients: Vec<String>,
}

/// An attribute of the pool the app sets or reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// The Rust field name (the spec's name).
    pub field: String,
    /// The wire name (`email`, `custom:tier`).
    pub wire: String,
    /// The Rust type family.
    pub kind: Kind,
    /// Required at sign-up.
    pub required: bool,
    /// Can change after sign-up.
    pub mutable: bool,
    /// Constraints the spec declares.
    pub constraints: Constraints,
    /// The spec entry that produced it, for the docs: `[attributes.email]`.
    pub origin: String,
}

/// How an attribute is typed in Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `String`.
    Text,
    /// `i64`.
    Integer,
    /// `bool`.
    Boolean,
    /// `std::time::SystemTime`.
    DateTime,
}

/// Constraints checked by the generated `validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Constraints {
    /// Minimum length in characters.
    pub min_length: Option<u32>,
    /// Maximum length in characters.
    pub max_length: Option<u32>,
    /// Minimum value.
    pub min: Option<i64>,
    /// Maximum value.
    pub max: Option<i64>,
}

/// The sign-in steps the pool can produce; `Done`, `ResetPassword` always exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Steps {
    /// SMS MFA is enabled.
    pub sms_code: bool,
    /// TOTP MFA is enabled.
    pub totp_code: bool,
    /// Email MFA is enabled.
    pub email_code: bool,
    /// Two or more MFA methods: the user may be asked to choose.
    pub mfa_selection: bool,
    /// MFA is required with TOTP: a user without a factor sets TOTP up while signing in.
    pub totp_setup: bool,
    /// MFA is required with email: a user without a factor gives an address while signing in.
    pub email_setup: bool,
    /// Administrators create users (`self_sign_up = false`, or invitation messages are
    /// configured): a first sign-in asks for a new password.
    pub new_password: bool,
    /// The custom auth triggers are configured.
    pub custom_challenge: bool,
    /// Users sign themselves up, so an unconfirmed user can try to sign in.
    pub confirm_sign_up: bool,
}

/// An OAuth identity provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    /// The name in the spec (`cognito`, `google`, an OIDC name).
    pub spec_name: String,
    /// Cognito's name (`COGNITO`, `Google`, the OIDC name).
    pub cognito_name: String,
}

impl AuthModel {
    /// Builds the model of a valid spec.
    pub fn new(spec: &Spec) -> AuthModel {
        let state = auth_spec::resolve(spec);
        AuthModel {
            pool_name: spec.pool.name.clone(),
            attributes: attributes(spec, &state),
            steps: steps(spec, &state),
            groups: spec.groups.keys().cloned().collect(),
            providers: std::iter::once(("cognito".to_string(), "COGNITO".to_string()))
                .chain(
                    [
                        ("google", spec.providers.google.is_some()),
                        ("facebook", spec.providers.facebook.is_some()),
                        ("amazon", spec.providers.amazon.is_some()),
                        ("apple", spec.providers.apple.is_some()),
                    ]
                    .into_iter()
                    .filter(|(_, configured)| *configured)
                    .map(|(name, _)| (name.to_string(), auth_spec::resolve::supported_provider_name(name))),
                )
                .chain(
                    spec.providers
                        .oidc
                        .keys()
                        .chain(spec.providers.saml.keys())
                        .map(|name| (name.clone(), name.clone())),
                )
                .map(|(spec_name, cognito_name)| Provider { spec_name, cognito_name })
                .collect(),
            scopes: auth_spec::resolve::STANDARD_SCOPES
                .iter()
                .map(|scope| scope.to_string())
                .chain(spec.resource_servers.iter().flat_map(|(identifier, server)| {
                    server.scopes.keys().map(move |scope| format!("{identifier}/{scope}"))
                }))
                .collect(),
            clients: spec.clients.keys().cloned().collect(),
        }
    }

    /// The attributes required at sign-up.
    pub fn required(&self) -> impl Iterator<Item = &Attribute> {
        self.attributes.iter().filter(|attribute| attribute.required)
    }

    /// The attributes users can change.
    pub fn mutable(&self) -> impl Iterator<Item = &Attribute> {
        self.attributes.iter().filter(|attribute| attribute.mutable)
    }
}

/// The declared standard attributes (plus the sign-in identifiers, which the pool always has)
/// and every custom attribute.
fn attributes(spec: &Spec, state: &AuthState) -> Vec<Attribute> {
    let sign_in_attributes: Vec<StandardAttribute> = state
        .pool
        .username_attributes
        .iter()
        .chain(&state.pool.alias_attributes)
        .filter_map(|name| StandardAttribute::from_name(name))
        .collect();
    let mut attributes: Vec<Attribute> = StandardAttribute::ALL
        .iter()
        .filter(|attribute| spec.attributes.get(**attribute).is_some() || sign_in_attributes.contains(attribute))
        .map(|&attribute| {
            let settings = state.pool.standard_attributes[&attribute];
            Attribute {
                field: attribute.name().to_string(),
                wire: attribute.name().to_string(),
                kind: if attribute == StandardAttribute::UpdatedAt { Kind::Integer } else { Kind::Text },
                required: settings.required,
                mutable: settings.mutable,
                constraints: Constraints::default(),
                origin: if spec.attributes.get(attribute).is_some() {
                    format!("[attributes.{}]", attribute.name())
                } else {
                    "[pool] sign_in".to_string()
                },
            }
        })
        .collect();
    for (name, custom) in &spec.custom_attributes {
        let wire = auth_spec::resolve::custom_wire_name(name);
        let constraints = match &state.pool.custom_attributes[&wire].constraints {
            AttributeConstraints::String { min_length, max_length } => Constraints {
                min_length: (*min_length > 0).then_some(*min_length),
                max_length: Some(*max_length),
                ..Constraints::default()
            },
            AttributeConstraints::Number { min, max } => Constraints { min: *min, max: *max, ..Constraints::default() },
            AttributeConstraints::None => Constraints::default(),
        };
        attributes.push(Attribute {
            field: name.clone(),
            wire,
            kind: match custom.kind {
                CustomAttributeType::String => Kind::Text,
                CustomAttributeType::Number => Kind::Integer,
                CustomAttributeType::Boolean => Kind::Boolean,
                CustomAttributeType::Datetime => Kind::DateTime,
            },
            required: false,
            mutable: custom.mutable,
            constraints,
            origin: format!("[custom_attributes.{name}]"),
        });
    }
    attributes
}

fn steps(spec: &Spec, state: &AuthState) -> Steps {
    let mfa = &state.pool.mfa;
    let required = mfa.configuration == MfaConfiguration::On;
    let methods = [mfa.sms(), mfa.totp, mfa.email.is_some()].into_iter().filter(|enabled| *enabled).count();
    let custom_triggers =
        [Trigger::DefineAuthChallenge, Trigger::CreateAuthChallenge, Trigger::VerifyAuthChallengeResponse]
            .iter()
            .all(|trigger| spec.triggers.get(*trigger).is_some());
    Steps {
        sms_code: mfa.sms(),
        totp_code: mfa.totp,
        email_code: mfa.email.is_some(),
        mfa_selection: methods >= 2,
        totp_setup: required && mfa.totp,
        email_setup: required && mfa.email.is_some(),
        new_password: !spec.pool.self_sign_up || spec.invitation != Default::default(),
        custom_challenge: custom_triggers,
        confirm_sign_up: spec.pool.self_sign_up,
    }
}
