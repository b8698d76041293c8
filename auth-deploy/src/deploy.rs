//! The commands, as library functions: `diff`, `deploy`, `outputs`, `destroy`. Each is a short
//! composition of read, plan, gate, apply and outputs; the CLI only parses flags and prints.

use crate::apply::{ApplyOptions, Progress, apply};
use crate::error::{Error, Result};
use crate::externals::Externals;
use crate::live::{self, Live, Target};
use crate::plan::{Plan, plan};
use crate::requests;
use crate::sdk::Aws;
use auth_spec::outputs::AmplifyOutputs;
use auth_spec::state::AuthState;
use std::path::Path;

/// The live state and the plan from it to the desired state.
#[derive(Debug, Clone)]
pub struct Diff {
    /// What was read.
    pub live: Live,
    /// What deploying would do.
    pub plan: Plan,
}

/// Reads the live state (concurrently) and plans the change to `desired`.
pub async fn diff(aws: &Aws, desired: &AuthState, externals: &Externals) -> Result<Diff> {
    check_region(aws, desired)?;
    let live = live::read(aws, &Target::of(desired)).await?;
    let plan = plan(desired, &live, &externals.fingerprints(desired));
    Ok(Diff { live, plan })
}

/// A spec that names its region is only deployed there.
fn check_region(aws: &Aws, desired: &AuthState) -> Result<()> {
    match &desired.pool.region {
        Some(region) if region != aws.region() => Err(Error::Config(format!(
            "the spec puts pool `{}` in {region}, but the AWS configuration points at {}: pass `--region {region}`",
            desired.pool.name,
            aws.region()
        ))),
        _ => Ok(()),
    }
}

/// Whether the plan may be applied with these `--allow-destructive` resources: every destructive
/// resource must be allowed, and a pool is only replaced when it has no users and no deletion
/// protection (else `destroy` must be used, explicitly). Checked before any call, so a refused
/// deploy changes nothing.
pub fn check_allowed(plan: &Plan, allowed: &[String]) -> Result<()> {
    let refused: Vec<String> = plan.destructive().into_iter().filter(|key| !allowed.contains(key)).collect();
    if !refused.is_empty() {
        return Err(Error::DestructiveRefused { resources: refused });
    }
    if let Some(replacement) = &plan.pool_replacement {
        let mut why = Vec::new();
        if replacement.users > 0 {
            why.push(format!("it has {} user(s)", replacement.users));
        }
        if replacement.deletion_protection {
            why.push("deletion protection is on".to_string());
        }
        if !why.is_empty() {
            return Err(Error::NeedsDestroy { name: plan.pool_name.clone(), why: why.join(" and ") });
        }
    }
    Ok(())
}

/// Options of [`deploy`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeployOptions {
    /// Resources whose destructive changes are allowed (`pool`, `client:web`...; see
    /// [`crate::Resource::key`]).
    pub allow_destructive: Vec<String>,
    /// Apply options (fault injection).
    pub apply: ApplyOptions,
}

/// What a deploy did.
#[derive(Debug, Clone)]
pub struct Deployed {
    /// The plan it applied (empty when nothing was to do).
    pub plan: Plan,
    /// The live state after the deploy.
    pub live: Live,
    /// The outputs of that state.
    pub outputs: AmplifyOutputs,
}

