//! One record of a settled input: read its envelope and fields, check it
//! against its event (console lines, other programs' lines, unreadable
//! records each become their located finding), and hand the rules their
//! view of it. Everything that depends on the records before it (counts,
//! the timeline, the order of findings) goes through a [`Ledger`], so a
//! record can be checked on any thread ([`Examiner`] holds one thread's
//! buffers).

use super::cursor::{problem, CursorState, Framed, Source};
use super::ledger::{Ledger, Unchecked};
use super::{CheckOptions, Head, RECORD_LINE_FACTOR};
use crate::finding::{Code, Finding, FindingSink};
use crate::plan::Plan;
use crate::record::{check_record, identify, Classification, RecordInput, Scratch, UnknownEvent};
use crate::rules::StreamRecord;
use compact_str::CompactString;
use logspec_reader::{
    detect, field_instant, instant, parse_pairs_into, read_envelope, read_record, Assembled, Field,
    Format, Instant, Pair, RecordLines,
};
use smallvec::SmallVec;
use std::sync::Arc;

/// One thread's reusable buffers for checking records.
#[derive(Default)]
pub(super) struct Buffers {
    fields: Vec<Field<'static>>,
    pairs: Vec<Pair<'static>>,
    scratch: Scratch,
}

/// Checks the records of one input against a plan, with one thread's
/// buffers.
pub(super) struct Examiner<'e> {
    pub(super) plan: &'e Plan,
    pub(super) options: &'e CheckOptions,
    /// Whether the rules run, so records keep what they read.
    pub(super) rules_on: bool,
    pub(super) source: &'e Source,
    pub(super) buffers: &'e mut Buffers,
}

