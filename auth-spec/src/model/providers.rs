use super::{SecretRef, is_default};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Maps pool attributes (keys: standard names, or custom attributes by name) to the provider's
/// attribute names (values), e.g. `{ email = "email", given_name = "given_name" }`.
pub type AttributeMapping = BTreeMap<String, String>;

/// Federated identity providers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Providers {
    /// Sign in with Google.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub google: Option<SocialProvider>,
    /// Sign in with Facebook.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facebook: Option<SocialProvider>,
    /// Login with Amazon.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amazon: Option<SocialProvider>,
    /// Sign in with Apple.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub apple: Option<AppleProvider>,
    /// OpenID Connect providers, by provider name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(example = example_oidc())]
    pub oidc: BTreeMap<String, OidcProvider>,
    /// SAML providers, by provider name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(example = example_saml())]
    pub saml: BTreeMap<String, SamlProvider>,
}

impl Providers {
    /// True when no provider is configured.
    pub fn is_empty(&self) -> bool {
        is_default(self)
    }
}

/// Google, Facebook or Login with Amazon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SocialProvider {
    /// The app's client id (Facebook: app id).
    #[schemars(example = "1234567890-abc.apps.googleusercontent.com")]
    pub client_id: String,
    /// The app's client secret, by reference: `{ env = "GOOGLE_CLIENT_SECRET" }`.
    pub client_secret: SecretRef,
    /// Scopes requested from the provider.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = vec!["openid", "email", "profile"])]
    pub scopes: Vec<String>,
    /// Pool attribute -> provider attribute.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(example = example_mapping())]
    pub attribute_mapping: AttributeMapping,
    /// Facebook Graph API version, e.g. `v17.0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"v17.0")]
    pub api_version: Option<String>,
}

/// Sign in with Apple.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppleProvider {
    /// The Services ID.
    #[schemars(example = "com.example.app.signin")]
    pub client_id: String,
    /// The Apple developer team id.
    #[schemars(example = &"ABCDE12345")]
    pub team_id: String,
    /// The key id of the private key.
    #[schemars(example = &"FGHIJ67890")]
    pub key_id: String,
    /// The private key (PEM), by reference: `{ env = "APPLE_PRIVATE_KEY" }`.
    pub private_key: SecretRef,
    /// Scopes: `email`, `name`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = vec!["openid", "email"])]
    pub scopes: Vec<String>,
    /// Pool attribute -> provider attribute.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(example = example_mapping())]
    pub attribute_mapping: AttributeMapping,
}

/// An OpenID Connect identity provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OidcProvider {
    /// The client id registered with the provider.
    #[schemars(example = &"my-app")]
    pub client_id: String,
    /// The client secret, by reference.
    pub client_secret: SecretRef,
    /// The issuer URL (https); endpoints are discovered from it.
    #[schemars(example = "https://login.example.com")]
    pub issuer: String,
    /// Scopes requested; must include `openid`.
    #[serde(default = "default_oidc_scopes")]
    #[schemars(example = vec!["openid", "email"])]
    pub scopes: Vec<String>,
    /// Pool attribute -> provider claim.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(example = example_mapping())]
    pub attribute_mapping: AttributeMapping,
    /// How Cognito calls the userinfo endpoint.
    #[serde(default, skip_serializing_if = "is_default")]
    pub request_method: OidcRequestMethod,
    /// Email domains or identifiers that route users to this provider.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = vec!["example.com"])]
    pub identifiers: Vec<String>,
}

fn default_oidc_scopes() -> Vec<String> {
    vec!["openid".to_string()]
}

/// HTTP method Cognito uses for an OIDC provider's userinfo endpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum OidcRequestMethod {
    /// `GET`.
    #[default]
    Get,
    /// `POST`.
    Post,
}

/// A SAML 2.0 identity provider.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SamlProvider {
    /// URL of the IdP metadata document (give this or `metadata_file`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"https://idp.example.com/metadata.xml")]
    pub metadata_url: Option<String>,
    /// Path of the IdP metadata XML, relative to the spec file.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"idp-metadata.xml")]
    pub metadata_file: Option<String>,
    /// Whether signing out of the pool also signs out of the IdP.
    #[serde(skip_serializing_if = "super::is_false")]
    pub sign_out: bool,
    /// Email domains or identifiers that route users to this provider.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = vec!["example.com"])]
    pub identifiers: Vec<String>,
    /// Pool attribute -> SAML attribute.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(example = example_mapping())]
    pub attribute_mapping: AttributeMapping,
}

fn example_mapping() -> AttributeMapping {
    BTreeMap::from([("email".to_string(), "email".to_string()), ("given_name".to_string(), "given_name".to_string())])
}

fn example_oidc() -> BTreeMap<String, OidcProvider> {
    BTreeMap::from([(
        "corporate".to_string(),
        OidcProvider {
            client_id: "my-app".to_string(),
            client_secret: SecretRef::env("CORPORATE_OIDC_SECRET"),
            issuer: "https://login.example.com".to_string(),
            scopes: vec!["openid".to_string(), "email".to_string()],
            attribute_mapping: example_mapping(),
            request_method: OidcRequestMethod::Get,
            identifiers: vec!["example.com".to_string()],
        },
    )])
}

fn example_saml() -> BTreeMap<String, SamlProvider> {
    BTreeMap::from([(
        "adfs".to_string(),
        SamlProvider {
            metadata_url: Some(
                "https://adfs.example.com/FederationMetadata/2007-06/FederationMetadata.xml".to_string(),
            ),
            ..SamlProvider::default()
        },
    )])
}
