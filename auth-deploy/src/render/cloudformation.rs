//! The CloudFormation template of a spec: the stack that makes what `cargo xtask deploy` makes,
//! for teams whose pipelines deploy CloudFormation or CDK (`CfnInclude`).
//!
//! Equivalence with deploy is by construction: the user pool, its clients and the identity pool
//! are read off the very requests deploy would send ([`crate::requests`]), and only the ids
//! (which CloudFormation makes) become references. Where the two must differ, it is on purpose:
//! - the pool and identity pool are tagged `managed-by: cloudformation`, not deploy's tag, so
//!   `cargo xtask deploy` refuses to change a pool a stack owns (the two would fight);
//! - the user pool is `Retain`ed on stack deletion and replacement (it holds the users);
//! - the identity pool roles get no fixed `RoleName` (IAM names are global to an account: a
//!   stack per region or per environment would collide; naming them needs `CAPABILITY_NAMED_IAM`);
//! - each trigger gets the `AWS::Lambda::Permission` Cognito needs to invoke it;
//! - verification texts are set once, in `VerificationMessageTemplate`, not also in the legacy
//!   top-level properties deploy fills for older API versions (they carry the same values).
//!
//! Secrets never appear: each provider secret becomes a `NoEcho` parameter or a Secrets Manager
//! dynamic reference, chosen by [`SecretSource`].

use super::{RenderError, is_logical_id, render, yaml};
use crate::externals::Externals;
use crate::requests;
use auth_spec::model::Trigger;
use auth_spec::state::{AuthState, ClientState, DetailValue, DomainState, IdentityPoolState, ProviderType};
use aws_sdk_cognitoidentity as cid;
use aws_sdk_cognitoidentityprovider as cip;
use minijinja::{ErrorKind, Value};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The template's format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CfnFormat {
    /// YAML with short-form intrinsic functions (`!Ref`, `!GetAtt`, `!Sub`).
    #[default]
    Yaml,
    /// JSON: the same template, parsed and written as JSON.
    Json,
}

/// Where provider secrets (client secrets, Apple's private key) come from when the stack deploys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SecretSource {
    /// One `NoEcho` parameter per secret (e.g. `GoogleClientSecret`), passed at deploy time.
    #[default]
    Parameters,
    /// A Secrets Manager dynamic reference per secret, to the secret named `<prefix><ENV_NAME>`
    /// (`ENV_NAME` is the environment variable the spec names), e.g. prefix `myapp/` and
    /// `{ env = "GOOGLE_CLIENT_SECRET" }` -> `{{resolve:secretsmanager:myapp/GOOGLE_CLIENT_SECRET}}`.
    SecretsManager {
        /// Prepended to each environment variable name.
        prefix: String,
    },
}

/// How to render the template.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CfnOptions {
    /// YAML or JSON.
    pub format: CfnFormat,
    /// How secrets reach the stack.
    pub secrets: SecretSource,
}

/// Renders the CloudFormation template of a desired state. `externals` supplies the files a spec
/// references (SAML metadata documents, inlined as deploy sends them); secrets are never read.
pub fn cloudformation(state: &AuthState, options: &CfnOptions, externals: &Externals) -> Result<String, RenderError> {
    let context = Context::build(state, &options.secrets, externals)?;
    let yaml = render("cloudformation.yaml.j2", super::to_value(&context))?;
    match options.format {
        CfnFormat::Yaml => Ok(yaml),
        CfnFormat::Json => yaml::cloudformation_json(&yaml),
    }
}

/// The template's context, for the strict-undefined test.
#[cfg(test)]
pub(super) fn context_for_tests(state: &AuthState) -> impl Serialize {
    Context::build(state, &SecretSource::Parameters, &Externals::default()).expect("a valid example")
}

/// Value of the `managed-by` tag on what a stack makes (see the module docs).
pub const CFN_MANAGED_BY_VALUE: &str = "cloudformation";

/// A CloudFormation value: a literal or an intrinsic function, serialized in CloudFormation's
/// JSON form. The `cfn` filter prints it in YAML's short form; printed without the filter it is
/// still valid (long-form) CloudFormation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
enum Expr {
    Literal(String),
    Ref {
        #[serde(rename = "Ref")]
        target: String,
    },
    GetAtt {
        #[serde(rename = "Fn::GetAtt")]
        target: [String; 2],
    },
    Sub {
        #[serde(rename = "Fn::Sub")]
        text: String,
    },
}

impl Expr {
    fn get_att(resource: &str, attribute: &str) -> Expr {
        Expr::GetAtt { target: [resource.to_string(), attribute.to_string()] }
    }
    fn reference(target: &str) -> Expr {
        Expr::Ref { target: target.to_string() }
    }
}

