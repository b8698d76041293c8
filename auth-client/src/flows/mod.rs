//! The flows: each a thin layer over Cognito's operations, with the deciding parts pure.

pub mod attributes;
pub mod devices;
pub mod mfa;
pub mod password;
pub mod sign_in;
pub mod sign_up;
