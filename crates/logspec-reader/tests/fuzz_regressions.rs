//! Inputs the fuzz targets (`fuzz/`) found breaking a promise, kept as
//! ordinary tests so each bug stays fixed without a fuzzer. Each test names
//! the target that found it.

use logspec_reader::{detect, read_envelope, Format};

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
