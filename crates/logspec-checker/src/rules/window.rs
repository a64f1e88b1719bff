//! Time windows of stream rules: the times a key keeps of the labels a
//! window counts ([`Recent`], capped at [`WINDOW_TIMES`]), and what a
//! condition reads of them (`within.W.L`, `covered.W`). A count that cannot
//! be told exactly (a record without a timestamp, times that do not
//! compare, times dropped at the cap) is an error, never a number.

use super::condition::{memory_of, ConditionPlan, Scope};
use super::StreamRecord;
use logspec_reader::Instant;
use logspec_spec::condition::Name;
use std::collections::VecDeque;

/// Distinct record times a key keeps per counted label, at most: a window
/// over a source that logs without pause would otherwise grow without
/// bound. Past it the oldest are dropped, and a count over a window that
/// reaches a dropped time is reported as unknown (`condition-error`).
pub const WINDOW_TIMES: usize = 256;

/// The times of one label's records that a window may still count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recent {
    /// Oldest first, each with how many records carried that time.
    times: VecDeque<(Instant, u32)>,
    /// Records of the label without a timestamp: no window can place them.
    untimed: u32,
    /// The latest time dropped at the cap.
    dropped: Option<Instant>,
}

impl Recent {
    /// Adds a record's time; forgets times older than `longest` seconds
    /// before it (when known). Whether the cap dropped a time.
    pub(super) fn add(&mut self, at: Option<Instant>, longest: Option<f64>) -> bool {
        let Some(at) = at else {
            self.untimed = self.untimed.saturating_add(1);
            return false;
        };
        if let Some(longest) = longest {
            while let Some(&(oldest, _)) = self.times.front() {
                match at.since(oldest) {
                    Some(micros) if micros as f64 > longest * 1_000_000.0 => {
                        self.times.pop_front();
                    }
                    _ => break,
                }
            }
        }
        match self.times.back_mut() {
            Some((last, records)) if *last == at => *records = records.saturating_add(1),
            _ => self.times.push_back((at, 1)),
        }
        if self.times.len() > WINDOW_TIMES {
            if let Some((oldest, _)) = self.times.pop_front() {
                self.dropped = Some(oldest);
                return true;
            }
        }
        false
    }

    /// How many of the kept records lie within `seconds` of `now`, or why
    /// that cannot be told. An earlier record stamped after `now` (a clock
    /// stepped back) counts when as close; one a year-less timestamp puts
    /// a year away (December before January) does not.
    fn within(&self, now: Instant, seconds: f64) -> Result<u32, String> {
        let reach = |micros: i64| micros.unsigned_abs() as f64 <= seconds * 1_000_000.0;
        if self.untimed > 0 {
            return Err(format!(
                "{} earlier record(s) of the label had no timestamp, so the window cannot place them",
                self.untimed
            ));
        }
        if let Some(dropped) = self.dropped {
            if now.since(dropped).is_none_or(reach) {
                return Err(format!(
                    "the key kept the times of only the latest {WINDOW_TIMES} records of the \
                     label, and the window reaches back past them"
                ));
            }
        }
        let mut count = 0u32;
        for &(at, records) in &self.times {
            match now.since(at) {
                Some(micros) if reach(micros) => count = count.saturating_add(records),
                Some(_) => {}
                None => {
                    return Err(
                        "an earlier record's timestamp does not compare with this one's".to_owned(),
                    )
                }
            }
        }
        Ok(count)
    }
}

/// What a condition reads of its rule's windows: the counts it names
/// (window, label, count) and whether the input covers each window it asks
/// about.
#[derive(Default)]
pub(super) struct Windowed {
    pub(super) counts: Vec<(String, String, u32)>,
    pub(super) covered: Vec<(String, bool)>,
}

