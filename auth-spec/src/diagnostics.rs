//! Located diagnostics: what is wrong, where (file, line, column, key path), and how to fix it.
//!
//! Loading and every validation rule produce [`Diagnostic`]s that name a [`KeyPath`]; a
//! [`SpanMap`] built while parsing turns the path into a byte range of the TOML text, so rules
//! never deal with positions and a spec built in Rust gets the same messages without them. The CLI
//! renders these with miette, the macro as compiler errors; [`Diagnostics`]'s `Display` is the
//! plain form both start from.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

/// One step of a key path: a table key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Segment {
    /// A table key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// Where a value lives in the spec, e.g. `clients.web.oauth.callback_urls[0]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyPath(pub Vec<Segment>);

impl KeyPath {
    /// The root of the spec.
    pub fn root() -> KeyPath {
        KeyPath(Vec::new())
    }

    /// This path with a key appended.
    pub fn key(&self, key: impl Into<String>) -> KeyPath {
        let mut segments = self.0.clone();
        segments.push(Segment::Key(key.into()));
        KeyPath(segments)
    }

    /// This path with an index appended.
    pub fn index(&self, index: usize) -> KeyPath {
        let mut segments = self.0.clone();
        segments.push(Segment::Index(index));
        KeyPath(segments)
    }

    /// A path from dotted keys: `KeyPath::of(&["pool", "password", "min_length"])`.
    pub fn of(keys: &[&str]) -> KeyPath {
        KeyPath(keys.iter().map(|key| Segment::Key(key.to_string())).collect())
    }

    /// The path without its last segment.
    pub fn parent(&self) -> Option<KeyPath> {
        let (_, parent) = self.0.split_last()?;
        Some(KeyPath(parent.to_vec()))
    }

    /// True for the root.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The table header that contains this path, for messages: `[clients.web.oauth]`.
    pub fn table(&self) -> String {
        match self.parent() {
            Some(parent) if !parent.is_root() => format!("[{parent}]"),
            _ => "the top level".to_string(),
        }
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (position, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key) => {
                    if position > 0 {
                        f.write_str(".")?;
                    }
                    if key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') && !key.is_empty() {
                        f.write_str(key)?;
                    } else {
                        write!(f, "{key:?}")?;
                    }
                }
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The spec cannot be used.
    Error,
    /// The spec works but probably not as intended.
    Warning,
}

/// Which part of the entry a diagnostic points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The value.
    Value,
    /// The key (an unknown key, a misspelled name).
    Key,
}

/// One problem in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// A stable identifier, e.g. `unknown-key`, `cognito::password-length`.
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where: the entry at fault (or the nearest one that exists).
    pub path: KeyPath,
    /// Whether the key or the value is at fault.
    pub target: Target,
    /// The short text under the underlined span.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
    /// Where in the source, once located.
    pub location: Option<Location>,
}

impl Diagnostic {
    /// An error about the value at `path`.
    pub fn error(code: &'static str, path: KeyPath, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            path,
            target: Target::Value,
            label: None,
            help: None,
            location: None,
        }
    }

    /// A warning about the value at `path`.
    pub fn warning(code: &'static str, path: KeyPath, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, path, message) }
    }

    /// Adds how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Adds the text shown under the span.
    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    /// Points at the key rather than the value.
    pub fn at_key(mut self) -> Diagnostic {
        self.target = Target::Key;
        self
    }
}

/// A position in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Byte range in the source text.
    pub span: Range<usize>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
}

/// The spans of keys and values of a parsed document, by key path.
#[derive(Debug, Clone, Default)]
pub struct SpanMap {
    pub(crate) values: BTreeMap<KeyPath, Range<usize>>,
    pub(crate) keys: BTreeMap<KeyPath, Range<usize>>,
}

