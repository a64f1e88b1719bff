//! Checks one record against the spec: finds its event, picks the variant
//! it is closest to, and reports every way it departs from that variant.
//!
//! Variants are told apart by the same facts that are checked (required
//! and forbidden fields, narrowed values, emitters), so classification is
//! "the variant with the fewest findings, the first declared on a tie".
//! That needs no separate discriminator language in the spec, and a broken
//! record is judged against the form it was evidently trying to be.
//!
//! Every format reaches this module as the same list of fields: key=value
//! pairs, flattened JSON, a Logback line's parts. [`identify`] first finds
//! the record's event (its event key, a title the layout gives, or the
//! kind's one event) and renames the fields from how the format writes
//! them to the spec's names, so the checks below know one vocabulary.
//!
//! This module identifies the record, matches its message and picks the
//! variant; `variant` holds the checks of one variant.

mod slots;
mod variant;

pub use slots::EventSlots;
use slots::RecordSlots;
pub use variant::severity_name;
use variant::{check_variant, facility_name, shorten, Judgement, Located, Score};

use crate::finding::{Code, Excerpt, Finding, FindingSink};
use crate::kind::KindPlan;
use crate::plan::{EventPlan, MessageFit, Plan};
use hashlink::LinkedHashMap;
use logspec_reader::{Envelope, Field, Format};
use logspec_spec::MessageMatch;
use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

/// Longest excerpt of a line kept in a finding, in bytes.
const EXCERPT_BYTES: usize = 400;
/// Unknown event ids remembered per check (tolerated or not), so each is
/// reported once; past this many, every further new one is reported each
/// time.
const TOLERATED_IDS: usize = 4096;

/// One parsed record, as the checker sees it.
pub struct RecordInput<'r, 'a> {
    pub file: &'r Arc<str>,
    /// The record's first line.
    pub line_number: u64,
    /// The record's first line, for excerpts.
    pub line: &'r str,
    pub envelope: &'r Envelope<'a>,
    /// Its fields, named as the spec names them (see [`identify`]), with
    /// spans in the record's text.
    pub fields: &'r [Field<'a>],
    /// The record kind (index into [`Plan::kinds`]).
    pub kind: usize,
    pub format: Format,
    /// What [`identify`] found.
    pub identity: &'r Identity,
    /// The event as the layout names it, when it does.
    pub title: Option<&'r Field<'a>>,
}

/// Which event a record is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    Event(usize),
    /// The record has no event key.
    Missing,
    /// An event the record's kind does not document: as written, and where.
    Unknown {
        id: String,
        span: Option<Range<usize>>,
    },
}

/// Finds the record's event among its kind's and renames `fields` from how
/// `format` writes them to the spec's names (the event's own names first,
/// then the glossary's).
pub fn identify<'a>(
    plan: &'a Plan,
    kind: usize,
    format: Format,
    title: Option<&Field<'_>>,
    fields: &mut [Field<'a>],
) -> Identity {
    let kind_plan = &plan.kinds[kind];
    let unknown = |field: &Field<'_>| Identity::Unknown {
        id: field.value.to_string(),
        span: field.value_span.clone(),
    };
    let identity = if let Some(title) = title {
        kind_plan
            .event_by_title(format, &title.value)
            .map_or_else(|| unknown(title), Identity::Event)
    } else if let Some(key) = &kind_plan.event_key {
        match written(kind_plan, format, fields, key) {
            None => {
                by_message(plan, kind, format, fields).map_or(Identity::Missing, Identity::Event)
            }
            Some(field) => kind_plan
                .event(&field.value)
                .map_or_else(|| unknown(field), Identity::Event),
        }
    } else {
        kind_plan
            .constant_event
            .or_else(|| by_message(plan, kind, format, fields))
            .map_or(Identity::Missing, Identity::Event)
    };
    let event = match identity {
        Identity::Event(index) => plan.events.get(index),
        _ => None,
    };
    for field in fields.iter_mut() {
        let renamed = event
            .and_then(|event| event.field_name(format, &field.key))
            .or_else(|| kind_plan.glossary_name(format, &field.key));
        if let Some(name) = renamed {
            field.key = Cow::Borrowed(name);
        }
    }
    identity
}

