//! Record kinds compiled for checking: a kind's formats, where its records
//! name their event, time and level, the names its formats write for the
//! spec's fields and events, and the files that hold it.
//!
//! A producer may write several kinds of records (process logs and audit
//! records; an audit trail, per-run documents and a stdout log). Each input
//! is read as one kind: the one its path matches, else the one whose
//! formats its first line fits best.

use crate::error::{PlanError, Unresolved};
use crate::plan::{glossary_field, FieldPlan, Glossary, Plan, WrittenNames};
use foldhash::fast::RandomState;
use globset::{Candidate, GlobBuilder, GlobSet, GlobSetBuilder};
use logspec_reader::{detect, read_record, DeclaredLines, Epoch, Format, Framing};
use logspec_spec::{path_segments, EpochUnit, Spec, TimeOrder, UnknownEvents, Wire};
use std::collections::{HashMap, HashSet};

/// One record kind, ready for the per-record path.
#[derive(Debug)]
pub struct KindPlan {
    pub name: String,
    /// Formats in detection order.
    pub formats: Vec<Format>,
    /// The field naming the event, when the kind has one.
    pub event_key: Option<String>,
    pub event_key_first: bool,
    /// The event every record of the kind is, when it has no event key.
    pub constant_event: Option<usize>,
    /// The field holding the time, and the unit of numeric times.
    pub timestamp: Option<(String, Option<Epoch>)>,
    /// Whether an input of this kind holds its records oldest first, so a
    /// time going back is reported (`timestamp: {order: any}` says not).
    pub ordered: bool,
    /// The field holding the level word.
    pub level: Option<String>,
    /// The field holding the message.
    pub message: Option<String>,
    /// The field holding the audit mark.
    pub audit: Option<String>,
    /// Events of this kind recognised by message (the document names no
    /// event for them).
    pub by_message: Vec<usize>,
    pub tolerate_unknown: bool,
    /// The glossary's checks of the kind's time and level fields, held on
    /// every record whether or not its variant lists them: a record kind
    /// that declares where its time is has typed that time.
    pub carried: Vec<FieldPlan>,
    /// Whether a record of this kind is expected to carry a level (a level
    /// field, or a syslog priority), so one without is counted unchecked.
    pub carries_level: bool,
    /// Lines the spec declares may follow a record of a multi-line layout
    /// besides its stack trace.
    pub continuation_lines: Option<DeclaredLines>,
    /// The path patterns compiled, in order (see [`path_globs`]).
    paths: Vec<GlobSet>,
    /// The path patterns as written.
    patterns: Vec<String>,
    /// Event id → event index, for this kind's events; looked up for
    /// every record (foldhash, not SipHash).
    by_id: HashMap<String, usize, RandomState>,
    /// (format, title as written) → event index.
    titles: HashMap<(Format, String), usize>,
    /// (format, name as written) → glossary name.
    names: WrittenNames,
    /// Every field the kind's events list, for telling kinds apart.
    known_fields: HashSet<String>,
}

