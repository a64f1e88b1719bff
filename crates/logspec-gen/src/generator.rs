//! [`Generator`]: a spec compiled once into value and record strategies,
//! the entry point to everything this crate generates.

use crate::mutate::{self, Mutated};
use crate::record::{FieldGen, Record, VariantGen};
use crate::stream::{self, SampledLines, Stream, StreamOptions};
use crate::{value, Framing, GenError};
use logspec_checker::Plan;
use logspec_spec::{Event, FieldUse, Spec};
use proptest::prelude::*;
use proptest::strategy::Union;
use std::rc::Rc;

/// Strategies of records, mutations and streams for one spec.
///
/// Cheap to clone; strategies it hands out share what they need, so they
/// outlive it.
#[derive(Clone)]
pub struct Generator {
    compiled: Rc<Compiled>,
}

/// The spec with everything generation needs prepared.
pub(crate) struct Compiled {
    pub spec: Spec,
    /// The checker's compiled view of the spec, for its value checks and
    /// the variant facts mutations must reason about.
    pub plan: Plan,
    /// `[event][variant]`.
    pub variants: Vec<Vec<VariantGen>>,
}

impl Generator {
    /// Compiles `spec`. Fails when some field has no value to generate (an
    /// enum without values, an unsatisfiable pattern or length).
    pub fn new(spec: &Spec) -> Result<Generator, GenError> {
        if spec.events.is_empty() {
            return Err(GenError::NoEvents);
        }
        let plan = Plan::new(spec);
        let variants = spec
            .events
            .iter()
            .enumerate()
            .map(|(event_index, event)| {
                (0..event.variants.len())
                    .map(|variant_index| compile_variant(spec, &plan, event_index, variant_index))
                    .collect::<Result<Vec<_>, _>>()
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Generator {
            compiled: Rc::new(Compiled {
                spec: spec.clone(),
                plan,
                variants,
            }),
        })
    }

    pub fn spec(&self) -> &Spec {
        &self.compiled.spec
    }

    /// The checker's plan of the spec.
    pub fn plan(&self) -> &Plan {
        &self.compiled.plan
    }

    /// Every (event, variant) index pair, in spec order.
    pub fn variants(&self) -> Vec<(usize, usize)> {
        self.compiled
            .variants
            .iter()
            .flatten()
            .map(|variant| (variant.event, variant.variant))
            .collect()
    }

    /// Index of the event `id`.
    pub fn event_index(&self, id: &str) -> Result<usize, GenError> {
        self.compiled
            .spec
            .events
            .iter()
            .position(|event| event.id == id)
            .ok_or_else(|| GenError::UnknownEvent(id.to_owned()))
    }

    /// Records that conform to variant `variant` of event `event`: every
    /// required field, some optional ones, values of each field's type, the
    /// documented severity and one of the variant's emitters' tags.
    pub fn record(&self, event: usize, variant: usize) -> Result<BoxedStrategy<Record>, GenError> {
        self.compiled
            .variant(event, variant)
            .map(VariantGen::records)
    }

    /// Conforming records of any variant of `event`, or of any event.
    pub fn any_record(&self, event: Option<usize>) -> Result<BoxedStrategy<Record>, GenError> {
        let variants = self.compiled.variants_of(event)?;
        Ok(Union::new(variants.iter().map(|variant| variant.records())).boxed())
    }

    /// Records of variant `variant` of `event` broken in exactly one way,
    /// each with the one finding the checker must raise when reading it in
    /// `framing`.
    ///
    /// ```
    /// use logspec_checker::{CheckOptions, Checker, Finding};
    /// use logspec_gen::{render, Framing, Generator};
    /// use proptest::test_runner::TestRunner;
    ///
    /// let spec = logspec_spec::builtin("ctrl-exec").unwrap().load().unwrap().spec;
    /// let generator = Generator::new(&spec).unwrap();
    /// let deny = generator.event_index("deny").unwrap();
    /// let broken = generator.mutated(deny, 0, Framing::Rfc5424).unwrap();
    /// let plan = logspec_checker::Plan::new(&spec);
    ///
    /// TestRunner::deterministic()
    ///     .run(&broken, |mutated| {
    ///         let line = render(Framing::Rfc5424, &mutated.record).unwrap();
    ///         let mut findings: Vec<Finding> = Vec::new();
    ///         let per_line = CheckOptions { stream_rules: false, ..CheckOptions::default() };
    ///         Checker::new(&plan, per_line)
    ///             .check_input("-", line.as_bytes(), &mut findings)
    ///             .unwrap();
    ///         // Exactly the predicted finding, never a sibling variant's.
    ///         assert_eq!(findings.len(), 1, "{line}");
    ///         assert_eq!(findings[0].code, mutated.mutation.expected.code);
    ///         assert_eq!(findings[0].field, mutated.mutation.expected.field);
    ///         Ok(())
    ///     })
    ///     .unwrap();
    /// ```
    pub fn mutated(
        &self,
        event: usize,
        variant: usize,
        framing: Framing,
    ) -> Result<BoxedStrategy<Mutated>, GenError> {
        let records = self.record(event, variant)?;
        Ok(mutate::mutated(Rc::clone(&self.compiled), records, framing))
    }

    /// [`mutated`](Self::mutated) records of any variant of `event`, or of
    /// any event.
    pub fn any_mutated(
        &self,
        event: Option<usize>,
        framing: Framing,
    ) -> Result<BoxedStrategy<Mutated>, GenError> {
        let records = self.any_record(event)?;
        Ok(mutate::mutated(Rc::clone(&self.compiled), records, framing))
    }

    /// Every mutation of `record` (a conforming record of this spec, as
    /// [`record`](Self::record) makes them) whose finding, read in
    /// `framing`, can be predicted exactly; none when its indices name no
    /// variant.
    pub fn mutations(&self, record: &Record, framing: Framing) -> Vec<Mutated> {
        mutate::candidates(&self.compiled, record, framing)
            .into_iter()
            .flatten()
            .collect()
    }

    /// Streams of records across the spec's events; see [`StreamOptions`].
    pub fn stream(&self, options: &StreamOptions) -> Result<BoxedStrategy<Stream>, GenError> {
        Ok(stream::streams(self.steps(options)?, options))
    }

    /// A stream as [`stream`](Self::stream) makes them, drawn line by line
    /// from `seed` (a number of lines from `options.lines`, then each line):
    /// the same seed and options give the same lines.
    pub fn sample_stream(
        &self,
        options: &StreamOptions,
        seed: u64,
    ) -> Result<SampledLines, GenError> {
        SampledLines::new(self.steps(options)?, options, seed)
    }

    fn steps(&self, options: &StreamOptions) -> Result<BoxedStrategy<stream::Step>, GenError> {
        let valid = self.any_record(options.event)?;
        let mutated = self.any_mutated(options.event, options.framing)?;
        Ok(stream::steps(valid, mutated, options.broken))
    }
}

impl Compiled {
    pub fn variant(&self, event: usize, variant: usize) -> Result<&VariantGen, GenError> {
        self.variants
            .get(event)
            .and_then(|variants| variants.get(variant))
            .ok_or(GenError::NoSuchVariant { event, variant })
    }

