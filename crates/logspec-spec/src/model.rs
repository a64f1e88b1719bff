//! The typed model of a spec file (format version 1).
//!
//! Shapes mirror `spec/logspec.schema.json` one to one; the schema has
//! already rejected unknown keys and wrong shapes by the time serde sees a
//! document, so the model only has to carry the data.

use indexmap::IndexMap;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;

pub use crate::condition::Condition;

/// One producer's logging reference, as a machine-readable spec.
#[derive(Debug, Clone, Deserialize)]
pub struct Spec {
    pub logspec: u32,
    pub producer: Producer,
    pub document: Document,
    pub wire: Wire,
    /// Further record kinds, for producers that write several (process
    /// logs and audit records, a JSON-lines trail and per-run documents).
    /// `wire` is the first kind; these follow it.
    #[serde(default)]
    pub records: Vec<Wire>,
    pub severity: SeverityVocabulary,
    /// Who writes records; empty when the formats carry no syslog tag.
    #[serde(default)]
    pub emitters: Vec<Emitter>,
    /// The field glossary, in the order the spec lists it.
    pub fields: IndexMap<String, FieldDefinition>,
    pub events: Vec<Event>,
    #[serde(default)]
    pub summary_tables: Vec<SummaryTable>,
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// Section paths in document order, for specs written as catalogue
    /// `sections` (filled in by the loader).
    #[serde(default)]
    pub section_order: Vec<String>,
    #[serde(default)]
    pub console: Vec<ConsoleSection>,
    #[serde(default)]
    pub policies: Vec<Policy>,
    /// Statements of the document that logs cannot show, so no check
    /// covers them; lint lists each, so a user sees what is not covered.
    #[serde(default)]
    pub unchecked: Vec<Unchecked>,
}