impl KindPlan {
    /// Compiles kind `index` (in [`Spec::kinds`] order); `event_kinds`
    /// gives each event's kind.
    pub(crate) fn new(
        spec: &Spec,
        glossary: &Glossary,
        event_kinds: &[usize],
        index: usize,
        wire: &Wire,
    ) -> Result<KindPlan, PlanError> {
        let at = |tail: &[&str]| -> Vec<String> {
            let mut segments = match index {
                0 => vec!["wire".to_owned()],
                _ => vec!["records".to_owned(), (index - 1).to_string()],
            };
            segments.extend(tail.iter().map(|segment| (*segment).to_owned()));
            segments
        };
        let formats: Vec<Format> = wire.envelopes.clone();
        let mut by_id = HashMap::default();
        let mut titles = HashMap::new();
        let mut known_fields = HashSet::new();
        for (event_index, event) in spec.events.iter().enumerate() {
            if event_kinds[event_index] != index {
                continue;
            }
            by_id.insert(event.id.clone(), event_index);
            for (envelope, title) in &event.names {
                titles.insert((*envelope, title.clone()), event_index);
            }
            for variant in &event.variants {
                known_fields.extend(variant.fields.iter().map(|field| field.name.clone()));
            }
        }
        let mut names = WrittenNames::default();
        for (name, definition) in &spec.fields {
            for (envelope, written) in &definition.names {
                names.insert(*envelope, written.clone(), name.clone());
            }
        }
        let carried = [
            wire.timestamp
                .as_ref()
                .map(|source| ("timestamp", &source.field)),
            wire.level.as_ref().map(|source| ("level", &source.field)),
        ]
        .into_iter()
        .flatten()
        .map(|(what, name)| glossary_field(glossary, name, &at(&[what, "field"])).cloned())
        .collect::<Result<_, _>>()?;
        let constant_event = match &wire.event {
            None => None,
            Some(id) => Some(
                spec.events
                    .iter()
                    .position(|event| &event.id == id)
                    .ok_or_else(|| PlanError::at(&at(&["event"]), Unresolved::Event(id.clone())))?,
            ),
        };
        let declared = wire.continuation_lines.clone();
        Ok(KindPlan {
            continuation_lines: (!declared.is_empty()).then(|| {
                DeclaredLines::new(move |line| {
                    declared.iter().any(|pattern| pattern.is_match(line))
                })
            }),
            name: wire.kind_name().to_owned(),
            carried,
            carries_level: wire.level.is_some()
                || formats.iter().any(|format| format.has_payload()),
            formats,
            event_key: (!wire.event_key.is_empty()).then(|| wire.event_key.clone()),
            event_key_first: wire.event_key_first,
            constant_event,
            ordered: wire
                .timestamp
                .as_ref()
                .is_none_or(|source| source.order == TimeOrder::Ascending),
            timestamp: wire.timestamp.as_ref().map(|source| {
                (
                    source.field.clone(),
                    source.epoch.map(|unit| match unit {
                        EpochUnit::Seconds => Epoch::Seconds,
                        EpochUnit::Milliseconds => Epoch::Milliseconds,
                        EpochUnit::Microseconds => Epoch::Microseconds,
                        EpochUnit::Nanoseconds => Epoch::Nanoseconds,
                    }),
                )
            }),
            level: wire.level.as_ref().map(|source| source.field.clone()),
            message: wire.message.as_ref().map(|source| source.field.clone()),
            audit: wire.audit.as_ref().map(|source| source.field.clone()),
            by_message: spec
                .events
                .iter()
                .enumerate()
                .filter(|(event_index, event)| {
                    event.by_message && event_kinds[*event_index] == index
                })
                .map(|(event_index, _)| event_index)
                .collect(),
            tolerate_unknown: wire.unknown_events == UnknownEvents::Tolerate,
            paths: compile_paths(&wire.paths, &at(&["paths"]))?,
            patterns: wire.paths.clone(),
            by_id,
            titles,
            names,
            known_fields,
        })
    }

    /// The path patterns of the files holding this kind, as written.
    pub fn path_patterns(&self) -> impl Iterator<Item = &str> {
        self.patterns.iter().map(String::as_str)
    }

    /// The event with id `id` among this kind's.
    pub fn event(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The event `format` writes as `title`, or whose id `title` is.
    pub fn event_by_title(&self, format: Format, title: &str) -> Option<usize> {
        self.titles
            .get(&(format, title.to_owned()))
            .copied()
            .or_else(|| self.event(title))
    }

    /// The glossary name of a field `format` writes as `written`.
    pub fn glossary_name(&self, format: Format, written: &str) -> Option<&str> {
        self.names.get(format, written)
    }

    /// Whether the input at `path` holds this kind: one of its patterns
    /// matches the end of the path.
    pub fn holds(&self, path: &str) -> bool {
        let path = path_segments(path).collect::<Vec<_>>().join("/");
        let path = Candidate::new(&path);
        self.paths.iter().any(|set| set.is_match_candidate(&path))
    }
}

/// Each of a kind's path patterns compiled, once when the spec is
/// planned; `paths_at` is the spec node of the list, so a pattern that
/// does not compile is refused at its own line.
fn compile_paths(patterns: &[String], paths_at: &[String]) -> Result<Vec<GlobSet>, PlanError> {
    patterns
        .iter()
        .enumerate()
        .map(|(index, pattern)| {
            let refused = |problem: String| {
                let mut at = paths_at.to_vec();
                at.push(index.to_string());
                PlanError::at(
                    &at,
                    Unresolved::PathPattern {
                        pattern: shortened(pattern),
                        problem,
                    },
                )
            };
            if path_segments(pattern).next().is_none() {
                // It would match the end of every path: every input.
                return Err(refused(
                    "it names no file or folder, only separators".to_owned(),
                ));
            }
            let refused = |error: globset::Error| refused(error.kind().to_string());
            let mut set = GlobSetBuilder::new();
            for glob in path_globs(pattern) {
                set.add(
                    GlobBuilder::new(&glob)
                        .literal_separator(true)
                        .backslash_escape(false)
                        .build()
                        .map_err(refused)?,
                );
            }
            set.build().map_err(refused)
        })
        .collect()
}

/// `pattern` as quoted in an error: its line and column say where it
/// is, so a long one is cut.
fn shortened(pattern: &str) -> String {
    const SHOWN: usize = 40;
    match pattern.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}…", &pattern[..end]),
        None => pattern.to_owned(),
    }
}

