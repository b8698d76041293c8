//! `cargo xtask diff`: what deploying would change, like `terraform plan -detailed-exitcode`:
//! exit 0 when nothing would change, 2 when something would, 1 on error.

use super::SpecSource;
use super::aws::out;
use super::target::TargetArgs;
use auth_deploy::deploy;

/// Flags of `diff`.
#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// Print the plan as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: DiffArgs, source: &SpecSource) -> i32 {
    let loaded = match args.target.load(source) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let loaded = &loaded;
    let json = args.json;
    args.target.with_aws(loaded, |aws| async move {
        let diff = deploy::diff(&aws, &loaded.desired, &loaded.externals).await?;
        if json {
            out(serde_json::to_string_pretty(&diff.plan.to_json()).unwrap_or_default() + "\n");
        } else {
            out(diff.plan.display());
        }
        Ok(if diff.plan.has_changes() { 2 } else { 0 })
    })
}
