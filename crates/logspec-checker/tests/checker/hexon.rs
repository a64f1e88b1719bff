//! The built-in Hexon spec: the counts it encodes, and each check of the
//! Hexon issue with a record that must raise it and one that must not,
//! in JSON lines, in OTLP/JSON exports and in a stderr capture.

use crate::common;

use common::{at, builtin_plan, located, run};
use logspec_checker::{CheckOptions, Finding, Plan, Severity};
use std::collections::HashSet;

fn plan() -> &'static Plan {
    static PLAN: std::sync::OnceLock<Plan> = std::sync::OnceLock::new();
    PLAN.get_or_init(|| builtin_plan("hexon"))
}

fn check(name: &str, text: &str) -> Vec<Finding> {
    run(plan(), &[(name, text)], CheckOptions::default()).0
}

fn codes(name: &str, text: &str) -> Vec<(String, u64, &'static str)> {
    located(&check(name, text))
}

/// One JSON-lines entry with the envelope keys and `rest` (`,"k":v…`).
fn entry(level: &str, event: &str, msg: &str, rest: &str) -> String {
    format!(
        r#"{{"time":"2026-11-29T09:00:00Z","level":"{level}","event":"{event}","msg":"{msg}"{rest}}}"#
    )
}

#[test]
fn the_spec_encodes_every_entry_of_the_document() {
    let Some(Ok(loaded)) = logspec_spec::builtin("hexon").map(|builtin| builtin.load()) else {
        panic!("hexon does not load");
    };
    let spec = &loaded.spec;
    let entries: Vec<_> = spec.variants().collect();
    assert_eq!(entries.len(), 2033, "entries");
    let named: HashSet<&str> = spec
        .events
        .iter()
        .filter(|event| !event.by_message)
        .map(|event| event.id.as_str())
        .collect();
    assert_eq!(named.len(), 648, "distinct event names");
    let unnamed = entries
        .iter()
        .filter(|(_, _, event, _)| event.by_message)
        .count();
    assert_eq!(unnamed, 44, "entries the document gives no event name");
    let audit = entries
        .iter()
        .filter(|(_, _, _, variant)| variant.audit == Some(true))
        .count();
    assert_eq!(audit, 295, "AUDIT entries");
    assert_eq!(spec.section_order.len(), 424, "sections");
    let console: usize = spec.console.iter().map(|section| section.lines.len()).sum();
    assert_eq!(console, 40, "console lines");
    let classified = entries
        .iter()
        .filter(|(_, _, _, variant)| variant.class.is_some())
        .count();
    assert_eq!(
        classified, 33,
        "token-handoff entries under the level policy"
    );
}

#[test]
fn documented_entries_pass_in_json_lines() {
    let text = [
        entry(
            "INFO",
            "loadbalancer",
            "backend added",
            r#","pool_id":"web","backend_id":"b2","address":"10.0.0.2:80""#,
        ),
        entry(
            "INFO",
            "hexdcall",
            "HexonReady: All subsystems operational - Hexon is ready to serve traffic",
            r#","audit":true"#,
        ),
    ]
    .join("\n");
    assert_eq!(codes("hexon.jsonl", &text), vec![]);
}

#[test]
fn each_alternative_of_a_slash_list_is_a_message_of_its_own() {
    let ok = [
        entry("INFO", "ldapauth.authenticate", "Bind successful", ""),
        entry("INFO", "ldapauth.authenticate", "bind failed", ""),
        entry("DEBUG", "proxy.dispatcher", "no routes for hostname", ""),
    ]
    .join("\n");
    assert_eq!(codes("a.jsonl", &ok), vec![]);
    // The two halves glued together are no documented message.
    let glued = entry(
        "INFO",
        "ldapauth.authenticate",
        "Bind successful / bind failed",
        "",
    );
    assert_eq!(
        codes("a.jsonl", &glued),
        vec![at("a.jsonl", 1, "unknown-message")]
    );
}

#[test]
fn unknown_messages_name_the_closest_documented_ones() {
    let text = entry(
        "INFO",
        "loadbalancer",
        "pool craeted",
        r#","strategy":"rr""#,
    );
    let findings = check("m.jsonl", &text);
    assert_eq!(
        located(&findings),
        vec![at("m.jsonl", 1, "unknown-message")]
    );
    assert!(
        findings[0].message.contains("\"pool created\""),
        "{}",
        findings[0].message
    );
    let unknown = entry("INFO", "loadbalancer.v2", "pool created", "");
    assert_eq!(
        codes("m.jsonl", &unknown),
        vec![at("m.jsonl", 1, "unknown-event")]
    );
}

