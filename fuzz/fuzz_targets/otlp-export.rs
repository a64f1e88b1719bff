//! Structure-aware: an OTLP/JSON export (resources, scopes, log records
//! with typed attributes, nested arrays and key-value lists) built by
//! `arbitrary` and rendered as one line is found whole and read back
//! exactly: every log record, every field with its value (integers,
//! doubles and booleans round-trip) and JSON type, each key and value span
//! on the text it was rendered from; and it holds the model's promises
//! (`logspec_fuzz::otlp`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use logspec_fuzz::export::{ArbitraryExport, ExpectedValue};
use logspec_fuzz::otlp::check_export;
use logspec_reader::{detect, read_record, Format};

fuzz_target!(|export: ArbitraryExport| {
    let (line, expected) = export.line();
    assert!(!line.contains('\n'), "{line:?}");
    assert_eq!(
        detect(&line, &[Format::OtlpJson, Format::JsonLines]),
        Some(Format::OtlpJson),
        "{line:?}"
    );
    let ranges = check_export(&line).unwrap_or_else(|| panic!("{line:?}: refused"));
    assert_eq!(ranges.len(), expected.len(), "{line:?}: log records");
    let mut fields = Vec::new();
    for (range, expected) in ranges.into_iter().zip(&expected) {
        let text = &line[range];
        read_record(Format::OtlpJson, text, &mut fields)
            .unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
        let keys: Vec<(&str, _)> = fields.iter().map(|f| (&*f.key, f.json)).collect();
        let want: Vec<(&str, _)> = expected.iter().map(|e| (&*e.key, Some(e.json))).collect();
        assert_eq!(keys, want, "{text:?}");
        for (field, expected) in fields.iter().zip(expected) {
            let value = &*field.value;
            let agrees = match &expected.value {
                ExpectedValue::Text(text) => value == text,
                ExpectedValue::Double(double) => value.parse::<f64>().ok() == Some(*double),
                ExpectedValue::Json(json) => {
                    serde_json::from_str::<serde_json::Value>(value)
                        .ok()
                        .as_ref()
                        == Some(json)
                }
            };
            assert!(agrees, "{text:?}: {value:?} read, {expected:?} written");
            let spanned = |span: &Option<std::ops::Range<usize>>| {
                span.clone().and_then(|span| text.get(span))
            };
            assert_eq!(
                spanned(&field.key_span),
                expected.key_text.as_deref(),
                "{text:?}: key span of {expected:?}"
            );
            assert_eq!(
                spanned(&field.value_span),
                expected.value_text.as_deref(),
                "{text:?}: value span of {expected:?}"
            );
        }
    }
});
