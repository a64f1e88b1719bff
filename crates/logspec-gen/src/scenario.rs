//! Scenarios: streams that keep the spec's stream rules, written as the
//! inputs a deployment produces (one log per host, an audit trail beside
//! per-run documents), and the same broken in one place with the one
//! stream finding that must follow.
//!
//! A scenario is walked, not filtered: records are drawn one at a time,
//! either free (any variant) or continuing a correlation key that is still
//! open (a transition its state allows, the key's values and the values its
//! records agree on written into the new record: REQID and the TARGET host,
//! a dispatch's HOSTS fanned out to one run each, an agent's line on its
//! own host's log). [`Rules`] follows every rule as the engine would, and a
//! record is kept only if no rule objects and every open key can still
//! reach an accepting state. At the end each open key is walked to its
//! nearest accepting state. Inputs carry times one to five seconds apart,
//! so the checker merges them back into the order they were walked in.
//!
//! Draws come from a seed, so a failing scenario is reproduced exactly.
//! It shrinks by records left out, a whole lifecycle at a time (every
//! record that shares a key with one, and theirs) or one record, each step
//! kept only if the rest still keeps every rule (or, broken, still raises
//! just the one finding of the same rule and code): a failure comes back
//! as the fewest records that keep it. Values are not shrunk.

use crate::generator::{written_name, Compiled};
use crate::record::{Field, Record};
use crate::render::render;
use crate::rules::{classify, stream_record, RuleFinding, Rules};
use crate::stream::{Clock, Line, Stream};
use crate::time::{Instant, EARLIEST, LATEST};
use crate::{value, Framing, RenderError, Sampler};
use logspec_checker::rules::key::keys;
use logspec_checker::rules::{RulePlan, StreamRecord};
use logspec_checker::{Code, Plan};
use logspec_reader::JsonKind;
use logspec_spec::{EnvelopeValue, FieldPart};
use proptest::prelude::*;
use proptest::strategy::{NewTree, ValueTree};
use proptest::test_runner::TestRunner;
use std::collections::VecDeque;
use std::ops::RangeInclusive;
use std::rc::Rc;

/// Times between consecutive records of a scenario, in microseconds: at
/// least a second, the resolution of a BSD syslog time.
const GAPS: RangeInclusive<i64> = 1_000_000..=5_000_000;

/// What scenarios to generate.
#[derive(Debug, Clone)]
pub struct ScenarioOptions {
    /// The framing of the stream's record kind (other kinds its rules pair
    /// it with are written in their first format).
    pub framing: Framing,
    /// How many records the walk draws before it closes the open keys.
    pub records: RangeInclusive<usize>,
    /// Whether to break the scenario with one [`StreamMutationKind`] (it
    /// stays whole when no mutation's finding can be predicted exactly).
    pub broken: bool,
    /// What the checker learns of the hosts records come from.
    pub hosts: Hosts,
    /// One input only (one record kind on one host), as a stream on
    /// standard output is; otherwise records may go to the logs of other
    /// hosts and kinds where their times let the checker merge them.
    pub one_input: bool,
}

/// What the checker learns of the host a record comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hosts {
    /// Every input's host is told (`Input::host`, `logspec check --host
    /// FILE=HOST`).
    Told,
    /// Only what the lines write (`logspec check DIR`): RFC 5424, journald
    /// and RFC 3164 with a hostname name it; records in other framings stay
    /// on one host and are keyed as the checker sees them, without one.
    Written,
}

/// The ways a scenario is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StreamMutationKind {
    /// A record that finished a lifecycle left out: the rule's
    /// `unfinished` code (`incomplete`, `unpaired`).
    DropClosing,
    /// A record repeated right after itself where its state allows no
    /// second one: the rule's `violation` code.
    DuplicateTerminal,
    /// Two records of one key swapped: the rule's `violation` code.
    ReorderPair,
    /// A record given the key of an earlier lifecycle: the rule's
    /// `violation` code (`duplicate-key` for a uniqueness rule).
    ReuseKey,
    /// A record with a key of its own inserted, playing a part its
    /// lifecycle's start refuses (a request before the server started, a
    /// lock released that was never acquired): the rule's `violation` code.
    Stray,
}

impl StreamMutationKind {
    pub const ALL: [StreamMutationKind; 5] = [
        StreamMutationKind::DropClosing,
        StreamMutationKind::DuplicateTerminal,
        StreamMutationKind::ReorderPair,
        StreamMutationKind::ReuseKey,
        StreamMutationKind::Stray,
    ];
}

impl std::fmt::Display for StreamMutationKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StreamMutationKind::DropClosing => "a record that finished a lifecycle left out",
            StreamMutationKind::DuplicateTerminal => "a record repeated",
            StreamMutationKind::ReorderPair => "two records swapped",
            StreamMutationKind::ReuseKey => "a record given the key of an earlier lifecycle",
            StreamMutationKind::Stray => "a record its lifecycle's start refuses inserted",
        })
    }
}

