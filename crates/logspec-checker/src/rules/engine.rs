//! The rule engine: per rule, a map from correlation key to lifecycle
//! state, stepped by each record that plays a part, capped in size.
//!
//! Each rule's open keys ([`OpenKeys`]) are kept in recency order: a step
//! makes its key the newest and the cap evicts the oldest, both in O(1).
//! Keys come from records, so the map hashes with foldhash, seeded per
//! process, and its size is capped (`max_open_keys`). What each key holds
//! is kept compact ([`super::state`]).

use super::condition::{judge, Verdict};
use super::fan_out::{self, FanStep, Refusal};
use super::hosts::HostNames;
use super::join::Joined;
use super::key::{derive_keys, DerivedKeys};
use super::open_keys::{OpenKey, OpenKeys};
use super::params::rule_params as params;
use super::plan::RulePlan;
use super::state::{compare_keys, key_parts, Agreed, Cited, Files, Keeps, KeyText};
use super::window::WINDOW_TIMES;
use super::witness::Witnesses;
use super::StreamRecord;
use crate::finding::{Code, Finding, FindingSink, Related, Severity};
use crate::plan::Plan;
use compact_str::CompactString;
use foldhash::fast::RandomState;
use logspec_reader::Instant;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// The inputs are a window of longer streams: lifecycles open at the end
    /// (or joined midway) are warnings, not errors.
    pub partial: bool,
    /// Open keys kept per rule; the least recently used are evicted beyond.
    pub max_open_keys: usize,
    /// Open keys kept by all rules together: beyond it, the rule holding
    /// the most gives up its least recently used key. This is what bounds
    /// the engine's memory whatever the spec's number of rules.
    pub max_open_keys_total: usize,
    /// Rule parameters the user set, NAME → VALUE as written.
    pub params: Vec<(String, String)>,
    /// Host names the user says are one host (`--host-alias`,
    /// `--hosts-file`), for key parts and fan-outs that are hosts.
    pub hosts: HostNames,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            partial: false,
            max_open_keys: 100_000,
            max_open_keys_total: DEFAULT_MAX_OPEN_KEYS_TOTAL,
            params: Vec::new(),
            hosts: HostNames::default(),
        }
    }
}

/// The default of [`EngineOptions::max_open_keys_total`]: what keeps a
/// run under 100 MB of memory however long the stream and however many
/// rules key it (see BENCHMARKS.md, the twelfth round).
pub const DEFAULT_MAX_OPEN_KEYS_TOTAL: usize = 250_000;

/// Records a key keeps for citation; enough to show a lifecycle.
const CITED_PER_KEY: usize = 16;
/// Inputs (and hosts within them) whose beginning is kept for
/// `covered.W`; past it a record's coverage is reported as unknown.
const BEGINNINGS: usize = 65_536;

/// The first record a key cites, by input name and line: the order open
/// keys are reported in at the end.
fn first_cited<'f>(files: &'f Files, key: &OpenKey<'_>) -> Option<(&'f str, u64)> {
    key.cited
        .first()
        .map(|cited| (&**files.name(cited.file), cited.line))
}

#[derive(Debug, Default)]
struct RuleRun {
    /// Open keys (their [`KeyText`]), least recently used first.
    keys: OpenKeys,
    /// The text of the key being looked up, reused.
    key_text: KeyText,
    /// Keys dropped at the rule's own cap (`max_open_keys`).
    evicted: Dropped,
    /// Keys given up to keep all rules within `max_open_keys_total`.
    given_up: Dropped,
    /// Values remembered for key parts joined from earlier records.
    joined: Joined,
    /// Record times a window's count lost at the cap (`WINDOW_TIMES`).
    times_dropped: u64,
    first_time_dropped: Option<(Arc<str>, u64)>,
    unkeyed: u64,
    first_unkeyed: Option<(Arc<str>, u64)>,
    /// The parameters' values, or why the rule cannot run (one unset or
    /// invalid); such a rule is reported unchecked at its first record.
    params: Params,
    unchecked_at: Option<(Arc<str>, u64)>,
}

