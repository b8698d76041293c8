//! `plan(desired, live) -> Plan`: what deploying a spec would change, decided without I/O.
//!
//! A plan has two faces. For people: one [`ResourcePlan`] per resource (create, update, replace,
//! delete or unchanged), each with its field-level [`FieldChange`]s, old and new values (secrets
//! redacted) and a [`ChangeClass`]: in place, add-only, or destructive with the reason. For
//! [`crate::apply`]: the ordered [`Step`]s that make it so, each carrying the complete desired
//! configuration of its resource, so apply only executes and never decides.
//!
//! Field changes come from a generic diff of the two states' serde forms, so a field added to
//! [`auth_spec::state`] is compared (and shown) without anyone remembering to add it here; only
//! its class needs a rule when it is not "in place".

mod render;

use crate::externals::Fingerprints;
use crate::live::{Live, LiveUserPool, PreservedClient, PreservedPool};
use crate::normalize::{managed_detail_keys, strip_default_username_mapping, without_companions};
use auth_spec::model::TokenValidity;
use auth_spec::state::*;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// A resource of a deployment, as the plan names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum Resource {
    /// The user pool, by name.
    Pool(String),
    /// The pool's MFA configuration.
    Mfa,
    /// A group, by name.
    Group(String),
    /// A resource server, by identifier.
    ResourceServer(String),
    /// An identity provider, by provider name.
    IdentityProvider(String),
    /// An app client, by name.
    Client(String),
    /// The hosted UI domain.
    Domain(String),
    /// The identity pool, by name.
    IdentityPool(String),
}

impl Resource {
    /// The name `--allow-destructive` takes: `pool`, `client:web`, `group:admins`,
    /// `provider:Google`, `resource-server:<id>`, `domain`, `identity-pool`, `mfa`.
    pub fn key(&self) -> String {
        match self {
            Resource::Pool(_) => "pool".to_string(),
            Resource::Mfa => "mfa".to_string(),
            Resource::Group(name) => format!("group:{name}"),
            Resource::ResourceServer(id) => format!("resource-server:{id}"),
            Resource::IdentityProvider(name) => format!("provider:{name}"),
            Resource::Client(name) => format!("client:{name}"),
            Resource::Domain(_) => "domain".to_string(),
            Resource::IdentityPool(_) => "identity-pool".to_string(),
        }
    }
}

impl Resource {
    /// The resource's own name (the pool's name for MFA).
    pub fn name<'a>(&'a self, pool_name: &'a str) -> &'a str {
        match self {
            Resource::Mfa => pool_name,
            Resource::Pool(name)
            | Resource::Group(name)
            | Resource::ResourceServer(name)
            | Resource::IdentityProvider(name)
            | Resource::Client(name)
            | Resource::Domain(name)
            | Resource::IdentityPool(name) => name,
        }
    }
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Resource::Pool(name) => write!(f, "pool {name}"),
            Resource::Mfa => write!(f, "mfa"),
            Resource::Group(name) => write!(f, "group {name}"),
            Resource::ResourceServer(id) => write!(f, "resource server {id}"),
            Resource::IdentityProvider(name) => write!(f, "identity provider {name}"),
            Resource::Client(name) => write!(f, "client {name}"),
            Resource::Domain(domain) => write!(f, "domain {domain}"),
            Resource::IdentityPool(name) => write!(f, "identity pool {name}"),
        }
    }
}

/// What happens to a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// It does not exist and will be created.
    Create,
    /// It exists and will be changed in place.
    Update,
    /// It exists and must be deleted and created again (new id, data lost).
    Replace,
    /// It exists, the spec does not have it, and it will be deleted.
    Delete,
    /// Nothing to do.
    Unchanged,
}

/// How risky a change is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "class", rename_all = "snake_case")]
pub enum ChangeClass {
    /// Changed in place; nothing is lost.
    InPlace,
    /// Something is added; nothing existing changes.
    AddOnly,
    /// Replaces the pool or a client, or loses users or data: refused unless allowed.
    Destructive {
        /// Why, in a sentence.
        reason: String,
    },
}

impl ChangeClass {
    fn destructive(reason: impl Into<String>) -> ChangeClass {
        ChangeClass::Destructive { reason: reason.into() }
    }

    /// Whether this change is destructive.
    pub fn is_destructive(&self) -> bool {
        matches!(self, ChangeClass::Destructive { .. })
    }

    fn rank(&self) -> u8 {
        match self {
            ChangeClass::InPlace => 1,
            ChangeClass::AddOnly => 0,
            ChangeClass::Destructive { .. } => 2,
        }
    }
}

/// One field's change. Values are JSON; a secret is shown as a placeholder naming where it comes
/// from, never as its value or fingerprint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// Dotted path in the normalised state (`password_policy.minimum_length`).
    pub field: String,
    /// Live value; `None` when absent.
    pub old: Option<Value>,
    /// Desired value; `None` when removed.
    pub new: Option<Value>,
    /// How risky it is.
    #[serde(flatten)]
    pub class: ChangeClass,
}

/// One resource's part of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourcePlan {
    /// The resource.
    pub resource: Resource,
    /// What happens to it.
    pub action: Action,
    /// The riskiest of its changes.
    #[serde(flatten)]
    pub class: ChangeClass,
    /// Field by field.
    pub changes: Vec<FieldChange>,
}

