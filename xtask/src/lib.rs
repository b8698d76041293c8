//! `cargo xtask`: the command line of the workspace, usable as a library.
//!
//! A thin clap layer: each subcommand parses its flags, calls a library function (auth-spec,
//! auth-deploy) and prints; no logic lives here that a library test cannot reach.
//!
//! A project can drive its own `cargo xtask` with a spec built in Rust instead of a TOML file:
//!
//! ```no_run
//! use auth_spec::Spec;
//! let mut spec = Spec::default();
//! spec.pool.name = "myapp-users".into();
//! std::process::exit(xtask::run(std::env::args_os(), xtask::SpecSource::Rust(Box::new(spec))) as i32);
//! ```

use clap::{Parser, Subcommand};
use std::ffi::OsString;
use std::process::ExitCode;

mod cfn_lint;
mod commands;
mod local;
mod report;
mod test_command;

pub use commands::SpecSource;

/// The workspace root: where `Cargo.toml` with `[workspace]` is (the parent of this crate).
///
/// `cargo xtask` (a `cargo run`) sets `CARGO_MANIFEST_DIR` for the process, and that is
/// preferred to the compile-time value: a target dir shared between checkouts may hold a binary
/// built in another checkout with the same sources, whose compile-time path points there.
pub fn workspace_root() -> std::path::PathBuf {
    let running = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .filter(|dir| dir.file_name() == Some("xtask".as_ref()) && dir.join("Cargo.toml").is_file());
    let xtask_dir = running.unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    xtask_dir.parent().map(std::path::Path::to_path_buf).unwrap_or_default()
}

#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", about = "Authentication as code for Amazon Cognito", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate a spec against the JSON Schema and Cognito's rules.
    Validate(commands::validate::ValidateArgs),
    /// Regenerate (or with --check, verify) schemas/auth-spec.schema.json.
    Schema(commands::schema::SchemaArgs),
    /// Run the local Cognito-compatible server in the foreground (built once, then cached).
    Local(local::LocalArgs),
    /// The test suite: start the local server, run `cargo test --workspace [ARGS]` against it.
    Test(test_command::TestArgs),
    /// Write a starter auth.toml (default, social, or manual configuration).
    Init(commands::init::InitArgs),
    /// Render the CloudFormation template equivalent to what `deploy` makes.
    Template(commands::template::TemplateArgs),
    /// Write a Rust Lambda crate for a Cognito trigger (`--list` shows the templates).
    NewTrigger(commands::new_trigger::NewTriggerArgs),
    /// Show what deploying would change (exit 0: nothing, 2: changes, 1: error).
    Diff(commands::diff::DiffArgs),
    /// Apply the spec to Cognito, then write the outputs file.
    Deploy(commands::deploy::DeployArgs),
    /// Rewrite the outputs file from the live state, changing nothing.
    Outputs(commands::outputs::OutputsArgs),
    /// Write a spec describing an existing pool (and, with --adopt, manage it from now on).
    Import(commands::import::ImportArgs),
    /// Delete a managed pool with its users, domain and identity pool (asks first).
    Destroy(commands::destroy::DestroyArgs),
    /// Measure diff and no-op deploy: wall time and API calls.
    Bench(commands::bench::BenchArgs),
    /// The whole product offline: local Cognito, deploy the example spec, run the example app.
    Demo(commands::demo::DemoArgs),
}

/// Runs the CLI with the process arguments and the default spec source (`--spec`, else
/// `auth.toml`).
pub fn main() -> ExitCode {
    ExitCode::from(run(std::env::args_os(), SpecSource::File) as u8)
}

/// Runs the CLI with these arguments (the first is the program name) and this spec source.
/// Returns the exit code: 0 success, 1 error, 2 "changes pending" for `diff`.
pub fn run(args: impl IntoIterator<Item = OsString>, source: SpecSource) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() { 1 } else { 0 };
        }
    };
    match cli.command {
        Command::Validate(args) => commands::validate::run(args, &source),
        Command::Schema(args) => commands::schema::run(args),
        Command::Local(args) => local::run(args),
        Command::Test(args) => test_command::run(args),
        Command::Init(args) => commands::init::run(args),
        Command::Template(args) => commands::template::run(args, &source),
        Command::NewTrigger(args) => commands::new_trigger::run(args),
        Command::Diff(args) => commands::diff::run(args, &source),
        Command::Deploy(args) => commands::deploy::run(args, &source),
        Command::Outputs(args) => commands::outputs::run(args, &source),
        Command::Import(args) => commands::import::run(args),
        Command::Destroy(args) => commands::destroy::run(args, &source),
        Command::Bench(args) => commands::bench::run(args),
        Command::Demo(args) => commands::demo::run(args),
    }
}
