//! RCE event log: an Uplink namespace is assigned only while unused (Event
//! Log › Incoming Uplink Connection Accepted: "the successful assignment of
//! an unused Uplink namespace"). A session holds its namespace until its
//! Uplink close, which names only the session: the rule keys the close by
//! the namespace its acceptance assigned (a key part joined `from` an
//! earlier record).

use crate::common;

use common::rce::{Log, FILE};
use common::{at, check_builtin, located, run, shared_plan};
use logspec_checker::rules::EngineOptions;
use logspec_checker::CheckOptions;

/// What happens, in order.
enum Step<'a> {
    Start,
    /// SSH connection, then Uplink session `session` assigned `namespace`.
    Accept {
        session: &'a str,
        namespace: &'a str,
    },
    /// The Uplink session's close, then its SSH connection's.
    Close {
        session: &'a str,
    },
}

/// The compact log of `steps` (attributes as `common::rce` gives them);
/// each session runs on SSH connection `ssh-SESSION`.
fn log(steps: &[Step]) -> String {
    let mut log = Log::new();
    for step in steps {
        log = match *step {
            Step::Start => log.add("application.starting", &[]),
            Step::Accept { session, namespace } => {
                let connection = format!("ssh-{session}");
                log.add(
                    "connection.incoming.accepted",
                    &[("connection_id", &connection)],
                )
                .add(
                    "uplink.incoming.accepted",
                    &[
                        ("session_id", session),
                        ("connection_id", &connection),
                        ("namespace", namespace),
                    ],
                )
            }
            Step::Close { session } => {
                let connection = format!("ssh-{session}");
                log.add(
                    "uplink.incoming.closed",
                    &[("session_id", session), ("connection_id", &connection)],
                )
                .add(
                    "connection.incoming.closed",
                    &[("connection_id", &connection)],
                )
            }
        };
    }
    log.text()
}

fn check(steps: &[Step]) -> Vec<(String, u64, &'static str)> {
    check_builtin("rce-eventlog", &[(FILE, &log(steps))])
}

use Step::{Close, Start};

/// Session `session` accepted with `namespace`.
fn accept<'a>(session: &'a str, namespace: &'a str) -> Step<'a> {
    Step::Accept { session, namespace }
}

/// Event Log › Incoming Uplink Connection Accepted: an unused namespace is
/// assigned, so one held by an open session is not assigned again; its
/// session's close frees it.
#[test]
fn a_namespace_is_assigned_only_while_unused() {
    let a = accept("u-1", "alice_default");
    let b = accept("u-2", "alice_default");
    // Freed by the close before it is assigned again.
    assert_eq!(check(&[Start, a, Close { session: "u-1" }, b]), vec![]);
    // Two sessions at once under different namespaces.
    let c = accept("u-3", "bob_default");
    assert_eq!(
        check(&[
            Start,
            accept("u-1", "alice_default"),
            c,
            Close { session: "u-1" },
            Close { session: "u-3" }
        ]),
        vec![]
    );
    // Assigned while u-1 still holds it: line 5 is u-2's acceptance.
    assert_eq!(
        check(&[
            Start,
            accept("u-1", "alice_default"),
            accept("u-2", "alice_default"),
        ]),
        vec![at(FILE, 5, "duplicate-key")]
    );
    // Another session's close does not free it.
    assert_eq!(
        check(&[
            Start,
            accept("u-1", "alice_default"),
            accept("u-3", "bob_default"),
            Close { session: "u-3" },
            accept("u-2", "alice_default"),
        ]),
        vec![at(FILE, 9, "duplicate-key")]
    );
}

/// Event Log › Application Starting: a restart ends every session, so
/// every namespace is free again (and the sessions' ids may recur).
#[test]
fn a_restart_frees_every_namespace() {
    assert_eq!(
        check(&[
            Start,
            accept("u-1", "alice_default"),
            Start,
            accept("u-1", "alice_default"),
            Close { session: "u-1" },
        ]),
        vec![]
    );
}

