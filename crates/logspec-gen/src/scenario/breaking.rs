//! Breaking a walked scenario in one place, with the one stream finding
//! that must follow: a rule is drawn, then a way of breaking it
//! ([`StreamMutationKind`]), then a place among the records that play a
//! part in it; the candidate is kept only if following the rules over it
//! predicts exactly one finding, of the rule's code for that kind.
//!
//! A candidate is an [`Edit`] of the walked records, tried without copying
//! them, and only on the rules the edited records play a part in, reset or
//! witness: the walk kept every rule, so a rule none of them touches still
//! sees the records it saw, and raises nothing. Candidates are drawn, not
//! enumerated, within a fixed number of tries, so breaking is linear in
//! the records.

use super::draw::{conforms, set_field, stitch, Drawn};
use super::edit::{Edit, Timed};
use super::rules::{simulate, touched, RuleFinding};
use super::timing::{long_gaps, reads_times, SHORTEST};
use super::walk::path_parts;
use super::{BreakTarget, StreamMutationKind, Walked};
use crate::Sampler;
use indexmap::{IndexMap, IndexSet};
use logspec_checker::rules::hosts::HostNames;
use logspec_checker::rules::join::Joined;
use logspec_checker::rules::key::label_keys;
use logspec_checker::rules::RulePlan;
use logspec_checker::Code;
use logspec_spec::condition::Name;

/// Candidates tried before a scenario is given up as unbreakable.
const TRIES: usize = 256;
/// Candidates tried per rule and kind before another is drawn.
const TRIES_PER_KIND: usize = 4;

/// The walked records and what breaking them needs.
pub(crate) struct Breaking<'a> {
    pub walked: Timed<'a>,
    /// Records a rule's start refuses, per rule.
    pub strays: &'a [(usize, Drawn)],
}

