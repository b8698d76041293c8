//! Reading a deployment from Cognito, concurrently.
//!
//! A diff makes one read per resource plus the list calls it needs: `ListUserPools` and one
//! `DescribeUserPool` per pool of the spec's name (to see its tags), then, all at once,
//! `GetUserPoolMfaConfig`, `ListUserPoolClients` + one `DescribeUserPoolClient` per client,
//! `ListGroups`, `ListResourceServers`, `ListIdentityProviders` + one `DescribeIdentityProvider`
//! per provider, `DescribeUserPoolDomain` (custom domains only), and `ListIdentityPools` + one
//! `DescribeIdentityPool` and `GetIdentityPoolRoles` for the identity pool.

use super::model::*;
use crate::error::{Error, Result};
use crate::normalize::{self, MfaRead};
use crate::requests::{is_managed_role, user_pool_provider_name};
use crate::sdk::Aws;
use auth_spec::state::{AuthState, DomainState, IdentityPoolState};
use aws_sdk_cognitoidentity as cid;
use aws_sdk_cognitoidentityprovider::types as idp;
use std::collections::BTreeMap;
use std::future::Future;
use tokio::task::JoinSet;

/// What to look for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The managed pool of this name (tagged `managed-by`), and the identity pool of this name.
    Managed {
        /// User pool name.
        pool_name: String,
        /// Identity pool name, when the spec has one.
        identity_pool_name: Option<String>,
        /// The domain the spec wants, looked up by name when the pool does not report one.
        domain: Option<String>,
    },
    /// A pool by id, managed or not (import).
    ById(String),
}

impl Target {
    /// What deploying `desired` touches.
    pub fn of(desired: &AuthState) -> Target {
        Target::Managed {
            pool_name: desired.pool.name.clone(),
            identity_pool_name: desired.identity_pool.as_ref().map(|pool| pool.name.clone()),
            domain: desired.domain.as_ref().map(|domain| domain.cognito_domain().to_string()),
        }
    }
}

/// Reads the live state of a target.
pub async fn read(aws: &Aws, target: &Target) -> Result<Live> {
    let (pool, identity) = match target {
        Target::Managed { pool_name, identity_pool_name, .. } => {
            match identity_pool_name {
                Some(name) => tokio::try_join!(find_managed_pool(aws, pool_name), find_identity_pool(aws, name))?,
                // Only a pool that exists can have left an identity pool behind.
                None => match find_managed_pool(aws, pool_name).await? {
                    Some(pool) => (Some(pool), find_identity_pool_of(aws, pool_name).await?),
                    None => (None, None),
                },
            }
        }
        Target::ById(id) => {
            let (pool, identity) =
                tokio::try_join!(describe_pool(aws, id), find_identity_pool_using(aws, aws.region(), id))?;
            (Some(pool), identity)
        }
    };
    let region = aws.region().to_string();
    let wanted_domain = match target {
        Target::Managed { domain, .. } => domain.as_deref(),
        Target::ById(_) => None,
    };
    let user_pool = match pool {
        Some(pool) => Some(read_pool(aws, pool, wanted_domain).await?),
        None => None,
    };
    let identity_pool = identity.map(|raw| {
        let client_names: BTreeMap<String, String> = user_pool
            .as_ref()
            .map(|pool| pool.client_ids.iter().map(|(name, id)| (id.clone(), name.clone())).collect())
            .unwrap_or_default();
        let pool_id = user_pool.as_ref().map(|pool| pool.id.as_str());
        LiveIdentityPool { id: raw.id.clone(), state: identity_pool_state(&raw, &region, pool_id, &client_names) }
    });
    Ok(Live { region, endpoint_url: aws.endpoint_url().map(str::to_string), user_pool, identity_pool })
}

/// Runs one future per item concurrently; results in the items' order.
async fn each<T, F, Fut>(items: Vec<String>, f: F) -> Result<Vec<T>>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<T>> + Send + 'static,
    T: Send + 'static,
{
    let mut set = JoinSet::new();
    for (index, item) in items.into_iter().enumerate() {
        let future = f(item);
        set.spawn(async move { (index, future.await) });
    }
    let mut results = Vec::with_capacity(set.len());
    while let Some(joined) = set.join_next().await {
        let (index, result) = joined.map_err(|error| Error::Unexpected {
            resource: "live state".into(),
            operation: "read",
            message: format!("a read task failed: {error}"),
        })?;
        results.push((index, result?));
    }
    results.sort_by_key(|(index, _)| *index);
    Ok(results.into_iter().map(|(_, value)| value).collect())
}

