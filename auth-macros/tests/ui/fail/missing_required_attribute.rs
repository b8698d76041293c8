// full.toml requires `email` and `given_name`: leaving one out does not compile.
#[auth_macros::auth_config("../examples/full.toml")]
pub mod auth {}

fn main() {
    let _ = auth::SignUpAttributes::new("ada@example.com");
}
