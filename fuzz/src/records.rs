//! What the record readers promise: the formats that carry their fields
//! themselves (JSON lines and documents, Extended JSON, Logback,
//! pipe-separated, RCE readable blocks, SSE, OTLP/JSON exports, plain
//! text), read as the checker reads
//! them: lines split and decoded, grouped into records by the
//! [`Assembler`], each record read by [`read_record`].
//!
//! - Every line is accounted for: the records (with their line ranges,
//!   damaged and over-limit flags and text) and orphan lines are exactly
//!   what a reference model of the documented framing makes of the lines,
//!   and a line no record holds is an orphan, or a blank or separator line
//!   between blocks.
//! - A record is fields or an error located inside the record, on one of
//!   its lines, at a character boundary.
//! - Every span lies inside the record text and locates what it claims; a
//!   text field's value is its span's text.
//! - Each format's own promises (see the per-format functions), among them
//!   JSON records agreeing with `serde_json` on what is JSON and on every
//!   member, flattened to dotted paths.

use crate::chunked::{Chunked, Chunking, Hiccup};
use crate::instants::{check_envelope_instant, check_field_instant};
use logspec_checker::stream::RECORD_LINE_FACTOR;
use logspec_reader::{
    decode, detect, read_record, Assembled, Assembler, Fed, Field, Format, Framing, JsonKind,
    LineReader, ReadError, ReadErrorKind, RecordHead, RecordLines, Trace, MAX_RECORD_LINES,
};
use serde_json::Value;

/// A line as the framing sees it: its text, or `None` when it could not be
/// read (over the line limit, not UTF-8, or holding a NUL).
type Line = (u64, Option<String>);

/// Reads `input` (a [`Chunking`] header, then the stream) as `format`
/// records and holds every step to its promises.
pub fn check_stream(format: Format, input: &[u8]) {
    let (chunking, data) = Chunking::split(input);
    let mut reader = LineReader::new(
        Chunked::new(data, chunking.plan, Hiccup::Interrupted),
        chunking.max_line_bytes,
    );
    let mut lines: Vec<Line> = Vec::new();
    // Interrupted reads are retried inside; a slice never fails otherwise.
    while let Ok(Some(raw)) = reader.next_line() {
        let text = (raw.skipped_bytes == 0)
            .then(|| decode(raw.bytes).ok().map(str::to_owned))
            .flatten();
        lines.push((raw.number, text));
    }
    let max_bytes = chunking.max_line_bytes.saturating_mul(RECORD_LINE_FACTOR);
    if format.framing() == Framing::Line {
        for (number, text) in &lines {
            match text {
                // A line is an export of many log records.
                Some(text) if format == Format::OtlpJson => {
                    crate::otlp::check_export(text);
                }
                Some(text) => {
                    let kept = [(*number, 0)];
                    check_record(format, RecordLines { text, lines: &kept });
                }
                None => {}
            }
        }
        return;
    }
    let (records, orphans) = assemble(format, &lines, max_bytes);
    let (expected, expected_orphans) = framing_model(format, &lines, max_bytes);
    assert_eq!(orphans, expected_orphans, "{format}: orphan lines");
    assert_eq!(records, expected, "{format}: records");
    check_accounting(format, &lines, &records, &orphans);
    for record in &records {
        if !record.damaged && !record.over_limit {
            check_record(format, record.lines());
        }
    }
}

/// Feeds the lines to an [`Assembler`] as the checker does: the records
/// it completes, and the orphan lines.
fn assemble(format: Format, lines: &[Line], max_bytes: usize) -> (Vec<Assembled>, Vec<u64>) {
    let mut assembler = Assembler::new(format, max_bytes);
    let mut records = Vec::new();
    let mut orphans = Vec::new();
    for (number, text) in lines {
        let Some(text) = text else {
            assembler.damage(*number);
            continue;
        };
        match assembler.feed(*number, text) {
            Fed::Taken => {}
            Fed::Complete(record) => records.push(record),
            Fed::Stray(done) => {
                records.extend(done);
                orphans.push(*number);
            }
        }
    }
    records.extend(assembler.finish());
    (records, orphans)
}

