//! Rule conditions (CEL) and the rule constructs built on them, each
//! firing on a stream that breaks it and silent on one that keeps it:
//! conditions within one record, across records of one key (equal,
//! different, ordered, in a list, between fields of different names),
//! time windows with a parameter, a key for the whole stream ("must change
//! across restarts"), the key's lifecycle state (`state.S`), adjacency in
//! the whole stream (`*`), and keys from
//! where a record was read. Spec errors in conditions name line and column.

use crate::common;

use common::{run, with_params};
use logspec_checker::rules::EngineOptions;
use logspec_checker::{Finding, Plan, Severity};

const SPEC: &str = r#"logspec: 1
producer: {name: demo, summary: Demo.}
document: {title: Demo}
wire: {envelopes: [rfc3164], payload: key-value, event_key: EVENT}
severity: {levels: [{name: INFO, syslog: 6}]}
emitters: [{name: app, tags: [{tag: demo, source: here}]}]
fields:
  EVENT: {type: string, description: Event.}
  REQ: {type: string, description: Request id.}
  STATUS: {type: enum, values: [ok, failed], description: Outcome.}
  EXIT: {type: integer, description: Exit code.}
  SEQ: {type: integer, description: Sequence number of a request.}
  LAST: {type: integer, description: Last sequence number a reply covers.}
  HOSTS: {type: list, item: {type: hostname}, description: Hosts.}
  HOST: {type: hostname, description: Host.}
  OLD: {type: string, description: Old serial.}
  NEW: {type: string, description: New serial.}
  SESSION: {type: string, description: Session id.}
events:
  - {id: boot, section: s, variants: [{name: default, severity: INFO, fields: [EVENT, SESSION]}]}
  - {id: request, section: s, variants: [{name: default, severity: INFO, fields: [EVENT, REQ, SEQ, HOSTS]}]}
  - {id: reply, section: s, variants: [{name: default, severity: INFO, fields: [EVENT, REQ, HOST, LAST, STATUS, {name: EXIT, optional: true}]}]}
  - {id: rotate, section: s, variants: [{name: default, severity: INFO, fields: [EVENT, OLD, {name: NEW, optional: true}]}]}
  - {id: close, section: s, variants: [{name: default, severity: INFO, fields: [EVENT]}]}
  - {id: note, section: s, variants: [{name: default, severity: INFO, fields: [EVENT]}]}
