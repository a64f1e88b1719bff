//! Lint rules: each code raised by a spec that has the problem and not by
//! the same spec without it; and the ctrl-exec document's known
//! contradictions all found.

use logspec_finding::{Code, Finding, Severity};
use logspec_spec::load_str;

/// A small spec; `{events}` and `{tables}` are filled per test.
const BASE: &str = r#"logspec: 1
producer: {name: demo, summary: Demo.}
document: {title: Demo reference}
wire: {envelopes: [rfc3164, bare], payload: key-value, event_key: EVENT, event_key_first: true}
severity:
  facility: daemon
  levels: [{name: INFO, syslog: 6}, {name: WARN, syslog: 4}]
emitters:
  - name: server
    tags: [{tag: demo, source: Overview}]
  - name: worker
    tags: [{tag: demo-worker, source: Overview}]
fields:
  EVENT: {type: string, description: Event name.}
  STATE: {type: enum, values: [up, down, gone], glossary_values: [up, down, gone], description: State.}
  PORT: {type: integer, description: Port.}
  NOTE: {type: string, in_glossary: IN_GLOSSARY, description: Note.}
events:
  - id: start
    section: Events › start
    variants:
      - name: default
        severity: INFO
        emitters: [server]
        ordered: true
        fields: [EVENT, PORT, {name: STATE, values: [up, down]}, {name: NOTE, optional: true}]
        examples: [EXAMPLES]
  - id: stop
    section: Events › stop
    variants:
      - name: server
        severity: WARN
        emitters: [server]
        fields: [EVENT, PORT]
      - name: worker
        severity: WARN
        emitters: [WORKER]
        fields: [EVENT, PORT]
summary_tables:
  - title: Levels
    kind: severity
    rows:
      - severity: INFO
        items: [start]
      - severity: TABLE_STOP
        items: [stop]
"#;

struct Options {
    examples: &'static str,
    worker: &'static str,
    table_stop: &'static str,
    in_glossary: &'static str,
    state_values_used: bool,
}

const CLEAN: Options = Options {
    examples: "'EVENT=start PORT=80 STATE=up'",
    worker: "worker",
    table_stop: "WARN",
    in_glossary: "true",
    state_values_used: false,
};

/// The spec text for `options`.
fn text(options: &Options) -> String {
    let mut text = BASE
        .replace("EXAMPLES", options.examples)
        .replace("WORKER", options.worker)
        .replace("TABLE_STOP", options.table_stop)
        .replace("IN_GLOSSARY", options.in_glossary);
    if !options.state_values_used {
        // Without narrowing, every glossary value is allowed somewhere.
        text = text.replace("{name: STATE, values: [up, down]}", "STATE");
    }
    text
}

fn lint_text(text: &str) -> Vec<Finding> {
    match load_str(text, "demo.yaml") {
        Ok(loaded) => logspec_lint::lint(&loaded),
        Err(error) => panic!("test spec does not load: {error}\n{text}"),
    }
}

fn lint(options: &Options) -> Vec<Finding> {
    lint_text(&text(options))
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings
        .iter()
        .map(|finding| finding.code.as_str())
        .collect()
}

