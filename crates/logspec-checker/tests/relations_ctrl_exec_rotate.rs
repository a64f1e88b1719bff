//! ctrl-exec: an agent's rotate lines against the dispatcher's serial
//! broadcast and retirement (Rotation Actions › serial-broadcast,
//! serial-retire; Agent-Side Actions › rotate). The two sides name an
//! agent differently (registry name against syslog hostname) and an agent
//! may trust dispatchers whose logs are not given, so a rotate line is
//! judged only where the dispatcher lines given name both its host and its
//! serial (`scope` on two key parts).

mod common;

use common::{at, check_builtin, run, shared_plan};
use logspec_checker::rules::hosts::HostNames;
use logspec_checker::rules::EngineOptions;
use logspec_checker::CheckOptions;

type Located = Vec<(String, u64, &'static str)>;

fn check(inputs: &[(&str, &str)]) -> Located {
    check_builtin("ctrl-exec", inputs)
}

/// Checks with the host mapping `aliases` (`--host-alias NAME=ADDRESS`).
fn check_aliased(inputs: &[(&str, &str)], aliases: &[(&str, &str)]) -> Located {
    let mut hosts = HostNames::default();
    for (name, address) in aliases {
        hosts.alias(name, address);
    }
    let options = CheckOptions {
        rules: EngineOptions {
            hosts,
            ..EngineOptions::default()
        },
        ..CheckOptions::default()
    };
    common::located(&run(shared_plan("ctrl-exec"), inputs, options).0)
}

/// Syslog lines of `host` under `tag`, one second apart from `second`.
fn log(second: usize, host: &str, tag: &str, payloads: &[&str]) -> String {
    payloads
        .iter()
        .enumerate()
        .map(|(index, payload)| {
            let at = second + index;
            format!(
                "Mar 13 12:{:02}:{:02} {host} {tag}[4242]: {payload}\n",
                at / 60,
                at % 60
            )
        })
        .collect()
}

/// The dispatcher's rotation loop on host `ctl`, from second 0.
fn rotation(payloads: &[&str]) -> String {
    log(0, "ctl", "ctrl-exec-dispatcher", payloads)
}

/// A rotation from serial `old` to `new`, broadcast to `hosts`.
fn rollout(old: &str, new: &str, hosts: &str) -> [String; 2] {
    [
        format!(
            "ACTION=cert-rotated OLD_SERIAL={old} NEW_SERIAL={new} \
             OVERLAP_EXPIRES=2026-04-13T14:30:00Z AGENTS=2"
        ),
        format!("ACTION=serial-broadcast HOSTS={hosts} SERIAL={new} DISPATCHER=ctrl-exec-primary"),
    ]
}

/// The agent on `host`, from `second` on.
fn agent(host: &str, second: usize, payloads: &[&str]) -> String {
    log(second, host, "ctrl-exec-agent", payloads)
}

const ROTATED: &str = "ACTION=cert-rotated OLD_SERIAL=09abcdef NEW_SERIAL=0a1b2c3d OVERLAP_EXPIRES=2026-04-13T14:30:00Z AGENTS=2";
const BROADCAST: &str =
    "ACTION=serial-broadcast HOSTS=web-01,db-01 SERIAL=0a1b2c3d DISPATCHER=ctrl-exec-primary";
const CONFIRMED: &str = "ACTION=serial-confirmed AGENT=web-01";
const RETIRE: &str = "ACTION=serial-retire HOSTS=web-01 SERIAL=09abcdef";
const ADD: &str = "ACTION=rotate SERIAL_ACTION=add DISPATCHER=ctrl-exec-primary SERIAL=0a1b2c3d";
const REMOVE: &str =
    "ACTION=rotate SERIAL_ACTION=remove DISPATCHER=ctrl-exec-primary SERIAL=09abcdef";

/// Rotation Actions › serial-broadcast, and Agent-Side Actions › rotate:
/// the broadcast calls /rotate-serial on the agents it lists, each of
/// which logs a rotate add of the broadcast serial under the id of the
/// dispatcher the broadcast names.
#[test]
fn rotate_add_follows_a_broadcast_listing_the_agent() {
    let dispatcher = rotation(&[ROTATED, BROADCAST, CONFIRMED]);
    let added = agent("web-01", 5, &[ADD]);
    assert_eq!(check(&[("d.log", &dispatcher), ("a.log", &added)]), vec![]);
    // The agent's clock runs ahead: its line first in the merged stream.
    let early = agent("web-01", 0, &[ADD]);
    assert_eq!(check(&[("d.log", &dispatcher), ("a.log", &early)]), vec![]);

    // The broadcast lists web-01, and names the serial, but not together.
    let other_serial = agent("web-01", 5, &[&ADD.replace("0a1b2c3d", "09abcdef")]);
    let named_elsewhere = rotation(&[ROTATED, BROADCAST, CONFIRMED, RETIRE]);
    assert_eq!(
        check(&[("d.log", &named_elsewhere), ("a.log", &other_serial)]),
        vec![at("a.log", 1, "unpaired")]
    );
    // Listed with the serial, but under another dispatcher's id.
    let secondary = agent(
        "web-01",
        5,
        &[&ADD.replace("ctrl-exec-primary", "ctrl-exec-secondary")],
    );
    assert_eq!(
        check(&[("d.log", &dispatcher), ("a.log", &secondary)]),
        vec![at("a.log", 1, "mismatch")]
    );
}

/// Rotation Actions › serial-broadcast: a rotate add whose host or serial
/// the dispatcher lines given do not show cannot be judged: its
/// dispatcher's log may be missing (an agent trusts several), or the
/// registry names the agent otherwise than its syslog hostname.
#[test]
fn rotate_add_is_judged_only_where_host_and_serial_were_seen() {
    let added = agent("web-01", 5, &[ADD]);
    // No dispatcher log at all.
    assert_eq!(check(&[("a.log", &added)]), vec![]);
    // A dispatcher that broadcast another serial to this host: the add came
    // from another dispatcher, whose log is not given.
    let other_dispatcher = rotation(
        &rollout("09abcdef", "0c0c0c0c", "web-01")
            .each_ref()
            .map(String::as_str),
    );
    assert_eq!(
        check(&[("d.log", &other_dispatcher), ("a.log", &added)]),
        vec![]
    );
    // The registry names the agent by address: web-01 appears nowhere.
    let by_address = rotation(&[ROTATED, &BROADCAST.replace("web-01", "10.0.0.5")]);
    assert_eq!(check(&[("d.log", &by_address), ("a.log", &added)]), vec![]);
    // ... until the user says the two are one host.
    assert_eq!(
        check_aliased(
            &[("d.log", &by_address), ("a.log", &added)],
            &[("web-01", "10.0.0.5")]
        ),
        vec![]
    );
    // With that mapping a broadcast that lists the host for another serial,
    // and names this serial to other hosts only, judges the add.
    let lines: Vec<String> = rollout("09abcdef", "0c0c0c0c", "10.0.0.5")
        .into_iter()
        .chain(rollout("0c0c0c0c", "0a1b2c3d", "db-01"))
        .collect();
    let elsewhere = rotation(&lines.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(
        check_aliased(
            &[("d.log", &elsewhere), ("a.log", &added)],
            &[("web-01", "10.0.0.5")]
        ),
        vec![at("a.log", 1, "unpaired")]
    );
    assert_eq!(check(&[("d.log", &elsewhere), ("a.log", &added)]), vec![]);
}

/// Rotation Actions › serial-retire: the old serial is removed from the
/// agents the retirement lists, each logging a rotate remove of it.
#[test]
fn rotate_remove_follows_a_retirement_listing_the_agent() {
    let dispatcher = rotation(&[ROTATED, BROADCAST, CONFIRMED, RETIRE]);
    let agent_lines = agent("web-01", 5, &[ADD, REMOVE]);
    assert_eq!(
        check(&[("d.log", &dispatcher), ("a.log", &agent_lines)]),
        vec![]
    );
    // The remove of the serial just added: no retirement lists it.
    let wrong = agent("web-01", 5, &[ADD, &REMOVE.replace("09abcdef", "0a1b2c3d")]);
    assert_eq!(
        check(&[("d.log", &dispatcher), ("a.log", &wrong)]),
        vec![at("a.log", 2, "unpaired")]
    );
    // A remove on an agent the retirement does not list (db-01 was not
    // confirmed), though the broadcast named it.
    let unlisted = agent("db-01", 5, &[ADD, REMOVE]);
    assert_eq!(
        check(&[("d.log", &dispatcher), ("b.log", &unlisted)]),
        vec![at("b.log", 2, "unpaired")]
    );
    // No retirement among the dispatcher lines: the old serial is unseen.
    let before_retirement = rotation(&[ROTATED, BROADCAST, CONFIRMED]);
    assert_eq!(
        check(&[("d.log", &before_retirement), ("a.log", &agent_lines)]),
        vec![]
    );
}
