//! The wire formats, what an envelope holds, and dispatch to each reader.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use crate::error::ReadError;
use crate::{
    journald, jsondoc, jsonlines, logback, otlp, pipe, rce_readable, rfc3164, rfc5424, sse,
};

/// A wire format: how a producer's lines are framed around their payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// BSD syslog as in /var/log/syslog, with or without `<PRI>` and hostname.
    Rfc3164,
    /// IETF syslog, `<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG`.
    Rfc5424,
    /// One JSON object per line, as `journalctl -o json` writes.
    Journald,
    /// No envelope: the whole line is the payload.
    Bare,
    /// One JSON object per line: the object is the record.
    JsonLines,
    /// A whole input is one JSON object.
    JsonDocument,
    /// MongoDB Extended JSON (relaxed or canonical) or plain JSON, one
    /// document per line, as `mongoexport` writes it.
    ExtendedJson,
    /// Logback: `TIME LEVEL [thread] [key=value]… logger -- message`.
    Logback,
    /// `TIME | LEVEL | logger | message`.
    PipeSeparated,
    /// RCE's readable event log: title line, indented `Title: value` lines.
    RceReadable,
    /// Server-sent events as `curl -N` prints them.
    Sse,
    OtlpJson,
    PlainText,
}

/// How a format's lines group into records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// Each line is a record.
    Line,
    /// Records are runs of lines separated by empty lines (or by the
    /// format's separator lines, which belong to no record).
    Blocks,
    /// A record starts at a line shaped like one; lines that are not
    /// continue it (a stack trace after a log line).
    Continuation,
    /// The whole input is one record.
    Document,
}

impl Format {
    /// Every format, in the order of their names in the spec schema.
    pub const ALL: [Format; 13] = [
        Format::Rfc3164,
        Format::Rfc5424,
        Format::Journald,
        Format::Bare,
        Format::JsonLines,
        Format::JsonDocument,
        Format::ExtendedJson,
        Format::Logback,
        Format::PipeSeparated,
        Format::RceReadable,
        Format::Sse,
        Format::OtlpJson,
        Format::PlainText,
    ];

    /// How the format's lines group into records.
    pub fn framing(self) -> Framing {
        match self {
            Format::Rfc3164
            | Format::Rfc5424
            | Format::Journald
            | Format::Bare
            | Format::JsonLines
            | Format::ExtendedJson
            | Format::OtlpJson
            | Format::PlainText => Framing::Line,
            Format::Logback | Format::PipeSeparated => Framing::Continuation,
            Format::RceReadable | Format::Sse => Framing::Blocks,
            Format::JsonDocument => Framing::Document,
        }
    }

    /// Whether `line` separates records without belonging to one (an RCE
    /// session's line of dashes). Empty lines are handled by the framing.
    pub fn is_separator(self, line: &str) -> bool {
        self == Format::RceReadable && rce_readable::is_separator(line)
    }

    /// Whether `line` begins a record, for [`Framing::Continuation`].
    pub fn starts_record(self, line: &str) -> bool {
        looks_like(self, line)
    }

    /// Whether `line` continues the record before it, for
    /// [`Framing::Continuation`]: only what the layout prints after a
    /// record (a Java stack trace, a Python traceback), given what the
    /// record's lines so far were.
    pub fn continues_record(self, line: &str, trace: crate::frame::Trace) -> bool {
        match self {
            Format::Logback => logback::continues(line, trace.at_second_line()),
            Format::PipeSeparated => pipe::continues(line, trace.in_traceback()),
            _ => false,
        }
    }

