//! The JSON reading the JSON formats share: one object, flattened into
//! fields with their places in the text.
//!
//! Written here rather than taken from serde_json because a conformance
//! check needs what a JSON value type throws away: where each key and value
//! sits (findings point at them), every member even when a key repeats (a
//! duplicate is a finding, not last-one-wins), and the JSON type of each
//! value. Nested objects become dotted paths (`{"actor":{"ip":…}}` is the
//! field `actor.ip`); arrays stay whole, as their JSON text. Recursion is
//! bounded, so no input can exhaust the stack.

use std::borrow::Cow;
use std::ops::Range;

use crate::error::{ReadError, ReadErrorKind};
use crate::fields::{Field, JsonKind};
use crate::instant::format_epoch_millis;

/// Deepest nesting of objects and arrays followed.
pub(crate) const MAX_DEPTH: usize = 64;

/// Reads the JSON object in `text[within]` and appends its fields to
/// `out`. Only whitespace may surround the object. With `extended`,
/// MongoDB Extended JSON wrappers (`$oid`, `$date`, `$numberLong`, …) are
/// read as the scalars they stand for.
pub(crate) fn flatten_object<'a>(
    text: &'a str,
    within: Range<usize>,
    extended: bool,
    out: &mut Vec<Field<'a>>,
) -> Result<(), ReadError> {
    let end = within.end.min(text.len());
    let mut parser = Parser {
        text: text.get(..end).unwrap_or_default(),
        pos: within.start,
        extended,
    };
    parser.skip_whitespace();
    if parser.peek() != Some(b'{') {
        return Err(parser.error_here(ReadErrorKind::ExpectedJsonObject));
    }
    parser.object(None, out, 1)?;
    parser.skip_whitespace();
    if parser.pos < end {
        return Err(parser.error_here(ReadErrorKind::TrailingText));
    }
    Ok(())
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    extended: bool,
}

