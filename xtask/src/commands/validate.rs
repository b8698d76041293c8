//! `cargo xtask validate`: load a spec, check it, print a one-line summary or the report.

use super::{SpecArgs, SpecSource};
use crate::report;

/// Flags of `validate`.
#[derive(clap::Args, Debug)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
}

pub fn run(args: ValidateArgs, source: &SpecSource) -> i32 {
    match args.spec.load(source) {
        Ok((spec, warnings)) => {
            if !warnings.items.is_empty() {
                eprint!("{}", report::render(&warnings));
            }
            println!("{}", summary(&spec, &args.spec.describe(source)));
            0
        }
        Err(failure) => {
            eprint!("{failure}");
            1
        }
    }
}

/// `auth.toml: valid — pool "myapp-users", 2 clients, 1 provider, 3 groups, MFA optional (totp)`.
fn summary(spec: &auth_spec::Spec, origin: &str) -> String {
    let plural = |count: usize, word: &str| format!("{count} {word}{}", if count == 1 { "" } else { "s" });
    let providers = auth_spec::resolve::provider_names(&spec.providers).len();
    let mfa = match spec.mfa.mode {
        auth_spec::model::MfaMode::Off => "MFA off".to_string(),
        mode => format!(
            "MFA {} ({})",
            format!("{mode:?}").to_lowercase(),
            spec.mfa.methods.iter().map(|m| format!("{m:?}").to_lowercase()).collect::<Vec<_>>().join(", ")
        ),
    };
    format!(
        "{origin}: valid: pool \"{}\", {}, {}, {}, {}, {mfa}",
        spec.pool.name,
        plural(spec.clients.len(), "client"),
        plural(providers, "provider"),
        plural(spec.groups.len(), "group"),
        plural(spec.custom_attributes.len(), "custom attribute"),
    )
}