    fn variants_of(&self, event: Option<usize>) -> Result<Vec<&VariantGen>, GenError> {
        match event {
            Some(event) => Ok(self
                .variants
                .get(event)
                .ok_or(GenError::NoSuchVariant { event, variant: 0 })?
                .iter()
                .collect()),
            None => Ok(self.variants.iter().flatten().collect()),
        }
    }
}

fn compile_variant(
    spec: &Spec,
    plan: &Plan,
    event_index: usize,
    variant_index: usize,
) -> Result<VariantGen, GenError> {
    let event = &spec.events[event_index];
    let variant = &event.variants[variant_index];
    let variant_plan = &plan.events[event_index].variants[variant_index];
    let event_key = &spec.wire.event_key;

    let mut fields = Vec::with_capacity(variant.fields.len() + 1);
    // The event key's value is the event id, whatever its glossary type.
    fields.push(FieldGen {
        name: event_key.clone(),
        required: true,
        values: Just(event.id.clone()).boxed(),
    });
    for (field, field_plan) in variant.fields.iter().zip(&variant_plan.fields) {
        if &field.name == event_key {
            continue;
        }
        fields.push(FieldGen {
            name: field.name.clone(),
            required: field_plan.required,
            values: field_values(spec, field, field_plan.check.clone())?,
        });
    }
    let key_position = variant
        .fields
        .iter()
        .position(|field| &field.name == event_key)
        .unwrap_or(0);
    if !spec.wire.event_key_first {
        // Without `event_key_first` the key stays where the document lists it.
        fields[..=key_position].rotate_left(1);
    }

    Ok(VariantGen {
        event: event_index,
        variant: variant_index,
        fields,
        any_order: !variant.ordered,
        extra: variant
            .additional_fields
            .then(|| undocumented_name(spec, event)),
        severity: variant_plan.severity,
        facility: spec.severity.facility.map(|facility| facility.code()),
        tags: tags_of(spec, &variant.emitters),
        first: spec.wire.event_key_first.then(|| event_key.clone()),
    })
}

/// Values of `field` as the variant narrows its glossary type.
fn field_values(
    spec: &Spec,
    field: &FieldUse,
    check: logspec_checker::value::ValueCheck,
) -> Result<BoxedStrategy<String>, GenError> {
    match spec.fields.get(&field.name) {
        Some(definition) => value::field_values(&definition.value, Some(field), check),
        // The loader rejects fields missing from the glossary; should one
        // slip through, the checker reads it as plain text.
        None => value::text(None, None).map(|text| {
            text.prop_filter("the field's check rejects the value", move |value| {
                check.check(value).is_ok()
            })
            .boxed()
        }),
    }
    .map_err(|reason| GenError::Field {
        field: field.name.clone(),
        reason,
    })
}

/// Tags of the named emitters (all emitters when none is named), in spec
/// order; the producer's name when the spec gives no tag at all.
fn tags_of(spec: &Spec, emitters: &[String]) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for emitter in &spec.emitters {
        if emitters.is_empty() || emitters.contains(&emitter.name) {
            for tag in &emitter.tags {
                if !tags.contains(&tag.tag) {
                    tags.push(tag.tag.clone());
                }
            }
        }
    }
    if tags.is_empty() {
        tags.push(spec.producer.name.clone());
    }
    tags
}

/// A field name that neither the glossary nor any variant of `event` uses.
pub(crate) fn undocumented_name(spec: &Spec, event: &Event) -> String {
    let taken = |name: &str| {
        spec.fields.contains_key(name)
            || name == spec.wire.event_key
            || event.variants.iter().any(|variant| {
                variant.fields.iter().any(|field| field.name == name)
                    || variant.forbidden.iter().any(|forbidden| forbidden == name)
            })
    };
    let mut name = "UNDOCUMENTED".to_owned();
    let mut suffix = 0;
    while taken(&name) {
        suffix += 1;
        name = format!("UNDOCUMENTED_{suffix}");
    }
    name
}
