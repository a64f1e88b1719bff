//! Checking records on several threads, with findings and records handed
//! on in input order.
//!
//! Reading a line (decoding, detection, assembling multi-line records) is
//! a few percent of the work per line and depends on the lines before it;
//! checking a complete record (parsing its fields, choosing its variant,
//! checking every value) is the rest and depends on nothing before it but
//! through the [`Ledger`]. So the reading thread frames lines into chunks
//! of [`Unit`]s and sends each chunk to a pool of checking threads; a
//! worker checks the chunk's records against a [`Deferred`] ledger, which
//! keeps every entry (findings, counts, timestamps, the rules' records) in
//! order; the reading thread waits for its oldest chunk and applies its
//! entries through the same [`Live`] ledger the one-thread path uses, so
//! the findings, their order and what the rules see are the same.
//!
//! Memory stays bounded: each input has at most [`CHUNKS_AHEAD`] chunks in
//! flight (its share of them, when several are merged), a chunk holds at most [`DEFAULT_CHUNK_RECORDS`] records or about
//! [`CHUNK_BYTES`] of text (less when many inputs are merged), and a chunk
//! keeps at most [`CHUNK_FINDING_BYTES`] of findings: a record that would
//! go over it (a hostile line of 100,000 bad fields) is checked again on
//! the reading thread, its findings going straight to the sink as on one
//! thread.
//!
//! Why no crate: the pool is a job queue shared by the workers (a mutex
//! around a standard `mpsc` receiver, taken once per chunk of a thousand
//! records, so never contended) and a one-slot reply channel per chunk,
//! which keeps the order without a reordering buffer; `std::thread::scope`
//! lets the workers borrow the plan. A work-stealing pool (rayon) or an
//! MPMC channel crate would add a dependency for the same thirty lines.

use super::cursor::{Cursor, CursorState, Framed, Source, Unit};
use super::dispatch::{Buffers, Examiner};
use super::ledger::{Ledger, Live, Unchecked};
use super::{CheckOptions, Context, Head};
use crate::finding::{Finding, FindingSink};
use crate::plan::Plan;
use crate::record::{Classification, UnknownEvent};
use logspec_reader::Instant;
use std::collections::VecDeque;
use std::io::BufRead;
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::Scope;

/// Chunks of one input checked or being checked ahead of the one whose
/// entries are being applied; shared out among inputs when there are
/// several (each keeps at least one).
pub(super) const CHUNKS_AHEAD: usize = 4;
/// Records (and findings about lines) in a chunk at most, unless
/// `CheckOptions::chunk_records` says otherwise: enough that handing a
/// chunk over costs nothing next to checking it.
pub const DEFAULT_CHUNK_RECORDS: usize = 1024;
/// Text in a chunk at most, in bytes (a chunk holds at least one record).
pub(super) const CHUNK_BYTES: usize = 128 * 1024;
/// Text of all inputs' chunks together when many inputs are merged: each
/// input's chunks get their share, down to [`MIN_CHUNK_BYTES`].
const ALL_CHUNKS_BYTES: usize = 8 * 1024 * 1024;
const MIN_CHUNK_BYTES: usize = 4 * 1024;
/// Findings a chunk keeps at most, in bytes (their messages and excerpts);
/// a record that would go over is checked again on the reading thread.
pub(super) const CHUNK_FINDING_BYTES: usize = 4 * 1024 * 1024;

/// A chunk of one input for a worker, and where to send its entries.
struct Job {
    source: Arc<Source>,
    units: Vec<Unit>,
    /// How many units each line gave, in order (lines that gave none left
    /// out): the rules see a record only once the rest of its line is
    /// checked, as on one thread.
    lines: Vec<usize>,
    /// Emptied buffers of an earlier chunk, for the entries: a chunk's
    /// buffers are allocated once per input, not once per chunk.
    kept: Kept,
    reply: SyncSender<Done>,
}

/// A worker's answer: the chunk's entries, and its buffers to reuse.
struct Done {
    kept: Kept,
    units: Vec<Unit>,
    lines: Vec<usize>,
}

