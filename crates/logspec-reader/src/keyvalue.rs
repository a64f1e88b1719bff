//! `KEY=value` payloads as ctrl-exec writes them:
//! `ACTION=ping TARGET=web-01:7443 ERROR="read timeout after 60s" RTT=60001ms`.
//!
//! Values are bare (up to the next whitespace), double-quoted, or empty.
//! Producers do not all escape quotes inside quoted values, so a `"` only
//! closes a value where the rest of the payload carries on as pairs would:
//! at the end, or before whitespace and then `KEY=` or nothing.

use std::borrow::Cow;
use std::ops::Range;

use crate::error::{ReadError, ReadErrorKind};

/// One `KEY=value` pair, borrowed from the payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair<'a> {
    /// The key, never empty.
    pub key: &'a str,
    /// The value without its quotes, `\"` and `\\` unescaped: borrowed unless
    /// there was an escape to undo.
    pub value: Cow<'a, str>,
    /// Byte range of the key in the payload.
    pub key_span: Range<usize>,
    /// Byte range of the value in the payload, quotes included if quoted
    /// (empty, just after the `=`, for an empty value).
    pub value_span: Range<usize>,
    /// The value was double-quoted.
    pub quoted: bool,
}

/// Parse a key=value payload. Duplicate keys are returned as they appear
/// (the caller reports them). Columns in errors are 1-based byte columns of
/// the payload.
pub fn parse_pairs(payload: &str) -> Result<Vec<Pair<'_>>, ReadError> {
    let mut pairs = Vec::new();
    parse_pairs_into(payload, &mut pairs)?;
    Ok(pairs)
}

/// [`parse_pairs`] into a caller's `Vec`, so a loop over lines can reuse one
/// allocation. `out` is cleared first; on error it holds the pairs before the
/// problem.
pub fn parse_pairs_into<'a>(payload: &'a str, out: &mut Vec<Pair<'a>>) -> Result<(), ReadError> {
    out.clear();
    let bytes = payload.as_bytes();
    let mut pos = skip_whitespace(bytes, 0);
    while pos < bytes.len() {
        let key_start = pos;
        let key_end = key_run_end(bytes, key_start);
        match bytes.get(key_end) {
            Some(b'=') if key_end == key_start => {
                return Err(ReadError::at(key_end, ReadErrorKind::EmptyKey))
            }
            Some(b'=') => {}
            Some(b'"') => return Err(ReadError::at(key_end, ReadErrorKind::QuoteInKey)),
            _ => return Err(ReadError::at(key_start, ReadErrorKind::MissingEquals)),
        }
        let value_start = key_end + 1;
        let (value, value_end, quoted) = if bytes.get(value_start) == Some(&b'"') {
            let (value, end) = quoted_value(payload, value_start)?;
            (value, end, true)
        } else {
            let end = whitespace_or_end(bytes, value_start);
            (Cow::Borrowed(slice(payload, value_start..end)), end, false)
        };
        out.push(Pair {
            key: slice(payload, key_start..key_end),
            value,
            key_span: key_start..key_end,
            value_span: value_start..value_end,
            quoted,
        });
        pos = skip_whitespace(bytes, value_end);
    }
    Ok(())
}

fn is_whitespace(byte: u8) -> bool {
    byte == b' ' || byte == b'\t'
}

fn skip_whitespace(bytes: &[u8], from: usize) -> usize {
    let rest = bytes.get(from..).unwrap_or_default();
    from + rest.iter().take_while(|&&b| is_whitespace(b)).count()
}

fn whitespace_or_end(bytes: &[u8], from: usize) -> usize {
    let rest = bytes.get(from..).unwrap_or_default();
    from + memchr::memchr2(b' ', b'\t', rest).unwrap_or(rest.len())
}

/// End of a run of key bytes: anything but whitespace, `=` and `"`.
fn key_run_end(bytes: &[u8], from: usize) -> usize {
    let rest = bytes.get(from..).unwrap_or_default();
    from + rest
        .iter()
        .take_while(|&&b| !is_whitespace(b) && b != b'=' && b != b'"')
        .count()
}

/// Every range cut here ends at an ASCII delimiter or the end, so it is on
/// char boundaries; `get` keeps a mistake from panicking all the same.
fn slice(payload: &str, range: Range<usize>) -> &str {
    payload.get(range).unwrap_or_default()
}

