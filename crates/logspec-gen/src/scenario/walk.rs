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

use super::draw::{set_field, Draw, Drawn};
use super::layout::{path_segment, placeable_pattern};
use super::rules::{Journal, RuleFinding, Rules};
use super::timing::{seen_at, Gaps};
use super::Walked;
use crate::record::Record;
use logspec_checker::rules::params::rule_params;
use logspec_checker::rules::{RulePlan, StreamRecord};
use logspec_checker::Code;
use logspec_spec::condition::Name;
use logspec_spec::EnvelopeValue;
use std::collections::{HashSet, VecDeque};

/// Records drawn for one record that the walk keeps, at most.
const ATTEMPTS_PER_RECORD: usize = 8;
/// Records drawn to show that an unfinished key can be followed.
const FOLLOW_TRIES: usize = 8;
/// Records drawn per label to walk an unfinished key on at the end. A
/// key that cannot be closed costs the whole walk, and the keys left open
/// grow with the walk (dispatches waiting for their hosts' runs): with 12
/// tries about one ctrl-exec walk of 10,000 records in two failed to
/// close and was walked again, so time grew faster than `--count`.
const CLOSE_TRIES: usize = 64;
/// Repairs tried on a record that fails a rule's condition.
const REPAIR_TRIES: usize = 12;

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
    /// Per rule, per label: whether its key or condition reads what the
    /// walk cannot predict (the path and line an input is read at), so no
    /// record playing it is written.
    unpredictable: Vec<Vec<bool>>,
    /// The rule a scenario aimed at one is to break: lifecycles of it are
    /// opened and continued more often, so that it has records to break.
    focus: Option<usize>,
    /// The places (`Meta::place`) records kept alone in their inputs were
    /// given, per record kind and host: no two share a path.
    places: HashSet<(usize, String, String)>,
    /// The gap before each record, by position.
    pub gaps: Gaps,
    /// The time of the last record kept (the start before the first).
    now: i64,
}

/// Values a field failing a condition may be repaired with.
struct Pool {
    /// Remembered and key values, and the conditions' constants.
    values: Vec<String>,
    /// Remembered values by the field they were remembered from.
    by_field: Vec<(String, String)>,
}

/// Why a record was not admitted.
enum Refused {
    /// It fails a rule's condition; the fields those conditions read.
    Conditions(Vec<String>),
    Otherwise,
}

/// Whether a part's key or condition reads what a walk cannot know in
/// advance: the input's path as text (a capture or split of `{envelope: file}` of a
/// record sharing its input, `key.` of a whole path, `source.file`) and
/// line, and the path of a record alone in its input the walk cannot
/// place (`unplaced`: its kind's path names no segment). Such parts are
/// not written (a documented limitation: see the crate's README). Which
/// input of several records a record goes to is known (one per record
/// kind and host, see `Layout::seen`), and so is the path of a record the
/// walk placed alone in its input (`Meta::place`), and so is every
/// record's time (see [`timing`](super::timing)).
pub(crate) fn unpredictable(rule: &RulePlan, label: usize, alone: bool, unplaced: bool) -> bool {
    let by_path = path_parts(rule, label);
    let path_as_text = by_path.iter().any(|(_, as_text)| *as_text);
    (!by_path.is_empty() && (unplaced || (path_as_text && !alone)))
        || rule.requires[label].as_ref().is_some_and(|plan| {
            plan.condition.uses.iter().any(|used| match &used.name {
                Some(Name::Source(what)) => what == "file" || what == "line",
                Some(Name::Key(part)) => by_path
                    .iter()
                    .any(|(name, as_text)| name == part && !(*as_text && alone)),
                _ => false,
            })
        })
}

/// The key parts of `label` taken from the input's path: each part's name,
/// and whether it reads the path as text (a capture or a split of it).
pub(crate) fn path_parts(rule: &RulePlan, label: usize) -> Vec<(&str, bool)> {
    rule.keys[label]
        .0
        .iter()
        .zip(&rule.key_names)
        .filter(|(part, _)| part.envelope == Some(EnvelopeValue::File))
        .map(|(part, name)| {
            let as_text = part.capture.is_some() || part.split.is_some();
            (name.as_str(), as_text)
        })
        .collect()
}

