//! Structure-aware input for the `otlp-export` target: an OTLP/JSON log
//! export that `arbitrary` builds from fuzzer bytes (resources, scopes,
//! log records with their typed attributes, nested arrays and key-value
//! lists), rendered as the collector's file exporter writes it, but with
//! each record's members in an arbitrary order and unknown members mixed
//! in. [`ArbitraryExport::line`] returns the line together with what the
//! reader must read from each log record: every field, its value and JSON
//! type, and the exact text its key and value spans must cover.

use crate::otlp::short_name;
use crate::render::json_string;
use arbitrary::Arbitrary;
use logspec_reader::JsonKind;
use serde_json::{Map, Value};

/// Nesting rendered at most; deeper values are rendered empty (`{}`).
const MAX_DEPTH: usize = 8;

#[derive(Debug, Arbitrary)]
pub struct ArbitraryExport {
    pub resources: Vec<Resource>,
}

#[derive(Debug, Arbitrary)]
pub struct Resource {
    /// Resource attributes: never part of a record.
    pub attributes: Vec<(String, AnyValue)>,
    pub scopes: Vec<Scope>,
}

#[derive(Debug, Arbitrary)]
pub struct Scope {
    pub name: Option<String>,
    pub records: Vec<LogRecord>,
}

#[derive(Debug, Arbitrary)]
pub struct LogRecord {
    pub time_unix_nano: Option<u64>,
    pub observed_time_unix_nano: Option<u64>,
    pub severity_number: Option<u8>,
    pub severity_text: Option<String>,
    pub body: Option<AnyValue>,
    pub event_name: Option<String>,
    pub trace_id: Option<[u8; 16]>,
    pub span_id: Option<[u8; 8]>,
    pub flags: Option<u32>,
    /// Attributes; `None` writes an entry without a value.
    pub attributes: Vec<(String, Option<AnyValue>)>,
    /// Sort keys placing the members in an arbitrary order.
    pub ranks: Vec<u8>,
}

/// An OTLP `AnyValue`.
#[derive(Debug, Arbitrary)]
pub enum AnyValue {
    String(String),
    Bool(bool),
    /// The integer, and whether it is written as a JSON number rather
    /// than the string OTLP/JSON writes int64 as.
    Int(i64, bool),
    Double(f64),
    Bytes(String),
    Array(Vec<AnyValue>),
    Kvlist(Vec<(String, AnyValue)>),
    Empty,
}

/// What reading a rendered field must give.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedField {
    pub key: String,
    pub json: JsonKind,
    /// The value as text: a string's text, a number, boolean, array or
    /// object as JSON (compared as JSON values), null as empty.
    pub value: ExpectedValue,
    /// The JSON text the key span covers, if the key is written.
    pub key_text: Option<String>,
    /// The JSON text the value span covers.
    pub value_text: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExpectedValue {
    /// Exactly this text.
    Text(String),
    /// A double: text that parses back to exactly this number.
    Double(f64),
    /// JSON text equal to this value.
    Json(Value),
}

impl ArbitraryExport {
    /// The export as one line, and the fields of each of its log records,
    /// in order.
    pub fn line(&self) -> (String, Vec<Vec<ExpectedField>>) {
        let mut expected = Vec::new();
        let resources: Vec<String> = self
            .resources
            .iter()
            .map(|resource| resource.render(&mut expected))
            .collect();
        let line = format!("{{\"resourceLogs\":[{}]}}", resources.join(","));
        (line, expected)
    }
}

impl Resource {
    fn render(&self, expected: &mut Vec<Vec<ExpectedField>>) -> String {
        let attributes: Vec<String> = self
            .attributes
            .iter()
            .map(|(key, value)| key_value(key, Some(value)).0)
            .collect();
        let scopes: Vec<String> = self
            .scopes
            .iter()
            .map(|scope| {
                let name = scope
                    .name
                    .as_deref()
                    .map(|name| format!("\"scope\":{{\"name\":{}}},", json_string(name)))
                    .unwrap_or_default();
                let records: Vec<String> = scope
                    .records
                    .iter()
                    .map(|record| {
                        let (text, fields) = record.render();
                        expected.push(fields);
                        text
                    })
                    .collect();
                format!("{{{name}\"logRecords\":[{}]}}", records.join(","))
            })
            .collect();
        format!(
            "{{\"resource\":{{\"attributes\":[{}]}},\"scopeLogs\":[{}]}}",
            attributes.join(","),
            scopes.join(",")
        )
    }
}

