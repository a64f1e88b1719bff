//! Times in a scenario, so that conditions on the times between records
//! (`since`, `within`, `covered`, `span`) are walked and broken like any
//! other: the gap before each record is drawn by its position before the
//! walk needs it, from a sampler of its own, and each record's time is
//! what the checker will read back from it.
//!
//! Gaps are a few seconds, and now and then as long as a window or
//! parameter of a rule that reads times, a couple of seconds under or
//! over it (or over it plus a constant its condition adds), so that a
//! walk sees such a rule's records on both sides of its bounds and a
//! break can move one across ([`long_gaps`]).
//!
//! A record's time is read back exactly as the checker reads it: the
//! record is stamped as the writer stamps it (envelope and time field),
//! and the time is parsed from the field its kind names or from the
//! envelope with the reader's own functions. Year-less BSD times are read
//! as days into a year whose length is unknown; the checker carries them
//! over New Year along each input, which a record read alone cannot be,
//! and places them in a year without Feb 29 until the input shows one,
//! which a record read alone cannot know; so a scenario written with them
//! starts between March and June and never reaches the next year's end of
//! February ([`start`]).

use super::layout::Layout;
use crate::generator::Compiled;
use crate::record::Record;
use crate::render::envelope_of;
use crate::stream::stamp_field;
use crate::time::{self, EARLIEST, LATEST};
use crate::{Framing, Sampler};
use logspec_checker::rules::params::rule_params;
use logspec_checker::rules::{RulePlan, StreamRecord};
use logspec_checker::Plan;
use logspec_reader::{field_instant, instant, Instant};
use logspec_spec::condition::{duration_seconds, Name};
use std::ops::RangeInclusive;

/// The usual gap before a record, in microseconds: at least two seconds,
/// so a break can put a record between two (a second from either: the
/// resolution of a BSD time) without moving either.
const SHORT: RangeInclusive<i64> = 2_000_000..=5_000_000;
/// The shortest gap a break gives a record: a second.
pub(crate) const SHORTEST: i64 = 1_000_000;
/// One gap in this many is a long one, when a rule reads times.
const LONG_ONE_IN: u32 = 6;
/// Long gaps add up to at most this much: 30 days.
const LONG_BUDGET: i64 = 30 * 86_400 * 1_000_000;
/// Half a year: a scenario with year-less times starts this much before
/// the end of its year at least. Its long gaps stay within
/// [`LONG_BUDGET`] and its short ones take five seconds at most, so it
/// would need some 2.6 million records to reach New Year.
const HALF_YEAR: i64 = 183 * 86_400 * 1_000_000;
/// A quarter of a year, moved back by until a start is in June or before.
const QUARTER: i64 = 92 * 86_400 * 1_000_000;
/// Two months, moved on by from a start in January or February.
const TWO_MONTHS: i64 = 61 * 86_400 * 1_000_000;
/// How far a long gap lies under and over the bound it was made from.
const ASIDE: i64 = 2_000_000;

/// The gap before each record by its position, drawn when first asked
/// for, and when the first record is.
pub(crate) struct Gaps {
    sampler: Sampler,
    /// The long gaps to draw from ([`long_gaps`]).
    long: Vec<i64>,
    /// What long gaps drawn so far add up to.
    spent: i64,
    drawn: Vec<i64>,
    /// When the scenario starts: the time before its first record's gap.
    pub start_at: i64,
}

impl Gaps {
    /// Gaps for a scenario of `layout` from `seed`.
    pub fn new(plan: &Plan, layout: &Layout, seed: u64) -> Option<Gaps> {
        // Not the walk's sampler: how often the walk draws does not move
        // the times, nor the times the walk.
        let mut sampler = Sampler::new(seed ^ 0x7469_6d65_7300_0000);
        let start_at = start(&mut sampler, layout)?;
        Some(Gaps {
            sampler,
            long: long_gaps(plan, &layout.params),
            spent: 0,
            drawn: Vec::new(),
            start_at,
        })
    }

