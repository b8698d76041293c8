//! Specs built in Rust for the unit tests, and a "deployed" live state made from a desired one.

use crate::externals::{Fingerprints, fingerprint};
use crate::live::{Live, LiveIdentityPool, LiveUserPool};
use auth_spec::model::*;
use auth_spec::state::{AuthState, DetailValue};
use std::collections::BTreeMap;

/// The values of the secrets the fixtures reference.
pub fn secrets() -> BTreeMap<String, String> {
    BTreeMap::from([
        ("GOOGLE_CLIENT_SECRET".to_string(), "google-secret".to_string()),
        ("CORP_CLIENT_SECRET".to_string(), "corp-secret".to_string()),
    ])
}

/// Fingerprints of [`secrets`], as the plan gets them.
pub fn fingerprints(desired: &AuthState) -> Fingerprints {
    crate::externals::Externals::from_map(".", secrets()).fingerprints(desired)
}

pub fn minimal() -> Spec {
    let mut spec = Spec::default();
    spec.pool.name = "minimal-users".into();
    spec.attributes.email = Some(StandardAttributeSpec::required());
    spec.clients.insert("web".into(), AppClient::default());
    spec
}

/// Every part of the spec language in use.
pub fn full() -> Spec {
    let mut spec = Spec::default();
    spec.pool.name = "full-users".into();
    spec.pool.sign_in = vec![SignInIdentifier::Email, SignInIdentifier::Phone];
    spec.pool.password.min_length = 12;
    spec.pool.tags.insert("team".into(), "identity".into());
    spec.attributes.email = Some(StandardAttributeSpec::required());
    spec.attributes.given_name = Some(StandardAttributeSpec::required());
    spec.attributes.phone_number = Some(StandardAttributeSpec::default());
    spec.custom_attributes.insert(
        "tier".into(),
        CustomAttribute { max_length: Some(16), ..CustomAttribute::new(CustomAttributeType::String) },
    );
    spec.custom_attributes.insert(
        "age".into(),
        CustomAttribute { min: Some(0), max: Some(150), ..CustomAttribute::new(CustomAttributeType::Number) },
    );
    spec.custom_attributes
        .insert("vip".into(), CustomAttribute { mutable: false, ..CustomAttribute::new(CustomAttributeType::Boolean) });
    spec.verification.email_subject = Some("Welcome to Full".into());
    spec.mfa = Mfa { mode: MfaMode::Optional, methods: vec![MfaMethod::Totp, MfaMethod::Sms], ..Mfa::default() };
    spec.sms = Some(SmsConfig {
        role_arn: "arn:aws:iam::123456789012:role/cognito-sms".into(),
        external_id: Some("full".into()),
        sns_region: None,
    });
    spec.devices = Devices { remember: DeviceRemembering::UserOptIn, challenge_new_device: true };
    spec.triggers.set(Trigger::PreSignUp, "arn:aws:lambda:us-east-1:000000000000:function:local-auto-confirm");
    spec.triggers
        .set(Trigger::PreTokenGeneration, "arn:aws:lambda:us-east-1:000000000000:function:local-pre-token-claims");
    spec.triggers.pre_token_generation_version = Some(PreTokenGenerationVersion::V2);
    spec.groups.insert(
        "admins".into(),
        Group { precedence: Some(0), description: Some("Administrators".into()), role_arn: None },
    );
    spec.groups.insert("users".into(), Group { precedence: Some(10), ..Group::default() });
    spec.resource_servers.insert(
        "https://api.example.com".into(),
        ResourceServer {
            name: "Orders API".into(),
            scopes: BTreeMap::from([
                ("orders.read".into(), "Read orders".into()),
                ("orders.write".into(), "Write orders".into()),
            ]),
        },
    );
    spec.providers.google = Some(SocialProvider {
        client_id: "1234-abc.apps.googleusercontent.com".into(),
        client_secret: SecretRef::env("GOOGLE_CLIENT_SECRET"),
        scopes: Vec::new(),
        attribute_mapping: BTreeMap::from([
            ("email".into(), "email".into()),
            ("given_name".into(), "given_name".into()),
        ]),
        api_version: None,
    });
    spec.providers.oidc.insert(
        "Corp".into(),
        OidcProvider {
            client_id: "corp-client".into(),
            client_secret: SecretRef::env("CORP_CLIENT_SECRET"),
            issuer: "https://login.corp.example.com".into(),
            scopes: vec!["openid".into(), "email".into()],
            attribute_mapping: BTreeMap::from([("email".into(), "email".into())]),
            request_method: OidcRequestMethod::Get,
            identifiers: vec!["corp.example.com".into()],
        },
    );
    spec.clients.insert(
        "web".into(),
        AppClient {
            oauth: Some(ClientOAuth {
                flows: vec![OAuthFlow::Code],
                callback_urls: vec!["https://app.example.com/callback".into(), "http://localhost:3000/".into()],
                logout_urls: vec!["https://app.example.com/".into()],
                ..ClientOAuth::default()
            }),
            read_attributes: Some(vec!["email".into(), "given_name".into(), "tier".into()]),
            ..AppClient::default()
        },
    );
    spec.clients.insert(
        "backend".into(),
        AppClient {
            generate_secret: true,
            auth_flows: vec![AuthFlow::AdminUserPassword, AuthFlow::RefreshToken],
            access_token_validity: Some(TokenValidity::minutes(15)),
            refresh_token_validity: Some(TokenValidity::days(1)),
            oauth: Some(ClientOAuth {
                flows: vec![OAuthFlow::ClientCredentials],
                scopes: vec!["https://api.example.com/orders.read".into()],
                ..ClientOAuth::default()
            }),
            ..AppClient::default()
        },
    );
    spec.domain = Some(Domain { prefix: Some("full-auth".into()), ..Domain::default() });
    spec.identity_pool = Some(IdentityPool {
        name: "full_identities".into(),
        allow_guest: true,
        clients: Some(vec!["web".into()]),
        roles_from_token: true,
        ..IdentityPool::default()
    });
    spec
}

/// The live state of a deployment that matches `desired` exactly, as Cognito would hold it:
/// secrets as fingerprints of [`secrets`], ids made up.
pub fn deployed(desired: &AuthState) -> Live {
    let mut state = desired.clone();
    state.identity_pool = None;
    state.pool.region = Some("us-east-1".into());
    for provider in state.identity_providers.values_mut() {
        for value in provider.details.values_mut() {
            if let DetailValue::Secret(secret) = value {
                let plain = secrets().get(&secret.env).cloned().unwrap_or_default();
                *value = DetailValue::SecretFingerprint(fingerprint(plain.as_bytes()));
            }
        }
    }
    let client_ids = state.clients.keys().map(|name| (name.clone(), format!("id-{name}"))).collect();
    Live {
        region: "us-east-1".into(),
        endpoint_url: None,
        user_pool: Some(LiveUserPool {
            id: "us-east-1_Fixture".into(),
            arn: "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_Fixture".into(),
            estimated_users: 0,
            state,
            client_ids,
            duplicate_clients: Vec::new(),
            foreign_providers: Vec::new(),
            saml_metadata: BTreeMap::new(),
            preserved: Default::default(),
            preserved_clients: BTreeMap::new(),
        }),
        identity_pool: desired
            .identity_pool
            .as_ref()
            .map(|pool| LiveIdentityPool { id: "us-east-1:identity-fixture".into(), state: pool.clone() }),
    }
}
