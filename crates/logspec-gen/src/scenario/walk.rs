//! Walking lifecycles: records are drawn one at a time, either free (any
//! variant), opening a lifecycle of a rule (so that rules of rare events
//! get walked too) or continuing a key that is still open (a transition
//! its state allows). A record is kept only if no rule objects to it and
//! every key it leaves unfinished can be followed by a record that no
//! rule objects to either. At the end each unfinished key is walked to an
//! accepting state.
//!
//! Every step costs the keys the record steps, not the keys the walk
//! holds: a record is tried on the followed rules and taken back through
//! their journal when it is refused, and open keys are found through the
//! rules' index of keys by state. A walk is linear in its records.

use super::draw::{Draw, Drawn};
use super::rules::{stepped, Journal, Rules};
use super::Walked;
use logspec_checker::rules::{RulePlan, StreamRecord};
use std::collections::VecDeque;

/// Records drawn for one record that the walk keeps, at most.
const ATTEMPTS_PER_RECORD: usize = 8;
/// Records drawn to show that an unfinished key can be followed.
const FOLLOW_TRIES: usize = 8;
/// Records drawn per label to walk an unfinished key on at the end.
const CLOSE_TRIES: usize = 12;

pub(crate) struct Walk<'c> {
    pub draw: Draw<'c>,
    /// The records kept, in the order the checker will observe them.
    pub records: Walked,
    /// What the engine sees of each record kept.
    pub seen: Vec<StreamRecord>,
    rules: Rules,
    /// Per rule, per state: whether a key left there is reported (not
    /// accepting, and waiting for records of a kind the walk writes).
    unfinished_in: Vec<Vec<bool>>,
    /// Per rule, per state: whether a key there may see a further record.
    continuable_in: Vec<Vec<bool>>,
}

impl<'c> Walk<'c> {
    pub fn new(draw: Draw<'c>) -> Walk<'c> {
        let plan = &draw.compiled.plan;
        let judged = |rule: &RulePlan, state: usize| {
            rule.end_observable(state, |kind| draw.layout.writes(kind))
        };
        let unfinished_in = plan
            .rules
            .iter()
            .map(|rule| {
                (0..rule.states.len())
                    .map(|state| !rule.states[state].accepting && judged(rule, state))
                    .collect()
            })
            .collect();
        let continuable_in = plan
            .rules
            .iter()
            .map(|rule| {
                (0..rule.states.len())
                    .map(|state| rule.awaited(state).next().is_some())
                    .collect()
            })
            .collect();
        Walk {
            rules: Rules::new(plan),
            records: Vec::new(),
            seen: Vec::new(),
            unfinished_in,
            continuable_in,
            draw,
        }
    }

    /// Draws up to `target` records: free ones, ones opening a lifecycle
    /// of a rule, or ones continuing an open key.
    pub fn draw(&mut self, target: usize) {
        let mut attempts = 0;
        while self.records.len() < target && attempts < target * ATTEMPTS_PER_RECORD {
            attempts += 1;
            let candidate = if self.draw.chance(0.6) {
                self.open_key().and_then(|(rule, key, state)| {
                    let labels: Vec<usize> = self.rule(rule).awaited(state).collect();
                    let labels: Vec<usize> = labels
                        .into_iter()
                        .filter(|&label| self.draw.writable(rule, label, &key))
                        .collect();
                    let label = self.draw.pick(&labels)?;
                    let agreed = self.agreed(rule, &key);
                    self.draw.continuing(rule, label, &key, &agreed)
                })
            } else if self.draw.chance(0.5) {
                let rules: Vec<usize> = (0..self.draw.compiled.plan.rules.len()).collect();
                self.draw.pick(&rules).and_then(|rule| {
                    let labels = self.at_start(rule, true);
                    let label = self.draw.pick(&labels)?;
                    self.draw.fresh(rule, label)
                })
            } else {
                self.draw.any()
            };
            if let Some(drawn) = candidate {
                self.admit(drawn);
            }
        }
    }

    /// Walks every unfinished key to an accepting state; `None` when one
    /// cannot be.
    pub fn close(&mut self) -> Option<()> {
        let budget = (self.records.len() + 1) * 16;
        for _ in 0..budget {
            let Some((rule, key, state)) = self.first_unfinished() else {
                return Some(());
            };
            // The shortest way's first step, then any other.
            let first = *self.path(rule, &key, state)?.first()?;
            let labels: Vec<usize> = [first]
                .into_iter()
                .chain(
                    self.rule(rule)
                        .finishing(state)
                        .filter(|&label| label != first),
                )
                .collect();
            let agreed = self.agreed(rule, &key);
            let closed = labels.into_iter().any(|label| {
                (0..CLOSE_TRIES).any(|_| {
                    self.draw
                        .continuing(rule, label, &key, &agreed)
                        .is_some_and(|drawn| self.admit(drawn))
                })
            });
            if !closed {
                return None;
            }
        }
        self.first_unfinished().is_none().then_some(())
    }

    /// Records for [`StreamMutationKind::Stray`](super::StreamMutationKind):
    /// for every part a rule's start state refuses, one record playing
    /// it, on the home host, its key values drawn afresh; with its rule.
    pub fn strays(&mut self) -> Vec<(usize, Drawn)> {
        let mut strays = Vec::new();
        for rule in 0..self.draw.compiled.plan.rules.len() {
            for label in self.at_start(rule, false) {
                let Some((mut record, host)) = self.draw.fresh(rule, label) else {
                    continue;
                };
                record.meta.hostname = host.clone();
                if self.draw.conforms(&mut record) {
                    strays.push((rule, (record, host)));
                }
            }
        }
        strays
    }

    fn rule(&self, rule: usize) -> &'c RulePlan {
        &self.draw.compiled.plan.rules[rule]
    }

