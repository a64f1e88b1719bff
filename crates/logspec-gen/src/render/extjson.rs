//! A MongoDB document as `mongoexport` writes it, one per line: object ids
//! and dates in their wrappers, in relaxed mode (`{"$date": "…Z"}`) or in
//! canonical mode (`{"$date": {"$numberLong": "…"}}`, numbers wrapped too).

use super::json::{object, Style};
use crate::record::Record;
use crate::RenderError;

pub(super) fn render(record: &Record, canonical: bool) -> Result<String, RenderError> {
    object(
        &record.fields,
        Style {
            pretty: false,
            extended: true,
            canonical,
            framing: if canonical {
                "extended-json+canonical"
            } else {
                "extended-json"
            },
        },
    )
}
