//! A JSON document: the record's fields as one object, pretty-printed
//! (one member per line) as a program that saves a record to a file does.

use super::json::{object, Style};
use crate::record::Record;
use crate::RenderError;

pub(super) fn render(record: &Record) -> Result<String, RenderError> {
    object(
        &record.fields,
        Style {
            pretty: true,
            extended: false,
            canonical: false,
            framing: "json-document",
        },
    )
}
