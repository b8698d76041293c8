//! The example app end to end: its spec deployed to the local Cognito-compatible server with
//! auth-deploy, then the app binary run through sign-up, confirmation, SRP sign-in, TOTP set-up,
//! a TOTP-confirmed sign-in, typed claims and sign-out, all through the wire.

use auth_deploy::{Aws, AwsTarget, StaticCredentials};
use cognito_local_harness::LocalCognito;
use std::path::Path;
use std::process::Command;

#[tokio::test]
async fn the_app_walks_through_every_step_against_the_local_server() {
    let local = LocalCognito::shared().await.unwrap();
    let account = local.account().await.unwrap();
    let spec_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("auth.toml");
    let spec = auth_spec::load_file(&spec_path, None).unwrap().spec;
    let aws = Aws::connect(&AwsTarget {
        endpoint_url: Some(local.endpoint().to_string()),
        region: Some("us-east-1".to_string()),
        credentials: Some(StaticCredentials {
            access_key_id: account.account_id().to_string(),
            secret_access_key: "local".to_string(),
        }),
        ..AwsTarget::default()
    })
    .await
    .unwrap();
    let externals = auth_deploy::Externals::from_process(spec_path.parent().unwrap());
    let deployed =
        auth_deploy::deploy::deploy(&aws, &auth_spec::resolve(&spec), &externals, &Default::default(), &mut |_| {})
            .await
            .unwrap();
    let dir = tempfile_dir();
    let outputs = dir.join("amplify_outputs.json");
    auth_deploy::deploy::write_outputs(&outputs, &deployed.outputs).unwrap();

    let output = Command::new(env!("CARGO_BIN_EXE_cli-app"))
        .arg("--outputs")
        .arg(&outputs)
        .args([
            "--codes-from",
            local.endpoint(),
            "walkthrough",
            "--email",
            "ada@example.test",
            "--password",
            "Corr3ct-horse!",
            "--plan",
            "team",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the app failed:\n{stdout}\n{stderr}");
    for line in [
        "1. sign up ada@example.test",
        "  confirmed",
        "  scan: otpauth://totp/cli-app:",
        "  TOTP is the preferred second factor",
        "  step: ConfirmWithTotpCode",
        "  email: ada@example.test",
        "  given_name: Ada",
        "  plan (custom:plan, typed): team",
        "7. sign out everywhere",
    ] {
        assert!(stdout.contains(line), "missing {line:?} in:\n{stdout}");
    }
    std::fs::remove_dir_all(dir).ok();
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cli-app-walkthrough-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
