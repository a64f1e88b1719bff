//! The spec's stream rules, followed record by record the way the rule
//! engine follows them, without asking it: a generated stream is walked
//! through every rule's lifecycle automaton here, and the checker's engine
//! is then held to what this walk predicts (no finding for a stream whose
//! every key ends accepting, exactly one for a stream broken in one
//! place). What the engine's compiled plan states about the spec (states,
//! transitions, which variants play which part, key extractors) is read
//! from it; what the engine does with records is worked out here.

use crate::exact;
use crate::record::Record;
use crate::Framing;
use logspec_checker::plan::VariantPlan;
use logspec_checker::rules::key::{keys, part_values};
use logspec_checker::rules::{RulePlan, StreamRecord};
use logspec_checker::{Code, Plan};
use std::collections::{BTreeMap, BTreeSet};
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
    /// Records that stepped the key (indices), the first sixteen.
    cited: Vec<usize>,
    violated: bool,
    /// First value per agreed field (index into the rule's `agree`).
    pub values: Vec<(usize, String)>,
}

#[derive(Debug, Clone, Default)]
struct Run {
    keys: BTreeMap<Vec<String>, KeyState>,
    scope_seen: Vec<BTreeSet<String>>,
}

/// Every rule's keys and their states so far.
#[derive(Debug, Clone)]
pub(crate) struct Rules {
    runs: Vec<Run>,
    kinds_seen: Vec<bool>,
}

/// What the engine sees of a record: its host when the checker learns
/// it (from the line, or told for the input).
pub(crate) fn stream_record(
    plan: &Plan,
    record: &Record,
    framing: Framing,
    host: Option<&str>,
) -> StreamRecord {
    StreamRecord {
        file: Arc::from(""),
        line: 0,
        event: record.event,
        variant: record.variant,
        host: host.map(str::to_owned),
        tag: framing.carries_tag().then(|| record.meta.tag.clone()),
        values: plan
            .rule_fields
            .iter()
            .filter_map(|name| {
                record
                    .value(name)
                    .map(|value| (Arc::clone(name), value.to_owned()))
            })
            .collect(),
        ..StreamRecord::default()
    }
}

impl Rules {
    pub fn new(plan: &Plan) -> Rules {
        Rules {
            runs: plan
                .rules
                .iter()
                .map(|rule| Run {
                    keys: BTreeMap::new(),
                    scope_seen: vec![BTreeSet::new(); rule.labels.len()],
                })
                .collect(),
            kinds_seen: vec![false; plan.kinds.len()],
        }
    }

    /// Keys of rule `rule` and their states.
    pub fn keys(&self, rule: usize) -> impl Iterator<Item = (&Vec<String>, &KeyState)> {
        self.runs[rule].keys.iter()
    }

    /// Steps every rule `record` (observed as the `index`th record) plays
    /// a part in; the findings that raises (an `unkeyed` note for a record
    /// without a key, reported at the end by the engine, is returned here).
    pub fn observe(
        &mut self,
        plan: &Plan,
        index: usize,
        record: &StreamRecord,
    ) -> Vec<RuleFinding> {
        let mut findings = Vec::new();
        let variant = (record.event, record.variant);
        if let Some(seen) = self.kinds_seen.get_mut(plan.events[record.event].kind) {
            *seen = true;
        }
        for (rule_index, (rule, run)) in plan.rules.iter().zip(&mut self.runs).enumerate() {
            if rule.resets.contains(&variant) {
                findings.extend(run.finish(rule_index, rule, &self.kinds_seen));
            }
            if let Some(scope) = rule.scope {
                run.witness(rule, scope, record);
            }
            let Some(labels) = rule.roles.get(&variant) else {
                continue;
            };
            for &label in labels {
                let (parts, separators) = &rule.keys[label];
                let derived = keys(parts, separators, record);
                if derived.is_empty() {
                    findings.push(RuleFinding {
                        code: Code::Unkeyed,
                        rule: rule_index,
                        record: index,
                        key: Vec::new(),
                    });
                }
                for key in derived {
                    findings.extend(run.step(rule_index, rule, label, key, index, record));
                }
            }
        }
        findings
    }

    /// The end of the stream: every unfinished key the engine reports.
    pub fn finish(&mut self, plan: &Plan) -> Vec<RuleFinding> {
        let kinds_seen = &self.kinds_seen;
        self.runs
            .iter_mut()
            .zip(&plan.rules)
            .enumerate()
            .flat_map(|(index, (run, rule))| run.finish(index, rule, kinds_seen))
            .collect()
    }
}

