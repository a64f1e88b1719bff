//! Evaluating rule conditions (CEL, compiled by the loader) on a record.
//!
//! An expression sees only what it names: the plan lists, per condition,
//! the record fields and remembered values it reads, and only those are
//! turned into CEL values. Values are typed by the glossary (an `integer`
//! field is a CEL int, a `number` a double, a `list` a list of strings);
//! a value that does not parse as its type stays a string, so a condition
//! over a malformed value fails to evaluate (reported) rather than passing.
//!
//! Windowed counts (`within.W.L`) read the times a key keeps of the labels
//! some window counts ([`Recent`]); a count that cannot be told exactly (a
//! record without a timestamp, times that do not compare, times dropped at
//! the cap) is an evaluation error, never a number.

use super::key::host_of;
use super::plan::{StatePlan, WindowPlan};
use super::window::{windowed, Recent, Windowed};
use super::{RulePlan, StreamRecord};
use cel::common::types::{CelMap, CelMapKey};
use cel::common::value::Val;
use cel::ExecutionError;
use cel::Value;
use compact_str::CompactString;
use logspec_reader::Instant;
use logspec_spec::condition::{environment, Name};
use logspec_spec::{Condition, Spec, ValueKind};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

/// How a field's text becomes a CEL value.
#[derive(Debug, Clone)]
pub enum Conversion {
    Text,
    Integer,
    Number,
    /// A list with this separator.
    List(String),
}

impl Conversion {
    pub fn of(spec: &Spec, field: &str) -> Conversion {
        let Some(definition) = spec.fields.get(field) else {
            return Conversion::Text;
        };
        match definition.value.kind {
            ValueKind::Integer => Conversion::Integer,
            ValueKind::Number => Conversion::Number,
            ValueKind::List => Conversion::List(definition.value.list_separator().to_owned()),
            _ => Conversion::Text,
        }
    }

    pub fn value(&self, text: &str) -> Value {
        let string = || Value::String(Arc::new(text.to_owned()));
        match self {
            Conversion::Text => string(),
            Conversion::Integer => text.parse::<i64>().map_or_else(|_| string(), Value::Int),
            Conversion::Number => text
                .parse::<f64>()
                .ok()
                .filter(|number| number.is_finite())
                .map_or_else(string, Value::Float),
            Conversion::List(separator) => Value::List(Arc::new(
                text.split(separator.as_str())
                    .filter(|element| !element.is_empty())
                    .map(|element| Value::String(Arc::new(element.to_owned())))
                    .collect(),
            )),
        }
    }
}

/// A condition as the engine runs it.
#[derive(Debug)]
pub struct ConditionPlan {
    pub condition: Condition,
    /// Record fields it reads, and how each converts.
    pub fields: Vec<(Arc<str>, Conversion)>,
    /// The rule's labels (indices) whose absence among the key's earlier
    /// records makes it hold ([`Condition::holds_without_earlier`]).
    pub holds_without: Vec<usize>,
}

/// What one label's records left for later conditions of their key.
///
/// A key keeps one for each label it has seen that a condition reads,
/// in the order first seen ([`memory_of`] finds one): a rule has a handful
/// of labels and most keys see one or two, so a list of those seen holds
/// no room for the others (56 bytes each).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Memory {
    /// The label, by index into the rule's labels.
    pub label: u32,
    pub count: u32,
    pub at: Option<logspec_reader::Instant>,
    /// The earliest and the latest time among the label's records, in
    /// whatever order they came (for `span.L`), kept only for labels some
    /// condition spans: boxed, so a label nobody spans costs a word.
    pub times: Option<Box<(Instant, Instant)>>,
    /// Remembered field values of the latest record, by index into the
    /// rule's remembered list; inline up to 24 bytes (an identifier, a
    /// host name), so most need no allocation of their own.
    pub values: Box<[(u32, CompactString)]>,
    /// The times of the label's records a window counts (`within.W.L`),
    /// kept only for labels some condition counts.
    pub recent: Option<Box<Recent>>,
}

