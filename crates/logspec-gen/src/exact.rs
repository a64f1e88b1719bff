//! Whether a mutation's predicted finding is the only one the checker can
//! raise, given that it judges a record against the variant of its event
//! with the fewest findings (errors first; then the variant whose emitters
//! use the record's tag; then warnings; the first declared on a tie).
//!
//! A mutation is built to break its own variant in one way; the danger is
//! a *sibling* variant that the broken record fits as well or better
//! (dropping `REASON` from a hook denial makes an allowlist denial). So the
//! siblings' error findings are worked out here from the spec's facts
//! rather than by asking the checker: the properties compare the checker
//! with this prediction, and asking it would make them circular. Order
//! findings (warnings) are not modelled; mutations whose prediction would
//! depend on them are rejected instead.

use crate::framing::is_json;
use crate::record::Record;
use crate::Framing;
use logspec_checker::plan::VariantPlan;
use logspec_checker::{Code, Plan};

/// The error findings variant `variant` of the record's event raises on
/// `record` read in `framing`, as (code, field).
pub(crate) fn errors(
    plan: &Plan,
    variant: &VariantPlan,
    record: &Record,
    framing: Framing,
) -> Vec<(Code, Option<String>)> {
    let format = framing.format();
    let kind = plan
        .events
        .get(record.event)
        .and_then(|event| plan.kinds.get(event.kind));
    let event_key = kind.and_then(|kind| kind.event_key.as_deref());
    let typed = |field: &crate::record::Field| is_json(format).then_some(field.json);
    let mut errors = Vec::new();
    let mut field_error = |code: Code, name: &str| errors.push((code, Some(name.to_owned())));
    for field in &variant.fields {
        let found = record.fields.iter().find(|found| found.key == field.name);
        match found {
            // A layout's title stands in for the event key.
            None if record.title.is_some() && event_key == Some(field.name.as_str()) => {}
            None if field.required => field_error(Code::MissingField, &field.name),
            None => {}
            Some(found)
                if field
                    .check_in(format)
                    .check_typed(&found.value, typed(found))
                    .is_err() =>
            {
                field_error(Code::InvalidValue, &field.name)
            }
            Some(_) => {}
        }
    }
    for (index, field) in record.fields.iter().enumerate() {
        let first = !record.fields[..index]
            .iter()
            .any(|earlier| earlier.key == field.key);
        let listed = variant.fields.iter().any(|listed| listed.name == field.key);
        if !first || listed {
            continue;
        }
        let forbidden = variant.forbidden.contains(&field.key);
        match &variant.extra_fields {
            Some((pattern, check))
                if !forbidden
                    && pattern.is_match(&field.key)
                    && check.check_typed(&field.value, typed(field)).is_err() =>
            {
                field_error(Code::InvalidValue, &field.key)
            }
            Some((pattern, _)) if !forbidden && pattern.is_match(&field.key) => {}
            _ if forbidden || !variant.additional_fields => {
                field_error(Code::UnexpectedField, &field.key)
            }
            _ => {}
        }
    }
    let level = kind
        .and_then(|kind| kind.level.as_deref())
        .and_then(|name| record.value(name));
    if let Some(level) = level {
        if plan.level_known(level) && !variant.levels.iter().any(|allowed| allowed == level) {
            errors.push((Code::SeverityMismatch, None));
        }
    }
    let audit_field = kind.and_then(|kind| kind.audit.as_deref());
    if let (Some(true), Some(name)) = (variant.audit, audit_field) {
        if record.value(name) != Some("true") {
            errors.push((Code::AuditMismatch, Some(name.to_owned())));
        }
    }
    if framing.carries_severity() && record.meta.severity != variant.severity {
        errors.push((Code::SeverityMismatch, None));
    }
    if framing.carries_tag() && !variant.tags.is_empty() && !variant.tags.contains(&record.meta.tag)
    {
        errors.push((Code::EmitterMismatch, None));
    }
    errors
}
/// Whether the checker, classifying `record` (built to raise exactly
/// `expected` against its own variant), can only report `expected`.
pub(crate) fn only_finding(
    plan: &Plan,
    record: &Record,
    framing: Framing,
    expected: (Code, Option<&str>),
) -> bool {
    let Some(event) = plan.events.get(record.event) else {
        return false;
    };
    // Only variants logged with the record's message are candidates.
    let message = plan
        .kinds
        .get(event.kind)
        .and_then(|kind| kind.message.as_deref())
        .and_then(|name| record.value(name));
    event
        .variants
        .iter()
        .enumerate()
        .filter(|(index, _)| *index != record.variant)
        .filter(|(_, sibling)| message.is_none_or(|message| sibling.logs_message(message)))
        .all(|(index, sibling)| {
            let errors = errors(plan, sibling, record, framing);
            if expected.0 == Code::FieldOrder {
                // Own score (0 errors, 1 warning): any sibling without an
                // error could tie or win with an order finding of its own.
                return !errors.is_empty();
            }
            // Own score (1 error, wrong tag or not, 0 warnings).
            let wrong_tag = |code: Code| usize::from(code == Code::EmitterMismatch);
            let own_wrong_tag = wrong_tag(expected.0);
            let sibling_wrong_tag: usize = errors.iter().map(|(code, _)| wrong_tag(*code)).sum();
            errors.len() >= 2
                || (errors.len() == 1 && sibling_wrong_tag > own_wrong_tag)
                || (errors.len() == 1
                    && sibling_wrong_tag == own_wrong_tag
                    && index > record.variant)
                || (errors.len() == 1
                    && errors[0].0 == expected.0
                    && errors[0].1.as_deref() == expected.1)
        })
}
