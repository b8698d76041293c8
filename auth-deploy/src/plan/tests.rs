//! Plans of before/after fixtures: structural asserts, plus snapshots of `display()` (read each
//! snapshot before accepting it: it is what a reviewer sees).

use super::*;
use crate::fixtures::{self, deployed, fingerprints};
use crate::live::Live;
use auth_spec::model::*;
use auth_spec::resolve;

fn planned(desired: &AuthState, live: &Live) -> Plan {
    plan(desired, live, &fingerprints(desired))
}

fn resource<'a>(plan: &'a Plan, resource: &Resource) -> &'a ResourcePlan {
    plan.resources.iter().find(|r| &r.resource == resource).unwrap_or_else(|| panic!("{resource} not in the plan"))
}

fn operations(plan: &Plan) -> Vec<&'static str> {
    plan.steps.iter().map(Step::operation).collect()
}

/// The plan from `before` (deployed) to `after`.
fn change(before: &Spec, after: &Spec) -> Plan {
    let live = deployed(&resolve(before));
    planned(&resolve(after), &live)
}

#[test]
fn from_nothing_everything_is_created_in_dependency_order() {
    let desired = resolve(&fixtures::full());
    let plan = planned(&desired, &Live::empty("us-east-1"));
    assert!(plan.resources.iter().all(|r| r.action == Action::Create), "{:#?}", plan.resources);
    assert!(plan.destructive().is_empty());
    assert_eq!(
        operations(&plan),
        [
            "CreateUserPool",
            "AddCustomAttributes",
            "SetUserPoolMfaConfig",
            "CreateGroup",
            "CreateGroup",
            "CreateResourceServer",
            "CreateIdentityProvider",
            "CreateIdentityProvider",
            "CreateUserPoolClient",
            "CreateUserPoolClient",
            "CreateUserPoolDomain",
            "CreateIdentityPool",
            "SetIdentityPoolRoles",
        ]
    );
    insta::assert_snapshot!("create_full", plan.display().to_string());
}

#[test]
fn a_minimal_pool_without_mfa_needs_no_mfa_step() {
    let plan = planned(&resolve(&fixtures::minimal()), &Live::empty("us-east-1"));
    assert_eq!(operations(&plan), ["CreateUserPool", "CreateUserPoolClient"]);
    insta::assert_snapshot!("create_minimal", plan.display().to_string());
}

#[test]
fn a_deployed_spec_plans_nothing() {
    for spec in [fixtures::minimal(), fixtures::full()] {
        let desired = resolve(&spec);
        let plan = planned(&desired, &deployed(&desired));
        assert!(!plan.has_changes(), "{}", plan.display());
        assert!(plan.resources.iter().all(|r| r.action == Action::Unchanged && r.changes.is_empty()));
        assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
    }
    let desired = resolve(&fixtures::full());
    insta::assert_snapshot!("unchanged_full", planned(&desired, &deployed(&desired)).display().to_string());
}

