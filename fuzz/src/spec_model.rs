//! Structure-aware input for the `spec-model` target: a spec built by
//! `arbitrary` from the parts the spec format has (record kinds, levels,
//! emitters, fields of every value type, events, variants, examples,
//! stream rules with lifecycles), written out as text for the loader.
//!
//! Mutating the 300 KB built-in specs byte by byte mostly breaks their
//! YAML, and a spec drawn part by part breaks one of its many constraints
//! almost surely (an empty list the schema forbids, a name used twice, a
//! reference to nothing): either way the fuzzer would spend its time in
//! the loader's first refusal. So the model writes a spec that is valid by
//! construction, and leaves the breaking to a few deliberate doors: each
//! name is, one time in [`FREE_IN`], free text instead of one of its role's
//! words (so references sometimes do not meet and identifiers are
//! sometimes not identifiers), and patterns and conditions are sometimes
//! free text too. Most inputs then load, and the fuzzer's time goes to
//! compilation, lint and checking the examples, where the depth is; the
//! `spec` target covers text that is not a spec. A unit test holds the
//! share of drawn specs that load, so the model cannot drift from the
//! schema unnoticed. The text is written as JSON or as block YAML
//! ([`Style`]); a unit test holds its parse to the data either way.

use arbitrary::{Arbitrary, Unstructured};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

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

// Each role's words. Every field word is in the glossary, every level word
// a level, every emitter word an emitter, so that a reference by word
// resolves; events and labels resolve when the spec happens to have them.
const PRODUCERS: [&str; 3] = ["ctl", "agent-hub", "svc.api"];
const KINDS: [&str; 3] = ["records", "audit", "trace"];
const FIELDS: [&str; 13] = [
    "EVENT", "ACTION", "PORT", "HOST", "REQID", "level", "msg", "ts", "event", "user.id", "SCRIPT",
    "EXIT", "HOSTS",
];
/// The glossary's list field (a fan-out lists its members in it); the
/// other field words are strings unless drawn otherwise.
const LIST_FIELD: &str = "HOSTS";
const LEVELS: [&str; 5] = ["INFO", "WARN", "ERROR", "DEBUG", "NOTICE"];
const EMITTERS: [&str; 3] = ["ctl", "agent", "api"];
const EVENTS: [&str; 5] = ["start", "stop", "run", "ping", "deny"];
const VARIANTS: [&str; 4] = ["default", "ok", "fail", "agent"];
const VALUES: [&str; 7] = ["start", "stop", "ok", "yes", "0", "1", "INFO"];
const RULES: [&str; 3] = ["pairs", "once", "order"];
const LABELS: [&str; 4] = ["open", "close", "step", "reply"];
const STATES: [&str; 4] = ["new", "open", "done", "failed"];
const PATTERNS: [&str; 5] = ["^[a-z]+$", "[0-9]{1,3}", "^(start|stop)$", "[A-Z]+", ".*"];
const CONDITIONS: [&str; 10] = [
    "has(record.PORT)",
    "record.ACTION == \"start\"",
    "size(record.HOST) > 0",
    "!has(earlier.open) || record.SCRIPT == earlier.open.SCRIPT",
    "count.step < 3",
    "record.EXIT != \"1\"",
    "!has(earlier.open) || since.open <= params.limit_window",
    "within.probe.step <= 2 * params.limit",
    "!covered.probe || count.open < params.limit",
    "span.open >= duration(\"1s\") || key.REQID != \"\"",
];
const PARAMS: [&str; 2] = ["limit", "limit_window"];
const LENGTHS: [&str; 4] = ["600s", "10m", "1h", "2s"];
const MARGINS: [&str; 3] = ["2s", "-1s", "500ms"];
const ENVELOPE_PARTS: [&str; 4] = ["host", "tag", "pid", "file"];
const UNITS: [&str; 7] = ["ns", "us", "ms", "s", "m", "h", "d"];
const JSON_TYPES: [&str; 7] = [
    "string",
    "number",
    "boolean",
    "array",
    "object",
    "object-id",
    "date",
];

/// One name in [`FREE_IN`] is free text.
pub const FREE_IN: u8 = 128;

/// A name: one of its role's words, or (one time in [`FREE_IN`]) free text.
#[derive(Debug)]
pub enum Name {
    Word(u8),
    Free(String),
}

