//! The flows: each a thin layer over Cognito's operations, with the deciding parts pure.

pub mod sign_in;
