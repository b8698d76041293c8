//! Forgotten and changed passwords.

use crate::client::AuthClient;
use crate::error::AuthError;
use crate::types::CodeDelivery;

impl AuthClient {
    /// Starts a password reset: a code goes to the user (`ForgotPassword`).
    pub async fn reset_password(&self, username: &str) -> Result<Option<CodeDelivery>, AuthError> {
        let output = self
            .inner
            .idp
            .forgot_password()
            .client_id(&self.inner.config.client_id)
            .username(username)
            .set_secret_hash(self.secret_hash(username))
            .send()
            .await?;
        Ok(output.code_delivery_details().map(CodeDelivery::from_sdk))
    }

    /// Sets the new password with the code (`ConfirmForgotPassword`).
    pub async fn confirm_reset_password(
        &self,
        username: &str,
        new_password: &str,
        code: &str,
    ) -> Result<(), AuthError> {
        self.inner
            .idp
            .confirm_forgot_password()
            .client_id(&self.inner.config.client_id)
            .username(username)
            .password(new_password)
            .confirmation_code(code)
            .set_secret_hash(self.secret_hash(username))
            .send()
            .await?;
        Ok(())
    }

    /// Changes the signed-in user's password (`ChangePassword`).
    pub async fn update_password(&self, old_password: &str, new_password: &str) -> Result<(), AuthError> {
        let access_token = self.access_token().await?;
        self.inner
            .idp
            .change_password()
            .access_token(access_token)
            .previous_password(old_password)
            .proposed_password(new_password)
            .send()
            .await?;
        Ok(())
    }
}
