//! The typed model of a spec file (format version 1).
//!
//! Shapes mirror `spec/logspec.schema.json` one to one; the schema has
//! already rejected unknown keys and wrong shapes by the time serde sees a
//! document, so the model only has to carry the data.

//!
//! One file per part of a spec: the record kinds and who writes them
//! (`wire`), the glossary's value types and how events use fields
//! (`fields`), events with their variants and the tables around them
//! (`events`), and stream rules (`rules`).

mod events;
mod fields;
mod rules;
mod wire;

pub use crate::condition::Condition;
pub use events::*;
pub use fields::*;
pub use rules::*;
pub use wire::*;

use indexmap::IndexMap;
use serde::Deserialize;

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
