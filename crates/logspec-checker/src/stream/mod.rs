//! Checks inputs in one pass: lines → records (one line, or several for
//! formats whose records span lines) → fields → per-record checks, then
//! stream rules over the records of all inputs, merged by timestamp when
//! every input carries comparable ones.
//!
//! Each input is read through a `Cursor` that yields one classified
//! record at a time, so several inputs can be interleaved while each keeps
//! bounded memory (a line, or a capped multi-line record); only the small
//! [`StreamRecord`] the rules need outlives its record.
//!
//! This module merges the inputs (by time where they align, else one after
//! another); `cursor` reads one input into records, `dispatch` checks each
//! record, `ledger` applies what a check adds up to in input order, and
//! `parallel` checks records on several threads (`CheckOptions::threads`).

mod cursor;
mod dispatch;
mod ledger;
mod parallel;

use cursor::{Cursor, CursorState, Framed, Unit};
use dispatch::{Buffers, Examiner};
use ledger::Live;
use parallel::{Ahead, Pool};

use crate::coverage::Coverage;
use crate::finding::FindingSink;
use crate::plan::Plan;
use crate::record::SeenEvents;
use crate::rules::{Engine, EngineOptions, StreamRecord};
use logspec_reader::{Format, Instant};
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::BufRead;
use std::sync::Arc;

pub use logspec_reader::DEFAULT_MAX_LINE_BYTES;
pub use parallel::DEFAULT_CHUNK_RECORDS;

#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The input format; `None` detects it per input from its first record.
    pub format: Option<Format>,
    pub max_line_bytes: usize,
    /// Whether to run the spec's stream rules (off for single example lines).
    pub stream_rules: bool,
    pub rules: EngineOptions,
    /// The record kind every input holds; `None` finds each input's from
    /// its path, then its content.
    pub kind: Option<String>,
    /// Lines of programs that are none of the spec's emitters are errors
    /// (`foreign-line`), not skipped and counted (`foreign-program`).
    pub strict_foreign: bool,
    /// Threads that check records; 1 checks them on the reading thread.
    /// More check chunks of records while the reading thread reads ahead
    /// and applies their findings in input order: the same findings in
    /// the same order, and records reach the sink and the rules a chunk
    /// later (so a stream that waits for its next line, such as a
    /// followed file, is better checked on one).
    pub threads: usize,
    /// With more than one thread: records (and findings about lines)
    /// handed to a checking thread at a time, at most
    /// ([`DEFAULT_CHUNK_RECORDS`]); a chunk also ends at about 128 KB of
    /// text.
    pub chunk_records: usize,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            format: None,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
            stream_rules: true,
            rules: EngineOptions::default(),
            kind: None,
            strict_foreign: false,
            threads: 1,
            chunk_records: DEFAULT_CHUNK_RECORDS,
        }
    }
}

/// How many times `max_line_bytes` a multi-line record may hold.
pub const RECORD_LINE_FACTOR: usize = 16;

/// One input to check.
pub struct Input<R> {
    /// The name findings use (a path, or `<stdin>`).
    pub name: String,
    pub reader: R,
    /// The host its records come from when the envelope names none.
    pub host: Option<String>,
}

/// What was read from one input.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct InputSummary {
    pub file: Arc<str>,
    /// The format used, `None` when no line matched any declared format.
    pub format: Option<Format>,
    /// The record kind read, for specs with several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Whether the format was detected rather than given.
    pub detected: bool,
    pub lines: u64,
    pub records: u64,
    /// Records whose priority could not be checked: the format carries none.
    pub severity_unchecked: u64,
    /// Records whose emitter could not be checked: the format carries no tag.
    pub emitter_unchecked: u64,
    /// Lines of other programs (a shared syslog), skipped.
    #[serde(skip_serializing_if = "is_zero")]
    pub foreign: u64,
}

fn is_zero(count: &u64) -> bool {
    *count == 0
}

/// Distinct other programs counted per input; further ones are counted
/// together.
pub const MAX_FOREIGN_PROGRAMS: usize = 256;

/// How the records of several inputs were ordered for the stream rules.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case", tag = "order", content = "reason")]
pub enum Alignment {
    /// One input: its own order.
    Single,
    /// Interleaved by timestamp.
    MergedByTimestamp,
    /// One input after another, and why they could not be merged.
    Sequential(String),
}

/// Checks inputs against one spec and keeps coverage across them.
pub struct Checker<'p> {
    plan: &'p Plan,
    options: CheckOptions,
    coverage: Coverage,
    seen: SeenEvents,
    buffers: Buffers,
    engine: Engine,
}

