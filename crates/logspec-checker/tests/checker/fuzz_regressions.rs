//! Inputs the fuzz targets (`fuzz/`) found breaking a promise, kept as
//! ordinary tests so each bug stays fixed without a fuzzer. Each test names
//! the target that found it.

use logspec_checker::record::excerpt;
use logspec_checker::{CheckOptions, Checker, Code, Finding, Plan};

fn check(input: &[u8]) -> Vec<Finding> {
    let loaded = match logspec_spec::builtin("ctrl-exec").map(|builtin| builtin.load()) {
        Some(Ok(loaded)) => loaded,
        _ => panic!("built-in ctrl-exec spec does not load"),
    };
    let plan = Plan::new(&loaded.spec).expect("spec compiles");
    let mut checker = Checker::new(&plan, CheckOptions::default());
    let mut findings = Vec::new();
    if let Err(error) = checker.check_input("fuzz.log", input, &mut findings) {
        panic!("reading from memory failed: {error}");
    }
    findings
}

/// `check`: a line starting with an invalid byte. The excerpt shows it as
/// U+FFFD (three bytes), but the span was the raw byte's 0..1, inside that
/// character, so slicing the excerpt by its span panicked.
#[test]
fn span_of_an_invalid_byte_covers_its_replacement_character() {
    let findings = check(b"\x88\x08");
    let finding = &findings[0];
    assert_eq!(finding.code, Code::ParseError);
    assert_eq!(finding.column, Some(1));
    let shown = finding
        .excerpt
        .as_ref()
        .expect("parse errors quote the line");
    assert_eq!(shown.text, "\u{FFFD}\u{8}");
    assert_eq!(shown.span, Some(0..3));
    let span = shown.span.clone().unwrap_or_default();
    assert_eq!(&shown.text[span], "\u{FFFD}");
}

#[test]
fn excerpt_spans_are_widened_to_character_boundaries() {
    let line = "ab\u{e9}cd";
    assert_eq!(excerpt(line, Some(3..3)).span, Some(2..4));
    assert_eq!(excerpt(line, Some(2..3)).span, Some(2..4));
    assert_eq!(excerpt(line, Some(0..2)).span, Some(0..2));
    assert_eq!(excerpt(line, Some(6..6)).span, Some(6..6));
    assert_eq!(excerpt(line, None).span, None);
}

/// `values`: a timestamp whose zone starts with a non-ASCII character
/// (`2026-04-13T14:30é`) made the timestamp check slice inside that
/// character and panic, so one such log line crashed `logspec check`.
#[test]
fn timestamp_zone_starting_with_a_multibyte_character_is_invalid_not_a_panic() {
    let line = "ACTION=cert-rotated OLD_SERIAL=09abcdef NEW_SERIAL=0a1b2c3d \
                OVERLAP_EXPIRES=2026-04-13T14:30\u{e9} AGENTS=12";
    let findings = check(line.as_bytes());
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].code, Code::InvalidValue);
    assert_eq!(findings[0].field.as_deref(), Some("OVERLAP_EXPIRES"));
    assert!(
        findings[0].message.contains("is not Z or ±hh:mm"),
        "{}",
        findings[0].message
    );
}

/// `chunks`: two undocumented events in one OTLP export line (so on one
/// line) came out of the report in either order: they were kept in a hash
/// map and sorted by line only. They come out in the order of their first
/// record, the same on every run.
#[test]
fn undocumented_events_of_one_line_keep_their_order() {
    let loaded = match logspec_spec::builtin("hexon").map(|builtin| builtin.load()) {
        Some(Ok(loaded)) => loaded,
        _ => panic!("built-in hexon spec does not load"),
    };
    let plan = Plan::new(&loaded.spec).expect("spec compiles");
    let record = |event: &str| {
        format!(
            r#"{{"timeUnixNano":"1795942800000000000","severityNumber":9,"severityText":"INFO","body":{{"stringValue":"x"}},"attributes":[{{"key":"event","value":{{"stringValue":"{event}"}}}}]}}"#
        )
    };
    let events = [
        "zz.not.documented",
        "aa.not.documented",
        "mm.not.documented",
    ];
    let line = format!(
        r#"{{"resourceLogs":[{{"scopeLogs":[{{"logRecords":[{}]}}]}}]}}"#,
        events.map(record).join(",")
    );
    for _ in 0..8 {
        let mut checker = Checker::new(&plan, CheckOptions::default());
        let mut findings = Vec::new();
        if let Err(error) = checker.check_input("export.otlp.jsonl", line.as_bytes(), &mut findings)
        {
            panic!("reading from memory failed: {error}");
        }
        let unknown: Vec<Option<String>> = findings
            .iter()
            .filter(|finding| finding.code == Code::UnknownEvent)
            .map(|finding| finding.event.clone())
            .collect();
        assert_eq!(
            unknown,
            events.map(|event| Some(event.to_owned())),
            "{findings:#?}"
        );
    }
}
