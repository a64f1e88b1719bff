//! The spec's stream rules, followed record by record the way the rule
//! engine follows them, without asking it: a scenario is walked through
//! every rule's lifecycle automaton here, and the checker's engine is then
//! held to what this prediction says (no finding for a stream whose every
//! key ends accepting, exactly one for a stream broken in one place).
//! What the engine's compiled plan states about the spec (states,
//! transitions, which variants play which part, key extractors, and the
//! facts [`RulePlan`] answers: `end_observable`, `awaited`, `judged`,
//! `closed`, `agrees`) is read from it; what the engine does with records
//! is worked out here.
//!
//! A walk tries each record before it keeps it, so every step can be
//! written to a [`Journal`] and taken back: trying a record costs the keys
//! it steps, not the keys the walk holds. Keys are also indexed by state,
//! so the walk finds the keys left open without visiting the closed ones.

use indexmap::{IndexMap, IndexSet};
use logspec_checker::rules::condition::{judge, remember, Memory, Verdict};
use logspec_checker::rules::fan_out::{self, FanState, FanStep};
use logspec_checker::rules::hosts::HostNames;
use logspec_checker::rules::join::Joined;
use logspec_checker::rules::key::{label_keys, scope_values};
use logspec_checker::rules::params::{rule_params, ParamValues};
use logspec_checker::rules::{RulePlan, StreamRecord};
use logspec_checker::{Code, Plan};
use logspec_reader::Instant;
use std::collections::BTreeSet;
use std::sync::Arc;

/// Records a key keeps for citing, as the engine keeps them.
const CITED_PER_KEY: usize = 16;

/// A finding the engine must raise: which rule, which record (an index
/// into the stream's order of observation) and for which key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct RuleFinding {
    pub code: Code,
    pub rule: usize,
    pub record: usize,
    pub key: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct KeyState {
    pub state: usize,
    /// Records that stepped the key (indices) and the part each played,
    /// the first sixteen.
    cited: Vec<(usize, usize)>,
    violated: bool,
    /// First value per agreed field (index into the rule's `agree`).
    pub values: Vec<(usize, String)>,
    /// What its records left for later conditions, one per label seen.
    pub memory: Vec<Memory>,
    /// The members a fan-out record listed, and the answers so far.
    pub fan: Option<Box<FanState>>,
}

impl KeyState {
    /// Whether the key waits for answers its fan-out listed (reported
    /// unfinished at the end unless a violation was).
    pub fn fan_open(&self) -> bool {
        !self.violated && self.fan.as_ref().is_some_and(|fan| fan.missing() > 0)
    }
}

#[derive(Debug, Clone)]
struct Run {
    keys: IndexMap<Vec<String>, KeyState>,
    /// Per state: the keys in it.
    by_state: Vec<IndexSet<Vec<String>>>,
    /// Keys waiting for fan-out answers.
    fan_open: IndexSet<Vec<String>>,
    /// Per label, per scope part: the values that label's side showed.
    scope_seen: Vec<Vec<BTreeSet<String>>>,
    /// The rule's parameter values, or why it is not run (a parameter the
    /// scenario is not checked with).
    params: Result<ParamValues, String>,
    /// Values remembered for key parts joined from earlier records.
    joined: Joined,
}

/// Every followed rule's keys and their states so far.
#[derive(Debug, Clone)]
pub(crate) struct Rules {
    runs: Vec<Run>,
    /// The rules followed (a prediction about some rules need not follow
    /// the others), in order.
    followed: Vec<usize>,
    kinds_seen: Vec<bool>,
    /// Where each input (and host in it) began, as the engine keeps it
    /// for `covered.W`: its first record's time.
    began: IndexMap<(Arc<str>, Option<String>), Instant>,
}

/// A record as a rule steps on it: its index in the stream's order, and
/// when its input began (for `covered.W`).
#[derive(Clone, Copy)]
struct Observed<'r> {
    index: usize,
    record: &'r StreamRecord,
    began: Option<Instant>,
}

/// What an observation changed, to take it back.
#[derive(Debug, Default)]
pub(crate) struct Journal {
    entries: Vec<Entry>,
}

