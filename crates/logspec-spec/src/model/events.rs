//! Events and their variants, examples and message matches, and the
//! tables and console lines around them.

use indexmap::IndexMap;
use serde::de;
use serde::{Deserialize, Deserializer};

use super::{Envelope, FieldUse, Pattern, ValueSpec};

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

/// The pattern is read as text and compiled after: compiled inside the
/// untagged enum, a regex error would be lost behind serde's "did not
/// match any variant".
#[derive(Deserialize)]
#[serde(untagged)]
enum MessageRepr {
    Literal(String),
    Pattern {
        pattern: String,
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
            MessageRepr::Pattern { pattern } => {
                let text = de::value::StringDeserializer::<D::Error>::new(pattern);
                MessageMatch::Pattern(Pattern::deserialize(text)?)
            }
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