#[test]
fn messages_with_variable_parts_match_as_patterns() {
    let ok = entry(
        "DEBUG",
        "ldap.pool",
        "Connection 3/8 created successfully",
        "",
    );
    assert_eq!(codes("p.jsonl", &ok), vec![]);
    let wrong = entry(
        "DEBUG",
        "ldap.pool",
        "Connection three created successfully",
        "",
    );
    assert_eq!(
        codes("p.jsonl", &wrong),
        vec![at("p.jsonl", 1, "unknown-message")]
    );
}

#[test]
fn levels_written_as_a_pair_allow_either_and_nothing_else() {
    // bastion.auth.keyboard_interactive is documented DEBUG/INFO.
    let event = "bastion.auth.keyboard_interactive";
    let message = "Keyboard-interactive auth flow";
    for level in ["DEBUG", "INFO"] {
        assert_eq!(codes("l.jsonl", &entry(level, event, message, "")), vec![]);
    }
    assert_eq!(
        codes("l.jsonl", &entry("WARN", event, message, "")),
        vec![at("l.jsonl", 1, "severity-mismatch")]
    );
}

#[test]
fn a_lost_audit_mark_is_an_error_and_a_spurious_one_a_warning() {
    let mint = "jit2fa.handoff.mint";
    let message = "Minted access token and redirecting caller";
    let fields = r#","username":"ada","audience":"a","expires_in":300,"dpop_bound":"false""#;
    let marked = entry("INFO", mint, message, &format!("{fields},\"audit\":true"));
    assert_eq!(codes("au.jsonl", &marked), vec![]);
    let lost = check("au.jsonl", &entry("INFO", mint, message, fields));
    assert_eq!(located(&lost), vec![at("au.jsonl", 1, "audit-mismatch")]);
    assert_eq!(lost[0].severity, Severity::Error);
    let spurious = check(
        "au.jsonl",
        &entry(
            "INFO",
            "proxy.init",
            "Proxy service initialized",
            r#","audit":true"#,
        ),
    );
    assert_eq!(
        located(&spurious),
        vec![at("au.jsonl", 1, "audit-mismatch")]
    );
    assert_eq!(spurious[0].severity, Severity::Warning);
    let plain = entry(
        "INFO",
        "proxy.init",
        "Proxy service initialized",
        r#","audit":false"#,
    );
    assert_eq!(codes("au.jsonl", &plain), vec![]);
}

#[test]
fn documented_fields_and_enumerations_are_held() {
    let missing = entry(
        "INFO",
        "loadbalancer",
        "backend added",
        r#","pool_id":"web","address":"x""#,
    );
    assert_eq!(
        codes("f.jsonl", &missing),
        vec![at("f.jsonl", 1, "missing-field")]
    );
    let skip = |reason: &str| {
        entry(
            "DEBUG",
            "dlp.skip",
            "DLP scan skipped",
            &format!(
                r#","correlation_id":"c","direction":"request","reason":"{reason}","method":"GET","path":"/","remote_addr":"x","mapping":"m","user":"u""#
            ),
        )
    };
    assert_eq!(codes("f.jsonl", &skip("no_policy")), vec![]);
    assert_eq!(
        codes("f.jsonl", &skip("too_big")),
        vec![at("f.jsonl", 1, "invalid-value")]
    );
}

#[test]
fn dlp_violations_never_carry_the_matched_content() {
    let violation = |violations: &str| {
        entry(
            "WARN",
            "dlp.violation",
            "DLP violation detected",
            &format!(
                r#","audit":true,"correlation_id":"c","direction":"response","policy":"p","action":"redact","content_type":"t","body_size":1,"scan_duration_ms":1,"method":"GET","path":"/","remote_addr":"x","mapping":"m","user":"u","violations":{violations}"#
            ),
        )
    };
    let summary = r#"[{"detector":"credit_card","action":"redact","count":2}]"#;
    assert_eq!(codes("d.jsonl", &violation(summary)), vec![]);
    let leaking =
        r#"[{"detector":"credit_card","action":"redact","count":2,"match":"4111 1111 1111 1111"}]"#;
    assert_eq!(
        codes("d.jsonl", &violation(leaking)),
        vec![at("d.jsonl", 1, "invalid-value")]
    );
    let no_count = r#"[{"detector":"credit_card","action":"redact"}]"#;
    assert_eq!(
        codes("d.jsonl", &violation(no_count)),
        vec![at("d.jsonl", 1, "invalid-value")]
    );
    // The document gives no form for a detector's name and shows the action
    // only in its example: neither is held to the example.
    let spaced_name_no_action = r#"[{"detector":"credit card","count":1}]"#;
    assert_eq!(codes("d.jsonl", &violation(spaced_name_no_action)), vec![]);
}

