//! End to end: arbitrary bytes checked against a built-in spec (chosen by
//! the first byte), with the format detected or with one the spec declares
//! forced, with or without the spec's rule parameters set (the second
//! byte), then both reports rendered. Checking never fails on bad input,
//! and every finding points inside what was read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logspec_checker::rules::EngineOptions;
use logspec_checker::{CheckOptions, Checker, Finding};
use logspec_fuzz::specs::choose;
use logspec_report::{human, json};

fuzz_target!(|input: &[u8]| {
    let Some((compiled, input)) = choose(input) else {
        return;
    };
    let Some((&how, input)) = input.split_first() else {
        return;
    };
    let plan = &compiled.plan;
    // Bit 0: colour in the human report. Bit 1: every rule parameter set
    // (rules with parameters run only so). The rest: 0 for the format
    // detected, n for the spec's n-th format (cyclically).
    let color = how & 1 == 1;
    let params = if how & 2 == 2 {
        compiled.params.clone()
    } else {
        Vec::new()
    };
    let format = match usize::from(how >> 2) {
        0 => None,
        n => plan
            .formats
            .get((n - 1) % plan.formats.len().max(1))
            .copied(),
    };
    let options = CheckOptions {
        format,
        rules: EngineOptions {
            params,
            ..EngineOptions::default()
        },
        ..CheckOptions::default()
    };
    let mut checker = Checker::new(plan, options);
    let mut findings: Vec<Finding> = Vec::new();
    let summary = checker
        .check_input("fuzz.log", input, &mut findings)
        .unwrap_or_else(|e| panic!("reading a slice failed: {e}"));
    logspec_fuzz::checked::hold(input, &summary, &findings);

    let coverage = checker.coverage().report(plan);
    assert_eq!(
        coverage.seen.len() + coverage.not_seen.len(),
        coverage.documented
    );
    let classified: u64 = coverage.seen.iter().map(|entry| entry.count).sum();
    assert!(classified <= summary.records);

    let mut human_out = Vec::new();
    let options = human::HumanOptions {
        color,
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
    // Read through, not built: a `Value` of every finding cost more than
    // checking the input.
    let report: Report = serde_json::from_slice(&json_out)
        .unwrap_or_else(|e| panic!("the JSON report is not JSON with findings: {e}"));
    assert_eq!(report.findings.len(), findings.len());
});

/// The JSON report as far as this target reads it; every value is still
/// parsed (`IgnoredAny` reads it through).
#[derive(serde::Deserialize)]
struct Report {
    findings: Vec<serde::de::IgnoredAny>,
}
