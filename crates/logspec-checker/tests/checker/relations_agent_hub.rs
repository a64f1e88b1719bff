//! How Agent Hub records relate, statement by statement: for each relation
//! the document states (section cited in the test), inputs that keep it
//! pass without a finding and inputs that break it raise exactly the rule's
//! finding.

use crate::common;

use common::{assert_passes, at, check_builtin};

const SPEC: &str = "agent-hub";

fn findings(inputs: &[(&str, &str)]) -> Vec<(String, u64, &'static str)> {
    check_builtin(SPEC, inputs)
}

fn passes(inputs: &[(&str, &str)]) {
    assert_passes(SPEC, inputs);
}

const AUDIT: &str = "runtime/audit.log";
const SSE: &str = "events.sse";
const RUN: &str = "20250115_143122_e5f6g7h8";
const OTHER_RUN: &str = "20250115_143200_x1y2z3w4";

/// An audit.log line: `command_executed` of `run` with `exit_code`.
fn executed(run: &str, exit_code: i64) -> String {
    format!(
        r#"{{"event": "command_executed", "run_id": "{run}", "command": "Get-Process python", "exit_code": {exit_code}, "duration_ms": 142.5, "ts": "2025-01-15T14:31:22"}}"#
    ) + "\n"
}

/// An audit.log line: `command_blocked` of `run`.
fn blocked(run: &str) -> String {
    format!(
        r#"{{"event": "command_blocked", "run_id": "{run}", "reason": "deny:\\b(Remove-Item|del)", "command": "Remove-Item C:\\Windows\\*", "ts": "2025-01-15T14:32:00"}}"#
    ) + "\n"
}

/// The record.json of `run`, and its path.
fn record(run: &str, exit_code: i64) -> (String, String) {
    (
        format!("runtime/runs/{run}/record.json"),
        format!(
            "{{\n\"run_id\": \"{run}\",\n\"cwd\": \"C:\\\\provara\",\n\"command\": \"Get-Process python\",\n\"exit_code\": {exit_code},\n\"stdout\": \"\",\n\"stderr\": \"\",\n\"ts\": 1705329082.456,\n\"duration_ms\": 142.5\n}}\n"
        ),
    )
}

fn started(run: &str) -> String {
    format!("event: run_started\ndata: {{\"event\": \"run_started\", \"run_id\": \"{run}\"}}\n\n")
}

fn finished(run: &str, exit_code: i64) -> String {
    format!(
        "event: run_finished\ndata: {{\"event\": \"run_finished\", \"run_id\": \"{run}\", \"exit_code\": {exit_code}, \"stdout\": \"\"}}\n\n"
    )
}

// Monitoring & Audit › audit.log, run_id: "Unique execution identifier".
#[test]
fn run_id_is_unique_in_the_audit_log() {
    passes(&[(
        AUDIT,
        &format!("{}{}", executed(RUN, 0), blocked(OTHER_RUN)),
    )]);
    assert_eq!(
        findings(&[(AUDIT, &format!("{}{}", blocked(RUN), blocked(RUN)))]),
        vec![at(AUDIT, 2, "duplicate-key")]
    );
}

// Monitoring & Audit › runs/{run_id}/record.json: "Each completed execution
// is stored"; the audit entry's command is "truncated to 200 chars" and its
// exit code is the process's.
#[test]
fn an_executed_command_and_its_record_go_together_and_agree() {
    let (path, text) = record(RUN, 0);
    passes(&[(AUDIT, &executed(RUN, 0)), (&path, &text)]);
    assert_eq!(
        findings(&[(AUDIT, &executed(RUN, 1)), (&path, &text)]),
        vec![at(&path, 1, "mismatch")]
    );
    let (other_path, other_text) = record(OTHER_RUN, 0);
    assert_eq!(
        findings(&[(AUDIT, &executed(RUN, 0)), (&other_path, &other_text)]),
        vec![at(AUDIT, 1, "unpaired"), at(&other_path, 1, "unpaired")]
    );
}

