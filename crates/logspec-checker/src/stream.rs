//! Checks inputs in one pass: lines → records (one line, or several for
//! formats whose records span lines) → fields → per-record checks, then
//! stream rules over the records of all inputs, merged by timestamp when
//! every input carries comparable ones.
//!
//! Each input is read through a [`Cursor`] that yields one classified
//! record at a time, so several inputs can be interleaved while each keeps
//! bounded memory (a line, or a capped multi-line record); only the small
//! [`StreamRecord`] the rules need outlives its record.

use crate::coverage::Coverage;
use crate::finding::{Code, Finding, FindingSink};
use crate::plan::Plan;
use crate::record::{check_record, excerpt, identify, RecordInput, Scratch};
use crate::rules::{Engine, EngineOptions, StreamRecord};
use logspec_reader::{
    decode, field_instant, instant, parse_pairs_into, read_envelope, read_record, Assembled,
    Assembler, Fed, Field, Format, Framing, Instant, LineReader, Pair, RecordLines,
};
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, VecDeque};
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
    /// The record kind every input holds; `None` finds each input's from
    /// its path, then its content.
    pub kind: Option<String>,
    /// Lines of programs that are none of the spec's emitters are errors
    /// (`foreign-line`), not skipped and counted (`foreign-program`).
    pub strict_foreign: bool,
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
            engine: Engine::new(plan, options.rules.clone()),
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
                heads[due.input] = cursors[due.input].next(&mut context, rules_on, sink)?;
                if let Some(head) = &heads[due.input] {
                    queue.push(Reverse(Due::of(head, &cursors[due.input], due.input)));
                }
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
        for finding in self.scratch.undocumented_findings() {
            sink.push(finding);
        }
        let summaries = cursors
            .into_iter()
            .map(|cursor| cursor.finish(self.plan, sink))
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

/// Reads one input record by record.
struct Cursor<R> {
    lines: LineReader<R>,
    state: CursorState,
}

/// Everything a cursor keeps besides its line reader, which lends out the
/// line being read.
struct CursorState {
    file: Arc<str>,
    host: Option<String>,
    summary: InputSummary,
    timeline: Timeline,
    /// The record kind the input was named or matched by path as, before
    /// detection settles it.
    kind_hint: Option<usize>,
    /// The kind and format, once settled.
    settled: Option<Settled>,
    spare_fields: Vec<Field<'static>>,
    spare_pairs: Vec<Pair<'static>>,
    /// Records read but not yet handed out: a line of an OTLP export
    /// holds many.
    pending: VecDeque<Head>,
    /// Lines read before the format was known (see [`CursorState::hold`]).
    held: VecDeque<(u64, String)>,
    held_bytes: usize,
    /// Other programs' lines skipped, by tag: first line and count.
    foreign: BTreeMap<String, (u64, u64)>,
    /// The same for programs past [`MAX_FOREIGN_PROGRAMS`], counted together.
    foreign_others: Option<(u64, u64)>,
}

/// An input's record kind and format, once fixed. Records are read only
/// under a settled input, so every record is checked as the kind detection
/// chose, never as a default one.
struct Settled {
    kind: usize,
    format: Format,
    /// Builds records of formats whose records span lines.
    assembler: Option<Assembler>,
}

/// The byte order mark a UTF-8 input may start with.
const BYTE_ORDER_MARK: char = '\u{FEFF}';
/// Lines held at most while detection looks for a declared format.
const HELD_LINES: usize = 64;

/// A located problem with an input, as a finding quoting its line.
fn problem(
    file: &Arc<str>,
    number: u64,
    code: Code,
    message: String,
    column: Option<usize>,
    text: &str,
) -> Finding {
    let mut finding = Finding::new(code, file, number, message);
    finding.column = column;
    finding.excerpt = Some(excerpt(
        text,
        column.map(|column| column - 1..column.min(text.len())),
    ));
    finding
}

