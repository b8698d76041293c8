//! `cargo xtask test [ARGS...]`: the project's one test command.
//!
//! Builds the local Cognito-compatible server (cached outside the clone, so only the first run
//! on a machine pays for it), starts it on a free port, runs `cargo test --workspace ARGS` with
//! `COGNITO_LOCAL_ENDPOINT` pointing at it (every test process then shares this one server,
//! each test in its own account), stops the server and returns the tests' exit code.

use std::process::Command;

use cognito_local_harness::process::{self, SpawnOptions};

#[derive(clap::Args, Debug)]
pub struct TestArgs {
    /// Passed to `cargo test` (e.g. `-p auth-client`, `-- --nocapture`). With `-p`/`--package`
    /// only those packages are tested, otherwise the whole workspace.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, num_args = 0..)]
    pub args: Vec<String>,
}

pub fn run(args: TestArgs) -> i32 {
    eprintln!("building cognito-local (release, cached in {})", process::target_dir().display());
    let binary = match process::build() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    // The server's own unit tests (its shims and handlers), when the whole suite runs; once
    // per server source version.
    if !selects_packages(&args.args) {
        match process::test_server() {
            Ok(true) => eprintln!("cognito-local's unit tests passed"),
            Ok(false) => {}
            Err(e) => {
                eprintln!("error: {e}");
                return 1;
            }
        }
    }
    let options = SpawnOptions {
        port: 0,
        exit_with_parent: true,
        log_filter: Some(std::env::var("COGNITO_LOCAL_LOG").unwrap_or_else(|_| "error".into())),
    };
    let mut server = match process::spawn(&binary, &options) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    eprintln!("cognito-local is listening on {} (pid {})", server.endpoint(), server.pid());

    // cfn-lint, for auth-deploy's CloudFormation test (see cfn_lint.rs). Without it that test
    // fails in CI (CI=1) and is skipped elsewhere, so a failed install is only a warning here.
    let cfn_lint =
        crate::cfn_lint::ensure().inspect_err(|error| eprintln!("warning: cfn-lint is unavailable: {error}")).ok();

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(cargo_test_args(&args.args))
        .current_dir(crate::workspace_root())
        .env("COGNITO_LOCAL_ENDPOINT", server.endpoint())
        .envs(cfn_lint.map(|path| ("CFN_LINT", path)))
        .status();
    server.stop();
    match status {
        Ok(s) => s.code().unwrap_or(1),
        Err(e) => {
            eprintln!("error: cannot run cargo test: {e}");
            1
        }
    }
}

/// Whether ARGS (before a `--`: what follows goes to the test binaries) select packages.
fn selects_packages(extra: &[String]) -> bool {
    extra
        .iter()
        .take_while(|a| a.as_str() != "--")
        .any(|a| a == "-p" || a == "--package" || a.starts_with("--package=") || (a.starts_with("-p") && a.len() > 2))
}

/// `test --workspace ARGS`, without `--workspace` when ARGS select packages themselves.
fn cargo_test_args(extra: &[String]) -> Vec<String> {
    let mut out = vec!["test".to_string()];
    if !selects_packages(extra) {
        out.push("--workspace".to_string());
    }
    out.extend(extra.iter().cloned());
    out
}

#[cfg(test)]
mod tests {
    use super::cargo_test_args;

    fn v(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn workspace_unless_packages_are_selected() {
        assert_eq!(cargo_test_args(&[]), v(&["test", "--workspace"]));
        assert_eq!(cargo_test_args(&v(&["-p", "auth-client"])), v(&["test", "-p", "auth-client"]));
        assert_eq!(cargo_test_args(&v(&["--package=auth-spec"])), v(&["test", "--package=auth-spec"]));
        assert_eq!(cargo_test_args(&v(&["-pauth-spec"])), v(&["test", "-pauth-spec"]));
        assert_eq!(
            cargo_test_args(&v(&["--", "-p", "--nocapture"])),
            v(&["test", "--workspace", "--", "-p", "--nocapture"])
        );
    }
}
