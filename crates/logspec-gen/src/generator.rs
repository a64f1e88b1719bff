//! [`Generator`]: a spec compiled once into value and record strategies,
//! the entry point to everything this crate generates.

use crate::mutate::{self, Mutated};
use crate::record::{FieldGen, Record, VariantGen};
use crate::scenario::{self, Scenario, ScenarioOptions};
use crate::stream::{self, SampledLines, Stream, StreamOptions};
use crate::{framing, pattern, value, Framing, GenError};
use logspec_checker::value::ValueCheck;
use logspec_checker::Plan;
use logspec_reader::{Format, JsonKind};
use logspec_spec::{Envelope, Event, FieldUse, MessageMatch, Spec};
use proptest::prelude::*;
use proptest::strategy::{NewTree, Union, ValueTree};
use proptest::test_runner::TestRunner;
use std::rc::Rc;

/// The walks [`Generator::sample_scenario`] tries before it gives up.
pub const SCENARIO_WALKS: u64 = 64;
/// The walks it tries for a scenario aimed at one rule
/// ([`BreakTarget`](crate::BreakTarget)): a rule few records play is
/// broken in fewer walks than any rule is.
pub const AIMED_WALKS: u64 = 4 * SCENARIO_WALKS;

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
    /// `[event][variant]`: one generator per format of the event's kind.
    pub variants: Vec<Vec<Vec<VariantGen>>>,
}

