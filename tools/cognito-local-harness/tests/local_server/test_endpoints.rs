//! The `/_local/...` endpoints: codes, outboxes, reset, isolation between accounts.

use cognito_local_harness::{Error, LocalCognito, send};
use idp::types::{AuthFlowType, ChallengeNameType, SmsMfaSettingsType, UserPoolMfaType};

use crate::*;

#[tokio::test]
async fn forgot_password_code_arrives_by_email_and_in_the_codes_endpoint() -> TestResult {
    let (account, cognito) = account().await?;
    let (pool_id, client_id) = pool_and_client(&cognito, None).await?;
    confirmed_user(&cognito, &pool_id, "gina", &[("email", "gina@example.test"), ("email_verified", "true")]).await?;

    cognito.forgot_password().client_id(&client_id).username("gina").send().await?;
    let code = account.confirmation_code(&pool_id, "gina").await?;
    let mail = account.next_email("gina@example.test").await?;
    assert_eq!(mail.code().as_deref(), Some(code.as_str()));
    assert_eq!(mail.account_id, account.account_id());
    assert!(mail.subject.is_some());

    cognito
        .confirm_forgot_password()
        .client_id(&client_id)
        .username("gina")
        .confirmation_code(&code)
        .password("N3w-Passw0rd!")
        .send()
        .await?;
    password_sign_in(&cognito, &client_id, "gina", "N3w-Passw0rd!").await?;

    // A second request yields a second, newer message; next_email hands them out in order.
    cognito.forgot_password().client_id(&client_id).username("gina").send().await?;
    let code2 = account.confirmation_code(&pool_id, "gina").await?;
    let mail2 = account.next_email("gina@example.test").await?;
    assert!(mail2.id > mail.id);
    assert_eq!(mail2.code().as_deref(), Some(code2.as_str()));
    assert_eq!(account.emails(Some("gina@example.test")).await?.len(), 2);

    // Lookup by email instead of user name, and a clear 404 for unknown users.
    assert_eq!(account.codes(&pool_id, "gina@example.test").await?.username, "gina");
    match account.codes(&pool_id, "nobody").await {
        Err(Error::Status { status: 404, .. }) => {}
        other => return Err(format!("expected 404 for an unknown user, got {other:?}").into()),
    }
    Ok(())
}

#[tokio::test]
async fn sms_mfa_code_arrives_in_the_sms_outbox() -> TestResult {
    let (account, cognito) = account().await?;
    let (pool_id, client_id) = pool_and_client(&cognito, None).await?;
    cognito
        .update_user_pool()
        .user_pool_id(&pool_id)
        .mfa_configuration(UserPoolMfaType::Optional)
        .sms_configuration(
            idp::types::SmsConfigurationType::builder()
                .sns_caller_arn(format!("arn:aws:iam::{}:role/sms", account.account_id()))
                .build(),
        )
        .auto_verified_attributes(idp::types::VerifiedAttributeType::Email)
        .send()
        .await?;
    let phone = "+15550100123";
    confirmed_user(&cognito, &pool_id, "hank", &[("phone_number", phone), ("phone_number_verified", "true")]).await?;
    cognito
        .admin_set_user_mfa_preference()
        .user_pool_id(&pool_id)
        .username("hank")
        .sms_mfa_settings(SmsMfaSettingsType::builder().enabled(true).preferred_mfa(true).build())
        .send()
        .await?;

    let challenge = cognito
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "hank")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await?;
    assert_eq!(challenge.challenge_name, Some(ChallengeNameType::SmsMfa));
    let sms = account.next_sms(phone).await?;
    let code = sms.code().ok_or_else(|| format!("no code in {:?}", sms.body))?;
    let pending = account.codes(&pool_id, "hank").await?.challenge_codes;
    assert_eq!(pending.len(), 1);
    assert_eq!((pending[0].challenge_name.as_str(), pending[0].code.as_str()), ("SMS_MFA", code.as_str()));

    let done = cognito
        .respond_to_auth_challenge()
        .client_id(&client_id)
        .challenge_name(ChallengeNameType::SmsMfa)
        .session(challenge.session.ok_or("no session")?)
        .challenge_responses("USERNAME", "hank")
        .challenge_responses("SMS_MFA_CODE", &code)
        .send()
        .await?;
    assert!(done.authentication_result.is_some());
    assert!(account.codes(&pool_id, "hank").await?.challenge_codes.is_empty(), "answered challenges are gone");
    Ok(())
}

