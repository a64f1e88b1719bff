//! Grouping lines into records for the formats whose records span lines
//! (see [`Framing`]): RCE readable blocks, SSE messages, a log line with
//! its stack trace, a whole JSON document.
//!
//! The [`Assembler`] is fed decoded lines one at a time and hands back each
//! record once it is complete, as one text (lines joined with `\n`) with the
//! line number each line came from, so a reader's error offset can be
//! turned back into a line and column. A record's size is capped in bytes
//! and lines: past the cap the record is still consumed to its end, but
//! not kept, and it comes back marked as over the limit.

use crate::format::{Format, Framing};
use std::fmt;
use std::sync::Arc;

/// Most lines a multi-line record may have before it is reported, not read.
pub const MAX_RECORD_LINES: usize = 10_000;

/// A complete multi-line record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Assembled {
    /// The record's lines joined with `\n` (empty when over the limit).
    pub text: String,
    /// (line number, byte offset in `text`) of each kept line.
    pub lines: Vec<(u64, usize)>,
    pub first_line: u64,
    pub last_line: u64,
    /// The record went over the byte or line cap and was not kept.
    pub over_limit: bool,
    /// A line of the record could not be read (reported where it was).
    pub damaged: bool,
}

impl Assembled {
    /// The record's text and where its lines came from.
    pub fn lines(&self) -> RecordLines<'_> {
        RecordLines {
            text: &self.text,
            lines: &self.lines,
        }
    }
}

/// A record's text with the number and offset of each of its lines: one
/// line, or an [`Assembled`] record.
#[derive(Debug, Clone, Copy)]
pub struct RecordLines<'t> {
    pub text: &'t str,
    /// (line number, byte offset in `text`) per line, in order.
    pub lines: &'t [(u64, usize)],
}

impl RecordLines<'_> {
    /// The number of the record's first line.
    pub fn first_number(&self) -> u64 {
        self.lines.first().map_or(0, |&(number, _)| number)
    }

    /// The text of the line at `index` (0 is the first).
    pub fn line(&self, index: usize) -> &str {
        let start = self.lines.get(index).map_or(0, |&(_, start)| start);
        let end = self
            .lines
            .get(index + 1)
            .map_or(self.text.len(), |&(_, next)| next.saturating_sub(1));
        self.text.get(start..end).unwrap_or_default()
    }

    /// Line number, line text and 1-based column of byte `offset` of `text`.
    pub fn locate(&self, offset: usize) -> (u64, &str, usize) {
        let index = self
            .lines
            .partition_point(|&(_, start)| start <= offset)
            .saturating_sub(1);
        let (number, start) = self.lines.get(index).copied().unwrap_or((0, 0));
        (number, self.line(index), offset.saturating_sub(start) + 1)
    }
}

/// What feeding a line produced.
#[derive(Debug, PartialEq, Eq)]
pub enum Fed {
    /// The line was taken into the record being built (or skipped as a
    /// separator or an empty line between records).
    Taken,
    /// The line ended the record being built, which is returned; for
    /// [`Framing::Continuation`], the line starts the next record.
    Complete(Assembled),
    /// A line that neither starts a record nor continues the one before
    /// it (only in [`Framing::Continuation`]): what the layout prints after
    /// a record is a stack trace, nothing else. The record it follows, if
    /// any, is complete and returned with it.
    Stray(Option<Assembled>),
}

/// What a record's lines so far say about the next one, for
/// [`Format::continues_record`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Trace {
    lines: usize,
    traceback: bool,
}

impl Trace {
    /// The state after a record's first line.
    pub fn first(line: &str) -> Trace {
        Trace::default().then(line)
    }

    /// The state after one more line of the record.
    pub fn then(self, line: &str) -> Trace {
        Trace {
            lines: self.lines.saturating_add(1),
            traceback: self.traceback || crate::pipe::opens_traceback(line),
        }
    }

    /// The next line would be the record's second.
    pub fn at_second_line(self) -> bool {
        self.lines == 1
    }

    /// A Python traceback has begun.
    pub fn in_traceback(self) -> bool {
        self.traceback
    }
}

