//! OpenTelemetry OTLP/JSON log exports: one `ExportLogsServiceRequest`
//! per line (`{"resourceLogs":[{"scopeLogs":[{"logRecords":[…]}]}]}`), as
//! the collector's file exporter writes them.
//!
//! A line holds many log records, so reading is two steps: [`log_records`]
//! finds each record's object in the line, and `read` turns one of them
//! into fields. OTLP wraps every attribute value in a typed `AnyValue`
//! (`{"stringValue": …}`, `{"intValue": "42"}`, …); the reader unwraps it,
//! so a field holds its value as text with its JSON type, exactly like a
//! JSON-lines member: `intValue` (a string in OTLP/JSON, because it is
//! int64) and `doubleValue` are numbers, arrays and key-value lists become
//! plain JSON arrays and objects.
//!
//! Fields are named as OTLP names them: `timeUnixNano`,
//! `observedTimeUnixNano`, `severityNumber`, `severityText`, `body`,
//! `eventName`, `traceId`, `spanId`, and each attribute by its key.
//! Mapping them to a spec's names (`body` is the message, `severityText`
//! the level) is the spec's business. When a record has a
//! `severityNumber` but no `severityText`, `severityText` is the number's
//! short name from the OTLP data model (TRACE, DEBUG, INFO, WARN, ERROR,
//! FATAL). Resource and scope attributes are not part of the record.
//!
//! serde_json does the parsing, with borrowed raw values so that every
//! value keeps its place in the line for findings that point at it.

use std::borrow::Cow;
use std::marker::PhantomData;
use std::ops::Range;

use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::error::{ReadError, ReadErrorKind};
use crate::fields::{Field, JsonKind, RecordHead};
use crate::journald::serde_error_at;

// `null` stands for an absent member everywhere but `resourceLogs`, as
// proto3's JSON mapping has it: lists are `Option`s.

#[derive(Deserialize)]
struct Export<'a> {
    #[serde(rename = "resourceLogs", borrow)]
    resource_logs: Vec<Object<ResourceLogs<'a>>>,
}

#[derive(Deserialize)]
struct ResourceLogs<'a> {
    #[serde(rename = "scopeLogs", default, borrow)]
    scope_logs: Option<Vec<Object<ScopeLogs<'a>>>>,
}

#[derive(Deserialize)]
struct ScopeLogs<'a> {
    #[serde(rename = "logRecords", default, borrow)]
    log_records: Option<Vec<&'a RawValue>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LogRecord<'a> {
    #[serde(borrow)]
    time_unix_nano: Option<&'a RawValue>,
    #[serde(borrow)]
    observed_time_unix_nano: Option<&'a RawValue>,
    #[serde(borrow)]
    severity_number: Option<&'a RawValue>,
    #[serde(borrow)]
    severity_text: Option<&'a RawValue>,
    #[serde(borrow)]
    body: Option<&'a RawValue>,
    #[serde(default, borrow)]
    attributes: Option<Vec<Object<KeyValue<'a>>>>,
    #[serde(borrow)]
    event_name: Option<&'a RawValue>,
    #[serde(borrow)]
    trace_id: Option<&'a RawValue>,
    #[serde(borrow)]
    span_id: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct KeyValue<'a> {
    #[serde(borrow)]
    key: &'a RawValue,
    #[serde(borrow)]
    value: Option<&'a RawValue>,
}

/// An `AnyValue`: the first of its members that is set decides.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AnyValue<'a> {
    #[serde(borrow)]
    string_value: Option<&'a RawValue>,
    #[serde(borrow)]
    bool_value: Option<&'a RawValue>,
    #[serde(borrow)]
    int_value: Option<&'a RawValue>,
    #[serde(borrow)]
    double_value: Option<&'a RawValue>,
    #[serde(borrow)]
    bytes_value: Option<&'a RawValue>,
    #[serde(borrow)]
    array_value: Option<&'a RawValue>,
    #[serde(borrow)]
    kvlist_value: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct ArrayValue<'a> {
    #[serde(default, borrow)]
    values: Option<Vec<&'a RawValue>>,
}

#[derive(Deserialize)]
struct KeyValueList<'a> {
    #[serde(default, borrow)]
    values: Option<Vec<Object<KeyValue<'a>>>>,
}