impl Breaking<'_> {
    /// The records broken in one place whose one rule finding is
    /// predictable, that finding, and how they were broken.
    pub fn break_one(
        &self,
        target: &BreakTarget,
        sampler: &mut Sampler,
    ) -> Option<((Walked, Vec<i64>), RuleFinding, StreamMutationKind)> {
        let plan = &self.walked.compiled.plan;
        // How many records play a part in each rule: rules few records
        // play are tried first more often, so a rule a walk rarely steps
        // is broken where it is stepped, not passed over for common ones.
        let mut plays = vec![0_u64; plan.rules.len()];
        for seen in self.walked.seen {
            for (rule, count) in plan.rules.iter().zip(plays.iter_mut()) {
                if rule.roles.contains_key(&(seen.event, seen.variant)) {
                    *count += 1;
                }
            }
        }
        let aimed = |rule: usize| {
            target
                .rule
                .as_ref()
                .is_none_or(|id| *id == plan.rules[rule].id)
        };
        let mut rules: Vec<(usize, u64)> = (0..plan.rules.len())
            .filter(|&rule| aimed(rule))
            .filter(|&rule| plays[rule] > 0 || self.strays.iter().any(|(of, _)| *of == rule))
            .map(|rule| (rule, 1_000_000 / (1 + plays[rule])))
            .collect();
        let mut tries = 0;
        while !rules.is_empty() && tries < TRIES {
            let total: u64 = rules.iter().map(|(_, weight)| weight).sum();
            let mut at = sampler.sample(&(0..total.max(1))).ok()?;
            let index = rules
                .iter()
                .position(|(_, weight)| {
                    let here = at < *weight;
                    at = at.saturating_sub(*weight);
                    here
                })
                .unwrap_or(0);
            let (rule, _) = rules.swap_remove(index);
            let steps = self.steps(rule);
            let mut kinds: Vec<StreamMutationKind> = StreamMutationKind::ALL
                .into_iter()
                .filter(|kind| target.kind.is_none_or(|aim| aim == *kind))
                .collect();
            while !kinds.is_empty() && tries < TRIES {
                let kind = kinds.swap_remove(sampler.sample(&(0..kinds.len())).ok()?);
                for _ in 0..TRIES_PER_KIND {
                    tries += 1;
                    let Some(edit) = self.candidate(rule, kind, &steps, sampler) else {
                        break;
                    };
                    // Aimed at a rule, only its own finding will do: an
                    // edit of its records can break another rule instead.
                    if let Some(finding) = self
                        .predicted(&edit)
                        .filter(|finding| target.rule.is_none() || finding.rule == rule)
                    {
                        return Some((edit.apply(&self.walked), finding, kind));
                    }
                }
            }
        }
        None
    }

    /// The one finding `edit` raises, when it raises exactly one and of
    /// the code its kind breaks a rule with.
    pub fn predicted(&self, edit: &Edit) -> Option<RuleFinding> {
        let plan = &self.walked.compiled.plan;
        // Rules reading times also see the records an edit moves in
        // time, and where inputs began (`covered`), which leaving out or
        // adding a first record changes.
        let mut affected: Vec<usize> = edit
            .involved(self.walked.seen)
            .into_iter()
            .flat_map(|seen| touched(plan, seen).collect::<Vec<_>>())
            .chain((0..plan.rules.len()).filter(|&rule| reads_times(&plan.rules[rule])))
            .collect();
        affected.sort_unstable();
        affected.dedup();
        let view = edit.view(&self.walked);
        let mut findings = simulate(
            plan,
            &self.walked.layout.params,
            Some(&affected),
            view.iter().map(AsRef::as_ref),
        );
        let finding = findings.pop()?;
        let rule = &plan.rules[finding.rule];
        let expected = match edit.kind() {
            StreamMutationKind::DropClosing => rule.unfinished,
            StreamMutationKind::FailCondition => Code::ConditionViolation,
            StreamMutationKind::Disagree => Code::Mismatch,
            _ => rule.violation,
        };
        (findings.is_empty() && finding.code == expected && finding.code != Code::Unkeyed)
            .then_some(finding)
    }

    /// Every step the walked records take in rule `rule`, in order.
    fn steps(&self, rule: usize) -> Vec<Step> {
        let plan = &self.walked.compiled.plan.rules[rule];
        let mut states: IndexMap<Vec<String>, usize> = IndexMap::new();
        // Keys a fan-out record listed members for.
        let mut listed: IndexSet<Vec<String>> = IndexSet::new();
        let mut joined = Joined::new(&plan.joins);
        let fan = plan.fan_out.as_ref();
        let mut steps = Vec::new();
        for (at, seen) in self.walked.seen.iter().enumerate() {
            let variant = (seen.event, seen.variant);
            if plan.resets.contains(&variant) {
                states.clear();
                listed.clear();
                joined.clear();
            }
            let Some(labels) = plan.roles.get(&variant) else {
                continue;
            };
            for &label in labels {
                for key in label_keys(plan, label, seen, &HostNames::default(), &joined) {
                    let later = states.contains_key(&key);
                    let before = states.get(&key).copied().unwrap_or(plan.start);
                    let after = plan.states[before].next[label].unwrap_or(before);
                    states.insert(key.clone(), after);
                    let answers =
                        fan.is_some_and(|fan| fan.member_label == label) && listed.contains(&key);
                    if fan.is_some_and(|fan| fan.list_label == label) {
                        listed.insert(key.clone());
                    }
                    steps.push(Step {
                        at,
                        label,
                        key,
                        before,
                        after,
                        answers,
                        later,
                    });
                }
            }
            // After the record's own keys, as the engine does.
            for &label in labels {
                joined.remember(&plan.joins, label, seen, usize::MAX);
            }
        }
        steps
    }

    /// A candidate breaking rule `rule` by `kind`: drawn among the places
    /// that break it by the rule's automaton when there are any, among
    /// all its steps otherwise.
    fn candidate(
        &self,
        rule: usize,
        kind: StreamMutationKind,
        steps: &[Step],
        sampler: &mut Sampler,
    ) -> Option<Edit> {
        if kind == StreamMutationKind::FailCondition
            && reads_times(&self.walked.compiled.plan.rules[rule])
            && sampler.sample(&(0..2_usize)).ok() == Some(0)
        {
            return self.regap(steps, sampler);
        }
        if kind == StreamMutationKind::FailCondition
            && sampler.sample(&(0..3_usize)).ok() == Some(0)
        {
            return self.forget(rule, steps, sampler);
        }
        if kind == StreamMutationKind::FailCondition
            && sampler.sample(&(0..2_usize)).ok() == Some(0)
        {
            if let Some(moved) = self.moved(rule, steps, sampler) {
                return Some(moved);
            }
        }
        if matches!(
            kind,
            StreamMutationKind::FailCondition | StreamMutationKind::Disagree
        ) {
            return self.alter(rule, kind, steps, sampler);
        }
        let plan = &self.walked.compiled.plan;
        let rule_plan = &plan.rules[rule];
        let states = &rule_plan.states;
        let refuses = |state: usize, label: usize| states[state].next[label].is_none();
        let mut pick = |len: usize| (len > 0).then(|| sampler.sample(&(0..len)).ok()).flatten();
        let preferred = |all: Vec<usize>, good: &dyn Fn(usize) -> bool| {
            let chosen: Vec<usize> = all.iter().copied().filter(|&at| good(at)).collect();
            if chosen.is_empty() {
                all
            } else {
                chosen
            }
        };
        let indices = (0..steps.len()).collect::<Vec<_>>();
        match kind {
            StreamMutationKind::DropClosing => {
                // A step that finished its lifecycle, or answered for a
                // member a fan-out listed; at times any step (a lifecycle
                // left waiting for its first record's partner).
                let any = pick(3) == Some(0);
                let finishing = preferred(indices, &|index| {
                    let step = &steps[index];
                    any || step.answers
                        || !states[step.before].accepting && states[step.after].accepting
                });
                let step = &steps[*finishing.get(pick(finishing.len())?)?];
                Some(Edit::Drop(step.at))
            }
            StreamMutationKind::DuplicateTerminal => {
                // A step its own state refuses a second time.
                let terminal = preferred(indices, &|index| {
                    let step = &steps[index];
                    refuses(step.after, step.label)
                });
                let step = &steps[*terminal.get(pick(terminal.len())?)?];
                // A record alone in its input, repeated, would share its
                // path with the first.
                if self.walked.records[step.at].0.meta.place.is_some() {
                    return None;
                }
                Some(Edit::Repeat(step.at))
            }
            StreamMutationKind::ReorderPair => {
                // Two consecutive steps of one key, the second refused
                // where the first was taken.
                let mut by_key: IndexMap<&[String], Vec<&Step>> = IndexMap::new();
                for step in steps {
                    by_key.entry(&step.key).or_default().push(step);
                }
                let pairs: Vec<(&Step, &Step)> = by_key
                    .values()
                    .flat_map(|steps| steps.windows(2).map(|pair| (pair[0], pair[1])))
                    .filter(|(first, second)| first.at != second.at)
                    .collect();
                let refused: Vec<usize> = preferred((0..pairs.len()).collect(), &|index| {
                    let (first, second) = pairs[index];
                    refuses(first.before, second.label)
                });
                let (first, second) = pairs[*refused.get(pick(refused.len())?)?];
                Some(Edit::Swap(first.at, second.at))
            }
            StreamMutationKind::ReuseKey => {
                // A later step given the key of an earlier lifecycle that
                // had ended where the step is refused.
                let mut last: IndexMap<&[String], &Step> = IndexMap::new();
                for step in steps {
                    last.insert(&step.key, step);
                }
                // Per label, the first place a lifecycle had ended where
                // that label is refused: a later step of the label can
                // reuse its key.
                let mut refused_from = vec![usize::MAX; rule_plan.labels.len()];
                for step in last.values() {
                    for (label, from) in refused_from.iter_mut().enumerate() {
                        if refuses(step.after, label) {
                            *from = (*from).min(step.at);
                        }
                    }
                }
                let laters = preferred(indices, &|index| {
                    let step = &steps[index];
                    step.at > refused_from[step.label]
                });
                let later = &steps[*laters.get(pick(laters.len())?)?];
                let earlier: Vec<&Step> = last
                    .values()
                    .copied()
                    .filter(|step| step.at < later.at && step.key != later.key)
                    .collect();
                let ended: Vec<usize> = preferred((0..earlier.len()).collect(), &|index| {
                    refuses(earlier[index].after, later.label)
                });
                let earlier = earlier[*ended.get(pick(ended.len())?)?];
                let (record, host) = &self.walked.records[later.at];
                let mut reused = record.clone();
                let framing = self.walked.layout.framing(plan, reused.event);
                let host = stitch(
                    self.walked.compiled,
                    &mut reused,
                    rule_plan,
                    later.label,
                    &earlier.key,
                    framing.format(),
                )
                .filter(|_| self.walked.layout.host_seen(framing))
                .unwrap_or_else(|| host.clone());
                if (&reused, &host) == (record, &self.walked.records[later.at].1) {
                    return None;
                }
                // At times it also takes the values the key's last record
                // wrote in fields of the same name, as a record really
                // reusing the id would (conditions asking the key's
                // records to agree then raise nothing besides).
                if pick(2) == Some(0) {
                    let key_fields: Vec<&str> = rule_plan.keys[later.label]
                        .0
                        .iter()
                        .filter_map(|part| part.field.as_deref())
                        .collect();
                    let (source, _) = &self.walked.records[earlier.at];
                    let mut agreeing = reused.clone();
                    // Only fields some rule compares across records: the
                    // event name and time stay the record's own.
                    let compared: Vec<&str> = plan
                        .rules
                        .iter()
                        .flat_map(|rule| {
                            rule.requires
                                .iter()
                                .flatten()
                                .flat_map(|required| &required.fields)
                                .map(|(field, _)| &**field)
                                .chain(rule.agree.iter().map(|(field, _)| field.as_str()))
                        })
                        .collect();
                    let shared: Vec<(String, String)> = reused
                        .fields
                        .iter()
                        .filter(|field| !key_fields.contains(&field.key.as_str()))
                        .filter(|field| compared.contains(&field.key.as_str()))
                        .filter_map(|field| {
                            Some((field.key.clone(), source.value(&field.key)?.to_owned()))
                        })
                        .collect();
                    for (name, value) in shared {
                        set_field(
                            self.walked.compiled,
                            &mut agreeing,
                            &name,
                            &value,
                            framing.format(),
                        );
                    }
                    if conforms(self.walked.compiled, self.walked.layout, &mut agreeing) {
                        reused = agreeing;
                    }
                }
                reused.meta.hostname = host.clone();
                let now = self
                    .walked
                    .seen_at(&reused, &host, self.walked.times[later.at]);
                Some(Edit::Rekey(later.at, Box::new(((reused, host), now))))
            }
            // Drawn above.
            StreamMutationKind::FailCondition | StreamMutationKind::Disagree => None,
            StreamMutationKind::Stray => {
                let strays: Vec<&Drawn> = self
                    .strays
                    .iter()
                    .filter(|(of, _)| *of == rule)
                    .map(|(_, drawn)| drawn)
                    .collect();
                let (record, host) = strays.get(pick(strays.len())?).copied()?.clone();
                let at = pick(self.walked.records.len() + 1)?;
                let seen = self
                    .walked
                    .seen_at(&record, &host, self.walked.inserted_at(at));
                Some(Edit::Insert(at, Box::new(((record, host), seen))))
            }
        }
    }

    /// A candidate for [`StreamMutationKind::FailCondition`] (a step
    /// whose part has a condition, a field the condition reads) or
    /// [`StreamMutationKind::Disagree`] (a step after its key's first, a
    /// field the key's records agree on), the field given a value another
    /// record wrote or one drawn afresh (or, for a condition, left out).
    /// A candidate failing a condition that reads an earlier record of
    /// its key (`has(earlier.L)`, `earlier.L.F`): such a record left out.
    fn forget(&self, rule: usize, steps: &[Step], sampler: &mut Sampler) -> Option<Edit> {
        let rule_plan = &self.walked.compiled.plan.rules[rule];
        let read: Vec<&str> = rule_plan
            .requires
            .iter()
            .flatten()
            .flat_map(|plan| &plan.condition.uses)
            .filter_map(|used| match &used.name {
                Some(Name::Earlier(of, _)) => Some(of.as_str()),
                _ => None,
            })
            .collect();
        let candidates: Vec<&Step> = steps
            .iter()
            .filter(|step| read.contains(&rule_plan.labels[step.label].as_str()))
            .collect();
        let at = sampler.sample(&(0..candidates.len().max(1))).ok()?;
        Some(Edit::Forget(candidates.get(at)?.at))
    }

    /// A candidate failing a condition on the times between records: a
    /// gap among the rule's steps (after its first, up to its last)
    /// changed, moving what follows: a long one made the shortest a break
    /// gives, or a short one made as long as one of the long gaps (just
    /// under or over a window or parameter the rules read).
    fn regap(&self, steps: &[Step], sampler: &mut Sampler) -> Option<Edit> {
        let walked = &self.walked;
        let first = steps.iter().map(|step| step.at).min()?;
        let last = steps.iter().map(|step| step.at).max()?;
        let long = long_gaps(&walked.compiled.plan, &walked.layout.params);
        let between = first + 1..=last;
        let (shorter, longer): (Vec<usize>, Vec<usize>) = between
            .filter(|&at| walked.gaps[at] != SHORTEST)
            .partition(|&at| long.contains(&walked.gaps[at]));
        let shorten =
            !shorter.is_empty() && (longer.is_empty() || sampler.sample(&(0..3_usize)).ok()? > 0);
        let pick = |of: &[usize], sampler: &mut Sampler| {
            of.get(sampler.sample(&(0..of.len().max(1))).ok()?).copied()
        };
        if shorten {
            Some(Edit::Regap(pick(&shorter, sampler)?, SHORTEST))
        } else {
            let at = pick(&longer, sampler)?;
            Some(Edit::Regap(
                at,
                *long.get(sampler.sample(&(0..long.len().max(1))).ok()?)?,
            ))
        }
    }

    fn alter(
        &self,
        rule: usize,
        kind: StreamMutationKind,
        steps: &[Step],
        sampler: &mut Sampler,
    ) -> Option<Edit> {
        let plan = &self.walked.compiled.plan;
        let rule_plan = &plan.rules[rule];
        let pick = |len: usize, sampler: &mut Sampler| {
            (len > 0).then(|| sampler.sample(&(0..len)).ok()).flatten()
        };
        let fields_of = |step: &Step| -> Vec<&str> {
            match kind {
                // Its own fields its condition reads, and those a later
                // record's condition reads of it (`earlier.L.F`).
                StreamMutationKind::FailCondition => rule_plan.requires[step.label]
                    .iter()
                    .flat_map(|condition| &condition.fields)
                    .map(|(field, _)| &**field)
                    .chain(read_as_earlier(rule_plan, step.label))
                    .collect(),
                _ => rule_plan
                    .agree
                    .iter()
                    .map(|(field, _)| field.as_str())
                    .filter(|field| {
                        step.later && self.walked.records[step.at].0.value(field).is_some()
                    })
                    .collect(),
            }
        };
        let candidates: Vec<&Step> = steps
            .iter()
            .filter(|step| !fields_of(step).is_empty())
            .collect();
        let step = candidates.get(pick(candidates.len(), sampler)?)?;
        let fields = fields_of(step);
        let field = *fields.get(pick(fields.len(), sampler)?)?;
        let (record, host) = &self.walked.records[step.at];
        let mut altered = record.clone();
        let framing = self.walked.layout.framing(plan, altered.event);
        // Values other records wrote, and one drawn afresh.
        let fresh = self
            .walked
            .compiled
            .variant(record.event, record.variant, framing.format())
            .ok()
            .and_then(|generator| sampler.sample(&generator.records()).ok());
        // For a condition, also the constants it compares with (a guard
        // such as `record.success == 'yes'` is failed only by its value),
        // and the record's other fields it reads ("must differ").
        let literals: Vec<&str> = match kind {
            StreamMutationKind::FailCondition => rule_plan
                .requires
                .iter()
                .flatten()
                .flat_map(|plan| &plan.condition.literals)
                .map(String::as_str)
                .chain(
                    fields
                        .iter()
                        .filter(|other| **other != field)
                        .filter_map(|other| record.value(other)),
                )
                .collect(),
            _ => Vec::new(),
        };
        let values: Vec<&str> = self
            .walked
            .records
            .iter()
            .map(|(other, _)| other)
            .chain(fresh.as_ref())
            .filter_map(|other| other.value(field))
            .chain(literals)
            .filter(|value| Some(*value) != record.value(field))
            .collect();
        let left_out = usize::from(kind == StreamMutationKind::FailCondition);
        match values.get(pick(values.len() + left_out, sampler)?) {
            Some(value) => set_field(
                self.walked.compiled,
                &mut altered,
                field,
                value,
                framing.format(),
            ),
            None => altered.fields.retain(|written| written.key != field),
        }
        if !conforms(self.walked.compiled, self.walked.layout, &mut altered) {
            return None;
        }
        let now = self
            .walked
            .seen_at(&altered, host, self.walked.times[step.at]);
        Some(Edit::Alter(
            step.at,
            Box::new(((altered, host.clone()), now)),
            kind,
        ))
    }
}