/// The field the spec calls `name`, however `format` writes it (before
/// [`identify`] renames the fields).
fn written<'f, 'a>(
    kind_plan: &KindPlan,
    format: Format,
    fields: &'f [Field<'a>],
    name: &str,
) -> Option<&'f Field<'a>> {
    fields.iter().find(|field| {
        kind_plan
            .glossary_name(format, &field.key)
            .unwrap_or(&field.key)
            == name
    })
}

/// The event a record without an event key is, told by its message among
/// the events the document names no event for.
fn by_message(plan: &Plan, kind: usize, format: Format, fields: &[Field<'_>]) -> Option<usize> {
    let kind_plan = &plan.kinds[kind];
    let name = kind_plan.message.as_deref()?;
    let message = written(kind_plan, format, fields, name)?;
    (kind_plan.by_message.iter().copied())
        .find(|&event| plan.events[event].messages.listed(&message.value))
}

/// What a record was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Classification {
    pub event: usize,
    pub variant: usize,
}

/// What could and could not be checked on a record.
#[derive(Debug, Default)]
pub struct Outcome {
    pub classification: Option<Classification>,
    pub severity_checked: bool,
    pub emitter_checked: bool,
    /// An event the record's kind does not document, for
    /// [`SeenEvents::note`] (after the record's other findings).
    pub unknown: Option<UnknownEvent>,
}

impl RecordInput<'_, '_> {
    fn finding(&self, code: Code, message: String, span: Option<Range<usize>>) -> Finding {
        let mut finding = Finding::new(code, self.file, self.line_number, message);
        finding.column = span.as_ref().map(|span| span.start + 1);
        finding.excerpt = Some(excerpt(self.line, span));
        finding
    }

    /// `span` (in the record's text) when it lies on the first line.
    fn line_span(&self, span: Option<&Range<usize>>) -> Option<Range<usize>> {
        span.filter(|span| span.end <= self.line.len()).cloned()
    }

    fn field_span(&self, field: &Field<'_>) -> Option<Range<usize>> {
        let start = field.key_span.as_ref().or(field.value_span.as_ref())?.start;
        let end = field.value_span.as_ref().or(field.key_span.as_ref())?.end;
        self.line_span(Some(&(start..end)))
    }

    fn value_span(&self, field: &Field<'_>) -> Option<Range<usize>> {
        self.line_span(field.value_span.as_ref())
    }
}

/// The line cut to a readable length at a character boundary, with the
/// span kept only if it survives the cut.
pub fn excerpt(line: &str, span: Option<Range<usize>>) -> Excerpt {
    let mut end = line.len().min(EXCERPT_BYTES);
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    let text = if end < line.len() {
        format!("{}…", &line[..end])
    } else {
        line.to_owned()
    };
    let span = span.and_then(|span| {
        let start = span.start.min(end);
        let stop = span.end.min(end);
        let kept = start < stop || span.start == span.end && span.start <= end;
        // A span in raw bytes can end inside a character of the text (an
        // invalid byte shown as U+FFFD): it then covers that whole character.
        kept.then(|| floor_char_boundary(line, start)..ceil_char_boundary(line, stop))
    });
    Excerpt { text, span }
}

/// The last char boundary of `text` at or before `at`.
fn floor_char_boundary(text: &str, at: usize) -> usize {
    (0..=at.min(text.len()))
        .rev()
        .find(|&at| text.is_char_boundary(at))
        .unwrap_or(0)
}

/// The first char boundary of `text` at or after `at`.
fn ceil_char_boundary(text: &str, at: usize) -> usize {
    (at..text.len())
        .find(|&at| text.is_char_boundary(at))
        .unwrap_or(text.len())
}

/// Reusable buffers, so that checking a line allocates only for findings.
/// Each thread that checks records keeps its own.
#[derive(Default)]
pub struct Scratch {
    first_of_key: Vec<bool>,
    /// Per variant of the record's event: whether its messages admit the
    /// record's.
    candidates: Vec<bool>,
    /// Per variant of the record's event: how its messages admit the
    /// record's.
    fits: Vec<MessageFit>,
    /// Where the record's fields lie among its event's slots.
    slots: RecordSlots,
}