/// The value whose opening quote is at `open`, and the offset just past its
/// closing quote.
fn quoted_value(payload: &str, open: usize) -> Result<(Cow<'_, str>, usize), ReadError> {
    let bytes = payload.as_bytes();
    let body = open + 1;
    let mut pos = body;
    let mut escaped = false;
    // The last quote followed by whitespace that the look-ahead turned down:
    // if nothing better closes the value, it does (with whether an escape
    // came before it).
    let mut fallback = None;
    while let Some(found) = memchr::memchr2(b'"', b'\\', bytes.get(pos..).unwrap_or_default()) {
        let at = pos + found;
        if bytes.get(at) == Some(&b'\\') {
            if matches!(bytes.get(at + 1), Some(b'"' | b'\\')) {
                escaped = true;
                pos = at + 2;
            } else {
                pos = at + 1;
            }
            continue;
        }
        match closing(bytes, at + 1) {
            Closing::Yes => return Ok((unescape(slice(payload, body..at), escaped), at + 1)),
            Closing::Maybe => fallback = Some((at, escaped)),
            Closing::No => {}
        }
        pos = at + 1;
    }
    match fallback {
        Some((at, escaped)) => Ok((unescape(slice(payload, body..at), escaped), at + 1)),
        None => Err(ReadError::at(open, ReadErrorKind::UnterminatedQuote)),
    }
}

enum Closing {
    /// End of payload, or whitespace then `KEY=` or nothing.
    Yes,
    /// Whitespace then something that is not a pair.
    Maybe,
    /// Glued to what follows: part of the value.
    No,
}

/// Whether a quote just before `after` closes its value.
fn closing(bytes: &[u8], after: usize) -> Closing {
    match bytes.get(after) {
        None => return Closing::Yes,
        Some(&b) if !is_whitespace(b) => return Closing::No,
        Some(_) => {}
    }
    let next = skip_whitespace(bytes, after);
    if next >= bytes.len() {
        return Closing::Yes;
    }
    let key_end = key_run_end(bytes, next);
    if key_end > next && bytes.get(key_end) == Some(&b'=') {
        Closing::Yes
    } else {
        Closing::Maybe
    }
}

