//! `Group`, `OAuthProvider`, `Scope`, `AppClient`: closed sets of the spec's names.

use crate::model::AuthModel;
use crate::names::{pascal, variants};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

pub fn generate(model: &AuthModel, spec: &str) -> Result<TokenStream, String> {
    let groups = variants(model.groups.iter().map(|name| (name.as_str(), pascal(name))), "groups")?;
    let providers =
        variants(model.providers.iter().map(|p| (p.spec_name.as_str(), pascal(&p.spec_name))), "providers")?;
    let scopes =
        variants(model.scopes.iter().map(|scope| (scope.as_str(), scope_variant(scope, &model.scopes))), "scopes")?;
    let clients = variants(model.clients.iter().map(|name| (name.as_str(), pascal(name))), "clients")?;
    let cognito_names: Vec<&str> = model.providers.iter().map(|provider| provider.cognito_name.as_str()).collect();
    let group = closed_enum(
        "Group",
        &format!("A user pool group of `{spec}` (`[groups.*]`); tokens list them in `cognito:groups`."),
        &groups,
        |name| format!("The `{name}` group (`[groups.{name}]`)."),
        None,
    );
    let provider = closed_enum(
        "OAuthProvider",
        &format!("An identity provider the hosted UI of `{spec}` can send users to (`cognito` and `[providers.*]`)."),
        &providers,
        |name| format!("`{name}`."),
        Some(&cognito_names),
    );
    let scope = closed_enum(
        "Scope",
        &format!("An OAuth scope of `{spec}`: the standard ones and `[resource_servers.*]` scopes."),
        &scopes,
        |name| format!("The `{name}` scope."),
        None,
    );
    let client = closed_enum(
        "AppClient",
        &format!("An app client of `{spec}` (`[clients.*]`)."),
        &clients,
        |name| format!("The `{name}` client (`[clients.{name}]`)."),
        None,
    );
    Ok(quote! { #group #provider #scope #client })
}

/// `orders.read` for `https://api.example.com/orders.read`, unless two servers share it.
fn scope_variant(scope: &str, all: &[String]) -> String {
    match scope.rsplit_once('/') {
        Some((_, short))
            if all.iter().filter(|other| other.rsplit_once('/').is_some_and(|(_, s)| s == short)).count() == 1 =>
        {
            pascal(short)
        }
        _ => pascal(scope),
    }
}

/// An enum with `ALL`, `as_str`, `Display` and `FromStr`; `cognito_names` adds `cognito_name`.
fn closed_enum(
    name: &str,
    doc: &str,
    variants: &[(String, Ident)],
    variant_doc: impl Fn(&str) -> String,
    cognito_names: Option<&[&str]>,
) -> TokenStream {
    let ty = Ident::new(name, proc_macro2::Span::call_site());
    let idents: Vec<&Ident> = variants.iter().map(|(_, ident)| ident).collect();
    let names: Vec<&str> = variants.iter().map(|(name, _)| name.as_str()).collect();
    let docs: Vec<String> = names.iter().map(|name| variant_doc(name)).collect();
    let error_message = format!("not a {name} of this spec: ");
    let cognito = cognito_names.map(|cognito| {
        quote! {
            /// Cognito's name, as `SupportedIdentityProviders` and `identity_provider` use it.
            pub fn cognito_name(self) -> &'static str {
                match self { #( #ty::#idents => #cognito, )* }
            }
        }
    });
    // An enum without variants still gets its impls, so code written against it compiles.
    let as_str = if idents.is_empty() {
        quote! { match self {} }
    } else {
        quote! { match self { #( #ty::#idents => #names, )* } }
    };
    let cognito = cognito.unwrap_or_default();
    quote! {
        #[doc = #doc]
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::marker::Copy, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash, ::std::cmp::PartialOrd, ::std::cmp::Ord)]
        pub enum #ty {
            #( #[doc = #docs] #idents, )*
        }

        impl #ty {
            /// Every value, in the spec's order.
            pub const ALL: &'static [#ty] = &[#( #ty::#idents ),*];

            /// The name in the spec.
            pub fn as_str(self) -> &'static str {
                #as_str
            }

            #cognito
        }

        impl ::std::fmt::Display for #ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for #ty {
            type Err = ::auth_client::typed::UnknownName;

            fn from_str(name: &str) -> ::std::result::Result<Self, Self::Err> {
                #ty::ALL
                    .iter()
                    .copied()
                    .find(|value| value.as_str() == name)
                    .ok_or_else(|| ::auth_client::typed::UnknownName::new(#error_message, name))
            }
        }
    }
}
