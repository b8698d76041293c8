//! `cargo xtask outputs`: rewrites the outputs file from the live state, changing nothing.

use super::SpecSource;
use super::aws::out;
use super::target::TargetArgs;
use auth_deploy::deploy;
use std::path::PathBuf;

/// Flags of `outputs`.
#[derive(clap::Args, Debug)]
pub struct OutputsArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// Where to write the outputs file (`-` for standard output).
    #[arg(long, default_value = "amplify_outputs.json")]
    pub outputs: PathBuf,
}

pub fn run(args: OutputsArgs, source: &SpecSource) -> i32 {
    let loaded = match args.target.load(source) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let loaded = &loaded;
    let path = args.outputs;
    args.target.with_aws(loaded, |aws| async move {
        let outputs = deploy::outputs(&aws, &loaded.desired).await?;
        if path.as_os_str() == "-" {
            out(outputs.to_json());
        } else {
            deploy::write_outputs(&path, &outputs)?;
            eprintln!("wrote {}", path.display());
        }
        Ok(0)
    })
}
