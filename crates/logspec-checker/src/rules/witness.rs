//! The values each side of a scoped rule was seen with (its witnesses),
//! kept once for every label that would keep the same set.
//!
//! A rule with a scope (`scope: host`) judges an unfinished key only for
//! values some record of the awaited side showed; per label and scope
//! part it keeps those values, up to [`SCOPE_VALUES`]. Labels of one
//! side often derive the value the same way (a dispatcher's reply and
//! its failure both name the host in `TARGET`), and so do rules that pair
//! the same sides (runs and pings), so their sets would be equal value
//! for value: on the adversarial corpus six sets of the same two kinds,
//! each derived and inserted on every record. Labels whose witnesses are
//! the same variants and whose scope part is derived the same way share
//! one set, fed by the first of them in plan order.
//!
//! A rule that resets on some events is judged midway through the
//! stream, after its own witnesses of the records before, so its sets
//! are its own and fed at its turn, as before: a shared set may already
//! hold the current record's value when a later rule resets on it.

use super::hosts::HostNames;
use super::join::Joined;
use super::key::for_each_scope_value;
use super::text_set::TextSet;
use super::{RulePlan, StreamRecord};
use crate::plan::Plan;
use logspec_spec::KeyPart;

/// Distinct scope values remembered per set before every value counts as
/// seen (so a huge fleet errs towards reporting, not silence).
pub const SCOPE_VALUES: usize = 65_536;

#[derive(Debug, Default)]
pub struct Witnesses {
    sets: Vec<TextSet>,
    /// Per rule, per label, per scope part (in `RulePlan::scope` order):
    /// its set, an index into `sets`.
    of: Vec<Vec<Vec<usize>>>,
    /// Per rule: the (label, scope part) whose set it feeds, the sets it
    /// is the first holder of.
    feeds: Vec<Vec<(usize, usize)>>,
}

/// What makes two labels' sets equal: one rule's label and scope part.
#[derive(Clone, Copy)]
struct Source {
    rule: usize,
    label: usize,
    nth: usize,
}

impl Witnesses {
    /// The sets of `plan`'s rules; rules `runs` says are not run (a
    /// parameter missing) share nothing and are never fed.
    pub fn new(plan: &Plan, runs: impl Fn(usize) -> bool) -> Witnesses {
        let mut witnesses = Witnesses::default();
        let mut sources: Vec<Source> = Vec::new();
        for (index, rule) in plan.rules.iter().enumerate() {
            let mut of = Vec::with_capacity(rule.labels.len());
            let mut feeds = Vec::new();
            for label in 0..rule.labels.len() {
                let mut parts = Vec::with_capacity(rule.scope.len());
                for nth in 0..rule.scope.len() {
                    let here = Source {
                        rule: index,
                        label,
                        nth,
                    };
                    let shared = runs(index)
                        && rule.resets.is_empty()
                        && rule
                            .key_joins
                            .get(label)
                            .and_then(|parts| parts.get(rule.scope[nth]))
                            .is_none_or(Option::is_none);
                    let found = shared
                        .then(|| {
                            sources
                                .iter()
                                .position(|&source| same_set(plan, source, here))
                        })
                        .flatten();
                    let set = match found {
                        Some(set) => set,
                        None => {
                            if runs(index) {
                                feeds.push((label, nth));
                            }
                            witnesses.sets.push(TextSet::default());
                            // Only shareable sets are offered to later labels.
                            sources.push(if shared {
                                here
                            } else {
                                Source {
                                    rule: usize::MAX,
                                    ..here
                                }
                            });
                            witnesses.sets.len() - 1
                        }
                    };
                    parts.push(set);
                }
                of.push(parts);
            }
            witnesses.of.push(of);
            witnesses.feeds.push(feeds);
        }
        witnesses
    }

    /// Notes the scope values `record` shows for the sets rule `index`
    /// feeds: any record of a side's emitters counts, so a host whose log
    /// was given is judged even if the awaited line is the one missing.
    pub fn witness(
        &mut self,
        index: usize,
        rule: &RulePlan,
        record: &StreamRecord,
        hosts: &HostNames,
        joined: &Joined,
    ) {
        let variant = (record.event, record.variant);
        for &(label, nth) in &self.feeds[index] {
            if !rule.scope_witnesses[label].contains(&variant) {
                continue;
            }
            let seen = &mut self.sets[self.of[index][label][nth]];
            if seen.len() >= SCOPE_VALUES {
                // Full: every value counts as seen, nothing to derive.
                continue;
            }
            let part = rule.scope[nth];
            for_each_scope_value(rule, label, part, record, hosts, joined, |value| {
                if seen.len() < SCOPE_VALUES {
                    seen.insert(value);
                }
            });
        }
    }

