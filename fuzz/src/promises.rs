//! What the readers promise on any input, as assertions the targets share:
//! errors point inside the text, payload offsets and pair spans really
//! locate what they claim, and a parsed payload written back out parses to
//! the same pairs.

use crate::render;
use logspec_reader::{detect, parse_pairs, parse_pairs_into, read_envelope, Format, Pair};

/// Reads `line` as `format` and holds the result to the reader's promises.
pub fn check_line(format: Format, line: &str) {
    match read_envelope(format, line) {
        Err(error) => assert!(
            (1..=line.len() + 1).contains(&error.column),
            "{format} {line:?}: column {} outside the line",
            error.column
        ),
        Ok(framed) => {
            if let Some(offset) = framed.payload_offset {
                let end = offset + framed.payload.len();
                assert_eq!(
                    line.get(offset..end),
                    Some(&*framed.payload),
                    "{format} {line:?}: payload_offset {offset} does not locate the payload"
                );
            }
            if matches!(format, Format::Rfc3164 | Format::Rfc5424 | Format::Bare) {
                assert!(
                    framed
                        .payload_offset
                        .map(|offset| offset + framed.payload.len())
                        == Some(line.len()),
                    "{format} {line:?}: the payload is not the rest of the line"
                );
            }
            // A line a reader accepts is one detection recognises as its
            // format, so `--format auto` reads it as `--format` would.
            if format != Format::Bare {
                assert_eq!(
                    detect(line, &[format, Format::Bare]),
                    Some(format),
                    "{line:?} reads as {format} but is not detected as it"
                );
            }
            check_payload(&framed.payload);
        }
    }
}

/// Parses `payload` as key=value pairs and holds the result to the
/// parser's promises; returns the pairs when there are any.
pub fn check_payload(payload: &str) -> Option<Vec<Pair<'_>>> {
    let mut reused = vec![Pair {
        key: "stale",
        value: "stale".into(),
        key_span: 0..0,
        value_span: 0..0,
        quoted: false,
    }];
    let into = parse_pairs_into(payload, &mut reused);
    match parse_pairs(payload) {
        Err(error) => {
            assert_eq!(into, Err(error.clone()), "{payload:?}");
            assert!(
                (1..=payload.len() + 1).contains(&error.column),
                "{payload:?}: column {} outside the payload",
                error.column
            );
            None
        }
        Ok(pairs) => {
            assert!(into.is_ok(), "{payload:?}");
            assert_eq!(reused, pairs, "{payload:?}: parse_pairs_into differs");
            let mut last_end = 0;
            for pair in &pairs {
                assert!(!pair.key.is_empty(), "{payload:?}: empty key");
                assert!(
                    pair.key_span.start >= last_end,
                    "{payload:?}: spans overlap"
                );
                assert_eq!(payload.get(pair.key_span.clone()), Some(pair.key));
                assert_eq!(pair.key_span.end + 1, pair.value_span.start);
                let written = payload
                    .get(pair.value_span.clone())
                    .unwrap_or_else(|| panic!("{payload:?}: value span off char boundaries"));
                if pair.quoted {
                    assert!(
                        written.len() >= 2 && written.starts_with('"') && written.ends_with('"'),
                        "{payload:?}: quoted value span {written:?}"
                    );
                } else {
                    assert_eq!(written, pair.value, "{payload:?}");
                }
                last_end = pair.value_span.end;
            }
            // Written back out canonically, the pairs read the same.
            let kv: Vec<(&str, &str)> = pairs.iter().map(|p| (p.key, &*p.value)).collect();
            let rendered = render::payload(&kv);
            let again = parse_pairs(&rendered)
                .unwrap_or_else(|e| panic!("{payload:?} rendered as {rendered:?}: {e}"));
            let again: Vec<(&str, &str)> = again.iter().map(|p| (p.key, &*p.value)).collect();
            assert_eq!(again, kv, "{payload:?} rendered as {rendered:?}");
            Some(pairs)
        }
    }
}
