//! Known differences between the local server (fakecloud 0.51.0) and real Cognito.
//!
//! Each test pins one difference listed in `tools/cognito-local/README.md` ("Known
//! divergences"): it asserts what the local server does, and says what Cognito does instead.
//! Code that depends on the real behaviour must be covered by unit tests, not by tests against
//! this server. When a fakecloud upgrade fixes one, its test fails: delete the test and the
//! README entry together.

use std::time::Duration;

use aws_sdk_cognitoidentity as identity;
use cognito_local_harness::{eventually, functions};
use idp::types::{AuthFlowType, DeviceConfigurationType, LambdaConfigType, UserPoolMfaType};

use crate::*;

/// Cognito: UpdateUserPool resets every omitted setting to its default.
/// Local: omitted settings keep their previous values.
#[tokio::test]
async fn update_user_pool_keeps_omitted_fields() -> TestResult {
    let (_account, cognito) = account().await?;
    let lambda = LambdaConfigType::builder().pre_sign_up(functions::arn(functions::ECHO)).build();
    let (pool_id, _) = pool_and_client(&cognito, Some(lambda)).await?;
    cognito.update_user_pool().user_pool_id(&pool_id).mfa_configuration(UserPoolMfaType::Off).send().await?;
    let pool = cognito.describe_user_pool().user_pool_id(&pool_id).send().await?.user_pool.ok_or("no pool")?;
    let kept = pool.lambda_config.and_then(|l| l.pre_sign_up);
    assert_eq!(
        kept.as_deref(),
        Some(functions::arn(functions::ECHO).as_str()),
        "LambdaConfig survived an update that omitted it"
    );
    Ok(())
}

/// Cognito: an UNCONFIRMED user cannot sign in (UserNotConfirmedException).
/// Local: sign-in succeeds.
#[tokio::test]
async fn unconfirmed_users_can_sign_in() -> TestResult {
    let (account, cognito) = account().await?;
    let (pool_id, client_id) = pool_and_client(&cognito, None).await?;
    cognito
        .sign_up()
        .client_id(&client_id)
        .username("uma")
        .password(PASSWORD)
        .user_attributes(attr("email", "uma@example.test"))
        .send()
        .await?;
    assert_eq!(account.codes(&pool_id, "uma").await?.user_status, "UNCONFIRMED");
    password_sign_in(&cognito, &client_id, "uma", PASSWORD).await?;
    Ok(())
}

/// Cognito: with device tracking on, sign-in returns NewDeviceMetadata and devices use
/// DEVICE_SRP_AUTH. Local: no NewDeviceMetadata, no device SRP.
#[tokio::test]
async fn no_new_device_metadata() -> TestResult {
    let (_account, cognito) = account().await?;
    let (pool_id, client_id) = pool_and_client(&cognito, None).await?;
    cognito
        .update_user_pool()
        .user_pool_id(&pool_id)
        .device_configuration(
            DeviceConfigurationType::builder()
                .challenge_required_on_new_device(false)
                .device_only_remembered_on_user_prompt(false)
                .build(),
        )
        .send()
        .await?;
    confirmed_user(&cognito, &pool_id, "vic", &[]).await?;
    let tokens = password_sign_in(&cognito, &client_id, "vic", PASSWORD).await?;
    assert!(tokens.new_device_metadata.is_none());
    Ok(())
}

/// Cognito: RevokeToken invalidates the refresh token and the access tokens it issued.
/// Local: the refresh token is revoked, its access tokens keep working. (The OAuth2
/// `/oauth2/revoke` endpoint does revoke them; see the oauth tests.)
#[tokio::test]
async fn revoke_token_leaves_access_tokens_valid() -> TestResult {
    let (_account, cognito) = account().await?;
    let (pool_id, client_id) = pool_and_client(&cognito, None).await?;
    confirmed_user(&cognito, &pool_id, "wes", &[]).await?;
    let tokens = password_sign_in(&cognito, &client_id, "wes", PASSWORD).await?;
    let refresh = tokens.refresh_token.ok_or("no refresh token")?;
    cognito.revoke_token().client_id(&client_id).token(&refresh).send().await?;
    let refreshed = cognito
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", &refresh)
        .send()
        .await;
    assert!(refreshed.is_err(), "the refresh token is revoked");
    cognito.get_user().access_token(tokens.access_token.ok_or("no access token")?).send().await?;
    Ok(())
}