impl Breaking<'_> {
    /// A record alone in its input moved to another place (`Meta::place`)
    /// where its part's condition reads a key part taken from the path (a
    /// run record under another run's directory): that condition fails.
    fn moved(&self, rule: usize, steps: &[Step], sampler: &mut Sampler) -> Option<Edit> {
        let plan = &self.walked.compiled.plan;
        let rule_plan = &plan.rules[rule];
        let reads_path = |label: usize| {
            let by_path = path_parts(rule_plan, label);
            rule_plan.requires[label].as_ref().is_some_and(|condition| {
                condition.condition.uses.iter().any(|used| {
                    matches!(&used.name, Some(Name::Key(part))
                        if by_path.iter().any(|(name, _)| name == part))
                })
            })
        };
        let candidates: Vec<&Step> = steps
            .iter()
            .filter(|step| {
                self.walked.records[step.at].0.meta.place.is_some() && reads_path(step.label)
            })
            .collect();
        if candidates.is_empty() {
            return None;
        }
        let at = sampler.sample(&(0..candidates.len())).ok()?;
        let step = candidates.get(at)?;
        let (record, host) = &self.walked.records[step.at];
        let taken: Vec<&str> = self
            .walked
            .records
            .iter()
            .filter_map(|(other, _)| other.meta.place.as_deref())
            .collect();
        let place = (step.at..)
            .map(|n| format!("moved{n}"))
            .find(|place| !taken.contains(&place.as_str()))?;
        let mut moved = record.clone();
        moved.meta.place = Some(place);
        let now = self
            .walked
            .seen_at(&moved, host, self.walked.times[step.at]);
        Some(Edit::Alter(
            step.at,
            Box::new(((moved, host.clone()), now)),
            StreamMutationKind::FailCondition,
        ))
    }
}

