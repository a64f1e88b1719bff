//! JSON lines: one JSON object per line, the whole line the record
//! (`{"event":"command_executed","run_id":"…","exit_code":0}`).
//!
//! The object's members become fields, nested objects as dotted paths;
//! which member names the event, holds the time or the level is the
//! spec's business, not the reader's.

use crate::error::ReadError;
use crate::fields::{Field, RecordHead};
use crate::json::flatten_object;

pub(crate) fn read<'a>(
    line: &'a str,
    out: &mut Vec<Field<'a>>,
) -> Result<Option<RecordHead<'a>>, ReadError> {
    flatten_object(line, 0..line.len(), false, out)?;
    Ok(Some(RecordHead::default()))
}

/// Shape check for [`detect`](crate::detect): an object that closes on
/// the same line.
pub(crate) fn looks_like(line: &str) -> bool {
    let trimmed = line.trim();
    trimmed.starts_with('{') && trimmed.ends_with('}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ReadErrorKind;
    use crate::fields::JsonKind;

    #[test]
    fn a_line_is_a_record() {
        let line = r#"{"event":"command_blocked","run_id":"r","reason":"deny:\\b(rm)","ts":"2025-01-15T14:32:00"}"#;
        let mut out = Vec::new();
        read(line, &mut out).expect("valid");
        let reason = &out[2];
        assert_eq!((&*reason.key, &*reason.value), ("reason", "deny:\\b(rm)"));
        assert_eq!(reason.json, Some(JsonKind::String));
    }

    #[test]
    fn truncated_and_non_object_lines_are_errors() {
        let mut out = Vec::new();
        let error = read(r#"{"event":"command_exec"#, &mut out).expect_err("truncated");
        assert_eq!(error.column, 10);
        let error = read("\"just a string\"", &mut out).expect_err("not an object");
        assert_eq!(error.kind, ReadErrorKind::ExpectedJsonObject);
        let error = read("{\"a\":1}{\"b\":2}", &mut out).expect_err("two objects");
        assert_eq!((error.column, error.kind), (8, ReadErrorKind::TrailingText));
    }

    #[test]
    fn shape() {
        assert!(looks_like(r#"  {"a":1} "#));
        assert!(!looks_like("{"));
        assert!(!looks_like("ACTION=x"));
    }
}