/// Cognito: GetId / GetCredentialsForIdentity validate each login token with its provider.
/// Local: any string is accepted as a login, and earns the authenticated role.
#[tokio::test]
async fn identity_pool_logins_are_not_verified() -> TestResult {
    let (account, _cognito) = account().await?;
    let identity = identity::Client::new(account.sdk_config());
    let provider = "cognito-idp.us-east-1.amazonaws.com/us-east-1_doesnotexist";
    let pool = identity
        .create_identity_pool()
        .identity_pool_name("unverified")
        .allow_unauthenticated_identities(false)
        .send()
        .await?;
    identity
        .set_identity_pool_roles()
        .identity_pool_id(&pool.identity_pool_id)
        .roles("authenticated", format!("arn:aws:iam::{}:role/auth", account.account_id()))
        .send()
        .await?;
    let id = identity.get_id().identity_pool_id(&pool.identity_pool_id).logins(provider, "not-a-token").send().await?;
    let creds = identity
        .get_credentials_for_identity()
        .identity_id(id.identity_id.ok_or("no identity id")?)
        .logins(provider, "not-a-token")
        .send()
        .await?;
    assert!(creds.credentials.and_then(|c| c.access_key_id).is_some());
    Ok(())
}

/// Cognito: ListTagsForResource returns the pool's tags, including UserPoolTags given at
/// creation. Local: only tags added with TagResource are listed.
#[tokio::test]
async fn list_tags_ignores_user_pool_tags() -> TestResult {
    let (_account, cognito) = account().await?;
    let pool = cognito
        .create_user_pool()
        .pool_name("tagged")
        .user_pool_tags("env", "test")
        .send()
        .await?
        .user_pool
        .ok_or("no pool")?;
    let arn = pool.arn.ok_or("no arn")?;
    let tags = cognito.list_tags_for_resource().resource_arn(&arn).send().await?.tags.unwrap_or_default();
    assert!(tags.is_empty(), "{tags:?}");
    let pool_id = pool.id.ok_or("no id")?;
    let described = cognito.describe_user_pool().user_pool_id(&pool_id).send().await?;
    assert_eq!(
        described.user_pool.and_then(|p| p.user_pool_tags).and_then(|t| t.get("env").cloned()).as_deref(),
        Some("test")
    );
    cognito.tag_resource().resource_arn(&arn).tags("team", "auth").send().await?;
    let tags = cognito.list_tags_for_resource().resource_arn(&arn).send().await?.tags.unwrap_or_default();
    assert_eq!(tags.len(), 1, "{tags:?}");
    let pool_tags = cognito
        .describe_user_pool()
        .user_pool_id(pool_id)
        .send()
        .await?
        .user_pool
        .and_then(|p| p.user_pool_tags)
        .unwrap_or_default();
    assert!(!pool_tags.contains_key("team"), "TagResource is not reflected in UserPoolTags: {pool_tags:?}");
    Ok(())
}

/// Cognito: a failing trigger fails the operation (UserLambdaValidationException for
/// PreSignUp, and no user is created). Local: the failure is logged and ignored.
#[tokio::test]
async fn trigger_failures_do_not_fail_the_operation() -> TestResult {
    let (account, cognito) = account().await?;
    let lambda = LambdaConfigType::builder().pre_sign_up(functions::arn(functions::FAIL)).build();
    let (pool_id, client_id) = pool_and_client(&cognito, Some(lambda)).await?;
    cognito.sign_up().client_id(&client_id).username("xena").password(PASSWORD).send().await?;
    cognito.admin_get_user().user_pool_id(&pool_id).username("xena").send().await?;
    let calls = account.trigger_invocations(Some(functions::FAIL)).await?;
    assert!(calls.len() == 1 && calls[0].error.is_some(), "{calls:?}");
    Ok(())
}

/// Cognito: PreSignUp's autoVerifyEmail marks the email verified.
/// Local: only autoConfirmUser is honoured; email_verified stays unset.
#[tokio::test]
async fn pre_sign_up_auto_verify_is_ignored() -> TestResult {
    let (_account, cognito) = account().await?;
    let lambda = LambdaConfigType::builder().pre_sign_up(functions::arn(functions::AUTO_CONFIRM)).build();
    let (pool_id, client_id) = pool_and_client(&cognito, Some(lambda)).await?;
    let out = cognito
        .sign_up()
        .client_id(&client_id)
        .username("yara")
        .password(PASSWORD)
        .user_attributes(attr("email", "yara@example.test"))
        .send()
        .await?;
    assert!(out.user_confirmed);
    let user = cognito.admin_get_user().user_pool_id(&pool_id).username("yara").send().await?;
    let verified = user.user_attributes.unwrap_or_default().into_iter().find(|a| a.name == "email_verified");
    assert!(verified.is_none(), "{verified:?}");
    Ok(())
}

