//! The generator behind `#[auth_config("auth.toml")]`: reads and validates the spec through
//! auth-spec, then emits typed items from it (sqlx-macros-core / progenitor-impl style: the
//! proc-macro crate is a shim over this library, so the generator is tested, snapshot and timed
//! directly). No AWS dependency: the generated code calls `::auth_client`.

mod args;
mod codegen;
pub mod model;
mod names;
mod spec_path;

use proc_macro2::TokenStream;
use quote::quote;

pub use args::MacroArgs;
pub use model::AuthModel;

/// Expands `#[auth_config(<args>)] <item>`. Errors carry spans (the path literal, or the item);
/// on an error the module is still emitted with the user's own items, so one mistake in the spec
/// does not bury the app's code under unrelated errors.
pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    match try_expand(args, item.clone()) {
        Ok(tokens) => tokens,
        Err(error) => {
            let compile_error = error.to_compile_error();
            quote! { #compile_error #item }
        }
    }
}

fn try_expand(args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let args: MacroArgs = syn::parse2(args)?;
    let mut module: syn::ItemMod = syn::parse2(item).map_err(|error| {
        syn::Error::new(error.span(), "put #[auth_config(\"auth.toml\")] on a module: `pub mod auth {}`")
    })?;
    let resolved = spec_path::resolve(&args.path)?;
    let text = std::fs::read_to_string(&resolved).map_err(|error| {
        syn::Error::new(args.path.span(), format!("cannot read the auth spec {}: {error}", resolved.display()))
    })?;
    let loaded = auth_spec::load_str(&resolved, &text, args.env.as_ref().map(|env| env.value()).as_deref())
        .map_err(|error| syn::Error::new(args.path.span(), format!("the auth spec is invalid:\n{error}")))?;
    let model = AuthModel::new(&loaded.spec);
    let generated = codegen::generate(&model, &args.path.value())?;
    let path = resolved.display().to_string();
    let items = module.content.get_or_insert_with(|| (Default::default(), Vec::new()));
    let generated_items: syn::File = syn::parse2(quote! {
        // Rebuild the crate when the spec changes.
        const _: &[u8] = ::core::include_bytes!(#path);
        #generated
    })?;
    items.1.extend(generated_items.items);
    Ok(quote! { #module })
}

/// Expands a spec file to the pretty-printed items the macro would generate (snapshots, timing,
/// `cargo expand`-like inspection).
pub fn expand_spec_text(spec_name: &str, spec: &auth_spec::Spec) -> syn::Result<TokenStream> {
    codegen::generate(&AuthModel::new(spec), spec_name)
}