impl<R: BufRead> Cursor<R> {
    fn new(input: Input<R>, context: &Context<'_, '_>) -> Cursor<R> {
        let plan = context.plan;
        let file: Arc<str> = Arc::from(input.name.as_str());
        let named = context
            .options
            .kind
            .as_deref()
            .and_then(|name| plan.kinds.iter().position(|kind| kind.name == name));
        let mut kind = named.or_else(|| plan.kind_for_path(&input.name));
        if let Some(format) = context.options.format {
            kind = plan.kind_with_format(kind, format);
        }
        let mut state = CursorState {
            summary: InputSummary {
                file: Arc::clone(&file),
                format: context.options.format,
                kind: None,
                detected: context.options.format.is_none(),
                lines: 0,
                records: 0,
                severity_unchecked: 0,
                emitter_unchecked: 0,
                foreign: 0,
            },
            file,
            host: input.host,
            timeline: Timeline::default(),
            kind_hint: None,
            settled: None,
            spare_fields: Vec::new(),
            spare_pairs: Vec::new(),
            pending: VecDeque::new(),
            held: VecDeque::new(),
            held_bytes: 0,
            foreign: BTreeMap::new(),
            foreign_others: None,
        };
        if let (Some(kind), Some(format)) = (kind, context.options.format) {
            state.settle(plan, context.options, kind, format);
        } else {
            state.kind_hint = kind;
        }
        Cursor {
            lines: LineReader::new(input.reader, context.options.max_line_bytes),
            state,
        }
    }