/// The one finding a broken scenario must raise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamExpected {
    pub kind: StreamMutationKind,
    pub code: Code,
    /// The rule's id.
    pub rule: String,
    /// The input (index into [`Scenario::inputs`]) and its line.
    pub input: usize,
    pub line: u64,
    /// The key as the report gives it: `REQID=…, host=…`.
    pub key: String,
}

/// One input of a scenario: a log of one record kind on one host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioInput {
    /// A path the spec's record kind claims (`web-01/audit.log`).
    pub name: String,
    /// The host its records come from.
    pub host: String,
    pub stream: Stream,
}

/// Inputs whose records keep (or, broken, break in one place) the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    pub inputs: Vec<ScenarioInput>,
    pub expected: Option<StreamExpected>,
}

impl Scenario {
    /// Every input's text.
    pub fn render(&self) -> Result<Vec<(String, String)>, RenderError> {
        self.inputs
            .iter()
            .map(|input| Ok((input.name.clone(), input.stream.render()?)))
            .collect()
    }
}

/// Scenarios as `options` say; a seed whose walk could not close its keys
/// is rejected.
pub(crate) fn scenarios(
    compiled: Rc<Compiled>,
    options: ScenarioOptions,
) -> BoxedStrategy<Scenario> {
    ScenarioStrategy { compiled, options }.boxed()
}

#[derive(Debug)]
struct ScenarioStrategy {
    compiled: Rc<Compiled>,
    options: ScenarioOptions,
}

impl Strategy for ScenarioStrategy {
    type Tree = ScenarioTree;
    type Value = Scenario;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        loop {
            let seed = runner.rng().next_u64();
            if let Some(built) = walked(&self.compiled, &self.options, seed) {
                return Ok(ScenarioTree {
                    compiled: Rc::clone(&self.compiled),
                    built,
                    cursor: (0, true),
                    undo: None,
                });
            }
            runner.reject_local("no walk closed every key")?;
        }
    }
}

/// A scenario before it is split into inputs.
struct Built {
    layout: Layout,
    records: Walked,
    /// The time before each record's.
    gaps: Vec<i64>,
    start_at: i64,
    expected: Option<(RuleFinding, StreamMutationKind)>,
}

impl Built {
    fn scenario(&self, compiled: &Rc<Compiled>) -> Scenario {
        assemble(
            compiled,
            &self.layout,
            self.records.clone(),
            self.start_at,
            &self.gaps,
            self.expected.clone(),
        )
    }

    /// Every (rule, key) each record steps.
    fn keys(&self, plan: &Plan) -> Vec<Vec<(usize, Vec<String>)>> {
        self.records
            .iter()
            .map(|(record, host)| stepped(plan, &self.layout.seen(plan, record, host)))
            .collect()
    }

    /// `at` and, with `whole`, every record sharing a key with one of them.
    fn lifecycle(&self, plan: &Plan, at: usize, whole: bool) -> Vec<usize> {
        let mut group = vec![at];
        if !whole {
            return group;
        }
        let keys = self.keys(plan);
        let mut grown = true;
        while grown {
            grown = false;
            for (index, own) in keys.iter().enumerate() {
                if !group.contains(&index)
                    && group
                        .iter()
                        .any(|&member| keys[member].iter().any(|key| own.contains(key)))
                {
                    group.push(index);
                    grown = true;
                }
            }
        }
        group.sort_unstable();
        group
    }

    /// The scenario without the records of `group`, if it still keeps every
    /// rule (or raises just the one finding of the same rule and code).
    fn without(&self, compiled: &Compiled, group: &[usize]) -> Option<Built> {
        if group.len() >= self.records.len() {
            return None;
        }
        let kept = |index: &usize| !group.contains(index);
        let records: Walked = (0..self.records.len())
            .filter(kept)
            .map(|index| self.records[index].clone())
            .collect();
        let gaps = (0..self.gaps.len())
            .filter(kept)
            .map(|index| self.gaps[index])
            .collect();
        let mut findings = simulate(compiled, &self.layout, &records);
        let expected = match &self.expected {
            None if findings.is_empty() => None,
            Some((was, kind)) => match (findings.pop(), findings.is_empty()) {
                (Some(now), true) if now.rule == was.rule && now.code == was.code => {
                    Some((now, *kind))
                }
                _ => return None,
            },
            None => return None,
        };
        Some(Built {
            layout: self.layout.clone(),
            records,
            gaps,
            start_at: self.start_at,
            expected,
        })
    }
}

/// A scenario that shrinks by records left out.
pub(crate) struct ScenarioTree {
    compiled: Rc<Compiled>,
    built: Built,
    /// The next removal to try: a record, and whether with its lifecycle.
    cursor: (usize, bool),
    /// The scenario before the last removal, and the removal after it.
    undo: Option<(Built, (usize, bool))>,
}

