//! Checks of the rendering machinery itself; the outputs are snapshot-tested in
//! `tests/render.rs`.

use super::*;
use crate::externals::Externals;
use auth_spec::state::AuthState;
use std::collections::BTreeMap;
use std::path::Path;

fn example(name: &str) -> AuthState {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples").join(format!("{name}.toml"));
    auth_spec::resolve(&auth_spec::load_file(&path, None).expect("the example is valid").spec)
}

fn templates_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("templates")
}

/// Every file under `dir`, relative to it, with `/` separators.
fn files_under(dir: &Path, prefix: &str, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if entry.file_type().unwrap().is_dir() {
            files_under(&entry.path(), &format!("{name}/"), out);
        } else {
            out.push(name);
        }
    }
}

#[test]
fn the_template_list_and_the_templates_folder_agree() {
    let mut on_disk = Vec::new();
    files_under(&templates_dir(), "", &mut on_disk);
    let mut listed: Vec<String> = TEMPLATES.iter().map(|(name, _)| name.to_string()).collect();
    listed.extend(triggers::EVENT_FILES.iter().map(|(trigger, _)| format!("triggers/events/{}.json", trigger.name())));
    on_disk.sort();
    listed.sort();
    assert_eq!(on_disk, listed, "templates/ and render::TEMPLATES (or the sample events) disagree");
}

#[test]
fn every_template_compiles() {
    for (name, _) in TEMPLATES {
        if let Err(error) = environment().get_template(name) {
            panic!("{name}: {}", describe(&error));
        }
    }
}

#[test]
fn an_unknown_variable_is_an_error_not_an_empty_string() {
    let env = environment();
    for source in ["{{ nope }}", "{% if nope %}x{% endif %}", "{% for x in nope %}{% endfor %}", "{{ known.nope }}"] {
        let result = env.render_str(source, minijinja::context! { known => BTreeMap::<String, String>::new() });
        assert!(result.is_err(), "`{source}` rendered as {result:?}");
    }
}

#[test]
fn a_template_missing_one_variable_fails_to_render() {
    // The real CloudFormation context, less one key the template reads: strict mode must refuse.
    let state = example("minimal");
    let yaml = cloudformation(&state, &CfnOptions::default(), &Externals::default()).unwrap();
    assert!(yaml.contains("UserPool:"));
    for missing in ["region", "description", "outputs"] {
        let mut context: serde_json::Value = serde_json::to_value(cloudformation::context_for_tests(&state)).unwrap();
        context.as_object_mut().unwrap().remove(missing);
        let error = render("cloudformation.yaml.j2", to_value(&context)).expect_err(missing);
        assert!(error.to_string().contains("undefined"), "without `{missing}`: {error}");
    }
}

#[test]
fn values_cannot_break_the_structure_of_a_file() {
    // A pool name full of YAML and JSON syntax comes out as one quoted string.
    let mut state = example("minimal");
    state.pool.name = "evil\": x\n- [y] # {{ z }} ' \\".to_string();
    state.pool.tags.insert("key: with colon".to_string(), "value\nwith newline".to_string());
    let yaml = cloudformation(&state, &CfnOptions::default(), &Externals::default()).unwrap();
    let json =
        cloudformation(&state, &CfnOptions { format: CfnFormat::Json, ..CfnOptions::default() }, &Externals::default())
            .unwrap();
    let template: serde_json::Value = serde_json::from_str(&json).unwrap();
    let properties = &template["Resources"]["UserPool"]["Properties"];
    assert_eq!(properties["UserPoolName"], state.pool.name.as_str(), "{yaml}");
    assert_eq!(properties["UserPoolTags"]["key: with colon"], "value\nwith newline");
}

#[test]
fn secrets_are_parameters_or_dynamic_references_never_values() {
    let state = example("social");
    // Even with every secret's variable set, nothing reads them.
    let secret = "s3cr3t-value-that-must-not-appear";
    let env: BTreeMap<String, String> = [
        "GOOGLE_CLIENT_SECRET",
        "FACEBOOK_APP_SECRET",
        "AMAZON_CLIENT_SECRET",
        "APPLE_PRIVATE_KEY",
        "CORPORATE_OIDC_SECRET",
    ]
    .iter()
    .map(|name| (name.to_string(), secret.to_string()))
    .collect();
    let externals = Externals::from_map(".", env);
    let yaml = cloudformation(&state, &CfnOptions::default(), &externals).unwrap();
    assert!(!yaml.contains(secret));
    for parameter in [
        "GoogleClientSecret",
        "FacebookClientSecret",
        "LoginWithAmazonClientSecret",
        "SignInWithApplePrivateKey",
        "CorporateClientSecret",
    ] {
        assert!(
            yaml.contains(&format!("  {parameter}:\n    Type: String\n    NoEcho: true\n")),
            "no NoEcho parameter {parameter}:\n{yaml}"
        );
        assert!(yaml.contains(&format!("!Ref {parameter}\n")), "{parameter} is not referenced");
    }
    let options =
        CfnOptions { secrets: SecretSource::SecretsManager { prefix: "social/".into() }, ..CfnOptions::default() };
    let yaml = cloudformation(&state, &options, &externals).unwrap();
    assert!(!yaml.contains(secret));
    assert!(!yaml.contains("NoEcho"));
    assert!(yaml.contains(r#"client_secret: "{{resolve:secretsmanager:social/GOOGLE_CLIENT_SECRET}}""#), "{yaml}");
}

#[test]
fn saml_metadata_files_are_inlined_as_deploy_sends_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("idp.xml"), "<EntityDescriptor entityID=\"x\">\n</EntityDescriptor>\n").unwrap();
    let mut state = example("minimal");
    state.identity_providers.insert(
        "corp".into(),
        auth_spec::state::IdentityProviderState {
            provider_type: auth_spec::state::ProviderType::Saml,
            details: BTreeMap::from([(
                "MetadataFile".to_string(),
                auth_spec::state::DetailValue::File("idp.xml".into()),
            )]),
            attribute_mapping: BTreeMap::new(),
            identifiers: Default::default(),
        },
    );
    let json = cloudformation(
        &state,
        &CfnOptions { format: CfnFormat::Json, ..Default::default() },
        &Externals::from_process(dir.path()),
    )
    .unwrap();
    let template: serde_json::Value = serde_json::from_str(&json).unwrap();
    let details = &template["Resources"]["CorpProvider"]["Properties"]["ProviderDetails"];
    assert_eq!(details["MetadataFile"], "<EntityDescriptor entityID=\"x\">\n</EntityDescriptor>\n");
    let missing = cloudformation(&state, &CfnOptions::default(), &Externals::from_process("/nonexistent"));
    assert!(matches!(missing, Err(RenderError::File { .. })), "{missing:?}");
}