/// The framing as documented (`Framing`, `Assembler`): blocks end at
/// blank or separator lines; a continuation record takes the lines its
/// layout prints after it (a stack trace) and a record starts at a line
/// shaped like one or read as one, any other line being an orphan that
/// ends the record before it; a document is every line; an unreadable line
/// belongs to the record it falls in, opening one if none is open.
fn framing_model(format: Format, lines: &[Line], max_bytes: usize) -> (Vec<Assembled>, Vec<u64>) {
    let mut records: Vec<Vec<&Line>> = Vec::new();
    let mut open = false;
    let mut trace = Trace::default();
    let mut orphans = Vec::new();
    for line in lines {
        let text = line.1.as_deref();
        let starts = match (format.framing(), text) {
            (Framing::Blocks, Some(text))
                if text.trim().is_empty() || format.is_separator(text) =>
            {
                open = false;
                continue;
            }
            (Framing::Continuation, Some(text)) if open && format.continues_record(text, trace) => {
                trace = trace.then(text);
                false
            }
            (Framing::Continuation, Some(text))
                if format.starts_record(text)
                    || (!text.trim().is_empty()
                        && read_record(format, text, &mut Vec::new()).is_ok()) =>
            {
                trace = Trace::first(text);
                true
            }
            (Framing::Continuation, Some(_)) => {
                open = false;
                trace = Trace::default();
                orphans.push(line.0);
                continue;
            }
            (Framing::Continuation, None) if !open => {
                trace = Trace::default();
                true
            }
            _ => !open,
        };
        if starts {
            records.push(Vec::new());
            open = true;
        }
        if let Some(record) = records.last_mut() {
            record.push(line);
        }
    }
    let records = records
        .into_iter()
        .map(|record| {
            let kept: Vec<(u64, &str)> = record
                .iter()
                .filter_map(|(number, text)| text.as_deref().map(|text| (*number, text)))
                .collect();
            let text = kept
                .iter()
                .map(|(_, text)| *text)
                .collect::<Vec<_>>()
                .join("\n");
            let over_limit = text.len() > max_bytes || kept.len() > MAX_RECORD_LINES;
            let mut offset = 0;
            let placed = kept
                .iter()
                .map(|(number, text)| {
                    let at = (*number, offset);
                    offset += text.len() + 1;
                    at
                })
                .collect();
            Assembled {
                text: if over_limit { String::new() } else { text },
                lines: if over_limit { Vec::new() } else { placed },
                first_line: record.first().map_or(0, |line| line.0),
                last_line: record.last().map_or(0, |line| line.0),
                over_limit,
                damaged: record.iter().any(|line| line.1.is_none()),
            }
        })
        .collect();
    (records, orphans)
}

/// Every line is in exactly one record's range, or an orphan, or a blank
/// or separator line between blocks.
fn check_accounting(format: Format, lines: &[Line], records: &[Assembled], orphans: &[u64]) {
    let mut records = records.iter().peekable();
    let mut orphans = orphans.iter().peekable();
    for (number, text) in lines {
        while records
            .next_if(|record| record.last_line < *number)
            .is_some()
        {}
        let in_record = records
            .peek()
            .is_some_and(|record| record.first_line <= *number);
        let orphan = orphans.next_if(|&&orphan| orphan == *number).is_some();
        let between = format.framing() == Framing::Blocks
            && text
                .as_deref()
                .is_some_and(|text| text.trim().is_empty() || format.is_separator(text));
        let times = u8::from(in_record) + u8::from(orphan) + u8::from(between);
        assert_eq!(
            times, 1,
            "{format}: line {number} accounted for {times} times"
        );
    }
}

