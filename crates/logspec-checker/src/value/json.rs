//! A field's JSON text judged by a JSON Schema, and read for it as a
//! `serde_json::Value` by a visitor of our own rather than `Value`'s
//! `Deserialize`.
//!
//! With serde_json's `raw_value` feature on (the reader turns it on, and
//! features are shared across a build), `Value`'s own `Deserialize` treats
//! an object whose key is `$serde_json::private::RawValue` as the JSON text
//! its value holds: `{"$serde_json::private::RawValue":"[1]"}` was read as
//! the array `[1]`, and with a number as its value as no JSON at all. A
//! log line chooses its keys, so a schema would have judged another value
//! than the one written. This visitor builds every object as written.

use crate::error::Unresolved;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;
use std::sync::Arc;

/// A JSON Schema a value's JSON must satisfy, for statements about a
/// structured value's content (Hexon's DLP `violations` hold detector
/// names, actions and counts, never the matched text).
#[derive(Clone)]
pub(super) struct JsonSchema(Arc<jsonschema::Validator>);

impl JsonSchema {
    /// A schema that does not compile is an error (the loader reports
    /// those first): dropping it would pass every value.
    pub(super) fn compile(schema: &serde_json::Value) -> Result<JsonSchema, Unresolved> {
        jsonschema::validator_for(schema)
            .map(|validator| JsonSchema(Arc::new(validator)))
            .map_err(|error| Unresolved::Schema(error.to_string()))
    }

    pub(super) fn check(&self, value: &str) -> Result<(), String> {
        let parsed = parse_json(value)
            .ok_or_else(|| "not JSON, where the document describes a JSON value".to_owned())?;
        let first = self.0.iter_errors(&parsed).next().map(|error| {
            let at = error.instance_path().to_string();
            let at = if at.is_empty() {
                "the value".to_owned()
            } else {
                at
            };
            format!("{at}: {error}")
        });
        first.map_or(Ok(()), Err)
    }
}

/// The JSON `text` holds. A number beyond `f64` (`1e999`) is valid JSON
/// (RFC 8259 sets no range, and the record reader accepted it), but
/// serde_json refuses it: such a number is read as the largest `f64` of its
/// sign, so a schema's bounds still judge it and it is never "not JSON".
fn parse_json(text: &str) -> Option<serde_json::Value> {
    match from_str(text) {
        Ok(value) => Some(value),
        Err(_) => from_str(&clamp_huge_numbers(text)?).ok(),
    }
}

/// `text` with each number outside `f64`'s range replaced by `±f64::MAX`;
/// `None` when it has no such number (the JSON is wrong for another reason).
fn clamp_huge_numbers(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut at, mut copied, mut in_string, mut clamped) = (0, 0, false, false);
    while let Some(&byte) = bytes.get(at) {
        if in_string {
            match byte {
                b'\\' => at += 1,
                b'"' => in_string = false,
                _ => {}
            }
            at += 1;
            continue;
        }
        if byte == b'"' {
            in_string = true;
            at += 1;
            continue;
        }
        if byte == b'-' || byte.is_ascii_digit() {
            let end = bytes
                .get(at..)
                .and_then(|rest| {
                    rest.iter().position(|b| {
                        !(b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
                    })
                })
                .map_or(bytes.len(), |length| at + length);
            let number = text.get(at..end).unwrap_or_default();
            if number.parse::<f64>().is_ok_and(f64::is_infinite) {
                out.push_str(text.get(copied..at).unwrap_or_default());
                let sign = if number.starts_with('-') { "-" } else { "" };
                out.push_str(&format!("{sign}{:e}", f64::MAX));
                copied = end;
                clamped = true;
            }
            at = end;
            continue;
        }
        at += 1;
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    clamped.then_some(out)
}

impl std::fmt::Debug for JsonSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JsonSchema")
    }
}

/// The JSON value `text` holds, every object as written.
pub fn from_str(text: &str) -> serde_json::Result<Value> {
    serde_json::from_str::<Written>(text).map(|written| written.0)
}

struct Written(Value);

impl<'de> Deserialize<'de> for Written {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Written, D::Error> {
        deserializer.deserialize_any(WrittenVisitor)
    }
}

struct WrittenVisitor;

impl<'de> Visitor<'de> for WrittenVisitor {
    type Value = Written;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Written, E> {
        Ok(Written(Value::Bool(value)))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Written, E> {
        Ok(Written(Value::Number(value.into())))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Written, E> {
        Ok(Written(Value::Number(value.into())))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Written, E> {
        // serde_json's reader yields finite numbers only; `Value` makes
        // anything else null, and so does this.
        Ok(Written(
            Number::from_f64(value).map_or(Value::Null, Value::Number),
        ))
    }

    fn visit_str<E>(self, value: &str) -> Result<Written, E> {
        Ok(Written(Value::String(value.to_owned())))
    }

    fn visit_string<E>(self, value: String) -> Result<Written, E> {
        Ok(Written(Value::String(value)))
    }

    fn visit_unit<E>(self) -> Result<Written, E> {
        Ok(Written(Value::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Written, A::Error> {
        let mut items = Vec::new();
        while let Some(Written(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Written(Value::Array(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Written, A::Error> {
        let mut members = Map::new();
        while let Some((key, Written(member))) = map.next_entry::<String, Written>()? {
            members.insert(key, member);
        }
        Ok(Written(Value::Object(members)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_jsons_private_key_is_an_ordinary_key() {
        const KEY: &str = "$serde_json::private::RawValue";
        let cases = [
            (
                r#"{"$serde_json::private::RawValue":"[1]"}"#,
                serde_json::json!({ KEY: "[1]" }),
            ),
            (
                r#"{"$serde_json::private::RawValue":2.5e3}"#,
                serde_json::json!({ KEY: 2500.0 }),
            ),
            (
                r#"{"a":{"\u0024serde_json::private::RawValue":"{}"}}"#,
                serde_json::json!({ "a": { KEY: "{}" } }),
            ),
        ];
        for (text, written) in cases {
            assert_eq!(from_str(text).ok(), Some(written), "{text}");
        }
        // What `Value`'s own reading made of them.
        assert_eq!(
            serde_json::from_str::<Value>(r#"{"$serde_json::private::RawValue":"[1]"}"#).ok(),
            Some(serde_json::json!([1]))
        );
    }

    #[test]
    fn any_other_json_reads_as_value_reads_it() {
        for text in [
            "null",
            "true",
            "-12",
            "18446744073709551615",
            "2.5e3",
            r#""a\"b""#,
            r#"[1, "x", {"k": [null, false]}]"#,
            r#"{"b": 1, "a": {"c": 2.0}, "b": 3}"#,
        ] {
            assert_eq!(
                from_str(text).ok(),
                serde_json::from_str::<Value>(text).ok(),
                "{text}"
            );
        }
        assert!(from_str("{").is_err());
        assert!(from_str("[1,]").is_err());
    }
}
