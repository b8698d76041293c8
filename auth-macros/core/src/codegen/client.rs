//! `Client`: `auth_client::AuthClient` with the spec's types in and out.

use crate::model::AuthModel;
use proc_macro2::TokenStream;
use quote::quote;

pub fn generate(model: &AuthModel, spec: &str) -> TokenStream {
    let steps = model.steps;
    let custom = steps.custom_challenge.then(|| {
        quote! {
            /// Starts a custom-challenge sign-in (`CUSTOM_AUTH`, after an SRP password check when
            /// `password` is given).
            pub async fn sign_in_custom(&self, username: &str, password: ::std::option::Option<&str>) -> ::std::result::Result<SignInStep, ::auth_client::typed::TypedError> {
                let flow = if password.is_some() { ::auth_client::AuthFlow::CustomWithSrp } else { ::auth_client::AuthFlow::CustomWithoutSrp };
                let input = ::auth_client::SignInInput {
                    username: username.to_string(),
                    password: password.map(::auth_client::Secret::new),
                    flow,
                    ..::std::default::Default::default()
                };
                let step = self.inner.sign_in_with(input).await?;
                SignInStep::try_from(step)
            }
        }
    });
    let doc = format!(
        "The auth client of `{spec}`: [`auth_client::AuthClient`] taking and returning this spec's types. Build it from the outputs file `cargo xtask deploy` writes with [`Client::from_outputs_file`], or wrap a client you configured."
    );
    quote! {
        #[doc = #doc]
        #[derive(::std::clone::Clone)]
        pub struct Client {
            inner: ::auth_client::AuthClient,
        }

        impl Client {
            /// Wraps a configured client.
            pub fn new(inner: ::auth_client::AuthClient) -> Client {
                Client { inner }
            }

            /// A client configured from `amplify_outputs.json` (the default app client), with the
            /// session kept in memory.
            pub async fn from_outputs_file(path: impl ::std::convert::AsRef<::std::path::Path>) -> ::std::result::Result<Client, ::auth_client::typed::TypedError> {
                let config = ::auth_client::AuthConfig::from_outputs_file(path)?;
                ::std::result::Result::Ok(Client { inner: ::auth_client::AuthClient::builder(config).build().await? })
            }

            /// The untyped client, for everything this wrapper does not cover.
            pub fn inner(&self) -> &::auth_client::AuthClient {
                &self.inner
            }

            /// Signs a user up with the spec's attributes (checked against its constraints first).
            pub async fn sign_up(&self, username: &str, password: &str, attributes: SignUpAttributes) -> ::std::result::Result<::auth_client::SignUpOutput, ::auth_client::typed::TypedError> {
                let input = ::auth_client::SignUpInput {
                    username: username.to_string(),
                    password: ::auth_client::Secret::new(password),
                    attributes: attributes.to_wire()?.into_iter().collect(),
                    ..::std::default::Default::default()
                };
                ::std::result::Result::Ok(self.inner.sign_up(input).await?)
            }

            /// Confirms a sign-up with the code Cognito sent.
            pub async fn confirm_sign_up(&self, username: &str, code: &str) -> ::std::result::Result<::auth_client::SignUpNextStep, ::auth_client::typed::TypedError> {
                ::std::result::Result::Ok(self.inner.confirm_sign_up(username, code, false).await?)
            }

            /// Signs in with SRP (the password never leaves the process).
            pub async fn sign_in(&self, username: &str, password: &str) -> ::std::result::Result<SignInStep, ::auth_client::typed::TypedError> {
                let step = self.inner.sign_in(username, password).await?;
                SignInStep::try_from(step)
            }

            #custom

            /// Answers the pending sign-in step.
            pub async fn confirm_sign_in(&self, answer: Answer) -> ::std::result::Result<SignInStep, ::auth_client::typed::TypedError> {
                let step = self.inner.confirm_sign_in(answer.to_client()?).await?;
                SignInStep::try_from(step)
            }

            /// Updates the signed-in user's attributes (only mutable ones exist in
            /// [`UpdatableAttributes`]); reports which need a confirmation code.
            pub async fn update_attributes(&self, changes: UpdatableAttributes) -> ::std::result::Result<::std::collections::BTreeMap<::std::string::String, ::auth_client::AttributeUpdate>, ::auth_client::typed::TypedError> {
                let changes: ::std::collections::BTreeMap<::std::string::String, ::std::string::String> = changes.to_wire()?.into_iter().collect();
                ::std::result::Result::Ok(self.inner.update_user_attributes(changes).await?)
            }

            /// The signed-in user's id token claims, typed (from the current session, refreshed
            /// if needed; the token came from Cognito over TLS, so it is decoded, not re-verified:
            /// use [`IdTokenClaims::verify`] for tokens a server receives).
            pub async fn id_token_claims(&self) -> ::std::result::Result<IdTokenClaims, ::auth_client::typed::TypedError> {
                let tokens = self.inner.current_session().await?;
                let claims = tokens.id_claims()?;
                ::std::result::Result::Ok(<IdTokenClaims as ::auth_client::typed::TypedClaims>::from_claims(claims.as_map())?)
            }

            /// The signed-in user's access token claims, typed.
            pub async fn access_token_claims(&self) -> ::std::result::Result<AccessTokenClaims, ::auth_client::typed::TypedError> {
                let tokens = self.inner.current_session().await?;
                let claims = tokens.access_claims()?;
                ::std::result::Result::Ok(<AccessTokenClaims as ::auth_client::typed::TypedClaims>::from_claims(claims.as_map())?)
            }

            /// The hosted UI authorize URL (with PKCE and state), straight to `provider`.
            pub fn authorize_url(&self, redirect_uri: &str, provider: OAuthProvider) -> ::std::result::Result<::auth_client::AuthorizeRequest, ::auth_client::typed::TypedError> {
                let provider = match provider.cognito_name() {
                    "COGNITO" => ::std::option::Option::None,
                    name => ::std::option::Option::Some(name),
                };
                ::std::result::Result::Ok(self.inner.authorize_url(redirect_uri, provider)?)
            }

            /// Signs out of this device (`global`: of every device, revoking the refresh token).
            pub async fn sign_out(&self, global: bool) -> ::std::result::Result<(), ::auth_client::typed::TypedError> {
                let options = if global { ::auth_client::SignOutOptions::global() } else { ::auth_client::SignOutOptions::local() };
                ::std::result::Result::Ok(self.inner.sign_out(options).await?)
            }
        }
    }
}
