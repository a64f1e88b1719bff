//! What the OTLP/JSON reader promises (`logspec_reader::otlp`), against a
//! model of the OTLP/JSON log export built on `serde_json`'s reading of
//! the line:
//!
//! - [`log_records`] finds every log record of the export, in order: its
//!   ranges lie in the line, on character boundaries, one after the
//!   other, and each holds exactly the JSON of one `logRecords` element;
//!   an export it refuses is no export (or one `serde_json` cannot judge),
//!   and the error is located inside the line.
//! - Each log record, read by `read_record`, holds the record readers'
//!   promises (`records::check_record`), and its fields are the model's:
//!   the record's own members (`null` is absent), `severityText` named
//!   after `severityNumber` when missing, the body and every attribute
//!   with its `AnyValue` unwrapped (strings, 64-bit integers as decimal
//!   text or number, doubles, booleans, arrays and key-value lists as
//!   plain JSON, nested values unwrapped alike); a record the reader
//!   refuses is one the model refuses.
//! - An attribute's key span is the key's JSON string, every value span
//!   the JSON of the member it was read from.

use crate::instants::check_field_instant;
use crate::records::{self, serde_unsure};
use logspec_reader::otlp::log_records;
use logspec_reader::{Epoch, Field, Format, JsonKind, ReadError, RecordHead, RecordLines};
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Error;
use serde_json::{Map, Value};
use std::ops::Range;

/// Nesting the model follows before it leaves the verdict to the reader
/// (which refuses values nested past its JSON depth limit).
const MAX_MODEL_DEPTH: usize = 60;

/// Finds the log records of an export line, holds them to the model, and
/// checks each as a record. The ranges found, when the line is an export.
pub fn check_export(line: &str) -> Option<Vec<Range<usize>>> {
    let found = log_records(line);
    match &found {
        Err(error) => check_error_column(line, error),
        Ok(ranges) => {
            let mut end = 0;
            for range in ranges {
                assert!(
                    end <= range.start && line.get(range.clone()).is_some(),
                    "{line:?}: log record {range:?} out of place"
                );
                end = range.end;
            }
        }
    }
    match records::json(line) {
        // serde's derives refuse an export that repeats a member they read
        // (whatever they name first); the model keeps the last of them.
        Ok(value) => match (export_model(&value), &found) {
            (Some(expected), Ok(ranges)) => {
                assert!(
                    !repeats_a_member(line),
                    "{line:?}: a member repeated, but read as {ranges:?}"
                );
                let read: Vec<Value> = ranges
                    .iter()
                    .map(|range| {
                        records::json(&line[range.clone()])
                            .unwrap_or_else(|e| panic!("{line:?}: {range:?} is no JSON: {e}"))
                    })
                    .collect();
                assert_eq!(read, expected, "{line:?}: the log records found");
            }
            (Some(_), Err(error)) => assert!(
                repeats_a_member(line),
                "{line:?}: an export, refused: {error:?}"
            ),
            (None, Ok(_)) => panic!("{line:?}: no OTLP export, but log records were found"),
            (None, Err(_)) => {}
        },
        Err(error) => assert!(
            found.is_err() || unsure(&error),
            "{line:?}: log records found, but serde_json says {error}"
        ),
    }
    let ranges = found.ok()?;
    for range in &ranges {
        let lines = [(1, 0)];
        records::check_record(
            Format::OtlpJson,
            RecordLines {
                text: &line[range.clone()],
                lines: &lines,
            },
        );
    }
    Some(ranges)
}

/// Whether `serde_json` failed on what it cannot tell: besides numbers
/// beyond `f64` and deep nesting, a lone surrogate (`"\ud800"`), which
/// JSON's grammar allows and `Value` cannot hold; the reader skips such
/// strings where it does not read them.
fn unsure(error: &Error) -> bool {
    let message = error.to_string();
    serde_unsure(error)
        || ["surrogate", "hex escape", "invalid unicode code point"]
            .iter()
            .any(|cause| message.contains(cause))
}

fn check_error_column(text: &str, error: &ReadError) {
    let offset = error.column.checked_sub(1);
    assert!(
        offset.is_some_and(|offset| offset <= text.len() && text.is_char_boundary(offset)),
        "{text:?}: error column {} outside the text",
        error.column
    );
}

