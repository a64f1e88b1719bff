//! The built-in RCE event log spec: both files read and held to the event
//! types, the value rules of the compact file, custom and unknown events,
//! and each stream rule of the document with a stream that keeps it and
//! one that breaks it.

use logspec_checker::rules::EngineOptions;
use logspec_checker::stream::Input;
use logspec_checker::{CheckOptions, Checker, Finding, Plan, Severity};
use std::path::PathBuf;

/// The spec, compiled once for all tests.
fn plan() -> &'static Plan {
    static PLAN: std::sync::OnceLock<Plan> = std::sync::OnceLock::new();
    PLAN.get_or_init(
        || match logspec_spec::builtin("rce-eventlog").map(|builtin| builtin.load()) {
            Some(Ok(loaded)) => Plan::new(&loaded.spec).expect("spec compiles"),
            _ => panic!("built-in rce-eventlog spec does not load"),
        },
    )
}

fn run(name: &str, text: &str, options: CheckOptions) -> Vec<Finding> {
    let plan = plan();
    let mut checker = Checker::new(plan, options);
    let input = Input {
        name: name.to_owned(),
        reader: text.as_bytes(),
        host: None,
    };
    let mut findings = Vec::new();
    match checker.check_inputs(vec![input], &mut findings) {
        Ok(_) => findings,
        Err(error) => panic!("{error}"),
    }
}

fn codes(text: &str) -> Vec<(u64, &'static str)> {
    run("events-compact.log", text, CheckOptions::default())
        .iter()
        .map(|finding| (finding.line, finding.code.as_str()))
        .collect()
}

/// One compact line: `_t`, `_ts` and the attributes, keys sorted, every
/// value a string as RCE writes them.
fn event(id: &str, at: u64, attributes: &[(&str, &str)]) -> String {
    let mut members: Vec<(String, String)> = vec![
        ("_t".to_owned(), format!("{id:?}")),
        ("_ts".to_owned(), format!("\"{}\"", 1_709_287_200_000 + at)),
    ];
    members.extend(
        attributes
            .iter()
            .map(|(key, value)| ((*key).to_owned(), format!("{value:?}"))),
    );
    members.sort();
    let body: Vec<String> = members
        .into_iter()
        .map(|(key, value)| format!("{key:?}:{value}"))
        .collect();
    format!("{{{}}}\n", body.join(","))
}

/// A `connection.incoming.*` event of `connection`, with the remote peer
/// and `extra` attributes.
fn connection(kind: &str, connection: &str, at: u64, extra: &[(&str, &str)]) -> String {
    let mut attributes = vec![
        ("type", "ssh"),
        ("connection_id", connection),
        ("remote_ip", "192.0.2.10"),
        ("remote_port", "50412"),
        ("server_port", "31005"),
    ];
    attributes.extend_from_slice(extra);
    event(&format!("connection.incoming.{kind}"), at, &attributes)
}

fn accepted(id: &str, at: u64) -> String {
    connection("accepted", id, at, &[])
}

fn refused(id: &str, at: u64) -> String {
    connection(
        "refused",
        id,
        at,
        &[("close_reason", "timeout"), ("duration", "30000")],
    )
}

fn closed(id: &str, at: u64) -> String {
    connection(
        "closed",
        id,
        at,
        &[("close_reason", "by client"), ("duration", "100")],
    )
}

fn auth_failed(id: &str, at: u64) -> String {
    nth_auth_failed(id, at, "1")
}

/// A failed attempt whose failure count is `count`.
fn nth_auth_failed(id: &str, at: u64, count: &str) -> String {
    connection(
        "auth.failed",
        id,
        at,
        &[
            ("login_name", "alice"),
            ("auth_method", "passphrase"),
            ("auth_failure_reason", "wrong password"),
            ("auth_failure_count", count),
        ],
    )
}

