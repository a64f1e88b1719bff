//! What checking a stream promises about its summary and findings, for
//! every target that checks one (`check`, and the examples of a spec that
//! `loading` holds together).

use logspec_checker::{Code, Finding, InputSummary};
use logspec_reader::Format;

/// The summary counts every line of `input`, and every finding is of the
/// input checked and points inside it: its line among the input's lines,
/// its column and excerpt span inside the text.
pub fn hold(input: &[u8], summary: &InputSummary, findings: &[Finding]) {
    assert_eq!(summary.lines, lines_in(input), "{summary:?}");
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

/// The lines of `input` counted without the checker's line reader, so that
/// a line it dropped or counted twice shows: each `\n` ends one, and bytes
/// after the last are one more. A line too long to keep whole is still one.
fn lines_in(input: &[u8]) -> u64 {
    let ended = input.iter().filter(|&&byte| byte == b'\n').count();
    let unended = !input.is_empty() && !input.ends_with(b"\n");
    (ended + usize::from(unended)) as u64
}

#[cfg(test)]
mod tests {
    use super::lines_in;

    #[test]
    fn lines_are_counted_as_a_reader_sees_them() {
        assert_eq!(lines_in(b""), 0);
        assert_eq!(lines_in(b"\n"), 1);
        assert_eq!(lines_in(b"a"), 1);
        assert_eq!(lines_in(b"a\n"), 1);
        assert_eq!(lines_in(b"a\nb"), 2);
        assert_eq!(lines_in(b"a\r\n\r\n"), 2);
        assert_eq!(lines_in(b"\n\n\xff"), 3);
    }
}
