//! Renderers: a [`Record`] written as its producer would write it, one
//! module per wire format, all sharing the key=value payload writer.
//!
//! [`envelope_of`] states what each framing carries, so a round trip
//! (render, then read back with `logspec_reader`) can be compared field by
//! field with the record it came from.

mod journald;
pub mod keyvalue;
mod rfc3164;
mod rfc5424;

use crate::record::{Meta, Record};
use crate::{Framing, RenderError};
use logspec_reader::Envelope;

/// `record` as one line of `framing`, without the line terminator.
pub fn render(framing: Framing, record: &Record) -> Result<String, RenderError> {
    let payload = keyvalue::payload(&record.fields)?;
    if framing != Framing::Journald {
        // journald escapes line breaks and NULs inside its JSON string; a
        // line format cannot carry them.
        for field in &record.fields {
            let what = if field.value.contains('\n') {
                "a line break"
            } else if field.value.contains('\0') {
                "a NUL byte"
            } else {
                continue;
            };
            return Err(RenderError::Value {
                key: field.key.clone(),
                what,
                framing: framing.to_string(),
            });
        }
    }
    match framing {
        Framing::Rfc3164 {
            pri,
            hostname,
            iso_timestamp,
        } => rfc3164::render(&record.meta, &payload, pri, hostname, iso_timestamp),
        Framing::Rfc5424 => rfc5424::render(&record.meta, &payload),
        Framing::Journald => Ok(journald::render(&record.meta, &payload)),
        Framing::Bare => Ok(payload),
    }
}

/// What a reader must find in the envelope of `meta` rendered in `framing`.
pub fn envelope_of(framing: Framing, meta: &Meta) -> Envelope {
    let pid = Some(meta.pid.to_string());
    let tag = Some(meta.tag.clone());
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
                timestamp: Some(rfc3164::timestamp(meta, iso_timestamp)),
                hostname: hostname.then(|| meta.hostname.clone()),
                tag,
                pid,
            }
        }
        Framing::Rfc5424 => Envelope {
            facility: Some(meta.facility),
            severity: Some(meta.severity),
            timestamp: Some(meta.time.rfc3339_utc()),
            hostname: Some(meta.hostname.clone()),
            tag,
            pid,
        },
        Framing::Journald => Envelope {
            facility: Some(meta.facility),
            severity: Some(meta.severity),
            timestamp: Some(meta.time.micros()),
            hostname: Some(meta.hostname.clone()),
            tag,
            pid,
        },
        Framing::Bare => Envelope::default(),
    }
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
