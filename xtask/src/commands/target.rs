//! The spec and AWS flags every deploy command takes, and loading both.

use super::aws::{AwsArgs, block_on, fail};
use super::{SpecArgs, SpecSource};
use crate::report;
use auth_deploy::{Aws, Externals};
use auth_spec::{AuthState, Spec};
use std::path::Path;

/// `--spec`, `--env` and the AWS flags.
#[derive(clap::Args, Debug, Clone)]
pub struct TargetArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    #[command(flatten)]
    pub aws: AwsArgs,
}

/// A loaded spec, resolved, with where its references are read from.
pub struct Loaded {
    pub spec: Spec,
    pub desired: AuthState,
    pub externals: Externals,
}

impl TargetArgs {
    /// Loads the spec (printing its warnings); on failure prints the report and returns the
    /// exit code.
    pub fn load(&self, source: &SpecSource) -> Result<Loaded, i32> {
        let (spec, warnings) = self.spec.load(source).map_err(|failure| {
            eprint!("{failure}");
            1
        })?;
        if !warnings.items.is_empty() {
            eprint!("{}", report::render(&warnings));
        }
        let base = match source {
            SpecSource::File => self.spec.spec.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")),
            SpecSource::Rust(_) => Path::new("."),
        };
        let desired = auth_spec::resolve(&spec);
        Ok(Loaded { externals: Externals::from_process(base), desired, spec })
    }

    /// Runs `body` with clients for the spec's region; errors become the exit code 1.
    pub fn with_aws<F, Fut>(&self, loaded: &Loaded, body: F) -> i32
    where
        F: FnOnce(Aws) -> Fut,
        Fut: std::future::Future<Output = Result<i32, auth_deploy::Error>>,
    {
        let target = self.aws.target(loaded.spec.pool.region.as_deref());
        let outcome = block_on(async move {
            let aws = Aws::connect(&target).await?;
            body(aws).await
        });
        match outcome {
            Ok(Ok(code)) => code,
            Ok(Err(error)) => fail(error),
            Err(message) => {
                eprintln!("error: {message}");
                1
            }
        }
    }
}
