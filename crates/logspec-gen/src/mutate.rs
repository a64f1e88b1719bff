//! Mutations: a conforming record broken in exactly one way, with the one
//! finding the checker must raise for it.
//!
//! Every mutation of a record is enumerated (drop each required field,
//! corrupt each value, swap each adjacent pair, ...), those whose
//! prediction is not exact are discarded (see `exact`), and one is
//! picked: first a kind, so that rare kinds are not drowned by frequent
//! ones, then a mutation of that kind. Enumerating instead of filtering
//! random attempts means nothing is rejected in a loop, and a shrunk
//! counterexample moves towards the first kind and the first candidate.

use crate::exact;
use crate::framing::is_json;
use crate::generator::{undocumented_name, written_name, Compiled};
use crate::record::{Field, Record};
use crate::render::{is_json_number, render};
use crate::Framing;
use logspec_checker::Code;
use logspec_reader::{field_instant, JsonKind};
use proptest::prelude::*;
use std::fmt;
use std::rc::Rc;

/// The ways a record is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MutationKind {
    /// A required field removed: `missing-field`.
    DropField,
    /// The event key removed: `missing-field` for the key.
    DropEventKey,
    /// A field the variant does not document (or forbids) added: `unexpected-field`.
    AddField,
    /// A value replaced by one outside its type: `invalid-value`.
    CorruptValue,
    /// Another syslog severity: `severity-mismatch`.
    SwapSeverity,
    /// Another syslog facility: `facility-mismatch`.
    SwapFacility,
    /// Two adjacent documented fields swapped: `field-order`.
    ReorderFields,
    /// The event key moved off the front: `event-key-not-first`.
    MoveEventKey,
    /// The event id replaced by an undocumented one: `unknown-event`
    /// (`unknown-event-tolerated` where the spec tolerates new events).
    ReplaceEvent,
    /// A tag none of the variant's emitters uses: `emitter-mismatch`.
    WrongTag,
    /// A field written twice: `duplicate-field`.
    DuplicateField,
    /// The message replaced by one no variant of the event is logged
    /// with: `unknown-message`.
    ReplaceMessage,
    /// The audit mark dropped from an audit entry: `audit-mismatch`.
    DropAuditMark,
}

impl MutationKind {
    pub const ALL: [MutationKind; 13] = [
        MutationKind::DropField,
        MutationKind::DropEventKey,
        MutationKind::AddField,
        MutationKind::CorruptValue,
        MutationKind::SwapSeverity,
        MutationKind::SwapFacility,
        MutationKind::ReorderFields,
        MutationKind::MoveEventKey,
        MutationKind::ReplaceEvent,
        MutationKind::WrongTag,
        MutationKind::DuplicateField,
        MutationKind::ReplaceMessage,
        MutationKind::DropAuditMark,
    ];

    /// The finding code this kind of mutation raises.
    pub fn code(self) -> Code {
        match self {
            MutationKind::DropField | MutationKind::DropEventKey => Code::MissingField,
            MutationKind::AddField => Code::UnexpectedField,
            MutationKind::CorruptValue => Code::InvalidValue,
            MutationKind::SwapSeverity => Code::SeverityMismatch,
            MutationKind::SwapFacility => Code::FacilityMismatch,
            MutationKind::ReorderFields => Code::FieldOrder,
            MutationKind::MoveEventKey => Code::EventKeyNotFirst,
            MutationKind::ReplaceEvent => Code::UnknownEvent,
            MutationKind::WrongTag => Code::EmitterMismatch,
            MutationKind::DuplicateField => Code::DuplicateField,
            MutationKind::ReplaceMessage => Code::UnknownMessage,
            MutationKind::DropAuditMark => Code::AuditMismatch,
        }
    }
}

/// The finding a mutated record must raise, as the check report gives it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Expected {
    pub code: Code,
    /// The finding's `event`: the event id, `None` where the checker
    /// reports none (record-level findings).
    pub event: Option<String>,
    /// The finding's `field`.
    pub field: Option<String>,
}

/// One way a record was broken.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mutation {
    pub kind: MutationKind,
    pub expected: Expected,
    /// What was done, for people: `dropped REQID`.
    pub description: String,
}

impl fmt::Display for Mutation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.description, self.expected.code.as_str())
    }
}

/// A record broken by one mutation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mutated {
    pub record: Record,
    pub mutation: Mutation,
}

