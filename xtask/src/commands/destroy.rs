//! `cargo xtask destroy --pool <name>`: deletes a managed pool with its users, its domain, and the
//! spec's identity pool with the roles deploy created. Asks for the pool's name first.

use super::SpecArgs;
use super::SpecSource;
use super::aws::{AwsArgs, block_on, fail, out};
use auth_deploy::live::Target;
use auth_deploy::{Aws, deploy};
use std::io::{BufRead, IsTerminal, Write};

/// Flags of `destroy`.
#[derive(clap::Args, Debug)]
pub struct DestroyArgs {
    /// The pool to delete, by name (it must be one this tool manages).
    #[arg(long)]
    pub pool: String,
    /// Do not ask: the pool is deleted with its users.
    #[arg(long)]
    pub yes: bool,
    /// The spec, for its identity pool and region (used when it names this pool).
    #[command(flatten)]
    pub spec: SpecArgs,
    #[command(flatten)]
    pub aws: AwsArgs,
}

pub fn run(args: DestroyArgs, source: &SpecSource) -> i32 {
    let spec = args.spec.load(source).ok().map(|(spec, _)| spec).filter(|spec| spec.pool.name == args.pool);
    let desired = spec.as_ref().map(auth_spec::resolve);
    let target = Target::Managed {
        pool_name: args.pool.clone(),
        identity_pool_name: desired.as_ref().and_then(|d| d.identity_pool.as_ref()).map(|p| p.name.clone()),
        domain: desired.as_ref().and_then(|d| d.domain.as_ref()).map(|d| d.cognito_domain().to_string()),
    };
    let confirmation = if args.yes {
        args.pool.clone()
    } else if std::io::stdin().is_terminal() {
        eprint!("This deletes pool `{}` with all its users. Type the pool's name to confirm: ", args.pool);
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        if std::io::stdin().lock().read_line(&mut line).is_err() {
            return 1;
        }
        line.trim().to_string()
    } else {
        eprintln!("error: not a terminal: pass --yes to destroy pool `{}` and its users", args.pool);
        return 1;
    };
    let aws_target = args.aws.target(spec.as_ref().and_then(|s| s.pool.region.as_deref()));
    let outcome = block_on(async {
        let aws = Aws::connect(&aws_target).await?;
        deploy::destroy(&aws, &target, &confirmation).await
    });
    match outcome {
        Ok(Ok(destroyed)) => {
            out(format!("deleted pool {} ({}, {} user(s))", args.pool, destroyed.pool_id, destroyed.users) + "\n");
            if let Some(id) = destroyed.identity_pool_id {
                out(format!("deleted identity pool {id}") + "\n");
            }
            for role in destroyed.roles {
                out(format!("deleted role {role}") + "\n");
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