/// A record of an event its kind does not document, for [`SeenEvents`]
/// to report or count: whether it is reported depends on the records
/// before it, so [`check_record`] hands it back rather than deciding.
#[derive(Debug)]
pub struct UnknownEvent {
    kind: usize,
    id: String,
    /// Tolerated (its kind accepts new events) rather than drift.
    tolerated: bool,
    finding: Finding,
}

impl UnknownEvent {
    pub fn finding(&self) -> &Finding {
        &self.finding
    }

    /// The finding to report, for a caller that moves its columns.
    pub fn finding_mut(&mut self) -> &mut Finding {
        &mut self.finding
    }
}

/// The unknown events seen so far in a check, in input order.
#[derive(Default)]
pub struct SeenEvents {
    /// Tolerated unknown events already reported, by kind and id.
    tolerated: HashSet<(usize, String)>,
    /// Undocumented events, by kind and id: the finding at the first
    /// record and how many records there were, reported when the check
    /// ends ([`SeenEvents::undocumented_findings`]).
    /// In order of first record: two unknown events in one line (an OTLP
    /// export) must come out in the same order on every run.
    undocumented: LinkedHashMap<(usize, String), (Finding, u64)>,
}

impl SeenEvents {
    /// Reports a tolerated unknown event the first time it is seen; keeps
    /// an undocumented one for [`SeenEvents::undocumented_findings`]
    /// (past `TOLERATED_IDS` of either, every further new one is
    /// reported each time).
    pub fn note(&mut self, unknown: UnknownEvent, sink: &mut dyn FindingSink) {
        let UnknownEvent {
            kind,
            id,
            tolerated,
            finding,
        } = unknown;
        if tolerated {
            let first = self.tolerated.len() >= TOLERATED_IDS || self.tolerated.insert((kind, id));
            if first {
                sink.push(finding);
            }
            return;
        }
        // Drift, reported once per event with a count and its first
        // record, not once per line.
        let key = (kind, id);
        if let Some((_, count)) = self.undocumented.get_mut(&key) {
            *count += 1;
        } else if self.undocumented.len() < TOLERATED_IDS {
            self.undocumented.insert(key, (finding, 1));
        } else {
            sink.push(finding);
        }
    }

    /// The undocumented events seen since the last call, one finding each
    /// at its first record, with the count of records when there were
    /// several; in order of first record.
    pub fn undocumented_findings(&mut self) -> Vec<Finding> {
        let mut findings: Vec<Finding> = self
            .undocumented
            .drain()
            .map(|(_, (mut finding, count))| {
                if count > 1 {
                    finding.message = format!("{} ({count} records; first here)", finding.message);
                }
                finding
            })
            .collect();
        findings.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        findings
    }
}

