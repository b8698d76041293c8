#![deny(warnings)]

#[auth_macros::auth_config("../examples/custom-auth.toml")]
pub mod auth {}

fn describe(step: &auth::SignInStep) -> &'static str {
    match step {
        auth::SignInStep::Done => "done",
        auth::SignInStep::CustomChallenge { .. } => "answer the challenge",
        auth::SignInStep::ConfirmSignUp => "confirm the sign-up",
        auth::SignInStep::ResetPassword => "reset the password",
    }
}

#[allow(dead_code)]
async fn sign_in(client: &auth::Client) -> Result<auth::SignInStep, auth_client::typed::TypedError> {
    let step = client.sign_in_custom("ada", None).await?;
    if let auth::SignInStep::CustomChallenge { parameters } = &step {
        let answer = parameters.get("answer").cloned().unwrap_or_default();
        return client.confirm_sign_in(auth::Answer::Custom(answer)).await;
    }
    Ok(step)
}

fn main() {
    assert_eq!(describe(&auth::SignInStep::Done), "done");
    let attributes = auth::SignUpAttributes::new("ada@example.com");
    assert_eq!(attributes.to_wire().unwrap(), vec![("email".to_string(), "ada@example.com".to_string())]);
}
