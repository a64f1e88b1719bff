//! The built-in PrexorCloud spec: process logs in both layouts, audit
//! records in every export form, every documented audit type, and the rule
//! that an audited request shows in the process log.

use crate::common;

use common::{at, builtin_plan, located};
use logspec_checker::{Finding, Plan};
use std::path::PathBuf;

/// The spec, compiled once for all tests.
fn plan() -> &'static Plan {
    static PLAN: std::sync::OnceLock<Plan> = std::sync::OnceLock::new();
    PLAN.get_or_init(|| builtin_plan("prexorcloud"))
}

/// Checks with the audit retention the document gives as the default, so
/// that every rule runs.
fn run(inputs: &[(&str, &str)]) -> Vec<Finding> {
    common::run(
        plan(),
        inputs,
        common::with_params(&[("audit_retention", "90d")]),
    )
    .0
}

fn codes(inputs: &[(&str, &str)]) -> Vec<(String, u64, &'static str)> {
    located(&run(inputs))
}

const AUDIT: &str = "audit_log.json";
const LOG: &str = "logs/latest.log";

/// An audit record of `kind` for request `request`, in relaxed Extended JSON.
fn audit(kind: &str, request: &str) -> String {
    format!(
        r#"{{"_id":{{"$oid":"663e2b139c1d4e5f6a7b8c02"}},"createdAt":{{"$date":"2026-05-10T14:02:11.470Z"}},"requestId":"{request}","actor":{{"userId":"663e1f009c1d4e5f6a7b0001","username":"alice","ip":"203.0.113.42"}},"type":"{kind}","target":"lobby","detail":"parent=null","outcome":"SUCCESS"}}"#
    ) + "\n"
}

const LINE: &str = "2026-05-10T14:02:11.453Z INFO [http-1] [requestId=abf12d49] api.groups -- create group=lobby parent=null\n";

