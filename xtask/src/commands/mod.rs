//! One module per subcommand, plus the flags they share.

pub mod aws;
pub mod bench;
pub mod demo;
pub mod deploy;
pub mod destroy;
pub mod diff;
pub mod import;
pub mod init;
pub mod new_trigger;
pub mod outputs;
pub mod schema;
pub mod target;
pub mod template;
pub mod validate;

use crate::report;
use auth_spec::diagnostics::Diagnostics;
use auth_spec::{LoadError, Spec};
use std::fmt;
use std::path::PathBuf;

/// Where the spec comes from.
#[derive(Debug, Clone)]
pub enum SpecSource {
    /// A TOML file: `--spec <path>`, default `auth.toml`.
    File,
    /// A spec built in Rust; `--spec` is ignored.
    Rust(Box<Spec>),
}

/// `--spec` and `--env`, shared by every command that reads a spec.
#[derive(clap::Args, Debug, Clone)]
pub struct SpecArgs {
    /// The spec file.
    #[arg(long, default_value = "auth.toml", env = "AUTH_SPEC")]
    pub spec: PathBuf,
    /// Apply the `[env.<name>]` overlay.
    #[arg(long, env = "AUTH_ENV")]
    pub env: Option<String>,
}

/// Why the spec could not be used, rendered for the terminal.
#[derive(Debug)]
pub struct SpecFailure(String);

impl fmt::Display for SpecFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl SpecArgs {
    /// Loads and validates the spec; a failure is the full report, ready to print.
    pub fn load(&self, source: &SpecSource) -> Result<(Spec, Diagnostics), SpecFailure> {
        match source {
            SpecSource::File => match auth_spec::load_file(&self.spec, self.env.as_deref()) {
                Ok(loaded) => Ok((loaded.spec, loaded.warnings)),
                Err(LoadError::Invalid(diagnostics)) => {
                    let errors = diagnostics.errors().count();
                    Err(SpecFailure(format!(
                        "{}{} is invalid: {errors} error{}\n",
                        report::render(&diagnostics),
                        self.spec.display(),
                        if errors == 1 { "" } else { "s" }
                    )))
                }
                Err(error) => Err(SpecFailure(format!("error: {error}\n"))),
            },
            SpecSource::Rust(spec) => {
                let spec = match &self.env {
                    Some(env) => spec.with_env(env).map_err(|diagnostics| SpecFailure(report::render(&diagnostics)))?,
                    None => (**spec).clone(),
                };
                auth_spec::validate_spec(&spec).map(|warnings| (spec, warnings)).map_err(|diagnostics| {
                    SpecFailure(format!("{}the spec is invalid\n", report::render(&diagnostics)))
                })
            }
        }
    }

    /// How to name the spec in messages.
    pub fn describe(&self, source: &SpecSource) -> String {
        match source {
            SpecSource::File => self.spec.display().to_string(),
            SpecSource::Rust(_) => "spec (built in Rust)".to_string(),
        }
    }
}