rules:
  - id: exit-only-on-success
    description: A reply carries EXIT when its STATUS is ok, and only then.
    key: []
    participants:
      - {label: reply, match: [reply], key: [], require: "has(record.EXIT) == (record.STATUS == 'ok')"}
  - id: new-serial-omitted-if-same
    description: NEW is omitted when it would equal OLD.
    key: []
    participants:
      - {label: rotate, match: [rotate], key: [], require: "!has(record.NEW) || record.NEW != record.OLD"}
  - id: reply-matches-request
    description: A reply names a host of its request, covers its sequence number, and each host replies once.
    key: [REQ]
    participants:
      - {label: request, match: [request], key: [{field: REQ}]}
      - label: reply
        match: [reply]
        key: [{field: REQ}]
        require: >-
          record.HOST in earlier.request.HOSTS && record.LAST >= earlier.request.SEQ
          && (!has(earlier.reply) || record.HOST != earlier.reply.HOST)
    lifecycle:
      start: new
      states:
        new: {on: {request: open}}
        open: {accepting: true, on: {reply: open}}
  - id: replies-counted
    description: A reply's LAST is at least the number of replies before it (count of a label not yet seen is 0).
    key: [REQ]
    participants:
      - {label: reply, match: [reply], key: [{field: REQ}], require: "record.LAST >= count.reply"}
  - id: reply-within-window
    description: A reply comes within the configured window of its request.
    key: [REQ]
    params:
      reply_window: {type: duration, description: How long a reply may take.}
    participants:
      - {label: request, match: [request], key: [{field: REQ}]}
      - {label: reply, match: [reply], key: [{field: REQ}], require: "since.request <= params.reply_window"}
  - id: session-changes-across-restarts
    description: Each boot has a session id other than the previous boot's.
    key: []
    participants:
      - {label: boot, match: [boot], key: [], require: "!has(earlier.boot) || record.SESSION != earlier.boot.SESSION"}
  - id: close-next-after-rotate
    description: The next event a host logs after rotate is close.
    key: [host]
    participants:
      - {label: rotate, match: [rotate], key: [{envelope: host}]}
      - {label: close, match: [close], key: [{envelope: host}]}
      - {label: other, match: ["*"], key: [{envelope: host}]}
    lifecycle:
      start: idle
      states:
        idle: {accepting: true, on: {rotate: rotated, close: idle, other: idle}}
        rotated: {on: {close: idle}}
  - id: close-after-notes
    description: A close comes after at most two notes of its host within the burst window, and after at least one within ten minutes where the input reaches back that far.
    key: [host]
    params:
      burst: {type: duration, description: The burst window.}
    windows:
      burst: {param: burst, margin: -1s}
      ten: {length: 10m}
    participants:
      - {label: note, match: [note], key: [{envelope: host}]}
      - {label: close, match: [close], key: [{envelope: host}], require: "within.burst.note <= 2 && (!covered.ten || within.ten.note >= 1)"}
  - id: serial-changes-after-close
    description: After a close, the host's next rotate starts from another serial than the last rotate did.
    key: [host]
    participants:
      - {label: rotate, match: [rotate], key: [{envelope: host}], require: "!state.closed || !has(earlier.rotate) || record.OLD != earlier.rotate.OLD"}
      - {label: close, match: [close], key: [{envelope: host}]}
    lifecycle:
      start: open
      states:
        open: {accepting: true, on: {rotate: open, close: closed}}
        closed: {accepting: true, on: {rotate: open, close: closed}}
  - id: run-directory-names-request
    description: A request logged in runs/ID/ carries REQ=ID.
    key: [dir]
    participants:
      - {label: request, match: [request], key: [{envelope: file, capture: "runs/([^/]+)/"}], require: "record.REQ == key.dir"}
"#;

fn plan() -> Plan {
    match logspec_spec::load_str(SPEC, "conditions.yaml") {
        Ok(loaded) => Plan::new(&loaded.spec).expect("spec compiles"),
        Err(error) => panic!("test spec does not load:\n{error}"),
    }
}

fn check_with(name: &str, lines: &[&str], params: &[(&str, &str)]) -> Vec<Finding> {
    let text: String = lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let (host, payload) = line.split_once(' ').unwrap_or(("h1", line));
            format!("Mar 13 12:{:02}:00 {host} demo[7]: {payload}\n", index)
        })
        .collect();
    let (findings, _) = run(&plan(), &[(name, &text)], with_params(params));
    findings
}

/// (line, code) of the findings rule `rule` raised.
fn of_rule(findings: &[Finding], rule: &str) -> Vec<(u64, &'static str)> {
    findings
        .iter()
        .filter(|finding| finding.message.starts_with(&format!("{rule}:")))
        .map(|finding| (finding.line, finding.code.as_str()))
        .collect()
}

fn check(lines: &[&str]) -> Vec<Finding> {
    check_with("app.log", lines, &[("reply_window", "5m")])
}