#[derive(Debug)]
enum Entry {
    KindSeen(usize),
    /// An input's beginning, first noted.
    Began((Arc<str>, Option<String>)),
    ScopeSeen {
        rule: usize,
        label: usize,
        nth: usize,
        value: String,
    },
    /// A key's state before a step (`None`: the step created it).
    Key {
        rule: usize,
        key: Vec<String>,
        before: Option<KeyState>,
    },
    /// A rule's keys, all ended by a reset.
    Reset {
        rule: usize,
        keys: IndexMap<Vec<String>, KeyState>,
        by_state: Vec<IndexSet<Vec<String>>>,
        fan_open: IndexSet<Vec<String>>,
    },
    /// A rule's joined values before a record changed them.
    Joined {
        rule: usize,
        before: Joined,
    },
}

/// Every (rule, key) each of `records` steps, observed in order: joined key
/// parts read what the records before left (resets forget it).
pub(crate) fn stepped_in_order(
    plan: &Plan,
    records: &[StreamRecord],
) -> Vec<Vec<(usize, Vec<String>)>> {
    let mut joined: Vec<Joined> = plan
        .rules
        .iter()
        .map(|rule| Joined::new(&rule.joins))
        .collect();
    records
        .iter()
        .map(|record| {
            let variant = (record.event, record.variant);
            for (rule, joined) in plan.rules.iter().zip(&mut joined) {
                if rule.resets.contains(&variant) {
                    joined.clear();
                }
            }
            let keys = stepped_with(plan, record, &joined);
            for (rule, joined) in plan.rules.iter().zip(&mut joined) {
                for &label in rule.roles.get(&variant).into_iter().flatten() {
                    joined.remember(&rule.joins, label, record, usize::MAX);
                }
            }
            keys
        })
        .collect()
}

/// Every (rule, key) `record` steps, joined parts read from `joined` (one
/// per rule).
fn stepped_with(
    plan: &Plan,
    record: &StreamRecord,
    joined: &[Joined],
) -> Vec<(usize, Vec<String>)> {
    plan.rules
        .iter()
        .zip(joined)
        .enumerate()
        .flat_map(|(index, (rule, joined))| {
            let labels = rule.roles.get(&(record.event, record.variant));
            labels.into_iter().flatten().flat_map(move |&label| {
                // Scenarios are checked with no host mapping given.
                label_keys(rule, label, record, &HostNames::default(), joined)
                    .into_iter()
                    .map(move |key| (index, key))
            })
        })
        .collect()
}

/// The rules `record` plays a part in, resets or witnesses a scope of.
pub(crate) fn touched<'a>(
    plan: &'a Plan,
    record: &'a StreamRecord,
) -> impl Iterator<Item = usize> + 'a {
    let variant = (record.event, record.variant);
    plan.rules
        .iter()
        .enumerate()
        .filter_map(move |(index, rule)| {
            (rule.roles.contains_key(&variant)
                || rule.resets.contains(&variant)
                || rule
                    .scope_witnesses
                    .iter()
                    .any(|side| side.contains(&variant)))
            .then_some(index)
        })
}

/// Every rule finding `records`, observed in order, raise, following only
/// the rules `followed` names (all of them with `None`).
pub(crate) fn simulate<'r>(
    plan: &Plan,
    params: &[(String, String)],
    followed: Option<&[usize]>,
    records: impl IntoIterator<Item = &'r StreamRecord>,
) -> Vec<RuleFinding> {
    let mut rules = match followed {
        Some(only) => Rules::only(plan, params, only),
        None => Rules::new(plan, params),
    };
    let mut findings = Vec::new();
    for (index, record) in records.into_iter().enumerate() {
        findings.extend(rules.observe(plan, index, record, None));
    }
    findings.extend(rules.finish(plan));
    findings
}

impl Rules {
    /// Every rule followed, run with the parameters `params` sets (NAME
    /// → VALUE), as the checker runs them.
    pub fn new(plan: &Plan, params: &[(String, String)]) -> Rules {
        Rules::only(plan, params, &(0..plan.rules.len()).collect::<Vec<_>>())
    }