/// Cognito: confirming a sign-up with the code sent by email marks the email verified.
/// Local: the user is CONFIRMED but email_verified stays unset.
#[tokio::test]
async fn confirm_sign_up_does_not_verify_the_email() -> TestResult {
    let (account, cognito) = account().await?;
    let (pool_id, client_id) = pool_and_client(&cognito, None).await?;
    cognito
        .sign_up()
        .client_id(&client_id)
        .username("zack")
        .password(PASSWORD)
        .user_attributes(attr("email", "zack@example.test"))
        .send()
        .await?;
    let code = account.confirmation_code(&pool_id, "zack").await?;
    cognito.confirm_sign_up().client_id(&client_id).username("zack").confirmation_code(code).send().await?;
    let user = cognito.admin_get_user().user_pool_id(&pool_id).username("zack").send().await?;
    assert_eq!(user.user_status.as_ref().map(|s| s.as_str()), Some("CONFIRMED"));
    assert!(user.user_attributes.unwrap_or_default().iter().all(|a| a.name != "email_verified"));
    Ok(())
}

/// Cognito: VerifyAuthChallengeResponse receives the privateChallengeParameters that
/// CreateAuthChallenge returned; CUSTOM_AUTH with SRP_A starts the session with an SRP_A entry.
/// Local: privateChallengeParameters arrive empty (only challengeMetadata is carried over; the
/// built-in trio relies on that), and SRP_A is ignored (the session starts empty).
#[tokio::test]
async fn custom_auth_drops_private_parameters_and_srp_a() -> TestResult {
    let (account, cognito) = account().await?;
    let lambda = LambdaConfigType::builder()
        .define_auth_challenge(functions::arn(functions::DEFINE_AUTH_CHALLENGE))
        .create_auth_challenge(functions::arn(functions::CREATE_AUTH_CHALLENGE))
        .verify_auth_challenge_response(functions::arn(functions::VERIFY_AUTH_CHALLENGE))
        .build();
    let (pool_id, client_id) = pool_and_client(&cognito, Some(lambda)).await?;
    confirmed_user(&cognito, &pool_id, "amy", &[]).await?;
    let first = cognito
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(AuthFlowType::CustomAuth)
        .auth_parameters("USERNAME", "amy")
        .auth_parameters("SRP_A", "0a1b2c3d")
        .send()
        .await?;
    assert_eq!(first.challenge_name, Some(idp::types::ChallengeNameType::CustomChallenge), "no PASSWORD_VERIFIER step");
    let code = first.challenge_parameters.unwrap_or_default().get("answer").cloned().ok_or("no answer")?;
    cognito
        .respond_to_auth_challenge()
        .client_id(&client_id)
        .challenge_name(idp::types::ChallengeNameType::CustomChallenge)
        .session(first.session.ok_or("no session")?)
        .challenge_responses("USERNAME", "amy")
        .challenge_responses("ANSWER", code)
        .send()
        .await?;
    let calls = account.trigger_invocations(None).await?;
    let define =
        calls.iter().find(|c| c.function_name == functions::DEFINE_AUTH_CHALLENGE).ok_or("define not called")?;
    assert_eq!(define.event["request"]["session"], serde_json::json!([]));
    let verify =
        calls.iter().find(|c| c.function_name == functions::VERIFY_AUTH_CHALLENGE).ok_or("verify not called")?;
    assert_eq!(verify.event["request"]["privateChallengeParameters"], serde_json::json!({}));
    Ok(())
}

/// Cognito: a V1 PreTokenGeneration response changes the id token only, the event version
/// follows `PreTokenGenerationConfig.LambdaVersion`. Local: V1 overrides are applied to the
/// access token too, and the event is always version "1".
#[tokio::test]
async fn pre_token_generation_v1_also_changes_the_access_token() -> TestResult {
    let (account, cognito) = account().await?;
    let lambda = LambdaConfigType::builder()
        .pre_token_generation(functions::arn(functions::PRE_TOKEN_CLAIMS))
        .pre_token_generation_config(
            idp::types::PreTokenGenerationVersionConfigType::builder()
                .lambda_version(idp::types::PreTokenGenerationLambdaVersionType::V20)
                .lambda_arn(functions::arn(functions::PRE_TOKEN_CLAIMS))
                .build()?,
        )
        .build();
    let (pool_id, client_id) = pool_and_client(&cognito, Some(lambda)).await?;
    confirmed_user(&cognito, &pool_id, "ben", &[]).await?;
    let tokens = password_sign_in(&cognito, &client_id, "ben", PASSWORD).await?;
    let access =
        verify_token(&account, &pool_id, &client_id, &tokens.access_token.ok_or("no access token")?, "access").await?;
    let (name, value) = functions::PRE_TOKEN_CLAIM;
    assert_eq!(access[name], value);
    let calls = account.trigger_invocations(Some(functions::PRE_TOKEN_CLAIMS)).await?;
    assert_eq!(calls.first().map(|c| c.event["version"].clone()), Some(serde_json::json!("1")));
    Ok(())
}