/// Fields of part `label`'s records that some condition of the rule reads
/// as `earlier.L.F`.
pub(crate) fn read_as_earlier(rule: &RulePlan, label: usize) -> impl Iterator<Item = &str> {
    rule.requires
        .iter()
        .flatten()
        .flat_map(|plan| &plan.condition.uses)
        .filter_map(move |used| match &used.name {
            Some(Name::Earlier(of, Some(field))) if *of == rule.labels[label] => {
                Some(field.as_str())
            }
            _ => None,
        })
}

/// One step a walked record takes in a rule: the record, the part it
/// plays, the key, and the key's state before and after.
#[derive(Debug)]
struct Step {
    at: usize,
    label: usize,
    key: Vec<String>,
    before: usize,
    after: usize,
    /// It answers for a member its key's fan-out listed.
    answers: bool,
    /// Its key had stepped before.
    later: bool,
}

#[cfg(test)]
mod tests {
    use super::super::testing::{closed_walk, compiled, layout, timed};
    use super::*;
    use crate::scenario::timing::read_times;
    use crate::scenario::Hosts;
    use crate::Framing;
    use logspec_checker::rules::StreamRecord;
    use logspec_reader::Format;

    #[test]
    fn a_prediction_is_what_following_every_rule_predicts() {
        // Following only the rules the edit touches predicts what
        // following all of them does.
        for (name, format) in [
            ("ctrl-exec", Format::Rfc3164),
            ("rce-eventlog", Format::JsonLines),
            ("agent-hub", Format::JsonLines),
        ] {
            let compiled = compiled(name);
            let layout = layout(&compiled, Framing::default_of(format), Hosts::Told);
            let mut broken_kinds = std::collections::BTreeSet::new();
            for seed in 0..6 {
                let (mut walk, gaps) = closed_walk(&compiled, layout.clone(), seed, 30);
                let strays = walk.strays();
                let start_at = walk.gaps.start_at;
                let breaking = Breaking {
                    walked: timed(&walk, &gaps),
                    strays: &strays,
                };
                let mut sampler = Sampler::new(seed);
                let Some(((broken, gaps), finding, kind)) =
                    breaking.break_one(&BreakTarget::default(), &mut sampler)
                else {
                    continue;
                };
                let times = read_times(&compiled, &layout, &broken, start_at, &gaps);
                let seen: Vec<StreamRecord> = broken
                    .iter()
                    .zip(times)
                    .map(|((record, host), at)| {
                        let mut seen = layout.seen(&compiled.plan, record, host);
                        seen.at = at;
                        seen
                    })
                    .collect();
                assert_eq!(
                    simulate(&compiled.plan, &[], None, &seen),
                    vec![finding],
                    "{name}"
                );
                broken_kinds.insert(kind);
            }
            assert!(!broken_kinds.is_empty(), "{name}: nothing broken");
        }
    }

    #[test]
    fn an_edit_raising_two_findings_or_none_is_no_prediction() {
        let compiled = compiled("ctrl-exec");
        let layout = layout(&compiled, Framing::default_of(Format::Rfc3164), Hosts::Told);
        let (walk, gaps) = closed_walk(&compiled, layout, 4, 20);
        let breaking = Breaking {
            walked: timed(&walk, &gaps),
            strays: &[],
        };
        // Swapping a record with itself changes nothing.
        assert_eq!(breaking.predicted(&Edit::Swap(0, 0)), None);
        for at in 0..walk.records.len() {
            let edit = Edit::Drop(at);
            let view = edit.view(&breaking.walked);
            let all = simulate(&compiled.plan, &[], None, view.iter().map(AsRef::as_ref));
            match breaking.predicted(&edit) {
                Some(finding) => assert_eq!(all, vec![finding]),
                None => assert!(
                    all.len() != 1 || all[0].code != compiled.plan.rules[all[0].rule].unfinished,
                    "{all:?}"
                ),
            }
        }
    }
}