impl<'a> Arbitrary<'a> for Name {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let choice = u8::arbitrary(u)?;
        if choice % FREE_IN == FREE_IN - 1 {
            Ok(Name::Free(String::arbitrary(u)?))
        } else {
            Ok(Name::Word(choice))
        }
    }

    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (1, None)
    }
}

impl Name {
    fn text<S: AsRef<str>>(&self, words: &[S]) -> String {
        match self {
            Name::Word(index) => pick(words, *index).to_owned(),
            Name::Free(text) => text.clone(),
        }
    }
}

fn pick<S: AsRef<str>>(list: &[S], index: u8) -> &str {
    list[usize::from(index) % list.len()].as_ref()
}

/// The texts of `names`, each once, in order.
fn unique<S: AsRef<str>>(names: &[Name], words: &[S]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    names
        .iter()
        .map(|name| name.text(words))
        .filter(|text| seen.insert(text.clone()))
        .collect()
}

#[derive(Debug, Arbitrary)]
pub struct ArbitrarySpec {
    pub producer: Name,
    /// The first is the wire kind; the rest named kinds.
    pub kinds: (Kind, Vec<Kind>),
    pub facility: Option<u8>,
    /// Syslog numbers of the level words, and further levels.
    pub levels: (Vec<u8>, Vec<(Name, u8)>),
    pub emitter_tags: Vec<(u8, Name)>,
    pub fields: Vec<(Name, ValueType)>,
    pub events: (Event, Vec<Event>),
    pub rules: Vec<Rule>,
    /// A severity table: each row a level and the events it lists.
    pub table: Vec<(Name, Vec<Name>)>,
    /// Statements logs cannot show.
    pub unchecked: Vec<String>,
}

#[derive(Debug, Arbitrary)]
pub struct Kind {
    pub name: u8,
    pub formats: (u8, Vec<u8>),
    pub key_value: bool,
    /// The event key, or the one event of every record.
    pub event: Result<Name, Name>,
    pub paths: Vec<String>,
    /// The time field, its epoch unit, and whether its inputs come in
    /// any order (`order: any`).
    pub timestamp: Option<(Name, Option<u8>, bool)>,
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
    pub pattern: Option<Expression>,
    pub separator: Option<char>,
    pub item: Option<Box<ValueType>>,
    pub also: Vec<String>,
    pub empty: Option<bool>,
    pub json: Vec<u8>,
    pub nullable: Option<bool>,
}

/// An expression (a regular expression, a condition): mostly one of a
/// few known to be good, or free text, which may not compile.
#[derive(Debug, Arbitrary)]
pub enum Expression {
    Known(u8),
    Free(String),
}

impl Expression {
    /// Its text, from `known`; free text that is empty (which the schema
    /// refuses before anything reads it) is `empty` instead.
    fn text(&self, known: &[&str], empty: &str) -> String {
        match self {
            Expression::Known(index) => pick(known, *index).to_owned(),
            Expression::Free(text) if text.is_empty() => empty.to_owned(),
            Expression::Free(text) => text.clone(),
        }
    }

    fn pattern(&self) -> String {
        self.text(&PATTERNS, ".")
    }

    fn condition(&self) -> String {
        self.text(&CONDITIONS, "true")
    }
}

#[derive(Debug, Arbitrary)]
pub struct Event {
    pub id: Name,
    /// Which kind its records are (by index among the spec's kinds).
    pub kind: Option<u8>,
    pub variants: (Variant, Vec<Variant>),
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
    pub messages: Vec<Message>,
    pub severities: Vec<Name>,
    /// Further fields by a name pattern, with a type.
    pub extra_fields: Option<(Expression, Option<ValueType>)>,
}

/// A message a variant is logged with.
#[derive(Debug, Arbitrary)]
pub enum Message {
    Text(String),
    Pattern(Expression),
    Any,
}