/// `T` read from a JSON object only: serde's derived structs also take an
/// array of their members in order, which is no OTLP/JSON.
struct Object<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Members<T> {
            type Value = T;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<T, M::Error> {
                T::deserialize(MapAccessDeserializer::new(map))
            }
        }
        deserializer
            .deserialize_map(Members(PhantomData))
            .map(Object)
    }
}

/// The byte range of each log record's object in `line`, in order.
pub fn log_records(line: &str) -> Result<Vec<Range<usize>>, ReadError> {
    let Object(export): Object<Export<'_>> =
        serde_json::from_str(line).map_err(|error| otlp_error(line, &error))?;
    Ok(export
        .resource_logs
        .iter()
        .flat_map(|resource| resource.0.scope_logs.iter().flatten())
        .flat_map(|scope| scope.0.log_records.iter().flatten())
        .filter_map(|record| place(line, record))
        .collect())
}

/// Reads one log record's object (a range [`log_records`] found).
pub(crate) fn read<'a>(
    text: &'a str,
    out: &mut Vec<Field<'a>>,
) -> Result<Option<RecordHead<'a>>, ReadError> {
    let Object(record): Object<LogRecord<'_>> =
        serde_json::from_str(text).map_err(|error| otlp_error(text, &error))?;
    let scalar = |name: &'static str, raw: Option<&'a RawValue>, out: &mut Vec<Field<'a>>| {
        if let Some(raw) = raw {
            out.push(scalar_field(text, Cow::Borrowed(name), raw));
        }
    };
    for (name, raw) in [
        ("timeUnixNano", record.time_unix_nano),
        ("observedTimeUnixNano", record.observed_time_unix_nano),
    ] {
        if let Some(raw) = raw {
            nanoseconds(text, name, raw)?;
        }
    }
    scalar("timeUnixNano", record.time_unix_nano, out);
    scalar("observedTimeUnixNano", record.observed_time_unix_nano, out);
    scalar("severityNumber", record.severity_number, out);
    scalar("severityText", record.severity_text, out);
    if record.severity_text.is_none() {
        if let Some(raw) = record.severity_number {
            if let Some(name) = severity_short_name(raw.get()) {
                out.push(Field {
                    key: Cow::Borrowed("severityText"),
                    value: Cow::Borrowed(name),
                    json: Some(JsonKind::String),
                    key_span: None,
                    value_span: place(text, raw),
                });
            }
        }
    }
    if let Some(body) = record.body {
        out.push(any_field(text, Cow::Borrowed("body"), None, body)?);
    }
    scalar("eventName", record.event_name, out);
    scalar("traceId", record.trace_id, out);
    scalar("spanId", record.span_id, out);
    for Object(attribute) in record.attributes.into_iter().flatten() {
        let key = string_text(attribute.key.get()).ok_or_else(|| ReadError {
            column: place(text, attribute.key).map_or(1, |span| span.start + 1),
            kind: ReadErrorKind::InvalidOtlp {
                reason: "an attribute key must be a string".to_owned(),
            },
        })?;
        match attribute.value {
            Some(value) => out.push(any_field(text, key, place(text, attribute.key), value)?),
            None => out.push(Field {
                key,
                value: Cow::Borrowed(""),
                json: Some(JsonKind::Null),
                key_span: place(text, attribute.key),
                value_span: None,
            }),
        }
    }
    Ok(Some(RecordHead::default()))
}

/// Shape check for [`detect`](crate::detect): an object whose first member
/// is `resourceLogs`.
pub(crate) fn looks_like(line: &str) -> bool {
    line.trim_start()
        .strip_prefix('{')
        .is_some_and(|rest| rest.trim_start().starts_with("\"resourceLogs\""))
}