    /// The gap before the record at `position`.
    pub fn at(&mut self, position: usize) -> i64 {
        while self.drawn.len() <= position {
            let gap = self.draw();
            self.drawn.push(gap);
        }
        self.drawn[position]
    }

    /// The gaps before the first `records` records.
    pub fn first(&mut self, records: usize) -> Vec<i64> {
        if records > 0 {
            self.at(records - 1);
        }
        self.drawn[..records].to_vec()
    }

    fn draw(&mut self) -> i64 {
        let short = *SHORT.start();
        if !self.long.is_empty() && self.sampler.sample(&(0..LONG_ONE_IN)).ok() == Some(0) {
            let pick = self.sampler.sample(&(0..self.long.len())).ok();
            if let Some(&gap) = pick.and_then(|at| self.long.get(at)) {
                if self.spent + gap <= LONG_BUDGET {
                    self.spent += gap;
                    return gap;
                }
            }
        }
        self.sampler.sample(&SHORT).unwrap_or(short)
    }
}

/// When a scenario starts: anywhere in the years every format writes, but
/// between March and June when a kind is written with year-less times
/// (see the module doc).
fn start(sampler: &mut Sampler, layout: &Layout) -> Option<i64> {
    let at = sampler
        .sample(&(EARLIEST.0 + HALF_YEAR..=LATEST.0 - HALF_YEAR))
        .ok()?;
    let yearless = layout.framings.iter().flatten().any(|framing| {
        matches!(
            framing,
            Framing::Rfc3164 {
                iso_timestamp: false,
                ..
            }
        )
    });
    let mut at = at;
    if yearless {
        while time::Instant(at).month() > 6 {
            at -= QUARTER;
        }
        if time::Instant(at).month() < 3 {
            at += TWO_MONTHS;
        }
    }
    Some(at)
}

/// Whether `rule`'s conditions read the times between records.
pub(crate) fn reads_times(rule: &RulePlan) -> bool {
    rule.requires.iter().flatten().any(|plan| {
        plan.condition.uses.iter().any(|used| {
            matches!(
                used.name,
                Some(Name::Since(_) | Name::Within(..) | Name::Covered(_) | Name::Span(_))
            )
        })
    })
}

/// The long gaps a scenario checked with `params` draws from: for each
/// rule that runs and reads times, each of its duration parameters and
/// windows, alone and with each positive number its conditions name
/// (`span.audit <= params.audit_retention + 86400.0`), a little under and
/// a little over; sorted, without repeats.
pub(crate) fn long_gaps(plan: &Plan, params: &[(String, String)]) -> Vec<i64> {
    let mut gaps = Vec::new();
    for rule in plan.rules.iter().filter(|rule| reads_times(rule)) {
        let Ok(values) = rule_params(rule, params) else {
            continue;
        };
        // The value last given for each duration parameter, as the
        // checker reads it.
        let mut bounds: Vec<f64> = rule
            .params
            .iter()
            .filter(|(_, kind)| *kind == logspec_spec::ParamType::Duration)
            .filter_map(|(name, _)| params.iter().rev().find(|(given, _)| given == name))
            .filter_map(|(_, text)| duration_seconds(text))
            .collect();
        bounds.extend(
            rule.windows
                .iter()
                .filter_map(|window| window.seconds(&values)),
        );
        let added: Vec<f64> = rule
            .requires
            .iter()
            .flatten()
            .flat_map(|plan| &plan.condition.literals)
            .filter_map(|literal| literal.parse::<f64>().ok())
            .filter(|number| number.is_finite() && *number > 0.0)
            .collect();
        let sums: Vec<f64> = bounds
            .iter()
            .flat_map(|bound| added.iter().map(move |more| bound + more))
            .collect();
        for seconds in bounds.into_iter().chain(sums) {
            let micros = (seconds * 1_000_000.0).round();
            if !(0.0..=LONG_BUDGET as f64).contains(&micros) {
                continue;
            }
            let micros = micros as i64;
            for gap in [micros - ASIDE, micros + ASIDE] {
                if gap > *SHORT.end() && gap <= LONG_BUDGET {
                    gaps.push(gap);
                }
            }
        }
    }
    gaps.sort_unstable();
    gaps.dedup();
    gaps
}