/// Everything a condition may read besides the record.
pub struct Scope<'a> {
    /// The key's memory of the labels it has seen ([`memory_of`]).
    pub memory: &'a [Memory],
    pub labels: &'a [String],
    /// (label, field, conversion) of every remembered value.
    pub remembered: &'a [(usize, Arc<str>, Conversion)],
    pub params: &'a [(String, Value)],
    pub event: &'a str,
    /// The key's part names and this record's values for them.
    pub key_names: &'a [String],
    pub key: &'a [String],
    pub windows: &'a [WindowPlan],
    /// When the record's input (and host) began: its earliest time.
    pub began: Option<Instant>,
    /// The rule's states, and the one the key is in before this record.
    pub states: &'a [StatePlan],
    pub state: usize,
}

fn string(text: &str) -> Value {
    Value::String(Arc::new(text.to_owned()))
}

/// A value bound to a root name (`record`, `earlier`, …), in the form the
/// interpreter reads. Binding a [`Value::Map`] copies it into that form
/// entry by entry (its table, every key and value), which cost more than
/// building it: the maps are built in that form directly.
type Bound = Box<dyn Val + 'static>;

/// A CEL map of `entries`, whose values are scalars or lists.
fn map(entries: Vec<(String, Value)>) -> Result<Bound, ExecutionError> {
    let map = (entries.into_iter())
        .map(|(key, value)| Ok((CelMapKey::from(key), Bound::try_from(value)?)))
        .collect::<Result<HashMap<_, _>, ExecutionError>>()?;
    Ok(Box::new(CelMap::from(map)))
}

/// A CEL map of `entries`, whose values are already bound (maps of maps).
fn map_of(entries: Vec<(String, Bound)>) -> Bound {
    let map: HashMap<CelMapKey<'static>, Bound> = (entries.into_iter())
        .map(|(key, value)| (CelMapKey::from(key), value))
        .collect();
    Box::new(CelMap::from(map))
}

/// The outcome of a condition on one record.
pub enum Verdict {
    Holds,
    /// It does not hold; the values it read, for the message.
    Fails(String),
    /// It could not be evaluated (a missing field, a type error).
    Error(String),
}

/// Evaluates `plan` on `record`. Never panics: CEL reports every failure
/// as an error value, and a panic inside the interpreter would be a bug
/// there that the property tests of this module look for.
///
/// Only the roots the expression names (`record`, `earlier`, …) are
/// built, and the values a failure message shows are formatted only when
/// it fails: most records meet their condition, and building CEL maps
/// nobody reads was most of the cost of a condition.
pub fn evaluate(plan: &ConditionPlan, record: &StreamRecord, scope: &Scope<'_>) -> Verdict {
    ROOT.with(|root| evaluate_in(root, plan, record, scope))
}

thread_local! {
    /// The interpreter's root context: the environment and `host`. Built
    /// once per thread (a context per evaluation was a fifth of its cost);
    /// each evaluation puts its variables in a child scope of it.
    static ROOT: cel::Context<'static, 'static> = root_context();
}

fn root_context() -> cel::Context<'static, 'static> {
    let mut context = cel::Context::with_env(Arc::clone(environment()));
    // `host` is not a standard name, so adding it cannot conflict.
    let _ = context.add_function("host", |value: Arc<String>| {
        Arc::new(host_of(&value).to_owned())
    });
    context
}

fn evaluate_in(
    root: &cel::Context<'_, '_>,
    plan: &ConditionPlan,
    record: &StreamRecord,
    scope: &Scope<'_>,
) -> Verdict {
    let windowed = match windowed(plan, record, scope) {
        Ok(windowed) => windowed,
        Err(error) => return Verdict::Error(error),
    };
    let absent = |label: &usize| memory_of(scope.memory, *label).is_none();
    if plan.holds_without.iter().any(absent) {
        return Verdict::Holds;
    }
    let mut context = root.new_inner_scope();
    if let Err(error) = bind_roots(&mut context, plan, record, scope, &windowed) {
        return Verdict::Error(error.to_string());
    }
    let uses = |root: &str| uses_root(plan, root);

    match plan.condition.program.execute(&context) {
        Ok(Value::Bool(true)) => Verdict::Holds,
        Ok(Value::Bool(false)) => {
            let mut shown = shown(plan, record, scope);
            for (window, label, count) in &windowed.counts {
                shown.push(format!("within.{window}.{label}={count}"));
            }
            for (window, covered) in &windowed.covered {
                shown.push(format!("covered.{window}={covered}"));
            }
            if let Some(state) = scope.states.get(scope.state).filter(|_| uses("state")) {
                shown.push(format!("state={}", state.name));
            }
            Verdict::Fails(shown.join(", "))
        }
        Ok(other) => Verdict::Error(format!("it gave {}, not true or false", show(&other))),
        Err(error) => Verdict::Error(error.to_string()),
    }
}

