//! The corpus of broken specs: each file in `tests/corpus/` states, in `# expect:` comments, every
//! diagnostic loading it must produce (line:column, code, and a piece of the message or label).
//! The test fails on a missing, an extra or a misplaced diagnostic.

use auth_spec::diagnostics::Severity;
use std::path::Path;

struct Expectation {
    line: usize,
    column: usize,
    code: String,
    text: Option<String>,
}

fn expectations(text: &str) -> Vec<Expectation> {
    text.lines()
        .filter_map(|line| line.strip_prefix("# expect: "))
        .map(|rest| {
            let (position, rest) = rest.split_once(' ').expect("`# expect: L:C code [\"text\"]`");
            let (line, column) = position.split_once(':').expect("line:column");
            let (code, text) = match rest.split_once(' ') {
                Some((code, text)) => (code, Some(serde_json::from_str::<String>(text).expect("a JSON string"))),
                None => (rest, None),
            };
            Expectation { line: line.parse().unwrap(), column: column.parse().unwrap(), code: code.to_string(), text }
        })
        .collect()
}

#[test]
fn every_broken_spec_reports_exactly_its_errors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|entry| entry.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 30, "the corpus needs at least 30 broken specs, has {}", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let expected = expectations(&text);
        assert!(!expected.is_empty(), "{} has no `# expect:` line", file.display());
        let report = match auth_spec::load_str(file, &text, None) {
            Ok(_) => {
                failures.push(format!("{}: loaded without errors", file.display()));
                continue;
            }
            Err(error) => error.diagnostics().expect("the corpus files are readable").clone(),
        };
        let errors: Vec<_> = report.items.iter().filter(|item| item.severity == Severity::Error).collect();
        let matches = |expectation: &Expectation, item: &auth_spec::Diagnostic| {
            let location = item.location.as_ref();
            location.is_some_and(|l| l.line == expectation.line && l.column == expectation.column)
                && item.code == expectation.code
                && expectation.text.as_ref().is_none_or(|text| {
                    item.message.contains(text.as_str())
                        || item.label.as_ref().is_some_and(|label| label.contains(text.as_str()))
                        || item.help.as_ref().is_some_and(|help| help.contains(text.as_str()))
                })
        };
        let all_expected = expected.iter().all(|expectation| errors.iter().any(|item| matches(expectation, item)));
        let no_extra = errors.iter().all(|item| expected.iter().any(|expectation| matches(expectation, item)));
        if !all_expected || !no_extra {
            failures.push(format!("{}: got\n{report}", file.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
