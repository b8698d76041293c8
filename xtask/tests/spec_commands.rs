//! `validate`, `schema` and `init` as a user runs them: exit codes and what they print.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn xtask(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("AUTH_SPEC")
        .env_remove("AUTH_ENV")
        .output()
        .expect("the xtask binary runs")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn validate_accepts_every_example_with_a_one_line_summary() {
    for example in ["minimal", "social", "mfa-required", "custom-auth", "full"] {
        let output = xtask(&["validate", "--spec", &format!("examples/{example}.toml")], &root());
        assert_eq!(output.status.code(), Some(0), "{example}: {}", text(&output.stderr));
        let stdout = text(&output.stdout);
        assert_eq!(stdout.lines().count(), 1, "{stdout}");
        assert!(stdout.contains(": valid: pool \""), "{stdout}");
    }
}

#[test]
fn validate_reports_every_error_of_a_broken_spec_with_lines_and_fixes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("auth.toml"),
        "[pool]\nname = \"shop\"\nsign_inn = [\"email\"]\n\n[pool.password]\nmin_length = 4\n\n[providers.google]\nclient_id = \"g\"\nclient_secret = \"hunter2\"\n\n[clients.web.oauth]\nflows = [\"code\"]\nscopes = [\"openid\", \"profil\"]\ncallback_urls = [\"http://app.example.com/cb\"]\n",
    )
    .unwrap();
    let output = xtask(&["validate"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    insta::assert_snapshot!("broken_spec_report", stderr);
}

#[test]
fn validate_reports_rule_errors_once_the_structure_is_right() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("auth.toml"),
        "[pool]\nname = \"shop\"\n\n[providers.google]\nclient_id = \"g\"\nclient_secret = { env = \"G\" }\n\n[domain]\nprefix = \"shop-cognito\"\n\n[clients.web.oauth]\nflows = [\"code\"]\nscopes = [\"openid\", \"profil\"]\ncallback_urls = [\"http://app.example.com/cb\"]\nproviders = [\"gogle\"]\n",
    )
    .unwrap();
    let output = xtask(&["validate"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!("rule_errors_report", text(&output.stderr));
}

#[test]
fn validate_names_the_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let output = xtask(&["validate", "--spec", "nope.toml"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("cannot read spec file nope.toml"), "{}", text(&output.stderr));
}

#[test]
fn schema_check_passes_on_the_checked_in_schema() {
    let output = xtask(&["schema", "--check"], &root());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
}

#[test]
fn init_writes_a_valid_spec_for_each_preset_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    for (file, args) in [
        ("default.toml", vec!["--preset", "default"]),
        ("social.toml", vec!["--preset", "social"]),
        (
            "manual.toml",
            vec![
                "--preset",
                "manual",
                "--no-input",
                "--sign-in",
                "email,phone",
                "--mfa",
                "optional",
                "--mfa-methods",
                "totp,sms",
                "--required",
                "given_name",
                "--providers",
                "google",
            ],
        ),
    ] {
        let mut full = vec!["init", "--spec", file];
        full.extend(args);
        let output = xtask(&full, dir.path());
        assert_eq!(output.status.code(), Some(0), "{file}: {}", text(&output.stderr));
        let validate = xtask(&["validate", "--spec", file], dir.path());
        assert_eq!(validate.status.code(), Some(0), "{file}: {}", text(&validate.stderr));
        assert!(validate.stderr.is_empty(), "{file} has warnings: {}", text(&validate.stderr));
    }
    let again = xtask(&["init", "--spec", "default.toml"], dir.path());
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("already exists"));
    let manual = std::fs::read_to_string(dir.path().join("manual.toml")).unwrap();
    assert!(manual.contains("sign_in = [\"email\", \"phone\"]") && manual.contains("[sms]"), "{manual}");
}

#[test]
fn init_rejects_an_unknown_attribute_flag() {
    let dir = tempfile::tempdir().unwrap();
    let output = xtask(&["init", "--preset", "manual", "--no-input", "--required", "givenname"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("`givenname` is not a standard attribute"));
    assert!(!dir.path().join("auth.toml").exists());
}