/// Binds the roots the condition names (`record`, `earlier`, …) in
/// `context`. Only those are built: converting a record's or a memory's
/// values is most of a condition's cost beside the interpreter's.
fn bind_roots(
    context: &mut cel::Context<'_, '_>,
    plan: &ConditionPlan,
    record: &StreamRecord,
    scope: &Scope<'_>,
    windowed: &Windowed,
) -> Result<(), ExecutionError> {
    let uses = |root: &str| uses_root(plan, root);
    if uses("record") {
        context.add_variable_as_val("record", map(record_values(plan, record))?);
    }
    // Each root of earlier records is built only when named: converting a
    // map into the interpreter's values is most of a condition's cost.
    let memories = || {
        scope
            .labels
            .iter()
            .enumerate()
            .map(|(index, label)| (label, memory_of(scope.memory, index)))
    };
    let seen = || memories().filter_map(|(label, memory)| Some((label, memory?)));
    if uses("earlier") {
        let earlier = seen()
            .map(|(label, memory)| Ok((label.clone(), map(remembered_values(memory, scope))?)))
            .collect::<Result<_, ExecutionError>>()?;
        context.add_variable_as_val("earlier", map_of(earlier));
    }
    if uses("since") {
        let since = seen()
            .filter_map(|(label, memory)| {
                let seconds = seconds_since(record, memory)?;
                Some((label.clone(), Value::Float(seconds)))
            })
            .collect();
        context.add_variable_as_val("since", map(since)?);
    }
    if uses("count") {
        // `count.L` is 0 for a label the key has not seen; the memory is
        // empty until the key remembers anything.
        let count = memories()
            .map(|(label, memory)| {
                let count = memory.map_or(0, |memory| memory.count);
                (label.clone(), Value::Int(i64::from(count)))
            })
            .collect();
        context.add_variable_as_val("count", map(count)?);
    }
    if uses("span") {
        let span = seen()
            .filter_map(|(label, memory)| {
                let seconds = seconds_spanned(record, memory)?;
                Some((label.clone(), Value::Float(seconds)))
            })
            .collect();
        context.add_variable_as_val("span", map(span)?);
    }
    if uses("source") {
        let optional = |value: &Option<CompactString>| value.as_deref().map(string);
        let source: Vec<(String, Value)> = [
            ("file", Some(string(&record.file))),
            ("host", optional(&record.host)),
            ("tag", optional(&record.tag)),
            ("pid", optional(&record.pid)),
            ("event", Some(string(scope.event))),
            (
                "line",
                Some(Value::Int(i64::try_from(record.line).unwrap_or(i64::MAX))),
            ),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.map(|value| (name.to_owned(), value)))
        .collect();
        context.add_variable_as_val("source", map(source)?);
    }
    if uses("params") {
        context.add_variable_as_val("params", map(scope.params.to_vec())?);
    }
    if uses("state") {
        // Every state, so that naming one the key is not in is `false`.
        let states = scope
            .states
            .iter()
            .enumerate()
            .map(|(index, state)| (state.name.clone(), Value::Bool(index == scope.state)))
            .collect();
        context.add_variable_as_val("state", map(states)?);
    }
    if uses("within") {
        let mut by_window: Vec<(String, Vec<(String, Value)>)> = Vec::new();
        for (window, label, count) in &windowed.counts {
            let index = match by_window.iter().position(|(name, _)| name == window) {
                Some(index) => index,
                None => {
                    by_window.push((window.clone(), Vec::new()));
                    by_window.len() - 1
                }
            };
            by_window[index]
                .1
                .push((label.clone(), Value::Int(i64::from(*count))));
        }
        let within = (by_window.into_iter())
            .map(|(window, counts)| Ok((window, map(counts)?)))
            .collect::<Result<_, ExecutionError>>()?;
        context.add_variable_as_val("within", map_of(within));
    }
    if uses("covered") {
        let covered = (windowed.covered.iter())
            .map(|(window, covered)| (window.clone(), Value::Bool(*covered)))
            .collect();
        context.add_variable_as_val("covered", map(covered)?);
    }
    if uses("key") {
        let key = (scope.key_names.iter().zip(scope.key))
            .map(|(name, value)| (name.clone(), string(value)))
            .collect();
        context.add_variable_as_val("key", map(key)?);
    }

    Ok(())
}