/// A rule's parameter values, or why it cannot run.
#[derive(Debug)]
struct Params(Result<Vec<(String, cel::Value)>, String>);

impl Default for Params {
    fn default() -> Self {
        Params(Ok(Vec::new()))
    }
}

/// A record as the rules step on it: its input's index among the cited
/// inputs, and when its input began (for `covered.W`).
struct Observed<'r> {
    record: &'r StreamRecord,
    file: u32,
    began: Option<Instant>,
}

/// Runs every rule of a plan over a stream of records.
#[derive(Debug)]
pub struct Engine {
    options: EngineOptions,
    runs: Vec<RuleRun>,
    /// Record kinds some observed record belonged to.
    kinds_seen: Vec<bool>,
    /// Where each input (and host in it) began, its first record's time:
    /// kept when a condition asks whether an input covers a window.
    began: HashMap<(Arc<str>, Option<CompactString>), Instant, RandomState>,
    /// Inputs and hosts beyond [`BEGINNINGS`], whose beginning is not kept.
    beginnings_dropped: Option<(Arc<str>, u64)>,
    /// The inputs citations name.
    files: Files,
    /// The keys of the record being observed, reused.
    derived: DerivedKeys,
    /// The values each side of a scoped rule was seen with.
    witnesses: Witnesses,
}

impl Engine {
    pub fn new(plan: &Plan, options: EngineOptions) -> Engine {
        let runs: Vec<RuleRun> = plan
            .rules
            .iter()
            .map(|rule| RuleRun {
                params: Params(params(rule, &options.params)),
                joined: Joined::new(&rule.joins),
                keys: OpenKeys::new(Keeps::of(rule)),
                ..RuleRun::default()
            })
            .collect();
        Engine {
            witnesses: Witnesses::new(plan, |index| runs[index].params.0.is_ok()),
            runs,
            kinds_seen: vec![false; plan.kinds.len()],
            began: HashMap::default(),
            beginnings_dropped: None,
            files: Files::default(),
            derived: DerivedKeys::default(),
            options,
        }
    }

    /// The earliest time of `record`'s input and host, noting `record`'s.
    fn began(&mut self, record: &StreamRecord) -> Option<Instant> {
        let at = record.at?;
        let place = (Arc::clone(&record.file), record.host.clone());
        if let Some(&began) = self.began.get(&place) {
            return Some(began);
        }
        if self.began.len() >= BEGINNINGS {
            self.beginnings_dropped
                .get_or_insert_with(|| (Arc::clone(&record.file), record.line));
            return None;
        }
        self.began.insert(place, at);
        Some(at)
    }

    /// Open keys across all rules.
    pub fn open_keys(&self) -> usize {
        open_keys(&self.runs)
    }

    /// Steps every rule `record` plays a part in.
    pub fn observe(&mut self, plan: &Plan, record: &StreamRecord, sink: &mut dyn FindingSink) {
        let variant = (record.event, record.variant);
        if let Some(seen) = self.kinds_seen.get_mut(plan.events[record.event].kind) {
            *seen = true;
        }
        let began = if plan.rules.iter().any(|rule| rule.covers) {
            self.began(record)
        } else {
            None
        };
        let seen = Observed {
            record,
            file: self.files.id(&record.file),
            began,
        };
        let files = &self.files;
        for &index in plan.rules_of_variant(variant) {
            let (rule, run) = (&plan.rules[index], &mut self.runs[index]);
            if run.params.0.is_err() {
                if run.unchecked_at.is_none() && rule.roles.contains_key(&variant) {
                    run.unchecked_at = Some((Arc::clone(&record.file), record.line));
                }
                continue;
            }
            if rule.resets.contains(&variant) {
                let seen = |label, nth, value: &str| self.witnesses.seen(index, label, nth, value);
                run.finish(rule, &self.options, files, &self.kinds_seen, seen, sink);
            }
            if !rule.scope.is_empty() {
                let hosts = &self.options.hosts;
                self.witnesses
                    .witness(index, rule, record, hosts, &run.joined);
            }
            let Some(labels) = rule.roles.get(&variant) else {
                continue;
            };
            let mut opened = false;
            for &label in labels {
                let derived = &mut self.derived;
                derive_keys(
                    rule,
                    label,
                    record,
                    &self.options.hosts,
                    &run.joined,
                    derived,
                );
                if derived.is_empty() {
                    run.unkeyed += 1;
                    run.first_unkeyed
                        .get_or_insert_with(|| (Arc::clone(&record.file), record.line));
                    continue;
                }
                for key in derived.iter() {
                    opened |= run.step(plan, rule, label, key, &seen, &self.options, files, sink);
                }
            }
            if !rule.joins.is_empty() {
                // After the record's own keys: a record joins only earlier ones.
                for &label in labels {
                    let cap = self.options.max_open_keys;
                    run.joined.remember(&rule.joins, label, record, cap);
                }
            }
            if opened {
                let budget = self.options.max_open_keys_total;
                keep_within(&mut self.runs, plan, budget, record);
            }
        }
    }

