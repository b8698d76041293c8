//! The bundled example specs: each loads cleanly in every environment, points editors at the
//! schema, and survives a round trip through TOML; a spec built in Rust means the same as its
//! TOML twin.

use auth_spec::model::*;
use auth_spec::{Spec, load_file, load_str};
use std::path::{Path, PathBuf};

fn examples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_required_examples_exist() {
    let names: Vec<String> =
        examples().iter().map(|path| path.file_name().unwrap().to_string_lossy().into_owned()).collect();
    for required in ["minimal.toml", "social.toml", "mfa-required.toml", "custom-auth.toml", "full.toml"] {
        assert!(names.iter().any(|name| name == required), "examples/{required} is missing");
    }
}

#[test]
fn every_example_is_valid_without_warnings_in_every_environment() {
    for path in examples() {
        let loaded = load_file(&path, None).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        assert!(loaded.warnings.items.is_empty(), "{}: {}", path.display(), loaded.warnings);
        for env in loaded.spec.env.keys() {
            let overlaid =
                load_file(&path, Some(env)).unwrap_or_else(|error| panic!("{} --env {env}: {error}", path.display()));
            assert!(overlaid.warnings.items.is_empty(), "{} --env {env}: {}", path.display(), overlaid.warnings);
            assert_ne!(overlaid.spec, loaded.spec, "{} --env {env} changes nothing", path.display());
        }
    }
}

#[test]
fn every_example_starts_with_the_schema_directive() {
    for path in examples() {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("#:schema ../schemas/auth-spec.schema.json\n"), "{}", path.display());
    }
}

#[test]
fn every_example_round_trips_through_toml() {
    for path in examples() {
        let spec = load_file(&path, None).unwrap().spec;
        for text in [toml::to_string(&spec).unwrap(), spec.to_toml()] {
            let again = load_str(Path::new("round-trip.toml"), &text, None)
                .unwrap_or_else(|error| panic!("{} re-serialized does not load:\n{text}\n{error}", path.display()))
                .spec;
            assert_eq!(again, spec, "{} changed in a round trip through:\n{text}", path.display());
        }
    }
}

#[test]
fn the_prod_overlay_merges_tables_and_replaces_arrays() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/full.toml");
    let base = load_file(&path, None).unwrap().spec;
    let prod = load_file(&path, Some("prod")).unwrap().spec;
    assert_eq!(prod.pool.name, "full-users-prod");
    assert_eq!(prod.pool.sign_in, base.pool.sign_in, "keys the overlay does not name are kept");
    assert_eq!(prod.domain.as_ref().unwrap().prefix.as_deref(), Some("full-example-auth-prod"));
    let web = prod.clients["web"].oauth.as_ref().unwrap();
    assert_eq!(web.callback_urls, ["https://app.example.com/callback", "fullapp://callback"], "arrays are replaced");
    assert_eq!(web.scopes, base.clients["web"].oauth.as_ref().unwrap().scopes, "sibling keys are kept");
}

/// `examples/minimal.toml`, built in Rust.
fn minimal_in_rust() -> Spec {
    let mut spec = Spec::default();
    spec.pool.name = "minimal-users".to_string();
    spec.attributes.set(StandardAttribute::Email, StandardAttributeSpec::required());
    spec.clients.insert("web".to_string(), AppClient::default());
    spec
}

#[test]
fn a_spec_built_in_rust_equals_its_toml_twin_and_serializes_to_it() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/minimal.toml");
    let from_file = load_file(&path, None).unwrap().spec;
    let built = minimal_in_rust();
    assert_eq!(built, from_file);
    assert!(auth_spec::validate_spec(&built).is_ok());
    let text = toml::to_string(&built).unwrap();
    assert_eq!(text, "[pool]\nname = \"minimal-users\"\n\n[attributes.email]\nrequired = true\n\n[clients.web]\n");
}

#[test]
fn a_spec_built_in_rust_gets_the_same_rules_without_line_numbers() {
    let mut spec = minimal_in_rust();
    spec.pool.password.min_length = 4;
    spec.mfa.mode = MfaMode::Required;
    let report = auth_spec::validate_spec(&spec).unwrap_err();
    assert!(
        report
            .items
            .iter()
            .any(|item| item.code == "out-of-range" && item.path.to_string() == "pool.password.min_length"),
        "{report}"
    );
    spec.pool.password.min_length = 8;
    let report = auth_spec::validate_spec(&spec).unwrap_err();
    assert!(report.items.iter().any(|item| item.code == "cognito::mfa-methods"), "{report}");
    assert!(report.items.iter().all(|item| item.location.is_none()));
}

#[test]
fn with_env_overlays_a_spec_built_in_rust() {
    let mut spec = minimal_in_rust();
    spec.env.insert("prod".to_string(), serde_json::json!({ "pool": { "name": "minimal-prod" } }));
    let prod = spec.with_env("prod").unwrap();
    assert_eq!(prod.pool.name, "minimal-prod");
    assert_eq!(prod.attributes, spec.attributes);
    let error = spec.with_env("prd").unwrap_err();
    assert!(error.to_string().contains("did you mean `prod`?"), "{error}");
}

#[test]
fn the_resolved_minimal_spec_is_amplifys_default_configuration() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/minimal.toml");
    let state = auth_spec::resolve(&load_file(&path, None).unwrap().spec);
    insta::assert_json_snapshot!("resolved_minimal", state);
}

#[test]
fn the_resolved_full_spec() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/full.toml");
    let state = auth_spec::resolve(&load_file(&path, None).unwrap().spec);
    insta::assert_json_snapshot!("resolved_full", state);
}