    /// Rules following only the rules `only` names.
    pub fn only(plan: &Plan, params: &[(String, String)], only: &[usize]) -> Rules {
        Rules {
            runs: plan
                .rules
                .iter()
                .map(|rule| Run {
                    keys: IndexMap::new(),
                    by_state: vec![IndexSet::new(); rule.states.len()],
                    fan_open: IndexSet::new(),
                    scope_seen: vec![vec![BTreeSet::new(); rule.scope.len()]; rule.labels.len()],
                    params: rule_params(rule, params),
                    joined: Joined::new(&rule.joins),
                })
                .collect(),
            followed: (0..plan.rules.len())
                .filter(|rule| only.contains(rule))
                .collect(),
            kinds_seen: vec![false; plan.kinds.len()],
            began: IndexMap::new(),
        }
    }

    /// The state of `key` of rule `rule`.
    pub fn key(&self, rule: usize, key: &[String]) -> Option<&KeyState> {
        self.runs[rule].keys.get(key)
    }

    /// The keys of rule `rule` in `state`.
    pub fn in_state(&self, rule: usize, state: usize) -> &IndexSet<Vec<String>> {
        &self.runs[rule].by_state[state]
    }

    /// Every (rule, key) `record` steps, joined key parts read from what
    /// the records observed so far left.
    pub fn stepped(&self, plan: &Plan, record: &StreamRecord) -> Vec<(usize, Vec<String>)> {
        let joined: Vec<Joined> = self.runs.iter().map(|run| run.joined.clone()).collect();
        stepped_with(plan, record, &joined)
    }

    /// Whether `key` of rule `rule`, left in `state`, would be judged at
    /// the end under the rule's `scope` as things stand.
    pub fn judged(&self, plan: &Plan, rule: usize, key: &[String], state: usize) -> bool {
        let seen = &self.runs[rule].scope_seen;
        plan.rules[rule].judged(state, key, |label, nth, value| {
            seen[label][nth].contains(value)
        })
    }

    /// The keys of rule `rule` waiting for fan-out answers.
    pub fn fan_open(&self, rule: usize) -> &IndexSet<Vec<String>> {
        &self.runs[rule].fan_open
    }

    /// Steps every followed rule `record` (observed as the `index`th
    /// record) plays a part in; the findings that raises (an `unkeyed`
    /// note for a record without a key, reported at the end by the
    /// engine, is returned here). With a journal, what changed is written
    /// to it, so that [`undo`](Self::undo) takes it back.
    pub fn observe(
        &mut self,
        plan: &Plan,
        index: usize,
        record: &StreamRecord,
        mut journal: Option<&mut Journal>,
    ) -> Vec<RuleFinding> {
        let mut findings = Vec::new();
        let variant = (record.event, record.variant);
        let kind = plan.events[record.event].kind;
        if let Some(seen) = self.kinds_seen.get_mut(kind) {
            if !*seen {
                *seen = true;
                if let Some(journal) = journal.as_deref_mut() {
                    journal.entries.push(Entry::KindSeen(kind));
                }
            }
        }
        let began = self.began(record, journal.as_deref_mut());
        for &rule_index in &self.followed {
            let (rule, run) = (&plan.rules[rule_index], &mut self.runs[rule_index]);
            if run.params.is_err() {
                // Not run: the engine notes it once (`rule-unchecked`, a
                // note on how the check was run, not a verdict on the
                // stream, so not predicted here), and judges nothing.
                continue;
            }
            if rule.resets.contains(&variant) {
                findings.extend(run.finish(rule_index, rule, &self.kinds_seen));
                let keys = std::mem::take(&mut run.keys);
                let by_state =
                    std::mem::replace(&mut run.by_state, vec![IndexSet::new(); rule.states.len()]);
                let fan_open = std::mem::take(&mut run.fan_open);
                if let Some(journal) = journal.as_deref_mut() {
                    journal.entries.push(Entry::Reset {
                        rule: rule_index,
                        keys,
                        by_state,
                        fan_open,
                    });
                    if !rule.joins.is_empty() {
                        journal.entries.push(Entry::Joined {
                            rule: rule_index,
                            before: run.joined.clone(),
                        });
                    }
                }
                run.joined.clear();
            }
            if !rule.scope.is_empty() {
                run.witness(rule_index, rule, record, journal.as_deref_mut());
            }
            let Some(labels) = rule.roles.get(&variant) else {
                continue;
            };
            if rule.joins.iter().any(|join| labels.contains(&join.label)) {
                if let Some(journal) = journal.as_deref_mut() {
                    journal.entries.push(Entry::Joined {
                        rule: rule_index,
                        before: run.joined.clone(),
                    });
                }
            }
            for &label in labels {
                let derived = label_keys(rule, label, record, &HostNames::default(), &run.joined);
                if derived.is_empty() {
                    findings.push(RuleFinding {
                        code: Code::Unkeyed,
                        rule: rule_index,
                        record: index,
                        key: Vec::new(),
                    });
                }
                for key in derived {
                    if let Some(journal) = journal.as_deref_mut() {
                        journal.entries.push(Entry::Key {
                            rule: rule_index,
                            key: key.clone(),
                            before: run.keys.get(&key).cloned(),
                        });
                    }
                    let observed = Observed {
                        index,
                        record,
                        began,
                    };
                    findings.extend(run.step(plan, (rule_index, label), key, observed));
                }
            }
            // After the record's own keys, as the engine: a record joins
            // only earlier ones.
            for &label in labels {
                run.joined.remember(&rule.joins, label, record, usize::MAX);
            }
        }
        findings
    }

