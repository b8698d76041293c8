//! `cargo xtask init --preset manual` with a terminal attached: the questions `amplify add auth`
//! asks, answered through a pseudo-terminal (keys as a user types them), and the spec they make.

use rexpect::session::spawn_command;
use std::process::Command;

const DOWN: &str = "\x1b[B";
const ENTER: &str = "\r";
const SPACE: &str = " ";

/// Types keys at the prompt (the session buffers until a newline, so flush).
fn keys(session: &mut rexpect::session::PtySession, typed: &str) -> Result<(), rexpect::error::Error> {
    session.send(typed)?;
    session.flush()
}

#[test]
fn manual_init_asks_the_questions_and_writes_what_was_answered() -> Result<(), rexpect::error::Error> {
    let dir = tempfile::tempdir().expect("a temp dir");
    let spec = dir.path().join("auth.toml");
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.args(["init", "--preset", "manual", "--spec"]).arg(&spec).env("TERM", "xterm");
    let mut session = spawn_command(command, Some(30_000))?;

    session.exp_string("User pool name")?;
    keys(&mut session, &format!("pty-users{ENTER}"))?;
    session.exp_string("How do you want users to be able to sign in?")?;
    keys(&mut session, &format!("{DOWN}{DOWN}{DOWN}{ENTER}"))?; // Email or phone number
    session.exp_string("Which attributes are required for sign-up?")?;
    keys(&mut session, &format!("{SPACE}{ENTER}"))?; // the first attribute
    session.exp_string("Multi-factor authentication (MFA)")?;
    keys(&mut session, &format!("{DOWN}{ENTER}"))?; // Optional
    session.exp_string("Which second factors?")?;
    keys(&mut session, ENTER)?; // the default: TOTP
    session.exp_string("Minimum password length")?;
    keys(&mut session, &format!("12{ENTER}"))?;
    session.exp_string("Social providers for the hosted UI")?;
    keys(&mut session, ENTER)?; // none
    session.exp_string("wrote")?;
    session.exp_eof()?;

    let loaded = auth_spec::load_file(&spec, None).expect("the written spec validates");
    let written = loaded.spec;
    assert_eq!(written.pool.name, "pty-users");
    assert_eq!(
        written.pool.sign_in,
        [auth_spec::model::SignInIdentifier::Email, auth_spec::model::SignInIdentifier::Phone]
    );
    assert_eq!(written.mfa.mode, auth_spec::model::MfaMode::Optional);
    assert_eq!(written.mfa.methods, [auth_spec::model::MfaMethod::Totp]);
    assert_eq!(written.pool.password.min_length, 12);
    let first = auth_spec::model::StandardAttribute::ALL[0];
    assert!(
        written.attributes.get(first).is_some_and(|attribute| attribute.required),
        "{} was selected as required",
        first.name()
    );
    Ok(())
}