/// Mutations of the records `records` yields, read in `framing`.
pub(crate) fn mutated(
    compiled: Rc<Compiled>,
    records: BoxedStrategy<Record>,
    framing: Framing,
) -> BoxedStrategy<Mutated> {
    records
        .prop_filter_map("no exact mutation of this record", move |record| {
            let candidates = candidates(&compiled, &record, framing);
            (!candidates.is_empty()).then_some(candidates)
        })
        .prop_flat_map(|by_kind| {
            proptest::sample::select(by_kind).prop_flat_map(proptest::sample::select)
        })
        .boxed()
}

/// Every exact mutation of `record`, grouped by kind (no group empty);
/// none for a record whose indices name no variant of the spec.
pub(crate) fn candidates(
    compiled: &Compiled,
    record: &Record,
    framing: Framing,
) -> Vec<Vec<Mutated>> {
    if compiled
        .variant(record.event, record.variant, framing.format())
        .is_err()
    {
        return Vec::new();
    }
    let context = Context {
        compiled,
        record,
        framing,
    };
    let mut by_kind: Vec<Vec<Mutated>> = Vec::new();
    for kind in MutationKind::ALL {
        let exact: Vec<Mutated> = context
            .of_kind(kind)
            .into_iter()
            .filter(|mutated| context.is_exact(mutated))
            .collect();
        if !exact.is_empty() {
            by_kind.push(exact);
        }
    }
    by_kind
}

struct Context<'a> {
    compiled: &'a Compiled,
    record: &'a Record,
    framing: Framing,
}

