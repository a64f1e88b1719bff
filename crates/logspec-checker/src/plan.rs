//! A spec compiled for checking: lookups by event id, value checks built
//! once, emitter tags resolved, so the per-line path does no setup work.

use crate::error::{PlanError, Unresolved};
use crate::kind::KindPlan;
use crate::messages::MessageIndex;
use crate::record::EventSlots;
use crate::rules::RulePlan;
use crate::value::ValueCheck;
use foldhash::fast::RandomState;
use logspec_reader::Format;
use logspec_spec::{Event, LoadError, LoadedSpec, MessageMatch, Spec, Variant};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// Everything the checker needs from a spec, prepared once.
#[derive(Debug)]
pub struct Plan {
    pub producer: String,
    /// The first record kind's event key (empty when it has none).
    pub event_key: String,
    pub event_key_first: bool,
    /// Syslog facility number the spec requires, if any.
    pub facility: Option<(u8, &'static str)>,
    /// Formats the spec declares, every kind's, in its order.
    pub formats: Vec<Format>,
    /// Record kinds, `wire` first.
    pub kinds: Vec<KindPlan>,
    /// Whether any emitter names a syslog tag (else emitters go unchecked
    /// without being counted as such).
    pub tagged: bool,
    /// Every syslog tag an emitter uses: a line of a shared log under any
    /// other tag is another program's.
    pub emitter_tags: BTreeSet<String>,
    /// The spec's level words.
    pub level_names: Vec<String>,
    pub events: Vec<EventPlan>,
    pub rules: Vec<RulePlan>,
    /// Fields any rule reads (keys, agreement), kept from each record.
    pub rule_fields: Vec<Arc<str>>,
    /// Each of `rule_fields` → its index: a record's fields are looked up
    /// here once each, where each rule field searched them all.
    rule_field_index: HashMap<Arc<str>, usize, RandomState>,
    /// Per (event, variant): the rules its records play a part in, reset,
    /// or witness a scope for, in plan order. The engine looks a record up
    /// here once instead of every rule looking up its roles; built with
    /// the plan, not with each engine (a fuzz input starts one or two).
    rules_of_variant: HashMap<(usize, usize), Vec<usize>, RandomState>,
    /// Section paths in document order (catalogue specs); empty otherwise.
    pub sections: Vec<String>,
    /// Lines written outside the structured stream.
    pub console: Vec<ConsoleLinePlan>,
    by_id: HashMap<Arc<str>, usize>,
    glossary: Glossary,
}

/// Each section's name → its index in [`Plan::sections`] (the first, if a
/// name repeats), while the plan is built.
type SectionIndex<'s> = HashMap<&'s str, usize, RandomState>;

/// A console line the document lists, and its section.
#[derive(Debug)]
pub struct ConsoleLinePlan {
    /// Its section (index into [`Plan::sections`]).
    pub section: usize,
    pub stream: Option<String>,
    pub message: MessageMatch,
}

#[derive(Debug)]
pub struct EventPlan {
    pub id: Arc<str>,
    /// Its record kind (index into [`Plan::kinds`]).
    pub kind: usize,
    pub variants: Vec<VariantPlan>,
    /// Recognised by message, for records without an event key.
    pub by_message: bool,
    /// Whether any variant lists its messages (so a record's message is
    /// checked).
    pub has_messages: bool,
    /// Which variants a message fits, looked up at once.
    pub(crate) messages: MessageIndex,
    /// (format, name as written) → field name, where a variant of the
    /// event names a field differently from the glossary.
    names: WrittenNames,
    /// The names its checks look up, numbered (set once the kinds are
    /// compiled, see [`Plan::new`]).
    pub slots: EventSlots,
}

impl EventPlan {
    /// The field name a field written `written` in `format` has in this event.
    pub fn field_name(&self, format: Format, written: &str) -> Option<&str> {
        self.names.get(format, written)
    }
}

/// The spec's names of fields a format writes under other names. Looked up
/// for every field of every record, so by `&str` per format, without
/// building a key; a spec that renames nothing keeps it empty.
#[derive(Debug, Default)]
pub(crate) struct WrittenNames(Vec<(Format, HashMap<String, String, RandomState>)>);

impl WrittenNames {
    pub(crate) fn insert(&mut self, format: Format, written: String, name: String) {
        let at = match self.0.iter().position(|(known, _)| *known == format) {
            Some(at) => at,
            None => {
                self.0.push((format, HashMap::default()));
                self.0.len() - 1
            }
        };
        self.0[at].1.insert(written, name);
    }