impl ValueTree for ScenarioTree {
    type Value = Scenario;

    fn current(&self) -> Scenario {
        self.built.scenario(&self.compiled)
    }

    fn simplify(&mut self) -> bool {
        let plan = &self.compiled.plan;
        while self.cursor.0 < self.built.records.len() {
            let (at, whole) = self.cursor;
            self.cursor = if whole { (at, false) } else { (at + 1, true) };
            let group = self.built.lifecycle(plan, at, whole);
            if whole && group.len() == 1 {
                continue;
            }
            if let Some(smaller) = self.built.without(&self.compiled, &group) {
                let previous = std::mem::replace(&mut self.built, smaller);
                self.undo = Some((previous, self.cursor));
                // The records after `at` moved up: try from `at` again.
                self.cursor = (at, true);
                return true;
            }
        }
        false
    }

    fn complicate(&mut self) -> bool {
        match self.undo.take() {
            Some((previous, next)) => {
                // Past the removal that went too far.
                self.built = previous;
                self.cursor = next;
                true
            }
            None => false,
        }
    }
}

/// Every (rule, key) `record` steps.
fn stepped(plan: &Plan, record: &StreamRecord) -> Vec<(usize, Vec<String>)> {
    plan.rules
        .iter()
        .enumerate()
        .flat_map(|(index, rule)| {
            let labels = rule.roles.get(&(record.event, record.variant));
            labels.into_iter().flatten().flat_map(move |&label| {
                let (parts, separators) = &rule.keys[label];
                keys(parts, separators, record)
                    .into_iter()
                    .map(move |key| (index, key))
            })
        })
        .collect()
}

/// Records in the order the checker will observe them, each with its host.
type Walked = Vec<(Record, String)>;

/// Which record kinds a scenario writes, in which framing, and what the
/// checker learns of their hosts.
#[derive(Clone)]
struct Layout {
    /// The framing per record kind; `None` for kinds left out.
    framings: Vec<Option<Framing>>,
    hosts: Hosts,
}

impl Layout {
    fn framing(&self, plan: &Plan, event: usize) -> Framing {
        self.framings[plan.events[event].kind].unwrap_or(Framing::Bare)
    }

    /// Whether the checker learns the host of records in `framing`.
    fn host_seen(&self, framing: Framing) -> bool {
        self.hosts == Hosts::Told || framing.carries_host()
    }

    /// What the engine sees of `record`, logged on `host`.
    fn seen(&self, plan: &Plan, record: &Record, host: &str) -> StreamRecord {
        let framing = self.framing(plan, record.event);
        stream_record(
            plan,
            record,
            framing,
            self.host_seen(framing).then_some(host),
        )
    }
}

struct Walk<'c> {
    compiled: &'c Compiled,
    sampler: Sampler,
    /// Variants the walk draws from.
    pool: Vec<(usize, usize)>,
    layout: Layout,
    /// Whether records may go to logs of other hosts (the framing carries
    /// times, so the checker can merge them, and hosts it sees).
    hosts_apart: bool,
    home: String,
    records: Walked,
    rules: Rules,
}

pub(crate) fn build(
    compiled: &Rc<Compiled>,
    options: &ScenarioOptions,
    seed: u64,
) -> Option<Scenario> {
    walked(compiled, options, seed).map(|built| built.scenario(compiled))
}

