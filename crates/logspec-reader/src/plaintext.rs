//! Plain text, one line per record: console and stderr output that has no
//! structure beyond its words (`[CONFIG] Loading configuration from …`).
//! The whole line is the record's one field, `message`.

use crate::error::ReadError;
use crate::fields::{Field, RecordHead};

pub(crate) fn read<'a>(
    line: &'a str,
    out: &mut Vec<Field<'a>>,
) -> Result<Option<RecordHead<'a>>, ReadError> {
    out.push(Field::named("message", line, 0..line.len()));
    Ok(Some(RecordHead::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_is_the_message() {
        let mut out = Vec::new();
        read("[TELEMETRY] OTLP provider shutdown error: eof", &mut out).expect("any text");
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].key, "message");
        assert_eq!(
            out[0].value,
            "[TELEMETRY] OTLP provider shutdown error: eof"
        );
    }
}
