//! The live state: its model, and reading it from Cognito.

mod model;
mod read;

pub use model::*;
pub use read::{Target, read};