    /// Ends the stream: reports unfinished lifecycles, evictions and
    /// records no key could be derived for.
    pub fn finish(&mut self, plan: &Plan, sink: &mut dyn FindingSink) {
        // No record comes after this: agreed values and what conditions
        // remember are given back before any rule reports, because each
        // rule's report is built while every later rule's keys are still
        // held, at the run's peak of memory.
        for run in &mut self.runs {
            run.keys.forget_for_later();
        }
        if let Some((file, line)) = self.beginnings_dropped.take() {
            sink.push(Finding::new(
                Code::StateEvicted,
                &file,
                line,
                format!(
                    "more than {BEGINNINGS} inputs and hosts: where the rest began was not kept, \
                     so whether their records cover a window was reported as a condition-error"
                ),
            ));
        }
        for (index, (rule, run)) in plan.rules.iter().zip(&mut self.runs).enumerate() {
            if let (Err(reason), Some((file, line))) = (&run.params.0, run.unchecked_at.take()) {
                let mut finding = Finding::new(
                    Code::RuleUnchecked,
                    &file,
                    line,
                    format!("{}: not checked: {reason}", rule.id),
                );
                finding.rule = Some(rule.id.clone());
                sink.push(finding);
                continue;
            }
            let seen = |label, nth, value: &str| self.witnesses.seen(index, label, nth, value);
            run.finish(
                rule,
                &self.options,
                &self.files,
                &self.kinds_seen,
                seen,
                sink,
            );
            // The stream is over: give the rule's keys' memory back now,
            // not when the engine is dropped, so that the findings of the
            // rules after it reuse it instead of adding to the run's peak.
            run.keys = OpenKeys::new(Keeps::of(rule));
            let cap = format!("at the cap of {}", self.options.max_open_keys);
            run.evicted.report(rule, &cap, "--max-open-keys", sink);
            let total = format!(
                "to keep all rules within {} open keys",
                self.options.max_open_keys_total
            );
            run.given_up
                .report(rule, &total, "--max-open-keys-total", sink);
            if let Some((file, line)) = run.joined.first_eviction.take() {
                let mut finding = Finding::new(
                    Code::StateEvicted,
                    &file,
                    line,
                    format!(
                        "{}: {} values remembered for keys joined from earlier records were \
                         dropped at the cap of {}; later records that needed them were not \
                         correlated (raise --max-open-keys)",
                        rule.id, run.joined.evicted, self.options.max_open_keys
                    ),
                );
                finding.rule = Some(rule.id.clone());
                sink.push(finding);
            }
            if let Some((file, line)) = run.first_time_dropped.take() {
                let mut finding = Finding::new(
                    Code::StateEvicted,
                    &file,
                    line,
                    format!(
                        "{}: {} record times were dropped at the cap of {WINDOW_TIMES} per key \
                         and label; a windowed count reaching back past them was reported as a \
                         condition-error, not judged",
                        rule.id, run.times_dropped
                    ),
                );
                finding.rule = Some(rule.id.clone());
                sink.push(finding);
            }
            if let Some((file, line)) = run.first_unkeyed.take() {
                let by_envelope = rule
                    .keys
                    .iter()
                    .any(|(parts, _)| parts.iter().any(|part| part.envelope.is_some()));
                let mut finding = Finding::new(
                    Code::Unkeyed,
                    &file,
                    line,
                    format!(
                        "{}: {} no value for a part of the key ({}) and {} not correlated{}",
                        rule.id,
                        if run.unkeyed == 1 {
                            "1 record had".to_owned()
                        } else {
                            format!("{} records had", run.unkeyed)
                        },
                        rule.key_names.join(", "),
                        if run.unkeyed == 1 { "was" } else { "were" },
                        if by_envelope {
                            "; for captures without hostnames give one per input with \
                             --host FILE=HOST"
                        } else {
                            ""
                        }
                    ),
                );
                finding.rule = Some(rule.id.clone());
                sink.push(finding);
            }
        }
    }
}