/// `record` stamped with `time` as the writer stamps it: the envelope's
/// time and the time field its kind names.
pub(crate) fn stamp(compiled: &Compiled, layout: &Layout, record: &mut Record, time: i64) {
    let at = time::Instant(time);
    record.meta.time = at;
    let kind = compiled.plan.events[record.event].kind;
    let source = compiled
        .spec
        .kinds()
        .nth(kind)
        .and_then(|kind| kind.timestamp.as_ref());
    if let Some(source) = source {
        let format = layout.framing(&compiled.plan, record.event).format();
        stamp_field(compiled, record, &source.field, source.epoch, format, at);
    }
}

/// The time the checker reads of `record` stamped with `time`.
pub(crate) fn read_time(
    compiled: &Compiled,
    layout: &Layout,
    record: &Record,
    time: i64,
) -> Option<Instant> {
    let mut stamped = record.clone();
    stamp(compiled, layout, &mut stamped, time);
    let plan = &compiled.plan;
    let framing = layout.framing(plan, record.event);
    match &plan.kinds[plan.events[record.event].kind].timestamp {
        Some((name, epoch)) => stamped
            .value(name)
            .and_then(|value| field_instant(value, *epoch)),
        None => instant(framing.format(), &envelope_of(framing, &stamped)),
    }
}

/// What the engine sees of `record`, logged on `host`, written at `time`:
/// the one way the walk, the edits and shrinking time what they judge.
pub(crate) fn seen_at(
    compiled: &Compiled,
    layout: &Layout,
    record: &Record,
    host: &str,
    time: i64,
) -> StreamRecord {
    let mut seen = layout.seen(&compiled.plan, record, host);
    seen.at = read_time(compiled, layout, record, time);
    seen
}

/// Each record's time: the start plus the gaps up to its own.
pub(crate) fn times(start_at: i64, gaps: &[i64]) -> Vec<i64> {
    gaps.iter()
        .scan(start_at, |now, gap| {
            *now += gap;
            Some(*now)
        })
        .collect()
}

