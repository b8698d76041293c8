//! `cargo xtask template`: the CloudFormation template equivalent to what `deploy` makes, for
//! pipelines that deploy CloudFormation or CDK (`cloudformation_include.CfnInclude`).

use super::{SpecArgs, SpecSource};
use crate::report;
use auth_deploy::Externals;
use auth_deploy::render::{self, CfnFormat, CfnOptions, SecretSource};
use std::path::{Path, PathBuf};

/// The template's format.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// YAML with short-form intrinsic functions.
    Yaml,
    /// JSON.
    Json,
}

/// Flags of `template`.
#[derive(clap::Args, Debug)]
pub struct TemplateArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    /// The template's format.
    #[arg(long, value_enum, default_value_t = Format::Yaml)]
    pub format: Format,
    /// Where to write the template (default: standard output).
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// Read provider secrets from Secrets Manager secrets named `<PREFIX><ENV_NAME>` (dynamic
    /// references) instead of asking for them as NoEcho stack parameters.
    #[arg(long, value_name = "PREFIX")]
    pub secrets_manager: Option<String>,
}

pub fn run(args: TemplateArgs, source: &SpecSource) -> i32 {
    let (spec, warnings) = match args.spec.load(source) {
        Ok(loaded) => loaded,
        Err(failure) => {
            eprint!("{failure}");
            return 1;
        }
    };
    if !warnings.items.is_empty() {
        eprint!("{}", report::render(&warnings));
    }
    // SAML metadata files are relative to the spec, as for `deploy`.
    let base = match source {
        SpecSource::File => {
            args.spec.spec.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."))
        }
        SpecSource::Rust(_) => Path::new("."),
    };
    let options = CfnOptions {
        format: match args.format {
            Format::Yaml => CfnFormat::Yaml,
            Format::Json => CfnFormat::Json,
        },
        secrets: match args.secrets_manager {
            Some(prefix) => SecretSource::SecretsManager { prefix },
            None => SecretSource::Parameters,
        },
    };
    let template = match render::cloudformation(&auth_spec::resolve(&spec), &options, &Externals::from_process(base)) {
        Ok(template) => template,
        Err(error) => {
            eprintln!("error: {error}");
            return 1;
        }
    };
    match &args.output {
        None => {
            print!("{template}");
            0
        }
        Some(path) => match std::fs::write(path, template) {
            Ok(()) => {
                eprintln!("wrote {}", path.display());
                0
            }
            Err(error) => {
                eprintln!("error: cannot write {}: {error}", path.display());
                1
            }
        },
    }
}
