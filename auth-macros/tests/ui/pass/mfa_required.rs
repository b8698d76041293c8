#![deny(warnings)]

#[auth_macros::auth_config("../examples/mfa-required.toml")]
pub mod auth {}

/// Required MFA with TOTP and SMS adds the code steps, the choice between them and TOTP set-up.
fn describe(step: &auth::SignInStep) -> &'static str {
    match step {
        auth::SignInStep::Done => "done",
        auth::SignInStep::ConfirmWithSmsCode { .. } => "sms code",
        auth::SignInStep::ConfirmWithTotpCode => "totp code",
        auth::SignInStep::ContinueWithMfaSelection { .. } => "choose",
        auth::SignInStep::ContinueWithTotpSetup(_) => "set up totp",
        auth::SignInStep::ConfirmSignUp => "confirm the sign-up",
        auth::SignInStep::ResetPassword => "reset the password",
    }
}

fn main() {
    let attributes = auth::SignUpAttributes::new("ada@example.com", "+15555550100");
    assert_eq!(attributes.to_wire().unwrap().len(), 2);
    assert_eq!(describe(&auth::SignInStep::ConfirmWithTotpCode), "totp code");
    let answer = auth::Answer::MfaChoice(auth::MfaMethod::Totp);
    assert!(answer.to_client().is_ok());
    let _ = auth::Answer::Code("123456".to_string());
}
