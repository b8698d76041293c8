//! Tokens for each generated family; one module each. Every item carries rustdoc that names the
//! spec entry that produced it, and the code uses absolute paths (`::auth_client::...`,
//! `::std::...`) so it compiles whatever the calling module imports.

mod attributes;
mod claims;
mod client;
mod enums;
mod steps;

use crate::model::AuthModel;
use proc_macro2::TokenStream;
use quote::quote;

/// All generated items for a model; `spec_name` is the path as the user wrote it, for the docs.
pub fn generate(model: &AuthModel, spec_name: &str) -> syn::Result<TokenStream> {
    let error = |message: String| syn::Error::new(proc_macro2::Span::call_site(), message);
    let enums = enums::generate(model, spec_name).map_err(error)?;
    let attributes = attributes::generate(model, spec_name);
    let steps = steps::generate(model, spec_name);
    let claims = claims::generate(model, spec_name);
    let client = client::generate(model, spec_name);
    let pool = &model.pool_name;
    let summary = format!("The user pool `{pool}` described by `{spec_name}`.");
    Ok(quote! {
        #[doc = #summary]
        pub const POOL_NAME: &str = #pool;
        #enums
        #attributes
        #steps
        #claims
        #client
    })
}