impl Message {
    fn value(&self) -> Option<Value> {
        match self {
            Message::Text(text) if text.is_empty() => None,
            Message::Text(text) => Some(json!(text)),
            Message::Pattern(pattern) => Some(json!({"pattern": pattern.pattern()})),
            Message::Any => Some(json!({"any": true})),
        }
    }
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
    pub participants: (Participant, Vec<Participant>),
    pub violation: Option<u8>,
    pub require: Option<Expression>,
    pub lifecycle: Option<Lifecycle>,
    pub agree: Vec<Name>,
    /// The parameters conditions name (`params.limit`, a count, and
    /// `params.limit_window`, a duration).
    pub params: bool,
    /// The window `probe`: by the duration parameter or a length, and a
    /// margin.
    pub window: Option<(bool, u8, Option<u8>)>,
    /// A list field's members answered one by one: the listing and the
    /// answering label (by index among the participants), whether members
    /// are hosts, whether the answer names its member by the envelope host.
    pub fan_out: Option<(u8, u8, bool, bool)>,
    pub reset_on: Vec<Name>,
    /// The key part unfinished keys wait on (by index in the key).
    pub scope: Option<u8>,
    pub agree_truncated: Option<(Name, u8)>,
}

#[derive(Debug, Arbitrary)]
pub struct Participant {
    pub label: Name,
    pub matches: Vec<Name>,
    /// Each key part: a field, or (`Some`) an envelope part, with an
    /// empty default when the byte is even; the rule's own key names past
    /// the end.
    pub key: Vec<(Name, Option<u8>)>,
}

#[derive(Debug, Arbitrary)]
pub struct Lifecycle {
    pub start: Name,
    pub states: Vec<State>,
    pub unfinished: Option<bool>,
}

/// A lifecycle state: whether it accepts, and where each label leads.
#[derive(Debug, Arbitrary)]
pub struct State {
    pub name: Name,
    pub accepting: bool,
    pub on: Vec<(Name, Name)>,
}

impl ValueType {
    fn value(&self, depth: usize) -> Map<String, Value> {
        let kind = pick(&VALUE_TYPES, self.kind);
        let mut out = Map::new();
        out.insert("type".into(), json!(kind));
        let mut put = |key: &str, value: Value| {
            out.insert(key.to_owned(), value);
        };
        let (min, max) = match (self.min, self.max) {
            (Some(min), Some(max)) if min > max => (Some(max), Some(min)),
            bounds => bounds,
        };
        if let Some(min) = min {
            put("min", json!(min));
        }
        if let Some(max) = max {
            put("max", json!(max));
        }
        if let Some((low, high)) = self.length {
            put("min_length", json!(low.min(high)));
            put("max_length", json!(low.max(high).max(1)));
        }
        let units: BTreeSet<&str> = self.units.iter().map(|&unit| pick(&UNITS, unit)).collect();
        if !units.is_empty() {
            put("units", json!(units));
        }
        let mut values = unique(&self.values, &VALUES);
        if kind == "enum" && values.is_empty() {
            values.push(VALUES[0].to_owned());
        }
        if !values.is_empty() {
            put("values", json!(values));
        }
        match &self.pattern {
            Some(pattern) => put("pattern", json!(pattern.pattern())),
            None if kind == "pattern" => put("pattern", json!(PATTERNS[0])),
            None => {}
        }
        if let Some(separator) = self.separator {
            put("separator", json!(separator.to_string()));
        }
        match &self.item {
            Some(item) if depth < 3 => put("item", Value::Object(item.value(depth + 1))),
            _ if kind == "list" => put("item", json!({"type": "string"})),
            _ => {}
        }
        if !self.also.is_empty() {
            put("also", json!(self.also));
        }
        if let Some(empty) = self.empty {
            put("empty", json!(empty));
        }
        let json: BTreeSet<&str> = self.json.iter().map(|&t| pick(&JSON_TYPES, t)).collect();
        if !json.is_empty() {
            put("json", json!(json));
        }
        if let Some(nullable) = self.nullable {
            put("nullable", json!(nullable));
        }
        out
    }
}

