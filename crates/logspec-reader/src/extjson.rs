//! MongoDB documents as `mongoexport` writes them: one per line, in
//! relaxed or canonical Extended JSON, or in plain JSON.
//!
//! The scalar wrappers are read as the values they stand for:
//! `{"$oid": "…"}` is an object id, `{"$date": "…"}` and the canonical
//! `{"$date": {"$numberLong": "…"}}` are a date (the latter rewritten as
//! the ISO 8601 UTC time it denotes), `{"$numberLong": "…"}` and its
//! siblings are numbers. Each keeps its own JSON type, so a spec can
//! require an object id where plain JSON would have a string.

use crate::error::ReadError;
use crate::fields::{Field, RecordHead};
use crate::json::flatten_object;

pub(crate) fn read<'a>(
    line: &'a str,
    out: &mut Vec<Field<'a>>,
) -> Result<Option<RecordHead<'a>>, ReadError> {
    flatten_object(line, 0..line.len(), true, out)?;
    Ok(Some(RecordHead::default()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::JsonKind;

    fn read_all(line: &str) -> Vec<(String, String, Option<JsonKind>)> {
        let mut out = Vec::new();
        read(line, &mut out).unwrap_or_else(|error| panic!("{line}: {error}"));
        out.into_iter()
            .map(|f| (f.key.into_owned(), f.value.into_owned(), f.json))
            .collect()
    }

    #[test]
    fn relaxed_canonical_and_plain_agree_on_values() {
        let relaxed = r#"{"_id":{"$oid":"663e2b1f9c1d4e5f6a7b8c9d"},"createdAt":{"$date":"2026-05-10T14:02:11.453Z"},"actor":{"ip":"203.0.113.42"}}"#;
        let canonical = r#"{"_id":{"$oid":"663e2b1f9c1d4e5f6a7b8c9d"},"createdAt":{"$date":{"$numberLong":"1778421731453"}},"actor":{"ip":"203.0.113.42"}}"#;
        let plain = r#"{"_id":"663e2b1f9c1d4e5f6a7b8c9d","createdAt":"2026-05-10T14:02:11.453Z","actor":{"ip":"203.0.113.42"}}"#;
        let values = |line| {
            read_all(line)
                .into_iter()
                .map(|(key, value, _)| (key, value))
                .collect::<Vec<_>>()
        };
        assert_eq!(values(relaxed), values(canonical));
        assert_eq!(values(relaxed), values(plain));
        let kinds: Vec<_> = read_all(canonical).into_iter().map(|f| f.2).collect();
        assert_eq!(
            kinds,
            vec![
                Some(JsonKind::ObjectId),
                Some(JsonKind::Date),
                Some(JsonKind::String)
            ]
        );
    }

    #[test]
    fn canonical_numbers() {
        assert_eq!(
            read_all(r#"{"n":{"$numberInt":"5"},"d":{"$numberDouble":"-1.5"}}"#),
            vec![
                ("n".to_owned(), "5".to_owned(), Some(JsonKind::Number)),
                ("d".to_owned(), "-1.5".to_owned(), Some(JsonKind::Number)),
            ]
        );
    }
}