/// Whether an object the reader reads as part of the export repeats the
/// member it reads there (`resourceLogs`, `scopeLogs`, `logRecords`).
/// The model keeps the last of them; the reader refuses the export,
/// naming the repetition or whatever it met first in the members (the
/// first `scopeLogs` an object, not an array, say).
fn repeats_a_member(line: &str) -> bool {
    serde_json::from_str::<Written>(line)
        .is_ok_and(|export| repeats(&export, &["resourceLogs", "scopeLogs", "logRecords"]))
}

fn repeats(value: &Written, names: &[&str]) -> bool {
    let (Written::Object(members), Some((name, inner))) = (value, names.split_first()) else {
        return false;
    };
    let mut named = members.iter().filter(|(key, _)| key == name).peekable();
    let first = named.next();
    if named.peek().is_some() {
        return true;
    }
    match first {
        Some((_, Written::Array(items))) => items.iter().any(|item| repeats(item, inner)),
        _ => false,
    }
}

/// Whether a log record repeats a member where the reader reads it with
/// serde's derived structs, which refuse the repetition (whatever they
/// meet first): the record's own members, an attribute's `key` and
/// `value`, an `AnyValue`'s members, and, in the `arrayValue` or
/// `kvlistValue` that decides an `AnyValue`, its `values` and what they
/// hold. The model keeps the last of them, as `serde_json::Value` does.
fn record_repeats_a_member(text: &str) -> bool {
    const RECORD: [&str; 9] = [
        "timeUnixNano",
        "observedTimeUnixNano",
        "severityNumber",
        "severityText",
        "body",
        "attributes",
        "eventName",
        "traceId",
        "spanId",
    ];
    let Ok(Written::Object(members)) = serde_json::from_str::<Written>(text) else {
        return false;
    };
    if repeats_any(&members, &RECORD) {
        return true;
    }
    let attributes_repeat = match member(&members, "attributes") {
        Some(Written::Array(items)) => items.iter().any(pair_repeats),
        _ => false,
    };
    attributes_repeat || member(&members, "body").is_some_and(any_value_repeats)
}

/// A `KeyValue` (an attribute or a `kvlistValue` entry).
fn pair_repeats(pair: &Written) -> bool {
    let Written::Object(members) = pair else {
        return false;
    };
    repeats_any(members, &["key", "value"])
        || member(members, "value").is_some_and(any_value_repeats)
}

/// An `AnyValue`, and the list that decides it, if one does: the reader
/// reads no other member's insides.
fn any_value_repeats(any: &Written) -> bool {
    const ANY_VALUE: [&str; 7] = [
        "stringValue",
        "bytesValue",
        "intValue",
        "doubleValue",
        "boolValue",
        "arrayValue",
        "kvlistValue",
    ];
    let Written::Object(members) = any else {
        return false;
    };
    if repeats_any(members, &ANY_VALUE) {
        return true;
    }
    let deciding = ANY_VALUE
        .iter()
        .find_map(|name| Some((*name, member(members, name)?)));
    let (list, item_repeats): (_, fn(&Written) -> bool) = match deciding {
        Some(("arrayValue", list)) => (list, any_value_repeats),
        Some(("kvlistValue", list)) => (list, pair_repeats),
        _ => return false,
    };
    let Written::Object(list) = list else {
        return false;
    };
    if repeats_any(list, &["values"]) {
        return true;
    }
    match member(list, "values") {
        Some(Written::Array(items)) => items.iter().any(item_repeats),
        _ => false,
    }
}

/// The member `name` of an object, when set (`null` is absent).
fn member<'a>(members: &'a [(String, Written)], name: &str) -> Option<&'a Written> {
    members
        .iter()
        .find(|(key, value)| key == name && !matches!(value, Written::Null))
        .map(|(_, value)| value)
}

/// Whether any of `names` is a member more than once, `null` or not.
fn repeats_any(members: &[(String, Written)], names: &[&str]) -> bool {
    names
        .iter()
        .any(|name| members.iter().filter(|(key, _)| key == name).count() > 1)
}

/// JSON as written, repeated members included, as far as
/// [`repeats_a_member`] and [`record_repeats_a_member`] look: objects,
/// arrays and `null`.
enum Written {
    Object(Vec<(String, Written)>),
    Array(Vec<Written>),
    Null,
    Other,
}

