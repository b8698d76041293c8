//! Hosted-UI OAuth2 endpoints, driven without a browser.

use cognito_local_harness::{RawResponse, TestAccount, send};
use idp::types::{OAuthFlowType, ResourceServerScopeType};

use crate::*;

fn basic(id: &str, secret: &str) -> String {
    use std::fmt::Write;
    // RFC 4648 base64, enough for a header in a test.
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let input = format!("{id}:{secret}").into_bytes();
    let mut out = String::from("Basic ");
    for chunk in input.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                let _ = write!(out, "{}", ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                v.bytes()
                    .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
                    .collect::<String>()
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

async fn token_request(account: &TestAccount, auth: Option<&str>, body: &str) -> Res<RawResponse> {
    let mut headers = vec![("content-type", "application/x-www-form-urlencoded")];
    if let Some(a) = auth {
        headers.push(("authorization", a));
    }
    Ok(send("POST", &format!("{}/oauth2/token", account.endpoint()), &headers, body).await?)
}

#[tokio::test]
async fn client_credentials_grant_issues_a_verifiable_access_token() -> TestResult {
    let (account, cognito) = account().await?;
    let (pool_id, _) = pool_and_client(&cognito, None).await?;
    cognito
        .create_resource_server()
        .user_pool_id(&pool_id)
        .identifier("api")
        .name("API")
        .scopes(ResourceServerScopeType::builder().scope_name("read").scope_description("read").build()?)
        .send()
        .await?;
    let client = cognito
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("machine")
        .generate_secret(true)
        .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
        .allowed_o_auth_scopes("api/read")
        .allowed_o_auth_flows_user_pool_client(true)
        .send()
        .await?
        .user_pool_client
        .ok_or("no client")?;
    let (client_id, secret) = (client.client_id.ok_or("no id")?, client.client_secret.ok_or("no secret")?);

    let resp = token_request(
        &account,
        Some(&basic(&client_id, &secret)),
        &form(&[("grant_type", "client_credentials"), ("scope", "api/read")]),
    )
    .await?;
    assert_eq!(resp.status, 200, "{}", resp.body);
    let body = resp.json()?;
    assert_eq!(body["token_type"], "Bearer");
    assert!(body.get("id_token").is_none() && body.get("refresh_token").is_none());
    let claims =
        verify_token(&account, &pool_id, &client_id, body["access_token"].as_str().ok_or("no access token")?, "access")
            .await?;
    assert_eq!(claims["scope"], "api/read");

    let wrong =
        token_request(&account, Some(&basic(&client_id, "wrong")), &form(&[("grant_type", "client_credentials")]))
            .await?;
    assert_eq!(wrong.status, 401, "{}", wrong.body);
    assert_eq!(wrong.json()?["error"], "invalid_client");
    Ok(())
}

#[tokio::test]
async fn authorization_code_flow_user_info_revoke_and_logout() -> TestResult {
    let (account, cognito) = account().await?;
    let (pool_id, _) = pool_and_client(&cognito, None).await?;
    let domain = format!("test-{}", account.account_id());
    cognito.create_user_pool_domain().user_pool_id(&pool_id).domain(&domain).send().await?;
    let callback = "http://localhost:3000/callback";
    let client_id = cognito
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("web")
        .callback_urls(callback)
        .logout_urls("http://localhost:3000/bye")
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes("email")
        .allowed_o_auth_flows_user_pool_client(true)
        .supported_identity_providers("COGNITO")
        .send()
        .await?
        .user_pool_client
        .and_then(|c| c.client_id)
        .ok_or("no client")?;
    confirmed_user(&cognito, &pool_id, "jane", &[("email", "jane@example.test"), ("email_verified", "true")]).await?;

    // Discovery lists the OAuth endpoints once the pool has a domain.
    let discovery = send("GET", &format!("{}/{pool_id}/.well-known/openid-configuration", account.endpoint()), &[], "")
        .await?
        .json()?;
    assert_eq!(discovery["token_endpoint"], format!("{}/oauth2/token", account.endpoint()));

    let authorize = format!(
        "{}/oauth2/authorize?{}",
        account.endpoint(),
        form(&[
            ("response_type", "code"),
            ("client_id", &client_id),
            ("redirect_uri", callback),
            ("scope", "openid email"),
            ("state", "s123")
        ])
    );
    let login_page = send("GET", &authorize, &[], "").await?;
    assert_eq!(login_page.status, 200);
    assert!(login_page.body.contains("<form"), "without credentials the hosted UI shows a login form");

    let redirected =
        send("GET", &format!("{authorize}&{}", form(&[("username", "jane"), ("password", PASSWORD)])), &[], "").await?;
    assert_eq!(redirected.status, 302, "{}", redirected.body);
    let location = redirected.header("location").ok_or("no Location")?.to_string();
    assert!(location.starts_with(callback), "{location}");
    assert!(location.contains("state=s123"), "{location}");
    let code = location
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("code="))
        .ok_or_else(|| format!("no code in {location}"))?
        .to_string();

    let tokens = token_request(
        &account,
        None,
        &form(&[
            ("grant_type", "authorization_code"),
            ("client_id", &client_id),
            ("code", &code),
            ("redirect_uri", callback),
        ]),
    )
    .await?;
    assert_eq!(tokens.status, 200, "{}", tokens.body);
    let tokens = tokens.json()?;
    let claims =
        verify_token(&account, &pool_id, &client_id, tokens["id_token"].as_str().ok_or("no id token")?, "id").await?;
    assert_eq!(claims["email"], "jane@example.test");
    let access = tokens["access_token"].as_str().ok_or("no access token")?;
    let refresh = tokens["refresh_token"].as_str().ok_or("no refresh token")?;

    // The code is single-use.
    let replay = token_request(
        &account,
        None,
        &form(&[
            ("grant_type", "authorization_code"),
            ("client_id", &client_id),
            ("code", &code),
            ("redirect_uri", callback),
        ]),
    )
    .await?;
    assert_eq!(replay.status, 400);
    assert_eq!(replay.json()?["error"], "invalid_grant");

    let info = send(
        "GET",
        &format!("{}/oauth2/userInfo", account.endpoint()),
        &[("authorization", &format!("Bearer {access}"))],
        "",
    )
    .await?;
    assert_eq!(info.status, 200, "{}", info.body);
    assert_eq!(info.json()?["email"], "jane@example.test");
    let bad = send("GET", &format!("{}/oauth2/userInfo", account.endpoint()), &[("authorization", "Bearer nope")], "")
        .await?;
    assert_eq!(bad.status, 401);

    // Revoking the refresh token ends the session: refresh fails, userInfo with its access token too.
    let revoked = send(
        "POST",
        &format!("{}/oauth2/revoke", account.endpoint()),
        &[("content-type", "application/x-www-form-urlencoded")],
        &form(&[("token", refresh), ("client_id", &client_id)]),
    )
    .await?;
    assert_eq!(revoked.status, 200, "{}", revoked.body);
    let refreshed = token_request(
        &account,
        None,
        &form(&[("grant_type", "refresh_token"), ("client_id", &client_id), ("refresh_token", refresh)]),
    )
    .await?;
    assert_eq!(refreshed.status, 400, "{}", refreshed.body);
    let after = send(
        "GET",
        &format!("{}/oauth2/userInfo", account.endpoint()),
        &[("authorization", &format!("Bearer {access}"))],
        "",
    )
    .await?;
    assert_eq!(after.status, 401);

    // Logout redirects only to a registered LogoutURL.
    let logout = |uri: &str| {
        let url = format!("{}/logout?{}", account.endpoint(), form(&[("client_id", &client_id), ("logout_uri", uri)]));
        async move { send("GET", &url, &[], "").await }
    };
    let ok = logout("http://localhost:3000/bye").await?;
    assert_eq!((ok.status, ok.header("location")), (302, Some("http://localhost:3000/bye")));
    assert_eq!(logout("http://evil.test/").await?.status, 400);
    Ok(())
}

#[test]
fn basic_auth_encoding() {
    assert_eq!(basic("Aladdin", "open sesame"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    assert_eq!(basic("a", "b"), "Basic YTpi");
}