#[test]
fn a_field_present_only_on_success() {
    let found = check(&[
        "h1 EVENT=request REQ=r1 SEQ=1 HOSTS=a,b",
        "h1 EVENT=reply REQ=r1 HOST=a LAST=1 STATUS=ok EXIT=0",
        "h1 EVENT=reply REQ=r1 HOST=b LAST=1 STATUS=failed",
    ]);
    assert_eq!(of_rule(&found, "exit-only-on-success"), vec![]);
    let found = check(&[
        "h1 EVENT=request REQ=r1 SEQ=1 HOSTS=a,b",
        "h1 EVENT=reply REQ=r1 HOST=a LAST=1 STATUS=ok",
        "h1 EVENT=reply REQ=r1 HOST=b LAST=1 STATUS=failed EXIT=3",
    ]);
    assert_eq!(
        of_rule(&found, "exit-only-on-success"),
        vec![(2, "condition-violation"), (3, "condition-violation")]
    );
    assert!(
        found[0].message.contains("record.STATUS=ok"),
        "{}",
        found[0].message
    );
}

#[test]
fn a_field_omitted_when_equal_and_fields_that_differ() {
    let found = check(&[
        "h1 EVENT=rotate OLD=s1 NEW=s2",
        "h1 EVENT=close",
        "h1 EVENT=rotate OLD=s1",
        "h1 EVENT=close",
    ]);
    assert_eq!(of_rule(&found, "new-serial-omitted-if-same"), vec![]);
    let found = check(&["h1 EVENT=rotate OLD=s1 NEW=s1", "h1 EVENT=close"]);
    assert_eq!(
        of_rule(&found, "new-serial-omitted-if-same"),
        vec![(1, "condition-violation")]
    );
}

#[test]
fn values_related_to_an_earlier_record_of_the_key() {
    let kept = check(&[
        "h1 EVENT=request REQ=r1 SEQ=5 HOSTS=a,b",
        "h1 EVENT=reply REQ=r1 HOST=a LAST=5 STATUS=failed",
        "h1 EVENT=reply REQ=r1 HOST=b LAST=7 STATUS=failed",
    ]);
    assert_eq!(of_rule(&kept, "reply-matches-request"), vec![]);
    // A host not in the list, a sequence number below the request's, and
    // the same host twice in a row.
    let broken = check(&[
        "h1 EVENT=request REQ=r1 SEQ=5 HOSTS=a,b",
        "h1 EVENT=reply REQ=r1 HOST=c LAST=5 STATUS=failed",
        "h1 EVENT=reply REQ=r1 HOST=a LAST=4 STATUS=failed",
        "h1 EVENT=reply REQ=r1 HOST=b LAST=5 STATUS=failed",
        "h1 EVENT=reply REQ=r1 HOST=b LAST=5 STATUS=failed",
    ]);
    assert_eq!(
        of_rule(&broken, "reply-matches-request"),
        vec![
            (2, "condition-violation"),
            (3, "condition-violation"),
            (5, "condition-violation")
        ]
    );
    let message = &broken
        .iter()
        .find(|finding| finding.line == 2)
        .map(|finding| finding.message.clone())
        .unwrap_or_default();
    assert!(
        message.contains("earlier.request.HOSTS=[a, b]") && message.contains("record.HOST=c"),
        "{message}"
    );
    // Different keys do not see each other's values.
    let other_key = check(&[
        "h1 EVENT=request REQ=r1 SEQ=5 HOSTS=a",
        "h1 EVENT=request REQ=r2 SEQ=9 HOSTS=b",
        "h1 EVENT=reply REQ=r1 HOST=a LAST=5 STATUS=failed",
    ]);
    assert_eq!(of_rule(&other_key, "reply-matches-request"), vec![]);
}

#[test]
fn count_of_a_label_not_yet_seen_is_zero() {
    let kept = check(&[
        "h1 EVENT=reply REQ=r1 HOST=a LAST=0 STATUS=failed",
        "h1 EVENT=reply REQ=r1 HOST=b LAST=1 STATUS=failed",
    ]);
    assert_eq!(of_rule(&kept, "replies-counted"), vec![]);
    let broken = check(&[
        "h1 EVENT=reply REQ=r1 HOST=a LAST=0 STATUS=failed",
        "h1 EVENT=reply REQ=r1 HOST=b LAST=0 STATUS=failed",
    ]);
    assert_eq!(
        of_rule(&broken, "replies-counted"),
        vec![(2, "condition-violation")]
    );
}