/// One call (or short idempotent sequence) against Cognito, with everything it needs.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Step {
    /// `CreateUserPool` with its schema (custom attributes included) and tags.
    CreatePool { pool: Box<PoolState> },
    /// `UpdateUserPool` with the complete configuration.
    UpdatePool { pool: Box<PoolState>, preserved: Box<PreservedPool> },
    /// `DeleteUserPool` of a pool being replaced (only with no users and no deletion protection).
    DeletePool { id: String, name: String },
    /// `AddCustomAttributes`.
    AddCustomAttributes { attributes: BTreeMap<String, CustomAttributeState> },
    /// `SetUserPoolMfaConfig`.
    SetMfa { mfa: MfaState, sms: Option<SmsState>, preserved: Box<PreservedPool> },
    /// `CreateGroup`.
    CreateGroup { name: String, group: GroupState },
    /// `UpdateGroup`.
    UpdateGroup { name: String, group: GroupState },
    /// `DeleteGroup`.
    DeleteGroup { name: String },
    /// `CreateResourceServer`.
    CreateResourceServer { identifier: String, server: ResourceServerState },
    /// `UpdateResourceServer`.
    UpdateResourceServer { identifier: String, server: ResourceServerState },
    /// `DeleteResourceServer`.
    DeleteResourceServer { identifier: String },
    /// `CreateIdentityProvider`.
    CreateIdentityProvider { name: String, provider: Box<IdentityProviderState> },
    /// `UpdateIdentityProvider`; `details` tells whether `ProviderDetails` changed (only then are
    /// they sent, so a secret is read only when it is written).
    UpdateIdentityProvider { name: String, provider: Box<IdentityProviderState>, details: bool },
    /// `DeleteIdentityProvider`.
    DeleteIdentityProvider { name: String },
    /// `CreateUserPoolClient` (after checking no client of that name exists).
    CreateClient { name: String, client: Box<ClientState> },
    /// `UpdateUserPoolClient` with the complete configuration.
    UpdateClient { name: String, client: Box<ClientState>, preserved: Box<PreservedClient> },
    /// `DeleteUserPoolClient`; `id` names one client when several share the name.
    DeleteClient { name: String, id: Option<String> },
    /// `CreateUserPoolDomain`.
    CreateDomain { domain: DomainState },
    /// `UpdateUserPoolDomain` (a custom domain's certificate).
    UpdateDomain { domain: DomainState },
    /// `DeleteUserPoolDomain`.
    DeleteDomain { domain: DomainState },
    /// `CreateIdentityPool` (after checking none of that name exists).
    CreateIdentityPool { pool: Box<IdentityPoolState> },
    /// `UpdateIdentityPool` with the complete configuration.
    UpdateIdentityPool { pool: Box<IdentityPoolState> },
    /// Creates the roles the identity pool needs (IAM), then `SetIdentityPoolRoles`.
    SetIdentityPoolRoles { pool: Box<IdentityPoolState> },
    /// `DeleteIdentityPool`.
    DeleteIdentityPool { name: String, id: String },
}

impl Step {
    /// The resource the step acts on.
    pub fn resource(&self, pool_name: &str) -> Resource {
        match self {
            Step::CreatePool { .. } | Step::UpdatePool { .. } | Step::AddCustomAttributes { .. } => {
                Resource::Pool(pool_name.to_string())
            }
            Step::DeletePool { name, .. } => Resource::Pool(name.clone()),
            Step::SetMfa { .. } => Resource::Mfa,
            Step::CreateGroup { name, .. } | Step::UpdateGroup { name, .. } | Step::DeleteGroup { name } => {
                Resource::Group(name.clone())
            }
            Step::CreateResourceServer { identifier, .. }
            | Step::UpdateResourceServer { identifier, .. }
            | Step::DeleteResourceServer { identifier } => Resource::ResourceServer(identifier.clone()),
            Step::CreateIdentityProvider { name, .. }
            | Step::UpdateIdentityProvider { name, .. }
            | Step::DeleteIdentityProvider { name } => Resource::IdentityProvider(name.clone()),
            Step::CreateClient { name, .. } | Step::UpdateClient { name, .. } | Step::DeleteClient { name, .. } => {
                Resource::Client(name.clone())
            }
            Step::CreateDomain { domain } | Step::UpdateDomain { domain } | Step::DeleteDomain { domain } => {
                Resource::Domain(domain.cognito_domain().to_string())
            }
            Step::CreateIdentityPool { pool }
            | Step::UpdateIdentityPool { pool }
            | Step::SetIdentityPoolRoles { pool } => Resource::IdentityPool(pool.name.clone()),
            Step::DeleteIdentityPool { name, .. } => Resource::IdentityPool(name.clone()),
        }
    }

    /// The main Cognito (or IAM) operation of the step.
    pub fn operation(&self) -> &'static str {
        match self {
            Step::CreatePool { .. } => "CreateUserPool",
            Step::UpdatePool { .. } => "UpdateUserPool",
            Step::DeletePool { .. } => "DeleteUserPool",
            Step::AddCustomAttributes { .. } => "AddCustomAttributes",
            Step::SetMfa { .. } => "SetUserPoolMfaConfig",
            Step::CreateGroup { .. } => "CreateGroup",
            Step::UpdateGroup { .. } => "UpdateGroup",
            Step::DeleteGroup { .. } => "DeleteGroup",
            Step::CreateResourceServer { .. } => "CreateResourceServer",
            Step::UpdateResourceServer { .. } => "UpdateResourceServer",
            Step::DeleteResourceServer { .. } => "DeleteResourceServer",
            Step::CreateIdentityProvider { .. } => "CreateIdentityProvider",
            Step::UpdateIdentityProvider { .. } => "UpdateIdentityProvider",
            Step::DeleteIdentityProvider { .. } => "DeleteIdentityProvider",
            Step::CreateClient { .. } => "CreateUserPoolClient",
            Step::UpdateClient { .. } => "UpdateUserPoolClient",
            Step::DeleteClient { .. } => "DeleteUserPoolClient",
            Step::CreateDomain { .. } => "CreateUserPoolDomain",
            Step::UpdateDomain { .. } => "UpdateUserPoolDomain",
            Step::DeleteDomain { .. } => "DeleteUserPoolDomain",
            Step::CreateIdentityPool { .. } => "CreateIdentityPool",
            Step::UpdateIdentityPool { .. } => "UpdateIdentityPool",
            Step::SetIdentityPoolRoles { .. } => "SetIdentityPoolRoles",
            Step::DeleteIdentityPool { .. } => "DeleteIdentityPool",
        }
    }
}