async fn describe_pool(aws: &Aws, id: &str) -> Result<idp::UserPoolType> {
    let resource = format!("pool {id}");
    let output = aws.idp.describe_user_pool().user_pool_id(id).send().await.map_err(|error| {
        let error = Error::aws(&resource, "DescribeUserPool")(error);
        if error.aws_code() == Some("ResourceNotFoundException") { Error::PoolNotFound(id.to_string()) } else { error }
    })?;
    output.user_pool.ok_or_else(|| Error::Unexpected {
        resource,
        operation: "DescribeUserPool",
        message: "no pool in the answer".into(),
    })
}

/// The managed pool of this name: `None` when there is none; an error when only an unmanaged
/// one exists (we never touch it) or several managed ones do.
async fn find_managed_pool(aws: &Aws, name: &str) -> Result<Option<idp::UserPoolType>> {
    let resource = format!("pool {name}");
    let mut ids = Vec::new();
    let mut token = None;
    loop {
        let page = aws
            .idp
            .list_user_pools()
            .max_results(60)
            .set_next_token(token)
            .send()
            .await
            .map_err(Error::aws(&resource, "ListUserPools"))?;
        ids.extend(
            page.user_pools()
                .iter()
                .filter(|pool| pool.name() == Some(name))
                .filter_map(|pool| pool.id().map(str::to_string)),
        );
        token = page.next_token.filter(|t| !t.is_empty());
        if token.is_none() {
            break;
        }
    }
    let client = aws.clone();
    let pools = each(ids, move |id| {
        let aws = client.clone();
        async move { describe_pool(&aws, &id).await }
    })
    .await?;
    let (managed, unmanaged): (Vec<_>, Vec<_>) =
        pools.into_iter().partition(|pool| normalize::is_managed(pool.user_pool_tags()));
    match (managed.len(), unmanaged.first()) {
        (0, Some(pool)) => Err(Error::UnmanagedPool {
            kind: "user pool",
            name: name.to_string(),
            id: pool.id().unwrap_or_default().to_string(),
            tag: normalize::MANAGED_BY_TAG,
        }),
        (0, None) => Ok(None),
        (1, _) => Ok(managed.into_iter().next()),
        _ => Err(Error::Ambiguous {
            kind: "user pool",
            name: name.to_string(),
            ids: managed.iter().filter_map(|pool| pool.id().map(str::to_string)).collect(),
        }),
    }
}

/// The identity pool as read, before its clients are named.
struct RawIdentityPool {
    id: String,
    pool: cid::operation::describe_identity_pool::DescribeIdentityPoolOutput,
    roles: cid::operation::get_identity_pool_roles::GetIdentityPoolRolesOutput,
}

async fn list_identity_pools(aws: &Aws, resource: &str, keep: impl Fn(&str) -> bool) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    let mut token = None;
    loop {
        let page = aws
            .identity
            .list_identity_pools()
            .max_results(60)
            .set_next_token(token)
            .send()
            .await
            .map_err(Error::aws(resource, "ListIdentityPools"))?;
        ids.extend(
            page.identity_pools()
                .iter()
                .filter(|pool| keep(pool.identity_pool_name().unwrap_or_default()))
                .filter_map(|pool| pool.identity_pool_id().map(str::to_string)),
        );
        token = page.next_token.filter(|t| !t.is_empty());
        if token.is_none() {
            return Ok(ids);
        }
    }
}

async fn describe_identity_pools(
    aws: &Aws,
    ids: Vec<String>,
) -> Result<Vec<cid::operation::describe_identity_pool::DescribeIdentityPoolOutput>> {
    let client = aws.clone();
    each(ids, move |id| {
        let aws = client.clone();
        async move {
            aws.identity
                .describe_identity_pool()
                .identity_pool_id(&id)
                .send()
                .await
                .map_err(Error::aws(format!("identity pool {id}"), "DescribeIdentityPool"))
        }
    })
    .await
}

