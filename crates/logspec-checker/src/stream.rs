//! Checks inputs in one pass: lines → envelope → key=value pairs →
//! per-record checks, then stream rules over the records of all inputs,
//! merged by timestamp when every input carries comparable ones.
//!
//! Each input is read through a [`Cursor`] that yields one classified
//! record at a time, so several inputs can be interleaved while each keeps
//! constant memory per line; only the small [`StreamRecord`] the rules need
//! outlives its line.

use crate::coverage::Coverage;
use crate::finding::{Code, Finding, FindingSink};
use crate::plan::Plan;
use crate::record::{check_record, excerpt, RecordInput, Scratch};
use crate::rules::{Engine, EngineOptions, StreamRecord};
use logspec_reader::{
    decode, detect, instant, parse_pairs_into, read_envelope, Format, Instant, LineReader, Pair,
};
use serde::Serialize;
use std::io::BufRead;
use std::sync::Arc;

pub use logspec_reader::DEFAULT_MAX_LINE_BYTES;

#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The input format; `None` detects it per input from its first record.
    pub format: Option<Format>,
    pub max_line_bytes: usize,
    /// Whether to run the spec's stream rules (off for single example lines).
    pub stream_rules: bool,
    pub rules: EngineOptions,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            format: None,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
            stream_rules: true,
            rules: EngineOptions::default(),
        }
    }
}

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
    /// Whether the format was detected rather than given.
    pub detected: bool,
    pub lines: u64,
    pub records: u64,
    /// Records whose priority could not be checked: the format carries none.
    pub severity_unchecked: u64,
    /// Records whose emitter could not be checked: the format carries no tag.
    pub emitter_unchecked: u64,
}

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
    scratch: Scratch,
    engine: Engine,
}

/// The parts of a checker a cursor borrows while reading.
struct Context<'c, 'p> {
    plan: &'p Plan,
    options: &'c CheckOptions,
    coverage: &'c mut Coverage,
    scratch: &'c mut Scratch,
}

impl<'p> Checker<'p> {
    pub fn new(plan: &'p Plan, options: CheckOptions) -> Checker<'p> {
        Checker {
            plan,
            engine: Engine::new(plan, options.rules),
            options,
            coverage: Coverage::new(plan),
            scratch: Scratch::default(),
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
        let rules_on = self.options.stream_rules && !self.plan.rules.is_empty();
        let mut context = Context {
            plan: self.plan,
            options: &self.options,
            coverage: &mut self.coverage,
            scratch: &mut self.scratch,
        };
        let mut cursors: Vec<Cursor<R>> = inputs
            .into_iter()
            .map(|input| Cursor::new(input, &context))
            .collect();
        let mut heads = Vec::with_capacity(cursors.len());
        for cursor in &mut cursors {
            heads.push(cursor.next(&mut context, rules_on, sink)?);
        }
        let alignment = alignment(&heads);
        let mut observe = |record: Option<StreamRecord>, sink: &mut dyn FindingSink| {
            if let Some(record) = record {
                self.engine.observe(self.plan, &record, sink);
            }
        };
        if alignment == Alignment::MergedByTimestamp {
            while let Some(index) = earliest(&heads, &cursors) {
                let Some(head) = heads[index].take() else {
                    break;
                };
                observe(head.record, sink);
                heads[index] = cursors[index].next(&mut context, rules_on, sink)?;
            }
        } else {
            for (index, cursor) in cursors.iter_mut().enumerate() {
                let mut head = heads[index].take();
                while let Some(current) = head {
                    observe(current.record, sink);
                    head = cursor.next(&mut context, rules_on, sink)?;
                }
            }
        }
        if rules_on {
            self.engine.finish(self.plan, sink);
        }
        let summaries = cursors
            .into_iter()
            .map(|cursor| cursor.finish(sink))
            .collect();
        Ok((summaries, alignment))
    }
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
            "the inputs' timestamps cannot be compared (missing, or with and without a year)"
                .to_owned(),
        )
    }
}

