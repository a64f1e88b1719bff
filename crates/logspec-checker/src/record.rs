//! Checks one record against the spec: finds its event, picks the variant
//! it is closest to, and reports every way it departs from that variant.
//!
//! Variants are told apart by the same facts that are checked (required
//! and forbidden fields, narrowed values, emitters), so classification is
//! "the variant with the fewest findings, the first declared on a tie".
//! That needs no separate discriminator language in the spec, and a broken
//! record is judged against the form it was evidently trying to be.

use crate::finding::{Code, Excerpt, Finding, FindingSink};
use crate::plan::{Plan, VariantPlan};
use logspec_reader::{Envelope, Pair};
use std::ops::Range;
use std::sync::Arc;

/// Longest excerpt of a line kept in a finding, in bytes.
const EXCERPT_BYTES: usize = 400;

/// One parsed line, as the checker sees it.
pub struct RecordInput<'a> {
    pub file: &'a Arc<str>,
    pub line_number: u64,
    /// The whole line, for excerpts.
    pub line: &'a str,
    pub envelope: &'a Envelope,
    pub pairs: &'a [Pair<'a>],
    /// Where the payload starts in `line`, when it is a slice of it.
    pub payload_offset: Option<usize>,
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

impl RecordInput<'_> {
    fn finding(&self, code: Code, message: String, span: Option<Range<usize>>) -> Finding {
        let mut finding = Finding::new(code, self.file, self.line_number, message);
        finding.column = span.as_ref().map(|span| span.start + 1);
        finding.excerpt = Some(excerpt(self.line, span));
        finding
    }

    /// `span` (in payload bytes) as a range in the line, when the payload is
    /// a slice of the line.
    fn line_span(&self, span: &Range<usize>) -> Option<Range<usize>> {
        self.payload_offset
            .map(|offset| offset + span.start..offset + span.end)
    }

    fn pair_span(&self, pair: &Pair<'_>) -> Option<Range<usize>> {
        self.line_span(&(pair.key_span.start..pair.value_span.end))
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
    findings: Vec<Finding>,
    first_of_key: Vec<bool>,
}

/// Checks `record`, sending findings to `sink`.
pub fn check_record(
    plan: &Plan,
    record: &RecordInput<'_>,
    scratch: &mut Scratch,
    sink: &mut dyn FindingSink,
) -> Outcome {
    let mut outcome = Outcome::default();
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

    mark_first_occurrences(record.pairs, &mut scratch.first_of_key);
    for (pair, first) in record.pairs.iter().zip(&scratch.first_of_key) {
        if !first {
            let mut finding = record.finding(
                Code::DuplicateField,
                format!(
                    "{} appears more than once; only its first value is checked",
                    pair.key
                ),
                record.pair_span(pair),
            );
            finding.field = Some(pair.key.to_owned());
            sink.push(finding);
        }
    }

    let Some(position) = record
        .pairs
        .iter()
        .position(|pair| pair.key == plan.event_key)
    else {
        let mut finding = record.finding(
            Code::MissingField,
            format!(
                "no {} field, so the event cannot be identified",
                plan.event_key
            ),
            None,
        );
        finding.field = Some(plan.event_key.clone());
        sink.push(finding);
        return outcome;
    };
    let key_pair = &record.pairs[position];
    let event_id = key_pair.value.as_ref();
    let event_index = plan.event_index(event_id);

    if plan.event_key_first && position != 0 {
        let mut finding = record.finding(
            Code::EventKeyNotFirst,
            format!(
                "{} must be the first field; {} comes before it",
                plan.event_key, record.pairs[0].key
            ),
            record.pair_span(key_pair),
        );
        finding.field = Some(plan.event_key.clone());
        finding.event = Some(event_id.to_owned());
        sink.push(finding);
    }

    let Some(event_index) = event_index else {
        let mut finding = record.finding(
            Code::UnknownEvent,
            format!(
                "{}={event_id} is not an event {} documents",
                plan.event_key, plan.producer
            ),
            record.line_span(&key_pair.value_span),
        );
        finding.event = Some(event_id.to_owned());
        finding.field = Some(plan.event_key.clone());
        sink.push(finding);
        return outcome;
    };

    let event = &plan.events[event_index];
    outcome.severity_checked = record.envelope.severity.is_some();
    outcome.emitter_checked = record.envelope.tag.is_some();
    let event_id = event.id.as_str();
    let judge = |variant_index: usize, findings: Option<&mut Vec<Finding>>| {
        let mut judgement = Judgement {
            event_id,
            variant_name: plan.variant_name(event_index, variant_index),
            findings,
            errors: 0,
            wrong_emitter: 0,
            warnings: 0,
        };
        check_variant(
            plan,
            record,
            &event.variants[variant_index],
            &scratch.first_of_key,
            &mut judgement,
        );
        judgement.score()
    };
    let mut best_variant = 0;
    let mut best_score = (usize::MAX, usize::MAX, usize::MAX);
    for variant_index in 0..event.variants.len() {
        let score = judge(variant_index, None);
        if score < best_score {
            best_score = score;
            best_variant = variant_index;
        }
        if score == (0, 0, 0) {
            break;
        }
    }
    if best_score != (0, 0, 0) {
        let mut findings = std::mem::take(&mut scratch.findings);
        judge(best_variant, Some(&mut findings));
        for finding in findings.drain(..) {
            sink.push(finding);
        }
        scratch.findings = findings;
    }
    outcome.classification = Some(Classification {
        event: event_index,
        variant: best_variant,
    });
    outcome
}

