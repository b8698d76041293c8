//! Lambda triggers answered by the server's built-in handlers.

use cognito_local_harness::functions;
use idp::types::{AuthFlowType, ChallengeNameType, LambdaConfigType};

use crate::*;

#[tokio::test]
async fn pre_sign_up_auto_confirm() -> TestResult {
    let (account, cognito) = account().await?;
    let lambda = LambdaConfigType::builder().pre_sign_up(functions::arn(functions::AUTO_CONFIRM)).build();
    let (pool_id, client_id) = pool_and_client(&cognito, Some(lambda)).await?;

    let out = cognito
        .sign_up()
        .client_id(&client_id)
        .username("carol")
        .password(PASSWORD)
        .user_attributes(attr("email", "carol@example.test"))
        .send()
        .await?;
    assert!(out.user_confirmed, "the PreSignUp trigger confirmed the user");
    let user = cognito.admin_get_user().user_pool_id(&pool_id).username("carol").send().await?;
    assert_eq!(user.user_status.as_ref().map(|s| s.as_str()), Some("CONFIRMED"));
    password_sign_in(&cognito, &client_id, "carol", PASSWORD).await?;

    let calls = account.trigger_invocations(Some(functions::AUTO_CONFIRM)).await?;
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].trigger_source, "PreSignUp_SignUp");
    assert_eq!(calls[0].user_pool_id, pool_id);
    assert_eq!(calls[0].user_name, "carol");
    assert_eq!(calls[0].error, None);
    Ok(())
}

#[tokio::test]
async fn custom_auth_with_the_define_create_verify_trio() -> TestResult {
    let (account, cognito) = account().await?;
    let lambda = LambdaConfigType::builder()
        .define_auth_challenge(functions::arn(functions::DEFINE_AUTH_CHALLENGE))
        .create_auth_challenge(functions::arn(functions::CREATE_AUTH_CHALLENGE))
        .verify_auth_challenge_response(functions::arn(functions::VERIFY_AUTH_CHALLENGE))
        .build();
    let (pool_id, client_id) = pool_and_client(&cognito, Some(lambda)).await?;
    confirmed_user(&cognito, &pool_id, "dave", &[("email", "dave@example.test")]).await?;

    let start = || {
        cognito
            .initiate_auth()
            .client_id(&client_id)
            .auth_flow(AuthFlowType::CustomAuth)
            .auth_parameters("USERNAME", "dave")
            .send()
    };
    let answer = |session: String, answer: String| {
        cognito
            .respond_to_auth_challenge()
            .client_id(&client_id)
            .challenge_name(ChallengeNameType::CustomChallenge)
            .session(session)
            .challenge_responses("USERNAME", "dave")
            .challenge_responses("ANSWER", answer)
            .send()
    };

    // Round 1: a wrong answer gets a new challenge (with a new code), round 2 succeeds.
    let first = start().await?;
    assert_eq!(first.challenge_name, Some(ChallengeNameType::CustomChallenge));
    let params = first.challenge_parameters.clone().unwrap_or_default();
    let code1 = params.get("answer").cloned().ok_or("no answer parameter")?;
    assert_eq!(code1.len(), 6);
    let wrong = if code1 == "000000" { "111111" } else { "000000" };
    let second = answer(first.session.ok_or("no session")?, wrong.to_string()).await?;
    assert_eq!(second.challenge_name, Some(ChallengeNameType::CustomChallenge));
    assert!(second.authentication_result.is_none());
    let code2 = second.challenge_parameters.unwrap_or_default().get("answer").cloned().ok_or("no answer parameter")?;
    assert_ne!(code1, code2, "each round has its own code");
    let done = answer(second.session.ok_or("no session")?, code2).await?;
    let tokens = done.authentication_result.ok_or("a correct answer issues tokens")?;
    let claims = verify_token(&account, &pool_id, &client_id, &tokens.id_token.ok_or("no id token")?, "id").await?;
    assert_eq!(claims["cognito:username"], "dave");

    // Three wrong answers end the sign-in.
    let mut session = start().await?.session.ok_or("no session")?;
    for attempt in 1..=3 {
        match answer(session.clone(), "not-the-code".into()).await {
            Ok(next) if attempt < 3 => session = next.session.ok_or("no session")?,
            Ok(next) => return Err(format!("third wrong answer was accepted: {next:?}").into()),
            Err(e) if attempt == 3 => assert_eq!(error_code(&e).as_deref(), Some("NotAuthorizedException")),
            Err(e) => return Err(e.into()),
        }
    }

    let sources: Vec<String> = account.trigger_invocations(None).await?.into_iter().map(|i| i.trigger_source).collect();
    assert!(sources.iter().any(|s| s == "DefineAuthChallenge_Authentication"));
    assert!(sources.iter().any(|s| s == "CreateAuthChallenge_Authentication"));
    assert!(sources.iter().any(|s| s == "VerifyAuthChallengeResponse_Authentication"));
    Ok(())
}

#[tokio::test]
async fn pre_token_generation_adds_a_claim() -> TestResult {
    let (account, cognito) = account().await?;
    let lambda = LambdaConfigType::builder().pre_token_generation(functions::arn(functions::PRE_TOKEN_CLAIMS)).build();
    let (pool_id, client_id) = pool_and_client(&cognito, Some(lambda)).await?;
    confirmed_user(&cognito, &pool_id, "erin", &[("email", "erin@example.test")]).await?;

    let tokens = password_sign_in(&cognito, &client_id, "erin", PASSWORD).await?;
    let claims = verify_token(&account, &pool_id, &client_id, &tokens.id_token.ok_or("no id token")?, "id").await?;
    let (name, value) = functions::PRE_TOKEN_CLAIM;
    assert_eq!(claims[name], value, "claims: {claims}");
    let calls = account.trigger_invocations(Some(functions::PRE_TOKEN_CLAIMS)).await?;
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].trigger_source, "TokenGeneration_Authentication");
    Ok(())
}

#[tokio::test]
async fn a_misconfigured_trigger_is_recorded_as_failed() -> TestResult {
    let (account, cognito) = account().await?;
    // A custom-auth handler wired as PreSignUp: the handler refuses, and the log says why.
    let lambda = LambdaConfigType::builder().pre_sign_up(functions::arn(functions::DEFINE_AUTH_CHALLENGE)).build();
    let (_pool_id, client_id) = pool_and_client(&cognito, Some(lambda)).await?;
    cognito
        .sign_up()
        .client_id(&client_id)
        .username("frank")
        .password(PASSWORD)
        .user_attributes(attr("email", "frank@example.test"))
        .send()
        .await?;
    let calls = account.trigger_invocations(None).await?;
    assert_eq!(calls.len(), 1);
    let error = calls[0].error.as_deref().ok_or("expected a failed invocation")?;
    assert!(error.contains("DefineAuthChallenge_"), "{error}");
    Ok(())
}