/// Lines a spec declares may follow a record besides what the layout
/// prints (the document says other lines may come after a record): a test
/// of one line, given by the spec's compiled patterns.
#[derive(Clone)]
pub struct DeclaredLines(Arc<dyn Fn(&str) -> bool + Send + Sync>);

impl DeclaredLines {
    /// Lines for which `test` is true continue a record.
    pub fn new(test: impl Fn(&str) -> bool + Send + Sync + 'static) -> Self {
        DeclaredLines(Arc::new(test))
    }

    /// Whether `line` is one of the declared lines.
    pub fn contains(&self, line: &str) -> bool {
        (self.0)(line)
    }
}

impl fmt::Debug for DeclaredLines {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DeclaredLines(..)")
    }
}

/// Builds multi-line records from lines.
#[derive(Debug)]
pub struct Assembler {
    format: Format,
    max_bytes: usize,
    current: Option<Assembled>,
    trace: Trace,
    declared: Option<DeclaredLines>,
}

impl Assembler {
    /// An assembler for `format` keeping at most `max_bytes` of a record.
    pub fn new(format: Format, max_bytes: usize) -> Self {
        Assembler {
            format,
            max_bytes,
            current: None,
            trace: Trace::default(),
            declared: None,
        }
    }

    /// Also continues a record with the lines `declared` takes (for
    /// [`Framing::Continuation`]), unless a line has a record's shape.
    pub fn with_declared(mut self, declared: DeclaredLines) -> Self {
        self.declared = Some(declared);
        self
    }

    /// Whether a record is being built.
    pub fn is_open(&self) -> bool {
        self.current.is_some()
    }

    /// The first line of the record being built.
    pub fn open_since(&self) -> Option<u64> {
        self.current.as_ref().map(|record| record.first_line)
    }

    /// Feeds line `number`, already decoded.
    pub fn feed(&mut self, number: u64, line: &str) -> Fed {
        match self.format.framing() {
            Framing::Blocks => {
                if line.trim().is_empty() || self.format.is_separator(line) {
                    return self.current.take().map_or(Fed::Taken, Fed::Complete);
                }
                self.append(number, line);
                Fed::Taken
            }
            Framing::Continuation => {
                let open = self.current.is_some();
                let shaped = self.format.starts_record(line);
                let declared = || {
                    !shaped
                        && (self.declared.as_ref()).is_some_and(|declared| declared.contains(line))
                };
                if open && (self.format.continues_record(line, self.trace) || declared()) {
                    self.trace = self.trace.then(line);
                    self.append(number, line);
                    return Fed::Taken;
                }
                // A line shaped like a record, or one its reader takes
                // for one (a level in lower case), starts the next record.
                let starts = shaped
                    || (!line.trim().is_empty()
                        && crate::read_record(self.format, line, &mut Vec::new()).is_ok());
                let done = self.current.take();
                if !starts {
                    self.trace = Trace::default();
                    return Fed::Stray(done);
                }
                self.trace = Trace::first(line);
                self.append(number, line);
                done.map_or(Fed::Taken, Fed::Complete)
            }
            Framing::Document | Framing::Line => {
                self.append(number, line);
                Fed::Taken
            }
        }
    }

    /// Marks the record being built as damaged by an unreadable line
    /// `number` (which then belongs to it); opens one if none is.
    pub fn damage(&mut self, number: u64) {
        if self.current.is_none() {
            self.trace = Trace::default();
        }
        let record = self.current.get_or_insert_with(|| Assembled {
            first_line: number,
            ..Assembled::default()
        });
        record.last_line = number;
        record.damaged = true;
    }

    /// The record still being built when the input ends.
    pub fn finish(&mut self) -> Option<Assembled> {
        self.current.take()
    }

