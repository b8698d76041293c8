#![deny(warnings)]

use std::time::{Duration, UNIX_EPOCH};

#[auth_macros::auth_config("../examples/full.toml")]
pub mod auth {}

/// Optional MFA with three methods, custom auth, self sign-up and admin invitations.
fn describe(step: &auth::SignInStep) -> &'static str {
    match step {
        auth::SignInStep::Done => "done",
        auth::SignInStep::ConfirmWithSmsCode { .. } => "sms code",
        auth::SignInStep::ConfirmWithTotpCode => "totp code",
        auth::SignInStep::ConfirmWithEmailCode { .. } => "email code",
        auth::SignInStep::ContinueWithMfaSelection { .. } => "choose",
        auth::SignInStep::NewPasswordRequired { .. } => "new password",
        auth::SignInStep::CustomChallenge { .. } => "custom",
        auth::SignInStep::ConfirmSignUp => "confirm the sign-up",
        auth::SignInStep::ResetPassword => "reset the password",
    }
}

fn main() {
    let attributes = auth::SignUpAttributes::new("ada@example.com", "Ada")
        .with_tier("gold")
        .with_seats(12)
        .with_beta(true)
        .with_trial_ends(UNIX_EPOCH + Duration::from_secs(1_795_458_769))
        .with_tenant_id("t-1");
    let wire = attributes.to_wire().unwrap();
    assert!(wire.contains(&("custom:seats".to_string(), "12".to_string())));
    assert!(wire.contains(&("custom:trial_ends".to_string(), "2026-11-23T18:32:49Z".to_string())));
    let too_many = auth::SignUpAttributes::new("ada@example.com", "Ada").with_seats(501);
    assert!(matches!(too_many.to_wire(), Err(auth_client::typed::AttributeError::AboveMaximum { max: 500, .. })));
    let empty_tier = auth::SignUpAttributes::new("ada@example.com", "Ada").with_tier("");
    assert!(matches!(empty_tier.validate(), Err(auth_client::typed::AttributeError::TooShort { min: 1, .. })));
    assert_eq!(auth::Group::ALL, &[auth::Group::Admins, auth::Group::Editors, auth::Group::Readers]);
    assert_eq!(auth::Scope::OrdersRead.as_str(), "https://api.example.com/orders.read");
    assert_eq!(describe(&auth::SignInStep::ResetPassword), "reset the password");
    let answer = auth::Answer::NewPassword {
        password: "N3w-password!".to_string(),
        attributes: auth::NewPasswordAttributes::new().with_given_name("Ada"),
        missing: vec![auth::RequiredAttribute::GivenName],
    };
    assert!(answer.to_client().is_ok());
    let missing = auth::Answer::NewPassword {
        password: "N3w-password!".to_string(),
        attributes: auth::NewPasswordAttributes::new(),
        missing: vec![auth::RequiredAttribute::Email],
    };
    assert!(missing.to_client().is_err());
}