    /// Whether rule `index`'s side `label` showed `value` for its `nth`
    /// scope part (or showed too many values to keep).
    pub fn seen(&self, index: usize, label: usize, nth: usize, value: &str) -> bool {
        let seen = &self.sets[self.of[index][label][nth]];
        seen.len() >= SCOPE_VALUES || seen.contains(value)
    }
}

/// Whether two labels' scope parts keep the same values: witnessed by the
/// same variants, derived from a record the same way.
fn same_set(plan: &Plan, a: Source, b: Source) -> bool {
    let (Some(rule_a), Some(rule_b)) = (plan.rules.get(a.rule), plan.rules.get(b.rule)) else {
        return false;
    };
    let (part_a, part_b) = (rule_a.scope[a.nth], rule_b.scope[b.nth]);
    let (parts_a, separators_a) = &rule_a.keys[a.label];
    let (parts_b, separators_b) = &rule_b.keys[b.label];
    // The part first: most pairs read different fields, and comparing
    // the lists of witnessing variants (dozens long) is what made every
    // engine's start cost as much as checking a few records.
    let same_parts = match (parts_a.get(part_a), parts_b.get(part_b)) {
        (Some(x), Some(y)) => same_part(x, y),
        _ => false,
    };
    same_parts
        && rule_a.host_parts[a.label].get(part_a) == rule_b.host_parts[b.label].get(part_b)
        && separators_a.get(part_a) == separators_b.get(part_b)
        && rule_a.scope_witnesses[a.label] == rule_b.scope_witnesses[b.label]
}

/// Whether two key parts read the same value from any record (parts
/// joined from earlier records never do: each rule remembers its own).
fn same_part(a: &KeyPart, b: &KeyPart) -> bool {
    a.from.is_none()
        && b.from.is_none()
        && a.field == b.field
        && a.envelope == b.envelope
        && a.part == b.part
        && a.each == b.each
        && a.capture.as_ref().map(|capture| capture.0.as_str())
            == b.capture.as_ref().map(|capture| capture.0.as_str())
        && a.split == b.split
        && a.default == b.default
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctrl_exec() -> Plan {
        match logspec_spec::builtin("ctrl-exec").map(|builtin| builtin.load()) {
            Some(Ok(loaded)) => Plan::new(&loaded.spec).expect("spec compiles"),
            _ => panic!("built-in ctrl-exec spec does not load"),
        }
    }

    /// The set rule `id`'s side `label` keeps for its first scope part.
    fn set_of(plan: &Plan, witnesses: &Witnesses, id: &str, label: &str) -> usize {
        let index = plan.rules.iter().position(|rule| rule.id == id);
        let index = index.unwrap_or_else(|| panic!("no rule {id}"));
        let labels = &plan.rules[index].labels;
        let label = labels.iter().position(|known| known == label);
        witnesses.of[index][label.unwrap_or_else(|| panic!("no label {label:?}"))][0]
    }

    #[test]
    fn sides_deriving_the_same_values_share_one_set() {
        let plan = ctrl_exec();
        let witnesses = Witnesses::new(&plan, |_| true);
        let set = |id, label| set_of(&plan, &witnesses, id, label);
        let (runs, pings) = ("agent-answers-dispatcher", "agent-answers-ping");
        // A reply and a failure both name the host in TARGET, in runs and pings.
        let dispatcher = set(runs, "dispatcher-reply");
        assert_eq!(dispatcher, set(runs, "dispatcher-failure"));
        assert_eq!(dispatcher, set(pings, "dispatcher-reply"));
        assert_eq!(set(runs, "agent"), set(pings, "agent"));
        assert_ne!(set(runs, "agent"), dispatcher);
        // The first holder feeds a set; the other never derives it again.
        let pings_index = plan.rules.iter().position(|rule| rule.id == pings);
        assert_eq!(
            pings_index.map(|index| witnesses.feeds[index].len()),
            Some(0)
        );
    }

    #[test]
    fn a_rule_not_run_shares_and_feeds_nothing() {
        let plan = ctrl_exec();
        let runs = plan
            .rules
            .iter()
            .position(|rule| rule.id == "agent-answers-dispatcher");
        let witnesses = Witnesses::new(&plan, |index| Some(index) != runs);
        let set = |id, label| set_of(&plan, &witnesses, id, label);
        assert_ne!(
            set("agent-answers-dispatcher", "agent"),
            set("agent-answers-ping", "agent")
        );
        assert_eq!(runs.map(|index| witnesses.feeds[index].len()), Some(0));
        // The next rule of the same sides feeds them instead.
        let pings = plan
            .rules
            .iter()
            .position(|rule| rule.id == "agent-answers-ping");
        assert_eq!(pings.map(|index| witnesses.feeds[index].len()), Some(2));
    }
}