impl Context<'_> {
    fn kind(&self) -> &logspec_checker::kind::KindPlan {
        &self.compiled.plan.kinds[self.compiled.plan.events[self.record.event].kind]
    }

    /// The kind's event key; none for a kind whose records are all one event.
    fn event_key(&self) -> Option<&str> {
        self.kind().event_key.as_deref()
    }

    /// Whether `key` is the event key.
    fn is_event_key(&self, key: &str) -> bool {
        self.event_key() == Some(key)
    }

    fn event_id(&self) -> &str {
        &self.compiled.plan.events[self.record.event].id
    }

    fn variant(&self) -> &logspec_checker::plan::VariantPlan {
        &self.compiled.plan.events[self.record.event].variants[self.record.variant]
    }

    fn key_index(&self) -> Option<usize> {
        self.record
            .fields
            .iter()
            .position(|field| self.is_event_key(&field.key))
    }

    /// A field named `name` as the record's format writes it.
    fn field(&self, name: &str, value: &str) -> Field {
        let spec = &self.compiled.spec;
        Field {
            written: written_name(
                spec,
                &spec.events[self.record.event],
                name,
                self.framing.format(),
            ),
            ..Field::new(name, value)
        }
    }

    /// A mutation of the fields; `event` says whether the finding names
    /// the event.
    fn with_fields(
        &self,
        kind: MutationKind,
        fields: Vec<Field>,
        event: bool,
        field: Option<&str>,
        description: String,
    ) -> Mutated {
        let mut record = self.record.clone();
        record.fields = fields;
        self.build(kind, record, event, field, description)
    }

    fn build(
        &self,
        kind: MutationKind,
        record: Record,
        event: bool,
        field: Option<&str>,
        description: String,
    ) -> Mutated {
        Mutated {
            record,
            mutation: Mutation {
                kind,
                expected: Expected {
                    code: kind.code(),
                    event: event.then(|| self.event_id().to_owned()),
                    field: field.map(str::to_owned),
                },
                description,
            },
        }
    }

    /// Whether the only finding is the predicted one. Record-level
    /// findings come before classification and are exact by construction;
    /// variant-level ones must survive the siblings. A mutation the format
    /// cannot carry (a Logback line without its thread) is none.
    fn is_exact(&self, mutated: &Mutated) -> bool {
        let expected = &mutated.mutation.expected;
        if self.framing == Framing::Bare && mutated.record.fields.is_empty() {
            // Nothing left is an empty line (`empty-line`), not a record.
            return false;
        }
        if render(self.framing, &mutated.record).is_err() {
            return false;
        }
        match mutated.mutation.kind {
            MutationKind::DropEventKey
            | MutationKind::ReplaceEvent
            | MutationKind::DuplicateField
            | MutationKind::MoveEventKey
            | MutationKind::SwapFacility
            | MutationKind::ReplaceMessage => true,
            _ => exact::only_finding(
                &self.compiled.plan,
                &mutated.record,
                self.framing,
                (expected.code, expected.field.as_deref()),
            ),
        }
    }

    fn of_kind(&self, kind: MutationKind) -> Vec<Mutated> {
        match kind {
            MutationKind::DropField => self.drop_field(),
            MutationKind::DropEventKey => self.drop_event_key(),
            MutationKind::AddField => self.add_field(),
            MutationKind::CorruptValue => self.corrupt_value(),
            MutationKind::SwapSeverity => self.swap_severity(),
            MutationKind::SwapFacility => self.swap_facility(),
            MutationKind::ReorderFields => self.reorder_fields(),
            MutationKind::MoveEventKey => self.move_event_key(),
            MutationKind::ReplaceEvent => self.replace_event(),
            MutationKind::WrongTag => self.wrong_tag(),
            MutationKind::DuplicateField => self.duplicate_field(),
            MutationKind::ReplaceMessage => self.replace_message(),
            MutationKind::DropAuditMark => self.drop_audit_mark(),
        }
    }

    fn drop_field(&self) -> Vec<Mutated> {
        let variant = self.variant();
        self.record
            .fields
            .iter()
            .enumerate()
            .filter(|(_, field)| {
                !self.is_event_key(&field.key)
                    && variant
                        .fields
                        .iter()
                        .any(|listed| listed.name == field.key && listed.required)
            })
            .map(|(index, field)| {
                let mut fields = self.record.fields.clone();
                fields.remove(index);
                self.with_fields(
                    MutationKind::DropField,
                    fields,
                    true,
                    Some(&field.key),
                    format!("dropped required {}", field.key),
                )
            })
            .collect()
    }

    fn drop_event_key(&self) -> Vec<Mutated> {
        // A layout's title names the event without the key.
        let (Some(index), Some(key), None) =
            (self.key_index(), self.event_key(), &self.record.title)
        else {
            return Vec::new();
        };
        let mut fields = self.record.fields.clone();
        fields.remove(index);
        vec![self.with_fields(
            MutationKind::DropEventKey,
            fields,
            false,
            Some(key),
            format!("dropped the event key {key}"),
        )]
    }

    /// Fields the variant does not take: those its sibling variants use
    /// (where a sibling may claim the record) and one no one documents,
    /// added last or right after the first field.
    fn add_field(&self) -> Vec<Mutated> {
        let spec = &self.compiled.spec;
        let variant = self.variant();
        let event = &spec.events[self.record.event];
        let undocumented = undocumented_name(spec, event);
        let mut names: Vec<&str> = Vec::new();
        let siblings = event.variants.iter().flat_map(|sibling| {
            sibling
                .fields
                .iter()
                .map(|field| field.name.as_str())
                .chain(sibling.forbidden.iter().map(String::as_str))
        });
        for name in siblings.chain([undocumented.as_str()]) {
            let takes = variant.fields.iter().any(|listed| listed.name == name)
                && !variant.forbidden.iter().any(|forbidden| forbidden == name);
            let flagged = variant.forbidden.iter().any(|forbidden| forbidden == name)
                || (!variant.additional_fields && !takes);
            if !self.is_event_key(name)
                && flagged
                && self.record.value(name).is_none()
                && !names.contains(&name)
            {
                names.push(name);
            }
        }
        let mut positions = vec![self.record.fields.len()];
        if self.record.fields.len() >= 2 {
            positions.push(1);
        }
        let mut out = Vec::new();
        for name in names {
            for &at in &positions {
                let mut fields = self.record.fields.clone();
                fields.insert(at, self.field(name, "x"));
                out.push(self.with_fields(
                    MutationKind::AddField,
                    fields,
                    true,
                    Some(name),
                    format!("added undocumented {name}"),
                ));
            }
        }
        out
    }

    /// Each value replaced by the texts its type rejects (as its own JSON
    /// type where the text can be one, else as a string), and by `null`
    /// where that is not accepted. A record's time is not replaced by
    /// another time, which would move the stream's clock.
    fn corrupt_value(&self) -> Vec<Mutated> {
        let variant = self.variant();
        let format = self.framing.format();
        let json = is_json(format);
        let time = self.kind().timestamp.as_ref();
        let mut out = Vec::new();
        for (index, field) in self.record.fields.iter().enumerate() {
            if self.is_event_key(&field.key) {
                continue;
            }
            let Some(listed) = variant
                .fields
                .iter()
                .find(|listed| listed.name == field.key)
            else {
                continue;
            };
            let check = listed.check_in(format);
            let as_json = |value: &str| match field.json {
                JsonKind::Number if is_json_number(value) => JsonKind::Number,
                _ => JsonKind::String,
            };
            let mut bad: Vec<(String, JsonKind)> = Vec::new();
            let candidates = corruptions(&field.value)
                .into_iter()
                .map(|value| {
                    let kind = as_json(&value);
                    (value, kind)
                })
                .chain(json.then(|| (String::new(), JsonKind::Null)));
            for (value, kind) in candidates {
                let moves_clock = time.is_some_and(|(name, epoch)| {
                    name == &field.key && field_instant(&value, *epoch).is_some()
                });
                let rejected = check.check_typed(&value, json.then_some(kind)).is_err();
                if rejected && !moves_clock && !bad.contains(&(value.clone(), kind)) {
                    bad.push((value, kind));
                }
            }
            for (value, kind) in bad {
                let mut fields = self.record.fields.clone();
                fields[index].value = value.clone();
                fields[index].json = kind;
                out.push(self.with_fields(
                    MutationKind::CorruptValue,
                    fields,
                    true,
                    Some(&field.key),
                    format!("{}={value:?}, outside its type", field.key),
                ));
            }
        }
        out
    }

    fn swap_severity(&self) -> Vec<Mutated> {
        if !self.framing.carries_severity() {
            return Vec::new();
        }
        let documented = self.variant().severity;
        (0u8..=7)
            .filter(|&severity| severity != documented)
            .map(|severity| {
                let mut record = self.record.clone();
                record.meta.severity = severity;
                self.build(
                    MutationKind::SwapSeverity,
                    record,
                    true,
                    None,
                    format!("severity {severity} instead of {documented}"),
                )
            })
            .collect()
    }

    fn swap_facility(&self) -> Vec<Mutated> {
        let Some((documented, _)) = self.compiled.plan.facility else {
            return Vec::new();
        };
        if !self.framing.carries_facility() {
            return Vec::new();
        }
        // A few others, kernel and local ones among them.
        let mut others: Vec<u8> = Vec::new();
        for facility in [0u8, 1, 16, 23, (documented + 1) % 24] {
            if facility != documented && !others.contains(&facility) {
                others.push(facility);
            }
        }
        others
            .into_iter()
            .map(|facility| {
                let mut record = self.record.clone();
                record.meta.facility = facility;
                self.build(
                    MutationKind::SwapFacility,
                    record,
                    false,
                    None,
                    format!("facility {facility} instead of {documented}"),
                )
            })
            .collect()
    }

    /// Adjacent documented fields swapped. The checker reports the first
    /// field that comes after one the document puts later: the earlier of
    /// the two.
    fn reorder_fields(&self) -> Vec<Mutated> {
        let variant = self.variant();
        if !variant.ordered {
            return Vec::new();
        }
        let documented: Vec<usize> = self
            .record
            .fields
            .iter()
            .enumerate()
            .filter(|(_, field)| {
                !self.is_event_key(&field.key)
                    && variant.fields.iter().any(|listed| listed.name == field.key)
            })
            .map(|(index, _)| index)
            .collect();
        documented
            .windows(2)
            .map(|pair| {
                let (first, second) = (pair[0], pair[1]);
                let mut fields = self.record.fields.clone();
                fields.swap(first, second);
                let moved = &self.record.fields[first].key;
                self.with_fields(
                    MutationKind::ReorderFields,
                    fields,
                    true,
                    Some(moved),
                    format!("{moved} after {}", self.record.fields[second].key),
                )
            })
            .collect()
    }

    fn move_event_key(&self) -> Vec<Mutated> {
        let Some(key) = self.event_key() else {
            return Vec::new();
        };
        if !self.kind().event_key_first || self.key_index() != Some(0) {
            return Vec::new();
        }
        (1..self.record.fields.len())
            .map(|to| {
                let mut fields = self.record.fields.clone();
                fields[..=to].rotate_left(1);
                self.with_fields(
                    MutationKind::MoveEventKey,
                    fields,
                    true,
                    Some(key),
                    format!("{key} moved to position {}", to + 1),
                )
            })
            .collect()
    }

    /// The event named as one the kind does not document: in the title
    /// where the layout writes one, else in the event key.
    fn replace_event(&self) -> Vec<Mutated> {
        let kind = self.kind();
        let index = self.key_index();
        if self.record.title.is_none() && index.is_none() {
            return Vec::new();
        }
        let code = if kind.tolerate_unknown {
            Code::UnknownEventTolerated
        } else {
            Code::UnknownEvent
        };
        let format = self.framing.format();
        let id = self.event_id();
        [format!("{id}-undocumented"), "undocumented".to_owned()]
            .into_iter()
            .filter(|unknown| kind.event_by_title(format, unknown).is_none())
            .map(|unknown| {
                let mut record = self.record.clone();
                match (&mut record.title, index) {
                    (Some(title), _) => *title = unknown.clone(),
                    (None, Some(index)) => record.fields[index].value = unknown.clone(),
                    (None, None) => {}
                }
                Mutated {
                    record,
                    mutation: Mutation {
                        kind: MutationKind::ReplaceEvent,
                        expected: Expected {
                            code,
                            event: Some(unknown.clone()),
                            field: Some(self.event_key().unwrap_or("event").to_owned()),
                        },
                        description: format!("event {unknown:?} instead of {id:?}"),
                    },
                }
            })
            .collect()
    }

    /// The message as none of the event's variants writes it (judged
    /// before any variant is chosen, so exact by construction).
    fn replace_message(&self) -> Vec<Mutated> {
        let Some(name) = self.kind().message.as_deref() else {
            return Vec::new();
        };
        let Some(index) = self
            .record
            .fields
            .iter()
            .position(|field| field.key == name)
        else {
            return Vec::new();
        };
        let event = &self.compiled.plan.events[self.record.event];
        let unknown = format!("{} (undocumented)", self.record.fields[index].value);
        // A record known by its message alone is no event's without it.
        if event.by_message
            || !event.has_messages
            || event
                .variants
                .iter()
                .any(|variant| variant.logs_message(&unknown))
        {
            return Vec::new();
        }
        let mut fields = self.record.fields.clone();
        fields[index].value = unknown.clone();
        vec![self.with_fields(
            MutationKind::ReplaceMessage,
            fields,
            true,
            Some(name),
            format!("message {unknown:?}"),
        )]
    }

    /// An audit entry without its audit mark.
    fn drop_audit_mark(&self) -> Vec<Mutated> {
        let Some(name) = self.kind().audit.as_deref() else {
            return Vec::new();
        };
        if self.variant().audit != Some(true) {
            return Vec::new();
        }
        let fields: Vec<Field> = self
            .record
            .fields
            .iter()
            .filter(|field| field.key != name)
            .cloned()
            .collect();
        vec![self.with_fields(
            MutationKind::DropAuditMark,
            fields,
            true,
            Some(name),
            format!("dropped the audit mark {name}"),
        )]
    }

    /// The spec's other emitters' tags, and one no emitter uses.
    fn wrong_tag(&self) -> Vec<Mutated> {
        let variant = self.variant();
        if !self.framing.carries_tag() || variant.tags.is_empty() {
            return Vec::new();
        }
        let mut tags: Vec<&str> = Vec::new();
        for emitter in &self.compiled.spec.emitters {
            for tag in &emitter.tags {
                if !variant.tags.contains(&tag.tag) && !tags.contains(&tag.tag.as_str()) {
                    tags.push(&tag.tag);
                }
            }
        }
        let mut unknown = "undocumented-tag".to_owned();
        while variant.tags.contains(&unknown) {
            unknown.push('x');
        }
        tags.push(&unknown);
        tags.into_iter()
            .map(|tag| {
                let mut record = self.record.clone();
                record.meta.tag = tag.to_owned();
                self.build(
                    MutationKind::WrongTag,
                    record,
                    true,
                    None,
                    format!("tag {tag:?}"),
                )
            })
            .collect()
    }

    /// Each field written again, with its value, right after itself and
    /// last.
    fn duplicate_field(&self) -> Vec<Mutated> {
        let fields = &self.record.fields;
        let mut out = Vec::new();
        for (index, field) in fields.iter().enumerate() {
            let mut places = vec![index + 1];
            if fields.len() > index + 1 {
                places.push(fields.len());
            }
            for at in places {
                let mut duplicated = fields.clone();
                duplicated.insert(at, field.clone());
                out.push(self.with_fields(
                    MutationKind::DuplicateField,
                    duplicated,
                    false,
                    Some(&field.key),
                    format!("{} written twice", field.key),
                ));
            }
        }
        out
    }
}

/// Texts that break most types, then ones derived from the valid value
/// (which break exact lengths, enums, fixed literals, and the end of a
/// value, where a non-ASCII character tests that checks slice text on
/// character boundaries).
fn corruptions(value: &str) -> Vec<String> {
    let mut out: Vec<String> = ["", "not valid", "-1", "99999999999999999999"]
        .iter()
        .map(|text| (*text).to_owned())
        .collect();
    let mut shorter = value.to_owned();
    shorter.pop();
    out.push(format!("{value}!"));
    out.push(format!("{value}0"));
    out.push(format!("{shorter}é"));
    out.push(shorter);
    out
}