/// Whether the condition names `root` (`record`, `earlier`, …).
fn uses_root(plan: &ConditionPlan, root: &str) -> bool {
    plan.condition.roots.iter().any(|named| named == root)
}

/// The record fields the condition reads, as CEL values.
fn record_values(plan: &ConditionPlan, record: &StreamRecord) -> Vec<(String, Value)> {
    plan.fields
        .iter()
        .filter_map(|(name, conversion)| {
            record
                .value(name)
                .map(|text| (name.to_string(), conversion.value(text)))
        })
        .collect()
}

/// The memory of `label` among a key's memories, if the key has seen it.
pub fn memory_of(memories: &[Memory], label: usize) -> Option<&Memory> {
    memories.get(position_of(memories, label)?)
}

/// Where the memory of `label` is among a key's memories.
fn position_of(memories: &[Memory], label: usize) -> Option<usize> {
    memories
        .iter()
        .position(|memory| memory.label as usize == label)
}

/// What `memory` remembers of a label's latest record, as CEL values.
fn remembered_values(memory: &Memory, scope: &Scope<'_>) -> Vec<(String, Value)> {
    memory
        .values
        .iter()
        .filter_map(|(index, text)| {
            let (_, field, conversion) = scope.remembered.get(*index as usize)?;
            Some((field.to_string(), conversion.value(text)))
        })
        .collect()
}

/// Seconds from the label's latest record to `record`, when both have times.
fn seconds_since(record: &StreamRecord, memory: &Memory) -> Option<f64> {
    let micros = record.at?.since(memory.at?)?;
    Some(micros as f64 / 1_000_000.0)
}

/// Seconds from the earliest to the latest time among the label's records
/// and `record`, when `record` has a time comparable with theirs.
fn seconds_spanned(record: &StreamRecord, memory: &Memory) -> Option<f64> {
    let (earliest, latest) = widen(*memory.times.as_deref()?, record.at?)?;
    let micros = latest.since(earliest)?;
    Some(micros as f64 / 1_000_000.0)
}

/// `times` widened to take in `at`; `None` when `at` is of another kind
/// of time (with and without a year, say), which cannot be placed.
fn widen((earliest, latest): (Instant, Instant), at: Instant) -> Option<(Instant, Instant)> {
    let earliest = match at.compare(earliest)? {
        Ordering::Less => at,
        _ => earliest,
    };
    let latest = match at.compare(latest)? {
        Ordering::Greater => at,
        _ => latest,
    };
    Some((earliest, latest))
}

/// The values a failed condition read, for its message: the record's
/// fields, then the earlier values and times it names.
fn shown(plan: &ConditionPlan, record: &StreamRecord, scope: &Scope<'_>) -> Vec<String> {
    let mut shown: Vec<String> = record_values(plan, record)
        .iter()
        .map(|(name, value)| format!("record.{name}={}", show(value)))
        .collect();
    for (index, label) in scope.labels.iter().enumerate() {
        let Some(memory) = memory_of(scope.memory, index) else {
            continue;
        };
        let values = remembered_values(memory, scope);
        for used in &plan.condition.uses {
            if let Some(Name::Earlier(name, Some(field))) = &used.name {
                if name == label {
                    if let Some((_, value)) = values.iter().find(|(f, _)| f == field) {
                        shown.push(format!("earlier.{label}.{field}={}", show(value)));
                    }
                }
            }
        }
        let named = |name: Name| {
            plan.condition
                .uses
                .iter()
                .any(|used| used.name == Some(name.clone()))
        };
        if let Some(seconds) = seconds_since(record, memory) {
            if named(Name::Since(label.clone())) {
                shown.push(format!("since.{label}={seconds}s"));
            }
        }
        if let Some(seconds) = seconds_spanned(record, memory) {
            if named(Name::Span(label.clone())) {
                shown.push(format!("span.{label}={seconds}s"));
            }
        }
    }
    shown
}