    pub(crate) fn get(&self, format: Format, written: &str) -> Option<&str> {
        let (_, names) = self.0.iter().find(|(known, _)| *known == format)?;
        names.get(written).map(String::as_str)
    }
}

impl FromIterator<((Format, String), String)> for WrittenNames {
    fn from_iter<I: IntoIterator<Item = ((Format, String), String)>>(pairs: I) -> Self {
        let mut names = WrittenNames::default();
        for ((format, written), name) in pairs {
            names.insert(format, written, name);
        }
        names
    }
}

#[derive(Debug)]
pub struct VariantPlan {
    pub name: Arc<str>,
    /// How people call it: the document's label, or `event (variant)`.
    pub label: String,
    pub severity_name: String,
    pub severity: u8,
    /// Level words the variant may be logged at: its severity and
    /// `severities`.
    pub levels: Vec<String>,
    /// Syslog tags its emitters use; empty when any tag is acceptable.
    /// Looked up for every record (foldhash, not SipHash).
    pub tags: HashSet<String, RandomState>,
    pub fields: Vec<FieldPlan>,
    pub ordered: bool,
    pub forbidden: Vec<String>,
    pub additional_fields: bool,
    /// Unlisted fields accepted by name pattern, and their value check.
    pub extra_fields: Option<(logspec_spec::Pattern, ValueCheck)>,
    /// The messages it is logged with; empty when not documented.
    pub messages: Vec<MessageMatch>,
    /// Whether it is an audit record, where the document says.
    pub audit: Option<bool>,
    /// The document section it is listed in (index into
    /// [`Plan::sections`]), resolved once so that a coverage report, built
    /// for every fuzz input, tallies without looking names up.
    pub section: Option<usize>,
}

impl VariantPlan {
    /// Whether `message` is one the variant is logged with (any message
    /// when it lists none).
    pub fn logs_message(&self, message: &str) -> bool {
        self.message_fit(message) != MessageFit::None
    }

    /// How the variant admits `message`: by a literal or pattern it lists,
    /// or only as a catch-all (it lists no message, or a described one).
    pub fn message_fit(&self, message: &str) -> MessageFit {
        let quoted = (self.messages.iter())
            .any(|known| !matches!(known, MessageMatch::Any) && known.is_match(message));
        if quoted {
            MessageFit::Specific
        } else {
            self.unquoted_fit()
        }
    }

    /// How the variant admits a message none of its literals or patterns
    /// match: as a catch-all if it lists no message or a described one.
    pub fn unquoted_fit(&self) -> MessageFit {
        let catch_all = self.messages.is_empty()
            || (self.messages.iter()).any(|known| matches!(known, MessageMatch::Any));
        if catch_all {
            MessageFit::CatchAll
        } else {
            MessageFit::None
        }
    }
}

/// How a variant admits a message. A catch-all takes only the messages no
/// variant of the event lists: a record whose message a variant quotes is
/// judged against that variant's level and audit mark, never waved through
/// by a described entry at another level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageFit {
    None,
    CatchAll,
    Specific,
}

#[derive(Debug, Clone)]
pub struct FieldPlan {
    pub name: String,
    pub required: bool,
    pub check: ValueCheck,
    /// The check in formats the glossary gives another type.
    pub by_format: Vec<(Format, ValueCheck)>,
    /// The glossary's stricter reading, if it gives one.
    pub expected: Option<Arc<StricterCheck>>,
}