/// Checks `record`, sending findings to `sink`; an unknown event is left
/// to the caller (see [`Outcome::unknown`]).
pub fn check_record(
    plan: &Plan,
    record: &RecordInput<'_, '_>,
    scratch: &mut Scratch,
    sink: &mut dyn FindingSink,
) -> Outcome {
    let mut outcome = Outcome::default();
    let kind = &plan.kinds[record.kind];
    if let (Some((expected, name)), Some(facility)) = (plan.facility, record.envelope.facility) {
        if facility != expected {
            sink.push(record.finding(
                Code::FacilityMismatch,
                format!(
                    "syslog facility {facility} ({}), but {} logs to {name} ({expected})",
                    facility_name(facility),
                    plan.producer
                ),
                None,
            ));
        }
    }

    mark_first_occurrences(record.fields, &mut scratch.first_of_key);
    for (field, first) in record.fields.iter().zip(&scratch.first_of_key) {
        if !first {
            let mut finding = record.finding(
                Code::DuplicateField,
                format!(
                    "{} appears more than once; only its first value is checked",
                    field.key
                ),
                record.field_span(field),
            );
            finding.field = Some(field.key.to_string());
            sink.push(finding);
        }
    }

    let key_position = kind.event_key.as_ref().and_then(|key| {
        record
            .fields
            .iter()
            .position(|field| field.key == key.as_str())
    });
    let written_id = || {
        key_position
            .map(|position| record.fields[position].value.to_string())
            .or_else(|| record.title.map(|title| title.value.to_string()))
    };
    if let (Some(key), Some(position)) = (&kind.event_key, key_position) {
        if kind.event_key_first && position != 0 {
            let key_field = &record.fields[position];
            let mut finding = record.finding(
                Code::EventKeyNotFirst,
                format!(
                    "{key} must be the first field; {} comes before it",
                    record.fields[0].key
                ),
                record.field_span(key_field),
            );
            finding.field = Some(key.clone());
            finding.event = Some(key_field.value.to_string());
            sink.push(finding);
        }
    }

    let event_index = match record.identity {
        Identity::Event(index) => *index,
        Identity::Missing => {
            let key = kind.event_key.as_deref().unwrap_or("event");
            let mut finding = record.finding(
                Code::MissingField,
                format!("no {key} field, so the event cannot be identified"),
                None,
            );
            finding.field = Some(key.to_owned());
            sink.push(finding);
            return outcome;
        }
        Identity::Unknown { id, span } => {
            let key = kind.event_key.as_deref().unwrap_or("event");
            let what = match (record.title, &kind.event_key) {
                (Some(_), _) | (None, None) => format!("{id:?}"),
                (None, Some(key)) => format!("{key}={id}"),
            };
            let (code, message) = if kind.tolerate_unknown {
                (
                    Code::UnknownEventTolerated,
                    format!(
                        "{what} is not an event {} documents; tolerated, as its readers must \
                         accept new event types (reported once)",
                        plan.producer
                    ),
                )
            } else {
                (
                    Code::UnknownEvent,
                    format!("{what} is not an event {} documents", plan.producer),
                )
            };
            let mut finding = record.finding(code, message, record.line_span(span.as_ref()));
            finding.event = Some(id.clone());
            finding.field = Some(key.to_owned());
            outcome.unknown = Some(UnknownEvent {
                kind: record.kind,
                id: id.clone(),
                tolerated: kind.tolerate_unknown,
                finding,
            });
            return outcome;
        }
    };
    if let (Some(title), Some(position)) = (record.title, key_position) {
        let written = &record.fields[position];
        if plan.kinds[record.kind].event(&written.value) != Some(event_index) {
            let mut finding = record.finding(
                Code::InvalidValue,
                format!(
                    "{}={} names another event than {:?} before it",
                    written.key, written.value, title.value
                ),
                record.value_span(written),
            );
            finding.field = Some(written.key.to_string());
            finding.event = written_id();
            sink.push(finding);
        }
    }

    let event = &plan.events[event_index];
    scratch.candidates.clear();
    scratch.candidates.resize(event.variants.len(), true);
    if event.has_messages {
        if let Some(name) = &kind.message {
            match record
                .fields
                .iter()
                .find(|field| field.key == name.as_str())
            {
                Some(found) => {
                    // A specific match outranks a catch-all.
                    event.messages.fits(&found.value, &mut scratch.fits);
                    let wanted = if scratch.fits.contains(&MessageFit::Specific) {
                        MessageFit::Specific
                    } else {
                        MessageFit::CatchAll
                    };
                    for (candidate, fit) in scratch.candidates.iter_mut().zip(&scratch.fits) {
                        *candidate = *fit == wanted;
                    }
                    if !scratch.candidates.contains(&true) {
                        let mut finding = record.finding(
                            Code::UnknownMessage,
                            format!(
                                "{} is not documented with the message {:?}; closest documented: {}",
                                event.id,
                                shorten(&found.value),
                                closest_messages(event, &found.value).join(", ")
                            ),
                            record.value_span(found),
                        );
                        finding.event = Some(event.id.to_string());
                        finding.field = Some(name.clone());
                        sink.push(finding);
                        return outcome;
                    }
                }
                None => {
                    let mut finding = record.finding(
                        Code::MissingField,
                        format!(
                            "no {name} field, so the message of {} cannot be checked",
                            event.id
                        ),
                        None,
                    );
                    finding.event = Some(event.id.to_string());
                    finding.field = Some(name.clone());
                    sink.push(finding);
                }
            }
        }
    }
    let level = kind.level.as_ref().and_then(|name| {
        record
            .fields
            .iter()
            .find(|field| field.key == name.as_str())
            .map(|field| field.value.as_ref())
    });
    outcome.severity_checked = record.envelope.severity.is_some() || level.is_some();
    if !kind.carries_level {
        outcome.severity_checked = true;
    }
    outcome.emitter_checked = record.envelope.tag.is_some() || !plan.tagged;
    scratch.slots.locate(&event.slots, record.fields);
    let judge = |variant_index: usize, findings: Option<&mut dyn FindingSink>, bound| {
        let mut judgement = Judgement {
            event_id: &event.id,
            variant_name: plan.variant_name(event_index, variant_index),
            findings,
            bound,
            errors: 0,
            wrong_emitter: 0,
            warnings: 0,
        };
        check_variant(
            plan,
            record,
            level,
            &event.variants[variant_index],
            Located {
                event: &event.slots,
                variant: event.slots.variant(variant_index),
                record: &scratch.slots,
            },
            &scratch.first_of_key,
            &mut judgement,
        );
        judgement.score()
    };
    // The first candidate without a finding is the variant; each is given
    // up at its first finding, so a valid record costs little for the
    // candidates declared before its own. Only a record that fits none is
    // judged against every candidate, each given up once it is worse than
    // the best so far: the fewest findings, the first declared on a tie.
    let candidates = std::mem::take(&mut scratch.candidates);
    let in_order = || (0..event.variants.len()).filter(|&index| candidates[index]);
    let perfect = in_order().find(|&index| judge(index, None, Some(Score::ZERO)) == Score::ZERO);
    let best_variant = perfect.unwrap_or_else(|| {
        let (mut best, mut best_score) = (0, Score::MAX);
        for variant_index in in_order() {
            let score = judge(variant_index, None, Some(best_score));
            if score < best_score {
                best_score = score;
                best = variant_index;
            }
        }
        best
    });
    scratch.candidates = candidates;
    if perfect.is_none() {
        // Straight to the sink, which bounds what it keeps: a record of
        // many wrong fields costs no memory per finding here.
        judge(best_variant, Some(sink), None);
    }
    outcome.classification = Some(Classification {
        event: event_index,
        variant: best_variant,
    });
    outcome
}

