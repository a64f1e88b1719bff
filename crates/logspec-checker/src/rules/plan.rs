//! Rules compiled against a spec: participants resolved to event variants,
//! states and labels to indices, so the engine only indexes.

use super::condition::{ConditionPlan, Conversion};
use super::join::JoinPlan;
use super::state::{MAX_LABELS, MAX_STATES};
use foldhash::fast::RandomState;
use logspec_spec::condition::{duration_seconds, margin_seconds, Name, SOURCE_NAMES};
use logspec_spec::{
    EnvelopeValue, FieldPart, KeyPart, ParamType, Rule, Spec, UnfinishedCode, ValueKind,
    ViolationCode, DEFAULT_LIST_SEPARATOR, WILDCARD,
};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::error::{PlanError, Unresolved};
use crate::finding::Code;

#[derive(Debug)]
pub struct RulePlan {
    pub id: String,
    pub description: String,
    pub key_names: Vec<String>,
    pub labels: Vec<String>,
    /// Key extractors per participant label, with each part's list separator.
    pub keys: Vec<(Vec<KeyPart>, Vec<String>)>,
    /// (event, variant) → participant labels it plays (looked up for
    /// every record, so hashed with foldhash).
    pub roles: HashMap<(usize, usize), Vec<usize>, RandomState>,
    pub start: usize,
    pub states: Vec<StatePlan>,
    /// Fields a key's records must agree on, each compared on its first N
    /// characters when given (`agree_truncated`), whole otherwise.
    pub agree: Vec<(String, Option<usize>)>,
    /// Per label: the record kinds its events belong to. A key waiting
    /// only for kinds no input held is not reported unfinished.
    pub label_kinds: Vec<Vec<usize>>,
    pub violation: Code,
    pub unfinished: Code,
    /// Key parts (indices) whose values must each have been seen on the
    /// side an unfinished key waits for before it is judged; empty: every
    /// unfinished key is judged.
    pub scope: Vec<usize>,
    /// Per label: the variants whose emitters are that label's side; their
    /// records show which scope values that side's inputs cover.
    pub scope_witnesses: Vec<HashSet<(usize, usize), RandomState>>,
    /// Events that end every open lifecycle of the rule.
    pub resets: Vec<(usize, usize)>,
    /// Per state: whether an accepting state can be reached from it.
    pub reaches_accepting: Vec<bool>,
    /// Per label: the condition its records must meet.
    pub requires: Vec<Option<ConditionPlan>>,
    /// (label, field) values kept per key for later conditions
    /// (`earlier.LABEL.FIELD`), and how each converts.
    pub remembered: Vec<(usize, Arc<str>, Conversion)>,
    /// Per label: whether a condition reads anything of the key's earlier
    /// records of that label (`earlier.L`, `since.L`, `count.L`, `span.L`,
    /// `within.W.L`). A key keeps a memory only of those labels: a
    /// condition can name no other (a name that does not resolve to a
    /// label is a load error), so the records of the rest are not kept.
    pub remembers: Vec<bool>,
    /// Parameters the user must set for the rule to run.
    pub params: Vec<(String, ParamType)>,
    /// The rule's time windows, in the spec's order.
    pub windows: Vec<WindowPlan>,
    /// (window, label) pairs conditions count (`within.WINDOW.LABEL`): the
    /// labels whose records' times each key keeps.
    pub counted: Vec<(usize, usize)>,
    /// Labels conditions read the span of (`span.LABEL`): the labels whose
    /// earliest and latest record times each key keeps.
    pub spanned: Vec<usize>,
    /// Whether a condition asks whether an input covers a window
    /// (`covered.WINDOW`), so the engine keeps where inputs began.
    pub covers: bool,
    /// Whether the spec gave no lifecycle (a rule of conditions only).
    pub free: bool,
    /// Per label: which key parts are hosts (compared as host names).
    pub host_parts: Vec<Vec<bool>>,
    pub fan_out: Option<FanOutPlan>,
    /// Key parts taken from earlier records, each once.
    pub joins: Vec<JoinPlan>,
    /// Per label, per key part: the join it reads (`None`: the record).
    pub key_joins: Vec<Vec<Option<usize>>>,
}