#[test]
fn in_place_changes_update_each_resource_with_its_complete_configuration() {
    let before = fixtures::full();
    let mut after = before.clone();
    after.pool.password.min_length = 14;
    after.pool.deletion_protection = false;
    after.verification.sms_message = Some("Code: {####}".into());
    after.triggers.pre_token_generation_version = Some(PreTokenGenerationVersion::V1);
    after.mfa.mode = MfaMode::Required;
    after.groups.get_mut("admins").unwrap().precedence = Some(1);
    after
        .resource_servers
        .get_mut("https://api.example.com")
        .unwrap()
        .scopes
        .insert("orders.admin".into(), "Admin".into());
    after.providers.google.as_mut().unwrap().attribute_mapping.insert("family_name".into(), "family_name".into());
    let web = after.clients.get_mut("web").unwrap();
    web.access_token_validity = Some(TokenValidity::minutes(30));
    web.oauth.as_mut().unwrap().callback_urls.push("https://app.example.com/other".into());
    after.identity_pool.as_mut().unwrap().allow_classic_flow = true;
    let plan = change(&before, &after);

    assert!(plan.destructive().is_empty(), "{}", plan.display());
    for (kind, step) in [
        (Resource::Pool("full-users".into()), "UpdateUserPool"),
        (Resource::Mfa, "SetUserPoolMfaConfig"),
        (Resource::Group("admins".into()), "UpdateGroup"),
        (Resource::ResourceServer("https://api.example.com".into()), "UpdateResourceServer"),
        (Resource::IdentityProvider("Google".into()), "UpdateIdentityProvider"),
        (Resource::Client("web".into()), "UpdateUserPoolClient"),
        (Resource::IdentityPool("full_identities".into()), "UpdateIdentityPool"),
    ] {
        let planned = resource(&plan, &kind);
        assert_eq!(planned.action, Action::Update, "{kind}");
        assert_eq!(planned.class, ChangeClass::InPlace, "{kind}");
        assert!(operations(&plan).contains(&step), "{step} missing");
    }
    for unchanged in
        [Resource::Group("users".into()), Resource::Client("backend".into()), Resource::Domain("full-auth".into())]
    {
        assert_eq!(resource(&plan, &unchanged).action, Action::Unchanged, "{unchanged}");
    }
    // The update carries the whole desired pool, not just the changed fields.
    let Some(Step::UpdatePool { pool, .. }) = plan.steps.iter().find(|s| s.operation() == "UpdateUserPool") else {
        panic!("no pool update")
    };
    assert_eq!(**pool, resolve(&after).pool);
    // Classic flow is a pool setting, not a role: no roles call.
    assert!(!operations(&plan).contains(&"SetIdentityPoolRoles"));
    insta::assert_snapshot!("in_place_full", plan.display().to_string());
}

#[test]
fn adding_custom_attributes_groups_clients_and_providers_is_add_only() {
    let before = fixtures::minimal();
    let mut after = before.clone();
    after.custom_attributes.insert("tier".into(), CustomAttribute::new(CustomAttributeType::String));
    after.groups.insert("admins".into(), Group::default());
    after.clients.insert("cli".into(), AppClient::default());
    let plan = change(&before, &after);
    let pool = resource(&plan, &Resource::Pool("minimal-users".into()));
    assert_eq!(pool.action, Action::Update);
    assert_eq!(pool.class, ChangeClass::AddOnly);
    assert_eq!(operations(&plan), ["AddCustomAttributes", "CreateGroup", "CreateUserPoolClient"]);
    assert!(plan.destructive().is_empty());
    insta::assert_snapshot!("add_only_minimal", plan.display().to_string());
}

/// A change made to a spec.
type Edit = Box<dyn Fn(&mut Spec)>;

#[test]
fn immutable_pool_settings_are_destructive_and_replace_the_pool() {
    let before = fixtures::minimal();
    let cases: Vec<(&str, Edit)> = vec![
        ("username_attributes", Box::new(|s| s.pool.sign_in = vec![SignInIdentifier::Phone])),
        ("alias_attributes", Box::new(|s| s.pool.sign_in = vec![SignInIdentifier::Username, SignInIdentifier::Email])),
        ("case_sensitive", Box::new(|s| s.pool.case_sensitive = true)),
        (
            "standard_attributes.family_name.required",
            Box::new(|s| s.attributes.family_name = Some(StandardAttributeSpec::required())),
        ),
        (
            "standard_attributes.email.mutable",
            Box::new(|s| s.attributes.email = Some(StandardAttributeSpec { required: true, mutable: false })),
        ),
    ];
    for (field, edit) in cases {
        let mut after = before.clone();
        edit(&mut after);
        let plan = change(&before, &after);
        let pool = resource(&plan, &Resource::Pool("minimal-users".into()));
        assert_eq!(pool.action, Action::Replace, "{field}");
        let changed = pool
            .changes
            .iter()
            .find(|c| c.field.starts_with(field))
            .unwrap_or_else(|| panic!("{field}: {:#?}", pool.changes));
        let ChangeClass::Destructive { reason } = &changed.class else { panic!("{field} not destructive") };
        assert!(reason.contains("fixed when the pool is created"), "{reason}");
        assert_eq!(plan.destructive(), ["pool"]);
        assert_eq!(&operations(&plan)[..2], ["DeleteUserPool", "CreateUserPool"], "{field}");
        assert!(!operations(&plan).contains(&"AddCustomAttributes"), "minimal has no custom attribute");
        assert!(plan.pool_replacement.is_some());
    }
}

