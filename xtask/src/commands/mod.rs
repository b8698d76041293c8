//! One module per subcommand.

pub mod schema;
pub mod validate;

use auth_spec::Spec;

/// Where the spec comes from.
#[derive(Debug, Clone)]
pub enum SpecSource {
    /// A TOML file: `--spec <path>`, default `auth.toml`.
    File,
    /// A spec built in Rust; `--spec` is ignored.
    Rust(Spec),
}