fn example(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../spec/examples/prexorcloud")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

#[test]
fn the_bundled_streams_pass() {
    let findings = run(&[
        ("logs/latest.log", &example("logs/latest.log")),
        ("logs/daemon-json.log", &example("logs/daemon-json.log")),
        ("audit_log.json", &example("audit_log.json")),
        (
            "audit_log-canonical.json",
            &example("audit_log-canonical.json"),
        ),
    ]);
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn every_documented_audit_type_is_accepted_and_no_other() {
    let types = [
        "auth.login.succeeded",
        "auth.login.failed",
        "auth.logout",
        "groups.create",
        "groups.update",
        "groups.delete",
        "groups.scale",
        "templates.create",
        "templates.update",
        "templates.delete",
        "nodes.register",
        "nodes.drain",
        "nodes.delete",
        "nodes.cert-issued",
        "nodes.cert-revoked",
        "modules.install",
        "modules.activate",
        "modules.deactivate",
        "modules.uninstall",
        "instances.stop",
        "instances.command",
        "system.settings.update",
        "users.create",
        "users.delete",
        "users.set-password",
        "roles.create",
        "roles.update",
        "roles.delete",
        "tokens.create",
        "tokens.revoke",
    ];
    let all: String = types.iter().map(|kind| audit(kind, "r1")).collect();
    assert!(codes(&[(AUDIT, &all)]).is_empty());
    for unknown in [
        "groups.rename",
        "groups",
        "nodes.cert_issued",
        "Groups.create",
    ] {
        assert_eq!(
            codes(&[(AUDIT, &audit(unknown, "r1"))]),
            vec![at(AUDIT, 1, "unknown-event")],
            "{unknown}"
        );
    }
}

#[test]
fn audit_records_in_every_export_form() {
    let relaxed = audit("groups.create", "r1");
    let canonical = relaxed.replace(
        r#"{"$date":"2026-05-10T14:02:11.470Z"}"#,
        r#"{"$date":{"$numberLong":"1778421731470"}}"#,
    );
    let plain = relaxed
        .replace(
            r#"{"$oid":"663e2b139c1d4e5f6a7b8c02"}"#,
            r#""663e2b139c1d4e5f6a7b8c02""#,
        )
        .replace(
            r#"{"$date":"2026-05-10T14:02:11.470Z"}"#,
            r#""2026-05-10T14:02:11.470Z""#,
        );
    for text in [&relaxed, &canonical, &plain] {
        assert!(codes(&[(AUDIT, text)]).is_empty(), "{text}");
    }
    let with_error = relaxed.replace(
        r#""outcome":"SUCCESS""#,
        r#""outcome":"FAILURE","error":"group exists""#,
    );
    assert!(codes(&[(AUDIT, &with_error)]).is_empty());
    let null_error = relaxed.replace(
        r#""outcome":"SUCCESS""#,
        r#""outcome":"SUCCESS","error":null"#,
    );
    assert!(codes(&[(AUDIT, &null_error)]).is_empty());
}

#[test]
fn audit_fields_are_held_to_their_types() {
    let record = audit("groups.create", "r1");
    let cases = [
        (
            record.replace(r#","ip":"203.0.113.42""#, ""),
            "missing-field",
        ),
        (record.replace("203.0.113.42", "localhost"), "invalid-value"),
        (
            record.replace(r#"{"$date":"2026-05-10T14:02:11.470Z"}"#, "1778421731470"),
            "invalid-value",
        ),
        (
            record.replace(r#""outcome":"SUCCESS""#, r#""outcome":"SUCCESS","who":"x""#),
            "unexpected-field",
        ),
    ];
    for (text, code) in cases {
        assert_eq!(codes(&[(AUDIT, &text)]), vec![at(AUDIT, 1, code)], "{text}");
    }
    // The document types none of the other fields: any value is theirs,
    // an object for detail (as a Mongo document naturally holds) included.
    let accepted = [
        record.replace("663e2b139c1d4e5f6a7b8c02", "663E2B139C1D4E5F6A7B8C02"),
        record.replace(r#""target":"lobby""#, r#""target":null"#),
        record.replace(r#""target":"lobby""#, r#""target":7"#),
        record.replace(
            r#""detail":"parent=null""#,
            r#""detail":{"group":"lobby","replicas":2,"parent":null}"#,
        ),
    ];
    for text in accepted {
        assert_eq!(codes(&[(AUDIT, &text)]), vec![], "{text}");
    }
    // Without its requestId a record is also left out of the rule, and said so.
    let anonymous = record.replace(r#""requestId":"r1","#, "");
    assert_eq!(
        codes(&[(AUDIT, &anonymous)]),
        vec![at(AUDIT, 1, "missing-field"), at(AUDIT, 1, "unkeyed")]
    );
}

#[test]
fn process_lines_in_both_layouts() {
    assert!(codes(&[(LOG, LINE)]).is_empty());
    let json = r#"{"timestamp":"2026-05-10T14:02:11.453Z","level":"WARN","thread":"http-1","logger":"api.groups","message":"slow","requestId":"abf12d49","elapsedMs":1200}"#;
    assert!(codes(&[("logs/controller.log", json)]).is_empty());
    assert_eq!(
        codes(&[(LOG, &LINE.replace("INFO", "FATAL"))]),
        vec![at(LOG, 1, "invalid-value")]
    );
    assert_eq!(
        codes(&[(LOG, &LINE.replace(" -- ", " - "))]),
        vec![at(LOG, 1, "parse-error"), at(LOG, 1, "empty-input")]
    );
    assert_eq!(
        codes(&[(
            LOG,
            &LINE.replace("2026-05-10T14:02:11.453Z", "2026-05-10T25:02:11.453Z")
        )]),
        vec![at(LOG, 1, "invalid-value")]
    );
    let module =
        "2026-05-10T14:02:15.020Z INFO [loader] [module:backup] me.example.Backup -- loaded\n";
    assert!(codes(&[(LOG, module)]).is_empty());
    // The document gives logger names no form beyond the module prefix.
    let colon = module.replace("[module:backup] me.example.Backup", "http:access/v1");
    assert!(codes(&[(LOG, &colon)]).is_empty());
    let bad_module = module.replace("[module:backup]", "[module:]");
    assert_eq!(
        codes(&[(LOG, &bad_module)]),
        vec![at(LOG, 1, "invalid-value")]
    );
}

#[test]
fn an_audited_request_shows_in_the_process_log() {
    // Without a process log nothing can be said.
    assert!(codes(&[(AUDIT, &audit("groups.create", "abf12d49"))]).is_empty());
    assert!(codes(&[(AUDIT, &audit("groups.create", "abf12d49")), (LOG, LINE)]).is_empty());
    assert_eq!(
        codes(&[(AUDIT, &audit("groups.create", "0000ffff")), (LOG, LINE)]),
        vec![at(AUDIT, 1, "unpaired")]
    );
    // A line without the request's id does not count.
    let unbound = "2026-05-10T14:02:11.453Z INFO [http-1] api.groups -- create group=lobby\n";
    assert_eq!(
        codes(&[(AUDIT, &audit("groups.create", "abf12d49")), (LOG, unbound)]),
        vec![at(AUDIT, 1, "unpaired")]
    );
}