/// Cognito: PostConfirmation runs before ConfirmSignUp answers (and its failure fails it).
/// Local: it runs after the answer, on a background task, so a test must wait for it (as here)
/// rather than assume it ran.
#[tokio::test]
async fn post_confirmation_fires_after_the_answer() -> TestResult {
    let (account, cognito) = account().await?;
    let lambda = LambdaConfigType::builder().post_confirmation(functions::arn(functions::ECHO)).build();
    let (pool_id, client_id) = pool_and_client(&cognito, Some(lambda)).await?;
    cognito.sign_up().client_id(&client_id).username("cyd").password(PASSWORD).send().await?;
    let code = account.confirmation_code(&pool_id, "cyd").await?;
    cognito.confirm_sign_up().client_id(&client_id).username("cyd").confirmation_code(code).send().await?;
    let call = eventually("the PostConfirmation trigger", Duration::from_secs(10), || async {
        Ok(account.trigger_invocations(Some(functions::ECHO)).await?.into_iter().next())
    })
    .await?;
    assert_eq!(call.trigger_source, "PostConfirmation_ConfirmSignUp");
    Ok(())
}

/// Cognito: SignUp answers `CodeDeliveryDetails` when it sent a code; NEW_PASSWORD_REQUIRED
/// carries the user's attributes in `userAttributes` and applies `userAttributes.*` answers.
/// Local: no CodeDeliveryDetails; `userAttributes` is always `{}` and `requiredAttributes` `[]`.
#[tokio::test]
async fn sign_up_has_no_code_delivery_and_new_password_required_has_no_attributes() -> TestResult {
    let (_account, cognito) = account().await?;
    let (pool_id, client_id) = pool_and_client(&cognito, None).await?;
    let out = cognito
        .sign_up()
        .client_id(&client_id)
        .username("dora")
        .password(PASSWORD)
        .user_attributes(attr("email", "dora@example.test"))
        .send()
        .await?;
    assert!(out.code_delivery_details.is_none());

    cognito
        .admin_create_user()
        .user_pool_id(&pool_id)
        .username("eli")
        .temporary_password("Temp-Passw0rd!")
        .user_attributes(attr("email", "eli@example.test"))
        .message_action(idp::types::MessageActionType::Suppress)
        .send()
        .await?;
    let challenge = cognito
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "eli")
        .auth_parameters("PASSWORD", "Temp-Passw0rd!")
        .send()
        .await?;
    assert_eq!(challenge.challenge_name, Some(idp::types::ChallengeNameType::NewPasswordRequired));
    let params = challenge.challenge_parameters.unwrap_or_default();
    assert_eq!(params.get("userAttributes").map(String::as_str), Some("{}"));
    assert_eq!(params.get("requiredAttributes").map(String::as_str), Some("[]"));
    Ok(())
}

/// Cognito: SignUp without a required attribute fails (InvalidParameterException), and an
/// immutable attribute cannot be updated. Local: both succeed (the schema is stored, not used).
#[tokio::test]
async fn required_and_immutable_attributes_are_not_enforced() -> TestResult {
    let (_account, cognito) = account().await?;
    let schema = |name: &str, required: bool, mutable: bool| {
        idp::types::SchemaAttributeType::builder()
            .name(name)
            .attribute_data_type(idp::types::AttributeDataType::String)
            .required(required)
            .mutable(mutable)
            .build()
    };
    let pool = cognito
        .create_user_pool()
        .pool_name("strict")
        .schema(schema("given_name", true, true))
        .schema(schema("nickname", false, false))
        .send()
        .await?;
    let pool_id = pool.user_pool.and_then(|p| p.id).ok_or("no pool id")?;
    let client = cognito
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("app")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await?;
    let client_id = client.user_pool_client.and_then(|c| c.client_id).ok_or("no client id")?;
    cognito
        .sign_up()
        .client_id(&client_id)
        .username("nina")
        .password(PASSWORD)
        .user_attributes(attr("nickname", "first"))
        .send()
        .await?; // no given_name, though the pool requires it
    cognito
        .admin_update_user_attributes()
        .user_pool_id(&pool_id)
        .username("nina")
        .user_attributes(attr("nickname", "second"))
        .send()
        .await?; // nickname is immutable
    Ok(())
}
