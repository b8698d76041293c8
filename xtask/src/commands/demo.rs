//! `cargo xtask demo`: the whole product offline, on a machine with no AWS account. Starts the
//! local Cognito-compatible server, deploys `examples/cli-app/auth.toml` to it with
//! `cargo xtask deploy` (the outputs file included), then runs the example app through sign-up,
//! confirmation (the code read from the local outbox), SRP sign-in, TOTP set-up, a
//! TOTP-confirmed sign-in, the typed claims and sign-out, printing each command and step.

use cognito_local_harness::process::{self, SpawnOptions};
use std::path::PathBuf;
use std::process::Command;

/// Flags of `demo`.
#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    /// The spec to deploy (the example app is written against this one).
    #[arg(long, default_value_os_t = crate::workspace_root().join("examples/cli-app/auth.toml"))]
    pub spec: PathBuf,
    /// Where the outputs file goes.
    #[arg(long, default_value_os_t = crate::workspace_root().join("target/demo/amplify_outputs.json"))]
    pub outputs: PathBuf,
}

/// The local server's account the demo deploys into (its default account).
const ACCOUNT: &str = "000000000000";

pub fn run(args: DemoArgs) -> i32 {
    println!("==> building and starting the local Cognito-compatible server (tools/cognito-local)");
    let binary = match process::build() {
        Ok(binary) => binary,
        Err(error) => return fail(&format!("cannot build cognito-local: {error}")),
    };
    let options = SpawnOptions { port: 0, exit_with_parent: true, log_filter: Some("error".into()) };
    let mut server = match process::spawn(&binary, &options) {
        Ok(server) => server,
        Err(error) => return fail(&format!("cannot start cognito-local: {error}")),
    };
    let endpoint = server.endpoint().to_string();
    println!("    listening on {endpoint}\n");
    let code = steps(&args, &endpoint);
    server.stop();
    println!("\n==> stopped the local server");
    code
}

fn steps(args: &DemoArgs, endpoint: &str) -> i32 {
    let xtask = match std::env::current_exe() {
        Ok(path) => path,
        Err(error) => return fail(&format!("cannot find the xtask binary: {error}")),
    };
    let spec = args.spec.display().to_string();
    let outputs = args.outputs.display().to_string();
    println!("==> cargo xtask validate --spec {spec}");
    if !run_step(Command::new(&xtask).args(["validate", "--spec", &spec])) {
        return 1;
    }
    println!("\n==> cargo xtask deploy --spec {spec} --endpoint-url {endpoint} --outputs {outputs}");
    let deploy =
        ["deploy", "--spec", &spec, "--endpoint-url", endpoint, "--region", "us-east-1", "--outputs", &outputs];
    if !run_step(local_credentials(Command::new(&xtask).args(deploy))) {
        return 1;
    }
    println!("\n==> cargo xtask diff (right after deploy: nothing to change)");
    let diff = ["diff", "--spec", &spec, "--endpoint-url", endpoint, "--region", "us-east-1"];
    if !run_step(local_credentials(Command::new(&xtask).args(diff))) {
        return 1;
    }
    let email = format!("demo-{}@example.test", std::process::id());
    println!(
        "\n==> cargo run -p cli-app -- --outputs {outputs} --codes-from {endpoint} walkthrough --email {email} --password '********'"
    );
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let app = [
        "run",
        "--quiet",
        "-p",
        "cli-app",
        "--",
        "--outputs",
        &outputs,
        "--codes-from",
        endpoint,
        "walkthrough",
        "--email",
        &email,
        "--password",
        "Demo-passw0rd!",
    ];
    if !run_step(Command::new(cargo).current_dir(crate::workspace_root()).args(app)) {
        return 1;
    }
    println!("\nThe app's types came from {spec} through #[auth_config]; the outputs it read are in {outputs}.");
    0
}

/// The local server's account as the AWS credentials of a command (signatures are not checked).
fn local_credentials(command: &mut Command) -> &mut Command {
    command
        .env("AWS_ACCESS_KEY_ID", ACCOUNT)
        .env("AWS_SECRET_ACCESS_KEY", "local")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
}

/// Runs one step with its output shown; false (after saying why) when it fails.
fn run_step(command: &mut Command) -> bool {
    match command.status() {
        Ok(status) if status.success() => true,
        Ok(status) => {
            eprintln!("error: the step failed ({status})");
            false
        }
        Err(error) => {
            eprintln!("error: cannot run the step: {error}");
            false
        }
    }
}

fn fail(message: &str) -> i32 {
    eprintln!("error: {message}");
    1
}