fn walked(compiled: &Rc<Compiled>, options: &ScenarioOptions, seed: u64) -> Option<Built> {
    let plan = &compiled.plan;
    let format = options.framing.format();
    let home_kind = plan
        .kinds
        .iter()
        .position(|kind| kind.formats.contains(&format))?;
    let timed = |kind: usize, framing: Framing| {
        plan.kinds[kind].timestamp.is_some()
            || matches!(
                framing,
                Framing::Rfc3164 { .. } | Framing::Rfc5424 | Framing::Journald
            )
    };
    // Several inputs are merged back by their times.
    let several = timed(home_kind, options.framing) && !options.one_input;
    let mut framings = vec![None; plan.kinds.len()];
    framings[home_kind] = Some(options.framing);
    if several {
        // Kinds a rule pairs this one with, when their inputs can be told
        // apart by path and merged by time.
        for rule in &plan.rules {
            if !rule
                .label_kinds
                .iter()
                .any(|kinds| kinds.contains(&home_kind))
            {
                continue;
            }
            for &kind in rule.label_kinds.iter().flatten() {
                let framing = Framing::default_of(*plan.kinds[kind].formats.first()?);
                let named = plan.kinds[kind].path_patterns().next().is_some();
                if framings[kind].is_none() && named && timed(kind, framing) {
                    framings[kind] = Some(framing);
                }
            }
        }
        if framings.iter().flatten().count() > 1
            && plan.kinds[home_kind].path_patterns().next().is_none()
        {
            return None;
        }
    }
    let pool = compiled
        .spec
        .variants()
        .filter(|(event, _, _, _)| framings[plan.events[*event].kind].is_some())
        .map(|(event, variant, _, _)| (event, variant))
        .collect();
    let layout = Layout {
        framings,
        hosts: options.hosts,
    };
    let hosts_apart = several && layout.host_seen(options.framing);
    let mut sampler = Sampler::new(seed);
    let home = sampler.sample(&value::hostname()).ok()?;
    let mut walk = Walk {
        compiled,
        sampler,
        pool,
        layout,
        hosts_apart,
        home,
        records: Vec::new(),
        rules: Rules::new(plan),
    };
    let target = walk.sampler.sample(&options.records).ok()?;
    if crate::stream::one_record(options.framing) && !several {
        return None;
    }
    walk.draw(target);
    walk.close(target)?;
    let mut records = std::mem::take(&mut walk.records);
    let mut expected = None;
    // A scenario no mutation breaks predictably stays whole.
    if options.broken {
        let strays = walk.strays();
        if let Some((broken, finding, kind)) =
            break_one(compiled, &walk.layout, &records, &strays, &mut walk.sampler)
        {
            records = broken;
            expected = Some((finding, kind));
        }
    }
    let start_at = walk
        .sampler
        .sample(&(EARLIEST.0..=LATEST.0 - 10_000_000_000))
        .ok()?;
    let gaps = walk
        .sampler
        .sample(&proptest::collection::vec(GAPS, records.len()))
        .ok()?;
    Some(Built {
        layout: walk.layout,
        records,
        gaps,
        start_at,
        expected,
    })
}

