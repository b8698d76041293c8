//! `cargo xtask import --pool-id <id>`: writes the spec of an existing pool (made by hand or by
//! Amplify), so this tool can manage it; `--adopt` tags the pool so `deploy` will.

use super::aws::{AwsArgs, block_on, fail, out};
use auth_deploy::{Aws, import};
use std::path::PathBuf;

/// Flags of `import`.
#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The pool to import.
    #[arg(long)]
    pub pool_id: String,
    /// Where to write the spec (`-` for standard output).
    #[arg(long, default_value = "auth.toml")]
    pub out: PathBuf,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
    /// Tag the pool `managed-by=auth-deploy`, so `deploy` manages it from now on.
    #[arg(long)]
    pub adopt: bool,
    #[command(flatten)]
    pub aws: AwsArgs,
}

pub fn run(args: ImportArgs) -> i32 {
    if args.out.as_os_str() != "-" && args.out.exists() && !args.force {
        eprintln!("error: {} exists: pass --force to overwrite it, or --out <path>", args.out.display());
        return 1;
    }
    let target = args.aws.target(None);
    let outcome = block_on(async {
        let aws = Aws::connect(&target).await?;
        import::import(&aws, &args.pool_id, args.adopt).await
    });
    let imported = match outcome {
        Ok(Ok(imported)) => imported,
        Ok(Err(error)) => return fail(error),
        Err(message) => {
            eprintln!("error: {message}");
            return 1;
        }
    };
    let toml = match imported.to_toml() {
        Ok(toml) => toml,
        Err(error) => return fail(error),
    };
    for warning in &imported.warnings {
        eprintln!("warning: {warning}");
    }
    if args.out.as_os_str() == "-" {
        out(&toml);
    } else {
        let folder = args.out.parent().filter(|p| !p.as_os_str().is_empty()).map(PathBuf::from).unwrap_or_default();
        let mut files = vec![(args.out.clone(), toml)];
        files.extend(imported.files.iter().map(|(name, content)| (folder.join(name), content.clone())));
        for (path, content) in files {
            if let Err(error) = std::fs::write(&path, content) {
                eprintln!("error: cannot write {}: {error}", path.display());
                return 1;
            }
            eprintln!("wrote {}", path.display());
        }
    }
    if !imported.secret_variables.is_empty() {
        eprintln!("the spec reads these secrets from the environment: {}", imported.secret_variables.join(", "));
    }
    if args.adopt {
        eprintln!(
            "pool {} is now tagged managed-by=auth-deploy: `cargo xtask diff` should show no changes",
            args.pool_id
        );
    } else {
        eprintln!("to manage the pool with `deploy`, run this again with --adopt");
    }
    0
}
