//! The checker's verdict does not depend on how the input arrives: the
//! same bytes read whole and in arbitrary chunks (with interrupted reads in
//! between) give identical findings, summaries and coverage, under a
//! built-in spec chosen by the first byte; with any line limit, every line
//! is counted and every finding points inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logspec_checker::{CheckOptions, Checker, Coverage, Finding, InputSummary, Plan};
use logspec_fuzz::chunked::{Chunked, Chunking, Hiccup};
use logspec_fuzz::specs::choose;
use std::io::BufRead;

fuzz_target!(|input: &[u8]| {
    let Some((compiled, input)) = choose(input) else {
        return;
    };
    let (chunking, data) = Chunking::split(input);
    let options = CheckOptions {
        max_line_bytes: chunking.max_line_bytes,
        ..CheckOptions::default()
    };
    let whole = verdict(&compiled.plan, options.clone(), data);
    // Lines cut at a small limit are still counted once each.
    logspec_fuzz::checked::hold(data, &whole.0, &whole.1);
    let chunked = verdict(
        &compiled.plan,
        options,
        Chunked::new(data, chunking.plan, Hiccup::Interrupted),
    );
    assert_eq!(whole, chunked);
});

fn verdict<R: BufRead>(
    plan: &Plan,
    options: CheckOptions,
    reader: R,
) -> (InputSummary, Vec<Finding>, Coverage) {
    let mut checker = Checker::new(plan, options);
    let mut findings = Vec::new();
    let summary = checker
        .check_input("fuzz.log", reader, &mut findings)
        .unwrap_or_else(|e| panic!("interrupted reads are retried, yet: {e}"));
    // The counts, not the report built from them: equal counts make equal
    // reports, and building two reports of Hexon's 2,033 entries per input
    // was a good part of the target's time.
    (summary, findings, checker.coverage().clone())
}