/// The input whose next record is earliest; ties go to the earlier input.
/// A record without a comparable timestamp counts as its input's last time.
fn earliest<R>(heads: &[Option<Head>], cursors: &[Cursor<R>]) -> Option<usize> {
    let mut best: Option<(usize, Option<Instant>)> = None;
    for (index, head) in heads.iter().enumerate() {
        let Some(head) = head else { continue };
        let at = head
            .instant
            .or(cursors[index].timeline.last.map(|(instant, _)| instant));
        let earlier = match (&best, at) {
            (None, _) => true,
            (Some((_, Some(best_at))), Some(at)) => {
                at.compare(*best_at) == Some(std::cmp::Ordering::Less)
            }
            _ => false,
        };
        if earlier {
            best = Some((index, at));
        }
    }
    best.map(|(index, _)| index)
}

/// Reads one input record by record.
struct Cursor<R> {
    file: Arc<str>,
    host: Option<String>,
    lines: LineReader<R>,
    summary: InputSummary,
    timeline: Timeline,
    spare_pairs: Vec<Pair<'static>>,
}

impl<R: BufRead> Cursor<R> {
    fn new(input: Input<R>, context: &Context<'_, '_>) -> Cursor<R> {
        let file: Arc<str> = Arc::from(input.name.as_str());
        Cursor {
            summary: InputSummary {
                file: Arc::clone(&file),
                format: context.options.format,
                detected: context.options.format.is_none(),
                lines: 0,
                records: 0,
                severity_unchecked: 0,
                emitter_unchecked: 0,
            },
            file,
            host: input.host,
            lines: LineReader::new(input.reader, context.options.max_line_bytes),
            timeline: Timeline::default(),
            spare_pairs: Vec::new(),
        }
    }

    /// Reads lines until one is a record of a known event (checking every
    /// line on the way), or the input ends.
    fn next(
        &mut self,
        context: &mut Context<'_, '_>,
        rules_on: bool,
        sink: &mut dyn FindingSink,
    ) -> std::io::Result<Option<Head>> {
        let plan = context.plan;
        while let Some(raw) = self.lines.next_line()? {
            self.summary.lines += 1;
            let number = raw.number;
            let file = &self.file;
            let problem = |code: Code, message: String, column: Option<usize>, text: &str| {
                let mut finding = Finding::new(code, file, number, message);
                finding.column = column;
                finding.excerpt = Some(excerpt(
                    text,
                    column.map(|column| column - 1..column.min(text.len())),
                ));
                finding
            };
            if raw.skipped_bytes > 0 {
                sink.push(problem(
                    Code::ParseError,
                    format!(
                        "line is {} bytes, over the limit of {}; not checked",
                        raw.bytes.len() as u64 + raw.skipped_bytes,
                        context.options.max_line_bytes
                    ),
                    None,
                    &String::from_utf8_lossy(&raw.bytes[..raw.bytes.len().min(200)]),
                ));
                continue;
            }
            let line = match decode(raw.bytes) {
                Ok(line) => line,
                Err(error) => {
                    sink.push(problem(
                        Code::ParseError,
                        error.kind.to_string(),
                        Some(error.column),
                        &String::from_utf8_lossy(raw.bytes),
                    ));
                    continue;
                }
            };
            if line.trim().is_empty() {
                sink.push(problem(
                    Code::EmptyLine,
                    "empty line where a record was expected".to_owned(),
                    None,
                    line,
                ));
                continue;
            }
            let format = match self.summary.format {
                Some(format) => format,
                None => match detect(line, &plan.formats) {
                    Some(format) => {
                        self.summary.format = Some(format);
                        format
                    }
                    None => {
                        sink.push(problem(
                            Code::ParseError,
                            format!(
                                "the line matches none of the formats {} declares ({})",
                                plan.producer,
                                format_names(&plan.formats)
                            ),
                            None,
                            line,
                        ));
                        continue;
                    }
                },
            };
            let framed = match read_envelope(format, line) {
                Ok(framed) => framed,
                Err(error) => {
                    sink.push(problem(
                        Code::ParseError,
                        format!("not a valid {} line: {}", format.name(), error.kind),
                        Some(error.column),
                        line,
                    ));
                    continue;
                }
            };
            let payload_offset = framed.payload_offset;
            let mut pairs = recycle(std::mem::take(&mut self.spare_pairs));
            if let Err(error) = parse_pairs_into(&framed.payload, &mut pairs) {
                let column = payload_offset.map(|offset| offset + error.column);
                sink.push(problem(
                    Code::ParseError,
                    format!("cannot read the key=value payload: {}", error.kind),
                    column,
                    line,
                ));
                self.spare_pairs = recycle(pairs);
                continue;
            }
            self.summary.records += 1;
            let at = instant(format, &framed.envelope)
                .map(|at| self.timeline.place(at, &self.file, number, sink));
            let outcome = check_record(
                plan,
                &RecordInput {
                    file: &self.file,
                    line_number: number,
                    line,
                    envelope: &framed.envelope,
                    pairs: &pairs,
                    payload_offset,
                },
                context.scratch,
                sink,
            );
            let head = outcome.classification.map(|classification| {
                context.coverage.count(classification);
                self.summary.severity_unchecked += u64::from(!outcome.severity_checked);
                self.summary.emitter_unchecked += u64::from(!outcome.emitter_checked);
                Head {
                    instant: at,
                    record: rules_on.then(|| StreamRecord {
                        file: Arc::clone(&self.file),
                        line: number,
                        event: classification.event,
                        variant: classification.variant,
                        host: framed
                            .envelope
                            .hostname
                            .clone()
                            .or_else(|| self.host.clone()),
                        tag: framed.envelope.tag.clone(),
                        values: plan
                            .rule_fields
                            .iter()
                            .filter_map(|field| {
                                pairs
                                    .iter()
                                    .find(|pair| pair.key == &**field)
                                    .map(|pair| (Arc::clone(field), pair.value.to_string()))
                            })
                            .collect(),
                    }),
                }
            });
            self.spare_pairs = recycle(pairs);
            if head.is_some() {
                return Ok(head);
            }
        }
        Ok(None)
    }

