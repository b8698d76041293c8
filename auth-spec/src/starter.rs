//! Starter specs, as `amplify add auth` makes them: the default configuration, the default with
//! social providers, or one shaped by the answers to its "manual configuration" questions.
//! `cargo xtask init` asks the questions (or takes flags) and writes [`render`]'s output.

use crate::model::*;
use std::collections::BTreeMap;

/// Which starting point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// Email sign-in, email required, one app client, no MFA.
    Default,
    /// The default plus the hosted UI with Google, Facebook, Login with Amazon and Apple.
    Social,
    /// Built from [`Answers`].
    Manual,
}

/// The answers to `amplify add auth`'s manual configuration questions.
#[derive(Debug, Clone, PartialEq)]
pub struct Answers {
    /// The user pool name.
    pub pool_name: String,
    /// How users sign in.
    pub sign_in: Vec<SignInIdentifier>,
    /// Standard attributes required at sign-up (besides the sign-in identifiers).
    pub required_attributes: Vec<StandardAttribute>,
    /// MFA mode.
    pub mfa: MfaMode,
    /// MFA methods (with `optional` or `required`).
    pub mfa_methods: Vec<MfaMethod>,
    /// Social providers for the hosted UI.
    pub providers: Vec<SocialProviderKind>,
    /// Minimum password length.
    pub min_password_length: u8,
    /// Domain prefix of the hosted UI (with providers).
    pub domain_prefix: Option<String>,
    /// Where the hosted UI returns after sign-in and sign-out.
    pub redirect_url: String,
}

/// A social provider `init` can add.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SocialProviderKind {
    /// Google.
    Google,
    /// Facebook.
    Facebook,
    /// Login with Amazon.
    Amazon,
    /// Sign in with Apple.
    Apple,
}

impl SocialProviderKind {
    /// Every provider.
    pub const ALL: [SocialProviderKind; 4] = [
        SocialProviderKind::Google,
        SocialProviderKind::Facebook,
        SocialProviderKind::Amazon,
        SocialProviderKind::Apple,
    ];

    /// The name in the spec (`google`...).
    pub fn name(self) -> &'static str {
        match self {
            SocialProviderKind::Google => "google",
            SocialProviderKind::Facebook => "facebook",
            SocialProviderKind::Amazon => "amazon",
            SocialProviderKind::Apple => "apple",
        }
    }
}

impl Answers {
    /// What a preset answers.
    pub fn for_preset(preset: Preset, pool_name: &str) -> Answers {
        let social = preset == Preset::Social;
        Answers {
            pool_name: pool_name.to_string(),
            sign_in: vec![SignInIdentifier::Email],
            required_attributes: Vec::new(),
            mfa: MfaMode::Off,
            mfa_methods: Vec::new(),
            providers: if social { SocialProviderKind::ALL.to_vec() } else { Vec::new() },
            min_password_length: 8,
            domain_prefix: social.then(|| default_domain_prefix(pool_name)),
            redirect_url: "http://localhost:3000/".to_string(),
        }
    }
}

/// A domain prefix derived from the pool name: lowercase, digits and hyphens only.
pub fn default_domain_prefix(pool_name: &str) -> String {
    let mut prefix: String = pool_name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_lowercase() || c.is_ascii_digit() { c } else { '-' })
        .collect();
    for reserved in ["aws", "amazon", "cognito"] {
        prefix = prefix.replace(reserved, "");
    }
    let prefix = prefix.split('-').filter(|part| !part.is_empty()).collect::<Vec<_>>().join("-");
    let prefix = if prefix.is_empty() { "myapp".to_string() } else { prefix };
    format!("{}-login", &prefix[..prefix.len().min(50)].trim_end_matches('-'))
}

