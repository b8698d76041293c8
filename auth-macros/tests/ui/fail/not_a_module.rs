// The attribute goes on a module.
#[auth_macros::auth_config("../examples/minimal.toml")]
pub struct Auth;

fn main() {}
