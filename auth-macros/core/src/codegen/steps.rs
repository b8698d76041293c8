//! `SignInStep`: exactly the sign-in steps the spec can produce, so an exhaustive `match` in the
//! app stops compiling when the spec gains one (and an arm for a step the spec disables does not
//! compile at all). Plus `MfaMethod` (the enabled second factors) and the conversions from
//! `auth_client`'s general types.

use crate::model::AuthModel;
use proc_macro2::TokenStream;
use quote::quote;

pub fn generate(model: &AuthModel, spec: &str) -> TokenStream {
    let steps = model.steps;
    let mut methods = Vec::new();
    if steps.sms_code {
        methods.push((quote! { Sms }, quote! { Sms }, "SMS codes (`[mfa] methods` has \"sms\")."));
    }
    if steps.totp_code {
        methods.push((quote! { Totp }, quote! { Totp }, "An authenticator app (`[mfa] methods` has \"totp\")."));
    }
    if steps.email_code {
        methods.push((quote! { Email }, quote! { Email }, "Email codes (`[mfa] methods` has \"email\")."));
    }
    let method_variants: Vec<&TokenStream> = methods.iter().map(|(variant, _, _)| variant).collect();
    let method_types: Vec<&TokenStream> = methods.iter().map(|(_, mfa_type, _)| mfa_type).collect();
    let method_docs: Vec<&str> = methods.iter().map(|(_, _, doc)| *doc).collect();
    let to_client = if methods.is_empty() {
        quote! { match self {} }
    } else {
        quote! { match self { #( MfaMethod::#method_variants => ::auth_client::MfaType::#method_types, )* } }
    };

    let mut variants = vec![quote! {
        /// Signed in: tokens are in the session.
        Done,
    }];
    let mut arms = vec![quote! { ::auth_client::SignInNextStep::Done => ::std::result::Result::Ok(SignInStep::Done), }];
    let mut add = |enabled: bool, variant: TokenStream, arm: TokenStream| {
        if enabled {
            variants.push(variant);
            arms.push(arm);
        }
    };
    add(
        steps.sms_code,
        quote! {
            /// Enter the code sent by SMS (SMS MFA is enabled).
            ConfirmWithSmsCode {
                /// Where the code went.
                delivery: ::auth_client::CodeDelivery,
            },
        },
        quote! { ::auth_client::SignInNextStep::ConfirmWithSmsCode { delivery } => ::std::result::Result::Ok(SignInStep::ConfirmWithSmsCode { delivery }), },
    );
    add(
        steps.totp_code,
        quote! {
            /// Enter the code from the authenticator app (TOTP MFA is enabled).
            ConfirmWithTotpCode,
        },
        quote! { ::auth_client::SignInNextStep::ConfirmWithTotpCode => ::std::result::Result::Ok(SignInStep::ConfirmWithTotpCode), },
    );
    add(
        steps.email_code,
        quote! {
            /// Enter the code sent by email (email MFA is enabled).
            ConfirmWithEmailCode {
                /// Where the code went.
                delivery: ::auth_client::CodeDelivery,
            },
        },
        quote! { ::auth_client::SignInNextStep::ConfirmWithEmailCode { delivery } => ::std::result::Result::Ok(SignInStep::ConfirmWithEmailCode { delivery }), },
    );
    add(
        steps.mfa_selection,
        quote! {
            /// Choose a second factor (two or more are enabled): answer with [`Answer::MfaChoice`].
            ContinueWithMfaSelection {
                /// The methods the user can choose from.
                allowed: ::std::vec::Vec<MfaMethod>,
            },
        },
        quote! {
            ::auth_client::SignInNextStep::ContinueWithMfaSelection { allowed } => {
                let allowed = allowed.into_iter().map(MfaMethod::from_client).collect::<::std::result::Result<_, _>>()?;
                ::std::result::Result::Ok(SignInStep::ContinueWithMfaSelection { allowed })
            }
        },
    );
    add(
        steps.totp_setup,
        quote! {
            /// Set up an authenticator app (MFA is required and TOTP enabled): show the secret or its
            /// QR code, then answer with a code from the app.
            ContinueWithTotpSetup(::auth_client::TotpSetup),
        },
        quote! { ::auth_client::SignInNextStep::ContinueWithTotpSetup(setup) => ::std::result::Result::Ok(SignInStep::ContinueWithTotpSetup(setup)), },
    );
    add(
        steps.email_setup,
        quote! {
            /// Give an email address for email MFA (MFA is required and email enabled).
            ContinueWithEmailSetup,
        },
        quote! { ::auth_client::SignInNextStep::ContinueWithEmailSetup => ::std::result::Result::Ok(SignInStep::ContinueWithEmailSetup), },
    );
    add(
        steps.new_password,
        quote! {
            /// Choose a new password (the user was created by an administrator): answer with
            /// [`Answer::NewPassword`], setting every attribute in `missing`.
            NewPasswordRequired {
                /// Required attributes the user does not have yet.
                missing: ::std::vec::Vec<RequiredAttribute>,
            },
        },
        quote! {
            ::auth_client::SignInNextStep::NewPasswordRequired { required_attributes, .. } => {
                let missing = required_attributes
                    .iter()
                    .map(|name| RequiredAttribute::from_wire(name.trim_start_matches("userAttributes.")).ok_or_else(|| ::auth_client::typed::TypedError::UnexpectedStep { step: ::std::format!("new password asking for `{name}`, which the spec does not require") }))
                    .collect::<::std::result::Result<_, _>>()?;
                ::std::result::Result::Ok(SignInStep::NewPasswordRequired { missing })
            }
        },
    );
    add(
        steps.custom_challenge,
        quote! {
            /// Answer the custom challenge of the auth triggers with [`Answer::Custom`].
            CustomChallenge {
                /// The challenge's public parameters.
                parameters: ::std::collections::BTreeMap<::std::string::String, ::std::string::String>,
            },
        },
        quote! { ::auth_client::SignInNextStep::CustomChallenge { parameters } => ::std::result::Result::Ok(SignInStep::CustomChallenge { parameters }), },
    );
    add(
        steps.confirm_sign_up,
        quote! {
            /// The user signed up but has not confirmed: confirm the sign-up, then sign in.
            ConfirmSignUp,
        },
        quote! { ::auth_client::SignInNextStep::ConfirmSignUp => ::std::result::Result::Ok(SignInStep::ConfirmSignUp), },
    );
    variants.push(quote! {
        /// The password must be reset before signing in (an administrator reset it).
        ResetPassword,
    });
    arms.push(quote! { ::auth_client::SignInNextStep::ResetPassword => ::std::result::Result::Ok(SignInStep::ResetPassword), });

    let doc = format!(
        "What to do next while signing in to `{spec}`: only the steps this spec can produce exist, so an exhaustive `match` breaks the build when the spec changes what sign-in can ask."
    );
    let answers = answers(model);
    quote! {
        /// A second factor enabled in the spec's `[mfa]`.
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::marker::Copy, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash)]
        pub enum MfaMethod {
            #( #[doc = #method_docs] #method_variants, )*
        }

        impl MfaMethod {
            /// `auth_client`'s name of this method.
            pub fn to_client(self) -> ::auth_client::MfaType {
                #to_client
            }

            /// This method, or an error when the spec does not enable it.
            pub fn from_client(mfa: ::auth_client::MfaType) -> ::std::result::Result<MfaMethod, ::auth_client::typed::TypedError> {
                #( if mfa == ::auth_client::MfaType::#method_types { return ::std::result::Result::Ok(MfaMethod::#method_variants); } )*
                ::std::result::Result::Err(::auth_client::typed::TypedError::UnexpectedStep { step: ::std::format!("MFA method {mfa:?}, which the spec does not enable") })
            }
        }

        #[doc = #doc]
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        pub enum SignInStep {
            #( #variants )*
        }

        impl ::std::convert::TryFrom<::auth_client::SignInNextStep> for SignInStep {
            type Error = ::auth_client::typed::TypedError;

            /// Fails with `UnexpectedStep` when Cognito asks for a step the spec rules out: the
            /// live pool no longer matches the spec (run `cargo xtask diff`).
            fn try_from(step: ::auth_client::SignInNextStep) -> ::std::result::Result<SignInStep, Self::Error> {
                #[allow(unreachable_patterns)]
                match step {
                    #( #arms )*
                    other => ::std::result::Result::Err(::auth_client::typed::TypedError::UnexpectedStep { step: ::std::format!("{other:?}") }),
                }
            }
        }

        #answers
    }
}