/// The globs (globset syntax) a path pattern stands for. The spec's
/// patterns have `*` and `?` within a path segment and a whole `**`
/// segment for any number of segments (none included), are matched
/// against the end of a path, and separate segments by `/` or `\`; every
/// other character is itself (globset's `[`, `]`, `{`, `}` too), and
/// matching is case-sensitive. globset matches bytes, so `?` is one byte:
/// one character of an ASCII name, as the spec's patterns have. So: the
/// segments joined by `/` after `**/`, runs of `*` in a segment one `*`,
/// and a trailing `**` also given without it (globset's `a/**` does not
/// match `a` itself).
fn path_globs(pattern: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    for segment in path_segments(pattern) {
        if segment == "**" {
            // `**/**` is `**`; a leading one is implied by matching the end.
            if parts.last().is_none_or(|last| last != "**") {
                parts.push("**".to_owned());
            }
            continue;
        }
        let mut glob = String::new();
        for c in segment.chars() {
            match c {
                '*' if glob.ends_with('*') => {}
                '*' | '?' => glob.push(c),
                _ => glob.push_str(&globset::escape(c.encode_utf8(&mut [0; 4]))),
            }
        }
        parts.push(glob);
    }
    if parts.first().is_some_and(|first| first == "**") {
        parts.remove(0);
    }
    let anchored = |parts: &[String]| match parts {
        [] => "**".to_owned(),
        _ => format!("**/{}", parts.join("/")),
    };
    let mut globs = vec![anchored(&parts)];
    if parts.last().is_some_and(|last| last == "**") {
        globs.push(anchored(&parts[..parts.len() - 1]));
    }
    globs
}

impl Plan {
    /// The first kind whose path patterns match `path`.
    pub fn kind_for_path(&self, path: &str) -> Option<usize> {
        self.kinds.iter().position(|kind| kind.holds(path))
    }

    /// The kind declaring `format` (the first one that does), preferring
    /// `kind` when it declares it.
    pub fn kind_with_format(&self, kind: Option<usize>, format: Format) -> Option<usize> {
        kind.filter(|&index| self.kinds[index].formats.contains(&format))
            .or_else(|| {
                self.kinds
                    .iter()
                    .position(|kind| kind.formats.contains(&format))
            })
    }

    /// Whether a format other than a catch-all (bare, plain text) is
    /// declared for `kind`, or for any kind when none is given.
    pub fn specific_format(&self, kind: Option<usize>) -> bool {
        self.kinds
            .iter()
            .enumerate()
            .filter(|(index, _)| kind.is_none_or(|wanted| wanted == *index))
            .any(|(_, plan)| plan.formats.iter().any(|format| !format.takes_any_line()))
    }

