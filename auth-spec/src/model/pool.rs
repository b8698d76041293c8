use super::{is_default, is_false, is_true, yes};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The user pool: its identity and the settings Cognito fixes at creation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Pool {
    /// The user pool name. Deploy finds the pool it manages by this name plus its `managed-by` tag.
    #[schemars(example = "myapp-users")]
    pub name: String,
    /// AWS region of the pool. When absent, the region comes from the AWS configuration
    /// (`--region`, `AWS_REGION`, the profile).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "eu-west-1")]
    pub region: Option<String>,
    /// What users type to sign in. `username` lets them pick a username and makes the others
    /// aliases; without it, `email` and/or `phone` *are* the username. `preferred_username` is an
    /// alias and needs `username`. Fixed when the pool is created.
    #[serde(skip_serializing_if = "is_default_sign_in")]
    #[schemars(example = vec![SignInIdentifier::Email])]
    pub sign_in: Vec<SignInIdentifier>,
    /// Whether `Alice` and `alice` are different users. Cognito recommends `false`; fixed at
    /// creation.
    #[serde(skip_serializing_if = "is_false")]
    pub case_sensitive: bool,
    /// Whether users can sign themselves up. `false` means only administrators create users
    /// (Cognito's `AllowAdminCreateUserOnly`; this replaces `[invitation] admin_only`).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub self_sign_up: bool,
    /// Whether Cognito refuses to delete the pool. On by default: deleting a pool deletes its users.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub deletion_protection: bool,
    /// The password policy.
    #[serde(skip_serializing_if = "is_default")]
    pub password: PasswordPolicy,
    /// Extra tags for the pool. Deploy adds `managed-by` itself.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(example = example_tags())]
    pub tags: BTreeMap<String, String>,
}

impl Default for Pool {
    fn default() -> Self {
        Pool {
            name: String::new(),
            region: None,
            sign_in: default_sign_in(),
            case_sensitive: false,
            self_sign_up: true,
            deletion_protection: true,
            password: PasswordPolicy::default(),
            tags: BTreeMap::new(),
        }
    }
}

fn default_sign_in() -> Vec<SignInIdentifier> {
    vec![SignInIdentifier::Email]
}

fn is_default_sign_in(value: &Vec<SignInIdentifier>) -> bool {
    *value == default_sign_in()
}

/// An identifier users sign in with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SignInIdentifier {
    /// A username the user chooses.
    Username,
    /// The email address.
    Email,
    /// The phone number (`phone_number` attribute).
    Phone,
    /// The `preferred_username` attribute, as an alias of the username.
    PreferredUsername,
}

/// Cognito's password policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PasswordPolicy {
    /// Minimum length, 6 to 99.
    #[schemars(range(min = 6, max = 99), example = 12)]
    pub min_length: u8,
    /// Character classes a password must contain.
    #[schemars(example = vec![CharacterClass::Lowercase, CharacterClass::Numbers])]
    pub require: Vec<CharacterClass>,
    /// Days a temporary password from an administrator stays valid, 1 to 365.
    #[schemars(range(min = 1, max = 365))]
    #[schemars(example = 7)]
    pub temporary_password_validity_days: u16,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            min_length: 8,
            require: vec![
                CharacterClass::Lowercase,
                CharacterClass::Uppercase,
                CharacterClass::Numbers,
                CharacterClass::Symbols,
            ],
            temporary_password_validity_days: 7,
        }
    }
}

/// A class of characters a password policy can require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CharacterClass {
    /// At least one lowercase letter.
    Lowercase,
    /// At least one uppercase letter.
    Uppercase,
    /// At least one digit.
    Numbers,
    /// At least one symbol.
    Symbols,
}

fn example_tags() -> BTreeMap<String, String> {
    BTreeMap::from([("team".to_string(), "identity".to_string())])
}