#[test]
fn a_condition_that_cannot_be_evaluated_is_reported_not_passed() {
    // LAST is not an integer: the per-record check says so, and the
    // comparison cannot be made.
    let found = check(&[
        "h1 EVENT=request REQ=r1 SEQ=5 HOSTS=a",
        "h1 EVENT=reply REQ=r1 HOST=a LAST=x STATUS=failed",
    ]);
    assert_eq!(
        of_rule(&found, "reply-matches-request"),
        vec![(2, "condition-error")]
    );
    let error = found
        .iter()
        .find(|finding| finding.code.as_str() == "condition-error")
        .map(|finding| finding.severity);
    assert_eq!(error, Some(Severity::Warning));
}

#[test]
fn time_windows_need_their_parameter() {
    // Lines are a minute apart.
    let lines = [
        "h1 EVENT=request REQ=r1 SEQ=1 HOSTS=a",
        "h1 EVENT=note",
        "h1 EVENT=note",
        "h1 EVENT=reply REQ=r1 HOST=a LAST=1 STATUS=failed",
    ];
    let within = check_with("app.log", &lines, &[("reply_window", "3m")]);
    assert_eq!(of_rule(&within, "reply-within-window"), vec![]);
    let late = check_with("app.log", &lines, &[("reply_window", "150s")]);
    assert_eq!(
        of_rule(&late, "reply-within-window"),
        vec![(4, "condition-violation")]
    );
    assert!(late
        .iter()
        .any(|f| f.message.contains("since.request=180s")));
    let unset = check_with("app.log", &lines, &[]);
    assert_eq!(
        of_rule(&unset, "reply-within-window"),
        vec![(1, "rule-unchecked")]
    );
    assert_eq!(
        unset
            .iter()
            .find(|f| f.code.as_str() == "rule-unchecked")
            .map(|f| f.severity),
        Some(Severity::Info)
    );
}

#[test]
fn counts_within_a_window() {
    // Lines are a minute apart; the burst window is narrowed by a second.
    let lines = [
        "h1 EVENT=note",
        "h1 EVENT=note",
        "h1 EVENT=note",
        "h1 EVENT=close",
    ];
    // Three minutes less a second reach back to the notes at 1 and 2.
    let kept = check_with("app.log", &lines, &[("burst", "3m")]);
    assert_eq!(of_rule(&kept, "close-after-notes"), vec![]);
    let broken = check_with("app.log", &lines, &[("burst", "4m")]);
    assert_eq!(
        of_rule(&broken, "close-after-notes"),
        vec![(4, "condition-violation")]
    );
    assert!(
        broken
            .iter()
            .any(|f| f.message.contains("within.burst.note=3")),
        "{broken:?}"
    );
    // Another host's notes are another key.
    let other = lines.map(|line| line.replacen("h1", "h2", usize::from(line.contains("note"))));
    let other: Vec<&str> = other.iter().map(String::as_str).collect();
    let found = check_with("app.log", &other, &[("burst", "4m")]);
    assert_eq!(of_rule(&found, "close-after-notes"), vec![]);
    // Unset, the window's parameter leaves the rule unchecked.
    let unset = check_with("app.log", &lines, &[]);
    assert_eq!(
        of_rule(&unset, "close-after-notes"),
        vec![(1, "rule-unchecked")]
    );
}

