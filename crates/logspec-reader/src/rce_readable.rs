//! RCE's readable event log (`events-readable.log`): one block per event,
//! blocks separated by an empty line, a session opened by a line of dashes.
//!
//! ```text
//! Incoming Connection Accepted
//!   Event time:      2026-03-01T10:00:00.123
//!   Connection id:   c-17
//! ```
//!
//! The first line is the event type's title (the record's event, as
//! written); every further line is indented and holds `Title: value`, the
//! title padded so values align. Fields are named by their titles: the
//! spec's per-format names map them to attribute ids. Values run to the end
//! of the line and may hold colons (paths, times, IPv6 addresses).

use crate::error::{ReadError, ReadErrorKind};
use crate::fields::{Field, RecordHead};
use std::borrow::Cow;

pub(crate) fn read<'a>(
    text: &'a str,
    out: &mut Vec<Field<'a>>,
) -> Result<Option<RecordHead<'a>>, ReadError> {
    let mut lines = line_ranges(text);
    let Some(title) = lines.next() else {
        return Err(ReadError::at(
            0,
            ReadErrorKind::Layout {
                part: "an event title",
            },
        ));
    };
    let title_text = &text[title.clone()];
    if title_text.trim().is_empty() || title_text.starts_with([' ', '\t']) {
        return Err(ReadError::at(
            title.start,
            ReadErrorKind::Layout {
                part: "an event title at the start of the block, not indented",
            },
        ));
    }
    let event = Field {
        key: Cow::Borrowed(""),
        value: Cow::Borrowed(title_text.trim_end()),
        json: None,
        key_span: None,
        value_span: Some(title.start..title.start + title_text.trim_end().len()),
    };
    for range in lines {
        let line = &text[range.clone()];
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if indent == 0 {
            return Err(ReadError::at(
                range.start,
                ReadErrorKind::Layout {
                    part: "an indented 'Title: value' line (or an empty line ending the event)",
                },
            ));
        }
        let Some(colon) = line.find(':') else {
            return Err(ReadError::at(
                range.end,
                ReadErrorKind::Layout {
                    part: "':' after the attribute title",
                },
            ));
        };
        let key = line[indent..colon].trim_end();
        if key.is_empty() {
            return Err(ReadError::at(
                range.start + indent,
                ReadErrorKind::Layout {
                    part: "an attribute title before ':'",
                },
            ));
        }
        let after = &line[colon + 1..];
        let value_start = colon + 1 + (after.len() - after.trim_start_matches([' ', '\t']).len());
        out.push(Field::text(
            text,
            range.start + indent..range.start + indent + key.len(),
            range.start + value_start..range.end,
        ));
    }
    Ok(Some(RecordHead {
        envelope: Default::default(),
        event: Some(event),
    }))
}

/// Byte ranges of the lines of `text` (split on `\n`).
fn line_ranges(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut start = 0;
    text.split('\n').map(move |line| {
        let range = start..start + line.len();
        start = range.end + 1;
        range
    })
}

/// A session separator: a line of dashes.
pub(crate) fn is_separator(line: &str) -> bool {
    let line = line.trim();
    line.len() >= 3 && line.bytes().all(|b| b == b'-')
}

/// Shape check for [`detect`](crate::detect): a session separator, or a
/// title (unindented words, no `:` or `=`, not JSON).
pub(crate) fn looks_like(line: &str) -> bool {
    is_separator(line)
        || (line.starts_with(|c: char| c.is_ascii_alphabetic()) && !line.contains([':', '=', '{']))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOCK: &str = "Incoming Connection Accepted\n  Event time:       2026-03-01T10:00:00.123\n  Connection id:    c-17\n  Remote IP address: ::1\n\tEmpty:";

    #[test]
    fn a_block_is_a_title_and_attributes() {
        let mut out = Vec::new();
        let head = read(BLOCK, &mut out).expect("valid").expect("a record");
        assert_eq!(
            head.event.map(|e| e.value),
            Some(Cow::Borrowed("Incoming Connection Accepted"))
        );
        let fields: Vec<(&str, &str)> = out.iter().map(|f| (&*f.key, &*f.value)).collect();
        assert_eq!(
            fields,
            vec![
                ("Event time", "2026-03-01T10:00:00.123"),
                ("Connection id", "c-17"),
                ("Remote IP address", "::1"),
                ("Empty", ""),
            ]
        );
        let span = out[1].key_span.clone().expect("placed");
        assert_eq!(&BLOCK[span], "Connection id");
    }

    #[test]
    fn malformed_lines_are_located() {
        let at = |text: &str| read(text, &mut Vec::new()).expect_err(text).column;
        assert_eq!(at("  Indented title"), 1);
        assert_eq!(at("Title\nnot indented: x"), 7);
        assert_eq!(at("Title\n  no colon"), 17);
        assert_eq!(at("Title\n  : x"), 9);
    }

    #[test]
    fn shapes() {
        assert!(is_separator("--------------------"));
        assert!(!is_separator("--"));
        assert!(looks_like("Application Starting"));
        assert!(looks_like("-----"));
        assert!(!looks_like("{\"_t\":\"x\"}"));
        assert!(!looks_like("  Event time: x"));
    }
}
