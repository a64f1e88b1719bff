//! Records as fields: the one view the checker judges, whatever the format.
//!
//! A key=value payload, a JSON object (nesting flattened to dotted paths),
//! a Logback line and an RCE readable block all become a list of
//! [`Field`]s, so one checker holds every format to the spec. Each field
//! keeps where its key and value sit in the record text (for findings that
//! point), and, in JSON, the value's JSON type (a port written as `"8080"`
//! is not the same record as one written as `8080`).

use std::borrow::Cow;
use std::ops::Range;

use crate::error::ReadError;
use crate::format::{read_envelope, Envelope, Format};
use crate::keyvalue::{parse_pairs, Pair};
use crate::{extjson, jsondoc, jsonlines, logback, otlp, pipe, plaintext, rce_readable, sse};

/// The JSON type of a value, with the Extended JSON wrappers MongoDB
/// uses for scalars (`{"$oid": …}`, `{"$date": …}`) as types of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsonKind {
    String,
    Number,
    Boolean,
    Null,
    Array,
    Object,
    ObjectId,
    Date,
}

impl JsonKind {
    /// How messages name it.
    pub fn name(self) -> &'static str {
        match self {
            JsonKind::String => "a JSON string",
            JsonKind::Number => "a JSON number",
            JsonKind::Boolean => "a JSON boolean",
            JsonKind::Null => "null",
            JsonKind::Array => "a JSON array",
            JsonKind::Object => "a JSON object",
            JsonKind::ObjectId => "an $oid",
            JsonKind::Date => "a $date",
        }
    }
}

/// One field of a record, as the format writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field<'a> {
    /// The field's name; a dotted path for nested JSON (`actor.ip`).
    pub key: Cow<'a, str>,
    /// The value as text: a JSON string unescaped, a number or boolean as
    /// written, an array as its JSON text, `null` as the empty string.
    pub value: Cow<'a, str>,
    /// The value's JSON type; `None` in text formats.
    pub json: Option<JsonKind>,
    /// Byte range of the key in the record text, when it is written there.
    pub key_span: Option<Range<usize>>,
    /// Byte range of the value in the record text (quotes included).
    pub value_span: Option<Range<usize>>,
}

impl<'a> Field<'a> {
    /// A text field whose key and value are slices of the record text at
    /// `key_span` and `value_span`.
    pub(crate) fn text(text: &'a str, key_span: Range<usize>, value_span: Range<usize>) -> Self {
        Field {
            key: Cow::Borrowed(text.get(key_span.clone()).unwrap_or_default()),
            value: Cow::Borrowed(text.get(value_span.clone()).unwrap_or_default()),
            json: None,
            key_span: Some(key_span),
            value_span: Some(value_span),
        }
    }

    /// A text field named `key` (not written in the text) whose value is
    /// the slice at `value_span`.
    pub(crate) fn named(key: &'static str, text: &'a str, value_span: Range<usize>) -> Self {
        Field {
            key: Cow::Borrowed(key),
            value: Cow::Borrowed(text.get(value_span.clone()).unwrap_or_default()),
            json: None,
            key_span: None,
            value_span: Some(value_span),
        }
    }

    /// A key=value pair as a field; `offset` places the payload in the
    /// record text (`None`: the payload is not a slice of it).
    pub fn from_pair(pair: Pair<'a>, offset: Option<usize>) -> Self {
        let shift = |span: Range<usize>| offset.map(|at| at + span.start..at + span.end);
        Field {
            key: Cow::Borrowed(pair.key),
            value: pair.value,
            json: None,
            key_span: shift(pair.key_span),
            value_span: shift(pair.value_span),
        }
    }

    /// The same field, owning its text and placed nowhere: for values
    /// assembled from several lines (SSE data).
    pub fn into_owned(self) -> Field<'static> {
        Field {
            key: Cow::Owned(self.key.into_owned()),
            value: Cow::Owned(self.value.into_owned()),
            json: self.json,
            key_span: None,
            value_span: None,
        }
    }
}

