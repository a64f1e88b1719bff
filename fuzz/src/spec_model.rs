//! Structure-aware input for the `spec-model` target: a spec built by
//! `arbitrary` from the parts the spec format has (record kinds, levels,
//! emitters, fields of every value type, events, variants, examples,
//! stream rules), written out as YAML text for the loader.
//!
//! Mutating the 300 KB built-in specs byte by byte mostly breaks their
//! YAML; built from the model, nearly every input is a spec the schema
//! can judge, so the fuzzer spends its time in validation, references,
//! compilation, lint and the examples' checks. Names come from a small
//! vocabulary (so references between parts meet), or are free text (so
//! they sometimes do not). The text is JSON, which is YAML too.

use arbitrary::Arbitrary;
use serde_json::{json, Map, Value};

const FORMATS: [&str; 13] = [
    "rfc3164",
    "rfc5424",
    "journald",
    "bare",
    "json-lines",
    "json-document",
    "extended-json",
    "logback",
    "pipe-separated",
    "rce-readable",
    "sse",
    "otlp-json",
    "plain-text",
];

const VALUE_TYPES: [&str; 13] = [
    "string",
    "integer",
    "hex",
    "duration",
    "host-port",
    "ip",
    "hostname",
    "host",
    "list",
    "timestamp",
    "enum",
    "pattern",
    "number",
];

const WORDS: [&str; 16] = [
    "EVENT", "ACTION", "PORT", "HOST", "level", "msg", "ts", "event", "user.id", "ERROR", "SCRIPT",
    "start", "stop", "INFO", "WARN", "ctl",
];

const UNITS: [&str; 7] = ["ns", "us", "ms", "s", "m", "h", "d"];

/// A name: one of a few shared words (so references meet), or free text.
#[derive(Debug, Arbitrary)]
pub enum Name {
    Word(u8),
    Free(String),
}

impl Name {
    fn text(&self) -> String {
        match self {
            Name::Word(index) => WORDS[usize::from(*index) % WORDS.len()].to_owned(),
            Name::Free(text) => text.clone(),
        }
    }
}

#[derive(Debug, Arbitrary)]
pub struct ArbitrarySpec {
    pub producer: Name,
    pub kinds: Vec<Kind>,
    pub facility: Option<u8>,
    pub levels: Vec<(Name, u8)>,
    pub emitters: Vec<(Name, Vec<Name>)>,
    pub fields: Vec<(Name, ValueType)>,
    pub events: Vec<Event>,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Arbitrary)]
pub struct Kind {
    pub name: Name,
    pub formats: Vec<u8>,
    pub key_value: bool,
    /// The event key, or the one event of every record.
    pub event: Result<Name, Name>,
    pub paths: Vec<String>,
    pub timestamp: Option<(Name, Option<u8>)>,
    pub level: Option<Name>,
    pub message: Option<Name>,
}

#[derive(Debug, Arbitrary)]
pub struct ValueType {
    pub kind: u8,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub length: Option<(u8, u8)>,
    pub units: Vec<u8>,
    pub values: Vec<Name>,
    pub pattern: Option<String>,
    pub separator: Option<String>,
    pub item: Option<Box<ValueType>>,
    pub also: Vec<String>,
    pub empty: Option<bool>,
    pub json: Vec<u8>,
    pub nullable: Option<bool>,
}

#[derive(Debug, Arbitrary)]
pub struct Event {
    pub id: Name,
    pub kind: Option<Name>,
    pub variants: Vec<Variant>,
}

#[derive(Debug, Arbitrary)]
pub struct Variant {
    pub name: Name,
    pub severity: Name,
    pub emitters: Vec<Name>,
    pub fields: Vec<(Name, bool, Vec<Name>)>,
    pub ordered: Option<bool>,
    pub additional_fields: Option<bool>,
    pub forbidden: Vec<Name>,
    pub examples: Vec<Example>,
    pub messages: Vec<String>,
}

/// An example line: made of the variant's own fields (in the first kind's
/// payload syntax) so that it stands a chance of conforming, or free text.
#[derive(Debug, Arbitrary)]
pub enum Example {
    Pairs(Vec<(u8, String)>),
    Json(Vec<(u8, String)>),
    Free(String),
}

#[derive(Debug, Arbitrary)]
pub struct Rule {
    pub id: Name,
    pub key: Vec<Name>,
    pub participants: Vec<(Name, Vec<Name>, Vec<Name>)>,
    pub violation: Option<u8>,
    pub require: Option<String>,
}

fn pick<'a>(list: &[&'a str], index: u8) -> &'a str {
    list[usize::from(index) % list.len()]
}

fn names(names: &[Name]) -> Vec<String> {
    names.iter().map(Name::text).collect()
}