    /// Reads lines until one completes a record of a known event (checking
    /// every record on the way), or the input ends.
    fn next(
        &mut self,
        context: &mut Context<'_, '_>,
        rules_on: bool,
        sink: &mut dyn FindingSink,
    ) -> std::io::Result<Option<Head>> {
        let plan = context.plan;
        loop {
            if let Some(head) = self.state.pending.pop_front() {
                return Ok(Some(head));
            }
            // Lines held while the format was unknown are read once it is.
            let replay = if self.state.settled.is_some() {
                self.state.held.pop_front()
            } else {
                None
            };
            let raw;
            let held_text;
            let (number, line) = if let Some((number, text)) = replay {
                held_text = text;
                (number, held_text.as_str())
            } else {
                let Some(next) = self.lines.next_line()? else {
                    if self.state.settle_held(plan, context.options) {
                        continue;
                    }
                    let last = self.state.settled.as_mut().and_then(|settled| {
                        let record = settled.assembler.as_mut()?.finish()?;
                        Some((settled.kind, settled.format, record))
                    });
                    if let Some((kind, format, record)) = last {
                        let head = self
                            .state
                            .assembled(context, kind, format, record, rules_on, sink);
                        if head.is_some() {
                            return Ok(head);
                        }
                    }
                    return Ok(None);
                };
                raw = next;
                self.state.summary.lines += 1;
                let number = raw.number;
                // An unreadable line of a multi-line record spoils the record
                // it belongs to (or starts): it is reported here, naming it.
                let damaged = |state: &mut CursorState, what: String| match state
                    .settled
                    .as_mut()
                    .and_then(|settled| settled.assembler.as_mut())
                {
                    Some(assembler) => {
                        assembler.damage(number);
                        match assembler.open_since() {
                            Some(first) => {
                                format!("{what}; the record from line {first} is not checked")
                            }
                            None => what,
                        }
                    }
                    None => what,
                };
                if raw.skipped_bytes > 0 {
                    let message = damaged(
                        &mut self.state,
                        format!(
                            "line is {} bytes, over the limit of {}; not checked",
                            raw.bytes.len() as u64 + raw.skipped_bytes,
                            context.options.max_line_bytes
                        ),
                    );
                    sink.push(problem(
                        &self.state.file,
                        number,
                        Code::ParseError,
                        message,
                        None,
                        &String::from_utf8_lossy(&raw.bytes[..raw.bytes.len().min(200)]),
                    ));
                    continue;
                }
                let line = match decode(raw.bytes) {
                    Ok(line) => line,
                    Err(error) => {
                        let message = damaged(&mut self.state, error.kind.to_string());
                        sink.push(problem(
                            &self.state.file,
                            number,
                            Code::ParseError,
                            message,
                            Some(error.column),
                            &String::from_utf8_lossy(raw.bytes),
                        ));
                        continue;
                    }
                };
                let line = match line.strip_prefix(BYTE_ORDER_MARK).filter(|_| number == 1) {
                    Some(rest) => {
                        sink.push(problem(
                            &self.state.file,
                            number,
                            Code::ByteOrderMark,
                            "UTF-8 byte order mark at the start of the input, skipped".to_owned(),
                            None,
                            rest,
                        ));
                        rest
                    }
                    None => line,
                };
                (number, line)
            };
            let blank = line.trim().is_empty();
            let framing = self.state.summary.format.map(Format::framing);
            let lone_blank = blank
                && match framing {
                    None | Some(Framing::Line) => true,
                    Some(Framing::Continuation) => !self
                        .state
                        .settled
                        .as_ref()
                        .and_then(|settled| settled.assembler.as_ref())
                        .is_some_and(Assembler::is_open),
                    Some(Framing::Blocks | Framing::Document) => false,
                };
            if lone_blank {
                sink.push(problem(
                    &self.state.file,
                    number,
                    Code::EmptyLine,
                    "empty line where a record was expected".to_owned(),
                    None,
                    line,
                ));
                continue;
            }
            let kind = self.state.kind_hint;
            let (kind, format) = match &self.state.settled {
                Some(settled) => (settled.kind, settled.format),
                None => match plan.detect(kind, line) {
                    // A line only a catch-all format fits (bare, plain
                    // text) decides nothing while a declared format may
                    // yet fit the lines after it: it is held.
                    Some((_, format))
                        if format.takes_any_line()
                            && plan.specific_format(kind)
                            && self.state.hold(number, line, context.options) =>
                    {
                        continue;
                    }
                    Some((found, format)) => {
                        self.state.settle(plan, context.options, found, format);
                        if !self.state.held.is_empty() {
                            if !format.takes_any_line() {
                                sink.push(self.state.disagreement(plan, number, format));
                            }
                            // The held lines come first, this one after them.
                            self.state.held.push_back((number, line.to_owned()));
                            continue;
                        }
                        (found, format)
                    }
                    None => {
                        let (formats, of) = match kind {
                            Some(kind) if plan.kinds.len() > 1 => (
                                &plan.kinds[kind].formats,
                                format!(" for {} records", plan.kinds[kind].name),
                            ),
                            _ => (&plan.formats, String::new()),
                        };
                        sink.push(problem(
                            &self.state.file,
                            number,
                            Code::ParseError,
                            format!(
                                "the line matches none of the formats {} declares{of} ({})",
                                plan.producer,
                                format_names(formats)
                            ),
                            None,
                            line,
                        ));
                        continue;
                    }
                },
            };
            if format == Format::OtlpJson {
                self.state
                    .export(context, kind, number, line, rules_on, sink);
                continue;
            }
            let assembler =
                (self.state.settled.as_mut()).and_then(|settled| settled.assembler.as_mut());
            let Some(assembler) = assembler else {
                let lines = [(number, 0)];
                let text = RecordLines {
                    text: line,
                    lines: &lines,
                };
                if let Some(head) = self
                    .state
                    .record(context, kind, format, &text, rules_on, sink)
                {
                    return Ok(Some(head));
                }
                continue;
            };
            match assembler.feed(number, line) {
                Fed::Taken => {}
                Fed::Stray(done) => {
                    // The record before the line is complete: its findings
                    // come first, in line order.
                    let follows = done.is_some();
                    let head = done.and_then(|record| {
                        self.state
                            .assembled(context, kind, format, record, rules_on, sink)
                    });
                    sink.push(self.state.stray(plan, number, line, format, follows));
                    if let Some(head) = head {
                        return Ok(Some(head));
                    }
                }
                Fed::Complete(record) => {
                    let head = self
                        .state
                        .assembled(context, kind, format, record, rules_on, sink);
                    if let Some(head) = head {
                        return Ok(Some(head));
                    }
                }
            }
        }
    }
}

