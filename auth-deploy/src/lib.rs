//! Deploys an auth spec to Amazon Cognito: read the live state, plan, apply, write the outputs.
//!
//! ```text
//! Spec ─auth_spec::resolve─▶ desired AuthState ─┐
//!                                                ├─ plan (pure) ─▶ Plan ─ apply ─▶ Cognito
//! Cognito ─live::read (concurrent)─▶ Live ───────┘                          │
//!    └──────────── import: Live ─▶ Spec (TOML)              outputs: amplify_outputs.json
//! ```
//!
//! Only [`apply`] (and [`deploy::destroy`], `import --adopt`) change anything in AWS; everything
//! that decides ([`plan()`], [`deploy::check_allowed`], [`normalize`], [`requests`],
//! [`import::spec_from_live`]) is a pure function, tested without a network.
//!
//! ```no_run
//! # async fn example(spec: &auth_spec::Spec) -> auth_deploy::Result<()> {
//! use auth_deploy::{Aws, AwsTarget, Externals, deploy};
//! let aws = Aws::connect(&AwsTarget { region: Some("eu-west-1".into()), ..AwsTarget::default() }).await?;
//! let desired = auth_spec::resolve(spec);
//! let externals = Externals::from_process(".");
//! let diff = deploy::diff(&aws, &desired, &externals).await?;
//! println!("{}", diff.plan.display());
//! let done = deploy::deploy(&aws, &desired, &externals, &deploy::DeployOptions::default(), &mut |_| {}).await?;
//! deploy::write_outputs("amplify_outputs.json".as_ref(), &done.outputs)?;
//! # Ok(()) }
//! ```

pub mod apply;
pub mod bench;
pub mod deploy;
pub mod error;
pub mod externals;
pub mod import;
pub mod live;
pub mod normalize;
pub mod plan;
pub mod render;
pub mod requests;
pub mod sdk;

#[cfg(test)]
mod fixtures;

pub use apply::{ApplyOptions, Progress};
pub use error::{Error, Result};
pub use externals::{Externals, Fingerprints};
pub use live::Live;
pub use plan::{Action, ChangeClass, FieldChange, Plan, Resource, ResourcePlan, Step, plan};
pub use sdk::{Aws, AwsTarget, CallCounts, CallLog, StaticCredentials};
