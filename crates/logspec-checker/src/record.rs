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

use crate::finding::{Code, Excerpt, Finding, FindingSink};
use crate::kind::KindPlan;
use crate::plan::{EventPlan, MessageFit, Plan, VariantPlan};
use crate::value::ValueCheck;
use crate::Severity;
use logspec_reader::{Envelope, Epoch, Field, Format, JsonKind};
use logspec_spec::MessageMatch;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
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
    pub envelope: &'r Envelope,
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
    kind_plan.by_message.iter().copied().find(|&event| {
        plan.events[event]
            .variants
            .iter()
            .any(|variant| !variant.messages.is_empty() && variant.logs_message(&message.value))
    })
}

/// What a record was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Classification {
    pub event: usize,
    pub variant: usize,
}

/// What could and could not be checked on a record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome {
    pub classification: Option<Classification>,
    pub severity_checked: bool,
    pub emitter_checked: bool,
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
#[derive(Default)]
pub struct Scratch {
    first_of_key: Vec<bool>,
    /// Tolerated unknown events already reported, by kind and id.
    tolerated: HashSet<(usize, String)>,
    /// Undocumented events, by kind and id: the finding at the first
    /// record and how many records there were, reported when the check
    /// ends ([`Scratch::undocumented_findings`]).
    undocumented: HashMap<(usize, String), (Finding, u64)>,
    /// Per variant of the record's event: whether its messages admit the
    /// record's.
    candidates: Vec<bool>,
    /// Per variant of the record's event: how its messages admit the
    /// record's.
    fits: Vec<MessageFit>,
}

impl Scratch {
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

/// Checks `record`, sending findings to `sink`.
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
            let mut finding = if kind.tolerate_unknown {
                let first = scratch.tolerated.len() >= TOLERATED_IDS
                    || scratch.tolerated.insert((record.kind, id.clone()));
                if !first {
                    return outcome;
                }
                record.finding(
                    Code::UnknownEventTolerated,
                    format!(
                        "{what} is not an event {} documents; tolerated, as its readers must \
                         accept new event types (reported once)",
                        plan.producer
                    ),
                    record.line_span(span.as_ref()),
                )
            } else {
                // Drift, reported once per event with a count and its
                // first record, not once per line.
                if let Some((_, count)) = scratch.undocumented.get_mut(&(record.kind, id.clone())) {
                    *count += 1;
                    return outcome;
                }
                record.finding(
                    Code::UnknownEvent,
                    format!("{what} is not an event {} documents", plan.producer),
                    record.line_span(span.as_ref()),
                )
            };
            finding.event = Some(id.clone());
            finding.field = Some(key.to_owned());
            if finding.code == Code::UnknownEvent && scratch.undocumented.len() < TOLERATED_IDS {
                scratch
                    .undocumented
                    .insert((record.kind, id.clone()), (finding, 1));
            } else {
                sink.push(finding);
            }
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
                    // Each variant's messages matched once (patterns are
                    // regexes); a specific match outranks a catch-all.
                    scratch.fits.clear();
                    scratch.fits.extend(
                        (event.variants.iter()).map(|variant| variant.message_fit(&found.value)),
                    );
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
                        finding.event = Some(event.id.clone());
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
                    finding.event = Some(event.id.clone());
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
    let judge = |variant_index: usize, findings: Option<&mut dyn FindingSink>| {
        let mut judgement = Judgement {
            event_id: &event.id,
            variant_name: plan.variant_name(event_index, variant_index),
            findings,
            errors: 0,
            wrong_emitter: 0,
            warnings: 0,
        };
        check_variant(
            plan,
            record,
            level,
            &event.variants[variant_index],
            &scratch.first_of_key,
            &mut judgement,
        );
        judgement.score()
    };
    let mut best_variant = 0;
    let mut best_score = (usize::MAX, usize::MAX, usize::MAX);
    let candidates = std::mem::take(&mut scratch.candidates);
    for variant_index in (0..event.variants.len()).filter(|&index| candidates[index]) {
        let score = judge(variant_index, None);
        if score < best_score {
            best_score = score;
            best_variant = variant_index;
        }
        if score == (0, 0, 0) {
            break;
        }
    }
    scratch.candidates = candidates;
    if best_score != (0, 0, 0) {
        // Straight to the sink, which bounds what it keeps: a record of
        // many wrong fields costs no memory per finding here.
        judge(best_variant, Some(sink));
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

/// One variant's verdict on a record: counted while variants are compared,
/// built into findings only for the variant chosen, so losing candidates
/// cost no formatting.
struct Judgement<'a, 's> {
    event_id: &'a str,
    variant_name: Option<&'a str>,
    /// `Some` to build findings, `None` to count only.
    findings: Option<&'s mut dyn FindingSink>,
    errors: usize,
    wrong_emitter: usize,
    warnings: usize,
}

impl Judgement<'_, '_> {
    fn report(&mut self, code: Code, field: Option<&str>, make: impl FnOnce() -> Finding) {
        self.report_as(code.severity(), code, field, make);
    }

    /// Reports a finding whose severity differs from its code's usual one.
    fn report_as(
        &mut self,
        severity: Severity,
        code: Code,
        field: Option<&str>,
        make: impl FnOnce() -> Finding,
    ) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => {}
        }
        if code == Code::EmitterMismatch {
            self.wrong_emitter += 1;
        }
        if let Some(findings) = self.findings.as_deref_mut() {
            let mut finding = make();
            finding.severity = severity;
            finding.event = Some(self.event_id.to_owned());
            finding.variant = self.variant_name.map(str::to_owned);
            finding.field = field.map(str::to_owned);
            findings.push(finding);
        }
    }

