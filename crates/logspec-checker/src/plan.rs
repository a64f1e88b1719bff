//! A spec compiled for checking: lookups by event id, value checks built
//! once, emitter tags resolved, so the per-line path does no setup work.

use crate::rules::RulePlan;
use crate::value::ValueCheck;
use logspec_reader::Format;
use logspec_spec::{Envelope, Spec};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Everything the checker needs from a spec, prepared once.
#[derive(Debug)]
pub struct Plan {
    pub producer: String,
    pub event_key: String,
    pub event_key_first: bool,
    /// Syslog facility number the spec requires, if any.
    pub facility: Option<(u8, &'static str)>,
    /// Formats the spec declares, in its order: detection picks among them.
    pub formats: Vec<Format>,
    pub events: Vec<EventPlan>,
    pub rules: Vec<RulePlan>,
    /// Fields any rule reads (keys, agreement), kept from each record.
    pub rule_fields: Vec<Arc<str>>,
    by_id: HashMap<String, usize>,
}

#[derive(Debug)]
pub struct EventPlan {
    pub id: String,
    pub variants: Vec<VariantPlan>,
}

#[derive(Debug)]
pub struct VariantPlan {
    pub name: String,
    /// How people call it: the document's label, or `event (variant)`.
    pub label: String,
    pub severity_name: String,
    pub severity: u8,
    /// Syslog tags its emitters use; empty when any tag is acceptable.
    pub tags: HashSet<String>,
    pub fields: Vec<FieldPlan>,
    pub ordered: bool,
    pub forbidden: Vec<String>,
    pub additional_fields: bool,
}

#[derive(Debug)]
pub struct FieldPlan {
    pub name: String,
    pub required: bool,
    pub check: ValueCheck,
}

impl Plan {
    pub fn new(spec: &Spec) -> Plan {
        let glossary: HashMap<&str, ValueCheck> = spec
            .fields
            .iter()
            .map(|(name, definition)| (name.as_str(), ValueCheck::compile(&definition.value)))
            .collect();
        let events: Vec<EventPlan> = spec
            .events
            .iter()
            .map(|event| EventPlan {
                id: event.id.clone(),
                variants: event
                    .variants
                    .iter()
                    .map(|variant| VariantPlan {
                        name: variant.name.clone(),
                        label: variant.label.clone().unwrap_or_else(|| {
                            if event.variants.len() == 1 {
                                event.id.clone()
                            } else {
                                format!("{} ({})", event.id, variant.name)
                            }
                        }),
                        severity_name: variant.severity.clone(),
                        // The loader guarantees the level exists.
                        severity: spec
                            .severity
                            .level(&variant.severity)
                            .map_or(u8::MAX, |level| level.syslog),
                        tags: variant
                            .emitters
                            .iter()
                            .filter_map(|name| spec.emitter(name))
                            .flat_map(|emitter| emitter.tags.iter().map(|tag| tag.tag.clone()))
                            .collect(),
                        fields: variant
                            .fields
                            .iter()
                            .map(|field| FieldPlan {
                                name: field.name.clone(),
                                required: !field.optional,
                                check: glossary
                                    .get(field.name.as_str())
                                    .cloned()
                                    .unwrap_or_else(ValueCheck::text)
                                    .narrowed(field.values.as_deref(), field.pattern.as_ref())
                                    .also_accepting(&field.also)
                                    .excluding(&field.except),
                            })
                            .collect(),
                        ordered: variant.ordered,
                        forbidden: variant.forbidden.clone(),
                        additional_fields: variant.additional_fields,
                    })
                    .collect(),
            })
            .collect();
        let by_id = events
            .iter()
            .enumerate()
            .map(|(index, event)| (event.id.clone(), index))
            .collect();
        let mut rule_fields: Vec<Arc<str>> = Vec::new();
        for rule in &spec.rules {
            let key_fields = rule
                .participants
                .iter()
                .flat_map(|participant| participant.key.iter())
                .filter_map(|part| part.field.as_deref());
            for field in key_fields.chain(rule.agree.iter().map(String::as_str)) {
                if !rule_fields.iter().any(|known| &**known == field) {
                    rule_fields.push(Arc::from(field));
                }
            }
        }
        Plan {
            rules: spec
                .rules
                .iter()
                .map(|rule| RulePlan::new(spec, rule))
                .collect(),
            rule_fields,
            producer: spec.producer.name.clone(),
            event_key: spec.wire.event_key.clone(),
            event_key_first: spec.wire.event_key_first,
            facility: spec
                .severity
                .facility
                .map(|facility| (facility.code(), facility.name())),
            formats: spec
                .wire
                .envelopes
                .iter()
                .map(|envelope| format_of(*envelope))
                .collect(),
            events,
            by_id,
        }
    }

    pub fn event_index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The name reports use for variant `variant` of event `event`: none
    /// for an event with a single form.
    pub fn variant_name(&self, event: usize, variant: usize) -> Option<&str> {
        let event = &self.events[event];
        (event.variants.len() > 1).then(|| event.variants[variant].name.as_str())
    }
}

/// The reader format for a spec's envelope name.
pub fn format_of(envelope: Envelope) -> Format {
    match envelope {
        Envelope::Rfc3164 => Format::Rfc3164,
        Envelope::Rfc5424 => Format::Rfc5424,
        Envelope::Journald => Format::Journald,
        Envelope::Bare => Format::Bare,
    }
}