    /// What [`Format::continues_record`] takes after a record, in words
    /// (for `explain`); `None` for formats whose records do not continue.
    pub fn continuation(self) -> Option<&'static str> {
        match self {
            Format::Logback => Some(
                "a Java stack trace (the exception line, `\\tat …`, `Caused by: …`, \
                 `Suppressed: …`, `... N more`)",
            ),
            Format::PipeSeparated => Some(
                "a Python traceback (`Traceback (most recent call last):`, its indented \
                 lines, the exception, the lines chaining exceptions)",
            ),
            _ => None,
        }
    }

    /// Whether every line has this format's shape (bare, plain text), so
    /// that detection tries it only when nothing more specific fits.
    pub fn takes_any_line(self) -> bool {
        matches!(self, Format::Bare | Format::PlainText)
    }

    /// Whether the format frames a text payload (read as key=value) rather
    /// than carrying its fields itself.
    pub fn has_payload(self) -> bool {
        matches!(
            self,
            Format::Rfc3164 | Format::Rfc5424 | Format::Journald | Format::Bare
        )
    }

    /// The name used in specs and on the command line, e.g. `rfc3164`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Rfc3164 => "rfc3164",
            Format::Rfc5424 => "rfc5424",
            Format::Journald => "journald",
            Format::Bare => "bare",
            Format::JsonLines => "json-lines",
            Format::JsonDocument => "json-document",
            Format::ExtendedJson => "extended-json",
            Format::Logback => "logback",
            Format::PipeSeparated => "pipe-separated",
            Format::RceReadable => "rce-readable",
            Format::Sse => "sse",
            Format::OtlpJson => "otlp-json",
            Format::PlainText => "plain-text",
        }
    }

    /// The format with this exact name.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|format| format.name() == name)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not a [`Format`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown wire format {name:?}: expected one of {}", Format::ALL.map(Format::name).join(", "))]
pub struct UnknownFormat {
    /// The name as given.
    pub name: String,
}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Format, UnknownFormat> {
        Format::from_name(name).ok_or_else(|| UnknownFormat {
            name: name.to_owned(),
        })
    }
}

/// A syslog priority split into its parts: `<PRI>` is facility * 8 + severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Priority {
    /// 0-23 (kern, user, mail, daemon, ...).
    pub facility: u8,
    /// 0-7 (emerg ... debug).
    pub severity: u8,
}

/// What the wire format says around the payload. Every field is optional:
/// formats differ in what they carry, and journald may carry a severity
/// without a facility or the other way round.
///
/// The texts are borrowed from the line where it writes them as they are
/// (syslog always), so reading a record allocates nothing for them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Envelope<'a> {
    /// Syslog facility, 0-23.
    pub facility: Option<u8>,
    /// Syslog severity, 0-7.
    pub severity: Option<u8>,
    /// As written: `Mar  3 12:00:01`, an RFC 3339 timestamp, or journald's
    /// `__REALTIME_TIMESTAMP` (microseconds since the epoch).
    pub timestamp: Option<Cow<'a, str>>,
    /// Hostname, or journald's `_HOSTNAME`.
    pub hostname: Option<Cow<'a, str>>,
    /// Syslog tag, RFC 5424 APP-NAME, or journald's `SYSLOG_IDENTIFIER`.
    pub tag: Option<Cow<'a, str>>,
    /// Process id as written: `[pid]`, PROCID, or journald's `_PID`
    /// (`SYSLOG_PID` when `_PID` is absent).
    pub pid: Option<Cow<'a, str>>,
}

/// A line split into envelope and payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Framed<'a> {
    /// What the format says about the line.
    pub envelope: Envelope<'a>,
    /// The producer's own text: borrowed from the line whenever possible.
    pub payload: Cow<'a, str>,
    /// Byte offset of the payload within the line when the payload is a
    /// verbatim slice of it, so payload columns can be turned into line
    /// columns. Always set for syslog and bare lines; for journald only when
    /// MESSAGE is a JSON string without escapes (otherwise `None`: the
    /// payload was decoded and has no place in the line).
    pub payload_offset: Option<usize>,
}

/// Guess a stream's format from its first line, choosing only among
/// `allowed`.
///
/// The formats are tried in the order given: `{` (after JSON whitespace) is journald (or a JSON
/// format: a JSON line closes its object on the line, a JSON document need
/// not), `<digits>1 ` is RFC 5424, and RFC 3164 is a month-day-time or RFC
/// 3339 timestamp, after a `<digits>` PRI or (for RFC 3339, which could also
/// begin a bare payload) followed by a hostname; Logback is a timestamp, a
/// level and `[`; pipe-separated a date and ` | `; SSE a `data:`, `event:`,
/// `id:`, `retry:` or comment line; RCE readable a line of dashes or an
/// unindented title. Only the shape is checked, so a line with, say, day 32
/// is still recognised and [`read_envelope`] can say what is wrong with it.
/// Bare matches any line, so it is the fallback whatever its place in
/// `allowed`: a bare `KEY=value` line matches Bare only. `None` when the
/// line fits none of `allowed`.
pub fn detect(line: &str, allowed: &[Format]) -> Option<Format> {
    allowed
        .iter()
        .copied()
        .find(|&format| !format.takes_any_line() && looks_like(format, line))
        .or_else(|| {
            // The formats every line fits come last, bare before plain text.
            [Format::Bare, Format::PlainText]
                .into_iter()
                .find(|format| allowed.contains(format))
        })
}