impl Generator {
    /// Compiles `spec`. Fails when some field has no value to generate in
    /// some format (an enum without values, an unsatisfiable pattern or
    /// length, a JSON type no value can be written as).
    pub fn new(spec: &Spec) -> Result<Generator, GenError> {
        if spec.events.is_empty() {
            return Err(GenError::NoEvents);
        }
        let plan = Plan::new(spec)?;
        let variants = spec
            .events
            .iter()
            .enumerate()
            .map(|(event_index, event)| {
                let formats = &plan.kinds[plan.events[event_index].kind].formats;
                (0..event.variants.len())
                    .map(|variant_index| {
                        formats
                            .iter()
                            .map(|&format| {
                                compile_variant(spec, &plan, event_index, variant_index, format)
                            })
                            .collect::<Result<Vec<_>, _>>()
                    })
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

    /// What the generator compiled, for the unit tests of its parts.
    #[cfg(test)]
    pub(crate) fn into_compiled(self) -> Compiled {
        Rc::try_unwrap(self.compiled).unwrap_or_else(|_| panic!("a generator not shared"))
    }

    /// The checker's plan of the spec.
    pub fn plan(&self) -> &Plan {
        &self.compiled.plan
    }

    /// Every (event, variant) index pair, in spec order.
    pub fn variants(&self) -> Vec<(usize, usize)> {
        self.compiled
            .spec
            .variants()
            .map(|(event, variant, _, _)| (event, variant))
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

    /// The record kind (index into [`Plan::kinds`]) a stream of `format`
    /// holds: `event`'s, which must declare the format, or the first kind
    /// that declares it.
    pub fn kind_of(&self, event: Option<usize>, format: Format) -> Result<usize, GenError> {
        let plan = &self.compiled.plan;
        let kind = match event {
            Some(event) => plan
                .events
                .get(event)
                .map(|event| event.kind)
                .ok_or(GenError::NoSuchVariant { event, variant: 0 })?,
            None => plan
                .kinds
                .iter()
                .position(|kind| kind.formats.contains(&format))
                .unwrap_or(0),
        };
        if plan.kinds[kind].formats.contains(&format) {
            Ok(kind)
        } else {
            Err(GenError::FormatNotDeclared {
                kind: plan.kinds[kind].name.clone(),
                format,
            })
        }
    }

    /// Records of variant `variant` of event `event`, as written in
    /// `format` (one its record kind declares), that conform: every
    /// required field, some optional ones, values of each field's type
    /// (and JSON type), the documented severity and one of the variant's
    /// emitters' tags.
    pub fn record(
        &self,
        event: usize,
        variant: usize,
        format: Format,
    ) -> Result<BoxedStrategy<Record>, GenError> {
        self.compiled
            .variant(event, variant, format)
            .map(VariantGen::records)
    }

    /// Conforming records in `format` of any variant of `event`, or of any
    /// event of the first record kind that declares `format`.
    pub fn any_record(
        &self,
        event: Option<usize>,
        format: Format,
    ) -> Result<BoxedStrategy<Record>, GenError> {
        let kind = self.kind_of(event, format)?;
        let variants = self.compiled.variants_of(kind, event, format);
        if variants.is_empty() {
            return Err(GenError::KindWithoutEvents {
                kind: self.compiled.plan.kinds[kind].name.clone(),
                format,
            });
        }
        let records: Rc<[BoxedStrategy<Record>]> =
            variants.iter().map(|variant| variant.records()).collect();
        Ok(OneOf(records).boxed())
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
    /// let plan = logspec_checker::Plan::new(&spec).unwrap();
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
        let records = self.record(event, variant, framing.format())?;
        Ok(mutate::mutated(Rc::clone(&self.compiled), records, framing))
    }

    /// [`mutated`](Self::mutated) records of any variant of `event`, or of
    /// any event of the record kind [`any_record`](Self::any_record) picks.
    pub fn any_mutated(
        &self,
        event: Option<usize>,
        framing: Framing,
    ) -> Result<BoxedStrategy<Mutated>, GenError> {
        let records = self.any_record(event, framing.format())?;
        Ok(mutate::mutated(Rc::clone(&self.compiled), records, framing))
    }

    /// Every mutation of `record` (a conforming record of this spec in
    /// `framing`'s format, as [`record`](Self::record) makes them) whose
    /// finding, read in `framing`, can be predicted exactly; none when its
    /// indices name no variant.
    pub fn mutations(&self, record: &Record, framing: Framing) -> Vec<Mutated> {
        mutate::candidates(&self.compiled, record, framing)
            .into_iter()
            .flatten()
            .collect()
    }

    /// Streams of records across the spec's events; see [`StreamOptions`].
    pub fn stream(&self, options: &StreamOptions) -> Result<BoxedStrategy<Stream>, GenError> {
        Ok(stream::streams(
            self.steps(options)?,
            self.place(options)?,
            options,
        ))
    }

    /// A stream as [`stream`](Self::stream) makes them, drawn line by line
    /// from `seed` (a number of lines from `options.lines`, then each line):
    /// the same seed and options give the same lines.
    pub fn sample_stream(
        &self,
        options: &StreamOptions,
        seed: u64,
    ) -> Result<SampledLines, GenError> {
        SampledLines::new(self.steps(options)?, self.place(options)?, options, seed)
    }

    /// Inputs whose records keep every stream rule of the spec, or break
    /// one in one place; see [`scenario`](crate::scenario).
    pub fn scenario(&self, options: &ScenarioOptions) -> Result<BoxedStrategy<Scenario>, GenError> {
        self.kind_of(None, options.framing.format())?;
        self.knows_target(options)?;
        Ok(scenario::scenarios(
            Rc::clone(&self.compiled),
            options.clone(),
        ))
    }

    /// A scenario as [`scenario`](Self::scenario) makes them, from `seed`:
    /// the same seed and options give the same scenario. A seed whose walk
    /// gives none (no record kept, a key it could not close or, broken, no
    /// mutation whose finding is predictable) is passed over for the next
    /// of a sequence drawn from it, at most [`SCENARIO_WALKS`] in all
    /// ([`AIMED_WALKS`] for one aimed at a rule).
    pub fn sample_scenario(
        &self,
        options: &ScenarioOptions,
        seed: u64,
    ) -> Result<Scenario, GenError> {
        self.kind_of(None, options.framing.format())?;
        self.knows_target(options)?;
        let walks = match options.target.rule {
            Some(_) if options.broken => AIMED_WALKS,
            _ => SCENARIO_WALKS,
        };
        (0..walks)
            .filter_map(|walk| {
                // Seeds far apart, the first the one given.
                let seed = seed.wrapping_add(walk.wrapping_mul(0x9E37_79B9_7F4A_7C15));
                scenario::build(&self.compiled, options, seed)
            })
            .find(|scenario| {
                !scenario.inputs.is_empty() && (!options.broken || scenario.expected.is_some())
            })
            .ok_or(GenError::NoScenario {
                framing: options.framing.to_string(),
                walks,
            })
    }

    /// A rule `options` aim at is one of the spec's.
    fn knows_target(&self, options: &ScenarioOptions) -> Result<(), GenError> {
        match &options.target.rule {
            Some(id) if !self.compiled.plan.rules.iter().any(|rule| rule.id == *id) => {
                Err(GenError::UnknownRule { rule: id.clone() })
            }
            _ => Ok(()),
        }
    }

    fn steps(&self, options: &StreamOptions) -> Result<BoxedStrategy<stream::Step>, GenError> {
        let valid = self.any_record(options.event, options.framing.format())?;
        let mutated = self.any_mutated(options.event, options.framing)?;
        Ok(stream::steps(valid, mutated, options.broken))
    }

    /// How records of a stream in `options` are stitched into one stream.
    fn place(&self, options: &StreamOptions) -> Result<stream::Clock, GenError> {
        if stream::one_record(options.framing) && *options.lines.end() > 1 {
            return Err(GenError::OneRecordPerInput(options.framing.format()));
        }
        let format = options.framing.format();
        let kind = self.kind_of(options.event, format)?;
        let source = self
            .compiled
            .spec
            .kinds()
            .nth(kind)
            .and_then(|kind| kind.timestamp.as_ref());
        Ok(stream::Clock::new(
            Rc::clone(&self.compiled),
            source,
            format,
        ))
    }
}

impl std::fmt::Debug for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Compiled")
            .field("producer", &self.spec.producer.name)
            .finish_non_exhaustive()
    }
}

impl Compiled {
    pub fn variant(
        &self,
        event: usize,
        variant: usize,
        format: Format,
    ) -> Result<&VariantGen, GenError> {
        let formats = self
            .variants
            .get(event)
            .and_then(|variants| variants.get(variant))
            .ok_or(GenError::NoSuchVariant { event, variant })?;
        formats
            .iter()
            .find(|generator| generator.format == format)
            .ok_or_else(|| GenError::FormatNotDeclared {
                kind: self.plan.kinds[self.plan.events[event].kind].name.clone(),
                format,
            })
    }

    /// Generators in `format` of `event`'s variants, or of every variant
    /// of record kind `kind`.
    fn variants_of(&self, kind: usize, event: Option<usize>, format: Format) -> Vec<&VariantGen> {
        self.variants
            .iter()
            .enumerate()
            .filter(|(index, _)| match event {
                Some(event) => *index == event,
                None => self.plan.events[*index].kind == kind,
            })
            .flat_map(|(_, variants)| variants.iter().flatten())
            .filter(|generator| generator.format == format)
            .collect()
    }
}

fn compile_variant(
    spec: &Spec,
    plan: &Plan,
    event_index: usize,
    variant_index: usize,
    format: Format,
) -> Result<VariantGen, GenError> {
    let event = &spec.events[event_index];
    let variant = &event.variants[variant_index];
    let variant_plan = &plan.events[event_index].variants[variant_index];
    let kind_index = plan.events[event_index].kind;
    // The plan's kinds are the spec's, in the same order.
    let (kind, kind_plan) =
        spec.kinds()
            .zip(&plan.kinds)
            .nth(kind_index)
            .ok_or(GenError::NoSuchVariant {
                event: event_index,
                variant: variant_index,
            })?;
    let event_key = &kind.event_key;
    let level_field = kind.level.as_ref().map(|level| level.field.as_str());

    let mut fields = Vec::with_capacity(variant.fields.len() + 1);
    // The event key's value is the event id, whatever its glossary type; a
    // title (RCE readable) stands in for it.
    let keyed = !event_key.is_empty() && !event.by_message && framing::writes_event_key(format);
    if keyed {
        fields.push(FieldGen {
            name: event_key.clone(),
            written: written_name(spec, event, event_key, format),
            required: true,
            values: Just((event.id.clone(), JsonKind::String)).boxed(),
        });
    }
    for (field, field_plan) in variant.fields.iter().zip(&variant_plan.fields) {
        if &field.name == event_key {
            continue;
        }
        let check = field_plan.check_in(format).clone();
        let levels = (level_field == Some(field.name.as_str())).then_some(&variant_plan.levels);
        let values = if free_time(spec, kind, &field.name, format) {
            iso_times()
        } else {
            field_values(spec, field, check, format, levels)?
        };
        fields.push(FieldGen {
            name: field.name.clone(),
            written: written_name(spec, event, &field.name, format),
            required: field_plan.required,
            values,
        });
    }
    kind_held_fields(
        spec,
        event,
        variant,
        variant_plan,
        (kind, kind_plan),
        format,
        &mut fields,
    )?;
    if keyed && !kind.event_key_first {
        // Without `event_key_first` the key stays where the document lists it.
        // The loader refuses a keyed variant that does not list its key.
        let key_position = variant
            .fields
            .iter()
            .position(|field| &field.name == event_key)
            .ok_or_else(|| GenError::Field {
                field: event_key.clone(),
                reason: "the event key is not one of the variant's fields".to_owned(),
            })?;
        let last = fields.len() - 1;
        fields[..=key_position.min(last)].rotate_left(1);
    }

    Ok(VariantGen {
        event: event_index,
        variant: variant_index,
        format,
        fields,
        any_order: !variant.ordered,
        extra: variant
            .additional_fields
            .then(|| undocumented_name(spec, event)),
        title: framing::names_event(format)
            .then(|| named_in(&event.names, format).unwrap_or_else(|| event.id.clone())),
        severity: variant_plan.severity,
        facility: spec.severity.facility.map(|facility| facility.code()),
        tags: tags_of(spec, &variant.emitters),
        first: (keyed && kind.event_key_first).then(|| event_key.clone()),
    })
}

/// The fields the record kind keeps itself when the variant does not list
/// them: the level (one of the variant's) and the time (the stream's clock
/// stamps it) where the variant tolerates unlisted fields, the message
/// (one the variant is logged with) and the audit mark (on audit entries).
fn kind_held_fields(
    spec: &Spec,
    event: &Event,
    variant: &logspec_spec::Variant,
    variant_plan: &logspec_checker::plan::VariantPlan,
    (kind, kind_plan): (&logspec_spec::Wire, &logspec_checker::kind::KindPlan),
    format: Format,
    fields: &mut Vec<FieldGen>,
) -> Result<(), GenError> {
    let mut add = |name: &str, values: BoxedStrategy<(String, JsonKind)>| {
        if !fields.iter().any(|field| field.name == name) {
            fields.push(FieldGen {
                name: name.to_owned(),
                written: written_name(spec, event, name, format),
                required: true,
                values,
            });
        }
    };
    let fail = |name: &str, reason: String| GenError::Field {
        field: name.to_owned(),
        reason,
    };
    // A variant that lists neither level nor time and tolerates no other
    // field is one the document writes without them.
    let level = kind.level.as_ref().filter(|_| variant.additional_fields);
    let timestamp = kind
        .timestamp
        .as_ref()
        .filter(|_| variant.additional_fields);
    if let Some(level) = level {
        let levels = variant_plan.levels.clone();
        add(
            &level.field,
            proptest::sample::select(levels)
                .prop_map(|level| (level, JsonKind::String))
                .boxed(),
        );
    }
    if let Some(source) = timestamp {
        let field = FieldUse::named(&source.field);
        // The type the field has in this format (OTLP's nanosecond count).
        // The plan holds the glossary's check of the kind's time field.
        let check = kind_plan
            .carried
            .iter()
            .find(|carried| carried.name == source.field)
            .map(|carried| carried.check_in(format).clone())
            .ok_or_else(|| fail(&source.field, "not in the glossary".to_owned()))?;
        let values = if free_time(spec, kind, &source.field, format) {
            iso_times()
        } else {
            field_values(spec, &field, check, format, None)?
        };
        add(&source.field, values);
    }
    if let Some(source) = kind
        .message
        .as_ref()
        .filter(|_| !variant.messages.is_empty())
    {
        let mut options = Vec::with_capacity(variant.messages.len());
        for message in &variant.messages {
            options.push(match message {
                MessageMatch::Literal(text) => Just(text.clone()).boxed(),
                MessageMatch::Pattern(pattern) => pattern::strategy(pattern.source())
                    .map_err(|reason| fail(&source.field, reason))?,
                MessageMatch::Any => value::free_text(1..=40),
            });
        }
        let messages = variant.messages.clone();
        add(
            &source.field,
            Union::new(options)
                .prop_filter("the variant's messages reject it", move |text| {
                    messages.iter().any(|message| message.is_match(text))
                })
                .prop_map(|text| (text, JsonKind::String))
                .boxed(),
        );
    }
    if let (Some(source), Some(true)) = (&kind.audit, variant.audit) {
        let json = if framing::is_json(format) {
            JsonKind::Boolean
        } else {
            JsonKind::String
        };
        add(&source.field, Just(("true".to_owned(), json)).boxed());
    }
    Ok(())
}

/// Whether `name` is the kind's time field and the glossary leaves it free
/// text in `format` (the document shows its form only by example): it
/// still holds a time, which ISO 8601 spells in every reading.
fn free_time(spec: &Spec, kind: &logspec_spec::Wire, name: &str, format: Format) -> bool {
    let is_time = kind
        .timestamp
        .as_ref()
        .is_some_and(|source| source.field == name);
    is_time
        && spec.fields.get(name).is_some_and(|definition| {
            let value = definition
                .types
                .iter()
                .find(|(envelope, _)| **envelope == format)
                .map_or(&definition.value, |(_, value)| value);
            value.kind == logspec_spec::ValueKind::String
                && value.values.is_none()
                && value.pattern.is_none()
        })
}

/// ISO 8601 times, as JSON strings.
fn iso_times() -> BoxedStrategy<(String, JsonKind)> {
    value::timestamp()
        .prop_map(|time| (time, JsonKind::String))
        .boxed()
}

/// The name `format` writes field `name` of `event` under, when the spec
/// gives it another: the event's own name for it first, then the
/// glossary's (the order the checker reads them back in).
pub(crate) fn written_name(
    spec: &Spec,
    event: &Event,
    name: &str,
    format: Format,
) -> Option<String> {
    event
        .variants
        .iter()
        .flat_map(|variant| &variant.fields)
        .filter(|field| field.name == name)
        .find_map(|field| named_in(&field.names, format))
        .or_else(|| {
            spec.fields
                .get(name)
                .and_then(|definition| named_in(&definition.names, format))
        })
}

/// The name a per-format `names` map gives in `format`.
fn named_in<'a>(
    names: impl IntoIterator<Item = (&'a Envelope, &'a String)>,
    format: Format,
) -> Option<String> {
    names
        .into_iter()
        .find(|(envelope, _)| **envelope == format)
        .map(|(_, name)| name.clone())
}

/// Values of `field` in `format` as the variant narrows its glossary type
/// (to `levels` for the kind's level field), with their JSON types.
fn field_values(
    spec: &Spec,
    field: &FieldUse,
    check: ValueCheck,
    format: Format,
    levels: Option<&Vec<String>>,
) -> Result<BoxedStrategy<(String, JsonKind)>, GenError> {
    let fail = |reason: String| GenError::Field {
        field: field.name.clone(),
        reason,
    };
    let Some(definition) = spec.fields.get(&field.name) else {
        // The loader rejects fields missing from the glossary; should one
        // slip through, the checker reads it as plain text.
        let filter = check.clone();
        let text = value::text(None, None)
            .map_err(fail)?
            .prop_filter("the field's check rejects the value", move |value| {
                filter.check(value).is_ok()
            });
        return value::typed(text.boxed(), None, field.nullable, format, &check).map_err(fail);
    };
    let glossary = definition
        .types
        .iter()
        .find(|(envelope, _)| **envelope == format)
        .map_or(&definition.value, |(_, value)| value);
    let values = match levels {
        Some(levels) => value::field_values(
            glossary,
            Some(&FieldUse {
                values: Some(levels.clone()),
                ..field.clone()
            }),
            check.clone(),
        ),
        None => value::field_values(glossary, Some(field), check.clone()),
    }
    .map_err(fail)?;
    value::typed(
        values,
        glossary.json.as_deref(),
        field.nullable || glossary.nullable,
        format,
        &check,
    )
    .map_err(fail)
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

/// One of several record strategies, chosen uniformly, and only the chosen
/// one drawn. Proptest's `Union` prepares a lazy tree for every option at
/// each draw (so that shrinking can move between options), forking the
/// runner's random generator once per option: among Hexon's 2,033
/// variants that forking was most of `gen`'s time. Records are not shrunk
/// across variants, only within the chosen one.
#[derive(Debug, Clone)]
struct OneOf(Rc<[BoxedStrategy<Record>]>);

impl Strategy for OneOf {
    type Tree = Box<dyn ValueTree<Value = Record>>;
    type Value = Record;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        let index = (0..self.0.len()).new_tree(runner)?.current();
        match self.0.get(index) {
            Some(chosen) => chosen.new_tree(runner),
            None => Err("no record strategy to choose from".into()),
        }
    }
}

#[cfg(test)]
mod one_of_tests {
    use super::*;
    use crate::Sampler;
    use std::collections::HashSet;