/// Facts about a pool being replaced, which decide whether `deploy` may do it at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PoolReplacement {
    /// The pool id.
    pub id: String,
    /// Cognito's estimate of its users.
    pub users: u64,
    /// Whether deletion protection is on.
    pub deletion_protection: bool,
}

/// What deploying would do.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The user pool's name.
    pub pool_name: String,
    /// The region.
    pub region: String,
    /// Every resource of the spec and of the live pool, in dependency order.
    pub resources: Vec<ResourcePlan>,
    /// The calls, in the order apply makes them.
    pub steps: Vec<Step>,
    /// Things the plan could not check (an unset secret variable...).
    pub warnings: Vec<String>,
    /// Set when the pool itself must be replaced.
    pub pool_replacement: Option<PoolReplacement>,
}

impl Plan {
    /// Whether deploying would change anything.
    pub fn has_changes(&self) -> bool {
        !self.steps.is_empty()
    }

    /// The resources with destructive changes, as `--allow-destructive` names them.
    pub fn destructive(&self) -> Vec<String> {
        let keys: BTreeSet<String> =
            self.resources.iter().filter(|r| r.class.is_destructive()).map(|r| r.resource.key()).collect();
        keys.into_iter().collect()
    }

    /// How many resources each action touches.
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for resource in &self.resources {
            let key = match resource.action {
                Action::Create => "create",
                Action::Update => "update",
                Action::Replace => "replace",
                Action::Delete => "delete",
                Action::Unchanged => "unchanged",
            };
            *counts.entry(key).or_default() += 1;
        }
        counts
    }

    /// The plan as text for a reviewer (see [`render`]).
    pub fn display(&self) -> impl fmt::Display + '_ {
        render::Text(self)
    }

    /// The plan as JSON (`diff --json`).
    pub fn to_json(&self) -> Value {
        render::json(self)
    }
}

/// Computes the plan that takes `live` to `desired`. Pure: no I/O, no clock, no randomness.
///
/// `fingerprints` are those of the secrets and files the desired state references (see
/// [`crate::Externals::fingerprints`]); a reference without one is assumed unchanged, with a
/// warning.
pub fn plan(desired: &AuthState, live: &Live, fingerprints: &Fingerprints) -> Plan {
    let comparable = comparable_desired(desired, &live.region);
    let mut builder = Builder {
        desired: &comparable,
        live,
        fingerprints,
        resources: Vec::new(),
        steps: Vec::new(),
        late_steps: Vec::new(),
        warnings: Vec::new(),
        new_client_ids: BTreeSet::new(),
        pool_replacement: None,
    };
    let base = builder.pool();
    builder.mfa(base);
    builder.groups(base);
    builder.resource_servers(base);
    builder.identity_providers(base);
    builder.clients(base);
    builder.domain(base);
    builder.identity_pool();
    let Builder { resources, mut steps, late_steps, warnings, pool_replacement, .. } = builder;
    // Deletions run last, in reverse dependency order: nothing still refers to what they delete.
    steps.extend(late_steps.into_iter().rev());
    Plan {
        pool_name: desired.pool.name.clone(),
        region: live.region.clone(),
        resources,
        steps,
        warnings,
        pool_replacement,
    }
}

struct Builder<'a> {
    desired: &'a AuthState,
    live: &'a Live,
    fingerprints: &'a Fingerprints,
    resources: Vec<ResourcePlan>,
    steps: Vec<Step>,
    /// Deletions that must wait until nothing refers to what they delete.
    late_steps: Vec<Step>,
    warnings: Vec<String>,
    /// Clients that get a new id in this plan (created or replaced).
    new_client_ids: BTreeSet<String>,
    pool_replacement: Option<PoolReplacement>,
}

const POOL_FIXED: &str = "fixed when the pool is created: only a new pool (which loses every user) changes it";

impl<'a> Builder<'a> {
    fn push(&mut self, resource: Resource, action: Action, changes: Vec<FieldChange>, whole: Option<ChangeClass>) {
        let class = whole.unwrap_or_else(|| {
            changes.iter().map(|c| c.class.clone()).max_by_key(ChangeClass::rank).unwrap_or(ChangeClass::InPlace)
        });
        self.resources.push(ResourcePlan { resource, action, class, changes });
    }