/// A fan-out compiled: labels, and how each side names members.
#[derive(Debug)]
pub struct FanOutPlan {
    pub list_label: usize,
    pub list: (KeyPart, String),
    pub member_label: usize,
    pub member: (KeyPart, String),
    /// Members are hosts.
    pub hosts: bool,
}

/// A time window compiled: its length, or the parameter that gives it,
/// and the margin added to it.
#[derive(Debug)]
pub struct WindowPlan {
    pub name: String,
    pub length: WindowLength,
    /// Seconds added to the length (negative: narrower).
    pub margin: f64,
}

#[derive(Debug)]
pub enum WindowLength {
    Seconds(f64),
    Param(String),
}

impl WindowPlan {
    /// The window's length in seconds, given the rule's parameter values;
    /// `None` when its parameter has no duration value.
    pub fn seconds(&self, params: &[(String, cel::Value)]) -> Option<f64> {
        let length = match &self.length {
            WindowLength::Seconds(seconds) => *seconds,
            WindowLength::Param(name) => match params.iter().find(|(known, _)| known == name) {
                Some((_, cel::Value::Float(seconds))) => *seconds,
                _ => return None,
            },
        };
        Some(length + self.margin)
    }
}

/// Whether a key part's values are host names.
fn is_host(part: &KeyPart) -> bool {
    part.part == Some(FieldPart::Host) || part.envelope == Some(EnvelopeValue::Host)
}

/// For each state, whether some path of transitions leads from it to an
/// accepting state.
fn reaches_accepting(states: &[StatePlan]) -> Vec<bool> {
    let mut reaches: Vec<bool> = states.iter().map(|state| state.accepting).collect();
    let mut changed = true;
    while changed {
        changed = false;
        for (index, state) in states.iter().enumerate() {
            if !reaches[index] && state.next.iter().flatten().any(|&next| reaches[next]) {
                reaches[index] = true;
                changed = true;
            }
        }
    }
    reaches
}

#[derive(Debug)]
pub struct StatePlan {
    pub name: String,
    pub accepting: bool,
    /// Next state per participant label; `None` where not allowed.
    pub next: Vec<Option<usize>>,
}