    fn append(&mut self, number: u64, line: &str) {
        let record = self.current.get_or_insert_with(|| Assembled {
            first_line: number,
            ..Assembled::default()
        });
        record.last_line = number;
        if record.over_limit {
            return;
        }
        let separator = usize::from(!record.lines.is_empty());
        if record.text.len() + separator + line.len() > self.max_bytes
            || record.lines.len() >= MAX_RECORD_LINES
        {
            record.over_limit = true;
            record.text = String::new();
            record.lines = Vec::new();
            return;
        }
        if separator == 1 {
            record.text.push('\n');
        }
        record.lines.push((number, record.text.len()));
        record.text.push_str(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(format: Format, lines: &[&str], max_bytes: usize) -> Vec<Result<Assembled, u64>> {
        fed(Assembler::new(format, max_bytes), lines)
    }

    /// Every line fed to `assembler`: records, and stray lines' numbers.
    fn fed(mut assembler: Assembler, lines: &[&str]) -> Vec<Result<Assembled, u64>> {
        let mut out = Vec::new();
        for (index, line) in lines.iter().enumerate() {
            match assembler.feed(index as u64 + 1, line) {
                Fed::Taken => {}
                Fed::Complete(record) => out.push(Ok(record)),
                Fed::Stray(done) => {
                    out.extend(done.map(Ok));
                    out.push(Err(index as u64 + 1));
                }
            }
        }
        out.extend(assembler.finish().map(Ok));
        out
    }

    fn texts(records: &[Result<Assembled, u64>]) -> Vec<Result<(u64, String), u64>> {
        records
            .iter()
            .map(|record| match record {
                Ok(record) => Ok((record.first_line, record.text.clone())),
                Err(line) => Err(*line),
            })
            .collect()
    }

    #[test]
    fn blocks_split_on_empty_and_separator_lines() {
        let lines = [
            "-----", "Title", "  A: 1", "", "", "Other", "  B: 2", "-----", "Third",
        ];
        assert_eq!(
            texts(&run(Format::RceReadable, &lines, 1024)),
            vec![
                Ok((2, "Title\n  A: 1".to_owned())),
                Ok((6, "Other\n  B: 2".to_owned())),
                Ok((9, "Third".to_owned())),
            ]
        );
        // Dashes are no separator in SSE.
        assert_eq!(
            texts(&run(Format::Sse, &["data: 1", "-----", ""], 1024)),
            vec![Ok((1, "data: 1\n-----".to_owned()))]
        );
    }

    #[test]
    fn continuation_lines_join_the_record_before_them() {
        let lines = [
            "\tat orphan",
            "2026-05-10T14:02:11Z ERROR [main] a -- boom",
            "java.lang.Exception: x",
            "\tat a.B.c(B.java:1)",
            "Caused by: java.io.IOException: y",
            "\t... 2 more",
            "",
            "2026-05-10T14:02:12Z INFO [main] a -- next",
        ];
        assert_eq!(
            texts(&run(Format::Logback, &lines, 1024)),
            vec![
                Err(1),
                Ok((
                    2,
                    "2026-05-10T14:02:11Z ERROR [main] a -- boom\njava.lang.Exception: x\n\
                     \tat a.B.c(B.java:1)\nCaused by: java.io.IOException: y\n\t... 2 more"
                        .to_owned()
                )),
                Err(7),
                Ok((8, "2026-05-10T14:02:12Z INFO [main] a -- next".to_owned())),
            ]
        );
    }

    #[test]
    fn what_the_layout_does_not_print_is_not_swallowed() {
        let lines = [
            "2026-05-10T14:02:11Z INFO [main] a -- one",
            "plain text",
            "\tat a.B.c(B.java:1)",
            "2026-05-10T14:02:12Z info [main] a -- lower-case level",
            "2026-05-10T14:02:13Z INFO a -- no thread",
            "2026-05-10T14:02:14Z INFO [main] a -- two",
        ];
        assert_eq!(
            texts(&run(Format::Logback, &lines, 1024)),
            vec![
                Ok((1, "2026-05-10T14:02:11Z INFO [main] a -- one".to_owned())),
                Err(2),
                Err(3),
                Ok((
                    4,
                    "2026-05-10T14:02:12Z info [main] a -- lower-case level".to_owned()
                )),
                Err(5),
                Ok((6, "2026-05-10T14:02:14Z INFO [main] a -- two".to_owned())),
            ]
        );
        let python = [
            "2025-01-15 14:31:15 | ERROR | src.runner | failed",
            "Traceback (most recent call last):",
            "  File \"runner.py\", line 1, in run",
            "ValueError: boom",
            "not part of it",
            "2025-01-15 14:31:16 | INFO | src.runner | ok",
        ];
        let records = texts(&run(Format::PipeSeparated, &python, 1024));
        assert_eq!(records.len(), 3, "{records:?}");
        assert_eq!(records[1], Err(5));
    }

    #[test]
    fn lines_a_spec_declares_continue_a_record_and_nothing_else_does() {
        let lines = [
            "  | detail of the record",
            "2026-05-10T14:02:11Z INFO [main] a -- one",
            "  | detail of the record",
            "\tat a.B.c(B.java:1)",
            "  | more detail",
            "plain text",
            "2026-05-10T14:02:12Z INFO [main] a -- two",
        ];
        let assembler = Assembler::new(Format::Logback, 1024)
            .with_declared(DeclaredLines::new(|line| line.starts_with("  | ")));
        let out = fed(assembler, &lines);
        assert_eq!(
            texts(&out),
            vec![
                // Before any record, a declared line follows nothing.
                Err(1),
                Ok((
                    2,
                    "2026-05-10T14:02:11Z INFO [main] a -- one\n  | detail of the record\n\
                     \tat a.B.c(B.java:1)\n  | more detail"
                        .to_owned()
                )),
                Err(6),
                Ok((7, "2026-05-10T14:02:12Z INFO [main] a -- two".to_owned())),
            ]
        );
        // Without the declaration the same line is not part of the record.
        let undeclared = texts(&run(Format::Logback, &lines[1..3], 1024));
        assert_eq!(undeclared[1], Err(2));
        // The same in the pipe-separated layout (line 6: a declared line
        // after a record without a traceback).
        let python = [
            "2025-01-15 14:31:15 | ERROR | src.runner | failed",
            "Traceback (most recent call last):",
            "ValueError: boom",
            "  | declared",
            "2025-01-15 14:31:16 | INFO | src.runner | ok",
            "  | declared",
            "not declared",
        ];
        let mut pipe = Assembler::new(Format::PipeSeparated, 1024)
            .with_declared(DeclaredLines::new(|line| line.starts_with("  | ")));
        let fed: Vec<bool> = (python.iter().enumerate())
            .map(|(index, line)| matches!(pipe.feed(index as u64 + 1, line), Fed::Stray(_)))
            .collect();
        assert_eq!(fed, [false, false, false, false, false, false, true]);
        // A line shaped like a record starts one even when declared.
        let mut greedy =
            Assembler::new(Format::Logback, 1024).with_declared(DeclaredLines::new(|_| true));
        assert_eq!(greedy.feed(1, lines[1]), Fed::Taken);
        assert!(matches!(greedy.feed(2, lines[6]), Fed::Complete(_)));
    }

    #[test]
    fn a_document_is_everything() {
        let records = run(Format::JsonDocument, &["{", "\"a\": 1", "", "}"], 1024);
        assert_eq!(
            texts(&records),
            vec![Ok((1, "{\n\"a\": 1\n\n}".to_owned()))]
        );
        let record = records[0].as_ref().expect("a record");
        let lines = record.lines();
        assert_eq!(lines.locate(0), (1, "{", 1));
        assert_eq!(lines.locate(3), (2, "\"a\": 1", 2));
        assert_eq!(lines.locate(9), (3, "", 1));
        assert_eq!(lines.locate(10), (4, "}", 1));
        assert_eq!((lines.first_number(), lines.line(0)), (1, "{"));
    }

    #[test]
    fn over_the_cap_is_consumed_but_not_kept() {
        let records = run(
            Format::Sse,
            &["data: 0123456789", "data: x", "", "data: ok"],
            20,
        );
        let first = records[0].as_ref().expect("a record");
        assert!(first.over_limit);
        assert_eq!((first.first_line, first.last_line), (1, 2));
        assert!(first.text.is_empty());
        assert!(!records[1].as_ref().expect("a record").over_limit);
    }

    #[test]
    fn damage_marks_the_open_record() {
        let mut assembler = Assembler::new(Format::Sse, 1024);
        assert_eq!(assembler.feed(1, "data: 1"), Fed::Taken);
        assembler.damage(2);
        let Fed::Complete(record) = assembler.feed(3, "") else {
            panic!("the empty line ends it")
        };
        assert!(record.damaged);
        assert_eq!(record.last_line, 2);
        assembler.damage(4);
        assert_eq!(assembler.open_since(), Some(4));
    }
}
