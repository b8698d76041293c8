//! The signed-in user's attributes, their verification, and deleting the user.

use crate::client::{AuthClient, SignOutOptions};
use crate::error::AuthError;
use crate::flows::sign_up::attributes;
use crate::types::CodeDelivery;
use std::collections::BTreeMap;

/// The outcome of updating one attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttributeUpdate {
    /// Updated.
    Done,
    /// The new value must be verified with the code that was sent
    /// ([`AuthClient::confirm_user_attribute`]); until then the old value stays verified.
    ConfirmAttributeWithCode(CodeDelivery),
}

impl AuthClient {
    /// The user's attributes (`GetUser`).
    pub async fn fetch_user_attributes(&self) -> Result<BTreeMap<String, String>, AuthError> {
        let output = self.inner.idp.get_user().access_token(self.access_token().await?).send().await?;
        Ok(output
            .user_attributes()
            .iter()
            .map(|attribute| (attribute.name().to_string(), attribute.value().unwrap_or_default().to_string()))
            .collect())
    }

    /// Updates attributes (`UpdateUserAttributes`) and says, per attribute, whether it needs a
    /// code to be confirmed.
    pub async fn update_user_attributes(
        &self,
        changes: BTreeMap<String, String>,
    ) -> Result<BTreeMap<String, AttributeUpdate>, AuthError> {
        let output = self
            .inner
            .idp
            .update_user_attributes()
            .access_token(self.access_token().await?)
            .set_user_attributes(Some(attributes(&changes)?))
            .send()
            .await?;
        let mut outcome: BTreeMap<String, AttributeUpdate> =
            changes.keys().map(|name| (name.clone(), AttributeUpdate::Done)).collect();
        for details in output.code_delivery_details_list() {
            let delivery = CodeDelivery::from_sdk(details);
            if let Some(name) = delivery.attribute_name.clone() {
                outcome.insert(name, AttributeUpdate::ConfirmAttributeWithCode(delivery));
            }
        }
        Ok(outcome)
    }

    /// Sends a verification code for `email` or `phone_number` (`GetUserAttributeVerificationCode`).
    pub async fn send_user_attribute_verification_code(
        &self,
        attribute: &str,
    ) -> Result<Option<CodeDelivery>, AuthError> {
        let output = self
            .inner
            .idp
            .get_user_attribute_verification_code()
            .access_token(self.access_token().await?)
            .attribute_name(attribute)
            .send()
            .await?;
        Ok(output.code_delivery_details().map(CodeDelivery::from_sdk))
    }

    /// Verifies an attribute with its code (`VerifyUserAttribute`).
    pub async fn confirm_user_attribute(&self, attribute: &str, code: &str) -> Result<(), AuthError> {
        self.inner
            .idp
            .verify_user_attribute()
            .access_token(self.access_token().await?)
            .attribute_name(attribute)
            .code(code)
            .send()
            .await?;
        Ok(())
    }

    /// Deletes attributes (`DeleteUserAttributes`).
    pub async fn delete_user_attributes(&self, names: &[&str]) -> Result<(), AuthError> {
        self.inner
            .idp
            .delete_user_attributes()
            .access_token(self.access_token().await?)
            .set_user_attribute_names(Some(names.iter().map(|name| name.to_string()).collect()))
            .send()
            .await?;
        Ok(())
    }

    /// Deletes the signed-in user (`DeleteUser`) and signs out locally.
    pub async fn delete_user(&self) -> Result<(), AuthError> {
        self.inner.idp.delete_user().access_token(self.access_token().await?).send().await?;
        self.sign_out(SignOutOptions::local()).await
    }
}
