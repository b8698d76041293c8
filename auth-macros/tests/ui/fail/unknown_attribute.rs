// minimal.toml declares only `email`: an attribute it does not declare does not exist.
#[auth_macros::auth_config("../examples/minimal.toml")]
pub mod auth {}

fn main() {
    let _ = auth::SignUpAttributes::new("ada@example.com").with_nickname("ada");
}