impl SpanMap {
    /// The span for a diagnostic: the key or value at its path, or the nearest ancestor that
    /// exists (a missing key is reported at the table that should hold it).
    pub fn span_for(&self, path: &KeyPath, target: Target) -> Option<Range<usize>> {
        let mut current = Some(path.clone());
        let mut exact = true;
        while let Some(path) = current {
            let found = match (target, exact) {
                (Target::Key, true) => self.keys.get(&path).or_else(|| self.values.get(&path)),
                _ => self.keys.get(&path).filter(|_| !exact).or_else(|| self.values.get(&path)),
            };
            if let Some(span) = found {
                return Some(span.clone());
            }
            current = path.parent();
            exact = false;
        }
        None
    }
}

/// The text a spec came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The file as the user named it.
    pub path: PathBuf,
    /// Its contents.
    pub text: String,
}

impl Source {
    /// The 1-based line and column of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..floor_char_boundary(&self.text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
        (line, before[line_start..].chars().count() + 1)
    }

    /// The text of a 1-based line, without its newline.
    pub fn line_text(&self, line: usize) -> &str {
        self.text.lines().nth(line.saturating_sub(1)).unwrap_or("")
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Every problem found in one spec, with the source they point into (absent for specs built in
/// Rust). This is the error of loading and validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics {
    /// The source text, when the spec came from a file.
    pub source: Option<Source>,
    /// The problems, in the order of the file.
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Locates each diagnostic in `source` through `spans`, and sorts them by position.
    pub(crate) fn locate(source: Option<Source>, spans: Option<&SpanMap>, mut items: Vec<Diagnostic>) -> Diagnostics {
        if let (Some(source), Some(spans)) = (&source, spans) {
            for item in &mut items {
                if item.location.is_none()
                    && let Some(span) = spans.span_for(&item.path, item.target)
                {
                    let (line, column) = source.line_column(span.start);
                    item.location = Some(Location { span, line, column });
                }
            }
        }
        items.sort_by_key(|item| item.location.as_ref().map_or((usize::MAX, 0), |l| (l.span.start, l.span.end)));
        items.dedup_by(|a, b| a.message == b.message && a.location == b.location);
        Diagnostics { source, items }
    }

    /// Only the errors (not the warnings).
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|item| item.severity == Severity::Error)
    }

    /// True when at least one diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }

    /// The file name used in messages.
    pub fn file_name(&self) -> String {
        self.source.as_ref().map_or_else(|| "<spec>".to_string(), |source| source.path.display().to_string())
    }
}

impl fmt::Display for Diagnostics {
    /// The plain report: for each problem, `file:line:column: error[code]: message`, the line with
    /// the span underlined, and the help.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file_name();
        for (position, item) in self.items.iter().enumerate() {
            if position > 0 {
                writeln!(f)?;
            }
            let severity = match item.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            match &item.location {
                Some(location) => write!(f, "{file}:{}:{}: ", location.line, location.column)?,
                None => write!(f, "{file}: ")?,
            }
            writeln!(f, "{severity}[{}]: {}", item.code, item.message)?;
            if !item.path.is_root() {
                writeln!(f, "  at: {}", item.path)?;
            }
            if let (Some(location), Some(source)) = (&item.location, &self.source) {
                let text = source.line_text(location.line);
                let number = location.line.to_string();
                let pad = " ".repeat(number.len());
                let start = location.span.start.min(source.text.len());
                let line_end = source.text[start..].find('\n').map_or(source.text.len(), |end| start + end);
                let end = location.span.end.clamp(start, line_end);
                let width = source.text.get(start..end).map_or(1, |text| text.chars().count().max(1));
                writeln!(f, "{pad} |")?;
                writeln!(f, "{number} | {text}")?;
                write!(f, "{pad} | {}{}", " ".repeat(location.column - 1), "^".repeat(width))?;
                match &item.label {
                    Some(label) => writeln!(f, " {label}")?,
                    None => writeln!(f)?,
                }
            }
            if let Some(help) = &item.help {
                writeln!(f, "  help: {help}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// The closest of `candidates` to `word`, when close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(word, candidate), candidate))
        .filter(|(score, candidate)| {
            // Jaro-Winkler misses swapped letters in short words (`wbe` for `web`); one edit
            // (Damerau-Levenshtein) catches those.
            *score > 0.8 || (word.len() >= 3 && strsim::damerau_levenshtein(word, candidate) <= 1)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}