impl LogRecord {
    fn render(&self) -> (String, Vec<ExpectedField>) {
        // (member, its JSON, the fields it gives), in the reader's order.
        let mut members: Vec<(&str, String, Vec<ExpectedField>)> = Vec::new();
        let mut scalar = |name: &'static str, text: Option<String>, json, value| {
            if let Some(text) = text {
                let field = ExpectedField {
                    key: name.to_owned(),
                    json,
                    value,
                    key_text: None,
                    value_text: Some(text.clone()),
                };
                members.push((name, text, vec![field]));
            }
        };
        let nanos = |time: Option<u64>| time.map(|time| format!("\"{time}\""));
        let digits = |time: Option<u64>| ExpectedValue::Text(time.unwrap_or(0).to_string());
        scalar(
            "timeUnixNano",
            nanos(self.time_unix_nano),
            JsonKind::String,
            digits(self.time_unix_nano),
        );
        scalar(
            "observedTimeUnixNano",
            nanos(self.observed_time_unix_nano),
            JsonKind::String,
            digits(self.observed_time_unix_nano),
        );
        let severity = self.severity_number.map(|number| number % 26);
        scalar(
            "severityNumber",
            severity.map(|number| number.to_string()),
            JsonKind::Number,
            ExpectedValue::Json(Value::from(severity.unwrap_or(0))),
        );
        let severity_text = self
            .severity_text
            .clone()
            .or_else(|| severity.and_then(short_name).map(str::to_owned));
        if let Some(text) = &severity_text {
            let written = self.severity_text.as_deref().map(json_string);
            let field = ExpectedField {
                key: "severityText".to_owned(),
                json: JsonKind::String,
                value: ExpectedValue::Text(text.clone()),
                key_text: None,
                // Named after the number: placed on the number.
                value_text: written.clone().or_else(|| severity.map(|n| n.to_string())),
            };
            match written {
                Some(written) => members.push(("severityText", written, vec![field])),
                None => {
                    if let Some(number) = members.last_mut() {
                        number.2.push(field);
                    }
                }
            }
        }
        if let Some(body) = &self.body {
            let (text, json, value) = body.render(0);
            let field = ExpectedField {
                key: "body".to_owned(),
                json,
                value,
                key_text: None,
                value_text: Some(text.clone()),
            };
            members.push(("body", text, vec![field]));
        }
        let mut text_member = |name: &'static str, text: Option<String>| {
            if let Some(text) = text {
                let written = json_string(&text);
                let field = ExpectedField {
                    key: name.to_owned(),
                    json: JsonKind::String,
                    value: ExpectedValue::Text(text),
                    key_text: None,
                    value_text: Some(written.clone()),
                };
                members.push((name, written, vec![field]));
            }
        };
        text_member("eventName", self.event_name.clone());
        text_member("traceId", self.trace_id.map(|id| hex(&id)));
        text_member("spanId", self.span_id.map(|id| hex(&id)));
        if !self.attributes.is_empty() {
            let (texts, fields): (Vec<String>, Vec<ExpectedField>) = self
                .attributes
                .iter()
                .map(|(key, value)| key_value(key, value.as_ref()))
                .unzip();
            members.push(("attributes", format!("[{}]", texts.join(",")), fields));
        }
        if let Some(flags) = self.flags {
            // A member the reader does not read.
            members.push(("flags", flags.to_string(), Vec::new()));
        }
        let mut order: Vec<usize> = (0..members.len()).collect();
        order.sort_by_key(|&index| (self.ranks.get(index).copied().unwrap_or(0), index));
        let text: Vec<String> = order
            .iter()
            .map(|&index| format!("{}:{}", json_string(members[index].0), members[index].1))
            .collect();
        let fields = members.into_iter().flat_map(|member| member.2).collect();
        (format!("{{{}}}", text.join(",")), fields)
    }
}