impl Examiner<'_> {
    /// Checks one record as framing handed it over.
    pub(super) fn framed(&mut self, framed: &Framed, ledger: &mut impl Ledger) {
        match framed {
            Framed::Line {
                kind,
                format: Format::OtlpJson,
                number,
                text,
            } => self.export(*kind, *number, text, ledger),
            Framed::Line {
                kind,
                format,
                number,
                text,
            } => {
                let lines = [(*number, 0)];
                let text = RecordLines {
                    text,
                    lines: &lines,
                };
                self.record(*kind, *format, &text, ledger);
            }
            Framed::Assembled {
                kind,
                format,
                record,
            } => self.assembled(*kind, *format, record, ledger),
        }
    }

    /// Checks a complete multi-line record of kind `kind` in `format`.
    fn assembled(
        &mut self,
        kind: usize,
        format: Format,
        record: &Assembled,
        ledger: &mut impl Ledger,
    ) {
        if record.damaged {
            // Its unreadable line was reported, naming the record.
            return;
        }
        if record.over_limit {
            ledger.push(problem(
                &self.source.file,
                record.first_line,
                Code::ParseError,
                format!(
                    "the {} record on lines {}-{} is over the limit of {} lines or {} bytes; \
                     not checked",
                    format.name(),
                    record.first_line,
                    record.last_line,
                    logspec_reader::MAX_RECORD_LINES,
                    self.options
                        .max_line_bytes
                        .saturating_mul(RECORD_LINE_FACTOR)
                ),
                None,
                "",
            ));
            return;
        }
        self.record(kind, format, &record.lines(), ledger);
    }

    /// Checks every log record of an OTLP export line, queueing their heads.
    fn export(&mut self, kind: usize, number: u64, line: &str, ledger: &mut impl Ledger) {
        let records = match logspec_reader::otlp::log_records(line) {
            Ok(records) => records,
            Err(error) => {
                ledger.push(unreadable(
                    self.plan,
                    &self.source.file,
                    Format::OtlpJson,
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
                ledger: &mut *ledger,
                line: number,
                by: range.start,
            };
            self.record(kind, Format::OtlpJson, &text, &mut shifted);
        }
    }

    /// Counts a line of another program in a shared log; with
    /// `strict_foreign`, reports it as an error.
    fn foreign(&self, number: u64, tag: &str, line: &str, ledger: &mut impl Ledger) {
        if !self.options.strict_foreign {
            ledger.foreign(number, Some(tag));
            return;
        }
        ledger.foreign(number, None);
        ledger.push(problem(
            &self.source.file,
            number,
            Code::ForeignLine,
            format!(
                "a line of {tag}, which is none of {}'s emitters",
                self.plan.producer
            ),
            None,
            line,
        ));
    }

    /// Holds a plain-text line to the console lines the document lists.
    fn console(&self, number: u64, line: &str, ledger: &mut impl Ledger) {
        let plan = self.plan;
        ledger.read();
        match plan.console_line(line) {
            Some(index) => ledger.console(index),
            None => ledger.push(problem(
                &self.source.file,
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
        kind: usize,
        format: Format,
        text: &RecordLines<'_>,
        ledger: &mut impl Ledger,
    ) {
        let plan = self.plan;
        let number = text.first_number();
        let first_line = text.line(0);
        if format == Format::PlainText && !plan.console.is_empty() {
            self.console(number, first_line, ledger);
            return;
        }
        let mut fields = recycle(std::mem::take(&mut self.buffers.fields));
        let mut framed;
        let head = if format.has_payload() {
            // The key=value formats keep their two-step messages.
            framed = match read_envelope(format, text.text) {
                Ok(framed) => framed,
                Err(error) if plan.tagged && syslog_daemon_line(&error, text.text) => {
                    self.foreign(number, "syslogd", first_line, ledger);
                    self.buffers.fields = recycle(fields);
                    return;
                }
                Err(error) => {
                    ledger.push(problem(
                        &self.source.file,
                        number,
                        Code::ParseError,
                        format!(
                            "not a valid {} line: {}{}",
                            format.name(),
                            error.kind,
                            other_format_hint(plan, format, first_line)
                        ),
                        Some(error.column),
                        first_line,
                    ));
                    self.buffers.fields = recycle(fields);
                    return;
                }
            };
            let offset = framed.payload_offset;
            let mut pairs = recycle(std::mem::take(&mut self.buffers.pairs));
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
                self.foreign(number, tag, first_line, ledger);
                self.buffers.pairs = recycle(pairs);
                self.buffers.fields = recycle(fields);
                return;
            }
            if let Err(error) = parsed {
                let column = offset.map(|offset| offset + error.column);
                ledger.push(problem(
                    &self.source.file,
                    number,
                    Code::ParseError,
                    format!("cannot read the key=value payload: {}", error.kind),
                    column,
                    first_line,
                ));
                self.buffers.pairs = recycle(pairs);
                self.buffers.fields = recycle(fields);
                return;
            }
            fields.extend(pairs.drain(..).map(|pair| Field::from_pair(pair, offset)));
            self.buffers.pairs = recycle(pairs);
            // The fields borrow the payload; the envelope moves out beside it.
            logspec_reader::RecordHead {
                envelope: std::mem::take(&mut framed.envelope),
                event: None,
            }
        } else {
            match read_record(format, text.text, &mut fields) {
                Ok(Some(head)) => head,
                Ok(None) => {
                    self.buffers.fields = recycle(fields);
                    return;
                }
                Err(error) => {
                    let (line, line_text, column) = text.locate(error.column - 1);
                    ledger.push(unreadable(
                        plan,
                        &self.source.file,
                        format,
                        line,
                        line_text,
                        format!("not a valid {} record: {}", format.name(), error.kind),
                        column,
                    ));
                    self.buffers.fields = recycle(fields);
                    return;
                }
            }
        };
        ledger.read();
        let identity = identify(plan, kind, format, head.event.as_ref(), &mut fields);
        let kind_plan = &plan.kinds[kind];
        let at = match &kind_plan.timestamp {
            Some((name, epoch)) => fields
                .iter()
                .find(|field| field.key == name.as_str())
                .and_then(|field| field_instant(&field.value, *epoch)),
            None => instant(format, &head.envelope),
        }
        .map(|at| ledger.place(at, number, kind_plan.ordered));
        let outcome = check_record(
            plan,
            &RecordInput {
                file: &self.source.file,
                line_number: number,
                line: first_line,
                envelope: &head.envelope,
                fields: &fields,
                kind,
                format,
                identity: &identity,
                title: head.event.as_ref(),
            },
            &mut self.buffers.scratch,
            ledger,
        );
        if let Some(unknown) = outcome.unknown {
            ledger.unknown_event(unknown);
        }
        if let Some(classification) = outcome.classification {
            let head = Head {
                instant: at,
                record: self.rules_on.then(|| {
                    self.stream_record(classification, number, &head.envelope, &fields, at)
                }),
            };
            let mut seen = fields
                .iter()
                .map(|field| (field.key.as_ref(), field.value.as_ref()));
            let unchecked = Unchecked {
                severity: !outcome.severity_checked,
                emitter: !outcome.emitter_checked,
            };
            ledger.checked(classification, &mut seen, unchecked, head);
        }
        self.buffers.fields = recycle(fields);
    }

    /// What the rules need of a record of a documented event: each field
    /// looked up once among those rules read, the first occurrence kept,
    /// in the plan's order of those fields.
    fn stream_record(
        &self,
        classification: Classification,
        number: u64,
        envelope: &logspec_reader::Envelope<'_>,
        fields: &[Field<'_>],
        at: Option<Instant>,
    ) -> StreamRecord {
        let plan = self.plan;
        let mut read: SmallVec<[(usize, &str); 8]> = SmallVec::new();
        for field in fields {
            let Some(index) = plan.rule_field(&field.key) else {
                continue;
            };
            if !read.iter().any(|&(known, _)| known == index) {
                read.push((index, &field.value));
            }
        }
        read.sort_unstable_by_key(|&(index, _)| index);
        StreamRecord {
            file: Arc::clone(&self.source.file),
            line: number,
            event: classification.event,
            variant: classification.variant,
            host: (envelope.hostname.as_deref().or(self.source.host.as_deref()))
                .map(CompactString::from),
            tag: envelope.tag.as_deref().map(CompactString::from),
            pid: envelope.pid.as_deref().map(CompactString::from),
            at,
            values: read
                .iter()
                .map(|&(index, value)| (Arc::clone(&plan.rule_fields[index]), value.into()))
                .collect(),
        }
    }
}

impl CursorState {
    /// The finding for a line that neither starts a record nor continues
    /// the one before it: an empty line, or the reader's reason.
    pub(super) fn stray(
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
        let declared = self
            .settled
            .as_ref()
            .and_then(|settled| plan.kinds[settled.kind].continuation_lines.as_ref());
        let continues = format.continues_record(line, logspec_reader::Trace::first(""))
            || declared.is_some_and(|declared| declared.contains(line));
        let (reason, column) = if !follows_record && continues {
            orphan()
        } else {
            match read_record(format, line, &mut Vec::new()) {
                Err(error) => (error.kind.to_string(), error.column),
                Ok(_) => orphan(),
            }
        };
        let what_follows = match declared {
            Some(_) => "a stack trace or a line the spec declares",
            None => "a stack trace",
        };
        unreadable(
            plan,
            &self.file,
            format,
            number,
            line,
            format!(
                "not a valid {} record: {reason} (only {what_follows} may follow a record)",
                format.name()
            ),
            column,
        )
    }
}

/// The finding for a line that cannot be read: `console-line` when it
/// is console output the document lists, else a parse error.
pub(super) fn unreadable(
    plan: &Plan,
    file: &Arc<str>,
    format: Format,
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
                file,
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
            file,
            number,
            Code::ParseError,
            message + &other_format_hint(plan, format, line),
            Some(column),
            line,
        ),
    }
}

/// When a line the input's format cannot read has the shape of another
/// format (one the spec declares first, then any other), says so: the
/// lines of one input disagree on their format. Only a hint on the line's
/// finding; the input is still read as `format` throughout. Empty when the
/// line looks like no other format but a catch-all.
fn other_format_hint(plan: &Plan, format: Format, line: &str) -> String {
    // A broken JSON line in a JSON format is broken JSON, not another JSON
    // format (all start with '{').
    let json = |format: Format| {
        matches!(
            format,
            Format::Journald
                | Format::JsonLines
                | Format::JsonDocument
                | Format::ExtendedJson
                | Format::OtlpJson
        )
    };
    let shaped_like = |other: Format| {
        other != format
            && !other.takes_any_line()
            && !(json(format) && json(other))
            && detect(line, &[other]).is_some()
    };
    if let Some(other) = plan
        .formats
        .iter()
        .copied()
        .find(|&other| shaped_like(other))
    {
        return format!(
            "; the line has the shape of {other}, another format {} declares, but the input \
             is read as {format} throughout",
            plan.producer
        );
    }
    // An RCE readable title is any unindented line without ':', '=' or '{':
    // too common a shape to name a format the spec does not declare.
    let undeclared = |other: Format| other != Format::RceReadable && shaped_like(other);
    match Format::ALL.into_iter().find(|&other| undeclared(other)) {
        Some(other) => format!(
            "; the line has the shape of {other}, a format {} does not declare",
            plan.producer
        ),
        None => String::new(),
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
struct ShiftColumns<'l, L> {
    ledger: &'l mut L,
    line: u64,
    by: usize,
}

impl<L> ShiftColumns<'_, L> {
    fn shift(&self, finding: &mut Finding) {
        if finding.line == self.line {
            finding.column = finding.column.map(|column| column + self.by);
        }
    }
}

impl<L: Ledger> FindingSink for ShiftColumns<'_, L> {
    fn push(&mut self, mut finding: Finding) {
        self.shift(&mut finding);
        self.ledger.push(finding);
    }
}

impl<L: Ledger> Ledger for ShiftColumns<'_, L> {
    fn read(&mut self) {
        self.ledger.read();
    }

    fn console(&mut self, index: usize) {
        self.ledger.console(index);
    }

    fn foreign(&mut self, number: u64, tag: Option<&str>) {
        self.ledger.foreign(number, tag);
    }

    fn place(&mut self, at: Instant, number: u64, ordered: bool) -> Instant {
        self.ledger.place(at, number, ordered)
    }

    fn unknown_event(&mut self, mut unknown: UnknownEvent) {
        self.shift(unknown.finding_mut());
        self.ledger.unknown_event(unknown);
    }

    fn checked<'a>(
        &mut self,
        classification: Classification,
        fields: &mut dyn Iterator<Item = (&'a str, &'a str)>,
        unchecked: Unchecked,
        head: Head,
    ) {
        self.ledger.checked(classification, fields, unchecked, head);
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

pub(super) fn format_names(formats: &[Format]) -> String {
    formats
        .iter()
        .map(|format| format.name())
        .collect::<Vec<_>>()
        .join(", ")
}