/// A stricter reading compiled: values its check refuses are warnings.
#[derive(Debug)]
pub struct StricterCheck {
    pub check: ValueCheck,
    pub reason: String,
}

impl FieldPlan {
    /// The check for a value written in `format`.
    pub fn check_in(&self, format: Format) -> &ValueCheck {
        self.by_format
            .iter()
            .find(|(written_in, _)| *written_in == format)
            .map_or(&self.check, |(_, check)| check)
    }

    /// The stricter reading for a value written in `format`: it reads the
    /// field's own type, so formats that write the field otherwise have none.
    pub fn expected_in(&self, format: Format) -> Option<&StricterCheck> {
        let own_type = !self
            .by_format
            .iter()
            .any(|(written_in, _)| *written_in == format);
        self.expected.as_deref().filter(|_| own_type)
    }
}

/// The glossary compiled: each field's check, and its checks in formats
/// that give it another type.
pub(crate) type Glossary = HashMap<String, FieldPlan>;

fn compile_glossary(spec: &Spec) -> Result<Glossary, PlanError> {
    spec.fields
        .iter()
        .map(|(name, definition)| {
            let check = ValueCheck::compile(&definition.value)
                .map_err(|problem| PlanError::at(&["fields", name], problem))?;
            let by_format = definition
                .types
                .iter()
                .map(|(envelope, value)| {
                    ValueCheck::compile(value)
                        .map(|check| (*envelope, check))
                        .map_err(|problem| {
                            PlanError::at(&["fields", name, "types", envelope.name()], problem)
                        })
                })
                .collect::<Result<_, _>>()?;
            let expected = match &definition.expected {
                None => None,
                Some(reading) => Some(Arc::new(StricterCheck {
                    check: ValueCheck::compile(&reading.value)
                        .map_err(|problem| PlanError::at(&["fields", name, "expected"], problem))?,
                    reason: reading.reason.clone(),
                })),
            };
            let field = FieldPlan {
                name: name.clone(),
                required: false,
                check,
                by_format,
                expected,
            };
            Ok((name.clone(), field))
        })
        .collect()
}

/// The glossary's check of field `name`, written at `pointer`: a field the
/// glossary lacks is an error, never a check that accepts any text.
pub(crate) fn glossary_field<'g, S: AsRef<str>>(
    glossary: &'g Glossary,
    name: &str,
    pointer: &[S],
) -> Result<&'g FieldPlan, PlanError> {
    glossary
        .get(name)
        .ok_or_else(|| PlanError::at(pointer, Unresolved::Field(name.to_owned())))
}

/// The record kind (index in [`Spec::kinds`] order) of every event.
fn event_kinds(spec: &Spec) -> Result<Vec<usize>, PlanError> {
    spec.events
        .iter()
        .enumerate()
        .map(|(index, event)| {
            let Some(name) = &event.record else {
                return Ok(0);
            };
            spec.kind_index(name).ok_or_else(|| {
                PlanError::at(
                    &["events", &index.to_string(), "record"],
                    Unresolved::RecordKind {
                        event: event.id.clone(),
                        kind: name.clone(),
                    },
                )
            })
        })
        .collect()
}

impl EventPlan {
    fn new(
        spec: &Spec,
        glossary: &Glossary,
        sections: &SectionIndex,
        index: usize,
        event: &Event,
        kind: usize,
    ) -> Result<EventPlan, PlanError> {
        let variants: Vec<VariantPlan> = event
            .variants
            .iter()
            .enumerate()
            .map(|(variant_index, variant)| {
                let at = [
                    "events",
                    &index.to_string(),
                    "variants",
                    &variant_index.to_string(),
                ]
                .map(|segment| segment.to_owned());
                VariantPlan::new(spec, glossary, sections, &at, event, variant)
            })
            .collect::<Result<_, _>>()?;
        Ok(EventPlan {
            id: Arc::from(event.id.as_str()),
            kind,
            by_message: event.by_message,
            has_messages: event
                .variants
                .iter()
                .any(|variant| !variant.messages.is_empty()),
            names: event
                .variants
                .iter()
                .flat_map(|variant| &variant.fields)
                .flat_map(|field| {
                    field.names.iter().map(|(envelope, written)| {
                        ((*envelope, written.clone()), field.name.clone())
                    })
                })
                .collect(),
            messages: MessageIndex::new(&variants),
            variants,
            slots: EventSlots::default(),
        })
    }
}

