//! RCE's readable event log: the event's title on a line of its own, then
//! one indented `Title: value` line per attribute, titles padded so the
//! values align. The title names the event, so the event key is not
//! written as an attribute.

use super::{layout_error, single_line};
use crate::record::{Field, Record};
use crate::{Framing, RenderError};

/// Column the values start at, as RCE aligns them (longer titles push
/// their value further).
const VALUE_COLUMN: usize = 28;

pub(super) fn render(record: &Record) -> Result<String, RenderError> {
    let title = record.title.as_deref().unwrap_or_default();
    single_line("title", title, Framing::RceReadable)?;
    let is_separator = title.len() >= 3 && title.bytes().all(|b| b == b'-');
    if title.trim().is_empty()
        || title.starts_with([' ', '\t'])
        || title.trim_end() != title
        || is_separator
    {
        return Err(layout_error(
            format!("the title {title:?}"),
            Framing::RceReadable,
        ));
    }
    let mut block = title.to_owned();
    for field in &record.fields {
        let name = field.written_key();
        single_line(name, &field.value, Framing::RceReadable)?;
        let refuse = |what: &Field| {
            layout_error(
                format!("{}={:?}", what.key, what.value),
                Framing::RceReadable,
            )
        };
        // The title ends at the first ':' and is read trimmed; the value is
        // read from the first character after the padding.
        if name.is_empty() || name.contains(':') || name.trim() != name {
            return Err(refuse(field));
        }
        if field.value.starts_with([' ', '\t']) || field.json != logspec_reader::JsonKind::String {
            return Err(refuse(field));
        }
        let label = format!("  {name}:");
        let padding = VALUE_COLUMN.saturating_sub(label.chars().count()).max(1);
        block.push('\n');
        block.push_str(&label);
        if !field.value.is_empty() {
            block.push_str(&" ".repeat(padding));
            block.push_str(&field.value);
        }
    }
    Ok(block)
}