#[test]
fn custom_attributes_cannot_be_removed_or_redefined() {
    let mut before = fixtures::minimal();
    before.custom_attributes.insert("tier".into(), CustomAttribute::new(CustomAttributeType::String));
    let mut removed = before.clone();
    removed.custom_attributes.clear();
    let mut retyped = before.clone();
    retyped.custom_attributes.insert("tier".into(), CustomAttribute::new(CustomAttributeType::Number));
    let mut constrained = before.clone();
    constrained.custom_attributes.get_mut("tier").unwrap().max_length = Some(10);
    for (case, after, words) in [
        ("removed", removed, "cannot remove a custom attribute"),
        ("retyped", retyped, "type, constraints and mutability"),
        ("constrained", constrained, "type, constraints and mutability"),
    ] {
        let plan = change(&before, &after);
        let pool = resource(&plan, &Resource::Pool("minimal-users".into()));
        assert_eq!(pool.action, Action::Replace, "{case}");
        let change = pool.changes.iter().find(|c| c.field == "custom_attributes.custom:tier").expect(case);
        assert!(
            matches!(&change.class, ChangeClass::Destructive { reason } if reason.contains(words)),
            "{case}: {:?}",
            change.class
        );
    }
}

#[test]
fn toggling_a_client_secret_replaces_the_client_and_renews_its_identity_pool_registration() {
    let before = fixtures::full();
    let mut after = before.clone();
    after.clients.get_mut("web").unwrap().generate_secret = true;
    let plan = change(&before, &after);
    let web = resource(&plan, &Resource::Client("web".into()));
    assert_eq!(web.action, Action::Replace);
    assert!(matches!(&web.class, ChangeClass::Destructive { reason } if reason.contains("new id")));
    assert_eq!(plan.destructive(), ["client:web"]);
    let ops = operations(&plan);
    let delete = ops.iter().position(|op| *op == "DeleteUserPoolClient").unwrap();
    let create = ops.iter().position(|op| *op == "CreateUserPoolClient").unwrap();
    assert!(delete < create);
    // The identity pool registers the new client id, and maps its roles again.
    assert!(
        ops[create..].contains(&"UpdateIdentityPool") && ops[create..].contains(&"SetIdentityPoolRoles"),
        "{ops:?}"
    );
    insta::assert_snapshot!("replace_client", plan.display().to_string());
}

#[test]
fn clearing_a_group_setting_replaces_the_group_because_update_group_keeps_omitted_ones() {
    let before = fixtures::full();
    let mut after = before.clone();
    after.groups.get_mut("admins").unwrap().precedence = None;
    let plan = change(&before, &after);
    let admins = resource(&plan, &Resource::Group("admins".into()));
    assert_eq!(admins.action, Action::Replace);
    assert!(
        matches!(&admins.class, ChangeClass::Destructive { reason } if reason.contains("precedence") && reason.contains("members")),
        "{:?}",
        admins.class
    );
    assert_eq!(plan.destructive(), ["group:admins"]);
    assert_eq!(operations(&plan), ["DeleteGroup", "CreateGroup"]);

    // Setting a value, or changing one, stays an in-place update.
    let mut changed = before.clone();
    changed.groups.get_mut("admins").unwrap().precedence = Some(3);
    let plan = change(&before, &changed);
    assert!(plan.destructive().is_empty());
    assert_eq!(operations(&plan), ["UpdateGroup"]);
}