#[tokio::test]
async fn accounts_are_isolated_and_reset_separately() -> TestResult {
    let (a, cognito_a) = account().await?;
    let (b, cognito_b) = account().await?;
    assert_ne!(a.account_id(), b.account_id());
    let (pool_a, client_a) = pool_and_client(&cognito_a, None).await?;
    cognito_a
        .sign_up()
        .client_id(&client_a)
        .username("ivy")
        .password(PASSWORD)
        .user_attributes(attr("email", "ivy@example.test"))
        .send()
        .await?;
    a.next_email("ivy@example.test").await?;

    let list = |c: idp::Client| async move {
        let pools = c.list_user_pools().max_results(60).send().await?.user_pools.unwrap_or_default();
        Ok::<Vec<String>, Box<dyn std::error::Error + Send + Sync>>(pools.into_iter().filter_map(|p| p.id).collect())
    };
    assert_eq!(list(cognito_a.clone()).await?, vec![pool_a.clone()]);
    assert!(list(cognito_b.clone()).await?.is_empty(), "B does not see A's pool");
    assert!(b.emails(None).await?.is_empty(), "B does not see A's mail");
    let desc = cognito_b.describe_user_pool().user_pool_id(&pool_a).send().await;
    assert_eq!(desc.as_ref().err().and_then(error_code).as_deref(), Some("ResourceNotFoundException"));

    // B's reset leaves A alone; A's reset empties A.
    b.reset().await?;
    assert_eq!(list(cognito_a.clone()).await?, vec![pool_a.clone()]);
    a.reset().await?;
    assert!(list(cognito_a).await?.is_empty());
    assert!(a.emails(None).await?.is_empty());

    let health = LocalCognito::shared().await?.health().await?;
    assert_eq!(health["status"], "ok");
    Ok(())
}

#[tokio::test]
async fn test_endpoints_reject_bad_parameters_with_errors() -> TestResult {
    let local = LocalCognito::shared().await?;
    let base = local.endpoint();
    for (method, path, status) in [
        ("GET", "/_local/codes", 400),
        ("GET", "/_local/codes?userPoolId=us-east-1_nope&username=x", 404),
        ("GET", "/_local/outbox?channel=fax", 400),
        ("GET", "/_local/outbox/email?account=12", 400),
        ("GET", "/_local/outbox/email?after=x", 400),
        ("POST", "/_local/reset?account=abc", 400),
        ("GET", "/us-east-1_nope/.well-known/jwks.json", 404),
    ] {
        let resp = send(method, &format!("{base}{path}"), &[], "").await?;
        assert_eq!(resp.status, status, "{method} {path}: {}", resp.body);
        assert!(resp.json()?.is_object(), "{method} {path} answers JSON");
    }
    // Garbage on the AWS endpoint is an AWS-style error, not a dropped connection.
    let resp = send(
        "POST",
        &format!("{base}/"),
        &[("x-amz-target", "AWSCognitoIdentityProviderService.SignUp"), ("content-type", "application/x-amz-json-1.1")],
        "{not json",
    )
    .await?;
    assert_eq!(resp.status, 400, "{}", resp.body);
    let triggers = send("GET", &format!("{base}/_local/triggers"), &[], "").await?.json()?;
    assert_eq!(triggers["functions"].as_array().map(Vec::len), Some(7));
    Ok(())
}
