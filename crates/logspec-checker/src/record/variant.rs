//! Judging a record against one variant: its fields (required, forbidden,
//! values by type, order), the fields its kind carries, its level, emitter
//! and audit mark. Every departure is counted while variants are compared
//! and built into findings only for the variant chosen.

use super::slots::{EventSlots, RecordSlots, VariantSlots};
use super::RecordInput;
use crate::finding::{Code, Finding, FindingSink};
use crate::kind::KindPlan;
use crate::plan::{FieldPlan, Plan, VariantPlan};
use crate::value::ValueCheck;
use crate::Severity;
use logspec_reader::{Epoch, Field, JsonKind};

/// Where the record's fields lie in the slots of its event and of the
/// variant judged (see [`super::slots`]).
#[derive(Clone, Copy)]
pub(super) struct Located<'s> {
    pub(super) event: &'s EventSlots,
    pub(super) variant: &'s VariantSlots,
    pub(super) record: &'s RecordSlots,
}

impl Located<'_> {
    /// The record's first field in `slot`.
    fn field<'r, 'a>(&self, record: &RecordInput<'r, 'a>, slot: usize) -> Option<&'r Field<'a>> {
        self.record.first(slot).map(|index| &record.fields[index])
    }

    /// Whether a field of the record is a member of the object field
    /// `name` (`detail.a` of `detail`), as JSON records flatten objects.
    fn has_member(&self, record: &RecordInput<'_, '_>, name: &str) -> bool {
        self.record.dotted()
            && record
                .fields
                .iter()
                .any(|found| member_of(&found.key, name))
    }
}

/// One variant's verdict on a record: counted while variants are compared,
/// built into findings only for the variant chosen, so losing candidates
/// cost no formatting.
pub(super) struct Judgement<'a, 's> {
    pub(super) event_id: &'a str,
    pub(super) variant_name: Option<&'a str>,
    /// `Some` to build findings, `None` to count only.
    pub(super) findings: Option<&'s mut dyn FindingSink>,
    /// Counting only: the score past which the variant is of no interest,
    /// so its judging stops there (the counts only grow, so the score it
    /// would end with is no better).
    pub(super) bound: Option<Score>,
    pub(super) errors: usize,
    pub(super) wrong_emitter: usize,
    pub(super) warnings: usize,
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

    pub(super) fn score(&self) -> Score {
        Score(self.errors, self.wrong_emitter, self.warnings)
    }

    /// Whether the score is already past the bound.
    fn given_up(&self) -> bool {
        self.bound.is_some_and(|bound| self.score() > bound)
    }
}

/// How a record fares against a variant, lower is better: fewer errors
/// first; on a tie, the variant the syslog tag names (the tag is evidence,
/// a field value is the thing checked); then warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Score(usize, usize, usize);

impl Score {
    pub(super) const ZERO: Score = Score(0, 0, 0);
    pub(super) const MAX: Score = Score(usize::MAX, usize::MAX, usize::MAX);
}