/// A statement of the document that no check covers, and why.
#[derive(Debug, Clone, Deserialize)]
pub struct Unchecked {
    /// The statement, in the spec's own words.
    pub statement: String,
    /// The document section it comes from.
    pub section: String,
    /// Why logs cannot show it.
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Producer {
    pub name: String,
    pub summary: String,
}

/// The document a spec encodes.
#[derive(Debug, Clone, Deserialize)]
pub struct Document {
    pub title: String,
    pub version: Option<String>,
    pub date: Option<String>,
    #[serde(default)]
    pub notes: Vec<String>,
}

/// A wire format, as a record kind's `envelopes` names it: the reader's
/// one table of formats ([`logspec_reader::Format::ALL`]), so a spec can
/// declare exactly the formats there are readers for, under the same names
/// the command line takes. The first four frame a text payload (read as
/// `payload` says); the others are whole records that carry their fields.
pub use logspec_reader::Format as Envelope;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Payload {
    #[default]
    KeyValue,
}

/// A record kind: how its records travel, which field names the event,
/// and where its time and level are. A spec's `wire` is its first kind.
#[derive(Debug, Clone, Deserialize)]
pub struct Wire {
    /// The kind's name (required in `records`; `wire` defaults to `records`).
    pub name: Option<String>,
    pub description: Option<String>,
    pub envelopes: Vec<Envelope>,
    /// How the text payload of the first four envelopes is read.
    #[serde(default)]
    pub payload: Payload,
    /// The field whose value names the event; empty when `event` is set.
    #[serde(default)]
    pub event_key: String,
    #[serde(default)]
    pub event_key_first: bool,
    /// The event every record of this kind is, for records without an
    /// event key (a process log line).
    pub event: Option<String>,
    /// Path patterns of the files holding this kind (`runs/*/record.json`).
    #[serde(default)]
    pub paths: Vec<String>,
    /// The field holding the record's time.
    pub timestamp: Option<TimestampSource>,
    /// The field holding the record's level, as a word of `severity.levels`.
    pub level: Option<LevelSource>,
    /// The field holding the record's message, for variants that list
    /// their messages (the whole line in `plain-text`).
    pub message: Option<LevelSource>,
    /// The field holding the record's audit mark (`true` when marked),
    /// for variants that say whether they are audit records.
    pub audit: Option<LevelSource>,
    /// What an event the spec does not document is.
    #[serde(default)]
    pub unknown_events: UnknownEvents,
    /// Lines the document says may follow a record of a multi-line layout
    /// (logback, pipe-separated) besides the stack trace the layout prints:
    /// each matched against the whole line.
    #[serde(default)]
    pub continuation_lines: Vec<Pattern>,
}

impl Wire {
    /// The kind's name.
    pub fn kind_name(&self) -> &str {
        self.name.as_deref().unwrap_or("records")
    }
}

/// Where a record's time is and how epoch numbers count.
#[derive(Debug, Clone, Deserialize)]
pub struct TimestampSource {
    pub field: String,
    /// The unit of a value written as a number; ISO 8601 values need none.
    pub epoch: Option<EpochUnit>,
    /// Whether an input holds its records in time order.
    #[serde(default)]
    pub order: TimeOrder,
}

/// The order of an input's records in time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeOrder {
    /// Oldest first, as a log is appended: a time going back is reported.
    #[default]
    Ascending,
    /// Any order (a database export sorted by a query): nothing to report.
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EpochUnit {
    Seconds,
    Milliseconds,
    Microseconds,
    Nanoseconds,
}

/// The field a record kind keeps something in (its level, message, audit mark).
#[derive(Debug, Clone, Deserialize)]
pub struct LevelSource {
    pub field: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnknownEvents {
    /// `unknown-event`, an error on every record.
    #[default]
    Error,
    /// `unknown-event-tolerated`, a warning once per event id: for producers
    /// whose document says readers must accept event types it does not list.
    Tolerate,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SeverityVocabulary {
    pub facility: Option<Facility>,
    pub levels: Vec<SeverityLevel>,
}

impl SeverityVocabulary {
    pub fn level(&self, name: &str) -> Option<&SeverityLevel> {
        self.levels.iter().find(|level| level.name == name)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct SeverityLevel {
    pub name: String,
    /// Syslog severity number, 0 (emerg) to 7 (debug).
    pub syslog: u8,
}

/// Syslog facilities by their conventional names (RFC 5424 table 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Facility {
    Kern,
    User,
    Mail,
    Daemon,
    Auth,
    Syslog,
    Lpr,
    News,
    Uucp,
    Cron,
    Authpriv,
    Ftp,
    Ntp,
    Security,
    Console,
    SolarisCron,
    Local0,
    Local1,
    Local2,
    Local3,
    Local4,
    Local5,
    Local6,
    Local7,
}

impl Facility {
    /// Every facility, indexed by its number.
    pub const ALL: [Facility; 24] = [
        Facility::Kern,
        Facility::User,
        Facility::Mail,
        Facility::Daemon,
        Facility::Auth,
        Facility::Syslog,
        Facility::Lpr,
        Facility::News,
        Facility::Uucp,
        Facility::Cron,
        Facility::Authpriv,
        Facility::Ftp,
        Facility::Ntp,
        Facility::Security,
        Facility::Console,
        Facility::SolarisCron,
        Facility::Local0,
        Facility::Local1,
        Facility::Local2,
        Facility::Local3,
        Facility::Local4,
        Facility::Local5,
        Facility::Local6,
        Facility::Local7,
    ];

    /// The facility's number, as carried in a syslog PRI.
    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn from_code(code: u8) -> Option<Facility> {
        Facility::ALL.get(usize::from(code)).copied()
    }

    pub fn name(self) -> &'static str {
        const NAMES: [&str; 24] = [
            "kern",
            "user",
            "mail",
            "daemon",
            "auth",
            "syslog",
            "lpr",
            "news",
            "uucp",
            "cron",
            "authpriv",
            "ftp",
            "ntp",
            "security",
            "console",
            "solaris-cron",
            "local0",
            "local1",
            "local2",
            "local3",
            "local4",
            "local5",
            "local6",
            "local7",
        ];
        NAMES[self as usize]
    }
}

/// A program (or role) that writes records, and the syslog tags it uses.
#[derive(Debug, Clone, Deserialize)]
pub struct Emitter {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub tags: Vec<EmitterTag>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EmitterTag {
    pub tag: String,
    /// Where the document states this tag.
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueKind {
    String,
    Integer,
    Hex,
    Duration,
    HostPort,
    Ip,
    Hostname,
    /// A hostname or an IP address (IPv6 optionally in brackets).
    Host,
    List,
    Timestamp,
    Enum,
    Pattern,
    /// A decimal number: `-?[0-9]+(.[0-9]+)?`, with an exponent in JSON.
    Number,
}

impl ValueKind {
    pub fn name(self) -> &'static str {
        match self {
            ValueKind::String => "string",
            ValueKind::Integer => "integer",
            ValueKind::Hex => "hex",
            ValueKind::Duration => "duration",
            ValueKind::HostPort => "host:port",
            ValueKind::Ip => "IP address",
            ValueKind::Hostname => "hostname",
            ValueKind::Host => "host name or address",
            ValueKind::List => "list",
            ValueKind::Timestamp => "ISO 8601 timestamp",
            ValueKind::Enum => "enum",
            ValueKind::Pattern => "pattern",
            ValueKind::Number => "number",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HexCase {
    Lower,
    Upper,
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DurationUnit {
    Ns,
    Us,
    Ms,
    S,
    M,
    H,
    D,
}

impl DurationUnit {
    pub fn suffix(self) -> &'static str {
        match self {
            DurationUnit::Ns => "ns",
            DurationUnit::Us => "us",
            DurationUnit::Ms => "ms",
            DurationUnit::S => "s",
            DurationUnit::M => "m",
            DurationUnit::H => "h",
            DurationUnit::D => "d",
        }
    }
}

/// The shape a value must have. Flat, like the YAML: which keys matter
/// depends on `kind`, and the schema enforces the required ones.
#[derive(Debug, Clone, Deserialize)]
pub struct ValueSpec {
    #[serde(rename = "type")]
    pub kind: ValueKind,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub length: Option<usize>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub case: Option<HexCase>,
    pub units: Option<Vec<DurationUnit>>,
    pub values: Option<Vec<String>>,
    pub pattern: Option<Pattern>,
    pub separator: Option<String>,
    pub item: Option<Box<ValueSpec>>,
    #[serde(default)]
    pub also: Vec<String>,
    #[serde(default)]
    pub except: Vec<String>,
    #[serde(default)]
    pub empty: bool,
    /// In JSON records: the JSON types the value may have (any when absent).
    pub json: Option<Vec<JsonType>>,
    /// In JSON records: whether `null` is accepted.
    #[serde(default)]
    pub nullable: bool,
    /// A JSON Schema the value (parsed as JSON) must satisfy.
    pub schema: Option<serde_json::Value>,
}

/// A JSON value's type, with the two MongoDB Extended JSON wrappers that
/// stand for scalars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JsonType {
    String,
    Number,
    Boolean,
    Array,
    Object,
    /// `{"$oid": "…"}`.
    ObjectId,
    /// `{"$date": …}`.
    Date,
}

impl JsonType {
    pub fn name(self) -> &'static str {
        match self {
            JsonType::String => "a JSON string",
            JsonType::Number => "a JSON number",
            JsonType::Boolean => "a JSON boolean",
            JsonType::Array => "a JSON array",
            JsonType::Object => "a JSON object",
            JsonType::ObjectId => "an $oid",
            JsonType::Date => "a $date",
        }
    }
}

/// One glossary entry.
#[derive(Debug, Clone, Deserialize)]
pub struct FieldDefinition {
    #[serde(flatten)]
    pub value: ValueSpec,
    pub description: String,
    #[serde(default = "yes")]
    pub in_glossary: bool,
    pub glossary_type: Option<String>,
    pub glossary_values: Option<Vec<String>>,
    pub glossary_used_in: Option<Vec<String>>,
    /// How formats that do not use the field's name write it.
    #[serde(default)]
    pub names: IndexMap<Envelope, String>,
    /// The field's type in formats that write it differently.
    #[serde(default)]
    pub types: IndexMap<Envelope, ValueSpec>,
    /// A stricter reading than the document's: values it does not accept
    /// are warnings (`stricter-reading`), never errors.
    pub expected: Option<StricterReading>,
}

/// A narrower type the spec's authors believe in but the document does not
/// state (a set of values it implies without listing them), with why.
#[derive(Debug, Clone, Deserialize)]
pub struct StricterReading {
    #[serde(flatten)]
    pub value: ValueSpec,
    pub reason: String,
}

fn yes() -> bool {
    true
}

/// A regular expression from a spec, compiled once at load and matched
/// against whole values.
#[derive(Clone)]
pub struct Pattern {
    source: String,
    regex: regex::Regex,
}

impl Pattern {
    pub fn new(source: &str) -> Result<Pattern, regex::Error> {
        let regex = regex::Regex::new(&format!("^(?:{source})$"))?;
        Ok(Pattern {
            source: source.to_owned(),
            regex,
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn is_match(&self, value: &str) -> bool {
        self.regex.is_match(value)
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pattern({:?})", self.source)
    }
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let source = String::deserialize(deserializer)?;
        Pattern::new(&source).map_err(|error| {
            de::Error::custom(format!(
                "invalid regular expression {source:?}: {}",
                first_line(&error.to_string())
            ))
        })
    }
}

fn first_line(text: &str) -> String {
    text.lines().last().unwrap_or(text).trim().to_owned()
}

/// A field as one variant uses it.
#[derive(Debug, Clone)]
pub struct FieldUse {
    pub name: String,
    pub optional: bool,
    /// Narrows the glossary type to these literal values.
    pub values: Option<Vec<String>>,
    /// Narrows the glossary type to values matching this expression.
    pub pattern: Option<Pattern>,
    /// Literal values accepted here besides the type (a placeholder only
    /// this variant writes).
    pub also: Vec<String>,
    /// Values the type allows that this variant never writes.
    pub except: Vec<String>,
    pub note: Option<String>,
    /// In JSON records: `null` is accepted here.
    pub nullable: bool,
    /// How formats write the field in this variant, where that differs
    /// from the glossary's `names`.
    pub names: IndexMap<Envelope, String>,
}

impl FieldUse {
    /// A required use of `name` that narrows nothing.
    pub fn named(name: &str) -> FieldUse {
        FieldUse {
            name: name.to_owned(),
            optional: false,
            values: None,
            pattern: None,
            also: Vec::new(),
            except: Vec::new(),
            note: None,
            nullable: false,
            names: IndexMap::new(),
        }
    }
}

#[derive(Deserialize)]
struct FieldUseMap {
    name: String,
    #[serde(default)]
    optional: bool,
    values: Option<Vec<String>>,
    pattern: Option<Pattern>,
    #[serde(default)]
    also: Vec<String>,
    #[serde(default)]
    except: Vec<String>,
    note: Option<String>,
    #[serde(default)]
    nullable: bool,
    #[serde(default)]
    names: IndexMap<Envelope, String>,
}

// Hand-written rather than `#[serde(untagged)]`: an untagged enum would
// replace a bad regex's message with "did not match any variant".
impl<'de> Deserialize<'de> for FieldUse {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldUseVisitor;
        impl<'de> Visitor<'de> for FieldUseVisitor {
            type Value = FieldUse;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field name or a map with `name`")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<FieldUse, E> {
                Ok(FieldUse::named(name))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<FieldUse, A::Error> {
                let full = FieldUseMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(FieldUse {
                    name: full.name,
                    optional: full.optional,
                    values: full.values,
                    pattern: full.pattern,
                    also: full.also,
                    except: full.except,
                    note: full.note,
                    nullable: full.nullable,
                    names: full.names,
                })
            }
        }
        deserializer.deserialize_any(FieldUseVisitor)
    }
}

/// A line the document gives as an example of a variant.
#[derive(Debug, Clone, Deserialize)]
#[serde(from = "ExampleRepr")]
pub struct Example {
    pub line: String,
    /// Finding codes the example raises because the document contradicts
    /// itself; empty for examples that must pass.
    pub expect: Vec<String>,
    pub note: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ExampleRepr {
    Line(String),
    Full {
        line: String,
        #[serde(default)]
        expect: Vec<String>,
        note: Option<String>,
    },
}

impl From<ExampleRepr> for Example {
    fn from(repr: ExampleRepr) -> Example {
        match repr {
            ExampleRepr::Line(line) => Example {
                line,
                expect: Vec::new(),
                note: None,
            },
            ExampleRepr::Full { line, expect, note } => Example { line, expect, note },
        }
    }
}

/// One form of an event, told apart from its siblings by its fields, their
/// values or its emitters, with its own severity.
#[derive(Debug, Clone, Deserialize)]
pub struct Variant {
    pub name: String,
    pub label: Option<String>,
    pub section: Option<String>,
    pub description: Option<String>,
    /// Emitter names; empty means any emitter of the spec.
    #[serde(default)]
    pub emitters: Vec<String>,
    pub severity: String,
    /// Further levels the variant may be logged at (a process log line
    /// logged at any level).
    #[serde(default)]
    pub severities: Vec<String>,
    pub fields: Vec<FieldUse>,
    #[serde(default)]
    pub ordered: bool,
    #[serde(default)]
    pub forbidden: Vec<String>,
    #[serde(default)]
    pub additional_fields: bool,
    /// Unlisted fields accepted when their name matches a pattern.
    pub extra_fields: Option<ExtraFields>,
    #[serde(default)]
    pub examples: Vec<Example>,
    #[serde(default)]
    pub notes: Vec<String>,
    /// The messages the variant is logged with; empty when the document
    /// gives none (the message is then not checked).
    #[serde(default)]
    pub messages: Vec<MessageMatch>,
    /// Whether the variant is an audit record; `None` when the document has
    /// no notion of audit marks.
    pub audit: Option<bool>,
    /// The class of a document-wide policy the variant falls under
    /// (`policies[].classes`), for lint to compare its level and audit mark.
    pub class: Option<String>,
}

/// A message a variant is logged with.
#[derive(Debug, Clone)]
pub enum MessageMatch {
    Literal(String),
    /// A message with variable parts, matched as a whole.
    Pattern(Pattern),
    /// A message the document describes rather than quotes: any message.
    Any,
}

impl MessageMatch {
    pub fn is_match(&self, message: &str) -> bool {
        match self {
            MessageMatch::Literal(text) => text == message,
            MessageMatch::Pattern(pattern) => pattern.is_match(message),
            MessageMatch::Any => true,
        }
    }

    /// How people read it: the literal, `/pattern/`, or a word for "any".
    pub fn display(&self) -> String {
        match self {
            MessageMatch::Literal(text) => format!("{text:?}"),
            MessageMatch::Pattern(pattern) => format!("/{}/", pattern.source()),
            MessageMatch::Any => "(any message: the document describes it)".to_owned(),
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum MessageRepr {
    Literal(String),
    Pattern {
        pattern: Pattern,
    },
    Any {
        #[serde(rename = "any")]
        _any: bool,
    },
}

impl<'de> Deserialize<'de> for MessageMatch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match MessageRepr::deserialize(deserializer)? {
            MessageRepr::Literal(text) => MessageMatch::Literal(text),
            MessageRepr::Pattern { pattern } => MessageMatch::Pattern(pattern),
            MessageRepr::Any { .. } => MessageMatch::Any,
        })
    }
}

/// Lines a producer writes outside its structured stream (stderr
/// diagnostics, console printf output), listed so that a capture of them
/// can be checked and such a line in the structured stream recognised.
#[derive(Debug, Clone, Deserialize)]
pub struct ConsoleSection {
    pub section: String,
    /// Where the lines go, as the document says (`stderr`, `stdout`).
    pub stream: Option<String>,
    pub lines: Vec<ConsoleLine>,
}

#[derive(Debug, Clone)]
pub struct ConsoleLine {
    pub message: MessageMatch,
    pub note: Option<String>,
}

#[derive(Deserialize)]
struct ConsoleLineRepr {
    message: Option<String>,
    pattern: Option<Pattern>,
    note: Option<String>,
}

impl<'de> Deserialize<'de> for ConsoleLine {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let repr = ConsoleLineRepr::deserialize(deserializer)?;
        let message = match (repr.message, repr.pattern) {
            (Some(text), None) => MessageMatch::Literal(text),
            (None, Some(pattern)) => MessageMatch::Pattern(pattern),
            _ => {
                return Err(de::Error::custom(
                    "a console line has a message or a pattern",
                ))
            }
        };
        Ok(ConsoleLine {
            message,
            note: repr.note,
        })
    }
}

/// A document-wide statement about which level and audit mark a class of
/// entries has (Hexon's jit2fa level policy), checked by lint against the
/// entries the spec assigns to each class.
#[derive(Debug, Clone, Deserialize)]
pub struct Policy {
    pub id: String,
    pub description: String,
    /// Section path prefixes the policy covers.
    pub sections: Vec<String>,
    pub classes: IndexMap<String, PolicyClass>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PolicyClass {
    pub description: String,
    pub level: String,
    pub audit: bool,
}

/// Fields a variant accepts beyond those it lists: any whose name matches
/// `pattern`, each holding a value of type `value`.
#[derive(Debug, Clone, Deserialize)]
pub struct ExtraFields {
    pub pattern: Pattern,
    pub value: Option<ValueSpec>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Event {
    pub id: String,
    pub section: String,
    pub description: Option<String>,
    /// The record kind (`records[].name`) the event belongs to; the first
    /// kind (`wire`) when absent.
    pub record: Option<String>,
    /// How formats that do not write the id name the event (a title).
    #[serde(default)]
    pub names: IndexMap<Envelope, String>,
    pub variants: Vec<Variant>,
    /// The document names no event here: records without an event key are
    /// recognised by their message, and the id is the message.
    #[serde(default)]
    pub by_message: bool,
}

impl Event {
    pub fn variant(&self, name: &str) -> Option<&Variant> {
        self.variants.iter().find(|variant| variant.name == name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SummaryKind {
    Severity,
}

/// A summary table of the document, kept as written so that lint can
/// compare it with the per-event sections.
#[derive(Debug, Clone, Deserialize)]
pub struct SummaryTable {
    pub title: String,
    pub kind: SummaryKind,
    pub rows: Vec<SummaryRow>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SummaryRow {
    pub severity: String,
    pub as_written: Option<String>,
    pub items: Vec<SummaryItem>,
}

/// An item of a summary row: its text as written and the events or
/// `event/variant`s it denotes.
#[derive(Debug, Clone, Deserialize)]
#[serde(from = "SummaryItemRepr")]
pub struct SummaryItem {
    pub item: String,
    pub refers: Vec<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum SummaryItemRepr {
    Plain(String),
    Mapped { item: String, refers: Vec<String> },
}

impl From<SummaryItemRepr> for SummaryItem {
    fn from(repr: SummaryItemRepr) -> SummaryItem {
        match repr {
            SummaryItemRepr::Plain(item) => SummaryItem {
                refers: vec![item.clone()],
                item,
            },
            SummaryItemRepr::Mapped { item, refers } => SummaryItem { item, refers },
        }
    }
}

impl Spec {
    /// A value of its type for every rule parameter (an hour for a
    /// duration, 1 for a number, `x` for a string): what the generator's
    /// property tests and the fuzz targets run parameterised rules with.
    /// Small counts, so that a count a rule bounds is crossed in a short
    /// stream.
    pub fn example_params(&self) -> Vec<(String, String)> {
        self.rules
            .iter()
            .flat_map(|rule| &rule.params)
            .map(|(name, param)| {
                let value = match param.kind {
                    ParamType::Duration => "1h",
                    ParamType::Integer | ParamType::Number => "1",
                    ParamType::String => "x",
                };
                (name.clone(), value.to_owned())
            })
            .collect()
    }

    pub fn event(&self, id: &str) -> Option<&Event> {
        self.events.iter().find(|event| event.id == id)
    }

    /// Every variant of every event with its indices, in spec order.
    pub fn variants(&self) -> impl Iterator<Item = (usize, usize, &Event, &Variant)> {
        self.events.iter().enumerate().flat_map(|(e, event)| {
            event
                .variants
                .iter()
                .enumerate()
                .map(move |(v, variant)| (e, v, event, variant))
        })
    }

    pub fn emitter(&self, name: &str) -> Option<&Emitter> {
        self.emitters.iter().find(|emitter| emitter.name == name)
    }

    /// Every record kind: `wire`, then `records`.
    pub fn kinds(&self) -> impl Iterator<Item = &Wire> {
        std::iter::once(&self.wire).chain(&self.records)
    }

    /// The index (in [`Spec::kinds`] order) of the kind named `name`.
    pub fn kind_index(&self, name: &str) -> Option<usize> {
        self.kinds().position(|kind| kind.kind_name() == name)
    }

    /// The record kind event `event` belongs to: the one its `record`
    /// names, the first (`wire`) when it names none; `None` when it names
    /// a kind that does not exist (the loader refuses those).
    pub fn event_kind(&self, event: &Event) -> Option<usize> {
        match event.record.as_deref() {
            None => Some(0),
            Some(name) => self.kind_index(name),
        }
    }

    /// Resolves `event` or `event/variant` to the (event, variant) indices
    /// it names.
    pub fn resolve(&self, reference: &str) -> Option<Vec<(usize, usize)>> {
        let (event_id, variant_name) = match reference.split_once('/') {
            Some((event, variant)) => (event, Some(variant)),
            None => (reference, None),
        };
        let event_index = self.events.iter().position(|event| event.id == event_id)?;
        let event = &self.events[event_index];
        match variant_name {
            Some(name) => {
                let variant_index = event.variants.iter().position(|v| v.name == name)?;
                Some(vec![(event_index, variant_index)])
            }
            None => Some(
                (0..event.variants.len())
                    .map(|v| (event_index, v))
                    .collect(),
            ),
        }
    }
}

/// A stream rule: what must hold for the records that share a correlation
/// key. One mechanism, a lifecycle automaton per key, expresses ordering,
/// exclusivity, pairing and uniqueness; value agreement sits beside it.
#[derive(Debug, Clone, Deserialize)]
pub struct Rule {
    pub id: String,
    pub description: String,
    /// The document section the rule rests on.
    pub section: Option<String>,
    /// Names of the key's parts, in order, for messages (`[REQID, host]`).
    pub key: Vec<String>,
    pub participants: Vec<Participant>,
    /// The automaton; without one, every participant may appear any number
    /// of times in any order (a rule of conditions only).
    pub lifecycle: Option<Lifecycle>,
    /// Parameters the user sets (`--param NAME=VALUE`), for what the
    /// document leaves to configuration (a window's length). A rule with a
    /// parameter left unset is reported unchecked, not run.
    #[serde(default)]
    pub params: IndexMap<String, RuleParam>,
    /// Named time windows: conditions count a key's earlier records of a
    /// label within one (`within.WINDOW.LABEL`) and ask whether the input
    /// reaches back over one (`covered.WINDOW`).
    #[serde(default)]
    pub windows: IndexMap<String, Window>,
    /// Fields every record of one key must agree on when they carry them.
    #[serde(default)]
    pub agree: Vec<String>,
    /// Fields that must agree on their first N characters, for a record
    /// that writes a value cut short (an audit line's command).
    #[serde(default)]
    pub agree_truncated: IndexMap<String, usize>,
    /// Finding code for a record its key's state does not allow.
    #[serde(default)]
    pub violation: ViolationCode,
    /// Finding code for a key left in a non-accepting state.
    #[serde(default)]
    pub unfinished: UnfinishedCode,
    /// Key parts whose values must each have been seen on the side that
    /// would finish a key before an unfinished key is reported: a pairing
    /// across hosts is only judged for hosts whose logs were given.
    /// Written as one name (`scope: host`) or a list (`[host, SERIAL]`).
    #[serde(default, deserialize_with = "one_or_many")]
    pub scope: Vec<String>,
    /// Events that end every open lifecycle of this rule (a restart).
    #[serde(default)]
    pub reset_on: Vec<String>,
    /// A record that lists members (hosts) under this rule's key, and the
    /// records that answer for one member each.
    pub fan_out: Option<FanOut>,
}

/// `name` or `[name, …]`, as a list.
fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(name) => vec![name],
        OneOrMany::Many(names) => names,
    })
}

/// Fan-out under one key: `list` names the members, each `member` record
/// answers for one; once per member, all of them, none outside the list.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FanOut {
    pub list: FanOutSide,
    pub member: FanOutSide,
}

/// A participant label and where its records name members.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FanOutSide {
    pub label: String,
    pub field: Option<String>,
    pub envelope: Option<EnvelopeValue>,
    /// `host`: members are hosts, compared as host names (a loopback
    /// address is the writing machine; `--host-alias` maps names), and an
    /// answer naming no listed host may stand for one under another name.
    pub part: Option<FieldPart>,
}

impl FanOutSide {
    /// The side as a key extractor (`each` element of a list).
    pub fn key_part(&self, each: bool) -> KeyPart {
        KeyPart {
            field: self.field.clone(),
            envelope: self.envelope,
            part: self.part,
            each,
            capture: None,
            split: None,
            default: None,
            from: None,
        }
    }
}

/// `match: ["*"]`: every event no other participant of the rule matches.
pub const WILDCARD: &str = "*";

/// Records that take part in a rule, how their key is derived, and the
/// label their transitions carry.
#[derive(Debug, Clone, Deserialize)]
pub struct Participant {
    pub label: String,
    /// `event` or `event/variant` references.
    #[serde(rename = "match")]
    pub matches: Vec<String>,
    /// One extractor per key part.
    pub key: Vec<KeyPart>,
    /// A condition (CEL) every record of this participant must meet; a
    /// record that does not raises `condition-violation`.
    pub require: Option<Condition>,
}

/// A rule parameter: what it stands for and the type of its value.
#[derive(Debug, Clone, Deserialize)]
pub struct RuleParam {
    #[serde(rename = "type")]
    pub kind: ParamType,
    pub description: String,
}

/// A time window of a rule: its length, written (`10m`) or a duration
/// parameter of the rule, widened or narrowed by `margin` (`2s`, `-1s`)
/// for timestamps that are whole seconds or written a moment late.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    pub length: Option<String>,
    pub param: Option<String>,
    pub margin: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParamType {
    /// A duration (`90s`, `5m`, `1.5h`); conditions see seconds.
    Duration,
    Integer,
    Number,
    String,
}

/// Where one part of a correlation key comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyPart {
    /// A payload field.
    pub field: Option<String>,
    /// An envelope value.
    pub envelope: Option<EnvelopeValue>,
    /// For a field: take only the host of a `host:port` value.
    #[serde(default)]
    pub part: Option<FieldPart>,
    /// For a list field: one key per element. Parts taking `each` of the
    /// same field are read from the same element.
    #[serde(default)]
    pub each: bool,
    /// Takes the first capture group of this regular expression (searched
    /// anywhere in the value, or in each element); a value it does not
    /// match has no key.
    pub capture: Option<Capture>,
    /// Takes one side of the value (or element) split at the last
    /// occurrence of a separator: the host or the script of `host:script`.
    pub split: Option<Split>,
    /// Used when the value is absent, instead of leaving the record out.
    pub default: Option<String>,
    /// Takes `field` not from this record but from the latest earlier
    /// record of another participant whose fields equal this record's (a
    /// join): the namespace a session's acceptance assigned, for the
    /// session's close that does not name it.
    pub from: Option<KeyFrom>,
}

/// Where a joined key part's value was remembered.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyFrom {
    /// The participant whose records leave the value.
    pub label: String,
    /// Field of that earlier record → field of this record: the earlier
    /// record joined is the latest whose fields equal this record's.
    pub on: IndexMap<String, String>,
}

/// A compiled regular expression with one capture group.
#[derive(Debug, Clone)]
pub struct Capture(pub regex::Regex);

impl<'de> Deserialize<'de> for Capture {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let source = String::deserialize(deserializer)?;
        let regex = regex::Regex::new(&source).map_err(de::Error::custom)?;
        if regex.captures_len() < 2 {
            return Err(de::Error::custom(format!(
                "`{source}` has no capture group: put the part to keep in (…)"
            )));
        }
        Ok(Capture(regex))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EnvelopeValue {
    /// Syslog hostname, journald `_HOSTNAME`, or the host given for the input.
    Host,
    /// Syslog tag or journald `SYSLOG_IDENTIFIER`.
    Tag,
    /// Syslog PROCID (`tag[pid]`) or journald `_PID`.
    Pid,
    /// The path of the input the record was read from.
    File,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldPart {
    Host,
}

/// One side of a value split at the last occurrence of `at`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Split {
    pub at: String,
    pub side: Side,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    Left,
    Right,
}

impl Split {
    /// The side of `value` this split takes; `None` when `at` is not in it.
    pub fn take<'v>(&self, value: &'v str) -> Option<&'v str> {
        let (left, right) = value.rsplit_once(self.at.as_str())?;
        Some(match self.side {
            Side::Left => left,
            Side::Right => right,
        })
    }

    /// `value` with this split's side replaced by `side_value` (the other
    /// side kept, or `other` when `value` has no separator): how a
    /// generator writes a key part into a value.
    pub fn put(&self, value: Option<&str>, side_value: &str, other: &str) -> String {
        let (left, right) = value
            .and_then(|value| value.rsplit_once(self.at.as_str()))
            .unwrap_or((other, other));
        match self.side {
            Side::Left => format!("{side_value}{}{right}", self.at),
            Side::Right => format!("{left}{}{side_value}", self.at),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Lifecycle {
    pub start: String,
    /// States in the order they are drawn.
    pub states: IndexMap<String, State>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct State {
    #[serde(default)]
    pub accepting: bool,
    /// Transitions: participant label → next state.
    #[serde(default)]
    pub on: IndexMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ViolationCode {
    #[default]
    SequenceViolation,
    ExclusiveViolation,
    DuplicateKey,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnfinishedCode {
    #[default]
    Incomplete,
    Unpaired,
}
