//! The field glossary's value types and how an event's variant uses a
//! field.

use indexmap::IndexMap;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;

use super::Envelope;

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

/// What separates a list's elements when its type names no `separator`.
pub const DEFAULT_LIST_SEPARATOR: &str = ",";

impl ValueSpec {
    /// What separates this list's elements: its `separator`, or the
    /// spec format's default.
    pub fn list_separator(&self) -> &str {
        self.separator.as_deref().unwrap_or(DEFAULT_LIST_SEPARATOR)
    }
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
