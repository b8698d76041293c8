//! End-to-end tests of the local server through the real AWS SDK and plain HTTP.
//!
//! One test binary (one link, one server per process); each test works in its own account, so
//! they run in parallel without resets.

mod divergences;
mod oauth;
mod shims;
mod smoke;
mod test_endpoints;
mod triggers;

use aws_sdk_cognitoidentityprovider as idp;
use cognito_local_harness::{LocalCognito, TestAccount, send};
use idp::types::{AttributeType, AuthFlowType, ExplicitAuthFlowsType};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, jwk::JwkSet};
use serde_json::Value;

pub type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;
pub type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

pub const PASSWORD: &str = "Corr3ct-Horse!";

/// A fresh account on the shared server, and a Cognito client acting in it.
pub async fn account() -> Res<(TestAccount, idp::Client)> {
    let local = LocalCognito::shared().await?;
    let account = local.account().await?;
    let client = idp::Client::new(account.sdk_config());
    Ok((account, client))
}

pub fn attr(name: &str, value: &str) -> AttributeType {
    AttributeType::builder().name(name).value(value).build().expect("name and value are set")
}

/// A pool (email auto-verified) and a public app client allowing password, refresh and custom
/// auth. Returns (pool id, client id).
pub async fn pool_and_client(
    cognito: &idp::Client,
    lambda: Option<idp::types::LambdaConfigType>,
) -> Res<(String, String)> {
    let pool = cognito
        .create_user_pool()
        .pool_name("test-pool")
        .auto_verified_attributes(idp::types::VerifiedAttributeType::Email)
        .set_lambda_config(lambda)
        .send()
        .await?
        .user_pool
        .ok_or("CreateUserPool returned no pool")?;
    let pool_id = pool.id.ok_or("pool without id")?;
    let client = cognito
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("test-client")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowCustomAuth)
        .send()
        .await?
        .user_pool_client
        .ok_or("CreateUserPoolClient returned no client")?;
    Ok((pool_id, client.client_id.ok_or("client without id")?))
}

/// A confirmed user with a permanent password, made through the admin API (no messages sent).
pub async fn confirmed_user(cognito: &idp::Client, pool_id: &str, username: &str, attrs: &[(&str, &str)]) -> Res<()> {
    let mut create = cognito
        .admin_create_user()
        .user_pool_id(pool_id)
        .username(username)
        .message_action(idp::types::MessageActionType::Suppress);
    for (k, v) in attrs {
        create = create.user_attributes(attr(k, v));
    }
    create.send().await?;
    cognito
        .admin_set_user_password()
        .user_pool_id(pool_id)
        .username(username)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await?;
    Ok(())
}

/// USER_PASSWORD_AUTH sign-in; returns the authentication result.
pub async fn password_sign_in(
    cognito: &idp::Client,
    client_id: &str,
    username: &str,
    password: &str,
) -> Res<idp::types::AuthenticationResultType> {
    let out = cognito
        .initiate_auth()
        .client_id(client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", username)
        .auth_parameters("PASSWORD", password)
        .send()
        .await?;
    Ok(out.authentication_result.ok_or_else(|| format!("expected tokens, got challenge {:?}", out.challenge_name))?)
}

/// The issuer real Cognito puts in tokens of `pool_id`.
pub fn issuer(pool_id: &str) -> String {
    let region = pool_id.split('_').next().unwrap_or("us-east-1");
    format!("https://cognito-idp.{region}.amazonaws.com/{pool_id}")
}

/// Verifies a Cognito JWT the way a resource server does: signature against the pool's JWKS
/// (fetched from the local server), `exp`, issuer, audience (id tokens) or `client_id` (access
/// tokens), and `token_use`. Returns the claims.
pub async fn verify_token(
    account: &TestAccount,
    pool_id: &str,
    client_id: &str,
    token: &str,
    token_use: &str,
) -> Res<Value> {
    let jwks_url = format!("{}/{pool_id}/.well-known/jwks.json", account.endpoint());
    let resp = send("GET", &jwks_url, &[], "").await?;
    if resp.status != 200 {
        return Err(format!("JWKS answered {}: {}", resp.status, resp.body).into());
    }
    let jwks: JwkSet = serde_json::from_str(&resp.body)?;
    let header = jsonwebtoken::decode_header(token)?;
    let kid = header.kid.ok_or("token header has no kid")?;
    let jwk = jwks.find(&kid).ok_or_else(|| format!("kid {kid} is not in the pool's JWKS"))?;
    let key = DecodingKey::from_jwk(jwk)?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[issuer(pool_id)]);
    if token_use == "id" {
        validation.set_audience(&[client_id]);
    } else {
        // Cognito access tokens carry `client_id` instead of `aud`.
        validation.validate_aud = false;
    }
    let claims = jsonwebtoken::decode::<Value>(token, &key, &validation)?.claims;
    if claims["token_use"] != token_use {
        return Err(format!("token_use is {}, expected {token_use}", claims["token_use"]).into());
    }
    if token_use == "access" && claims["client_id"] != client_id {
        return Err(format!("client_id is {}, expected {client_id}", claims["client_id"]).into());
    }
    Ok(claims)
}

/// The error code of an SDK error (e.g. `NotAuthorizedException`), for asserting failures.
pub fn error_code<E, R>(err: &aws_sdk_cognitoidentityprovider::error::SdkError<E, R>) -> Option<String>
where
    E: aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata,
{
    err.as_service_error().and_then(|e| e.code()).map(str::to_string)
}