    /// When `record`'s input (and host) began, noting its time if it is
    /// the first: as the engine, nothing for a record without a time. A
    /// record alone in an input the walk did not place (its input stands
    /// as "") began its input itself.
    fn began(&mut self, record: &StreamRecord, journal: Option<&mut Journal>) -> Option<Instant> {
        let at = record.at?;
        if record.file.is_empty() {
            return Some(at);
        }
        let place = (
            Arc::clone(&record.file),
            record.host.as_deref().map(str::to_owned),
        );
        if let Some(&began) = self.began.get(&place) {
            return Some(began);
        }
        if let Some(journal) = journal {
            journal.entries.push(Entry::Began(place.clone()));
        }
        self.began.insert(place, at);
        Some(at)
    }

    /// Takes back every change `journal` holds, last first.
    pub fn undo(&mut self, journal: Journal) {
        for entry in journal.entries.into_iter().rev() {
            match entry {
                Entry::KindSeen(kind) => self.kinds_seen[kind] = false,
                Entry::Began(place) => {
                    self.began.swap_remove(&place);
                }
                Entry::ScopeSeen {
                    rule,
                    label,
                    nth,
                    value,
                } => {
                    self.runs[rule].scope_seen[label][nth].remove(&value);
                }
                Entry::Key { rule, key, before } => {
                    let run = &mut self.runs[rule];
                    if let Some(now) = run.keys.get(&key) {
                        run.by_state[now.state].swap_remove(&key);
                    }
                    run.fan_open.swap_remove(&key);
                    match before {
                        Some(before) => {
                            run.by_state[before.state].insert(key.clone());
                            if before.fan_open() {
                                run.fan_open.insert(key.clone());
                            }
                            run.keys.insert(key, before);
                        }
                        None => {
                            run.keys.swap_remove(&key);
                        }
                    }
                }
                Entry::Joined { rule, before } => self.runs[rule].joined = before,
                Entry::Reset {
                    rule,
                    keys,
                    by_state,
                    fan_open,
                } => {
                    let run = &mut self.runs[rule];
                    run.keys = keys;
                    run.by_state = by_state;
                    run.fan_open = fan_open;
                }
            }
        }
    }

    /// The end of the stream: every unfinished key the engine reports.
    pub fn finish(&mut self, plan: &Plan) -> Vec<RuleFinding> {
        let mut findings = Vec::new();
        for &index in &self.followed {
            let run = &mut self.runs[index];
            if run.params.is_err() {
                continue;
            }
            findings.extend(run.finish(index, &plan.rules[index], &self.kinds_seen));
        }
        findings
    }
}

