//! `cargo xtask schema`: regenerate `schemas/auth-spec.schema.json`, or check it is current.

use std::path::PathBuf;

/// Flags of `schema`.
#[derive(clap::Args, Debug)]
pub struct SchemaArgs {
    /// Only check that the file is up to date (exit 1 if not).
    #[arg(long)]
    pub check: bool,
    /// Where the schema goes.
    #[arg(long, default_value_os_t = default_path())]
    pub output: PathBuf,
}

/// `schemas/auth-spec.schema.json` at the workspace root.
pub fn default_path() -> PathBuf {
    crate::workspace_root().join("schemas").join("auth-spec.schema.json")
}

pub fn run(args: SchemaArgs) -> i32 {
    let expected = auth_spec::schema::json_schema_text();
    let current = std::fs::read_to_string(&args.output).ok();
    if args.check {
        return if current.as_deref() == Some(expected.as_str()) {
            println!("{} is up to date", args.output.display());
            0
        } else {
            eprintln!("{} is out of date: run `cargo xtask schema`", args.output.display());
            1
        };
    }
    if current.as_deref() == Some(expected.as_str()) {
        println!("{} is up to date", args.output.display());
        return 0;
    }
    if let Some(parent) = args.output.parent()
        && let Err(error) = std::fs::create_dir_all(parent)
    {
        eprintln!("cannot create {}: {error}", parent.display());
        return 1;
    }
    match std::fs::write(&args.output, expected) {
        Ok(()) => {
            println!("wrote {}", args.output.display());
            0
        }
        Err(error) => {
            eprintln!("cannot write {}: {error}", args.output.display());
            1
        }
    }
}
