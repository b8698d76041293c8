//! `#[auth_config("auth.toml")]`: generates, inside the module it is put on, a typed client of the
//! spec: `SignUpAttributes` (required attributes are required arguments), `SignInStep` (only the
//! steps the spec can produce), `UpdatableAttributes` (only mutable attributes), enums of the
//! spec's groups, providers, scopes and clients, typed token claims with verification, and a
//! `Client` wrapper over `auth_client::AuthClient`.
//!
//! ```ignore
//! #[auth_config::auth_config("auth.toml")]
//! pub mod auth {}
//! ```
//!
//! The path is relative to the calling crate's `Cargo.toml`; `env = "prod"` applies an overlay.
//! An invalid spec fails the build with the same messages as `cargo xtask validate`, and editing
//! the spec rebuilds the crate. The crate using it depends on `auth-client`.

use proc_macro::TokenStream;

/// See the crate documentation.
#[proc_macro_attribute]
pub fn auth_config(args: TokenStream, item: TokenStream) -> TokenStream {
    auth_macros_core::expand(args.into(), item.into()).into()
}