    /// Fewer errors first; on a tie, the variant the syslog tag names (the
    /// tag is evidence, a field value is the thing checked); then warnings.
    fn score(&self) -> (usize, usize, usize) {
        (self.errors, self.wrong_emitter, self.warnings)
    }
}

fn check_variant(
    plan: &Plan,
    record: &RecordInput<'_, '_>,
    level: Option<&str>,
    variant: &VariantPlan,
    first_of_key: &[bool],
    judgement: &mut Judgement<'_, '_>,
) {
    let label = &variant.label;

    let kind = &plan.kinds[record.kind];
    for field in &variant.fields {
        let Some(found) = record
            .fields
            .iter()
            .find(|found| found.key == field.name.as_str())
        else {
            // A JSON object is flattened into its members (`detail.a`).
            if record
                .fields
                .iter()
                .any(|found| member_of(&found.key, &field.name))
            {
                if let Err(why) = field.check_in(record.format).check_object() {
                    judgement.report(Code::InvalidValue, Some(&field.name), || {
                        record.finding(
                            Code::InvalidValue,
                            format!("{} in {label}: {why}", field.name),
                            None,
                        )
                    });
                }
                continue;
            }
            // A layout that names the event itself has no event key field.
            let named_by_layout =
                record.title.is_some() && kind.event_key.as_deref() == Some(field.name.as_str());
            if field.required && !named_by_layout {
                judgement.report(Code::MissingField, Some(&field.name), || {
                    record.finding(
                        Code::MissingField,
                        format!("{label} requires {}, which is absent", field.name),
                        None,
                    )
                });
            }
            continue;
        };
        if let Err(why) = field
            .check_in(record.format)
            .check_typed(&found.value, found.json)
        {
            judgement.report(Code::InvalidValue, Some(&field.name), || {
                record.finding(
                    Code::InvalidValue,
                    format!("{}={} in {label}: {why}", field.name, shorten(&found.value)),
                    record.value_span(found),
                )
            });
        }
    }

    let kind = &plan.kinds[record.kind];
    check_carried(record, variant, kind, judgement);
    for (found, first) in record.fields.iter().zip(first_of_key) {
        let carried_by_kind = [&kind.message, &kind.audit]
            .into_iter()
            .any(|name| name.as_deref() == Some(&*found.key));
        if !first
            || carried_by_kind
            || variant
                .fields
                .iter()
                .any(|field| found.key == field.name.as_str() || member_of(&found.key, &field.name))
        {
            continue;
        }
        let forbidden = variant
            .forbidden
            .iter()
            .any(|name| found.key == name.as_str());
        let extra = variant
            .extra_fields
            .as_ref()
            .filter(|(pattern, _)| !forbidden && pattern.is_match(&found.key));
        if let Some((_, check)) = extra {
            if let Err(why) = check.check_typed(&found.value, found.json) {
                judgement.report(Code::InvalidValue, Some(found.key.as_ref()), || {
                    record.finding(
                        Code::InvalidValue,
                        format!("{}={} in {label}: {why}", found.key, shorten(&found.value)),
                        record.value_span(found),
                    )
                });
            }
            continue;
        }
        if forbidden || !variant.additional_fields {
            let message = match (&variant.extra_fields, forbidden) {
                (_, true) => format!("{} is documented as absent from {label}", found.key),
                (Some((pattern, _)), false) => format!(
                    "{} is not documented for {label}, and its name does not match \
                     /{}/, the pattern further fields must match",
                    found.key,
                    pattern.source()
                ),
                (None, false) => format!("{} is not documented for {label}", found.key),
            };
            judgement.report(Code::UnexpectedField, Some(found.key.as_ref()), || {
                record.finding(Code::UnexpectedField, message, record.field_span(found))
            });
        }
    }

    if let Some(level) = level {
        let known = kind.level.is_some() && plan.level_known(level);
        let typed = kind
            .carried
            .iter()
            .any(|field| Some(&field.name) == kind.level.as_ref());
        if !known && !typed {
            judgement.report(Code::InvalidValue, kind.level.as_deref(), || {
                record.finding(
                    Code::InvalidValue,
                    format!(
                        "level {} is not one of {}'s levels ({})",
                        shorten(level),
                        plan.producer,
                        plan.level_names.join(", ")
                    ),
                    None,
                )
            });
        }
        if known && !variant.levels.iter().any(|allowed| allowed == level) {
            judgement.report(Code::SeverityMismatch, None, || {
                record.finding(
                    Code::SeverityMismatch,
                    format!(
                        "logged at {level}, but {label} is documented as {}",
                        variant.levels.join(" or ")
                    ),
                    None,
                )
            });
        }
    }

    if let Some(severity) = record.envelope.severity {
        if severity != variant.severity {
            judgement.report(Code::SeverityMismatch, None, || {
                record.finding(
                    Code::SeverityMismatch,
                    format!(
                        "logged at {} ({severity}), but {label} is documented as {} ({})",
                        severity_name(severity),
                        variant.severity_name,
                        variant.severity
                    ),
                    None,
                )
            });
        }
    }

    if let (Some(expected), Some(name)) = (variant.audit, &kind.audit) {
        check_audit(record, variant, expected, name, judgement);
    }

    if let Some(tag) = &record.envelope.tag {
        if !variant.tags.is_empty() && !variant.tags.contains(tag.as_str()) {
            let mut expected: Vec<&str> = variant.tags.iter().map(String::as_str).collect();
            expected.sort_unstable();
            judgement.report(Code::EmitterMismatch, None, || {
                record.finding(
                    Code::EmitterMismatch,
                    format!(
                        "syslog tag {tag:?} does not emit {label} (documented tags: {})",
                        expected.join(", ")
                    ),
                    None,
                )
            });
        }
    }

    if variant.ordered {
        check_order(plan, record, variant, first_of_key, judgement);
    }
}

