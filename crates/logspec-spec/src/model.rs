//! The typed model of a spec file (format version 1).
//!
//! Shapes mirror `spec/logspec.schema.json` one to one; the schema has
//! already rejected unknown keys and wrong shapes by the time serde sees a
//! document, so the model only has to carry the data.

use indexmap::IndexMap;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;

/// One producer's logging reference, as a machine-readable spec.
#[derive(Debug, Clone, Deserialize)]
pub struct Spec {
    pub logspec: u32,
    pub producer: Producer,
    pub document: Document,
    pub wire: Wire,
    pub severity: SeverityVocabulary,
    pub emitters: Vec<Emitter>,
    /// The field glossary, in the order the spec lists it.
    pub fields: IndexMap<String, FieldDefinition>,
    pub events: Vec<Event>,
    #[serde(default)]
    pub summary_tables: Vec<SummaryTable>,
    #[serde(default)]
    pub rules: Vec<Rule>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Envelope {
    Rfc3164,
    Rfc5424,
    Journald,
    Bare,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Payload {
    KeyValue,
}

/// How records travel: envelopes, payload format, which key names the event.
#[derive(Debug, Clone, Deserialize)]
pub struct Wire {
    pub envelopes: Vec<Envelope>,
    pub payload: Payload,
    pub event_key: String,
    #[serde(default)]
    pub event_key_first: bool,
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
                Ok(FieldUse {
                    name: name.to_owned(),
                    optional: false,
                    values: None,
                    pattern: None,
                    also: Vec::new(),
                    except: Vec::new(),
                    note: None,
                })
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
    pub fields: Vec<FieldUse>,
    #[serde(default)]
    pub ordered: bool,
    #[serde(default)]
    pub forbidden: Vec<String>,
    #[serde(default)]
    pub additional_fields: bool,
    #[serde(default)]
    pub examples: Vec<Example>,
    #[serde(default)]
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Event {
    pub id: String,
    pub section: String,
    pub description: Option<String>,
    pub variants: Vec<Variant>,
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
    /// Names of the key's parts, in order, for messages (`[REQID, host]`).
    pub key: Vec<String>,
    pub participants: Vec<Participant>,
    pub lifecycle: Lifecycle,
    /// Fields every record of one key must agree on when they carry them.
    #[serde(default)]
    pub agree: Vec<String>,
    /// Finding code for a record its key's state does not allow.
    #[serde(default)]
    pub violation: ViolationCode,
    /// Finding code for a key left in a non-accepting state.
    #[serde(default)]
    pub unfinished: UnfinishedCode,
    /// A key part whose value must have been seen on the records that would
    /// finish a key before an unfinished key is reported: a pairing across
    /// hosts is only judged for hosts whose logs were given.
    pub scope: Option<String>,
    /// Events that end every open lifecycle of this rule (a restart).
    #[serde(default)]
    pub reset_on: Vec<String>,
}

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
    /// For a list field: one key per element.
    #[serde(default)]
    pub each: bool,
    /// Used when the value is absent, instead of leaving the record out.
    pub default: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EnvelopeValue {
    /// Syslog hostname, journald `_HOSTNAME`, or the host given for the input.
    Host,
    /// Syslog tag or journald `SYSLOG_IDENTIFIER`.
    Tag,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldPart {
    Host,
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