impl ValueType {
    fn value(&self, depth: usize) -> Map<String, Value> {
        let mut out = Map::new();
        out.insert("type".into(), json!(pick(&VALUE_TYPES, self.kind)));
        let mut put = |key: &str, value: Value| {
            out.insert(key.to_owned(), value);
        };
        if let Some(min) = self.min {
            put("min", json!(min));
        }
        if let Some(max) = self.max {
            put("max", json!(max));
        }
        if let Some((low, high)) = self.length {
            put("min_length", json!(low));
            put("max_length", json!(high));
        }
        if !self.units.is_empty() {
            let units: Vec<&str> = self.units.iter().map(|&unit| pick(&UNITS, unit)).collect();
            put("units", json!(units));
        }
        if !self.values.is_empty() {
            put("values", json!(names(&self.values)));
        }
        if let Some(pattern) = &self.pattern {
            put("pattern", json!(pattern));
        }
        if let Some(separator) = &self.separator {
            put("separator", json!(separator));
        }
        if let (Some(item), true) = (&self.item, depth < 3) {
            put("item", Value::Object(item.value(depth + 1)));
        }
        if !self.also.is_empty() {
            put("also", json!(self.also));
        }
        if let Some(empty) = self.empty {
            put("empty", json!(empty));
        }
        if !self.json.is_empty() {
            const JSON: [&str; 7] = [
                "string",
                "number",
                "boolean",
                "array",
                "object",
                "object-id",
                "date",
            ];
            let types: Vec<&str> = self.json.iter().map(|&t| pick(&JSON, t)).collect();
            put("json", json!(types));
        }
        if let Some(nullable) = self.nullable {
            put("nullable", json!(nullable));
        }
        out
    }
}

impl Kind {
    fn value(&self, named: bool) -> Value {
        let mut out = Map::new();
        if named {
            out.insert("name".into(), json!(self.name.text()));
        }
        let formats: Vec<&str> = self.formats.iter().map(|&f| pick(&FORMATS, f)).collect();
        out.insert("envelopes".into(), json!(formats));
        if self.key_value {
            out.insert("payload".into(), json!("key-value"));
        }
        match &self.event {
            Ok(key) => out.insert("event_key".into(), json!(key.text())),
            Err(event) => out.insert("event".into(), json!(event.text())),
        };
        if !self.paths.is_empty() {
            out.insert("paths".into(), json!(self.paths));
        }
        if let Some((field, epoch)) = &self.timestamp {
            let mut timestamp = Map::new();
            timestamp.insert("field".into(), json!(field.text()));
            if let Some(epoch) = epoch {
                let units = ["seconds", "milliseconds", "microseconds", "nanoseconds"];
                timestamp.insert("epoch".into(), json!(pick(&units, *epoch)));
            }
            out.insert("timestamp".into(), Value::Object(timestamp));
        }
        if let Some(level) = &self.level {
            out.insert("level".into(), json!({"field": level.text()}));
        }
        if let Some(message) = &self.message {
            out.insert("message".into(), json!({"field": message.text()}));
        }
        Value::Object(out)
    }
}

impl Example {
    fn line(&self, fields: &[String]) -> String {
        let field = |index: u8| {
            fields
                .get(usize::from(index) % fields.len().max(1))
                .cloned()
                .unwrap_or_default()
        };
        match self {
            Example::Pairs(pairs) => pairs
                .iter()
                .map(|(index, value)| format!("{}={value}", field(*index)))
                .collect::<Vec<_>>()
                .join(" "),
            Example::Json(pairs) => {
                let object: Map<String, Value> = pairs
                    .iter()
                    .map(|(index, value)| (field(*index), json!(value)))
                    .collect();
                Value::Object(object).to_string()
            }
            Example::Free(text) => text.clone(),
        }
    }
}

impl Variant {
    fn value(&self) -> Value {
        let mut out = Map::new();
        out.insert("name".into(), json!(self.name.text()));
        out.insert("severity".into(), json!(self.severity.text()));
        if !self.emitters.is_empty() {
            out.insert("emitters".into(), json!(names(&self.emitters)));
        }
        let fields: Vec<Value> = self
            .fields
            .iter()
            .map(|(name, optional, values)| {
                if !optional && values.is_empty() {
                    json!(name.text())
                } else {
                    let mut used = Map::new();
                    used.insert("name".into(), json!(name.text()));
                    used.insert("optional".into(), json!(optional));
                    if !values.is_empty() {
                        used.insert("values".into(), json!(names(values)));
                    }
                    Value::Object(used)
                }
            })
            .collect();
        out.insert("fields".into(), Value::Array(fields));
        if let Some(ordered) = self.ordered {
            out.insert("ordered".into(), json!(ordered));
        }
        if let Some(additional) = self.additional_fields {
            out.insert("additional_fields".into(), json!(additional));
        }
        if !self.forbidden.is_empty() {
            out.insert("forbidden".into(), json!(names(&self.forbidden)));
        }
        let field_names: Vec<String> = self.fields.iter().map(|(name, ..)| name.text()).collect();
        if !self.examples.is_empty() {
            let lines: Vec<String> = self
                .examples
                .iter()
                .map(|example| example.line(&field_names))
                .collect();
            out.insert("examples".into(), json!(lines));
        }
        if !self.messages.is_empty() {
            out.insert("messages".into(), json!(self.messages));
        }
        Value::Object(out)
    }
}

