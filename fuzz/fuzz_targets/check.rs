//! End to end: arbitrary bytes checked against every built-in spec, with
//! the format detected and with one the spec declares forced, then both
//! reports rendered. Checking never fails on bad input, and every finding
//! points inside what was read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logspec_checker::{CheckOptions, Checker, Code, Finding, InputSummary};
use logspec_fuzz::specs::builtins;
use logspec_reader::Format;
use logspec_report::{human, json};

fuzz_target!(|input: &[u8]| {
    for compiled in builtins() {
        let plan = &compiled.plan;
        let forced = plan
            .formats
            .get(input.len() % plan.formats.len().max(1))
            .copied();
        for format in [None, forced] {
            let options = CheckOptions {
                format,
                ..CheckOptions::default()
            };
            let mut checker = Checker::new(plan, options);
            let mut findings: Vec<Finding> = Vec::new();
            let summary = checker
                .check_input("fuzz.log", input, &mut findings)
                .unwrap_or_else(|e| panic!("reading a slice failed: {e}"));
            hold(&summary, &findings);

            let coverage = checker.coverage().report(plan);
            assert_eq!(
                coverage.seen.len() + coverage.not_seen.len(),
                coverage.documented
            );
            let classified: u64 = coverage.seen.iter().map(|entry| entry.count).sum();
            assert!(classified <= summary.records);

            let mut human_out = Vec::new();
            let options = human::HumanOptions {
                color: input.len().is_multiple_of(2),
                ..Default::default()
            };
            human::render_findings(&findings, options, &mut human_out)
                .unwrap_or_else(|e| panic!("rendering to memory failed: {e}"));
            if !options.color {
                // Nothing from the log reaches the terminal as a control.
                let shown = String::from_utf8_lossy(&human_out);
                let control = shown.chars().find(|&c| c.is_control() && c != '\n');
                assert_eq!(control, None, "control character in the report:\n{shown}");
            }
            let mut json_out = Vec::new();
            json::render_findings(compiled.name, &findings, &mut json_out)
                .unwrap_or_else(|e| panic!("rendering to memory failed: {e}"));
            let report: serde_json::Value = serde_json::from_slice(&json_out)
                .unwrap_or_else(|e| panic!("the JSON report is not JSON: {e}"));
            assert_eq!(
                report["findings"].as_array().map(Vec::len),
                Some(findings.len())
            );
        }
    }
});

fn hold(summary: &InputSummary, findings: &[Finding]) {
    // An OTLP/JSON line is an export of many log records.
    assert!(
        summary.records <= summary.lines || summary.format == Some(Format::OtlpJson),
        "{summary:?}"
    );
    for finding in findings {
        assert_eq!(&*finding.file, "fuzz.log");
        assert!(finding.line <= summary.lines, "{finding:?}");
        assert!(
            finding.line >= 1 || finding.code == Code::EmptyInput,
            "{finding:?}"
        );
        assert!(
            finding.column.is_none_or(|column| column >= 1),
            "{finding:?}"
        );
        if let Some(excerpt) = &finding.excerpt {
            if let Some(span) = &excerpt.span {
                assert!(span.start <= span.end, "{finding:?}");
                assert!(
                    excerpt.text.get(span.clone()).is_some(),
                    "excerpt span off the text or its char boundaries: {finding:?}"
                );
            }
        }
    }
}
