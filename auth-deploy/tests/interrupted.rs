//! A deploy that dies after any step converges on the next run, without duplicates.

mod common;

use auth_deploy::deploy::{self, DeployOptions};
use auth_deploy::{ApplyOptions, Error};
use auth_spec::resolve;
use common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_deploy_converges_on_the_next_run_after_every_step() {
    let desired = resolve(&rich());
    let total = {
        let env = env().await;
        deploy::diff(&env.aws, &desired, &externals()).await.expect("diff").plan.steps.len()
    };
    assert!(total >= 12, "the plan has {total} steps");
    for stop_after in 0..total {
        let env = env().await;
        let options =
            DeployOptions { apply: ApplyOptions { stop_after: Some(stop_after) }, ..DeployOptions::default() };
        let stopped = deploy::deploy(&env.aws, &desired, &externals(), &options, &mut |_| {}).await;
        match stopped {
            Err(Error::Interrupted { completed, total: planned }) => {
                assert_eq!((completed, planned), (stop_after, total), "stopped after {stop_after}")
            }
            other => panic!("stop after {stop_after}: expected an interruption, got {other:?}"),
        }

        let rerun = deploy(&env, &desired).await;
        assert!(
            rerun.plan.steps.len() <= total - stop_after + 1,
            "stop after {stop_after}: the rerun redid finished work:\n{}",
            rerun.plan.display()
        );
        assert_converged(&env, &desired).await;
        assert_single_resources(&env, &desired, stop_after).await;
    }
}

/// Exactly one pool, identity pool, client, group and provider of each name exists.
async fn assert_single_resources(env: &Env, desired: &auth_spec::AuthState, step: usize) {
    let idp = aws_sdk_cognitoidentityprovider::Client::new(env.account.sdk_config());
    let pools = idp.list_user_pools().max_results(60).send().await.unwrap();
    let ours: Vec<_> = pools.user_pools().iter().filter(|p| p.name() == Some(desired.pool.name.as_str())).collect();
    assert_eq!(ours.len(), 1, "step {step}: pools {ours:?}");
    let pool_id = ours[0].id().unwrap();
    let clients = idp.list_user_pool_clients().user_pool_id(pool_id).max_results(60).send().await.unwrap();
    let mut names: Vec<&str> = clients.user_pool_clients().iter().filter_map(|c| c.client_name()).collect();
    names.sort();
    assert_eq!(names, desired.clients.keys().map(String::as_str).collect::<Vec<_>>(), "step {step}: clients");
    let groups = idp.list_groups().user_pool_id(pool_id).send().await.unwrap();
    assert_eq!(groups.groups().len(), desired.groups.len(), "step {step}: groups");
    let providers = idp.list_identity_providers().user_pool_id(pool_id).send().await.unwrap();
    assert_eq!(providers.providers().len(), desired.identity_providers.len(), "step {step}: providers");
    let identity = aws_sdk_cognitoidentity::Client::new(env.account.sdk_config());
    let identity_pools = identity.list_identity_pools().max_results(60).send().await.unwrap();
    assert_eq!(identity_pools.identity_pools().len(), 1, "step {step}: identity pools");
}