/// The ledger entries of a chunk, in order.
#[derive(Default)]
struct Kept {
    entries: VecDeque<Entry>,
    /// The records of [`Entry::Checked`], in order: kept apart so that an
    /// entry stays a few words (every record has several).
    checked: VecDeque<Checked>,
}

/// One ledger entry kept by a worker, applied later in input order.
enum Entry {
    /// The end of a line's entries.
    LineEnd,
    Push(Box<Finding>),
    Read,
    Console(usize),
    Foreign {
        number: u64,
        tag: Option<String>,
    },
    Place {
        at: Instant,
        number: u64,
        ordered: bool,
    },
    Unknown(Box<UnknownEvent>),
    /// The next of [`Kept::checked`].
    Checked,
    /// A record whose findings went over the chunk's budget: checked
    /// again by the reading thread.
    Again(Box<Framed>),
}

/// A record of a documented event, for [`Ledger::checked`].
struct Checked {
    classification: Classification,
    /// The record's fields, kept only for a sink that looks at them.
    fields: Vec<(String, String)>,
    unchecked: Unchecked,
    head: Head,
}

/// The checking threads.
pub(super) struct Pool {
    jobs: Sender<Job>,
    /// Chunks in flight per input.
    ahead: usize,
    /// Bytes of text per chunk, shared out among the inputs.
    chunk_bytes: usize,
}

impl Pool {
    /// Starts `threads` workers in `scope`, checking records of `plan`.
    pub(super) fn start<'scope, 'env: 'scope>(
        scope: &'scope Scope<'scope, 'env>,
        threads: usize,
        plan: &'env Plan,
        options: &'env CheckOptions,
        rules_on: bool,
        keep_fields: bool,
        inputs: usize,
    ) -> Pool {
        let (jobs, queue) = channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for _ in 0..threads {
            let queue = Arc::clone(&queue);
            scope.spawn(move || work(&queue, plan, options, rules_on, keep_fields));
        }
        let inputs = inputs.max(1);
        let ahead = (CHUNKS_AHEAD / inputs).max(1);
        let chunk_bytes = (ALL_CHUNKS_BYTES / inputs / ahead).clamp(MIN_CHUNK_BYTES, CHUNK_BYTES);
        Pool {
            jobs,
            ahead,
            chunk_bytes,
        }
    }
}

/// A worker: checks chunks until the reading thread drops the queue.
fn work(
    queue: &Mutex<Receiver<Job>>,
    plan: &Plan,
    options: &CheckOptions,
    rules_on: bool,
    keep_fields: bool,
) {
    let mut buffers = Buffers::default();
    loop {
        // The lock is held only while waiting for the next job.
        let job = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        let Ok(mut job) = job else {
            return;
        };
        let mut ledger = Deferred {
            kept: job.kept,
            finding_bytes: 0,
            over_budget: false,
            keep_fields,
        };
        let mut units = job.units.drain(..);
        for &count in &job.lines {
            for unit in units.by_ref().take(count) {
                let framed = match unit {
                    Unit::Finding(finding) => {
                        ledger.kept.entries.push_back(Entry::Push(finding));
                        continue;
                    }
                    Unit::Record(framed) => framed,
                };
                let mark = ledger.mark();
                let mut examiner = Examiner {
                    plan,
                    options,
                    rules_on,
                    source: &job.source,
                    buffers: &mut buffers,
                };
                examiner.framed(&framed, &mut ledger);
                if ledger.over_budget {
                    ledger.undo(mark);
                    ledger
                        .kept
                        .entries
                        .push_back(Entry::Again(Box::new(framed)));
                }
            }
            ledger.kept.entries.push_back(Entry::LineEnd);
        }
        drop(units);
        let done = Done {
            kept: ledger.kept,
            units: job.units,
            lines: job.lines,
        };
        // A reader that stopped waiting (an input error) needs no answer.
        let _ = job.reply.send(done);
    }
}

