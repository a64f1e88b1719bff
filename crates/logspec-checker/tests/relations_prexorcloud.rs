//! How PrexorCloud records relate, statement by statement: for each
//! relation the document states (section cited in the test), inputs that
//! keep it pass without a finding and inputs that break it raise exactly
//! the rule's finding.

mod common;

use common::{assert_passes, at, check_builtin};

const SPEC: &str = "prexorcloud";

fn findings(inputs: &[(&str, &str)]) -> Vec<(String, u64, &'static str)> {
    check_builtin(SPEC, inputs)
}

fn passes(inputs: &[(&str, &str)]) {
    assert_passes(SPEC, inputs);
}

const AUDIT: &str = "audit_log.json";
const LOG: &str = "logs/latest.log";

/// An audit record of `kind` for request `request`, created at `time`.
fn audit(kind: &str, request: &str, time: &str) -> String {
    format!(
        r#"{{"_id":{{"$oid":"663e2b139c1d4e5f6a7b8c02"}},"createdAt":{{"$date":"{time}"}},"requestId":"{request}","actor":{{"userId":"663e1f009c1d4e5f6a7b0001","username":"alice","ip":"203.0.113.42"}},"type":"{kind}","target":"lobby","detail":"parent=null","outcome":"SUCCESS"}}"#
    ) + "\n"
}

/// A HUMAN process-log line of request `request` at `time`.
fn line(request: &str, time: &str) -> String {
    format!(
        "{time} INFO [http-1] [requestId={request}] api.groups -- create group=lobby parent=null\n"
    )
}

// Process logs › MDC correlation: "You can correlate 'operator did X'
// across the request log line, any subsequent module log lines, and the
// audit-log record by requestId."
#[test]
fn an_audited_request_has_a_process_log_line_with_its_request_id() {
    let log = format!(
        "{}{}",
        line("abf12d49", "2026-05-10T14:02:11.453Z"),
        "2026-05-10T14:02:11.481Z INFO [scheduler-1] [requestId=abf12d49] scheduler.placement -- placed lobby-1 on node-1\n"
    );
    passes(&[
        (
            AUDIT,
            &audit("groups.create", "abf12d49", "2026-05-10T14:02:11.470Z"),
        ),
        (LOG, &log),
    ]);
    // Without the process log nothing could show the line.
    passes(&[(
        AUDIT,
        &audit("groups.create", "0000ffff", "2026-05-10T14:02:11.470Z"),
    )]);
    assert_eq!(
        findings(&[
            (
                AUDIT,
                &audit("groups.create", "0000ffff", "2026-05-10T14:02:11.470Z")
            ),
            (LOG, &log),
        ]),
        vec![at(AUDIT, 1, "unpaired")]
    );
}