/// A member's path: its key, or `parent.key` below the top level.
fn path<'a>(parent: Option<&str>, key: Cow<'a, str>) -> Cow<'a, str> {
    match parent {
        None => key,
        Some(parent) => Cow::Owned(format!("{parent}.{key}")),
    }
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn error_here(&self, kind: ReadErrorKind) -> ReadError {
        ReadError::at(self.pos, kind)
    }

    fn syntax(&self, reason: &'static str) -> ReadError {
        self.error_here(ReadErrorKind::Json { reason })
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    /// The object at `pos` (its `{`), members flattened under `parent`.
    /// Returns whether it had members.
    fn object(
        &mut self,
        parent: Option<&str>,
        out: &mut Vec<Field<'a>>,
        depth: usize,
    ) -> Result<bool, ReadError> {
        if depth > MAX_DEPTH {
            return Err(self.error_here(ReadErrorKind::JsonTooDeep { max: MAX_DEPTH }));
        }
        self.pos += 1; // '{'
        self.skip_whitespace();
        if self.eat(b'}') {
            return Ok(false);
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.syntax("expected a member name in double quotes"));
            }
            let (key, key_span) = self.string()?;
            self.skip_whitespace();
            if !self.eat(b':') {
                return Err(self.syntax("expected ':' after the member name"));
            }
            self.skip_whitespace();
            let key = path(parent, key);
            self.value(key, key_span, out, depth)?;
            self.skip_whitespace();
            if self.eat(b',') {
                continue;
            }
            if self.eat(b'}') {
                return Ok(true);
            }
            return Err(self.syntax("expected ',' or '}' after a member"));
        }
    }

    /// The value at `pos`, appended as the field `key` (or, for an object,
    /// as its members below `key`).
    fn value(
        &mut self,
        key: Cow<'a, str>,
        key_span: Range<usize>,
        out: &mut Vec<Field<'a>>,
        depth: usize,
    ) -> Result<(), ReadError> {
        let start = self.pos;
        let (value, json) = match self.peek() {
            Some(b'{') => {
                let mark = out.len();
                let had_members = self.object(Some(&key), out, depth + 1)?;
                let span = start..self.pos;
                if had_members {
                    if self.extended {
                        collapse_wrapper(&key, key_span, span, out, mark);
                    }
                    return Ok(());
                }
                (Cow::Borrowed(self.slice(span)), JsonKind::Object)
            }
            Some(b'[') => {
                self.skip_array(depth + 1)?;
                (Cow::Borrowed(self.slice(start..self.pos)), JsonKind::Array)
            }
            Some(b'"') => {
                let (text, _) = self.string()?;
                (text, JsonKind::String)
            }
            Some(b'-' | b'0'..=b'9') => {
                self.number()?;
                (Cow::Borrowed(self.slice(start..self.pos)), JsonKind::Number)
            }
            Some(b't') => self.literal("true", JsonKind::Boolean)?,
            Some(b'f') => self.literal("false", JsonKind::Boolean)?,
            Some(b'n') => {
                self.literal("null", JsonKind::Null)?;
                (Cow::Borrowed(""), JsonKind::Null)
            }
            _ => return Err(self.syntax("expected a value")),
        };
        out.push(Field {
            key,
            value,
            json: Some(json),
            key_span: Some(key_span),
            value_span: Some(start..self.pos),
        });
        Ok(())
    }

    fn slice(&self, range: Range<usize>) -> &'a str {
        self.text.get(range).unwrap_or_default()
    }

    fn literal(
        &mut self,
        word: &'static str,
        kind: JsonKind,
    ) -> Result<(Cow<'a, str>, JsonKind), ReadError> {
        let rest = self.text.get(self.pos..).unwrap_or_default();
        if rest.starts_with(word) {
            self.pos += word.len();
            Ok((Cow::Borrowed(word), kind))
        } else {
            Err(self.syntax("expected a value (true, false and null are lowercase)"))
        }
    }

    /// Skips a whole array, checking its syntax.
    fn skip_array(&mut self, depth: usize) -> Result<(), ReadError> {
        if depth > MAX_DEPTH {
            return Err(self.error_here(ReadErrorKind::JsonTooDeep { max: MAX_DEPTH }));
        }
        self.pos += 1; // '['
        self.skip_whitespace();
        if self.eat(b']') {
            return Ok(());
        }
        loop {
            self.skip_whitespace();
            self.skip_value(depth)?;
            self.skip_whitespace();
            if self.eat(b',') {
                continue;
            }
            if self.eat(b']') {
                return Ok(());
            }
            return Err(self.syntax("expected ',' or ']' after an element"));
        }
    }

    /// Skips one value inside an array.
    fn skip_value(&mut self, depth: usize) -> Result<(), ReadError> {
        match self.peek() {
            Some(b'[') => self.skip_array(depth + 1),
            Some(b'{') => {
                // An object in an array is kept whole with the array, so
                // its members are read into a buffer that is dropped.
                let mut discard = Vec::new();
                self.object(Some(""), &mut discard, depth + 1).map(|_| ())
            }
            Some(b'"') => self.string().map(|_| ()),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true", JsonKind::Boolean).map(|_| ()),
            Some(b'f') => self.literal("false", JsonKind::Boolean).map(|_| ()),
            Some(b'n') => self.literal("null", JsonKind::Null).map(|_| ()),
            _ => Err(self.syntax("expected a value")),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Result<(), ReadError> {
        self.eat(b'-');
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if self.peek().is_some_and(|b| b.is_ascii_digit()) {
                    return Err(self.syntax("a number cannot have a leading zero"));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.syntax("expected digits in the number")),
        }
        if self.eat(b'.') && self.digits() == 0 {
            return Err(self.syntax("expected digits after the decimal point"));
        }
        if self.eat(b'e') || self.eat(b'E') {
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if self.digits() == 0 {
                return Err(self.syntax("expected digits in the exponent"));
            }
        }
        Ok(())
    }

    /// The string at `pos` (its opening quote): its text with escapes
    /// undone (borrowed when it has none) and the span of its content.
    fn string(&mut self) -> Result<(Cow<'a, str>, Range<usize>), ReadError> {
        self.pos += 1; // '"'
        let start = self.pos;
        let bytes = self.text.as_bytes();
        let mut owned: Option<String> = None;
        let mut run_start = start;
        loop {
            self.pos = next_special(bytes, self.pos);
            let Some(&byte) = bytes.get(self.pos) else {
                return Err(ReadError::at(
                    start.saturating_sub(1),
                    ReadErrorKind::Json {
                        reason: "string has no closing '\"'",
                    },
                ));
            };
            match byte {
                b'"' => {
                    let span = start..self.pos;
                    let run = self.slice(run_start..self.pos);
                    self.pos += 1;
                    return Ok(match owned {
                        None => (Cow::Borrowed(run), span),
                        Some(mut text) => {
                            text.push_str(run);
                            (Cow::Owned(text), span)
                        }
                    });
                }
                0x00..=0x1f => {
                    return Err(self.syntax("control character in a string (it must be escaped)"))
                }
                // `next_special` stops at nothing else: a backslash.
                _ => {
                    let text = owned.get_or_insert_with(String::new);
                    text.push_str(self.slice(run_start..self.pos));
                    self.escape(text)?;
                    run_start = self.pos;
                }
            }
        }
    }

    /// The escape at `pos` (its backslash), appended to `text`.
    fn escape(&mut self, text: &mut String) -> Result<(), ReadError> {
        let at = self.pos;
        let code = self.text.as_bytes().get(at + 1).copied();
        self.pos += 2;
        let simple = match code {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let first = self.hex4(at)?;
                let character = match first {
                    0xD800..=0xDBFF => {
                        let rest = self.text.get(self.pos..).unwrap_or_default();
                        if !rest.starts_with("\\u") {
                            return Err(lone_surrogate(at));
                        }
                        self.pos += 2;
                        let second = self.hex4(at)?;
                        if !(0xDC00..=0xDFFF).contains(&second) {
                            return Err(lone_surrogate(at));
                        }
                        0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                    }
                    0xDC00..=0xDFFF => return Err(lone_surrogate(at)),
                    scalar => scalar,
                };
                char::from_u32(character).ok_or_else(|| lone_surrogate(at))?
            }
            _ => {
                return Err(ReadError::at(
                    at,
                    ReadErrorKind::Json {
                        reason: "unknown escape (use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)",
                    },
                ))
            }
        };
        text.push(simple);
        Ok(())
    }

    /// Four hex digits at `pos`, for the `\u` escape at `escape`.
    fn hex4(&mut self, escape: usize) -> Result<u32, ReadError> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|digits| digits.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| {
                ReadError::at(
                    escape,
                    ReadErrorKind::Json {
                        reason: "\\u must be followed by four hex digits",
                    },
                )
            })?;
        self.pos += 4;
        u32::from_str_radix(digits, 16).map_err(|_| lone_surrogate(escape))
    }
}

