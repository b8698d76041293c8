//! `cargo xtask bench`: wall time and API calls of `diff` and of a no-op `deploy` for a spec
//! (default `examples/full.toml`), against the local server (started here, in an account of its
//! own) or `--endpoint-url`.

use super::aws::{block_on, fail, out};
use auth_deploy::{AwsTarget, Externals, StaticCredentials, bench};
use cognito_local_harness::process::{self, SpawnOptions};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Flags of `bench`.
#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// The spec to deploy and measure.
    #[arg(long, default_value = "examples/full.toml")]
    pub spec: PathBuf,
    /// Runs of each measurement.
    #[arg(long, default_value_t = 20)]
    pub runs: usize,
    /// A running Cognito-compatible endpoint; default: start the local server.
    #[arg(long, env = auth_deploy::sdk::ENDPOINT_ENV)]
    pub endpoint_url: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: BenchArgs) -> i32 {
    let spec_path = if args.spec.is_relative() { crate::workspace_root().join(&args.spec) } else { args.spec.clone() };
    let loaded = match auth_spec::load_file(&spec_path, None) {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("error: {error}");
            return 1;
        }
    };
    let desired = auth_spec::resolve(&loaded.spec);
    // The server (unless one is given): it stops when this process ends.
    let mut server = None;
    let endpoint = match args.endpoint_url.clone() {
        Some(endpoint) => endpoint,
        None => {
            let started = process::ensure_built().and_then(|binary| {
                process::spawn(
                    &binary,
                    &SpawnOptions { port: 0, exit_with_parent: true, log_filter: Some("error".into()) },
                )
            });
            match started {
                Ok(process) => {
                    let endpoint = process.endpoint().to_string();
                    server = Some(process);
                    endpoint
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    return 1;
                }
            }
        }
    };
    // An account of its own (the local server names accounts by the 12-digit access key id).
    let account = format!("{:012}", 100_000_000_000u64 + u64::from(std::process::id()));
    let target = AwsTarget {
        endpoint_url: Some(endpoint),
        region: Some(loaded.spec.pool.region.clone().unwrap_or_else(|| "us-east-1".into())),
        credentials: Some(StaticCredentials { access_key_id: account, secret_access_key: "bench".into() }),
        ..AwsTarget::default()
    };
    // Secrets the spec references: from the environment, else placeholders (a local server only).
    let secrets: BTreeMap<String, String> = desired
        .identity_providers
        .values()
        .flat_map(|provider| provider.details.values())
        .filter_map(|value| match value {
            auth_spec::state::DetailValue::Secret(secret) => Some(secret.env.clone()),
            _ => None,
        })
        .map(|name| {
            let value = std::env::var(&name).unwrap_or_else(|_| format!("bench-placeholder-{name}"));
            (name, value)
        })
        .collect();
    let externals = Externals::from_map(spec_path.parent().unwrap_or(&spec_path), secrets);
    let outcome = block_on(async {
        let aws = auth_deploy::Aws::connect(&target).await?;
        bench::measure(&aws, &desired, &externals, args.runs.max(1)).await
    });
    drop(server);
    match outcome {
        Ok(Ok(report)) => {
            if args.json {
                out(serde_json::to_string_pretty(&report).unwrap_or_default() + "\n");
            } else {
                out(format!(
                    "{} ({} runs each, endpoint {})\n",
                    spec_path.display(),
                    args.runs.max(1),
                    target.endpoint_url.unwrap_or_default()
                ));
                out(&report);
            }
            0
        }
        Ok(Err(error)) => fail(error),
        Err(message) => {
            eprintln!("error: {message}");
            1
        }
    }
}