impl RuleRun {
    /// Steps `key` with a record playing `label`. Returns whether the rule
    /// now holds one key more (a key opened in an evicted key's place at
    /// the rule's cap does not count), for the budget all rules share.
    #[allow(clippy::too_many_arguments)]
    fn step(
        &mut self,
        plan: &Plan,
        rule: &RulePlan,
        label: usize,
        key: &[String],
        seen: &Observed<'_>,
        options: &EngineOptions,
        files: &Files,
        sink: &mut dyn FindingSink,
    ) -> bool {
        let (record, began) = (seen.record, seen.began);
        let text = self.key_text.encode(key);
        let stepped = self.keys.step(text, options.max_open_keys, rule.start);
        let added = stepped.opened && stepped.evicted.is_none();
        if let Some(evicted) = stepped.evicted {
            self.evicted.note(rule, &evicted, record);
        }
        let mut entry = stepped.key;

        let here = Cited {
            line: record.line,
            file: seen.file,
            // A rule's labels are the handful its spec names.
            label: label as u32,
        };
        let fresh = entry.cites_nothing();
        let params = self.params.0.as_deref().unwrap_or_default();
        let event = &plan.events[record.event].id;
        if let Some(verdict) = judge(
            rule,
            label,
            record,
            event,
            entry.memory(),
            params,
            key,
            began,
            entry.state.state(),
        ) {
            let source = rule.requires[label]
                .as_ref()
                .map_or("", |condition| condition.condition.source.as_str());
            let problem = match verdict {
                Verdict::Holds => None,
                Verdict::Fails(values) => Some((
                    Code::ConditionViolation,
                    format!(
                        "{}: {} for {} does not meet `{source}`{}",
                        rule.id,
                        rule.labels[label],
                        rule.describe_key(key),
                        if values.is_empty() {
                            String::new()
                        } else {
                            format!(" ({values})")
                        }
                    ),
                )),
                Verdict::Error(error) => Some((
                    Code::ConditionError,
                    format!(
                        "{}: `{source}` could not be evaluated on this {} record: {error}",
                        rule.id, rule.labels[label]
                    ),
                )),
            };
            if let Some((code, message)) = problem {
                let mut finding = rule_finding(plan, rule, code, record, key, message);
                finding.related = related(rule, files, &entry.cited());
                sink.push(finding);
            }
        }
        if entry.remember(rule, label, record, params) {
            self.times_dropped += 1;
            self.first_time_dropped
                .get_or_insert_with(|| (Arc::clone(&record.file), record.line));
        }
        match rule.states[entry.state.state()].next[label] {
            Some(next) => entry.state.set_state(next),
            // A window may start in the middle of a lifecycle: join it.
            None if options.partial && fresh => {
                if let Some(next) = rule.states.iter().find_map(|state| state.next[label]) {
                    entry.state.set_state(next);
                }
            }
            None => {
                entry.state.set_violated();
                let allowed = rule.allowed(entry.state.state());
                let mut finding = rule_finding(
                    plan,
                    rule,
                    rule.violation,
                    record,
                    key,
                    format!(
                        "{}: {} for {} is not allowed in state `{}` (allowed: {})",
                        rule.id,
                        rule.labels[label],
                        rule.describe_key(key),
                        rule.states[entry.state.state()].name,
                        if allowed.is_empty() {
                            "nothing more".to_owned()
                        } else {
                            allowed.join(", ")
                        }
                    ),
                );
                finding.related = related(rule, files, &entry.cited());
                sink.push(finding);
            }
        }

        // A rule with a fan-out keeps its column (`Keeps::of`).
        if let (Some(fan), Some(kept)) = (&rule.fan_out, entry.fan.as_deref_mut()) {
            match fan_out::step(fan, label, record, &options.hosts, kept) {
                FanStep::Listed { cut } if cut > 0 => {
                    let message = format!(
                        "{}: the {} lists {cut} more members than the {} followed; runs for \
                         those are not checked",
                        rule.id,
                        rule.labels[fan.list_label],
                        fan_out::MEMBERS
                    );
                    sink.push(rule_finding(
                        plan,
                        rule,
                        Code::StateEvicted,
                        record,
                        key,
                        message,
                    ));
                }
                FanStep::Answered(refusals) if !refusals.is_empty() => {
                    entry.state.set_violated();
                    let (list, answer) = (&rule.labels[fan.list_label], &rule.labels[label]);
                    // Answers are refused only against a listing, so it is held.
                    let listed = entry
                        .fan
                        .as_deref()
                        .and_then(Option::as_deref)
                        .map(|state| some_of(&state.listed()))
                        .unwrap_or_default();
                    let described = rule.describe_key(key);
                    for refusal in refusals {
                        let message = match refusal {
                            Refusal::Again(member) => format!(
                                "{}: a second {answer} for {member} under {described} \
                                 (the {list} listed {listed})",
                                rule.id
                            ),
                            Refusal::NotListed(member) => format!(
                                "{}: {answer} for {member} under {described}, which the {list} \
                                 does not list ({listed})",
                                rule.id
                            ),
                            Refusal::TooMany(member) => format!(
                                "{}: more {answer} records under {described} than the {list} \
                                 listed ({listed}); {member} is one too many",
                                rule.id
                            ),
                        };
                        let mut finding =
                            rule_finding(plan, rule, rule.violation, record, key, message);
                        finding.related = related(rule, files, &entry.cited());
                        sink.push(finding);
                    }
                }
                _ => {}
            }
        }
        for (field_index, (field, chars)) in rule.agree.iter().enumerate() {
            let Some(value) = record.value(field) else {
                continue;
            };
            match entry.agreed(field_index) {
                Some(Agreed {
                    value: first,
                    cited,
                    ..
                }) if !rule.agrees(field_index, first, value) => {
                    let mut finding = rule_finding(
                        plan,
                        rule,
                        Code::Mismatch,
                        record,
                        key,
                        format!(
                            "{}: {field}={value} here, but {field}={first} on {} line {} for {}{}",
                            rule.id,
                            rule.labels[cited.label()],
                            cited.line,
                            rule.describe_key(key),
                            match chars {
                                Some(chars) =>
                                    format!(" (compared on the first {chars} characters)"),
                                None => String::new(),
                            }
                        ),
                    );
                    finding.field = Some(field.clone());
                    finding.related = related(rule, files, std::slice::from_ref(cited));
                    sink.push(finding);
                }
                Some(_) => {}
                None => entry.agree(Agreed {
                    field: field_index,
                    value: CompactString::from(value),
                    cited: here,
                }),
            }
        }
        entry.cite(here, CITED_PER_KEY);
        if rule.closed(entry.state.state()) {
            // A finished lifecycle can only be cited by a later violation:
            // keep its first record and nothing it would need to agree on.
            entry.close();
        }
        added
    }

