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
use logspec_reader::{detect, read_record, DeclaredLines, Epoch, Format, Framing};
use logspec_spec::{EpochUnit, Spec, TimeOrder, UnknownEvents, Wire};
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
    paths: Vec<Vec<String>>,
    /// The path patterns as written.
    patterns: Vec<String>,
    /// Event id → event index, for this kind's events.
    by_id: HashMap<String, usize>,
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
        let mut by_id = HashMap::new();
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
            paths: wire
                .paths
                .iter()
                .map(|pattern| segments(pattern).map(str::to_owned).collect())
                .collect(),
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
        let parts: Vec<&str> = segments(path).collect();
        self.paths.iter().any(|pattern| {
            (0..=parts.len()).any(|start| matches_segments(pattern, &parts[start..]))
        })
    }
}

/// The non-empty `/`- or `\`-separated parts of a path.
fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split(['/', '\\'])
        .filter(|part| !part.is_empty() && *part != ".")
}

/// Whether `pattern` (segments with `*`, `?` and `**`) matches all of `parts`.
fn matches_segments(pattern: &[String], parts: &[&str]) -> bool {
    match pattern.split_first() {
        None => parts.is_empty(),
        Some((first, rest)) if first == "**" => {
            (0..=parts.len()).any(|skip| matches_segments(rest, &parts[skip..]))
        }
        Some((first, rest)) => parts.split_first().is_some_and(|(part, remaining)| {
            matches_segment(first.as_bytes(), part.as_bytes()) && matches_segments(rest, remaining)
        }),
    }
}

/// `*` any run of characters, `?` one, anything else itself; iterative,
/// so no pattern can take more than quadratic time.
fn matches_segment(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((star_p, star_t)) => {
                    p = star_p + 1;
                    t = star_t + 1;
                    star = Some((star_p, star_t + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p.min(pattern.len())..].iter().all(|&c| c == b'*')
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
        let pattern: Vec<Vec<String>> = patterns
            .iter()
            .map(|p| segments(p).map(str::to_owned).collect())
            .collect();
        let parts: Vec<&str> = segments(path).collect();
        pattern
            .iter()
            .any(|p| (0..=parts.len()).any(|start| matches_segments(p, &parts[start..])))
    }

    #[test]
    fn path_patterns_match_the_end_of_the_path() {
        assert!(holds(&["audit.log"], "runtime/audit.log"));
        assert!(holds(&["audit.log"], "audit.log"));
        assert!(holds(
            &["runs/*/record.json"],
            "/srv/hub/runtime/runs/2025_x/record.json"
        ));
        assert!(holds(
            &["runs/*/record.json"],
            r"C:\hub\runtime\runs\r1\record.json"
        ));
        assert!(!holds(&["runs/*/record.json"], "runtime/runs/record.json"));
        assert!(holds(
            &["denied/*"],
            "runtime/denied/20250115_143022_a1b2c3d4.json"
        ));
        assert!(holds(
            &["**/events-*.log"],
            "profile/a/b/events-compact.log"
        ));
        assert!(holds(&["events-?????.log"], "events-12345.log"));
        assert!(!holds(&["audit.log"], "runtime/audit.log.1"));
        assert!(!holds(&["*.sse"], "x.json"));
    }

    #[test]
    fn wildcards_within_a_segment() {
        assert!(matches_segment(b"*", b""));
        assert!(matches_segment(b"a*b*c", b"aXXbYYc"));
        assert!(!matches_segment(b"a*b*c", b"aXXbYY"));
        assert!(matches_segment(b"*.json", b"x.json"));
        assert!(!matches_segment(b"?", b""));
        let long = vec![b'a'; 5000];
        assert!(!matches_segment(b"*a*a*a*a*b", &long));
    }
}