impl Kind {
    /// The kind, under `name` (none for the wire kind), naming `event` as
    /// the one event of its records when it has no event key.
    fn value(&self, name: Option<&str>, event: Option<&str>) -> Value {
        let mut out = Map::new();
        if let Some(name) = name {
            out.insert("name".into(), json!(name));
        }
        let (first, more) = &self.formats;
        let mut seen = BTreeSet::new();
        let formats: Vec<&str> = std::iter::once(first)
            .chain(more)
            .map(|&f| pick(&FORMATS, f))
            .filter(|format| seen.insert(*format))
            .collect();
        out.insert("envelopes".into(), json!(formats));
        if self.key_value {
            out.insert("payload".into(), json!("key-value"));
        }
        match (&self.event, event) {
            (Ok(key), _) => out.insert("event_key".into(), json!(key.text(&FIELDS))),
            (Err(_), event) => out.insert("event".into(), json!(event)),
        };
        let paths: Vec<&String> = self.paths.iter().filter(|path| !path.is_empty()).collect();
        if !paths.is_empty() {
            out.insert("paths".into(), json!(paths));
        }
        if let Some((field, epoch, any_order)) = &self.timestamp {
            let mut timestamp = Map::new();
            timestamp.insert("field".into(), json!(field.text(&FIELDS)));
            if let Some(epoch) = epoch {
                let units = ["seconds", "milliseconds", "microseconds", "nanoseconds"];
                timestamp.insert("epoch".into(), json!(pick(&units, *epoch)));
            }
            if *any_order {
                timestamp.insert("order".into(), json!("any"));
            }
            out.insert("timestamp".into(), Value::Object(timestamp));
        }
        if let Some(level) = &self.level {
            out.insert("level".into(), json!({"field": level.text(&FIELDS)}));
        }
        if let Some(message) = &self.message {
            out.insert("message".into(), json!({"field": message.text(&FIELDS)}));
        }
        Value::Object(out)
    }
}

impl Example {
    /// The line, naming its event first when the kind has an event key
    /// (`named`: the key and the event's id), so that the record is taken
    /// for the event and checked against its variants.
    fn line(&self, fields: &[String], named: Option<(&str, &str)>) -> String {
        let field = |index: u8| {
            fields
                .get(usize::from(index) % fields.len().max(1))
                .cloned()
                .unwrap_or_default()
        };
        let drawn = |pairs: &[(u8, String)]| -> Vec<(String, String)> {
            let named = named.map(|(key, id)| (key.to_owned(), id.to_owned()));
            let rest = pairs
                .iter()
                .map(|(index, value)| (field(*index), value.clone()))
                .filter(|(name, _)| named.as_ref().is_none_or(|(key, _)| key != name));
            named.clone().into_iter().chain(rest).collect()
        };
        match self {
            Example::Pairs(pairs) => drawn(pairs)
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join(" "),
            Example::Json(pairs) => {
                let object: Map<String, Value> = drawn(pairs)
                    .into_iter()
                    .map(|(name, value)| (name, json!(value)))
                    .collect();
                Value::Object(object).to_string()
            }
            Example::Free(text) => text.clone(),
        }
    }
}

impl Variant {
    /// The variant of event `event`, listing `event_key` among its fields
    /// when its kind has one (the loader requires it).
    fn value(&self, name: String, event: &str, event_key: Option<&str>) -> Value {
        let mut out = Map::new();
        out.insert("name".into(), json!(name));
        out.insert("severity".into(), json!(self.severity.text(&LEVELS)));
        let emitters = unique(&self.emitters, &EMITTERS);
        if !emitters.is_empty() {
            out.insert("emitters".into(), json!(emitters));
        }
        let mut listed = BTreeSet::new();
        let mut fields = Vec::new();
        let mut field_names = Vec::new();
        if let Some(key) = event_key {
            listed.insert(key.to_owned());
            fields.push(json!(key));
            field_names.push(key.to_owned());
        }
        for (name, optional, values) in &self.fields {
            let name = name.text(&FIELDS);
            if !listed.insert(name.clone()) {
                continue;
            }
            let values = unique(values, &VALUES);
            if !optional && values.is_empty() {
                fields.push(json!(name));
            } else {
                let mut used = Map::new();
                used.insert("name".into(), json!(name));
                used.insert("optional".into(), json!(optional));
                if !values.is_empty() {
                    used.insert("values".into(), json!(values));
                }
                fields.push(Value::Object(used));
            }
            field_names.push(name);
        }
        out.insert("fields".into(), Value::Array(fields));
        if let Some(ordered) = self.ordered {
            out.insert("ordered".into(), json!(ordered));
        }
        if let Some(additional) = self.additional_fields {
            out.insert("additional_fields".into(), json!(additional));
        }
        let forbidden: Vec<String> = unique(&self.forbidden, &FIELDS)
            .into_iter()
            .filter(|name| !listed.contains(name))
            .collect();
        if !forbidden.is_empty() {
            out.insert("forbidden".into(), json!(forbidden));
        }
        let lines: Vec<String> = self
            .examples
            .iter()
            .map(|example| example.line(&field_names, event_key.map(|key| (key, event))))
            .filter(|line| !line.is_empty())
            .collect();
        if !lines.is_empty() {
            out.insert("examples".into(), json!(lines));
        }
        let messages: Vec<Value> = self.messages.iter().filter_map(Message::value).collect();
        if !messages.is_empty() {
            out.insert("messages".into(), json!(messages));
        }
        let severities = unique(&self.severities, &LEVELS);
        if !severities.is_empty() {
            out.insert("severities".into(), json!(severities));
        }
        if let Some((pattern, value)) = &self.extra_fields {
            let mut extra = Map::new();
            extra.insert("pattern".into(), json!(pattern.pattern()));
            if let Some(value) = value {
                extra.insert("value".into(), Value::Object(value.value(1)));
            }
            out.insert("extra_fields".into(), Value::Object(extra));
        }
        Value::Object(out)
    }
}

