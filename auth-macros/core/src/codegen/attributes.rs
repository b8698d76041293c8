//! `SignUpAttributes` (required attributes are constructor arguments and non-optional fields),
//! `UpdatableAttributes` (only mutable attributes exist), `RequiredAttribute` and
//! `NewPasswordAttributes` (what a new-password step can ask for).

use crate::model::{Attribute, AuthModel, Kind};
use crate::names::{field, pascal};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

pub fn generate(model: &AuthModel, spec: &str) -> TokenStream {
    let sign_up = sign_up(model, spec);
    let updatable = updatable(model, spec);
    let new_password = new_password(model, spec);
    quote! { #sign_up #updatable #new_password }
}

/// The Rust type of an attribute's value.
pub fn value_type(kind: Kind) -> TokenStream {
    match kind {
        Kind::Text => quote! { ::std::string::String },
        Kind::Integer => quote! { i64 },
        Kind::Boolean => quote! { bool },
        Kind::DateTime => quote! { ::std::time::SystemTime },
    }
}

/// A setter's argument type: text takes anything that becomes a `String`.
fn argument_type(kind: Kind) -> TokenStream {
    match kind {
        Kind::Text => quote! { impl ::std::convert::Into<::std::string::String> },
        other => value_type(other),
    }
}

fn into_value(kind: Kind, ident: &Ident) -> TokenStream {
    match kind {
        Kind::Text => quote! { #ident.into() },
        _ => quote! { #ident },
    }
}

/// Code that turns `value` (a reference to the attribute's type) into its wire string.
fn to_wire(kind: Kind) -> TokenStream {
    match kind {
        Kind::Text => quote! { value.clone() },
        Kind::Integer | Kind::Boolean => quote! { value.to_string() },
        Kind::DateTime => quote! { ::auth_client::typed::format_datetime(*value) },
    }
}

/// Code that checks `value` against the spec's constraints.
fn checks(attribute: &Attribute) -> TokenStream {
    let wire = &attribute.wire;
    let c = attribute.constraints;
    match attribute.kind {
        Kind::Text if c.min_length.is_some() || c.max_length.is_some() => {
            let min = option_u32(c.min_length);
            let max = option_u32(c.max_length);
            quote! { ::auth_client::typed::check_length(#wire, value, #min, #max)?; }
        }
        Kind::Integer if c.min.is_some() || c.max.is_some() => {
            let min = option_i64(c.min);
            let max = option_i64(c.max);
            quote! { ::auth_client::typed::check_range(#wire, *value, #min, #max)?; }
        }
        _ => quote! {},
    }
}

fn option_u32(value: Option<u32>) -> TokenStream {
    match value {
        Some(value) => quote! { ::std::option::Option::Some(#value) },
        None => quote! { ::std::option::Option::None },
    }
}

fn option_i64(value: Option<i64>) -> TokenStream {
    match value {
        Some(value) => quote! { ::std::option::Option::Some(#value) },
        None => quote! { ::std::option::Option::None },
    }
}

fn describe(attribute: &Attribute) -> String {
    let c = attribute.constraints;
    let mut notes = Vec::new();
    if let Some(min) = c.min_length {
        notes.push(format!("at least {min} characters"));
    }
    if let Some(max) = c.max_length {
        notes.push(format!("at most {max} characters"));
    }
    if let Some(min) = c.min {
        notes.push(format!("at least {min}"));
    }
    if let Some(max) = c.max {
        notes.push(format!("at most {max}"));
    }
    let constraints = if notes.is_empty() { String::new() } else { format!("; {}", notes.join(", ")) };
    format!(
        "`{}`{}, from `{}`{constraints}.",
        attribute.wire,
        if attribute.required { ", required" } else { "" },
        attribute.origin
    )
}

/// The body of a `validate` and a `to_wire` over optional and required fields.
fn validate_and_wire(attributes: &[&Attribute]) -> (TokenStream, TokenStream) {
    let mut validate = Vec::new();
    let mut wire = Vec::new();
    for attribute in attributes {
        let ident = field(&attribute.field);
        let name = &attribute.wire;
        let check = checks(attribute);
        let convert = to_wire(attribute.kind);
        let checked = !check.is_empty();
        if attribute.required {
            if checked {
                validate.push(quote! { { let value = &self.#ident; #check } });
            }
            wire.push(quote! { { let value = &self.#ident; out.push((#name.to_string(), #convert)); } });
        } else {
            if checked {
                validate.push(quote! { if let ::std::option::Option::Some(value) = &self.#ident { #check } });
            }
            wire.push(quote! { if let ::std::option::Option::Some(value) = &self.#ident { out.push((#name.to_string(), #convert)); } });
        }
    }
    (quote! { #( #validate )* }, quote! { #( #wire )* })
}

fn sign_up(model: &AuthModel, spec: &str) -> TokenStream {
    let attributes: Vec<&Attribute> = model.attributes.iter().collect();
    let required: Vec<&Attribute> = attributes.iter().copied().filter(|a| a.required).collect();
    let optional: Vec<&Attribute> = attributes.iter().copied().filter(|a| !a.required).collect();
    let fields = attributes.iter().map(|attribute| {
        let ident = field(&attribute.field);
        let ty = value_type(attribute.kind);
        let doc = describe(attribute);
        if attribute.required {
            quote! { #[doc = #doc] pub #ident: #ty, }
        } else {
            quote! { #[doc = #doc] pub #ident: ::std::option::Option<#ty>, }
        }
    });
    let params = required.iter().map(|attribute| {
        let ident = field(&attribute.field);
        let ty = argument_type(attribute.kind);
        quote! { #ident: #ty }
    });
    let inits = attributes.iter().map(|attribute| {
        let ident = field(&attribute.field);
        if attribute.required {
            let value = into_value(attribute.kind, &ident);
            quote! { #ident: #value, }
        } else {
            quote! { #ident: ::std::option::Option::None, }
        }
    });
    let setters = optional.iter().map(|attribute| setter(attribute));
    let (validate, wire) = validate_and_wire(&attributes);
    let required_names: Vec<String> = required.iter().map(|a| format!("`{}`", a.field)).collect();
    let doc = format!(
        "The attributes a user signs up with in `{spec}`. Required ones ({}) are arguments of [`SignUpAttributes::new`]; the others are set with the `with_*` methods. Only attributes the spec declares exist.",
        if required_names.is_empty() { "none".to_string() } else { required_names.join(", ") }
    );
    quote! {
        #[doc = #doc]
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        pub struct SignUpAttributes {
            #( #fields )*
        }

        impl SignUpAttributes {
            /// The attributes with every required one given and the others unset.
            #[allow(clippy::too_many_arguments)]
            pub fn new(#( #params ),*) -> Self {
                SignUpAttributes { #( #inits )* }
            }

            #( #setters )*

            /// Checks the spec's constraints (lengths, ranges).
            pub fn validate(&self) -> ::std::result::Result<(), ::auth_client::typed::AttributeError> {
                #validate
                ::std::result::Result::Ok(())
            }

            /// The attributes as Cognito takes them (`custom:` names, values as strings), checked.
            pub fn to_wire(&self) -> ::std::result::Result<::std::vec::Vec<(::std::string::String, ::std::string::String)>, ::auth_client::typed::AttributeError> {
                self.validate()?;
                let mut out = ::std::vec::Vec::new();
                #wire
                ::std::result::Result::Ok(out)
            }
        }
    }
}

fn setter(attribute: &Attribute) -> TokenStream {
    let ident = field(&attribute.field);
    let method = format_ident!("with_{}", attribute.field.trim_start_matches("r#"));
    let ty = argument_type(attribute.kind);
    let value = into_value(attribute.kind, &format_ident!("value"));
    let doc = format!("Sets {}", describe(attribute));
    quote! {
        #[doc = #doc]
        #[must_use]
        pub fn #method(mut self, value: #ty) -> Self {
            self.#ident = ::std::option::Option::Some(#value);
            self
        }
    }
}

fn updatable(model: &AuthModel, spec: &str) -> TokenStream {
    let attributes: Vec<Attribute> =
        model.mutable().map(|attribute| Attribute { required: false, ..attribute.clone() }).collect();
    let refs: Vec<&Attribute> = attributes.iter().collect();
    let fields = refs.iter().map(|attribute| {
        let ident = field(&attribute.field);
        let ty = value_type(attribute.kind);
        let doc = describe(attribute);
        quote! { #[doc = #doc] pub #ident: ::std::option::Option<#ty>, }
    });
    let setters = refs.iter().map(|attribute| setter(attribute));
    let (validate, wire) = validate_and_wire(&refs);
    let doc = format!(
        "Changes to a signed-in user's attributes: only the attributes `{spec}` declares mutable exist here, so updating an immutable one does not compile."
    );
    quote! {
        #[doc = #doc]
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::default::Default)]
        pub struct UpdatableAttributes {
            #( #fields )*
        }

        impl UpdatableAttributes {
            /// No changes.
            pub fn new() -> Self {
                ::std::default::Default::default()
            }

            #( #setters )*

            /// Checks the spec's constraints.
            pub fn validate(&self) -> ::std::result::Result<(), ::auth_client::typed::AttributeError> {
                #validate
                ::std::result::Result::Ok(())
            }

            /// The changes as Cognito takes them, checked.
            pub fn to_wire(&self) -> ::std::result::Result<::std::vec::Vec<(::std::string::String, ::std::string::String)>, ::auth_client::typed::AttributeError> {
                self.validate()?;
                let mut out = ::std::vec::Vec::new();
                #wire
                ::std::result::Result::Ok(out)
            }
        }
    }
}

fn new_password(model: &AuthModel, spec: &str) -> TokenStream {
    let required: Vec<Attribute> =
        model.required().map(|attribute| Attribute { required: false, ..attribute.clone() }).collect();
    let refs: Vec<&Attribute> = required.iter().collect();
    let variants: Vec<Ident> = required.iter().map(|attribute| format_ident!("{}", pascal(&attribute.field))).collect();
    let wires: Vec<&str> = required.iter().map(|attribute| attribute.wire.as_str()).collect();
    let variant_docs: Vec<String> =
        required.iter().map(|attribute| format!("`{}` (from `{}`).", attribute.wire, attribute.origin)).collect();
    let fields = refs.iter().map(|attribute| {
        let ident = field(&attribute.field);
        let ty = value_type(attribute.kind);
        let doc = describe(attribute);
        quote! { #[doc = #doc] pub #ident: ::std::option::Option<#ty>, }
    });
    let setters = refs.iter().map(|attribute| setter(attribute));
    let (validate, wire) = validate_and_wire(&refs);
    let as_str = if variants.is_empty() {
        quote! { match self {} }
    } else {
        quote! { match self { #( RequiredAttribute::#variants => #wires, )* } }
    };
    let enum_doc = format!("An attribute `{spec}` requires, which a new-password step may ask for.");
    quote! {
        #[doc = #enum_doc]
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::marker::Copy, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash)]
        pub enum RequiredAttribute {
            #( #[doc = #variant_docs] #variants, )*
        }

        impl RequiredAttribute {
            /// Every required attribute.
            pub const ALL: &'static [RequiredAttribute] = &[#( RequiredAttribute::#variants ),*];

            /// The wire name.
            pub fn as_str(self) -> &'static str {
                #as_str
            }

            /// The attribute with this wire name.
            pub fn from_wire(name: &str) -> ::std::option::Option<RequiredAttribute> {
                RequiredAttribute::ALL.iter().copied().find(|attribute| attribute.as_str() == name)
            }
        }

        /// The attributes sent with a new password: the required attributes the step listed as
        /// missing must be set.
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::default::Default)]
        pub struct NewPasswordAttributes {
            #( #fields )*
        }

        impl NewPasswordAttributes {
            /// Nothing set.
            pub fn new() -> Self {
                ::std::default::Default::default()
            }

            #( #setters )*

            /// The attributes as Cognito takes them, checked against the spec's constraints and
            /// against `missing` (each must be set).
            pub fn to_wire(&self, missing: &[RequiredAttribute]) -> ::std::result::Result<::std::vec::Vec<(::std::string::String, ::std::string::String)>, ::auth_client::typed::AttributeError> {
                #validate
                let mut out: ::std::vec::Vec<(::std::string::String, ::std::string::String)> = ::std::vec::Vec::new();
                #wire
                for attribute in missing {
                    if !out.iter().any(|(name, _)| name == attribute.as_str()) {
                        return ::std::result::Result::Err(::auth_client::typed::AttributeError::Missing { attribute: attribute.as_str() });
                    }
                }
                ::std::result::Result::Ok(out)
            }
        }
    }
}