impl VariantPlan {
    /// Compiles `variant` of `event`, written at `at`.
    fn new(
        spec: &Spec,
        glossary: &Glossary,
        sections: &SectionIndex,
        at: &[String; 4],
        event: &Event,
        variant: &Variant,
    ) -> Result<VariantPlan, PlanError> {
        let below = |tail: &[&str]| -> Vec<String> {
            at.iter()
                .cloned()
                .chain(tail.iter().map(|segment| (*segment).to_owned()))
                .collect()
        };
        let severity = spec
            .severity
            .level(&variant.severity)
            .ok_or_else(|| {
                PlanError::at(
                    &below(&["severity"]),
                    Unresolved::Severity(variant.severity.clone()),
                )
            })?
            .syslog;
        let mut tags = HashSet::default();
        for (index, name) in variant.emitters.iter().enumerate() {
            let emitter = spec.emitter(name).ok_or_else(|| {
                PlanError::at(
                    &below(&["emitters", &index.to_string()]),
                    Unresolved::Emitter(name.clone()),
                )
            })?;
            tags.extend(emitter.tags.iter().map(|tag| tag.tag.clone()));
        }
        let fields = variant
            .fields
            .iter()
            .enumerate()
            .map(|(index, field)| {
                let glossary = glossary_field(
                    glossary,
                    &field.name,
                    &below(&["fields", &index.to_string()]),
                )?;
                let refine = |check: &ValueCheck| {
                    check
                        .clone()
                        .narrowed(field.values.as_deref(), field.pattern.as_ref())
                        .also_accepting(&field.also)
                        .excluding(&field.except)
                        .or_null(field.nullable)
                };
                Ok(FieldPlan {
                    name: field.name.clone(),
                    required: !field.optional,
                    check: refine(&glossary.check),
                    by_format: glossary
                        .by_format
                        .iter()
                        .map(|(format, check)| (*format, refine(check)))
                        .collect(),
                    expected: glossary.expected.clone(),
                })
            })
            .collect::<Result<_, PlanError>>()?;
        let extra_fields = match &variant.extra_fields {
            None => None,
            Some(extra) => Some((
                extra.pattern.clone(),
                // Unlisted fields with no stated type accept any value.
                match &extra.value {
                    None => ValueCheck::text(),
                    Some(value) => ValueCheck::compile(value).map_err(|problem| {
                        PlanError::at(&below(&["extra_fields", "value"]), problem)
                    })?,
                },
            )),
        };
        Ok(VariantPlan {
            name: Arc::from(variant.name.as_str()),
            label: variant.label.clone().unwrap_or_else(|| {
                if event.variants.len() == 1 {
                    event.id.clone()
                } else {
                    format!("{} ({})", event.id, variant.name)
                }
            }),
            severity_name: variant.severity.clone(),
            severity,
            levels: std::iter::once(&variant.severity)
                .chain(&variant.severities)
                .cloned()
                .collect(),
            tags,
            fields,
            ordered: variant.ordered,
            forbidden: variant.forbidden.clone(),
            additional_fields: variant.additional_fields,
            extra_fields,
            messages: variant.messages.clone(),
            audit: variant.audit,
            section: match &variant.section {
                Some(section) => sections.get(section.as_str()).copied(),
                None if spec.section_order.is_empty() => None,
                None => sections.get(event.section.as_str()).copied(),
            },
        })
    }
}

