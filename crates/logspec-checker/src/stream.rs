//! Checks a whole input in one pass: lines → envelope → key=value pairs →
//! per-record checks, keeping only counters between lines.

use crate::coverage::Coverage;
use crate::finding::{Code, Finding, FindingSink};
use crate::plan::Plan;
use crate::record::{check_record, excerpt, RecordInput, Scratch};
use logspec_reader::{decode, detect, parse_pairs_into, read_envelope, Format, LineReader, Pair};
use serde::Serialize;
use std::io::BufRead;
use std::sync::Arc;

pub use logspec_reader::DEFAULT_MAX_LINE_BYTES;

#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The input format; `None` detects it from the first record.
    pub format: Option<Format>,
    pub max_line_bytes: usize,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            format: None,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
        }
    }
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

/// Checks inputs against one spec and keeps coverage across them.
pub struct Checker<'p> {
    plan: &'p Plan,
    options: CheckOptions,
    coverage: Coverage,
    scratch: Scratch,
}

impl<'p> Checker<'p> {
    pub fn new(plan: &'p Plan, options: CheckOptions) -> Checker<'p> {
        Checker {
            plan,
            options,
            coverage: Coverage::new(plan),
            scratch: Scratch::default(),
        }
    }

    pub fn coverage(&self) -> &Coverage {
        &self.coverage
    }

    /// Checks every line of `input`, named `name` in findings.
    pub fn check_input<R: BufRead>(
        &mut self,
        name: &str,
        input: R,
        sink: &mut dyn FindingSink,
    ) -> std::io::Result<InputSummary> {
        let file: Arc<str> = Arc::from(name);
        let mut summary = InputSummary {
            file: Arc::clone(&file),
            format: self.options.format,
            detected: self.options.format.is_none(),
            lines: 0,
            records: 0,
            severity_unchecked: 0,
            emitter_unchecked: 0,
        };
        let mut lines = LineReader::new(input, self.options.max_line_bytes);
        let mut spare_pairs: Vec<Pair<'static>> = Vec::new();
        while let Some(raw) = lines.next_line()? {
            summary.lines += 1;
            let number = raw.number;
            let problem = |code: Code, message: String, column: Option<usize>, text: &str| {
                let mut finding = Finding::new(code, &file, number, message);
                finding.column = column;
                finding.excerpt = Some(excerpt(
                    text,
                    column.map(|column| column - 1..(column).min(text.len())),
                ));
                finding
            };
            if raw.skipped_bytes > 0 {
                sink.push(problem(
                    Code::ParseError,
                    format!(
                        "line is {} bytes, over the limit of {}; not checked",
                        raw.bytes.len() as u64 + raw.skipped_bytes,
                        self.options.max_line_bytes
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
                        error.to_string(),
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
            let format = match summary.format {
                Some(format) => format,
                None => match detect(line, &self.plan.formats) {
                    Some(format) => {
                        summary.format = Some(format);
                        format
                    }
                    None => {
                        sink.push(problem(
                            Code::ParseError,
                            format!(
                                "the line matches none of the formats {} declares ({})",
                                self.plan.producer,
                                format_names(&self.plan.formats)
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
                        format!("not a valid {} line: {error}", format.name()),
                        Some(error.column),
                        line,
                    ));
                    continue;
                }
            };
            let payload_offset = framed.payload_offset;
            let mut pairs = recycle(std::mem::take(&mut spare_pairs));
            if let Err(error) = parse_pairs_into(&framed.payload, &mut pairs) {
                let column = payload_offset.map(|offset| offset + error.column);
                sink.push(problem(
                    Code::ParseError,
                    format!("cannot read the key=value payload: {error}"),
                    column,
                    line,
                ));
                continue;
            }
            summary.records += 1;
            let outcome = check_record(
                self.plan,
                &RecordInput {
                    file: &file,
                    line_number: number,
                    line,
                    envelope: &framed.envelope,
                    pairs: &pairs,
                    payload_offset,
                },
                &mut self.scratch,
                sink,
            );
            if let Some(classification) = outcome.classification {
                self.coverage.count(classification);
                summary.severity_unchecked += u64::from(!outcome.severity_checked);
                summary.emitter_unchecked += u64::from(!outcome.emitter_checked);
                let mut fields = pairs.iter().map(|pair| (pair.key, pair.value.as_ref()));
                sink.record(classification, &mut fields);
            }
            spare_pairs = recycle(pairs);
        }
        if summary.records == 0 {
            let mut finding = Finding::new(
                Code::EmptyInput,
                &file,
                summary.lines,
                if summary.lines == 0 {
                    "the input is empty: nothing was checked".to_owned()
                } else {
                    format!(
                        "none of the {} lines is a record: nothing was checked",
                        summary.lines
                    )
                },
            );
            finding.excerpt = None;
            sink.push(finding);
        }
        Ok(summary)
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
