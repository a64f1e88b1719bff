//! Edits of walked records, the ways a scenario is broken in one place,
//! and what the engine sees of the edited records: each kept record as
//! the walk saw it, and the records an edit adds, moves or re-times read
//! afresh at their new times.
//!
//! An edit keeps the times of the records it does not touch: a record
//! left out gives its gap to the next one, and a record added takes a
//! second of the gap before its successor (gaps are at least two
//! seconds, see [`timing`](super::timing)). Only two edits move times on
//! purpose: a swap (each record takes the other's place and time) and a
//! changed gap ([`Edit::Regap`]), which moves the record and every later
//! one, for rules whose conditions read the times between records.

use super::draw::Drawn;
use super::layout::Layout;
use super::timing::{read_time, seen_at, times, SHORTEST};
use super::{StreamMutationKind, Walked};
use crate::generator::Compiled;
use crate::record::Record;
use logspec_checker::rules::StreamRecord;
use std::borrow::Cow;

/// One way of breaking walked records.
#[derive(Debug, Clone)]
pub(crate) enum Edit {
    /// The record at the index left out.
    Drop(usize),
    /// The record at the index repeated right after itself.
    Repeat(usize),
    /// The records at the two indices swapped.
    Swap(usize, usize),
    /// The record at the index given the key of an earlier lifecycle.
    Rekey(usize, Box<(Drawn, StreamRecord)>),
    /// A record inserted before the index.
    Insert(usize, Box<(Drawn, StreamRecord)>),
    /// The record at the index with a field changed, breaking a rule as
    /// the kind says (a condition it reads, a value its key agrees on).
    Alter(usize, Box<(Drawn, StreamRecord)>, StreamMutationKind),
    /// The record at the index left out where a later record's condition
    /// reads it (`has(earlier.L)`): that condition fails.
    Forget(usize),
    /// The gap before the record at the index made this long (in
    /// microseconds), moving it and every later record: a condition on
    /// the time between records fails.
    Regap(usize, i64),
}

/// The walked records edits apply to: what the engine saw of each, and
/// their gaps and times.
pub(crate) struct Timed<'a> {
    pub compiled: &'a Compiled,
    pub layout: &'a Layout,
    pub records: &'a Walked,
    pub seen: &'a [StreamRecord],
    /// The time before the first record's gap.
    pub start_at: i64,
    /// The gap before each record.
    pub gaps: &'a [i64],
    /// Each record's time.
    pub times: Vec<i64>,
}

impl<'a> Timed<'a> {
    pub fn new(
        compiled: &'a Compiled,
        layout: &'a Layout,
        records: &'a Walked,
        seen: &'a [StreamRecord],
        start_at: i64,
        gaps: &'a [i64],
    ) -> Timed<'a> {
        Timed {
            compiled,
            layout,
            records,
            seen,
            start_at,
            gaps,
            times: times(start_at, gaps),
        }
    }

    /// What the engine sees of `record`, logged on `host`, at `time`.
    pub fn seen_at(&self, record: &Record, host: &str, time: i64) -> StreamRecord {
        seen_at(self.compiled, self.layout, record, host, time)
    }

    /// What the engine sees of the record at `at` of the walk at `time`.
    fn moved(&self, at: usize, time: i64) -> StreamRecord {
        let mut seen = self.seen[at].clone();
        seen.at = read_time(self.compiled, self.layout, &self.records[at].0, time);
        seen
    }

    /// The time of a record inserted before the one at `at`: a second
    /// before it, or two seconds after the last record.
    pub fn inserted_at(&self, at: usize) -> i64 {
        match (self.times.get(at), self.times.last()) {
            (Some(time), _) => time - SHORTEST,
            (None, Some(last)) => last + 2 * SHORTEST,
            (None, None) => self.start_at + 2 * SHORTEST,
        }
    }
}

impl Edit {
    pub fn kind(&self) -> StreamMutationKind {
        match self {
            Edit::Drop(_) => StreamMutationKind::DropClosing,
            Edit::Repeat(_) => StreamMutationKind::DuplicateTerminal,
            Edit::Swap(..) => StreamMutationKind::ReorderPair,
            Edit::Rekey(..) => StreamMutationKind::ReuseKey,
            Edit::Insert(..) => StreamMutationKind::Stray,
            Edit::Alter(.., kind) => *kind,
            Edit::Forget(_) | Edit::Regap(..) => StreamMutationKind::FailCondition,
        }
    }

