//! The only module that changes Cognito: it walks a [`Plan`]'s steps in order and makes the calls.
//! It decides nothing: what to call with which values was fixed by the plan; apply only carries
//! the ids Cognito hands out from one step to the next.
//!
//! Every step is safe to repeat. The plan is computed from a fresh read, and resources are found
//! by name (clients by `ClientName`, providers and groups by name), so a deploy that died after
//! any step converges on the next run without duplicates. Where Cognito itself reports "already
//! exists" or "not found" (a concurrent run, a read that raced), the step adopts the existing
//! resource or treats the deletion as done.

use crate::error::{Error, Result};
use crate::externals::Externals;
use crate::live::Live;
use crate::plan::{Plan, Resource, Step};
use crate::requests::{self, ROLE_PATH};
use crate::sdk::Aws;
use auth_spec::state::{DetailValue, IdentityPoolState, IdentityProviderState};
use std::collections::{BTreeMap, HashMap};

/// Options of [`apply`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplyOptions {
    /// Stop (with [`Error::Interrupted`]) after this many steps: a fault-injection hook to test
    /// that an interrupted deploy converges when run again.
    pub stop_after: Option<usize>,
}

/// Progress of a deploy, for the CLI to print.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress<'a> {
    /// The plan, before anything is applied (or refused).
    Planned {
        /// The plan.
        plan: &'a Plan,
    },
    /// A step is about to run.
    Started {
        /// 1-based index.
        index: usize,
        /// Number of steps.
        total: usize,
        /// The step.
        step: &'a Step,
        /// Its resource.
        resource: Resource,
    },
    /// The step finished.
    Finished {
        /// 1-based index.
        index: usize,
        /// Number of steps.
        total: usize,
        /// The step.
        step: &'a Step,
    },
}

/// The ids known while applying, starting from the live ones.
#[derive(Debug, Clone)]
struct Context {
    region: String,
    pool_name: String,
    pool_id: Option<String>,
    client_ids: BTreeMap<String, String>,
    identity_pool_id: Option<String>,
}

impl Context {
    fn pool_id(&self, resource: &str, operation: &'static str) -> Result<&str> {
        self.pool_id.as_deref().ok_or_else(|| Error::Unexpected {
            resource: resource.to_string(),
            operation,
            message: "the user pool does not exist (the plan should have created it first)".into(),
        })
    }
}