/// The parts of a checker reading borrows: the spec, and the state that
/// checks add to in input order.
struct Context<'c, 'p> {
    plan: &'p Plan,
    options: &'c CheckOptions,
    rules_on: bool,
    coverage: &'c mut Coverage,
    seen: &'c mut SeenEvents,
    /// For records checked on the reading thread.
    buffers: &'c mut Buffers,
}

impl Context<'_, '_> {
    /// Checks a record on this thread, applying what it adds up to at once.
    fn check_here(&mut self, state: &mut CursorState, framed: &Framed, sink: &mut dyn FindingSink) {
        let source = Arc::clone(&state.source);
        let mut examiner = Examiner {
            plan: self.plan,
            options: self.options,
            rules_on: self.rules_on,
            source: &source,
            buffers: self.buffers,
        };
        let mut live = Live {
            state,
            coverage: self.coverage,
            seen: self.seen,
            sink,
        };
        examiner.framed(framed, &mut live);
    }

    /// The input's next record for the rules, reading and checking every
    /// line before it on this thread; `None` at the end of the input.
    fn next_here<R: BufRead>(
        &mut self,
        cursor: &mut Cursor<R>,
        units: &mut Vec<Unit>,
        sink: &mut dyn FindingSink,
    ) -> std::io::Result<Option<Head>> {
        loop {
            if let Some(head) = cursor.state.pending.pop_front() {
                return Ok(Some(head));
            }
            if cursor.ended {
                return Ok(None);
            }
            cursor.ended = !cursor.step(self.plan, self.options, units)?;
            for unit in units.drain(..) {
                match unit {
                    Unit::Finding(finding) => sink.push(*finding),
                    Unit::Record(framed) => self.check_here(&mut cursor.state, &framed, sink),
                }
            }
        }
    }
}

/// How records are checked: on the reading thread, or by a pool with each
/// input's chunks in flight.
enum Reading<'r> {
    Here(Vec<Unit>),
    Pooled(&'r Pool, Vec<Ahead>),
}

impl Reading<'_> {
    fn next<R: BufRead>(
        &mut self,
        index: usize,
        cursor: &mut Cursor<R>,
        context: &mut Context<'_, '_>,
        sink: &mut dyn FindingSink,
    ) -> std::io::Result<Option<Head>> {
        match self {
            Reading::Here(units) => context.next_here(cursor, units, sink),
            Reading::Pooled(pool, aheads) => aheads[index].next(cursor, pool, context, sink),
        }
    }
}