/// A worker's ledger: keeps every entry for the reading thread.
struct Deferred {
    kept: Kept,
    finding_bytes: usize,
    /// The current record's findings went over [`CHUNK_FINDING_BYTES`];
    /// further ones are dropped and the record is checked again.
    over_budget: bool,
    keep_fields: bool,
}

/// How much a [`Deferred`] ledger held before a record.
struct Mark {
    entries: usize,
    checked: usize,
    finding_bytes: usize,
}

impl Deferred {
    fn mark(&self) -> Mark {
        Mark {
            entries: self.kept.entries.len(),
            checked: self.kept.checked.len(),
            finding_bytes: self.finding_bytes,
        }
    }

    /// Drops the entries made since `mark`.
    fn undo(&mut self, mark: Mark) {
        self.kept.entries.truncate(mark.entries);
        self.kept.checked.truncate(mark.checked);
        self.finding_bytes = mark.finding_bytes;
        self.over_budget = false;
    }
}

impl FindingSink for Deferred {
    fn push(&mut self, finding: Finding) {
        if self.over_budget {
            return;
        }
        self.finding_bytes += finding_bytes(&finding);
        if self.finding_bytes > CHUNK_FINDING_BYTES {
            self.over_budget = true;
            return;
        }
        self.kept.entries.push_back(Entry::Push(Box::new(finding)));
    }
}

/// About what a finding holds, in bytes.
fn finding_bytes(finding: &Finding) -> usize {
    std::mem::size_of::<Finding>()
        + finding.message.len()
        + finding
            .excerpt
            .as_ref()
            .map_or(0, |excerpt| excerpt.text.len())
}

impl Ledger for Deferred {
    fn read(&mut self) {
        self.kept.entries.push_back(Entry::Read);
    }

    fn console(&mut self, index: usize) {
        self.kept.entries.push_back(Entry::Console(index));
    }

    fn foreign(&mut self, number: u64, tag: Option<&str>) {
        self.kept.entries.push_back(Entry::Foreign {
            number,
            tag: tag.map(str::to_owned),
        });
    }

    /// The timestamp as read: where the timeline puts it is known only
    /// when the entry is applied (see [`Ahead::apply`]).
    fn place(&mut self, at: Instant, number: u64, ordered: bool) -> Instant {
        self.kept.entries.push_back(Entry::Place {
            at,
            number,
            ordered,
        });
        at
    }

    fn unknown_event(&mut self, unknown: UnknownEvent) {
        self.finding_bytes += finding_bytes(unknown.finding());
        self.over_budget |= self.finding_bytes > CHUNK_FINDING_BYTES;
        self.kept
            .entries
            .push_back(Entry::Unknown(Box::new(unknown)));
    }

    fn checked<'a>(
        &mut self,
        classification: Classification,
        fields: &mut dyn Iterator<Item = (&'a str, &'a str)>,
        unchecked: Unchecked,
        head: Head,
    ) {
        let fields = if self.keep_fields {
            fields
                .map(|(key, value)| (key.to_owned(), value.to_owned()))
                .collect()
        } else {
            Vec::new()
        };
        self.kept.checked.push_back(Checked {
            classification,
            fields,
            unchecked,
            head,
        });
        self.kept.entries.push_back(Entry::Checked);
    }
}

/// One input's chunks in flight, and the entries of the one being applied.
#[derive(Default)]
pub(super) struct Ahead {
    in_flight: VecDeque<Receiver<Done>>,
    /// The entries of the oldest chunk, being applied.
    current: Kept,
    /// Emptied buffers of chunks already applied, for the next ones.
    spare: Vec<(Kept, Vec<Unit>, Vec<usize>)>,
    /// The entries applied so far end a line.
    between_lines: bool,
    /// Where the timeline put the last record's timestamp.
    placed: Option<Instant>,
}