#[test]
fn entries_without_an_event_name_are_known_by_their_message() {
    let crd = r#"{"time":"2026-11-29T09:00:00Z","level":"INFO","msg":"CRD resource created"}"#;
    assert_eq!(codes("k.jsonl", crd), vec![]);
    let wrong_level =
        r#"{"time":"2026-11-29T09:00:00Z","level":"ERROR","msg":"CRD resource created"}"#;
    assert_eq!(
        codes("k.jsonl", wrong_level),
        vec![at("k.jsonl", 1, "severity-mismatch")]
    );
    let nameless = r#"{"time":"2026-11-29T09:00:00Z","level":"INFO","msg":"something else"}"#;
    assert_eq!(
        codes("k.jsonl", nameless),
        vec![at("k.jsonl", 1, "missing-field")]
    );
}

/// An OTLP/JSON export line holding `records` (log record objects).
fn export(records: &[String]) -> String {
    format!(
        r#"{{"resourceLogs":[{{"resource":{{"attributes":[]}},"scopeLogs":[{{"logRecords":[{}]}}]}}]}}"#,
        records.join(",")
    )
}

fn otlp_record(severity: &str, body: &str, attributes: &str) -> String {
    format!(
        r#"{{"timeUnixNano":"1795942800000000000","severityText":"{severity}","body":{{"stringValue":"{body}"}},"attributes":[{attributes}]}}"#
    )
}

