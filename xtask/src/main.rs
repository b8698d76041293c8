//! `cargo xtask`: the command line of the workspace. A thin clap layer: each subcommand parses its
//! flags, calls a library function and prints; no logic lives here that a library test cannot reach.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod spec_commands;

#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", about = "Authentication as code for Amazon Cognito")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate a spec against the JSON Schema and Cognito's rules.
    Validate(spec_commands::ValidateArgs),
    /// Regenerate (or with --check, verify) schemas/auth-spec.schema.json.
    Schema(spec_commands::SchemaArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate(args) => spec_commands::validate(args),
        Command::Schema(args) => spec_commands::schema(args),
    }
}