impl RulePlan {
    /// Compiles rule `index`; `event_kinds` gives each event's record
    /// kind. The loader has checked every reference the rule follows; one
    /// that does not resolve here is an error, never a default state,
    /// label or event.
    pub fn new(
        spec: &Spec,
        event_kinds: &[usize],
        index: usize,
        rule: &Rule,
    ) -> Result<RulePlan, PlanError> {
        let at_rule = index.to_string();
        let at = |tail: &[&str]| -> Vec<String> {
            ["rules", at_rule.as_str()]
                .iter()
                .chain(tail)
                .map(|segment| (*segment).to_owned())
                .collect()
        };
        let unresolved = |tail: &[&str], problem: Unresolved| PlanError::at(&at(tail), problem);
        let labels: Vec<String> = rule.participants.iter().map(|p| p.label.clone()).collect();
        let label_of = |name: &str, tail: &[&str]| {
            labels
                .iter()
                .position(|label| label == name)
                .ok_or_else(|| {
                    unresolved(
                        tail,
                        Unresolved::Label {
                            rule: rule.id.clone(),
                            label: name.to_owned(),
                        },
                    )
                })
        };
        let (states, start) = match &rule.lifecycle {
            Some(lifecycle) => {
                let state_index = |name: &str, tail: &[&str]| {
                    lifecycle.states.get_index_of(name).ok_or_else(|| {
                        unresolved(
                            tail,
                            Unresolved::State {
                                rule: rule.id.clone(),
                                state: name.to_owned(),
                            },
                        )
                    })
                };
                let mut states = Vec::new();
                for (name, state) in &lifecycle.states {
                    let mut next = vec![None; labels.len()];
                    for (label, target) in &state.on {
                        let tail = ["lifecycle", "states", name, "on", label];
                        next[label_of(label, &tail)?] = Some(state_index(target, &tail)?);
                    }
                    states.push(StatePlan {
                        name: name.clone(),
                        accepting: state.accepting,
                        next,
                    });
                }
                let start = state_index(&lifecycle.start, &["lifecycle", "start"])?;
                (states, start)
            }
            // Conditions only: any record, any number of times.
            None => (
                vec![StatePlan {
                    name: "any".to_owned(),
                    accepting: true,
                    next: vec![Some(0); labels.len()],
                }],
                0,
            ),
        };
        for (what, count, limit, tail) in [
            ("participants", labels.len(), MAX_LABELS, "participants"),
            ("lifecycle states", states.len(), MAX_STATES, "lifecycle"),
        ] {
            if count > limit {
                let problem = Unresolved::TooMany {
                    rule: rule.id.clone(),
                    what,
                    count,
                    limit,
                };
                return Err(unresolved(&[tail], problem));
            }
        }
        let resolve = |reference: &str, tail: &[&str]| {
            spec.resolve(reference).ok_or_else(|| {
                unresolved(
                    tail,
                    Unresolved::Reference {
                        rule: rule.id.clone(),
                        reference: reference.to_owned(),
                    },
                )
            })
        };
        // Per label: the variants its references name (`*` aside).
        let mut named: Vec<Vec<(usize, usize)>> = Vec::new();
        let mut wildcard = None;
        for (label, participant) in rule.participants.iter().enumerate() {
            let mut variants = Vec::new();
            for (match_index, reference) in participant.matches.iter().enumerate() {
                if reference == WILDCARD {
                    wildcard = Some(label);
                    continue;
                }
                let tail = [
                    "participants",
                    &label.to_string(),
                    "match",
                    &match_index.to_string(),
                ];
                variants.extend(resolve(reference, &tail)?);
            }
            named.push(variants);
        }
        let mut roles: HashMap<(usize, usize), Vec<usize>, RandomState> = HashMap::default();
        for (label, variants) in named.iter().enumerate() {
            for &variant in variants {
                roles.entry(variant).or_default().push(label);
            }
        }
        if let Some(label) = wildcard {
            for (event, variant, _, _) in spec.variants() {
                roles.entry((event, variant)).or_insert_with(|| vec![label]);
            }
        }
        let mut windows = Vec::new();
        for (name, window) in &rule.windows {
            let tail = ["windows", name.as_str()];
            let invalid = |what: &str| {
                unresolved(
                    &tail,
                    Unresolved::Window {
                        rule: rule.id.clone(),
                        window: name.clone(),
                        problem: what.to_owned(),
                    },
                )
            };
            let length = match (&window.length, &window.param) {
                (Some(length), None) => WindowLength::Seconds(
                    duration_seconds(length).ok_or_else(|| invalid("its length"))?,
                ),
                (None, Some(param))
                    if rule.params.get(param).map(|p| p.kind) == Some(ParamType::Duration) =>
                {
                    WindowLength::Param(param.clone())
                }
                _ => return Err(invalid("its length or parameter")),
            };
            let margin = match &window.margin {
                Some(margin) => margin_seconds(margin).ok_or_else(|| invalid("its margin"))?,
                None => 0.0,
            };
            windows.push(WindowPlan {
                name: name.clone(),
                length,
                margin,
            });
        }
        let window_of = |name: &str, tail: &[&str]| {
            windows
                .iter()
                .position(|window| window.name == name)
                .ok_or_else(|| {
                    unresolved(
                        tail,
                        Unresolved::Window {
                            rule: rule.id.clone(),
                            window: name.to_owned(),
                            problem: "it is not declared".to_owned(),
                        },
                    )
                })
        };
        let mut counted: Vec<(usize, usize)> = Vec::new();
        let mut spanned: Vec<usize> = Vec::new();
        let mut covers = false;
        let mut remembered: Vec<(usize, Arc<str>, Conversion)> = Vec::new();
        let mut remembers = vec![false; labels.len()];
        let mut requires: Vec<Option<ConditionPlan>> = Vec::new();
        for (participant_index, participant) in rule.participants.iter().enumerate() {
            let Some(condition) = participant.require.as_ref() else {
                requires.push(None);
                continue;
            };
            let at_participant = participant_index.to_string();
            let tail = ["participants", at_participant.as_str(), "require"];
            let mut fields: Vec<(Arc<str>, Conversion)> = Vec::new();
            for used in &condition.uses {
                match &used.name {
                    Some(Name::Record(field))
                        if !fields.iter().any(|(known, _)| &**known == field) =>
                    {
                        fields.push((Arc::from(field.as_str()), Conversion::of(spec, field)));
                    }
                    Some(Name::Earlier(label, field)) => {
                        let index = label_of(label, &tail)?;
                        remembers[index] = true;
                        if let Some(field) = field {
                            if !remembered
                                .iter()
                                .any(|(l, known, _)| *l == index && &**known == field)
                            {
                                remembered.push((
                                    index,
                                    Arc::from(field.as_str()),
                                    Conversion::of(spec, field),
                                ));
                            }
                        }
                    }
                    Some(Name::Since(label) | Name::Count(label)) => {
                        remembers[label_of(label, &tail)?] = true;
                    }
                    Some(Name::Span(label)) => {
                        let index = label_of(label, &tail)?;
                        remembers[index] = true;
                        if !spanned.contains(&index) {
                            spanned.push(index);
                        }
                    }
                    Some(Name::Within(window, label)) => {
                        let pair = (window_of(window, &tail)?, label_of(label, &tail)?);
                        remembers[pair.1] = true;
                        if !counted.contains(&pair) {
                            counted.push(pair);
                        }
                    }
                    Some(Name::Covered(window)) => {
                        covers = true;
                        window_of(window, &tail)?;
                    }
                    Some(Name::Key(part)) if !rule.key.contains(part) => {
                        return Err(unresolved(
                            &tail,
                            Unresolved::KeyPart {
                                rule: rule.id.clone(),
                                part: part.clone(),
                            },
                        ));
                    }
                    Some(Name::Param(name)) if !rule.params.contains_key(name) => {
                        return Err(unresolved(
                            &tail,
                            Unresolved::Param {
                                rule: rule.id.clone(),
                                param: name.clone(),
                            },
                        ));
                    }
                    Some(Name::State(state))
                        if !rule
                            .lifecycle
                            .as_ref()
                            .is_some_and(|lifecycle| lifecycle.states.contains_key(state)) =>
                    {
                        return Err(unresolved(
                            &tail,
                            Unresolved::State {
                                rule: rule.id.clone(),
                                state: state.clone(),
                            },
                        ));
                    }
                    Some(Name::Source(item)) if !SOURCE_NAMES.contains(&item.as_str()) => {
                        return Err(unresolved(
                            &tail,
                            Unresolved::Name {
                                rule: rule.id.clone(),
                                name: used.written.clone(),
                            },
                        ));
                    }
                    None => {
                        return Err(unresolved(
                            &tail,
                            Unresolved::Name {
                                rule: rule.id.clone(),
                                name: used.written.clone(),
                            },
                        ));
                    }
                    _ => {}
                }
            }
            if let Some((function, _)) = condition.unknown_functions.first() {
                return Err(unresolved(
                    &tail,
                    Unresolved::Name {
                        rule: rule.id.clone(),
                        name: format!("{function}()"),
                    },
                ));
            }
            // Each guard names a label of the rule: the loop above refused
            // any `earlier.L` that does not.
            let holds_without = condition
                .holds_without_earlier
                .iter()
                .filter_map(|guard| labels.iter().position(|label| label == guard))
                .collect();
            requires.push(Some(ConditionPlan {
                condition: condition.clone(),
                fields,
                holds_without,
            }));
        }
        // The separator of a list field's elements; a field the glossary
        // lacks is an error.
        let separator = |part: &KeyPart, tail: &[&str]| -> Result<String, PlanError> {
            let Some(field) = &part.field else {
                return Ok(DEFAULT_LIST_SEPARATOR.to_owned());
            };
            let definition = spec
                .fields
                .get(field)
                .ok_or_else(|| unresolved(tail, Unresolved::Field(field.clone())))?;
            Ok(match definition.value.kind {
                ValueKind::List => definition.value.list_separator().to_owned(),
                _ => DEFAULT_LIST_SEPARATOR.to_owned(),
            })
        };
        let scope_witnesses = (0..labels.len())
            .map(|label| {
                let side: HashSet<&str> = roles
                    .iter()
                    .filter(|(_, labels)| labels.contains(&label))
                    .flat_map(|(&(event, variant), _)| {
                        spec.events[event].variants[variant]
                            .emitters
                            .iter()
                            .map(String::as_str)
                    })
                    .collect();
                spec.variants()
                    .filter(|(_, _, _, variant)| {
                        variant.emitters.is_empty()
                            || side.is_empty()
                            || variant
                                .emitters
                                .iter()
                                .any(|name| side.contains(name.as_str()))
                    })
                    .map(|(e, v, _, _)| (e, v))
                    .collect()
            })
            .collect();
        let reaches_accepting = reaches_accepting(&states);
        let fan_out = match &rule.fan_out {
            None => None,
            Some(fan_out) => {
                let list = fan_out.list.key_part(true);
                let member = fan_out.member.key_part(false);
                Some(FanOutPlan {
                    list_label: label_of(&fan_out.list.label, &["fan_out", "list", "label"])?,
                    member_label: label_of(&fan_out.member.label, &["fan_out", "member", "label"])?,
                    list: (
                        list.clone(),
                        separator(&list, &["fan_out", "list", "field"])?,
                    ),
                    member: (
                        member.clone(),
                        separator(&member, &["fan_out", "member", "field"])?,
                    ),
                    hosts: fan_out.list.part.is_some() || fan_out.member.part.is_some(),
                })
            }
        };
        let keys = rule
            .participants
            .iter()
            .enumerate()
            .map(|(participant_index, participant)| {
                let at_participant = participant_index.to_string();
                let separators = participant
                    .key
                    .iter()
                    .enumerate()
                    .map(|(part_index, part)| {
                        let at_part = part_index.to_string();
                        separator(part, &["participants", &at_participant, "key", &at_part])
                    })
                    .collect::<Result<_, _>>()?;
                Ok((participant.key.clone(), separators))
            })
            .collect::<Result<_, PlanError>>()?;
        let mut joins: Vec<JoinPlan> = Vec::new();
        let mut key_joins: Vec<Vec<Option<usize>>> = Vec::new();
        for (participant_index, participant) in rule.participants.iter().enumerate() {
            let mut parts = Vec::new();
            for (part_index, part) in participant.key.iter().enumerate() {
                let Some(from) = &part.from else {
                    parts.push(None);
                    continue;
                };
                let (at_participant, at_part) =
                    (participant_index.to_string(), part_index.to_string());
                let at_from = ["participants", &at_participant, "key", &at_part, "from"];
                let field = part.field.as_deref().ok_or_else(|| {
                    unresolved(
                        &at_from,
                        Unresolved::JoinField {
                            rule: rule.id.clone(),
                        },
                    )
                })?;
                let mut on = Vec::new();
                for (earlier, here) in &from.on {
                    for name in [earlier, here] {
                        if !spec.fields.contains_key(name) {
                            let tail = [&at_from[..], &["on", earlier.as_str()]].concat();
                            return Err(unresolved(&tail, Unresolved::Field(name.clone())));
                        }
                    }
                    on.push((Arc::from(earlier.as_str()), Arc::from(here.as_str())));
                }
                let join = JoinPlan {
                    label: label_of(&from.label, &[&at_from[..], &["label"]].concat())?,
                    field: Arc::from(field),
                    on,
                };
                let index = match joins.iter().position(|known| *known == join) {
                    Some(index) => index,
                    None => {
                        joins.push(join);
                        joins.len() - 1
                    }
                };
                parts.push(Some(index));
            }
            key_joins.push(parts);
        }
        let scope = rule
            .scope
            .iter()
            .enumerate()
            .map(|(scope_index, scope)| {
                rule.key
                    .iter()
                    .position(|name| name == scope)
                    .ok_or_else(|| {
                        unresolved(
                            &["scope", &scope_index.to_string()],
                            Unresolved::KeyPart {
                                rule: rule.id.clone(),
                                part: scope.clone(),
                            },
                        )
                    })
            })
            .collect::<Result<Vec<usize>, PlanError>>()?;
        let mut resets = Vec::new();
        for (reset_index, reference) in rule.reset_on.iter().enumerate() {
            resets.extend(resolve(reference, &["reset_on", &reset_index.to_string()])?);
        }
        let label_kinds = rule
            .participants
            .iter()
            .zip(&named)
            .map(|(participant, variants)| {
                let mut kinds: Vec<usize> = if participant.matches.iter().any(|m| m == WILDCARD) {
                    spec.variants()
                        .map(|(event, ..)| event_kinds[event])
                        .collect()
                } else {
                    variants
                        .iter()
                        .map(|&(event, _)| event_kinds[event])
                        .collect()
                };
                kinds.sort_unstable();
                kinds.dedup();
                kinds
            })
            .collect();
        Ok(RulePlan {
            host_parts: rule
                .participants
                .iter()
                .map(|participant| participant.key.iter().map(is_host).collect())
                .collect(),
            fan_out,
            joins,
            key_joins,
            requires,
            remembered,
            remembers,
            params: rule
                .params
                .iter()
                .map(|(name, param)| (name.clone(), param.kind))
                .collect(),
            free: rule.lifecycle.is_none(),
            windows,
            counted,
            spanned,
            covers,
            reaches_accepting,
            scope_witnesses,
            id: rule.id.clone(),
            description: rule.description.clone(),
            key_names: rule.key.clone(),
            keys,
            labels,
            roles,
            start,
            states,
            agree: rule
                .agree
                .iter()
                .map(|field| (field.clone(), None))
                .chain(
                    rule.agree_truncated
                        .iter()
                        .map(|(field, chars)| (field.clone(), Some(*chars))),
                )
                .collect(),
            label_kinds,
            violation: match rule.violation {
                ViolationCode::SequenceViolation => Code::SequenceViolation,
                ViolationCode::ExclusiveViolation => Code::ExclusiveViolation,
                ViolationCode::DuplicateKey => Code::DuplicateKey,
            },
            unfinished: match rule.unfinished {
                UnfinishedCode::Incomplete => Code::Incomplete,
                UnfinishedCode::Unpaired => Code::Unpaired,
            },
            scope,
            resets,
        })
    }