#[test]
fn otlp_exports_are_checked_record_by_record() {
    let event = |name: &str| format!(r#"{{"key":"event","value":{{"stringValue":"{name}"}}}}"#);
    let audit = r#"{"key":"audit","value":{"boolValue":true}}"#;
    let good = otlp_record(
        "INFO",
        "Certificate revoked successfully",
        &format!("{},{audit}", event("x509.revoke")),
    );
    let lost_audit = otlp_record(
        "INFO",
        "Certificate revoked successfully",
        &event("x509.revoke"),
    );
    let wrong_level = otlp_record("ERROR", "Revoking certificate", &event("x509.revoke"));
    let text = format!(
        "{}\n{}",
        export(&[good.clone(), lost_audit]),
        export(&[wrong_level, good])
    );
    let findings = check("export.otlp.jsonl", &text);
    assert_eq!(
        located(&findings),
        vec![
            at("export.otlp.jsonl", 1, "audit-mismatch"),
            at("export.otlp.jsonl", 2, "severity-mismatch"),
        ]
    );
}

#[test]
fn severity_numbers_stand_in_for_a_missing_severity_text() {
    let record = r#"{"timeUnixNano":"1795942800000000000","severityNumber":13,"body":{"stringValue":"Retry budget exceeded"},"attributes":[{"key":"event","value":{"stringValue":"proxy.retry"}},{"key":"app","value":{"stringValue":"a"}},{"key":"pool_id","value":{"stringValue":"p"}}]}"#;
    assert_eq!(codes("n.otlp.jsonl", &export(&[record.to_owned()])), vec![]);
    let info = record.replace("\"severityNumber\":13", "\"severityNumber\":9");
    assert_eq!(
        codes("n.otlp.jsonl", &export(&[info])),
        vec![at("n.otlp.jsonl", 1, "severity-mismatch")]
    );
}

#[test]
fn console_lines_are_checked_in_a_capture_and_flagged_in_the_stream() {
    // Any bracketed tag and text is documented (the license callback's
    // `[%s] %s`), so the line the document does not list has none.
    let capture = "[CONFIG-HOTRELOAD] Config reload successful\n\
                   [TELEMETRY] OTLP provider shutdown error: eof\n\
                   config reloaded, all good\n";
    assert_eq!(
        codes("hexon.stderr", capture),
        vec![at("hexon.stderr", 3, "unknown-message")]
    );
    let stream = format!(
        "{}\n[TELEMETRY] OTLP provider shutdown error: eof\n{{\"broken\":\n",
        entry("INFO", "proxy.init", "Proxy service initialized", "")
    );
    assert_eq!(
        codes("hexon.jsonl", &stream),
        vec![
            at("hexon.jsonl", 2, "console-line"),
            at("hexon.jsonl", 3, "parse-error")
        ]
    );
}

#[test]
fn coverage_is_reported_per_section() {
    let plan = plan();
    let mut checker = logspec_checker::Checker::new(plan, CheckOptions::default());
    let text = [
        entry("INFO", "ldapauth.authenticate", "Bind successful", ""),
        entry("INFO", "ldapauth.authenticate", "bind failed", ""),
        entry("DEBUG", "ldapauth.authenticate", "Attempting LDAP bind", ""),
    ]
    .join("\n");
    let input = logspec_checker::stream::Input {
        name: "c.jsonl".to_owned(),
        reader: text.as_bytes(),
        host: None,
    };
    let mut findings = Vec::new();
    if let Err(error) = checker.check_inputs(vec![input], &mut findings) {
        panic!("{error}");
    }
    let report = checker.coverage().report(plan);
    let ldap = report
        .sections
        .iter()
        .find(|section| section.section == "Authentication › LDAP Authentication")
        .unwrap_or_else(|| panic!("section missing"));
    assert_eq!((ldap.seen, ldap.documented), (2, 4));
    assert!(report
        .sections
        .iter()
        .filter(|section| section.section != ldap.section)
        .all(|section| section.seen == 0));
}

#[test]
fn a_quoted_message_is_judged_by_its_own_entry_not_a_described_one() {
    let event = "webauthn.authentication";
    // "Auth successful" is an INFO entry; the event also has described
    // ERROR and DEBUG entries, which must not take a quoted message.
    assert_eq!(
        codes("c.jsonl", &entry("INFO", event, "Auth successful", "")),
        vec![]
    );
    let wrong_level = check("c.jsonl", &entry("ERROR", event, "Auth successful", ""));
    assert_eq!(
        located(&wrong_level),
        vec![at("c.jsonl", 1, "severity-mismatch")]
    );
    assert_eq!(wrong_level[0].variant.as_deref(), Some("auth-successful"));
    // An AUDIT entry's message without its mark is a gap in the audit
    // trail, whatever level a described entry would allow.
    let marked = entry("INFO", event, "New challenge issued", r#","audit":true"#);
    assert_eq!(codes("c.jsonl", &marked), vec![]);
    for level in ["INFO", "DEBUG", "ERROR"] {
        let lost = check("c.jsonl", &entry(level, event, "New challenge issued", ""));
        assert!(
            located(&lost).contains(&at("c.jsonl", 1, "audit-mismatch")),
            "{level}: {lost:#?}"
        );
    }
    // A message no entry quotes is still the described entries' own.
    for level in ["ERROR", "DEBUG"] {
        let described = entry(level, event, "ECDH key generation failed: boom", "");
        assert_eq!(codes("c.jsonl", &described), vec![], "{level}");
    }
    assert_eq!(
        codes(
            "c.jsonl",
            &entry("INFO", event, "ECDH key generation failed: boom", "")
        ),
        vec![at("c.jsonl", 1, "severity-mismatch")]
    );
}

#[test]
fn the_time_and_level_of_every_entry_are_typed() {
    let good = entry("INFO", "proxy.init", "Proxy service initialized", "");
    assert_eq!(codes("t.jsonl", &good), vec![]);
    let yesterday = good.replace("2026-11-29T09:00:00Z", "yesterday");
    assert_eq!(
        codes("t.jsonl", &yesterday),
        vec![at("t.jsonl", 1, "invalid-value")]
    );
    let banana = entry("BANANA", "proxy.init", "Proxy service initialized", "");
    assert!(
        codes("t.jsonl", &banana).contains(&at("t.jsonl", 1, "invalid-value")),
        "{:?}",
        codes("t.jsonl", &banana)
    );
    // OTLP: a time is a count of nanoseconds, as a string or a number.
    let event = r#"{"key":"event","value":{"stringValue":"proxy.init"}}"#;
    let record = otlp_record("INFO", "Proxy service initialized", event);
    assert_eq!(
        codes("t.otlp.jsonl", &export(std::slice::from_ref(&record))),
        vec![]
    );
    let number = record.replace(
        r#""timeUnixNano":"1795942800000000000""#,
        r#""timeUnixNano":1795942800000000000"#,
    );
    assert_eq!(codes("t.otlp.jsonl", &export(&[number])), vec![]);
    for time in ["2026-11-29T09:00:00Z", "yesterday"] {
        let wrong = record.replace("1795942800000000000", time);
        assert_eq!(
            codes("t.otlp.jsonl", &export(&[wrong])),
            vec![
                at("t.otlp.jsonl", 1, "parse-error"),
                at("t.otlp.jsonl", 1, "empty-input")
            ],
            "{time}"
        );
    }
}

#[test]
fn a_broken_json_line_is_not_called_another_json_format() {
    let entry = r#"{"time":"2026-11-29T09:00:00Z","level":"INFO","msg":"CRD resource created"}"#;
    let found = check("k.jsonl", &format!("{entry}\n{{\"time\":\n"));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code.as_str(), "parse-error");
    assert!(
        !found[0].message.contains("shape of"),
        "{}",
        found[0].message
    );
}