/// Where `raw` (borrowed from `text`) sits in `text`.
fn place(text: &str, raw: &RawValue) -> Option<Range<usize>> {
    let start = (raw.get().as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    let end = start.checked_add(raw.get().len())?;
    (end <= text.len()).then_some(start..end)
}

/// OTLP/JSON writes a time (`fixed64`) as an unsigned integer count of
/// nanoseconds since 1970, in a string or as a number; `null` is absent.
fn nanoseconds(text: &str, name: &str, raw: &RawValue) -> Result<(), ReadError> {
    let written = raw.get();
    // A string is judged by what it holds: `"\u0031"` is the string `1`.
    // Only one with an escape needs decoding (and a copy).
    let decoded: Option<Cow<'_, str>> = match written
        .strip_prefix('"')
        .and_then(|inner| inner.strip_suffix('"'))
    {
        Some(inner) if !inner.contains('\\') => Some(Cow::Borrowed(inner)),
        Some(_) => serde_json::from_str::<String>(written).ok().map(Cow::Owned),
        None => Some(Cow::Borrowed(written)),
    };
    let count = decoded.is_some_and(|digits| {
        !digits.is_empty()
            && digits.bytes().all(|byte| byte.is_ascii_digit())
            && digits.parse::<u64>().is_ok()
    });
    if count || written == "null" {
        return Ok(());
    }
    Err(ReadError {
        column: place(text, raw).map_or(1, |span| span.start + 1),
        kind: ReadErrorKind::InvalidOtlp {
            reason: format!(
                "{name} must be a count of nanoseconds since 1970: an unsigned integer, \
                 as a string or a number"
            ),
        },
    })
}

/// A plain JSON value of the record itself (`timeUnixNano`, `severityText`).
fn scalar_field<'a>(text: &'a str, key: Cow<'a, str>, raw: &'a RawValue) -> Field<'a> {
    let (value, json) = plain(raw.get());
    Field {
        key,
        value,
        json: Some(json),
        key_span: None,
        value_span: place(text, raw),
    }
}

/// An attribute or the body: an `AnyValue`, unwrapped.
fn any_field<'a>(
    text: &'a str,
    key: Cow<'a, str>,
    key_span: Option<Range<usize>>,
    raw: &'a RawValue,
) -> Result<Field<'a>, ReadError> {
    let (value, json) = unwrap_any(raw).map_err(|reason| ReadError {
        column: place(text, raw).map_or(1, |span| span.start + 1),
        kind: ReadErrorKind::InvalidOtlp { reason },
    })?;
    Ok(Field {
        key,
        value,
        json: Some(json),
        key_span,
        value_span: place(text, raw),
    })
}

/// The value an `AnyValue` holds, as text and JSON type.
fn unwrap_any(raw: &RawValue) -> Result<(Cow<'_, str>, JsonKind), String> {
    Ok(match unwrap(raw, 0)? {
        Unwrapped::String(text) => (text, JsonKind::String),
        Unwrapped::Int(int) => (Cow::Owned(int.to_string()), JsonKind::Number),
        Unwrapped::Double(number) => (Cow::Borrowed(number.get()), JsonKind::Number),
        Unwrapped::Bool(bool) => (
            Cow::Borrowed(if bool { "true" } else { "false" }),
            JsonKind::Boolean,
        ),
        Unwrapped::Array(items) => (Cow::Owned(Value::Array(items).to_string()), JsonKind::Array),
        Unwrapped::Object(members) => (
            Cow::Owned(Value::Object(members).to_string()),
            JsonKind::Object,
        ),
        Unwrapped::Null => (Cow::Borrowed(""), JsonKind::Null),
    })
}