/// `{{ value|cfn }}`: an [`Expr`] in YAML short form (`!Ref X`, `!GetAtt X.Y`, `!Sub "..."`), a
/// literal as a quoted string.
pub(super) fn expression_filter(value: Value) -> Result<Value, minijinja::Error> {
    let invalid = |why: &str| {
        minijinja::Error::new(ErrorKind::InvalidOperation, format!("not a CloudFormation value ({why}): {value}"))
    };
    let quoted = |text: &str| serde_json::to_string(text).map_err(|_| invalid("unprintable string"));
    if let Some(text) = value.as_str() {
        return Ok(Value::from_safe_string(quoted(text)?));
    }
    let field = |name: &str| value.get_attr(name).ok().filter(|field| !field.is_undefined());
    let text = if let Some(target) = field("Ref") {
        let target = target.as_str().ok_or_else(|| invalid("Ref of a non-string"))?;
        if !is_logical_id(target) && !target.starts_with("AWS::") {
            return Err(invalid("Ref of an invalid id"));
        }
        format!("!Ref {target}")
    } else if let Some(target) = field("Fn::GetAtt") {
        let part =
            |index: usize| target.get_item_by_index(index).ok().and_then(|part| part.as_str().map(str::to_string));
        match (part(0), part(1)) {
            (Some(resource), Some(attribute))
                if is_logical_id(&resource) && attribute.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.') =>
            {
                format!("!GetAtt {resource}.{attribute}")
            }
            _ => return Err(invalid("GetAtt needs a resource and an attribute")),
        }
    } else if let Some(text) = field("Fn::Sub") {
        format!("!Sub {}", quoted(text.as_str().ok_or_else(|| invalid("Sub of a non-string"))?)?)
    } else {
        return Err(invalid("unknown form"));
    };
    Ok(Value::from_safe_string(text))
}

/// Hands out CloudFormation logical ids: alphanumeric, unique within a namespace, readable
/// (`web` -> `WebClient`), and stable for a given spec (names are taken in the spec's order).
#[derive(Debug, Default)]
struct LogicalIds {
    taken: BTreeSet<String>,
}

impl LogicalIds {
    /// Reserves fixed ids.
    fn with_reserved(ids: &[&str]) -> LogicalIds {
        LogicalIds { taken: ids.iter().map(|id| id.to_string()).collect() }
    }

    /// `PascalCase(name) + suffix`, made unique with a number (`WebClient2`) if already taken.
    fn make(&mut self, name: &str, suffix: &str) -> String {
        let mut base = pascal_case(name);
        base.truncate(200);
        let mut id = format!("{base}{suffix}");
        let mut counter = 2;
        while self.taken.contains(&id) {
            id = format!("{base}{suffix}{counter}");
            counter += 1;
        }
        self.taken.insert(id.clone());
        id
    }
}

