//! Client configuration files: `amplify_outputs.json` (Amplify Gen 2, the deploy's own file), and
//! for apps on Amplify's older libraries, `aws-exports.js` (amplify-js), `amplifyconfiguration.json`
//! (Amplify Swift/Android/Flutter v1) and `awsconfiguration.json` (AWSMobileClient).
//!
//! All four come from one [`AmplifyOutputs`], the model deploy writes, so they always name the
//! same pool, client and domain. The older formats differ from Gen 2 in spelling only
//! (`OFF`/`ON` for `NONE`/`REQUIRED`, `EMAIL` for `email`, redirect URIs joined with commas);
//! those translations are here, each with a test.

use super::{RenderError, render};
use auth_spec::outputs::AmplifyOutputs;
use serde::Serialize;

/// A client configuration file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientConfigFormat {
    /// `amplify_outputs.json`: Amplify Gen 2 (and this project's Rust client).
    AmplifyOutputs,
    /// `aws-exports.js`: amplify-js before Gen 2.
    AwsExports,
    /// `amplifyconfiguration.json`: Amplify Swift, Android and Flutter v1.
    AmplifyConfiguration,
    /// `awsconfiguration.json`: AWSMobileClient (AWS Mobile SDK for iOS and Android).
    AwsConfiguration,
}

impl ClientConfigFormat {
    /// Every format.
    pub const ALL: &'static [ClientConfigFormat] = &[
        ClientConfigFormat::AmplifyOutputs,
        ClientConfigFormat::AwsExports,
        ClientConfigFormat::AmplifyConfiguration,
        ClientConfigFormat::AwsConfiguration,
    ];

    /// The name on the command line (`outputs --format <name>`).
    pub fn name(self) -> &'static str {
        match self {
            ClientConfigFormat::AmplifyOutputs => "amplify-outputs",
            ClientConfigFormat::AwsExports => "aws-exports",
            ClientConfigFormat::AmplifyConfiguration => "amplifyconfiguration",
            ClientConfigFormat::AwsConfiguration => "awsconfiguration",
        }
    }

    /// The format of a command-line name.
    pub fn from_name(name: &str) -> Option<ClientConfigFormat> {
        ClientConfigFormat::ALL.iter().copied().find(|format| format.name() == name)
    }

    /// The file name apps expect.
    pub fn file_name(self) -> &'static str {
        match self {
            ClientConfigFormat::AmplifyOutputs => "amplify_outputs.json",
            ClientConfigFormat::AwsExports => "aws-exports.js",
            ClientConfigFormat::AmplifyConfiguration => "amplifyconfiguration.json",
            ClientConfigFormat::AwsConfiguration => "awsconfiguration.json",
        }
    }
}

/// Renders one client configuration file from the outputs of a deployment.
pub fn client_config(format: ClientConfigFormat, outputs: &AmplifyOutputs) -> Result<String, RenderError> {
    let template = match format {
        ClientConfigFormat::AmplifyOutputs => return Ok(outputs.to_json()),
        ClientConfigFormat::AwsExports => "aws-exports.js.j2",
        ClientConfigFormat::AmplifyConfiguration => "amplifyconfiguration.json.j2",
        ClientConfigFormat::AwsConfiguration => "awsconfiguration.json.j2",
    };
    render(template, super::to_value(LegacyConfig::from_outputs(outputs)))
}

/// What the pre-Gen 2 formats say, in their spelling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct LegacyConfig {
    region: String,
    user_pool_id: String,
    app_client_id: String,
    identity_pool_id: Option<String>,
    authentication_flow_type: &'static str,
    oauth: Option<LegacyOAuth>,
    social_providers: Vec<String>,
    username_attributes: Vec<String>,
    signup_attributes: Vec<String>,
    password_min_length: Option<u8>,
    password_characters: Vec<&'static str>,
    mfa_configuration: &'static str,
    mfa_types: Vec<String>,
    verification_mechanisms: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct LegacyOAuth {
    domain: String,
    scopes: Vec<String>,
    /// The callback URLs joined with commas, as the older libraries read them.
    redirect_sign_in: String,
    redirect_sign_out: String,
    response_type: String,
}