#[test]
fn a_consistent_spec_is_clean() {
    let findings = lint(&CLEAN);
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn table_severity_conflict_names_both_places() {
    let findings = lint(&Options {
        table_stop: "INFO",
        ..CLEAN
    });
    assert_eq!(
        codes(&findings),
        vec!["table-severity-conflict", "table-severity-conflict"]
    );
    let finding = &findings[0];
    assert_eq!(finding.severity, Severity::Warning);
    assert_eq!(finding.line, 46);
    assert_eq!(finding.related.len(), 1);
    assert_eq!(finding.related[0].line, 32);
}

#[test]
fn not_in_summary_table() {
    let text = text(&CLEAN).replace(
        "items: [stop]",
        "items: [{item: stop on server, refers: [stop/server]}]",
    );
    let findings = lint_text(&text);
    assert_eq!(codes(&findings), vec!["not-in-summary-table"]);
    assert_eq!(findings[0].variant.as_deref(), Some("worker"));
}

#[test]
fn emitter_tag_conflict() {
    let text = text(&CLEAN).replace(
        "tags: [{tag: demo-worker, source: Overview}]",
        "tags: [{tag: demo-worker, source: Overview}, {tag: demo-bg, source: Appendix}]",
    );
    let findings = lint_text(&text);
    assert_eq!(codes(&findings), vec!["emitter-tag-conflict"]);
    assert!(
        findings[0].message.contains("demo-bg (Appendix)"),
        "{}",
        findings[0].message
    );
}

#[test]
fn glossary_value_unused() {
    let findings = lint(&Options {
        state_values_used: true,
        ..CLEAN
    });
    assert_eq!(codes(&findings), vec!["glossary-value-unused"]);
    assert!(findings[0].message.contains("gone"));
    assert_eq!(findings[0].field.as_deref(), Some("STATE"));
}

#[test]
fn glossary_usage_mismatch() {
    let with_list = |list: &str| {
        let text = text(&CLEAN).replace(
            "PORT: {type: integer, description: Port.}",
            &format!("PORT: {{type: integer, glossary_used_in: {list}, description: Port.}}"),
        );
        lint_text(&text)
    };
    let findings = with_list("[start]");
    assert_eq!(codes(&findings), vec!["glossary-usage-mismatch"]);
    assert!(
        findings[0].message.contains("omits stop"),
        "{}",
        findings[0].message
    );
    assert!(with_list("[start, stop]").is_empty());
}

#[test]
fn field_not_in_glossary() {
    let findings = lint(&Options {
        in_glossary: "false",
        ..CLEAN
    });
    assert_eq!(codes(&findings), vec!["field-not-in-glossary"]);
    assert_eq!(findings[0].severity, Severity::Info);
}

#[test]
fn unchecked_statement_lists_each_with_section_and_reason() {
    let text = format!(
        "{}unchecked:\n  - statement: A stop follows every start.\n    section: Events › stop\n    reason: The stop may be logged after the capture ends.\n  - statement: Ports are unique per host.\n    section: Events › start\n    reason: Hosts are not named on the line.\n",
        text(&CLEAN)
    );
    let findings = lint_text(&text);
    assert_eq!(
        codes(&findings),
        vec!["unchecked-statement", "unchecked-statement"]
    );
    assert_eq!(findings[0].severity, Severity::Info);
    assert!(
        findings[0].message.contains("Events › stop")
            && findings[0].message.contains("A stop follows every start.")
            && findings[0]
                .message
                .contains("The stop may be logged after the capture ends."),
        "{}",
        findings[0].message
    );
    assert!(findings[1].message.contains("Ports are unique per host."));
    assert!(findings[0].line < findings[1].line);
}

#[test]
fn unchecked_statement_needs_all_three_keys() {
    let text = format!(
        "{}unchecked:\n  - statement: A stop follows every start.\n    section: Events › stop\n",
        text(&CLEAN)
    );
    assert!(load_str(&text, "demo.yaml").is_err());
}

#[test]
fn field_unused() {
    let text = text(&CLEAN).replace(", {name: NOTE, optional: true}", "");
    let findings = lint_text(&text);
    assert_eq!(codes(&findings), vec!["field-unused"]);
}

#[test]
fn indistinguishable_variants() {
    let findings = lint(&Options {
        worker: "server",
        ..CLEAN
    });
    assert_eq!(codes(&findings), vec!["indistinguishable-variants"]);
    assert_eq!(findings[0].variant.as_deref(), Some("worker"));
}

#[test]
fn example_finding_and_stale_expectation() {
    let findings = lint(&Options {
        examples: "'EVENT=start STATE=up PORT=80'",
        ..CLEAN
    });
    assert_eq!(
        codes(&findings),
        vec!["example-finding", "example-expectation-stale"]
    );
    assert!(
        findings[0].message.contains("field-order"),
        "{}",
        findings[0].message
    );
    let expected = lint(&Options {
        examples: "{line: 'EVENT=start STATE=up PORT=80', expect: [field-order]}",
        ..CLEAN
    });
    assert_eq!(codes(&expected), vec!["example-finding"]);
}

#[test]
fn example_misclassified() {
    let findings = lint(&Options {
        examples: "'EVENT=stop PORT=80'",
        ..CLEAN
    });
    assert_eq!(codes(&findings), vec!["example-misclassified"]);
    assert_eq!(findings[0].severity, Severity::Error);
}

/// The contradictions of the ctrl-exec reference a correct lint must find.
#[test]
fn ctrl_exec_contradictions_are_all_reported() {
    let loaded = match logspec_spec::builtin("ctrl-exec").map(|builtin| builtin.load()) {
        Some(Ok(loaded)) => loaded,
        _ => panic!("built-in ctrl-exec spec does not load"),
    };
    let findings = logspec_lint::lint(&loaded);
    let errors: Vec<&Finding> = findings
        .iter()
        .filter(|finding| finding.severity == Severity::Error)
        .collect();
    assert!(
        errors.is_empty(),
        "every example classifies and matches its expect: {errors:#?}"
    );
    let has = |code: Code, event: Option<&str>, variant: Option<&str>, text: &str| {
        findings.iter().any(|finding| {
            finding.code == code
                && (event.is_none() || finding.event.as_deref() == event)
                && (variant.is_none() || finding.variant.as_deref() == variant)
                && finding.message.contains(text)
        })
    };
    assert!(has(
        Code::TableSeverityConflict,
        Some("run-store-fail"),
        None,
        "under ERR"
    ));
    assert!(has(
        Code::TableSeverityConflict,
        Some("pair-denied"),
        Some("dispatcher"),
        "under WARNING"
    ));
    assert!(has(
        Code::ExampleFinding,
        Some("pair-denied"),
        Some("agent"),
        "12 hex digits"
    ));
    assert!(has(
        Code::ExampleFinding,
        Some("pair-timeout"),
        Some("agent"),
        "12 hex digits"
    ));
    assert!(has(
        Code::ExampleFinding,
        Some("deny"),
        Some("hook"),
        "SCRIPT comes after REASON"
    ));
    assert!(has(
        Code::GlossaryValueUnused,
        None,
        None,
        "AUTHACTION value(s) api"
    ));
    assert!(has(
        Code::EmitterTagConflict,
        None,
        None,
        "ctrl-exec-dispatcher (Rotation Actions)"
    ));
    assert!(has(
        Code::EmitterTagConflict,
        None,
        None,
        "ctrl-exec-api (API-Side Actions)"
    ));
    // Both locations: the table item and the section's severity.
    let run_store = findings
        .iter()
        .find(|finding| finding.event.as_deref() == Some("run-store-fail"))
        .map(|finding| (finding.line, finding.related.len()));
    assert!(matches!(run_store, Some((line, 1)) if line > 0));
}

/// The Agent Hub page's contradiction (JSON lines printed pretty), and
/// nothing else: every other example of the page checks clean.
#[test]
fn agent_hub_examples_and_contradictions() {
    let loaded = match logspec_spec::builtin("agent-hub").map(|builtin| builtin.load()) {
        Some(Ok(loaded)) => loaded,
        _ => panic!("built-in agent-hub spec does not load"),
    };
    let findings = logspec_lint::lint(&loaded);
    // Besides the statements the spec lists as unchecked.
    let summary: Vec<(&str, Option<&str>)> = findings
        .iter()
        .map(|finding| (finding.code.as_str(), finding.event.as_deref()))
        .filter(|(code, _)| *code != "unchecked-statement")
        .collect();
    assert_eq!(
        summary,
        vec![
            ("example-finding", Some("command_executed")),
            ("example-finding", Some("command_executed")),
            ("example-finding", Some("command_blocked")),
            ("example-finding", Some("command_blocked")),
        ]
    );
    assert!(findings[0].message.contains("matches none of the formats"));
    assert!(findings[1].message.contains("empty-input"));
}

/// Every built-in spec loads, and its examples classify and meet their
/// `expect`; the RCE and PrexorCloud specs raise nothing at all.
#[test]
fn every_builtin_lints_without_errors() {
    for builtin in logspec_spec::BUILTINS {
        let loaded = match builtin.load() {
            Ok(loaded) => loaded,
            Err(error) => panic!("{}: {error}", builtin.name),
        };
        let findings = logspec_lint::lint(&loaded);
        assert!(
            findings
                .iter()
                .all(|finding| finding.severity != Severity::Error),
            "{}: {findings:#?}",
            builtin.name
        );
        // Nothing but the statements the spec lists as unchecked.
        if ["rce-eventlog", "prexorcloud"].contains(&builtin.name) {
            assert!(
                findings
                    .iter()
                    .all(|finding| finding.code.as_str() == "unchecked-statement"),
                "{}: {findings:#?}",
                builtin.name
            );
        }
    }
}

/// An example the document prints unreadably, with parse-error expected:
/// not misclassified, and one finding per code however many lines fail.
#[test]
fn unreadable_examples_are_one_finding_per_code() {
    let yaml = r#"logspec: 1
producer: {name: demo, summary: Demo.}
document: {title: Demo}
wire: {envelopes: [json-lines], event_key: event}
severity: {levels: [{name: INFO, syslog: 6}]}
fields:
  event: {type: string, description: Event.}
events:
  - id: ran
    section: s
    variants:
      - name: default
        severity: INFO
        fields: [event]
        examples:
          - line: "{\n\"event\": \"ran\"\n}\n"
            expect: [parse-error, empty-input]
"#;
    let loaded = logspec_spec::load_str(yaml, "demo.yaml").unwrap_or_else(|e| panic!("{e}"));
    let findings = logspec_lint::lint(&loaded);
    let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, vec!["example-finding", "example-finding"]);
    assert!(
        findings[0].message.contains("(and 2 more like it)"),
        "{}",
        findings[0].message
    );
    // Without the expectation, the same example is stale and unread.
    let stale = yaml.replace("            expect: [parse-error, empty-input]\n", "");
    let loaded = logspec_spec::load_str(&stale, "demo.yaml").unwrap_or_else(|e| panic!("{e}"));
    let codes: Vec<&str> = logspec_lint::lint(&loaded)
        .iter()
        .map(|f| f.code.as_str())
        .collect();
    assert!(codes.contains(&"example-misclassified"), "{codes:?}");
    assert!(codes.contains(&"example-expectation-stale"), "{codes:?}");
}