#[test]
fn a_window_the_input_covers() {
    // A close eleven minutes into the input: ten minutes are covered.
    let mut lines = vec!["h1 EVENT=note"];
    lines.extend(["h1 EVENT=boot SESSION=s1"; 10]);
    lines.push("h1 EVENT=close");
    let found = check_with("app.log", &lines, &[("burst", "1m")]);
    assert_eq!(
        of_rule(&found, "close-after-notes"),
        vec![(12, "condition-violation")]
    );
    assert!(found.iter().any(|f| f.message.contains("covered.ten=true")));
    // A note within the ten minutes keeps it.
    lines[2] = "h1 EVENT=note";
    let found = check_with("app.log", &lines, &[("burst", "1m")]);
    assert_eq!(of_rule(&found, "close-after-notes"), vec![]);
    // The same close nine minutes into the input is not judged.
    let found = check_with(
        "app.log",
        &["h1 EVENT=boot SESSION=s1", "h1 EVENT=close"],
        &[("burst", "1m")],
    );
    assert_eq!(of_rule(&found, "close-after-notes"), vec![]);
}

#[test]
fn a_window_without_timestamps_is_a_condition_error() {
    use logspec_checker::rules::{Engine, StreamRecord};
    let plan = plan();
    let mut engine = Engine::new(
        &plan,
        EngineOptions {
            params: vec![("burst".to_owned(), "1m".to_owned())],
            ..EngineOptions::default()
        },
    );
    let event = |name: &str| plan.event_index(name).unwrap_or(usize::MAX);
    let record = |line: u64, name: &str| StreamRecord {
        file: std::sync::Arc::from("app.json"),
        line,
        event: event(name),
        host: Some("h1".into()),
        ..StreamRecord::default()
    };
    let mut findings: Vec<Finding> = Vec::new();
    engine.observe(&plan, &record(1, "note"), &mut findings);
    engine.observe(&plan, &record(2, "close"), &mut findings);
    engine.finish(&plan, &mut findings);
    let errors: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.message.starts_with("close-after-notes:"))
        .collect();
    assert_eq!(errors.len(), 1, "{findings:?}");
    assert_eq!(errors[0].code.as_str(), "condition-error");
    assert_eq!(errors[0].severity, Severity::Warning);
    assert!(
        errors[0].message.contains("has no timestamp"),
        "{}",
        errors[0].message
    );
}

#[test]
fn a_value_that_must_change_across_restarts() {
    let found = check(&[
        "h1 EVENT=boot SESSION=s1",
        "h1 EVENT=boot SESSION=s2",
        "h1 EVENT=boot SESSION=s1",
    ]);
    assert_eq!(of_rule(&found, "session-changes-across-restarts"), vec![]);
    let found = check(&["h1 EVENT=boot SESSION=s1", "h1 EVENT=boot SESSION=s1"]);
    assert_eq!(
        of_rule(&found, "session-changes-across-restarts"),
        vec![(2, "condition-violation")]
    );
}

#[test]
fn a_condition_on_the_lifecycle_state() {
    let kept = check(&[
        "h1 EVENT=rotate OLD=s1",
        "h1 EVENT=rotate OLD=s1",
        "h1 EVENT=close",
        "h1 EVENT=rotate OLD=s2",
        "h2 EVENT=rotate OLD=s2",
    ]);
    assert_eq!(of_rule(&kept, "serial-changes-after-close"), vec![]);
    let broken = check(&[
        "h1 EVENT=rotate OLD=s1",
        "h1 EVENT=close",
        "h1 EVENT=close",
        "h1 EVENT=rotate OLD=s1",
    ]);
    assert_eq!(
        of_rule(&broken, "serial-changes-after-close"),
        vec![(4, "condition-violation")]
    );
    let message = broken
        .iter()
        .find(|finding| finding.message.contains("serial-changes-after-close"))
        .map(|finding| finding.message.clone())
        .unwrap_or_default();
    assert!(message.contains("state=closed"), "{message}");
}

