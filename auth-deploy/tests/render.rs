//! The rendered outputs: snapshots of every example spec in every format and of every trigger
//! scaffold, cfn-lint on every example's template, and one generated trigger crate built and
//! tested.

use auth_deploy::Externals;
use auth_deploy::render::{self, CfnFormat, CfnOptions, ClientConfigFormat, Scaffold};
use auth_spec::AuthState;
use auth_spec::outputs::{AmplifyOutputs, DeployedIds};
use std::path::{Path, PathBuf};
use std::process::Command;

const EXAMPLES: &[&str] = &["minimal", "social", "mfa-required", "custom-auth", "full"];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn example(name: &str, env: Option<&str>) -> AuthState {
    let path = workspace().join("examples").join(format!("{name}.toml"));
    let loaded = auth_spec::load_file(&path, env).unwrap_or_else(|error| panic!("examples/{name}.toml: {error:?}"));
    auth_spec::resolve(&loaded.spec)
}

fn cfn(state: &AuthState, format: CfnFormat) -> String {
    let options = CfnOptions { format, ..CfnOptions::default() };
    render::cloudformation(state, &options, &Externals::from_process(workspace().join("examples"))).unwrap()
}

/// Ids as a deployment would have them, made up and stable.
fn outputs(state: &AuthState) -> AmplifyOutputs {
    let region = state.pool.region.clone().unwrap_or_else(|| "us-east-1".to_string());
    let ids = DeployedIds {
        user_pool_id: format!("{region}_EXAMPLE01"),
        client_ids: state.clients.keys().map(|name| (name.clone(), format!("{name}0example0client0id"))).collect(),
        identity_pool_id: state
            .identity_pool
            .as_ref()
            .map(|_| format!("{region}:0e9d4b8a-5c1f-4e2a-9b3c-7d6e5f4a3b2c")),
        endpoint_url: None,
        region,
    };
    AmplifyOutputs::from_state(state, &ids).unwrap()
}

#[test]
fn cloudformation_snapshots() {
    for name in EXAMPLES {
        let state = example(name, None);
        insta::assert_snapshot!(format!("cloudformation_yaml__{name}"), cfn(&state, CfnFormat::Yaml));
        insta::assert_snapshot!(format!("cloudformation_json__{name}"), cfn(&state, CfnFormat::Json));
    }
    // An environment overlay changes the template as it changes a deploy.
    insta::assert_snapshot!("cloudformation_yaml__full_prod", cfn(&example("full", Some("prod")), CfnFormat::Yaml));
}

#[test]
fn client_config_snapshots() {
    for name in EXAMPLES {
        let outputs = outputs(&example(name, None));
        for format in ClientConfigFormat::ALL {
            let text = render::client_config(*format, &outputs).unwrap();
            insta::assert_snapshot!(format!("{}__{name}", format.name().replace('-', "_")), &text);
            check_syntax(*format, &text);
        }
    }
}

/// The JSON formats are JSON; `aws-exports.js` is one object literal in JSON syntax, exported.
fn check_syntax(format: ClientConfigFormat, text: &str) {
    let json = match format {
        ClientConfigFormat::AwsExports => {
            let start = text.find("const awsmobile = ").expect("the awsmobile object") + "const awsmobile = ".len();
            let end = text.rfind("};").expect("the object's end") + 1;
            assert!(text.trim_end().ends_with("export default awsmobile;"));
            &text[start..end]
        }
        _ => text,
    };
    if let Err(error) = serde_json::from_str::<serde_json::Value>(json) {
        panic!("{} is not valid: {error}\n{text}", format.file_name());
    }
}

/// A scaffold's files in one text, for one snapshot.
fn scaffold_text(scaffold: &Scaffold) -> String {
    let mut text = String::new();
    for file in &scaffold.files {
        text.push_str(&format!("==> {} <==\n{}\n", file.path.display(), file.contents));
    }
    text
}