/// Holds the kind's time and level fields to the glossary where the
/// variant does not list them (where it does, its own check applies), and
/// the time, once its type is met, to being a time the kind can read.
fn check_carried(
    record: &RecordInput<'_, '_>,
    variant: &VariantPlan,
    kind: &KindPlan,
    judgement: &mut Judgement<'_, '_>,
) {
    let found = |name: &str| record.fields.iter().find(|found| found.key == name);
    let label = &variant.label;
    let mut time_typed = true;
    for carried in &kind.carried {
        let listed = variant
            .fields
            .iter()
            .find(|field| field.name == carried.name);
        let Some(field) = found(&carried.name) else {
            continue;
        };
        let check = listed.unwrap_or(carried).check_in(record.format);
        let verdict = check.check_typed(&field.value, field.json);
        if kind
            .timestamp
            .as_ref()
            .is_some_and(|(name, _)| *name == carried.name)
        {
            time_typed = verdict.is_ok();
        }
        match verdict {
            Err(why) if listed.is_none() => {
                judgement.report(Code::InvalidValue, Some(&carried.name), || {
                    record.finding(
                        Code::InvalidValue,
                        format!(
                            "{}={} in {label}: {why}",
                            carried.name,
                            shorten(&field.value)
                        ),
                        record.value_span(field),
                    )
                });
            }
            // A listed field's own check reports it.
            _ => {}
        }
    }
    let Some((name, epoch)) = &kind.timestamp else {
        return;
    };
    if !kind.carried.iter().any(|carried| carried.name == *name) {
        let listed = variant.fields.iter().find(|field| field.name == *name);
        if let (Some(listed), Some(field)) = (listed, found(name)) {
            time_typed = listed
                .check_in(record.format)
                .check_typed(&field.value, field.json)
                .is_ok();
        }
    }
    let Some(field) = found(name).filter(|field| time_typed && field.json != Some(JsonKind::Null))
    else {
        return;
    };
    // A count in the kind's unit is a time however far out (past the
    // range instants are kept in); anything else must read as one.
    let count = epoch.is_some() && parse_count(&field.value);
    let time = count
        || logspec_reader::field_instant(&field.value, *epoch).is_some()
        || ValueCheck::iso_time().check(&field.value).is_ok();
    if !time {
        judgement.report(Code::InvalidValue, Some(name), || {
            record.finding(
                Code::InvalidValue,
                format!(
                    "{name}={} in {label}: not a time (ISO 8601{})",
                    shorten(&field.value),
                    match epoch {
                        None => "",
                        Some(Epoch::Seconds) => ", or a number of seconds since 1970",
                        Some(Epoch::Milliseconds) => ", or a number of milliseconds since 1970",
                        Some(Epoch::Microseconds) => ", or a number of microseconds since 1970",
                        Some(Epoch::Nanoseconds) => ", or a number of nanoseconds since 1970",
                    }
                ),
                record.value_span(field),
            )
        });
    }
}