    /// Reports every key left in a non-accepting state, then forgets all
    /// keys (the end of the stream, or of an application session).
    fn finish(
        &mut self,
        rule: &RulePlan,
        options: &EngineOptions,
        files: &Files,
        kinds_seen: &[bool],
        seen: impl Fn(usize, usize, &str) -> bool,
        sink: &mut dyn FindingSink,
    ) {
        // Slot indices, 4 bytes a key where a key's text, state and fan-out
        // took 24: listed while every rule's keys are still held, at the
        // run's peak of memory.
        let keys = &self.keys;
        let mut open: Vec<u32> = keys
            .iter()
            .filter(|(_, key)| {
                !key.state.violated()
                    && (!rule.states[key.state.state()].accepting
                        || key.fan.is_some_and(|fan| fan.missing() > 0))
            })
            .map(|(index, _)| index)
            .collect();
        // Hash order must not leak into reports.
        open.sort_by(|&a, &b| {
            let (a, b) = (keys.get(a), keys.get(b));
            first_cited(files, &a)
                .cmp(&first_cited(files, &b))
                .then_with(|| compare_keys(a.text, b.text))
        });
        for OpenKey {
            text,
            state,
            cited,
            fan,
        } in open.into_iter().map(|index| keys.get(index))
        {
            let key = key_parts(text);
            let key = key.as_slice();
            let code = if options.partial {
                Code::Incomplete
            } else {
                rule.unfinished
            };
            if rule.states[state.state()].accepting {
                // Only the fan-out is unfinished.
                let (Some(fan), Some(plan)) = (fan, &rule.fan_out) else {
                    continue;
                };
                // Reported at the record that listed the members.
                let Some(at) = cited
                    .iter()
                    .position(|cited| cited.label() == plan.list_label)
                else {
                    continue;
                };
                let listing = &cited[at];
                let held = rule.label_kinds[plan.member_label]
                    .iter()
                    .any(|&kind| kinds_seen.get(kind).copied().unwrap_or(true));
                if !held {
                    continue;
                }
                let unnamed = fan.unnamed();
                let described = rule.describe_key(key);
                let mut finding = Finding::new(
                    code,
                    files.name(listing.file),
                    listing.line,
                    format!(
                        "{}: {described} ended with {} of the {} members its {} listed ({}) \
                         unanswered: no {} for {}{}{}",
                        rule.id,
                        fan.missing(),
                        fan.listed().len(),
                        rule.labels[plan.list_label],
                        some_of(&fan.listed()),
                        rule.labels[plan.member_label],
                        some_of(&fan.unanswered()),
                        if unnamed > 0 {
                            format!(" ({unnamed} answered under other names)")
                        } else {
                            String::new()
                        },
                        match fan.cut() {
                            0 => String::new(),
                            cut => format!(
                                "; {cut} more listed were not followed (at most {} are)",
                                fan_out::MEMBERS
                            ),
                        }
                    ),
                );
                if options.partial {
                    finding.severity = Severity::Warning;
                }
                finding.key = Some(described);
                finding.rule = Some(rule.id.clone());
                let others: Vec<Cited> = cited
                    .iter()
                    .enumerate()
                    .filter(|(index, _)| *index != at)
                    .map(|(_, cited)| *cited)
                    .collect();
                finding.related = related(rule, files, &others);
                sink.push(finding);
                continue;
            }
            let allowed = rule.allowed(state.state());
            if !rule.end_observable(state.state(), |kind| {
                kinds_seen.get(kind).copied().unwrap_or(true)
            }) {
                continue;
            }
            // Judge only keys whose other side could have been observed.
            let observable = rule.judged(state.state(), key, &seen);
            if !observable {
                continue;
            }
            let Some(last) = cited.last() else {
                continue;
            };
            let described = rule.describe_key(key);
            let mut finding = Finding::new(
                code,
                files.name(last.file),
                last.line,
                format!(
                    "{}: {described} ended in state `{}`, still waiting for {}",
                    rule.id,
                    rule.states[state.state()].name,
                    if allowed.is_empty() {
                        "nothing".to_owned()
                    } else {
                        allowed.join(" or ")
                    }
                ),
            );
            if options.partial {
                finding.severity = Severity::Warning;
            }
            finding.key = Some(described);
            finding.rule = Some(rule.id.clone());
            finding.related = related(rule, files, &cited[..cited.len() - 1]);
            sink.push(finding);
        }
        self.keys.clear();
        self.joined.clear();
    }
}

