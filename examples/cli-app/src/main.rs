//! An example app built on `#[auth_config("auth.toml")]`: every type it uses for attributes,
//! sign-in steps and claims is generated from `auth.toml`, so a spec change that breaks the app
//! breaks its build. `walkthrough` runs the whole story; the other commands are its pieces.
//!
//! ```text
//! cli-app --outputs amplify_outputs.json walkthrough --email ada@example.com --password '...'
//! ```

use auth_client::{MfaType, SignOutOptions};
use clap::{Parser, Subcommand};
use std::io::{BufRead, Write};
use std::path::PathBuf;

#[auth_macros::auth_config("auth.toml")]
pub mod auth {}

#[derive(Parser)]
#[command(about = "An example app on the auth spec's typed client")]
struct Cli {
    /// The outputs file `cargo xtask deploy` wrote.
    #[arg(long, default_value = "amplify_outputs.json")]
    outputs: PathBuf,
    /// Read confirmation codes from this local Cognito-compatible server (its test endpoint)
    /// instead of asking; TOTP codes are then computed from the secret, as an authenticator app
    /// would. For demos and tests only.
    #[arg(long)]
    codes_from: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Sign up, confirm, sign in, set up TOTP, sign in with a TOTP code, show the claims, sign out.
    Walkthrough {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        #[arg(long, default_value = "Ada")]
        given_name: String,
        #[arg(long, default_value = "pro")]
        plan: String,
    },
}

/// Where codes come from: the user, or the local server.
struct Codes {
    local: Option<String>,
    user_pool_id: String,
}

impl Codes {
    async fn confirmation(&self, username: &str) -> Result<String, Box<dyn std::error::Error>> {
        match &self.local {
            Some(endpoint) => {
                let url = format!(
                    "{endpoint}/_local/codes?userPoolId={}&username={}",
                    self.user_pool_id,
                    username.replace('@', "%40")
                );
                let response = cognito_local_harness::send("GET", &url, &[], "").await?;
                let code = response.json()?["confirmationCode"].as_str().map(str::to_string);
                let code = code.ok_or("the local server has no confirmation code for this user")?;
                println!("  (code {code} read from the local server's outbox)");
                Ok(code)
            }
            None => ask("  confirmation code: "),
        }
    }

    fn totp(&self, secret: &str) -> Result<String, Box<dyn std::error::Error>> {
        match &self.local {
            Some(_) => {
                let secret =
                    totp_rs::Secret::try_from_base32(secret).map_err(|error| format!("TOTP secret: {error:?}"))?;
                let code =
                    totp_rs::Builder::new().with_secret(secret).build_noncompliant().generate_current().to_string();
                println!("  (authenticator app shows {code})");
                Ok(code)
            }
            None => ask("  code from your authenticator app: "),
        }
    }
}

fn ask(prompt: &str) -> Result<String, Box<dyn std::error::Error>> {
    print!("{prompt}");
    std::io::stdout().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim().to_string())
}

/// Answers sign-in steps until done. The `match` is exhaustive over the steps `auth.toml` can
/// produce: enable SMS MFA in the spec and this stops compiling until the app handles it.
/// `totp_secret` is what an authenticator app would hold once TOTP is set up.
async fn finish_sign_in(
    client: &auth::Client,
    mut step: auth::SignInStep,
    codes: &Codes,
    totp_secret: Option<&str>,
) -> Result<(), Box<dyn std::error::Error>> {
    loop {
        step = match step {
            auth::SignInStep::Done => {
                println!("  signed in");
                return Ok(());
            }
            auth::SignInStep::ConfirmWithTotpCode => {
                println!("  step: ConfirmWithTotpCode");
                client.confirm_sign_in(auth::Answer::Code(codes.totp(totp_secret.unwrap_or_default())?)).await?
            }
            auth::SignInStep::ConfirmSignUp => return Err("the account is not confirmed yet".into()),
            auth::SignInStep::ResetPassword => return Err("an administrator reset the password: reset it first".into()),
        };
    }
}

async fn walkthrough(
    client: &auth::Client,
    codes: &Codes,
    email: &str,
    password: &str,
    given_name: &str,
    plan: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    println!("1. sign up {email}");
    let attributes = auth::SignUpAttributes::new(email, given_name).with_plan(plan);
    let output = client.sign_up(email, password, attributes).await?;
    println!("  next: {:?}", output.next_step);

    println!("2. confirm the sign-up");
    let code = codes.confirmation(email).await?;
    client.confirm_sign_up(email, &code).await?;
    println!("  confirmed");

    println!("3. sign in with SRP (the password never leaves this process)");
    let step = client.sign_in(email, password).await?;
    finish_sign_in(client, step, codes, None).await?;

    println!("4. set up TOTP");
    let setup = client.inner().set_up_totp().await?;
    println!("  scan: {}", setup.uri("cli-app"));
    let secret = setup.shared_secret.expose().to_string();
    client.inner().verify_totp_setup(&codes.totp(&secret)?, Some("cli-app")).await?;
    client.inner().set_preferred_mfa(Some(MfaType::Totp)).await?;
    println!("  TOTP is the preferred second factor");
    client.sign_out(false).await?;
    println!("  signed out");

    println!("5. sign in again: the pool now asks for a TOTP code");
    let step = client.sign_in(email, password).await?;
    finish_sign_in(client, step, codes, Some(&secret)).await?;

    println!("6. typed claims of the id token");
    let claims = client.id_token_claims().await?;
    println!("  sub: {}", claims.sub);
    println!("  email: {}", claims.email.as_deref().unwrap_or("-"));
    println!("  given_name: {}", claims.given_name.as_deref().unwrap_or("-"));
    println!("  plan (custom:plan, typed): {}", claims.plan.as_deref().unwrap_or("-"));
    println!("  groups: {:?}", claims.groups);

    println!("7. sign out everywhere");
    client.inner().sign_out(SignOutOptions::global()).await?;
    println!("  signed out");
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let client = match auth::Client::from_outputs_file(&cli.outputs).await {
        Ok(client) => client,
        Err(error) => {
            eprintln!("error: {}: {error}", cli.outputs.display());
            return std::process::ExitCode::FAILURE;
        }
    };
    let codes = Codes { local: cli.codes_from.clone(), user_pool_id: client.inner().config().user_pool_id.clone() };
    let result = match &cli.command {
        Command::Walkthrough { email, password, given_name, plan } => {
            walkthrough(&client, &codes, email, password, given_name, plan).await
        }
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
