//! Token verification: vectors signed with a test key (every way a token can be wrong), and real
//! tokens from the local Cognito-compatible server verified against its JWKS over HTTP.

use auth_client::verify::{TokenUse, TokenVerifier, VerifyError};
use aws_sdk_cognitoidentityprovider as idp;
use cognito_local_harness::LocalCognito;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::json;
use std::time::{SystemTime, UNIX_EPOCH};

const KEY: &str = include_str!("fixtures/verify-test-key.pem");
const JWKS: &str = include_str!("fixtures/verify-test-jwks.json");
const ISSUER: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Test";

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

fn sign(claims: serde_json::Value, kid: &str) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.to_string());
    jsonwebtoken::encode(&header, &claims, &EncodingKey::from_rsa_pem(KEY.as_bytes()).unwrap()).unwrap()
}

fn id_claims() -> serde_json::Value {
    json!({ "sub": "u-1", "aud": "client-1", "iss": ISSUER, "token_use": "id", "exp": now() + 600, "iat": now(), "cognito:username": "alice" })
}

/// A verifier with the test keys and a JWKS URL nothing listens on, so no test reaches a network.
fn verifier() -> TokenVerifier {
    TokenVerifier::new("eu-west-1", "eu-west-1_Test", ["client-1"])
        .unwrap()
        .with_endpoint_url("http://127.0.0.1:9")
        .with_jwks(JWKS)
        .unwrap()
}

#[tokio::test]
async fn a_good_id_token_verifies_and_returns_its_claims() {
    let claims = verifier().verify(&sign(id_claims(), "test-key-1"), TokenUse::Id).await.unwrap();
    assert_eq!(claims["cognito:username"], "alice");
}

#[tokio::test]
async fn every_way_a_token_can_be_wrong_is_rejected_with_its_reason() {
    let verifier = verifier();
    let mut expired = id_claims();
    expired["exp"] = json!(now() - 10);
    assert_eq!(verifier.verify(&sign(expired, "test-key-1"), TokenUse::Id).await, Err(VerifyError::Expired));

    let mut other_pool = id_claims();
    other_pool["iss"] = json!("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other");
    assert!(matches!(
        verifier.verify(&sign(other_pool, "test-key-1"), TokenUse::Id).await,
        Err(VerifyError::Issuer { .. })
    ));

    let mut other_client = id_claims();
    other_client["aud"] = json!("client-2");
    assert_eq!(
        verifier.verify(&sign(other_client, "test-key-1"), TokenUse::Id).await,
        Err(VerifyError::Audience("client-2".into()))
    );

    let access =
        json!({ "sub": "u-1", "client_id": "client-1", "iss": ISSUER, "token_use": "access", "exp": now() + 600 });
    assert_eq!(
        verifier.verify(&sign(access.clone(), "test-key-1"), TokenUse::Id).await,
        Err(VerifyError::TokenUse { expected: "id", found: "access".into() })
    );
    assert!(verifier.verify(&sign(access, "test-key-1"), TokenUse::Access).await.is_ok());

    let token = sign(id_claims(), "test-key-1");
    let mut parts: Vec<&str> = token.split('.').collect();
    let forged = sign(
        json!({ "sub": "mallory", "aud": "client-1", "iss": ISSUER, "token_use": "id", "exp": now() + 600 }),
        "test-key-1",
    );
    parts[1] = forged.split('.').nth(1).unwrap();
    let tampered = parts.join(".");
    assert!(matches!(verifier.verify(&tampered, TokenUse::Id).await, Err(VerifyError::Invalid(_))));

    let hs256 = jsonwebtoken::encode(
        &Header { kid: Some("test-key-1".into()), ..Header::new(Algorithm::HS256) },
        &id_claims(),
        &EncodingKey::from_secret(b"the public key as an HMAC secret"),
    )
    .unwrap();
    assert!(matches!(verifier.verify(&hs256, TokenUse::Id).await, Err(VerifyError::Invalid(_))));

    assert!(matches!(verifier.verify("not.a.jwt", TokenUse::Id).await, Err(VerifyError::Malformed(_))));
    assert!(matches!(
        verifier.verify(&sign(id_claims(), "unknown-kid"), TokenUse::Id).await,
        Err(VerifyError::Jwks { .. })
    ));
}

/// Through the wire: a pool on the local server, a user signed in, both tokens verified against
/// the server's JWKS (fetched over HTTP on first use).
#[tokio::test]
async fn tokens_from_the_local_server_verify_against_its_jwks() {
    let local = LocalCognito::shared().await.unwrap();
    let account = local.account().await.unwrap();
    let admin = idp::Client::new(account.sdk_config());
    let pool = admin.create_user_pool().pool_name("verify").send().await.unwrap();
    let pool_id = pool.user_pool().unwrap().id().unwrap().to_string();
    let client = admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("api")
        .explicit_auth_flows(idp::types::ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .send()
        .await
        .unwrap();
    let client_id = client.user_pool_client().unwrap().client_id().unwrap().to_string();
    admin
        .admin_create_user()
        .user_pool_id(&pool_id)
        .username("alice")
        .message_action(idp::types::MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    admin
        .admin_set_user_password()
        .user_pool_id(&pool_id)
        .username("alice")
        .password("Passw0rd!long")
        .permanent(true)
        .send()
        .await
        .unwrap();
    let auth = admin
        .admin_initiate_auth()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .auth_flow(idp::types::AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("PASSWORD", "Passw0rd!long")
        .send()
        .await
        .unwrap();
    let tokens = auth.authentication_result().unwrap();

    let verifier =
        TokenVerifier::new("us-east-1", &pool_id, [client_id.clone()]).unwrap().with_endpoint_url(local.endpoint());
    let id = verifier.verify(tokens.id_token().unwrap(), TokenUse::Id).await.unwrap();
    assert_eq!(id["cognito:username"], "alice");
    let access = verifier.verify(tokens.access_token().unwrap(), TokenUse::Access).await.unwrap();
    assert_eq!(access["client_id"], json!(client_id));

    let stranger =
        TokenVerifier::new("us-east-1", &pool_id, ["another-client"]).unwrap().with_endpoint_url(local.endpoint());
    assert_eq!(stranger.verify(tokens.id_token().unwrap(), TokenUse::Id).await, Err(VerifyError::Audience(client_id)));
}
