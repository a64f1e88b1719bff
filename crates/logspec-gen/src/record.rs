//! Records, and the strategy of records that conform to one variant.
//!
//! A record is what a producer writes for one event: its fields in order,
//! and the envelope facts a framing may carry (priority, tag, host, pid,
//! time). A record is generated for one wire format, since a spec may give
//! a field another name, type or JSON type per format; within the format it
//! stays framing-free, so it can be rendered in each of the format's
//! framings and compared after reading it back.

use crate::time::{Instant, EARLIEST, LATEST};
use crate::{render, value, Framing};
use logspec_reader::{Format, JsonKind};
use proptest::prelude::*;

/// One field of a record.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    /// The spec's name for the field.
    pub key: String,
    /// The name the format writes instead (an RCE readable title), if any.
    pub written: Option<String>,
    /// The value as text (a JSON string's content, a number as written,
    /// empty for `null`).
    pub value: String,
    /// The JSON type it is written as; text formats write every value as
    /// text and never generate anything but [`JsonKind::String`].
    pub json: JsonKind,
}

impl Field {
    /// A field written under its spec name, as text.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Field {
        Field {
            key: key.into(),
            written: None,
            value: value.into(),
            json: JsonKind::String,
        }
    }

    /// The name the record's format writes.
    pub fn written_key(&self) -> &str {
        self.written.as_deref().unwrap_or(&self.key)
    }
}

/// What an envelope may say about a record.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Meta {
    /// Syslog facility, 0-23.
    pub facility: u8,
    /// Syslog severity, 0-7.
    pub severity: u8,
    /// Syslog tag / APP-NAME / `SYSLOG_IDENTIFIER`.
    pub tag: String,
    pub hostname: String,
    pub pid: u32,
    pub time: Instant,
    /// For a record alone in its input (a `record.json`), what its input's
    /// path puts for the `*` of its kind's path pattern (the directory
    /// named by its run id); chosen by a scenario's walk, `None` elsewhere.
    pub place: Option<String>,
}

/// One record of a spec's event.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Record {
    /// Index of the event in the spec it was generated from.
    pub event: usize,
    /// Index of the variant within that event.
    pub variant: usize,
    /// The fields, in the order they are written.
    pub fields: Vec<Field>,
    /// The event's name as a layout that names it writes it (an RCE
    /// readable title, an SSE `event:` line); `None` in other formats.
    pub title: Option<String>,
    pub meta: Meta,
}

impl Record {
    /// The value of the first field named `key`.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|field| field.key == key)
            .map(|field| field.value.as_str())
    }
}

/// How to generate one field of a variant.
pub(crate) struct FieldGen {
    pub name: String,
    /// The name the format writes, when it is not `name`.
    pub written: Option<String>,
    pub required: bool,
    pub values: BoxedStrategy<(String, JsonKind)>,
}

/// How to generate records of one variant in one format, compiled from the
/// spec.
pub(crate) struct VariantGen {
    pub event: usize,
    pub variant: usize,
    pub format: Format,
    /// In the documented order, the event key first when the spec says it
    /// always is.
    pub fields: Vec<FieldGen>,
    /// Whether the document leaves the order open: the fields are then
    /// shuffled, as any order conforms (the event key kept first when it
    /// must be).
    pub any_order: bool,
    /// When the variant tolerates unlisted fields: the name of one that no
    /// variant of the event lists, sometimes added to show it is tolerated.
    pub extra: Option<String>,
    /// The event's name where the format's layout writes it.
    pub title: Option<String>,
    pub severity: u8,
    /// The spec's facility; `None` lets any facility through.
    pub facility: Option<u8>,
    /// Tags the variant's emitters log under; never empty.
    pub tags: Vec<String>,
    /// The event key, when it must stay first (`event_key_first`).
    pub first: Option<String>,
}

impl VariantGen {
    /// Records that conform to this variant and that its format can carry
    /// (a Logback thread name cannot hold `] `, for one).
    pub fn records(&self) -> BoxedStrategy<Record> {
        let fields: Vec<BoxedStrategy<Option<Field>>> = self
            .fields
            .iter()
            .map(|field| {
                let (name, written) = (field.name.clone(), field.written.clone());
                let values = field.values.clone().prop_map(move |(value, json)| Field {
                    key: name.clone(),
                    written: written.clone(),
                    value,
                    json,
                });
                if field.required {
                    values.prop_map(Some).boxed()
                } else {
                    proptest::option::of(values).boxed()
                }
            })
            .collect();
        let extra = match &self.extra {
            Some(name) => {
                let name = name.clone();
                proptest::option::weighted(
                    0.3,
                    value::free_text(1..=12).prop_map(move |value| Field::new(name.clone(), value)),
                )
                .boxed()
            }
            None => Just(None).boxed(),
        };
        let first = self.first.clone();
        let mut fields = (fields, extra)
            .prop_map(|(fields, extra)| fields.into_iter().chain([extra]).flatten().collect())
            .boxed();
        if self.any_order {
            fields = fields
                .prop_shuffle()
                .prop_map(move |mut fields: Vec<Field>| {
                    if let Some(first) = &first {
                        if let Some(at) = fields.iter().position(|field| &field.key == first) {
                            fields[..=at].rotate_right(1);
                        }
                    }
                    fields
                })
                .boxed();
        }
        let (event, variant, format, title) =
            (self.event, self.variant, self.format, self.title.clone());
        let framing = Framing::default_of(format);
        (fields, meta(self.severity, self.facility, &self.tags))
            .prop_map(move |(mut fields, meta)| {
                render::arrange(format, &mut fields);
                Record {
                    event,
                    variant,
                    fields,
                    title: title.clone(),
                    meta,
                }
            })
            .prop_filter("the format cannot carry the record", move |record| {
                render::render(framing, record).is_ok()
            })
            .boxed()
    }
}

/// Envelope facts of a conforming record.
fn meta(severity: u8, facility: Option<u8>, tags: &[String]) -> BoxedStrategy<Meta> {
    let facility = match facility {
        Some(facility) => Just(facility).boxed(),
        None => (0u8..24).boxed(),
    };
    (
        facility,
        proptest::sample::select(tags.to_vec()),
        value::hostname(),
        1u32..=4_194_304,
        EARLIEST.0..=LATEST.0,
    )
        .prop_map(move |(facility, tag, hostname, pid, time)| Meta {
            facility,
            severity,
            tag,
            hostname,
            pid,
            time: Instant(time),
            place: None,
        })
        .boxed()
}
