//! Server-sent events as `curl -N` prints a `text/event-stream`: blocks of
//! `field: value` lines separated by an empty line.
//!
//! ```text
//! event: run_finished
//! data: {"run_id":"20250115_143122_e5f6g7h8","exit_code":0}
//! ```
//!
//! `data` lines are joined with `\n` (as EventSource does); a JSON object
//! there is flattened into fields like any JSON record, other data is the
//! field `data`. An `event:` line names the event (`RecordHead::event`);
//! without one, the spec's event key among the data fields does. Lines
//! starting with `:` are comments (keep-alives); `id`, `retry` and
//! unknown field names are transport details the standard tells clients
//! to handle or ignore, and are not fields. A block of comments alone is
//! no record.

use crate::error::ReadError;
use crate::fields::{Field, RecordHead};
use crate::json::flatten_object;
use std::borrow::Cow;
use std::ops::Range;

pub(crate) fn read<'a>(
    text: &'a str,
    out: &mut Vec<Field<'a>>,
) -> Result<Option<RecordHead<'a>>, ReadError> {
    let mut event: Option<Field<'a>> = None;
    let mut data: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        let range = start..start + line.len();
        start = range.end + 1;
        if line.starts_with(':') {
            continue;
        }
        let (name, value) = match line.find(':') {
            Some(colon) => {
                let value_start = colon + 1 + usize::from(line[colon + 1..].starts_with(' '));
                (&line[..colon], range.start + value_start..range.end)
            }
            None => (line, range.end..range.end),
        };
        match name {
            "data" => data.push(value),
            "event" => {
                event = Some(Field {
                    key: Cow::Borrowed("event"),
                    value: Cow::Borrowed(&text[value.clone()]),
                    json: None,
                    key_span: Some(range.start..range.start + 5),
                    value_span: Some(value),
                })
            }
            _ => {}
        }
    }
    match data.as_slice() {
        [] if event.is_none() => return Ok(None),
        [] => {}
        [only] if text[only.clone()].trim_start().starts_with('{') => {
            flatten_object(text, only.clone(), false, out)?;
        }
        [only] => out.push(Field::named("data", text, only.clone())),
        several => {
            let joined: Vec<&str> = several.iter().map(|range| &text[range.clone()]).collect();
            let joined = joined.join("\n");
            if joined.trim_start().starts_with('{') {
                let mut parsed = Vec::new();
                // Errors name a place in the joined data, not in the text.
                flatten_object(&joined, 0..joined.len(), false, &mut parsed).map_err(|error| {
                    ReadError {
                        column: several[0].start + 1,
                        kind: error.kind,
                    }
                })?;
                out.extend(parsed.into_iter().map(|field| field.into_owned()));
            } else {
                out.push(Field {
                    key: Cow::Borrowed("data"),
                    value: Cow::Owned(joined),
                    json: None,
                    key_span: None,
                    value_span: None,
                });
            }
        }
    }
    Ok(Some(RecordHead {
        envelope: Default::default(),
        event,
    }))
}

/// Shape check for [`detect`](crate::detect): an SSE field or comment.
pub(crate) fn looks_like(line: &str) -> bool {
    line.starts_with(':')
        || ["data:", "event:", "id:", "retry:"]
            .iter()
            .any(|field| line.starts_with(field))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ReadErrorKind;

    fn fields(text: &str) -> (Option<String>, Vec<(String, String)>) {
        let mut out = Vec::new();
        let head = read(text, &mut out).expect("valid").expect("a record");
        (
            head.event.map(|event| event.value.into_owned()),
            out.into_iter()
                .map(|f| (f.key.into_owned(), f.value.into_owned()))
                .collect(),
        )
    }

    #[test]
    fn event_line_and_json_data() {
        let text = "event: run_finished\nid: 7\ndata: {\"run_id\":\"r\",\"exit_code\":0}";
        let (event, fields) = fields(text);
        assert_eq!(event.as_deref(), Some("run_finished"));
        assert_eq!(
            fields,
            vec![
                ("run_id".into(), "r".into()),
                ("exit_code".into(), "0".into())
            ]
        );
        let mut out = Vec::new();
        read(text, &mut out).expect("valid");
        assert_eq!(&text[out[0].value_span.clone().expect("placed")], "\"r\"");
    }

    #[test]
    fn data_only_multi_line_and_plain() {
        let (event, fields) = fields("data:{\"event\":\"run_started\",\ndata: \"run_id\":\"r\"}");
        assert_eq!(event, None);
        assert_eq!(
            fields,
            vec![
                ("event".into(), "run_started".into()),
                ("run_id".into(), "r".into())
            ]
        );
        let (_, fields) = fields_of("data: hello\ndata: world");
        assert_eq!(fields, vec![("data".into(), "hello\nworld".into())]);
    }

    fn fields_of(text: &str) -> (Option<String>, Vec<(String, String)>) {
        fields(text)
    }

    #[test]
    fn comments_alone_are_no_record() {
        assert_eq!(read(": keep-alive", &mut Vec::new()), Ok(None));
    }

    #[test]
    fn broken_json_data_is_located() {
        let text = "event: x\ndata: {\"run_id\":}";
        let error = read(text, &mut Vec::new()).expect_err("bad JSON");
        assert_eq!(error.column, 26);
        assert!(matches!(error.kind, ReadErrorKind::Json { .. }));
    }

    #[test]
    fn shape() {
        assert!(looks_like("data: {}"));
        assert!(looks_like(": ping"));
        assert!(!looks_like("{\"a\":1}"));
    }
}
