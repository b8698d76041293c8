//! `cargo xtask outputs`: rewrites the outputs file from the live state, changing nothing.

use super::SpecSource;
use super::aws::out;
use super::target::TargetArgs;
use auth_deploy::deploy;
use auth_deploy::render::{self, ClientConfigFormat};
use std::path::PathBuf;

/// Flags of `outputs`.
#[derive(clap::Args, Debug)]
pub struct OutputsArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// The file's format: amplify-outputs (Amplify Gen 2), aws-exports (amplify-js before Gen 2),
    /// amplifyconfiguration (Amplify Swift/Android/Flutter v1), awsconfiguration (AWSMobileClient).
    #[arg(long, default_value = "amplify-outputs", value_parser = parse_format)]
    pub format: ClientConfigFormat,
    /// Where to write the outputs file (`-` for standard output; default: the format's usual file
    /// name, e.g. amplify_outputs.json).
    #[arg(long)]
    pub outputs: Option<PathBuf>,
}

fn parse_format(name: &str) -> Result<ClientConfigFormat, String> {
    ClientConfigFormat::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = ClientConfigFormat::ALL.iter().map(|format| format.name()).collect();
        format!("expected one of: {}", names.join(", "))
    })
}

pub fn run(args: OutputsArgs, source: &SpecSource) -> i32 {
    let loaded = match args.target.load(source) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let loaded = &loaded;
    let format = args.format;
    let path = args.outputs.unwrap_or_else(|| PathBuf::from(format.file_name()));
    args.target.with_aws(loaded, |aws| async move {
        let outputs = deploy::outputs(&aws, &loaded.desired).await?;
        let text = match render::client_config(format, &outputs) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("error: {error}");
                return Ok(1);
            }
        };
        if path.as_os_str() == "-" {
            out(text);
        } else if format == ClientConfigFormat::AmplifyOutputs {
            deploy::write_outputs(&path, &outputs)?;
            eprintln!("wrote {}", path.display());
        } else if let Err(error) = std::fs::write(&path, text) {
            eprintln!("error: cannot write {}: {error}", path.display());
            return Ok(1);
        } else {
            eprintln!("wrote {}", path.display());
        }
        Ok(0)
    })
}