async fn with_roles(
    aws: &Aws,
    pool: cid::operation::describe_identity_pool::DescribeIdentityPoolOutput,
) -> Result<RawIdentityPool> {
    let id = pool.identity_pool_id().to_string();
    let roles = aws
        .identity
        .get_identity_pool_roles()
        .identity_pool_id(&id)
        .send()
        .await
        .map_err(Error::aws(format!("identity pool {}", pool.identity_pool_name()), "GetIdentityPoolRoles"))?;
    Ok(RawIdentityPool { id, pool, roles })
}

/// The managed identity pool of this name, with the same rules as for user pools.
async fn find_identity_pool(aws: &Aws, name: &str) -> Result<Option<RawIdentityPool>> {
    let ids = list_identity_pools(aws, &format!("identity pool {name}"), |candidate| candidate == name).await?;
    let described = describe_identity_pools(aws, ids).await?;
    let (managed, unmanaged): (Vec<_>, Vec<_>) =
        described.into_iter().partition(|pool| normalize::is_managed(pool.identity_pool_tags()));
    match (at_most_one(managed, "identity pool", name)?, unmanaged.first()) {
        (Some(pool), _) => Ok(Some(with_roles(aws, pool).await?)),
        (None, Some(pool)) => Err(Error::UnmanagedPool {
            kind: "identity pool",
            name: name.to_string(),
            id: pool.identity_pool_id().to_string(),
            tag: normalize::MANAGED_BY_TAG,
        }),
        (None, None) => Ok(None),
    }
}

/// The identity pool this tool made for the user pool `pool_name` (tagged with its name), when
/// the spec has none: so removing `[identity_pool]` from a spec shows up as a deletion instead
/// of leaving the pool behind unseen. Tags are not in `ListIdentityPools`, so this describes the
/// account's identity pools (concurrently): one list call plus one read per identity pool of the
/// account, paid only by specs without an identity pool whose user pool exists.
async fn find_identity_pool_of(aws: &Aws, pool_name: &str) -> Result<Option<RawIdentityPool>> {
    let ids = list_identity_pools(aws, &format!("pool {pool_name}"), |_| true).await?;
    let ours: Vec<_> = describe_identity_pools(aws, ids)
        .await?
        .into_iter()
        .filter(|pool| {
            let tags = pool.identity_pool_tags();
            normalize::is_managed(tags)
                && tags.and_then(|tags| tags.get(crate::requests::USER_POOL_TAG)).is_some_and(|name| name == pool_name)
        })
        .collect();
    match at_most_one(ours, "identity pool of user pool", pool_name)? {
        Some(pool) => Ok(Some(with_roles(aws, pool).await?)),
        None => Ok(None),
    }
}

/// The one managed identity pool among `pools`, if any; several are ambiguous.
fn at_most_one(
    pools: Vec<cid::operation::describe_identity_pool::DescribeIdentityPoolOutput>,
    kind: &'static str,
    name: &str,
) -> Result<Option<cid::operation::describe_identity_pool::DescribeIdentityPoolOutput>> {
    if pools.len() > 1 {
        return Err(Error::Ambiguous {
            kind,
            name: name.to_string(),
            ids: pools.iter().map(|pool| pool.identity_pool_id().to_string()).collect(),
        });
    }
    Ok(pools.into_iter().next())
}

/// The identity pool (if any) that accepts tokens of this user pool, managed or not (import). It
/// describes every identity pool of the account: fine for a one-off import, never done by a diff.
async fn find_identity_pool_using(aws: &Aws, region: &str, pool_id: &str) -> Result<Option<RawIdentityPool>> {
    let provider = user_pool_provider_name(region, pool_id);
    let ids = list_identity_pools(aws, &format!("pool {pool_id}"), |_| true).await?;
    let described = describe_identity_pools(aws, ids).await?;
    let found = described
        .into_iter()
        .find(|pool| pool.cognito_identity_providers().iter().any(|p| p.provider_name() == Some(provider.as_str())));
    match found {
        Some(pool) => Ok(Some(with_roles(aws, pool).await?)),
        None => Ok(None),
    }
}

