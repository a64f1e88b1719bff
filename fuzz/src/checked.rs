//! What checking a stream promises about its summary and findings, for
//! every target that checks one (`check`, and the examples of a spec that
//! `loading` holds together).

use logspec_checker::{Code, Finding, InputSummary};
use logspec_reader::Format;

/// Every finding is of the input checked and points inside it: its line
/// among the input's lines, its column and excerpt span inside the text.
pub fn hold(summary: &InputSummary, findings: &[Finding]) {
    // An OTLP/JSON line is an export of many log records.
    assert!(
        summary.records <= summary.lines || summary.format == Some(Format::OtlpJson),
        "{summary:?}"
    );
    for finding in findings {
        assert_eq!(finding.file, summary.file, "{finding:?}");
        assert!(finding.line <= summary.lines, "{finding:?}");
        assert!(
            finding.line >= 1 || finding.code == Code::EmptyInput,
            "{finding:?}"
        );
        assert!(
            finding.column.is_none_or(|column| column >= 1),
            "{finding:?}"
        );
        if let Some(excerpt) = &finding.excerpt {
            if let Some(span) = &excerpt.span {
                assert!(span.start <= span.end, "{finding:?}");
                assert!(
                    excerpt.text.get(span.clone()).is_some(),
                    "excerpt span off the text or its char boundaries: {finding:?}"
                );
            }
        }
    }
}
