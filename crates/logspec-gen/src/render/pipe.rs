//! Python logging's `TIME | LEVEL | logger | message`. The reader derives
//! `prefix` from a leading `[word] ` of the message, so a record's prefix
//! is written there and nowhere else.

use super::{layout_error, single_line};
use crate::record::{Field, Record};
use crate::{Framing, RenderError};
use logspec_reader::Format;

/// The fields the layout holds, in its order.
pub(super) const LAYOUT: [&str; 5] = ["timestamp", "level", "logger", "message", "prefix"];

const SEPARATOR: &str = " | ";

pub(super) fn render(record: &Record) -> Result<String, RenderError> {
    let fields = &record.fields;
    let refuse = |field: &Field| {
        layout_error(
            format!("{}={:?}", field.key, field.value),
            Framing::PipeSeparated,
        )
    };
    let in_place = fields.len() >= 4
        && fields.len() <= 5
        && fields
            .iter()
            .zip(LAYOUT)
            .all(|(field, name)| field.written_key() == name);
    if !in_place {
        return Err(layout_error(
            "fields other than timestamp, level, logger, message and prefix, in that order"
                .to_owned(),
            Framing::PipeSeparated,
        ));
    }
    for field in fields {
        single_line(field.written_key(), &field.value, Framing::PipeSeparated)?;
        if field.json != logspec_reader::JsonKind::String {
            return Err(refuse(field));
        }
    }
    let (timestamp, level, logger, message) = (&fields[0], &fields[1], &fields[2], &fields[3]);
    if timestamp.value.is_empty() || timestamp.value.contains(SEPARATOR) {
        return Err(refuse(timestamp));
    }
    // Level and logger are read trimmed.
    for field in [level, logger] {
        if field.value.contains(SEPARATOR) || field.value.trim() != field.value {
            return Err(refuse(field));
        }
    }
    if bracket_prefix(&message.value) != fields.get(4).map(|prefix| prefix.value.as_str()) {
        return Err(refuse(fields.get(4).unwrap_or(message)));
    }
    let line = [
        &timestamp.value,
        &level.value,
        &logger.value,
        &message.value,
    ]
    .map(String::as_str)
    .join(SEPARATOR);
    if !Format::PipeSeparated.starts_record(&line) {
        return Err(refuse(timestamp));
    }
    Ok(line)
}

/// The word inside a leading `[word] ` of a message.
fn bracket_prefix(message: &str) -> Option<&str> {
    let rest = message.strip_prefix('[')?;
    let word = &rest[..rest.find("] ")?];
    (!word.is_empty() && !word.contains([' ', '['])).then_some(word)
}

/// Writes a record's prefix where the reader finds it: at the start of
/// its message.
pub(super) fn prefix_message(fields: &mut [Field]) {
    let Some(prefix) = fields
        .iter()
        .find(|field| field.key == "prefix")
        .map(|field| field.value.clone())
    else {
        return;
    };
    if let Some(message) = fields.iter_mut().find(|field| field.key == "message") {
        message.value = format!("[{prefix}] {}", message.value);
    }
}

/// Where `key` goes in the layout (anything else, which the layout cannot
/// hold, last).
pub(super) fn rank(key: &str) -> usize {
    LAYOUT
        .iter()
        .position(|name| *name == key)
        .unwrap_or(LAYOUT.len())
}
