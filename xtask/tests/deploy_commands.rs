//! The deploy commands as a user runs them: the `xtask` binary against the local server, checked
//! by exit code and output.

use cognito_local_harness::LocalCognito;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("examples")
}

/// Runs `xtask ARGS` in `dir`, acting in `account` on the local server.
fn xtask(endpoint: &str, account: &str, dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(dir)
        .env("COGNITO_ENDPOINT_URL", endpoint)
        .env("AWS_ACCESS_KEY_ID", account)
        .env("AWS_SECRET_ACCESS_KEY", "local")
        .env_remove("AWS_PROFILE")
        .env_remove("AUTH_SPEC")
        .env_remove("AUTH_ENV")
        .output()
        .expect("the xtask binary runs")
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diff_exits_2_with_changes_0_without_and_1_on_error() {
    let local = LocalCognito::shared().await.expect("local server");
    let account = local.account().await.expect("account");
    let (endpoint, id) = (local.endpoint().to_string(), account.account_id().to_string());
    let dir = tempfile::tempdir().unwrap();
    // Only settings the local server stores (it ignores required standard attributes), so a
    // deploy converges.
    std::fs::write(
        dir.path().join("auth.toml"),
        "[pool]\nname = \"cli-users\"\nregion = \"us-east-1\"\n\n[groups.admins]\nprecedence = 0\n\n[clients.web]\n",
    )
    .unwrap();
    let spec = "auth.toml";
    let run = |args: &[&str]| xtask(&endpoint, &id, dir.path(), args);

    let before = run(&["diff", "--spec", spec, "--region", "us-east-1"]);
    assert_eq!(before.status.code(), Some(2), "{}", text(&before));
    assert!(text(&before).contains("+ create pool cli-users"), "{}", text(&before));

    let json = run(&["diff", "--spec", spec, "--region", "us-east-1", "--json"]);
    assert_eq!(json.status.code(), Some(2));
    let plan: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON on stdout");
    assert_eq!(plan["changes"], true);

    let deployed = run(&["deploy", "--spec", spec, "--region", "us-east-1"]);
    let shown = text(&deployed);
    assert_eq!(deployed.status.code(), Some(0), "{shown}");
    assert!(shown.contains("[1/") && shown.contains("CreateUserPool cli-users"), "{shown}");
    let outputs = std::fs::read_to_string(dir.path().join("amplify_outputs.json")).expect("outputs written");
    assert!(outputs.contains("\"user_pool_id\""), "{outputs}");

    let after = run(&["diff", "--spec", spec]);
    assert_eq!(after.status.code(), Some(0), "the region comes from the spec: {}", text(&after));
    assert!(text(&after).contains("No changes"));
    let again = run(&["deploy", "--spec", spec]);
    assert_eq!(again.status.code(), Some(0));
    assert!(text(&again).contains("Up to date"), "{}", text(&again));

    let rewritten = run(&["outputs", "--spec", spec, "--region", "us-east-1", "--outputs", "-"]);
    assert_eq!(rewritten.status.code(), Some(0), "{}", text(&rewritten));
    assert_eq!(String::from_utf8_lossy(&rewritten.stdout), outputs);

    let missing = run(&["diff", "--spec", "does-not-exist.toml", "--region", "us-east-1"]);
    assert_eq!(missing.status.code(), Some(1), "{}", text(&missing));
    let wrong_region = run(&["diff", "--spec", spec, "--region", "eu-west-1"]);
    assert_eq!(wrong_region.status.code(), Some(1));
    assert!(text(&wrong_region).contains("--region us-east-1"), "{}", text(&wrong_region));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_then_destroy() {
    let local = LocalCognito::shared().await.expect("local server");
    let account = local.account().await.expect("account");
    let (endpoint, id) = (local.endpoint().to_string(), account.account_id().to_string());
    let dir = tempfile::tempdir().unwrap();
    let spec = examples().join("minimal.toml");
    let spec = spec.to_str().unwrap();
    let run = |args: &[&str]| xtask(&endpoint, &id, dir.path(), args);
    let deployed = run(&["deploy", "--spec", spec, "--region", "us-east-1"]);
    assert_eq!(deployed.status.code(), Some(0), "{}", text(&deployed));
    let outputs: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("amplify_outputs.json")).unwrap()).unwrap();
    let pool_id = outputs["auth"]["user_pool_id"].as_str().unwrap().to_string();

    let imported = run(&["import", "--pool-id", &pool_id, "--region", "us-east-1", "--out", "imported.toml"]);
    assert_eq!(imported.status.code(), Some(0), "{}", text(&imported));
    let written = std::fs::read_to_string(dir.path().join("imported.toml")).unwrap();
    let loaded = auth_spec_load(&dir.path().join("imported.toml"));
    assert_eq!(loaded, "minimal-users", "{written}");
    let again = run(&["import", "--pool-id", &pool_id, "--region", "us-east-1", "--out", "imported.toml"]);
    assert_eq!(again.status.code(), Some(1), "an existing file is not overwritten without --force");

    // Without a terminal and without --yes, nothing is deleted.
    let refused = run(&["destroy", "--pool", "minimal-users", "--spec", spec, "--region", "us-east-1"]);
    assert_eq!(refused.status.code(), Some(1));
    let destroyed = run(&["destroy", "--pool", "minimal-users", "--spec", spec, "--region", "us-east-1", "--yes"]);
    assert_eq!(destroyed.status.code(), Some(0), "{}", text(&destroyed));
    assert!(text(&destroyed).contains(&pool_id));
    let gone = run(&["diff", "--spec", spec, "--region", "us-east-1"]);
    assert_eq!(gone.status.code(), Some(2), "everything is to be created again");
}

/// The pool name of a spec file, through the same loader the CLI uses.
fn auth_spec_load(path: &Path) -> String {
    auth_spec::load_file(path, None).unwrap_or_else(|e| panic!("{e}")).spec.pool.name
}
