//! Renders auth-spec's located diagnostics with miette: the offending TOML line underlined, the
//! label under it, the help below.

use auth_spec::diagnostics::{Diagnostic, Diagnostics, Severity};
use miette::{GraphicalReportHandler, LabeledSpan, NamedSource, SourceSpan};
use std::fmt;

/// One diagnostic in miette's terms.
struct Item<'a> {
    diagnostic: &'a Diagnostic,
    source: Option<NamedSource<String>>,
}

impl fmt::Debug for Item<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl fmt::Display for Item<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)?;
        if self.source.is_none() && !self.diagnostic.path.is_root() {
            write!(f, " (at {})", self.diagnostic.path)?;
        }
        Ok(())
    }
}

impl std::error::Error for Item<'_> {}

impl miette::Diagnostic for Item<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diagnostic.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic.help.as_ref().map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|source| source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let location = self.diagnostic.location.as_ref()?;
        let span = SourceSpan::from(location.span.start..location.span.end.max(location.span.start));
        let label = self
            .diagnostic
            .label
            .clone()
            .or_else(|| (!self.diagnostic.path.is_root()).then(|| self.diagnostic.path.to_string()));
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(label, span))))
    }
}

/// The whole report as the terminal shows it.
pub fn render(diagnostics: &Diagnostics) -> String {
    let handler = GraphicalReportHandler::new();
    let mut out = String::new();
    for diagnostic in &diagnostics.items {
        let source = diagnostics.source.as_ref().filter(|_| diagnostic.location.is_some()).map(|source| {
            NamedSource::new(source.path.display().to_string(), source.text.clone()).with_language("toml")
        });
        let item = Item { diagnostic, source };
        if handler.render_report(&mut out, &item).is_err() {
            out.push_str(&item.to_string());
        }
        out.push('\n');
    }
    out
}
