//! Summary tables against the events' own sections.

use crate::{variant_pointer, Context};
use logspec_finding::{Code, Finding};
use logspec_spec::SummaryKind;
use std::collections::HashSet;

pub(crate) fn check(context: &Context<'_>, findings: &mut Vec<Finding>) {
    let spec = &context.loaded.spec;
    for (table_index, table) in spec.summary_tables.iter().enumerate() {
        let SummaryKind::Severity = table.kind;
        let mut mentioned: HashSet<(&str, &str)> = HashSet::new();
        for (row_index, row) in table.rows.iter().enumerate() {
            for (item_index, item) in row.items.iter().enumerate() {
                let item_pointer =
                    format!("/summary_tables/{table_index}/rows/{row_index}/items/{item_index}");
                for reference in &item.refers {
                    // The loader refuses a reference that names nothing; one
                    // that slips through is reported, never skipped.
                    let Some(resolved) = spec.resolve(reference) else {
                        findings.push(context.finding(
                            Code::SpecInvalid,
                            &item_pointer,
                            format!("`{reference}` names no event or event/variant"),
                        ));
                        continue;
                    };
                    for (event_index, variant_index) in resolved {
                        let event = &spec.events[event_index];
                        let variant = &event.variants[variant_index];
                        mentioned.insert((&event.id, &variant.name));
                        if variant.severity == row.severity {
                            continue;
                        }
                        let section = variant.section.as_deref().unwrap_or(&event.section);
                        let mut finding = context.finding(
                            Code::TableSeverityConflict,
                            &item_pointer,
                            format!(
                                "{}: the {} table lists \"{}\" under {}, but its section \
                                 ({section}) says {}; the section's {} is enforced",
                                display(&event.id, &variant.name, event.variants.len()),
                                table.title,
                                item.item,
                                row.severity,
                                variant.severity,
                                variant.severity
                            ),
                        );
                        finding.event = Some(event.id.clone());
                        finding.variant = Some(variant.name.clone());
                        finding.related.push(context.related(
                            &format!("{}/severity", variant_pointer(event_index, variant_index)),
                            format!("{section}: severity {}", variant.severity),
                        ));
                        findings.push(finding);
                    }
                }
            }
        }
        for (event_index, variant_index, event, variant) in spec.variants() {
            if mentioned.contains(&(event.id.as_str(), variant.name.as_str())) {
                continue;
            }
            let mut finding = context.finding(
                Code::NotInSummaryTable,
                &variant_pointer(event_index, variant_index),
                format!(
                    "{} appears in no row of the {} table; its section's {} is used",
                    display(&event.id, &variant.name, event.variants.len()),
                    table.title,
                    variant.severity
                ),
            );
            finding.event = Some(event.id.clone());
            finding.variant = Some(variant.name.clone());
            findings.push(finding);
        }
    }
}

/// `event` or `event (variant)`, as people read it.
pub(crate) fn display(event: &str, variant: &str, variants: usize) -> String {
    if variants > 1 {
        format!("{event} ({variant})")
    } else {
        event.to_owned()
    }
}