/// The time the checker reads of each of `records`, timed by `gaps` (what
/// the tests hold an edit's view to).
#[cfg(test)]
pub(crate) fn read_times(
    compiled: &Compiled,
    layout: &Layout,
    records: &super::Walked,
    start_at: i64,
    gaps: &[i64],
) -> Vec<Option<Instant>> {
    records
        .iter()
        .zip(times(start_at, gaps))
        .map(|((record, _), time)| read_time(compiled, layout, record, time))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::{compiled, layout, record_of};
    use super::*;
    use crate::scenario::Hosts;
    use logspec_reader::Format;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    #[test]
    fn long_gaps_lie_either_side_of_the_bounds_rules_read() {
        let compiled = compiled("ctrl-exec");
        assert_eq!(long_gaps(&compiled.plan, &[]), Vec::<i64>::new());
        let given = params(&[
            ("volume_block", "5m"),
            ("probe_block", "1h"),
            ("probe_limit", "3"),
            ("probe_window", "600s"),
        ]);
        let seconds: Vec<i64> = long_gaps(&compiled.plan, &given)
            .into_iter()
            .map(|gap| gap / 1_000_000)
            .collect();
        // The blocks (300, 3600), the window (600), the windows with
        // their margins (602, 599), and probe-limit-crossed-blocks' plus
        // the 2 its condition names (`2 * params.probe_limit`: not
        // seconds, but a bound more does no harm), each two seconds
        // either side.
        assert_eq!(
            seconds,
            [298, 302, 597, 598, 599, 600, 601, 602, 603, 604, 3598, 3602]
        );
    }

    #[test]
    fn a_constant_a_condition_adds_makes_a_bound_too() {
        let compiled = compiled("prexorcloud");
        let seconds: Vec<i64> = long_gaps(&compiled.plan, &params(&[("audit_retention", "1h")]))
            .into_iter()
            .map(|gap| gap / 1_000_000)
            .collect();
        assert_eq!(seconds, [3598, 3602, 89_998, 90_002]);
    }

    #[test]
    fn gaps_are_drawn_by_position_and_long_ones_appear() {
        let compiled = compiled("ctrl-exec");
        let mut layout = layout(&compiled, Framing::default_of(Format::Rfc3164), Hosts::Told);
        layout.params = params(&[("probe_block", "1h"), ("volume_block", "5m")]);
        let mut gaps = Gaps::new(&compiled.plan, &layout, 3).expect("gaps");
        let mut again = Gaps::new(&compiled.plan, &layout, 3).expect("gaps");
        // Asked in another order, the same gap per position.
        let late = again.at(40);
        assert_eq!(gaps.first(41), again.first(41));
        assert_eq!(gaps.at(40), late);
        let drawn = gaps.first(200);
        assert!(drawn.iter().all(|gap| *gap >= *SHORT.start()));
        assert!(drawn.iter().any(|gap| *gap > 290_000_000), "{drawn:?}");
        assert!(drawn.iter().filter(|gap| SHORT.contains(gap)).count() > 100);
    }

    #[test]
    fn year_less_scenarios_start_between_march_and_june() {
        let compiled = compiled("ctrl-exec");
        let layout = layout(&compiled, Framing::default_of(Format::Rfc3164), Hosts::Told);
        for seed in 0..64 {
            let gaps = Gaps::new(&compiled.plan, &layout, seed).expect("gaps");
            let month = time::Instant(gaps.start_at).month();
            assert!((3..=6).contains(&month), "{month}");
        }
    }

    #[test]
    fn a_time_is_read_back_as_the_checker_reads_it() {
        let compiled = compiled("ctrl-exec");
        let syslog = layout(&compiled, Framing::default_of(Format::Rfc3164), Hosts::Told);
        let journal = layout(
            &compiled,
            Framing::default_of(Format::Journald),
            Hosts::Told,
        );
        let record = record_of(&compiled, "ping", Format::Rfc3164, &mut Sampler::new(1));
        // 2026-03-13T12:00:01.003Z: BSD keeps the second, journald all.
        let time = 1_773_403_201_003_000;
        let bsd = read_time(&compiled, &syslog, &record, time);
        let days = 31 + 29 + 12;
        assert_eq!(
            bsd,
            Some(Instant::Yearless(
                (days * 86_400 + 12 * 3600 + 1) * 1_000_000
            ))
        );
        assert_eq!(
            read_time(&compiled, &journal, &record, time),
            Some(Instant::Absolute(time))
        );
    }

    #[test]
    fn a_time_field_is_read_where_the_kind_names_it() {
        // RCE events carry `_ts` in milliseconds.
        let compiled = compiled("rce-eventlog");
        let layout = layout(
            &compiled,
            Framing::default_of(Format::JsonLines),
            Hosts::Told,
        );
        let mut sampler = Sampler::new(2);
        let (event, variant) = compiled
            .spec
            .variants()
            .find(|(_, _, event, _)| event.id == "application.starting")
            .map(|(event, variant, _, _)| (event, variant))
            .expect("RCE documents application.starting");
        let record = sampler
            .sample(
                &compiled
                    .variant(event, variant, Format::JsonLines)
                    .expect("a variant")
                    .records(),
            )
            .expect("a record");
        let time = 1_773_403_201_003_456;
        assert_eq!(
            read_time(&compiled, &layout, &record, time),
            Some(Instant::Absolute(1_773_403_201_003_000))
        );
    }
}