impl Walk<'_> {
    fn sample(&mut self, (event, variant): (usize, usize)) -> Option<Record> {
        let kind = self.compiled.plan.events[event].kind;
        let format = self.layout.framings[kind]?.format();
        let strategy = self
            .compiled
            .variant(event, variant, format)
            .ok()?
            .records();
        self.sampler.sample(&strategy).ok()
    }

    fn pick<T: Clone + std::fmt::Debug>(&mut self, items: &[T]) -> Option<T> {
        if items.is_empty() {
            return None;
        }
        let at = self.sampler.sample(&(0..items.len())).ok()?;
        items.get(at).cloned()
    }

    /// Draws `target` records: free ones, ones opening a lifecycle of a
    /// rule (so that rules of rare events get walked too), or ones
    /// continuing an open key.
    fn draw(&mut self, target: usize) {
        let mut attempts = 0;
        while self.records.len() < target && attempts < target * 8 {
            attempts += 1;
            let open = self.continuable();
            let follow = !open.is_empty()
                && self
                    .sampler
                    .sample(&proptest::bool::weighted(0.6))
                    .unwrap_or(false);
            let candidate = if follow {
                // A rule first, so that every rule's lifecycles get walked.
                let mut rules: Vec<usize> = open.iter().map(|(rule, _, _)| *rule).collect();
                rules.dedup();
                let rule = self.pick(&rules);
                let open: Vec<_> = open
                    .into_iter()
                    .filter(|(of, _, _)| Some(*of) == rule)
                    .collect();
                self.pick(&open).and_then(|(rule, key, state)| {
                    let labels: Vec<usize> = (0..self.compiled.plan.rules[rule].labels.len())
                        .filter(|&label| {
                            self.compiled.plan.rules[rule].states[state].next[label].is_some()
                                && self.writable(rule, label, &key)
                        })
                        .collect();
                    let label = self.pick(&labels)?;
                    self.continuing(rule, label, &key)
                })
            } else if self
                .sampler
                .sample(&proptest::bool::weighted(0.5))
                .unwrap_or(false)
            {
                let rules: Vec<usize> = (0..self.compiled.plan.rules.len()).collect();
                self.pick(&rules).and_then(|rule| {
                    let labels = self.at_start(rule, true);
                    let label = self.pick(&labels)?;
                    self.fresh(rule, label)
                })
            } else {
                let pool = self.pool.clone();
                self.pick(&pool)
                    .and_then(|variant| self.sample(variant))
                    .map(|record| (record, self.home.clone()))
            };
            if let Some((record, host)) = candidate {
                self.admit(record, host);
            }
        }
    }

    /// Walks every open key to an accepting state.
    fn close(&mut self, target: usize) -> Option<()> {
        for _ in 0..target * 6 + 12 {
            let Some((rule, key, state)) = self.unfinished().into_iter().next() else {
                return Some(());
            };
            let label = *self.path(rule, &key, state)?.first()?;
            let mut closed = false;
            for _ in 0..12 {
                if let Some((record, host)) = self.continuing(rule, label, &key) {
                    if self.admit(record, host) {
                        closed = true;
                        break;
                    }
                }
            }
            if !closed {
                return None;
            }
        }
        self.unfinished().is_empty().then_some(())
    }

    /// Keys whose state allows a further record, with that state.
    fn continuable(&self) -> Vec<(usize, Vec<String>, usize)> {
        self.keys_where(|rule, state| rule.awaited(state).next().is_some())
    }

    /// Keys left in a state that is not accepting, but for those waiting
    /// only for records of kinds left out: the checker does not hold them
    /// against inputs that hold no such kind.
    fn unfinished(&self) -> Vec<(usize, Vec<String>, usize)> {
        self.keys_where(|rule, state| !rule.states[state].accepting && self.judged(rule, state))
    }

    /// Every (rule, key, state) whose state `keep` accepts.
    fn keys_where(
        &self,
        keep: impl Fn(&RulePlan, usize) -> bool,
    ) -> Vec<(usize, Vec<String>, usize)> {
        let rules = &self.compiled.plan.rules;
        let keep = &keep;
        (0..rules.len())
            .flat_map(|rule| {
                self.rules
                    .keys(rule)
                    .filter(move |(_, state)| keep(&rules[rule], state.state))
                    .map(move |(key, state)| (rule, key.clone(), state.state))
            })
            .collect()
    }

    /// Whether a key of `rule` left in `state` would be reported: it waits
    /// for nothing, or for a record of a kind this walk writes.
    fn judged(&self, rule: &RulePlan, state: usize) -> bool {
        rule.end_observable(state, |kind| self.layout.framings[kind].is_some())
    }

    /// The labels of a shortest way from `state` to an accepting state
    /// that this walk can write records for.
    fn path(&self, rule: usize, key: &[String], state: usize) -> Option<Vec<usize>> {
        let plan = &self.compiled.plan.rules[rule];
        let mut queue = VecDeque::from([(state, Vec::new())]);
        let mut seen = vec![false; plan.states.len()];
        seen[state] = true;
        while let Some((at, path)) = queue.pop_front() {
            if plan.states[at].accepting {
                return Some(path);
            }
            for (label, next) in plan.states[at].next.iter().enumerate() {
                let Some(next) = *next else { continue };
                if seen[next] || !self.writable(rule, label, key) {
                    continue;
                }
                seen[next] = true;
                let mut longer = path.clone();
                longer.push(label);
                queue.push_back((next, longer));
            }
        }
        None
    }

    /// Whether some variant of the pool can play `label` for `key`: its
    /// envelope parts must be ones a record can have here.
    fn writable(&self, rule: usize, label: usize, key: &[String]) -> bool {
        let plan = &self.compiled.plan.rules[rule];
        let (parts, _) = &plan.keys[label];
        let variants = self.variants_for(plan, label);
        !variants.is_empty()
            && parts
                .iter()
                .zip(key)
                .all(|(part, value)| match part.envelope {
                    Some(EnvelopeValue::Host) => variants.iter().any(|&(event, _)| {
                        let framing = self.layout.framing(&self.compiled.plan, event);
                        if self.layout.host_seen(framing) {
                            self.hosts_apart || value == &self.home
                        } else {
                            part.default.as_ref() == Some(value)
                        }
                    }),
                    Some(EnvelopeValue::Tag) => variants.iter().any(|&(event, variant)| {
                        self.compiled
                            .variant(event, variant, self.format_of(event))
                            .is_ok_and(|generator| generator.tags.contains(value))
                    }),
                    // Process ids and input paths are not generated yet.
                    Some(EnvelopeValue::Pid | EnvelopeValue::File) => false,
                    None => true,
                })
    }

    fn format_of(&self, event: usize) -> logspec_reader::Format {
        self.layout.framing(&self.compiled.plan, event).format()
    }

    fn variants_for(&self, rule: &RulePlan, label: usize) -> Vec<(usize, usize)> {
        self.pool
            .iter()
            .copied()
            .filter(|variant| {
                rule.roles
                    .get(variant)
                    .is_some_and(|labels| labels.contains(&label))
            })
            .collect()
    }

    /// A record playing `label` of rule `rule` for `key`, with the key's
    /// agreed values, and the host it is logged on.
    fn continuing(
        &mut self,
        rule: usize,
        label: usize,
        key: &[String],
    ) -> Option<(Record, String)> {
        let compiled = self.compiled;
        let plan = &compiled.plan.rules[rule];
        let variants = self.variants_for(plan, label);
        let variant = self.pick(&variants)?;
        let mut record = self.sample(variant)?;
        let framing = self.layout.framing(&compiled.plan, variant.0);
        let host = stitch(compiled, &mut record, plan, label, key, framing.format())
            .filter(|_| self.layout.host_seen(framing))
            .unwrap_or_else(|| self.home.clone());
        if let Some((_, state)) = self
            .rules
            .keys(rule)
            .find(|(known, _)| known.as_slice() == key)
        {
            for (index, value) in &state.values {
                let (field, chars) = &plan.agree[*index];
                let value: String = match chars {
                    Some(chars) => value.chars().take(*chars).collect(),
                    None => value.clone(),
                };
                if record.value(field).is_some() {
                    set_field(
                        compiled,
                        &mut record,
                        field,
                        &value,
                        self.format_of(variant.0),
                    );
                }
            }
        }
        Some((record, host))
    }

    /// Keeps `record` if it conforms as the variant the checker will see,
    /// no rule objects to it, and every open key can still be finished.
    fn admit(&mut self, mut record: Record, host: String) -> bool {
        record.meta.hostname = host.clone();
        let compiled = self.compiled;
        let plan = &compiled.plan;
        if !self.conforms(&mut record) {
            return false;
        }
        let mut rules = self.rules.clone();
        let seen = self.layout.seen(plan, &record, &host);
        if !rules.observe(plan, self.records.len(), &seen).is_empty() {
            return false;
        }
        let previous = std::mem::replace(&mut self.rules, rules);
        // The keys this record stepped must be followed by a record that
        // conforms: a path is not enough when a key holds a value no record
        // can carry where the next one needs it (a HOSTS entry that is no
        // TARGET host).
        let stepped = stepped(plan, &seen);
        let finishable = self.unfinished().into_iter().all(|(rule, key, state)| {
            let next = self
                .path(rule, &key, state)
                .and_then(|path| path.first().copied());
            next.is_some_and(|label| {
                !stepped.contains(&(rule, key.clone())) || self.followable(rule, label, &key)
            })
        });
        if !finishable {
            self.rules = previous;
            return false;
        }
        self.records.push((record, host));
        true
    }

    /// Whether a conforming record can play `label` of rule `rule` for
    /// `key` (a few are drawn).
    fn followable(&mut self, rule: usize, label: usize, key: &[String]) -> bool {
        (0..8).any(|_| {
            self.continuing(rule, label, key)
                .is_some_and(|(mut record, host)| {
                    record.meta.hostname = host;
                    self.conforms(&mut record)
                })
        })
    }

    /// Whether `record` conforms as the variant the checker will see it
    /// as (which it is then given) and can be written.
    fn conforms(&self, record: &mut Record) -> bool {
        let plan = &self.compiled.plan;
        let framing = self.layout.framing(plan, record.event);
        match classify(plan, record, framing) {
            Some((variant, true)) => record.variant = variant,
            _ => return false,
        }
        render(framing, record).is_ok()
    }

    /// Records for [`StreamMutationKind::Stray`]: for every part a rule's
    /// start state refuses, one record playing it, on this walk's host,
    /// its key values drawn afresh.
    fn strays(&mut self) -> Walked {
        let mut strays = Vec::new();
        for rule in 0..self.compiled.plan.rules.len() {
            for label in self.at_start(rule, false) {
                let Some((mut record, host)) = self.fresh(rule, label) else {
                    continue;
                };
                record.meta.hostname = host.clone();
                if self.conforms(&mut record) {
                    strays.push((record, host));
                }
            }
        }
        strays
    }

    /// The parts of rule `rule` its start state accepts (or refuses).
    fn at_start(&self, rule: usize, accepted: bool) -> Vec<usize> {
        let rule = &self.compiled.plan.rules[rule];
        let start = &rule.states[rule.start];
        (0..rule.labels.len())
            .filter(|&label| start.next[label].is_some() == accepted)
            .collect()
    }

    /// A record playing `label` of rule `rule` with key values of its own,
    /// and this walk's host.
    fn fresh(&mut self, rule: usize, label: usize) -> Option<(Record, String)> {
        let variants = self.variants_for(&self.compiled.plan.rules[rule], label);
        let record = self
            .pick(&variants)
            .and_then(|variant| self.sample(variant))?;
        Some((record, self.home.clone()))
    }
}