    /// The values `key` of rule `rule` agreed on so far.
    fn agreed(&self, rule: usize, key: &[String]) -> Vec<(usize, String)> {
        self.rules
            .key(rule, key)
            .map(|state| state.values.clone())
            .unwrap_or_default()
    }

    /// A key whose state allows a further record, drawn: a rule first, so
    /// that every rule's lifecycles get walked, then one of its keys.
    fn open_key(&mut self) -> Option<(usize, Vec<String>, usize)> {
        let counts: Vec<(usize, usize)> = (0..self.continuable_in.len())
            .map(|rule| (rule, self.count(rule, &self.continuable_in[rule])))
            .filter(|(_, count)| *count > 0)
            .collect();
        let (rule, count) = self.draw.pick(&counts)?;
        let at = self.draw.sampler.sample(&(0..count)).ok()?;
        self.nth(rule, &self.continuable_in[rule], at)
    }

    /// The first key left where it would be reported unfinished.
    fn first_unfinished(&self) -> Option<(usize, Vec<String>, usize)> {
        (0..self.unfinished_in.len()).find_map(|rule| self.nth(rule, &self.unfinished_in[rule], 0))
    }

    /// Keys of rule `rule` in the states `states` marks.
    fn count(&self, rule: usize, states: &[bool]) -> usize {
        (0..states.len())
            .filter(|&state| states[state])
            .map(|state| self.rules.in_state(rule, state).len())
            .sum()
    }

    /// The `at`th key of rule `rule` in the states `states` marks.
    fn nth(
        &self,
        rule: usize,
        states: &[bool],
        mut at: usize,
    ) -> Option<(usize, Vec<String>, usize)> {
        for state in (0..states.len()).filter(|&state| states[state]) {
            let keys = self.rules.in_state(rule, state);
            if at < keys.len() {
                return keys.get_index(at).map(|key| (rule, key.clone(), state));
            }
            at -= keys.len();
        }
        None
    }

