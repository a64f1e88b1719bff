//! The one error type every reader returns.
//!
//! A reader never gives up on a line without saying where: each error is a
//! [`ReadErrorKind`] (what is wrong, as a sentence a person can act on) plus
//! the 1-based byte column where the problem starts.

/// What is wrong with a line, and where.
///
/// `column` is a 1-based byte column. It counts in the text the failing
/// function was given: the line for [`decode`](crate::decode) and
/// [`read_envelope`](crate::read_envelope), the payload for
/// [`parse_pairs`](crate::parse_pairs) (add
/// [`Framed::payload_offset`](crate::Framed::payload_offset) to place it in the
/// line). A problem found at the end of the text ("line ends before ...") has
/// the column just past the last byte.
///
/// `Display` writes `column N: <message>`; the kind alone displays the message
/// without the column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {column}: {kind}")]
pub struct ReadError {
    /// 1-based byte column where the problem starts.
    pub column: usize,
    /// What the problem is.
    pub kind: ReadErrorKind,
}

impl ReadError {
    /// Error at a 0-based byte offset, the form positions take inside the readers.
    pub(crate) fn at(offset: usize, kind: ReadErrorKind) -> Self {
        ReadError {
            column: offset.saturating_add(1),
            kind,
        }
    }
}

/// One variant per distinct problem, so callers can count and filter them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadErrorKind {
    // Byte level (`decode`).
    /// The bytes are not UTF-8.
    #[error("invalid UTF-8 byte sequence")]
    InvalidUtf8,
    /// A NUL byte, which no text log line carries.
    #[error("NUL byte (0x00) in the line")]
    NulByte,

    // Syslog PRI (RFC 3164 and RFC 5424).
    /// RFC 5424 lines must start with `<PRI>`.
    #[error("expected '<' starting the PRI, as in <30>")]
    MissingPri,
    /// Something other than digits between `<` and `>`.
    #[error("PRI must be digits between '<' and '>', as in <30>")]
    PriNotNumber,
    /// `<` and digits without the closing `>`.
    #[error("PRI has no closing '>'")]
    PriUnterminated,
    /// PRI above 191 (facility 23 * 8 + severity 7).
    #[error("PRI is out of range: it must be 0-191 (facility * 8 + severity)")]
    PriOutOfRange,

    // Timestamps.
    /// A BSD timestamp must start with an English month abbreviation.
    #[error("expected a month name (Jan, Feb, ..., Dec) and a space, as in 'Mar 13 12:00:01'")]
    InvalidMonth,
    /// BSD timestamp day not a day of its month, or not followed by a space.
    #[error(
        "expected a day of the month (1-31, 1-30 in Apr, Jun, Sep and Nov, 1-29 in Feb) \
         and a space, as in 'Mar 13' or 'Mar  3'"
    )]
    InvalidDay,
    /// BSD timestamp time not `hh:mm:ss` in range.
    #[error("expected a time hh:mm:ss (hour 00-23, minute 00-59, second 00-60) and a space")]
    InvalidTime,
    /// RFC 3339 timestamp malformed or out of range.
    #[error("expected an RFC 3339 timestamp such as 2026-03-13T12:00:01.003Z or 2026-03-13T12:00:01+01:00")]
    InvalidTimestamp,

    // RFC 3164 tag.
    /// No `name:` or `name[pid]:` token after the timestamp (and hostname).
    #[error("expected a tag such as 'name:' or 'name[pid]:' after the timestamp and hostname")]
    MissingTag,
    /// The tag token ends in `:` but its name or pid is empty or malformed.
    #[error("malformed tag: expected a non-empty name, optionally followed by a non-empty [pid], then ':'")]
    InvalidTag,

    // RFC 5424 header and structured data.
    /// The field after the PRI is not `1`.
    #[error("expected syslog protocol version 1 after the PRI")]
    UnsupportedVersion,
    /// The line ends before a required header field.
    #[error("line ends before the {field} field")]
    MissingField {
        /// RFC 5424 field name, e.g. `HOSTNAME`.
        field: &'static str,
    },
    /// A header field is empty, too long, or has non-printable characters.
    #[error("{field} must be '-' or 1-{max} printable ASCII characters")]
    InvalidHeaderField {
        /// RFC 5424 field name, e.g. `APP-NAME`.
        field: &'static str,
        /// Its maximum length in RFC 5424.
        max: usize,
    },
    /// STRUCTURED-DATA is neither `-` nor `[...]`.
    #[error("expected '-' or '[' starting the structured data")]
    ExpectedStructuredData,
    /// SD-ID or parameter name empty, too long or with a forbidden character.
    #[error("expected a structured data name: 1-32 printable ASCII characters other than '=', ' ', ']' and '\"'")]
    InvalidSdName,
    /// An SD-ID written a second time in one message (RFC 5424 §6.3.2).
    #[error("structured data element ID appears twice in one message")]
    DuplicateSdId,
    /// A `]` inside a parameter value that is not escaped as `\]` (§6.3.3).
    #[error("']' inside a structured data parameter value must be escaped as '\\]'")]
    UnescapedSdBracket,
    /// Parameter name not followed by `="`.
    #[error("expected '=\"' after the structured data parameter name")]
    ExpectedSdValue,
    /// Parameter value opened with `"` but never closed.
    #[error("structured data parameter value has no closing '\"'")]
    UnterminatedSdValue,
    /// `[` without its `]`.
    #[error("structured data element has no closing ']'")]
    UnterminatedSdElement,
    /// Something right after the structured data other than a space.
    #[error("expected a space between the structured data and the message")]
    ExpectedSpaceBeforeMsg,

    // journald (`journalctl -o json`).
    /// The line does not start with `{`.
    #[error("expected a JSON object, one journal entry as `journalctl -o json` writes it")]
    NotJsonObject,
    /// Malformed JSON.
    #[error("invalid journal JSON: {reason}")]
    InvalidJson {
        /// serde_json's explanation.
        reason: String,
    },
    /// The entry has no MESSAGE field.
    #[error("journal entry has no MESSAGE field")]
    MissingMessage,
    /// journalctl writes `null` for a field it left out.
    #[error(
        "{field} is null: journalctl writes null for fields over 4096 bytes unless run with --all"
    )]
    NullField {
        /// Journal field name, e.g. `MESSAGE`.
        field: &'static str,
    },
    /// A field of the wrong JSON type or with an unusable value.
    #[error("{field} must be {expected}")]
    InvalidFieldValue {
        /// Journal field name, e.g. `PRIORITY`.
        field: &'static str,
        /// What it must be, e.g. `a syslog severity, "0" to "7"`.
        expected: &'static str,
    },

    // key=value payloads.
    /// A `"` opening a value that is never closed.
    #[error("quoted value has no closing '\"' (a closing quote is followed by a space or the end of the payload)")]
    UnterminatedQuote,
    /// A word that is not `KEY=VALUE`.
    #[error("expected KEY=VALUE, found a word without '='")]
    MissingEquals,
    /// `=value` with nothing before the `=`.
    #[error("empty key before '='")]
    EmptyKey,
    /// A `"` inside a key.
    #[error("a key cannot contain '\"'")]
    QuoteInKey,

    // OpenTelemetry OTLP/JSON exports.
    /// The line is not an OTLP/JSON logs export, or a log record in it is malformed.
    #[error("invalid OTLP/JSON logs export: {reason}")]
    InvalidOtlp {
        /// What is wrong, as serde_json or the OTLP shape says.
        reason: String,
    },

    // JSON records (json-lines, json-document, extended-json, SSE data).
    /// The record is not a JSON object.
    #[error("expected a JSON object starting with '{{'")]
    ExpectedJsonObject,
    /// Malformed JSON, and what was expected where.
    #[error("invalid JSON: {reason}")]
    Json {
        /// What is wrong, e.g. `expected ',' or '}' after a member`.
        reason: &'static str,
    },
    /// Objects and arrays nested deeper than the reader follows.
    #[error("JSON nested deeper than {max} levels")]
    JsonTooDeep {
        /// The limit.
        max: usize,
    },
    /// Something other than whitespace after the record's JSON object.
    #[error("text after the end of the JSON object")]
    TrailingText,

    // Text layouts (logback, pipe-separated, rce-readable).
    /// A part of a fixed layout is missing or malformed.
    #[error("expected {part}")]
    Layout {
        /// What was expected there, e.g. `'[thread]' after the level`.
        part: &'static str,
    },
    /// A line that continues a record, with no record before it.
    #[error("a continuation line with no record before it")]
    Orphan,
}
