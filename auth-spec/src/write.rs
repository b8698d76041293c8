//! Spec -> TOML as a person would write it: secret references, attribute mappings, tags and scope
//! maps inline (`client_secret = { env = "..." }`) rather than as sub-tables. Used by `init` and by
//! `import`; the result loads back to the same spec.

use crate::Spec;
use toml_edit::{DocumentMut, Item, Table};

/// Keys whose table values read better inline.
const INLINE_KEYS: &[&str] = &["client_secret", "private_key", "attribute_mapping", "tags", "scopes"];

impl Spec {
    /// The spec as TOML text.
    pub fn to_toml(&self) -> String {
        let plain = toml::to_string(self).expect("a spec always serializes to TOML");
        let Ok(mut document) = plain.parse::<DocumentMut>() else { return plain };
        inline_small_tables(document.as_table_mut());
        document.to_string()
    }
}

fn inline_small_tables(table: &mut Table) {
    let inline_keys: Vec<String> = table
        .iter()
        .filter(|(key, item)| {
            INLINE_KEYS.contains(key)
                && item.as_table().is_some_and(|inner| inner.iter().all(|(_, value)| value.is_value()))
        })
        .map(|(key, _)| key.to_string())
        .collect();
    for key in inline_keys {
        if let Some(Item::Table(inner)) = table.remove(&key) {
            let mut inline = inner.into_inline_table();
            inline.fmt();
            table.insert(&key, Item::Value(toml_edit::Value::InlineTable(inline)));
        }
    }
    for (_, item) in table.iter_mut() {
        if let Item::Table(inner) = item {
            inline_small_tables(inner);
        }
    }
}