#[test]
fn json_is_the_yaml_template_in_json() {
    for name in ["minimal", "social", "mfa-required", "custom-auth", "full"] {
        let state = example(name);
        let yaml = cloudformation(&state, &CfnOptions::default(), &Externals::default()).unwrap();
        let json = cloudformation(
            &state,
            &CfnOptions { format: CfnFormat::Json, ..Default::default() },
            &Externals::default(),
        )
        .unwrap();
        assert_eq!(yaml::cloudformation_json(&yaml).unwrap(), json, "{name}");
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed["Resources"]["UserPool"]["DeletionPolicy"], "Retain", "{name}");
        assert_eq!(parsed["Resources"]["UserPool"]["UpdateReplacePolicy"], "Retain", "{name}");
    }
}

#[test]
fn the_identity_pool_roles_trust_exactly_what_deploy_trusts() {
    let state = example("full");
    let json =
        cloudformation(&state, &CfnOptions { format: CfnFormat::Json, ..Default::default() }, &Externals::default())
            .unwrap();
    let template: serde_json::Value = serde_json::from_str(&json).unwrap();
    for (role, authenticated) in [("AuthenticatedRole", true), ("UnauthenticatedRole", false)] {
        let mut policy = template["Resources"][role]["Properties"]["AssumeRolePolicyDocument"].clone();
        let aud = &mut policy["Statement"][0]["Condition"]["StringEquals"]["cognito-identity.amazonaws.com:aud"];
        assert_eq!(*aud, serde_json::json!({ "Ref": "IdentityPool" }));
        *aud = serde_json::json!("ID");
        let deploy: serde_json::Value =
            serde_json::from_str(&crate::requests::trust_policy("ID", authenticated)).unwrap();
        assert_eq!(policy, deploy, "{role}");
        assert_eq!(template["Resources"][role]["Properties"]["Path"], crate::requests::ROLE_PATH);
    }
}

#[test]
fn clients_wait_for_the_providers_and_scopes_they_name() {
    let state = example("full");
    let json =
        cloudformation(&state, &CfnOptions { format: CfnFormat::Json, ..Default::default() }, &Externals::default())
            .unwrap();
    let template: serde_json::Value = serde_json::from_str(&json).unwrap();
    let resources = &template["Resources"];
    assert_eq!(
        resources["WebClient"]["DependsOn"],
        serde_json::json!(["AdfsProvider", "GoogleProvider", "HttpsApiExampleComResourceServer", "OktaProvider"])
    );
    // A client that names no providers offers them all (as CDK does), so it waits for them all.
    assert_eq!(
        resources["BackendClient"]["DependsOn"],
        serde_json::json!(["AdfsProvider", "GoogleProvider", "HttpsApiExampleComResourceServer", "OktaProvider"])
    );
    assert!(resources["CliClient"].get("DependsOn").is_none());
    // Every trigger function may be invoked by the pool, once per function.
    let permissions =
        resources.as_object().unwrap().values().filter(|r| r["Type"] == "AWS::Lambda::Permission").count();
    assert_eq!(permissions, state.pool.lambda.triggers.values().collect::<std::collections::BTreeSet<_>>().len());
    // deploy's tag would let `cargo xtask deploy` take over the stack's pool.
    assert_eq!(resources["UserPool"]["Properties"]["UserPoolTags"]["managed-by"], "cloudformation");
}

#[test]
fn inconsistent_states_are_errors_not_panics() {
    let mut state = example("full");
    state.clients.get_mut("web").unwrap().oauth.as_mut().unwrap().identity_providers.insert("Nowhere".into());
    let error = cloudformation(&state, &CfnOptions::default(), &Externals::default()).unwrap_err();
    assert!(error.to_string().contains("Nowhere"), "{error}");
    let mut state = example("full");
    state.identity_pool.as_mut().unwrap().clients.insert("ghost".into());
    assert!(matches!(
        cloudformation(&state, &CfnOptions::default(), &Externals::default()),
        Err(RenderError::Inconsistent(_))
    ));
}