impl Run {
    fn witness(&mut self, rule: &RulePlan, scope: usize, record: &StreamRecord) {
        let variant = (record.event, record.variant);
        for (label, witnesses) in rule.scope_witnesses.iter().enumerate() {
            if !witnesses.contains(&variant) {
                continue;
            }
            let (parts, separators) = &rule.keys[label];
            if let (Some(part), Some(separator)) = (parts.get(scope), separators.get(scope)) {
                self.scope_seen[label].extend(part_values(part, separator, record));
            }
        }
    }

    fn step(
        &mut self,
        rule_index: usize,
        rule: &RulePlan,
        label: usize,
        key: Vec<String>,
        index: usize,
        record: &StreamRecord,
    ) -> Vec<RuleFinding> {
        let mut findings = Vec::new();
        let entry = self.keys.entry(key.clone()).or_insert_with(|| KeyState {
            state: rule.start,
            cited: Vec::new(),
            violated: false,
            values: Vec::new(),
        });
        match rule.states[entry.state].next[label] {
            Some(next) => entry.state = next,
            None => {
                entry.violated = true;
                findings.push(RuleFinding {
                    code: rule.violation,
                    rule: rule_index,
                    record: index,
                    key: key.clone(),
                });
            }
        }
        for (field_index, (field, _)) in rule.agree.iter().enumerate() {
            let Some(value) = record.value(field) else {
                continue;
            };
            match entry.values.iter().find(|(at, _)| *at == field_index) {
                Some((_, first)) if !rule.agrees(field_index, first, value) => {
                    findings.push(RuleFinding {
                        code: Code::Mismatch,
                        rule: rule_index,
                        record: index,
                        key: key.clone(),
                    })
                }
                Some(_) => {}
                None => entry.values.push((field_index, value.to_owned())),
            }
        }
        if entry.cited.len() < CITED_PER_KEY {
            entry.cited.push(index);
        }
        if rule.closed(entry.state) {
            entry.cited.truncate(1);
            entry.values.clear();
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
            if state.violated || rule.states[state.state].accepting {
                continue;
            }
            if !rule.end_observable(state.state, |kind| {
                kinds_seen.get(kind).copied().unwrap_or(true)
            }) {
                continue;
            }
            if let Some(scope) = rule.scope {
                let seen = rule
                    .awaited(state.state)
                    .any(|label| self.scope_seen[label].contains(&key[scope]));
                if !seen {
                    continue;
                }
            }
            if let Some(&last) = state.cited.last() {
                findings.push(RuleFinding {
                    code: rule.unfinished,
                    rule: rule_index,
                    record: last,
                    key: key.clone(),
                });
            }
        }
        self.keys.clear();
        findings
    }
}

/// The variant the checker classifies `record` as: the one with the fewest
/// errors, then the one whose emitters use its tag, then the fewest
/// warnings (a field out of the documented order), the first on a tie.
pub(crate) fn classify(plan: &Plan, record: &Record, framing: Framing) -> Option<(usize, bool)> {
    let event = plan.events.get(record.event)?;
    let key = plan.kinds[event.kind].event_key.as_deref();
    let scores = event.variants.iter().map(|variant| {
        let errors = exact::errors(plan, variant, record, framing);
        let wrong_tag = errors
            .iter()
            .filter(|(code, _)| *code == Code::EmitterMismatch)
            .count();
        (
            errors.len(),
            wrong_tag,
            usize::from(out_of_order(variant, record, key)),
        )
    });
    let (variant, best) = scores
        .enumerate()
        .min_by_key(|(index, score)| (*score, *index))?;
    Some((variant, best == (0, 0, 0)))
}

/// Whether a documented field comes before one the document puts earlier.
fn out_of_order(variant: &VariantPlan, record: &Record, event_key: Option<&str>) -> bool {
    if !variant.ordered {
        return false;
    }
    let mut previous = None;
    for (index, field) in record.fields.iter().enumerate() {
        let first = !record.fields[..index].iter().any(|f| f.key == field.key);
        if !first || Some(field.key.as_str()) == event_key {
            continue;
        }
        let Some(rank) = variant.fields.iter().position(|f| f.name == field.key) else {
            continue;
        };
        if previous.is_some_and(|previous| rank < previous) {
            return true;
        }
        previous = Some(rank);
    }
    false
}
