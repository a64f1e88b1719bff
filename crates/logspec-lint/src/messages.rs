//! One message listed twice for the same event with different levels or
//! AUDIT marks: the document contradicts itself about that entry. Both
//! listings stay in the spec (each section is encoded as written); a record
//! is judged against the one it fits best.

use crate::{variant_pointer, Context};
use logspec_finding::{Code, Finding};
use logspec_spec::{MessageMatch, Variant};

pub(crate) fn check(context: &Context<'_>, findings: &mut Vec<Finding>) {
    let spec = &context.loaded.spec;
    for (event_index, event) in spec.events.iter().enumerate() {
        for (later, variant) in event.variants.iter().enumerate() {
            let clash = event.variants[..later]
                .iter()
                .enumerate()
                .find_map(|(index, other)| {
                    let shared = shared_literal(other, variant)?;
                    (marking(other) != marking(variant)).then_some((index, shared))
                });
            let Some((earlier, message)) = clash else {
                continue;
            };
            let other = &event.variants[earlier];
            let mut finding = context.finding(
                Code::EntryConflict,
                &variant_pointer(event_index, later),
                format!(
                    "{} {message:?} is listed as {} here and as {} in {}",
                    event.id,
                    describe(variant),
                    describe(other),
                    other.section.as_deref().unwrap_or(&event.section)
                ),
            );
            finding.event = Some(event.id.clone());
            finding.variant = Some(variant.name.clone());
            finding.related.push(context.related(
                &variant_pointer(event_index, earlier),
                format!("the other listing ({})", describe(other)),
            ));
            findings.push(finding);
        }
    }
}

fn shared_literal<'v>(a: &'v Variant, b: &Variant) -> Option<&'v str> {
    a.messages.iter().find_map(|message| match message {
        MessageMatch::Literal(text)
            if b.messages
                .iter()
                .any(|other| matches!(other, MessageMatch::Literal(same) if same == text)) =>
        {
            Some(text.as_str())
        }
        _ => None,
    })
}

/// Levels (sorted) and audit mark.
fn marking(variant: &Variant) -> (Vec<&str>, Option<bool>) {
    let mut levels: Vec<&str> = std::iter::once(variant.severity.as_str())
        .chain(variant.severities.iter().map(String::as_str))
        .collect();
    levels.sort_unstable();
    (levels, variant.audit)
}

fn describe(variant: &Variant) -> String {
    let (mut levels, audit) = marking(variant);
    levels.dedup();
    format!(
        "{}{}",
        levels.join("/"),
        if audit == Some(true) { " AUDIT" } else { "" }
    )
}