/// A `KeyValue` entry's JSON, and the field it gives.
fn key_value(key: &str, value: Option<&AnyValue>) -> (String, ExpectedField) {
    let key_text = json_string(key);
    let (text, field) = match value {
        Some(value) => {
            let (text, json, expected) = value.render(0);
            let field = ExpectedField {
                key: key.to_owned(),
                json,
                value: expected,
                key_text: Some(key_text.clone()),
                value_text: Some(text.clone()),
            };
            (format!("{{\"key\":{key_text},\"value\":{text}}}"), field)
        }
        None => {
            let field = ExpectedField {
                key: key.to_owned(),
                json: JsonKind::Null,
                value: ExpectedValue::Text(String::new()),
                key_text: Some(key_text.clone()),
                value_text: None,
            };
            (format!("{{\"key\":{key_text}}}"), field)
        }
    };
    (text, field)
}

impl AnyValue {
    /// The `AnyValue`'s JSON, the type it is read as, and its value.
    fn render(&self, depth: usize) -> (String, JsonKind, ExpectedValue) {
        let (text, json, value) = self.render_plain(depth);
        let value = match (json, value) {
            (JsonKind::String, Value::String(text)) => ExpectedValue::Text(text),
            (JsonKind::Number, Value::Number(number)) if number.is_f64() => {
                ExpectedValue::Double(number.as_f64().unwrap_or_default())
            }
            (JsonKind::Null, _) => ExpectedValue::Text(String::new()),
            (_, value) => ExpectedValue::Json(value),
        };
        (text, json, value)
    }

    /// The `AnyValue`'s JSON, its type, and the plain JSON value it
    /// stands for (what it is inside an array or key-value list).
    fn render_plain(&self, depth: usize) -> (String, JsonKind, Value) {
        if depth > MAX_DEPTH {
            return ("{}".to_owned(), JsonKind::Null, Value::Null);
        }
        match self {
            AnyValue::String(text) => (
                format!("{{\"stringValue\":{}}}", json_string(text)),
                JsonKind::String,
                Value::from(text.as_str()),
            ),
            AnyValue::Bytes(text) => (
                format!("{{\"bytesValue\":{}}}", json_string(text)),
                JsonKind::String,
                Value::from(text.as_str()),
            ),
            AnyValue::Bool(bool) => (
                format!("{{\"boolValue\":{bool}}}"),
                JsonKind::Boolean,
                Value::from(*bool),
            ),
            AnyValue::Int(int, as_number) => (
                if *as_number {
                    format!("{{\"intValue\":{int}}}")
                } else {
                    format!("{{\"intValue\":\"{int}\"}}")
                },
                JsonKind::Number,
                Value::from(*int),
            ),
            AnyValue::Double(double) => match serde_json::Number::from_f64(*double) {
                Some(number) => (
                    format!("{{\"doubleValue\":{number}}}"),
                    JsonKind::Number,
                    Value::Number(number),
                ),
                None => {
                    // Not finite: OTLP/JSON writes it as a string.
                    let name = if double.is_nan() {
                        "NaN"
                    } else if *double > 0.0 {
                        "Infinity"
                    } else {
                        "-Infinity"
                    };
                    (
                        format!("{{\"doubleValue\":\"{name}\"}}"),
                        JsonKind::String,
                        Value::from(name),
                    )
                }
            },
            AnyValue::Array(items) => {
                let (texts, values): (Vec<String>, Vec<Value>) = items
                    .iter()
                    .map(|item| {
                        let (text, _, value) = item.render_plain(depth + 1);
                        (text, value)
                    })
                    .unzip();
                (
                    format!("{{\"arrayValue\":{{\"values\":[{}]}}}}", texts.join(",")),
                    JsonKind::Array,
                    Value::Array(values),
                )
            }
            AnyValue::Kvlist(pairs) => {
                let mut object = Map::new();
                let texts: Vec<String> = pairs
                    .iter()
                    .map(|(key, value)| {
                        let (text, _, value) = value.render_plain(depth + 1);
                        // A repeated key: the last one counts.
                        object.insert(key.clone(), value);
                        format!("{{\"key\":{},\"value\":{text}}}", json_string(key))
                    })
                    .collect();
                (
                    format!("{{\"kvlistValue\":{{\"values\":[{}]}}}}", texts.join(",")),
                    JsonKind::Object,
                    Value::Object(object),
                )
            }
            AnyValue::Empty => ("{}".to_owned(), JsonKind::Null, Value::Null),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
