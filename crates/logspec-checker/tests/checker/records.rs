//! The record constructs beyond key=value lines, on small specs: JSON
//! records with nested paths and JSON types, record kinds picked by path
//! and content, per-format names and types, events named by a layout or
//! by a constant, levels carried in a field, extra fields by pattern,
//! tolerated unknown events, multi-line records and their limits, field
//! timestamps, and the rule extensions (truncated agreement, kinds not
//! given).

use crate::common;

use common::run;
use logspec_checker::{CheckOptions, Checker, Finding, Plan};
use logspec_reader::Format;

fn plan(yaml: &str) -> Plan {
    match logspec_spec::load_str(yaml, "test.yaml") {
        Ok(loaded) => Plan::new(&loaded.spec).expect("spec compiles"),
        Err(error) => panic!("test spec does not load:\n{error}"),
    }
}

/// Per-record checks only.
fn check(plan: &Plan, name: &str, text: &str) -> Vec<Finding> {
    let options = CheckOptions {
        stream_rules: false,
        ..CheckOptions::default()
    };
    run(plan, &[(name, text)], options).0
}

fn codes(findings: &[Finding]) -> Vec<(u64, &'static str)> {
    findings
        .iter()
        .map(|finding| (finding.line, finding.code.as_str()))
        .collect()
}

const AUDIT: &str = r#"logspec: 1
producer: {name: demo, summary: Demo.}
document: {title: Demo}
wire:
  name: audit
  envelopes: [extended-json]
  event_key: type
  paths: ["audit/*.json"]
  timestamp: {field: createdAt}
records:
  - name: process
    envelopes: [logback, json-lines]
    event: log-line
    timestamp: {field: timestamp}
    level: {field: level}
severity:
  levels: [{name: ERROR, syslog: 3}, {name: WARN, syslog: 4}, {name: INFO, syslog: 6}, {name: DEBUG, syslog: 7}]
fields:
  _id: {type: hex, length: 24, json: [string, object-id], description: Id.}
  createdAt: {type: timestamp, json: [string, date], description: When.}
  type: {type: string, json: [string], description: Audit type.}
  actor.ip: {type: ip, json: [string], description: Address.}
  port: {type: integer, min: 1, max: 65535, json: [string], description: A port written as a string of digits.}
  error: {type: string, json: [string], nullable: true, description: Failure.}
  timestamp: {type: timestamp, description: When.}
  level: {type: enum, values: [ERROR, WARN, INFO, DEBUG], description: Level.}
  thread: {type: string, description: Thread.}
  logger: {type: string, description: Logger.}
  message: {type: string, empty: true, description: Message.}
  requestId: {type: string, description: Request.}
events:
  - id: auth.login
    section: Audit
    variants:
      - {name: default, severity: INFO, fields: [_id, createdAt, type, actor.ip, {name: port, optional: true}, {name: error, optional: true}]}
  - id: log-line
    record: process
    section: Process logs
    variants:
      - {name: quiet, severity: INFO, fields: [timestamp, level, thread, logger, message], forbidden: [requestId]}
      - {name: default, severity: INFO, severities: [ERROR, WARN, DEBUG], fields: [timestamp, level, thread, logger, message, requestId]}
rules:
  - id: audited-requests-logged
    description: Demo.
    key: [requestId]
    participants:
      - {label: audit, match: [auth.login], key: [{field: port}]}
      - {label: log, match: [log-line/default], key: [{field: requestId}]}
    lifecycle:
      start: new
      states:
        new: {on: {audit: waiting, log: logged}}
        waiting: {on: {log: logged, audit: waiting}}
        logged: {accepting: true, on: {audit: logged, log: logged}}
    unfinished: unpaired
"#;

const LOGIN: &str = r#"{"_id":{"$oid":"663e2b1f9c1d4e5f6a7b8c9d"},"createdAt":{"$date":"2026-05-10T14:02:11.453Z"},"type":"auth.login","actor":{"ip":"203.0.113.42"},"port":"8080","error":null}"#;