impl Ahead {
    /// The input's next record for the rules, after applying everything
    /// before it; `None` at the end of the input.
    pub(super) fn next<R: BufRead>(
        &mut self,
        cursor: &mut Cursor<R>,
        pool: &Pool,
        context: &mut Context<'_, '_>,
        sink: &mut dyn FindingSink,
    ) -> std::io::Result<Option<Head>> {
        loop {
            if self.between_lines {
                if let Some(head) = cursor.state.pending.pop_front() {
                    return Ok(Some(head));
                }
            }
            if let Some(entry) = self.current.entries.pop_front() {
                self.between_lines = matches!(entry, Entry::LineEnd);
                self.apply(entry, &mut cursor.state, context, sink);
                continue;
            }
            self.fill(cursor, pool, context)?;
            let Some(reply) = self.in_flight.pop_front() else {
                return Ok(None);
            };
            let done = reply
                .recv()
                .map_err(|_| std::io::Error::other("a checking thread stopped"))?;
            let applied = std::mem::replace(&mut self.current, done.kept);
            self.spare.push((applied, done.units, done.lines));
        }
    }

    /// Reads chunks of the input and sends them to the pool until its
    /// share of [`CHUNKS_AHEAD`] are in flight or the input ends.
    fn fill<R: BufRead>(
        &mut self,
        cursor: &mut Cursor<R>,
        pool: &Pool,
        context: &Context<'_, '_>,
    ) -> std::io::Result<()> {
        while !cursor.ended && self.in_flight.len() < pool.ahead {
            let (kept, mut units, mut lines) = self.spare.pop().unwrap_or_default();
            // A worker drains the units but hands back the line counts: left
            // in, every chunk would go over all earlier lines again (an entry
            // per stale count, kept and applied), growing with the input.
            lines.clear();
            let mut bytes = 0;
            let most = context.options.chunk_records.max(1);
            while !cursor.ended && units.len() < most && bytes < pool.chunk_bytes {
                let before = units.len();
                cursor.ended = !cursor.step(context.plan, context.options, &mut units)?;
                if units.len() > before {
                    lines.push(units.len() - before);
                    bytes += units[before..].iter().map(Unit::text_bytes).sum::<usize>();
                }
            }
            if units.is_empty() {
                self.spare.push((kept, units, lines));
                break;
            }
            let (reply, answer) = sync_channel(1);
            let job = Job {
                source: Arc::clone(&cursor.state.source),
                units,
                lines,
                kept,
                reply,
            };
            pool.jobs
                .send(job)
                .map_err(|_| std::io::Error::other("the checking threads stopped"))?;
            self.in_flight.push_back(answer);
        }
        Ok(())
    }

    /// Applies one entry a worker kept, as the one-thread path would have.
    fn apply(
        &mut self,
        entry: Entry,
        state: &mut CursorState,
        context: &mut Context<'_, '_>,
        sink: &mut dyn FindingSink,
    ) {
        let entry = match entry {
            Entry::Again(framed) => return context.check_here(state, &framed, sink),
            entry => entry,
        };
        let mut live = Live {
            state,
            coverage: &mut *context.coverage,
            seen: &mut *context.seen,
            sink,
        };
        match entry {
            Entry::LineEnd => {}
            Entry::Push(finding) => live.push(*finding),
            Entry::Read => live.read(),
            Entry::Console(index) => live.console(index),
            Entry::Foreign { number, tag } => live.foreign(number, tag.as_deref()),
            Entry::Place {
                at,
                number,
                ordered,
            } => self.placed = Some(live.place(at, number, ordered)),
            Entry::Unknown(unknown) => live.unknown_event(*unknown),
            Entry::Checked => {
                let Some(Checked {
                    classification,
                    fields,
                    unchecked,
                    mut head,
                }) = self.current.checked.pop_front()
                else {
                    // Never: a worker keeps one record per entry.
                    return;
                };
                // The worker gave the timestamp as read; the rules see it
                // where the timeline put it.
                if head.instant.is_some() {
                    head.instant = self.placed;
                    if let Some(record) = &mut head.record {
                        record.at = self.placed;
                    }
                }
                let mut fields = fields
                    .iter()
                    .map(|(key, value)| (key.as_str(), value.as_str()));
                live.checked(classification, &mut fields, unchecked, head);
            }
            // Checked again above, with the ledger's own borrows.
            Entry::Again(_) => {}
        }
    }
}
