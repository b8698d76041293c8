// full.toml makes `tenant_id` immutable: it cannot be updated.
#[auth_macros::auth_config("../examples/full.toml")]
pub mod auth {}

fn main() {
    let _ = auth::UpdatableAttributes::new().with_tenant_id("t-2");
}