/// Marks, for each pair, whether it is the first with its key.
fn mark_first_occurrences(pairs: &[Pair<'_>], first: &mut Vec<bool>) {
    first.clear();
    for (index, pair) in pairs.iter().enumerate() {
        first.push(!pairs[..index].iter().any(|earlier| earlier.key == pair.key));
    }
}

/// One variant's verdict on a record: counted while variants are compared,
/// built into findings only for the variant chosen, so losing candidates
/// cost no formatting.
struct Judgement<'a> {
    event_id: &'a str,
    variant_name: Option<&'a str>,
    /// `Some` to build findings, `None` to count only.
    findings: Option<&'a mut Vec<Finding>>,
    errors: usize,
    wrong_emitter: usize,
    warnings: usize,
}

impl Judgement<'_> {
    fn report(&mut self, code: Code, field: Option<&str>, make: impl FnOnce() -> Finding) {
        match code.severity() {
            crate::Severity::Error => self.errors += 1,
            crate::Severity::Warning => self.warnings += 1,
            crate::Severity::Info => {}
        }
        if code == Code::EmitterMismatch {
            self.wrong_emitter += 1;
        }
        if let Some(findings) = self.findings.as_deref_mut() {
            let mut finding = make();
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
    record: &RecordInput<'_>,
    variant: &VariantPlan,
    first_of_key: &[bool],
    judgement: &mut Judgement<'_>,
) {
    let label = &variant.label;
    for field in &variant.fields {
        let Some(pair) = record.pairs.iter().find(|pair| pair.key == field.name) else {
            if field.required {
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
        if let Err(why) = field.check.check(&pair.value) {
            judgement.report(Code::InvalidValue, Some(&field.name), || {
                record.finding(
                    Code::InvalidValue,
                    format!("{}={} in {label}: {why}", field.name, shorten(&pair.value)),
                    record.line_span(&pair.value_span),
                )
            });
        }
    }

    for (pair, first) in record.pairs.iter().zip(first_of_key) {
        if !first || variant.fields.iter().any(|field| field.name == pair.key) {
            continue;
        }
        let forbidden = variant.forbidden.iter().any(|name| name == pair.key);
        if forbidden || !variant.additional_fields {
            judgement.report(Code::UnexpectedField, Some(pair.key), || {
                let why = if forbidden {
                    "is documented as absent from"
                } else {
                    "is not documented for"
                };
                record.finding(
                    Code::UnexpectedField,
                    format!("{} {why} {label}", pair.key),
                    record.pair_span(pair),
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

    if let Some(tag) = &record.envelope.tag {
        if !variant.tags.is_empty() && !variant.tags.contains(tag.as_str()) {
            judgement.report(Code::EmitterMismatch, None, || {
                let mut expected: Vec<&str> = variant.tags.iter().map(String::as_str).collect();
                expected.sort_unstable();
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

/// Reports the first field that comes earlier than the document's order
/// says it should, ignoring fields the variant does not list.
fn check_order(
    plan: &Plan,
    record: &RecordInput<'_>,
    variant: &VariantPlan,
    first_of_key: &[bool],
    judgement: &mut Judgement<'_>,
) {
    let mut previous: Option<(usize, &Pair<'_>)> = None;
    // Repeated keys are duplicate-field findings already; order is judged
    // on first occurrences.
    for (pair, _) in record
        .pairs
        .iter()
        .zip(first_of_key)
        .filter(|(_, first)| **first)
    {
        if pair.key == plan.event_key {
            continue;
        }
        let Some(rank) = variant
            .fields
            .iter()
            .position(|field| field.name == pair.key)
        else {
            continue;
        };
        if let Some((previous_rank, previous_pair)) = previous {
            if rank < previous_rank {
                judgement.report(Code::FieldOrder, Some(pair.key), || {
                    let documented: Vec<&str> = variant
                        .fields
                        .iter()
                        .map(|field| field.name.as_str())
                        .collect();
                    record.finding(
                        Code::FieldOrder,
                        format!(
                            "{} comes after {}; the document orders {} as {}",
                            pair.key,
                            previous_pair.key,
                            variant.label,
                            documented.join(" ")
                        ),
                        record.pair_span(pair),
                    )
                });
                return;
            }
        }
        previous = Some((rank, pair));
    }
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