impl<R> Cursor<R> {
    fn finish(self, plan: &Plan, sink: &mut dyn FindingSink) -> InputSummary {
        let mut programs: Vec<_> = (self.state.foreign.iter())
            .map(|(tag, counts)| (Some(tag), counts))
            .chain(
                self.state
                    .foreign_others
                    .as_ref()
                    .map(|counts| (None, counts)),
            )
            .collect();
        programs.sort_by_key(|(_, (first, _))| *first);
        for (tag, (first, count)) in programs {
            let whose = match tag {
                Some(tag) => tag.clone(),
                None => format!("programs beyond the first {MAX_FOREIGN_PROGRAMS}"),
            };
            sink.push(Finding::new(
                Code::ForeignProgram,
                &self.state.file,
                *first,
                format!(
                    "{count} line{} of {whose}, none of {}'s emitters ({}): skipped, not \
                     checked (--strict-foreign makes them errors)",
                    if *count == 1 { "" } else { "s" },
                    plan.producer,
                    plan.emitter_tags
                        .iter()
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        if self.state.summary.records == 0 {
            sink.push(Finding::new(
                Code::EmptyInput,
                &self.state.file,
                self.state.summary.lines,
                if self.state.summary.lines == 0 {
                    "the input is empty: nothing was checked".to_owned()
                } else {
                    format!(
                        "none of the {} lines is a record: nothing was checked",
                        self.state.summary.lines
                    )
                },
            ));
        }
        self.state.summary
    }
}

impl CursorState {
    /// Holds a line that only a catch-all format fits, so that a stray
    /// first line does not make the whole input bare; `false` when the
    /// hold is full (64 lines, or one line's byte limit) and detection
    /// must settle now.
    fn hold(&mut self, number: u64, line: &str, options: &CheckOptions) -> bool {
        let bytes = self.held_bytes.saturating_add(line.len());
        if self.held.len() >= HELD_LINES || bytes > options.max_line_bytes {
            return false;
        }
        self.held_bytes = bytes;
        self.held.push_back((number, line.to_owned()));
        true
    }

    /// At the end of the input, settles on the format the first held line
    /// fits (a catch-all); `true` when there are held lines to read.
    fn settle_held(&mut self, plan: &Plan, options: &CheckOptions) -> bool {
        let Some((_, first)) = self.held.front() else {
            return false;
        };
        if self.settled.is_some() {
            return true;
        }
        match plan.detect(self.kind_hint, first) {
            Some((kind, format)) => {
                self.settle(plan, options, kind, format);
                true
            }
            None => false,
        }
    }

    /// Says that the held lines fit only a catch-all format and the input
    /// is read as `format`, the one line `number` has.
    fn disagreement(&self, plan: &Plan, number: u64, format: Format) -> Finding {
        let first = self.held.front().map_or(number, |(first, _)| *first);
        let last = self.held.back().map_or(number, |(last, _)| *last);
        let lines = if first == last {
            format!("line {first}")
        } else {
            format!("lines {first}-{last}")
        };
        Finding::new(
            Code::FormatsDisagree,
            &self.file,
            first,
            format!(
                "{lines} fit none of the formats {} declares but a catch-all; the input is \
                 read as {}, the format of line {number}, and those lines are checked as such",
                plan.producer,
                format.name()
            ),
        )
    }

    /// Fixes the input's kind and format.
    fn settle(&mut self, plan: &Plan, options: &CheckOptions, kind: usize, format: Format) {
        self.summary.format = Some(format);
        if plan.kinds.len() > 1 {
            self.summary.kind = Some(plan.kinds[kind].name.clone());
        }
        let max_bytes = options.max_line_bytes.saturating_mul(RECORD_LINE_FACTOR);
        self.settled = Some(Settled {
            kind,
            format,
            assembler: (format.framing() != Framing::Line)
                .then(|| Assembler::new(format, max_bytes)),
        });
    }

    /// Checks a complete multi-line record of kind `kind` in `format`.
    fn assembled(
        &mut self,
        context: &mut Context<'_, '_>,
        kind: usize,
        format: Format,
        record: Assembled,
        rules_on: bool,
        sink: &mut dyn FindingSink,
    ) -> Option<Head> {
        if record.damaged {
            // Its unreadable line was reported, naming the record.
            return None;
        }
        if record.over_limit {
            sink.push(problem(
                &self.file,
                record.first_line,
                Code::ParseError,
                format!(
                    "the {} record on lines {}-{} is over the limit of {} lines or {} bytes; \
                     not checked",
                    format.name(),
                    record.first_line,
                    record.last_line,
                    logspec_reader::MAX_RECORD_LINES,
                    context
                        .options
                        .max_line_bytes
                        .saturating_mul(RECORD_LINE_FACTOR)
                ),
                None,
                "",
            ));
            return None;
        }
        self.record(context, kind, format, &record.lines(), rules_on, sink)
    }

    /// Checks every log record of an OTLP export line, queueing their heads.
    fn export(
        &mut self,
        context: &mut Context<'_, '_>,
        kind: usize,
        number: u64,
        line: &str,
        rules_on: bool,
        sink: &mut dyn FindingSink,
    ) {
        let records = match logspec_reader::otlp::log_records(line) {
            Ok(records) => records,
            Err(error) => {
                sink.push(self.unreadable(
                    context.plan,
                    number,
                    line,
                    format!("not a valid otlp-json record: {}", error.kind),
                    error.column,
                ));
                return;
            }
        };
        for range in records {
            let lines = [(number, 0)];
            let text = RecordLines {
                text: &line[range.clone()],
                lines: &lines,
            };
            // Findings count columns in the log record; the line is longer.
            let mut shifted = ShiftColumns {
                sink: &mut *sink,
                line: number,
                by: range.start,
            };
            if let Some(head) = self.record(
                context,
                kind,
                Format::OtlpJson,
                &text,
                rules_on,
                &mut shifted,
            ) {
                self.pending.push_back(head);
            }
        }
    }

    /// The finding for a line that neither starts a record nor continues
    /// the one before it: an empty line, or the reader's reason.
    fn stray(
        &self,
        plan: &Plan,
        number: u64,
        line: &str,
        format: Format,
        follows_record: bool,
    ) -> Finding {
        if line.trim().is_empty() {
            return problem(
                &self.file,
                number,
                Code::EmptyLine,
                "empty line where a record or its stack trace was expected".to_owned(),
                None,
                line,
            );
        }
        let orphan = || (logspec_reader::ReadErrorKind::Orphan.to_string(), 1);
        let (reason, column) =
            if !follows_record && format.continues_record(line, logspec_reader::Trace::first("")) {
                orphan()
            } else {
                match read_record(format, line, &mut Vec::new()) {
                    Err(error) => (error.kind.to_string(), error.column),
                    Ok(_) => orphan(),
                }
            };
        self.unreadable(
            plan,
            number,
            line,
            format!(
                "not a valid {} record: {reason} (only a stack trace may follow a record)",
                format.name()
            ),
            column,
        )
    }

    /// The finding for a line that cannot be read: `console-line` when it
    /// is console output the document lists, else a parse error.
    fn unreadable(
        &self,
        plan: &Plan,
        number: u64,
        line: &str,
        message: String,
        column: usize,
    ) -> Finding {
        match plan.console_line(line) {
            Some(index) => {
                let known = &plan.console[index];
                let stream = known.stream.as_deref().unwrap_or("the console");
                problem(
                    &self.file,
                    number,
                    Code::ConsoleLine,
                    format!(
                        "console output in the structured stream: {} writes this line ({}) \
                         to {stream}, not as a log entry",
                        plan.producer,
                        known.message.display()
                    ),
                    None,
                    line,
                )
            }
            None => problem(
                &self.file,
                number,
                Code::ParseError,
                message,
                Some(column),
                line,
            ),
        }
    }

    /// A line of another program in a shared log: counted per program, or
    /// with `strict_foreign` an error.
    fn foreign(
        &mut self,
        context: &Context<'_, '_>,
        number: u64,
        tag: &str,
        line: &str,
        sink: &mut dyn FindingSink,
    ) {
        self.summary.foreign += 1;
        if context.options.strict_foreign {
            sink.push(problem(
                &self.file,
                number,
                Code::ForeignLine,
                format!(
                    "a line of {tag}, which is none of {}'s emitters",
                    context.plan.producer
                ),
                None,
                line,
            ));
            return;
        }
        // A program already seen costs no allocation; past the cap, further
        // programs share one count.
        if let Some(counts) = self.foreign.get_mut(tag) {
            counts.1 += 1;
            return;
        }
        let counts = if self.foreign.len() < MAX_FOREIGN_PROGRAMS {
            self.foreign.entry(tag.to_owned()).or_insert((number, 0))
        } else {
            self.foreign_others.get_or_insert((number, 0))
        };
        counts.1 += 1;
    }

    /// Holds a plain-text line to the console lines the document lists.
    fn console(
        &mut self,
        context: &mut Context<'_, '_>,
        number: u64,
        line: &str,
        sink: &mut dyn FindingSink,
    ) {
        let plan = context.plan;
        self.summary.records += 1;
        match plan.console_line(line) {
            Some(index) => context.coverage.count_console(index),
            None => sink.push(problem(
                &self.file,
                number,
                Code::UnknownMessage,
                format!("not a line {} documents as console output", plan.producer),
                None,
                line,
            )),
        }
    }

    /// Reads and checks one record of kind `kind` in `format`; the rules'
    /// view of it when it is a record of a documented event.
    fn record(
        &mut self,
        context: &mut Context<'_, '_>,
        kind: usize,
        format: Format,
        text: &RecordLines<'_>,
        rules_on: bool,
        sink: &mut dyn FindingSink,
    ) -> Option<Head> {
        let plan = context.plan;
        let number = text.first_number();
        let first_line = text.line(0);
        if format == Format::PlainText && !plan.console.is_empty() {
            self.console(context, number, first_line, sink);
            return None;
        }
        let mut fields = recycle(std::mem::take(&mut self.spare_fields));
        let framed;
        let head = if format.has_payload() {
            // The key=value formats keep their two-step messages.
            framed = match read_envelope(format, text.text) {
                Ok(framed) => framed,
                Err(error) if plan.tagged && syslog_daemon_line(&error, text.text) => {
                    self.foreign(context, number, "syslogd", first_line, sink);
                    self.spare_fields = recycle(fields);
                    return None;
                }
                Err(error) => {
                    sink.push(problem(
                        &self.file,
                        number,
                        Code::ParseError,
                        format!("not a valid {} line: {}", format.name(), error.kind),
                        Some(error.column),
                        first_line,
                    ));
                    self.spare_fields = recycle(fields);
                    return None;
                }
            };
            let offset = framed.payload_offset;
            let mut pairs = recycle(std::mem::take(&mut self.spare_pairs));
            let parsed = parse_pairs_into(&framed.payload, &mut pairs);
            // A line under a tag none of the emitters use is another
            // program's, unless it reads as the producer's own record (its
            // event key present): that is a wrong tag, for the checks to
            // report, never skipped.
            let foreign = framed
                .envelope
                .tag
                .as_deref()
                .filter(|tag| plan.tagged && !plan.emitter_tags.contains(*tag))
                .filter(|_| {
                    let ours = parsed.is_ok()
                        && match &plan.kinds[kind].event_key {
                            Some(key) => pairs.iter().any(|pair| pair.key == key.as_str()),
                            None => !pairs.is_empty(),
                        };
                    !ours
                });
            if let Some(tag) = foreign {
                self.foreign(context, number, tag, first_line, sink);
                self.spare_pairs = recycle(pairs);
                self.spare_fields = recycle(fields);
                return None;
            }
            if let Err(error) = parsed {
                let column = offset.map(|offset| offset + error.column);
                sink.push(problem(
                    &self.file,
                    number,
                    Code::ParseError,
                    format!("cannot read the key=value payload: {}", error.kind),
                    column,
                    first_line,
                ));
                self.spare_pairs = recycle(pairs);
                self.spare_fields = recycle(fields);
                return None;
            }
            fields.extend(pairs.drain(..).map(|pair| Field::from_pair(pair, offset)));
            self.spare_pairs = recycle(pairs);
            logspec_reader::RecordHead {
                envelope: framed.envelope.clone(),
                event: None,
            }
        } else {
            match read_record(format, text.text, &mut fields) {
                Ok(Some(head)) => head,
                Ok(None) => {
                    self.spare_fields = recycle(fields);
                    return None;
                }
                Err(error) => {
                    let (line, line_text, column) = text.locate(error.column - 1);
                    sink.push(self.unreadable(
                        plan,
                        line,
                        line_text,
                        format!("not a valid {} record: {}", format.name(), error.kind),
                        column,
                    ));
                    self.spare_fields = recycle(fields);
                    return None;
                }
            }
        };
        self.summary.records += 1;
        let identity = identify(plan, kind, format, head.event.as_ref(), &mut fields);
        let kind_plan = &plan.kinds[kind];
        let at = match &kind_plan.timestamp {
            Some((name, epoch)) => fields
                .iter()
                .find(|field| field.key == name.as_str())
                .and_then(|field| field_instant(&field.value, *epoch)),
            None => instant(format, &head.envelope),
        }
        .map(|at| self.timeline.place(at, &self.file, number, sink));
        let outcome = check_record(
            plan,
            &RecordInput {
                file: &self.file,
                line_number: number,
                line: first_line,
                envelope: &head.envelope,
                fields: &fields,
                kind,
                format,
                identity: &identity,
                title: head.event.as_ref(),
            },
            context.scratch,
            sink,
        );
        let result = outcome.classification.map(|classification| {
            context.coverage.count(classification);
            let mut seen = fields
                .iter()
                .map(|field| (field.key.as_ref(), field.value.as_ref()));
            sink.record(classification, &mut seen);
            self.summary.severity_unchecked += u64::from(!outcome.severity_checked);
            self.summary.emitter_unchecked += u64::from(!outcome.emitter_checked);
            Head {
                instant: at,
                record: rules_on.then(|| StreamRecord {
                    file: Arc::clone(&self.file),
                    line: number,
                    event: classification.event,
                    variant: classification.variant,
                    host: head.envelope.hostname.clone().or_else(|| self.host.clone()),
                    tag: head.envelope.tag.clone(),
                    pid: head.envelope.pid.clone(),
                    at,
                    values: plan
                        .rule_fields
                        .iter()
                        .filter_map(|name| {
                            fields
                                .iter()
                                .find(|field| field.key == **name)
                                .map(|field| (Arc::clone(name), field.value.to_string()))
                        })
                        .collect(),
                }),
            }
        });
        self.spare_fields = recycle(fields);
        result
    }
}

/// Whether an RFC 3164 line without a tag is one the syslog daemon writes
/// itself into a shared log: its periodic mark, or the count of a
/// repeated message it left out.
fn syslog_daemon_line(error: &logspec_reader::ReadError, line: &str) -> bool {
    if error.kind != logspec_reader::ReadErrorKind::MissingTag {
        return false;
    }
    let rest = line
        .get(error.column.saturating_sub(1)..)
        .unwrap_or_default();
    rest == "-- MARK --"
        || rest
            .strip_prefix("last message repeated ")
            .and_then(|rest| rest.strip_suffix(" times"))
            .is_some_and(|count| !count.is_empty() && count.bytes().all(|b| b.is_ascii_digit()))
}

/// Moves the columns of findings on one line by `by` bytes, for records
/// read out of the middle of a line.
struct ShiftColumns<'s> {
    sink: &'s mut dyn FindingSink,
    line: u64,
    by: usize,
}

impl FindingSink for ShiftColumns<'_> {
    fn push(&mut self, mut finding: Finding) {
        if finding.line == self.line {
            finding.column = finding.column.map(|column| column + self.by);
        }
        self.sink.push(finding);
    }

    fn record<'a>(
        &mut self,
        classification: crate::record::Classification,
        fields: &mut dyn Iterator<Item = (&'a str, &'a str)>,
    ) {
        self.sink.record(classification, fields);
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

/// Empties `items` and hands its allocation to a new lifetime, so the
/// pair and field buffers are allocated once per input, not once per line.
fn recycle<'a, T: Reborrow<'a>>(mut items: Vec<T>) -> Vec<T::At> {
    items.clear();
    // In-place collect of an empty vector keeps the allocation.
    items.into_iter().map(|_| unreachable!()).collect()
}

/// A type borrowing for some lifetime, and the same type borrowing for `'a`.
trait Reborrow<'a> {
    type At;
}

impl<'a> Reborrow<'a> for Pair<'_> {
    type At = Pair<'a>;
}

impl<'a> Reborrow<'a> for Field<'_> {
    type At = Field<'a>;
}

fn format_names(formats: &[Format]) -> String {
    formats
        .iter()
        .map(|format| format.name())
        .collect::<Vec<_>>()
        .join(", ")
}
