//! Checks the schema cannot express: names must be unique and every
//! reference (field, severity, emitter, summary item) must resolve.

use crate::locate::pointer;
use crate::model::{Spec, ValueKind, ValueSpec};
use std::collections::HashSet;

/// Broken references found so far, as (JSON pointer, message).
#[derive(Default)]
struct Problems(Vec<(String, String)>);

impl Problems {
    fn add(&mut self, segments: &[&str], message: String) {
        self.0.push((pointer(segments), message));
    }
}

/// Every broken reference in `spec`, as (JSON pointer, message).
pub fn references(spec: &Spec) -> Vec<(String, String)> {
    let mut problems = Problems::default();
    let level_names: Vec<&str> = spec
        .severity
        .levels
        .iter()
        .map(|l| l.name.as_str())
        .collect();

    for index in duplicates(level_names.iter().copied()) {
        problems.add(
            &["severity", "levels", &index.to_string(), "name"],
            format!("severity level `{}` is defined twice", level_names[index]),
        );
    }
    for index in duplicates(spec.emitters.iter().map(|emitter| emitter.name.as_str())) {
        problems.add(
            &["emitters", &index.to_string(), "name"],
            format!("emitter `{}` is defined twice", spec.emitters[index].name),
        );
    }
    for index in duplicates(spec.events.iter().map(|event| event.id.as_str())) {
        problems.add(
            &["events", &index.to_string(), "id"],
            format!("event `{}` is defined twice", spec.events[index].id),
        );
    }
    for (name, definition) in &spec.fields {
        if let Some(message) = value_spec_problem(&definition.value) {
            problems.add(&["fields", name], format!("field `{name}`: {message}"));
        }
    }
    if !spec.fields.contains_key(&spec.wire.event_key) {
        problems.add(
            &["wire", "event_key"],
            format!("event key `{}` is not in `fields`", spec.wire.event_key),
        );
    }

    for (event_index, event) in spec.events.iter().enumerate() {
        let at_event = event_index.to_string();
        for index in duplicates(event.variants.iter().map(|variant| variant.name.as_str())) {
            problems.add(
                &["events", &at_event, "variants", &index.to_string(), "name"],
                format!(
                    "event `{}` has two variants named `{}`",
                    event.id, event.variants[index].name
                ),
            );
        }
        for (variant_index, variant) in event.variants.iter().enumerate() {
            let at_variant = variant_index.to_string();
            let base = ["events", at_event.as_str(), "variants", at_variant.as_str()];
            let at = |tail: &[&str]| -> Vec<String> {
                base.iter().chain(tail).map(|s| (*s).to_owned()).collect()
            };
            let mut add = |tail: &[&str], message: String| {
                let segments = at(tail);
                let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
                problems.add(&segments, message);
            };
            if spec.severity.level(&variant.severity).is_none() {
                add(
                    &["severity"],
                    format!(
                        "severity `{}` is not one of the levels ({})",
                        variant.severity,
                        level_names.join(", ")
                    ),
                );
            }
            for (index, emitter) in variant.emitters.iter().enumerate() {
                if spec.emitter(emitter).is_none() {
                    add(
                        &["emitters", &index.to_string()],
                        format!("emitter `{emitter}` is not defined in `emitters`"),
                    );
                }
            }
            let mut listed = HashSet::new();
            for (index, field) in variant.fields.iter().enumerate() {
                let here = ["fields", &index.to_string()].map(str::to_owned);
                let here = [here[0].as_str(), here[1].as_str()];
                if !spec.fields.contains_key(&field.name) {
                    add(
                        &here,
                        format!("field `{}` is not in the glossary (`fields`)", field.name),
                    );
                }
                if !listed.insert(field.name.as_str()) {
                    add(&here, format!("field `{}` is listed twice", field.name));
                }
            }
            if !listed.contains(spec.wire.event_key.as_str()) {
                add(
                    &["fields"],
                    format!(
                        "the event key `{}` must be one of the variant's fields",
                        spec.wire.event_key
                    ),
                );
            }
            for (index, name) in variant.forbidden.iter().enumerate() {
                if listed.contains(name.as_str()) {
                    add(
                        &["forbidden", &index.to_string()],
                        format!("field `{name}` is both listed and forbidden"),
                    );
                }
            }
        }
    }

    for (table_index, table) in spec.summary_tables.iter().enumerate() {
        for (row_index, row) in table.rows.iter().enumerate() {
            let (at_table, at_row) = (table_index.to_string(), row_index.to_string());
            let base = ["summary_tables", at_table.as_str(), "rows", at_row.as_str()];
            if spec.severity.level(&row.severity).is_none() {
                problems.add(
                    &[&base[..], &["severity"]].concat(),
                    format!("severity `{}` is not one of the levels", row.severity),
                );
            }
            for (item_index, item) in row.items.iter().enumerate() {
                let at_item = item_index.to_string();
                for reference in &item.refers {
                    if spec.resolve(reference).is_none() {
                        problems.add(
                            &[&base[..], &["items", at_item.as_str()]].concat(),
                            format!(
                                "`{}` in table `{}` names no event or event/variant \
                                 (`{reference}`); map it with `refers`",
                                item.item, table.title
                            ),
                        );
                    }
                }
            }
        }
    }
    problems.0
}

/// Indices of names that repeat an earlier one.
fn duplicates<'a>(names: impl Iterator<Item = &'a str>) -> Vec<usize> {
    let mut seen = HashSet::new();
    names
        .enumerate()
        .filter(|(_, name)| !seen.insert(*name))
        .map(|(index, _)| index)
        .collect()
}

fn value_spec_problem(value: &ValueSpec) -> Option<String> {
    if let (Some(min), Some(max)) = (value.min, value.max) {
        if min > max {
            return Some(format!("min {min} is greater than max {max}"));
        }
    }
    if let (Some(min), Some(max)) = (value.min_length, value.max_length) {
        if min > max {
            return Some(format!("min_length {min} is greater than max_length {max}"));
        }
    }
    match (value.kind, &value.item) {
        (ValueKind::List, Some(item)) => value_spec_problem(item),
        (ValueKind::List, None) => Some("a list needs `item`".to_owned()),
        _ => None,
    }
}
