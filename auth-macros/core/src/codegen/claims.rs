//! `IdTokenClaims` and `AccessTokenClaims`: this pool's tokens, typed (custom attributes by their
//! declared type, groups as [`Group`]), built from verified claims so a backend authorizes a
//! request with one call.

use super::attributes::value_type;
use crate::model::{AuthModel, Kind};
use crate::names::field;
use proc_macro2::TokenStream;
use quote::quote;

pub fn generate(model: &AuthModel, spec: &str) -> TokenStream {
    let mut fields = Vec::new();
    let mut parse = Vec::new();
    let mut names = Vec::new();
    for attribute in &model.attributes {
        let ident = field(&attribute.field);
        let ty = value_type(attribute.kind);
        let wire = &attribute.wire;
        let doc = format!("`{wire}`, from `{}`, when the token carries it.", attribute.origin);
        let reader = match attribute.kind {
            Kind::Text => quote! { ::auth_client::typed::claim_opt_string },
            Kind::Integer => quote! { ::auth_client::typed::claim_opt_i64 },
            Kind::Boolean => quote! { ::auth_client::typed::claim_opt_bool },
            Kind::DateTime => quote! { ::auth_client::typed::claim_opt_datetime },
        };
        fields.push(quote! { #[doc = #doc] pub #ident: ::std::option::Option<#ty>, });
        parse.push(quote! { #ident: #reader(claims, #wire)?, });
        names.push(attribute.field.clone());
    }
    for (flag, attribute) in [("email_verified", "email"), ("phone_number_verified", "phone_number")] {
        if names.iter().any(|name| name == attribute) && !names.iter().any(|name| name == flag) {
            let ident = field(flag);
            let doc = format!("`{flag}`: whether `{attribute}` is verified.");
            fields.push(quote! { #[doc = #doc] pub #ident: ::std::option::Option<bool>, });
            parse.push(quote! { #ident: ::auth_client::typed::claim_opt_bool(claims, #flag)?, });
        }
    }
    let id_doc = format!("The claims of an id token of `{spec}` (pool `{}`), typed from the spec.", model.pool_name);
    let access_doc = format!("The claims of an access token of `{spec}` (pool `{}`).", model.pool_name);
    quote! {
        #[doc = #id_doc]
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        pub struct IdTokenClaims {
            /// `sub`: the user's stable id.
            pub sub: ::std::string::String,
            /// `cognito:username`.
            pub username: ::std::string::String,
            /// `aud`: the app client id the token was issued to.
            pub audience: ::std::string::String,
            /// `iss`: the user pool's issuer URL.
            pub issuer: ::std::string::String,
            /// `exp`.
            pub expires_at: ::std::time::SystemTime,
            /// `iat`.
            pub issued_at: ::std::time::SystemTime,
            /// `cognito:groups`, as the spec's groups.
            pub groups: ::std::vec::Vec<Group>,
            #( #fields )*
        }

        impl IdTokenClaims {
            /// Verifies an id token (signature against the pool's JWKS, issuer, audience,
            /// `token_use`, expiry) and types its claims.
            pub async fn verify(token: &str, verifier: &::auth_client::verify::TokenVerifier) -> ::std::result::Result<IdTokenClaims, ::auth_client::typed::TypedError> {
                let claims = verifier.verify(token, ::auth_client::verify::TokenUse::Id).await?;
                ::std::result::Result::Ok(<IdTokenClaims as ::auth_client::typed::TypedClaims>::from_claims(&claims)?)
            }
        }

        impl ::auth_client::typed::TypedClaims for IdTokenClaims {
            const TOKEN_USE: ::auth_client::verify::TokenUse = ::auth_client::verify::TokenUse::Id;

            fn from_claims(claims: &::auth_client::typed::ClaimsMap) -> ::std::result::Result<Self, ::auth_client::typed::ClaimsError> {
                ::std::result::Result::Ok(IdTokenClaims {
                    sub: ::auth_client::typed::claim_string(claims, "sub")?,
                    username: ::auth_client::typed::claim_string(claims, "cognito:username")?,
                    audience: ::auth_client::typed::claim_string(claims, "aud")?,
                    issuer: ::auth_client::typed::claim_string(claims, "iss")?,
                    expires_at: ::auth_client::typed::claim_time(claims, "exp")?,
                    issued_at: ::auth_client::typed::claim_time(claims, "iat")?,
                    groups: ::auth_client::typed::claim_names(claims, "cognito:groups")?,
                    #( #parse )*
                })
            }
        }

        #[doc = #access_doc]
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        pub struct AccessTokenClaims {
            /// `sub`: the user's stable id (the client id for client-credentials tokens).
            pub sub: ::std::string::String,
            /// `username` (absent in client-credentials tokens).
            pub username: ::std::option::Option<::std::string::String>,
            /// `client_id`: the app client the token was issued to.
            pub client_id: ::std::string::String,
            /// `iss`.
            pub issuer: ::std::string::String,
            /// `scope`, as the spec's scopes.
            pub scopes: ::std::vec::Vec<Scope>,
            /// `cognito:groups`, as the spec's groups.
            pub groups: ::std::vec::Vec<Group>,
            /// `exp`.
            pub expires_at: ::std::time::SystemTime,
            /// `iat`.
            pub issued_at: ::std::time::SystemTime,
        }

        impl AccessTokenClaims {
            /// Verifies an access token (signature, issuer, `client_id`, `token_use`, expiry) and
            /// types its claims.
            pub async fn verify(token: &str, verifier: &::auth_client::verify::TokenVerifier) -> ::std::result::Result<AccessTokenClaims, ::auth_client::typed::TypedError> {
                let claims = verifier.verify(token, ::auth_client::verify::TokenUse::Access).await?;
                ::std::result::Result::Ok(<AccessTokenClaims as ::auth_client::typed::TypedClaims>::from_claims(&claims)?)
            }

            /// Whether the token carries this scope.
            pub fn has_scope(&self, scope: Scope) -> bool {
                self.scopes.contains(&scope)
            }
        }

        impl ::auth_client::typed::TypedClaims for AccessTokenClaims {
            const TOKEN_USE: ::auth_client::verify::TokenUse = ::auth_client::verify::TokenUse::Access;

            fn from_claims(claims: &::auth_client::typed::ClaimsMap) -> ::std::result::Result<Self, ::auth_client::typed::ClaimsError> {
                ::std::result::Result::Ok(AccessTokenClaims {
                    sub: ::auth_client::typed::claim_string(claims, "sub")?,
                    username: ::auth_client::typed::claim_opt_string(claims, "username")?,
                    client_id: ::auth_client::typed::claim_string(claims, "client_id")?,
                    issuer: ::auth_client::typed::claim_string(claims, "iss")?,
                    scopes: ::auth_client::typed::claim_names(claims, "scope")?,
                    groups: ::auth_client::typed::claim_names(claims, "cognito:groups")?,
                    expires_at: ::auth_client::typed::claim_time(claims, "exp")?,
                    issued_at: ::auth_client::typed::claim_time(claims, "iat")?,
                })
            }
        }
    }
}