impl LegacyConfig {
    fn from_outputs(outputs: &AmplifyOutputs) -> LegacyConfig {
        let auth = &outputs.auth;
        let upper = |items: &[String]| items.iter().map(|item| item.to_ascii_uppercase()).collect::<Vec<_>>();
        let policy = auth.password_policy.as_ref();
        let mut password_characters = Vec::new();
        if let Some(policy) = policy {
            for (required, name) in [
                (policy.require_lowercase, "REQUIRES_LOWERCASE"),
                (policy.require_uppercase, "REQUIRES_UPPERCASE"),
                (policy.require_numbers, "REQUIRES_NUMBERS"),
                (policy.require_symbols, "REQUIRES_SYMBOLS"),
            ] {
                if required {
                    password_characters.push(name);
                }
            }
        }
        LegacyConfig {
            region: auth.aws_region.clone(),
            user_pool_id: auth.user_pool_id.clone(),
            app_client_id: auth.user_pool_client_id.clone(),
            identity_pool_id: auth.identity_pool_id.clone(),
            authentication_flow_type: authentication_flow_type(outputs),
            oauth: auth.oauth.as_ref().map(|oauth| LegacyOAuth {
                domain: oauth.domain.clone(),
                scopes: oauth.scopes.clone(),
                redirect_sign_in: oauth.redirect_sign_in_uri.join(","),
                redirect_sign_out: oauth.redirect_sign_out_uri.join(","),
                response_type: oauth.response_type.clone(),
            }),
            social_providers: auth
                .oauth
                .iter()
                .flat_map(|oauth| &oauth.identity_providers)
                .map(|provider| legacy_provider_name(provider).to_string())
                .collect(),
            // Gen 2 writes `username` for "a chosen username"; the older formats list only the
            // attributes that stand in for one.
            username_attributes: upper(&auth.username_attributes)
                .into_iter()
                .filter(|name| name != "USERNAME")
                .collect(),
            signup_attributes: upper(&auth.standard_required_attributes),
            password_min_length: policy.map(|policy| policy.min_length),
            password_characters,
            mfa_configuration: match auth.mfa_configuration.as_deref() {
                Some("REQUIRED") => "ON",
                Some("OPTIONAL") => "OPTIONAL",
                _ => "OFF",
            },
            mfa_types: auth.mfa_methods.clone(),
            verification_mechanisms: upper(&auth.user_verification_types),
        }
    }
}

/// The flow the older libraries start sign-in with: SRP when the default client allows it (and
/// when the outputs do not say, as Cognito allows SRP when a client lists no flows), else custom
/// auth, else the plain password flow.
fn authentication_flow_type(outputs: &AmplifyOutputs) -> &'static str {
    let Some(deployment) = outputs.deployment() else { return "USER_SRP_AUTH" };
    let Some(client) = deployment.clients.get(&deployment.default_client) else { return "USER_SRP_AUTH" };
    let allows = |flow: &str| client.auth_flows.iter().any(|allowed| allowed == flow);
    if client.auth_flows.is_empty() || allows("ALLOW_USER_SRP_AUTH") {
        "USER_SRP_AUTH"
    } else if allows("ALLOW_CUSTOM_AUTH") {
        "CUSTOM_AUTH"
    } else if allows("ALLOW_USER_PASSWORD_AUTH") {
        "USER_PASSWORD_AUTH"
    } else {
        "USER_SRP_AUTH"
    }
}