    /// The pool. Returns what its children are compared with: the live pool, or nothing when the
    /// pool is created or replaced.
    fn pool(&mut self) -> Option<&'a LiveUserPool> {
        let desired = &self.desired.pool;
        let resource = Resource::Pool(desired.name.clone());
        let Some(live) = self.live.user_pool.as_ref() else {
            let mut changes = field_changes("", None, Some(&pool_json(desired, true)), &|_, _, _| ChangeClass::AddOnly);
            changes.extend(custom_attribute_changes(&BTreeMap::new(), &desired.custom_attributes));
            self.push(resource, Action::Create, changes, Some(ChangeClass::AddOnly));
            self.create_pool_steps();
            return None;
        };
        let mut changes = field_changes(
            "",
            Some(&pool_json(&live.state.pool, false)),
            Some(&pool_json(desired, false)),
            &classify_pool,
        );
        let custom = custom_attribute_changes(&live.state.pool.custom_attributes, &desired.custom_attributes);
        let settings_changed = !changes.is_empty();
        changes.extend(custom);
        if changes.iter().any(|c| c.class.is_destructive()) {
            self.pool_replacement = Some(PoolReplacement {
                id: live.id.clone(),
                users: live.estimated_users,
                deletion_protection: live.state.pool.deletion_protection,
            });
            self.push(resource, Action::Replace, changes, None);
            if let Some(domain) = &live.state.domain {
                self.steps.push(Step::DeleteDomain { domain: domain.clone() });
            }
            self.steps.push(Step::DeletePool { id: live.id.clone(), name: desired.name.clone() });
            self.create_pool_steps();
            return None;
        }
        if changes.is_empty() {
            self.push(resource, Action::Unchanged, changes, None);
            return Some(live);
        }
        self.push(resource, Action::Update, changes, None);
        if settings_changed {
            self.steps.push(Step::UpdatePool {
                pool: Box::new(desired.clone()),
                preserved: Box::new(live.preserved.clone()),
            });
        }
        let added: BTreeMap<String, CustomAttributeState> = desired
            .custom_attributes
            .iter()
            .filter(|(name, _)| !live.state.pool.custom_attributes.contains_key(*name))
            .map(|(name, attribute)| (name.clone(), attribute.clone()))
            .collect();
        if !added.is_empty() {
            self.steps.push(Step::AddCustomAttributes { attributes: added });
        }
        Some(live)
    }

    /// A new pool: `CreateUserPool`, then its custom attributes.
    fn create_pool_steps(&mut self) {
        let pool = &self.desired.pool;
        self.steps.push(Step::CreatePool { pool: Box::new(pool.clone()) });
        if !pool.custom_attributes.is_empty() {
            self.steps.push(Step::AddCustomAttributes { attributes: pool.custom_attributes.clone() });
        }
    }

    fn mfa(&mut self, base: Option<&'a LiveUserPool>) {
        let desired = &self.desired.pool;
        let off = MfaState { configuration: MfaConfiguration::Off, sms_message: None, totp: false, email: None };
        let mut changes = match base {
            Some(live) => {
                field_changes("", Some(&to_json(&live.state.pool.mfa)), Some(&to_json(&desired.mfa)), &|_, _, _| {
                    ChangeClass::InPlace
                })
            }
            // A new pool starts with MFA off; anything else is set by this step.
            None if desired.mfa == off => Vec::new(),
            None => field_changes("", None, Some(&to_json(&desired.mfa)), &|_, _, _| ChangeClass::AddOnly),
        };
        // SMS MFA carries the pool's SMS configuration: a changed one must be set here too.
        if desired.mfa.sms() && base.is_some_and(|live| live.state.pool.sms != desired.sms) {
            changes.push(FieldChange {
                field: "sms_configuration".into(),
                old: base.and_then(|live| live.state.pool.sms.as_ref()).map(to_json),
                new: desired.sms.as_ref().map(to_json),
                class: ChangeClass::InPlace,
            });
        }
        if changes.is_empty() {
            if base.is_some() {
                self.push(Resource::Mfa, Action::Unchanged, changes, None);
            }
            return;
        }
        if base.is_some() {
            self.push(Resource::Mfa, Action::Update, changes, None);
        } else {
            self.push(Resource::Mfa, Action::Create, changes, Some(ChangeClass::AddOnly));
        }
        let preserved = base.map(|live| live.preserved.clone()).unwrap_or_default();
        self.steps.push(Step::SetMfa {
            mfa: desired.mfa.clone(),
            sms: desired.sms.clone(),
            preserved: Box::new(preserved),
        });
    }

    fn groups(&mut self, base: Option<&'a LiveUserPool>) {
        let empty = BTreeMap::new();
        let live = base.map(|live| &live.state.groups).unwrap_or(&empty);
        for name in union(live, &self.desired.groups) {
            let resource = Resource::Group(name.clone());
            match (live.get(&name), self.desired.groups.get(&name)) {
                (None, Some(group)) => {
                    self.created(resource, group);
                    self.steps.push(Step::CreateGroup { name, group: group.clone() });
                }
                (Some(old), Some(group)) => {
                    // UpdateGroup changes the settings it is given and keeps the others, so a
                    // setting removed from the spec can only go by making the group again.
                    let cleared = [
                        ("precedence", old.precedence.is_some() && group.precedence.is_none()),
                        ("description", old.description.is_some() && group.description.is_none()),
                        ("role_arn", old.role_arn.is_some() && group.role_arn.is_none()),
                    ];
                    let cleared: Vec<&str> =
                        cleared.iter().filter(|(_, gone)| *gone).map(|(field, _)| *field).collect();
                    if cleared.is_empty() {
                        if self.updated(resource, old, group, &|_, _, _| ChangeClass::InPlace) {
                            self.steps.push(Step::UpdateGroup { name, group: group.clone() });
                        }
                        continue;
                    }
                    let class = ChangeClass::destructive(format!(
                        "Cognito cannot remove a group's {} in place: the group is deleted and created again, and its members lose it",
                        cleared.join(" and ")
                    ));
                    let changes =
                        field_changes("", Some(&to_json(old)), Some(&to_json(group)), &|_, _, _| class.clone());
                    self.push(resource, Action::Replace, changes, Some(class));
                    self.steps.push(Step::DeleteGroup { name: name.clone() });
                    self.steps.push(Step::CreateGroup { name, group: group.clone() });
                }
                (Some(old), None) => {
                    self.deleted(resource, old, "its members lose the group (and the role it gives them)");
                    self.late_steps.push(Step::DeleteGroup { name });
                }
                (None, None) => {}
            }
        }
    }

    fn resource_servers(&mut self, base: Option<&'a LiveUserPool>) {
        let empty = BTreeMap::new();
        let live = base.map(|live| &live.state.resource_servers).unwrap_or(&empty);
        for identifier in union(live, &self.desired.resource_servers) {
            let resource = Resource::ResourceServer(identifier.clone());
            match (live.get(&identifier), self.desired.resource_servers.get(&identifier)) {
                (None, Some(server)) => {
                    self.created(resource, server);
                    self.steps.push(Step::CreateResourceServer { identifier, server: server.clone() });
                }
                (Some(old), Some(server)) => {
                    if self.updated(resource, old, server, &|_, _, _| ChangeClass::InPlace) {
                        self.steps.push(Step::UpdateResourceServer { identifier, server: server.clone() });
                    }
                }
                (Some(old), None) => {
                    self.deleted(resource, old, "clients lose its scopes, and tokens stop carrying them");
                    self.late_steps.push(Step::DeleteResourceServer { identifier });
                }
                (None, None) => {}
            }
        }
    }

    fn identity_providers(&mut self, base: Option<&'a LiveUserPool>) {
        let empty = BTreeMap::new();
        let live = base.map(|live| &live.state.identity_providers).unwrap_or(&empty);
        for name in union(live, &self.desired.identity_providers) {
            let resource = Resource::IdentityProvider(name.clone());
            match (live.get(&name), self.desired.identity_providers.get(&name)) {
                (None, Some(provider)) => {
                    let mut changes =
                        field_changes("", None, Some(&provider_json(provider)), &|_, _, _| ChangeClass::AddOnly);
                    redact_provider(&mut changes, provider, None);
                    self.push(resource, Action::Create, changes, Some(ChangeClass::AddOnly));
                    self.steps.push(Step::CreateIdentityProvider { name, provider: Box::new(provider.clone()) });
                }
                (Some(old), Some(provider)) => {
                    let mut old_cmp = old.clone();
                    strip_default_username_mapping(old.provider_type, &mut old_cmp.attribute_mapping);
                    let new_cmp = self.comparable_provider(&name, provider, old);
                    let mut changes = field_changes(
                        "",
                        Some(&provider_json(&old_cmp)),
                        Some(&provider_json(&new_cmp)),
                        &classify_provider,
                    );
                    redact_provider(&mut changes, provider, Some(old));
                    if changes.is_empty() {
                        self.push(resource, Action::Unchanged, changes, None);
                    } else if changes.iter().any(|c| c.class.is_destructive()) {
                        self.push(resource, Action::Replace, changes, None);
                        self.steps.push(Step::DeleteIdentityProvider { name: name.clone() });
                        self.steps.push(Step::CreateIdentityProvider { name, provider: Box::new(provider.clone()) });
                    } else {
                        let details = changes.iter().any(|c| c.field.starts_with("details."));
                        self.push(resource, Action::Update, changes, None);
                        self.steps.push(Step::UpdateIdentityProvider {
                            name,
                            provider: Box::new(provider.clone()),
                            details,
                        });
                    }
                }
                (Some(old), None) => {
                    let mut changes =
                        field_changes("", Some(&provider_json(old)), None, &|_, _, _| ChangeClass::InPlace);
                    redact_provider(&mut changes, old, Some(old));
                    let class = ChangeClass::destructive(
                        "users who sign in through it can no longer sign in (their linked profiles remain)",
                    );
                    for change in &mut changes {
                        change.class = class.clone();
                    }
                    self.push(resource, Action::Delete, changes, Some(class));
                    self.late_steps.push(Step::DeleteIdentityProvider { name });
                }
                (None, None) => {}
            }
        }
    }

    /// The desired provider as it compares with the live one: references replaced by their
    /// fingerprints (or, when unknown, by the live value, with a warning), optional details
    /// Cognito fills in left to Cognito.
    fn comparable_provider(
        &mut self,
        name: &str,
        provider: &IdentityProviderState,
        live: &IdentityProviderState,
    ) -> IdentityProviderState {
        let mut comparable = provider.clone();
        strip_default_username_mapping(provider.provider_type, &mut comparable.attribute_mapping);
        for (key, value) in comparable.details.iter_mut() {
            let source = match &*value {
                DetailValue::Secret(secret) => format!("environment variable `{}` is not set", secret.env),
                DetailValue::File(path) => format!("file `{path}` cannot be read"),
                DetailValue::Plain(_) | DetailValue::SecretFingerprint(_) => continue,
            };
            match self.fingerprints.get(value) {
                Some(fp) => *value = DetailValue::SecretFingerprint(fp.to_string()),
                None => {
                    self.warnings
                        .push(format!("identity provider {name}: `{key}` not compared ({source}); assumed unchanged"));
                    if let Some(live_value) = live.details.get(key) {
                        *value = live_value.clone();
                    }
                }
            }
        }
        {
            // Cognito sets a Graph API version on Facebook providers when the spec gives none.
            if !provider.details.contains_key("api_version")
                && let Some(version) = live.details.get("api_version")
            {
                comparable.details.insert("api_version".into(), version.clone());
            }
        }
        comparable
    }

    fn clients(&mut self, base: Option<&'a LiveUserPool>) {
        let empty = BTreeMap::new();
        let live = base.map(|live| &live.state.clients).unwrap_or(&empty);
        let ids = base.map(|live| &live.client_ids);
        if let Some(base) = base {
            for (name, id) in &base.duplicate_clients {
                let class = ChangeClass::destructive(format!(
                    "another client is also named `{name}`: this one ({id}) is deleted, and apps using its id stop working"
                ));
                let change = FieldChange {
                    field: "client_id".into(),
                    old: Some(Value::String(id.clone())),
                    new: None,
                    class: class.clone(),
                };
                self.push(Resource::Client(name.clone()), Action::Delete, vec![change], Some(class));
                self.steps.push(Step::DeleteClient { name: name.clone(), id: Some(id.clone()) });
            }
        }
        for name in union(live, &self.desired.clients) {
            let resource = Resource::Client(name.clone());
            match (live.get(&name), self.desired.clients.get(&name)) {
                (None, Some(client)) => {
                    self.created(resource, client);
                    self.new_client_ids.insert(name.clone());
                    self.steps.push(Step::CreateClient { name, client: Box::new(client.clone()) });
                }
                (Some(old), Some(client)) => {
                    let changes = field_changes(
                        "",
                        Some(&to_json(old)),
                        Some(&to_json(&comparable_client(client))),
                        &classify_client,
                    );
                    if changes.is_empty() {
                        self.push(resource, Action::Unchanged, changes, None);
                    } else if changes.iter().any(|c| c.class.is_destructive()) {
                        self.push(resource, Action::Replace, changes, None);
                        self.new_client_ids.insert(name.clone());
                        self.steps.push(Step::DeleteClient {
                            name: name.clone(),
                            id: ids.and_then(|ids| ids.get(&name)).cloned(),
                        });
                        self.steps.push(Step::CreateClient { name, client: Box::new(client.clone()) });
                    } else {
                        self.push(resource, Action::Update, changes, None);
                        let preserved =
                            base.and_then(|live| live.preserved_clients.get(&name)).cloned().unwrap_or_default();
                        self.steps.push(Step::UpdateClient {
                            name,
                            client: Box::new(client.clone()),
                            preserved: Box::new(preserved),
                        });
                    }
                }
                (Some(old), None) => {
                    let id = ids.and_then(|ids| ids.get(&name)).cloned();
                    self.deleted(
                        resource,
                        old,
                        &format!("apps using client id {} stop working", id.as_deref().unwrap_or("(unknown)")),
                    );
                    self.steps.push(Step::DeleteClient { name, id });
                }
                (None, None) => {}
            }
        }
    }

    fn domain(&mut self, base: Option<&'a LiveUserPool>) {
        let live = base.and_then(|live| live.state.domain.as_ref());
        let desired = self.desired.domain.as_ref();
        match (live, desired) {
            (None, None) => {}
            (None, Some(domain)) => {
                self.push(
                    Resource::Domain(domain.cognito_domain().to_string()),
                    Action::Create,
                    field_changes("", None, Some(&domain_json(domain)), &|_, _, _| ChangeClass::AddOnly),
                    Some(ChangeClass::AddOnly),
                );
                self.steps.push(Step::CreateDomain { domain: domain.clone() });
            }
            (Some(old), None) => {
                self.deleted(
                    Resource::Domain(old.cognito_domain().to_string()),
                    &domain_json(old),
                    "the hosted UI and OAuth endpoints of the pool go away",
                );
                self.steps.push(Step::DeleteDomain { domain: old.clone() });
            }
            (Some(old), Some(domain)) if old == domain => {
                self.push(Resource::Domain(domain.cognito_domain().to_string()), Action::Unchanged, Vec::new(), None);
            }
            (Some(old), Some(domain)) => {
                let same_name = old.cognito_domain() == domain.cognito_domain()
                    && matches!((old, domain), (DomainState::Custom { .. }, DomainState::Custom { .. }));
                let class = if same_name {
                    ChangeClass::InPlace
                } else {
                    ChangeClass::destructive(
                        "the hosted UI moves to a new address: apps and identity providers that redirect to the old one break",
                    )
                };
                let changes =
                    field_changes("", Some(&domain_json(old)), Some(&domain_json(domain)), &|_, _, _| class.clone());
                let resource = Resource::Domain(domain.cognito_domain().to_string());
                if same_name {
                    self.push(resource, Action::Update, changes, None);
                    self.steps.push(Step::UpdateDomain { domain: domain.clone() });
                } else {
                    self.push(resource, Action::Replace, changes, None);
                    self.steps.push(Step::DeleteDomain { domain: old.clone() });
                    self.steps.push(Step::CreateDomain { domain: domain.clone() });
                }
            }
        }
    }

    fn identity_pool(&mut self) {
        let live = self.live.identity_pool.as_ref();
        match (live, self.desired.identity_pool.as_ref()) {
            (None, None) => {}
            (None, Some(pool)) => {
                self.created(Resource::IdentityPool(pool.name.clone()), pool);
                self.steps.push(Step::CreateIdentityPool { pool: Box::new(pool.clone()) });
                self.steps.push(Step::SetIdentityPoolRoles { pool: Box::new(pool.clone()) });
            }
            (Some(old), None) => {
                self.deleted(
                    Resource::IdentityPool(old.state.name.clone()),
                    &old.state,
                    "its identities (the ids apps and data are keyed by) are lost",
                );
                self.late_steps.push(Step::DeleteIdentityPool { name: old.state.name.clone(), id: old.id.clone() });
            }
            (Some(old), Some(pool)) => {
                let mut changes = field_changes("", Some(&to_json(&old.state)), Some(&to_json(pool)), &|_, _, _| {
                    ChangeClass::InPlace
                });
                // Clients that get a new id must be registered again, though their names are unchanged.
                let renewed: Vec<&String> =
                    pool.clients.iter().filter(|name| self.new_client_ids.contains(*name)).collect();
                if !renewed.is_empty() && !changes.iter().any(|c| c.field == "clients") {
                    changes.push(FieldChange {
                        field: "client_ids".into(),
                        old: Some(Value::String("current ids".into())),
                        new: Some(Value::String(format!(
                            "new ids of {} (known after apply)",
                            renewed.iter().map(|n| n.as_str()).collect::<Vec<_>>().join(", ")
                        ))),
                        class: ChangeClass::InPlace,
                    });
                }
                if changes.is_empty() {
                    self.push(Resource::IdentityPool(pool.name.clone()), Action::Unchanged, changes, None);
                    return;
                }
                // Roles and role mappings (keyed by client id) are set by `SetIdentityPoolRoles`;
                // everything else by `UpdateIdentityPool`.
                const ROLE_FIELDS: &[&str] = &[
                    "authenticated_role_arn",
                    "unauthenticated_role_arn",
                    "allow_unauthenticated",
                    "roles_from_token",
                    "clients",
                    "client_ids",
                ];
                const ROLES_ONLY: &[&str] = &["authenticated_role_arn", "unauthenticated_role_arn", "roles_from_token"];
                let top = |change: &FieldChange| change.field.split('.').next().unwrap_or_default().to_string();
                let roles = changes.iter().any(|c| ROLE_FIELDS.contains(&top(c).as_str()));
                let settings = changes.iter().any(|c| !ROLES_ONLY.contains(&top(c).as_str()));
                self.push(Resource::IdentityPool(pool.name.clone()), Action::Update, changes, None);
                if settings {
                    self.steps.push(Step::UpdateIdentityPool { pool: Box::new(pool.clone()) });
                }
                if roles {
                    self.steps.push(Step::SetIdentityPoolRoles { pool: Box::new(pool.clone()) });
                }
            }
        }
    }

    fn created<T: Serialize>(&mut self, resource: Resource, value: &T) {
        let changes = field_changes("", None, Some(&to_json(value)), &|_, _, _| ChangeClass::AddOnly);
        self.push(resource, Action::Create, changes, Some(ChangeClass::AddOnly));
    }

    /// Pushes an update, or an unchanged resource; returns whether anything changed.
    fn updated<T: Serialize>(&mut self, resource: Resource, old: &T, new: &T, classify: &Classifier<'_>) -> bool {
        let changes = field_changes("", Some(&to_json(old)), Some(&to_json(new)), classify);
        let changed = !changes.is_empty();
        self.push(resource, if changed { Action::Update } else { Action::Unchanged }, changes, None);
        changed
    }

    fn deleted<T: Serialize>(&mut self, resource: Resource, old: &T, reason: &str) {
        let class = ChangeClass::destructive(reason);
        let changes = field_changes("", Some(&to_json(old)), None, &|_, _, _| class.clone());
        self.push(resource, Action::Delete, changes, Some(class));
    }
}

