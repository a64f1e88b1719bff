//! Reading one input: lines into records. A cursor decodes lines, holds
//! the first ones while detection settles the input's record kind and
//! format, and assembles records that span lines: its output, in input
//! order, is findings about lines and complete records ([`Unit`]), which
//! `dispatch` checks (on this thread or, with `parallel`, on others).
//! The cursor also keeps what the checks of its records add up to (counts,
//! timeline, other programs' lines), applied in input order by `ledger`.

use super::dispatch::format_names;
use super::ledger::Timeline;
use super::{CheckOptions, Head, Input, InputSummary, MAX_FOREIGN_PROGRAMS, RECORD_LINE_FACTOR};
use crate::finding::{Code, Finding, FindingSink};
use crate::plan::Plan;
use crate::record::excerpt;
use logspec_reader::{decode, Assembled, Assembler, Fed, Format, Framing, LineReader};
use std::collections::{BTreeMap, VecDeque};
use std::io::BufRead;
use std::sync::Arc;

/// What reading a line hands on, in input order.
pub(super) enum Unit {
    /// A problem with the line itself (unreadable, empty, over the limit);
    /// boxed, as it is rare and records are many.
    Finding(Box<Finding>),
    /// A record to check.
    Record(Framed),
}

impl Unit {
    pub(super) fn finding(finding: Finding) -> Unit {
        Unit::Finding(Box::new(finding))
    }

    /// The bytes of input text it holds, to size chunks by.
    pub(super) fn text_bytes(&self) -> usize {
        match self {
            Unit::Finding(_) => 0,
            Unit::Record(Framed::Line { text, .. }) => text.len(),
            Unit::Record(Framed::Assembled { record, .. }) => record.text.len(),
        }
    }
}

/// A complete record, owning its text so another thread can check it.
pub(super) enum Framed {
    /// A record of one line, or an OTLP export line of many.
    Line {
        kind: usize,
        format: Format,
        number: u64,
        text: String,
    },
    /// A record of several lines.
    Assembled {
        kind: usize,
        format: Format,
        record: Assembled,
    },
}

/// Where an input's records come from, as their checks name it.
#[derive(Debug)]
pub(super) struct Source {
    pub(super) file: Arc<str>,
    /// The host its records come from when the envelope names none.
    pub(super) host: Option<String>,
}

/// Reads one input record by record.
pub(super) struct Cursor<R> {
    pub(super) lines: LineReader<R>,
    pub(super) state: CursorState,
    /// The input has ended: every line has been read.
    pub(super) ended: bool,
}

/// Everything a cursor keeps besides its line reader, which lends out the
/// line being read.
pub(super) struct CursorState {
    pub(super) file: Arc<str>,
    pub(super) source: Arc<Source>,
    pub(super) summary: InputSummary,
    pub(super) timeline: Timeline,
    /// The record kind the input was named or matched by path as, before
    /// detection settles it.
    pub(super) kind_hint: Option<usize>,
    /// The kind and format, once settled.
    pub(super) settled: Option<Settled>,
    /// Records checked but not yet handed to the rules: a line of an OTLP
    /// export holds many.
    pub(super) pending: VecDeque<Head>,
    /// Lines read before the format was known (see [`CursorState::hold`]).
    pub(super) held: VecDeque<(u64, String)>,
    pub(super) held_bytes: usize,
    /// Other programs' lines skipped, by tag: first line and count.
    pub(super) foreign: BTreeMap<String, (u64, u64)>,
    /// The same for programs past [`MAX_FOREIGN_PROGRAMS`], counted together.
    pub(super) foreign_others: Option<(u64, u64)>,
}

/// An input's record kind and format, once fixed. Records are read only
/// under a settled input, so every record is checked as the kind detection
/// chose, never as a default one.
pub(super) struct Settled {
    pub(super) kind: usize,
    pub(super) format: Format,
    /// Builds records of formats whose records span lines.
    pub(super) assembler: Option<Assembler>,
}

/// The byte order mark a UTF-8 input may start with.
const BYTE_ORDER_MARK: char = '\u{FEFF}';
/// Lines held at most while detection looks for a declared format.
const HELD_LINES: usize = 64;

