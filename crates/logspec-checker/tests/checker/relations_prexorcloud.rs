//! How PrexorCloud records relate, statement by statement: for each
//! relation the document states (section cited in the test), inputs that
//! keep it pass without a finding and inputs that break it raise exactly
//! the rule's finding.

use crate::common;

use common::{at, located, run, shared_plan, with_params};

const SPEC: &str = "prexorcloud";

/// Findings with the rule parameters `params` set.
fn findings_with(
    params: &[(&str, &str)],
    inputs: &[(&str, &str)],
) -> Vec<(String, u64, &'static str)> {
    located(&run(shared_plan(SPEC), inputs, with_params(params)).0)
}

/// Findings with the retention the document gives as the default.
fn findings(inputs: &[(&str, &str)]) -> Vec<(String, u64, &'static str)> {
    findings_with(&[("audit_retention", "90d")], inputs)
}

fn passes(inputs: &[(&str, &str)]) {
    let found = findings(inputs);
    assert!(found.is_empty(), "expected no findings, got {found:?}");
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

// Audit log › TTL: "scheduler.auditRetentionDays (default 90) drives a Mongo
// TTL index on createdAt", so one export's records lie within the
// retention of each other (a day's slack for the TTL monitor), in any order.
#[test]
fn an_exports_records_lie_within_the_retention() {
    let export = |days: &[&str]| -> String {
        days.iter()
            .map(|day| audit("auth.logout", "abf12d49", &format!("{day}T10:00:00.000Z")))
            .collect()
    };
    // 90 days and 23 hours apart: within the retention and its slack.
    let within = export(&["2026-02-09", "2026-05-10"]);
    let within = within.replacen("2026-02-09T10:00", "2026-02-09T11:00", 1);
    passes(&[(AUDIT, &within)]);
    // The third record widens the span past 91 days though it is within
    // 60 days of the one before it.
    assert_eq!(
        findings(&[(AUDIT, &export(&["2026-01-20", "2026-03-20", "2026-05-10"]))]),
        vec![at(AUDIT, 3, "condition-violation")]
    );
    // Newest first, as a query sorted by createdAt: -1 gives them (an
    // export may come in any order, so no time going back is reported):
    // the same.
    assert_eq!(
        findings(&[(AUDIT, &export(&["2026-05-10", "2026-03-20", "2026-01-20"]))]),
        vec![at(AUDIT, 3, "condition-violation")]
    );
    passes(&[(AUDIT, &export(&["2026-05-10", "2026-03-20", "2026-02-20"]))]);
    // A longer retention keeps them.
    assert!(findings_with(
        &[("audit_retention", "180d")],
        &[(AUDIT, &export(&["2026-01-20", "2026-05-10"]))]
    )
    .is_empty());
    // Two exports are judged apart.
    passes(&[
        ("audit_log-january.json", &export(&["2026-01-20"])),
        ("audit_log-may.json", &export(&["2026-05-10"])),
    ]);
    // Without the retention the rule says once that it did not run.
    assert_eq!(
        findings_with(&[], &[(AUDIT, &export(&["2026-01-20", "2026-05-10"]))]),
        vec![at(AUDIT, 1, "rule-unchecked")]
    );
}