/// Open keys of all rules together.
fn open_keys(runs: &[RuleRun]) -> usize {
    runs.iter().map(|run| run.keys.len()).sum()
}

/// Drops keys until all rules together hold at most `budget`: each time
/// the least recently used key of the rule holding the most (the first
/// such rule in plan order), so a rule with few keys keeps them and the
/// rules that open many share what is left. Called after a record opened
/// keys, which it cites as where the first key given up went.
fn keep_within(runs: &mut [RuleRun], plan: &Plan, budget: usize, record: &StreamRecord) {
    let mut open = open_keys(runs);
    while open > budget.max(1) {
        let Some((index, run)) = (runs.iter_mut().enumerate())
            .rev()
            .max_by_key(|(_, run)| run.keys.len())
        else {
            return;
        };
        let Some(text) = run.keys.evict_oldest() else {
            return;
        };
        open -= 1;
        run.given_up.note(&plan.rules[index], &text, record);
    }
}

/// Keys a rule dropped before their lifecycles ended, for the one
/// `state-evicted` finding at the end of the stream: how many, and the
/// first (its record's place and the key as people read it).
#[derive(Debug, Default)]
struct Dropped {
    count: u64,
    first: Option<(Arc<str>, u64, String)>,
}

impl Dropped {
    /// Counts the key `text`, dropped when `record` came.
    fn note(&mut self, rule: &RulePlan, text: &str, record: &StreamRecord) {
        self.count += 1;
        self.first.get_or_insert_with(|| {
            let described = rule.describe_key(&key_parts(text));
            (Arc::clone(&record.file), record.line, described)
        });
    }

