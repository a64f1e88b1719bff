//! What checking a record does to state that depends on the records before
//! it: an input's counts, its timeline and other programs' lines, the
//! coverage, the unknown events seen, and the order findings reach the
//! sink. `dispatch` checks a record against a [`Ledger`] and never touches
//! that state itself, so the same checking code serves both paths: on the
//! reading thread, [`Live`] applies each entry at once; on a worker
//! (`parallel`), the entries are kept and applied later by the reading
//! thread, in input order, through the same [`Live`].

use super::cursor::CursorState;
use super::{Head, MAX_FOREIGN_PROGRAMS};
use crate::coverage::Coverage;
use crate::finding::{Code, Finding, FindingSink};
use crate::record::{Classification, SeenEvents, UnknownEvent};
use logspec_reader::Instant;
use std::sync::Arc;

/// The entries checking a record makes, in the order it makes them; a
/// finding is an entry too ([`FindingSink::push`]).
pub(super) trait Ledger: FindingSink {
    /// One more record read.
    fn read(&mut self);
    /// A console line the document lists, by index.
    fn console(&mut self, index: usize);
    /// A line of another program: counted under its tag, or only counted
    /// when it was reported as a finding (`tag` is `None`).
    fn foreign(&mut self, number: u64, tag: Option<&str>);
    /// Places a record's timestamp on its input's timeline (`ordered`: the
    /// kind's inputs hold records oldest first); the timestamp the rules
    /// see (see [`Timeline::place`]).
    fn place(&mut self, at: Instant, number: u64, ordered: bool) -> Instant;
    /// An event the record's kind does not document.
    fn unknown_event(&mut self, unknown: UnknownEvent);
    /// A record of a documented event, with its fields as the sink sees
    /// them, and its head for the rules.
    fn checked<'a>(
        &mut self,
        classification: Classification,
        fields: &mut dyn Iterator<Item = (&'a str, &'a str)>,
        unchecked: Unchecked,
        head: Head,
    );
}

/// What could not be checked on a record, for the input's summary.
#[derive(Debug, Clone, Copy)]
pub(super) struct Unchecked {
    pub(super) severity: bool,
    pub(super) emitter: bool,
}

/// Applies a ledger's entries as they come, to one input's cursor and the
/// check's shared state.
pub(super) struct Live<'l> {
    pub(super) state: &'l mut CursorState,
    pub(super) coverage: &'l mut Coverage,
    pub(super) seen: &'l mut SeenEvents,
    pub(super) sink: &'l mut dyn FindingSink,
}

impl FindingSink for Live<'_> {
    fn push(&mut self, finding: Finding) {
        self.sink.push(finding);
    }
}

impl Ledger for Live<'_> {
    fn read(&mut self) {
        self.state.summary.records += 1;
    }

    fn console(&mut self, index: usize) {
        self.coverage.count_console(index);
    }

    fn foreign(&mut self, number: u64, tag: Option<&str>) {
        let state = &mut *self.state;
        state.summary.foreign += 1;
        let Some(tag) = tag else {
            return;
        };
        // A program already seen costs no allocation; past the cap, further
        // programs share one count.
        if let Some(counts) = state.foreign.get_mut(tag) {
            counts.1 += 1;
            return;
        }
        let counts = if state.foreign.len() < MAX_FOREIGN_PROGRAMS {
            state.foreign.entry(tag.to_owned()).or_insert((number, 0))
        } else {
            state.foreign_others.get_or_insert((number, 0))
        };
        counts.1 += 1;
    }

    fn place(&mut self, at: Instant, number: u64, ordered: bool) -> Instant {
        let state = &mut *self.state;
        state
            .timeline
            .place(at, &state.file, number, ordered, self.sink)
    }

    fn unknown_event(&mut self, unknown: UnknownEvent) {
        self.seen.note(unknown, self.sink);
    }

    fn checked<'a>(
        &mut self,
        classification: Classification,
        fields: &mut dyn Iterator<Item = (&'a str, &'a str)>,
        unchecked: Unchecked,
        head: Head,
    ) {
        self.coverage.count(classification);
        self.sink.record(classification, fields);
        let summary = &mut self.state.summary;
        summary.severity_unchecked += u64::from(unchecked.severity);
        summary.emitter_unchecked += u64::from(unchecked.emitter);
        self.state.pending.push_back(head);
    }
}