impl Rule {
    /// The rule, matching events by the ids the spec has (`events`).
    fn value(&self, id: String, events: &[String]) -> Value {
        const VIOLATIONS: [&str; 3] =
            ["sequence-violation", "exclusive-violation", "duplicate-key"];
        let key = unique(&self.key, &FIELDS);
        let (first, more) = &self.participants;
        let mut labels = BTreeSet::new();
        let participants: Vec<Value> = std::iter::once(first)
            .chain(more)
            .filter_map(|participant| {
                let label = participant.label.text(&LABELS);
                if !labels.insert(label.clone()) {
                    return None;
                }
                let mut matched = unique(&participant.matches, events);
                if matched.is_empty() {
                    matched.push(events[0].clone());
                }
                // As many parts as the rule's key has.
                let parts: Vec<Value> = (0..key.len())
                    .map(|index| match participant.key.get(index) {
                        None => json!({"field": key[index]}),
                        Some((name, None)) => json!({"field": name.text(&FIELDS)}),
                        Some((_, Some(part))) if part % 2 == 0 => {
                            json!({"envelope": pick(&ENVELOPE_PARTS, *part / 2), "default": ""})
                        }
                        Some((_, Some(part))) => {
                            json!({"envelope": pick(&ENVELOPE_PARTS, *part / 2)})
                        }
                    })
                    .collect();
                let mut participant = Map::new();
                participant.insert("label".into(), json!(label));
                participant.insert("match".into(), json!(matched));
                participant.insert("key".into(), Value::Array(parts));
                if let Some(require) = &self.require {
                    participant.insert("require".into(), json!(require.condition()));
                }
                Some(Value::Object(participant))
            })
            .collect();
        let mut out = Map::new();
        out.insert("id".into(), json!(id));
        out.insert("description".into(), json!("A rule."));
        out.insert("key".into(), json!(key));
        out.insert("participants".into(), Value::Array(participants));
        if let Some(violation) = self.violation {
            out.insert("violation".into(), json!(pick(&VIOLATIONS, violation)));
        }
        let agree = unique(&self.agree, &FIELDS);
        if !agree.is_empty() {
            out.insert("agree".into(), json!(agree));
        }
        if self.params || matches!(self.window, Some((true, ..))) {
            out.insert(
                "params".into(),
                json!({
                    PARAMS[0]: {"type": "integer", "description": "A count."},
                    PARAMS[1]: {"type": "duration", "description": "A time."},
                }),
            );
        }
        if let Some((by_param, length, margin)) = self.window {
            let mut window = Map::new();
            if by_param {
                window.insert("param".into(), json!(PARAMS[1]));
            } else {
                window.insert("length".into(), json!(pick(&LENGTHS, length)));
            }
            if let Some(margin) = margin {
                window.insert("margin".into(), json!(pick(&MARGINS, margin)));
            }
            out.insert("windows".into(), json!({"probe": Value::Object(window)}));
        }
        if let Some((list, member, hosts, by_envelope)) = self.fan_out {
            let labels: Vec<&String> = labels.iter().collect();
            let mut list = json!({"label": pick(&labels, list), "field": LIST_FIELD});
            let mut member = if by_envelope {
                json!({"label": pick(&labels, member), "envelope": "host"})
            } else {
                json!({"label": pick(&labels, member), "field": "HOST"})
            };
            if hosts {
                list["part"] = json!("host");
                member["part"] = json!("host");
            }
            out.insert("fan_out".into(), json!({"list": list, "member": member}));
        }
        let reset_on = unique(&self.reset_on, events);
        if !reset_on.is_empty() {
            out.insert("reset_on".into(), json!(reset_on));
        }
        if let (Some(part), false) = (self.scope, key.is_empty()) {
            out.insert("scope".into(), json!(pick(&key, part)));
        }
        if let Some((field, length)) = &self.agree_truncated {
            out.insert(
                "agree_truncated".into(),
                json!({field.text(&FIELDS): u32::from(*length).max(1)}),
            );
        }
        if let Some(lifecycle) = &self.lifecycle {
            let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
            let mut states = Map::new();
            for state in &lifecycle.states {
                let mut steps = Map::new();
                for (label, target) in &state.on {
                    steps.insert(label.text(&labels), json!(target.text(&STATES)));
                }
                let mut body = Map::new();
                if state.accepting {
                    body.insert("accepting".into(), json!(true));
                }
                if !steps.is_empty() {
                    body.insert("on".into(), Value::Object(steps));
                }
                states.insert(state.name.text(&STATES), Value::Object(body));
            }
            let start = lifecycle.start.text(&STATES);
            // Every state a step leads to, and the start, exists.
            let targets: Vec<String> = states
                .values()
                .filter_map(|body| body.get("on").and_then(Value::as_object))
                .flat_map(|on| on.values().filter_map(Value::as_str).map(str::to_owned))
                .chain(std::iter::once(start.clone()))
                .collect();
            for target in targets {
                states.entry(target).or_insert_with(|| json!({}));
            }
            out.insert(
                "lifecycle".into(),
                json!({"start": start, "states": Value::Object(states)}),
            );
            if let Some(unpaired) = lifecycle.unfinished {
                let code = if unpaired { "unpaired" } else { "incomplete" };
                out.insert("unfinished".into(), json!(code));
            }
        }
        Value::Object(out)
    }
}

