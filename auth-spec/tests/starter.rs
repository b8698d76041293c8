//! `init`'s starter specs are valid for every preset and for combinations of manual answers.

use auth_spec::model::*;
use auth_spec::starter::{self, Answers, Preset, SocialProviderKind};
use std::path::Path;

fn loads(answers: &Answers, preset: Preset) -> Spec {
    let text = starter::render(&starter::spec(answers), Some("../schemas/auth-spec.schema.json"), preset);
    let loaded =
        auth_spec::load_str(Path::new("auth.toml"), &text, None).unwrap_or_else(|error| panic!("{text}\n{error}"));
    assert!(loaded.warnings.items.is_empty(), "{text}\n{}", loaded.warnings);
    assert!(text.starts_with("#:schema ../schemas/auth-spec.schema.json\n"));
    loaded.spec
}

#[test]
fn the_default_preset_is_amplifys_default_configuration() {
    let spec = loads(&Answers::for_preset(Preset::Default, "shop-users"), Preset::Default);
    assert_eq!(spec.pool.sign_in, [SignInIdentifier::Email]);
    assert!(spec.attributes.email.as_ref().unwrap().required);
    assert_eq!(spec.mfa.mode, MfaMode::Off);
    assert_eq!(spec.clients.keys().collect::<Vec<_>>(), ["web"]);
}

#[test]
fn the_social_preset_has_the_hosted_ui_and_four_providers() {
    let spec = loads(&Answers::for_preset(Preset::Social, "Shop Users"), Preset::Social);
    assert_eq!(spec.domain.unwrap().prefix.as_deref(), Some("shop-users-login"));
    assert!(spec.providers.google.is_some() && spec.providers.facebook.is_some());
    assert!(spec.providers.amazon.is_some() && spec.providers.apple.is_some());
    assert_eq!(
        spec.clients["web"].oauth.as_ref().unwrap().providers,
        ["cognito", "google", "facebook", "amazon", "apple"]
    );
}

#[test]
fn every_combination_of_manual_answers_is_valid() {
    let sign_ins = [
        vec![SignInIdentifier::Email],
        vec![SignInIdentifier::Phone],
        vec![SignInIdentifier::Username],
        vec![SignInIdentifier::Email, SignInIdentifier::Phone],
        vec![SignInIdentifier::Username, SignInIdentifier::Email, SignInIdentifier::PreferredUsername],
    ];
    let mfas = [
        (MfaMode::Off, vec![]),
        (MfaMode::Optional, vec![MfaMethod::Totp]),
        (MfaMode::Required, vec![MfaMethod::Totp, MfaMethod::Sms]),
        (MfaMode::Optional, vec![MfaMethod::Email]),
    ];
    for sign_in in &sign_ins {
        for (mode, methods) in &mfas {
            for providers in [vec![], vec![SocialProviderKind::Google, SocialProviderKind::Apple]] {
                let mut answers = Answers::for_preset(Preset::Manual, "amazon-aws-shop");
                answers.sign_in = sign_in.clone();
                answers.required_attributes = vec![StandardAttribute::GivenName];
                answers.mfa = *mode;
                answers.mfa_methods = methods.clone();
                answers.domain_prefix =
                    (!providers.is_empty()).then(|| starter::default_domain_prefix("amazon-aws-shop"));
                answers.providers = providers;
                let spec = loads(&answers, Preset::Manual);
                assert!(spec.attributes.given_name.as_ref().unwrap().required);
            }
        }
    }
}

#[test]
fn domain_prefixes_drop_reserved_words_and_odd_characters() {
    assert_eq!(starter::default_domain_prefix("My AWS Shop!"), "my-shop-login");
    assert_eq!(starter::default_domain_prefix("cognito"), "myapp-login");
}