impl<'c> Walk<'c> {
    pub fn new(draw: Draw<'c>, focus: Option<usize>, gaps: Gaps) -> Walk<'c> {
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
        let unpredictable = plan
            .rules
            .iter()
            .map(|rule| {
                // A rule whose parameters are not all given is not run:
                // nothing of it needs predicting.
                let runs = rule_params(rule, &draw.layout.params).is_ok();
                (0..rule.labels.len())
                    .map(|label| {
                        let alone: Vec<usize> = rule
                            .roles
                            .iter()
                            .filter(|(&(event, _), labels)| {
                                labels.contains(&label)
                                    && crate::stream::one_record(draw.layout.framing(plan, event))
                            })
                            .map(|(&(event, _), _)| plan.events[event].kind)
                            .collect();
                        let unplaced = alone
                            .iter()
                            .any(|&kind| placeable_pattern(plan, kind).is_none());
                        runs && unpredictable(rule, label, !alone.is_empty(), unplaced)
                    })
                    .collect()
            })
            .collect();
        Walk {
            unpredictable,
            rules: Rules::new(plan, &draw.layout.params),
            records: Vec::new(),
            seen: Vec::new(),
            unfinished_in,
            continuable_in,
            focus,
            places: HashSet::new(),
            now: gaps.start_at,
            gaps,
            draw,
        }
    }

    /// What the engine sees of `record`, logged on `host`, as the
    /// `index`th record: the one after the last kept, or (following it)
    /// the one after that.
    fn seen_at(&mut self, record: &Record, host: &str, index: usize) -> (StreamRecord, i64) {
        let time = self.now + self.gaps.at(index);
        let seen = seen_at(self.draw.compiled, &self.draw.layout, record, host, time);
        (seen, time)
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
                    let named = self.draw.chance(0.7);
                    let member = self.member(rule, label, &key, named);
                    let mut drawn =
                        self.draw
                            .continuing(rule, label, &key, &agreed, member.as_deref())?;
                    if self.focus == Some(rule) {
                        self.draw.lean_on_literals(rule, label, &mut drawn.0, false);
                    }
                    Some(drawn)
                })
            } else if self.draw.chance(0.5) {
                let rules: Vec<usize> = match self.focus {
                    Some(focus) if self.draw.chance(0.75) => vec![focus],
                    _ => (0..self.draw.compiled.plan.rules.len()).collect(),
                };
                self.draw.pick(&rules).and_then(|rule| {
                    let labels = self.at_start(rule, true);
                    let label = self.draw.pick(&labels)?;
                    let mut drawn = self.draw.fresh(rule, label)?;
                    if self.focus == Some(rule) {
                        self.draw.lean_on_literals(rule, label, &mut drawn.0, true);
                    }
                    Some(drawn)
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
            let labels: Vec<usize> = match self.fan_label(rule, &key, state) {
                Some(label) => vec![label],
                None => {
                    // The shortest way's first step, then any other.
                    let first = *self.path(rule, &key, state)?.first()?;
                    [first]
                        .into_iter()
                        .chain(
                            self.rule(rule)
                                .finishing(state)
                                .filter(|&label| label != first),
                        )
                        .collect()
                }
            };
            let agreed = self.agreed(rule, &key);
            let closed = labels.into_iter().any(|label| {
                (0..CLOSE_TRIES).any(|attempt| {
                    let member = self.member(rule, label, &key, attempt % 2 == 0);
                    self.draw
                        .continuing(rule, label, &key, &agreed, member.as_deref())
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
                self.place(&mut record, &host);
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
        let mut counts: Vec<(usize, usize)> = (0..self.continuable_in.len())
            .map(|rule| (rule, self.count(rule, &self.continuable_in[rule])))
            .filter(|(_, count)| *count > 0)
            .collect();
        if let Some(focused) = self.focus.filter(|_| self.draw.chance(0.75)) {
            if counts.iter().any(|(rule, _)| *rule == focused) {
                counts.retain(|(rule, _)| *rule == focused);
            }
        }
        let (rule, count) = self.draw.pick(&counts)?;
        let at = self.draw.sampler.sample(&(0..count)).ok()?;
        self.nth(rule, &self.continuable_in[rule], at)
    }

    /// The first key left where it would be reported unfinished: in a
    /// state that is, or waiting for answers its fan-out listed.
    /// A key its rule's `scope` keeps from being judged (the side it waits
    /// for never showed its values) is not: the engine would not report it.
    fn first_unfinished(&self) -> Option<(usize, Vec<String>, usize)> {
        let plan = &self.draw.compiled.plan;
        (0..self.unfinished_in.len())
            .find_map(|rule| {
                let states = &self.unfinished_in[rule];
                (0..states.len())
                    .filter(|&state| states[state])
                    .find_map(|state| {
                        self.rules
                            .in_state(rule, state)
                            .iter()
                            .find(|key| self.rules.judged(plan, rule, key, state))
                            .map(|key| (rule, key.clone(), state))
                    })
            })
            .or_else(|| {
                (0..self.unfinished_in.len()).find_map(|rule| {
                    let key = self.rules.fan_open(rule).first()?;
                    let state = self.rules.key(rule, key)?.state;
                    Some((rule, key.clone(), state))
                })
            })
    }

    /// The part that answers `key`'s fan-out, when the key waits for
    /// answers in an accepting `state` that takes one.
    fn fan_label(&self, rule: usize, key: &[String], state: usize) -> Option<usize> {
        let plan = self.rule(rule);
        let fan = plan.fan_out.as_ref()?;
        let waiting = self.rules.key(rule, key).is_some_and(|key| key.fan_open());
        (waiting
            && plan.states[state].accepting
            && plan.states[state].next[fan.member_label].is_some())
        .then_some(fan.member_label)
    }

    /// A member of `key`'s fan-out no answer named yet, for a record
    /// playing `label`, the part that answers; unless not `named`: the
    /// answer then names whatever it was drawn with, as one addressing a
    /// host by its registry address does (and a member whose name a
    /// record cannot carry is answered so).
    fn member(&mut self, rule: usize, label: usize, key: &[String], named: bool) -> Option<String> {
        let fan = self.rule(rule).fan_out.as_ref()?;
        if fan.member_label != label || !named {
            return None;
        }
        let unanswered: Vec<String> = self
            .rules
            .key(rule, key)?
            .fan
            .as_ref()?
            .unanswered()
            .into_iter()
            .map(str::to_owned)
            .collect();
        self.draw.pick(&unanswered)
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
    /// can be followed by a record no rule objects to. A record that fails
    /// only rules' conditions is repaired: the fields they read are given
    /// values the key's earlier records and key hold, values drawn afresh,
    /// or left out, and the record tried again (a few times).
    fn admit(&mut self, (record, host): Drawn) -> bool {
        let fields = match self.try_admit(record.clone(), &host) {
            Ok(()) => return true,
            Err(Refused::Otherwise) => return false,
            Err(Refused::Conditions(fields)) => fields,
        };
        let pool = self.pool_for(&record, &host);
        (0..REPAIR_TRIES).any(|_| {
            self.repaired(&record, &fields, &pool)
                .is_some_and(|repaired| self.try_admit(repaired, &host).is_ok())
        })
    }

    /// Values a repaired field may take: the values remembered for the
    /// keys `record` steps (a list's elements too), the keys' values, and
    /// the constants the stepped rules' conditions compare with.
    fn pool_for(&self, record: &Record, host: &str) -> Pool {
        let plan = &self.draw.compiled.plan;
        let seen = self.draw.layout.seen(plan, record, host);
        let mut pool = Vec::new();
        let mut by_field: Vec<(String, String)> = Vec::new();
        for (rule, key) in self.rules.stepped(plan, &seen) {
            if let Some(state) = self.rules.key(rule, &key) {
                for (remembered, text) in state.memory.iter().flat_map(|memory| &memory.values) {
                    let text = text.to_string();
                    let remembered = plan.rules[rule].remembered.get(*remembered as usize);
                    if let Some((_, field, _)) = remembered {
                        by_field.push((field.to_string(), text.clone()));
                    }
                    pool.push(text.clone());
                    pool.extend(
                        text.split(',')
                            .filter(|element| !element.is_empty() && element.len() < text.len())
                            .map(str::to_owned),
                    );
                }
            }
            pool.extend(key);
            pool.extend(
                plan.rules[rule]
                    .requires
                    .iter()
                    .flatten()
                    .flat_map(|required| required.condition.literals.iter().cloned()),
            );
        }
        pool.sort_unstable();
        pool.dedup();
        Pool {
            values: pool,
            by_field,
        }
    }

    /// `record` with some of `fields` given other values (from `pool`, or
    /// a fresh record of its variant) or left out.
    fn repaired(&mut self, record: &Record, fields: &[String], pool: &Pool) -> Option<Record> {
        let compiled = self.draw.compiled;
        let format = self.draw.format_of(record.event);
        let fresh = self.draw.sample((record.event, record.variant))?;
        let mut repaired = record.clone();
        for field in fields {
            if !self.draw.chance(0.7) {
                continue;
            }
            // A value an earlier record of the key had in the same field
            // first: conditions mostly ask records of a key to agree.
            let same: Vec<String> = pool
                .by_field
                .iter()
                .filter(|(name, _)| name == field)
                .map(|(_, value)| value.clone())
                .collect();
            let value = if !same.is_empty() && self.draw.chance(0.8) {
                self.draw.pick(&same)
            } else if !pool.values.is_empty() && self.draw.chance(0.6) {
                self.draw.pick(&pool.values)
            } else {
                fresh.value(field).map(str::to_owned)
            };
            match value {
                Some(value) if self.draw.chance(0.9) => {
                    // A host:port field keeps its port.
                    let value = match repaired.value(field) {
                        Some(current) if !value.contains(':') && looks_like_host_port(current) => {
                            super::draw::with_host(Some(current), &value)
                        }
                        _ => value,
                    };
                    set_field(compiled, &mut repaired, field, &value, format);
                }
                _ => repaired.fields.retain(|written| &written.key != field),
            }
        }
        (repaired != *record).then_some(repaired)
    }

    /// Keeps `record`, logged on `host`, if it conforms, no rule objects
    /// to it and the keys it leaves unfinished can be followed.
    fn try_admit(&mut self, mut record: Record, host: &str) -> Result<(), Refused> {
        record.meta.hostname = host.to_owned();
        self.place(&mut record, host);
        if !self.draw.conforms(&mut record) {
            return Err(Refused::Otherwise);
        }
        let compiled = self.draw.compiled;
        let plan = &compiled.plan;
        let index = self.records.len();
        let (seen, time) = self.seen_at(&record, host, index);
        let variant = (record.event, record.variant);
        // A reset ends every lifecycle of its rules: refused while one of
        // them would be reported, without trying it. A part whose
        // condition the walk cannot predict is not written.
        let refused = plan.rules.iter().enumerate().any(|(rule, plan)| {
            (plan.resets.contains(&variant)
                && (self.count(rule, &self.unfinished_in[rule]) > 0
                    || !self.rules.fan_open(rule).is_empty()))
                || plan.roles.get(&variant).is_some_and(|labels| {
                    labels.iter().any(|&label| self.unpredictable[rule][label])
                })
        });
        if refused {
            return Err(Refused::Otherwise);
        }
        let mut journal = Journal::default();
        let objections = self.rules.observe(plan, index, &seen, Some(&mut journal));
        if !objections.is_empty() {
            self.rules.undo(journal);
            return Err(conditions(plan, &seen, &objections));
        }
        // A follower comes after this record.
        let before = std::mem::replace(&mut self.now, time);
        let followable = self
            .rules
            .stepped(plan, &seen)
            .into_iter()
            .all(|(rule, key)| match self.rules.key(rule, &key) {
                Some(state) if self.unfinished_in[rule][state.state] || state.fan_open() => {
                    let state = state.state;
                    self.followable(rule, &key, state, index + 1)
                }
                _ => true,
            });
        if !followable {
            self.rules.undo(journal);
            self.now = before;
            return Err(Refused::Otherwise);
        }
        if host != self.draw.home && !self.draw.others.contains(host) {
            self.draw.others.insert(host.to_owned());
        }
        if let Some(place) = &record.meta.place {
            let kind = plan.events[record.event].kind;
            self.places.insert((kind, host.to_owned(), place.clone()));
        }
        self.records.push((record, host.to_owned()));
        self.seen.push(seen);
        Ok(())
    }

    /// Places `record`, when it is alone in its input and its kind's path
    /// names a segment (`runs/*/record.json`): under the first of its own
    /// values that can name a path segment and no record of its kind and
    /// host was placed under, as a producer names a directory by the
    /// record's id; else under a fresh name. A condition that wants
    /// another value there fails and is repaired like any other. A place
    /// is never a bare number, which the writer numbers other inputs by.
    fn place(&self, record: &mut Record, host: &str) {
        let plan = &self.draw.compiled.plan;
        let kind = plan.events[record.event].kind;
        if !crate::stream::one_record(self.draw.layout.framing(plan, record.event))
            || placeable_pattern(plan, kind).is_none()
        {
            return;
        }
        let free = |place: &str| {
            path_segment(place)
                && !place.bytes().all(|b| b.is_ascii_digit())
                && !self
                    .places
                    .contains(&(kind, host.to_owned(), place.to_owned()))
        };
        // The fields conditions on a key read from the path compare first.
        let variant = (record.event, record.variant);
        let compared: Vec<&str> = plan
            .rules
            .iter()
            .flat_map(|rule| {
                let labels = rule.roles.get(&variant).into_iter().flatten();
                labels
                    .filter(|&&label| {
                        rule.keys[label]
                            .0
                            .iter()
                            .any(|part| part.envelope == Some(EnvelopeValue::File))
                    })
                    .filter_map(|&label| rule.requires[label].as_ref())
                    .flat_map(|condition| condition.fields.iter().map(|(field, _)| &**field))
            })
            .collect();
        let own = compared
            .iter()
            .filter_map(|field| record.value(field))
            .chain(record.fields.iter().map(|field| field.value.as_str()))
            .find(|value| free(value))
            .map(str::to_owned);
        let place = own.unwrap_or_else(|| {
            (self.records.len()..)
                .map(|n| format!("p{n}"))
                .find(|place| free(place))
                .unwrap_or_default()
        });
        record.meta.place = Some(place);
    }

    /// Whether a record that conforms and that no rule objects to can
    /// take `key` of rule `rule`, in `state`, one step on towards an
    /// accepting state (a few are drawn): a path is not enough when the
    /// record a key needs next breaks another rule (a close for a
    /// connection never accepted) or cannot carry a value the key holds.
    fn followable(&mut self, rule: usize, key: &[String], state: usize, index: usize) -> bool {
        let Some(label) = self.fan_label(rule, key, state).or_else(|| {
            self.path(rule, key, state)
                .and_then(|path| path.first().copied())
        }) else {
            return false;
        };
        let agreed = self.agreed(rule, key);
        let plan = &self.draw.compiled.plan;
        (0..FOLLOW_TRIES).any(|attempt| {
            let member = self.member(rule, label, key, attempt % 2 == 0);
            let Some((mut record, host)) =
                self.draw
                    .continuing(rule, label, key, &agreed, member.as_deref())
            else {
                return false;
            };
            record.meta.hostname = host.clone();
            self.place(&mut record, &host);
            if !self.draw.conforms(&mut record) {
                return false;
            }
            let (seen, _) = self.seen_at(&record, &host, index);
            // A record that no longer steps the key (its key values
            // repaired away) follows another.
            let steps_key = |rules: &Rules, seen: &StreamRecord| {
                rules
                    .stepped(plan, seen)
                    .iter()
                    .any(|(stepped, stepped_key)| *stepped == rule && stepped_key == key)
            };
            if !steps_key(&self.rules, &seen) {
                return false;
            }
            let objections = self.trial(index, &seen);
            if objections.is_empty() {
                return true;
            }
            // Failing only conditions, it may be repaired as `admit` would.
            let Refused::Conditions(fields) = conditions(plan, &seen, &objections) else {
                return false;
            };
            let pool = self.pool_for(&record, &host);
            (0..FOLLOW_TRIES).any(|_| {
                let Some(mut repaired) = self.repaired(&record, &fields, &pool) else {
                    return false;
                };
                if !self.draw.conforms(&mut repaired) {
                    return false;
                }
                self.place(&mut repaired, &host);
                let (seen, _) = self.seen_at(&repaired, &host, index);
                steps_key(&self.rules, &seen) && self.trial(index, &seen).is_empty()
            })
        })
    }

    /// What the rules object to `seen` at `index`, without keeping it.
    fn trial(&mut self, index: usize, seen: &StreamRecord) -> Vec<RuleFinding> {
        let plan = &self.draw.compiled.plan;
        let mut journal = Journal::default();
        let objections = self.rules.observe(plan, index, seen, Some(&mut journal));
        self.rules.undo(journal);
        objections
    }

    /// The parts of rule `rule` its start state accepts (or refuses),
    /// but none whose condition the walk cannot predict.
    fn at_start(&self, rule_index: usize, accepted: bool) -> Vec<usize> {
        let rule = self.rule(rule_index);
        let start = &rule.states[rule.start];
        (0..rule.labels.len())
            .filter(|&label| start.next[label].is_some() == accepted)
            .filter(|&label| !self.unpredictable[rule_index][label])
            .collect()
    }
}

/// Why `seen` was objected to: only for failing rules' conditions (the
/// fields those conditions read), or otherwise.
fn conditions(
    plan: &logspec_checker::Plan,
    seen: &StreamRecord,
    objections: &[RuleFinding],
) -> Refused {
    let mut fields: Vec<String> = Vec::new();
    for objection in objections {
        if !matches!(
            objection.code,
            Code::ConditionViolation | Code::ConditionError
        ) {
            return Refused::Otherwise;
        }
        let rule = &plan.rules[objection.rule];
        for &label in rule
            .roles
            .get(&(seen.event, seen.variant))
            .into_iter()
            .flatten()
        {
            for (field, _) in rule.requires[label].iter().flat_map(|plan| &plan.fields) {
                if !fields.iter().any(|known| **known == **field) {
                    fields.push(field.to_string());
                }
            }
        }
    }
    Refused::Conditions(fields)
}

/// Whether `value` is written `host:port`.
fn looks_like_host_port(value: &str) -> bool {
    value.rsplit_once(':').is_some_and(|(host, port)| {
        !host.is_empty() && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::super::rules::simulate;
    use super::super::rules::stepped_in_order;
    use super::super::testing::{self, compiled, layout, rule_index};
    use super::*;
    use crate::scenario::Hosts;
    use crate::Framing;
    use logspec_reader::Format;

    fn walk<'c>(compiled: &'c crate::generator::Compiled, framing: Framing, seed: u64) -> Walk<'c> {
        testing::walk(compiled, layout(compiled, framing, Hosts::Told), seed)
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
                assert_eq!(simulate(plan, &[], None, &walk.seen), Vec::new(), "{name}");
                for keys in stepped_in_order(plan, &walk.seen) {
                    stepped_rules.extend(keys.into_iter().map(|(rule, _)| rule));
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
