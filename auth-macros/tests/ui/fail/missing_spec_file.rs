// A missing spec names the path that was tried.
#[auth_macros::auth_config("tests/ui/specs/nope.toml")]
pub mod auth {}

fn main() {}