// Monitoring & Audit › runs/{run_id}/record.json: the record of a run is
// stored under a directory named by its run id.
#[test]
fn a_run_record_sits_in_its_own_runs_directory() {
    let (path, text) = record(RUN, 0);
    passes(&[(AUDIT, &executed(RUN, 0)), (&path, &text)]);
    // Wherever the runtime directory is, with either separator.
    let windows = format!("C:\\hub\\runtime\\runs\\{RUN}\\record.json");
    passes(&[(AUDIT, &executed(RUN, 0)), (&windows, &text)]);
    // Read there, so a Windows path under another run is caught too.
    let misplaced_windows = windows.replace(RUN, OTHER_RUN);
    assert_eq!(
        findings(&[(AUDIT, &executed(RUN, 0)), (&misplaced_windows, &text)]),
        vec![at(&misplaced_windows, 1, "condition-violation")]
    );
    let misplaced = format!("runtime/runs/{OTHER_RUN}/record.json");
    assert_eq!(
        findings(&[(AUDIT, &executed(RUN, 0)), (&misplaced, &text)]),
        vec![at(&misplaced, 1, "condition-violation")]
    );
}

// Monitoring & Audit › audit.log › Command Blocked: a blocked command is not
// executed, so it has no record ("Each completed execution is stored") and
// no run events ("Command execution begins").
#[test]
fn a_blocked_command_never_runs() {
    let (path, text) = record(RUN, 0);
    passes(&[
        (
            AUDIT,
            &format!("{}{}", executed(RUN, 0), blocked(OTHER_RUN)),
        ),
        (&path, &text),
        (SSE, &format!("{}{}", started(RUN), finished(RUN, 0))),
    ]);
    // The capture's run also never finishes.
    assert_eq!(
        findings(&[(AUDIT, &blocked(RUN)), (SSE, &started(RUN))]),
        vec![at(SSE, 1, "exclusive-violation"), at(SSE, 1, "incomplete")]
    );
    // The record also lacks the command_executed entry it pairs with.
    assert_eq!(
        findings(&[(AUDIT, &blocked(RUN)), (&path, &text)]),
        vec![
            at(&path, 1, "exclusive-violation"),
            at(&path, 1, "unpaired")
        ]
    );
}

// Monitoring & Audit › /events: run_started "Command execution begins",
// run_finished "Command execution completes".
#[test]
fn each_started_run_finishes_once() {
    passes(&[(SSE, &format!("{}{}", started(RUN), finished(RUN, 0)))]);
    assert_eq!(
        findings(&[(SSE, &started(RUN))]),
        vec![at(SSE, 1, "incomplete")]
    );
    assert_eq!(
        findings(&[(
            SSE,
            &format!("{}{}{}", started(RUN), finished(RUN, 0), finished(RUN, 0))
        )]),
        vec![at(SSE, 7, "sequence-violation")]
    );
}

// Monitoring & Audit › audit.log: "Every command execution is recorded in
// runtime/audit.log"; run_finished "includes exit code".
#[test]
fn every_finished_execution_is_in_the_audit_log() {
    let events = format!("{}{}", started(RUN), finished(RUN, 0));
    passes(&[(AUDIT, &executed(RUN, 0)), (SSE, &events)]);
    // Executions before the capture started have no events.
    passes(&[
        (
            AUDIT,
            &format!("{}{}", executed(OTHER_RUN, 0), executed(RUN, 0)),
        ),
        (SSE, &events),
    ]);
    // Without audit.log nothing could show the entry.
    passes(&[(SSE, &events)]);
    assert_eq!(
        findings(&[(AUDIT, &executed(OTHER_RUN, 0)), (SSE, &events)]),
        vec![at(SSE, 4, "unpaired")]
    );
    assert_eq!(
        findings(&[
            (AUDIT, &executed(RUN, 0)),
            (SSE, &format!("{}{}", started(RUN), finished(RUN, 2)))
        ]),
        vec![at(SSE, 4, "mismatch")]
    );
}
