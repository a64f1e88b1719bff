//! The field glossary against the events that use its fields.

use crate::{variant_pointer, Context};
use logspec_finding::{Code, Finding};
use logspec_spec::ValueKind;

pub(crate) fn check(context: &Context<'_>, findings: &mut Vec<Finding>) {
    let spec = &context.loaded.spec;
    let has_glossary = spec
        .fields
        .values()
        .any(|definition| definition.in_glossary);
    for (name, definition) in &spec.fields {
        let glossary_pointer = logspec_spec::locate::pointer(&["fields", name]);
        // (event index, variant index, field index) of every use.
        let uses: Vec<(usize, usize, usize)> = spec
            .variants()
            .flat_map(|(e, v, _, variant)| {
                variant
                    .fields
                    .iter()
                    .enumerate()
                    .filter(|(_, field)| field.name == *name)
                    .map(move |(f, _)| (e, v, f))
            })
            .collect();
        let use_pointer =
            |(e, v, f): (usize, usize, usize)| format!("{}/fields/{f}", variant_pointer(e, v));

        let kept_by_kind = spec.kinds().any(|kind| {
            kind.event_key == *name
                || [&kind.level, &kind.message, &kind.audit]
                    .into_iter()
                    .flatten()
                    .any(|source| source.field == *name)
                || kind
                    .timestamp
                    .as_ref()
                    .is_some_and(|source| source.field == *name)
        });
        if uses.is_empty() && !kept_by_kind {
            findings.push(context.finding(
                Code::FieldUnused,
                &glossary_pointer,
                format!("glossary field {name} is used by no event"),
            ));
            continue;
        }
        // A document without a glossary has nothing to leave a field out of.
        if !definition.in_glossary && has_glossary {
            let mut finding = context.finding(
                Code::FieldNotInGlossary,
                &glossary_pointer,
                format!(
                    "{name} is used by {} variant(s) but the document's glossary does not list it",
                    uses.len()
                ),
            );
            finding.field = Some(name.clone());
            if let Some(first) = uses.first() {
                finding
                    .related
                    .push(context.related(&use_pointer(*first), format!("{name} used here")));
            }
            findings.push(finding);
        }

        if let Some(stated) = &definition.glossary_used_in {
            let mut using: Vec<&str> = uses
                .iter()
                .map(|&(e, _, _)| spec.events[e].id.as_str())
                .collect();
            using.dedup();
            let unlisted: Vec<&str> = using
                .iter()
                .copied()
                .filter(|id| !stated.iter().any(|listed| listed == id))
                .collect();
            let unused: Vec<&str> = stated
                .iter()
                .map(String::as_str)
                .filter(|listed| !using.contains(listed))
                .collect();
            if !unlisted.is_empty() || !unused.is_empty() {
                let mut parts = Vec::new();
                if !unlisted.is_empty() {
                    parts.push(format!("omits {}", unlisted.join(", ")));
                }
                if !unused.is_empty() {
                    parts.push(format!("names {} which do not carry it", unused.join(", ")));
                }
                let mut finding = context.finding(
                    Code::GlossaryUsageMismatch,
                    &glossary_pointer,
                    format!(
                        "the glossary's list of events using {name} {}",
                        parts.join(" and ")
                    ),
                );
                finding.field = Some(name.clone());
                for &(e, v, f) in uses
                    .iter()
                    .filter(|&&(e, _, _)| unlisted.contains(&spec.events[e].id.as_str()))
                    .take(3)
                {
                    finding.related.push(context.related(
                        &use_pointer((e, v, f)),
                        format!("{} ({})", spec.events[e].id, spec.events[e].section),
                    ));
                }
                findings.push(finding);
            }
        }

        let listed = match (&definition.glossary_values, definition.value.kind) {
            (Some(values), _) => values.clone(),
            (None, ValueKind::Enum) if !kept_by_kind => {
                definition.value.values.clone().unwrap_or_default()
            }
            (None, _) => continue,
        };
        // A use without narrowing allows every glossary value.
        let mut allowed: Vec<&str> = Vec::new();
        for &(e, v, f) in &uses {
            match &spec.events[e].variants[v].fields[f].values {
                Some(values) => allowed.extend(values.iter().map(String::as_str)),
                None => allowed.extend(listed.iter().map(String::as_str)),
            }
        }
        let unused: Vec<&str> = listed
            .iter()
            .map(String::as_str)
            .filter(|value| !allowed.contains(value))
            .collect();
        if unused.is_empty() {
            continue;
        }
        let mut finding = context.finding(
            Code::GlossaryValueUnused,
            &glossary_pointer,
            format!(
                "the glossary lists {name} value(s) {} that no event's own section allows",
                unused.join(", ")
            ),
        );
        finding.field = Some(name.clone());
        for &used in uses.iter().take(3) {
            let (e, v, f) = used;
            let variant = &spec.events[e].variants[v];
            let values = variant.fields[f]
                .values
                .as_ref()
                .map(|values| values.join(", "))
                .unwrap_or_default();
            finding.related.push(context.related(
                &use_pointer(used),
                format!(
                    "{} ({}) allows {values}",
                    spec.events[e].id,
                    variant.section.as_deref().unwrap_or(&spec.events[e].section)
                ),
            ));
        }
        findings.push(finding);
    }
}