impl Run {
    fn witness(
        &mut self,
        rule_index: usize,
        rule: &RulePlan,
        record: &StreamRecord,
        mut journal: Option<&mut Journal>,
    ) {
        let variant = (record.event, record.variant);
        for (label, witnesses) in rule.scope_witnesses.iter().enumerate() {
            if !witnesses.contains(&variant) {
                continue;
            }
            for (nth, &part) in rule.scope.iter().enumerate() {
                let hosts = HostNames::default();
                for value in scope_values(rule, label, part, record, &hosts, &self.joined) {
                    if self.scope_seen[label][nth].insert(value.clone()) {
                        if let Some(journal) = journal.as_deref_mut() {
                            journal.entries.push(Entry::ScopeSeen {
                                rule: rule_index,
                                label,
                                nth,
                                value,
                            });
                        }
                    }
                }
            }
        }
    }

    fn step(
        &mut self,
        plan: &Plan,
        (rule_index, label): (usize, usize),
        key: Vec<String>,
        observed: Observed<'_>,
    ) -> Vec<RuleFinding> {
        let Observed {
            index,
            record,
            began,
        } = observed;
        let rule = &plan.rules[rule_index];
        let mut findings = Vec::new();
        let finding = |code: Code| RuleFinding {
            code,
            rule: rule_index,
            record: index,
            key: key.clone(),
        };
        let entry = self.keys.entry(key.clone()).or_insert_with(|| KeyState {
            state: rule.start,
            cited: Vec::new(),
            violated: false,
            values: Vec::new(),
            memory: Vec::new(),
            fan: None,
        });
        let before = entry.state;
        let params = self.params.as_deref().unwrap_or_default();
        let event = &plan.events[record.event].id;
        match judge(
            rule,
            label,
            record,
            event,
            &entry.memory,
            params,
            &key,
            began,
            before,
        ) {
            Some(Verdict::Fails(_)) => findings.push(finding(Code::ConditionViolation)),
            Some(Verdict::Error(_)) => findings.push(finding(Code::ConditionError)),
            Some(Verdict::Holds) | None => {}
        }
        remember(&mut entry.memory, rule, label, record, params);
        match rule.states[entry.state].next[label] {
            Some(next) => entry.state = next,
            None => {
                entry.violated = true;
                findings.push(finding(rule.violation));
            }
        }
        if let Some(fan) = &rule.fan_out {
            // Scenarios are checked with no host mapping given.
            match fan_out::step(fan, label, record, &HostNames::default(), &mut entry.fan) {
                FanStep::Listed { cut } if cut > 0 => findings.push(finding(Code::StateEvicted)),
                FanStep::Answered(refusals) => {
                    for _ in refusals {
                        entry.violated = true;
                        findings.push(finding(rule.violation));
                    }
                }
                _ => {}
            }
        }
        for (field_index, (field, _)) in rule.agree.iter().enumerate() {
            let Some(value) = record.value(field) else {
                continue;
            };
            match entry.values.iter().find(|(at, _)| *at == field_index) {
                Some((_, first)) if !rule.agrees(field_index, first, value) => {
                    findings.push(finding(Code::Mismatch))
                }
                Some(_) => {}
                None => entry.values.push((field_index, value.to_owned())),
            }
        }
        if entry.cited.len() < CITED_PER_KEY {
            entry.cited.push((index, label));
        }
        if rule.closed(entry.state) {
            entry.cited.truncate(1);
            entry.values.clear();
            entry.memory = Vec::new();
        }
        let after = entry.state;
        let fan_open = entry.fan_open();
        if before != after || !self.by_state[before].contains(&key) {
            self.by_state[before].swap_remove(&key);
            self.by_state[after].insert(key.clone());
        }
        if fan_open {
            self.fan_open.insert(key);
        } else {
            self.fan_open.swap_remove(&key);
        }
        findings
    }

