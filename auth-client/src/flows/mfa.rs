//! MFA settings of the signed-in user: TOTP setup and the preferred method.

use crate::client::AuthClient;
use crate::error::AuthError;
use crate::flows::sign_in::TotpSetup;
use crate::secret::Secret;
use crate::types::MfaType;
use aws_sdk_cognitoidentityprovider::types::{EmailMfaSettingsType, SmsMfaSettingsType, SoftwareTokenMfaSettingsType};

/// The user's MFA settings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MfaPreference {
    /// The methods the user can use.
    pub enabled: Vec<MfaType>,
    /// The preferred one.
    pub preferred: Option<MfaType>,
}

/// A preference for one method in [`AuthClient::update_mfa_preference`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MfaSetting {
    /// Leave it as it is.
    Unchanged,
    /// Enabled, not preferred.
    Enabled,
    /// Enabled and preferred.
    Preferred,
    /// Off.
    Disabled,
}

impl MfaSetting {
    fn flags(self) -> Option<(bool, bool)> {
        match self {
            MfaSetting::Unchanged => None,
            MfaSetting::Enabled => Some((true, false)),
            MfaSetting::Preferred => Some((true, true)),
            MfaSetting::Disabled => Some((false, false)),
        }
    }
}

impl AuthClient {
    /// Starts TOTP setup for the signed-in user (`AssociateSoftwareToken`).
    pub async fn set_up_totp(&self) -> Result<TotpSetup, AuthError> {
        let tokens = self.current_session().await?;
        let output =
            self.inner.idp.associate_software_token().access_token(tokens.access_token.expose()).send().await?;
        let secret = output
            .secret_code()
            .ok_or_else(|| AuthError::InvalidResponse("AssociateSoftwareToken returned no secret".into()))?;
        Ok(TotpSetup { shared_secret: Secret::new(secret), account_name: tokens.username.clone() })
    }

    /// Verifies TOTP setup with a code from the app (`VerifySoftwareToken`).
    pub async fn verify_totp_setup(&self, code: &str, friendly_device_name: Option<&str>) -> Result<(), AuthError> {
        let output = self
            .inner
            .idp
            .verify_software_token()
            .access_token(self.access_token().await?)
            .user_code(code)
            .set_friendly_device_name(friendly_device_name.map(str::to_string))
            .send()
            .await?;
        match output.status().map(|status| status.as_str()) {
            Some("SUCCESS") => Ok(()),
            _ => Err(AuthError::CodeMismatch("the TOTP code was not accepted".into())),
        }
    }

    /// Sets which methods are enabled and preferred (`SetUserMFAPreference`).
    pub async fn update_mfa_preference(
        &self,
        sms: MfaSetting,
        totp: MfaSetting,
        email: MfaSetting,
    ) -> Result<(), AuthError> {
        let mut request = self.inner.idp.set_user_mfa_preference().access_token(self.access_token().await?);
        if let Some((enabled, preferred)) = sms.flags() {
            request = request
                .sms_mfa_settings(SmsMfaSettingsType::builder().enabled(enabled).preferred_mfa(preferred).build());
        }
        if let Some((enabled, preferred)) = totp.flags() {
            request = request.software_token_mfa_settings(
                SoftwareTokenMfaSettingsType::builder().enabled(enabled).preferred_mfa(preferred).build(),
            );
        }
        if let Some((enabled, preferred)) = email.flags() {
            request = request
                .email_mfa_settings(EmailMfaSettingsType::builder().enabled(enabled).preferred_mfa(preferred).build());
        }
        request.send().await?;
        Ok(())
    }

    /// Sets one preferred method, or turns MFA off for the user with `None`.
    pub async fn set_preferred_mfa(&self, preferred: Option<MfaType>) -> Result<(), AuthError> {
        let setting = |method: MfaType| match &preferred {
            Some(chosen) if *chosen == method => MfaSetting::Preferred,
            Some(_) => MfaSetting::Unchanged,
            None => MfaSetting::Disabled,
        };
        self.update_mfa_preference(setting(MfaType::Sms), setting(MfaType::Totp), setting(MfaType::Email)).await
    }

    /// The user's MFA settings (`GetUser`).
    pub async fn fetch_mfa_preference(&self) -> Result<MfaPreference, AuthError> {
        let output = self.inner.idp.get_user().access_token(self.access_token().await?).send().await?;
        Ok(MfaPreference {
            enabled: output.user_mfa_setting_list().iter().map(|name| MfaType::parse(name)).collect(),
            preferred: output.preferred_mfa_setting().map(MfaType::parse),
        })
    }
}
