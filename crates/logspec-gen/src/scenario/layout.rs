//! Which record kinds a scenario writes, in which framing, and what the
//! checker learns of the host each record comes from: the frame every
//! other part of a walk reasons in.

use super::{Hosts, ScenarioOptions};
use crate::record::Record;
use crate::Framing;
use logspec_checker::rules::StreamRecord;
use logspec_checker::Plan;
use std::sync::Arc;

/// Which record kinds a scenario writes, in which framing, and what the
/// checker learns of their hosts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    /// The framing per record kind; `None` for kinds left out.
    pub framings: Vec<Option<Framing>>,
    pub hosts: Hosts,
    /// Whether records may go to logs of other hosts (the framing carries
    /// times, so the checker can merge them, and hosts it sees).
    pub hosts_apart: bool,
    /// The rule parameters the scenario is checked with.
    pub params: Vec<(String, String)>,
}

impl Layout {
    /// The layout `options` ask for: the kind of their framing, and, when
    /// the scenario may have several inputs, every kind a rule pairs it
    /// with whose inputs can be told apart by path and merged by time.
    /// `None` when the scenario cannot be written (no kind declares the
    /// framing, a kind whose input holds one record as the only input, or
    /// several kinds where the home kind names no path to tell it by).
    pub fn new(plan: &Plan, options: &ScenarioOptions) -> Option<Layout> {
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
        if crate::stream::one_record(options.framing) && !several {
            return None;
        }
        let mut framings = vec![None; plan.kinds.len()];
        framings[home_kind] = Some(options.framing);
        if several {
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
        let hosts_apart =
            several && (options.hosts == Hosts::Told || options.framing.carries_host());
        Some(Layout {
            framings,
            hosts: options.hosts,
            hosts_apart,
            params: options.params.clone(),
        })
    }

    /// Whether records of `kind` are written.
    pub fn writes(&self, kind: usize) -> bool {
        self.framings.get(kind).is_some_and(Option::is_some)
    }

    pub fn framing(&self, plan: &Plan, event: usize) -> Framing {
        self.framings[plan.events[event].kind].unwrap_or(Framing::Bare)
    }

    /// Whether the checker learns the host of records in `framing`.
    pub fn host_seen(&self, framing: Framing) -> bool {
        self.hosts == Hosts::Told || framing.carries_host()
    }

    /// What the engine sees of `record`, logged on `host`.
    pub fn seen(&self, plan: &Plan, record: &Record, host: &str) -> StreamRecord {
        let framing = self.framing(plan, record.event);
        let mut seen = stream_record(
            plan,
            record,
            framing,
            self.host_seen(framing).then_some(host),
        );
        seen.file = input_of(plan, record, framing, host);
        seen
    }
}

/// What stands for the input a record is written to, as the writer
/// groups records (one input per record kind and host, one per record
/// for a kind whose input is one document): records of one input share
/// it, records of two inputs differ, though the input's real path is
/// named only when written. A record alone in its input has its real
/// path when the walk placed it ([`placed_path`]), "" otherwise, whose
/// grouping it cannot stand for (see `walk::unpredictable`).
pub(crate) fn input_of(plan: &Plan, record: &Record, framing: Framing, host: &str) -> Arc<str> {
    if crate::stream::one_record(framing) {
        return Arc::from(placed_path(plan, record, host).unwrap_or_default());
    }
    let kind = plan.events[record.event].kind;
    Arc::from(format!("{}\u{1f}{host}", plan.kinds[kind].name))
}

/// The path the writer gives a record alone in its input that the walk
/// placed: its kind's first path pattern with the place for its `*`
/// (`web-01/runs/20250115_143122_e5f6g7h8/record.json`). `None` for a
/// record not placed, or whose kind names no pattern with a `*`.
pub(crate) fn placed_path(plan: &Plan, record: &Record, host: &str) -> Option<String> {
    let place = record.meta.place.as_deref()?;
    let pattern = placeable_pattern(plan, plan.events[record.event].kind)?;
    Some(format!("{host}/{}", instantiate(pattern, place)))
}

/// The path pattern of `kind` a record alone in its input can be placed
/// by: its first, when that has a `*` (one path segment to name).
pub(crate) fn placeable_pattern(plan: &Plan, kind: usize) -> Option<&str> {
    plan.kinds[kind]
        .path_patterns()
        .next()
        .filter(|pattern| pattern.replace("**", "").contains('*'))
}

/// Whether `value` can stand as one segment of a path a glob's `*`
/// matches: no separator of any platform, no control character, not `.`
/// or `..`.
pub(crate) fn path_segment(value: &str) -> bool {
    (1..=255).contains(&value.len())
        && value != "."
        && value != ".."
        && !value.contains(['/', '\\'])
        && !value.chars().any(char::is_control)
}

/// A path `pattern` matches: `*` the given name, `?` and `**` a
/// placeholder.
pub(crate) fn instantiate(pattern: &str, name: &str) -> String {
    pattern
        .replace("**", "x")
        .replace('*', name)
        .replace('?', "x")
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
        host: host.map(Into::into),
        tag: framing
            .carries_tag()
            .then(|| record.meta.tag.as_str().into()),
        pid: framing
            .carries_pid()
            .then(|| record.meta.pid.to_string().into()),
        values: plan
            .rule_fields
            .iter()
            .filter_map(|name| {
                record
                    .value(name)
                    .map(|value| (Arc::clone(name), value.into()))
            })
            .collect(),
        ..StreamRecord::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use logspec_reader::Format;

    fn plan(name: &str) -> Plan {
        let spec = logspec_spec::builtin(name)
            .expect("a built-in spec")
            .load()
            .expect("it loads")
            .spec;
        Plan::new(&spec).expect("spec compiles")
    }

    fn options(framing: Framing, hosts: Hosts, one_input: bool) -> ScenarioOptions {
        ScenarioOptions {
            framing,
            records: 1..=1,
            broken: false,
            hosts,
            one_input,
            params: Vec::new(),
            target: Default::default(),
        }
    }

    #[test]
    fn one_input_writes_one_kind_and_keeps_one_host() {
        let plan = plan("ctrl-exec");
        let framing = Framing::default_of(Format::Rfc3164);
        let layout = Layout::new(&plan, &options(framing, Hosts::Written, true))
            .expect("ctrl-exec writes rfc3164");
        assert_eq!(layout.framings.iter().flatten().count(), 1);
        assert!(!layout.hosts_apart);
        let apart = Layout::new(&plan, &options(framing, Hosts::Written, false))
            .expect("ctrl-exec writes rfc3164");
        assert!(apart.hosts_apart, "rfc3164 writes the host");
    }

    #[test]
    fn the_host_is_seen_when_told_or_written() {
        let plan = plan("ctrl-exec");
        let told = Layout::new(&plan, &options(Framing::Bare, Hosts::Told, true))
            .expect("ctrl-exec writes bare lines");
        assert!(told.host_seen(Framing::Bare));
        let written = Layout {
            hosts: Hosts::Written,
            ..told
        };
        assert!(!written.host_seen(Framing::Bare));
        assert!(written.host_seen(Framing::default_of(Format::Rfc5424)));
    }

    #[test]
    fn a_placed_record_is_written_under_its_place() {
        let plan = plan("agent-hub");
        let kind = plan
            .kinds
            .iter()
            .position(|kind| kind.name == "run-record")
            .expect("agent-hub has run records");
        assert_eq!(placeable_pattern(&plan, kind), Some("runs/*/record.json"));
        let audit = plan
            .kinds
            .iter()
            .position(|kind| kind.name == "audit")
            .expect("agent-hub has an audit log");
        assert_eq!(
            placeable_pattern(&plan, audit),
            None,
            "audit.log names no segment"
        );
        assert_eq!(
            instantiate("runs/*/record.json", "r 1"),
            "runs/r 1/record.json"
        );
        for good in ["20250115_143122_e5f6g7h8", "a b", "日本", "..."] {
            assert!(path_segment(good), "{good}");
        }
        for bad in ["", ".", "..", "a/b", "a\\b", "a\tb", &"x".repeat(256)] {
            assert!(!path_segment(bad), "{bad:?}");
        }
    }

    #[test]
    fn a_framing_no_kind_declares_has_no_layout() {
        let plan = plan("ctrl-exec");
        let framing = Framing::default_of(Format::JsonDocument);
        assert_eq!(
            Layout::new(&plan, &options(framing, Hosts::Told, false)),
            None
        );
    }
}
