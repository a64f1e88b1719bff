//! The real binary on relations that need a scope on two key parts (an
//! agent's rotate line against the dispatcher's broadcast) and a key part
//! joined from an earlier record (an Uplink close under the namespace its
//! acceptance assigned).

mod common;

use common::{json_of, logspec, run, tempdir, write};

/// Findings of `logspec check --spec SPEC --report json ARGS… FILES…` as
/// (file name, line, code, rule).
fn check(spec: &str, args: &[&str], files: &[(&str, &str)]) -> Vec<(String, u64, String)> {
    let dir = tempdir();
    let mut command = logspec();
    command.args(["check", "--spec", spec, "--report", "json"]);
    command.args(args);
    for (name, text) in files {
        let path = dir.path().join(name);
        write(&path, text.as_bytes());
        command.arg(&path);
    }
    let report = json_of(&run(&mut command));
    report["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings: {report}"))
        .iter()
        .map(|finding| {
            let file = finding["file"].as_str().unwrap_or_default();
            let name = file.rsplit('/').next().unwrap_or_default().to_owned();
            let line = finding["line"].as_u64().unwrap_or_default();
            let rule = finding["rule"].as_str().unwrap_or_default().to_owned();
            (
                name,
                line,
                format!("{} {rule}", finding["code"].as_str().unwrap_or_default()),
            )
        })
        .collect()
}

const DISPATCHER: &str = "Mar 13 12:00:00 ctl ctrl-exec-dispatcher[7]: ACTION=cert-rotated OLD_SERIAL=09abcdef NEW_SERIAL=0a1b2c3d OVERLAP_EXPIRES=2026-04-13T14:30:00Z AGENTS=1\n\
Mar 13 12:00:01 ctl ctrl-exec-dispatcher[7]: ACTION=serial-broadcast HOSTS=10.0.0.5 SERIAL=0a1b2c3d DISPATCHER=ctrl-exec-primary\n";

const AGENT: &str = "Mar 13 12:00:02 web-01 ctrl-exec-agent[9]: ACTION=rotate SERIAL_ACTION=add DISPATCHER=ctrl-exec-primary SERIAL=0a1b2c3d\n";

#[test]
fn a_rotate_line_is_judged_only_where_the_dispatcher_names_its_host_and_serial() {
    let files = [("dispatcher.log", DISPATCHER), ("agent.log", AGENT)];
    // The registry names the agent by address: not judged.
    assert_eq!(check("ctrl-exec", &[], &files), vec![]);
    // Mapped, it pairs with the broadcast.
    assert_eq!(
        check("ctrl-exec", &["--host-alias", "web-01=10.0.0.5"], &files),
        vec![]
    );
    // Mapped, and the serial broadcast, but to another host: unpaired.
    let elsewhere = "Mar 13 12:00:00 ctl ctrl-exec-dispatcher[7]: ACTION=cert-rotated OLD_SERIAL=09abcdef NEW_SERIAL=0c0c0c0c OVERLAP_EXPIRES=2026-04-13T14:30:00Z AGENTS=1\n\
Mar 13 12:00:01 ctl ctrl-exec-dispatcher[7]: ACTION=serial-broadcast HOSTS=10.0.0.5 SERIAL=0c0c0c0c DISPATCHER=ctrl-exec-primary\n\
Mar 13 12:00:02 ctl ctrl-exec-dispatcher[7]: ACTION=cert-rotated OLD_SERIAL=0c0c0c0c NEW_SERIAL=0a1b2c3d OVERLAP_EXPIRES=2026-04-13T14:30:00Z AGENTS=1\n\
Mar 13 12:00:03 ctl ctrl-exec-dispatcher[7]: ACTION=serial-broadcast HOSTS=db-01 SERIAL=0a1b2c3d DISPATCHER=ctrl-exec-primary\n";
    let files = [("dispatcher.log", elsewhere), ("agent.log", AGENT)];
    assert_eq!(check("ctrl-exec", &[], &files), vec![]);
    assert_eq!(
        check("ctrl-exec", &["--host-alias", "web-01=10.0.0.5"], &files),
        vec![(
            "agent.log".to_owned(),
            1,
            "unpaired rotate-add-follows-broadcast".to_owned()
        )]
    );
}

fn uplink(at: u64, id: &str, fields: &str) -> String {
    format!(
        "{{\"_t\":\"{id}\",\"_ts\":\"{}\",{fields}}}\n",
        1_709_287_200_000 + at
    )
}

fn accepted(at: u64, session: &str, namespace: &str) -> String {
    uplink(
        at,
        "uplink.incoming.accepted",
        &format!(
            "\"session_id\":\"{session}\",\"connection_id\":\"ssh-{session}\",\"client_version\":\"rce/10.5.0\",\"protocol_version\":\"0.4\",\"login_name\":\"alice\",\"client_id\":\"default\",\"namespace\":\"{namespace}\""
        ),
    )
}

fn closed(at: u64, session: &str) -> String {
    uplink(
        at,
        "uplink.incoming.closed",
        &format!("\"session_id\":\"{session}\",\"connection_id\":\"ssh-{session}\",\"final_state\":\"CLOSED\""),
    )
}

#[test]
fn a_namespace_held_by_an_open_session_is_not_assigned_again() {
    let freed = [
        accepted(0, "u-1", "alice_default"),
        closed(1, "u-1"),
        accepted(2, "u-2", "alice_default"),
    ]
    .concat();
    // Checked alone: the SSH connections are not among the records, so
    // only the namespace rule is asked for (--partial joins them midway).
    assert_eq!(
        check(
            "rce-eventlog",
            &["--partial"],
            &[("events-compact.log", &freed)]
        ),
        vec![]
    );
    let held = [
        accepted(0, "u-1", "alice_default"),
        accepted(1, "u-2", "alice_default"),
    ]
    .concat();
    assert_eq!(
        check(
            "rce-eventlog",
            &["--partial"],
            &[("events-compact.log", &held)]
        ),
        vec![(
            "events-compact.log".to_owned(),
            2,
            "duplicate-key uplink-namespace-unused".to_owned()
        )]
    );
}