/// Plans, refuses what is not allowed, applies, and reads the result back for the outputs. A
/// deploy with nothing to do makes no mutating call (and no second read).
pub async fn deploy(
    aws: &Aws,
    desired: &AuthState,
    externals: &Externals,
    options: &DeployOptions,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Deployed> {
    let Diff { live, plan } = diff(aws, desired, externals).await?;
    progress(Progress::Planned { plan: &plan });
    check_allowed(&plan, &options.allow_destructive)?;
    let live = if plan.has_changes() {
        apply(aws, &plan, &live, externals, &options.apply, progress).await?;
        live::read(aws, &Target::of(desired)).await?
    } else {
        live
    };
    let outputs = outputs_of(&live, &desired.pool.name)?;
    Ok(Deployed { plan, live, outputs })
}

/// The outputs file of a live state.
pub fn outputs_of(live: &Live, pool_name: &str) -> Result<AmplifyOutputs> {
    let (Some(state), Some(ids)) = (live.state(), live.deployed_ids()) else {
        return Err(Error::NotDeployed(pool_name.to_string()));
    };
    AmplifyOutputs::from_state(&state, &ids).map_err(|error| Error::Outputs(error.to_string()))
}

/// Reads the live deployment of `desired` and returns its outputs, changing nothing.
pub async fn outputs(aws: &Aws, desired: &AuthState) -> Result<AmplifyOutputs> {
    check_region(aws, desired)?;
    let live = live::read(aws, &Target::of(desired)).await?;
    outputs_of(&live, &desired.pool.name)
}

/// Writes an outputs file (pretty JSON), creating its folder.
pub fn write_outputs(path: &Path, outputs: &AmplifyOutputs) -> Result<()> {
    let error = |e: std::io::Error| Error::Write { path: path.display().to_string(), message: e.to_string() };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(error)?;
    }
    std::fs::write(path, outputs.to_json()).map_err(error)
}

/// What `destroy` deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destroyed {
    /// The user pool id.
    pub pool_id: String,
    /// Users it had (Cognito's estimate).
    pub users: u64,
    /// The identity pool id, when one was deleted.
    pub identity_pool_id: Option<String>,
    /// The roles deleted.
    pub roles: Vec<String>,
}

