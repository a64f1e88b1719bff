//! Stream rules: each ctrl-exec rule with a stream that keeps it and one
//! that breaks it; the engine's general behaviour (partial windows, scope,
//! reset, uniqueness, caps, merging, timestamps) on small specs.

use logspec_checker::rules::{Engine, EngineOptions, StreamRecord};
use logspec_checker::stream::{Alignment, Input};
use logspec_checker::{CheckOptions, Checker, Finding, Plan, Severity};
use std::sync::Arc;

fn ctrl_exec() -> Plan {
    match logspec_spec::builtin("ctrl-exec").map(|builtin| builtin.load()) {
        Some(Ok(loaded)) => Plan::new(&loaded.spec).expect("spec compiles"),
        _ => panic!("built-in ctrl-exec spec does not load"),
    }
}

fn run_with(
    plan: &Plan,
    inputs: &[(&str, &str, Option<&str>)],
    options: EngineOptions,
) -> (Vec<Finding>, Alignment) {
    let mut checker = Checker::new(
        plan,
        CheckOptions {
            rules: options,
            ..CheckOptions::default()
        },
    );
    let inputs = inputs
        .iter()
        .map(|(name, text, host)| Input {
            name: (*name).to_owned(),
            reader: text.as_bytes(),
            host: host.map(str::to_owned),
        })
        .collect();
    let mut findings = Vec::new();
    match checker.check_inputs(inputs, &mut findings) {
        Ok((_, alignment)) => (findings, alignment),
        Err(error) => panic!("{error}"),
    }
}

fn rule_codes(findings: &[Finding]) -> Vec<(String, u64, &'static str)> {
    findings
        .iter()
        .map(|finding| {
            (
                finding.file.to_string(),
                finding.line,
                finding.code.as_str(),
            )
        })
        .collect()
}

fn check(inputs: &[(&str, &str, Option<&str>)]) -> Vec<(String, u64, &'static str)> {
    rule_codes(&run_with(&ctrl_exec(), inputs, EngineOptions::default()).0)
}

const DISPATCHER: &str = "\
Mar 13 12:00:01 ctl ctrl-exec[1]: ACTION=lock-acquire HOST=db-01 SCRIPT=backup
Mar 13 12:00:01 ctl ctrl-exec[1]: ACTION=lock-acquire HOST=db-02 SCRIPT=backup
Mar 13 12:00:01 ctl ctrl-exec[1]: ACTION=dispatch SCRIPT=backup HOSTS=db-01,db-02 REQID=a1b2c3d4e5f60001
Mar 13 12:00:03 ctl ctrl-exec[1]: ACTION=run SCRIPT=backup TARGET=db-01:7443 EXIT=0 RTT=1203ms REQID=a1b2c3d4e5f60001
Mar 13 12:00:04 ctl ctrl-exec[1]: ACTION=run SCRIPT=backup TARGET=db-02:7443 EXIT=3 RTT=2310ms REQID=a1b2c3d4e5f60001
Mar 13 12:00:04 ctl ctrl-exec[1]: ACTION=lock-release HOSTS=db-01,db-02 SCRIPT=backup
";
const AGENT_1: &str = "Mar 13 12:00:02 db-01 ctrl-exec-agent[9]: ACTION=run SCRIPT=backup EXIT=0 PEER=10.0.0.1 DISPATCHER=primary REQID=a1b2c3d4e5f60001\n";
const AGENT_2: &str = "Mar 13 12:00:03 db-02 ctrl-exec-agent[9]: ACTION=run SCRIPT=backup EXIT=3 PEER=10.0.0.1 DISPATCHER=primary REQID=a1b2c3d4e5f60001\n";

#[test]
fn a_complete_multi_host_run_keeps_every_rule() {
    let (findings, alignment) = run_with(
        &ctrl_exec(),
        &[
            ("d.log", DISPATCHER, None),
            ("a1.log", AGENT_1, None),
            ("a2.log", AGENT_2, None),
        ],
        EngineOptions::default(),
    );
    assert!(findings.is_empty(), "{findings:#?}");
    assert_eq!(alignment, Alignment::MergedByTimestamp);
}

#[test]
fn a_missing_agent_line_is_unpaired_citing_the_dispatcher_line() {
    let found = check(&[
        ("d.log", DISPATCHER, None),
        ("a1.log", AGENT_1, None),
        // db-02's log is given but lacks the run.
        (
            "a2.log",
            "Mar 13 12:00:00 db-02 ctrl-exec-agent[9]: ACTION=start PORT=7443\n",
            None,
        ),
    ]);
    assert_eq!(found, vec![("d.log".to_owned(), 5, "unpaired")]);
}