    /// Reports the keys dropped (`why`: at which limit), if any, naming
    /// the option that raises it.
    fn report(&mut self, rule: &RulePlan, why: &str, option: &str, sink: &mut dyn FindingSink) {
        let Some((file, line, key)) = self.first.take() else {
            return;
        };
        let mut finding = Finding::new(
            Code::StateEvicted,
            &file,
            line,
            format!(
                "{}: {} open keys were dropped {why} (first: {key}); their lifecycles were not \
                 checked to the end (raise {option})",
                rule.id, self.count
            ),
        );
        finding.key = Some(key);
        finding.rule = Some(rule.id.clone());
        sink.push(finding);
    }
}

/// For each variant some rule names, the rules (by index, in plan order)
/// its records play a part in, reset, or witness a scope for.
fn rule_finding(
    plan: &Plan,
    rule: &RulePlan,
    code: Code,
    record: &StreamRecord,
    key: &[String],
    message: String,
) -> Finding {
    let mut finding = Finding::new(code, &record.file, record.line, message);
    finding.event = Some(plan.events[record.event].id.to_string());
    finding.variant = plan
        .variant_name(record.event, record.variant)
        .map(str::to_owned);
    finding.key = Some(rule.describe_key(key));
    finding.rule = Some(rule.id.clone());
    finding
}

fn related(rule: &RulePlan, files: &Files, cited: &[Cited]) -> Vec<Related> {
    cited
        .iter()
        .map(|cited| Related {
            file: Arc::clone(files.name(cited.file)),
            line: cited.line,
            column: None,
            note: rule.labels[cited.label()].clone(),
        })
        .collect()
}

/// Names shown in a message: the first few, then how many more, so a list
/// of thousands of hosts makes a readable finding.
fn some_of(names: &[&str]) -> String {
    const SHOWN: usize = 8;
    match names.len().checked_sub(SHOWN) {
        Some(more) if more > 0 => format!("{}, and {more} more", names[..SHOWN].join(", ")),
        _ => names.join(", "),
    }
}