/// The verdict of `rule`'s condition for `label` (if it has one) on
/// `record` under `key`, with the key's memory so far: the one way the
/// engine and the generator's model of it judge a record.
#[allow(clippy::too_many_arguments)]
pub fn judge(
    rule: &RulePlan,
    label: usize,
    record: &StreamRecord,
    event: &str,
    memory: &[Memory],
    params: &[(String, Value)],
    key: &[String],
    began: Option<Instant>,
    state: usize,
) -> Option<Verdict> {
    let condition = rule.requires.get(label)?.as_ref()?;
    let scope = Scope {
        memory,
        labels: &rule.labels,
        remembered: &rule.remembered,
        params,
        event,
        key_names: &rule.key_names,
        key,
        windows: &rule.windows,
        began,
        states: &rule.states,
        state,
    };
    Some(evaluate(condition, record, &scope))
}

/// Remembers what `record`, as `label`, leaves for later conditions of
/// its key (nothing when no condition of `rule` reads the label).
/// Whether a window's times were cut at the cap
/// ([`WINDOW_TIMES`](super::window::WINDOW_TIMES)).
pub fn remember(
    memory: &mut Vec<Memory>,
    rule: &RulePlan,
    label: usize,
    record: &StreamRecord,
    params: &[(String, Value)],
) -> bool {
    if !rule.remembers.get(label).copied().unwrap_or(false) {
        // No condition reads this label's records: keep nothing of them.
        return false;
    }
    let at = match position_of(memory, label) {
        Some(at) => at,
        None => {
            // Exact growth: kept per open key, most see one or two labels.
            memory.reserve_exact(1);
            memory.push(Memory {
                // A rule's labels are the handful its spec names.
                label: label as u32,
                ..Memory::default()
            });
            memory.len() - 1
        }
    };
    let memory = &mut memory[at];
    memory.count = memory.count.saturating_add(1);
    memory.at = record.at.or(memory.at);
    if let Some(at) = record.at.filter(|_| rule.spanned.contains(&label)) {
        // A time of another kind than the first ones cannot be placed
        // among them: the span stays what they give.
        match memory.times.as_deref_mut() {
            None => memory.times = Some(Box::new((at, at))),
            Some(times) => *times = widen(*times, at).unwrap_or(*times),
        }
    }
    // Refilled in place: a label's records mostly give the same fields,
    // so the boxed slice keeps its length and nothing is reallocated.
    let mut values = std::mem::take(&mut memory.values).into_vec();
    values.clear();
    values.extend(
        rule.remembered
            .iter()
            .zip(0u32..)
            .filter(|((owner, _, _), _)| *owner == label)
            .filter_map(|((_, field, _), index)| {
                Some((index, CompactString::from(record.value(field)?)))
            }),
    );
    memory.values = values.into_boxed_slice();
    // The longest window that counts this label bounds the times kept; a
    // window whose length is unknown keeps them up to the cap.
    let mut longest = Some(0.0f64);
    let mut counted = false;
    for &(window, counted_label) in &rule.counted {
        if counted_label != label {
            continue;
        }
        counted = true;
        let seconds = rule.windows.get(window).and_then(|w| w.seconds(params));
        longest = match (longest, seconds) {
            (Some(longest), Some(seconds)) => Some(longest.max(seconds)),
            _ => None,
        };
    }
    counted
        && memory
            .recent
            .get_or_insert_with(Box::default)
            .add(record.at, longest)
}

