//! An async client for Amazon Cognito user pools and identity pools: what Amplify's Auth category
//! and AWSMobileClient do, for Rust services, CLIs and desktop apps.
//!
//! The deciding parts are pure and tested without a network: [`srp`] (the maths), the sign-in
//! state machine ([`flows::sign_in`]), the session cache's refresh policy, the OAuth URL and PKCE
//! helpers. [`AuthClient`] drives them over the AWS SDK.

#[cfg(feature = "axum")]
pub mod axum;
mod client;
pub mod clock;
pub mod config;
pub mod credentials;
pub mod error;
pub mod events;
pub mod flows;
pub mod oauth;
pub mod secret;
mod session;
pub mod srp;
pub mod storage;
pub mod tokens;
pub mod typed;
pub mod types;
pub mod verify;

pub use client::{AuthClient, AuthClientBuilder, SignOutOptions};
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{AuthConfig, OAuthConfig};
pub use credentials::{AwsCredentials, CognitoCredentialsProvider, FederatedProvider, RefreshHandler};
pub use error::AuthError;
pub use events::{AuthEvent, UserState};
pub use flows::attributes::AttributeUpdate;
pub use flows::devices::Device;
pub use flows::mfa::{MfaPreference, MfaSetting};
pub use flows::sign_in::{AuthFlow, ChallengeAnswer, SignInInput, SignInNextStep, TotpSetup};
pub use flows::sign_up::{SignUpInput, SignUpNextStep, SignUpOutput};
pub use oauth::AuthorizeRequest;
pub use secret::Secret;
pub use session::DEFAULT_REFRESH_MARGIN;
pub use storage::{FileStorage, KeyValueStorage, MemoryStorage};
pub use tokens::{Claims, Tokens};
pub use types::{CodeDelivery, DeliveryMedium, MfaType};
