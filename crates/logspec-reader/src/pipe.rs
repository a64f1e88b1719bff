//! Lines of the form `TIME | LEVEL | logger | message`, as Python's
//! logging writes them with a `%(asctime)s | %(levelname)s | %(name)s |
//! %(message)s` format (Agent Hub's API server on stdout):
//!
//! ```text
//! 2025-01-15 14:31:15 | INFO | src.server.exec.runner | [20250115_143100_abc] Executing: whoami
//! ```
//!
//! Fields: `timestamp`, `level`, `logger`, `message` (everything after the
//! third separator, continuation lines such as a traceback included), and
//! `prefix` when the message starts with a bracketed word (`[run_id] `).
//! Levels padded for alignment are trimmed.

use crate::error::{ReadError, ReadErrorKind};
use crate::fields::{Field, RecordHead};
use crate::format::Envelope;

const SEPARATOR: &str = " | ";

pub(crate) fn read<'a>(
    text: &'a str,
    out: &mut Vec<Field<'a>>,
) -> Result<Option<RecordHead<'a>>, ReadError> {
    let first_end = memchr::memchr(b'\n', text.as_bytes()).unwrap_or(text.len());
    let line = text.get(..first_end).unwrap_or_default();
    let mut bounds = [0usize; 3];
    let mut from = 0;
    for (index, what) in [
        "' | ' after the timestamp",
        "' | ' after the level",
        "' | ' after the logger",
    ]
    .into_iter()
    .enumerate()
    {
        let at = line
            .get(from..)
            .and_then(|rest| rest.find(SEPARATOR))
            .map(|at| from + at)
            .ok_or_else(|| ReadError::at(line.len(), ReadErrorKind::Layout { part: what }))?;
        bounds[index] = at;
        from = at + SEPARATOR.len();
    }
    let trimmed = |range: std::ops::Range<usize>| {
        let part = line.get(range.clone()).unwrap_or_default();
        let start = range.start + (part.len() - part.trim_start().len());
        start..start + part.trim().len()
    };
    let timestamp = 0..bounds[0];
    if timestamp.is_empty() {
        return Err(ReadError::at(
            0,
            ReadErrorKind::Layout {
                part: "a timestamp at the start of the line",
            },
        ));
    }
    let level = trimmed(bounds[0] + SEPARATOR.len()..bounds[1]);
    let logger = trimmed(bounds[1] + SEPARATOR.len()..bounds[2]);
    let message = bounds[2] + SEPARATOR.len()..text.len();
    out.push(Field::named("timestamp", text, timestamp.clone()));
    out.push(Field::named("level", text, level));
    out.push(Field::named("logger", text, logger));
    out.push(Field::named("message", text, message.clone()));
    if let Some(prefix) = bracket_prefix(line, message.start) {
        out.push(Field::named("prefix", text, prefix));
    }
    Ok(Some(RecordHead {
        envelope: Envelope {
            timestamp: Some(line[timestamp].into()),
            ..Envelope::default()
        },
        event: None,
    }))
}

/// The word inside a leading `[word] ` of the message at `start`.
fn bracket_prefix(line: &str, start: usize) -> Option<std::ops::Range<usize>> {
    let rest = line.get(start..)?.strip_prefix('[')?;
    let close = rest.find("] ")?;
    let word = rest.get(..close)?;
    (!word.is_empty() && !word.contains([' ', '['])).then_some(start + 1..start + 1 + close)
}

/// The line that opens a Python traceback.
pub(crate) fn opens_traceback(line: &str) -> bool {
    line.trim_end() == "Traceback (most recent call last):"
}

/// Whether `line` is part of the traceback Python's logging prints after a
/// record's line (`logger.exception`): the `Traceback …` line, then, once
/// one is open, its indented frames and source lines, the exception
/// (`ValueError: boom`), the lines that chain exceptions, and the empty
/// lines around them. Nothing else follows a record in the layout.
pub(crate) fn continues(line: &str, in_traceback: bool) -> bool {
    if opens_traceback(line) {
        return true;
    }
    if !in_traceback {
        return false;
    }
    let chained = [
        "During handling of the above exception, another exception occurred:",
        "The above exception was the direct cause of the following exception:",
    ];
    line.trim().is_empty()
        || line.starts_with([' ', '\t'])
        || chained.contains(&line.trim_end())
        || exception_line(line)
}