/// Whether `line` has the shape of `format`'s first line.
fn looks_like(format: Format, line: &str) -> bool {
    match format {
        Format::Rfc3164 => rfc3164::looks_like(line),
        Format::Rfc5424 => rfc5424::looks_like(line),
        Format::Journald => journald::looks_like(line),
        Format::Bare | Format::PlainText => true,
        Format::OtlpJson => otlp::looks_like(line),
        Format::JsonLines | Format::ExtendedJson => jsonlines::looks_like(line),
        Format::JsonDocument => jsondoc::looks_like(line),
        Format::Logback => logback::looks_like(line),
        Format::PipeSeparated => pipe::looks_like(line),
        Format::RceReadable => rce_readable::looks_like(line),
        Format::Sse => sse::looks_like(line),
    }
}

/// Parse one decoded line in the given format.
///
/// The formats that carry their fields themselves (JSON, Logback, …) have
/// no envelope around a payload: their payload is the whole text, to be
/// read with [`read_record`](crate::read_record).
pub fn read_envelope(format: Format, line: &str) -> Result<Framed<'_>, ReadError> {
    match format {
        Format::Rfc3164 => rfc3164::read(line),
        Format::Rfc5424 => rfc5424::read(line),
        Format::Journald => journald::read(line),
        Format::Bare
        | Format::JsonLines
        | Format::JsonDocument
        | Format::ExtendedJson
        | Format::Logback
        | Format::PipeSeparated
        | Format::RceReadable
        | Format::Sse
        | Format::OtlpJson
        | Format::PlainText => Ok(Framed {
            envelope: Envelope::default(),
            payload: Cow::Borrowed(line),
            payload_offset: Some(0),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_is_described_for_every_format_that_continues_records() {
        for format in Format::ALL {
            assert_eq!(
                format.continuation().is_some(),
                format.framing() == Framing::Continuation,
                "{format}"
            );
        }
    }

    #[test]
    fn names_round_trip() {
        for format in Format::ALL {
            assert_eq!(Format::from_name(format.name()), Some(format));
            assert_eq!(format.name().parse::<Format>(), Ok(format));
            assert_eq!(format.to_string(), format.name());
        }
        assert_eq!(Format::from_name("RFC3164"), None);
    }

    #[test]
    fn serde_uses_the_spec_names() {
        let json = serde_json::to_string(&Format::ALL).expect("serializable");
        assert_eq!(
            json,
            r#"["rfc3164","rfc5424","journald","bare","json-lines","json-document","extended-json","logback","pipe-separated","rce-readable","sse","otlp-json","plain-text"]"#
        );
        let back: Vec<Format> = serde_json::from_str(&json).expect("deserializable");
        assert_eq!(back, Format::ALL);
    }

    #[test]
    fn unknown_name_lists_the_valid_ones() {
        let err = "syslog".parse::<Format>().expect_err("not a format");
        assert_eq!(
            err.to_string(),
            r#"unknown wire format "syslog": expected one of rfc3164, rfc5424, journald, bare, json-lines, json-document, extended-json, logback, pipe-separated, rce-readable, sse, otlp-json, plain-text"#
        );
    }

    const ALL: &[Format] = &[
        Format::Rfc3164,
        Format::Rfc5424,
        Format::Journald,
        Format::Bare,
    ];
    const RFC3164: &str = "Mar 13 12:00:01 host ctrl-exec[12345]: ACTION=dispatch SCRIPT=backup";
    const RFC5424: &str = "<30>1 2026-03-13T12:00:01.003Z host ctrl-exec 12345 - - ACTION=ping";
    const JOURNALD: &str = r#"{"MESSAGE":"ACTION=ping","PRIORITY":"6"}"#;

    #[test]
    fn detects_each_format() {
        assert_eq!(detect(RFC3164, ALL), Some(Format::Rfc3164));
        assert_eq!(
            detect("<30>Mar  3 12:00:01 ctrl-exec[1]: A=b", ALL),
            Some(Format::Rfc3164)
        );
        assert_eq!(
            detect("2026-03-13T12:00:01.123456+00:00 host tag[1]: A=b", ALL),
            Some(Format::Rfc3164)
        );
        assert_eq!(
            detect("<30>2026-03-13T12:00:01Z tag: A=b", ALL),
            Some(Format::Rfc3164)
        );
        assert_eq!(detect(RFC5424, ALL), Some(Format::Rfc5424));
        assert_eq!(detect(JOURNALD, ALL), Some(Format::Journald));
        assert_eq!(
            detect("ACTION=ping TARGET=web-01:7443", ALL),
            Some(Format::Bare)
        );
    }

    #[test]
    fn detection_checks_shape_not_ranges() {
        assert_eq!(
            detect("Mar 32 12:00:01 host tag: x", ALL),
            Some(Format::Rfc3164)
        );
        assert_eq!(detect("<999>1 - - - - - -", ALL), Some(Format::Rfc5424));
    }

    #[test]
    fn detection_is_limited_to_allowed() {
        assert_eq!(detect(RFC3164, &[Format::Rfc5424, Format::Journald]), None);
        assert_eq!(detect("ACTION=ping", &[Format::Rfc3164]), None);
        assert_eq!(detect(RFC3164, &[]), None);
        // Bare is the fallback wherever it is listed.
        assert_eq!(
            detect(RFC3164, &[Format::Bare, Format::Rfc3164]),
            Some(Format::Rfc3164)
        );
        assert_eq!(detect(RFC5424, &[Format::Bare]), Some(Format::Bare));
    }

    #[test]
    fn lines_that_only_resemble_syslog_are_bare() {
        for line in [
            "May the force be with you",
            "2026-03-13T12:00:01Z",
            "2026-03-13T12:00:01Z ",
            "<html>",
            "<30>hello",
            "",
        ] {
            assert_eq!(detect(line, ALL), Some(Format::Bare), "{line:?}");
        }
    }

    #[test]
    fn detects_the_record_formats() {
        let json = [Format::JsonLines, Format::JsonDocument];
        assert_eq!(detect(r#"{"a":1}"#, &json), Some(Format::JsonLines));
        assert_eq!(detect("{", &json), Some(Format::JsonDocument));
        let text = [
            Format::Sse,
            Format::Logback,
            Format::PipeSeparated,
            Format::RceReadable,
        ];
        assert_eq!(detect("data: {}", &text), Some(Format::Sse));
        assert_eq!(
            detect("2026-05-10T14:02:11.453Z INFO [http-1] a -- b", &text),
            Some(Format::Logback)
        );
        assert_eq!(
            detect("2025-01-15 14:30:22 | INFO | a | b", &text),
            Some(Format::PipeSeparated)
        );
        assert_eq!(
            detect("Application Starting", &text),
            Some(Format::RceReadable)
        );
        assert_eq!(detect("ACTION=x", &text), None);
    }

    #[test]
    fn framings() {
        assert_eq!(Format::Journald.framing(), Framing::Line);
        assert_eq!(Format::JsonLines.framing(), Framing::Line);
        assert_eq!(Format::JsonDocument.framing(), Framing::Document);
        assert_eq!(Format::Sse.framing(), Framing::Blocks);
        assert_eq!(Format::Logback.framing(), Framing::Continuation);
        assert!(Format::RceReadable.is_separator("-----"));
        assert!(!Format::Sse.is_separator("-----"));
    }

    #[test]
    fn bare_payload_is_the_whole_line() {
        let framed = read_envelope(Format::Bare, "  A=b ").expect("bare never fails");
        assert_eq!(framed.envelope, Envelope::default());
        assert_eq!(framed.payload, "  A=b ");
        assert_eq!(framed.payload_offset, Some(0));
    }
}
