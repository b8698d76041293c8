//! Sign-up, its confirmation, and auto sign-in after confirmation.

use crate::client::AuthClient;
use crate::error::AuthError;
use crate::flows::sign_in::{SignInInput, SignInNextStep};
use crate::secret::Secret;
use crate::types::CodeDelivery;
use aws_sdk_cognitoidentityprovider::types::AttributeType;
use std::collections::{BTreeMap, HashMap};

/// The input of [`AuthClient::sign_up`].
#[derive(Debug, Clone, Default)]
pub struct SignUpInput {
    /// The username (or the email / phone number when they are the username).
    pub username: String,
    /// The password.
    pub password: Secret,
    /// User attributes (`email`, `name`, `custom:x`, ...).
    pub attributes: BTreeMap<String, String>,
    /// `ValidationData`, for the PreSignUp trigger only.
    pub validation_data: BTreeMap<String, String>,
    /// `ClientMetadata`, for the triggers.
    pub client_metadata: BTreeMap<String, String>,
    /// Sign in by itself once the sign-up is confirmed (the password is held in memory until then).
    pub auto_sign_in: bool,
}

/// What happens after a sign-up.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignUpNextStep {
    /// Enter the code that was sent ([`AuthClient::confirm_sign_up`]).
    ConfirmSignUp {
        /// Where it went.
        delivery: Option<CodeDelivery>,
    },
    /// Confirmed (by a trigger or an admin); with auto sign-in, call
    /// [`AuthClient::auto_sign_in`].
    Done,
    /// Confirmed and auto sign-in was requested: call [`AuthClient::auto_sign_in`].
    CompleteAutoSignIn,
}

/// The result of a sign-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignUpOutput {
    /// Whether the user still needs to confirm.
    pub is_sign_up_complete: bool,
    /// The user's `sub`.
    pub user_id: Option<String>,
    /// What to do next.
    pub next_step: SignUpNextStep,
}

pub(crate) fn attributes(map: &BTreeMap<String, String>) -> Result<Vec<AttributeType>, AuthError> {
    map.iter()
        .map(|(name, value)| {
            AttributeType::builder()
                .name(name)
                .value(value)
                .build()
                .map_err(|error| AuthError::InvalidParameter(error.to_string()))
        })
        .collect()
}

fn metadata(map: &BTreeMap<String, String>) -> Option<HashMap<String, String>> {
    (!map.is_empty()).then(|| map.clone().into_iter().collect())
}

impl AuthClient {
    /// Registers a user (`SignUp`).
    pub async fn sign_up(&self, input: SignUpInput) -> Result<SignUpOutput, AuthError> {
        let output = self
            .inner
            .idp
            .sign_up()
            .client_id(&self.inner.config.client_id)
            .username(&input.username)
            .password(input.password.expose())
            .set_user_attributes(Some(attributes(&input.attributes)?))
            .set_validation_data(
                (!input.validation_data.is_empty()).then(|| attributes(&input.validation_data)).transpose()?,
            )
            .set_client_metadata(metadata(&input.client_metadata))
            .set_secret_hash(self.secret_hash(&input.username))
            .send()
            .await?;
        if input.auto_sign_in {
            *self.inner.auto_sign_in.lock().await = Some((input.username.clone(), input.password.clone()));
        }
        let confirmed = output.user_confirmed();
        let next_step = match (confirmed, input.auto_sign_in) {
            (false, _) => {
                SignUpNextStep::ConfirmSignUp { delivery: output.code_delivery_details().map(CodeDelivery::from_sdk) }
            }
            (true, true) => SignUpNextStep::CompleteAutoSignIn,
            (true, false) => SignUpNextStep::Done,
        };
        Ok(SignUpOutput {
            is_sign_up_complete: confirmed,
            user_id: Some(output.user_sub().to_string()).filter(|sub| !sub.is_empty()),
            next_step,
        })
    }

    /// Confirms a sign-up with the code (`ConfirmSignUp`). With `force_alias_creation`, an email
    /// or phone number another user has as an alias moves to this user.
    pub async fn confirm_sign_up(
        &self,
        username: &str,
        code: &str,
        force_alias_creation: bool,
    ) -> Result<SignUpNextStep, AuthError> {
        self.inner
            .idp
            .confirm_sign_up()
            .client_id(&self.inner.config.client_id)
            .username(username)
            .confirmation_code(code)
            .force_alias_creation(force_alias_creation)
            .set_secret_hash(self.secret_hash(username))
            .send()
            .await?;
        let auto = self.inner.auto_sign_in.lock().await;
        Ok(match auto.as_ref() {
            Some((pending, _)) if pending == username => SignUpNextStep::CompleteAutoSignIn,
            _ => SignUpNextStep::Done,
        })
    }

    /// Signs in the user who signed up with `auto_sign_in`, once confirmed.
    pub async fn auto_sign_in(&self) -> Result<SignInNextStep, AuthError> {
        let (username, password) = self
            .inner
            .auto_sign_in
            .lock()
            .await
            .take()
            .ok_or_else(|| AuthError::InvalidState("no sign-up asked for auto sign-in".into()))?;
        self.sign_in_with(SignInInput { username, password: Some(password), ..SignInInput::default() }).await
    }

    /// Sends the sign-up code again (`ResendConfirmationCode`).
    pub async fn resend_sign_up_code(&self, username: &str) -> Result<Option<CodeDelivery>, AuthError> {
        let output = self
            .inner
            .idp
            .resend_confirmation_code()
            .client_id(&self.inner.config.client_id)
            .username(username)
            .set_secret_hash(self.secret_hash(username))
            .send()
            .await?;
        Ok(output.code_delivery_details().map(CodeDelivery::from_sdk))
    }
}