async fn read_pool(aws: &Aws, pool: idp::UserPoolType, wanted_domain: Option<&str>) -> Result<LiveUserPool> {
    let id = pool.id().unwrap_or_default().to_string();
    let name = pool.name().unwrap_or_default().to_string();
    let resource = format!("pool {name}");
    let mfa = async {
        aws.idp
            .get_user_pool_mfa_config()
            .user_pool_id(&id)
            .send()
            .await
            .map_err(Error::aws(&resource, "GetUserPoolMfaConfig"))
    };
    let domain = async {
        let reported = pool.custom_domain().filter(|d| !d.is_empty()).or(pool.domain().filter(|d| !d.is_empty()));
        // `DescribeUserPool` names the pool's domain; when it names none, the spec's domain is
        // looked up by name (it may still belong to this pool), which costs one read.
        let Some(name) = reported.or(wanted_domain) else { return Ok(None) };
        if pool.custom_domain().is_none() && reported.is_some() {
            return Ok(Some(DomainState::Prefix(name.to_string())));
        }
        let output = aws
            .idp
            .describe_user_pool_domain()
            .domain(name)
            .send()
            .await
            .map_err(Error::aws(format!("domain {name}"), "DescribeUserPoolDomain"))?;
        Ok(output.domain_description().filter(|d| d.user_pool_id() == pool.id() && d.domain().is_some()).map(
            |d| match d.custom_domain_config() {
                Some(config) => DomainState::Custom {
                    domain: name.to_string(),
                    certificate_arn: config.certificate_arn().to_string(),
                },
                None => DomainState::Prefix(name.to_string()),
            },
        ))
    };
    let (mfa, clients, groups, servers, providers, domain) = tokio::try_join!(
        mfa,
        read_clients(aws, &id, &name),
        read_groups(aws, &id, &name),
        read_resource_servers(aws, &id, &name),
        read_providers(aws, &id, &name),
        domain
    )?;
    // The SMS MFA message is one setting with two names: `SmsAuthenticationMessage` of the pool
    // and of `SmsMfaConfiguration`. Read it from the pool when the MFA answer leaves it out.
    let sms = mfa.sms_mfa_configuration.clone().map(|sms| {
        match (sms.sms_authentication_message(), pool.sms_authentication_message()) {
            (None, Some(message)) => idp::SmsMfaConfigType::builder()
                .sms_authentication_message(message)
                .set_sms_configuration(sms.sms_configuration().cloned())
                .build(),
            _ => sms,
        }
    });
    let mfa_read = MfaRead {
        configuration: mfa.mfa_configuration.clone(),
        sms,
        totp: mfa.software_token_mfa_configuration.clone(),
        email: mfa.email_mfa_configuration.clone(),
    };
    let password = pool.policies().and_then(|p| p.password_policy());
    let preserved = PreservedPool {
        mfa_configuration: mfa.mfa_configuration.clone().or_else(|| pool.mfa_configuration().cloned()),
        user_attribute_update_settings: pool.user_attribute_update_settings().cloned(),
        user_pool_add_ons: pool.user_pool_add_ons().cloned(),
        user_pool_tier: pool.user_pool_tier().cloned(),
        sign_in_policy: pool.policies().and_then(|p| p.sign_in_policy()).cloned(),
        password_history_size: password.and_then(|p| p.password_history_size()),
        web_authn: mfa.web_authn_configuration.clone(),
        key_configuration: pool.key_configuration().cloned(),
        issuer_configuration: pool.issuer_configuration().cloned(),
        acr_configuration: pool.acr_configuration().cloned(),
    };
    let state = AuthState {
        pool: normalize::pool_state(&pool, &mfa_read, aws.region()),
        groups: groups.iter().filter_map(|g| Some((g.group_name()?.to_string(), normalize::group_state(g)))).collect(),
        resource_servers: servers
            .iter()
            .filter_map(|s| Some((s.identifier()?.to_string(), normalize::resource_server_state(s))))
            .collect(),
        identity_providers: providers
            .iter()
            .filter_map(|p| Some((p.provider_name()?.to_string(), normalize::identity_provider_state(p)?)))
            .collect(),
        clients: BTreeMap::new(),
        domain,
        identity_pool: None,
    };
    let foreign_providers = providers
        .iter()
        .filter(|p| normalize::identity_provider_state(p).is_none())
        .filter_map(|p| p.provider_name().map(str::to_string))
        .collect();
    let saml_metadata = providers
        .iter()
        .filter(|p| p.provider_type().map(|t| t.as_str()) == Some("SAML"))
        .filter_map(|p| Some((p.provider_name()?.to_string(), p.provider_details()?.get("MetadataFile")?.clone())))
        .collect();
    let mut live = LiveUserPool {
        arn: pool.arn().unwrap_or_default().to_string(),
        estimated_users: u64::try_from(pool.estimated_number_of_users()).unwrap_or(0),
        id,
        state,
        client_ids: BTreeMap::new(),
        duplicate_clients: Vec::new(),
        foreign_providers,
        saml_metadata,
        preserved,
        preserved_clients: BTreeMap::new(),
    };
    // Clients in id order, so which of two same-named clients is kept does not depend on timing.
    let mut clients = clients;
    clients.sort_by(|a, b| a.client_id().cmp(&b.client_id()));
    for client in clients {
        let (Some(name), Some(client_id)) = (client.client_name(), client.client_id()) else { continue };
        if live.client_ids.contains_key(name) {
            live.duplicate_clients.push((name.to_string(), client_id.to_string()));
            continue;
        }
        live.client_ids.insert(name.to_string(), client_id.to_string());
        live.state.clients.insert(name.to_string(), normalize::client_state(&client));
        live.preserved_clients.insert(
            name.to_string(),
            PreservedClient {
                analytics_configuration: client.analytics_configuration().cloned(),
                enable_propagate_additional_user_context_data: client.enable_propagate_additional_user_context_data(),
                refresh_token_rotation: client.refresh_token_rotation().cloned(),
            },
        );
    }
    Ok(live)
}