/// Gen 2's provider names in the older spelling.
fn legacy_provider_name(gen2: &str) -> &str {
    match gen2 {
        "LOGIN_WITH_AMAZON" => "AMAZON",
        "SIGN_IN_WITH_APPLE" => "APPLE",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use auth_spec::outputs::{ClientOutputs, DeployedIds};

    fn outputs_of(spec: &str) -> AmplifyOutputs {
        let spec = auth_spec::load_str(std::path::Path::new("auth.toml"), spec, None).unwrap().spec;
        let state = auth_spec::resolve(&spec);
        let ids = DeployedIds {
            region: "eu-west-1".into(),
            user_pool_id: "eu-west-1_TEST".into(),
            client_ids: state.clients.keys().map(|name| (name.clone(), format!("{name}-id"))).collect(),
            identity_pool_id: None,
            endpoint_url: None,
        };
        AmplifyOutputs::from_state(&state, &ids).unwrap()
    }

    #[test]
    fn formats_round_trip_through_their_names() {
        for format in ClientConfigFormat::ALL {
            assert_eq!(ClientConfigFormat::from_name(format.name()), Some(*format));
        }
        assert_eq!(ClientConfigFormat::from_name("yaml"), None);
    }

    #[test]
    fn gen2_spellings_become_the_older_ones() {
        let outputs = outputs_of(
            "[pool]\nname = \"p\"\nsign_in = [\"email\"]\n[pool.password]\nmin_length = 9\nrequire = [\"numbers\", \"symbols\"]\n[attributes.email]\nrequired = true\n[mfa]\nmode = \"required\"\nmethods = [\"totp\"]\n[clients.web]\n",
        );
        let config = LegacyConfig::from_outputs(&outputs);
        assert_eq!(config.username_attributes, ["EMAIL"]);
        assert_eq!(config.signup_attributes, ["EMAIL"]);
        assert_eq!(config.verification_mechanisms, ["EMAIL"]);
        assert_eq!(config.mfa_configuration, "ON");
        assert_eq!(config.mfa_types, ["TOTP"]);
        assert_eq!(config.password_min_length, Some(9));
        assert_eq!(config.password_characters, ["REQUIRES_NUMBERS", "REQUIRES_SYMBOLS"]);
        assert_eq!(config.authentication_flow_type, "USER_SRP_AUTH");
        assert_eq!(legacy_provider_name("SIGN_IN_WITH_APPLE"), "APPLE");
        assert_eq!(legacy_provider_name("GOOGLE"), "GOOGLE");
    }

    #[test]
    fn a_chosen_username_lists_no_username_attribute() {
        let outputs = outputs_of("[pool]\nname = \"p\"\nsign_in = [\"username\"]\n[clients.web]\n");
        assert_eq!(outputs.auth.username_attributes, ["username"]);
        assert!(LegacyConfig::from_outputs(&outputs).username_attributes.is_empty());
    }

    #[test]
    fn the_flow_type_follows_the_default_client() {
        let mut outputs = outputs_of(
            "[pool]\nname = \"p\"\n[triggers]\ndefine_auth_challenge = \"arn:aws:lambda:us-east-1:123456789012:function:d\"\ncreate_auth_challenge = \"arn:aws:lambda:us-east-1:123456789012:function:c\"\nverify_auth_challenge_response = \"arn:aws:lambda:us-east-1:123456789012:function:v\"\n[clients.cli]\nauth_flows = [\"custom\", \"refresh_token\"]\n",
        );
        assert_eq!(authentication_flow_type(&outputs), "CUSTOM_AUTH");
        let client = |flows: &[&str]| ClientOutputs {
            client_id: "id".into(),
            has_secret: false,
            auth_flows: flows.iter().map(|flow| flow.to_string()).collect(),
            oauth_scopes: vec![],
            callback_urls: vec![],
            logout_urls: vec![],
            oauth_flows: vec![],
        };
        let deployment = &mut outputs.custom.as_mut().unwrap().cognito_auth;
        deployment.clients.insert("cli".into(), client(&["ALLOW_USER_PASSWORD_AUTH"]));
        assert_eq!(authentication_flow_type(&outputs), "USER_PASSWORD_AUTH");
        outputs.custom = None;
        assert_eq!(authentication_flow_type(&outputs), "USER_SRP_AUTH");
    }
}