impl<'p> Checker<'p> {
    pub fn new(plan: &'p Plan, options: CheckOptions) -> Checker<'p> {
        Checker {
            plan,
            engine: Engine::new(plan, options.rules.clone()),
            options,
            coverage: Coverage::new(plan),
            seen: SeenEvents::default(),
            buffers: Buffers::default(),
        }
    }

    pub fn coverage(&self) -> &Coverage {
        &self.coverage
    }

    /// Open correlation keys held by the stream rules.
    pub fn open_keys(&self) -> usize {
        self.engine.open_keys()
    }

    /// Checks every line of one input, named `name` in findings.
    pub fn check_input<R: BufRead>(
        &mut self,
        name: &str,
        reader: R,
        sink: &mut dyn FindingSink,
    ) -> std::io::Result<InputSummary> {
        let input = Input {
            name: name.to_owned(),
            reader,
            host: None,
        };
        let (mut summaries, _) = self.check_inputs(vec![input], sink)?;
        summaries
            .pop()
            .ok_or_else(|| std::io::Error::other("no summary for the input"))
    }

    /// Checks every line of every input, then the stream rules across them.
    pub fn check_inputs<R: BufRead>(
        &mut self,
        inputs: Vec<Input<R>>,
        sink: &mut dyn FindingSink,
    ) -> std::io::Result<(Vec<InputSummary>, Alignment)> {
        let plan = self.plan;
        let options = &self.options;
        let rules_on = options.stream_rules && !plan.rules.is_empty();
        let mut cursors: Vec<Cursor<R>> = inputs
            .into_iter()
            .map(|input| Cursor::new(input, plan, options))
            .collect();
        let mut context = Context {
            plan,
            options,
            rules_on,
            coverage: &mut self.coverage,
            seen: &mut self.seen,
            buffers: &mut self.buffers,
        };
        let engine = &mut self.engine;
        let alignment = if options.threads > 1 {
            let keep_fields = sink.wants_records();
            std::thread::scope(|scope| {
                let pool = Pool::start(
                    scope,
                    options.threads,
                    plan,
                    options,
                    rules_on,
                    keep_fields,
                    cursors.len(),
                );
                let aheads = cursors.iter().map(|_| Ahead::default()).collect();
                let mut reading = Reading::Pooled(&pool, aheads);
                merge(&mut cursors, &mut reading, &mut context, engine, sink)
            })?
        } else {
            let mut reading = Reading::Here(Vec::new());
            merge(&mut cursors, &mut reading, &mut context, engine, sink)?
        };
        if rules_on {
            self.engine.finish(plan, sink);
        }
        for finding in self.seen.undocumented_findings() {
            sink.push(finding);
        }
        let summaries = cursors
            .into_iter()
            .map(|cursor| cursor.finish(plan, sink))
            .collect();
        Ok((summaries, alignment))
    }
}

/// Reads every input to its end and hands each record to the rules: by
/// timestamp when the inputs' first records have comparable ones, else one
/// input after another.
fn merge<R: BufRead>(
    cursors: &mut [Cursor<R>],
    reading: &mut Reading<'_>,
    context: &mut Context<'_, '_>,
    engine: &mut Engine,
    sink: &mut dyn FindingSink,
) -> std::io::Result<Alignment> {
    let plan = context.plan;
    let mut heads = Vec::with_capacity(cursors.len());
    for (index, cursor) in cursors.iter_mut().enumerate() {
        heads.push(reading.next(index, cursor, context, sink)?);
    }
    let alignment = alignment(&heads);
    let mut observe = |record: Option<StreamRecord>, sink: &mut dyn FindingSink| {
        if let Some(record) = record {
            engine.observe(plan, &record, sink);
        }
    };
    if alignment == Alignment::MergedByTimestamp {
        // A heap of the inputs' next records: thousands of inputs (one
        // file per run) cost a logarithm per record, not a scan.
        let mut queue = BinaryHeap::new();
        for (index, head) in heads.iter().enumerate() {
            if let Some(head) = head {
                queue.push(Reverse(Due::of(head, &cursors[index], index)));
            }
        }
        while let Some(Reverse(due)) = queue.pop() {
            let Some(head) = heads[due.input].take() else {
                continue;
            };
            observe(head.record, sink);
            let cursor = &mut cursors[due.input];
            heads[due.input] = reading.next(due.input, cursor, context, sink)?;
            if let Some(head) = &heads[due.input] {
                queue.push(Reverse(Due::of(head, cursor, due.input)));
            }
        }
    } else {
        for (index, cursor) in cursors.iter_mut().enumerate() {
            let mut head = heads[index].take();
            while let Some(current) = head {
                observe(current.record, sink);
                head = reading.next(index, cursor, context, sink)?;
            }
        }
    }
    Ok(alignment)
}

/// A record read from a cursor: when it happened, and what the rules need.
struct Head {
    instant: Option<Instant>,
    record: Option<StreamRecord>,
}

fn alignment(heads: &[Option<Head>]) -> Alignment {
    let started: Vec<&Head> = heads.iter().flatten().collect();
    if heads.len() <= 1 {
        return Alignment::Single;
    }
    let Some(first) = started.first().and_then(|head| head.instant) else {
        return Alignment::Sequential("the first input's records carry no timestamp".to_owned());
    };
    let comparable = started.iter().all(|head| {
        head.instant
            .is_some_and(|instant| instant.compare(first).is_some())
    });
    if comparable {
        Alignment::MergedByTimestamp
    } else {
        Alignment::Sequential(
            "the inputs' timestamps cannot be compared (missing, with and without a year, or with and without a zone)"
                .to_owned(),
        )
    }
}

/// When an input's next record is due in the merge: its timestamp (one
/// without a timestamp counts as its input's last time), ties going to the
/// earlier input. Timestamps of different kinds cannot be compared; they
/// are ordered by kind so the order stays total.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Due {
    at: Option<(u8, i64)>,
    input: usize,
}

impl Due {
    fn of<R>(head: &Head, cursor: &Cursor<R>, input: usize) -> Due {
        let at = head
            .instant
            .or(cursor.state.timeline.last.map(|(instant, _)| instant))
            .map(|instant| match instant {
                Instant::Absolute(micros) => (0, micros),
                Instant::Yearless(micros) => (1, micros),
                Instant::Local(micros) => (2, micros),
            });
        Due { at, input }
    }
}