fn uplink(kind: &str, session: &str, connection: &str, at: u64) -> String {
    let attributes: Vec<(&str, &str)> = match kind {
        "accepted" => vec![
            ("client_version", "rce/10.5.0"),
            ("protocol_version", "0.4"),
            ("login_name", "alice"),
            ("client_id", "default"),
            ("namespace", "alice_default"),
        ],
        "refused" => vec![
            ("client_version", "rce/9.0.0"),
            ("protocol_version", "0.1"),
            ("login_name", "alice"),
            ("client_id", "default"),
            ("reason", "unsupported protocol version"),
        ],
        _ => vec![("final_state", "CLOSED")],
    };
    let mut attributes = attributes;
    attributes.push(("session_id", session));
    attributes.push(("connection_id", connection));
    event(&format!("uplink.incoming.{kind}"), at, &attributes)
}

fn starting(at: u64) -> String {
    event(
        "application.starting",
        at,
        &[
            ("user_home", "/home/rce"),
            ("user_name", "rce"),
            ("profile_location", "/home/rce/.rce/default"),
            ("work_dir", "/home/rce"),
            ("rce_version", "10.5.0"),
            ("os_name", "Linux"),
            ("jvm_version", "17"),
        ],
    )
}

fn example(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../spec/examples")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

#[test]
fn the_bundled_streams_pass_in_both_formats() {
    for name in ["rce-events-compact.log", "rce-events-readable.log"] {
        let findings = run(name, &example(name), CheckOptions::default());
        assert!(findings.is_empty(), "{name}: {findings:#?}");
    }
}

#[test]
fn compact_values_are_held_to_what_the_document_says_only() {
    let base = [("is_restart", "yes")];
    assert!(codes(&event("application.shutdown.requested", 0, &base)).is_empty());
    let null_method = event("application.shutdown.requested", 0, &base)
        .replace("\"_t\"", "\"method\":null,\"_t\"");
    assert!(codes(&null_method).is_empty());
    let null_restart = event("application.shutdown.requested", 0, &[])
        .replace("\"_t\"", "\"is_restart\":null,\"_t\"");
    assert_eq!(codes(&null_restart), vec![(1, "invalid-value")]);
    // The document names "yes" only; what a non-restart writes it leaves
    // open, and it gives no JSON types at all.
    for flag in ["no", "true"] {
        let flagged = event("application.shutdown.requested", 0, &[("is_restart", flag)]);
        assert!(codes(&flagged).is_empty(), "{flag}");
    }
    let opened = |port: &str| {
        event(
            "serverport.opened",
            0,
            &[("type", "ssh"), ("port", port), ("bind_ip", "0.0.0.0")],
        )
    };
    assert!(codes(&opened("31005")).is_empty());
    assert_eq!(codes(&opened("65536")), vec![(1, "invalid-value")]);
    assert_eq!(codes(&opened("0")), vec![(1, "invalid-value")]);
    assert_eq!(codes(&opened("ssh")), vec![(1, "invalid-value")]);
    let number = opened("31005").replace("\"31005\"", "31005");
    assert!(codes(&number).is_empty());
    let number_time = opened("1").replace("\"1709287200000\"", "1709287200000");
    assert!(codes(&number_time).is_empty());
    let no_time = opened("1").replace("\"1709287200000\"", "\"yesterday\"");
    assert_eq!(codes(&no_time), vec![(1, "invalid-value")]);
    let missing = event("serverport.opened", 0, &[("type", "ssh"), ("port", "1")]);
    assert_eq!(codes(&missing), vec![(1, "missing-field")]);
    // Final states are the workflow engine's, which the document does not list.
    // A request completes after its initiation (a stream rule).
    let initiated = event(
        "workflow.request.initiated",
        0,
        &[
            ("workflow_run_id", "wf-1"),
            ("workflow_controller_node", "n1:s1"),
            ("workflow_controller_is_local_node", "no"),
            ("workflow_metadata", "{}"),
            ("success", "yes"),
        ],
    );
    let states = |state: &str| {
        initiated.clone()
            + &event(
                "workflow.request.completed",
                1,
                &[("workflow_run_id", "wf-1"), ("final_state", state)],
            )
    };
    for state in ["FINISHED", "RESULTS_REJECTED", "DONE"] {
        assert!(codes(&states(state)).is_empty(), "{state}");
    }
}

#[test]
fn custom_events_need_a_type_and_well_formed_keys() {
    let custom = |extra: &[(&str, &str)]| {
        let mut attributes = vec![("type", "org.example.done")];
        attributes.extend_from_slice(extra);
        event("custom", 0, &attributes)
    };
    assert!(codes(&custom(&[("backup.target", "/srv"), ("n1", "x")])).is_empty());
    assert_eq!(
        codes(&custom(&[("Backup", "x")])),
        vec![(1, "unexpected-field")]
    );
    assert_eq!(
        codes(&custom(&[("backup.", "x")])),
        vec![(1, "unexpected-field")]
    );
    // The document's length limit refers to a definition it never gives.
    let long = "k".repeat(80);
    assert!(codes(&custom(&[(&long, "x")])).is_empty());
    assert_eq!(
        codes(&event("custom", 0, &[("note", "no type")])),
        vec![(1, "missing-field")]
    );
}

#[test]
fn unknown_event_types_are_tolerated_and_reported_once() {
    let text = format!(
        "{}{}{}",
        event("cluster.node.joined", 0, &[("x", "1")]),
        event("cluster.node.joined", 1, &[("x", "2")]),
        event("application.terminating", 2, &[])
    );
    let findings = run("events-compact.log", &text, CheckOptions::default());
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].code.as_str(), "unknown-event-tolerated");
    assert_eq!(findings[0].severity, Severity::Warning);
    assert_eq!(findings[0].event.as_deref(), Some("cluster.node.joined"));
}