#[test]
fn hosts_whose_logs_are_absent_are_not_judged() {
    // Only the dispatcher log: nothing can be said about the agents.
    assert!(check(&[("d.log", DISPATCHER, None)]).is_empty());
    // Only one agent's log: only its pairing is judged, and it holds.
    assert!(check(&[("d.log", DISPATCHER, None), ("a1.log", AGENT_1, None)]).is_empty());
}

#[test]
fn agent_and_dispatcher_disagreeing_on_exit_is_a_mismatch() {
    let wrong_exit = AGENT_2.replace("EXIT=3", "EXIT=4");
    let (findings, _) = run_with(
        &ctrl_exec(),
        &[
            ("d.log", DISPATCHER, None),
            ("a1.log", AGENT_1, None),
            ("a2.log", &wrong_exit, None),
        ],
        EngineOptions::default(),
    );
    assert_eq!(
        rule_codes(&findings),
        vec![("d.log".to_owned(), 5, "mismatch")]
    );
    let finding = &findings[0];
    assert_eq!(finding.field.as_deref(), Some("EXIT"));
    assert_eq!(
        finding.key.as_deref(),
        Some("REQID=a1b2c3d4e5f60001, host=db-02")
    );
    assert_eq!(finding.related.len(), 1);
    assert_eq!(
        (&*finding.related[0].file, finding.related[0].line),
        ("a2.log", 1)
    );
}

#[test]
fn bare_agent_captures_pair_through_a_host_per_input() {
    let bare =
        "ACTION=run SCRIPT=backup EXIT=0 PEER=10.0.0.1 DISPATCHER=primary REQID=a1b2c3d4e5f60001\n";
    let keyed = check(&[
        ("d.log", DISPATCHER, None),
        ("agent.log", bare, Some("db-01")),
    ]);
    assert!(keyed.is_empty(), "{keyed:?}");
    let unkeyed = check(&[("d.log", DISPATCHER, None), ("agent.log", bare, None)]);
    assert_eq!(unkeyed, vec![("agent.log".to_owned(), 1, "unkeyed")]);
}

#[test]
fn a_dispatch_without_a_run_for_one_of_its_hosts_is_incomplete() {
    let without_db02: String = DISPATCHER
        .lines()
        .filter(|line| !line.contains("TARGET=db-02"))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_eq!(
        check(&[("d.log", &without_db02, None)]),
        vec![("d.log".to_owned(), 3, "incomplete")]
    );
    let twice = format!("{DISPATCHER}Mar 13 12:00:05 ctl ctrl-exec[1]: ACTION=run SCRIPT=backup TARGET=db-01:7443 EXIT=0 RTT=1ms REQID=a1b2c3d4e5f60001\n");
    // Both the fan-out and the agent pairing see a second reply for db-01.
    let (findings, _) = run_with(
        &ctrl_exec(),
        &[("d.log", &twice, None)],
        EngineOptions::default(),
    );
    let mut rules: Vec<(u64, &str, &str)> = findings
        .iter()
        .map(|f| {
            (
                f.line,
                f.code.as_str(),
                f.message.split(':').next().unwrap_or(""),
            )
        })
        .collect();
    rules.sort_unstable();
    assert_eq!(
        rules,
        vec![
            (7, "sequence-violation", "agent-answers-dispatcher"),
            (7, "sequence-violation", "dispatch-reaches-every-host"),
        ]
    );
}

