//! The macro's arguments: `"path/to/auth.toml"` and optionally `env = "prod"`.

use syn::parse::{Parse, ParseStream};
use syn::{LitStr, Token};

/// `#[auth_config("auth.toml", env = "prod")]`.
pub struct MacroArgs {
    /// The spec path, relative to the calling crate's manifest directory.
    pub path: LitStr,
    /// The `[env.<name>]` overlay to apply.
    pub env: Option<LitStr>,
}

impl Parse for MacroArgs {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.is_empty() {
            return Err(input.error("name the spec: #[auth_config(\"auth.toml\")]"));
        }
        let path: LitStr = input.parse()?;
        let mut env = None;
        while input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key: syn::Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            let value: LitStr = input.parse()?;
            match key.to_string().as_str() {
                "env" => env = Some(value),
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!("unknown argument `{other}`: the arguments are the spec path and `env = \"...\"`"),
                    ));
                }
            }
        }
        Ok(MacroArgs { path, env })
    }
}