/// The desired state as it compares with a live one: an SMS region equal to the pool's region is
/// no region (Cognito reports its own region when none is set).
fn comparable_desired(desired: &AuthState, region: &str) -> AuthState {
    let mut desired = desired.clone();
    if let Some(sms) = &mut desired.pool.sms
        && sms.sns_region.as_deref() == Some(region)
    {
        sms.sns_region = None;
    }
    desired
}

/// The desired client as it compares with a live one (see [`without_companions`]).
fn comparable_client(client: &ClientState) -> ClientState {
    let mut client = client.clone();
    client.read_attributes = client.read_attributes.as_ref().map(without_companions);
    client.write_attributes = client.write_attributes.as_ref().map(without_companions);
    client
}

fn union<V>(a: &BTreeMap<String, V>, b: &BTreeMap<String, V>) -> Vec<String> {
    a.keys().chain(b.keys()).cloned().collect::<BTreeSet<_>>().into_iter().collect()
}

fn to_json<T: Serialize>(value: &T) -> Value {
    // The state types are plain data with string keys: serializing cannot fail. Should it ever,
    // the value shows as null, which still differs from any real value and so is still planned.
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A provider as compared and shown: detail values flattened to strings (`sha256:` for a
/// fingerprint, `env:` and `file:` for a reference that could not be read), so field paths are
/// `details.client_id` and not the enum's shape.
fn provider_json(provider: &IdentityProviderState) -> Value {
    let mut value = to_json(provider);
    let details: Map<String, Value> = provider
        .details
        .iter()
        .map(|(key, detail)| {
            let text = match detail {
                DetailValue::Plain(text) => text.clone(),
                DetailValue::SecretFingerprint(fp) => format!("sha256:{fp}"),
                DetailValue::Secret(secret) => format!("env:{}", secret.env),
                DetailValue::File(path) => format!("file:{path}"),
            };
            (key.clone(), Value::String(text))
        })
        .collect();
    if let Value::Object(map) = &mut value {
        map.insert("details".into(), Value::Object(details));
    }
    value
}

/// A domain as compared and shown: `{domain, certificate_arn}`.
fn domain_json(domain: &DomainState) -> Value {
    match domain {
        DomainState::Prefix(prefix) => serde_json::json!({ "domain": prefix }),
        DomainState::Custom { domain, certificate_arn } => {
            serde_json::json!({ "domain": domain, "certificate_arn": certificate_arn })
        }
    }
}

/// The pool's settings as compared: without MFA (its own resource), custom attributes (compared
/// one by one), and region (the pool is read in the region it is in). For a pool being created,
/// standard attributes left at their defaults are not listed.
fn pool_json(pool: &PoolState, creating: bool) -> Value {
    let mut value = to_json(pool);
    if let Value::Object(map) = &mut value {
        for key in ["mfa", "custom_attributes", "region", "name"] {
            map.remove(key);
        }
        if creating && let Some(Value::Object(attributes)) = map.get_mut("standard_attributes") {
            let default = to_json(&AttributeSettings::default());
            attributes.retain(|_, settings| *settings != default);
            if attributes.is_empty() {
                map.remove("standard_attributes");
            }
        }
    }
    value
}

type Classifier<'c> = dyn Fn(&str, Option<&Value>, Option<&Value>) -> ChangeClass + 'c;

fn classify_pool(field: &str, _old: Option<&Value>, _new: Option<&Value>) -> ChangeClass {
    let top = field.split('.').next().unwrap_or_default();
    match top {
        "username_attributes" => {
            ChangeClass::destructive(format!("the attributes users sign in with are {POOL_FIXED}"))
        }
        "alias_attributes" => ChangeClass::destructive(format!("sign-in aliases are {POOL_FIXED}")),
        "case_sensitive" => ChangeClass::destructive(format!("username case sensitivity is {POOL_FIXED}")),
        "standard_attributes" => {
            ChangeClass::destructive(format!("whether a standard attribute is required or mutable is {POOL_FIXED}"))
        }
        _ => ChangeClass::InPlace,
    }
}

fn classify_client(field: &str, _old: Option<&Value>, _new: Option<&Value>) -> ChangeClass {
    if field == "generate_secret" {
        ChangeClass::destructive(
            "a client secret is fixed when the client is created: the client is replaced, gets a new id, and apps must be given it",
        )
    } else {
        ChangeClass::InPlace
    }
}

fn classify_provider(field: &str, _old: Option<&Value>, _new: Option<&Value>) -> ChangeClass {
    if field == "provider_type" {
        ChangeClass::destructive(
            "a provider's type is fixed: it is replaced, and users linked to it must sign in again",
        )
    } else {
        ChangeClass::InPlace
    }
}

/// One change per custom attribute: additions are add-only; a removal or a changed definition is
/// impossible on a live pool and is reported as replacing it.
fn custom_attribute_changes(
    live: &BTreeMap<String, CustomAttributeState>,
    desired: &BTreeMap<String, CustomAttributeState>,
) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    for name in union(live, desired) {
        let field = format!("custom_attributes.{name}");
        match (live.get(&name), desired.get(&name)) {
            (None, Some(new)) => changes.push(FieldChange {
                field,
                old: None,
                new: Some(custom_attribute_json(new)),
                class: ChangeClass::AddOnly,
            }),
            (Some(old), None) => changes.push(FieldChange {
                field,
                old: Some(custom_attribute_json(old)),
                new: None,
                class: ChangeClass::destructive(
                    "Cognito cannot remove a custom attribute: only a new pool (which loses every user) drops it",
                ),
            }),
            (Some(old), Some(new)) if old != new => changes.push(FieldChange {
                field,
                old: Some(custom_attribute_json(old)),
                new: Some(custom_attribute_json(new)),
                class: ChangeClass::destructive(format!(
                    "a custom attribute's type, constraints and mutability are {POOL_FIXED}"
                )),
            }),
            _ => {}
        }
    }
    changes
}

/// A custom attribute as shown: `{"type": "string", "mutable": true, "max_length": 16, ...}`.
fn custom_attribute_json(attribute: &CustomAttributeState) -> Value {
    let mut value = serde_json::json!({ "type": to_json(&attribute.data_type), "mutable": attribute.mutable });
    let bounds = match &attribute.constraints {
        AttributeConstraints::String { min_length, max_length } => {
            vec![("min_length", Some(i64::from(*min_length))), ("max_length", Some(i64::from(*max_length)))]
        }
        AttributeConstraints::Number { min, max } => vec![("min", *min), ("max", *max)],
        AttributeConstraints::None => Vec::new(),
    };
    for (key, bound) in bounds {
        if let (Some(bound), Value::Object(map)) = (bound, &mut value) {
            map.insert(key.to_string(), Value::from(bound));
        }
    }
    value
}

/// Replaces every secret or file value in a provider's changes by a placeholder.
fn redact_provider(changes: &mut [FieldChange], desired: &IdentityProviderState, live: Option<&IdentityProviderState>) {
    let secret_keys: Vec<&str> =
        managed_detail_keys(desired.provider_type).iter().filter(|(_, secret)| *secret).map(|(key, _)| *key).collect();
    for change in changes.iter_mut() {
        let Some(key) = change.field.strip_prefix("details.") else { continue };
        let key = key.split('.').next().unwrap_or(key);
        let referenced = desired.details.get(key);
        let is_secret = secret_keys.contains(&key)
            || matches!(referenced, Some(DetailValue::Secret(_) | DetailValue::File(_)))
            || live
                .and_then(|live| live.details.get(key))
                .is_some_and(|v| matches!(v, DetailValue::SecretFingerprint(_)));
        if !is_secret {
            continue;
        }
        change.field = format!("details.{key}");
        if change.old.is_some() {
            change.old = Some(Value::String("(secret)".into()));
        }
        if change.new.is_some() {
            change.new = Some(Value::String(match referenced {
                Some(DetailValue::Secret(secret)) => format!("(secret from ${})", secret.env),
                Some(DetailValue::File(path)) => format!("(contents of {path})"),
                _ => "(secret)".to_string(),
            }));
        }
    }
}

/// The leaf-level differences between two JSON values, classified. Objects are compared key by
/// key; anything else (lists, which are sets here, and scalars) as a whole.
fn field_changes(
    prefix: &str,
    old: Option<&Value>,
    new: Option<&Value>,
    classify: &Classifier<'_>,
) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    diff_into(prefix, old, new, classify, &mut changes);
    changes
}

