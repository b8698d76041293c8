//! A TOML document as a tree of values with spans: parsed once, merged with an environment
//! overlay, then turned into JSON (for the schema and serde) and a [`SpanMap`] (for locating
//! diagnostics).

use crate::diagnostics::{KeyPath, SpanMap};
use serde_json::{Map, Number, Value};
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A value with where it came from.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) kind: NodeKind,
    /// The span of the value (for a table, its header or inline braces).
    pub(crate) span: Range<usize>,
    /// The span of the key that names it, if any.
    pub(crate) key_span: Option<Range<usize>>,
}

#[derive(Debug, Clone)]
pub(crate) enum NodeKind {
    Table(Vec<(String, Node)>),
    Array(Vec<Node>),
    Scalar(Value),
    /// A float JSON cannot hold (nan, inf): kept so the error can point at it.
    NonFinite(String),
}

impl Node {
    /// Builds the tree of a parsed TOML table.
    pub(crate) fn from_table(table: &Spanned<DeTable<'_>>) -> Node {
        Node { kind: NodeKind::Table(entries(table.get_ref())), span: table.span(), key_span: None }
    }

    fn from_value(value: &Spanned<DeValue<'_>>, key_span: Option<Range<usize>>) -> Node {
        let kind = match value.get_ref() {
            DeValue::String(text) => NodeKind::Scalar(Value::String(text.to_string())),
            DeValue::Integer(integer) => match i64::from_str_radix(&integer.as_str().replace('_', ""), integer.radix())
            {
                Ok(number) => NodeKind::Scalar(Value::Number(number.into())),
                Err(_) => NodeKind::NonFinite(integer.to_string()),
            },
            DeValue::Float(float) => {
                let text = float.as_str().replace('_', "");
                match text.parse::<f64>().ok().and_then(Number::from_f64) {
                    Some(number) => NodeKind::Scalar(Value::Number(number)),
                    None => NodeKind::NonFinite(text),
                }
            }
            DeValue::Boolean(flag) => NodeKind::Scalar(Value::Bool(*flag)),
            DeValue::Datetime(datetime) => NodeKind::Scalar(Value::String(datetime.to_string())),
            DeValue::Array(array) => NodeKind::Array(array.iter().map(|item| Node::from_value(item, None)).collect()),
            DeValue::Table(table) => NodeKind::Table(entries(table)),
        };
        Node { kind, span: value.span(), key_span }
    }

    /// The child table or value under `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            NodeKind::Table(entries) => entries.iter().find(|(name, _)| name == key).map(|(_, node)| node),
            _ => None,
        }
    }

    /// Removes and returns the child under `key`.
    pub(crate) fn remove(&mut self, key: &str) -> Option<Node> {
        match &mut self.kind {
            NodeKind::Table(entries) => {
                let position = entries.iter().position(|(name, _)| name == key)?;
                Some(entries.remove(position).1)
            }
            _ => None,
        }
    }

    /// Merges an overlay into this node: tables key by key, everything else replaced.
    pub(crate) fn merge(&mut self, overlay: Node) {
        match (&mut self.kind, overlay.kind) {
            (NodeKind::Table(base), NodeKind::Table(overlay_entries)) => {
                for (key, value) in overlay_entries {
                    match base.iter_mut().find(|(name, _)| *name == key) {
                        Some((_, existing)) => existing.merge(value),
                        None => base.push((key, value)),
                    }
                }
            }
            (_, kind) => {
                self.kind = kind;
                self.span = overlay.span;
                if overlay.key_span.is_some() {
                    self.key_span = overlay.key_span;
                }
            }
        }
    }

    /// The JSON value, plus the spans of every key and value by path, plus the paths of values
    /// JSON cannot hold.
    pub(crate) fn to_json(&self) -> (Value, SpanMap, Vec<(KeyPath, String)>) {
        let mut spans = SpanMap::default();
        let mut invalid = Vec::new();
        let value = self.collect(&KeyPath::root(), &mut spans, &mut invalid);
        (value, spans, invalid)
    }

    fn collect(&self, path: &KeyPath, spans: &mut SpanMap, invalid: &mut Vec<(KeyPath, String)>) -> Value {
        spans.values.insert(path.clone(), self.span.clone());
        if let Some(key_span) = &self.key_span {
            spans.keys.insert(path.clone(), key_span.clone());
        }
        match &self.kind {
            NodeKind::Table(entries) => {
                let mut map = Map::new();
                for (key, node) in entries {
                    map.insert(key.clone(), node.collect(&path.key(key), spans, invalid));
                }
                Value::Object(map)
            }
            NodeKind::Array(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(index, node)| node.collect(&path.index(index), spans, invalid))
                    .collect(),
            ),
            NodeKind::Scalar(value) => value.clone(),
            NodeKind::NonFinite(text) => {
                invalid.push((path.clone(), text.clone()));
                Value::Null
            }
        }
    }
}

fn entries(table: &DeTable<'_>) -> Vec<(String, Node)> {
    table.iter().map(|(key, value)| (key.get_ref().to_string(), Node::from_value(value, Some(key.span())))).collect()
}
