//! Inputs the fuzz targets (`fuzz/`) found breaking a promise, kept as
//! ordinary tests so each bug stays fixed without a fuzzer. Each test names
//! the target that found it.

use logspec_reader::{detect, read_envelope, read_record, Format};

/// `journald`: the reader skips JSON whitespace before the entry's `{`, but
/// detection did not, so a first line with leading whitespace was read as
/// journald with `--format journald` and detected as bare without it.
#[test]
fn journald_detection_skips_the_whitespace_the_reader_skips() {
    let line = "\t{\"PRIORITY\":\"4\",\"MESSAGE\":\"ACTION=deny\"}";
    let framed = match read_envelope(Format::Journald, line) {
        Ok(framed) => framed,
        Err(error) => panic!("{error}"),
    };
    assert_eq!(framed.payload, "ACTION=deny");
    assert_eq!(detect(line, &Format::ALL), Some(Format::Journald));
    assert_eq!(detect(" \r\n{}", &Format::ALL), Some(Format::Journald));
    assert_eq!(detect(" x {}", &Format::ALL), Some(Format::Bare));
}

/// `otlp-json`: serde_json places an error at the last byte it read, which
/// for a bad `\u` escape can be inside a multibyte character; the error's
/// column was then no character of the line (journald shared the fault).
#[test]
fn json_errors_are_placed_on_characters() {
    let line = r#"{"resourceLogs":[],"k":"\u0{ɠ"}"#;
    let error = match logspec_reader::otlp::log_records(line) {
        Ok(records) => panic!("read as {records:?}"),
        Err(error) => error,
    };
    assert!(line.is_char_boundary(error.column - 1), "{error:?}");
    assert_eq!(&line[error.column - 1..], "ɠ\"}");
    let line = r#"{"MESSAGE":"\u0{ɠ"}"#;
    let error = match read_envelope(Format::Journald, line) {
        Ok(framed) => panic!("read as {framed:?}"),
        Err(error) => error,
    };
    assert!(line.is_char_boundary(error.column - 1), "{error:?}");
}

/// `otlp-json` (the harness was wrong): an export whose resource repeats
/// `scopeLogs` is refused, and when the first of them is no array, serde
/// names that before it reaches the repetition. The harness's model keeps
/// the last member and took only a "duplicate field" refusal; either
/// reason is a refusal of an export with a repeated member.
#[test]
fn a_repeated_member_is_refused_whatever_comes_first() {
    let repeated =
        |first: &str| format!(r#"{{"resourceLogs":[{{"scopeLogs":{first},"scopeLogs":[]}}]}}"#);
    for (first, reason) in [
        (
            r#"{"scopeAttributes":[]}"#,
            "invalid type: map, expected a sequence",
        ),
        ("[]", "duplicate field `scopeLogs`"),
    ] {
        let line = repeated(first);
        match logspec_reader::otlp::log_records(&line) {
            Ok(records) => panic!("{line}: read as {records:?}"),
            Err(error) => assert!(error.to_string().contains(reason), "{line}: {error}"),
        }
    }
    // Read once, it is an export.
    let once = r#"{"resourceLogs":[{"scopeLogs":[]}]}"#;
    assert!(logspec_reader::otlp::log_records(once).is_ok_and(|records| records.is_empty()));
}

/// `otlp-json` (the harness was wrong, again, one level down): a log
/// record that repeats `attributes`, the first holding an attribute
/// without `key`, is refused, serde naming the missing key before it
/// reaches the repetition; the harness's model keeps the last member and
/// took only a "duplicate field" refusal. Repetitions the reader never
/// reads (inside an `AnyValue` member that does not decide the value, in
/// members OTLP does not name) are no refusal.
#[test]
fn a_repeated_member_of_a_log_record_is_refused_whatever_comes_first() {
    let read = |text: &str| read_record(Format::OtlpJson, text, &mut Vec::new()).map(|_| ());
    for (text, reason) in [
        (
            r#"{"attributes":[{"k":"","value":{}}],"attributes":[{"key":"a"}]}"#,
            "missing field `key`",
        ),
        (
            r#"{"attributes":[],"attributes":[]}"#,
            "duplicate field `attributes`",
        ),
        (r#"{"body":null,"body":{}}"#, "duplicate field `body`"),
        (
            r#"{"attributes":[{"key":"a","key":"b"}]}"#,
            "duplicate field `key`",
        ),
        (
            r#"{"body":{"arrayValue":{"values":[{"intValue":1,"intValue":2}]}}}"#,
            "duplicate field `intValue`",
        ),
    ] {
        match read(text) {
            Ok(()) => panic!("{text}: read"),
            Err(error) => assert!(error.to_string().contains(reason), "{text}: {error}"),
        }
    }
    for text in [
        r#"{"body":{"stringValue":"x","arrayValue":{"values":[],"values":[]}}}"#,
        r#"{"attributes":[{"key":"a","note":1,"note":2}],"x":1,"x":2}"#,
    ] {
        assert!(read(text).is_ok(), "{text}: {:?}", read(text));
    }
}