/// Undoes `\"` and `\\`; any other backslash is kept as written.
fn unescape(raw: &str, escaped: bool) -> Cow<'_, str> {
    if !escaped {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            let rest = chars.as_str();
            if let Some(next @ ('"' | '\\')) = rest.chars().next() {
                out.push(next);
                chars.next();
                continue;
            }
        }
        out.push(c);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (key, value, quoted) of every pair.
    fn pairs(payload: &str) -> Vec<(&str, String, bool)> {
        let pairs = parse_pairs(payload).unwrap_or_else(|e| panic!("{payload:?}: {e}"));
        for pair in &pairs {
            assert_eq!(&payload[pair.key_span.clone()], pair.key);
            let written = &payload[pair.value_span.clone()];
            if pair.quoted {
                assert!(written.starts_with('"') && written.ends_with('"') && written.len() >= 2);
            } else {
                assert_eq!(written, pair.value);
            }
        }
        pairs
            .into_iter()
            .map(|p| (p.key, p.value.into_owned(), p.quoted))
            .collect()
    }

    fn err(payload: &str) -> (usize, ReadErrorKind) {
        let e = parse_pairs(payload).expect_err(payload);
        (e.column, e.kind)
    }

    #[test]
    fn ctrl_exec_payload() {
        assert_eq!(
            pairs(r#"ACTION=ping TARGET=web-01:7443 ERROR="read timeout after 60s" RTT=60001ms"#),
            vec![
                ("ACTION", "ping".to_owned(), false),
                ("TARGET", "web-01:7443".to_owned(), false),
                ("ERROR", "read timeout after 60s".to_owned(), true),
                ("RTT", "60001ms".to_owned(), false),
            ]
        );
    }

    #[test]
    fn spans_point_into_the_payload() {
        let parsed = parse_pairs(r#"A=1 B="x y" C="#).expect("valid");
        let spans: Vec<_> = parsed
            .iter()
            .map(|p| (p.key_span.clone(), p.value_span.clone()))
            .collect();
        assert_eq!(spans, vec![(0..1, 2..3), (4..5, 6..11), (12..13, 14..14)]);
    }

    #[test]
    fn values_may_hold_equals_signs_colons_and_spaces() {
        assert_eq!(
            pairs(r#"URL=http://h/?a=b&c=d Q="x = y""#),
            vec![
                ("URL", "http://h/?a=b&c=d".to_owned(), false),
                ("Q", "x = y".to_owned(), true),
            ]
        );
    }

    #[test]
    fn empty_values() {
        assert_eq!(
            pairs(r#"A= B="" C="#),
            vec![
                ("A", String::new(), false),
                ("B", String::new(), true),
                ("C", String::new(), false),
            ]
        );
    }

    #[test]
    fn escaped_quotes_and_backslashes() {
        let parsed = parse_pairs(r#"MSG="say \"hi\" to C:\\dir\n" N=1"#).expect("valid");
        assert_eq!(parsed[0].value, r#"say "hi" to C:\dir\n"#);
        assert!(matches!(parsed[0].value, Cow::Owned(_)));
        assert!(matches!(parsed[1].value, Cow::Borrowed(_)));
        // An escaped quote never closes, even where a closing one could.
        assert_eq!(
            pairs(r#"A="x\" B=1""#),
            vec![("A", r#"x" B=1"#.to_owned(), true)]
        );
    }

    #[test]
    fn unescaped_inner_quotes_are_read_sensibly() {
        assert_eq!(
            pairs(r#"MSG="he said "hi" there" NEXT=1"#),
            vec![
                ("MSG", r#"he said "hi" there"#.to_owned(), true),
                ("NEXT", "1".to_owned(), false),
            ]
        );
        assert_eq!(
            pairs(r#"MSG="ends with "quote"""#),
            vec![("MSG", r#"ends with "quote""#.to_owned(), true)]
        );
        assert_eq!(
            pairs(r#"MSG="a "b" c"   "#),
            vec![("MSG", r#"a "b" c"#.to_owned(), true)]
        );
    }

    #[test]
    fn duplicate_keys_come_back_in_order() {
        assert_eq!(
            pairs("A=1 B=2 A=3"),
            vec![
                ("A", "1".to_owned(), false),
                ("B", "2".to_owned(), false),
                ("A", "3".to_owned(), false),
            ]
        );
    }

    #[test]
    fn whitespace_between_and_around_pairs() {
        assert_eq!(
            pairs(" \tA=1  \t B=\"x\ty\"\t C=3   "),
            vec![
                ("A", "1".to_owned(), false),
                ("B", "x\ty".to_owned(), true),
                ("C", "3".to_owned(), false),
            ]
        );
        assert_eq!(pairs(""), vec![]);
        assert_eq!(pairs(" \t "), vec![]);
    }

    #[test]
    fn non_ascii_keys_and_values() {
        assert_eq!(
            pairs(r#"NAMÉ=café MSG="日本 語""#),
            vec![
                ("NAMÉ", "café".to_owned(), false),
                ("MSG", "日本 語".to_owned(), true),
            ]
        );
    }

    #[test]
    fn unterminated_quote_points_at_the_opening_quote() {
        assert_eq!(
            err(r#"A=1 MSG="no end"#),
            (9, ReadErrorKind::UnterminatedQuote)
        );
        assert_eq!(err(r#"A=""#), (3, ReadErrorKind::UnterminatedQuote));
        assert_eq!(err(r#"A="x\""#), (3, ReadErrorKind::UnterminatedQuote));
        // A quote glued to more text closes nothing.
        assert_eq!(err(r#"A="x"y"#), (3, ReadErrorKind::UnterminatedQuote));
    }

    #[test]
    fn a_closing_quote_before_a_stray_word_still_closes() {
        // Rather than an unterminated quote, the stray word is the problem.
        assert_eq!(err(r#"A="x" y"#), (7, ReadErrorKind::MissingEquals));
    }

    #[test]
    fn word_without_equals() {
        assert_eq!(err("A=1 oops B=2"), (5, ReadErrorKind::MissingEquals));
        assert_eq!(err("oops"), (1, ReadErrorKind::MissingEquals));
    }

    #[test]
    fn empty_key() {
        assert_eq!(err("A=1 =2"), (5, ReadErrorKind::EmptyKey));
        assert_eq!(err("="), (1, ReadErrorKind::EmptyKey));
    }

    #[test]
    fn quote_in_key() {
        assert_eq!(err(r#"A"B=1"#), (2, ReadErrorKind::QuoteInKey));
        assert_eq!(err(r#""A"=1"#), (1, ReadErrorKind::QuoteInKey));
    }

    #[test]
    fn pairs_before_an_error_are_kept_and_the_vec_is_reused() {
        let mut out = Vec::new();
        let e = parse_pairs_into("A=1 B=2 oops", &mut out).expect_err("oops has no =");
        assert_eq!(e.column, 9);
        assert_eq!(out.iter().map(|p| p.key).collect::<Vec<_>>(), ["A", "B"]);
        parse_pairs_into("C=3", &mut out).expect("valid");
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].key, "C");
    }

    /// Odd payloads, each with the verdict the rules above give it.
    #[test]
    fn odd_payloads_get_their_verdicts() {
        // A quote where a key starts, a key without `=`, an empty key.
        assert_eq!(err("\""), (1, ReadErrorKind::QuoteInKey));
        assert_eq!(err(r#"""="""#), (1, ReadErrorKind::QuoteInKey));
        assert_eq!(err("\\"), (1, ReadErrorKind::MissingEquals));
        assert_eq!(err("=\""), (1, ReadErrorKind::EmptyKey));
        // A backslash at the end escapes nothing; an escaped quote closes
        // nothing: the value is unterminated, located at its quote.
        assert_eq!(err(r#"A="\"#), (3, ReadErrorKind::UnterminatedQuote));
        assert_eq!(err(r#"A="\""#), (3, ReadErrorKind::UnterminatedQuote));
        // Any non-whitespace is a key byte, NUL a value byte.
        assert_eq!(
            pairs("\u{FFFD}=\u{0}"),
            vec![("\u{FFFD}", "\u{0}".to_owned(), false)]
        );
        // The middle quote is followed by ` "`, not a pair: it does not
        // close; the last one, at the end, does.
        assert_eq!(pairs(r#"A=" " ""#), vec![("A", r#" " "#.to_owned(), true)]);
    }
}