async fn read_clients(aws: &Aws, pool_id: &str, pool_name: &str) -> Result<Vec<idp::UserPoolClientType>> {
    let resource = format!("pool {pool_name}");
    let mut ids = Vec::new();
    let mut token = None;
    loop {
        let page = aws
            .idp
            .list_user_pool_clients()
            .user_pool_id(pool_id)
            .max_results(60)
            .set_next_token(token)
            .send()
            .await
            .map_err(Error::aws(&resource, "ListUserPoolClients"))?;
        ids.extend(page.user_pool_clients().iter().filter_map(|c| c.client_id().map(str::to_string)));
        token = page.next_token.filter(|t| !t.is_empty());
        if token.is_none() {
            break;
        }
    }
    let aws = aws.clone();
    let pool_id = pool_id.to_string();
    each(ids, move |client_id| {
        let aws = aws.clone();
        let pool_id = pool_id.clone();
        async move {
            let output = aws
                .idp
                .describe_user_pool_client()
                .user_pool_id(&pool_id)
                .client_id(&client_id)
                .send()
                .await
                .map_err(Error::aws(format!("client {client_id}"), "DescribeUserPoolClient"))?;
            output.user_pool_client.ok_or_else(|| Error::Unexpected {
                resource: format!("client {client_id}"),
                operation: "DescribeUserPoolClient",
                message: "no client in the answer".into(),
            })
        }
    })
    .await
}

async fn read_groups(aws: &Aws, pool_id: &str, pool_name: &str) -> Result<Vec<idp::GroupType>> {
    let mut groups = Vec::new();
    let mut token = None;
    loop {
        let page = aws
            .idp
            .list_groups()
            .user_pool_id(pool_id)
            .limit(60)
            .set_next_token(token)
            .send()
            .await
            .map_err(Error::aws(format!("pool {pool_name}"), "ListGroups"))?;
        groups.extend(page.groups.unwrap_or_default());
        token = page.next_token.filter(|t| !t.is_empty());
        if token.is_none() {
            return Ok(groups);
        }
    }
}