    /// What the engine sees of the edited records, in order.
    pub fn view<'a>(&'a self, walked: &'a Timed<'a>) -> Vec<Cow<'a, StreamRecord>> {
        let seen = walked.seen;
        let mut view: Vec<Cow<StreamRecord>> = seen.iter().map(Cow::Borrowed).collect();
        match self {
            Edit::Drop(at) | Edit::Forget(at) => {
                view.remove(*at);
            }
            Edit::Repeat(at) => view.insert(
                at + 1,
                Cow::Owned(walked.moved(*at, walked.times[*at] + SHORTEST)),
            ),
            Edit::Swap(i, j) => {
                view[*i] = Cow::Owned(walked.moved(*j, walked.times[*i]));
                view[*j] = Cow::Owned(walked.moved(*i, walked.times[*j]));
            }
            Edit::Rekey(at, new) | Edit::Alter(at, new, _) => view[*at] = Cow::Borrowed(&new.1),
            Edit::Insert(at, new) => view.insert(*at, Cow::Borrowed(&new.1)),
            Edit::Regap(at, gap) => {
                let by = gap - walked.gaps[*at];
                for (index, slot) in view.iter_mut().enumerate().skip(*at) {
                    *slot = Cow::Owned(walked.moved(index, walked.times[index] + by));
                }
            }
        }
        view
    }

    /// What the engine sees of the records the edit moves, adds or
    /// changes (before and after).
    pub fn involved<'a>(&'a self, seen: &'a [StreamRecord]) -> Vec<&'a StreamRecord> {
        match self {
            Edit::Drop(at) | Edit::Repeat(at) | Edit::Forget(at) | Edit::Regap(at, _) => {
                vec![&seen[*at]]
            }
            Edit::Swap(i, j) => vec![&seen[*i], &seen[*j]],
            Edit::Rekey(at, new) | Edit::Alter(at, new, _) => vec![&seen[*at], &new.1],
            Edit::Insert(_, new) => vec![&new.1],
        }
    }

    /// The edited records and the gap before each.
    pub fn apply(self, walked: &Timed<'_>) -> (Walked, Vec<i64>) {
        let mut records = walked.records.clone();
        let mut gaps = walked.gaps.to_vec();
        match self {
            Edit::Drop(at) | Edit::Forget(at) => {
                records.remove(at);
                let gap = gaps.remove(at);
                if let Some(next) = gaps.get_mut(at) {
                    *next += gap;
                }
            }
            Edit::Repeat(at) => {
                records.insert(at + 1, records[at].clone());
                split(&mut gaps, at + 1, SHORTEST);
            }
            Edit::Swap(i, j) => records.swap(i, j),
            Edit::Rekey(at, new) | Edit::Alter(at, new, _) => records[at] = new.0,
            Edit::Insert(at, new) => {
                records.insert(at, new.0);
                let previous = at
                    .checked_sub(1)
                    .map_or(walked.start_at, |previous| walked.times[previous]);
                split(&mut gaps, at, walked.inserted_at(at) - previous);
            }
            Edit::Regap(at, gap) => gaps[at] = gap,
        }
        (records, gaps)
    }
}

/// A record put at `at` with `gap` before it, taken from the gap before
/// the record that was there, which keeps its time (or after the last).
fn split(gaps: &mut Vec<i64>, at: usize, gap: i64) {
    if let Some(next) = gaps.get_mut(at) {
        *next -= gap;
    }
    gaps.insert(at, gap);
}

#[cfg(test)]
mod tests {
    use super::super::testing::{closed_walk, compiled, layout, timed};
    use super::super::timing::read_times;
    use super::*;
    use crate::scenario::Hosts;
    use crate::Framing;
    use logspec_reader::Format;

    #[test]
    fn an_edit_is_seen_as_it_is_applied_and_timed() {
        let compiled = compiled("ctrl-exec");
        let framing = Framing::default_of(Format::Rfc3164);
        let mut layout = layout(&compiled, framing, Hosts::Told);
        // Rules that read times run, so walks draw long gaps too.
        layout.params = compiled.spec.example_params();
        let plan = &compiled.plan;
        let (walk, gaps) = closed_walk(&compiled, layout.clone(), 9, 12);
        let walked = timed(&walk, &gaps);
        let n = walk.records.len();
        let stray = walk.records[0].clone();
        let inserted = |at: usize| {
            let seen = walked.seen_at(&stray.0, &stray.1, walked.inserted_at(at));
            Box::new((stray.clone(), seen))
        };
        let rekeyed = {
            let seen = walked.seen_at(&stray.0, &stray.1, walked.times[2]);
            Box::new((stray.clone(), seen))
        };
        for edit in [
            Edit::Drop(1),
            Edit::Drop(0),
            Edit::Forget(n - 1),
            Edit::Repeat(n - 1),
            Edit::Repeat(0),
            Edit::Swap(0, n - 1),
            Edit::Insert(n, inserted(n)),
            Edit::Insert(0, inserted(0)),
            Edit::Insert(3, inserted(3)),
            Edit::Rekey(2, rekeyed),
            Edit::Regap(1, SHORTEST),
            Edit::Regap(n - 1, 7_200_000_000),
        ] {
            let viewed: Vec<(usize, usize, Option<_>, Option<_>)> = edit
                .view(&walked)
                .into_iter()
                .map(|seen| (seen.event, seen.variant, seen.host.clone(), seen.at))
                .collect();
            let (records, gaps) = edit.clone().apply(&walked);
            assert_eq!(records.len(), gaps.len());
            let times = read_times(&compiled, &layout, &records, walked.start_at, &gaps);
            let applied: Vec<(usize, usize, Option<_>, Option<_>)> = records
                .iter()
                .zip(times)
                .map(|((record, host), at)| {
                    let seen = layout.seen(plan, record, host);
                    (seen.event, seen.variant, seen.host, at)
                })
                .collect();
            // The view keeps the walk's reading of every record the edit
            // does not move, so this also shows the gaps keep their times.
            assert_eq!(viewed, applied, "{edit:?}");
        }
    }
}