#[test]
fn readable_blocks_use_titles_for_events_and_attributes() {
    let block = "Incoming Uplink Connection Refused\n\
                 \x20 Event time:          2024-03-01T11:00:04.623\n\
                 \x20 Uplink session id:   u-8\n\
                 \x20 SSH connection id:   ssh-2\n\
                 \x20 Client software id:  rce/9.0.0\n\
                 \x20 Protocol version:    0.1\n\
                 \x20 Original login name: bob\n\
                 \x20 Original client id:  default\n\
                 \x20 Reason:              unsupported protocol version\n";
    let options = || CheckOptions {
        stream_rules: false,
        ..CheckOptions::default()
    };
    assert!(run("events-readable.log", block, options()).is_empty());
    let zoned = block.replace("04.623", "04.623Z");
    let findings = run("events-readable.log", &zoned, options());
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].field.as_deref(), Some("_ts"));
    let without_reason = block.replace("  Reason:              unsupported protocol version\n", "");
    let findings = run("events-readable.log", &without_reason, options());
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(
        (
            findings[0].code.as_str(),
            findings[0].field.as_deref(),
            findings[0].line
        ),
        ("missing-field", Some("reason"), 1)
    );
    let unknown = "Cluster Node Joined\n  Event time: 2024-03-01T11:00:04.623\n";
    let findings = run("events-readable.log", unknown, options());
    assert_eq!(findings[0].code.as_str(), "unknown-event-tolerated");
}

// Stream rules, each kept and broken.

#[test]
fn accepted_and_refused_exclude_each_other() {
    let kept = format!("{}{}", accepted("c1", 0), refused("c2", 1));
    assert!(codes(&kept).is_empty());
    let broken = format!("{}{}", accepted("c1", 0), refused("c1", 1));
    assert_eq!(codes(&broken), vec![(2, "exclusive-violation")]);
}

#[test]
fn closed_only_after_accepted() {
    let kept = format!("{}{}", accepted("c1", 0), closed("c1", 1));
    assert!(codes(&kept).is_empty());
    assert_eq!(codes(&closed("c1", 0)), vec![(1, "sequence-violation")]);
    let after_refusal = format!("{}{}", refused("c1", 0), closed("c1", 1));
    assert_eq!(codes(&after_refusal), vec![(2, "sequence-violation")]);
}