/// Makes the plan's calls, in order. `live` is the state the plan was computed from (for the ids
/// of existing resources). Every secret and file the steps need is read before the first call, so
/// a missing one stops the deploy before it changes anything.
pub async fn apply(
    aws: &Aws,
    plan: &Plan,
    live: &Live,
    externals: &Externals,
    options: &ApplyOptions,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<()> {
    let details = preflight(plan, externals)?;
    let mut context = Context {
        region: live.region.clone(),
        pool_name: plan.pool_name.clone(),
        pool_id: live.user_pool.as_ref().map(|pool| pool.id.clone()),
        client_ids: live.user_pool.as_ref().map(|pool| pool.client_ids.clone()).unwrap_or_default(),
        identity_pool_id: live.identity_pool.as_ref().map(|pool| pool.id.clone()),
    };
    let total = plan.steps.len();
    for (position, step) in plan.steps.iter().enumerate() {
        if options.stop_after.is_some_and(|limit| position >= limit) {
            return Err(Error::Interrupted { completed: position, total });
        }
        let index = position + 1;
        let resource = step.resource(&plan.pool_name);
        progress(Progress::Started { index, total, step, resource: resource.clone() });
        run(aws, step, &resource.to_string(), &mut context, &details).await?;
        progress(Progress::Finished { index, total, step });
    }
    Ok(())
}

/// Provider details with every reference read, by provider name.
type ResolvedDetails = BTreeMap<String, HashMap<String, String>>;

fn preflight(plan: &Plan, externals: &Externals) -> Result<ResolvedDetails> {
    let mut resolved = BTreeMap::new();
    for step in &plan.steps {
        match step {
            Step::CreateIdentityProvider { name, provider }
            | Step::UpdateIdentityProvider { name, provider, details: true } => {
                resolved.insert(name.clone(), resolve_details(name, provider, externals)?);
            }
            _ => {}
        }
    }
    Ok(resolved)
}

fn resolve_details(
    name: &str,
    provider: &IdentityProviderState,
    externals: &Externals,
) -> Result<HashMap<String, String>> {
    let resource = format!("identity provider {name}");
    provider
        .details
        .iter()
        .map(|(key, value)| {
            let text = match value {
                DetailValue::Plain(text) => text.clone(),
                DetailValue::SecretFingerprint(_) => {
                    return Err(Error::Unexpected {
                        resource: resource.clone(),
                        operation: "apply",
                        message: format!("`{key}` is a fingerprint of a live value, which cannot be written back"),
                    });
                }
                reference => externals.value(&resource, reference)?.unwrap_or_default(),
            };
            Ok((key.clone(), text))
        })
        .collect()
}

fn is_code(error: &Error, codes: &[&str]) -> bool {
    error.aws_code().is_some_and(|code| codes.contains(&code))
}

async fn run(aws: &Aws, step: &Step, resource: &str, context: &mut Context, details: &ResolvedDetails) -> Result<()> {
    let op = step.operation();
    let idp = &aws.idp;
    match step {
        Step::CreatePool { pool } => {
            let output = requests::create_user_pool(idp, pool)?.send().await.map_err(Error::aws(resource, op))?;
            let id = output.user_pool().and_then(|p| p.id()).ok_or_else(|| Error::Unexpected {
                resource: resource.to_string(),
                operation: op,
                message: "no pool id in the answer".into(),
            })?;
            context.pool_id = Some(id.to_string());
            context.client_ids.clear();
        }
        Step::UpdatePool { pool, preserved } => {
            let id = context.pool_id(resource, op)?;
            requests::update_user_pool(idp, id, pool, preserved)?.send().await.map_err(Error::aws(resource, op))?;
        }
        Step::DeletePool { id, .. } => {
            let result = idp.delete_user_pool().user_pool_id(id).send().await.map_err(Error::aws(resource, op));
            ignore_codes(result, &["ResourceNotFoundException"])?;
            context.pool_id = None;
            context.client_ids.clear();
        }
        Step::AddCustomAttributes { attributes } => {
            let id = context.pool_id(resource, op)?;
            let schema =
                attributes.iter().map(|(name, attribute)| requests::custom_schema_attribute(name, attribute)).collect();
            idp.add_custom_attributes()
                .user_pool_id(id)
                .set_custom_attributes(Some(schema))
                .send()
                .await
                .map_err(Error::aws(resource, op))?;
        }
        Step::SetMfa { mfa, sms, preserved } => {
            let id = context.pool_id(resource, op)?;
            requests::set_mfa(idp, id, mfa, sms.as_ref(), preserved)?.send().await.map_err(Error::aws(resource, op))?;
        }
        Step::CreateGroup { name, group } => {
            let id = context.pool_id(resource, op)?.to_string();
            let created = idp
                .create_group()
                .user_pool_id(&id)
                .group_name(name)
                .set_description(group.description.clone())
                .set_precedence(group.precedence.map(|p| i32::try_from(p).unwrap_or(i32::MAX)))
                .set_role_arn(group.role_arn.clone())
                .send()
                .await
                .map_err(Error::aws(resource, op));
            match created {
                Err(error) if is_code(&error, &["GroupExistsException"]) => {
                    update_group(aws, &id, name, group, resource).await?
                }
                other => {
                    other?;
                }
            }
        }
        Step::UpdateGroup { name, group } => {
            let id = context.pool_id(resource, op)?.to_string();
            update_group(aws, &id, name, group, resource).await?;
        }
        Step::DeleteGroup { name } => {
            let id = context.pool_id(resource, op)?;
            let result =
                idp.delete_group().user_pool_id(id).group_name(name).send().await.map_err(Error::aws(resource, op));
            ignore_codes(result, &["ResourceNotFoundException"])?;
        }
        Step::CreateResourceServer { identifier, server } => {
            let id = context.pool_id(resource, op)?.to_string();
            let created = idp
                .create_resource_server()
                .user_pool_id(&id)
                .identifier(identifier)
                .name(&server.name)
                .set_scopes(Some(requests::scopes(server)?))
                .send()
                .await
                .map_err(Error::aws(resource, op));
            match created {
                Err(error)
                    if error.to_string().contains("already exists")
                        || is_code(&error, &["ResourceExistsException"]) =>
                {
                    update_resource_server(aws, &id, identifier, server, resource).await?
                }
                other => {
                    other?;
                }
            }
        }
        Step::UpdateResourceServer { identifier, server } => {
            let id = context.pool_id(resource, op)?.to_string();
            update_resource_server(aws, &id, identifier, server, resource).await?;
        }
        Step::DeleteResourceServer { identifier } => {
            let id = context.pool_id(resource, op)?;
            let result = idp
                .delete_resource_server()
                .user_pool_id(id)
                .identifier(identifier)
                .send()
                .await
                .map_err(Error::aws(resource, op));
            ignore_codes(result, &["ResourceNotFoundException"])?;
        }
        Step::CreateIdentityProvider { name, provider } => {
            let id = context.pool_id(resource, op)?.to_string();
            let values = details.get(name).cloned().unwrap_or_default();
            let created = idp
                .create_identity_provider()
                .user_pool_id(&id)
                .provider_name(name)
                .provider_type(aws_sdk_cognitoidentityprovider::types::IdentityProviderTypeType::from(
                    provider.provider_type.as_cognito(),
                ))
                .set_provider_details(Some(values.clone()))
                .set_attribute_mapping(Some(
                    provider.attribute_mapping.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                ))
                .set_idp_identifiers(non_empty(provider.identifiers.iter().cloned().collect()))
                .send()
                .await
                .map_err(Error::aws(resource, op));
            match created {
                Err(error) if is_code(&error, &["DuplicateProviderException"]) => {
                    update_provider(aws, &id, name, provider, Some(values), resource).await?
                }
                other => {
                    other?;
                }
            }
        }
        Step::UpdateIdentityProvider { name, provider, .. } => {
            let id = context.pool_id(resource, op)?.to_string();
            update_provider(aws, &id, name, provider, details.get(name).cloned(), resource).await?;
        }
        Step::DeleteIdentityProvider { name } => {
            let id = context.pool_id(resource, op)?;
            let result = idp
                .delete_identity_provider()
                .user_pool_id(id)
                .provider_name(name)
                .send()
                .await
                .map_err(Error::aws(resource, op));
            ignore_codes(result, &["ResourceNotFoundException"])?;
        }
        Step::CreateClient { name, client } => {
            let id = context.pool_id(resource, op)?;
            let output =
                requests::create_client(idp, id, name, client).send().await.map_err(Error::aws(resource, op))?;
            let client_id = output.user_pool_client().and_then(|c| c.client_id()).ok_or_else(|| Error::Unexpected {
                resource: resource.to_string(),
                operation: op,
                message: "no client id in the answer".into(),
            })?;
            context.client_ids.insert(name.clone(), client_id.to_string());
        }
        Step::UpdateClient { name, client, preserved } => {
            let id = context.pool_id(resource, op)?;
            let client_id = context.client_ids.get(name).ok_or_else(|| Error::Unexpected {
                resource: resource.to_string(),
                operation: op,
                message: "the client's id is not known".into(),
            })?;
            requests::update_client(idp, id, client_id, name, client, preserved)
                .send()
                .await
                .map_err(Error::aws(resource, op))?;
        }
        Step::DeleteClient { name, id: client_id } => {
            let pool_id = context.pool_id(resource, op)?;
            let client_id = client_id.clone().or_else(|| context.client_ids.get(name).cloned());
            if let Some(client_id) = client_id {
                let result = idp
                    .delete_user_pool_client()
                    .user_pool_id(pool_id)
                    .client_id(&client_id)
                    .send()
                    .await
                    .map_err(Error::aws(resource, op));
                ignore_codes(result, &["ResourceNotFoundException"])?;
                if context.client_ids.get(name) == Some(&client_id) {
                    context.client_ids.remove(name);
                }
            }
        }
        Step::CreateDomain { domain } => {
            let id = context.pool_id(resource, op)?;
            idp.create_user_pool_domain()
                .user_pool_id(id)
                .domain(domain.cognito_domain())
                .set_custom_domain_config(requests::custom_domain_config(domain)?)
                .send()
                .await
                .map_err(Error::aws(resource, op))?;
        }
        Step::UpdateDomain { domain } => {
            let id = context.pool_id(resource, op)?;
            idp.update_user_pool_domain()
                .user_pool_id(id)
                .domain(domain.cognito_domain())
                .set_custom_domain_config(requests::custom_domain_config(domain)?)
                .send()
                .await
                .map_err(Error::aws(resource, op))?;
        }
        Step::DeleteDomain { domain } => {
            let id = context.pool_id(resource, op)?;
            let result = idp
                .delete_user_pool_domain()
                .user_pool_id(id)
                .domain(domain.cognito_domain())
                .send()
                .await
                .map_err(Error::aws(resource, op));
            ignore_codes(result, &["ResourceNotFoundException"])?;
        }
        Step::CreateIdentityPool { pool } => {
            let providers = identity_providers_of(pool, context, resource, op)?;
            let output = requests::create_identity_pool(&aws.identity, pool, providers, &context.pool_name)
                .send()
                .await
                .map_err(Error::aws(resource, op))?;
            context.identity_pool_id = Some(output.identity_pool_id().to_string());
        }
        Step::UpdateIdentityPool { pool } => {
            let providers = identity_providers_of(pool, context, resource, op)?;
            let id = identity_pool_id(context, resource, op)?;
            requests::update_identity_pool(&aws.identity, &id, pool, providers, &context.pool_name)
                .send()
                .await
                .map_err(Error::aws(resource, op))?;
        }
        Step::SetIdentityPoolRoles { pool } => set_roles(aws, pool, context, resource).await?,
        Step::DeleteIdentityPool { id, .. } => {
            let result =
                aws.identity.delete_identity_pool().identity_pool_id(id).send().await.map_err(Error::aws(resource, op));
            ignore_codes(result, &["ResourceNotFoundException"])?;
            context.identity_pool_id = None;
        }
    }
    Ok(())
}

fn non_empty<T>(items: Vec<T>) -> Option<Vec<T>> {
    (!items.is_empty()).then_some(items)
}

fn ignore_codes(result: Result<impl Sized>, codes: &[&str]) -> Result<()> {
    match result {
        Ok(_) => Ok(()),
        Err(error) if is_code(&error, codes) => Ok(()),
        Err(error) => Err(error),
    }
}

fn identity_pool_id(context: &Context, resource: &str, operation: &'static str) -> Result<String> {
    context.identity_pool_id.clone().ok_or_else(|| Error::Unexpected {
        resource: resource.to_string(),
        operation,
        message: "the identity pool does not exist (the plan should have created it first)".into(),
    })
}

fn identity_providers_of(
    pool: &IdentityPoolState,
    context: &Context,
    resource: &str,
    operation: &'static str,
) -> Result<Vec<aws_sdk_cognitoidentity::types::CognitoIdentityProvider>> {
    let pool_id = context.pool_id(resource, operation)?;
    Ok(requests::cognito_identity_providers(pool, &context.region, pool_id, &context.client_ids))
}

async fn update_group(
    aws: &Aws,
    pool_id: &str,
    name: &str,
    group: &auth_spec::state::GroupState,
    resource: &str,
) -> Result<()> {
    aws.idp
        .update_group()
        .user_pool_id(pool_id)
        .group_name(name)
        // An empty description clears it (Cognito keeps an omitted one).
        .description(group.description.clone().unwrap_or_default())
        .set_precedence(group.precedence.map(|p| i32::try_from(p).unwrap_or(i32::MAX)))
        .set_role_arn(group.role_arn.clone())
        .send()
        .await
        .map_err(Error::aws(resource, "UpdateGroup"))?;
    Ok(())
}

async fn update_resource_server(
    aws: &Aws,
    pool_id: &str,
    identifier: &str,
    server: &auth_spec::state::ResourceServerState,
    resource: &str,
) -> Result<()> {
    aws.idp
        .update_resource_server()
        .user_pool_id(pool_id)
        .identifier(identifier)
        .name(&server.name)
        .set_scopes(Some(requests::scopes(server)?))
        .send()
        .await
        .map_err(Error::aws(resource, "UpdateResourceServer"))?;
    Ok(())
}

async fn update_provider(
    aws: &Aws,
    pool_id: &str,
    name: &str,
    provider: &IdentityProviderState,
    values: Option<HashMap<String, String>>,
    resource: &str,
) -> Result<()> {
    // Without new details, `ProviderDetails` is left out: Cognito keeps the current ones.
    aws.idp
        .update_identity_provider()
        .user_pool_id(pool_id)
        .provider_name(name)
        .set_provider_details(values)
        .set_attribute_mapping(Some(provider.attribute_mapping.iter().map(|(k, v)| (k.clone(), v.clone())).collect()))
        .set_idp_identifiers(Some(provider.identifiers.iter().cloned().collect()))
        .send()
        .await
        .map_err(Error::aws(resource, "UpdateIdentityProvider"))?;
    Ok(())
}

/// Makes sure the roles the identity pool needs exist (creating the ones the spec leaves to
/// deploy, with Cognito's trust policy for this identity pool), then sets roles and role mappings.
async fn set_roles(aws: &Aws, pool: &IdentityPoolState, context: &Context, resource: &str) -> Result<()> {
    let identity_pool_id = identity_pool_id(context, resource, "SetIdentityPoolRoles")?;
    let mut roles = HashMap::new();
    let authenticated = match &pool.authenticated_role_arn {
        Some(arn) => arn.clone(),
        None => ensure_role(aws, &pool.name, &identity_pool_id, true).await?,
    };
    roles.insert("authenticated".to_string(), authenticated);
    if pool.allow_unauthenticated {
        let unauthenticated = match &pool.unauthenticated_role_arn {
            Some(arn) => arn.clone(),
            None => ensure_role(aws, &pool.name, &identity_pool_id, false).await?,
        };
        roles.insert("unauthenticated".to_string(), unauthenticated);
    }
    let pool_id = context.pool_id(resource, "SetIdentityPoolRoles")?;
    let mappings = requests::role_mappings(pool, &context.region, pool_id, &context.client_ids)?;
    aws.identity
        .set_identity_pool_roles()
        .identity_pool_id(&identity_pool_id)
        .set_roles(Some(roles))
        .set_role_mappings(Some(mappings))
        .send()
        .await
        .map_err(Error::aws(resource, "SetIdentityPoolRoles"))?;
    Ok(())
}

/// The ARN of the managed role, created if missing; its trust policy is pointed at this identity
/// pool when it names another one (an identity pool created again after a failed deploy).
async fn ensure_role(
    aws: &Aws,
    identity_pool_name: &str,
    identity_pool_id: &str,
    authenticated: bool,
) -> Result<String> {
    let name = requests::managed_role_name(identity_pool_name, authenticated);
    let resource = format!("role {name}");
    let policy = requests::trust_policy(identity_pool_id, authenticated);
    let existing = aws.iam.get_role().role_name(&name).send().await.map_err(Error::aws(&resource, "GetRole"));
    match existing {
        Ok(output) => {
            let role = output.role.ok_or_else(|| Error::Unexpected {
                resource: resource.clone(),
                operation: "GetRole",
                message: "no role in the answer".into(),
            })?;
            let document = role.assume_role_policy_document().map(percent_decode).unwrap_or_default();
            if !document.contains(identity_pool_id) {
                aws.iam
                    .update_assume_role_policy()
                    .role_name(&name)
                    .policy_document(&policy)
                    .send()
                    .await
                    .map_err(Error::aws(&resource, "UpdateAssumeRolePolicy"))?;
            }
            Ok(role.arn)
        }
        Err(error) if is_code(&error, &["NoSuchEntity", "NoSuchEntityException"]) => {
            let output = aws
                .iam
                .create_role()
                .role_name(&name)
                .path(ROLE_PATH)
                .assume_role_policy_document(&policy)
                .description(format!(
                    "{} identities of Cognito identity pool {identity_pool_name} (created by auth-deploy)",
                    if authenticated { "Signed-in" } else { "Guest" }
                ))
                .send()
                .await
                .map_err(Error::aws(&resource, "CreateRole"))?;
            output.role.map(|role| role.arn).ok_or_else(|| Error::Unexpected {
                resource,
                operation: "CreateRole",
                message: "no role in the answer".into(),
            })
        }
        Err(error) => Err(error),
    }
}

/// IAM returns policy documents URL-encoded.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%'
            && index + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(std::str::from_utf8(&bytes[index + 1..index + 3]).unwrap_or("zz"), 16)
        {
            out.push(byte);
            index += 3;
            continue;
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_documents_are_percent_decoded() {
        assert_eq!(percent_decode("%7B%22aud%22%3A%22us-east-1%3Aabc%22%7D"), "{\"aud\":\"us-east-1:abc\"}");
        assert_eq!(percent_decode("50%"), "50%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
