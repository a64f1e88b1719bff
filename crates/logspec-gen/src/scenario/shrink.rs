//! Shrinking a scenario: by records left out, a whole lifecycle at a time
//! (every record that shares a key with one, and theirs) or one record,
//! each step kept only if the rest still keeps every rule (or, broken,
//! still raises just the one finding of the same rule and code). A failure
//! comes back as the fewest records that keep it. Values are not shrunk.

use super::rules::{simulate, stepped_in_order};
use super::timing::{seen_at, times};
use super::{Built, Scenario, Walked};
use crate::generator::Compiled;
use indexmap::IndexMap;
use logspec_checker::rules::StreamRecord;
use proptest::strategy::ValueTree;
use std::rc::Rc;

/// A scenario that shrinks by records left out.
pub(crate) struct ScenarioTree {
    pub compiled: Rc<Compiled>,
    pub built: Built,
    /// The next removal to try: a record, and whether with its lifecycle.
    pub cursor: (usize, bool),
    /// The scenario before the last removal, and the removal after it.
    pub undo: Option<(Built, (usize, bool))>,
}

impl ScenarioTree {
    pub fn new(compiled: Rc<Compiled>, built: Built) -> ScenarioTree {
        ScenarioTree {
            compiled,
            built,
            cursor: (0, true),
            undo: None,
        }
    }
}

impl ValueTree for ScenarioTree {
    type Value = Scenario;

    fn current(&self) -> Scenario {
        self.built.scenario(&self.compiled)
    }

    fn simplify(&mut self) -> bool {
        while self.cursor.0 < self.built.records.len() {
            let (at, whole) = self.cursor;
            self.cursor = if whole { (at, false) } else { (at + 1, true) };
            let group = if whole {
                self.built.lifecycle(&self.compiled, at)
            } else {
                vec![at]
            };
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

impl Built {
    /// What the engine sees of `records`, timed by `gaps`.
    fn seen(&self, compiled: &Compiled, records: &Walked, gaps: &[i64]) -> Vec<StreamRecord> {
        records
            .iter()
            .zip(times(self.start_at, gaps))
            .map(|((record, host), time)| seen_at(compiled, &self.layout, record, host, time))
            .collect()
    }

    /// Record `at` and every record sharing a key with it, and theirs.
    pub fn lifecycle(&self, compiled: &Compiled, at: usize) -> Vec<usize> {
        let plan = &compiled.plan;
        let seen = self.seen(compiled, &self.records, &self.gaps);
        let keys: Vec<Vec<(usize, Vec<String>)>> = stepped_in_order(plan, &seen);
        let mut sharing: IndexMap<&(usize, Vec<String>), Vec<usize>> = IndexMap::new();
        for (index, own) in keys.iter().enumerate() {
            for key in own {
                sharing.entry(key).or_default().push(index);
            }
        }
        let mut group = vec![at];
        let mut member = vec![false; self.records.len()];
        member[at] = true;
        let mut next = 0;
        while let Some(&index) = group.get(next) {
            next += 1;
            for key in &keys[index] {
                for &other in sharing.get(key).into_iter().flatten() {
                    if !member[other] {
                        member[other] = true;
                        group.push(other);
                    }
                }
            }
        }
        group.sort_unstable();
        group
    }

    /// The scenario without the records of `group`, if it still keeps
    /// every rule (or raises just the one finding of the same rule and
    /// code).
    pub fn without(&self, compiled: &Compiled, group: &[usize]) -> Option<Built> {
        if group.len() >= self.records.len() {
            return None;
        }
        let kept = |index: &usize| group.binary_search(index).is_err();
        let records: Walked = (0..self.records.len())
            .filter(kept)
            .map(|index| self.records[index].clone())
            .collect();
        // A record left out gives its gap to the next one kept, so the
        // records kept keep their times.
        let mut gaps = Vec::with_capacity(records.len());
        let mut carried = 0;
        for (index, gap) in self.gaps.iter().enumerate() {
            carried += gap;
            if kept(&index) {
                gaps.push(carried);
                carried = 0;
            }
        }
        let mut findings = simulate(
            &compiled.plan,
            &self.layout.params,
            None,
            &self.seen(compiled, &records, &gaps),
        );
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

#[cfg(test)]
mod tests {
    use super::super::testing::compiled;
    use super::super::{walked, Hosts, ScenarioOptions};
    use super::*;
    use crate::Framing;
    use logspec_reader::Format;

    fn built(compiled: &Rc<Compiled>, broken: bool, seed: u64) -> Option<Built> {
        let options = ScenarioOptions {
            framing: Framing::default_of(Format::Rfc3164),
            records: 12..=12,
            broken,
            hosts: Hosts::Told,
            one_input: false,
            params: Vec::new(),
            target: Default::default(),
        };
        walked(compiled, &options, seed)
    }

    #[test]
    fn a_lifecycle_is_every_record_sharing_a_key_with_it() {
        let compiled = Rc::new(compiled("ctrl-exec"));
        let built = (0..16)
            .find_map(|seed| built(&compiled, false, seed))
            .expect("a walk closes");
        let plan = &compiled.plan;
        let seen = built.seen(&compiled, &built.records, &built.gaps);
        for at in 0..built.records.len() {
            let group = built.lifecycle(&compiled, at);
            assert!(group.contains(&at));
            // Closed under sharing a key.
            let keys = stepped_in_order(plan, &seen);
            for &member in &group {
                for key in &keys[member] {
                    for (other, others) in keys.iter().enumerate() {
                        if others.contains(key) {
                            assert!(group.contains(&other), "{at}: {other} shares {key:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn shrinking_keeps_the_scenario_clean_or_its_one_finding() {
        let compiled = Rc::new(compiled("ctrl-exec"));
        for broken in [false, true] {
            let Some(built) = (0..16).find_map(|seed| {
                built(&compiled, broken, seed).filter(|built| built.expected.is_some() == broken)
            }) else {
                panic!("no walk (broken: {broken})");
            };
            let before = built.records.len();
            let expected = built.expected.clone();
            let mut tree = ScenarioTree::new(Rc::clone(&compiled), built);
            let mut steps = 0;
            while tree.simplify() {
                steps += 1;
                let now = &tree.built;
                let findings = simulate(
                    &compiled.plan,
                    &[],
                    None,
                    &now.seen(&compiled, &now.records, &now.gaps),
                );
                match &expected {
                    None => assert!(findings.is_empty(), "{findings:?}"),
                    Some((was, _)) => {
                        assert_eq!(findings.len(), 1);
                        assert_eq!((findings[0].rule, findings[0].code), (was.rule, was.code));
                    }
                }
            }
            assert!(
                steps > 0 && tree.built.records.len() < before,
                "nothing shrank"
            );
            // The last removal undone, it is back to a larger scenario.
            let shrunk = tree.built.records.len();
            assert!(tree.complicate());
            assert!(tree.built.records.len() > shrunk);
        }
    }
}