fn lone_surrogate(at: usize) -> ReadError {
    ReadError::at(
        at,
        ReadErrorKind::Json {
            reason: "\\u escape is half of a surrogate pair",
        },
    )
}

/// Replaces the members an Extended JSON wrapper object at `key` was read
/// into (`out[mark..]`) by the one scalar it stands for: `{"$oid": "…"}`
/// is an object id, `{"$date": …}` a date (a canonical millisecond count
/// is rewritten as the ISO 8601 time it denotes, so both modes check the
/// same), `{"$numberLong": "…"}` and its siblings a number. Anything else
/// stays as read.
fn collapse_wrapper<'a>(
    key: &str,
    key_span: Range<usize>,
    span: Range<usize>,
    out: &mut Vec<Field<'a>>,
    mark: usize,
) {
    let [member] = out.get(mark..).unwrap_or_default() else {
        return;
    };
    let Some(wrapper) = member
        .key
        .strip_prefix(key)
        .and_then(|rest| rest.strip_prefix('.'))
    else {
        return;
    };
    let (value, json) = match (wrapper, member.json) {
        ("$oid", Some(JsonKind::String)) => (member.value.clone(), JsonKind::ObjectId),
        ("$date", Some(JsonKind::String)) => (member.value.clone(), JsonKind::Date),
        ("$date" | "$date.$numberLong", Some(JsonKind::Number | JsonKind::String)) => {
            match member
                .value
                .parse::<i64>()
                .ok()
                .and_then(format_epoch_millis)
            {
                Some(time) => (Cow::Owned(time), JsonKind::Date),
                None => return,
            }
        }
        (
            "$numberLong" | "$numberInt" | "$numberDouble" | "$numberDecimal",
            Some(JsonKind::String),
        ) => (member.value.clone(), JsonKind::Number),
        _ => return,
    };
    out.truncate(mark);
    out.push(Field {
        key: Cow::Owned(key.to_owned()),
        value,
        json: Some(json),
        key_span: Some(key_span),
        value_span: Some(span),
    });
}