fn diff_into(
    path: &str,
    old: Option<&Value>,
    new: Option<&Value>,
    classify: &Classifier<'_>,
    out: &mut Vec<FieldChange>,
) {
    // `null` and an empty list are absence: every list here is a set, where empty means none.
    let present = |v: &&Value| !v.is_null() && v.as_array().is_none_or(|items| !items.is_empty());
    let old = old.filter(present);
    let new = new.filter(present);
    match (old, new) {
        (None, None) => {}
        (Some(Value::Object(a)), Some(Value::Object(b))) => diff_maps(path, Some(a), Some(b), classify, out),
        (None, Some(Value::Object(b))) => diff_maps(path, None, Some(b), classify, out),
        (Some(Value::Object(a)), None) => diff_maps(path, Some(a), None, classify, out),
        (a, b) => {
            if a == b || same_duration(path, a, b) {
                return;
            }
            let class = classify(path, a, b);
            out.push(FieldChange { field: path.to_string(), old: a.cloned(), new: b.cloned(), class });
        }
    }
}

fn diff_maps(
    path: &str,
    old: Option<&Map<String, Value>>,
    new: Option<&Map<String, Value>>,
    classify: &Classifier<'_>,
    out: &mut Vec<FieldChange>,
) {
    let keys: BTreeSet<&String> =
        old.into_iter().flat_map(|m| m.keys()).chain(new.into_iter().flat_map(|m| m.keys())).collect();
    if keys.is_empty() {
        // An empty object that appears or disappears (an empty tag map) is no change.
        return;
    }
    for key in keys {
        let child = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
        diff_into(&child, old.and_then(|m| m.get(key)), new.and_then(|m| m.get(key)), classify, out);
    }
}

/// Token lifetimes compare by duration: `60m` and `1h` are the same setting.
fn same_duration(path: &str, a: Option<&Value>, b: Option<&Value>) -> bool {
    if !path.ends_with("_token_validity") {
        return false;
    }
    let parse = |v: Option<&Value>| v.and_then(Value::as_str).and_then(|s| s.parse::<TokenValidity>().ok());
    matches!((parse(a), parse(b)), (Some(a), Some(b)) if a.as_seconds() == b.as_seconds())
}

#[cfg(test)]
mod tests;