impl<'de> Deserialize<'de> for Written {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Json;
        impl<'de> Visitor<'de> for Json {
            type Value = Written;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Written, E> {
                Ok(Written::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Written, E> {
                Ok(Written::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Written, E> {
                Ok(Written::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Written, E> {
                Ok(Written::Other)
            }
            fn visit_str<E>(self, _: &str) -> Result<Written, E> {
                Ok(Written::Other)
            }
            fn visit_unit<E>(self) -> Result<Written, E> {
                Ok(Written::Null)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Written, A::Error> {
                let mut array = Vec::new();
                while let Some(item) = items.next_element()? {
                    array.push(item);
                }
                Ok(Written::Array(array))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<Written, A::Error> {
                let mut object = Vec::new();
                while let Some(member) = members.next_entry()? {
                    object.push(member);
                }
                Ok(Written::Object(object))
            }
        }
        deserializer.deserialize_any(Json)
    }
}

/// The log records of an export, or `None` when it is none: an object
/// whose `resourceLogs` is an array of objects, each with an optional
/// array `scopeLogs` of objects, each with an optional array `logRecords`.
fn export_model(export: &Value) -> Option<Vec<Value>> {
    let mut records = Vec::new();
    for resource in export.as_object()?.get("resourceLogs")?.as_array()? {
        for scope in optional_array(resource.as_object()?.get("scopeLogs"))? {
            records.extend(
                optional_array(scope.as_object()?.get("logRecords"))?
                    .iter()
                    .cloned(),
            );
        }
    }
    Some(records)
}

/// A member that is an array when present (`null` is absent, as
/// everywhere in OTLP/JSON but `resourceLogs`, which the export needs).
fn optional_array(member: Option<&Value>) -> Option<&[Value]> {
    match member {
        None | Some(Value::Null) => Some(&[]),
        Some(value) => value.as_array().map(Vec::as_slice),
    }
}

/// A field as the model expects it: key, JSON type, its value (the text
/// for strings, the JSON value otherwise) and the JSON value its span
/// holds.
#[derive(Debug)]
struct Expected {
    key: String,
    json: JsonKind,
    value: Value,
    spanned: Value,
}

/// What the model makes of a log record: its fields, a refusal (`None`),
/// or no verdict (`Err`: nested deeper than the model follows).
type Verdict = Result<Option<Vec<Expected>>, ()>;

/// Holds a read log record to the model (called by `records::check_record`).
pub fn check_record(
    text: &str,
    fields: &[Field<'_>],
    result: &Result<Option<RecordHead<'_>>, ReadError>,
) {
    let value = match records::json(text) {
        Ok(value) => value,
        Err(error) => {
            assert!(
                result.is_err() || unsure(&error),
                "{text:?}: read, but serde_json says {error}"
            );
            return;
        }
    };
    let Ok(expected) = record_model(&value) else {
        return;
    };
    // serde's derives refuse a record that repeats a member they read
    // (whatever they name first); the model keeps the last of them.
    let expected = match (expected, result) {
        (Some(expected), Ok(_)) => {
            assert!(
                !record_repeats_a_member(text),
                "{text:?}: a member repeated, but read as {fields:?}"
            );
            expected
        }
        (None, Ok(_)) => panic!("{text:?}: no log record, but read as {fields:?}"),
        (Some(expected), Err(error)) => {
            return assert!(
                record_repeats_a_member(text),
                "{text:?}: a log record with fields {expected:?}, refused: {error:?}"
            )
        }
        (None, Err(_)) => return,
    };
    for field in fields {
        if field.key.ends_with("TimeUnixNano") || field.key == "timeUnixNano" {
            check_field_instant(&field.value, Some(Epoch::Nanoseconds));
        }
    }
    let got: Vec<(&str, Option<JsonKind>)> = fields.iter().map(|f| (&*f.key, f.json)).collect();
    let want: Vec<(&str, Option<JsonKind>)> =
        expected.iter().map(|e| (&*e.key, Some(e.json))).collect();
    assert_eq!(got, want, "{text:?}: fields");
    for (field, expected) in fields.iter().zip(&expected) {
        let agrees = match (&expected.value, expected.json) {
            (Value::String(string), JsonKind::String) => field.value == *string,
            (Value::Null, _) => field.value.is_empty(),
            (value, _) => records::json(&field.value).ok().as_ref() == Some(value),
        };
        assert!(
            agrees,
            "{text:?}: {} = {:?}, expected {}",
            field.key, field.value, expected.value
        );
        if let Some(span) = &field.key_span {
            let written = text.get(span.clone()).unwrap_or_default();
            assert_eq!(
                serde_json::from_str::<String>(written).ok().as_deref(),
                Some(&*field.key),
                "{text:?}: key span {span:?}"
            );
        }
        if let Some(span) = &field.value_span {
            let written = text.get(span.clone()).unwrap_or_default();
            assert_eq!(
                records::json(written).ok().as_ref(),
                Some(&expected.spanned),
                "{text:?}: value span {span:?} of {}",
                field.key
            );
        }
    }
}

/// The short name the OTLP data model gives a `severityNumber` (a
/// number, or a string holding one).
fn severity_name(number: &Value) -> Option<&'static str> {
    short_name(match number {
        Value::String(text) => text.parse::<u8>().ok()?,
        other => u8::try_from(other.as_u64()?).ok()?,
    })
}

/// The OTLP data model's short name of a severity number (1-24).
pub fn short_name(number: u8) -> Option<&'static str> {
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

fn record_model(record: &Value) -> Verdict {
    let Some(members) = record.as_object() else {
        return Ok(None);
    };
    let member = |name: &str| members.get(name).filter(|value| !value.is_null());
    if !["timeUnixNano", "observedTimeUnixNano"]
        .iter()
        .all(|name| member(name).is_none_or(nanosecond_count))
    {
        return Ok(None);
    }
    let mut out = Vec::new();
    let scalar = |name: &str, out: &mut Vec<Expected>| {
        if let Some(value) = member(name) {
            out.push(Expected {
                key: name.to_owned(),
                json: records::kind_of(value),
                value: value.clone(),
                spanned: value.clone(),
            });
        }
    };
    scalar("timeUnixNano", &mut out);
    scalar("observedTimeUnixNano", &mut out);
    scalar("severityNumber", &mut out);
    scalar("severityText", &mut out);
    if member("severityText").is_none() {
        if let Some((number, name)) =
            member("severityNumber").and_then(|number| Some((number, severity_name(number)?)))
        {
            out.push(Expected {
                key: "severityText".to_owned(),
                json: JsonKind::String,
                value: Value::from(name),
                spanned: number.clone(),
            });
        }
    }
    if let Some(body) = member("body") {
        let Some((json, value)) = any_model(body, 0)? else {
            return Ok(None);
        };
        out.push(Expected {
            key: "body".to_owned(),
            json,
            value,
            spanned: body.clone(),
        });
    }
    scalar("eventName", &mut out);
    scalar("traceId", &mut out);
    scalar("spanId", &mut out);
    let Some(attributes) = optional_array(members.get("attributes")) else {
        return Ok(None);
    };
    for attribute in attributes {
        let Some(key) = attribute.get("key").and_then(Value::as_str) else {
            return Ok(None);
        };
        let (json, value, spanned) = match attribute.get("value").filter(|v| !v.is_null()) {
            None => (JsonKind::Null, Value::Null, Value::Null),
            Some(any) => match any_model(any, 0)? {
                Some((json, value)) => (json, value, any.clone()),
                None => return Ok(None),
            },
        };
        out.push(Expected {
            key: key.to_owned(),
            json,
            value,
            spanned,
        });
    }
    Ok(Some(out))
}

/// A time as OTLP/JSON writes one (`fixed64`): an unsigned 64-bit count of
/// nanoseconds, as a string of digits or as a JSON number.
fn nanosecond_count(value: &Value) -> bool {
    match value {
        Value::String(digits) => {
            !digits.is_empty()
                && digits.bytes().all(|byte| byte.is_ascii_digit())
                && digits.parse::<u64>().is_ok()
        }
        Value::Number(number) => number.as_u64().is_some(),
        _ => false,
    }
}

/// An `AnyValue` unwrapped: its JSON type and value, `None` when it is no
/// `AnyValue`. The first member set of `stringValue` (or `bytesValue`),
/// `intValue`, `doubleValue`, `boolValue`, `arrayValue`, `kvlistValue`
/// decides; none set is null.
fn any_model(any: &Value, depth: usize) -> Result<Option<(JsonKind, Value)>, ()> {
    if depth > MAX_MODEL_DEPTH {
        return Err(());
    }
    let Some(members) = any.as_object() else {
        return Ok(None);
    };
    let member = |name: &str| members.get(name).filter(|value| !value.is_null());
    if let Some(value) = member("stringValue").or_else(|| member("bytesValue")) {
        return Ok(value.is_string().then(|| (JsonKind::String, value.clone())));
    }
    if let Some(value) = member("intValue") {
        return Ok(int_model(value).map(|int| (JsonKind::Number, Value::from(int))));
    }
    if let Some(value) = member("doubleValue") {
        return Ok(match value {
            Value::Number(_) => Some((JsonKind::Number, value.clone())),
            Value::String(_) => Some((JsonKind::String, value.clone())),
            _ => None,
        });
    }
    if let Some(value) = member("boolValue") {
        return Ok(value
            .is_boolean()
            .then(|| (JsonKind::Boolean, value.clone())));
    }
    if let Some(array) = member("arrayValue") {
        let mut items = Vec::new();
        for item in values_of(array).into_iter().flatten() {
            match any_model(item, depth + 1)? {
                Some((_, value)) => items.push(value),
                None => return Ok(None),
            }
        }
        return Ok(values_of(array).map(|_| (JsonKind::Array, Value::Array(items))));
    }
    if let Some(list) = member("kvlistValue") {
        let mut object = Map::new();
        for pair in values_of(list).into_iter().flatten() {
            let Some(key) = pair.get("key").and_then(Value::as_str) else {
                return Ok(None);
            };
            let value = match pair.get("value").filter(|value| !value.is_null()) {
                None => Value::Null,
                Some(any) => match any_model(any, depth + 1)? {
                    Some((_, value)) => value,
                    None => return Ok(None),
                },
            };
            object.insert(key.to_owned(), value);
        }
        return Ok(values_of(list).map(|_| (JsonKind::Object, Value::Object(object))));
    }
    Ok(Some((JsonKind::Null, Value::Null)))
}

/// An `intValue`: a 64-bit integer, written as a JSON number or as a
/// string holding one.
fn int_model(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => canonical_integer(text),
        _ => None,
    }
}

/// `text` as an integer written as JSON writes one (`0` or `-?[1-9][0-9]*`;
/// `-0` is none: JSON readers take it for a float), when it fits 64 bits.
pub fn canonical_integer(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let canonical = text == "0"
        || (digits.starts_with(|c: char| ('1'..='9').contains(&c))
            && digits.bytes().all(|b| b.is_ascii_digit()));
    canonical.then(|| text.parse().ok()).flatten()
}

/// The `values` of an `ArrayValue` or `KeyValueList`: an array, or
/// nothing when absent; `None` when it is no such object.
fn values_of(list: &Value) -> Option<&[Value]> {
    optional_array(list.as_object()?.get("values"))
}

#[cfg(test)]
mod tests {
    use super::record_repeats_a_member;

    #[test]
    fn repetitions_count_where_the_reader_reads() {
        for text in [
            r#"{"attributes":[{"k":""}],"attributes":[]}"#,
            r#"{"body":null,"body":{}}"#,
            r#"{"attributes":[{"key":"a","key":"b"}]}"#,
            r#"{"attributes":[{"key":"a","value":{"kvlistValue":{"values":[{"key":"b","value":{"boolValue":true,"boolValue":false}}]}}}]}"#,
            r#"{"body":{"arrayValue":{"values":[],"values":[]}}}"#,
        ] {
            assert!(record_repeats_a_member(text), "{text}");
        }
        for text in [
            r#"{"attributes":[{"key":"a"}]}"#,
            r#"{"x":1,"x":2,"attributes":[{"key":"a","note":1,"note":2}]}"#,
            r#"{"body":{"stringValue":"x","arrayValue":{"values":[],"values":[]}}}"#,
            r#"{"body":{"intValue":1,"kvlistValue":{"values":[{"key":"a","key":"b"}]}}}"#,
        ] {
            assert!(!record_repeats_a_member(text), "{text}");
        }
    }
}