#[test]
fn removals_are_destructive_with_their_reason() {
    let before = fixtures::full();
    let mut after = before.clone();
    after.clients.remove("backend");
    after.groups.remove("users");
    after.providers.oidc.clear();
    after.resource_servers.clear();
    after.domain = None;
    let plan = change(&before, &after);
    assert_eq!(
        plan.destructive(),
        ["client:backend", "domain", "group:users", "provider:Corp", "resource-server:https://api.example.com"]
    );
    let backend = resource(&plan, &Resource::Client("backend".into()));
    assert!(matches!(&backend.class, ChangeClass::Destructive { reason } if reason.contains("id-backend")));
    // Deletions of what clients may still refer to come after every client change.
    let ops = operations(&plan);
    let last_client = ops.iter().rposition(|op| op.contains("UserPoolClient")).unwrap();
    for late in ["DeleteIdentityProvider", "DeleteResourceServer", "DeleteGroup"] {
        assert!(ops.iter().position(|op| *op == late).unwrap() > last_client, "{late} in {ops:?}");
    }
    insta::assert_snapshot!("removals_full", plan.display().to_string());
}

#[test]
fn a_new_domain_prefix_replaces_the_domain() {
    let before = fixtures::full();
    let mut after = before.clone();
    after.domain = Some(Domain { prefix: Some("full-auth-2".into()), ..Domain::default() });
    let plan = change(&before, &after);
    let domain = resource(&plan, &Resource::Domain("full-auth-2".into()));
    assert_eq!(domain.action, Action::Replace);
    assert_eq!(operations(&plan), ["DeleteUserPoolDomain", "CreateUserPoolDomain"]);
    assert_eq!(plan.destructive(), ["domain"]);
}

#[test]
fn a_custom_domain_certificate_changes_in_place() {
    let mut before = fixtures::minimal();
    before.domain =
        Some(Domain { custom: Some("auth.example.com".into()), certificate_arn: Some("arn:one".into()), prefix: None });
    let mut after = before.clone();
    after.domain.as_mut().unwrap().certificate_arn = Some("arn:two".into());
    let plan = change(&before, &after);
    assert_eq!(operations(&plan), ["UpdateUserPoolDomain"]);
    assert!(plan.destructive().is_empty());
}

#[test]
fn token_lifetimes_compare_by_duration() {
    let mut before = fixtures::minimal();
    before.clients.get_mut("web").unwrap().access_token_validity = Some(TokenValidity::minutes(60));
    let mut after = before.clone();
    after.clients.get_mut("web").unwrap().access_token_validity = Some(TokenValidity::hours(1));
    assert!(!change(&before, &after).has_changes());
    after.clients.get_mut("web").unwrap().access_token_validity = Some(TokenValidity::hours(2));
    assert!(change(&before, &after).has_changes());
}

#[test]
fn secrets_compare_by_fingerprint_and_never_show() {
    let desired = resolve(&fixtures::full());
    let live = deployed(&desired);
    // Same secret: nothing to do.
    assert!(!plan(&desired, &live, &fingerprints(&desired)).has_changes());
    // A rotated secret is a change, shown redacted.
    let rotated = crate::externals::Externals::from_map(
        ".",
        BTreeMap::from([
            ("GOOGLE_CLIENT_SECRET".to_string(), "rotated-secret".to_string()),
            ("CORP_CLIENT_SECRET".to_string(), "corp-secret".to_string()),
        ]),
    );
    let plan_rotated = plan(&desired, &live, &rotated.fingerprints(&desired));
    let google = resource(&plan_rotated, &Resource::IdentityProvider("Google".into()));
    assert_eq!(google.action, Action::Update);
    let change = &google.changes[0];
    assert_eq!(change.field, "details.client_secret");
    assert_eq!(change.old, Some(Value::String("(secret)".into())));
    assert_eq!(change.new, Some(Value::String("(secret from $GOOGLE_CLIENT_SECRET)".into())));
    let shown = format!("{}{}", plan_rotated.display(), plan_rotated.to_json());
    for leaked in ["rotated-secret", "google-secret", &crate::externals::fingerprint(b"google-secret")] {
        assert!(!shown.contains(leaked), "the plan shows {leaked}");
    }
    // Unknown secrets are not compared, and the plan says so.
    let unknown = plan(&desired, &live, &Fingerprints::none());
    assert!(!unknown.has_changes());
    assert_eq!(unknown.warnings.len(), 2, "{:?}", unknown.warnings);
    assert!(unknown.warnings[0].contains("CORP_CLIENT_SECRET") || unknown.warnings[1].contains("CORP_CLIENT_SECRET"));
}

