//! The built-in Agent Hub spec: each record kind read and held to its
//! section, and each stream rule with inputs that keep it and inputs that
//! break it.

use crate::common;

use common::{at, builtin_plan, located};
use logspec_checker::rules::EngineOptions;
use logspec_checker::{CheckOptions, Finding, InputSummary, Plan};

/// The spec, compiled once for all tests.
fn plan() -> &'static Plan {
    static PLAN: std::sync::OnceLock<Plan> = std::sync::OnceLock::new();
    PLAN.get_or_init(|| builtin_plan("agent-hub"))
}

fn run_with(inputs: &[(&str, &str)], partial: bool) -> (Vec<Finding>, Vec<InputSummary>) {
    let options = CheckOptions {
        rules: EngineOptions {
            partial,
            ..EngineOptions::default()
        },
        ..CheckOptions::default()
    };
    common::run(plan(), inputs, options)
}

fn codes(inputs: &[(&str, &str)]) -> Vec<(String, u64, &'static str)> {
    located(&run_with(inputs, false).0)
}

const EXECUTED: &str = r#"{"event": "command_executed", "run_id": "20250115_143122_e5f6g7h8", "command": "Get-Process python", "exit_code": 0, "duration_ms": 142.5, "ts": "2025-01-15T14:31:22"}"#;
const BLOCKED: &str = r#"{"event": "command_blocked", "run_id": "20250115_143200_x1y2z3w4", "reason": "deny:\\b(Remove-Item|del)", "command": "Remove-Item C:\\Windows\\*", "ts": "2025-01-15T14:32:00"}"#;
const RECORD: &str = "{\n\"run_id\": \"20250115_143122_e5f6g7h8\",\n\"cwd\": \"C:\\\\provara\",\n\"command\": \"Get-Process python\",\n\"exit_code\": 0,\n\"stdout\": \"Handles NPM(K) PM(K)...\",\n\"stderr\": \"\",\n\"ts\": 1705329082.456,\n\"duration_ms\": 142.5\n}\n";
const AUDIT: &str = "runtime/audit.log";
const RECORD_PATH: &str = "runtime/runs/20250115_143122_e5f6g7h8/record.json";

#[test]
fn a_run_that_follows_the_document_passes() {
    let audit = format!("{EXECUTED}\n{BLOCKED}\n");
    let (findings, summaries) = run_with(&[(AUDIT, &audit), (RECORD_PATH, RECORD)], false);
    assert!(findings.is_empty(), "{findings:#?}");
    let kinds: Vec<Option<&str>> = summaries.iter().map(|s| s.kind.as_deref()).collect();
    assert_eq!(kinds, vec![Some("audit"), Some("run-record")]);
}