/// The spec the answers describe.
pub fn spec(answers: &Answers) -> Spec {
    let mut spec = Spec::default();
    spec.pool.name = answers.pool_name.clone();
    spec.pool.sign_in = answers.sign_in.clone();
    spec.pool.password.min_length = answers.min_password_length;
    for identifier in &answers.sign_in {
        let attribute = match identifier {
            SignInIdentifier::Email => StandardAttribute::Email,
            SignInIdentifier::Phone => StandardAttribute::PhoneNumber,
            _ => continue,
        };
        spec.attributes.set(attribute, StandardAttributeSpec::required());
    }
    if answers.sign_in == [SignInIdentifier::Username] {
        spec.attributes.set(StandardAttribute::Email, StandardAttributeSpec::required());
    }
    for attribute in &answers.required_attributes {
        spec.attributes.set(*attribute, StandardAttributeSpec::required());
    }
    if answers.mfa != MfaMode::Off {
        spec.mfa.mode = answers.mfa;
        spec.mfa.methods = answers.mfa_methods.clone();
    }
    let needs_sms = answers.sign_in.contains(&SignInIdentifier::Phone)
        || (answers.mfa != MfaMode::Off && answers.mfa_methods.contains(&MfaMethod::Sms));
    if needs_sms {
        spec.sms = Some(SmsConfig {
            role_arn: format!(
                "arn:aws:iam::123456789012:role/{}-sms",
                default_domain_prefix(&answers.pool_name).trim_end_matches("-login")
            ),
            external_id: None,
            sns_region: None,
        });
    }
    if answers.mfa != MfaMode::Off && answers.mfa_methods.contains(&MfaMethod::Email) {
        spec.email.sender = EmailSender::Ses;
        spec.email.source_arn = Some("arn:aws:ses:us-east-1:123456789012:identity/example.com".to_string());
    }
    let mut client = AppClient::default();
    if !answers.providers.is_empty() {
        let mapping = || BTreeMap::from([("email".to_string(), "email".to_string())]);
        for provider in &answers.providers {
            let secret = |name: &str| SecretRef::env(format!("{}_{name}", provider.name().to_uppercase()));
            let social = |client_id: &str| SocialProvider {
                client_id: client_id.to_string(),
                client_secret: secret("CLIENT_SECRET"),
                scopes: Vec::new(),
                attribute_mapping: mapping(),
                api_version: None,
            };
            match provider {
                SocialProviderKind::Google => {
                    spec.providers.google = Some(social("REPLACE-ME.apps.googleusercontent.com"))
                }
                SocialProviderKind::Facebook => spec.providers.facebook = Some(social("REPLACE-ME-FACEBOOK-APP-ID")),
                SocialProviderKind::Amazon => {
                    spec.providers.amazon = Some(social("amzn1.application-oa2-client.REPLACE-ME"))
                }
                SocialProviderKind::Apple => {
                    spec.providers.apple = Some(AppleProvider {
                        client_id: "com.example.REPLACE-ME".to_string(),
                        team_id: "REPLACEME1".to_string(),
                        key_id: "REPLACEME2".to_string(),
                        private_key: secret("PRIVATE_KEY"),
                        scopes: vec!["email".to_string()],
                        attribute_mapping: mapping(),
                    })
                }
            }
        }
        spec.domain = Some(Domain {
            prefix: Some(answers.domain_prefix.clone().unwrap_or_else(|| default_domain_prefix(&answers.pool_name))),
            ..Domain::default()
        });
        client.oauth = Some(ClientOAuth {
            flows: vec![OAuthFlow::Code],
            scopes: vec!["openid".to_string(), "email".to_string(), "profile".to_string()],
            callback_urls: vec![answers.redirect_url.clone()],
            logout_urls: vec![answers.redirect_url.clone()],
            default_redirect_uri: None,
            providers: std::iter::once("cognito")
                .chain(answers.providers.iter().map(|p| p.name()))
                .map(str::to_string)
                .collect(),
        });
    }
    spec.clients.insert("web".to_string(), client);
    spec
}

/// The file `init` writes: the schema directive, a comment on what made it, then the spec.
pub fn render(spec: &Spec, schema_directive: Option<&str>, preset: Preset) -> String {
    let mut text = String::new();
    if let Some(schema) = schema_directive {
        text.push_str(&format!("#:schema {schema}\n"));
    }
    let made = match preset {
        Preset::Default => "the default configuration (email sign-in, no MFA, one app client)",
        Preset::Social => {
            "the default configuration with the hosted UI and social providers: replace the REPLACE-ME ids with your apps' and set the secret environment variables before deploying"
        }
        Preset::Manual => "your answers",
    };
    text.push_str(&format!("# Written by `cargo xtask init` from {made}.\n# Check it with `cargo xtask validate`; see every setting in the JSON Schema.\n\n"));
    text.push_str(&spec.to_toml());
    text
}