/// How a drawn spec's text is written. The targets write JSON: the loader
/// reads the spec from its data and the text only to locate what it
/// refuses or lint finds, and under AddressSanitizer writing block YAML
/// costs more than its half size saves in walking it (a tenth slower per
/// input for `spec-model` and `spec-lint` alike). The `spec` target's
/// seeds are block YAML, as spec authors write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Json,
    Yaml,
}

impl ArbitrarySpec {
    /// The spec as text for the loader, as a spec author would write it.
    pub fn text(&self) -> String {
        self.written(Style::Yaml).0
    }

    /// The spec's text in `style` and its data, which is what the loader's
    /// YAML parse of the text gives (a unit test holds the two to that),
    /// for `logspec_spec::load_parsed`.
    pub fn written(&self, style: Style) -> (String, Value) {
        let data = self.data();
        let text = match style {
            Style::Json => escape_unprintable(&format!("{data:#}")),
            // JSON data has string keys and finite numbers only: nothing
            // serde-saphyr's writer refuses.
            Style::Yaml => serde_saphyr::to_string(&data)
                .unwrap_or_else(|error| panic!("the spec's data does not write as YAML: {error}")),
        };
        (text, data)
    }

    fn data(&self) -> Value {
        let mut spec = Map::new();
        spec.insert("logspec".into(), json!(1));
        spec.insert(
            "producer".into(),
            json!({"name": self.producer.text(&PRODUCERS), "summary": "A producer."}),
        );
        spec.insert("document".into(), json!({"title": "A document"}));

        // Kinds: the wire kind, then named kinds each under its own name.
        let (wire, more) = &self.kinds;
        let mut kind_names = vec![KINDS[0].to_owned()];
        let mut named = Vec::new();
        for kind in more {
            let name = pick(&KINDS[1..], kind.name).to_owned();
            if !kind_names.contains(&name) {
                kind_names.push(name);
                named.push(kind);
            }
        }
        let kinds: Vec<&Kind> = std::iter::once(wire).chain(named.iter().copied()).collect();
        // The one event of each kind without an event key: a word another
        // kind has not claimed (an event belongs to one kind).
        let mut claimed: Vec<String> = Vec::new();
        let claims: Vec<Option<String>> = kinds
            .iter()
            .map(|kind| {
                let Err(name) = &kind.event else {
                    return None;
                };
                let mut event = name.text(&EVENTS);
                if let Name::Word(index) = name {
                    let free = (0..EVENTS.len())
                        .map(|step| pick(&EVENTS, index.wrapping_add(step as u8)))
                        .find(|word| !claimed.iter().any(|taken| taken == word));
                    event = free.unwrap_or(EVENTS[0]).to_owned();
                }
                claimed.push(event.clone());
                Some(event)
            })
            .collect();
        spec.insert("wire".into(), wire.value(None, claims[0].as_deref()));
        if !named.is_empty() {
            let records: Vec<Value> = named
                .iter()
                .zip(&kind_names[1..])
                .zip(&claims[1..])
                .map(|((kind, name), event)| kind.value(Some(name), event.as_deref()))
                .collect();
            spec.insert("records".into(), Value::Array(records));
        }

        let mut severity = Map::new();
        if let Some(facility) = self.facility {
            let facilities = ["daemon", "user", "local0", "auth", "kern"];
            severity.insert("facility".into(), json!(pick(&facilities, facility)));
        }
        let (numbers, extra) = &self.levels;
        let mut level_names = BTreeSet::new();
        let levels: Vec<Value> = LEVELS
            .iter()
            .enumerate()
            .map(|(index, name)| (name.to_string(), numbers.get(index).copied()))
            .chain(extra.iter().map(|(name, n)| (name.text(&LEVELS), Some(*n))))
            .filter(|(name, _)| level_names.insert(name.clone()))
            .map(|(name, number)| json!({"name": name, "syslog": number.unwrap_or(6) % 8}))
            .collect();
        severity.insert("levels".into(), Value::Array(levels));
        spec.insert("severity".into(), Value::Object(severity));

        let emitters: Vec<Value> = EMITTERS
            .iter()
            .enumerate()
            .map(|(index, name)| {
                let tags: Vec<Value> = self
                    .emitter_tags
                    .iter()
                    .filter(|(emitter, _)| usize::from(*emitter) % EMITTERS.len() == index)
                    .map(|(_, tag)| json!({"tag": tag.text(&EMITTERS), "source": "Overview"}))
                    .collect();
                json!({"name": name, "tags": tags})
            })
            .collect();
        spec.insert("emitters".into(), Value::Array(emitters));

        let mut fields: Map<String, Value> = FIELDS
            .iter()
            .map(|&name| {
                let definition = if name == LIST_FIELD {
                    json!({"type": "list", "item": {"type": "host"}, "description": "Hosts."})
                } else {
                    json!({"type": "string", "description": "A field."})
                };
                (name.to_owned(), definition)
            })
            .collect();
        for (name, value_type) in &self.fields {
            let mut definition = value_type.value(0);
            definition.insert("description".into(), json!("A field."));
            fields.insert(name.text(&FIELDS), Value::Object(definition));
        }
        spec.insert("fields".into(), Value::Object(fields));

        // Events: each id once; a kind naming the one event of its records
        // gets that event (of its own kind) if the spec has none by the id.
        let (first, more) = &self.events;
        let mut ids = Vec::new();
        let mut events: Vec<(String, usize, &Event)> = Vec::new();
        for event in std::iter::once(first).chain(more) {
            let id = event.id.text(&EVENTS);
            if !ids.contains(&id) {
                let kind = event.kind.map_or(0, |k| usize::from(k) % kinds.len());
                ids.push(id.clone());
                events.push((id, kind, event));
            }
        }
        for (index, claim) in claims.iter().enumerate() {
            if let Some(id) = claim.clone() {
                match events.iter_mut().find(|(event, ..)| *event == id) {
                    Some((_, owner, _)) => *owner = index,
                    None => {
                        ids.push(id.clone());
                        events.push((id, index, first));
                    }
                }
            }
        }
        let events: Vec<Value> = events
            .iter()
            .map(|(id, kind, event)| {
                let event_key = match &kinds[*kind].event {
                    Ok(key) => Some(key.text(&FIELDS)),
                    Err(_) => None,
                };
                let (first, more) = &event.variants;
                let mut names = BTreeSet::new();
                let variants: Vec<Value> = std::iter::once(first)
                    .chain(more)
                    .filter_map(|variant| {
                        let name = variant.name.text(&VARIANTS);
                        names
                            .insert(name.clone())
                            .then(|| variant.value(name, id, event_key.as_deref()))
                    })
                    .collect();
                let mut out = Map::new();
                out.insert("id".into(), json!(id));
                out.insert("section".into(), json!("Events"));
                if *kind > 0 {
                    out.insert("record".into(), json!(kind_names[*kind]));
                }
                out.insert("variants".into(), Value::Array(variants));
                Value::Object(out)
            })
            .collect();
        spec.insert("events".into(), Value::Array(events));

        let mut rule_ids = BTreeSet::new();
        let rules: Vec<Value> = self
            .rules
            .iter()
            .filter_map(|rule| {
                let id = rule.id.text(&RULES);
                rule_ids.insert(id.clone()).then(|| rule.value(id, &ids))
            })
            .collect();
        if !rules.is_empty() {
            spec.insert("rules".into(), Value::Array(rules));
        }
        let rows: Vec<Value> = self
            .table
            .iter()
            .map(|(level, items)| {
                let mut items = unique(items, &ids);
                if items.is_empty() {
                    items.push(ids[0].clone());
                }
                json!({"severity": level.text(&LEVELS), "items": items})
            })
            .collect();
        if !rows.is_empty() {
            spec.insert(
                "summary_tables".into(),
                json!([{"title": "Levels", "kind": "severity", "rows": rows}]),
            );
        }
        let unchecked: Vec<Value> = self
            .unchecked
            .iter()
            .map(|statement| {
                let statement = if statement.is_empty() { "A statement." } else { statement };
                json!({"statement": statement, "section": "Events", "reason": "No record shows it."})
            })
            .collect();
        if !unchecked.is_empty() {
            spec.insert("unchecked".into(), Value::Array(unchecked));
        }
        Value::Object(spec)
    }
}

