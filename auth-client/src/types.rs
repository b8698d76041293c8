//! Values shared by the flows: MFA types, code delivery, user attributes.
//! Cognito's string enums keep an `Unknown` variant so a new value never breaks a client.

use std::fmt;

/// An MFA method.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum MfaType {
    /// Codes by SMS (`SMS_MFA`).
    Sms,
    /// Codes from an authenticator app (`SOFTWARE_TOKEN_MFA`).
    Totp,
    /// Codes by email (`EMAIL_OTP`).
    Email,
    /// A value this version does not know.
    Unknown(String),
}

impl MfaType {
    /// Parses Cognito's challenge / setting names (`SMS_MFA`, `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`,
    /// and the short `SMS`, `TOTP`, `EMAIL`).
    pub fn parse(name: &str) -> MfaType {
        match name {
            "SMS_MFA" | "SMS" => MfaType::Sms,
            "SOFTWARE_TOKEN_MFA" | "TOTP" => MfaType::Totp,
            "EMAIL_OTP" | "EMAIL" => MfaType::Email,
            other => MfaType::Unknown(other.to_string()),
        }
    }

    /// The challenge name (`SMS_MFA`, `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`).
    pub fn challenge_name(&self) -> &str {
        match self {
            MfaType::Sms => "SMS_MFA",
            MfaType::Totp => "SOFTWARE_TOKEN_MFA",
            MfaType::Email => "EMAIL_OTP",
            MfaType::Unknown(name) => name,
        }
    }
}

impl fmt::Display for MfaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.challenge_name())
    }
}

/// How a code was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeliveryMedium {
    /// By email.
    Email,
    /// By SMS.
    Sms,
    /// A value this version does not know.
    Unknown(String),
}

impl DeliveryMedium {
    /// Parses `EMAIL` / `SMS`.
    pub fn parse(name: &str) -> DeliveryMedium {
        match name {
            "EMAIL" => DeliveryMedium::Email,
            "SMS" => DeliveryMedium::Sms,
            other => DeliveryMedium::Unknown(other.to_string()),
        }
    }
}

/// Where a confirmation or MFA code went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeDelivery {
    /// Email or SMS.
    pub medium: DeliveryMedium,
    /// The masked destination (`a***@e***`, `+*******1234`).
    pub destination: Option<String>,
    /// The attribute the code verifies (`email`, `phone_number`).
    pub attribute_name: Option<String>,
}

impl CodeDelivery {
    pub(crate) fn from_sdk(details: &aws_sdk_cognitoidentityprovider::types::CodeDeliveryDetailsType) -> CodeDelivery {
        CodeDelivery {
            medium: details
                .delivery_medium()
                .map(|medium| DeliveryMedium::parse(medium.as_str()))
                .unwrap_or(DeliveryMedium::Unknown(String::new())),
            destination: details.destination().map(str::to_string),
            attribute_name: details.attribute_name().map(str::to_string),
        }
    }
}

/// A user attribute name: standard ones by name, custom ones as `custom:...`.
pub type AttributeName = String;