impl Rule {
    fn value(&self) -> Value {
        const VIOLATIONS: [&str; 3] =
            ["sequence-violation", "exclusive-violation", "duplicate-key"];
        let participants: Vec<Value> = self
            .participants
            .iter()
            .map(|(label, matches, key)| {
                let key: Vec<Value> = key.iter().map(|f| json!({"field": f.text()})).collect();
                let mut participant = Map::new();
                participant.insert("label".into(), json!(label.text()));
                participant.insert("match".into(), json!(names(matches)));
                participant.insert("key".into(), Value::Array(key));
                if let Some(require) = &self.require {
                    participant.insert("require".into(), json!(require));
                }
                Value::Object(participant)
            })
            .collect();
        let mut out = Map::new();
        out.insert("id".into(), json!(self.id.text()));
        out.insert("description".into(), json!("A rule."));
        out.insert("key".into(), json!(names(&self.key)));
        out.insert("participants".into(), Value::Array(participants));
        if let Some(violation) = self.violation {
            out.insert("violation".into(), json!(pick(&VIOLATIONS, violation)));
        }
        Value::Object(out)
    }
}

impl ArbitrarySpec {
    /// The spec as text for the loader.
    pub fn text(&self) -> String {
        let mut spec = Map::new();
        spec.insert("logspec".into(), json!(1));
        spec.insert(
            "producer".into(),
            json!({"name": self.producer.text(), "summary": "A producer."}),
        );
        spec.insert("document".into(), json!({"title": "A document"}));
        let mut kinds = self.kinds.iter();
        spec.insert(
            "wire".into(),
            kinds.next().map_or(json!({}), |kind| kind.value(false)),
        );
        let records: Vec<Value> = kinds.map(|kind| kind.value(true)).collect();
        if !records.is_empty() {
            spec.insert("records".into(), Value::Array(records));
        }
        let mut severity = Map::new();
        if let Some(facility) = self.facility {
            let facilities = ["daemon", "user", "local0", "auth", "kern"];
            severity.insert("facility".into(), json!(pick(&facilities, facility)));
        }
        let levels: Vec<Value> = self
            .levels
            .iter()
            .map(|(name, syslog)| json!({"name": name.text(), "syslog": syslog % 9}))
            .collect();
        severity.insert("levels".into(), Value::Array(levels));
        spec.insert("severity".into(), Value::Object(severity));
        if !self.emitters.is_empty() {
            let emitters: Vec<Value> = self
                .emitters
                .iter()
                .map(|(name, tags)| {
                    let tags: Vec<Value> = tags
                        .iter()
                        .map(|tag| json!({"tag": tag.text(), "source": "Overview"}))
                        .collect();
                    json!({"name": name.text(), "tags": tags})
                })
                .collect();
            spec.insert("emitters".into(), Value::Array(emitters));
        }
        let fields: Map<String, Value> = self
            .fields
            .iter()
            .map(|(name, value_type)| {
                let mut definition = value_type.value(0);
                definition.insert("description".into(), json!("A field."));
                (name.text(), Value::Object(definition))
            })
            .collect();
        spec.insert("fields".into(), Value::Object(fields));
        if !self.events.is_empty() {
            let events: Vec<Value> = self
                .events
                .iter()
                .map(|event| {
                    let mut out = Map::new();
                    out.insert("id".into(), json!(event.id.text()));
                    out.insert("section".into(), json!("Events"));
                    if let Some(kind) = &event.kind {
                        out.insert("record".into(), json!(kind.text()));
                    }
                    let variants: Vec<Value> = event.variants.iter().map(Variant::value).collect();
                    out.insert("variants".into(), Value::Array(variants));
                    Value::Object(out)
                })
                .collect();
            spec.insert("events".into(), Value::Array(events));
        }
        if !self.rules.is_empty() {
            let rules: Vec<Value> = self.rules.iter().map(Rule::value).collect();
            spec.insert("rules".into(), Value::Array(rules));
        }
        format!("{:#}", Value::Object(spec))
    }
}
