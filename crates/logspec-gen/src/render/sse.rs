//! A server-sent event as `curl -N` prints it: an `event:` line naming the
//! event, when the record has a name for it, and one `data:` line holding
//! the fields as a compact JSON object.

use super::json::{object, Style};
use super::single_line;
use crate::record::Record;
use crate::{Framing, RenderError};

pub(super) fn render(record: &Record) -> Result<String, RenderError> {
    let data = object(
        &record.fields,
        Style {
            pretty: false,
            extended: false,
            canonical: false,
            framing: "sse",
        },
    )?;
    match &record.title {
        Some(title) => {
            single_line("event", title, Framing::Sse)?;
            Ok(format!("event: {title}\ndata: {data}"))
        }
        None => Ok(format!("data: {data}")),
    }
}