pub(super) fn check_variant(
    plan: &Plan,
    record: &RecordInput<'_, '_>,
    level: Option<&str>,
    variant: &VariantPlan,
    at: Located<'_>,
    first_of_key: &[bool],
    judgement: &mut Judgement<'_, '_>,
) {
    let label = &variant.label;

    let kind = &plan.kinds[record.kind];
    for (index, field) in variant.fields.iter().enumerate() {
        if judgement.given_up() {
            return;
        }
        let Some(found) = at.field(record, at.variant.field(index)) else {
            // A JSON object is flattened into its members (`detail.a`).
            if at.has_member(record, &field.name) {
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
        match field
            .check_in(record.format)
            .check_typed(&found.value, found.json)
        {
            Err(why) => judgement.report(Code::InvalidValue, Some(&field.name), || {
                record.finding(
                    Code::InvalidValue,
                    format!("{}={} in {label}: {why}", field.name, shorten(&found.value)),
                    record.value_span(found),
                )
            }),
            Ok(()) => judge_stricter_reading(record, field, found, label, judgement),
        }
    }

    let kind = &plan.kinds[record.kind];
    check_carried(record, variant, kind, at, judgement);
    for (index, (found, first)) in record.fields.iter().zip(first_of_key).enumerate() {
        if judgement.given_up() {
            return;
        }
        let slot = at.record.of_field(index);
        let carried_by_kind = slot.is_some_and(|slot| at.event.is_kind_field(slot));
        if !first
            || carried_by_kind
            || slot.is_some_and(|slot| at.variant.lists(slot))
            || at.record.dotted()
                && (variant.fields.iter()).any(|field| member_of(&found.key, &field.name))
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
            judgement.report(Code::UnexpectedField, Some(found.key.as_ref()), || {
                // Written out only for the chosen variant's findings.
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
        check_audit(record, variant, expected, name, at, judgement);
    }

    if let Some(tag) = &record.envelope.tag {
        if !variant.tags.is_empty() && !variant.tags.contains(&**tag) {
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
        check_order(plan, record, variant, at, first_of_key, judgement);
    }
}

/// Holds the kind's time and level fields to the glossary where the
/// variant does not list them (where it does, its own check applies), and
/// the time, once its type is met, to being a time the kind can read.
/// A value of the field's type that its stricter reading refuses: a
/// warning with the reason, since the document itself allows it.
fn judge_stricter_reading(
    record: &RecordInput<'_, '_>,
    field: &FieldPlan,
    found: &Field<'_>,
    label: &str,
    judgement: &mut Judgement<'_, '_>,
) {
    let Some(expected) = field.expected_in(record.format) else {
        return;
    };
    if let Err(why) = expected.check.check_typed(&found.value, found.json) {
        judgement.report(Code::StricterReading, Some(&field.name), || {
            record.finding(
                Code::StricterReading,
                format!(
                    "{}={} in {label}: {why}, which the spec expects ({})",
                    field.name,
                    shorten(&found.value),
                    expected.reason
                ),
                record.value_span(found),
            )
        });
    }
}

fn check_carried(
    record: &RecordInput<'_, '_>,
    variant: &VariantPlan,
    kind: &KindPlan,
    at: Located<'_>,
    judgement: &mut Judgement<'_, '_>,
) {
    let label = &variant.label;
    let mut time_typed = true;
    for (index, carried) in kind.carried.iter().enumerate() {
        let listed = (at.variant.carried(index)).map(|own| &variant.fields[own]);
        let Some(field) = at.field(record, at.event.carried()[index]) else {
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
            Ok(()) if listed.is_none() => {
                judge_stricter_reading(record, carried, field, label, judgement);
            }
            // A listed field's own check reports it.
            _ => {}
        }
    }
    let Some((name, epoch)) = &kind.timestamp else {
        return;
    };
    let found = at.event.timestamp().and_then(|slot| at.field(record, slot));
    if !kind.carried.iter().any(|carried| carried.name == *name) {
        let listed = at.variant.timestamp().map(|own| &variant.fields[own]);
        if let (Some(listed), Some(field)) = (listed, found) {
            time_typed = listed
                .check_in(record.format)
                .check_typed(&field.value, field.json)
                .is_ok();
        }
    }
    let Some(field) = found.filter(|field| time_typed && field.json != Some(JsonKind::Null)) else {
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
    at: Located<'_>,
    judgement: &mut Judgement<'_, '_>,
) {
    let found = at.event.audit().and_then(|slot| at.field(record, slot));
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
    at: Located<'_>,
    first_of_key: &[bool],
    judgement: &mut Judgement<'_, '_>,
) {
    let mut previous: Option<(usize, &Field<'_>)> = None;
    // Repeated keys are duplicate-field findings already; order is judged
    // on first occurrences.
    let event_key = plan.kinds[record.kind].event_key.as_deref();
    for (index, (pair, _)) in
        (record.fields.iter().zip(first_of_key).enumerate()).filter(|(_, (_, first))| **first)
    {
        if Some(&*pair.key) == event_key {
            continue;
        }
        let Some(rank) = (at.record.of_field(index)).and_then(|slot| at.variant.rank(slot)) else {
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

pub(super) fn shorten(value: &str) -> String {
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

pub(super) fn facility_name(facility: u8) -> &'static str {
    logspec_spec::Facility::from_code(facility).map_or("invalid", |facility| facility.name())
}
