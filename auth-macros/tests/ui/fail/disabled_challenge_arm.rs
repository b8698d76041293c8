// minimal.toml has no MFA: a match arm for an SMS code step does not compile.
#[auth_macros::auth_config("../examples/minimal.toml")]
pub mod auth {}

fn describe(step: auth::SignInStep) -> &'static str {
    match step {
        auth::SignInStep::Done => "done",
        auth::SignInStep::ConfirmWithSmsCode { .. } => "sms",
        _ => "other",
    }
}

fn main() {
    let _ = describe(auth::SignInStep::Done);
}