/// Reads one record and holds the result to the reader's promises.
pub fn check_record(format: Format, record: RecordLines<'_>) {
    let text = record.text;
    let mut dirty = vec![Field {
        key: "stale".into(),
        value: "stale".into(),
        json: None,
        key_span: Some(0..0),
        value_span: None,
    }];
    let result = read_record(format, text, &mut dirty);
    let mut fields = Vec::new();
    assert_eq!(
        read_record(format, text, &mut fields),
        result,
        "{format} {text:?}: read twice, read differently"
    );
    assert_eq!(
        dirty, fields,
        "{format} {text:?}: the buffer was not cleared"
    );
    let head = match &result {
        Err(error) => {
            let offset = error.column - 1;
            assert!(
                offset <= text.len() && text.is_char_boundary(offset),
                "{format} {text:?}: column {} not at a character of the record",
                error.column
            );
            let (number, line, column) = record.locate(offset);
            assert!(
                record.lines.iter().any(|&(kept, _)| kept == number) && column <= line.len() + 1,
                "{format} {text:?}: column {} located at line {number} column {column}",
                error.column
            );
            None
        }
        Ok(None) => {
            assert_eq!(
                format,
                Format::Sse,
                "{text:?}: only SSE has records of nothing"
            );
            None
        }
        Ok(Some(head)) => Some(head),
    };
    if let Some(head) = head {
        for field in fields.iter().chain(&head.event) {
            check_spans(format, text, field);
        }
        check_envelope_instant(format, &head.envelope);
        check_detected(format, text);
    }
    match (format, head) {
        (Format::JsonLines | Format::JsonDocument, _) => check_json(text, &fields, head.is_some()),
        (Format::ExtendedJson, _) => check_extended_json(text, &fields, head.is_some()),
        (Format::Logback, Some(head)) => check_logback(text, &fields, head),
        (Format::PipeSeparated, Some(head)) => check_pipe(text, &fields, head),
        (Format::RceReadable, Some(head)) => check_rce_readable(text, &fields, head),
        (Format::Sse, _) => check_sse(text, &fields, &result),
        (Format::OtlpJson, _) => crate::otlp::check_record(text, &fields, &result),
        (Format::PlainText, _) => check_plain_text(text, &fields, &result),
        _ => {}
    }
}

/// A JSON record the reader accepts is one detection recognises: a line
/// for the line formats, the first line that is not blank for a document.
fn check_detected(format: Format, text: &str) {
    let first = match format {
        Format::JsonLines | Format::ExtendedJson => text,
        Format::JsonDocument => text
            .split('\n')
            .find(|line| !line.trim().is_empty())
            .unwrap_or_default(),
        _ => return,
    };
    assert_eq!(
        detect(first, &[format]),
        Some(format),
        "{text:?} reads as {format} but is not detected as it"
    );
}

/// Spans lie inside the text on character boundaries; a text field's key
/// and value are its spans' text.
fn check_spans(format: Format, text: &str, field: &Field<'_>) {
    for span in [&field.key_span, &field.value_span].into_iter().flatten() {
        assert!(
            text.get(span.clone()).is_some(),
            "{format} {text:?}: span {span:?} of {:?} outside the text",
            field.key
        );
    }
    if field.json.is_none() {
        if let Some(span) = &field.key_span {
            assert_eq!(
                text.get(span.clone()),
                Some(&*field.key),
                "{format} {text:?}"
            );
        }
        if let Some(span) = &field.value_span {
            assert_eq!(
                text.get(span.clone()),
                Some(&*field.value),
                "{format} {text:?}"
            );
        }
    }
}