/// Whether `value` is a plain decimal number (`-12`, `1705329082.456`).
fn parse_count(value: &str) -> bool {
    let digits = value.strip_prefix('-').unwrap_or(value);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
}

/// Holds the record's audit mark to the variant's: a lost mark is a gap in
/// the SIEM's audit trail (an error), a spurious one noise (a warning).
fn check_audit(
    record: &RecordInput<'_, '_>,
    variant: &VariantPlan,
    expected: bool,
    name: &str,
    judgement: &mut Judgement<'_, '_>,
) {
    let found = record.fields.iter().find(|field| field.key == name);
    let marked = match found {
        None => false,
        Some(field) => match (&*field.value, field.json) {
            ("true", None | Some(JsonKind::Boolean | JsonKind::String)) => true,
            ("false", None | Some(JsonKind::Boolean | JsonKind::String)) => false,
            _ => {
                judgement.report(Code::InvalidValue, Some(name), || {
                    record.finding(
                        Code::InvalidValue,
                        format!(
                            "{name}={} is not an audit mark (true or false)",
                            shorten(&field.value)
                        ),
                        record.value_span(field),
                    )
                });
                return;
            }
        },
    };
    let label = &variant.label;
    if expected && !marked {
        judgement.report(Code::AuditMismatch, Some(name), || {
            record.finding(
                Code::AuditMismatch,
                format!(
                    "{label} is an AUDIT entry, but the record has no {name}=true: \
                     an audit trail keyed on the mark misses it"
                ),
                found.and_then(|field| record.field_span(field)),
            )
        });
    } else if !expected && marked {
        judgement.report_as(Severity::Warning, Code::AuditMismatch, Some(name), || {
            record.finding(
                Code::AuditMismatch,
                format!("{label} is not an AUDIT entry, but the record is marked {name}=true"),
                found.and_then(|field| record.field_span(field)),
            )
        });
    }
}

/// Reports the first field that comes earlier than the document's order
/// says it should, ignoring fields the variant does not list.
fn check_order(
    plan: &Plan,
    record: &RecordInput<'_, '_>,
    variant: &VariantPlan,
    first_of_key: &[bool],
    judgement: &mut Judgement<'_, '_>,
) {
    let mut previous: Option<(usize, &Field<'_>)> = None;
    // Repeated keys are duplicate-field findings already; order is judged
    // on first occurrences.
    let event_key = plan.kinds[record.kind].event_key.as_deref();
    for (pair, _) in record
        .fields
        .iter()
        .zip(first_of_key)
        .filter(|(_, first)| **first)
    {
        if Some(&*pair.key) == event_key {
            continue;
        }
        let Some(rank) = variant
            .fields
            .iter()
            .position(|field| pair.key == field.name.as_str())
        else {
            continue;
        };
        if let Some((previous_rank, previous_pair)) = previous {
            if rank < previous_rank {
                let documented: Vec<&str> = variant
                    .fields
                    .iter()
                    .map(|field| field.name.as_str())
                    .collect();
                judgement.report(Code::FieldOrder, Some(pair.key.as_ref()), || {
                    record.finding(
                        Code::FieldOrder,
                        format!(
                            "{} comes after {}; the document orders {} as {}",
                            pair.key,
                            previous_pair.key,
                            variant.label,
                            documented.join(" ")
                        ),
                        record.field_span(pair),
                    )
                });
                return;
            }
        }
        previous = Some((rank, pair));
    }
}

/// Whether `key` is a member of the object field `name` (`detail.a` of
/// `detail`), as JSON records flatten objects.
fn member_of(key: &str, name: &str) -> bool {
    key.strip_prefix(name)
        .is_some_and(|rest| rest.starts_with('.'))
}

fn shorten(value: &str) -> String {
    const MAX: usize = 60;
    if value.chars().count() <= MAX {
        return value.to_owned();
    }
    let cut: String = value.chars().take(MAX).collect();
    format!("{cut}…")
}

/// Syslog severity keywords (RFC 5424 table 2).
pub fn severity_name(severity: u8) -> &'static str {
    const NAMES: [&str; 8] = [
        "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
    ];
    NAMES
        .get(usize::from(severity))
        .copied()
        .unwrap_or("invalid")
}

fn facility_name(facility: u8) -> &'static str {
    logspec_spec::Facility::from_code(facility).map_or("invalid", |facility| facility.name())
}
