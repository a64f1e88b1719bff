//! Logback's single-line layout, as PrexorCloud's HUMAN format writes it:
//!
//! ```text
//! 2026-05-10T14:02:11.453Z INFO [http-1] [requestId=abf12d49] api.groups -- create group=lobby parent=null
//! ```
//!
//! timestamp, level, `[thread]`, one `[key=value]` per bound MDC entry,
//! the logger, ` -- `, and the message. A logged exception continues the
//! record on the following lines (the stack trace), which belong to the
//! message. The fields are named `timestamp`, `level`, `thread`, `logger`
//! and `message` (the names the JSON layout uses), and each MDC entry by
//! its key.

use crate::error::{ReadError, ReadErrorKind};
use crate::fields::{Field, RecordHead};
use crate::format::Envelope;

pub(crate) fn read<'a>(
    text: &'a str,
    out: &mut Vec<Field<'a>>,
) -> Result<Option<RecordHead<'a>>, ReadError> {
    let first_end = memchr::memchr(b'\n', text.as_bytes()).unwrap_or(text.len());
    let line = text.get(..first_end).unwrap_or_default();
    let layout = |at: usize, part: &'static str| ReadError::at(at, ReadErrorKind::Layout { part });

    let timestamp =
        timestamp(line).ok_or_else(|| layout(0, "a timestamp at the start of the line"))?;
    let level_start = skip_spaces(line, timestamp.end);
    let level = token(line, level_start)
        .filter(|level| line[level.clone()].bytes().all(|b| b.is_ascii_alphabetic()))
        .ok_or_else(|| layout(level_start, "a level (INFO, WARN, …) after the timestamp"))?;
    let thread_open = skip_spaces(line, level.end);
    if line.as_bytes().get(thread_open) != Some(&b'[') {
        return Err(layout(thread_open, "'[thread]' after the level"));
    }
    let thread_close = find(line, thread_open + 1, "] ")
        .ok_or_else(|| layout(thread_open, "']' closing the thread name, then a space"))?;
    out.push(Field::named("timestamp", text, timestamp.clone()));
    out.push(Field::named("level", text, level));
    out.push(Field::named("thread", text, thread_open + 1..thread_close));

    let mut pos = skip_spaces(line, thread_close + 1);
    // `[key=value]` groups are MDC entries; any other bracket (a module
    // prefix such as `[module:backup]`) starts the logger.
    while line.as_bytes().get(pos) == Some(&b'[') {
        let Some(close) = find(line, pos + 1, "]") else {
            break;
        };
        let inner = pos + 1..close;
        let Some(equals) = find(line, inner.start, "=").filter(|&at| at < close) else {
            break;
        };
        let key = inner.start..equals;
        if key.is_empty() || line[key.clone()].contains(' ') {
            break;
        }
        out.push(Field::text(text, key, equals + 1..close));
        pos = skip_spaces(line, close + 1);
    }
    let arrow = find(line, pos, " -- ")
        .filter(|&at| at > pos)
        .ok_or_else(|| layout(pos, "a logger, then ' -- ' before the message"))?;
    out.push(Field::named("logger", text, pos..arrow));
    out.push(Field::named("message", text, arrow + 4..text.len()));
    Ok(Some(RecordHead {
        envelope: Envelope {
            timestamp: Some(line[timestamp].into()),
            ..Envelope::default()
        },
        event: None,
    }))
}

/// The timestamp at the start of the line: the first word, or the first
/// two when the first is a date alone (`2026-05-10 14:02:11.453`).
fn timestamp(line: &str) -> Option<std::ops::Range<usize>> {
    let first = token(line, 0)?;
    if first.len() == 10 {
        if let Some(time) = token(line, first.end + 1).filter(|time| {
            line.as_bytes()
                .get(time.start)
                .is_some_and(u8::is_ascii_digit)
        }) {
            return Some(0..time.end);
        }
    }
    Some(first)
}

/// The run of non-space bytes at `start`, if any.
fn token(line: &str, start: usize) -> Option<std::ops::Range<usize>> {
    let rest = line.as_bytes().get(start..)?;
    let length = rest.iter().take_while(|&&b| b != b' ').count();
    (length > 0).then_some(start..start + length)
}

fn skip_spaces(line: &str, from: usize) -> usize {
    let rest = line.as_bytes().get(from..).unwrap_or_default();
    from + rest.iter().take_while(|&&b| b == b' ').count()
}

/// Offset of the first `needle` at or after `from`.
fn find(line: &str, from: usize, needle: &str) -> Option<usize> {
    line.get(from..)?.find(needle).map(|at| from + at)
}

/// Shape check for [`detect`](crate::detect) and for where a record
/// starts: a date, a time, a level word and `[`.
pub(crate) fn looks_like(line: &str) -> bool {
    let bytes = line.as_bytes();
    let dated = bytes.len() > 11
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && matches!(bytes[10], b'T' | b' ');
    if !dated {
        return false;
    }
    let Some(timestamp) = timestamp(line) else {
        return false;
    };
    let level_start = skip_spaces(line, timestamp.end);
    token(line, level_start).is_some_and(|level| {
        line[level.clone()].bytes().all(|b| b.is_ascii_uppercase())
            && line.as_bytes().get(skip_spaces(line, level.end)) == Some(&b'[')
    })
}

