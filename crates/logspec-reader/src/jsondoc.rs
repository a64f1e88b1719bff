//! A single JSON document: the whole file is one record, pretty-printed
//! or not (Agent Hub's `runs/{run_id}/record.json`, an HTTP body saved to
//! a file).
//!
//! The record's text is every line of the input joined with `\n`; the
//! framing that collects it caps its size.

use crate::error::ReadError;
use crate::fields::{Field, RecordHead};
use crate::json::flatten_object;

pub(crate) fn read<'a>(
    text: &'a str,
    out: &mut Vec<Field<'a>>,
) -> Result<Option<RecordHead<'a>>, ReadError> {
    flatten_object(text, 0..text.len(), false, out)?;
    Ok(Some(RecordHead::default()))
}

/// Shape check for [`detect`](crate::detect): the document opens an object.
pub(crate) fn looks_like(line: &str) -> bool {
    line.trim_start().starts_with('{')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_printed_document() {
        let text = "{\n\"run_id\": \"r\",\n\"cwd\": \"C:\\\\provara\",\n\"ts\": 1705329082.456\n}";
        let mut out = Vec::new();
        read(text, &mut out).expect("valid");
        assert_eq!(out[1].value, "C:\\provara");
        assert_eq!(out[2].value, "1705329082.456");
        assert_eq!(
            &text[out[2].value_span.clone().expect("placed")],
            "1705329082.456"
        );
    }

    #[test]
    fn a_document_cut_short_is_an_error_at_its_end() {
        let text = "{\n\"run_id\": \"r\",\n";
        let error = read(text, &mut Vec::new()).expect_err("truncated");
        assert_eq!(error.column, text.len() + 1);
    }
}
