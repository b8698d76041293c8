//! The numbers `cargo xtask bench` reports: wall time and API calls of a diff and of a deploy
//! with nothing to do, measured through the real SDK against whatever endpoint the clients use.
//! A library function, so the CLI only sets up the endpoint and prints.

use crate::deploy::{self, DeployOptions};
use crate::error::{Error, Result};
use crate::externals::Externals;
use crate::sdk::{Aws, CallCounts};
use auth_spec::state::AuthState;
use serde::Serialize;
use std::time::{Duration, Instant};

/// Timings of one kind of run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timings {
    /// Runs measured.
    pub runs: usize,
    /// Fastest, milliseconds.
    pub min_ms: f64,
    /// Median, milliseconds.
    pub median_ms: f64,
    /// Slowest, milliseconds.
    pub max_ms: f64,
    /// Calls of one run (every run makes the same calls).
    pub calls: CallCounts,
}

/// What `bench` measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenchReport {
    /// The pool.
    pub pool: String,
    /// The first deploy, from nothing (or from whatever was there).
    pub first_deploy_ms: f64,
    /// Its calls.
    pub first_deploy_calls: CallCounts,
    /// `diff` with nothing to change.
    pub diff: Timings,
    /// `deploy` with nothing to change (a diff plus the outputs).
    pub noop_deploy: Timings,
    /// Settings the endpoint did not keep after the first deploy (a local server that does not
    /// store them). When there are any, the runs use the spec imported from the live pool, which
    /// has the same resources, so the same reads: only then is a deploy a no-op.
    pub not_kept: Vec<String>,
}