/// What a record says besides its fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordHead<'a> {
    /// Time, level and the like where the layout fixes them.
    pub envelope: Envelope<'a>,
    /// The event, when the layout names it outside the fields (an RCE
    /// readable block's title, an SSE `event:` line): `key` is empty or
    /// the layout's word for it, `value` the name as written.
    pub event: Option<Field<'a>>,
}

/// Reads one record's text (one line, or several joined with `\n`, as
/// [`Format::framing`] says) into its fields, appended to `out` after
/// clearing it. `Ok(None)` when the text holds no record (an SSE block of
/// comments). Error columns count bytes in `text`.
///
/// The syslog and bare formats are read as envelope plus key=value payload.
pub fn read_record<'a>(
    format: Format,
    text: &'a str,
    out: &mut Vec<Field<'a>>,
) -> Result<Option<RecordHead<'a>>, ReadError> {
    out.clear();
    match format {
        Format::Rfc3164 | Format::Rfc5424 | Format::Journald | Format::Bare => {
            let framed = read_envelope(format, text)?;
            let offset = framed.payload_offset;
            match framed.payload {
                Cow::Borrowed(payload) => {
                    let pairs = parse_pairs(payload).map_err(|error| ReadError {
                        column: offset.map_or(1, |at| at + error.column),
                        kind: error.kind,
                    })?;
                    out.extend(pairs.into_iter().map(|pair| Field::from_pair(pair, offset)));
                }
                Cow::Owned(payload) => {
                    let pairs = parse_pairs(&payload).map_err(|error| ReadError {
                        column: 1,
                        kind: error.kind,
                    })?;
                    out.extend(
                        pairs
                            .into_iter()
                            .map(|pair| Field::from_pair(pair, None).into_owned()),
                    );
                }
            }
            Ok(Some(RecordHead {
                envelope: framed.envelope,
                event: None,
            }))
        }
        Format::JsonLines => jsonlines::read(text, out),
        Format::JsonDocument => jsondoc::read(text, out),
        Format::ExtendedJson => extjson::read(text, out),
        Format::Logback => logback::read(text, out),
        Format::PipeSeparated => pipe::read(text, out),
        Format::RceReadable => rce_readable::read(text, out),
        Format::Sse => sse::read(text, out),
        Format::OtlpJson => otlp::read(text, out),
        Format::PlainText => plaintext::read(text, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_value_formats_become_fields_placed_in_the_line() {
        let line = "Mar 13 12:00:01 host ctrl-exec[1]: ACTION=ping RTT=\"4 ms\"";
        let mut fields = Vec::new();
        let head = read_record(Format::Rfc3164, line, &mut fields).expect("valid");
        let head = head.expect("a record");
        assert_eq!(head.envelope.tag.as_deref(), Some("ctrl-exec"));
        assert_eq!(fields.len(), 2);
        let rtt = &fields[1];
        assert_eq!(rtt.value, "4 ms");
        assert_eq!(line.get(rtt.key_span.clone().expect("placed")), Some("RTT"));
        assert_eq!(
            line.get(rtt.value_span.clone().expect("placed")),
            Some("\"4 ms\"")
        );
    }

    #[test]
    fn payload_errors_are_placed_in_the_line() {
        let line = "Mar 13 12:00:01 host ctrl-exec[1]: ACTION=ping oops";
        let error = read_record(Format::Rfc3164, line, &mut Vec::new()).expect_err("no =");
        assert_eq!(&line[error.column - 1..], "oops");
    }

    #[test]
    fn journald_escaped_messages_have_no_place() {
        let line = r#"{"MESSAGE":"A=\"x y\"","PRIORITY":"6"}"#;
        let mut fields = Vec::new();
        read_record(Format::Journald, line, &mut fields).expect("valid");
        assert_eq!(fields[0].value, "x y");
        assert_eq!(fields[0].value_span, None);
    }
}