/// Whether `line` is part of the stack trace Logback prints after a
/// record's line: `\tat frame`, `... N more` (or `... N common frames
/// omitted`), `Caused by: …`, `Suppressed: …`, `Wrapped by: …`, and, as the
/// record's second line, the exception itself (`java.io.IOException: x`).
/// Nothing else follows a record in the layout.
pub(crate) fn continues(line: &str, second_line: bool) -> bool {
    let trimmed = line.trim_start();
    let indented = trimmed.len() < line.len();
    if indented && trimmed.starts_with("at ") && trimmed.len() > 3 {
        return true;
    }
    if let Some(rest) = trimmed.strip_prefix("... ") {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let tail = rest.get(digits..).unwrap_or_default().trim_end();
        return digits > 0 && matches!(tail, " more" | " common frames omitted");
    }
    for cause in ["Caused by: ", "Suppressed: ", "Wrapped by: "] {
        if trimmed.strip_prefix(cause).is_some_and(exception_line) {
            return true;
        }
    }
    second_line && exception_line(line)
}

/// `pkg.Name` or `pkg.Name: message`: a qualified Java class name (at
/// least one dot) at the start of the line.
fn exception_line(line: &str) -> bool {
    let name = line
        .split_once(": ")
        .map_or(line.trim_end(), |(name, _)| name);
    let mut parts = 0;
    for part in name.split('.') {
        let mut chars = part.chars();
        let starts = chars
            .next()
            .is_some_and(|first| first.is_alphabetic() || matches!(first, '_' | '$'));
        if !starts || !chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '$')) {
            return false;
        }
        parts += 1;
    }
    parts > 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_stack_trace_continues_a_record() {
        for line in [
            "\tat com.example.Groups.create(Groups.java:42)",
            "    at com.example.Main.main(Main.java:1)",
            "\t... 12 more",
            "\t... 3 common frames omitted",
            "Caused by: java.io.IOException: disk full",
            "\tSuppressed: java.lang.IllegalStateException",
        ] {
            assert!(continues(line, false), "{line:?}");
        }
        assert!(continues("java.lang.IllegalStateException: boom", true));
        assert!(continues("io.grpc.StatusRuntimeException", true));
        for line in [
            "java.lang.IllegalStateException: boom",
            "2026-05-10T14:02:11.453Z info [main] api -- lowercase level",
            "2026-05-10T14:02:11.453Z INFO api -- no thread",
            "plain text the layout never prints",
            "at the start, unindented",
            "",
            "\t... more",
            "Caused by: nothing like a class",
        ] {
            assert!(!continues(line, false), "{line:?}");
        }
        assert!(!continues("config: a plain remark", true));
    }

    fn fields(text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        read(text, &mut out).unwrap_or_else(|error| panic!("{text}: {error}"));
        for field in &out {
            if let Some(span) = &field.value_span {
                assert_eq!(text.get(span.clone()), Some(&*field.value));
            }
        }
        out.into_iter()
            .map(|f| (f.key.into_owned(), f.value.into_owned()))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// The document's three example lines, exactly.
    #[test]
    fn the_documents_examples() {
        assert_eq!(
            fields("2026-05-10T14:02:11.453Z INFO [http-1] [requestId=abf12d49] api.groups -- create group=lobby parent=null"),
            pairs(&[
                ("timestamp", "2026-05-10T14:02:11.453Z"),
                ("level", "INFO"),
                ("thread", "http-1"),
                ("requestId", "abf12d49"),
                ("logger", "api.groups"),
                ("message", "create group=lobby parent=null"),
            ])
        );
        assert_eq!(
            fields("2026-05-10T14:02:11.481Z INFO [scheduler-1] [requestId=abf12d49] scheduler.placement -- placed lobby-1 on node-1")[4],
            ("logger".to_owned(), "scheduler.placement".to_owned())
        );
        assert_eq!(
            fields("2026-05-10T14:02:11.502Z DEBUG [grpc-out-1] [requestId=abf12d49] grpc.outbound -- start frame to node-1 instance=lobby-1")[5],
            ("message".to_owned(), "start frame to node-1 instance=lobby-1".to_owned())
        );
    }

    #[test]
    fn no_mdc_padded_level_module_prefix_and_stack_trace() {
        assert_eq!(
            fields("2026-05-10T14:02:11Z WARN  [main] [module:backup] me.x.Backup -- stale data\njava.lang.IllegalStateException: x\n\tat me.x.Backup.run(Backup.java:1)"),
            pairs(&[
                ("timestamp", "2026-05-10T14:02:11Z"),
                ("level", "WARN"),
                ("thread", "main"),
                ("logger", "[module:backup] me.x.Backup"),
                (
                    "message",
                    "stale data\njava.lang.IllegalStateException: x\n\tat me.x.Backup.run(Backup.java:1)"
                ),
            ])
        );
        assert_eq!(fields("2026-05-10T14:02:11Z INFO [t] a.b -- ")[4].1, "");
    }

    #[test]
    fn broken_layouts_say_what_is_missing_where() {
        let column = |text: &str| read(text, &mut Vec::new()).expect_err(text).column;
        assert_eq!(column(""), 1);
        assert_eq!(column("2026-05-10T14:02:11Z"), 21);
        assert_eq!(column("2026-05-10T14:02:11Z INFO http-1 a -- m"), 27);
        assert_eq!(column("2026-05-10T14:02:11Z INFO [http-1 a -- m"), 27);
        assert_eq!(
            column("2026-05-10T14:02:11Z INFO [http-1] api.groups create"),
            36
        );
        assert_eq!(column("2026-05-10T14:02:11Z INFO [http-1]  -- m"), 37);
    }

    #[test]
    fn shape() {
        assert!(looks_like("2026-05-10T14:02:11.453Z INFO [http-1] a -- b"));
        assert!(looks_like("2026-05-10 14:02:11,453 ERROR [main] a -- b"));
        assert!(!looks_like("\tat me.x.Backup.run(Backup.java:1)"));
        assert!(!looks_like(
            "2025-01-15 14:30:22 | INFO | src.server.main | x"
        ));
    }
}
