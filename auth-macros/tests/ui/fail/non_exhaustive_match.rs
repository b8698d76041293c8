// A match written for minimal.toml's steps breaks once the spec requires MFA (mfa-required.toml).
#[auth_macros::auth_config("../examples/mfa-required.toml")]
pub mod auth {}

fn describe(step: auth::SignInStep) -> &'static str {
    match step {
        auth::SignInStep::Done => "done",
        auth::SignInStep::ConfirmSignUp => "confirm",
        auth::SignInStep::ResetPassword => "reset",
    }
}

fn main() {
    let _ = describe(auth::SignInStep::Done);
}
