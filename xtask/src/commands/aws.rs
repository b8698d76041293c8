//! What the AWS commands (`diff`, `deploy`, `outputs`, `import`, `destroy`) share: the AWS flags,
//! the async runtime, and how a deploy error is shown.

use auth_deploy::{AwsTarget, Error};
use std::fmt;

/// Where the commands talk to AWS.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct AwsArgs {
    /// A Cognito-compatible endpoint instead of AWS (e.g. `cargo xtask local`'s). `AWS_ENDPOINT_URL`
    /// works too.
    #[arg(long, env = auth_deploy::sdk::ENDPOINT_ENV)]
    pub endpoint_url: Option<String>,
    /// AWS region; default: the spec's `pool.region`, else `AWS_REGION` / the profile's.
    #[arg(long)]
    pub region: Option<String>,
    /// Named profile of the shared AWS config and credentials files.
    #[arg(long, env = "AWS_PROFILE")]
    pub profile: Option<String>,
}

impl AwsArgs {
    /// The target, with the spec's region as the default region.
    pub fn target(&self, spec_region: Option<&str>) -> AwsTarget {
        AwsTarget {
            endpoint_url: self.endpoint_url.clone(),
            region: self.region.clone().or_else(|| spec_region.map(str::to_string)),
            profile: self.profile.clone(),
            ..AwsTarget::default()
        }
    }
}

/// A small runtime for one command (two workers: the machines are small and the work is I/O).
pub fn block_on<F: std::future::Future>(future: F) -> Result<F::Output, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    Ok(runtime.block_on(future))
}

/// A deploy error as a miette report: the message, a code, and what to do about it.
pub struct Report(pub Error);

impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let code = match &self.0 {
            Error::Aws { .. } => "deploy::aws",
            Error::UnmanagedPool { .. } => "deploy::unmanaged",
            Error::Ambiguous { .. } => "deploy::ambiguous",
            Error::PoolNotFound(_) | Error::NotDeployed(_) => "deploy::not-found",
            Error::DestructiveRefused { .. } => "deploy::destructive",
            Error::NeedsDestroy { .. } => "deploy::needs-destroy",
            Error::NotConfirmed(_) => "deploy::not-confirmed",
            Error::MissingSecret { .. } => "deploy::missing-secret",
            Error::Interrupted { .. } => "deploy::interrupted",
            _ => "deploy::error",
        };
        Some(Box::new(code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let help = match &self.0 {
            Error::Aws { code: Some(code), .. } if code.contains("Throttl") || code.contains("TooManyRequests") => {
                "Cognito is throttling: the call was retried with backoff; wait a little and run the command again"
            }
            Error::Aws { .. } => "check the AWS credentials, the region, and Cognito's message above",
            Error::MissingSecret { .. } => "export the variable (from your secret manager), then run the command again",
            Error::DestructiveRefused { .. } => "run `cargo xtask diff` to read why each change is destructive",
            Error::Config(_) => "pass --region or --profile, or set AWS_REGION",
            _ => return None,
        };
        Some(Box::new(help))
    }
}

/// Prints an error the way every command does, and returns the error exit code.
pub fn fail(error: Error) -> i32 {
    eprintln!("{:?}", miette::Report::new(Report(error)));
    1
}

/// Writes to standard output; a closed pipe (`| head`) ends the output quietly instead of
/// panicking like `print!`.
pub fn out(text: impl fmt::Display) {
    use std::io::Write;
    let _ = write!(std::io::stdout().lock(), "{text}");
}