/// Deletes a managed pool (`Target::Managed`: found by name and tag, never an unmanaged one)
/// with everything in it, its users too, its domain, and its managed identity pool with the roles
/// deploy created for it. `confirmation` must be the pool's name: the CLI asks for it, so nobody
/// deletes users by accident. Deletion protection is turned off first: asking for `destroy` by
/// name is the explicit decision it protects.
pub async fn destroy(aws: &Aws, target: &Target, confirmation: &str) -> Result<Destroyed> {
    let Target::Managed { pool_name: name, .. } = target else {
        return Err(Error::Config("destroy only deletes a pool this tool manages, named by its name".into()));
    };
    if confirmation != name {
        return Err(Error::NotConfirmed(name.to_string()));
    }
    let live = live::read(aws, target).await?;
    let Some(pool) = &live.user_pool else { return Err(Error::NotDeployed(name.to_string())) };
    let resource = format!("pool {name}");
    if pool.state.pool.deletion_protection {
        let mut unprotected = pool.state.pool.clone();
        unprotected.deletion_protection = false;
        requests::update_user_pool(&aws.idp, &pool.id, &unprotected, &pool.preserved)?
            .send()
            .await
            .map_err(Error::aws(&resource, "UpdateUserPool"))?;
    }
    if let Some(domain) = &pool.state.domain {
        aws.idp
            .delete_user_pool_domain()
            .user_pool_id(&pool.id)
            .domain(domain.cognito_domain())
            .send()
            .await
            .map_err(Error::aws(format!("domain {}", domain.cognito_domain()), "DeleteUserPoolDomain"))?;
    }
    let mut roles = Vec::new();
    let identity_pool_id = match &live.identity_pool {
        Some(identity) => {
            let resource = format!("identity pool {}", identity.state.name);
            aws.identity
                .delete_identity_pool()
                .identity_pool_id(&identity.id)
                .send()
                .await
                .map_err(Error::aws(&resource, "DeleteIdentityPool"))?;
            for (authenticated, arn) in
                [(true, &identity.state.authenticated_role_arn), (false, &identity.state.unauthenticated_role_arn)]
            {
                if arn.is_some() || (!authenticated && !identity.state.allow_unauthenticated) {
                    continue;
                }
                let role = requests::managed_role_name(&identity.state.name, authenticated);
                let deleted = aws
                    .iam
                    .delete_role()
                    .role_name(&role)
                    .send()
                    .await
                    .map_err(Error::aws(format!("role {role}"), "DeleteRole"));
                match deleted {
                    Ok(_) => roles.push(role),
                    Err(error) if error.aws_code().is_some_and(|c| c.starts_with("NoSuchEntity")) => {}
                    Err(error) => return Err(error),
                }
            }
            Some(identity.id.clone())
        }
        None => None,
    };
    aws.idp.delete_user_pool().user_pool_id(&pool.id).send().await.map_err(Error::aws(&resource, "DeleteUserPool"))?;
    Ok(Destroyed { pool_id: pool.id.clone(), users: pool.estimated_users, identity_pool_id, roles })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Action, ChangeClass, PoolReplacement, Resource, ResourcePlan};

    fn plan_with(destructive: &[Resource], replacement: Option<PoolReplacement>) -> Plan {
        Plan {
            pool_name: "p".into(),
            region: "us-east-1".into(),
            resources: destructive
                .iter()
                .map(|resource| ResourcePlan {
                    resource: resource.clone(),
                    action: Action::Delete,
                    class: ChangeClass::Destructive { reason: "test".into() },
                    changes: Vec::new(),
                })
                .collect(),
            steps: Vec::new(),
            warnings: Vec::new(),
            pool_replacement: replacement,
        }
    }

    #[test]
    fn outputs_name_the_public_oauth_client_for_amplify() {
        use auth_spec::model::{AppClient, ClientOAuth, Domain, OAuthFlow};
        let mut spec = crate::fixtures::minimal();
        spec.clients.insert("api".into(), AppClient::default());
        spec.clients.insert("server".into(), AppClient { generate_secret: true, ..AppClient::default() });
        spec.clients.get_mut("web").unwrap().oauth = Some(ClientOAuth {
            flows: vec![OAuthFlow::Code],
            callback_urls: vec!["https://a.example/cb".into()],
            ..ClientOAuth::default()
        });
        // Without a domain there is no hosted UI: the first public client.
        let live = crate::fixtures::deployed(&auth_spec::resolve(&spec));
        assert_eq!(outputs_of(&live, "minimal-users").unwrap().deployment().unwrap().default_client, "api");
        spec.domain = Some(Domain { prefix: Some("minimal-auth".into()), ..Domain::default() });
        let live = crate::fixtures::deployed(&auth_spec::resolve(&spec));
        let outputs = outputs_of(&live, "minimal-users").unwrap();
        assert_eq!(outputs.deployment().unwrap().default_client, "web");
        assert_eq!(outputs.auth.user_pool_client_id, "id-web");
        assert_eq!(outputs.auth.oauth.unwrap().domain, "minimal-auth.auth.us-east-1.amazoncognito.com");
        assert!(matches!(outputs_of(&Live::empty("us-east-1"), "minimal-users"), Err(Error::NotDeployed(_))));
    }

    #[test]
    fn destructive_changes_need_each_resource_allowed() {
        let plan = plan_with(&[Resource::Client("web".into()), Resource::Group("admins".into())], None);
        let error = check_allowed(&plan, &["client:web".into()]).unwrap_err();
        assert_eq!(error, Error::DestructiveRefused { resources: vec!["group:admins".into()] });
        check_allowed(&plan, &["client:web".into(), "group:admins".into()]).unwrap();
    }

    #[test]
    fn a_pool_with_users_or_protection_is_never_replaced_by_deploy() {
        let replacement = |users, deletion_protection| {
            plan_with(
                &[Resource::Pool("p".into())],
                Some(PoolReplacement { id: "id".into(), users, deletion_protection }),
            )
        };
        let allowed = ["pool".to_string()];
        assert!(matches!(check_allowed(&replacement(3, false), &allowed), Err(Error::NeedsDestroy { .. })));
        assert!(matches!(check_allowed(&replacement(0, true), &allowed), Err(Error::NeedsDestroy { .. })));
        check_allowed(&replacement(0, false), &allowed).unwrap();
        assert!(matches!(check_allowed(&replacement(0, false), &[]), Err(Error::DestructiveRefused { .. })));
    }
}