async fn read_resource_servers(aws: &Aws, pool_id: &str, pool_name: &str) -> Result<Vec<idp::ResourceServerType>> {
    let mut servers = Vec::new();
    let mut token = None;
    loop {
        let page = aws
            .idp
            .list_resource_servers()
            .user_pool_id(pool_id)
            .max_results(50)
            .set_next_token(token)
            .send()
            .await
            .map_err(Error::aws(format!("pool {pool_name}"), "ListResourceServers"))?;
        servers.extend(page.resource_servers);
        token = page.next_token.filter(|t| !t.is_empty());
        if token.is_none() {
            return Ok(servers);
        }
    }
}

async fn read_providers(aws: &Aws, pool_id: &str, pool_name: &str) -> Result<Vec<idp::IdentityProviderType>> {
    let mut names = Vec::new();
    let mut token = None;
    loop {
        let page = aws
            .idp
            .list_identity_providers()
            .user_pool_id(pool_id)
            .max_results(60)
            .set_next_token(token)
            .send()
            .await
            .map_err(Error::aws(format!("pool {pool_name}"), "ListIdentityProviders"))?;
        names.extend(page.providers.iter().filter_map(|p| p.provider_name().map(str::to_string)));
        token = page.next_token.filter(|t| !t.is_empty());
        if token.is_none() {
            break;
        }
    }
    let aws = aws.clone();
    let pool_id = pool_id.to_string();
    each(names, move |name| {
        let aws = aws.clone();
        let pool_id = pool_id.clone();
        async move {
            let output = aws
                .idp
                .describe_identity_provider()
                .user_pool_id(&pool_id)
                .provider_name(&name)
                .send()
                .await
                .map_err(Error::aws(format!("identity provider {name}"), "DescribeIdentityProvider"))?;
            output.identity_provider.ok_or_else(|| Error::Unexpected {
                resource: format!("identity provider {name}"),
                operation: "DescribeIdentityProvider",
                message: "no provider in the answer".into(),
            })
        }
    })
    .await
}

/// An identity pool in normal form: registered clients by name (a client of another pool, or one
/// that no longer exists, as `<provider>:<client id>` so it shows as a difference), and the roles
/// deploy created as `None`. A role that is not set is the empty string.
fn identity_pool_state(
    raw: &RawIdentityPool,
    region: &str,
    user_pool_id: Option<&str>,
    client_names: &BTreeMap<String, String>,
) -> IdentityPoolState {
    let pool = &raw.pool;
    let name = pool.identity_pool_name().to_string();
    let ours = user_pool_id.map(|id| user_pool_provider_name(region, id));
    let clients = pool
        .cognito_identity_providers()
        .iter()
        .map(|provider| {
            let provider_name = provider.provider_name().unwrap_or_default();
            let client_id = provider.client_id().unwrap_or_default();
            match client_names.get(client_id) {
                Some(client) if Some(provider_name) == ours.as_deref() => client.clone(),
                _ => format!("{provider_name}:{client_id}"),
            }
        })
        .collect();
    let roles = raw.roles.roles();
    let role = |key: &str, authenticated: bool| {
        let arn = roles.and_then(|roles| roles.get(key)).cloned().unwrap_or_default();
        if is_managed_role(&arn, &name, authenticated) { None } else { Some(arn) }
    };
    let roles_from_token = raw.roles.role_mappings().is_some_and(|mappings| {
        mappings.values().any(|mapping| mapping.r#type() == &cid::types::RoleMappingType::Token)
    });
    IdentityPoolState {
        allow_unauthenticated: pool.allow_unauthenticated_identities(),
        allow_classic_flow: pool.allow_classic_flow().unwrap_or(false),
        clients,
        roles_from_token,
        supported_login_providers: pool
            .supported_login_providers()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default(),
        oidc_provider_arns: pool.open_id_connect_provider_arns().iter().cloned().collect(),
        saml_provider_arns: pool.saml_provider_arns().iter().cloned().collect(),
        developer_provider_name: pool.developer_provider_name().filter(|n| !n.is_empty()).map(str::to_string),
        authenticated_role_arn: role("authenticated", true),
        unauthenticated_role_arn: if pool.allow_unauthenticated_identities() {
            role("unauthenticated", false)
        } else {
            None
        },
        name,
    }
}
