//! TOML -> [`Spec`], reporting every problem at once with its file, line, column and key path.
//!
//! The pipeline: parse (recovering, so several syntax errors are reported together) -> a tree of
//! spanned values -> JSON Schema check of the whole document, overlays included -> merge the
//! `--env` overlay -> deserialize -> Cognito's rules ([`crate::validate`]). Each stage reports all
//! of its problems; a later stage runs only when the earlier ones found none, so one mistake is
//! never reported three times.

mod schema_check;
mod tree;

use crate::diagnostics::{Diagnostic, Diagnostics, KeyPath, Segment, Source, SpanMap, did_you_mean};
use crate::model::Spec;
use std::path::{Path, PathBuf};
use tree::Node;

/// Why a spec could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read spec file {}: {source}", path.display())]
    Read {
        /// The path that was tried.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The spec has errors; the report holds every one of them.
    #[error("{0}")]
    Invalid(Diagnostics),
}

impl LoadError {
    /// The diagnostics, when the spec was read but is invalid.
    pub fn diagnostics(&self) -> Option<&Diagnostics> {
        match self {
            LoadError::Invalid(diagnostics) => Some(diagnostics),
            LoadError::Read { .. } => None,
        }
    }
}

/// A loaded, valid spec, with any warnings found.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The spec, with the chosen environment's overlay applied.
    pub spec: Spec,
    /// Warnings (the spec is valid; these are likely mistakes).
    pub warnings: Diagnostics,
}

/// Loads and validates the spec in `path`, applying the `[env.<env>]` overlay when `env` is given.
pub fn load_file(path: &Path, env: Option<&str>) -> Result<Loaded, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Read { path: path.to_path_buf(), source })?;
    load_str(path, &text, env)
}

/// Loads and validates spec text; `path` is only used in messages.
pub fn load_str(path: &Path, text: &str, env: Option<&str>) -> Result<Loaded, LoadError> {
    let source = Source { path: path.to_path_buf(), text: text.to_string() };
    let fail =
        |spans: Option<&SpanMap>, items| LoadError::Invalid(Diagnostics::locate(Some(source.clone()), spans, items));

    let (document, syntax_errors) = toml::de::DeTable::parse_recoverable(text);
    if !syntax_errors.is_empty() {
        let items = syntax_errors.iter().map(|error| syntax_diagnostic(&source, error)).collect();
        return Err(fail(None, items));
    }
    let mut root = Node::from_table(&document);

    let (json, spans, unrepresentable) = root.to_json();
    let mut problems: Vec<Diagnostic> = unrepresentable
        .into_iter()
        .map(|(path, text)| {
            Diagnostic::error("invalid-number", path, format!("`{text}` is not a number a spec can hold"))
                .with_help("use a finite number within the 64-bit integer range")
        })
        .collect();
    problems.extend(schema_check::check(&json));
    if !problems.is_empty() {
        problems.extend(rules_on_what_is_left(&json, &problems, env));
        return Err(fail(Some(&spans), problems));
    }

    let overlays = root.remove("env");
    if let Some(name) = env {
        let overlay = overlays.as_ref().and_then(|overlays| overlays.get(name)).cloned();
        match overlay {
            Some(overlay) => root.merge(overlay),
            None => return Err(fail(Some(&spans), vec![unknown_env(name, overlays.as_ref())])),
        }
    }
    let (json, spans, _) = root.to_json();
    let spec = match deserialize(json) {
        Ok(spec) => spec,
        Err(problem) => return Err(fail(Some(&spans), vec![*problem])),
    };
    let mut spec = spec;
    if let Some(overlays) = overlays {
        let (overlays, _, _) = overlays.to_json();
        if let serde_json::Value::Object(overlays) = overlays {
            spec.env = overlays.into_iter().collect();
        }
    }

    let found = crate::validate::rules(&spec);
    let report = Diagnostics::locate(Some(source.clone()), Some(&spans), found);
    if report.has_errors() {
        return Err(LoadError::Invalid(report));
    }
    Ok(Loaded { spec, warnings: report })
}

/// The rule diagnostics of a document with structural errors: the offending entries are removed,
/// and if what is left deserializes, the rules run on it, so a first run reports (nearly) every
/// problem at once. Diagnostics about a removed entry, or inside one, are dropped: they would
/// only repeat the structural error.
fn rules_on_what_is_left(json: &serde_json::Value, problems: &[Diagnostic], env: Option<&str>) -> Vec<Diagnostic> {
    let mut pruned = json.clone();
    for problem in problems {
        remove_path(&mut pruned, &problem.path.0);
    }
    if let serde_json::Value::Object(root) = &mut pruned {
        let overlays = root.remove("env");
        if let Some(overlay) = env.and_then(|name| overlays.as_ref().and_then(|overlays| overlays.get(name))) {
            merge_json(&mut pruned, overlay.clone());
        }
    }
    // Removing a value can leave its table without a required key: remove the table too, and so
    // on outwards, until what is left deserializes (or nothing useful is).
    let mut removed: Vec<KeyPath> = problems.iter().map(|problem| problem.path.clone()).collect();
    let spec = loop {
        match deserialize(pruned.clone()) {
            Ok(spec) => break spec,
            Err(error) if !error.path.is_root() && removed.len() < problems.len() + 32 => {
                remove_path(&mut pruned, &error.path.0);
                removed.push(error.path);
            }
            Err(_) => return Vec::new(),
        }
    };
    crate::validate::rules(&spec)
        .into_iter()
        .filter(|found| {
            !removed.iter().any(|path| found.path.0.starts_with(&path.0) || path.0.starts_with(&found.path.0))
        })
        .collect()
}