    /// The labels of a shortest way from `state` to an accepting state
    /// that the walk can write records for.
    fn path(&self, rule: usize, key: &[String], state: usize) -> Option<Vec<usize>> {
        let plan = self.rule(rule);
        let mut queue = VecDeque::from([(state, Vec::new())]);
        let mut seen = vec![false; plan.states.len()];
        seen[state] = true;
        while let Some((at, path)) = queue.pop_front() {
            if plan.states[at].accepting {
                return Some(path);
            }
            for (label, next) in plan.states[at].next.iter().enumerate() {
                let Some(next) = *next else { continue };
                if seen[next] || !self.draw.writable(rule, label, key) {
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

    /// Keeps a drawn record if it conforms as the variant the checker
    /// will see, no rule objects to it, and every key it leaves unfinished
    /// can be followed by a record no rule objects to.
    fn admit(&mut self, (mut record, host): Drawn) -> bool {
        record.meta.hostname = host.clone();
        if !self.draw.conforms(&mut record) {
            return false;
        }
        let compiled = self.draw.compiled;
        let plan = &compiled.plan;
        let seen = self.draw.layout.seen(plan, &record, &host);
        // A reset ends every lifecycle of its rules: refused while one of
        // them would be reported, without trying it.
        let variant = (record.event, record.variant);
        let resets_open = plan.rules.iter().enumerate().any(|(rule, plan)| {
            plan.resets.contains(&variant) && self.count(rule, &self.unfinished_in[rule]) > 0
        });
        if resets_open {
            return false;
        }
        let index = self.records.len();
        let mut journal = Journal::default();
        let objections = self.rules.observe(plan, index, &seen, Some(&mut journal));
        let followable = objections.is_empty()
            && stepped(plan, &seen).into_iter().all(|(rule, key)| {
                match self.rules.key(rule, &key).map(|state| state.state) {
                    Some(state) if self.unfinished_in[rule][state] => {
                        self.followable(rule, &key, state, index + 1)
                    }
                    _ => true,
                }
            });
        if !followable {
            self.rules.undo(journal);
            return false;
        }
        self.records.push((record, host));
        self.seen.push(seen);
        true
    }

    /// Whether a record that conforms and that no rule objects to can
    /// take `key` of rule `rule`, in `state`, one step on towards an
    /// accepting state (a few are drawn): a path is not enough when the
    /// record a key needs next breaks another rule (a close for a
    /// connection never accepted) or cannot carry a value the key holds.
    fn followable(&mut self, rule: usize, key: &[String], state: usize, index: usize) -> bool {
        let Some(label) = self
            .path(rule, key, state)
            .and_then(|path| path.first().copied())
        else {
            return false;
        };
        let agreed = self.agreed(rule, key);
        let plan = &self.draw.compiled.plan;
        (0..FOLLOW_TRIES).any(|_| {
            let Some((mut record, host)) = self.draw.continuing(rule, label, key, &agreed) else {
                return false;
            };
            record.meta.hostname = host.clone();
            if !self.draw.conforms(&mut record) {
                return false;
            }
            let seen = self.draw.layout.seen(plan, &record, &host);
            let mut journal = Journal::default();
            let kept = self
                .rules
                .observe(plan, index, &seen, Some(&mut journal))
                .is_empty();
            self.rules.undo(journal);
            kept
        })
    }

    /// The parts of rule `rule` its start state accepts (or refuses).
    fn at_start(&self, rule: usize, accepted: bool) -> Vec<usize> {
        let rule = self.rule(rule);
        let start = &rule.states[rule.start];
        (0..rule.labels.len())
            .filter(|&label| start.next[label].is_some() == accepted)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::rules::simulate;
    use super::super::testing::{compiled, layout, rule_index};
    use super::*;
    use crate::scenario::Hosts;
    use crate::Framing;
    use logspec_reader::Format;

    fn walk<'c>(compiled: &'c crate::generator::Compiled, framing: Framing, seed: u64) -> Walk<'c> {
        let layout = layout(compiled, framing, Hosts::Told);
        Walk::new(Draw::new(compiled, layout, seed).expect("a draw"))
    }

    #[test]
    fn a_closed_walk_raises_nothing_and_steps_its_rules() {
        for (name, format) in [
            ("ctrl-exec", Format::Rfc3164),
            ("rce-eventlog", Format::JsonLines),
            ("prexorcloud", Format::Logback),
            ("agent-hub", Format::JsonLines),
        ] {
            let compiled = compiled(name);
            let mut stepped_rules = std::collections::BTreeSet::new();
            for seed in 0..4 {
                let mut walk = walk(&compiled, Framing::default_of(format), seed);
                walk.draw(60);
                walk.close()
                    .unwrap_or_else(|| panic!("{name}: seed {seed} closes"));
                assert!(walk.records.len() >= 60, "{name}: {}", walk.records.len());
                let plan = &compiled.plan;
                assert_eq!(simulate(plan, None, &walk.seen), Vec::new(), "{name}");
                for seen in &walk.seen {
                    stepped_rules.extend(stepped(plan, seen).into_iter().map(|(rule, _)| rule));
                }
            }
            assert!(!stepped_rules.is_empty(), "{name}: no rule stepped");
        }
    }

    #[test]
    fn a_record_whose_key_cannot_be_followed_is_refused() {
        // An Uplink refusal needs the connection's close next, which only
        // an accepted connection may log: refused for a connection that
        // was never accepted.
        let compiled = compiled("rce-eventlog");
        let mut walk = walk(&compiled, Framing::default_of(Format::JsonLines), 1);
        let rule = rule_index(&compiled, "closed-next-after-uplink-refused");
        let refused = (0..40)
            .filter_map(|_| walk.draw.fresh(rule, 0))
            .find(|(record, _)| record.value("connection_id").is_some())
            .expect("an uplink refusal");
        assert!(!walk.admit(refused));
        assert!(walk.records.is_empty());
        assert!(walk.first_unfinished().is_none());
    }
}
