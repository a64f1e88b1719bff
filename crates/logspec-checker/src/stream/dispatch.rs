//! One record of a settled input: read its envelope and fields, check it
//! against its event (console lines, other programs' lines, unreadable
//! records each become their located finding), place its time on the
//! input's timeline, and hand the rules their view of it.

use super::cursor::{problem, CursorState};
use super::{Context, Head, MAX_FOREIGN_PROGRAMS, RECORD_LINE_FACTOR};
use crate::finding::{Code, Finding, FindingSink};
use crate::plan::Plan;
use crate::record::{check_record, identify, RecordInput};
use crate::rules::StreamRecord;
use logspec_reader::{
    detect, field_instant, instant, parse_pairs_into, read_envelope, read_record, Assembled, Field,
    Format, Instant, Pair, RecordLines,
};
use std::sync::Arc;

impl CursorState {
    /// Checks a complete multi-line record of kind `kind` in `format`.
    pub(super) fn assembled(
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
    pub(super) fn export(
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
        self.unreadable(
            plan,
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

    /// The finding for a line that cannot be read: `console-line` when it
    /// is console output the document lists, else a parse error.
    fn unreadable(
        &self,
        plan: &Plan,
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
                message + &other_format_hint(plan, format, line),
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
    pub(super) fn record(
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
                        format!(
                            "not a valid {} line: {}{}",
                            format.name(),
                            error.kind,
                            other_format_hint(plan, format, first_line)
                        ),
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
                        format,
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
pub(super) struct Timeline {
    /// Last timestamp seen and its line, for regressions and merging.
    pub(super) last: Option<(Instant, u64)>,
    /// Added to yearless timestamps after a December → January rollover.
    pub(super) year_offset: i64,
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

pub(super) fn format_names(formats: &[Format]) -> String {
    formats
        .iter()
        .map(|format| format.name())
        .collect::<Vec<_>>()
        .join(", ")
}