#[test]
fn a_failed_authentication_is_resolved() {
    let accepted_later = format!(
        "{}{}{}",
        auth_failed("c1", 0),
        nth_auth_failed("c1", 1, "2"),
        accepted("c1", 2)
    );
    assert!(codes(&accepted_later).is_empty());
    let refused_later = format!("{}{}", auth_failed("c1", 0), refused("c1", 1));
    assert!(codes(&refused_later).is_empty());
    assert_eq!(codes(&auth_failed("c1", 0)), vec![(1, "incomplete")]);
    // A restart ends the connection without its outcome.
    let restarted = format!("{}{}", auth_failed("c1", 0), starting(1));
    assert_eq!(codes(&restarted), vec![(1, "incomplete")]);
    let after = format!("{}{}", accepted("c1", 0), auth_failed("c1", 1));
    assert_eq!(codes(&after), vec![(2, "sequence-violation")]);
    // A capture that ends mid-login is a warning with --partial.
    let partial = run(
        "events-compact.log",
        &auth_failed("c1", 0),
        CheckOptions {
            rules: EngineOptions {
                partial: true,
                ..EngineOptions::default()
            },
            ..CheckOptions::default()
        },
    );
    assert_eq!(partial.len(), 1);
    assert_eq!(partial[0].severity, Severity::Warning);
}

#[test]
fn uplink_outcomes_exclude_each_other_and_close_after_acceptance() {
    let kept = format!(
        "{}{}{}{}",
        accepted("c1", 0),
        uplink("accepted", "u1", "c1", 1),
        uplink("closed", "u1", "c1", 2),
        closed("c1", 3)
    );
    assert!(codes(&kept).is_empty());
    let both = format!(
        "{}{}{}",
        accepted("c1", 0),
        uplink("accepted", "u1", "c1", 1),
        uplink("refused", "u1", "c1", 2)
    );
    assert!(
        codes(&both).contains(&(3, "exclusive-violation")),
        "{:?}",
        codes(&both)
    );
    let unopened = format!("{}{}", accepted("c1", 0), uplink("closed", "u1", "c1", 1));
    assert_eq!(codes(&unopened), vec![(2, "sequence-violation")]);
    let after_refusal = format!(
        "{}{}{}",
        accepted("c1", 0),
        uplink("refused", "u1", "c1", 1),
        uplink("closed", "u1", "c1", 2)
    );
    assert!(codes(&after_refusal).contains(&(3, "sequence-violation")));
}

#[test]
fn the_ssh_connection_closes_next_after_an_uplink_refusal() {
    let kept = format!(
        "{}{}{}{}",
        accepted("c1", 0),
        uplink("refused", "u1", "c1", 1),
        accepted("c2", 2),
        closed("c1", 3)
    );
    assert!(codes(&kept).is_empty(), "{:?}", codes(&kept));
    let broken = format!(
        "{}{}{}{}",
        accepted("c1", 0),
        uplink("refused", "u1", "c1", 1),
        uplink("accepted", "u2", "c1", 2),
        closed("c1", 3)
    );
    // The Uplink session u2 also never closes, though its connection did.
    assert_eq!(
        codes(&broken),
        vec![(3, "sequence-violation"), (4, "incomplete")]
    );
    let unclosed = format!("{}{}", accepted("c1", 0), uplink("refused", "u1", "c1", 1));
    assert_eq!(codes(&unclosed), vec![(2, "incomplete")]);
}

#[test]
fn connection_ids_are_not_reused_within_a_session() {
    let reused = format!(
        "{}{}{}",
        accepted("c1", 0),
        closed("c1", 1),
        accepted("c1", 2)
    );
    assert_eq!(codes(&reused), vec![(3, "duplicate-key")]);
    let refused_twice = format!("{}{}", refused("c1", 0), refused("c1", 1));
    assert_eq!(codes(&refused_twice), vec![(2, "duplicate-key")]);
    let next_session = format!(
        "{}{}{}{}",
        accepted("c1", 0),
        closed("c1", 1),
        starting(2),
        accepted("c1", 3)
    );
    assert!(
        codes(&next_session).is_empty(),
        "{:?}",
        codes(&next_session)
    );
}
