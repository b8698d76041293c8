//! Spec names -> Rust names: fields keep the spec's snake_case name (raw identifiers for
//! keywords), enum variants are PascalCase, and two names that would collide are an error that
//! names both.

use proc_macro2::{Ident, Span};
use std::collections::BTreeMap;

/// A field or function name for a spec name.
pub fn field(name: &str) -> Ident {
    match syn::parse_str::<Ident>(name) {
        Ok(ident) => ident,
        Err(_) => Ident::new_raw(name, Span::call_site()),
    }
}

/// `PascalCase` of any name: words are split on anything that is not a letter or digit, and a
/// leading digit gets a prefix so the result is an identifier.
pub fn pascal(name: &str) -> String {
    let mut out = String::new();
    for word in name.split(|c: char| !c.is_ascii_alphanumeric()).filter(|word| !word.is_empty()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'N');
    }
    out
}

/// Variant names for `names`, all distinct; `None`s are names that collide.
pub fn variants<'a>(
    names: impl IntoIterator<Item = (&'a str, String)>,
    what: &str,
) -> Result<Vec<(String, Ident)>, String> {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut out = Vec::new();
    for (name, variant) in names {
        if let Some(previous) = seen.insert(variant.clone(), name.to_string()) {
            return Err(format!(
                "{what} `{previous}` and `{name}` would both be the Rust variant `{variant}`: rename one of them"
            ));
        }
        out.push((name.to_string(), Ident::new(&variant, Span::call_site())));
    }
    Ok(out)
}