    /// The labels allowed from `state`.
    pub fn allowed(&self, state: usize) -> Vec<&str> {
        self.states[state]
            .next
            .iter()
            .zip(&self.labels)
            .filter(|(next, _)| next.is_some())
            .map(|(_, label)| label.as_str())
            .collect()
    }

    /// The labels that would move a key in `state` on towards an accepting
    /// state: the records an unfinished lifecycle is waiting for.
    pub fn finishing(&self, state: usize) -> impl Iterator<Item = usize> + '_ {
        self.states[state]
            .next
            .iter()
            .enumerate()
            .filter_map(move |(label, next)| {
                next.filter(|&next| next != state && self.reaches_accepting[next])
                    .map(|_| label)
            })
    }

    /// Whether an unfinished `key` in `state` is judged under the rule's
    /// scope: some label that would finish it was observed with the key's
    /// value of every scope part (`seen(label, n, value)`: the side of
    /// `label` showed `value` for the `n`th scope part). Each part is asked
    /// on its own: a rotate line keyed by host and serial is judged when
    /// the dispatcher side named that host somewhere and that serial
    /// somewhere, not only when it named both together.
    pub fn judged<S: AsRef<str>>(
        &self,
        state: usize,
        key: &[S],
        seen: impl Fn(usize, usize, &str) -> bool,
    ) -> bool {
        self.scope.is_empty()
            || self.finishing(state).any(|label| {
                self.scope.iter().enumerate().all(|(nth, &part)| {
                    key.get(part)
                        .is_some_and(|value| seen(label, nth, value.as_ref()))
                })
            })
    }

    /// The labels a key in `state` may see next.
    pub fn awaited(&self, state: usize) -> impl Iterator<Item = usize> + '_ {
        self.states[state]
            .next
            .iter()
            .enumerate()
            .filter_map(|(label, next)| next.map(|_| label))
    }

    /// Whether a key in `state` is done: accepting, and nothing may follow.
    pub fn closed(&self, state: usize) -> bool {
        let state = &self.states[state];
        state.accepting && state.next.iter().all(Option::is_none)
    }

    /// Whether an unfinished key in `state` can be held to its end: it
    /// waits for nothing, or for a record of a kind `held` says was read.
    /// A key waiting only on kinds no input held cannot have shown its end.
    pub fn end_observable(&self, state: usize, held: impl Fn(usize) -> bool) -> bool {
        let mut finishing = self.finishing(state).peekable();
        finishing.peek().is_none()
            || finishing.any(|label| self.label_kinds[label].iter().any(|&kind| held(kind)))
    }

    /// Whether `value` agrees with `first` on agreed field `field` (on its
    /// first characters where the rule compares only those).
    pub fn agrees(&self, field: usize, first: &str, value: &str) -> bool {
        match self.agree.get(field).and_then(|(_, chars)| *chars) {
            Some(chars) => first.chars().take(chars).eq(value.chars().take(chars)),
            None => first == value,
        }
    }

    /// `REQID=a1b2…, host=db-01`.
    pub fn describe_key<S: AsRef<str>>(&self, key: &[S]) -> String {
        // Written into one string: a finding per open key at the end of a
        // stream, so a format and a list per part showed in profiles.
        let mut text = String::new();
        for (index, (name, value)) in self.key_names.iter().zip(key).enumerate() {
            if index > 0 {
                text.push_str(", ");
            }
            text.push_str(name);
            text.push('=');
            text.push_str(value.as_ref());
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pairing keyed by host and serial, judged under both parts.
    const SPEC: &str = r#"logspec: 1
producer: {name: demo, summary: Demo.}
document: {title: Demo}
wire: {envelopes: [rfc3164], payload: key-value, event_key: EVENT}
severity: {levels: [{name: INFO, syslog: 6}]}
emitters: [{name: hub, tags: [{tag: hub, source: s}]}, {name: node, tags: [{tag: node, source: s}]}]
fields:
  EVENT: {type: string, description: Event.}
  HOSTS: {type: list, item: {type: string}, description: Hosts.}
  SERIAL: {type: string, description: Serial.}
events:
  - {id: offer, section: s, variants: [{name: default, severity: INFO, emitters: [hub], fields: [EVENT, HOSTS, SERIAL]}]}
  - {id: take, section: s, variants: [{name: default, severity: INFO, emitters: [node], fields: [EVENT, SERIAL]}]}
rules:
  - id: take-follows-offer
    description: A node takes a serial offered to it.
    key: [host, SERIAL]
    participants:
      - {label: offer, match: [offer], key: [{field: HOSTS, each: true}, {field: SERIAL}]}
      - {label: take, match: [take], key: [{envelope: host}, {field: SERIAL}]}
    lifecycle:
      start: new
      states:
        new: {on: {offer: offered, take: taken}}
        taken: {on: {take: taken, offer: offered}}
        offered: {accepting: true, on: {offer: offered, take: offered}}
    scope: [host, SERIAL]
"#;

    fn plan() -> RulePlan {
        plan_of(SPEC)
    }

    fn plan_of(spec: &str) -> RulePlan {
        let loaded = logspec_spec::load_str(spec, "demo.yaml")
            .unwrap_or_else(|error| panic!("test spec does not load:\n{error}"));
        let spec = &loaded.spec;
        let kinds = vec![0; spec.events.len()];
        RulePlan::new(spec, &kinds, 0, &spec.rules[0])
            .unwrap_or_else(|error| panic!("test spec does not compile: {error}"))
    }

    #[test]
    fn a_lifecycle_past_the_states_a_key_can_name_is_refused() {
        let loaded = logspec_spec::load_str(SPEC, "demo.yaml")
            .unwrap_or_else(|error| panic!("test spec does not load:\n{error}"));
        let mut spec = loaded.spec.clone();
        let kinds = vec![0; spec.events.len()];
        // Built in code, past the schema's limit: the plan must refuse it,
        // not wrap the state's index into another state.
        let add_states = |spec: &mut Spec, total: usize| {
            let Some(lifecycle) = spec.rules[0].lifecycle.as_mut() else {
                panic!("the test rule has a lifecycle")
            };
            let mut n = 0;
            while lifecycle.states.len() < total {
                lifecycle
                    .states
                    .insert(format!("extra-{n}"), Default::default());
                n += 1;
            }
        };
        add_states(&mut spec, MAX_STATES);
        assert!(RulePlan::new(&spec, &kinds, 0, &spec.rules[0]).is_ok());
        add_states(&mut spec, MAX_STATES + 1);
        assert_too_many(
            RulePlan::new(&spec, &kinds, 0, &spec.rules[0]),
            ("/rules/0/lifecycle", "lifecycle states", MAX_STATES + 1),
        );
    }

    /// `planned` is the refusal of too many of `what`, at `pointer`.
    fn assert_too_many<T: std::fmt::Debug>(
        planned: Result<T, PlanError>,
        (at, what, count): (&str, &str, usize),
    ) {
        match planned {
            Err(PlanError {
                pointer,
                problem:
                    Unresolved::TooMany {
                        what: said,
                        count: counted,
                        ..
                    },
            }) => assert_eq!((pointer.as_str(), said, counted), (at, what, count)),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_rule_past_the_participants_a_citation_can_name_is_refused() {
        let loaded = logspec_spec::load_str(SPEC, "demo.yaml")
            .unwrap_or_else(|error| panic!("test spec does not load:\n{error}"));
        let mut spec = loaded.spec.clone();
        let kinds = vec![0; spec.events.len()];
        let rule = &mut spec.rules[0];
        let extra = rule.participants[0].clone();
        for n in rule.participants.len()..=MAX_LABELS {
            let mut participant = extra.clone();
            participant.label = format!("extra-{n}");
            rule.participants.push(participant);
        }
        assert_too_many(
            RulePlan::new(&spec, &kinds, 0, &spec.rules[0]),
            ("/rules/0/participants", "participants", MAX_LABELS + 1),
        );
    }

    #[test]
    fn a_key_is_judged_when_the_awaited_side_showed_every_scope_part() {
        let rule = plan();
        assert_eq!(rule.scope, vec![0, 1]);
        let taken = rule.states.iter().position(|s| s.name == "taken");
        let Some(taken) = taken else {
            panic!("no state `taken`")
        };
        let key = ["web-01".to_owned(), "0a".to_owned()];
        // (label, nth scope part, value) the offer side was seen with.
        let judged = |seen: &[(usize, usize, &str)]| {
            rule.judged(taken, &key, |label, nth, value| {
                seen.contains(&(label, nth, value))
            })
        };
        assert!(judged(&[(0, 0, "web-01"), (0, 1, "0a")]));
        // One part seen is not enough, nor both on the taking side itself,
        // which a key in `taken` does not wait for.
        assert!(!judged(&[(0, 0, "web-01")]));
        assert!(!judged(&[(0, 1, "0a")]));
        assert!(!judged(&[(1, 0, "web-01"), (1, 1, "0a")]));
        // Parts are asked on their own: seen on different records counts.
        assert!(judged(&[(0, 0, "web-01"), (0, 1, "0a"), (0, 0, "db-01")]));
    }

    #[test]
    fn without_a_scope_every_key_is_judged() {
        let mut rule = plan();
        rule.scope.clear();
        assert!(rule.judged::<&str>(0, &[], |_, _, _| false));
    }

    #[test]
    fn keys_remember_only_the_labels_conditions_read() {
        assert_eq!(plan().remembers, vec![false, false]);
        let take = "- {label: take, match: [take], key: [{envelope: host}, {field: SERIAL}]}";
        let spec = |condition: &str| {
            SPEC.replace(
                take,
                &take.replace(
                    "SERIAL}]}",
                    &format!("SERIAL}}], require: \"{condition}\"}}"),
                ),
            )
        };
        let reads_offer = plan_of(&spec("!has(earlier.offer) || since.offer < 60.0"));
        assert_eq!(reads_offer.remembers, vec![true, false]);
        // A take record leaves nothing; an offer record its memory.
        let mut memory = Vec::new();
        let record = crate::rules::StreamRecord::default();
        crate::rules::condition::remember(&mut memory, &reads_offer, 1, &record, &[]);
        assert!(memory.is_empty());
        crate::rules::condition::remember(&mut memory, &reads_offer, 0, &record, &[]);
        assert!(matches!(memory.as_slice(), [offer] if offer.label == 0 && offer.count == 1));
        let reads_take = plan_of(&spec("count.take < 3"));
        assert_eq!(reads_take.remembers, vec![false, true]);
    }
}
