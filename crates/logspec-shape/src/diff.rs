//! Comparing today's shapes with a recorded baseline: every change, and
//! whether it breaks consumers.
//!
//! Breaking: a field removed, or no longer in every record; a field whose
//! values changed class altogether; fields reordered where the spec fixes
//! the order (`ordered: true`, or the event key with `event_key_first`).
//! Additive: a new variant seen, a new field, a new value class beside the
//! old ones. Compatible: other reorderings, a field now always present, a
//! recorded variant not seen today (nothing to compare it with).

use crate::model::{Presence, Shapes, VariantShape};
use logspec_checker::plan::VariantPlan;
use logspec_checker::Plan;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Impact {
    Breaking,
    Additive,
    Compatible,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    NewVariant,
    VariantNotSeen,
    NewField,
    FieldRemoved,
    FieldNowOptional,
    FieldNowAlways,
    ClassChanged,
    ClassAdded,
    OrderChanged,
}

/// One difference between the baseline and today's logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub impact: Impact,
    pub kind: ChangeKind,
    pub event: String,
    /// `None` for an event with a single form, as in `check`'s reports.
    pub variant: Option<String>,
    pub field: Option<String>,
    pub message: String,
}

impl Change {
    /// `event` or `event/variant`, as people name it.
    pub fn label(&self) -> String {
        match &self.variant {
            Some(variant) => format!("{}/{variant}", self.event),
            None => self.event.clone(),
        }
    }
}

/// Every change from `baseline` to `current`, in event, variant and field
/// order. `plan` is the spec both were recorded with: it says which orders
/// are fixed and which events have a single form.
pub fn diff(baseline: &Shapes, current: &Shapes, plan: &Plan) -> Vec<Change> {
    let mut changes = Vec::new();
    let events: BTreeSet<&String> = baseline
        .events
        .keys()
        .chain(current.events.keys())
        .collect();
    let no_variants = BTreeMap::new();
    for event in events {
        let was = baseline.events.get(event).unwrap_or(&no_variants);
        let now = current.events.get(event).unwrap_or(&no_variants);
        let names: BTreeSet<&String> = was.keys().chain(now.keys()).collect();
        for name in names {
            let mut at = Place::new(plan, event, name, &mut changes);
            match (was.get(name), now.get(name)) {
                (None, Some(now)) => at.push(
                    Impact::Additive,
                    ChangeKind::NewVariant,
                    None,
                    format!("new variant seen, with fields {}", now.order.join(" ")),
                ),
                (Some(_), None) => at.push(
                    Impact::Compatible,
                    ChangeKind::VariantNotSeen,
                    None,
                    "recorded, but not seen in these logs".to_owned(),
                ),
                (Some(was), Some(now)) => {
                    compare_fields(&mut at, was, now);
                    compare_order(&mut at, was, now);
                }
                (None, None) => {}
            }
        }
    }
    changes
}

/// The variant being compared, and where its changes go.
struct Place<'a> {
    event: &'a str,
    variant: Option<String>,
    compiled: Option<&'a VariantPlan>,
    event_key: &'a str,
    event_key_first: bool,
    changes: &'a mut Vec<Change>,
}

impl<'a> Place<'a> {
    fn new(plan: &'a Plan, event: &'a str, variant: &str, changes: &'a mut Vec<Change>) -> Self {
        let compiled_event = plan
            .event_index(event)
            .and_then(|index| plan.events.get(index));
        let compiled = compiled_event
            .and_then(|event| event.variants.iter().find(|plan| *plan.name == *variant));
        // An event the spec no longer has keeps its variant's name.
        let single_form = compiled_event.is_some_and(|event| event.variants.len() == 1);
        Place {
            event,
            variant: (!single_form).then(|| variant.to_owned()),
            compiled,
            event_key: &plan.event_key,
            event_key_first: plan.event_key_first,
            changes,
        }
    }

    fn push(&mut self, impact: Impact, kind: ChangeKind, field: Option<&str>, message: String) {
        self.changes.push(Change {
            impact,
            kind,
            event: self.event.to_owned(),
            variant: self.variant.clone(),
            field: field.map(str::to_owned),
            message,
        });
    }