#[test]
fn trigger_scaffold_snapshots() {
    for template in render::all_trigger_templates() {
        let scaffold = render::trigger_scaffold(template.trigger, Some(template.name), None).unwrap();
        let main = &scaffold.files.iter().find(|file| file.path == Path::new("src/main.rs")).unwrap().contents;
        if let Err(error) = syn::parse_file(main) {
            panic!(
                "{} --template {}: src/main.rs does not parse: {error}\n{main}",
                template.trigger.name(),
                template.name
            );
        }
        let manifest = &scaffold.files.iter().find(|file| file.path == Path::new("Cargo.toml")).unwrap().contents;
        let manifest: toml::Table = toml::from_str(manifest).expect("Cargo.toml parses");
        assert_eq!(manifest["package"]["name"].as_str(), Some(scaffold.crate_name.as_str()));
        let event = &scaffold.files.iter().find(|file| file.path.starts_with("events")).unwrap().contents;
        serde_json::from_str::<serde_json::Value>(event).expect("the sample event is JSON");
        // Sample events are copied as they are in templates/triggers/events: snapshot the rest.
        let mut shown = scaffold.clone();
        shown.files.retain(|file| !file.path.starts_with("events"));
        insta::assert_snapshot!(
            format!("trigger__{}__{}", template.trigger.name(), template.name),
            scaffold_text(&shown)
        );
    }
}

/// `cfn-lint`: from `CFN_LINT` (the test command sets it to the one it installs), else `PATH`.
/// In CI (`CI` set) a missing cfn-lint fails the test; on a developer's machine it is skipped
/// with the reason printed.
fn cfn_lint() -> Option<PathBuf> {
    let candidate = std::env::var_os("CFN_LINT").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("cfn-lint"));
    match Command::new(&candidate).arg("--version").output() {
        Ok(output) if output.status.success() => Some(candidate),
        result => {
            let why = match result {
                Ok(output) => String::from_utf8_lossy(&output.stderr).into_owned(),
                Err(error) => error.to_string(),
            };
            let ci = std::env::var("CI").is_ok_and(|value| !value.is_empty() && value != "0" && value != "false");
            assert!(
                !ci,
                "cfn-lint is required in CI and `{}` does not run ({why}): `cargo xtask test` installs it from tools/requirements-cfn-lint.txt",
                candidate.display()
            );
            eprintln!(
                "SKIPPED cfn_lint_passes_on_every_example: `{}` does not run ({why}); pip install -r tools/requirements-cfn-lint.txt",
                candidate.display()
            );
            None
        }
    }
}

#[test]
fn cfn_lint_passes_on_every_example() {
    let Some(cfn_lint) = cfn_lint() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for name in EXAMPLES {
        let state = example(name, None);
        for (format, extension) in [(CfnFormat::Yaml, "yaml"), (CfnFormat::Json, "json")] {
            let path = dir.path().join(format!("{name}.{extension}"));
            std::fs::write(&path, cfn(&state, format)).unwrap();
            files.push(path);
        }
    }
    let path = dir.path().join("full-prod.yaml");
    std::fs::write(&path, cfn(&example("full", Some("prod")), CfnFormat::Yaml)).unwrap();
    files.push(path);
    // Every rule, warnings included: exit code 0 means nothing at all was found.
    let output = Command::new(&cfn_lint).arg("--format").arg("parseable").args(&files).output().unwrap();
    assert!(
        output.status.success(),
        "cfn-lint found problems (exit {:?}):\n{}{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Generates one trigger crate, with the lock file checked in next to this test (so the build
/// needs no registry index and cannot pick up a breaking release), and runs its tests: the
/// handler on the sample event. The crate builds into a target folder kept under this
/// workspace's own, so only the first run on a machine compiles its dependencies.
#[test]
fn a_generated_trigger_crate_builds_and_passes_its_tests() {
    let scaffold =
        render::trigger_scaffold(auth_spec::model::Trigger::PreSignUp, Some("email-filter-allowlist"), None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for file in &scaffold.files {
        let path = dir.path().join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &file.contents).unwrap();
    }
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/trigger-scaffold.Cargo.lock");
    std::fs::copy(&lock, dir.path().join("Cargo.lock")).unwrap();
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("trigger-scaffold");
    let output = Command::new(env!("CARGO"))
        .args(["test", "--locked", "--quiet"])
        .current_dir(dir.path())
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "cargo test in the generated crate failed:\n{stdout}{}\n(if only Cargo.lock is stale: regenerate tests/fixtures/trigger-scaffold.Cargo.lock with `cargo generate-lockfile` in a generated crate)",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("test result: ok. 2 passed"), "{stdout}");
}