/// Up to three of the event's documented messages nearest to `message`,
/// nearest first, for an unknown-message finding.
fn closest_messages(event: &EventPlan, message: &str) -> Vec<String> {
    let mut known: Vec<(f64, String)> = Vec::new();
    for matcher in event.variants.iter().flat_map(|variant| &variant.messages) {
        let (text, shown) = match matcher {
            MessageMatch::Literal(text) => (text.as_str(), format!("{text:?}")),
            MessageMatch::Pattern(pattern) => (pattern.source(), matcher.display()),
            MessageMatch::Any => continue,
        };
        if known.iter().any(|(_, seen)| *seen == shown) {
            continue;
        }
        // Edit distance costs the product of the lengths: a message far
        // longer than the documented text is compared by its beginning,
        // so a 1 MB message costs no more than a short one.
        let compared = text.chars().count().saturating_mul(2).saturating_add(16);
        let message = message
            .char_indices()
            .nth(compared)
            .map_or(message, |(end, _)| &message[..end]);
        known.push((strsim::normalized_levenshtein(text, message), shown));
    }
    known.sort_by(|a, b| b.0.total_cmp(&a.0));
    known.into_iter().take(3).map(|(_, shown)| shown).collect()
}

/// Marks, for each field, whether it is the first with its key. A record
/// of a few fields compares each with those before it (no allocation);
/// past that, one hash set insert per field keeps a line of many fields
/// linear.
fn mark_first_occurrences(fields: &[Field<'_>], first: &mut Vec<bool>) {
    const SCAN_UP_TO: usize = 32;
    first.clear();
    if fields.len() <= SCAN_UP_TO {
        for (index, field) in fields.iter().enumerate() {
            first.push(
                !fields[..index]
                    .iter()
                    .any(|earlier| earlier.key == field.key),
            );
        }
    } else {
        let mut seen = HashSet::with_capacity(fields.len());
        first.extend(fields.iter().map(|field| seen.insert(&*field.key)));
    }
}