#[test]
fn the_next_event_in_the_whole_stream() {
    let kept = check(&[
        "h1 EVENT=rotate OLD=s1",
        "h1 EVENT=close",
        "h1 EVENT=note",
        "h1 EVENT=close",
    ]);
    assert_eq!(of_rule(&kept, "close-next-after-rotate"), vec![]);
    // Another host's lines between do not count: adjacency per host.
    let interleaved = check(&["h1 EVENT=rotate OLD=s1", "h2 EVENT=note", "h1 EVENT=close"]);
    assert_eq!(of_rule(&interleaved, "close-next-after-rotate"), vec![]);
    let broken = check(&["h1 EVENT=rotate OLD=s1", "h1 EVENT=note", "h1 EVENT=close"]);
    assert_eq!(
        of_rule(&broken, "close-next-after-rotate"),
        vec![(2, "sequence-violation")]
    );
    let unfinished = check(&["h1 EVENT=rotate OLD=s1"]);
    assert_eq!(
        of_rule(&unfinished, "close-next-after-rotate"),
        vec![(1, "incomplete")]
    );
}

#[test]
fn keys_from_the_path_a_record_was_read_from() {
    let request = ["h1 EVENT=request REQ=r7 SEQ=1 HOSTS=a"];
    let kept = check_with("var/runs/r7/app.log", &request, &[("reply_window", "1m")]);
    assert_eq!(of_rule(&kept, "run-directory-names-request"), vec![]);
    let broken = check_with("var/runs/r8/app.log", &request, &[("reply_window", "1m")]);
    assert_eq!(
        of_rule(&broken, "run-directory-names-request"),
        vec![(1, "condition-violation")]
    );
    // A path without the directory: the record has no key, and is counted.
    let elsewhere = check_with("app.log", &request, &[("reply_window", "1m")]);
    assert_eq!(
        of_rule(&elsewhere, "run-directory-names-request"),
        vec![(1, "unkeyed")]
    );
}