/// What an `AnyValue` holds.
enum Unwrapped<'a> {
    /// `stringValue`, `bytesValue`, or a `doubleValue` that is not a
    /// number (`NaN`, `Infinity`).
    String(Cow<'a, str>),
    Int(i64),
    /// A `doubleValue` as written.
    Double(&'a RawValue),
    Bool(bool),
    /// `arrayValue`, its values unwrapped.
    Array(Vec<Value>),
    /// `kvlistValue`, its values unwrapped.
    Object(Map<String, Value>),
    /// None of the members set.
    Null,
}

/// Unwraps an `AnyValue`: the first member set of `stringValue` (or
/// `bytesValue`), `intValue`, `doubleValue`, `boolValue`, `arrayValue`,
/// `kvlistValue` decides; nested values are unwrapped alike.
fn unwrap(raw: &RawValue, depth: usize) -> Result<Unwrapped<'_>, String> {
    if depth > crate::json::MAX_DEPTH {
        return Err("values nested too deeply".to_owned());
    }
    if let Some(text) = lone_plain_string(raw.get()) {
        return Ok(Unwrapped::String(Cow::Borrowed(text)));
    }
    let Object(any): Object<AnyValue<'_>> =
        serde_json::from_str(raw.get()).map_err(|error| error.to_string())?;
    if let Some(value) = any.string_value.or(any.bytes_value) {
        return string_text(value.get())
            .map(Unwrapped::String)
            .ok_or_else(|| "stringValue and bytesValue must be strings".to_owned());
    }
    if let Some(value) = any.int_value {
        // int64 travels as a string in OTLP/JSON; it is a number all the same.
        let (digits, _) = plain(value.get());
        return canonical_integer(&digits)
            .map(Unwrapped::Int)
            .ok_or_else(|| format!("intValue {} is not a 64-bit integer", value.get()));
    }
    if let Some(value) = any.double_value {
        // NaN and infinities are written as strings.
        return match plain(value.get()) {
            (_, JsonKind::Number) => Ok(Unwrapped::Double(value)),
            (text, JsonKind::String) => Ok(Unwrapped::String(text)),
            _ => Err(format!("doubleValue {} is not a number", value.get())),
        };
    }
    if let Some(value) = any.bool_value {
        return match value.get() {
            "true" => Ok(Unwrapped::Bool(true)),
            "false" => Ok(Unwrapped::Bool(false)),
            other => Err(format!("boolValue {other} is not a boolean")),
        };
    }
    if let Some(array) = any.array_value {
        let Object(array): Object<ArrayValue<'_>> =
            serde_json::from_str(array.get()).map_err(|error| error.to_string())?;
        let items = array.values.into_iter().flatten();
        return items
            .map(|item| unwrap(item, depth + 1).and_then(plain_value))
            .collect::<Result<_, String>>()
            .map(Unwrapped::Array);
    }
    if let Some(list) = any.kvlist_value {
        let Object(list): Object<KeyValueList<'_>> =
            serde_json::from_str(list.get()).map_err(|error| error.to_string())?;
        let mut members = Map::new();
        for Object(pair) in list.values.into_iter().flatten() {
            let key: String = serde_json::from_str(pair.key.get())
                .map_err(|_| "a key-value list entry needs a string key".to_owned())?;
            let value = match pair.value {
                Some(value) => unwrap(value, depth + 1).and_then(plain_value)?,
                None => Value::Null,
            };
            members.insert(key, value);
        }
        return Ok(Unwrapped::Object(members));
    }
    Ok(Unwrapped::Null)
}

/// The text of `{"stringValue":"…"}` written compactly with nothing to
/// unescape, the commonest `AnyValue`, found without parsing it again:
/// the parse of the record has checked that `raw` is JSON, so with no
/// quote between these ends it is that one member and that string.
fn lone_plain_string(raw: &str) -> Option<&str> {
    let inner = raw
        .strip_prefix(r#"{"stringValue":""#)?
        .strip_suffix(r#""}"#)?;
    (!inner.contains(['"', '\\'])).then_some(inner)
}

/// An unwrapped value as plain JSON (inside an array or key-value list).
fn plain_value(value: Unwrapped<'_>) -> Result<Value, String> {
    Ok(match value {
        Unwrapped::String(text) => Value::String(text.into_owned()),
        Unwrapped::Int(int) => Value::from(int),
        Unwrapped::Double(number) => {
            serde_json::from_str(number.get()).map_err(|error| error.to_string())?
        }
        Unwrapped::Bool(bool) => Value::Bool(bool),
        Unwrapped::Array(items) => Value::Array(items),
        Unwrapped::Object(members) => Value::Object(members),
        Unwrapped::Null => Value::Null,
    })
}

/// An integer as JSON writes one (`0` or `-?[1-9][0-9]*`, so no sign,
/// leading zero or `-0`), when it fits 64 bits.
fn canonical_integer(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let canonical = text == "0"
        || (digits.starts_with(|c: char| c.is_ascii_digit() && c != '0')
            && digits.bytes().all(|b| b.is_ascii_digit()));
    canonical.then(|| text.parse().ok()).flatten()
}

/// A JSON scalar as text: a string unescaped, anything else as written.
fn plain(raw: &str) -> (Cow<'_, str>, JsonKind) {
    match raw.as_bytes().first() {
        Some(b'"') => match string_text(raw) {
            Some(text) => (text, JsonKind::String),
            None => (Cow::Borrowed(raw), JsonKind::String),
        },
        Some(b't' | b'f') => (Cow::Borrowed(raw), JsonKind::Boolean),
        Some(b'n') => (Cow::Borrowed(""), JsonKind::Null),
        Some(b'[') => (Cow::Borrowed(raw), JsonKind::Array),
        Some(b'{') => (Cow::Borrowed(raw), JsonKind::Object),
        _ => (Cow::Borrowed(raw), JsonKind::Number),
    }
}

/// The text of `raw` (JSON serde_json has read, so well-formed) when it is
/// a string: borrowed from the line unless an escape must be decoded, so
/// most values cost no copy. `None` when it is not a string.
fn string_text(raw: &str) -> Option<Cow<'_, str>> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    if inner.contains('\\') {
        serde_json::from_str(raw).ok().map(Cow::Owned)
    } else {
        Some(Cow::Borrowed(inner))
    }
}