/// The windowed counts and coverage `plan` reads on `record`, or why they
/// cannot be told (no timestamp, times that do not compare, a count cut
/// short by the cap): an error, never a count that would silently pass.
pub(super) fn windowed(
    plan: &ConditionPlan,
    record: &StreamRecord,
    scope: &Scope<'_>,
) -> Result<Windowed, String> {
    let mut windowed = Windowed::default();
    for used in &plan.condition.uses {
        let (window_name, label_name) = match &used.name {
            Some(Name::Within(window, label)) => (window, Some(label)),
            Some(Name::Covered(window)) => (window, None),
            _ => continue,
        };
        let already = match label_name {
            Some(label) => windowed
                .counts
                .iter()
                .any(|(w, l, _)| w == window_name && l == label),
            None => windowed.covered.iter().any(|(w, _)| w == window_name),
        };
        if already {
            continue;
        }
        let Some(window) = scope.windows.iter().find(|w| &w.name == window_name) else {
            return Err(format!("`{}`: the rule has no such window", used.written));
        };
        let Some(seconds) = window.seconds(scope.params) else {
            return Err(format!(
                "`{}`: the window's length is not known",
                used.written
            ));
        };
        let Some(now) = record.at else {
            return Err(format!(
                "`{}`: this record has no timestamp to place the window",
                used.written
            ));
        };
        match label_name {
            Some(label_name) => {
                let recent = scope
                    .labels
                    .iter()
                    .position(|label| label == label_name)
                    .and_then(|label| memory_of(scope.memory, label))
                    .and_then(|memory| memory.recent.as_deref());
                let count = match recent {
                    Some(recent) => recent
                        .within(now, seconds)
                        .map_err(|why| format!("`{}`: {why}", used.written))?,
                    None => 0,
                };
                windowed
                    .counts
                    .push((window_name.clone(), label_name.clone(), count));
            }
            None => {
                let began = scope.began.ok_or_else(|| {
                    format!(
                        "`{}`: where this record's input began is not known",
                        used.written
                    )
                })?;
                let micros = now.since(began).ok_or_else(|| {
                    format!(
                        "`{}`: this record's timestamp does not compare with the first of its input",
                        used.written
                    )
                })?;
                windowed
                    .covered
                    .push((window_name.clone(), micros as f64 >= seconds * 1_000_000.0));
            }
        }
    }
    Ok(windowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: i64 = 1_000_000;

    fn at(second: i64) -> Option<Instant> {
        Some(Instant::Yearless(second * SECOND))
    }

    #[test]
    fn a_window_counts_the_times_within_it() {
        let mut recent = Recent::default();
        for second in [0, 10, 10, 20] {
            assert!(!recent.add(at(second), Some(60.0)));
        }
        let now = Instant::Yearless(30 * SECOND);
        assert_eq!(recent.within(now, 20.0), Ok(3));
        assert_eq!(recent.within(now, 30.0), Ok(4));
        assert_eq!(recent.within(now, 5.0), Ok(0));
        // Two records of one second share an entry; an old one is pruned.
        assert_eq!(recent.times.len(), 3);
        recent.add(at(75), Some(60.0));
        assert_eq!(recent.times.front().map(|(t, _)| *t), at(20));
    }

    #[test]
    fn times_stamped_after_the_record_count_only_when_as_close() {
        let mut recent = Recent::default();
        // December 31st 23:59:59 of a year-less stream, then a second later.
        let december = 365 * 86_400 - 1;
        recent.add(at(december), Some(60.0));
        recent.add(at(december + 1), Some(60.0));
        // A record stamped a second before both (a clock stepped back).
        assert_eq!(
            recent.within(Instant::Yearless((december - 1) * SECOND), 2.0),
            Ok(2)
        );
        // January 1st 00:00:30 of the next year reads as the year's start.
        assert_eq!(recent.within(Instant::Yearless(30 * SECOND), 60.0), Ok(0));
    }

    #[test]
    fn a_count_that_cannot_be_told_is_an_error() {
        let mut untimed = Recent::default();
        untimed.add(None, Some(60.0));
        assert!(untimed
            .within(Instant::Yearless(0), 60.0)
            .is_err_and(|why| why.contains("no timestamp")));
        let mut other_kind = Recent::default();
        other_kind.add(Some(Instant::Absolute(0)), Some(60.0));
        assert!(other_kind
            .within(Instant::Yearless(0), 60.0)
            .is_err_and(|why| why.contains("does not compare")));
    }

    #[test]
    fn the_times_kept_are_capped_and_a_count_past_the_cap_is_an_error() {
        let mut recent = Recent::default();
        let mut dropped = false;
        for second in 0..=WINDOW_TIMES as i64 {
            dropped |= recent.add(at(second), None);
        }
        assert!(dropped);
        assert_eq!(recent.times.len(), WINDOW_TIMES);
        let now = Instant::Yearless(WINDOW_TIMES as i64 * SECOND);
        // The window reaches the dropped time 0: unknown; a shorter one is exact.
        assert!(recent
            .within(now, WINDOW_TIMES as f64)
            .is_err_and(|why| why.contains("only the latest")));
        assert_eq!(recent.within(now, 9.0), Ok(10));
    }
}
