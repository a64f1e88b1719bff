//! Where a record's fields lie, found by number instead of by name.
//!
//! Judging a record against a variant looks up each field the variant
//! lists, each field the kind carries, and, for every field of the record,
//! whether the variant lists it: by name, that is a string comparison with
//! every field of the record for each lookup, and it is repeated for each
//! candidate variant. So the names an event's checks look up are numbered
//! (slots) when the spec loads ([`EventSlots`]), and each record is
//! located once ([`RecordSlots`]: one hash lookup per field), after which
//! every lookup is an index. The answers are those of the search by name:
//! a slot holds the first field of its name, as `find` would.

use crate::kind::KindPlan;
use crate::plan::VariantPlan;
use foldhash::fast::RandomState;
use logspec_reader::Field;
use std::collections::HashMap;

/// The names an event's checks look up, numbered when the spec loads.
#[derive(Debug, Default)]
pub struct EventSlots {
    by_name: HashMap<String, usize, RandomState>,
    /// Per variant of the event, in its order.
    variants: Vec<VariantSlots>,
    /// The slot of each field the kind carries ([`KindPlan::carried`]).
    carried: Vec<usize>,
    /// The slot of the kind's time field.
    timestamp: Option<usize>,
    /// The slot of the kind's audit mark.
    audit: Option<usize>,
    /// Per slot: whether it is the kind's message or audit field, which
    /// no variant need list.
    kind_field: Vec<bool>,
}

/// One variant's fields by slot.
#[derive(Debug)]
pub struct VariantSlots {
    /// The slot of each field the variant lists, in its order.
    fields: Vec<usize>,
    /// Per slot: whether the variant lists that name.
    listed: Vec<bool>,
    /// Per field the kind carries: the variant's own field of that name
    /// (an index into [`VariantPlan::fields`]).
    carried: Vec<Option<usize>>,
    /// The variant's own field for the kind's time, when it lists one.
    timestamp: Option<usize>,
}

impl EventSlots {
    /// Numbers the names the checks of `variants` (an event of `kind`)
    /// look up.
    pub fn new(kind: &KindPlan, variants: &[VariantPlan]) -> EventSlots {
        let mut slots = EventSlots::default();
        let timestamp = kind.timestamp.as_ref().map(|(name, _)| name);
        let names = (variants.iter().flat_map(|variant| &variant.fields))
            .map(|field| &field.name)
            .chain(kind.carried.iter().map(|field| &field.name))
            .chain(timestamp)
            .chain(&kind.audit)
            .chain(&kind.message);
        for name in names {
            let next = slots.by_name.len();
            slots.by_name.entry(name.clone()).or_insert(next);
        }
        let slot = |name: &String| slots.by_name[name];
        slots.carried = kind.carried.iter().map(|field| slot(&field.name)).collect();
        slots.timestamp = timestamp.map(slot);
        slots.audit = kind.audit.as_ref().map(slot);
        slots.kind_field = vec![false; slots.by_name.len()];
        for name in kind.message.iter().chain(&kind.audit) {
            slots.kind_field[slot(name)] = true;
        }
        slots.variants = variants
            .iter()
            .map(|variant| {
                let fields: Vec<usize> = variant.fields.iter().map(|f| slot(&f.name)).collect();
                let mut listed = vec![false; slots.by_name.len()];
                for &field in &fields {
                    listed[field] = true;
                }
                let own = |name: &String| variant.fields.iter().position(|f| f.name == *name);
                VariantSlots {
                    carried: kind.carried.iter().map(|field| own(&field.name)).collect(),
                    timestamp: timestamp.and_then(own),
                    fields,
                    listed,
                }
            })
            .collect();
        slots
    }

    pub fn variant(&self, index: usize) -> &VariantSlots {
        &self.variants[index]
    }

    /// The slot of each field the kind carries, in the kind's order.
    pub fn carried(&self) -> &[usize] {
        &self.carried
    }

    pub fn timestamp(&self) -> Option<usize> {
        self.timestamp
    }

    pub fn audit(&self) -> Option<usize> {
        self.audit
    }

    /// Whether `slot` is the kind's message or audit field.
    pub fn is_kind_field(&self, slot: usize) -> bool {
        self.kind_field[slot]
    }
}

impl VariantSlots {
    /// The slot of the variant's `index`th field.
    pub fn field(&self, index: usize) -> usize {
        self.fields[index]
    }

    pub fn lists(&self, slot: usize) -> bool {
        self.listed[slot]
    }

    /// The variant's own field for the kind's `index`th carried field.
    pub fn carried(&self, index: usize) -> Option<usize> {
        self.carried[index]
    }

    pub fn timestamp(&self) -> Option<usize> {
        self.timestamp
    }

    /// The variant's rank of `slot` (its place among the variant's fields).
    pub fn rank(&self, slot: usize) -> Option<usize> {
        self.fields.iter().position(|&field| field == slot)
    }
}

/// One record located against its event's slots. Reused from record to
/// record (each checking thread keeps one), so locating allocates nothing.
#[derive(Debug, Default)]
pub struct RecordSlots {
    /// Per slot: the index of the first field of that name.
    first: Vec<Option<usize>>,
    /// Per field of the record: its slot, when the event knows its name.
    of_field: Vec<Option<usize>>,
    /// Whether a field's name has a dot (a member of a flattened object).
    dotted: bool,
}

impl RecordSlots {
    /// Locates `fields` against `slots`.
    pub fn locate(&mut self, slots: &EventSlots, fields: &[Field<'_>]) {
        self.first.clear();
        self.first.resize(slots.by_name.len(), None);
        self.of_field.clear();
        self.dotted = false;
        for (index, field) in fields.iter().enumerate() {
            let slot = slots.by_name.get(&*field.key).copied();
            if let Some(slot) = slot {
                self.first[slot].get_or_insert(index);
            }
            self.of_field.push(slot);
            self.dotted |= field.key.contains('.');
        }
    }

    /// The index of the record's first field in `slot`.
    pub fn first(&self, slot: usize) -> Option<usize> {
        self.first[slot]
    }

    /// The slot of the record's `index`th field.
    pub fn of_field(&self, index: usize) -> Option<usize> {
        self.of_field[index]
    }

    /// Whether any field's name has a dot: without one, no field is a
    /// member of a flattened object.
    pub fn dotted(&self) -> bool {
        self.dotted
    }
}
