#![deny(warnings)]

#[auth_macros::auth_config("../examples/social.toml")]
pub mod auth {}

#[allow(dead_code)]
fn google_url(client: &auth::Client) -> Result<String, auth_client::typed::TypedError> {
    Ok(client.authorize_url("https://app.example.com/callback", auth::OAuthProvider::Google)?.url)
}

fn main() {
    let names: Vec<&str> = auth::OAuthProvider::ALL.iter().map(|provider| provider.cognito_name()).collect();
    assert_eq!(names, ["COGNITO", "Google", "Facebook", "LoginWithAmazon", "SignInWithApple", "corporate"]);
    assert_eq!("apple".parse::<auth::OAuthProvider>().unwrap(), auth::OAuthProvider::Apple);
    assert!("github".parse::<auth::OAuthProvider>().is_err());
    let attributes = auth::SignUpAttributes::new("ada@example.com").with_name("Ada").with_picture("https://example.com/ada.png");
    assert_eq!(attributes.to_wire().unwrap().len(), 3);
}
