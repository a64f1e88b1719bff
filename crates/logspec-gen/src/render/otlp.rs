//! OTLP/JSON: the record as the one log record of an export line. Fields
//! written under an OTLP member's name (`timeUnixNano`, `severityText`,
//! `body`, …: the spec's glossary maps its names to them) go in that
//! member; every other field becomes an attribute, its value wrapped in the
//! `AnyValue` its JSON type calls for (`intValue` as a string, as OTLP/JSON
//! writes int64).

use super::json::{is_json_number, write_string};
use crate::record::{Field, Record};
use crate::RenderError;
use logspec_reader::JsonKind;

/// Log record members written as plain JSON values.
const SCALAR_MEMBERS: [&str; 6] = [
    "timeUnixNano",
    "observedTimeUnixNano",
    "severityText",
    "eventName",
    "traceId",
    "spanId",
];

/// Where the reader returns a field written under `key`: the log record's
/// members in their order, then the attributes.
pub(super) fn rank(key: &str) -> usize {
    const ORDER: [&str; 8] = [
        "timeUnixNano",
        "observedTimeUnixNano",
        "severityNumber",
        "severityText",
        "body",
        "eventName",
        "traceId",
        "spanId",
    ];
    ORDER
        .iter()
        .position(|member| *member == key)
        .unwrap_or(ORDER.len())
}

pub(super) fn render(record: &Record) -> Result<String, RenderError> {
    let mut members: Vec<(&str, String)> = Vec::new();
    let mut attributes: Vec<String> = Vec::new();
    for field in &record.fields {
        let key = field.written_key();
        let member = SCALAR_MEMBERS.contains(&key) || matches!(key, "severityNumber" | "body");
        if member && members.iter().any(|(name, _)| *name == key) {
            // A member cannot be written twice; attributes can.
            return Err(RenderError::Layout {
                what: format!("{key} twice"),
                framing: "otlp-json".to_owned(),
            });
        }
        if key == "body" {
            members.push((key, any_value(field)?));
        } else if key == "severityNumber" {
            members.push((key, scalar(field, JsonKind::Number)?));
        } else if member {
            members.push((key, scalar(field, JsonKind::String)?));
        } else {
            let mut attribute = String::from("{\"key\":");
            write_string(&mut attribute, key);
            attribute.push_str(",\"value\":");
            attribute.push_str(&any_value(field)?);
            attribute.push('}');
            attributes.push(attribute);
        }
    }
    let mut log = String::from("{");
    for (index, (name, value)) in members.iter().enumerate() {
        if index > 0 {
            log.push(',');
        }
        write_string(&mut log, name);
        log.push(':');
        log.push_str(value);
    }
    if !members.is_empty() {
        log.push(',');
    }
    log.push_str("\"attributes\":[");
    log.push_str(&attributes.join(","));
    log.push_str("]}");
    Ok(format!(
        "{{\"resourceLogs\":[{{\"scopeLogs\":[{{\"logRecords\":[{log}]}}]}}]}}"
    ))
}

fn refuse(field: &Field, json: &'static str) -> RenderError {
    RenderError::Json {
        key: field.key.clone(),
        value: field.value.clone(),
        json,
        framing: "otlp-json".to_owned(),
    }
}

/// A member OTLP types itself: its value must have that type.
fn scalar(field: &Field, wanted: JsonKind) -> Result<String, RenderError> {
    let mut out = String::new();
    match (field.json, wanted) {
        (JsonKind::String, JsonKind::String) => write_string(&mut out, &field.value),
        (JsonKind::Number, JsonKind::Number) if is_json_number(&field.value) => {
            out.push_str(&field.value)
        }
        _ => return Err(refuse(field, wanted.name())),
    }
    Ok(out)
}

/// The field's value as an `AnyValue`.
fn any_value(field: &Field) -> Result<String, RenderError> {
    let value = field.value.as_str();
    Ok(match field.json {
        JsonKind::String => {
            let mut out = String::from("{\"stringValue\":");
            write_string(&mut out, value);
            out.push('}');
            out
        }
        JsonKind::Number if value.parse::<i64>().is_ok() => format!("{{\"intValue\":\"{value}\"}}"),
        JsonKind::Number if is_json_number(value) => format!("{{\"doubleValue\":{value}}}"),
        JsonKind::Boolean if matches!(value, "true" | "false") => {
            format!("{{\"boolValue\":{value}}}")
        }
        JsonKind::Null => "{}".to_owned(),
        JsonKind::Array | JsonKind::Object => {
            let plain: serde_json::Value =
                serde_json::from_str(value).map_err(|_| refuse(field, field.json.name()))?;
            wrap(&plain)
        }
        other => return Err(refuse(field, other.name())),
    })
}

/// A plain JSON value as the `AnyValue` that stands for it.
fn wrap(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "{}".to_owned(),
        Value::Bool(flag) => format!("{{\"boolValue\":{flag}}}"),
        Value::Number(number) if number.is_i64() => format!("{{\"intValue\":\"{number}\"}}"),
        Value::Number(number) => format!("{{\"doubleValue\":{number}}}"),
        Value::String(text) => {
            let mut out = String::from("{\"stringValue\":");
            write_string(&mut out, text);
            out.push('}');
            out
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(wrap).collect();
            format!("{{\"arrayValue\":{{\"values\":[{}]}}}}", items.join(","))
        }
        Value::Object(members) => {
            let pairs: Vec<String> = members
                .iter()
                .map(|(key, value)| {
                    let mut pair = String::from("{\"key\":");
                    write_string(&mut pair, key);
                    pair.push_str(",\"value\":");
                    pair.push_str(&wrap(value));
                    pair.push('}');
                    pair
                })
                .collect();
            format!("{{\"kvlistValue\":{{\"values\":[{}]}}}}", pairs.join(","))
        }
    }
}