/// One input's timestamps so far.
#[derive(Default)]
pub(super) struct Timeline {
    /// Last timestamp seen and its line, for regressions and merging.
    pub(super) last: Option<(Instant, u64)>,
    /// Where this input's year-less timestamps fall.
    calendar: YearlessCalendar,
}

const DAY: i64 = 86_400 * 1_000_000;

/// Year-less (BSD syslog) timestamps on one input's timeline.
///
/// The reader places them in a leap year's calendar, since a Feb 29 must
/// have a place. Most years have no Feb 29, and in those that calendar
/// puts a day that never happened between Feb 28 and Mar 1: a gap across
/// the end of February would read a day too long (a window rule's false
/// alarm, or a once-per-window rule's false pass). So an input's year is
/// taken to be a common year until it shows a Feb 29. A leap year whose
/// input has no record on Feb 29 still reads a day short across the end
/// of February; the log gives no way to tell it from a common year.
#[derive(Default)]
struct YearlessCalendar {
    /// The days of the years before the input's current one.
    year_offset: i64,
    /// The current year has shown a Feb 29.
    leap: bool,
}

impl YearlessCalendar {
    /// Feb 29 and Mar 1 in the reader's (leap-year) calendar.
    const FEB_29: i64 = 59 * DAY;
    const MAR_1: i64 = 60 * DAY;

    /// Where the reader's year-less `micros` fall on the timeline.
    fn place(&self, micros: i64) -> i64 {
        let no_feb_29 = if micros >= Self::MAR_1 && !self.leap {
            DAY
        } else {
            0
        };
        micros - no_feb_29 + self.year_offset
    }

    /// A record of the current year read at the reader's `micros`.
    fn saw(&mut self, micros: i64) {
        if (Self::FEB_29..Self::MAR_1).contains(&micros) {
            self.leap = true;
        }
    }

    /// December to January: the times that follow are a year later.
    fn next_year(&mut self) {
        self.year_offset += if self.leap { 366 * DAY } else { 365 * DAY };
        self.leap = false;
    }
}

impl Timeline {
    /// Places a record's timestamp on this input's timeline: reports a jump
    /// backwards, and carries yearless times over a year boundary; for an
    /// input in any order (not `ordered`), only remembers it.
    pub(super) fn place(
        &mut self,
        at: Instant,
        file: &Arc<str>,
        line: u64,
        ordered: bool,
        sink: &mut dyn FindingSink,
    ) -> Instant {
        let read = at;
        let mut at = match read {
            Instant::Yearless(micros) => Instant::Yearless(self.calendar.place(micros)),
            absolute => absolute,
        };
        if !ordered {
            self.remember(read, at, line);
            return at;
        }
        if let Some((last, last_line)) = self.last {
            if let Some(back) = last.since(at).filter(|back| *back > 0) {
                if let (Instant::Yearless(micros), true) = (read, back > 300 * DAY) {
                    // December to January: a new year, not a regression.
                    self.calendar.next_year();
                    at = Instant::Yearless(self.calendar.place(micros));
                } else {
                    // The timeline continues from here, so one step back is
                    // one finding, not one per line until time catches up.
                    sink.push(Finding::new(
                        Code::TimestampRegression,
                        file,
                        line,
                        format!(
                            "timestamp goes back {} from line {last_line}{}",
                            human_duration(back),
                            if matches!(at, Instant::Local(_)) {
                                " (a local time without zone: a change of UTC offset, such \
                                 as the end of summer time, also moves it back)"
                            } else {
                                ""
                            }
                        ),
                    ));
                }
            }
        }
        self.remember(read, at, line);
        at
    }

    /// The record at `line`, read at `read`, was placed at `at`.
    fn remember(&mut self, read: Instant, at: Instant, line: u64) {
        if let Instant::Yearless(micros) = read {
            // After the record is placed: a Feb 29 that opens a new year
            // says nothing of the year before it.
            self.calendar.saw(micros);
        }
        self.last = Some((at, line));
    }
}

fn human_duration(micros: i64) -> String {
    let seconds = micros as f64 / 1_000_000.0;
    if seconds < 1.0 {
        format!("{}ms", micros / 1000)
    } else if seconds < 120.0 {
        format!("{seconds:.1}s")
    } else if seconds < 7200.0 {
        format!("{:.1}min", seconds / 60.0)
    } else {
        format!("{:.1}h", seconds / 3600.0)
    }
}
