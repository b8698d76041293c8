//! Flows that only work because of the server's repairs around fakecloud (`src/shims.rs`).

use idp::types::{
    AttributeDataType, AuthFlowType, ChallengeNameType, NumberAttributeConstraintsType, SchemaAttributeType,
    SoftwareTokenMfaConfigType, UserPoolMfaType, VerifySoftwareTokenResponseType,
};

use crate::*;

fn totp_code(secret: &str) -> Res<String> {
    let secret = totp_rs::Secret::try_from_base32(secret).map_err(|e| format!("TOTP secret is not base32: {e:?}"))?;
    Ok(totp_rs::Builder::new().with_secret(secret).build_noncompliant().generate_current().to_string())
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
    assert!(done.authentication_result.is_some(), "MFA_SETUP completed with tokens: {done:?}");

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

/// The attribute schema reads back as it was given: standard attributes' `Required` /
/// `Mutable` / constraints, custom attributes under `custom:` with their number constraints.
#[tokio::test]
async fn the_attribute_schema_reads_back_as_created() -> TestResult {
    let (_account, cognito) = account().await?;
    let schema = |name: &str, kind: AttributeDataType, required: bool, mutable: bool| {
        SchemaAttributeType::builder().name(name).attribute_data_type(kind).required(required).mutable(mutable)
    };
    let created = cognito
        .create_user_pool()
        .pool_name("schema")
        .schema(schema("email", AttributeDataType::String, true, true).build())
        .schema(schema("birthdate", AttributeDataType::String, false, false).build())
        .schema(
            schema("seats", AttributeDataType::Number, false, true)
                .number_attribute_constraints(
                    NumberAttributeConstraintsType::builder().min_value("1").max_value("500").build(),
                )
                .build(),
        )
        .send()
        .await?;
    let pool = created.user_pool.ok_or("no pool")?;
    let pool_id = pool.id.clone().ok_or("no id")?;
    cognito
        .add_custom_attributes()
        .user_pool_id(&pool_id)
        .custom_attributes(
            schema("age", AttributeDataType::Number, false, true)
                .number_attribute_constraints(NumberAttributeConstraintsType::builder().min_value("0").build())
                .build(),
        )
        .send()
        .await?;

    let described = cognito.describe_user_pool().user_pool_id(&pool_id).send().await?;
    for attributes in [pool.schema_attributes(), described.user_pool.as_ref().ok_or("no pool")?.schema_attributes()] {
        let find = |name: &str| attributes.iter().find(|a| a.name() == Some(name));
        let email = find("email").ok_or("no email")?;
        assert_eq!((email.required, email.mutable), (Some(true), Some(true)));
        let birthdate = find("birthdate").ok_or("no birthdate")?;
        assert_eq!((birthdate.required, birthdate.mutable), (Some(false), Some(false)));
        assert!(find("seats").is_none(), "custom attributes carry the prefix");
        let seats = find("custom:seats").ok_or("no custom:seats")?;
        let limits = seats.number_attribute_constraints().ok_or("no number constraints")?;
        assert_eq!((limits.min_value(), limits.max_value()), (Some("1"), Some("500")));
    }
    let attributes = described.user_pool.ok_or("no pool")?.schema_attributes.unwrap_or_default();
    let age = attributes.iter().find(|a| a.name() == Some("custom:age")).ok_or("no custom:age")?;
    assert_eq!(age.number_attribute_constraints().and_then(|c| c.min_value()), Some("0"));
    Ok(())
}

/// DescribeUserPool names the pool's (prefix) domain once it has one.
#[tokio::test]
async fn describe_user_pool_names_the_domain() -> TestResult {
    let (_account, cognito) = account().await?;
    let pool = cognito.create_user_pool().pool_name("with-domain").send().await?;
    let pool_id = pool.user_pool.and_then(|p| p.id).ok_or("no id")?;
    let before = cognito.describe_user_pool().user_pool_id(&pool_id).send().await?;
    assert_eq!(before.user_pool.and_then(|p| p.domain), None);
    let prefix = format!("shim-{}", pool_id.rsplit('_').next().unwrap_or("x").to_lowercase());
    cognito.create_user_pool_domain().user_pool_id(&pool_id).domain(&prefix).send().await?;
    let after = cognito.describe_user_pool().user_pool_id(&pool_id).send().await?;
    let described = after.user_pool.ok_or("no pool")?;
    assert_eq!(described.domain.as_deref(), Some(prefix.as_str()));
    assert_eq!(described.custom_domain, None);
    Ok(())
}