/// `Answer`: the answers the spec's steps can take.
fn answers(model: &AuthModel) -> TokenStream {
    let steps = model.steps;
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    if steps.sms_code || steps.totp_code || steps.email_code || steps.totp_setup {
        variants.push(quote! {
            /// A code from SMS, email or the authenticator app (also verifies a TOTP setup).
            Code(::std::string::String),
        });
        arms.push(quote! { Answer::Code(code) => ::std::result::Result::Ok(::auth_client::ChallengeAnswer::Code(::auth_client::Secret::new(code))), });
    }
    if steps.mfa_selection {
        variants.push(quote! {
            /// The chosen second factor.
            MfaChoice(MfaMethod),
        });
        arms.push(quote! { Answer::MfaChoice(method) => ::std::result::Result::Ok(::auth_client::ChallengeAnswer::MfaChoice(method.to_client())), });
    }
    if steps.email_setup {
        variants.push(quote! {
            /// The email address for email MFA.
            Email(::std::string::String),
        });
        arms.push(quote! { Answer::Email(address) => ::std::result::Result::Ok(::auth_client::ChallengeAnswer::Email(address)), });
    }
    if steps.new_password {
        variants.push(quote! {
            /// The new password and the required attributes the step listed.
            NewPassword {
                /// The new password.
                password: ::std::string::String,
                /// The attributes (every one in `missing`).
                attributes: NewPasswordAttributes,
                /// The `missing` list of the step being answered.
                missing: ::std::vec::Vec<RequiredAttribute>,
            },
        });
        arms.push(quote! {
            Answer::NewPassword { password, attributes, missing } => {
                let attributes = attributes.to_wire(&missing)?.into_iter().collect();
                ::std::result::Result::Ok(::auth_client::ChallengeAnswer::NewPassword { password: ::auth_client::Secret::new(password), attributes })
            }
        });
    }
    if steps.custom_challenge {
        variants.push(quote! {
            /// The answer to the custom challenge.
            Custom(::std::string::String),
        });
        arms.push(quote! { Answer::Custom(answer) => ::std::result::Result::Ok(::auth_client::ChallengeAnswer::Custom(::auth_client::Secret::new(answer))), });
    }
    let body = if arms.is_empty() {
        quote! { match self {} }
    } else {
        quote! { match self { #( #arms )* } }
    };
    quote! {
        /// An answer to a [`SignInStep`] that waits for the user.
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        pub enum Answer {
            #( #variants )*
        }

        impl Answer {
            /// The answer as `auth_client` sends it, checked against the spec.
            pub fn to_client(self) -> ::std::result::Result<::auth_client::ChallengeAnswer, ::auth_client::typed::TypedError> {
                #body
            }
        }
    }
}
