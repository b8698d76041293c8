// full.toml declares `seats` as a number.
#[auth_macros::auth_config("../examples/full.toml")]
pub mod auth {}

fn main() {
    let _ = auth::SignUpAttributes::new("ada@example.com", "Ada").with_seats("twelve");
}