/// A JSON record (plain JSON) is read exactly when `serde_json` reads the
/// text as an object, and its fields are the object's members flattened
/// to dotted paths, each placed where it is written.
fn check_json(text: &str, fields: &[Field<'_>], read: bool) {
    let Some(value) = serde_verdict(text, read) else {
        return;
    };
    for field in fields {
        check_json_field(text, field, false);
    }
    let mut expected = Vec::new();
    flatten(None, &value, &mut expected);
    // Duplicate keys are all kept by the reader, the last one by serde.
    if expected.len() == fields.len() {
        for (field, (key, member)) in fields.iter().zip(&expected) {
            assert_eq!(&field.key, key, "{text:?}");
            assert_eq!(field.json, Some(kind_of(member)), "{text:?}: {key}");
            match member {
                Value::String(string) => assert_eq!(&field.value, string, "{text:?}: {key}"),
                Value::Null => assert_eq!(field.value, "", "{text:?}: {key}"),
                other => assert_eq!(
                    json(&field.value).ok().as_ref(),
                    Some(other),
                    "{text:?}: {key}"
                ),
            }
        }
    } else {
        assert!(expected.len() < fields.len(), "{text:?}: members lost");
    }
}

/// `serde_json`'s reading of `text` when both read it as an object, after
/// checking that they agree whether it is one. `None` when either did not
/// read it, or when serde cannot tell (a number beyond `f64`, nesting
/// deeper than the reader follows).
fn serde_verdict(text: &str, read: bool) -> Option<Value> {
    match json(text) {
        Ok(value @ Value::Object(_)) => {
            assert!(
                read || too_deep(text),
                "{text:?}: serde_json reads an object the reader refused"
            );
            read.then_some(value)
        }
        Ok(_) => {
            assert!(!read, "{text:?}: not an object but read as one");
            None
        }
        Err(error) => {
            assert!(
                !read || serde_unsure(&error),
                "{text:?}: read as JSON, but serde_json says {error}"
            );
            None
        }
    }
}

/// The JSON value `text` holds, every object as written: the checker's
/// own reading (`logspec_checker::value::json`), since `Value`'s
/// `Deserialize` reads an object keyed `$serde_json::private::RawValue` as
/// the JSON its member holds when serde_json's `raw_value` feature is on
/// (the reader turns it on for the whole build).
pub fn json(text: &str) -> serde_json::Result<Value> {
    logspec_checker::value::json::from_str(text)
}

/// Whether `serde_json` failed on what it cannot tell (a number beyond
/// `f64`, deep nesting) rather than on what is no JSON.
pub fn serde_unsure(error: &serde_json::Error) -> bool {
    let message = error.to_string();
    message.starts_with("number out of range") || message.starts_with("recursion limit exceeded")
}

/// Whether the reader refuses `text` for its nesting.
fn too_deep(text: &str) -> bool {
    matches!(
        read_record(Format::JsonDocument, text, &mut Vec::new()),
        Err(error) if matches!(error.kind, ReadErrorKind::JsonTooDeep { .. })
    )
}

/// The members of `value`, flattened as the reader documents: nested
/// objects with members become dotted paths, everything else one field.
fn flatten(parent: Option<&str>, value: &Value, out: &mut Vec<(String, Value)>) {
    let Value::Object(members) = value else {
        return;
    };
    for (key, member) in members {
        let path = parent.map_or_else(|| key.clone(), |parent| format!("{parent}.{key}"));
        match member {
            Value::Object(inner) if !inner.is_empty() => flatten(Some(&path), member, out),
            _ => out.push((path, member.clone())),
        }
    }
}

pub fn kind_of(value: &Value) -> JsonKind {
    match value {
        Value::String(_) => JsonKind::String,
        Value::Number(_) => JsonKind::Number,
        Value::Bool(_) => JsonKind::Boolean,
        Value::Null => JsonKind::Null,
        Value::Array(_) => JsonKind::Array,
        Value::Object(_) => JsonKind::Object,
    }
}

/// A JSON field's key span holds its last path segment as written (escapes
/// and all), and its value span the JSON text of its value, or, for a
/// `wrapped` Extended JSON scalar, of the wrapper object.
fn check_json_field(text: &str, field: &Field<'_>, wrapped: bool) {
    let key = &field.key;
    if let Some(span) = &field.key_span {
        let written = text.get(span.clone()).unwrap_or_default();
        let last: String = serde_json::from_str(&format!("\"{written}\""))
            .unwrap_or_else(|e| panic!("{text:?}: key span {written:?} is no string: {e}"));
        assert!(
            *key == last || key.ends_with(&format!(".{last}")),
            "{text:?}: key {key:?} does not end in its span's {last:?}"
        );
    }
    let Some(span) = &field.value_span else {
        return;
    };
    let written = text.get(span.clone()).unwrap_or_default();
    // `None`: JSON, but with a number serde cannot hold.
    let value: Option<Value> = match json(written) {
        Ok(value) => Some(value),
        Err(error) if serde_unsure(&error) => None,
        Err(error) => panic!("{text:?}: value span of {key:?}, {written:?}, is no JSON: {error}"),
    };
    // An Extended JSON scalar wrapper: an object of one `$` member.
    let wrapper = value
        .as_ref()
        .and_then(Value::as_object)
        .is_some_and(|members| members.len() == 1 && members.keys().all(|k| k.starts_with('$')));
    let agrees = (wrapped && wrapper)
        || match (field.json, &value) {
            (Some(JsonKind::String), Some(value)) => value.as_str() == Some(&*field.value),
            (Some(JsonKind::Null), Some(value)) => value.is_null() && field.value.is_empty(),
            (
                Some(JsonKind::Number | JsonKind::Boolean | JsonKind::Array | JsonKind::Object),
                _,
            ) => {
                written == field.value
                    && value
                        .as_ref()
                        .is_none_or(|value| Some(kind_of(value)) == field.json)
            }
            _ => false,
        };
    assert!(
        agrees,
        "{text:?}: {key:?} = {:?} ({:?}) but {written:?} is written",
        field.value, field.json
    );
}

/// Extended JSON reads what plain JSON reads, failing alike; its fields
/// are the plain fields with each scalar wrapper's one member replaced by
/// the wrapper (`{"$oid": …}`, `{"$date": …}`, `{"$numberLong": …}`), a
/// date in milliseconds rewritten as the ISO time it denotes.
fn check_extended_json(text: &str, fields: &[Field<'_>], read: bool) {
    let mut plain = Vec::new();
    let plain_result = read_record(Format::JsonLines, text, &mut plain);
    assert_eq!(
        plain_result.is_ok(),
        read,
        "{text:?}: extended and plain JSON disagree"
    );
    if !read {
        return;
    }
    check_json(text, &plain, true);
    let mut members = plain.iter();
    for field in fields {
        let Some(member) = members.next() else {
            panic!("{text:?}: more extended fields than plain ones");
        };
        if field == member {
            continue;
        }
        let wrapper = member
            .key
            .strip_prefix(&*field.key)
            .and_then(|rest| rest.strip_prefix(".$"))
            .unwrap_or_else(|| {
                panic!(
                    "{text:?}: {:?} is no wrapper of {:?}",
                    member.key, field.key
                )
            });
        check_json_field(text, field, true);
        assert!(
            matches!(
                field.json,
                Some(JsonKind::ObjectId | JsonKind::Date | JsonKind::Number)
            ),
            "{text:?}: {:?} collapsed to {:?}",
            field.key,
            field.json
        );
        // A date in milliseconds is rewritten as the ISO time it denotes.
        let rewritten = field.json == Some(JsonKind::Date)
            && !(wrapper == "date" && member.json == Some(JsonKind::String));
        if rewritten {
            let millis = member
                .value
                .parse::<i64>()
                .ok()
                .and_then(|ms| ms.checked_mul(1000));
            assert!(
                millis.is_some()
                    && check_field_instant(&field.value, None)
                        == millis.map(logspec_reader::Instant::Absolute),
                "{text:?}: {} ms rewritten as {:?}",
                member.value,
                field.value
            );
        } else {
            assert_eq!(field.value, member.value, "{text:?}");
        }
    }
    assert!(members.next().is_none(), "{text:?}: plain fields left over");
}

/// Plain text: any line is a record, its one field `message` the whole
/// line; detection takes any line for it.
fn check_plain_text(
    text: &str,
    fields: &[Field<'_>],
    result: &Result<Option<RecordHead<'_>>, ReadError>,
) {
    assert_eq!(result, &Ok(Some(RecordHead::default())), "{text:?}");
    let expected = Field {
        key: "message".into(),
        value: text.into(),
        json: None,
        key_span: None,
        value_span: Some(0..text.len()),
    };
    assert_eq!(fields, [expected], "{text:?}");
    assert_eq!(
        detect(text, &[Format::PlainText]),
        Some(Format::PlainText),
        "{text:?}"
    );
}

/// Logback: timestamp, level, thread, the MDC entries, logger and message,
/// which runs to the end of the record (its stack trace).
fn check_logback(text: &str, fields: &[Field<'_>], head: &RecordHead<'_>) {
    let names: Vec<&str> = fields.iter().map(|field| &*field.key).collect();
    assert!(
        names.len() >= 5
            && names[..3] == ["timestamp", "level", "thread"]
            && names[names.len() - 2..] == ["logger", "message"],
        "{text:?}: fields {names:?}"
    );
    assert!(
        fields[1].value.bytes().all(|b| b.is_ascii_alphabetic()) && !fields[1].value.is_empty()
    );
    check_text_layout(text, fields, head);
}

/// Pipe-separated: timestamp, level, logger, message (to the end of the
/// record) and, for a message opening with `[word] `, that word.
fn check_pipe(text: &str, fields: &[Field<'_>], head: &RecordHead<'_>) {
    let names: Vec<&str> = fields.iter().map(|field| &*field.key).collect();
    assert!(
        names == ["timestamp", "level", "logger", "message"]
            || names == ["timestamp", "level", "logger", "message", "prefix"],
        "{text:?}: fields {names:?}"
    );
    for trimmed in &fields[1..3] {
        assert_eq!(trimmed.value.trim(), trimmed.value, "{text:?}");
    }
    if let (Some(message), Some(prefix)) = (&fields[3].value_span, fields.get(4)) {
        let prefix = prefix.value_span.clone().unwrap_or_default();
        assert_eq!(prefix.start, message.start + 1, "{text:?}");
        assert_eq!(text.get(prefix.end..prefix.end + 2), Some("] "), "{text:?}");
    }
    check_text_layout(text, fields, head);
}

/// What the fixed text layouts share: the timestamp is the envelope's, the
/// message (last field but an optional prefix) runs to the end of the text.
fn check_text_layout(text: &str, fields: &[Field<'_>], head: &RecordHead<'_>) {
    assert_eq!(
        head.envelope.timestamp.as_deref(),
        Some(&*fields[0].value),
        "{text:?}"
    );
    // The layout's own message comes after any MDC entry named `message`.
    let message = fields.iter().rev().find(|field| field.key == "message");
    assert_eq!(
        message
            .and_then(|field| field.value_span.as_ref())
            .map(|span| span.end),
        Some(text.len()),
        "{text:?}: the message does not run to the end"
    );
}

/// RCE readable: the first line is the (unindented) title, every further
/// line one `Title: value` field whose value runs to the end of the line.
fn check_rce_readable(text: &str, fields: &[Field<'_>], head: &RecordHead<'_>) {
    let mut lines = text.split('\n');
    let title = lines.next().unwrap_or_default();
    assert_eq!(
        head.event.as_ref().map(|event| &*event.value),
        Some(title.trim_end()),
        "{text:?}"
    );
    assert!(
        !title.starts_with([' ', '\t']) && !title.trim().is_empty(),
        "{text:?}"
    );
    assert_eq!(
        fields.len(),
        text.split('\n').count() - 1,
        "{text:?}: a field per line"
    );
    let mut line_start = title.len() + 1;
    for (field, line) in fields.iter().zip(lines) {
        let line_end = line_start + line.len();
        let key = field.key_span.clone().unwrap_or_default();
        let value = field.value_span.clone().unwrap_or_default();
        assert!(
            line_start < key.start && !key.is_empty() && key.end <= value.start,
            "{text:?}: {:?} not indented or empty",
            field.key
        );
        assert!(
            !field.key.contains(':') && value.end == line_end,
            "{text:?}"
        );
        line_start = line_end + 1;
    }
}

/// SSE, against a model of the event-stream lines: comment lines skipped,
/// `data` lines joined with `\n` and read as JSON when they open an object
/// (as a JSON document reads it), as the field `data` otherwise; the last
/// `event:` line names the event; comments alone make no record.
fn check_sse(text: &str, fields: &[Field<'_>], result: &Result<Option<RecordHead<'_>>, ReadError>) {
    let mut event = None;
    // (offset in the text, value) of each data line.
    let mut data = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        let line_start = start;
        start += line.len() + 1;
        if line.starts_with(':') {
            continue;
        }
        let (name, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match name {
            "data" => data.push((line_start + line.len() - value.len(), value)),
            "event" => event = Some(value),
            _ => {}
        }
    }
    let joined = data
        .iter()
        .map(|(_, value)| *value)
        .collect::<Vec<_>>()
        .join("\n");
    let mut expected = Vec::new();
    let json = !data.is_empty() && joined.trim_start().starts_with('{');
    let readable = !json || read_record(Format::JsonDocument, &joined, &mut expected).is_ok();
    if !json && !data.is_empty() {
        expected.push(Field {
            key: "data".into(),
            value: joined.as_str().into(),
            json: None,
            key_span: None,
            value_span: None,
        });
    }
    let head = match result {
        Err(_) => return assert!(!readable, "{text:?}: refused, but its data is readable"),
        Ok(None) => {
            return assert!(
                data.is_empty() && event.is_none(),
                "{text:?}: a record was not read"
            )
        }
        Ok(Some(head)) => head,
    };
    assert!(
        readable,
        "{text:?}: data read that a JSON document reader refuses"
    );
    assert!(
        !data.is_empty() || event.is_some(),
        "{text:?}: a record of nothing"
    );
    assert_eq!(
        head.event.as_ref().map(|event| &*event.value),
        event,
        "{text:?}"
    );
    let got: Vec<_> = fields.iter().map(|f| (&f.key, &f.value, f.json)).collect();
    let want: Vec<_> = expected
        .iter()
        .map(|f| (&f.key, &f.value, f.json))
        .collect();
    assert_eq!(got, want, "{text:?}");
    if let ([(offset, _)], true) = (data.as_slice(), json) {
        // One data line: its fields are placed in the text.
        for field in fields {
            check_json_field(text, field, false);
            assert!(
                field
                    .value_span
                    .as_ref()
                    .is_some_and(|span| span.start >= *offset),
                "{text:?}: {:?} placed before the data",
                field.key
            );
        }
    }
}