    fn finish(self, sink: &mut dyn FindingSink) -> InputSummary {
        if self.summary.records == 0 {
            sink.push(Finding::new(
                Code::EmptyInput,
                &self.file,
                self.summary.lines,
                if self.summary.lines == 0 {
                    "the input is empty: nothing was checked".to_owned()
                } else {
                    format!(
                        "none of the {} lines is a record: nothing was checked",
                        self.summary.lines
                    )
                },
            ));
        }
        self.summary
    }
}

/// One input's timestamps so far.
#[derive(Default)]
struct Timeline {
    /// Last timestamp seen and its line, for regressions and merging.
    last: Option<(Instant, u64)>,
    /// Added to yearless timestamps after a December → January rollover.
    year_offset: i64,
}

impl Timeline {
    /// Places a record's timestamp on this input's timeline: reports a jump
    /// backwards, and carries yearless times over a year boundary.
    fn place(
        &mut self,
        at: Instant,
        file: &Arc<str>,
        line: u64,
        sink: &mut dyn FindingSink,
    ) -> Instant {
        const DAY: i64 = 86_400 * 1_000_000;
        let mut at = match at {
            Instant::Yearless(micros) => Instant::Yearless(micros + self.year_offset),
            absolute => absolute,
        };
        if let Some((last, last_line)) = self.last {
            if let Some(back) = last.since(at).filter(|back| *back > 0) {
                if matches!(at, Instant::Yearless(_)) && back > 300 * DAY {
                    // December to January: a new year, not a regression.
                    self.year_offset += 366 * DAY;
                    if let Instant::Yearless(micros) = at {
                        at = Instant::Yearless(micros + 366 * DAY);
                    }
                } else {
                    // The timeline continues from here, so one step back is
                    // one finding, not one per line until time catches up.
                    sink.push(Finding::new(
                        Code::TimestampRegression,
                        file,
                        line,
                        format!(
                            "timestamp goes back {} from line {last_line}",
                            human_duration(back)
                        ),
                    ));
                }
            }
        }
        self.last = Some((at, line));
        at
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

/// Empties `pairs` and hands its allocation to a new lifetime, so the pair
/// buffer is allocated once per input, not once per line.
fn recycle<'a>(mut pairs: Vec<Pair<'_>>) -> Vec<Pair<'a>> {
    pairs.clear();
    // In-place collect of an empty vector keeps the allocation.
    pairs.into_iter().map(|_| unreachable!()).collect()
}

fn format_names(formats: &[Format]) -> String {
    formats
        .iter()
        .map(|format| format.name())
        .collect::<Vec<_>>()
        .join(", ")
}