/// A value as a message shows it.
fn show(value: &Value) -> String {
    match value {
        Value::String(text) => text.to_string(),
        Value::Int(number) => number.to_string(),
        Value::Float(number) => number.to_string(),
        Value::Bool(flag) => flag.to_string(),
        Value::List(items) => format!(
            "[{}]",
            items.iter().map(show).collect::<Vec<_>>().join(", ")
        ),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluations_share_the_root_context_not_their_variables() {
        let plan = ConditionPlan {
            condition: Condition::compile("host(record.TARGET) == key.REQID")
                .unwrap_or_else(|error| panic!("{error}")),
            fields: vec![(Arc::from("TARGET"), Conversion::Text)],
            holds_without: Vec::new(),
        };
        let (names, key) = (["REQID".to_owned()], ["db-01".to_owned()]);
        let scope = Scope {
            memory: &[],
            labels: &[],
            remembered: &[],
            params: &[],
            event: "run",
            key_names: &names,
            key: &key,
            windows: &[],
            began: None,
            states: &[],
            state: 0,
        };
        let record = |target: &str| StreamRecord {
            values: vec![(Arc::from("TARGET"), target.into())],
            ..StreamRecord::default()
        };
        // `host` comes from the shared root; each record's values from its
        // own evaluation, however many ran before on this thread.
        for _ in 0..3 {
            let holds = evaluate(&plan, &record("db-01:7443"), &scope);
            assert!(matches!(holds, Verdict::Holds));
            let fails = evaluate(&plan, &record("db-02:7443"), &scope);
            assert!(matches!(fails, Verdict::Fails(_)));
        }
        // A field the record lacks is an error, not the previous value.
        let missing = evaluate(&plan, &StreamRecord::default(), &scope);
        assert!(matches!(missing, Verdict::Error(_)));
    }

    /// A condition decided by an absent earlier label gives what the
    /// interpreter gives, on every memory the key can have, also where the
    /// rest of the expression could not be evaluated.
    #[test]
    fn conditions_decided_early_agree_with_the_interpreter() {
        let labels = ["run".to_owned(), "deny".to_owned()];
        let remembered = [(1, Arc::from("DISPATCHER"), Conversion::Text)];
        let deny = |dispatcher: &str| Memory {
            label: 1,
            count: 1,
            values: Box::new([(0, dispatcher.into())]),
            ..Memory::default()
        };
        let memories = [
            vec![],
            vec![Memory::default()],
            vec![deny("d-1")],
            vec![deny("d-2")],
            vec![Memory::default(), deny("d-2")],
        ];
        let record = StreamRecord {
            values: vec![
                (Arc::from("DISPATCHER"), "d-1".into()),
                (Arc::from("N"), "not a number".into()),
            ],
            ..StreamRecord::default()
        };
        let outcome = |verdict: Verdict| match verdict {
            Verdict::Holds => "holds".to_owned(),
            Verdict::Fails(shown) => format!("fails: {shown}"),
            Verdict::Error(error) => format!("error: {error}"),
        };
        let mut decided_early = 0;
        for source in [
            "!has(earlier.deny) || record.DISPATCHER != earlier.deny.DISPATCHER",
            "!has(earlier.deny) || int(record.N) > 0",
            "record.DISPATCHER == 'd-9' || !has(earlier.deny)",
        ] {
            let condition = Condition::compile(source).unwrap_or_else(|error| panic!("{error}"));
            let fields = vec![
                (Arc::from("DISPATCHER"), Conversion::Text),
                (Arc::from("N"), Conversion::Integer),
            ];
            let early = ConditionPlan {
                condition: condition.clone(),
                fields: fields.clone(),
                holds_without: vec![1],
            };
            let interpreted = ConditionPlan {
                condition,
                fields,
                holds_without: Vec::new(),
            };
            for memory in &memories {
                let scope = Scope {
                    memory,
                    labels: &labels,
                    remembered: &remembered,
                    params: &[],
                    event: "run",
                    key_names: &[],
                    key: &[],
                    windows: &[],
                    began: None,
                    states: &[],
                    state: 0,
                };
                let expected = outcome(evaluate(&interpreted, &record, &scope));
                assert_eq!(
                    outcome(evaluate(&early, &record, &scope)),
                    expected,
                    "{source}"
                );
                if memory_of(memory, 1).is_none() {
                    assert_eq!(expected, "holds", "{source}");
                    decided_early += 1;
                }
            }
        }
        assert_eq!(decided_early, 6);
    }

    #[test]
    fn values_are_typed_by_the_glossary() {
        assert_eq!(Conversion::Integer.value("42"), Value::Int(42));
        assert_eq!(Conversion::Integer.value("4x"), string("4x"));
        assert_eq!(Conversion::Number.value("1.5"), Value::Float(1.5));
        assert_eq!(Conversion::Number.value("NaN"), string("NaN"));
        assert_eq!(
            Conversion::List(",".into()).value("a,,b"),
            Value::List(Arc::new(vec![string("a"), string("b")]))
        );
    }
}
