//! The "done when" smoke tests: the user-pool life cycle ending in a JWKS-verified id token,
//! and identity-pool credentials.

use aws_sdk_cognitoidentity as identity;
use cognito_local_harness::send;

use crate::*;

#[tokio::test]
async fn sign_up_confirm_sign_in_and_verify_tokens_against_the_jwks() -> TestResult {
    let (account, cognito) = account().await?;
    let (pool_id, client_id) = pool_and_client(&cognito, None).await?;

    let signed_up = cognito
        .sign_up()
        .client_id(&client_id)
        .username("alice")
        .password(PASSWORD)
        .user_attributes(attr("email", "alice@example.test"))
        .send()
        .await?;
    assert!(!signed_up.user_confirmed, "a pool without triggers leaves the user unconfirmed");

    // The code, read from the server's state, and the email it sent with the same code.
    let code = account.confirmation_code(&pool_id, "alice").await?;
    let mail = account.next_email("alice@example.test").await?;
    assert_eq!(mail.code().as_deref(), Some(code.as_str()), "email body: {}", mail.body);

    let wrong = if code == "000000" { "111111" } else { "000000" };
    let mismatch =
        cognito.confirm_sign_up().client_id(&client_id).username("alice").confirmation_code(wrong).send().await;
    assert_eq!(mismatch.as_ref().err().and_then(error_code).as_deref(), Some("CodeMismatchException"));

    cognito.confirm_sign_up().client_id(&client_id).username("alice").confirmation_code(&code).send().await?;
    assert_eq!(account.codes(&pool_id, "alice").await?.user_status, "CONFIRMED");

    let tokens = password_sign_in(&cognito, &client_id, "alice", PASSWORD).await?;
    let id_token = tokens.id_token.ok_or("no id token")?;
    let access_token = tokens.access_token.ok_or("no access token")?;

    let claims = verify_token(&account, &pool_id, &client_id, &id_token, "id").await?;
    assert_eq!(claims["cognito:username"], "alice");
    assert_eq!(claims["email"], "alice@example.test");
    assert_eq!(claims["aud"], client_id.as_str());
    assert_eq!(claims["iss"], issuer(&pool_id));
    assert_eq!(claims["sub"], signed_up.user_sub.as_str());
    verify_token(&account, &pool_id, &client_id, &access_token, "access").await?;

    // The checks bite: wrong audience, wrong token_use, a forged signature all fail.
    assert!(verify_token(&account, &pool_id, "another-client", &id_token, "id").await.is_err());
    assert!(verify_token(&account, &pool_id, &client_id, &id_token, "access").await.is_err());
    let (signed, signature) = id_token.rsplit_once('.').ok_or("id token without signature")?;
    let flipped = if signature.starts_with('A') { 'B' } else { 'A' };
    let forged = format!("{signed}.{flipped}{}", &signature[1..]);
    assert!(verify_token(&account, &pool_id, &client_id, &forged, "id").await.is_err());

    // The access token works against the API, and the refresh token mints new tokens.
    let me = cognito.get_user().access_token(&access_token).send().await?;
    assert_eq!(me.username, "alice");
    let refreshed = cognito
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(idp::types::AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", tokens.refresh_token.ok_or("no refresh token")?)
        .send()
        .await?
        .authentication_result
        .ok_or("refresh returned no tokens")?;
    verify_token(&account, &pool_id, &client_id, &refreshed.id_token.ok_or("no id token")?, "id").await?;

    // Discovery points at the same issuer and at a JWKS that resolves.
    let discovery = send("GET", &format!("{}/{pool_id}/.well-known/openid-configuration", account.endpoint()), &[], "")
        .await?
        .json()?;
    assert_eq!(discovery["issuer"], issuer(&pool_id));
    let jwks_uri = discovery["jwks_uri"].as_str().ok_or("no jwks_uri")?;
    assert_eq!(send("GET", jwks_uri, &[], "").await?.status, 200);
    Ok(())
}

#[tokio::test]
async fn identity_pool_get_id_and_credentials_for_a_signed_in_user() -> TestResult {
    let (account, cognito) = account().await?;
    let identity = identity::Client::new(account.sdk_config());
    let (pool_id, client_id) = pool_and_client(&cognito, None).await?;
    confirmed_user(&cognito, &pool_id, "bob", &[("email", "bob@example.test")]).await?;
    let id_token = password_sign_in(&cognito, &client_id, "bob", PASSWORD).await?.id_token.ok_or("no id token")?;

    let provider_name = format!("cognito-idp.us-east-1.amazonaws.com/{pool_id}");
    let ipool = identity
        .create_identity_pool()
        .identity_pool_name("test_identities")
        .allow_unauthenticated_identities(true)
        .cognito_identity_providers(
            identity::types::CognitoIdentityProvider::builder()
                .provider_name(&provider_name)
                .client_id(&client_id)
                .build(),
        )
        .send()
        .await?;
    let ipool_id = ipool.identity_pool_id;
    let auth_role = format!("arn:aws:iam::{}:role/authenticated", account.account_id());
    let unauth_role = format!("arn:aws:iam::{}:role/unauthenticated", account.account_id());
    identity
        .set_identity_pool_roles()
        .identity_pool_id(&ipool_id)
        .roles("authenticated", &auth_role)
        .roles("unauthenticated", &unauth_role)
        .send()
        .await?;

    // Authenticated: GetId and GetCredentialsForIdentity are unsigned calls, routed to this
    // account by the identity pool / identity id they name.
    let identity_id = identity
        .get_id()
        .identity_pool_id(&ipool_id)
        .logins(&provider_name, &id_token)
        .send()
        .await?
        .identity_id
        .ok_or("GetId returned no identity id")?;
    assert!(identity_id.starts_with("us-east-1:"), "{identity_id}");
    let again = identity.get_id().identity_pool_id(&ipool_id).logins(&provider_name, &id_token).send().await?;
    assert_eq!(again.identity_id.as_deref(), Some(identity_id.as_str()), "GetId is sticky per login");

    let creds = identity
        .get_credentials_for_identity()
        .identity_id(&identity_id)
        .logins(&provider_name, &id_token)
        .send()
        .await?;
    assert_eq!(creds.identity_id.as_deref(), Some(identity_id.as_str()));
    let c = creds.credentials.ok_or("no credentials")?;
    assert!(c.access_key_id.as_deref().is_some_and(|k| !k.is_empty()));
    assert!(c.secret_key.as_deref().is_some_and(|k| !k.is_empty()));
    assert!(c.session_token.as_deref().is_some_and(|k| !k.is_empty()));
    assert!(c.expiration.is_some());

    // The minted key is a real credential: STS knows it as the assumed authenticated role.
    let caller = sts_caller_arn(account.endpoint(), c.access_key_id.as_deref().unwrap_or_default()).await?;
    assert!(
        caller.contains(":assumed-role/authenticated/") && caller.contains(account.account_id()),
        "GetCallerIdentity with the identity's credentials: {caller}"
    );

    // Unauthenticated identities get the other role.
    let guest = identity.get_id().identity_pool_id(&ipool_id).send().await?.identity_id.ok_or("no guest id")?;
    assert_ne!(guest, identity_id);
    let guest_creds = identity.get_credentials_for_identity().identity_id(&guest).send().await?;
    let guest_key = guest_creds.credentials.and_then(|c| c.access_key_id).ok_or("no guest key")?;
    let guest_caller = sts_caller_arn(account.endpoint(), &guest_key).await?;
    assert!(guest_caller.contains(":assumed-role/unauthenticated/"), "{guest_caller}");
    Ok(())
}

/// STS GetCallerIdentity (awsQuery) with `access_key_id`, returning the caller ARN. The local
/// server does not check signatures, so a well-formed Authorization header is enough.
async fn sts_caller_arn(endpoint: &str, access_key_id: &str) -> Res<String> {
    let auth = format!(
        "AWS4-HMAC-SHA256 Credential={access_key_id}/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0"
    );
    let resp = send(
        "POST",
        &format!("{endpoint}/"),
        &[("authorization", &auth), ("content-type", "application/x-www-form-urlencoded")],
        "Action=GetCallerIdentity&Version=2011-06-15",
    )
    .await?;
    if resp.status != 200 {
        return Err(format!("GetCallerIdentity answered {}: {}", resp.status, resp.body).into());
    }
    let start = resp.body.find("<Arn>").ok_or_else(|| format!("no <Arn> in {}", resp.body))? + "<Arn>".len();
    let end = resp.body[start..].find("</Arn>").ok_or("unterminated <Arn>")? + start;
    Ok(resp.body[start..end].to_string())
}
