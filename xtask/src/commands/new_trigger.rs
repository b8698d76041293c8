//! `cargo xtask new-trigger <trigger> [--template <name>] [--name <crate>]`: writes a Rust Lambda
//! crate for a Cognito trigger and prints the line that wires it into the spec.

use auth_deploy::render::{self, Scaffold};
use auth_spec::model::Trigger;
use std::path::{Path, PathBuf};

/// Flags of `new-trigger`.
#[derive(clap::Args, Debug)]
pub struct NewTriggerArgs {
    /// The trigger, as the spec's `[triggers]` names it: pre_sign_up, post_confirmation,
    /// define_auth_challenge, custom_message, pre_token_generation, user_migration...
    #[arg(required_unless_present = "list")]
    pub trigger: Option<String>,
    /// The template (default: boilerplate); `--list` shows each trigger's templates.
    #[arg(long)]
    pub template: Option<String>,
    /// The crate's name (default: the trigger's name with dashes, e.g. pre-sign-up).
    #[arg(long)]
    pub name: Option<String>,
    /// The folder to create (default: ./<name>); it must not exist or be empty.
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// List the triggers and their templates.
    #[arg(long)]
    pub list: bool,
}

pub fn run(args: NewTriggerArgs) -> i32 {
    if args.list {
        print!("{}", list());
        return 0;
    }
    let Some(name) = args.trigger.as_deref() else {
        eprintln!("error: name a trigger, or pass --list");
        return 1;
    };
    let Some(trigger) = Trigger::from_name(name) else {
        let names: Vec<&str> = Trigger::ALL.iter().map(|trigger| trigger.name()).collect();
        eprintln!("error: `{name}` is not a Cognito trigger; the triggers: {}", names.join(", "));
        return 1;
    };
    let scaffold = match render::trigger_scaffold(trigger, args.template.as_deref(), args.name.as_deref()) {
        Ok(scaffold) => scaffold,
        Err(error) => {
            eprintln!("error: {error}");
            return 1;
        }
    };
    let dir = args.dir.unwrap_or_else(|| PathBuf::from(&scaffold.crate_name));
    if let Err(message) = write(&dir, &scaffold) {
        eprintln!("error: {message}");
        return 1;
    }
    println!("created {} (crate `{}`)", dir.display(), scaffold.crate_name);
    println!();
    println!("Test it with `cargo test` in {}; once the function is deployed, add to the spec:", dir.display());
    println!();
    println!("[triggers]");
    println!("{}", scaffold.spec_wiring);
    println!();
    println!("and run `cargo xtask deploy`. {}/README.md says what to set up first.", dir.display());
    0
}

/// Writes the crate into `dir`, which must not exist or be empty (nothing is overwritten).
fn write(dir: &Path, scaffold: &Scaffold) -> Result<(), String> {
    if dir.read_dir().is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(format!("{} exists and is not empty: choose another --dir", dir.display()));
    }
    for file in &scaffold.files {
        let path = dir.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|error| format!("cannot create {}: {error}", parent.display()))?;
        }
        std::fs::write(&path, &file.contents).map_err(|error| format!("cannot write {}: {error}", path.display()))?;
    }
    Ok(())
}

/// Every trigger with its templates.
fn list() -> String {
    let mut text = String::new();
    for trigger in Trigger::ALL {
        text.push_str(&format!("{}\n", trigger.name()));
        for template in render::trigger_templates(*trigger) {
            text.push_str(&format!("  {:<24}{}\n", template.name, template.description));
        }
    }
    text
}
