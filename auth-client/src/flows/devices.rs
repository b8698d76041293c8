//! Tracked devices: remember, forget, list.

use crate::client::AuthClient;
use crate::error::AuthError;
use aws_sdk_cognitoidentityprovider::types::DeviceRememberedStatusType;
use std::collections::BTreeMap;

/// A device of the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// The device key.
    pub key: String,
    /// The device's attributes (`device_name`, `device_status`, ...).
    pub attributes: BTreeMap<String, String>,
}

impl Device {
    /// `device_name`.
    pub fn name(&self) -> Option<&str> {
        self.attributes.get("device_name").map(String::as_str)
    }
}

impl AuthClient {
    async fn this_device_key(&self) -> Result<String, AuthError> {
        self.current_device_key().await?.ok_or_else(|| {
            AuthError::InvalidState("this device is not tracked (the pool does not track devices)".into())
        })
    }

    /// Remembers this device (`UpdateDeviceStatus`): later sign-ins may skip MFA.
    pub async fn remember_device(&self) -> Result<(), AuthError> {
        let key = self.this_device_key().await?;
        self.set_device_status(&key, DeviceRememberedStatusType::Remembered).await
    }

    /// Stops remembering a device (this one with `None`).
    pub async fn forget_device(&self, device_key: Option<&str>) -> Result<(), AuthError> {
        let this = self.current_device_key().await?;
        let key = match device_key {
            Some(key) => key.to_string(),
            None => this.clone().ok_or_else(|| AuthError::InvalidState("this device is not tracked".into()))?,
        };
        self.inner.idp.forget_device().access_token(self.access_token().await?).device_key(&key).send().await?;
        if this.as_deref() == Some(key.as_str())
            && let Some(tokens) = self.cached_tokens()
        {
            self.forget_stored_device(&tokens.username).await?;
        }
        Ok(())
    }

    async fn set_device_status(&self, key: &str, status: DeviceRememberedStatusType) -> Result<(), AuthError> {
        self.inner
            .idp
            .update_device_status()
            .access_token(self.access_token().await?)
            .device_key(key)
            .device_remembered_status(status)
            .send()
            .await?;
        Ok(())
    }

    /// The user's devices (`ListDevices`, all pages).
    pub async fn fetch_devices(&self) -> Result<Vec<Device>, AuthError> {
        let access_token = self.access_token().await?;
        let mut devices = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let output = self
                .inner
                .idp
                .list_devices()
                .access_token(&access_token)
                .limit(60)
                .set_pagination_token(token.take())
                .send()
                .await?;
            for device in output.devices() {
                let Some(key) = device.device_key() else { continue };
                let attributes = device
                    .device_attributes()
                    .iter()
                    .map(|attribute| (attribute.name().to_string(), attribute.value().unwrap_or_default().to_string()))
                    .collect();
                devices.push(Device { key: key.to_string(), attributes });
            }
            match output.pagination_token() {
                Some(next) if !next.is_empty() => token = Some(next.to_string()),
                _ => return Ok(devices),
            }
        }
    }
}