fn load_error(spec: &str) -> String {
    match logspec_spec::load_str(spec, "bad.yaml") {
        Ok(_) => panic!("spec loaded"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn names_that_do_not_resolve_are_located_spec_errors() {
    let line = |needle: &str| {
        SPEC.lines()
            .position(|line| line.contains(needle))
            .map_or(0, |index| index + 1)
    };
    let at = line("record.NEW != record.OLD");
    let column = SPEC.lines().nth(at - 1).and_then(|l| l.find("record.OLD"));
    let error = load_error(&SPEC.replace("record.NEW != record.OLD", "record.NEW != record.OLDE"));
    assert!(
        error.contains(&format!("bad.yaml:{at}:{}:", column.unwrap_or(0) + 1))
            && error.contains("`OLDE` is not a field"),
        "{error}"
    );
    let error = load_error(&SPEC.replace("earlier.boot.SESSION", "earlier.booot.SESSION"));
    assert!(
        error.contains("`booot` is not a participant label"),
        "{error}"
    );
    let error = load_error(&SPEC.replace("params.reply_window", "params.window"));
    assert!(
        error.contains("parameter `window` is not declared"),
        "{error}"
    );
    let error = load_error(&SPEC.replace("since.request", "span.requst"));
    assert!(
        error.contains("`requst` is not a participant label"),
        "{error}"
    );
    let error = load_error(&SPEC.replace("since.request", "sinse.request"));
    assert!(
        error.contains("`sinse.request` does not resolve"),
        "{error}"
    );
    let error = load_error(&SPEC.replace("key.dir", "key.directory"));
    assert!(
        error.contains("`directory` is not a part of the rule's key"),
        "{error}"
    );
    let error = load_error(&SPEC.replace("has(record.EXIT)", "exists(record.EXIT)"));
    assert!(error.contains("`exists` is not a function"), "{error}");
    let error = load_error(&SPEC.replace("record.NEW != record.OLD", "record.NEW != "));
    assert!(
        error.contains(&format!("bad.yaml:{at}:")) && error.contains("invalid CEL condition"),
        "{error}"
    );
    let at = line("within.burst.note <= 2");
    let column = SPEC
        .lines()
        .nth(at - 1)
        .and_then(|l| l.find("within.burst"));
    let error = load_error(&SPEC.replace("within.burst.note <= 2", "within.bursts.note <= 2"));
    assert!(
        error.contains(&format!("bad.yaml:{at}:{}:", column.unwrap_or(0) + 1))
            && error.contains("`bursts` is not a window"),
        "{error}"
    );
    let error = load_error(&SPEC.replace("within.burst.note", "within.burst.note_"));
    assert!(
        error.contains("`note_` is not a participant label"),
        "{error}"
    );
    let error = load_error(&SPEC.replace("covered.ten", "covered.eleven"));
    assert!(error.contains("`eleven` is not a window"), "{error}");
    let error = load_error(&SPEC.replace("within.burst.note", "within.burst"));
    assert!(error.contains("`within.burst` does not resolve"), "{error}");
    let windows = line("burst: {param: burst");
    let error = load_error(&SPEC.replace("{param: burst, margin", "{param: bust, margin"));
    assert!(
        error.contains(&format!("bad.yaml:{windows}:"))
            && error.contains("parameter `bust` is not declared"),
        "{error}"
    );
    let error = load_error(&SPEC.replace("{length: 10m}", "{length: 10m, param: burst}"));
    assert!(
        error.contains(&format!("bad.yaml:{}:", windows + 1)) && error.contains("oneOf"),
        "{error}"
    );
    let error = load_error(&SPEC.replace("{length: 10m}", "{length: 10m, margin: -11m}"));
    assert!(error.contains("shorter than nothing"), "{error}");
    let error = load_error(&SPEC.replace("burst: {type: duration", "burst: {type: integer"));
    assert!(
        error.contains("parameter `burst` is not a duration"),
        "{error}"
    );
    let error = load_error(&SPEC.replace("!state.closed", "!state.close"));
    assert!(
        error.contains("`close` is not a state of the rule's lifecycle (open, closed)"),
        "{error}"
    );
    let error = load_error(&SPEC.replace(
        "require: \"record.LAST >= count.reply\"",
        "require: \"state.open\"",
    ));
    assert!(error.contains("the rule has no lifecycle"), "{error}");
    let error = load_error(&SPEC.replace("runs/([^/]+)/", "runs/[^/]+/"));
    assert!(error.contains("has no capture group"), "{error}");
}

#[test]
fn times_past_the_cap_are_reported_not_counted() {
    use logspec_checker::rules::window::WINDOW_TIMES;
    use logspec_checker::rules::{Engine, StreamRecord};
    use logspec_reader::Instant;
    let plan = plan();
    // A burst window longer than all the notes: every one is within it.
    let mut engine = Engine::new(
        &plan,
        EngineOptions {
            params: vec![("burst".to_owned(), "1d".to_owned())],
            ..EngineOptions::default()
        },
    );
    let event = |name: &str| plan.event_index(name).unwrap_or(usize::MAX);
    let record = |line: u64, name: &str| StreamRecord {
        file: std::sync::Arc::from("app.log"),
        line,
        event: event(name),
        host: Some("h1".into()),
        at: Some(Instant::Yearless(
            i64::try_from(line).unwrap_or(0) * 1_000_000,
        )),
        ..StreamRecord::default()
    };
    let mut findings: Vec<Finding> = Vec::new();
    let notes = WINDOW_TIMES as u64 + 5;
    for line in 1..=notes {
        engine.observe(&plan, &record(line, "note"), &mut findings);
    }
    engine.observe(&plan, &record(notes + 1, "close"), &mut findings);
    engine.finish(&plan, &mut findings);
    let found: Vec<(u64, &str)> = findings
        .iter()
        .filter(|f| f.message.starts_with("close-after-notes:"))
        .map(|f| (f.line, f.code.as_str()))
        .collect();
    // The first drop is where the cap was first passed.
    assert_eq!(
        found,
        vec![
            (notes + 1, "condition-error"),
            (WINDOW_TIMES as u64 + 1, "state-evicted")
        ],
        "{findings:?}"
    );
    assert!(findings
        .iter()
        .any(|f| f.message.contains("5 record times were dropped at the cap")));
}