/// The settings of `desired` that `live` does not hold, one `resource field` each. Settings fixed
/// at creation are listed, and the rest compared as if they matched, so a missing required
/// attribute does not turn every other resource into "created with a new pool".
fn not_kept(desired: &AuthState, live: &crate::Live, externals: &Externals) -> Vec<String> {
    let fingerprints = externals.fingerprints(desired);
    let first = crate::plan(desired, live, &fingerprints);
    let mut listed: Vec<String> = first
        .resources
        .iter()
        .filter(|resource| matches!(resource.resource, crate::Resource::Pool(_)))
        .flat_map(|resource| {
            resource
                .changes
                .iter()
                .filter(|c| c.class.is_destructive())
                .map(|c| format!("{} {}", resource.resource, c.field))
        })
        .collect();
    let mut patched = live.clone();
    if let Some(pool) = patched.user_pool.as_mut() {
        let (live, wanted) = (&mut pool.state.pool, &desired.pool);
        live.username_attributes = wanted.username_attributes.clone();
        live.alias_attributes = wanted.alias_attributes.clone();
        live.case_sensitive = wanted.case_sensitive;
        live.standard_attributes = wanted.standard_attributes.clone();
        for (name, attribute) in &wanted.custom_attributes {
            live.custom_attributes.insert(name.clone(), attribute.clone());
        }
    }
    let rest = crate::plan(desired, &patched, &fingerprints);
    listed.extend(rest.resources.iter().flat_map(|resource| {
        resource.changes.iter().map(move |change| format!("{} {}", resource.resource, change.field))
    }));
    listed
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn timings(mut samples: Vec<(Duration, CallCounts)>) -> Result<Timings> {
    samples.sort_by_key(|(duration, _)| *duration);
    let (Some(first), Some(last)) = (samples.first(), samples.last()) else {
        return Err(Error::Config("a benchmark needs at least one run".into()));
    };
    let calls = first.1.clone();
    if let Some((_, different)) = samples.iter().find(|(_, counts)| counts.calls != calls.calls) {
        return Err(Error::Unexpected {
            resource: "benchmark".into(),
            operation: "measure",
            message: format!("runs made different calls: {:?} and {:?}", calls.calls, different.calls),
        });
    }
    Ok(Timings {
        runs: samples.len(),
        min_ms: millis(first.0),
        median_ms: millis(samples[samples.len() / 2].0),
        max_ms: millis(last.0),
        calls,
    })
}

/// Deploys `desired`, then measures `runs` diffs and `runs` deploys that find nothing to do. A
/// run that finds something to do is an error: the numbers would not be the no-op's.
pub async fn measure(aws: &Aws, desired: &AuthState, externals: &Externals, runs: usize) -> Result<BenchReport> {
    let log = aws.calls();
    let options = DeployOptions::default();
    let before = log.snapshot();
    let start = Instant::now();
    let first = deploy::deploy(aws, desired, externals, &options, &mut |_| {}).await?;
    let first_deploy_ms = millis(start.elapsed());
    let first_deploy_calls = log.snapshot().since(&before);
    let not_kept = not_kept(desired, &first.live, externals);
    let imported;
    let desired = if not_kept.is_empty() {
        desired
    } else {
        imported = auth_spec::resolve(&crate::import::spec_from_live(&first.live)?.spec);
        &imported
    };
    let not_idle = |what: &str, plan: &crate::Plan| Error::Unexpected {
        resource: format!("pool {}", desired.pool.name),
        operation: "measure",
        message: format!("the {what} after a deploy still has changes:\n{}", plan.display()),
    };

    let mut diffs = Vec::with_capacity(runs);
    for _ in 0..runs {
        let before = log.snapshot();
        let start = Instant::now();
        let diff = deploy::diff(aws, desired, externals).await?;
        let elapsed = start.elapsed();
        if diff.plan.has_changes() {
            return Err(not_idle("diff", &diff.plan));
        }
        diffs.push((elapsed, log.snapshot().since(&before)));
    }
    let mut deploys = Vec::with_capacity(runs);
    for _ in 0..runs {
        let before = log.snapshot();
        let start = Instant::now();
        let done = deploy::deploy(aws, desired, externals, &options, &mut |_| {}).await?;
        let elapsed = start.elapsed();
        if done.plan.has_changes() {
            return Err(not_idle("deploy", &done.plan));
        }
        deploys.push((elapsed, log.snapshot().since(&before)));
    }
    Ok(BenchReport {
        pool: desired.pool.name.clone(),
        first_deploy_ms,
        first_deploy_calls,
        diff: timings(diffs)?,
        noop_deploy: timings(deploys)?,
        not_kept,
    })
}

impl std::fmt::Display for BenchReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let line = |f: &mut std::fmt::Formatter<'_>, name: &str, t: &Timings| {
            writeln!(
                f,
                "{name:<12} {:>4} runs  min {:>7.1} ms  median {:>7.1} ms  max {:>7.1} ms  {:>3} calls ({} mutating)",
                t.runs,
                t.min_ms,
                t.median_ms,
                t.max_ms,
                t.calls.total(),
                t.calls.mutating_total()
            )
        };
        writeln!(f, "pool {}", self.pool)?;
        writeln!(
            f,
            "{:<12} {:>4} run                                           {:>3} calls ({} mutating)  {:.1} ms",
            "first deploy",
            1,
            self.first_deploy_calls.total(),
            self.first_deploy_calls.mutating_total(),
            self.first_deploy_ms
        )?;
        line(f, "diff", &self.diff)?;
        line(f, "no-op deploy", &self.noop_deploy)?;
        if !self.not_kept.is_empty() {
            writeln!(
                f,
                "the endpoint did not keep {} setting(s) of the spec; runs used the spec imported from the live pool:",
                self.not_kept.len()
            )?;
            for setting in &self.not_kept {
                writeln!(f, "  {setting}")?;
            }
        }
        writeln!(f, "calls of one diff:")?;
        for (operation, count) in &self.diff.calls.calls {
            writeln!(f, "  {count:>3}  {operation}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn counts(pairs: &[(&str, u64)]) -> CallCounts {
        CallCounts { calls: pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect(), attempts: BTreeMap::new() }
    }

    #[test]
    fn timings_sort_the_samples_and_keep_one_run_of_calls() {
        let samples = [30, 10, 20].map(|ms| (Duration::from_millis(ms), counts(&[("s:ListGroups", 1)]))).to_vec();
        let t = timings(samples).unwrap();
        assert_eq!((t.min_ms, t.median_ms, t.max_ms, t.runs), (10.0, 20.0, 30.0, 3));
        assert_eq!(t.calls.total(), 1);
    }

    #[test]
    fn runs_that_make_different_calls_are_an_error() {
        let samples = vec![
            (Duration::from_millis(1), counts(&[("s:ListGroups", 1)])),
            (Duration::from_millis(2), counts(&[("s:ListGroups", 2)])),
        ];
        assert!(timings(samples).is_err());
        assert!(timings(Vec::new()).is_err());
    }
}
