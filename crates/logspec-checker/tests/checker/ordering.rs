//! The order checking applies a line in: the stream rules see a record
//! only once the rest of its line is applied (the findings of the other
//! records on it, their counts and timestamps), on one thread and on
//! several. An OTLP export line holds several log records, so it shows
//! the difference: a rule's finding about the line's second record comes
//! after the per-record finding of its third.
//!
//! On one thread a line is checked whole before any of its records is
//! handed on (`Context::next_here`); on several, the reading thread hands
//! on a record only between the lines of a chunk (`Ahead::next`): letting
//! it hand one on mid-line makes this test fail (tried on purpose).

use crate::common;

use common::run;
use logspec_checker::{CheckOptions, Finding, Plan};

/// Hexon with one stream rule: a pool's retry budget is exceeded once.
fn plan() -> Plan {
    let Some(builtin) = logspec_spec::builtin("hexon") else {
        panic!("no built-in hexon spec");
    };
    let text = format!(
        "{}\nrules:\n{}",
        builtin.text,
        r#"  - id: budget-exceeded-once
    description: A pool's retry budget is exceeded once (a rule for this test).
    key: [pool_id]
    participants:
      - {label: exceeded, match: [proxy.retry], key: [{field: pool_id}]}
    lifecycle:
      start: new
      states:
        new: {on: {exceeded: over}}
        over: {accepting: true}
"#
    );
    let loaded = logspec_spec::load_str(&text, "hexon-with-rule.yaml")
        .unwrap_or_else(|error| panic!("the test spec does not load:\n{error}"));
    Plan::new(&loaded.spec)
        .unwrap_or_else(|error| panic!("the test spec does not compile: {error}"))
}

/// One OTLP log record of `proxy.retry`.
fn retry(level: &str, body: &str, pool: &str) -> String {
    let attribute = |key: &str, value: &str| {
        format!(r#"{{"key":"{key}","value":{{"stringValue":"{value}"}}}}"#)
    };
    format!(
        r#"{{"timeUnixNano":"1795942800000000000","severityText":"{level}","body":{{"stringValue":"{body}"}},"attributes":[{},{},{}]}}"#,
        attribute("event", "proxy.retry"),
        attribute("app", "a"),
        attribute("pool_id", pool),
    )
}

/// An OTLP/JSON export line holding `records`.
fn export(records: &[String]) -> String {
    format!(
        r#"{{"resourceLogs":[{{"resource":{{"attributes":[]}},"scopeLogs":[{{"logRecords":[{}]}}]}}]}}"#,
        records.join(",")
    )
}

/// (line, code, rule) of each finding, in the order they reached the sink.
fn in_order(findings: &[Finding]) -> Vec<(u64, &'static str, Option<String>)> {
    findings
        .iter()
        .map(|finding| (finding.line, finding.code.as_str(), finding.rule.clone()))
        .collect()
}

#[test]
fn rules_see_a_record_after_the_rest_of_its_line() {
    let plan = plan();
    let exceeded = retry("WARN", "Retry budget exceeded", "p1");
    // Line 1: the budget exceeded twice (the rule's finding is about the
    // second record), then a record at the wrong level (a per-record
    // finding about the third). Line 2: a clean record.
    let text = format!(
        "{}\n{}\n",
        export(&[
            exceeded.clone(),
            exceeded,
            retry("ERROR", "Retry budget exceeded", "p2"),
        ]),
        export(&[retry("WARN", "Retry budget exceeded", "p3")]),
    );
    let rule = Some("budget-exceeded-once".to_owned());
    // On several threads, the lines in one chunk and in a chunk each.
    for (threads, chunk_records) in [(1, 1), (2, 1024), (2, 1)] {
        let options = CheckOptions {
            threads,
            chunk_records,
            ..CheckOptions::default()
        };
        let (findings, _) = run(&plan, &[("export.otlp.jsonl", &text)], options);
        let found = in_order(&findings);
        let violation = found
            .iter()
            .find(|(_, _, of)| *of == rule)
            .map(|(_, code, _)| *code)
            .unwrap_or_else(|| panic!("no finding of the rule ({threads} threads): {found:?}"));
        assert_eq!(
            found,
            vec![(1, "severity-mismatch", None), (1, violation, rule.clone()),],
            "{threads} threads, chunks of {chunk_records}"
        );
    }
}