/// `Name`, `pkg.Name` or `Name: message`, a Python exception as a
/// traceback's last line prints it.
fn exception_line(line: &str) -> bool {
    let name = line
        .split_once(": ")
        .map_or(line.trim_end(), |(name, _)| name);
    !name.is_empty()
        && name.split('.').all(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .is_some_and(|first| first.is_alphabetic() || first == '_')
                && chars.all(|c| c.is_alphanumeric() || c == '_')
        })
}

/// Shape check for [`detect`](crate::detect) and for where a record
/// starts: a date, then `' | '` within the first few dozen bytes.
pub(crate) fn looks_like(line: &str) -> bool {
    let bytes = line.as_bytes();
    bytes.len() > 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        // In bytes: the first 40 may end inside a character.
        && bytes
            .get(..bytes.len().min(40))
            .is_some_and(|head| memchr::memmem::find(head, SEPARATOR.as_bytes()).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_character_across_the_40th_byte_is_no_obstacle() {
        assert!(looks_like("2000-01-01 00:00:00 | INFO | aaa | aa🦀"));
    }

    #[test]
    fn only_a_traceback_continues_a_record() {
        assert!(continues("Traceback (most recent call last):", false));
        for line in [
            "  File \"/srv/hub/src/server/exec/runner.py\", line 42, in run",
            "    result = subprocess.run(command)",
            "ValueError: boom",
            "KeyboardInterrupt",
            "",
            "During handling of the above exception, another exception occurred:",
        ] {
            assert!(continues(line, true), "{line:?}");
            assert!(!continues(line, false), "{line:?}");
        }
        for line in [
            "plain text the layout never prints",
            "2025-01-15 14:31:15 | info",
            "2025-01-15 14:31:15 INFO src.server.main no separators",
        ] {
            assert!(!continues(line, true), "{line:?}");
        }
    }

    fn fields(text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        read(text, &mut out).unwrap_or_else(|error| panic!("{text}: {error}"));
        out.into_iter()
            .map(|f| (f.key.into_owned(), f.value.into_owned()))
            .collect()
    }

    #[test]
    fn the_documents_lines() {
        let fields = fields(
            "2025-01-15 14:31:15 | INFO | src.server.exec.runner | [20250115_143100_abc] Executing: whoami",
        );
        let expected: Vec<(String, String)> = [
            ("timestamp", "2025-01-15 14:31:15"),
            ("level", "INFO"),
            ("logger", "src.server.exec.runner"),
            ("message", "[20250115_143100_abc] Executing: whoami"),
            ("prefix", "20250115_143100_abc"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        assert_eq!(fields, expected);
        let plain = super::tests::fields(
            "2025-01-15 14:31:00 | INFO | src.server.main | Queued command 20250115_143100_abc: whoami...",
        );
        assert_eq!(plain.len(), 4);
        assert_eq!(plain[3].1, "Queued command 20250115_143100_abc: whoami...");
    }

    #[test]
    fn padded_level_pipes_in_message_and_traceback() {
        let fields = fields(
            "2025-01-15 14:31:15 | WARNING  | a.b | x | y\nTraceback (most recent call last):",
        );
        assert_eq!(fields[1].1, "WARNING");
        assert_eq!(fields[3].1, "x | y\nTraceback (most recent call last):");
    }

    #[test]
    fn missing_separators_are_errors() {
        let error = read("2025-01-15 14:31:15 | INFO | a.b", &mut Vec::new()).expect_err("2 of 3");
        assert_eq!(
            error.kind,
            ReadErrorKind::Layout {
                part: "' | ' after the logger"
            }
        );
        assert!(read(" | INFO | a | b", &mut Vec::new()).is_err());
    }

    #[test]
    fn shape() {
        assert!(looks_like(
            "2025-01-15 14:30:22 | INFO | src.server.main | x"
        ));
        assert!(!looks_like("Traceback (most recent call last):"));
        assert!(!looks_like("2026-05-10T14:02:11.453Z INFO [http-1] a -- b"));
    }
}