    /// The kind and format of an input whose first line is `line`, among
    /// the kind given or, when none is, every kind: the formats' shapes
    /// first, then, when several kinds fit, the one whose events' fields
    /// the line's record has most of (earliest kind on a tie).
    pub fn detect(&self, kind: Option<usize>, line: &str) -> Option<(usize, Format)> {
        let candidates: Vec<(usize, Format)> = self
            .kinds
            .iter()
            .enumerate()
            .filter(|(index, _)| kind.is_none_or(|wanted| wanted == *index))
            .filter_map(|(index, plan)| detect(line, &plan.formats).map(|format| (index, format)))
            .collect();
        if candidates.len() <= 1 {
            return candidates.first().copied();
        }
        let mut fields = Vec::new();
        let score = |(index, format): (usize, Format), fields: &mut Vec<_>| -> usize {
            let plan = &self.kinds[index];
            if matches!(format.framing(), Framing::Blocks | Framing::Document) {
                return 1;
            }
            match read_record(format, line, fields) {
                Ok(_) => {
                    1 + fields
                        .iter()
                        .filter(|field| {
                            let name = plan.glossary_name(format, &field.key).unwrap_or(&field.key);
                            plan.known_fields.contains(name)
                        })
                        .count()
                }
                Err(_) => 0,
            }
        };
        let mut best: Option<((usize, Format), usize)> = None;
        for candidate in candidates {
            let points = score(candidate, &mut fields);
            if best.is_none_or(|(_, best_points)| points > best_points) {
                best = Some((candidate, points));
            }
        }
        best.map(|(candidate, _)| candidate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holds(patterns: &[&str], path: &str) -> bool {
        let patterns: Vec<String> = patterns.iter().map(|p| (*p).to_owned()).collect();
        let sets = match compile_paths(&patterns, &["wire".to_owned(), "paths".to_owned()]) {
            Ok(sets) => sets,
            Err(error) => panic!("{patterns:?}: {error}"),
        };
        let path = path_segments(path).collect::<Vec<_>>().join("/");
        sets.iter()
            .any(|set| set.is_match_candidate(&Candidate::new(&path)))
    }

    #[test]
    fn path_patterns_match_the_end_of_the_path() {
        assert!(holds(&["audit.log"], "runtime/audit.log"));
        assert!(holds(&["audit.log"], "audit.log"));
        assert!(holds(&["audit.log"], "/audit.log"));
        assert!(holds(&["audit.log"], "./runtime//audit.log"));
        assert!(holds(
            &["runs/*/record.json"],
            "/srv/hub/runtime/runs/2025_x/record.json"
        ));
        assert!(!holds(&["runs/*/record.json"], "runtime/runs/record.json"));
        assert!(holds(
            &["denied/*"],
            "runtime/denied/20250115_143022_a1b2c3d4.json"
        ));
        assert!(!holds(&["audit.log"], "runtime/audit.log.1"));
        assert!(!holds(&["audit.log"], "runtime/xaudit.log"));
        assert!(!holds(&["*.sse"], "x.json"));
        assert!(holds(&["*.sse", "*.json"], "x.json"));
    }

    /// `*` and `?` stay within a segment: neither stands for a separator.
    #[test]
    fn wildcards_stay_within_a_segment() {
        assert!(holds(&["a*b*c"], "aXXbYYc"));
        assert!(!holds(&["a*b*c"], "aXXbYY"));
        assert!(holds(&["x*"], "x"));
        assert!(!holds(&["a*c"], "a/c"));
        assert!(!holds(&["a*c"], "ab/bc"));
        assert!(!holds(&["a?c"], "a/c"));
        assert!(!holds(&["runs/*.json"], "runs/a/b.json"));
        assert!(holds(&["events-?????.log"], "events-12345.log"));
        assert!(!holds(&["events-?????.log"], "events-1234.log"));
        // `?` is one byte, as globset matches bytes (and as before it):
        // one character of an ASCII name.
        assert!(!holds(&["caf?.log"], "café.log"));
        assert!(holds(&["caf??.log"], "café.log"));
        // A run of stars is one star, even written `**` inside a segment.
        assert!(holds(&["a**b"], "aXb"));
        assert!(!holds(&["a**b"], "a/X/b"));
        let long = "a".repeat(5000);
        assert!(!holds(&["*a*a*a*a*b"], &long));
    }

    /// `**` as a whole segment is any number of segments, none included.
    #[test]
    fn double_star_is_any_number_of_segments() {
        assert!(holds(
            &["**/events-*.log"],
            "profile/a/b/events-compact.log"
        ));
        assert!(holds(&["**/events-*.log"], "events-compact.log"));
        assert!(holds(&["logs/**/app.log"], "logs/app.log"));
        assert!(holds(&["logs/**/app.log"], "x/logs/a/b/app.log"));
        assert!(!holds(&["logs/**/app.log"], "logs/a/b/app.log.1"));
        assert!(holds(&["logs/**"], "logs"));
        assert!(holds(&["logs/**"], "srv/logs/a/b"));
        assert!(holds(&["logs/**/**/x"], "logs/x"));
        assert!(holds(&["**"], "anything/at/all"));
    }

    /// Windows separators split paths and patterns alike.
    #[test]
    fn backslashes_separate_segments() {
        assert!(holds(
            &["runs/*/record.json"],
            r"C:\hub\runtime\runs\r1\record.json"
        ));
        assert!(holds(&[r"runs\*\record.json"], "/srv/runs/r1/record.json"));
        assert!(!holds(&["a*c"], r"a\c"));
    }

    /// Only `*`, `?` and `**` are wildcards: globset's classes and
    /// alternatives are the characters written.
    #[test]
    fn other_glob_syntax_is_literal() {
        assert!(holds(&["[ab].log"], "[ab].log"));
        assert!(!holds(&["[ab].log"], "a.log"));
        assert!(holds(&["{a,b}.log"], "{a,b}.log"));
        assert!(!holds(&["{a,b}.log"], "a.log"));
        assert!(holds(&["[!x]*.log"], "[!x]y.log"));
        assert!(holds(&["a]b}c{.log"], "a]b}c{.log"));
    }

    #[test]
    fn matching_is_case_sensitive() {
        assert!(!holds(&["audit.log"], "AUDIT.LOG"));
        assert!(!holds(&["Runs/*"], "runs/x"));
    }
}