#[test]
fn locks_must_be_acquired_released_and_not_taken_twice() {
    let unreleased: String = DISPATCHER
        .lines()
        .filter(|l| !l.contains("lock-release"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        check(&[("d.log", &unreleased, None)]),
        vec![
            ("d.log".to_owned(), 1, "incomplete"),
            ("d.log".to_owned(), 2, "incomplete")
        ]
    );
    let release_only =
        "Mar 13 12:00:04 ctl ctrl-exec[1]: ACTION=lock-release HOSTS=db-01 SCRIPT=backup\n";
    assert_eq!(
        check(&[("d.log", release_only, None)]),
        vec![("d.log".to_owned(), 1, "sequence-violation")]
    );
}

#[test]
fn a_pairing_request_has_at_most_one_outcome() {
    let request =
        "ACTION=pair-request AGENT=web-01 IP=10.0.0.5 REQID=a1b2c3d4e5f60009 STATUS=pending\n";
    let approve = "ACTION=pair-approve AGENT=web-01 REQID=a1b2c3d4e5f60009\n";
    let deny = "ACTION=pair-deny AGENT=web-01 REQID=a1b2c3d4e5f60009\n";
    assert!(check(&[("p.log", &format!("{request}{approve}"), None)]).is_empty());
    assert_eq!(
        check(&[("p.log", &format!("{request}{approve}{deny}"), None)]),
        vec![("p.log".to_owned(), 3, "exclusive-violation")]
    );
}

#[test]
fn api_requests_only_while_the_api_runs() {
    let start = "ACTION=api-start PORT=7445 BIND=127.0.0.1 TLS=no\n";
    let request = "ACTION=api-request METHOD=GET PATH=/ping PEER=127.0.0.1 LEN=0\n";
    let stop = "ACTION=api-stop\n";
    assert!(check(&[("api.log", &format!("{start}{request}{stop}"), None)]).is_empty());
    assert_eq!(
        check(&[("api.log", &format!("{start}{stop}{request}"), None)]),
        vec![("api.log".to_owned(), 3, "sequence-violation")]
    );
}

#[test]
fn a_started_renewal_must_finish() {
    // Renewal comes from ping_all, after a successful ping of the agent.
    let starting = "ACTION=ping TARGET=web-01:7443 RESULT=ok RTT=42ms REQID=a1b2c3d4e5f60009\n\
                    ACTION=renew TARGET=web-01:7443 STATUS=starting REQID=b2c3d4e5f6a70002\n";
    let complete = "ACTION=renew-complete TARGET=web-01:7443 EXPIRY=\"Mar 13 12:00:00 2027 GMT\" REQID=b2c3d4e5f6a70002\n";
    let failure =
        "ACTION=renew TARGET=web-01:7443 ERROR=\"connection refused\" REQID=b2c3d4e5f6a70002\n";
    assert!(check(&[("r.log", &format!("{starting}{complete}"), None)]).is_empty());
    assert!(check(&[("r.log", &format!("{starting}{failure}"), None)]).is_empty());
    assert_eq!(
        check(&[("r.log", starting, None)]),
        vec![("r.log".to_owned(), 2, "incomplete")]
    );
    assert_eq!(
        check(&[("r.log", complete, None)]),
        vec![("r.log".to_owned(), 1, "sequence-violation")]
    );
}

#[test]
fn partial_windows_warn_instead_of_failing() {
    let starting = "ACTION=renew TARGET=web-01:7443 STATUS=starting REQID=b2c3d4e5f6a70002\n";
    let complete = "ACTION=renew-complete TARGET=web-01:7443 EXPIRY=\"Mar 13 12:00:00 2027 GMT\" REQID=b2c3d4e5f6a70002\n";
    let partial = EngineOptions {
        partial: true,
        ..EngineOptions::default()
    };
    let (open_end, _) = run_with(&ctrl_exec(), &[("r.log", starting, None)], partial.clone());
    assert_eq!(
        rule_codes(&open_end),
        vec![("r.log".to_owned(), 1, "incomplete")]
    );
    assert_eq!(open_end[0].severity, Severity::Warning);
    // The window starts after the renewal began: joined, not a violation.
    let (joined, _) = run_with(&ctrl_exec(), &[("r.log", complete, None)], partial);
    assert!(joined.is_empty(), "{joined:#?}");
}

#[test]
fn timestamps_going_back_are_a_warning_with_the_jump() {
    let text = "\
Mar 13 12:00:05 ctl ctrl-exec-api[1]: ACTION=api-stop
Mar 13 12:00:01 ctl ctrl-exec-api[1]: ACTION=api-stop
Mar 13 12:00:06 ctl ctrl-exec-api[1]: ACTION=api-stop
";
    let (findings, _) = run_with(
        &ctrl_exec(),
        &[("t.log", text, None)],
        EngineOptions::default(),
    );
    assert_eq!(
        rule_codes(&findings),
        vec![("t.log".to_owned(), 2, "timestamp-regression")]
    );
    assert!(
        findings[0].message.contains("4.0s from line 1"),
        "{}",
        findings[0].message
    );
    // December to January is a new year, not a jump back.
    let rollover = "\
Dec 31 23:59:59 ctl ctrl-exec-api[1]: ACTION=api-stop
Jan  1 00:00:01 ctl ctrl-exec-api[1]: ACTION=api-stop
";
    assert!(check(&[("t.log", rollover, None)]).is_empty());
}

/// Year-less times carry no year, so none carries a Feb 29 unless the input
/// shows one: Feb 28 to Mar 1 is seconds in a common year, and a day more
/// in a leap year's input.
#[test]
fn yearless_times_cross_the_end_of_february_by_the_year_the_input_shows() {
    let jump_back = |text: &str| {
        let (findings, _) = run_with(
            &ctrl_exec(),
            &[("t.log", text, None)],
            EngineOptions::default(),
        );
        assert_eq!(rule_codes(&findings).len(), 1, "{findings:#?}");
        findings[0].message.clone()
    };
    let common = "\
Mar  1 00:00:01 ctl ctrl-exec-api[1]: ACTION=api-stop
Feb 28 23:59:59 ctl ctrl-exec-api[1]: ACTION=api-stop
";
    assert!(jump_back(common).contains("back 2.0s from line 1"));
    let leap = "\
Feb 29 12:00:00 ctl ctrl-exec-api[1]: ACTION=api-stop
Mar  1 00:00:01 ctl ctrl-exec-api[1]: ACTION=api-stop
Feb 28 23:59:59 ctl ctrl-exec-api[1]: ACTION=api-stop
";
    assert!(jump_back(leap).contains("back 24.0h from line 2"));
    // A year that showed a Feb 29 is 366 days long, the next one is common
    // again until it shows one.
    let years = "\
Feb 29 12:00:00 ctl ctrl-exec-api[1]: ACTION=api-stop
Dec 31 23:59:59 ctl ctrl-exec-api[1]: ACTION=api-stop
Mar  1 00:00:01 ctl ctrl-exec-api[1]: ACTION=api-stop
Feb 28 23:59:59 ctl ctrl-exec-api[1]: ACTION=api-stop
";
    assert!(jump_back(years).contains("back 2.0s from line 3"));
}

#[test]
fn inputs_without_comparable_times_are_read_in_order_and_say_why() {
    let (_, alignment) = run_with(
        &ctrl_exec(),
        &[
            ("a.log", "ACTION=api-stop\n", None),
            ("b.log", "ACTION=api-stop\n", None),
        ],
        EngineOptions::default(),
    );
    assert!(matches!(alignment, Alignment::Sequential(reason) if reason.contains("timestamp")));
}

/// Renewals that each open a key by their REQID and share one TARGET,
/// `renewals` of them through an engine with `options`, the engine never
/// holding more than `held_at_most` keys.
fn renewals(options: EngineOptions, renewals: u64, held_at_most: usize) -> CountingSink {
    let plan = ctrl_exec();
    let mut engine = Engine::new(&plan, options);
    let renew = plan
        .event_index("renew")
        .unwrap_or_else(|| panic!("no renew event"));
    let file: Arc<str> = Arc::from("big.log");
    let field = |name: &str| -> Arc<str> {
        plan.rule_fields
            .iter()
            .find(|known| &***known == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} is not read by any rule"))
    };
    let (reqid, target) = (field("REQID"), field("TARGET"));
    let mut sink = CountingSink::default();
    for n in 0..renewals {
        let record = StreamRecord {
            file: Arc::clone(&file),
            line: n + 1,
            event: renew,
            variant: 0,
            values: vec![
                (Arc::clone(&reqid), format!("{n:016x}").into()),
                (Arc::clone(&target), "web-01:7443".into()),
            ],
            ..StreamRecord::default()
        };
        engine.observe(&plan, &record, &mut sink);
        assert!(
            engine.open_keys() <= held_at_most,
            "{} open keys after {n}",
            engine.open_keys()
        );
    }
    engine.finish(&plan, &mut sink);
    sink
}

#[test]
fn a_million_keys_stay_under_the_cap_and_eviction_is_reported() {
    let cap = 10_000;
    let options = EngineOptions {
        max_open_keys: cap,
        ..EngineOptions::default()
    };
    // A million renewals that each start and never finish;
    // renewal-follows-successful-ping holds one more key: the one TARGET.
    let sink = renewals(options, 1_000_000, cap + 1);
    assert_eq!(sink.evicted_findings, 1);
    assert_eq!(
        sink.incomplete, cap as u64,
        "the keys still held are judged"
    );
    assert!(
        sink.eviction_message
            .contains("990000 open keys were dropped"),
        "{}",
        sink.eviction_message
    );
}

/// `count` renewals against `total` open keys for all rules together.
fn renewals_within(count: u64, total: usize) -> CountingSink {
    let options = EngineOptions {
        max_open_keys_total: total,
        ..EngineOptions::default()
    };
    renewals(options, count, total)
}

#[test]
fn all_rules_share_the_total_and_the_rule_holding_most_gives_up_keys() {
    // One rule keys each renewal by its REQID, another holds the one
    // TARGET: the REQID rule gives up its oldest keys, the TARGET's stays.
    let sink = renewals_within(10_000, 100);
    assert_eq!(sink.evicted_findings, 1, "{}", sink.eviction_message);
    assert!(
        sink.eviction_message
            .contains("9901 open keys were dropped to keep all rules within 100 open keys"),
        "{}",
        sink.eviction_message
    );
    // The first given up is the first renewal's, the oldest.
    assert!(
        sink.eviction_message.contains("0000000000000000"),
        "{}",
        sink.eviction_message
    );
    // The 99 REQIDs still held are judged at the end.
    assert_eq!(sink.incomplete, 99);
}

#[test]
fn a_stream_within_the_total_gives_up_nothing() {
    // 99 REQIDs and the TARGET: exactly the total.
    let sink = renewals_within(99, 100);
    assert_eq!(sink.evicted_findings, 0, "{}", sink.eviction_message);
    assert_eq!(sink.incomplete, 99);
}

#[derive(Default)]
struct CountingSink {
    evicted_findings: u64,
    incomplete: u64,
    eviction_message: String,
}

impl logspec_checker::FindingSink for CountingSink {
    fn push(&mut self, finding: Finding) {
        match finding.code.as_str() {
            "state-evicted" => {
                self.evicted_findings += 1;
                self.eviction_message = finding.message;
            }
            "incomplete" => self.incomplete += 1,
            _ => {}
        }
    }
}

/// A small spec for what ctrl-exec's rules do not use: uniqueness and a
/// session reset.
const SESSIONS: &str = r#"logspec: 1
producer: {name: demo, summary: Demo.}
document: {title: Demo}
wire: {envelopes: [bare], payload: key-value, event_key: EVENT}
severity: {levels: [{name: INFO, syslog: 6}]}
emitters: [{name: app, tags: [{tag: demo, source: here}]}]
fields:
  EVENT: {type: string, description: Event.}
  ID: {type: string, description: Connection id.}
events:
  - {id: boot, section: s, variants: [{name: default, severity: INFO, fields: [EVENT]}]}
  - {id: open, section: s, variants: [{name: default, severity: INFO, fields: [EVENT, ID]}]}
rules:
  - id: ids-unique-per-session
    description: A connection id is not reused within one session.
    key: [ID]
    participants:
      - {label: open, match: [open], key: [{field: ID}]}
    lifecycle:
      start: new
      states:
        new: {on: {open: used}}
        used: {accepting: true}
    violation: duplicate-key
    reset_on: [boot]
"#;

#[test]
fn uniqueness_and_session_reset() {
    let loaded =
        logspec_spec::load_str(SESSIONS, "sessions.yaml").unwrap_or_else(|e| panic!("{e}"));
    let plan = Plan::new(&loaded.spec).expect("spec compiles");
    let (reused, _) = run_with(
        &plan,
        &[(
            "s.log",
            "EVENT=boot\nEVENT=open ID=1\nEVENT=open ID=1\n",
            None,
        )],
        EngineOptions::default(),
    );
    assert_eq!(
        rule_codes(&reused),
        vec![("s.log".to_owned(), 3, "duplicate-key")]
    );
    assert_eq!(reused[0].related.len(), 1);
    let (new_session, _) = run_with(
        &plan,
        &[(
            "s.log",
            "EVENT=boot\nEVENT=open ID=1\nEVENT=boot\nEVENT=open ID=1\n",
            None,
        )],
        EngineOptions::default(),
    );
    assert!(new_session.is_empty(), "{new_session:#?}");
}

#[test]
fn a_ping_reply_does_not_stand_in_for_a_run() {
    let dispatcher = "Mar 13 12:00:03 ctl ctrl-exec[1]: ACTION=run SCRIPT=backup TARGET=db-01:7443 EXIT=0 RTT=1203ms REQID=a1b2c3d4e5f60001\n";
    let ping = "Mar 13 12:00:02 db-01 ctrl-exec-agent[9]: ACTION=ping PEER=10.0.0.1 DISPATCHER=primary REQID=a1b2c3d4e5f60001\n";
    let mut found = check(&[("d.log", dispatcher, None), ("a1.log", ping, None)]);
    found.sort();
    assert_eq!(
        found,
        vec![
            ("a1.log".to_owned(), 1, "unpaired"),
            ("d.log".to_owned(), 1, "unpaired")
        ]
    );
    let run = AGENT_1;
    assert_eq!(
        check(&[("d.log", dispatcher, None), ("a1.log", run, None)]),
        vec![]
    );
}
