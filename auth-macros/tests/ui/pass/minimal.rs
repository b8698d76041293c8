#![deny(warnings)]

#[auth_macros::auth_config("../examples/minimal.toml")]
pub mod auth {}

/// The minimal pool can only finish, ask to confirm the sign-up, or ask for a reset.
fn describe(step: &auth::SignInStep) -> &'static str {
    match step {
        auth::SignInStep::Done => "done",
        auth::SignInStep::ConfirmSignUp => "confirm the sign-up",
        auth::SignInStep::ResetPassword => "reset the password",
    }
}

fn main() {
    let attributes = auth::SignUpAttributes::new("ada@example.com");
    let wire = attributes.to_wire().unwrap();
    assert_eq!(wire, vec![("email".to_string(), "ada@example.com".to_string())]);
    assert_eq!(describe(&auth::SignInStep::Done), "done");
    assert_eq!(auth::AppClient::ALL, &[auth::AppClient::Web]);
    assert_eq!(auth::POOL_NAME, "minimal-users");
    let changes = auth::UpdatableAttributes::new().with_email("new@example.com");
    assert_eq!(changes.to_wire().unwrap().len(), 1);
}