#[test]
fn json_records_nested_paths_and_types() {
    let plan = plan(AUDIT);
    assert_eq!(check(&plan, "audit/1.json", LOGIN), vec![]);
    // Canonical Extended JSON and plain JSON are the same record.
    let canonical = LOGIN.replace(
        r#"{"$date":"2026-05-10T14:02:11.453Z"}"#,
        r#"{"$date":{"$numberLong":"1778421731453"}}"#,
    );
    assert_eq!(check(&plan, "audit/1.json", &canonical), vec![]);
    let plain = LOGIN
        .replace(
            r#"{"$oid":"663e2b1f9c1d4e5f6a7b8c9d"}"#,
            r#""663e2b1f9c1d4e5f6a7b8c9d""#,
        )
        .replace(
            r#"{"$date":"2026-05-10T14:02:11.453Z"}"#,
            r#""2026-05-10T14:02:11.453Z""#,
        );
    assert_eq!(check(&plan, "audit/1.json", &plain), vec![]);

    let number_port = LOGIN.replace(r#""port":"8080""#, r#""port":8080"#);
    let found = check(&plan, "audit/1.json", &number_port);
    assert_eq!(codes(&found), vec![(1, "invalid-value")]);
    assert!(found[0]
        .message
        .contains("a JSON number, but the value must be a JSON string"));
    assert_eq!(
        found[0].column,
        Some(number_port.find("8080").map_or(0, |at| at + 1))
    );

    let bad_ip = LOGIN.replace("203.0.113.42", "203.0.113");
    let found = check(&plan, "audit/1.json", &bad_ip);
    assert_eq!(codes(&found), vec![(1, "invalid-value")]);
    assert_eq!(found[0].field.as_deref(), Some("actor.ip"));

    let flat = LOGIN.replace(
        r#""actor":{"ip":"203.0.113.42"}"#,
        r#""actor":"203.0.113.42""#,
    );
    let mut found = codes(&check(&plan, "audit/1.json", &flat));
    found.sort_unstable();
    assert_eq!(found, vec![(1, "missing-field"), (1, "unexpected-field")]);

    let null_port = LOGIN.replace(r#""port":"8080""#, r#""port":null"#);
    let found = check(&plan, "audit/1.json", &null_port);
    assert_eq!(codes(&found), vec![(1, "invalid-value")]);
    assert!(found[0].message.contains("null, where a value is required"));

    let twice = LOGIN.replace(r#""error":null"#, r#""error":null,"error":"x""#);
    assert_eq!(
        codes(&check(&plan, "audit/1.json", &twice)),
        vec![(1, "duplicate-field")]
    );

    let bad_date = LOGIN.replace("2026-05-10T14:02:11.453Z", "2026-05-32T14:02:11.453Z");
    assert_eq!(
        codes(&check(&plan, "audit/1.json", &bad_date)),
        vec![(1, "invalid-value")]
    );
}

#[test]
fn kinds_by_path_then_by_content() {
    let plan = plan(AUDIT);
    let line = "2026-05-10T14:02:11.453Z INFO [http-1] [requestId=abf12d49] api.groups -- create group=lobby";
    let json_line = r#"{"timestamp":"2026-05-10T14:02:11.453Z","level":"INFO","thread":"http-1","logger":"api","message":"m","requestId":"abf12d49"}"#;
    let (findings, summaries) = run(
        &plan,
        &[
            ("audit/1.json", LOGIN),
            ("controller.log", line),
            ("controller.json", json_line),
            ("elsewhere/audit.txt", LOGIN),
        ],
        CheckOptions::default(),
    );
    let picked: Vec<(Option<&str>, Option<Format>)> = summaries
        .iter()
        .map(|summary| (summary.kind.as_deref(), summary.format))
        .collect();
    assert_eq!(
        picked,
        vec![
            (Some("audit"), Some(Format::ExtendedJson)),
            (Some("process"), Some(Format::Logback)),
            (Some("process"), Some(Format::JsonLines)),
            (Some("audit"), Some(Format::ExtendedJson)),
        ]
    );
    assert!(
        findings.iter().all(|f| f.code.as_str() == "unpaired"),
        "{findings:#?}"
    );

    // A kind fixed by path reads only its own formats.
    let found = check(&plan, "audit/2.json", line);
    assert_eq!(codes(&found), vec![(1, "parse-error"), (1, "empty-input")]);
    assert!(found[0]
        .message
        .contains("for audit records (extended-json)"));

    // A format given on the command line picks the kind declaring it.
    let (found, summaries) = run(
        &plan,
        &[("x.log", line)],
        CheckOptions {
            format: Some(Format::Logback),
            ..CheckOptions::default()
        },
    );
    assert!(found.is_empty(), "{found:#?}");
    assert_eq!(summaries[0].kind.as_deref(), Some("process"));
    assert!(!summaries[0].detected);
}

#[test]
fn levels_carried_in_a_field() {
    let plan = plan(AUDIT);
    let line =
        |level: &str| format!("2026-05-10T14:02:11.453Z {level} [main] [requestId=r1] a.b -- m\n");
    assert!(check(&plan, "p.log", &line("WARN")).is_empty());
    assert!(check(&plan, "p.log", &line("DEBUG")).is_empty());
    // The quiet variant (no requestId) is documented at INFO only.
    let quiet = "2026-05-10T14:02:11.453Z ERROR [main] a.b -- m\n";
    let found = check(&plan, "p.log", quiet);
    assert_eq!(codes(&found), vec![(1, "severity-mismatch")]);
    assert!(
        found[0]
            .message
            .contains("logged at ERROR, but log-line (quiet) is documented as INFO"),
        "{}",
        found[0].message
    );
    // A word outside the vocabulary is the level field's own error.
    let found = check(&plan, "p.log", &line("FATAL"));
    assert_eq!(codes(&found), vec![(1, "invalid-value")]);
    // Records whose kind carries no level are not counted as unchecked.
    let (_, summaries) = run(&plan, &[("audit/1.json", LOGIN)], CheckOptions::default());
    assert_eq!(summaries[0].severity_unchecked, 0);
    assert_eq!(summaries[0].emitter_unchecked, 0);
}

#[test]
fn continuation_lines_and_orphans() {
    let plan = plan(AUDIT);
    let text = "\tat orphan.Frame(X.java:1)\n\
                2026-05-10T14:02:11.453Z ERROR [main] [requestId=r1] a.b -- boom\n\
                java.lang.IllegalStateException: x\n\
                \tat a.b.C.run(C.java:9)\n\
                \n\
                2026-05-10T14:02:12.000Z INFO [main] [requestId=r1] a.b -- next\n";
    let (found, summaries) = run(&plan, &[("p.log", text)], CheckOptions::default());
    // The layout prints no empty line inside a stack trace.
    assert_eq!(codes(&found), vec![(1, "parse-error"), (5, "empty-line")]);
    assert!(found[0].message.contains("matches none of the formats"));
    assert_eq!((summaries[0].lines, summaries[0].records), (6, 2));
    // With the format given, the first line is known to continue nothing.
    let (found, _) = run(
        &plan,
        &[("p.log", text)],
        CheckOptions {
            format: Some(Format::Logback),
            ..CheckOptions::default()
        },
    );
    assert_eq!(codes(&found), vec![(1, "parse-error"), (5, "empty-line")]);
    assert!(found[0]
        .message
        .contains("continuation line with no record before it"));
}

#[test]
fn only_a_stack_trace_follows_a_record() {
    let plan = plan(AUDIT);
    let first = "2026-05-10T14:02:11.453Z ERROR [main] [requestId=r1] a.b -- boom\n";
    let last = "2026-05-10T14:02:12.000Z INFO [main] [requestId=r1] a.b -- next\n";
    let trace = "java.lang.IllegalStateException: x\n\tat a.b.C.run(C.java:9)\n\
                 Caused by: java.io.IOException: y\n\t... 3 more\n";
    let (found, summaries) = run(
        &plan,
        &[("p.log", &format!("{first}{trace}{last}"))],
        CheckOptions::default(),
    );
    assert_eq!(codes(&found), vec![]);
    assert_eq!((summaries[0].lines, summaries[0].records), (6, 2));
    for (stray, why) in [
        (
            "some text the layout never prints\n",
            "not a valid logback record",
        ),
        (
            "2026-05-10T14:02:11.900Z INFO a.b -- no thread\n",
            "'[thread]' after the level",
        ),
    ] {
        let text = format!("{first}{stray}{last}");
        let (found, summaries) = run(&plan, &[("p.log", &text)], CheckOptions::default());
        assert_eq!(codes(&found), vec![(2, "parse-error")], "{stray}");
        assert!(found[0].message.contains(why), "{}", found[0].message);
        assert_eq!(summaries[0].records, 2, "{stray}");
    }
    // A lower-case level is a record of its own, held to the vocabulary.
    let lower = format!("{first}2026-05-10T14:02:11.900Z info [main] a.b -- x\n{last}");
    let (found, summaries) = run(&plan, &[("p.log", &lower)], CheckOptions::default());
    assert_eq!(codes(&found), vec![(2, "invalid-value")]);
    assert_eq!(summaries[0].records, 3);
}

#[test]
fn lines_the_spec_declares_continue_a_record() {
    let declared = plan(&AUDIT.replace(
        "    event: log-line\n",
        "    event: log-line\n    continuation_lines: ['  \\| .*']\n",
    ));
    let first = "2026-05-10T14:02:11.453Z ERROR [main] [requestId=r1] a.b -- boom\n";
    let last = "2026-05-10T14:02:12.000Z INFO [main] [requestId=r1] a.b -- next\n";
    let text = format!("{first}  | a line the document says follows\n{last}");
    let (found, summaries) = run(&declared, &[("p.log", &text)], CheckOptions::default());
    assert_eq!(codes(&found), vec![]);
    assert_eq!((summaries[0].lines, summaries[0].records), (3, 2));
    // Undeclared, the same line is reported on its own line.
    let (found, _) = run(&plan(AUDIT), &[("p.log", &text)], CheckOptions::default());
    assert_eq!(codes(&found), vec![(2, "parse-error")]);
    assert!(
        found[0].message.contains("only a stack trace may follow"),
        "{}",
        found[0].message
    );
    // Declared lines continue a record; other text still does not, and the
    // finding says what may follow.
    let stray = format!("{first}  | declared\nundeclared text\n{last}");
    let (found, _) = run(&declared, &[("p.log", &stray)], CheckOptions::default());
    assert_eq!(codes(&found), vec![(3, "parse-error")]);
    assert!(
        found[0]
            .message
            .contains("only a stack trace or a line the spec declares may follow"),
        "{}",
        found[0].message
    );
    // Before any record, a declared line follows nothing.
    let orphan = format!("  | declared\n{last}");
    let (found, _) = run(&declared, &[("p.log", &orphan)], CheckOptions::default());
    assert_eq!(codes(&found), vec![(1, "parse-error")]);
}

#[test]
fn field_timestamps_go_forward() {
    let plan = plan(AUDIT);
    let text = "2026-05-10T14:02:11.453Z INFO [main] a.b -- one\n\
                2026-05-10T14:02:10.000Z INFO [main] a.b -- back\n";
    let found = check(&plan, "p.log", text);
    assert_eq!(codes(&found), vec![(2, "timestamp-regression")]);
    assert!(found[0].message.contains("1.5s"), "{}", found[0].message);
    assert!(!found[0].message.contains("summer time"));
    // Local times (no zone) may go back at a change of UTC offset: said so.
    let local = text.replace(".453Z", ".453").replace(".000Z", ".000");
    let found = check(&plan, "p.log", &local);
    assert_eq!(codes(&found), vec![(2, "timestamp-regression")]);
    assert!(
        found[0].message.contains("summer time"),
        "{}",
        found[0].message
    );
}

#[test]
fn a_kind_in_any_order_reports_no_time_going_back() {
    let text = "2026-05-10T14:02:11.453Z INFO [main] a.b -- one\n\
                2026-05-10T14:02:10.000Z INFO [main] a.b -- back\n";
    let any = AUDIT.replacen(
        "    timestamp: {field: timestamp}",
        "    timestamp: {field: timestamp, order: any}",
        1,
    );
    assert_ne!(any, AUDIT, "the process kind declares its time");
    assert!(check(&plan(&any), "p.log", text).is_empty());
    // The order is one of two words, not a free string: the loader says
    // so at the word.
    let wrong = AUDIT.replacen(
        "    timestamp: {field: timestamp}",
        "    timestamp: {field: timestamp, order: descending}",
        1,
    );
    let error = match logspec_spec::load_str(&wrong, "bad.yaml") {
        Ok(_) => panic!("`order: descending` loaded"),
        Err(error) => error.to_string(),
    };
    let (line, text) = wrong
        .lines()
        .enumerate()
        .find(|(_, text)| text.contains("order: descending"))
        .expect("the edited line");
    let column = text.find("descending").expect("the word") + 1;
    assert!(
        error.contains(&format!(
            "bad.yaml:{}:{column}: \"descending\" is not one of \"ascending\" or \"any\" \
             (at /records/0/timestamp/order)",
            line + 1
        )),
        "{error}"
    );
}

#[test]
fn rules_skip_what_no_input_could_show() {
    let plan = plan(AUDIT);
    // The audit record waits for a log line: with no process log given,
    // it cannot be judged.
    assert!(check(&plan, "audit/1.json", LOGIN).is_empty());
    let line = "2026-05-10T14:02:11.453Z INFO [http-1] [requestId=9999] api -- other\n";
    let (found, _) = run(
        &plan,
        &[("audit/1.json", LOGIN), ("p.log", line)],
        CheckOptions::default(),
    );
    assert_eq!(codes(&found), vec![(1, "unpaired")]);
    let line = "2026-05-10T14:02:11.453Z INFO [http-1] [requestId=8080] api -- same\n";
    let (found, _) = run(
        &plan,
        &[("audit/1.json", LOGIN), ("p.log", line)],
        CheckOptions::default(),
    );
    assert!(found.is_empty(), "{found:#?}");
}

const RCE_LIKE: &str = r#"logspec: 1
producer: {name: demo, summary: Demo.}
document: {title: Demo}
wire:
  envelopes: [json-lines, rce-readable]
  event_key: _t
  timestamp: {field: _ts, epoch: milliseconds}
  unknown_events: tolerate
severity: {levels: [{name: INFO, syslog: 6}]}
fields:
  _t: {type: string, json: [string], description: Event type.}
  _ts:
    type: integer
    json: [string]
    names: {rce-readable: Event time}
    types: {rce-readable: {type: timestamp}}
    description: Time.
  port: {type: integer, min: 1, max: 65535, json: [string], names: {rce-readable: IP port number}, description: Port.}
  type: {type: string, json: [string], names: {rce-readable: Port type}, description: Type.}
events:
  - id: serverport.opened
    section: s
    names: {rce-readable: Server Port Opened}
    variants:
      - {name: default, severity: INFO, fields: [_t, _ts, type, port]}
  - id: custom
    section: s
    names: {rce-readable: Custom Event}
    variants:
      - name: default
        severity: INFO
        fields: [_t, _ts, {name: type, names: {rce-readable: Custom event type id}}]
        extra_fields:
          pattern: '[a-z](.{0,33}[a-z0-9])?'
          value: {type: string, json: [string], nullable: true, empty: true}
"#;

#[test]
fn per_format_names_types_and_titles() {
    let plan = plan(RCE_LIKE);
    let compact = r#"{"_t":"serverport.opened","_ts":"1709287200123","port":"8080","type":"ssh"}"#;
    assert!(check(&plan, "events-compact.log", compact).is_empty());
    let readable = "-----\nServer Port Opened\n  Event time:      2024-03-01T10:00:00.123\n  Port type:       ssh\n  IP port number:  8080\n\n";
    assert!(check(&plan, "events-readable.log", readable).is_empty());
    let bad = readable.replace("8080", "99999");
    let found = check(&plan, "events-readable.log", &bad);
    assert_eq!(codes(&found), vec![(2, "invalid-value")]);
    assert_eq!(found[0].field.as_deref(), Some("port"));
    // The readable time is a timestamp, the compact one a count.
    let found = check(
        &plan,
        "events-readable.log",
        &readable.replace("2024-03-01T10:00:00.123", "1709287200123"),
    );
    assert_eq!(codes(&found), vec![(2, "invalid-value")]);
    let found = check(
        &plan,
        "events-compact.log",
        &compact.replace("1709287200123", "2024-03-01T10:00:00.123"),
    );
    assert_eq!(codes(&found), vec![(1, "invalid-value")]);
}

#[test]
fn multi_line_records_report_their_first_line_and_errors_their_own() {
    let plan = plan(RCE_LIKE);
    let text = "Server Port Opened\n  Event time: 2024-03-01T10:00:00.123\n  Port type: ssh\n\n\
                Server Port Opened\n  Event time: 2024-03-01T10:00:01.000\n  IP port number 8080\n\n\
                Server Port Opened\n  Event time: 2024-03-01T10:00:02.000\n  Port type: ssh\n  IP port number: 1\n";
    let found = check(&plan, "r.log", text);
    assert_eq!(
        codes(&found),
        vec![(1, "missing-field"), (7, "parse-error")]
    );
    assert_eq!(found[1].column, Some(22));
}

#[test]
fn unknown_events_tolerated_once_per_id() {
    let plan = plan(RCE_LIKE);
    let text = "{\"_t\":\"future.event\",\"_ts\":\"1\"}\n{\"_t\":\"future.event\",\"_ts\":\"2\"}\n{\"_t\":\"other.event\",\"_ts\":\"3\"}\n";
    let found = check(&plan, "c.log", text);
    assert_eq!(
        codes(&found),
        vec![
            (1, "unknown-event-tolerated"),
            (3, "unknown-event-tolerated")
        ]
    );
    assert!(found
        .iter()
        .all(|f| f.severity == logspec_checker::Severity::Warning));
    let titled = "Some Future Event\n  Event time: 2024-03-01T10:00:00.123\n";
    assert_eq!(
        codes(&check(&plan, "r.log", titled)),
        vec![(1, "unknown-event-tolerated")]
    );
    // Without `unknown_events: tolerate`, each is an error: drift reported
    // once per event, at its first record, with the count.
    let strict = plan_strict();
    let found = check(&strict, "c.log", text);
    assert_eq!(
        codes(&found),
        vec![(1, "unknown-event"), (3, "unknown-event")]
    );
    assert!(
        found[0].message.ends_with("(2 records; first here)"),
        "{}",
        found[0].message
    );
    assert!(
        !found[1].message.contains("records;"),
        "{}",
        found[1].message
    );
}

fn plan_strict() -> Plan {
    plan(&RCE_LIKE.replace("  unknown_events: tolerate\n", ""))
}

#[test]
fn extra_fields_by_name_pattern() {
    let plan = plan(RCE_LIKE);
    let ok = r#"{"_t":"custom","_ts":"1","type":"my.plugin.event","my.key":"v","k":null,"a1":""}"#;
    assert!(check(&plan, "c.log", ok).is_empty());
    for (key, why) in [
        ("1abc", "starts with a digit"),
        ("abc_", "ends with an underscore"),
        ("Abc", "starts uppercase"),
        ("a234567890123456789012345678901234567", "is 37 characters"),
    ] {
        let record = ok.replace("my.key", key);
        let found = check(&plan, "c.log", &record);
        assert_eq!(codes(&found), vec![(1, "unexpected-field")], "{key} {why}");
    }
    let longest = ok.replace("my.key", "a2345678901234567890123456789012345");
    assert!(check(&plan, "c.log", &longest).is_empty());
    let number = ok.replace(r#""my.key":"v""#, r#""my.key":5"#);
    assert_eq!(
        codes(&check(&plan, "c.log", &number)),
        vec![(1, "invalid-value")]
    );
    // Without the mandatory type.
    let untyped = ok.replace(r#""type":"my.plugin.event","#, "");
    assert_eq!(
        codes(&check(&plan, "c.log", &untyped)),
        vec![(1, "missing-field")]
    );
}

#[test]
fn over_long_records_are_reported_not_kept() {
    let plan = plan(RCE_LIKE);
    let mut text = String::from("Server Port Opened\n");
    for _ in 0..40 {
        text.push_str("  Port type: ssh ssh ssh ssh ssh ssh ssh\n");
    }
    text.push_str("\nServer Port Opened\n  Event time: 2024-03-01T10:00:00.123\n  Port type: ssh\n  IP port number: 1\n");
    let (found, summaries) = run(
        &plan,
        &[("r.log", &text)],
        CheckOptions {
            max_line_bytes: 64,
            ..CheckOptions::default()
        },
    );
    assert_eq!(codes(&found), vec![(1, "parse-error")]);
    assert!(
        found[0].message.contains("over the limit"),
        "{}",
        found[0].message
    );
    assert_eq!(summaries[0].records, 1);
}

#[test]
fn an_unreadable_line_inside_a_record_is_reported_once() {
    let plan = plan(RCE_LIKE);
    let mut text = b"Server Port Opened\n  Port type: ss\xffh\n  IP port number: 1\n\n".to_vec();
    text.extend_from_slice(b"Server Port Opened\n  Event time: 2024-03-01T10:00:00.123\n  Port type: ssh\n  IP port number: 1\n");
    let mut checker = Checker::new(&plan, CheckOptions::default());
    let mut found = Vec::new();
    if let Err(error) = checker.check_input("r.log", &text[..], &mut found) {
        panic!("{error}");
    }
    assert_eq!(codes(&found), vec![(2, "parse-error")]);
    assert!(found[0]
        .message
        .contains("the record from line 1 is not checked"));

    // An unreadable first line spoils the block it starts, and says so.
    let text = b"-----\nServer Port Op\xffened\n  Port type: ssh\n\nServer Port Opened\n  Event time: 2024-03-01T10:00:00.123\n  Port type: ssh\n  IP port number: 1\n";
    let mut checker = Checker::new(&plan, CheckOptions::default());
    let mut found = Vec::new();
    let summary = match checker.check_input("r.log", &text[..], &mut found) {
        Ok(summary) => summary,
        Err(error) => panic!("{error}"),
    };
    assert_eq!(codes(&found), vec![(2, "parse-error")]);
    assert!(found[0]
        .message
        .contains("the record from line 2 is not checked"));
    assert_eq!((summary.lines, summary.records), (8, 1));
}

#[test]
fn a_stricter_reading_warns_in_the_formats_that_use_the_fields_own_type() {
    let spec = AUDIT.replace(
        "  thread: {type: string, description: Thread.}\n",
        "  thread:\n    type: string\n    expected: {type: pattern, pattern: 'main|worker-[0-9]+', reason: the threads seen}\n    types: {json-lines: {type: string}}\n    description: Thread.\n",
    );
    assert_ne!(spec, AUDIT, "the thread field moved");
    let plan = plan(&spec);
    let line = |thread: &str| format!("2026-05-10T14:02:11.453Z INFO [{thread}] a.b -- m\n");
    assert!(check(&plan, "p.log", &line("worker-2")).is_empty());
    let found = check(&plan, "p.log", &line("pool-1"));
    assert_eq!(codes(&found), vec![(1, "stricter-reading")]);
    assert_eq!(found[0].severity, logspec_checker::Severity::Warning);
    assert!(
        found[0].message.contains("the threads seen"),
        "{}",
        found[0].message
    );
    // JSON lines give the field a type of their own: no reading applies.
    let json = r#"{"timestamp":"2026-05-10T14:02:11.453Z","level":"INFO","thread":"pool-1","logger":"a.b","message":"m"}"#;
    assert!(check(&plan, "p.json", json).is_empty());
    // A value outside the field's own type is still the error it was.
    let spec = spec.replace(
        "    type: string\n    expected",
        "    type: pattern\n    pattern: '[a-z0-9-]+'\n    expected",
    );
    let found = check(&self::plan(&spec), "p.log", &line("Pool"));
    assert_eq!(codes(&found), vec![(1, "invalid-value")]);
}

#[test]
fn a_stricter_reading_without_its_reason_does_not_load() {
    let spec = AUDIT.replace(
        "  thread: {type: string, description: Thread.}\n",
        "  thread: {type: string, expected: {type: enum, values: [main]}, description: Thread.}\n",
    );
    let error = match logspec_spec::load_str(&spec, "test.yaml") {
        Ok(_) => panic!("a reading without its reason loaded"),
        Err(error) => error.to_string(),
    };
    assert!(
        error.contains("test.yaml:") && error.contains("reason"),
        "{error}"
    );
}
