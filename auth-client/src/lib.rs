//! An async client for Amazon Cognito user pools and identity pools: what Amplify's Auth category
//! and AWSMobileClient do, for Rust services, CLIs and desktop apps.
//!
//! The deciding parts are pure and tested without a network: [`srp`] (the maths), the sign-in
//! state machine ([`flows::sign_in`]), the session cache's refresh policy, the OAuth URL and PKCE
//! helpers. [`AuthClient`] drives them over the AWS SDK.

pub mod clock;
pub mod error;
pub mod events;
pub mod flows;
pub mod secret;
mod session;
pub mod srp;
pub mod storage;
pub mod tokens;
pub mod types;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::AuthError;
pub use events::{AuthEvent, UserState};
pub use flows::sign_in::{AuthFlow, ChallengeAnswer, SignInNextStep, TotpSetup};
pub use secret::Secret;
pub use session::DEFAULT_REFRESH_MARGIN;
pub use storage::{FileStorage, KeyValueStorage, MemoryStorage};
pub use tokens::{Claims, Tokens};
pub use types::{CodeDelivery, DeliveryMedium, MfaType};
