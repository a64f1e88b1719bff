//! Renderers: a [`Record`] written as its producer would write it, one
//! module per wire format; the syslog ones share the key=value payload
//! writer, the JSON ones the JSON writer.
//!
//! A renderer refuses what its format cannot carry so that it reads back
//! as written (a line break in a line format, `] ` in a Logback thread
//! name): generated records are only those their format can carry.
//! [`envelope_of`] states what each framing carries, so a round trip
//! (render, then read back with `logspec_reader`) can be compared field by
//! field with the record it came from.

mod extjson;
mod journald;
mod json;
mod jsondoc;
mod jsonlines;
pub mod keyvalue;
mod logback;
mod otlp;
mod pipe;
mod plaintext;
mod rce_readable;
mod rfc3164;
mod rfc5424;
mod sse;

pub(crate) use json::is_json_number;

use crate::record::{Field, Meta, Record};
use crate::{Framing, RenderError};
use logspec_reader::{Envelope, Format, JsonKind};

/// `record` in `framing`, without the final line terminator (a record of a
/// multi-line format holds line breaks).
pub fn render(framing: Framing, record: &Record) -> Result<String, RenderError> {
    match framing {
        Framing::Rfc3164 {
            pri,
            hostname,
            iso_timestamp,
        } => rfc3164::render(
            &record.meta,
            &payload(framing, record)?,
            pri,
            hostname,
            iso_timestamp,
        ),
        Framing::Rfc5424 => rfc5424::render(&record.meta, &payload(framing, record)?),
        Framing::Journald => Ok(journald::render(&record.meta, &payload(framing, record)?)),
        Framing::Bare => payload(framing, record),
        Framing::JsonLines => jsonlines::render(record),
        Framing::JsonDocument => jsondoc::render(record),
        Framing::ExtendedJson { canonical } => extjson::render(record, canonical),
        Framing::Logback => logback::render(record),
        Framing::PipeSeparated => pipe::render(record),
        Framing::RceReadable => rce_readable::render(record),
        Framing::Sse => sse::render(record),
        Framing::OtlpJson => otlp::render(record),
        Framing::PlainText => plaintext::render(record),
    }
}

/// The key=value payload of a syslog or bare record.
fn payload(framing: Framing, record: &Record) -> Result<String, RenderError> {
    for field in &record.fields {
        if field.json != JsonKind::String {
            return Err(layout_error(
                format!("{} as {}", field.key, field.json.name()),
                framing,
            ));
        }
        if framing != Framing::Journald {
            // journald escapes line breaks and NULs inside its JSON string;
            // a line format cannot carry them.
            single_line(&field.key, &field.value, framing)?;
        }
    }
    keyvalue::payload(&record.fields)
}

/// Empty lines written after each record of `framing` in a stream: one
/// between the blocks of the block formats.
pub fn blank_lines_after(framing: Framing) -> usize {
    usize::from(matches!(framing, Framing::RceReadable | Framing::Sse))
}

/// Puts a record's fields where `format`'s layout reads them, so that
/// reading it back gives the fields in the record's order: Logback's and
/// Python logging's fixed places, the message carrying the prefix.
pub(crate) fn arrange(format: Format, fields: &mut [Field]) {
    match format {
        Format::Logback => fields.sort_by_key(|field| logback::rank(field.written_key())),
        Format::PipeSeparated => {
            fields.sort_by_key(|field| pipe::rank(field.written_key()));
            pipe::prefix_message(fields);
        }
        Format::OtlpJson => fields.sort_by_key(|field| otlp::rank(field.written_key())),
        _ => {}
    }
}

/// What a reader must find in the envelope of `record` rendered in
/// `framing` (for the text layouts, the timestamp they start with).
pub fn envelope_of(framing: Framing, record: &Record) -> Envelope<'_> {
    let meta = &record.meta;
    let pid = Some(meta.pid.to_string().into());
    let tag = Some(meta.tag.as_str().into());
    let priority = |carried: bool| {
        if carried {
            (Some(meta.facility), Some(meta.severity))
        } else {
            (None, None)
        }
    };
    match framing {
        Framing::Rfc3164 {
            pri,
            hostname,
            iso_timestamp,
        } => {
            let (facility, severity) = priority(pri);
            Envelope {
                facility,
                severity,
                timestamp: Some(rfc3164::timestamp(meta, iso_timestamp).into()),
                hostname: hostname.then(|| meta.hostname.as_str().into()),
                tag,
                pid,
            }
        }
        Framing::Rfc5424 => Envelope {
            facility: Some(meta.facility),
            severity: Some(meta.severity),
            timestamp: Some(meta.time.rfc3339_utc().into()),
            hostname: Some(meta.hostname.as_str().into()),
            tag,
            pid,
        },
        Framing::Journald => Envelope {
            facility: Some(meta.facility),
            severity: Some(meta.severity),
            timestamp: Some(meta.time.micros().into()),
            hostname: Some(meta.hostname.as_str().into()),
            tag,
            pid,
        },
        Framing::Logback | Framing::PipeSeparated => Envelope {
            timestamp: record.value("timestamp").map(Into::into),
            ..Envelope::default()
        },
        Framing::Bare
        | Framing::JsonLines
        | Framing::JsonDocument
        | Framing::ExtendedJson { .. }
        | Framing::RceReadable
        | Framing::Sse
        | Framing::OtlpJson
        | Framing::PlainText => Envelope::default(),
    }
}

fn layout_error(what: String, framing: Framing) -> RenderError {
    RenderError::Layout {
        what,
        framing: framing.to_string(),
    }
}

/// Refuses a value that would not stay on its line: a line break, or a NUL
/// byte that makes the line unreadable.
fn single_line(key: &str, value: &str, framing: Framing) -> Result<(), RenderError> {
    let what = if value.contains(['\n', '\r']) {
        "a line break"
    } else if value.contains('\0') {
        "a NUL byte"
    } else {
        return Ok(());
    };
    Err(RenderError::Value {
        key: key.to_owned(),
        what,
        framing: framing.to_string(),
    })
}

/// The `<PRI>` of `meta`: facility * 8 + severity.
fn pri(meta: &Meta) -> u16 {
    u16::from(meta.facility) * 8 + u16::from(meta.severity)
}

/// A header word (tag, hostname) checked against what `framing` accepts.
fn header<'a>(
    what: &'static str,
    text: &'a str,
    framing: Framing,
    valid: impl Fn(&str) -> bool,
) -> Result<&'a str, RenderError> {
    if valid(text) {
        Ok(text)
    } else {
        Err(RenderError::Header {
            what,
            text: text.to_owned(),
            framing: framing.to_string(),
        })
    }
}