/// A located problem with an input, as a finding quoting its line.
pub(super) fn problem(
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
    pub(super) fn new(input: Input<R>, plan: &Plan, options: &CheckOptions) -> Cursor<R> {
        let file: Arc<str> = Arc::from(input.name.as_str());
        let named = options
            .kind
            .as_deref()
            .and_then(|name| plan.kinds.iter().position(|kind| kind.name == name));
        let mut kind = named.or_else(|| plan.kind_for_path(&input.name));
        if let Some(format) = options.format {
            kind = plan.kind_with_format(kind, format);
        }
        let mut state = CursorState {
            summary: InputSummary {
                file: Arc::clone(&file),
                format: options.format,
                kind: None,
                detected: options.format.is_none(),
                lines: 0,
                records: 0,
                severity_unchecked: 0,
                emitter_unchecked: 0,
                foreign: 0,
            },
            source: Arc::new(Source {
                file: Arc::clone(&file),
                host: input.host,
            }),
            file,
            timeline: Timeline::default(),
            kind_hint: None,
            settled: None,
            pending: VecDeque::new(),
            held: VecDeque::new(),
            held_bytes: 0,
            foreign: BTreeMap::new(),
            foreign_others: None,
        };
        if let (Some(kind), Some(format)) = (kind, options.format) {
            state.settle(plan, options, kind, format);
        } else {
            state.kind_hint = kind;
        }
        Cursor {
            lines: LineReader::new(input.reader, options.max_line_bytes),
            state,
            ended: false,
        }
    }

    /// Reads one line (or the end of the input) and adds what it holds to
    /// `out`: findings about the line, records to check. `false` once the
    /// input has ended.
    pub(super) fn step(
        &mut self,
        plan: &Plan,
        options: &CheckOptions,
        out: &mut Vec<Unit>,
    ) -> std::io::Result<bool> {
        {
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
                    if self.state.settle_held(plan, options) {
                        return Ok(true);
                    }
                    let last = self.state.settled.as_mut().and_then(|settled| {
                        let record = settled.assembler.as_mut()?.finish()?;
                        Some((settled.kind, settled.format, record))
                    });
                    if let Some((kind, format, record)) = last {
                        out.push(Unit::Record(Framed::Assembled {
                            kind,
                            format,
                            record,
                        }));
                    }
                    return Ok(false);
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
                            options.max_line_bytes
                        ),
                    );
                    out.push(Unit::finding(problem(
                        &self.state.file,
                        number,
                        Code::ParseError,
                        message,
                        None,
                        &String::from_utf8_lossy(&raw.bytes[..raw.bytes.len().min(200)]),
                    )));
                    return Ok(true);
                }
                let line = match decode(raw.bytes) {
                    Ok(line) => line,
                    Err(error) => {
                        let message = damaged(&mut self.state, error.kind.to_string());
                        out.push(Unit::finding(problem(
                            &self.state.file,
                            number,
                            Code::ParseError,
                            message,
                            Some(error.column),
                            &String::from_utf8_lossy(raw.bytes),
                        )));
                        return Ok(true);
                    }
                };
                let line = match line.strip_prefix(BYTE_ORDER_MARK).filter(|_| number == 1) {
                    Some(rest) => {
                        out.push(Unit::finding(problem(
                            &self.state.file,
                            number,
                            Code::ByteOrderMark,
                            "UTF-8 byte order mark at the start of the input, skipped".to_owned(),
                            None,
                            rest,
                        )));
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
                out.push(Unit::finding(problem(
                    &self.state.file,
                    number,
                    Code::EmptyLine,
                    "empty line where a record was expected".to_owned(),
                    None,
                    line,
                )));
                return Ok(true);
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
                            && self.state.hold(number, line, options) =>
                    {
                        return Ok(true);
                    }
                    Some((found, format)) => {
                        self.state.settle(plan, options, found, format);
                        if !self.state.held.is_empty() {
                            if !format.takes_any_line() {
                                out.push(Unit::finding(
                                    self.state.disagreement(plan, number, format),
                                ));
                            }
                            // The held lines come first, this one after them.
                            self.state.held.push_back((number, line.to_owned()));
                            return Ok(true);
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
                        out.push(Unit::finding(problem(
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
                        )));
                        return Ok(true);
                    }
                },
            };
            // An OTLP export line holds many records; `dispatch` splits it.
            let assembler = (self.state.settled.as_mut())
                .and_then(|settled| settled.assembler.as_mut())
                .filter(|_| format != Format::OtlpJson);
            let Some(assembler) = assembler else {
                out.push(Unit::Record(Framed::Line {
                    kind,
                    format,
                    number,
                    text: line.to_owned(),
                }));
                return Ok(true);
            };
            match assembler.feed(number, line) {
                Fed::Taken => {}
                Fed::Stray(done) => {
                    // The record before the line is complete: its findings
                    // come first, in line order.
                    let follows = done.is_some();
                    if let Some(record) = done {
                        out.push(Unit::Record(Framed::Assembled {
                            kind,
                            format,
                            record,
                        }));
                    }
                    out.push(Unit::finding(
                        self.state.stray(plan, number, line, format, follows),
                    ));
                }
                Fed::Complete(record) => out.push(Unit::Record(Framed::Assembled {
                    kind,
                    format,
                    record,
                })),
            }
            Ok(true)
        }
    }
}

impl<R> Cursor<R> {
    pub(super) fn finish(self, plan: &Plan, sink: &mut dyn FindingSink) -> InputSummary {
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
            assembler: (format.framing() != Framing::Line).then(|| {
                let assembler = Assembler::new(format, max_bytes);
                match &plan.kinds[kind].continuation_lines {
                    Some(declared) => assembler.with_declared(declared.clone()),
                    None => assembler,
                }
            }),
        });
    }
}