/// `text` (JSON) with the characters YAML does not allow even in a quoted
/// string (DEL and the C1 controls but NEL), which JSON writes as they
/// are, escaped: they appear only inside the JSON's strings, where `\u`
/// escapes mean the same in both.
fn escape_unprintable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if ('\u{7f}'..='\u{9f}').contains(&c) && c != '\u{85}' {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes from a fixed xorshift stream: the test sees the same specs
    /// on every run.
    fn bytes(seed: u64, len: usize) -> Vec<u8> {
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state.to_le_bytes()[0]
            })
            .collect()
    }

    /// The target is worth its time only if most of what it draws loads:
    /// a spec that fails to load never reaches the plan, lint or the
    /// examples. (Before the model was valid by construction, none of
    /// 5,119 corpus inputs loaded.)
    #[test]
    fn most_drawn_specs_load_and_some_do_not() {
        let (mut loaded, mut refused, mut with_rules) = (0, 0, 0);
        for seed in 0..300 {
            let data = bytes(seed, 64 + (seed as usize * 37) % 2048);
            let Ok(spec) = ArbitrarySpec::arbitrary_take_rest(Unstructured::new(&data)) else {
                continue;
            };
            let (text, data) = spec.written(Style::Json);
            match logspec_spec::load_parsed(&text, "model.yaml", data) {
                Ok(loaded_spec) => {
                    loaded += 1;
                    with_rules += usize::from(!loaded_spec.spec.rules.is_empty());
                }
                Err(_) => refused += 1,
            }
        }
        let drawn = loaded + refused;
        assert!(drawn >= 250, "only {drawn} of 300 byte strings made a spec");
        assert!(
            loaded * 10 >= drawn * 6,
            "only {loaded} of {drawn} drawn specs load"
        );
        assert!(refused > 0, "no drawn spec is refused: the doors are shut");
        assert!(
            with_rules * 10 >= loaded,
            "{with_rules} of {loaded} loaded specs have rules"
        );
    }

    /// The target loads a spec from its data, skipping the YAML parse of
    /// its text: the two must be one spec, or the target would fuzz specs
    /// no file holds and locate problems where the text has other nodes.
    #[test]
    fn the_data_is_what_its_text_parses_to() {
        let mut compared = 0;
        for seed in 1000..1300 {
            let bytes = bytes(seed, 64 + (seed as usize * 53) % 3072);
            let Ok(spec) = ArbitrarySpec::arbitrary_take_rest(Unstructured::new(&bytes)) else {
                continue;
            };
            for style in [Style::Json, Style::Yaml] {
                let (text, data) = spec.written(style);
                let parsed = logspec_spec::parse_yaml(&text).unwrap_or_else(|error| {
                    panic!("seed {seed}, {style:?}: the text does not parse: {error}")
                });
                assert!(
                    parsed == data,
                    "seed {seed}, {style:?}: the text parses to other data"
                );
            }
            compared += 1;
        }
        assert!(
            compared >= 250,
            "only {compared} of 300 byte strings made a spec"
        );
    }
}
