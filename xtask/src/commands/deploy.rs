//! `cargo xtask deploy`: plan, show the plan, refuse what is destructive and not allowed, apply
//! in dependency order with progress, then write the outputs file from the live state.

use super::SpecSource;
use super::aws::out;
use super::target::TargetArgs;
use auth_deploy::deploy::{self, DeployOptions};
use auth_deploy::{ApplyOptions, Progress};
use std::path::PathBuf;

/// Flags of `deploy`.
#[derive(clap::Args, Debug)]
pub struct DeployArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// Allow the destructive changes to this resource (`pool`, `client:web`, `group:admins`,
    /// `provider:Google`, `resource-server:<id>`, `domain`, `identity-pool`); repeat for each.
    #[arg(long = "allow-destructive", value_name = "RESOURCE")]
    pub allow_destructive: Vec<String>,
    /// Where to write the outputs file.
    #[arg(long, default_value = "amplify_outputs.json")]
    pub outputs: PathBuf,
    /// Stop after this many steps (to see that the next deploy finishes the job).
    #[arg(long, hide = true)]
    pub stop_after: Option<usize>,
}

pub fn run(args: DeployArgs, source: &SpecSource) -> i32 {
    let loaded = match args.target.load(source) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let loaded = &loaded;
    let options = DeployOptions {
        allow_destructive: args.allow_destructive,
        apply: ApplyOptions { stop_after: args.stop_after },
    };
    let outputs_path = args.outputs;
    args.target.with_aws(loaded, |aws| async move {
        let pool_name = loaded.desired.pool.name.clone();
        let mut progress = |event: Progress<'_>| match event {
            // The plan is shown before anything changes (or is refused).
            Progress::Planned { plan } => {
                out(plan.display());
                if plan.has_changes() {
                    out("\n");
                }
            }
            Progress::Started { index, total, step, resource } => {
                out(format!("[{index}/{total}] {} {}\n", step.operation(), resource.name(&pool_name)))
            }
            Progress::Finished { .. } => {}
        };
        let deployed = deploy::deploy(&aws, &loaded.desired, &loaded.externals, &options, &mut progress).await?;
        deploy::write_outputs(&outputs_path, &deployed.outputs)?;
        let ids = deployed.live.deployed_ids();
        out(format!(
            "\n{}: pool {} ({}); outputs written to {}\n",
            if deployed.plan.has_changes() { "Deployed" } else { "Up to date" },
            loaded.desired.pool.name,
            ids.map(|ids| ids.user_pool_id).unwrap_or_default(),
            outputs_path.display()
        ));
        Ok(0)
    })
}