#[test]
fn a_provider_update_sends_details_only_when_they_changed() {
    let before = fixtures::full();
    let mut after = before.clone();
    after.providers.google.as_mut().unwrap().attribute_mapping.insert("locale".into(), "locale".into());
    let plan = change(&before, &after);
    assert!(matches!(&plan.steps[..], [Step::UpdateIdentityProvider { details: false, .. }]), "{:?}", plan.steps);
    after.providers.google.as_mut().unwrap().client_id = "other.apps.googleusercontent.com".into();
    let plan = change(&before, &after);
    assert!(matches!(&plan.steps[..], [Step::UpdateIdentityProvider { details: true, .. }]), "{:?}", plan.steps);
}

#[test]
fn a_provider_changing_type_is_replaced() {
    let desired = resolve(&fixtures::full());
    let mut live = deployed(&desired);
    let user_pool = live.user_pool.as_mut().unwrap();
    let corp = user_pool.state.identity_providers.get_mut("Corp").unwrap();
    corp.provider_type = ProviderType::Saml;
    let plan = plan(&desired, &live, &fingerprints(&desired));
    let corp = resource(&plan, &Resource::IdentityProvider("Corp".into()));
    assert_eq!(corp.action, Action::Replace);
    assert_eq!(operations(&plan), ["DeleteIdentityProvider", "CreateIdentityProvider"]);
}

#[test]
fn duplicate_clients_are_deleted_by_id() {
    let desired = resolve(&fixtures::minimal());
    let mut live = deployed(&desired);
    live.user_pool.as_mut().unwrap().duplicate_clients.push(("web".into(), "id-web-2".into()));
    let plan = planned(&desired, &live);
    assert_eq!(plan.steps, [Step::DeleteClient { name: "web".into(), id: Some("id-web-2".into()) }]);
    assert_eq!(plan.destructive(), ["client:web"]);
}

#[test]
fn an_sms_region_equal_to_the_pool_region_is_the_same_setting() {
    let mut spec = fixtures::full();
    spec.sms.as_mut().unwrap().sns_region = None;
    let live = deployed(&resolve(&spec));
    spec.sms.as_mut().unwrap().sns_region = Some("us-east-1".into());
    assert!(!planned(&resolve(&spec), &live).has_changes());
    spec.sms.as_mut().unwrap().sns_region = Some("us-west-2".into());
    assert!(planned(&resolve(&spec), &live).has_changes());
}

#[test]
fn drifted_role_arn_is_put_back() {
    let desired = resolve(&fixtures::full());
    let mut live = deployed(&desired);
    live.identity_pool.as_mut().unwrap().state.authenticated_role_arn = Some("arn:aws:iam::1:role/someone-else".into());
    let plan = planned(&desired, &live);
    assert_eq!(operations(&plan), ["SetIdentityPoolRoles"]);
}

#[test]
fn json_lists_resources_changes_and_classes() {
    let before = fixtures::minimal();
    let mut after = before.clone();
    after.pool.case_sensitive = true;
    let json = change(&before, &after).to_json();
    assert_eq!(json["changes"], true);
    assert_eq!(json["destructive"], serde_json::json!(["pool"]));
    let pool = &json["resources"][0];
    assert_eq!(pool["resource"], serde_json::json!({"kind": "pool", "name": "minimal-users"}));
    assert_eq!(pool["action"], "replace");
    assert_eq!(pool["class"], "destructive");
    let field = &pool["changes"][0];
    assert_eq!(field["field"], "case_sensitive");
    assert_eq!((field["old"].clone(), field["new"].clone()), (serde_json::json!(false), serde_json::json!(true)));
    assert!(field["reason"].as_str().unwrap().contains("fixed when the pool is created"));
}