    fn finish(
        &mut self,
        rule_index: usize,
        rule: &RulePlan,
        kinds_seen: &[bool],
    ) -> Vec<RuleFinding> {
        let mut findings = Vec::new();
        for (key, state) in &self.keys {
            if state.violated {
                continue;
            }
            if rule.states[state.state].accepting {
                // Only a fan-out can be unfinished: reported at the
                // record that listed the members, if its answers' kinds
                // were read.
                let (Some(fan), Some(plan)) = (&state.fan, &rule.fan_out) else {
                    continue;
                };
                let listing = state
                    .cited
                    .iter()
                    .find(|(_, label)| *label == plan.list_label);
                let held = rule.label_kinds[plan.member_label]
                    .iter()
                    .any(|&kind| kinds_seen.get(kind).copied().unwrap_or(true));
                if let (true, Some(&(at, _)), true) = (fan.missing() > 0, listing, held) {
                    findings.push(RuleFinding {
                        code: rule.unfinished,
                        rule: rule_index,
                        record: at,
                        key: key.clone(),
                    });
                }
                continue;
            }
            if !rule.end_observable(state.state, |kind| {
                kinds_seen.get(kind).copied().unwrap_or(true)
            }) {
                continue;
            }
            if !rule.judged(state.state, key, |label, nth, value| {
                self.scope_seen[label][nth].contains(value)
            }) {
                continue;
            }
            if let Some(&(last, _)) = state.cited.last() {
                findings.push(RuleFinding {
                    code: rule.unfinished,
                    rule: rule_index,
                    record: last,
                    key: key.clone(),
                });
            }
        }
        findings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// A spec with one lock rule: acquired, then released, per LOCK.
    const SPEC: &str = r#"logspec: 1
producer: {name: locks, summary: Locks.}
document: {title: Locks}
wire: {envelopes: [bare], payload: key-value, event_key: EVENT}
severity: {levels: [{name: INFO, syslog: 6}]}
emitters: [{name: app, tags: [{tag: locks, source: here}]}]
fields:
  EVENT: {type: string, description: Event.}
  LOCK: {type: string, description: Lock name.}
events:
  - {id: acquire, section: s, variants: [{name: default, severity: INFO, fields: [EVENT, LOCK]}]}
  - {id: release, section: s, variants: [{name: default, severity: INFO, fields: [EVENT, LOCK]}]}
  - {id: restart, section: s, variants: [{name: default, severity: INFO, fields: [EVENT]}]}
rules:
  - id: locks-are-released
    description: A lock acquired is released.
    key: [LOCK]
    participants:
      - {label: acquire, match: [acquire], key: [{field: LOCK}]}
      - {label: release, match: [release], key: [{field: LOCK}]}
    lifecycle:
      start: free
      states:
        free: {accepting: true, on: {acquire: held}}
        held: {on: {release: free}}
    reset_on: [restart]
"#;

    fn plan() -> Plan {
        let spec = logspec_spec::load_str(SPEC, "locks.yaml")
            .expect("the test spec loads")
            .spec;
        Plan::new(&spec).expect("spec compiles")
    }

    fn record(plan: &Plan, event: &str, lock: &str) -> StreamRecord {
        let event = plan
            .events
            .iter()
            .position(|e| *e.id == *event)
            .expect("a test event");
        StreamRecord {
            file: Arc::from(""),
            line: 0,
            event,
            variant: 0,
            values: vec![(Arc::from("LOCK"), lock.into())],
            ..StreamRecord::default()
        }
    }

    #[test]
    fn a_lifecycle_kept_raises_nothing_and_one_left_open_is_unfinished() {
        let plan = plan();
        let kept = [record(&plan, "acquire", "a"), record(&plan, "release", "a")];
        assert_eq!(simulate(&plan, &[], None, &kept), Vec::new());
        let open = [record(&plan, "acquire", "a")];
        assert_eq!(
            simulate(&plan, &[], None, &open),
            vec![RuleFinding {
                code: Code::Incomplete,
                rule: 0,
                record: 0,
                key: vec!["a".to_owned()],
            }]
        );
        // The reset ends the lifecycle: reported at the reset, then gone.
        let reset = [record(&plan, "acquire", "a"), record(&plan, "restart", "")];
        assert_eq!(simulate(&plan, &[], None, &reset).len(), 1);
    }

    #[test]
    fn a_part_the_state_refuses_is_a_violation() {
        let plan = plan();
        let stray = [record(&plan, "release", "a")];
        let findings = simulate(&plan, &[], None, &stray);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].code, Code::SequenceViolation);
        // Not followed: nothing predicted.
        assert_eq!(simulate(&plan, &[], Some(&[]), &stray), Vec::new());
    }

    #[test]
    fn undo_takes_a_step_back_and_keys_are_indexed_by_state() {
        let plan = plan();
        let mut rules = Rules::new(&plan, &[]);
        rules.observe(&plan, 0, &record(&plan, "acquire", "a"), None);
        let shown = |rules: &Rules| {
            rules
                .key(0, &["a".to_owned()])
                .map(|key| (key.state, key.cited.clone(), key.values.clone()))
        };
        let held = shown(&rules);
        assert_eq!(rules.in_state(0, 1).len(), 1);
        let mut journal = Journal::default();
        rules.observe(&plan, 1, &record(&plan, "release", "a"), Some(&mut journal));
        rules.observe(&plan, 2, &record(&plan, "acquire", "b"), Some(&mut journal));
        assert_eq!(rules.in_state(0, 0).len(), 1);
        assert_eq!(rules.in_state(0, 1).len(), 1);
        rules.undo(journal);
        assert_eq!(shown(&rules), held);
        assert!(rules.key(0, &["b".to_owned()]).is_none());
        assert_eq!(rules.in_state(0, 0).len(), 0);
        assert_eq!(rules.in_state(0, 1).len(), 1);
        // A reset taken back brings its keys back.
        let mut journal = Journal::default();
        rules.observe(&plan, 1, &record(&plan, "restart", ""), Some(&mut journal));
        assert!(rules.key(0, &["a".to_owned()]).is_none());
        rules.undo(journal);
        assert_eq!(shown(&rules), held);
        assert_eq!(rules.in_state(0, 1).len(), 1);
    }

    #[test]
    fn conditions_and_parameters_are_followed_as_the_engine_follows_them() {
        let spec = r#"logspec: 1
producer: {name: limits, summary: Limits.}
document: {title: Limits}
wire: {envelopes: [bare], payload: key-value, event_key: EVENT}
severity: {levels: [{name: INFO, syslog: 6}]}
emitters: [{name: app, tags: [{tag: limits, source: here}]}]
fields:
  EVENT: {type: string, description: Event.}
  LOCK: {type: string, description: Lock name.}
  COUNT: {type: integer, description: A number.}
events:
  - {id: acquire, section: s, variants: [{name: default, severity: INFO, fields: [EVENT, LOCK, COUNT]}]}
rules:
  - id: under-the-limit
    description: COUNT stays under the limit and grows per lock.
    key: [LOCK]
    params:
      limit: {type: integer, description: The limit.}
    participants:
      - label: acquire
        match: [acquire]
        key: [{field: LOCK}]
        require: "record.COUNT < params.limit && (!has(earlier.acquire) || record.COUNT > earlier.acquire.COUNT)"
"#;
        let spec = logspec_spec::load_str(spec, "limits.yaml")
            .expect("the test spec loads")
            .spec;
        let plan = Plan::new(&spec).expect("the test spec compiles");
        let acquire = |n: &str| StreamRecord {
            file: Arc::from(""),
            event: 0,
            variant: 0,
            values: vec![
                (Arc::from("LOCK"), "a".into()),
                (Arc::from("COUNT"), n.into()),
            ],
            ..StreamRecord::default()
        };
        let codes = |params: &[(String, String)], ns: &[&str]| -> Vec<Code> {
            let records: Vec<StreamRecord> = ns.iter().map(|n| acquire(n)).collect();
            simulate(&plan, params, None, &records)
                .into_iter()
                .map(|finding| finding.code)
                .collect()
        };
        // Not given its parameter, the rule is not run: it judges nothing,
        // even a record over the limit (the checker's note that it did not
        // run is no verdict on the stream).
        assert_eq!(codes(&[], &["1", "99"]), Vec::new());
        let limit = [("limit".to_owned(), "5".to_owned())];
        assert_eq!(codes(&limit, &["1", "2", "4"]), Vec::new());
        assert_eq!(codes(&limit, &["1", "7"]), vec![Code::ConditionViolation]);
        assert_eq!(codes(&limit, &["2", "1"]), vec![Code::ConditionViolation]);
        assert_eq!(codes(&limit, &["x"]), vec![Code::ConditionError]);
    }
}