/// The OTLP data model's short name for a severity number (1-24).
fn severity_short_name(number: &str) -> Option<&'static str> {
    let number: u8 = plain(number).0.parse().ok()?;
    Some(match number {
        1..=4 => "TRACE",
        5..=8 => "DEBUG",
        9..=12 => "INFO",
        13..=16 => "WARN",
        17..=20 => "ERROR",
        21..=24 => "FATAL",
        _ => return None,
    })
}

fn otlp_error(text: &str, error: &serde_json::Error) -> ReadError {
    let (column, reason) = serde_error_at(text, error);
    ReadError {
        column,
        kind: ReadErrorKind::InvalidOtlp { reason },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPORT: &str = r#"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"hexon"}}]},"scopeLogs":[{"scope":{"name":"hexon"},"logRecords":[{"timeUnixNano":"1767225600000000000","severityNumber":9,"severityText":"INFO","body":{"stringValue":"backend added"},"attributes":[{"key":"event","value":{"stringValue":"loadbalancer"}},{"key":"port","value":{"intValue":"8080"}},{"key":"audit","value":{"boolValue":true}},{"key":"violations","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[{"key":"detector","value":{"stringValue":"credit_card"}},{"key":"count","value":{"intValue":"2"}}]}}]}}}]},{"severityNumber":17,"body":{"stringValue":"x"}}]}]}]}"#;

    fn fields(text: &str) -> Vec<(String, String, Option<JsonKind>)> {
        let mut out = Vec::new();
        read(text, &mut out).expect("valid record");
        out.into_iter()
            .map(|field| (field.key.into_owned(), field.value.into_owned(), field.json))
            .collect()
    }

    /// The compact `{"stringValue":"…"}` read without the parser gives what
    /// the parser gives for the same value written otherwise, and anything
    /// else goes to the parser.
    #[test]
    fn a_lone_plain_string_value_reads_as_the_parser_reads_it() {
        let unwrapped = |any: &str| {
            let raw: Box<RawValue> = serde_json::from_str(any).expect("JSON");
            unwrap_any(&raw).map(|(text, kind)| (text.into_owned(), kind))
        };
        for (compact, spaced) in [
            (r#"{"stringValue":"a b"}"#, r#"{ "stringValue" : "a b" }"#),
            (r#"{"stringValue":""}"#, r#"{"stringValue": ""}"#),
            (r#"{"stringValue":"日"}"#, r#"{"stringValue":"\u65e5"}"#),
        ] {
            assert!(lone_plain_string(compact).is_some(), "{compact}");
            assert_eq!(lone_plain_string(spaced), None, "{spaced}");
            assert_eq!(unwrapped(compact), unwrapped(spaced), "{compact}");
        }
        assert_eq!(
            unwrapped(r#"{"stringValue":"a\"b"}"#),
            Ok(("a\"b".to_owned(), JsonKind::String))
        );
        for other in [
            r#"{"stringValue":"a","stringValue":"b"}"#,
            r#"{"stringValue":"a","intValue":"1"}"#,
            r#"{"stringValue":"a\nb"}"#,
            r#"{"intValue":"1"}"#,
        ] {
            assert_eq!(lone_plain_string(other), None, "{other}");
        }
        assert!(unwrapped(r#"{"stringValue":"a","stringValue":"b"}"#).is_err());
    }

    #[test]
    fn finds_every_log_record_and_unwraps_values() {
        let records = log_records(EXPORT).expect("valid export");
        assert_eq!(records.len(), 2);
        let first = fields(&EXPORT[records[0].clone()]);
        let get = |key: &str| {
            first
                .iter()
                .find(|(name, _, _)| name == key)
                .map(|(_, value, json)| (value.as_str(), *json))
        };
        assert_eq!(
            get("timeUnixNano"),
            Some(("1767225600000000000", Some(JsonKind::String)))
        );
        assert_eq!(get("severityText"), Some(("INFO", Some(JsonKind::String))));
        assert_eq!(get("body"), Some(("backend added", Some(JsonKind::String))));
        assert_eq!(get("event"), Some(("loadbalancer", Some(JsonKind::String))));
        assert_eq!(get("port"), Some(("8080", Some(JsonKind::Number))));
        assert_eq!(get("audit"), Some(("true", Some(JsonKind::Boolean))));
        assert_eq!(
            get("violations"),
            Some((
                r#"[{"detector":"credit_card","count":2}]"#,
                Some(JsonKind::Array)
            ))
        );
        assert!(
            get("service.name").is_none(),
            "resource attributes stay out"
        );
        let second = fields(&EXPORT[records[1].clone()]);
        assert!(second.contains(&(
            "severityText".to_owned(),
            "ERROR".to_owned(),
            Some(JsonKind::String)
        )));
    }

    #[test]
    fn spans_point_into_the_record() {
        let records = log_records(EXPORT).expect("valid export");
        let text = &EXPORT[records[0].clone()];
        let mut out = Vec::new();
        read(text, &mut out).expect("valid record");
        for field in &out {
            if let Some(span) = &field.value_span {
                assert!(text.get(span.clone()).is_some());
            }
        }
        let body = out.iter().find(|field| field.key == "body").expect("body");
        let span = body.value_span.clone().expect("placed");
        assert_eq!(&text[span], r#"{"stringValue":"backend added"}"#);
    }

    #[test]
    fn malformed_exports_and_records_are_located_errors() {
        let error = log_records(r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{]}]}]}"#)
            .expect_err("broken");
        assert!(matches!(error.kind, ReadErrorKind::InvalidOtlp { .. }));
        assert!(error.column > 1);
        let error = log_records(r#"{"resourceLogs":{}}"#).expect_err("not a list");
        assert!(matches!(error.kind, ReadErrorKind::InvalidOtlp { .. }));
        let text = r#"{"attributes":[{"key":"n","value":{"intValue":"4x"}}]}"#;
        let error = read(text, &mut Vec::new()).expect_err("bad int");
        assert_eq!(error.column, text.find("{\"intValue").expect("there") + 1);
    }

    #[test]
    fn times_are_counts_of_nanoseconds() {
        for good in [
            r#"{"timeUnixNano":"1795942800000000000"}"#,
            r#"{"timeUnixNano":1795942800000000000,"observedTimeUnixNano":"0"}"#,
            r#"{"timeUnixNano":null}"#,
            r#"{"timeUnixNano":"\u0031"}"#,
        ] {
            assert!(read(good, &mut Vec::new()).is_ok(), "{good}");
        }
        for bad in [
            r#"{"timeUnixNano":"2026-11-29T09:00:00Z"}"#,
            r#"{"timeUnixNano":"yesterday"}"#,
            r#"{"timeUnixNano":-1}"#,
            r#"{"timeUnixNano":1.5e18}"#,
            r#"{"timeUnixNano":""}"#,
            r#"{"observedTimeUnixNano":"99999999999999999999"}"#,
            r#"{"timeUnixNano":"1556726688064456980="}"#,
        ] {
            let error = read(bad, &mut Vec::new()).expect_err(bad);
            assert!(error.to_string().contains("nanoseconds"), "{bad}: {error}");
            assert_eq!(error.column, bad.find(':').expect("a member") + 2, "{bad}");
        }
    }

    /// What the `otlp-json` fuzz target's model found (`fuzz/src/otlp.rs`):
    /// serde's derived structs took arrays for objects, `null` lists were
    /// errors while `null` members are absent, nested values were
    /// unwrapped by their map's first member and more loosely than
    /// top-level ones, and integers were taken with signs and zeros JSON
    /// has not.
    #[test]
    fn otlp_json_is_read_as_written() {
        // A struct as the array of its members is no export or record.
        assert!(log_records(r#"{"resourceLogs":[[[[["x"]]]]]}"#).is_err());
        assert!(read(r#"["1767225600000000000"]"#, &mut Vec::new()).is_err());
        let text = r#"{"attributes":[["k",{"stringValue":"v"}]]}"#;
        assert!(read(text, &mut Vec::new()).is_err());
        let text = r#"{"body":["s"]}"#;
        assert!(read(text, &mut Vec::new()).is_err());
        // null is absent, lists included.
        let line = r#"{"resourceLogs":[{"scopeLogs":null},{"scopeLogs":[{"logRecords":null}]}]}"#;
        assert_eq!(log_records(line), Ok(Vec::new()));
        assert_eq!(fields(r#"{"attributes":null,"body":null}"#), []);
        // Nested values unwrap as top-level ones do.
        let attribute =
            |value: &str| format!(r#"{{"attributes":[{{"key":"a","value":{value}}}]}}"#);
        let read_value = |value: &str| {
            let text = attribute(value);
            let mut out = Vec::new();
            read(&text, &mut out)
                .ok()
                .and_then(|_| out.pop())
                .map(|field| (field.value.into_owned(), field.json))
        };
        assert_eq!(
            read_value(r#"{"aaa":1,"arrayValue":{"values":[{"intValue":"-7"},{}]}}"#),
            Some(("[-7,null]".to_owned(), Some(JsonKind::Array)))
        );
        assert_eq!(
            read_value(r#"{"arrayValue":{"values":[{"intValue":"+1"}]}}"#),
            None
        );
        assert_eq!(
            read_value(r#"{"arrayValue":{"values":[{"boolValue":"yes"}]}}"#),
            None
        );
        assert_eq!(read_value(r#"{"arrayValue":{"values":{}}}"#), None);
        assert_eq!(
            read_value(
                r#"{"kvlistValue":{"values":[{"key":"k","value":{"intValue":null,"stringValue":"s"}}]}}"#
            ),
            Some((r#"{"k":"s"}"#.to_owned(), Some(JsonKind::Object)))
        );
        // Integers as JSON writes them.
        for bad in [r#""+42""#, r#""0042""#, r#""-0""#, r#"" 42""#, "-0", "4.0"] {
            assert_eq!(
                read_value(&format!(r#"{{"intValue":{bad}}}"#)),
                None,
                "{bad}"
            );
        }
        for (good, read) in [(r#""-42""#, "-42"), ("42", "42"), (r#""0""#, "0")] {
            assert_eq!(
                read_value(&format!(r#"{{"intValue":{good}}}"#)),
                Some((read.to_owned(), Some(JsonKind::Number))),
                "{good}"
            );
        }
        assert_eq!(read_value(r#"{"doubleValue":true}"#), None);
        assert_eq!(
            read_value(r#"{"doubleValue":"NaN"}"#),
            Some(("NaN".to_owned(), Some(JsonKind::String)))
        );
        // A severity number written with escapes is still named.
        assert!(fields(r#"{"severityNumber":"\u0039"}"#).contains(&(
            "severityText".to_owned(),
            "INFO".to_owned(),
            Some(JsonKind::String)
        )));
    }

    #[test]
    fn keys_that_are_serde_json_tokens_are_plain_keys() {
        // serde_json's private raw-value key, as a key-value list's first
        // key (found by the otlp-export fuzz target, whose model tripped on it).
        let text = r#"{"body":{"kvlistValue":{"values":[{"key":"$serde_json::private::RawValue","value":{"bytesValue":"]"}},{"key":"w","value":{"doubleValue":-1.5}}]}}}"#;
        let mut out = Vec::new();
        read(text, &mut out).expect("a valid record");
        assert_eq!(
            out[0].value,
            r#"{"$serde_json::private::RawValue":"]","w":-1.5}"#
        );
        assert_eq!(out[0].json, Some(JsonKind::Object));
    }

    #[test]
    fn shape() {
        assert!(looks_like(r#" { "resourceLogs": []}"#));
        assert!(!looks_like(r#"{"event":"x","msg":"resourceLogs"}"#));
    }
}