/// Writes `key` into `record` where rule `rule`'s `label` reads it; the
/// host the record must be logged on, when the key names it.
fn stitch(
    compiled: &Compiled,
    record: &mut Record,
    rule: &RulePlan,
    label: usize,
    key: &[String],
    format: logspec_reader::Format,
) -> Option<String> {
    let (parts, _) = &rule.keys[label];
    let mut host = None;
    for (part, value) in parts.iter().zip(key) {
        match (&part.field, part.envelope) {
            (Some(field), _) => {
                let written = match part.part {
                    Some(FieldPart::Host) => {
                        let current = record.value(field).map(|current| {
                            current.split(',').next().unwrap_or_default().to_owned()
                        });
                        with_host(current.as_deref(), value)
                    }
                    None => value.clone(),
                };
                set_field(compiled, record, field, &written, format);
            }
            (None, Some(EnvelopeValue::Host)) => host = Some(value.clone()),
            (None, Some(EnvelopeValue::Tag)) => record.meta.tag = value.clone(),
            (None, Some(EnvelopeValue::Pid | EnvelopeValue::File)) | (None, None) => {}
        }
    }
    host
}

/// `host` with the port of `current` (a `host:port`), or a usual one.
fn with_host(current: Option<&str>, host: &str) -> String {
    let port = current
        .and_then(|current| current.rsplit_once(':'))
        .map(|(_, port)| port)
        .filter(|port| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or("7443");
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// Sets field `name` of `record` (the first one), adding it where the
/// variant lists it when the record lacks it.
fn set_field(
    compiled: &Compiled,
    record: &mut Record,
    name: &str,
    value: &str,
    format: logspec_reader::Format,
) {
    if let Some(field) = record.fields.iter_mut().find(|field| field.key == name) {
        field.value = value.to_owned();
        if field.json == JsonKind::Null {
            field.json = JsonKind::String;
        }
        return;
    }
    let plan = &compiled.plan;
    let listed = &plan.events[record.event].variants[record.variant].fields;
    let rank = |key: &str| listed.iter().position(|field| field.name == key);
    let own = rank(name);
    let at = record
        .fields
        .iter()
        .position(|field| own.is_some_and(|own| rank(&field.key).is_some_and(|other| other > own)))
        .unwrap_or(record.fields.len());
    let spec = &compiled.spec;
    record.fields.insert(
        at,
        Field {
            written: written_name(spec, &spec.events[record.event], name, format),
            ..Field::new(name, value)
        },
    );
}

/// Every rule finding `records` raise, observed in order.
fn simulate(compiled: &Compiled, layout: &Layout, records: &Walked) -> Vec<RuleFinding> {
    let plan = &compiled.plan;
    let mut rules = Rules::new(plan);
    let mut findings = Vec::new();
    for (index, (record, host)) in records.iter().enumerate() {
        findings.extend(rules.observe(plan, index, &layout.seen(plan, record, host)));
    }
    findings.extend(rules.finish(plan));
    findings
}

/// `records` broken in one place whose one rule finding is predictable:
/// every candidate of every kind is tried, those that raise anything but
/// their one finding are dropped, and one is drawn: a rule first, then a
/// kind, so that rare ones are not drowned by frequent ones.
fn break_one(
    compiled: &Compiled,
    layout: &Layout,
    records: &Walked,
    strays: &Walked,
    sampler: &mut Sampler,
) -> Option<(Walked, RuleFinding, StreamMutationKind)> {
    let plan = &compiled.plan;
    // [rule][kind] → candidates.
    let mut by_rule: Vec<Vec<Vec<(Walked, RuleFinding, StreamMutationKind)>>> =
        vec![vec![Vec::new(); StreamMutationKind::ALL.len()]; plan.rules.len()];
    for (kind_index, kind) in StreamMutationKind::ALL.into_iter().enumerate() {
        for broken in candidates(compiled, layout, records, strays, kind) {
            let mut findings = simulate(compiled, layout, &broken);
            let Some(finding) = findings.pop() else {
                continue;
            };
            let rule = &plan.rules[finding.rule];
            let expected = match kind {
                StreamMutationKind::DropClosing => rule.unfinished,
                _ => rule.violation,
            };
            if findings.is_empty() && finding.code == expected {
                by_rule[finding.rule][kind_index].push((broken, finding, kind));
            }
        }
    }
    let mut groups: Vec<Vec<Vec<(Walked, RuleFinding, StreamMutationKind)>>> = by_rule
        .into_iter()
        .map(|kinds| {
            kinds
                .into_iter()
                .filter(|group| !group.is_empty())
                .collect::<Vec<_>>()
        })
        .filter(|kinds| !kinds.is_empty())
        .collect();
    if groups.is_empty() {
        return None;
    }
    let rule = sampler.sample(&(0..groups.len())).ok()?;
    let kinds = groups.get_mut(rule)?;
    let kind = sampler.sample(&(0..kinds.len())).ok()?;
    let group = kinds.get_mut(kind)?;
    let at = sampler.sample(&(0..group.len())).ok()?;
    Some(group.swap_remove(at))
}

/// Every way of breaking `records` by `kind` (`strays` inserted anywhere
/// for [`StreamMutationKind::Stray`]).
fn candidates(
    compiled: &Compiled,
    layout: &Layout,
    records: &Walked,
    strays: &Walked,
    kind: StreamMutationKind,
) -> Vec<Walked> {
    let n = records.len();
    match kind {
        StreamMutationKind::DropClosing => (0..n)
            .map(|at| {
                let mut broken = records.clone();
                broken.remove(at);
                broken
            })
            .collect(),
        StreamMutationKind::DuplicateTerminal => (0..n)
            .map(|at| {
                let mut broken = records.clone();
                broken.insert(at + 1, records[at].clone());
                broken
            })
            .collect(),
        StreamMutationKind::ReorderPair => (0..n)
            .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
            .map(|(i, j)| {
                let mut broken = records.clone();
                broken.swap(i, j);
                broken
            })
            .collect(),
        StreamMutationKind::Stray => strays
            .iter()
            .flat_map(|stray| {
                (0..=n).map(move |at| {
                    let mut broken = records.clone();
                    broken.insert(at, stray.clone());
                    broken
                })
            })
            .collect(),
        StreamMutationKind::ReuseKey => {
            let plan = &compiled.plan;
            let mut out = Vec::new();
            for rule in &plan.rules {
                for (later, (record, _)) in records.iter().enumerate() {
                    let Some(labels) = rule.roles.get(&(record.event, record.variant)) else {
                        continue;
                    };
                    for &label in labels {
                        for (first, first_host) in &records[..later] {
                            let Some(&first_label) = rule
                                .roles
                                .get(&(first.event, first.variant))
                                .and_then(|labels| labels.first())
                            else {
                                continue;
                            };
                            let seen = layout.seen(plan, first, first_host);
                            let (parts, separators) = &rule.keys[first_label];
                            let Some(key) = keys(parts, separators, &seen).into_iter().next()
                            else {
                                continue;
                            };
                            let mut broken = records.clone();
                            let framing = layout.framing(plan, record.event);
                            let (reused, host) = &mut broken[later];
                            if let Some(new_host) =
                                stitch(compiled, reused, rule, label, &key, framing.format())
                                    .filter(|_| layout.host_seen(framing))
                            {
                                *host = new_host;
                            }
                            if broken[later] != records[later] {
                                out.push(broken);
                            }
                        }
                    }
                }
            }
            out
        }
    }
}

/// The records, timed and split into inputs: one per record kind and host
/// (one per record for a kind whose input is one document).
fn assemble(
    compiled: &Rc<Compiled>,
    layout: &Layout,
    records: Walked,
    start_at: i64,
    gaps: &[i64],
    expected: Option<(RuleFinding, StreamMutationKind)>,
) -> Scenario {
    let plan = &compiled.plan;
    let several_kinds = layout.framings.iter().flatten().count() > 1;
    let mut inputs: Vec<(usize, ScenarioInput)> = Vec::new();
    let mut placed: Vec<(usize, usize)> = Vec::with_capacity(records.len());
    let mut time = start_at;
    for ((mut record, host), gap) in records.into_iter().zip(gaps) {
        record.meta.hostname = host.clone();
        let kind = plan.events[record.event].kind;
        let framing = layout.framing(plan, record.event);
        time += gap;
        record.meta.time = Instant(time);
        let source = compiled
            .spec
            .kinds()
            .nth(kind)
            .and_then(|kind| kind.timestamp.as_ref());
        Clock::new(Rc::clone(compiled), source, framing.format()).stamp(&mut record, Instant(time));
        let alone = crate::stream::one_record(framing);
        let at = inputs
            .iter()
            .position(|(of, input)| !alone && *of == kind && input.host == host)
            .unwrap_or_else(|| {
                let pattern = plan.kinds[kind].path_patterns().next();
                let name = match pattern {
                    Some(pattern) => format!("{host}/{}", instantiate(pattern, inputs.len())),
                    None if several_kinds => format!("{host}/{}.log", plan.kinds[kind].name),
                    None => format!("{host}.log"),
                };
                inputs.push((
                    kind,
                    ScenarioInput {
                        name,
                        host: host.clone(),
                        stream: Stream {
                            framing,
                            lines: Vec::new(),
                        },
                    },
                ));
                inputs.len() - 1
            });
        placed.push((at, inputs[at].1.stream.lines.len()));
        inputs[at].1.stream.lines.push(Line {
            record,
            mutation: None,
        });
    }
    let inputs: Vec<ScenarioInput> = inputs.into_iter().map(|(_, input)| input).collect();
    let expected = expected.and_then(|(finding, kind)| {
        let (input, position) = *placed.get(finding.record)?;
        let (_, starts) = inputs[input].stream.rendered().ok()?;
        let rule = &plan.rules[finding.rule];
        Some(StreamExpected {
            kind,
            code: finding.code,
            rule: rule.id.clone(),
            input,
            line: *starts.get(position)?,
            key: rule.describe_key(&finding.key),
        })
    });
    Scenario { inputs, expected }
}

/// A path a kind's pattern matches: `*` the input's number, `?` and `**`
/// a placeholder.
fn instantiate(pattern: &str, number: usize) -> String {
    pattern
        .replace("**", "x")
        .replace('*', &number.to_string())
        .replace('?', "x")
}
