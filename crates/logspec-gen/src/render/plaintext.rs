//! Plain text: the record's `message` as the whole line, as console output.

use super::{layout_error, single_line};
use crate::record::Record;
use crate::{Framing, RenderError};

pub(super) fn render(record: &Record) -> Result<String, RenderError> {
    match record.fields.as_slice() {
        [field] if field.written_key() == "message" => {
            single_line(&field.key, &field.value, Framing::PlainText)?;
            Ok(field.value.clone())
        }
        _ => Err(layout_error(
            "fields other than one message".to_owned(),
            Framing::PlainText,
        )),
    }
}
