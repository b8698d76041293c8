//! `#[auth_config("auth.toml")]`: generates a typed client from the auth spec.
