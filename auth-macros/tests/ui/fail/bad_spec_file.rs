// An invalid spec fails the build with the same messages as `cargo xtask validate`.
#[auth_macros::auth_config("tests/ui/specs/broken.toml")]
pub mod auth {}

fn main() {}