/// The first byte at or after `from` a string's scan must stop at: a
/// quote, a backslash or a control character (`bytes.len()` if none).
/// Eight bytes at a time: most strings hold none of them, and with a
/// byte-by-byte loop reading strings was a ninth of all instructions on
/// Hexon's JSON lines (5.6% fewer with this). A word flags its bytes
/// that equal a quote or a backslash (`x ^ pattern` has a zero byte there)
/// or are below 0x20, each by the borrow its subtraction makes; a borrow
/// also flags bytes above a flagged one, so only the lowest flag is
/// trusted, and it is always a true one.
fn next_special(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES << 7;
    const QUOTES: u64 = ONES * b'"' as u64;
    const BACKSLASHES: u64 = ONES * b'\\' as u64;
    const SPACES: u64 = ONES * 0x20;
    let mut at = from;
    while let Some(word) = bytes
        .get(at..at + 8)
        .and_then(|chunk| <[u8; 8]>::try_from(chunk).ok())
    {
        let word = u64::from_le_bytes(word);
        let quote = word ^ QUOTES;
        let backslash = word ^ BACKSLASHES;
        let flagged = ((quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (word.wrapping_sub(SPACES) & !word))
            & HIGH;
        if flagged != 0 {
            return at + flagged.trailing_zeros() as usize / 8;
        }
        at += 8;
    }
    while let Some(&byte) = bytes.get(at) {
        if matches!(byte, b'"' | b'\\' | 0x00..=0x1f) {
            return at;
        }
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str, extended: bool) -> Vec<(String, String, Option<JsonKind>)> {
        let mut out = Vec::new();
        flatten_object(text, 0..text.len(), extended, &mut out)
            .unwrap_or_else(|error| panic!("{text}: {error}"));
        out.into_iter()
            .map(|f| (f.key.into_owned(), f.value.into_owned(), f.json))
            .collect()
    }

    fn error(text: &str) -> (usize, ReadErrorKind) {
        let mut out = Vec::new();
        let error = flatten_object(text, 0..text.len(), true, &mut out).expect_err(text);
        (error.column, error.kind)
    }

    /// `next_special` as the byte by byte scan it replaces.
    fn one_by_one(bytes: &[u8], from: usize) -> usize {
        (from..bytes.len())
            .find(|&at| matches!(bytes[at], b'"' | b'\\' | 0x00..=0x1f))
            .unwrap_or(bytes.len())
    }

    #[test]
    fn the_word_scan_stops_where_the_byte_scan_does() {
        // Every byte value at every place of a word and its tail, then
        // every pair of byte values, the second after the first: a borrow
        // from the first must not move the stop.
        let mut text = [b'a'; 19];
        for at in 0..text.len() {
            for value in 0..=255u8 {
                text[at] = value;
                for from in [0, 1, at] {
                    assert_eq!(
                        next_special(&text, from),
                        one_by_one(&text, from),
                        "{value:#x} at {at} from {from}"
                    );
                }
                text[at] = b'a';
            }
        }
        for first in 0..=255u8 {
            for second in 0..=255u8 {
                for (i, j) in [(0, 1), (2, 3), (6, 7), (7, 8), (3, 9)] {
                    let mut text = [b'a'; 12];
                    text[i] = first;
                    text[j] = second;
                    assert_eq!(
                        next_special(&text, 0),
                        one_by_one(&text, 0),
                        "{first:#x} at {i}, {second:#x} at {j}"
                    );
                }
            }
        }
    }

    fn f(key: &str, value: &str, json: JsonKind) -> (String, String, Option<JsonKind>) {
        (key.to_owned(), value.to_owned(), Some(json))
    }

    #[test]
    fn scalars_nesting_and_arrays() {
        let text = r#" {"a":"x","n":-1.5e3,"t":true,"z":null,"o":{"p":{"q":0}},"e":{},"l":[1,{"k":[]},"s"]} "#;
        assert_eq!(
            fields(text, false),
            vec![
                f("a", "x", JsonKind::String),
                f("n", "-1.5e3", JsonKind::Number),
                f("t", "true", JsonKind::Boolean),
                f("z", "", JsonKind::Null),
                f("o.p.q", "0", JsonKind::Number),
                f("e", "{}", JsonKind::Object),
                f("l", r#"[1,{"k":[]},"s"]"#, JsonKind::Array),
            ]
        );
    }

    #[test]
    fn escapes_and_unicode() {
        let text = r#"{"k\u00e9y":"a\"b\\c\/\n\u00e9\ud83d\ude00é"}"#;
        assert_eq!(
            fields(text, false),
            vec![f("kéy", "a\"b\\c/\né😀é", JsonKind::String)]
        );
    }

    #[test]
    fn spans_locate_keys_and_values() {
        let text = r#"{"run_id": "r1", "n": 42}"#;
        let mut out = Vec::new();
        flatten_object(text, 0..text.len(), false, &mut out).expect("valid");
        assert_eq!(&text[out[0].key_span.clone().expect("placed")], "run_id");
        assert_eq!(&text[out[0].value_span.clone().expect("placed")], "\"r1\"");
        assert_eq!(&text[out[1].value_span.clone().expect("placed")], "42");
    }

    #[test]
    fn duplicate_keys_are_all_kept() {
        assert_eq!(
            fields(r#"{"a":1,"a":2}"#, false),
            vec![f("a", "1", JsonKind::Number), f("a", "2", JsonKind::Number)]
        );
    }

    #[test]
    fn extended_json_relaxed_and_canonical() {
        let relaxed = r#"{"_id":{"$oid":"663e2b1f9c1d4e5f6a7b8c9d"},"createdAt":{"$date":"2026-05-10T14:02:11.453Z"},"n":{"$numberLong":"7"}}"#;
        assert_eq!(
            fields(relaxed, true),
            vec![
                f("_id", "663e2b1f9c1d4e5f6a7b8c9d", JsonKind::ObjectId),
                f("createdAt", "2026-05-10T14:02:11.453Z", JsonKind::Date),
                f("n", "7", JsonKind::Number),
            ]
        );
        let canonical =
            r#"{"createdAt":{"$date":{"$numberLong":"1778421731453"}},"old":{"$date":0}}"#;
        assert_eq!(
            fields(canonical, true),
            vec![
                f("createdAt", "2026-05-10T14:02:11.453Z", JsonKind::Date),
                f("old", "1970-01-01T00:00:00.000Z", JsonKind::Date),
            ]
        );
        // Without `extended`, and for wrappers of the wrong shape, the
        // members stay as written.
        assert_eq!(
            fields(r#"{"_id":{"$oid":"x"}}"#, false),
            vec![f("_id.$oid", "x", JsonKind::String)]
        );
        assert_eq!(
            fields(r#"{"_id":{"$oid":5}}"#, true),
            vec![f("_id.$oid", "5", JsonKind::Number)]
        );
        assert_eq!(
            fields(r#"{"d":{"$date":"x","y":1}}"#, true),
            vec![
                f("d.$date", "x", JsonKind::String),
                f("d.y", "1", JsonKind::Number)
            ]
        );
    }

    #[test]
    fn syntax_errors_are_located() {
        assert_eq!(error("[1]"), (1, ReadErrorKind::ExpectedJsonObject));
        assert_eq!(error(r#"{"a":1"#).0, 7);
        assert_eq!(error(r#"{"a":01}"#).0, 7);
        assert_eq!(error(r#"{"a":1.}"#).0, 8);
        assert_eq!(error(r#"{"a":"x} "#).0, 6);
        assert_eq!(error(r#"{"a":tru}"#).0, 6);
        assert_eq!(error(r#"{a:1}"#).0, 2);
        assert_eq!(error(r#"{"a":"\x"}"#).0, 7);
        assert_eq!(error(r#"{"a":"\ud800"}"#).0, 7);
        assert_eq!(error(r#"{"a":"\udc00"}"#).0, 7);
        assert_eq!(error("{\"a\":\"\t\"}").0, 7);
        assert_eq!(error(r#"{"a":1} x"#), (9, ReadErrorKind::TrailingText));
        assert_eq!(error(r#"{"a":[1,]}"#).0, 9);
        assert_eq!(error(""), (1, ReadErrorKind::ExpectedJsonObject));
    }

    #[test]
    fn deep_nesting_is_refused_not_followed() {
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(matches!(
            error(&deep).1,
            ReadErrorKind::JsonTooDeep { max: MAX_DEPTH }
        ));
        let objects = format!("{}{}", "{\"a\":".repeat(100), "}".repeat(100));
        assert!(matches!(
            error(&objects).1,
            ReadErrorKind::JsonTooDeep { .. }
        ));
    }
}