#[test]
fn audit_fields_of_one_outcome_are_forbidden_on_the_other() {
    let executed_with_reason = EXECUTED.replace(r#""ts""#, r#""reason": "x", "ts""#);
    assert_eq!(
        codes(&[(AUDIT, &executed_with_reason)]),
        vec![at(AUDIT, 1, "unexpected-field")]
    );
    let blocked_with_exit = BLOCKED.replace(r#""ts""#, r#""exit_code": 1, "ts""#);
    assert_eq!(
        codes(&[(AUDIT, &blocked_with_exit)]),
        vec![at(AUDIT, 1, "unexpected-field")]
    );
    let executed_without_duration = EXECUTED.replace(r#""duration_ms": 142.5, "#, "");
    assert_eq!(
        codes(&[(AUDIT, &executed_without_duration)]),
        vec![at(AUDIT, 1, "missing-field")]
    );
}

#[test]
fn audit_commands_are_cut_to_200_characters() {
    let long = "x".repeat(201);
    let blocked = BLOCKED.replace(r#"Remove-Item C:\\Windows\\*"#, &long);
    assert_eq!(
        codes(&[(AUDIT, &blocked)]),
        vec![at(AUDIT, 1, "invalid-value")]
    );
    let exact = BLOCKED.replace(r#"Remove-Item C:\\Windows\\*"#, &"é".repeat(200));
    assert!(codes(&[(AUDIT, &exact)]).is_empty());
}

#[test]
fn only_what_the_document_types_is_typed() {
    // The document gives exit codes and run ids no JSON type or format:
    // its examples illustrate, they do not restrict.
    let string_exit = EXECUTED.replace(r#""exit_code": 0"#, r#""exit_code": "0""#);
    assert_eq!(codes(&[(AUDIT, &string_exit)]), vec![]);
    let other_id = EXECUTED.replace("20250115_143122_e5f6g7h8", "run-1");
    assert_eq!(codes(&[(AUDIT, &other_id)]), vec![]);
    let zoned = RECORD.replace("1705329082.456", "\"2024-01-15T14:31:22Z\"");
    assert_eq!(codes(&[(RECORD_PATH, &zoned)]), vec![]);
    // What it does say is held: an exit code is a number, a time a time.
    let word_exit = EXECUTED.replace(r#""exit_code": 0"#, r#""exit_code": "zero""#);
    assert_eq!(
        codes(&[(AUDIT, &word_exit)]),
        vec![at(AUDIT, 1, "invalid-value")]
    );
    let no_time = RECORD.replace("1705329082.456", "\"yesterday\"");
    assert_eq!(
        codes(&[(RECORD_PATH, &no_time)]),
        vec![at(RECORD_PATH, 1, "invalid-value")]
    );
    let audit_time = EXECUTED.replace("2025-01-15T14:31:22", "1705329082");
    assert_eq!(
        codes(&[(AUDIT, &audit_time)]),
        vec![at(AUDIT, 1, "invalid-value")]
    );
}

#[test]
fn run_id_unique_in_the_audit_log() {
    let again = EXECUTED.replace(
        "\"ts\": \"2025-01-15T14:31:22\"",
        "\"ts\": \"2025-01-15T14:40:00\"",
    );
    let audit = format!("{EXECUTED}\n{BLOCKED}\n{again}\n");
    // The second execution also has no record of its own to pair with.
    assert_eq!(
        codes(&[(AUDIT, &audit), (RECORD_PATH, RECORD)]),
        vec![
            at(AUDIT, 3, "duplicate-key"),
            at(AUDIT, 3, "sequence-violation")
        ]
    );
    let reused_by_block = BLOCKED.replace("20250115_143200_x1y2z3w4", "20250115_143122_e5f6g7h8");
    let audit = format!("{EXECUTED}\n{reused_by_block}\n");
    assert_eq!(
        codes(&[(AUDIT, &audit), (RECORD_PATH, RECORD)]),
        vec![at(AUDIT, 2, "duplicate-key")]
    );
}

#[test]
fn an_executed_command_has_its_record_and_they_agree() {
    // No record.json given: nothing could show it, so nothing is said.
    assert!(codes(&[(AUDIT, EXECUTED)]).is_empty());
    let other = RECORD.replace("20250115_143122_e5f6g7h8", "20250115_150000_zzzzzzzz");
    let other_path = "runtime/runs/20250115_150000_zzzzzzzz/record.json";
    assert_eq!(
        codes(&[(AUDIT, EXECUTED), (other_path, &other)]),
        vec![at(AUDIT, 1, "unpaired"), at(other_path, 1, "unpaired")]
    );
    let failed = RECORD.replace("\"exit_code\": 0", "\"exit_code\": 1");
    assert_eq!(
        codes(&[(AUDIT, EXECUTED), (RECORD_PATH, &failed)]),
        vec![at(RECORD_PATH, 1, "mismatch")]
    );
    let other_command = RECORD.replace("Get-Process python", "Get-Process pythonw");
    assert_eq!(
        codes(&[(AUDIT, EXECUTED), (RECORD_PATH, &other_command)]),
        vec![at(RECORD_PATH, 1, "mismatch")]
    );
}

#[test]
fn the_audit_command_may_be_the_records_cut_short() {
    let full: String = "a".repeat(250);
    let audit = EXECUTED.replace("Get-Process python", &full[..200]);
    let record = RECORD.replace("Get-Process python", &full);
    assert!(codes(&[(AUDIT, &audit), (RECORD_PATH, &record)]).is_empty());
    let record = RECORD.replace("Get-Process python", &format!("{}b", &full[..199]));
    assert_eq!(
        codes(&[(AUDIT, &audit), (RECORD_PATH, &record)]),
        vec![at(RECORD_PATH, 1, "mismatch")]
    );
}

const STARTED: &str = "event: run_started\ndata: {\"event\": \"run_started\", \"run_id\": \"20250115_143122_e5f6g7h8\"}\n\n";
const FINISHED: &str = "event: run_finished\ndata: {\"event\": \"run_finished\", \"run_id\": \"20250115_143122_e5f6g7h8\", \"exit_code\": 0, \"stdout\": \"x\"}\n\n";

#[test]
fn each_started_run_finishes_once() {
    let sse = "capture.sse";
    assert!(codes(&[(sse, &format!("{STARTED}: ping\n\n{FINISHED}"))]).is_empty());
    assert_eq!(codes(&[(sse, STARTED)]), vec![at(sse, 1, "incomplete")]);
    assert_eq!(
        codes(&[(sse, FINISHED)]),
        vec![at(sse, 1, "sequence-violation")]
    );
    assert_eq!(
        codes(&[(sse, &format!("{STARTED}{FINISHED}{FINISHED}"))]),
        vec![at(sse, 7, "sequence-violation")]
    );
    // A window that starts mid-run joins it.
    let (findings, _) = run_with(&[(sse, FINISHED)], true);
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn sse_messages_without_event_lines_name_the_event_in_their_data() {
    let data_only = "data: {\"event\": \"run_started\", \"run_id\": \"20250115_143122_e5f6g7h8\"}\n\ndata: {\"event\": \"run_finished\", \"run_id\": \"20250115_143122_e5f6g7h8\", \"exit_code\": 0}\n\n";
    assert!(codes(&[("events.sse", data_only)]).is_empty());
    let disagreeing = "event: run_started\ndata: {\"event\": \"run_finished\", \"run_id\": \"20250115_143122_e5f6g7h8\", \"exit_code\": 0}\n\n";
    let found = codes(&[("events.sse", disagreeing)]);
    assert!(
        found.contains(&at("events.sse", 1, "invalid-value")),
        "{found:?}"
    );
    let unknown = "event: run_paused\ndata: {}\n\n";
    assert_eq!(
        codes(&[("events.sse", unknown)]),
        vec![at("events.sse", 1, "unknown-event")]
    );
}

#[test]
fn stdout_lines_and_their_levels() {
    let out = "stdout.log";
    let line = "2025-01-15 14:31:15 | INFO | src.server.exec.runner | [20250115_143100_abc] Executing: whoami\n";
    assert!(codes(&[(out, line)]).is_empty());
    assert!(codes(&[(out, &line.replace("INFO", "DEBUG"))]).is_empty());
    // Python's other standard names are expected; any other word is
    // allowed by the document (it lists no levels), so only a warning.
    assert!(codes(&[(out, &line.replace("INFO", "CRITICAL"))]).is_empty());
    let (findings, _) = run_with(&[(out, &line.replace("INFO", "WARN"))], false);
    assert_eq!(located(&findings), vec![at(out, 1, "stricter-reading")]);
    assert_eq!(findings[0].severity, logspec_checker::Severity::Warning);
    assert!(
        findings[0]
            .message
            .contains("Python logging's standard level names"),
        "the warning gives the spec's reason: {}",
        findings[0].message
    );
    // A run id of another shape is still a prefix: the document gives none.
    assert!(codes(&[(out, &line.replace("[20250115_143100_abc]", "[abc]"))]).is_empty());
    assert_eq!(
        codes(&[(out, &line.replace("2025-01-15 14:31:15", "2025-01-15 noon"))]),
        vec![at(out, 1, "invalid-value")]
    );
    // Nothing but a traceback follows a line.
    let stray = format!("{line}plain text\n{line}");
    assert_eq!(codes(&[(out, &stray)]), vec![at(out, 2, "parse-error")]);
    let traceback = format!(
        "{}Traceback (most recent call last):\n  File \"x.py\", line 1\n",
        line.replace("INFO", "ERROR")
    );
    let (findings, summaries) = run_with(&[(out, &traceback)], false);
    assert!(findings.is_empty(), "{findings:#?}");
    assert_eq!((summaries[0].lines, summaries[0].records), (3, 1));
}