/// A name that does not resolve, past the loader (a spec changed in code):
/// lint reports it as an invalid spec at its node, never skips it.
#[test]
fn an_unresolved_name_past_the_loader_is_spec_invalid() {
    let text = text(&CLEAN);
    let loaded = load_str(&text, "demo.yaml").unwrap_or_else(|error| panic!("{error}"));
    let mut table = loaded.clone();
    table.spec.summary_tables[0].rows[1].items[0] = logspec_spec::SummaryItem {
        item: "halt".to_owned(),
        refers: vec!["halt".to_owned()],
    };
    let findings = logspec_lint::lint(&table);
    let invalid: Vec<&Finding> = findings
        .iter()
        .filter(|finding| finding.code == Code::SpecInvalid)
        .collect();
    assert_eq!(invalid.len(), 1, "{findings:#?}");
    assert!(invalid[0].message.contains("`halt` names no event"));
    assert_eq!(invalid[0].line, 46);

    let mut severity = loaded;
    severity.spec.events[1].variants[0].severity = "LOUD".to_owned();
    let findings = logspec_lint::lint(&severity);
    let invalid: Vec<&Finding> = findings
        .iter()
        .filter(|finding| finding.code == Code::SpecInvalid)
        .collect();
    assert_eq!(invalid.len(), 1, "{findings:#?}");
    assert_eq!(
        invalid[0].message,
        "severity `LOUD` is not one of the levels"
    );
    assert_eq!(invalid[0].line, 32);
}
