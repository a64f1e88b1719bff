//! JSON lines: the record's fields as one compact object on one line.

use super::json::{object, Style};
use crate::record::Record;
use crate::RenderError;

pub(super) fn render(record: &Record) -> Result<String, RenderError> {
    object(
        &record.fields,
        Style {
            pretty: false,
            extended: false,
            canonical: false,
            framing: "json-lines",
        },
    )
}