fn remove_path(value: &mut serde_json::Value, path: &[Segment]) {
    match path {
        [] => {}
        [Segment::Key(key)] => {
            if let serde_json::Value::Object(object) = value {
                object.remove(key);
            }
        }
        [Segment::Index(index)] => {
            if let serde_json::Value::Array(items) = value
                && *index < items.len()
            {
                items.remove(*index);
            }
        }
        [Segment::Key(key), rest @ ..] => {
            if let Some(child) = value.get_mut(key) {
                remove_path(child, rest);
            }
        }
        [Segment::Index(index), rest @ ..] => {
            if let Some(child) = value.get_mut(*index) {
                remove_path(child, rest);
            }
        }
    }
}

/// Deserializes schema-checked JSON, keeping the path of anything serde still rejects (a duration
/// that overflows, say).
fn deserialize(json: serde_json::Value) -> Result<Spec, Box<Diagnostic>> {
    serde_path_to_error::deserialize(json).map_err(|error| {
        let path = KeyPath(
            error
                .path()
                .iter()
                .filter_map(|segment| match segment {
                    serde_path_to_error::Segment::Map { key } => Some(Segment::Key(key.clone())),
                    serde_path_to_error::Segment::Seq { index } => Some(Segment::Index(*index)),
                    serde_path_to_error::Segment::Enum { variant } => Some(Segment::Key(variant.clone())),
                    serde_path_to_error::Segment::Unknown => None,
                })
                .collect(),
        );
        Box::new(Diagnostic::error("invalid-value", path, error.into_inner().to_string()))
    })
}

fn syntax_diagnostic(source: &Source, error: &toml::de::Error) -> Diagnostic {
    let mut diagnostic = Diagnostic::error("toml-syntax", KeyPath::root(), error.message().trim().to_string())
        .with_help("this is not valid TOML; see https://toml.io for the syntax");
    if let Some(span) = error.span() {
        let (line, column) = source.line_column(span.start);
        diagnostic.location = Some(crate::diagnostics::Location { span, line, column });
    }
    diagnostic
}

fn unknown_env(name: &str, overlays: Option<&Node>) -> Diagnostic {
    let names: Vec<String> = match overlays.map(|overlays| &overlays.kind) {
        Some(tree::NodeKind::Table(entries)) => entries.iter().map(|(key, _)| key.clone()).collect(),
        _ => Vec::new(),
    };
    let path = if overlays.is_some() { KeyPath::of(&["env"]) } else { KeyPath::root() };
    let mut diagnostic = Diagnostic::error("unknown-env", path, format!("the spec has no environment `{name}`"));
    diagnostic = match did_you_mean(name, names.iter().map(String::as_str)) {
        Some(close) => diagnostic.with_help(format!("did you mean `--env {close}`?")),
        None if names.is_empty() => {
            diagnostic.with_help(format!("add an `[env.{name}]` table with the settings that differ"))
        }
        None => diagnostic.with_help(format!("environments in this spec: {}", names.join(", "))),
    };
    diagnostic
}

/// Validates a spec built in Rust (no source, so no line numbers): the same schema and rules as
/// loading a file. Returns the warnings when it is valid.
pub fn validate_spec(spec: &Spec) -> Result<Diagnostics, Diagnostics> {
    let json = serde_json::to_value(spec).map_err(|error| Diagnostics {
        source: None,
        items: vec![Diagnostic::error("invalid-value", KeyPath::root(), error.to_string())],
    })?;
    let structural = schema_check::check(&json);
    if !structural.is_empty() {
        return Err(Diagnostics::locate(None, None, structural));
    }
    let report = Diagnostics::locate(None, None, crate::validate::rules(spec));
    if report.has_errors() { Err(report) } else { Ok(report) }
}

impl Spec {
    /// This spec with its `[env.<name>]` overlay merged in (tables key by key, arrays and values
    /// replaced), for specs built in Rust; files get the same through [`load_file`].
    pub fn with_env(&self, name: &str) -> Result<Spec, Diagnostics> {
        let Some(overlay) = self.env.get(name) else {
            let names: Vec<&str> = self.env.keys().map(String::as_str).collect();
            let mut diagnostic =
                Diagnostic::error("unknown-env", KeyPath::root(), format!("the spec has no environment `{name}`"));
            if let Some(close) = did_you_mean(name, names.iter().copied()) {
                diagnostic = diagnostic.with_help(format!("did you mean `{close}`?"));
            }
            return Err(Diagnostics { source: None, items: vec![diagnostic] });
        };
        let mut base = serde_json::to_value(self).map_err(|error| Diagnostics {
            source: None,
            items: vec![Diagnostic::error("invalid-value", KeyPath::root(), error.to_string())],
        })?;
        if let serde_json::Value::Object(object) = &mut base {
            object.remove("env");
        }
        merge_json(&mut base, overlay.clone());
        let mut merged =
            deserialize(base).map_err(|diagnostic| Diagnostics { source: None, items: vec![*diagnostic] })?;
        merged.env = self.env.clone();
        Ok(merged)
    }
}

/// Merges `overlay` into `base`: objects key by key, everything else replaced.
fn merge_json(base: &mut serde_json::Value, overlay: serde_json::Value) {
    match (base, overlay) {
        (serde_json::Value::Object(base), serde_json::Value::Object(overlay)) => {
            for (key, value) in overlay {
                match base.get_mut(&key) {
                    Some(existing) => merge_json(existing, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, overlay) => *base = overlay,
    }
}