    /// Each draw picks its own variant: a draw that always took the same
    /// one (or only the first few) would still make conforming records.
    #[test]
    fn records_of_any_variant_come_from_many_variants() {
        let Some(builtin) = logspec_spec::builtin("ctrl-exec") else {
            panic!("ctrl-exec is built in")
        };
        let spec = builtin
            .load()
            .unwrap_or_else(|error| panic!("{error}"))
            .spec;
        let generator = Generator::new(&spec).unwrap_or_else(|error| panic!("{error}"));
        let strategy = generator
            .any_record(None, Format::Rfc3164)
            .unwrap_or_else(|error| panic!("{error}"));
        let variants = generator.compiled.variants_of(
            generator
                .kind_of(None, Format::Rfc3164)
                .unwrap_or_else(|error| panic!("{error}")),
            None,
            Format::Rfc3164,
        );
        let mut sampler = Sampler::new(7);
        let drawn: HashSet<(usize, usize)> = (0..2000)
            .map(|_| {
                let record = sampler
                    .sample(&strategy)
                    .unwrap_or_else(|error| panic!("{error}"));
                (record.event, record.variant)
            })
            .collect();
        // 2,000 uniform draws among the kind's variants miss hardly any.
        assert!(
            drawn.len() * 10 >= variants.len() * 9,
            "{} of {} variants drawn",
            drawn.len(),
            variants.len()
        );
    }
}