/// `full-users` -> `FullUsers`, `https://api.example.com` -> `HttpsApiExampleCom`: words split at
/// anything not an ASCII letter or digit, each capitalised.
fn pascal_case(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map(|first| first.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}

/// What the template is rendered from.
#[derive(Debug, Serialize)]
struct Context {
    description: String,
    /// The region the spec pins the pool to (a stack rule then refuses other regions).
    region: Option<String>,
    parameters: Vec<Parameter>,
    pool: Pool,
    permissions: Vec<Permission>,
    clients: Vec<Client>,
    domain: Option<Domain>,
    providers: Vec<Provider>,
    groups: Vec<Group>,
    resource_servers: Vec<ResourceServer>,
    identity_pool: Option<IdentityPool>,
    outputs: Vec<Output>,
}

#[derive(Debug, Serialize)]
struct Parameter {
    logical_id: String,
    description: String,
}

#[derive(Debug, Serialize)]
struct Pool {
    name: String,
    username_attributes: Vec<String>,
    alias_attributes: Vec<String>,
    case_sensitive: Option<bool>,
    schema: Vec<SchemaAttribute>,
    auto_verified_attributes: Vec<String>,
    verification: Option<Verification>,
    mfa_configuration: Option<String>,
    enabled_mfas: Vec<String>,
    sms_authentication_message: Option<String>,
    email_authentication_subject: Option<String>,
    email_authentication_message: Option<String>,
    password_policy: Option<PasswordPolicy>,
    device_configuration: Option<DeviceConfiguration>,
    email_configuration: Option<EmailConfiguration>,
    sms_configuration: Option<SmsConfiguration>,
    lambda_config: Option<LambdaConfig>,
    deletion_protection: Option<String>,
    tags: BTreeMap<String, String>,
    admin_create_user: Option<AdminCreateUser>,
    recovery_mechanisms: Vec<RecoveryMechanism>,
}

#[derive(Debug, Serialize)]
struct SchemaAttribute {
    name: String,
    data_type: Option<String>,
    mutable: Option<bool>,
    required: Option<bool>,
    developer_only: Option<bool>,
    string_constraints: Option<(Option<String>, Option<String>)>,
    number_constraints: Option<(Option<String>, Option<String>)>,
}

#[derive(Debug, Serialize)]
struct Verification {
    default_email_option: Option<String>,
    email_subject: Option<String>,
    email_message: Option<String>,
    email_subject_by_link: Option<String>,
    email_message_by_link: Option<String>,
    sms_message: Option<String>,
}

#[derive(Debug, Serialize)]
struct PasswordPolicy {
    minimum_length: Option<i32>,
    require_lowercase: bool,
    require_uppercase: bool,
    require_numbers: bool,
    require_symbols: bool,
    temporary_password_validity_days: i32,
}

#[derive(Debug, Serialize)]
struct DeviceConfiguration {
    challenge_required_on_new_device: bool,
    device_only_remembered_on_user_prompt: bool,
}

#[derive(Debug, Serialize)]
struct EmailConfiguration {
    sending_account: Option<String>,
    source_arn: Option<String>,
    from: Option<String>,
    reply_to: Option<String>,
    configuration_set: Option<String>,
}

#[derive(Debug, Serialize)]
struct SmsConfiguration {
    sns_caller_arn: Option<String>,
    external_id: Option<String>,
    sns_region: Option<String>,
}

#[derive(Debug, Serialize)]
struct LambdaConfig {
    /// `(CloudFormation property, function ARN)` of the triggers configured by a plain ARN.
    functions: Vec<(String, String)>,
    /// `(property, function ARN, LambdaVersion)` of the versioned ones (pre token generation,
    /// custom senders).
    versioned: Vec<(String, String, String)>,
    kms_key_id: Option<String>,
}

#[derive(Debug, Serialize)]
struct AdminCreateUser {
    allow_admin_create_user_only: bool,
    email_subject: Option<String>,
    email_message: Option<String>,
    sms_message: Option<String>,
}

#[derive(Debug, Serialize)]
struct RecoveryMechanism {
    name: String,
    priority: i32,
}

#[derive(Debug, Serialize)]
struct Permission {
    logical_id: String,
    function_arn: String,
    /// The triggers (spec names) this function serves.
    triggers: Vec<String>,
}

#[derive(Debug, Serialize)]
struct Client {
    logical_id: String,
    name: String,
    depends_on: Vec<String>,
    generate_secret: bool,
    explicit_auth_flows: Vec<String>,
    access_token_validity: Option<i32>,
    id_token_validity: Option<i32>,
    refresh_token_validity: Option<i32>,
    /// `(AccessToken, IdToken, RefreshToken)` units.
    token_validity_units: Option<(Option<String>, Option<String>, Option<String>)>,
    auth_session_validity: Option<i32>,
    read_attributes: Vec<String>,
    write_attributes: Vec<String>,
    supported_identity_providers: Vec<String>,
    callback_urls: Vec<String>,
    logout_urls: Vec<String>,
    default_redirect_uri: Option<String>,
    allowed_oauth_flows: Vec<String>,
    allowed_oauth_scopes: Vec<String>,
    allowed_oauth_flows_user_pool_client: Option<bool>,
    prevent_user_existence_errors: Option<String>,
    enable_token_revocation: Option<bool>,
}

#[derive(Debug, Serialize)]
struct Domain {
    domain: String,
    certificate_arn: Option<String>,
}

#[derive(Debug, Serialize)]
struct Provider {
    logical_id: String,
    name: String,
    provider_type: String,
    details: Vec<(String, Expr)>,
    attribute_mapping: BTreeMap<String, String>,
    identifiers: Vec<String>,
}

#[derive(Debug, Serialize)]
struct Group {
    logical_id: String,
    name: String,
    description: Option<String>,
    precedence: Option<u32>,
    role_arn: Option<String>,
}

#[derive(Debug, Serialize)]
struct ResourceServer {
    logical_id: String,
    identifier: String,
    name: String,
    /// `(ScopeName, ScopeDescription)`.
    scopes: Vec<(String, String)>,
}

#[derive(Debug, Serialize)]
struct IdentityPool {
    name: String,
    allow_unauthenticated: bool,
    allow_classic_flow: bool,
    /// Logical ids of the app clients registered with the identity pool.
    clients: Vec<String>,
    supported_login_providers: BTreeMap<String, String>,
    developer_provider_name: Option<String>,
    oidc_provider_arns: Vec<String>,
    saml_provider_arns: Vec<String>,
    tags: BTreeMap<String, String>,
    /// `authenticated` / `unauthenticated` -> role ARN.
    roles: Vec<(String, Expr)>,
    /// Roles this template creates.
    created_roles: Vec<CreatedRole>,
    /// Token-based role mappings: `(key, IdentityProvider)`.
    role_mappings: Vec<(String, Expr)>,
}

#[derive(Debug, Serialize)]
struct CreatedRole {
    logical_id: String,
    /// `authenticated` or `unauthenticated`: the `amr` the trust policy accepts.
    amr: String,
    description: String,
    path: String,
}

#[derive(Debug, Serialize)]
struct Output {
    logical_id: String,
    description: String,
    value: Expr,
}

/// Fixed logical ids.
const USER_POOL: &str = "UserPool";
const DOMAIN: &str = "UserPoolDomain";
const IDENTITY_POOL: &str = "IdentityPool";
const ROLE_ATTACHMENT: &str = "IdentityPoolRoleAttachment";
const AUTHENTICATED_ROLE: &str = "AuthenticatedRole";
const UNAUTHENTICATED_ROLE: &str = "UnauthenticatedRole";

/// Offline SDK clients: the request builders need one, nothing is ever sent.
fn offline_clients() -> (cip::Client, cid::Client) {
    let idp = cip::Client::from_conf(
        cip::Config::builder()
            .behavior_version(cip::config::BehaviorVersion::latest())
            .region(cip::config::Region::new("us-east-1"))
            .build(),
    );
    let identity = cid::Client::from_conf(
        cid::Config::builder()
            .behavior_version(cid::config::BehaviorVersion::latest())
            .region(cid::config::Region::new("us-east-1"))
            .build(),
    );
    (idp, identity)
}

fn strings<T: AsRef<str>>(items: &Option<Vec<T>>) -> Vec<String> {
    items.iter().flatten().map(|item| item.as_ref().to_string()).collect()
}

fn owned(value: Option<&str>) -> Option<String> {
    value.map(str::to_string)
}

impl Context {
    fn build(state: &AuthState, secrets: &SecretSource, externals: &Externals) -> Result<Context, RenderError> {
        let mut ids = LogicalIds::with_reserved(&[
            USER_POOL,
            DOMAIN,
            IDENTITY_POOL,
            ROLE_ATTACHMENT,
            AUTHENTICATED_ROLE,
            UNAUTHENTICATED_ROLE,
        ]);
        let mut output_ids = LogicalIds::default();
        let mut outputs = Vec::new();
        let mut output = |ids: &mut LogicalIds, name: &str, description: String, value: Expr| {
            outputs.push(Output { logical_id: ids.make(name, ""), description, value });
        };
        output(
            &mut output_ids,
            "UserPoolId",
            format!("Id of user pool {}", state.pool.name),
            Expr::reference(USER_POOL),
        );
        output(&mut output_ids, "UserPoolArn", "ARN of the user pool".into(), Expr::get_att(USER_POOL, "Arn"));
        output(
            &mut output_ids,
            "UserPoolProviderUrl",
            "Issuer URL of the pool's tokens".into(),
            Expr::get_att(USER_POOL, "ProviderURL"),
        );
        output(&mut output_ids, "Region", "Region of the user pool".into(), Expr::reference("AWS::Region"));

        let (idp, identity) = offline_clients();
        let pool = pool(state, &idp)?;

        // Parameters and providers first: clients depend on providers by logical id.
        let mut parameters = Vec::new();
        let mut providers = Vec::new();
        let mut provider_ids = BTreeMap::new();
        for (name, provider) in &state.identity_providers {
            let logical_id = ids.make(name, "Provider");
            provider_ids.insert(name.clone(), logical_id.clone());
            let mut details = Vec::new();
            for (key, value) in &provider.details {
                let value = match value {
                    DetailValue::Plain(text) => Expr::Literal(text.clone()),
                    DetailValue::Secret(secret) => match secrets {
                        SecretSource::Parameters => {
                            let parameter =
                                ids.make(&format!("{} {key}", provider_label(name, provider.provider_type)), "");
                            parameters.push(Parameter {
                                logical_id: parameter.clone(),
                                description: format!(
                                    "`{key}` of identity provider {name} (the value of {} for `cargo xtask deploy`)",
                                    secret.env
                                ),
                            });
                            Expr::reference(&parameter)
                        }
                        SecretSource::SecretsManager { prefix } => {
                            Expr::Literal(format!("{{{{resolve:secretsmanager:{prefix}{}}}}}", secret.env))
                        }
                    },
                    DetailValue::File(_) => {
                        let resource = format!("identity provider {name}");
                        let text = externals.value(&resource, value).map_err(|error| match error {
                            crate::Error::File { resource, path, message } => {
                                RenderError::File { resource, path, message }
                            }
                            other => RenderError::Inconsistent(other.to_string()),
                        })?;
                        Expr::Literal(text.unwrap_or_default())
                    }
                    DetailValue::SecretFingerprint(_) => {
                        return Err(RenderError::Inconsistent(format!(
                            "identity provider {name}: `{key}` is a fingerprint of a live secret; render templates from a spec"
                        )));
                    }
                };
                details.push((key.clone(), value));
            }
            providers.push(Provider {
                logical_id,
                name: name.clone(),
                provider_type: provider.provider_type.as_cognito().to_string(),
                details,
                attribute_mapping: provider.attribute_mapping.clone(),
                identifiers: provider.identifiers.iter().cloned().collect(),
            });
        }

        let mut resource_servers = Vec::new();
        let mut server_ids = BTreeMap::new();
        for (identifier, server) in &state.resource_servers {
            let logical_id = ids.make(identifier, "ResourceServer");
            server_ids.insert(identifier.clone(), logical_id.clone());
            let scopes = requests::scopes(server)
                .map_err(|error| RenderError::Inconsistent(error.to_string()))?
                .iter()
                .map(|scope| (scope.scope_name().to_string(), scope.scope_description().to_string()))
                .collect();
            resource_servers.push(ResourceServer {
                logical_id,
                identifier: identifier.clone(),
                name: server.name.clone(),
                scopes,
            });
        }

        let mut clients = Vec::new();
        let mut client_ids = BTreeMap::new();
        for (name, client) in &state.clients {
            let logical_id = ids.make(name, "Client");
            client_ids.insert(name.clone(), logical_id.clone());
            output(
                &mut output_ids,
                &format!("{} ClientId", pascal_case(name)),
                format!("Id of app client {name}"),
                Expr::reference(&logical_id),
            );
            clients.push(self::client(&idp, name, client, logical_id, &provider_ids, &server_ids)?);
        }

        let domain = state.domain.as_ref().map(|domain| Domain {
            domain: domain.cognito_domain().to_string(),
            certificate_arn: match domain {
                DomainState::Prefix(_) => None,
                DomainState::Custom { certificate_arn, .. } => Some(certificate_arn.clone()),
            },
        });
        if let Some(domain) = &state.domain {
            let host = match domain {
                DomainState::Prefix(_) => {
                    Expr::Sub { text: format!("${{{DOMAIN}}}.auth.${{AWS::Region}}.amazoncognito.com") }
                }
                DomainState::Custom { domain, .. } => Expr::Literal(domain.clone()),
            };
            output(&mut output_ids, "HostedUiDomain", "Host name of the hosted UI".into(), host);
        }

        let groups = state
            .groups
            .iter()
            .map(|(name, group)| Group {
                logical_id: ids.make(name, "Group"),
                name: name.clone(),
                description: group.description.clone(),
                precedence: group.precedence,
                role_arn: group.role_arn.clone(),
            })
            .collect();

        let identity_pool = match &state.identity_pool {
            Some(identity_pool) => {
                output(
                    &mut output_ids,
                    "IdentityPoolId",
                    "Id of the identity pool".into(),
                    Expr::reference(IDENTITY_POOL),
                );
                let built = self::identity_pool(&identity, identity_pool, &state.pool.name, &client_ids)?;
                for role in &built.created_roles {
                    let description = format!("ARN of the {} role", role.amr);
                    output(
                        &mut output_ids,
                        &format!("{} Arn", role.logical_id),
                        description,
                        Expr::get_att(&role.logical_id, "Arn"),
                    );
                }
                Some(built)
            }
            None => None,
        };

        Ok(Context {
            description: format!(
                "Cognito user pool {} and what belongs to it. Generated by `cargo xtask template` from the auth spec.",
                state.pool.name
            ),
            region: state.pool.region.clone(),
            parameters,
            pool,
            permissions: permissions(state, &mut ids),
            clients,
            domain,
            providers,
            groups,
            resource_servers,
            identity_pool,
            outputs,
        })
    }
}

/// A provider's name for parameter ids: social providers by their type (`Google`), others by
/// their own name (`okta` -> `Okta`).
fn provider_label(name: &str, provider_type: ProviderType) -> String {
    match provider_type {
        ProviderType::Oidc | ProviderType::Saml => name.to_string(),
        social => social.as_cognito().to_string(),
    }
}

/// The user pool's properties, read off deploy's `CreateUserPool` and `SetUserPoolMfaConfig`.
fn pool(state: &AuthState, idp: &cip::Client) -> Result<Pool, RenderError> {
    let inconsistent = |error: crate::Error| RenderError::Inconsistent(error.to_string());
    let create = requests::create_user_pool(idp, &state.pool).map_err(inconsistent)?;
    let create = create.as_input();
    let mfa = requests::set_mfa(idp, "", &state.pool.mfa, state.pool.sms.as_ref(), &Default::default())
        .map_err(inconsistent)?;
    let mfa = mfa.as_input();

    // Deploy creates the pool with the standard attributes and adds the custom ones in a second
    // call (`AddCustomAttributes`); a stack has one resource, so both go in its `Schema`.
    let custom: Vec<cip::types::SchemaAttributeType> = state
        .pool
        .custom_attributes
        .iter()
        .map(|(name, attribute)| requests::custom_schema_attribute(name, attribute))
        .collect();
    let schema = create
        .get_schema()
        .iter()
        .flatten()
        .chain(&custom)
        .map(|attribute| SchemaAttribute {
            name: attribute.name().unwrap_or_default().to_string(),
            data_type: attribute.attribute_data_type().map(|t| t.as_str().to_string()),
            mutable: attribute.mutable(),
            required: attribute.required(),
            developer_only: attribute.developer_only_attribute(),
            string_constraints: attribute
                .string_attribute_constraints()
                .map(|c| (owned(c.min_length()), owned(c.max_length()))),
            number_constraints: attribute
                .number_attribute_constraints()
                .map(|c| (owned(c.min_value()), owned(c.max_value()))),
        })
        .collect();

    let mut enabled_mfas = Vec::new();
    if mfa.get_sms_mfa_configuration().is_some() {
        enabled_mfas.push("SMS_MFA".to_string());
    }
    if mfa.get_software_token_mfa_configuration().as_ref().is_some_and(|totp| totp.enabled()) {
        enabled_mfas.push("SOFTWARE_TOKEN_MFA".to_string());
    }
    let email_mfa = mfa.get_email_mfa_configuration().as_ref();
    if email_mfa.is_some() {
        enabled_mfas.push("EMAIL_OTP".to_string());
    }

    let lambda_config = create.get_lambda_config().as_ref().map(|lambda| {
        let functions = [
            ("PreSignUp", lambda.pre_sign_up()),
            ("PostConfirmation", lambda.post_confirmation()),
            ("PreAuthentication", lambda.pre_authentication()),
            ("PostAuthentication", lambda.post_authentication()),
            ("DefineAuthChallenge", lambda.define_auth_challenge()),
            ("CreateAuthChallenge", lambda.create_auth_challenge()),
            ("VerifyAuthChallengeResponse", lambda.verify_auth_challenge_response()),
            ("CustomMessage", lambda.custom_message()),
            ("PreTokenGeneration", lambda.pre_token_generation()),
            ("UserMigration", lambda.user_migration()),
        ]
        .into_iter()
        .filter_map(|(property, arn)| arn.map(|arn| (property.to_string(), arn.to_string())))
        .collect();
        let mut versioned = Vec::new();
        if let Some(config) = lambda.pre_token_generation_config() {
            versioned.push((
                "PreTokenGenerationConfig".to_string(),
                config.lambda_arn().to_string(),
                config.lambda_version().as_str().to_string(),
            ));
        }
        if let Some(config) = lambda.custom_email_sender() {
            versioned.push((
                "CustomEmailSender".to_string(),
                config.lambda_arn().to_string(),
                config.lambda_version().as_str().to_string(),
            ));
        }
        if let Some(config) = lambda.custom_sms_sender() {
            versioned.push((
                "CustomSMSSender".to_string(),
                config.lambda_arn().to_string(),
                config.lambda_version().as_str().to_string(),
            ));
        }
        LambdaConfig { functions, versioned, kms_key_id: owned(lambda.kms_key_id()) }
    });

    let mut tags = state.pool.tags.clone();
    tags.insert(crate::normalize::MANAGED_BY_TAG.to_string(), CFN_MANAGED_BY_VALUE.to_string());

    Ok(Pool {
        name: create.get_pool_name().clone().unwrap_or_default(),
        username_attributes: strings(create.get_username_attributes()),
        alias_attributes: strings(create.get_alias_attributes()),
        case_sensitive: create.get_username_configuration().as_ref().map(|c| c.case_sensitive()),
        schema,
        auto_verified_attributes: strings(create.get_auto_verified_attributes()),
        verification: create.get_verification_message_template().as_ref().map(|template| Verification {
            default_email_option: template.default_email_option().map(|option| option.as_str().to_string()),
            email_subject: owned(template.email_subject()),
            email_message: owned(template.email_message()),
            email_subject_by_link: owned(template.email_subject_by_link()),
            email_message_by_link: owned(template.email_message_by_link()),
            sms_message: owned(template.sms_message()),
        }),
        mfa_configuration: mfa.get_mfa_configuration().as_ref().map(|mode| mode.as_str().to_string()),
        enabled_mfas,
        sms_authentication_message: create.get_sms_authentication_message().clone(),
        email_authentication_subject: email_mfa.and_then(|email| owned(email.subject())),
        email_authentication_message: email_mfa.and_then(|email| owned(email.message())),
        password_policy: create.get_policies().as_ref().and_then(|policies| policies.password_policy()).map(|policy| {
            PasswordPolicy {
                minimum_length: policy.minimum_length(),
                require_lowercase: policy.require_lowercase(),
                require_uppercase: policy.require_uppercase(),
                require_numbers: policy.require_numbers(),
                require_symbols: policy.require_symbols(),
                temporary_password_validity_days: policy.temporary_password_validity_days(),
            }
        }),
        device_configuration: create.get_device_configuration().as_ref().map(|device| DeviceConfiguration {
            challenge_required_on_new_device: device.challenge_required_on_new_device(),
            device_only_remembered_on_user_prompt: device.device_only_remembered_on_user_prompt(),
        }),
        email_configuration: create.get_email_configuration().as_ref().map(|email| EmailConfiguration {
            sending_account: email.email_sending_account().map(|account| account.as_str().to_string()),
            source_arn: owned(email.source_arn()),
            from: owned(email.from()),
            reply_to: owned(email.reply_to_email_address()),
            configuration_set: owned(email.configuration_set()),
        }),
        sms_configuration: create.get_sms_configuration().as_ref().map(|sms| SmsConfiguration {
            sns_caller_arn: Some(sms.sns_caller_arn().to_string()),
            external_id: owned(sms.external_id()),
            sns_region: owned(sms.sns_region()),
        }),
        lambda_config: lambda_config.filter(|config| {
            !config.functions.is_empty() || !config.versioned.is_empty() || config.kms_key_id.is_some()
        }),
        deletion_protection: create
            .get_deletion_protection()
            .as_ref()
            .map(|protection| protection.as_str().to_string()),
        tags,
        admin_create_user: create.get_admin_create_user_config().as_ref().map(|admin| {
            let template = admin.invite_message_template();
            AdminCreateUser {
                allow_admin_create_user_only: admin.allow_admin_create_user_only(),
                email_subject: template.and_then(|t| owned(t.email_subject())),
                email_message: template.and_then(|t| owned(t.email_message())),
                sms_message: template.and_then(|t| owned(t.sms_message())),
            }
        }),
        recovery_mechanisms: create
            .get_account_recovery_setting()
            .as_ref()
            .map(|setting| {
                setting
                    .recovery_mechanisms()
                    .iter()
                    .map(|option| RecoveryMechanism {
                        name: option.name().as_str().to_string(),
                        priority: option.priority(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// An app client's properties, read off deploy's `CreateUserPoolClient`, and what it must wait
/// for: the identity providers it offers and the resource servers whose scopes it asks for
/// (Cognito refuses a client naming either before it exists).
fn client(
    idp: &cip::Client,
    name: &str,
    state: &ClientState,
    logical_id: String,
    provider_ids: &BTreeMap<String, String>,
    server_ids: &BTreeMap<String, String>,
) -> Result<Client, RenderError> {
    let request = requests::create_client(idp, "", name, state);
    let input = request.as_input();
    let mut depends_on = BTreeSet::new();
    for provider in input.get_supported_identity_providers().iter().flatten() {
        if provider == "COGNITO" {
            continue;
        }
        let id = provider_ids.get(provider).ok_or_else(|| {
            RenderError::Inconsistent(format!(
                "app client {name} offers identity provider {provider}, which the spec does not define"
            ))
        })?;
        depends_on.insert(id.clone());
    }
    for scope in input.get_allowed_o_auth_scopes().iter().flatten() {
        if let Some((_, id)) = server_ids
            .iter()
            .find(|(identifier, _)| scope.strip_prefix(identifier.as_str()).is_some_and(|rest| rest.starts_with('/')))
        {
            depends_on.insert(id.clone());
        }
    }
    let units = input.get_token_validity_units().as_ref().map(|units| {
        let unit = |unit: Option<&cip::types::TimeUnitsType>| unit.map(|unit| unit.as_str().to_string());
        (unit(units.access_token()), unit(units.id_token()), unit(units.refresh_token()))
    });
    Ok(Client {
        logical_id,
        name: name.to_string(),
        depends_on: depends_on.into_iter().collect(),
        generate_secret: input.get_generate_secret().unwrap_or(false),
        explicit_auth_flows: strings(input.get_explicit_auth_flows()),
        access_token_validity: *input.get_access_token_validity(),
        id_token_validity: *input.get_id_token_validity(),
        refresh_token_validity: *input.get_refresh_token_validity(),
        token_validity_units: units,
        auth_session_validity: *input.get_auth_session_validity(),
        read_attributes: strings(input.get_read_attributes()),
        write_attributes: strings(input.get_write_attributes()),
        supported_identity_providers: strings(input.get_supported_identity_providers()),
        callback_urls: strings(input.get_callback_urls()),
        logout_urls: strings(input.get_logout_urls()),
        default_redirect_uri: input.get_default_redirect_uri().clone(),
        allowed_oauth_flows: strings(input.get_allowed_o_auth_flows()),
        allowed_oauth_scopes: strings(input.get_allowed_o_auth_scopes()),
        allowed_oauth_flows_user_pool_client: *input.get_allowed_o_auth_flows_user_pool_client(),
        prevent_user_existence_errors: input
            .get_prevent_user_existence_errors()
            .as_ref()
            .map(|p| p.as_str().to_string()),
        enable_token_revocation: *input.get_enable_token_revocation(),
    })
}

/// The identity pool, read off deploy's `CreateIdentityPool`, with the roles deploy would create
/// (same trust policy, same path) and its token-based role mappings.
fn identity_pool(
    identity: &cid::Client,
    state: &IdentityPoolState,
    user_pool_name: &str,
    client_ids: &BTreeMap<String, String>,
) -> Result<IdentityPool, RenderError> {
    let request = requests::create_identity_pool(identity, state, Vec::new(), user_pool_name);
    let input = request.as_input();
    let mut clients = Vec::new();
    for name in &state.clients {
        let id = client_ids.get(name).ok_or_else(|| {
            RenderError::Inconsistent(format!(
                "the identity pool names app client {name}, which the spec does not define"
            ))
        })?;
        clients.push(id.clone());
    }
    let mut roles = Vec::new();
    let mut created_roles = Vec::new();
    let mut role = |key: &str, arn: &Option<String>, logical_id: &str, description: &str| {
        let value = match arn {
            Some(arn) => Expr::Literal(arn.clone()),
            None => {
                created_roles.push(CreatedRole {
                    logical_id: logical_id.to_string(),
                    amr: key.to_string(),
                    description: format!(
                        "{description} identities of Cognito identity pool {} (generated by `cargo xtask template`)",
                        state.name
                    ),
                    path: requests::ROLE_PATH.to_string(),
                });
                Expr::get_att(logical_id, "Arn")
            }
        };
        roles.push((key.to_string(), value));
    };
    role("authenticated", &state.authenticated_role_arn, AUTHENTICATED_ROLE, "Signed-in");
    if state.allow_unauthenticated {
        role("unauthenticated", &state.unauthenticated_role_arn, UNAUTHENTICATED_ROLE, "Guest");
    }
    let role_mappings = if state.roles_from_token {
        clients
            .iter()
            .map(|client| (client.clone(), Expr::Sub { text: format!("${{{USER_POOL}.ProviderName}}:${{{client}}}") }))
            .collect()
    } else {
        Vec::new()
    };
    let mut tags: BTreeMap<String, String> = requests::identity_pool_tags(user_pool_name).into_iter().collect();
    tags.insert(crate::normalize::MANAGED_BY_TAG.to_string(), CFN_MANAGED_BY_VALUE.to_string());
    Ok(IdentityPool {
        name: input.get_identity_pool_name().clone().unwrap_or_default(),
        allow_unauthenticated: input.get_allow_unauthenticated_identities().unwrap_or(false),
        allow_classic_flow: input.get_allow_classic_flow().unwrap_or(false),
        clients,
        supported_login_providers: input
            .get_supported_login_providers()
            .iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        developer_provider_name: input.get_developer_provider_name().clone(),
        oidc_provider_arns: strings(input.get_open_id_connect_provider_arns()),
        saml_provider_arns: strings(input.get_saml_provider_arns()),
        tags,
        roles,
        created_roles,
        role_mappings,
    })
}

/// One `AWS::Lambda::Permission` per function (a function serving several triggers needs one
/// permission), named after its first trigger.
fn permissions(state: &AuthState, ids: &mut LogicalIds) -> Vec<Permission> {
    let mut by_function: BTreeMap<&str, Vec<Trigger>> = BTreeMap::new();
    let mut order = Vec::new();
    for (trigger, arn) in &state.pool.lambda.triggers {
        let entry = by_function.entry(arn.as_str()).or_default();
        if entry.is_empty() {
            order.push(arn.as_str());
        }
        entry.push(*trigger);
    }
    order
        .into_iter()
        .map(|arn| {
            let triggers = &by_function[arn];
            Permission {
                logical_id: ids.make(triggers[0].name(), "Permission"),
                function_arn: arn.to_string(),
                triggers: triggers.iter().map(|trigger| trigger.name().to_string()).collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logical_ids_are_pascal_case_alphanumeric_and_unique() {
        let mut ids = LogicalIds::with_reserved(&["UserPool"]);
        assert_eq!(ids.make("web", "Client"), "WebClient");
        assert_eq!(ids.make("my-app_client", "Client"), "MyAppClientClient");
        assert_eq!(ids.make("my app client", "Client"), "MyAppClientClient2");
        assert_eq!(ids.make("user-pool", ""), "UserPool2");
        assert_eq!(ids.make("https://api.example.com", "ResourceServer"), "HttpsApiExampleComResourceServer");
        assert_eq!(ids.make("", "Group"), "Group");
        let long = ids.make(&"a".repeat(400), "Group");
        assert!(is_logical_id(&long), "{long}");
    }

    #[test]
    fn expressions_print_in_short_form_and_refuse_what_is_not_one() {
        let print = |expr: &Expr| expression_filter(crate::render::to_value(expr)).map(|value| value.to_string());
        assert_eq!(print(&Expr::reference("UserPool")).unwrap(), "!Ref UserPool");
        assert_eq!(print(&Expr::reference("AWS::Region")).unwrap(), "!Ref AWS::Region");
        assert_eq!(print(&Expr::get_att("UserPool", "ProviderName")).unwrap(), "!GetAtt UserPool.ProviderName");
        assert_eq!(print(&Expr::Sub { text: "${A}.x \"q\"".into() }).unwrap(), r#"!Sub "${A}.x \"q\"""#);
        assert_eq!(print(&Expr::Literal("a: b\n- c".into())).unwrap(), r#""a: b\n- c""#);
        assert!(print(&Expr::reference("Not An Id")).is_err());
        assert!(print(&Expr::get_att("UserPool", "Arn: x")).is_err());
        assert!(expression_filter(Value::from(3)).is_err());
    }
}
