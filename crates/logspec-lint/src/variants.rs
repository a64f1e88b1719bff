//! Variants of one event that no record could tell apart.

use crate::{tables::display, variant_pointer, Context};
use logspec_finding::{Code, Finding};
use logspec_spec::Variant;

pub(crate) fn check(context: &Context<'_>, findings: &mut Vec<Finding>) {
    let spec = &context.loaded.spec;
    for (event_index, event) in spec.events.iter().enumerate() {
        for (later, variant) in event.variants.iter().enumerate() {
            let Some(earlier) = event.variants[..later]
                .iter()
                .position(|other| same_shape(spec, other, variant))
            else {
                continue;
            };
            let mut finding = context.finding(
                Code::IndistinguishableVariants,
                &variant_pointer(event_index, later),
                format!(
                    "{} has the same fields, values, emitters and messages as {}: records always \
                     classify as the earlier one",
                    display(&event.id, &variant.name, 2),
                    display(&event.id, &event.variants[earlier].name, 2)
                ),
            );
            finding.event = Some(event.id.clone());
            finding.variant = Some(variant.name.clone());
            finding.related.push(context.related(
                &variant_pointer(event_index, earlier),
                format!("variant {}", event.variants[earlier].name),
            ));
            findings.push(finding);
        }
    }
}

/// A field use as compared: name, optional, narrowed values, pattern.
type FieldShape = (String, bool, Option<Vec<String>>, Option<String>);

fn same_shape(spec: &logspec_spec::Spec, a: &Variant, b: &Variant) -> bool {
    let key = |variant: &Variant| {
        let mut fields: Vec<FieldShape> = variant
            .fields
            .iter()
            .map(|field| {
                (
                    field.name.clone(),
                    field.optional,
                    field.values.clone(),
                    field.pattern.as_ref().map(|p| p.source().to_owned()),
                )
            })
            .collect();
        fields.sort();
        let mut tags: Vec<&str> = variant
            .emitters
            .iter()
            .filter_map(|name| spec.emitter(name))
            .flat_map(|emitter| emitter.tags.iter().map(|tag| tag.tag.as_str()))
            .collect();
        tags.sort_unstable();
        tags.dedup();
        let mut forbidden = variant.forbidden.clone();
        forbidden.sort();
        let mut messages: Vec<String> = variant.messages.iter().map(|m| m.display()).collect();
        messages.sort();
        let mut levels: Vec<String> = std::iter::once(&variant.severity)
            .chain(&variant.severities)
            .cloned()
            .collect();
        levels.sort_unstable();
        // Levels tell variants apart only where the document lists messages:
        // elsewhere a wrong level is the finding, not a different variant.
        if messages.is_empty() {
            levels.clear();
        }
        (
            fields,
            tags,
            forbidden,
            variant.additional_fields,
            messages,
            levels,
        )
    };
    key(a) == key(b)
}