    /// Whether the spec fixes the relative order of fields `a` and `b`.
    fn order_fixed(&self, a: &str, b: &str) -> bool {
        let key_first = self.event_key_first && (a == self.event_key || b == self.event_key);
        let documented = |name: &str| {
            self.compiled
                .is_some_and(|variant| variant.fields.iter().any(|field| field.name == name))
        };
        let ordered = self.compiled.is_some_and(|variant| variant.ordered)
            && a != self.event_key
            && b != self.event_key
            && documented(a)
            && documented(b);
        key_first || ordered
    }
}

fn compare_fields(at: &mut Place<'_>, was: &VariantShape, now: &VariantShape) {
    let names: BTreeSet<&String> = was.fields.keys().chain(now.fields.keys()).collect();
    for name in names {
        let field = Some(name.as_str());
        let (old, new) = match (was.fields.get(name), now.fields.get(name)) {
            (Some(old), Some(new)) => (old, new),
            (None, Some(new)) => {
                at.push(
                    Impact::Additive,
                    ChangeKind::NewField,
                    field,
                    format!("new field {name} ({})", list(&new.classes)),
                );
                continue;
            }
            (Some(old), None) => {
                let was_in = match old.presence {
                    Presence::Always => "every record",
                    Presence::Sometimes => "some records",
                };
                at.push(
                    Impact::Breaking,
                    ChangeKind::FieldRemoved,
                    field,
                    format!("field {name} removed (it was in {was_in})"),
                );
                continue;
            }
            (None, None) => continue,
        };
        match (old.presence, new.presence) {
            (Presence::Always, Presence::Sometimes) => at.push(
                Impact::Breaking,
                ChangeKind::FieldNowOptional,
                field,
                format!("field {name} is now missing from some records (it was in every one)"),
            ),
            (Presence::Sometimes, Presence::Always) => at.push(
                Impact::Compatible,
                ChangeKind::FieldNowAlways,
                field,
                format!("field {name} is now in every record"),
            ),
            _ => {}
        }
        let added: BTreeSet<&String> = new.classes.difference(&old.classes).collect();
        if old.classes.is_disjoint(&new.classes) {
            at.push(
                Impact::Breaking,
                ChangeKind::ClassChanged,
                field,
                format!(
                    "{name}: values changed from {} to {}",
                    list(&old.classes),
                    list(&new.classes)
                ),
            );
        } else if !added.is_empty() {
            at.push(
                Impact::Additive,
                ChangeKind::ClassAdded,
                field,
                format!(
                    "{name}: new value class {} beside {}",
                    list(added),
                    list(&old.classes)
                ),
            );
        }
    }
}

/// One change per variant whose fields now come in an order the baseline
/// never saw: pairs recorded only as `a` before `b`, now seen `b` before `a`.
fn compare_order(at: &mut Place<'_>, was: &VariantShape, now: &VariantShape) {
    let mut swapped: Vec<(&str, &str)> = Vec::new();
    for a in &was.order {
        for b in &was.order {
            let inverted = a != b
                && now.fields.contains_key(a)
                && now.fields.contains_key(b)
                && was.seen_before(a, b)
                && !was.seen_before(b, a)
                && now.seen_before(b, a);
            if inverted {
                swapped.push((b, a));
            }
        }
    }
    if swapped.is_empty() {
        return;
    }
    let fixed = swapped.iter().any(|&(a, b)| at.order_fixed(a, b));
    let pairs: Vec<String> = swapped
        .iter()
        .map(|(first, then)| format!("{first} before {then}"))
        .collect();
    at.push(
        if fixed {
            Impact::Breaking
        } else {
            Impact::Compatible
        },
        ChangeKind::OrderChanged,
        None,
        format!(
            "field order changed: now {} (recorded: {}; today: {}){}",
            pairs.join(", "),
            was.order.join(" "),
            now.order.join(" "),
            if fixed {
                ", where the spec fixes the order"
            } else {
                ""
            }
        ),
    );
}

fn list<'a>(classes: impl IntoIterator<Item = &'a String>) -> String {
    classes
        .into_iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}