impl Plan {
    /// The index of `field` among [`Plan::rule_fields`], if a rule reads it.
    pub fn rule_field(&self, field: &str) -> Option<usize> {
        self.rule_field_index.get(field).copied()
    }

    /// The rules (indices, in plan order) records of `variant` concern.
    pub fn rules_of_variant(&self, variant: (usize, usize)) -> &[usize] {
        self.rules_of_variant
            .get(&variant)
            .map_or(&[], Vec::as_slice)
    }

    /// Compiles `spec` for checking. Every name it follows must resolve:
    /// the loader has refused specs where one does not, and a miss here
    /// is an error naming the spec node, never a default.
    pub fn new(spec: &Spec) -> Result<Plan, PlanError> {
        let glossary = compile_glossary(spec)?;
        let event_kinds = event_kinds(spec)?;
        // Sections in document order, then those only console lines name.
        let mut sections = spec.section_order.clone();
        let console_sections: Vec<usize> = (spec.console.iter())
            .map(
                |console| match sections.iter().position(|name| *name == console.section) {
                    Some(index) => index,
                    None => {
                        sections.push(console.section.clone());
                        sections.len() - 1
                    }
                },
            )
            .collect();
        let mut section_index = SectionIndex::default();
        for (index, name) in sections.iter().enumerate() {
            section_index.entry(name.as_str()).or_insert(index);
        }
        let mut events: Vec<EventPlan> = spec
            .events
            .iter()
            .enumerate()
            .map(|(index, event)| {
                let kind = event_kinds[index];
                EventPlan::new(spec, &glossary, &section_index, index, event, kind)
            })
            .collect::<Result<_, _>>()?;
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
            let agreed = rule
                .agree
                .iter()
                .chain(rule.agree_truncated.keys())
                .map(String::as_str);
            let read = rule.participants.iter().flat_map(|participant| {
                participant
                    .require
                    .iter()
                    .flat_map(|condition| condition.uses.iter())
                    .filter_map(|used| match &used.name {
                        Some(logspec_spec::condition::Name::Record(field))
                        | Some(logspec_spec::condition::Name::Earlier(_, Some(field))) => {
                            Some(field.as_str())
                        }
                        _ => None,
                    })
            });
            let fanned = rule.fan_out.iter().flat_map(|fan_out| {
                [&fan_out.list.field, &fan_out.member.field]
                    .into_iter()
                    .flatten()
                    .map(String::as_str)
            });
            // A join reads its `on` fields on both records.
            let joined = rule
                .participants
                .iter()
                .flat_map(|participant| participant.key.iter())
                .filter_map(|part| part.from.as_ref())
                .flat_map(|from| from.on.iter())
                .flat_map(|(earlier, here)| [earlier.as_str(), here.as_str()]);
            for field in key_fields
                .chain(agreed)
                .chain(read)
                .chain(fanned)
                .chain(joined)
            {
                if !rule_fields.iter().any(|known| &**known == field) {
                    rule_fields.push(Arc::from(field));
                }
            }
        }
        // Rules before kinds: a spec wrong in both is refused for its rule.
        let rules: Vec<RulePlan> = spec
            .rules
            .iter()
            .enumerate()
            .map(|(index, rule)| RulePlan::new(spec, &event_kinds, index, rule))
            .collect::<Result<_, _>>()?;
        let kinds: Vec<KindPlan> = spec
            .kinds()
            .enumerate()
            .map(|(index, wire)| KindPlan::new(spec, &glossary, &event_kinds, index, wire))
            .collect::<Result<_, _>>()?;
        for event in &mut events {
            event.slots = EventSlots::new(&kinds[event.kind], &event.variants);
        }
        Ok(Plan {
            rules_of_variant: rules_of_variant(&rules),
            rules,
            rule_field_index: rule_fields
                .iter()
                .enumerate()
                .map(|(index, name)| (Arc::clone(name), index))
                .collect(),
            rule_fields,
            producer: spec.producer.name.clone(),
            event_key: spec.wire.event_key.clone(),
            event_key_first: spec.wire.event_key_first,
            facility: spec
                .severity
                .facility
                .map(|facility| (facility.code(), facility.name())),
            formats: {
                let mut formats: Vec<Format> = Vec::new();
                for envelope in spec.kinds().flat_map(|kind| &kind.envelopes) {
                    let format = *envelope;
                    if !formats.contains(&format) {
                        formats.push(format);
                    }
                }
                formats
            },
            kinds,
            tagged: spec.emitters.iter().any(|emitter| !emitter.tags.is_empty()),
            emitter_tags: spec
                .emitters
                .iter()
                .flat_map(|emitter| emitter.tags.iter().map(|tag| tag.tag.clone()))
                .collect(),
            level_names: spec
                .severity
                .levels
                .iter()
                .map(|level| level.name.clone())
                .collect(),
            events,
            sections,
            console: (spec.console.iter().zip(console_sections))
                .flat_map(|(section, index)| {
                    section.lines.iter().map(move |line| ConsoleLinePlan {
                        section: index,
                        stream: section.stream.clone(),
                        message: line.message.clone(),
                    })
                })
                .collect(),
            by_id,
            glossary,
        })
    }

    /// Compiles a loaded spec; an error is a load error at the line and
    /// column of the name that does not resolve.
    pub fn load(loaded: &LoadedSpec) -> Result<Plan, LoadError> {
        Plan::new(&loaded.spec).map_err(|error| error.located(loaded))
    }

    /// Whether `word` is one of the spec's level words.
    pub fn level_known(&self, word: &str) -> bool {
        self.level_names.iter().any(|name| name == word)
    }

    /// The console line the document lists that `line` is, if any.
    /// A literal wins over a pattern, and a longer pattern over a shorter
    /// one, so that a catch-all (`[%s] %s`) takes only what nothing else
    /// describes.
    pub fn console_line(&self, line: &str) -> Option<usize> {
        let specificity = |message: &MessageMatch| match message {
            MessageMatch::Literal(_) => usize::MAX,
            MessageMatch::Pattern(pattern) => pattern.source().len(),
            MessageMatch::Any => 0,
        };
        self.console
            .iter()
            .enumerate()
            .filter(|(_, known)| known.message.is_match(line))
            .max_by_key(|(index, known)| (specificity(&known.message), std::cmp::Reverse(*index)))
            .map(|(index, _)| index)
    }

    /// The glossary's check of field `name` (and its per-format checks).
    pub fn field(&self, name: &str) -> Option<&FieldPlan> {
        self.glossary.get(name)
    }

    pub fn event_index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The name reports use for variant `variant` of event `event`: none
    /// for an event with a single form.
    pub fn variant_name(&self, event: usize, variant: usize) -> Option<&str> {
        self.shared_variant_name(event, variant).map(|name| &**name)
    }

    /// [`Plan::variant_name`], shared: for reports that keep it.
    pub fn shared_variant_name(&self, event: usize, variant: usize) -> Option<&Arc<str>> {
        let event = &self.events[event];
        (event.variants.len() > 1).then(|| &event.variants[variant].name)
    }
}

/// [`Plan::rules_of_variant`]'s table.
fn rules_of_variant(rules: &[RulePlan]) -> HashMap<(usize, usize), Vec<usize>, RandomState> {
    let mut relevant: HashMap<(usize, usize), Vec<usize>, RandomState> = HashMap::default();
    for (index, rule) in rules.iter().enumerate() {
        let variants = rule
            .roles
            .keys()
            .chain(&rule.resets)
            .chain(rule.scope_witnesses.iter().flatten());
        for &variant in variants {
            let rules = relevant.entry(variant).or_default();
            // Rules come in order, so a repeat is the last one pushed.
            if rules.last() != Some(&index) {
                rules.push(index);
            }
        }
    }
    relevant
}
