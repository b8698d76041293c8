//! Flows that only work because of the server's repairs around fakecloud (`src/shims.rs`).

use idp::types::{
    AuthFlowType, ChallengeNameType, SoftwareTokenMfaConfigType, UserPoolMfaType, VerifySoftwareTokenResponseType,
};

use crate::*;

fn totp_code(secret: &str) -> Res<String> {
    let secret = totp_rs::Secret::try_from_base32(secret).map_err(|e| format!("TOTP secret is not base32: {e:?}"))?;
    Ok(totp_rs::Builder::new()
        .with_secret(secret)
        .build_noncompliant()
        .generate_current()
        .to_string())
}

/// TOTP set-up during sign-in, chaining sessions the way real clients do:
/// InitiateAuth -> S0, AssociateSoftwareToken(S0) -> S1, VerifySoftwareToken(S1) -> S2,
/// RespondToAuthChallenge(MFA_SETUP, S2) -> tokens.
#[tokio::test]
async fn mfa_setup_during_sign_in_with_chained_sessions() -> TestResult {
    let (_account, cognito) = account().await?;
    let (pool_id, client_id) = pool_and_client(&cognito, None).await?;
    cognito
        .set_user_pool_mfa_config()
        .user_pool_id(&pool_id)
        .software_token_mfa_configuration(SoftwareTokenMfaConfigType::builder().enabled(true).build())
        .mfa_configuration(UserPoolMfaType::On)
        .send()
        .await?;
    confirmed_user(&cognito, &pool_id, "tess", &[]).await?;

    let start = cognito
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "tess")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await?;
    assert_eq!(start.challenge_name, Some(ChallengeNameType::MfaSetup));
    let s0 = start.session.ok_or("no session")?;

    let associated = cognito.associate_software_token().session(&s0).send().await?;
    let secret = associated.secret_code.ok_or("no secret")?;
    let s1 = associated.session.ok_or("AssociateSoftwareToken returned no session")?;

    let verified = cognito
        .verify_software_token()
        .session(&s1)
        .user_code(totp_code(&secret)?)
        .friendly_device_name("phone")
        .send()
        .await?;
    assert_eq!(verified.status, Some(VerifySoftwareTokenResponseType::Success));
    let s2 = verified.session.ok_or("VerifySoftwareToken returned no session")?;

    let done = cognito
        .respond_to_auth_challenge()
        .client_id(&client_id)
        .challenge_name(ChallengeNameType::MfaSetup)
        .session(&s2)
        .challenge_responses("USERNAME", "tess")
        .send()
        .await?;
    assert!(
        done.authentication_result.is_some(),
        "MFA_SETUP completed with tokens: {done:?}"
    );

    // The next sign-in asks for the enrolled authenticator.
    let next = cognito
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "tess")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await?;
    assert_eq!(next.challenge_name, Some(ChallengeNameType::SoftwareTokenMfa));
    Ok(())
}
