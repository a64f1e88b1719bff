//! Logback's single-line layout: `TIME LEVEL [thread] [key=value]… logger
//! -- message`. The layout fixes where time, level, thread, logger and
//! message go; every other field is an MDC entry, in the record's order.

use super::{layout_error, single_line};
use crate::record::{Field, Record};
use crate::{Framing, RenderError};
use logspec_reader::Format;

/// The fields the layout places, in its order; MDC entries go between the
/// third and the fourth.
pub(super) const LAYOUT: [&str; 5] = ["timestamp", "level", "thread", "logger", "message"];

pub(super) fn render(record: &Record) -> Result<String, RenderError> {
    let fields = &record.fields;
    let named = |index: usize, name: &str| -> Result<&Field, RenderError> {
        fields
            .get(index)
            .filter(|field| field.written_key() == name)
            .ok_or_else(|| layout_error(format!("{name} in place {}", index + 1), Framing::Logback))
    };
    if fields.len() < LAYOUT.len() {
        return Err(layout_error(
            "a record without all of timestamp, level, thread, logger and message".to_owned(),
            Framing::Logback,
        ));
    }
    let mdc_end = fields.len() - 2;
    let (timestamp, level, thread) = (
        named(0, "timestamp")?,
        named(1, "level")?,
        named(2, "thread")?,
    );
    let (logger, message) = (named(mdc_end, "logger")?, named(mdc_end + 1, "message")?);
    for field in fields {
        single_line(field.written_key(), &field.value, Framing::Logback)?;
    }
    let refuse =
        |field: &Field| layout_error(format!("{}={:?}", field.key, field.value), Framing::Logback);
    // One word, or a date and a time (`2026-05-10 14:02:11.453`).
    let timestamp_ok = match timestamp.value.split_once(' ') {
        None => !timestamp.value.is_empty(),
        Some((date, time)) => {
            date.len() == 10
                && time.starts_with(|c: char| c.is_ascii_digit())
                && !time.contains(' ')
        }
    };
    if !timestamp_ok {
        return Err(refuse(timestamp));
    }
    if level.value.is_empty() || !level.value.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(refuse(level));
    }
    if thread.value.contains("] ") {
        return Err(refuse(thread));
    }
    let mut line = format!("{} {} [{}] ", timestamp.value, level.value, thread.value);
    for entry in &fields[3..mdc_end] {
        let key = entry.written_key();
        if key.is_empty() || key.contains([' ', '=', ']']) || entry.value.contains(']') {
            return Err(refuse(entry));
        }
        line.push_str(&format!("[{key}={}] ", entry.value));
    }
    // A logger that opens like an MDC entry would be read as one.
    let like_mdc = logger.value.strip_prefix('[').is_some_and(|rest| {
        rest.split_once(']')
            .and_then(|(inner, _)| inner.split_once('='))
            .is_some_and(|(key, _)| !key.is_empty() && !key.contains(' '))
    });
    if logger.value.is_empty()
        || logger.value.starts_with(' ')
        || logger.value.contains(" -- ")
        || like_mdc
    {
        return Err(refuse(logger));
    }
    line.push_str(&format!("{} -- {}", logger.value, message.value));
    if !Format::Logback.starts_record(&line) {
        // A following record would take it for a continuation line.
        return Err(refuse(timestamp));
    }
    for field in fields {
        if field.json != logspec_reader::JsonKind::String {
            return Err(refuse(field));
        }
    }
    Ok(line)
}

/// Where `key` goes in the layout: fixed fields by their place, MDC
/// entries between thread and logger.
pub(super) fn rank(key: &str) -> usize {
    match LAYOUT.iter().position(|name| *name == key) {
        Some(place @ 0..=2) => place,
        Some(place) => place + 1,
        None => 3,
    }
}