/// A close whose session's acceptance is not among the records frees
/// nothing here (uplink-closed-only-after-accepted reports it); the
/// values remembered for the join are capped like keys, the drop
/// reported.
#[test]
fn a_close_without_its_acceptance_and_the_join_cap() {
    // Other rules' findings: the Uplink close and the SSH close of a
    // session and connection never accepted.
    assert_eq!(
        check(&[Start, Close { session: "u-9" }]),
        vec![
            at(FILE, 2, "sequence-violation"),
            at(FILE, 3, "sequence-violation")
        ]
    );
    let options = CheckOptions {
        rules: EngineOptions {
            max_open_keys: 1,
            ..EngineOptions::default()
        },
        ..CheckOptions::default()
    };
    let text = log(&[
        Start,
        accept("u-1", "alice_default"),
        accept("u-2", "bob_default"),
    ]);
    let (findings, _) = run(shared_plan("rce-eventlog"), &[(FILE, &text)], options);
    let evicted: Vec<&str> = findings
        .iter()
        .filter(|finding| finding.rule.as_deref() == Some("uplink-namespace-unused"))
        .filter(|finding| finding.message.contains("joined"))
        .map(|finding| finding.code.as_str())
        .collect();
    assert_eq!(evicted, vec!["state-evicted"], "{:?}", located(&findings));
}

/// A joined part whose lookup finds nothing, and that has no default,
/// leaves its record out of the rule, counted in the `unkeyed` note.
#[test]
fn a_join_that_finds_nothing_is_counted_unkeyed() {
    const SPEC: &str = r#"logspec: 1
producer: {name: demo, summary: Demo.}
document: {title: Demo}
wire: {envelopes: [bare], payload: key-value, event_key: EVENT}
severity: {levels: [{name: INFO, syslog: 6}]}
emitters: [{name: app, tags: [{tag: demo, source: here}]}]
fields:
  EVENT: {type: string, description: Event.}
  SESSION: {type: string, description: Session.}
  NS: {type: string, description: Namespace.}
events:
  - {id: open, section: s, variants: [{name: default, severity: INFO, fields: [EVENT, SESSION, NS]}]}
  - {id: close, section: s, variants: [{name: default, severity: INFO, fields: [EVENT, SESSION]}]}
rules:
  - id: ns-free
    description: A namespace is held once at a time.
    key: [NS]
    participants:
      - {label: open, match: [open], key: [{field: NS}]}
      - {label: close, match: [close], key: [{field: NS, from: {label: open, on: {SESSION: SESSION}}}]}
    lifecycle:
      start: free
      states:
        free: {accepting: true, on: {open: held}}
        held: {accepting: true, on: {close: free}}
    violation: duplicate-key
"#;
    // Names a join follows that do not resolve are load errors at their
    // line and column.
    for (from, to, says) in [
        (
            "label: open, on",
            "label: opn, on",
            "`opn` is not a participant label",
        ),
        (
            "{SESSION: SESSION}",
            "{SESSION: SID}",
            "join field `SID` is not in the glossary",
        ),
    ] {
        let error = match logspec_spec::load_str(&SPEC.replacen(from, to, 1), "demo.yaml") {
            Ok(_) => panic!("{to}: loaded"),
            Err(error) => error.to_string(),
        };
        assert!(error.contains("demo.yaml:20:"), "{error}");
        assert!(error.contains(says), "{error}");
    }
    let loaded = logspec_spec::load_str(SPEC, "demo.yaml").unwrap_or_else(|e| panic!("{e}"));
    let plan = logspec_checker::Plan::new(&loaded.spec).unwrap_or_else(|e| panic!("{e}"));
    let check = |text: &str| located(&run(&plan, &[("demo.log", text)], CheckOptions::default()).0);
    let held = "EVENT=open SESSION=s1 NS=n\nEVENT=close SESSION=s1\nEVENT=open SESSION=s2 NS=n\n";
    assert_eq!(check(held), vec![]);
    let stray = "EVENT=close SESSION=s9\nEVENT=open SESSION=s2 NS=n\n";
    assert_eq!(check(stray), vec![at("demo.log", 1, "unkeyed")]);
    let twice = "EVENT=open SESSION=s1 NS=n\nEVENT=open SESSION=s2 NS=n\n";
    assert_eq!(check(twice), vec![at("demo.log", 2, "duplicate-key")]);
}
