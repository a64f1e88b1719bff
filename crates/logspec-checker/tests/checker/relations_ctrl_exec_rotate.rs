//! ctrl-exec's statements about certificate rotation: the dispatcher's
//! rotation loop (Rotation Actions), and an agent's rotate lines against
//! the dispatcher's serial broadcast and retirement (Rotation Actions ›
//! serial-broadcast, serial-retire; Agent-Side Actions › rotate). The two
//! sides name an agent differently (registry name against syslog
//! hostname) and an agent may trust dispatchers whose logs are not given,
//! so a rotate line is judged only where the dispatcher lines given name
//! both its host and its serial (`scope` on two key parts).

use crate::common;

use common::ctrl_exec::*;
use common::{at, run, shared_plan};
use logspec_checker::rules::hosts::HostNames;
use logspec_checker::rules::EngineOptions;
use logspec_checker::CheckOptions;

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

const ROTATED: &str = "ACTION=cert-rotated OLD_SERIAL=09abcdef NEW_SERIAL=0a1b2c3d OVERLAP_EXPIRES=2026-04-13T14:30:00Z AGENTS=2";
const BROADCAST: &str =
    "ACTION=serial-broadcast HOSTS=web-01,db-01 SERIAL=0a1b2c3d DISPATCHER=ctrl-exec-primary";
const CONFIRMED: &str = "ACTION=serial-confirmed AGENT=web-01";
const RETIRE_WEB_01: &str = "ACTION=serial-retire HOSTS=web-01 SERIAL=09abcdef";
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
    let named_elsewhere = rotation(&[ROTATED, BROADCAST, CONFIRMED, RETIRE_WEB_01]);
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
    let dispatcher = rotation(&[ROTATED, BROADCAST, CONFIRMED, RETIRE_WEB_01]);
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

// ----------------------------------------------------------- Rotation Actions

const CERT_CHECK: &str = "ACTION=cert-check DAYS_LEFT=85 THRESHOLD=90";
const RENEWAL_START: &str = "ACTION=cert-renewal-start DAYS_LEFT=85";
const ROTATION_FAIL: &str = "ACTION=cert-rotation-fail ERROR=\"openssl x509 failed: ...\"";
const RETIRE: &str = "ACTION=serial-retire HOSTS=web-01,db-01 SERIAL=09abcdef";

fn confirmed(agent: &str) -> String {
    format!("ACTION=serial-confirmed AGENT={agent}")
}

fn broadcast_fail(agent: &str) -> String {
    format!("ACTION=serial-broadcast-fail AGENT={agent} ERROR=\"exit 1\"")
}

fn stale(agent: &str) -> String {
    format!(
        "ACTION=serial-stale AGENT={agent} REASON=\"overlap window expired without confirmation\""
    )
}

/// Rotation Actions › cert-renewal-start, cert-rotated, cert-rotation-fail:
/// a rotation the expiry check starts ends in success or failure before
/// another starts.
#[test]
fn rotation_attempt_ends_before_the_next() {
    assert_clean(&[(
        "r.log",
        &rotation(&[
            CERT_CHECK,
            RENEWAL_START,
            ROTATION_FAIL,
            CERT_CHECK,
            RENEWAL_START,
            ROTATED,
        ]),
    )]);
    assert_eq!(
        check(&[(
            "r.log",
            &rotation(&[
                CERT_CHECK,
                RENEWAL_START,
                CERT_CHECK,
                RENEWAL_START,
                ROTATED
            ]),
        )]),
        vec![at("r.log", 4, "sequence-violation")]
    );
    assert_eq!(
        check(&[("r.log", &rotation(&[CERT_CHECK, RENEWAL_START]))]),
        vec![at("r.log", 2, "incomplete")]
    );
}

/// Rotation Actions › cert-rotated, serial-broadcast: agents are marked
/// pending by a rotation and the broadcast calls the pending ones, so a
/// broadcast follows a rotation.
#[test]
fn broadcast_follows_a_rotation() {
    assert_clean(&[("r.log", &rotation(&[ROTATED, BROADCAST]))]);
    assert_eq!(
        check(&[("r.log", &rotation(&[BROADCAST]))]),
        vec![at("r.log", 1, "sequence-violation")]
    );
}

/// Rotation Actions › serial-confirmed: an agent confirms the serial of a
/// broadcast that listed it.
#[test]
fn serial_confirmed_only_for_a_listed_agent() {
    assert_clean(&[(
        "r.log",
        &rotation(&[
            ROTATED.to_owned(),
            BROADCAST.to_owned(),
            confirmed("web-01"),
            confirmed("db-01"),
        ]),
    )]);
    assert_eq!(
        check(&[(
            "r.log",
            &rotation(&[ROTATED.to_owned(), BROADCAST.to_owned(), confirmed("db-02")]),
        )]),
        vec![at("r.log", 3, "sequence-violation")]
    );
}

/// Rotation Actions › serial-broadcast-fail: a failure is about an agent the
/// broadcast called; failed agents are retried by the next broadcast.
#[test]
fn broadcast_fail_only_for_a_listed_agent() {
    assert_clean(&[(
        "r.log",
        &rotation(&[
            ROTATED.to_owned(),
            BROADCAST.to_owned(),
            confirmed("web-01"),
            broadcast_fail("db-01"),
            BROADCAST.replace("web-01,db-01", "db-01"),
            confirmed("db-01"),
        ]),
    )]);
    assert_eq!(
        check(&[(
            "r.log",
            &rotation(&[
                ROTATED.to_owned(),
                BROADCAST.to_owned(),
                broadcast_fail("db-02")
            ]),
        )]),
        vec![at("r.log", 3, "sequence-violation")]
    );
}

/// Rotation Actions › serial-stale: an agent goes stale when the overlap
/// window expires without its confirmation, so never after confirming.
#[test]
fn stale_only_without_confirmation() {
    assert_clean(&[(
        "r.log",
        &rotation(&[
            ROTATED.to_owned(),
            BROADCAST.to_owned(),
            confirmed("web-01"),
            stale("db-01"),
        ]),
    )]);
    assert_eq!(
        check(&[(
            "r.log",
            &rotation(&[
                ROTATED.to_owned(),
                BROADCAST.to_owned(),
                confirmed("web-01"),
                stale("web-01")
            ]),
        )]),
        vec![at("r.log", 4, "sequence-violation")]
    );
}

/// Rotation Actions › serial-confirmed: each agent that acknowledges a
/// broadcast is confirmed once.
#[test]
fn serial_confirmed_once_per_broadcast() {
    assert_eq!(
        check(&[(
            "r.log",
            &rotation(&[
                ROTATED.to_owned(),
                BROADCAST.to_owned(),
                confirmed("web-01"),
                confirmed("web-01")
            ]),
        )]),
        vec![at("r.log", 4, "sequence-violation")]
    );
}

/// Rotation Actions › serial-retire: the old serial is removed from
/// confirmed agents only.
#[test]
fn retire_only_from_confirmed_agents() {
    assert_clean(&[(
        "r.log",
        &rotation(&[
            ROTATED.to_owned(),
            BROADCAST.to_owned(),
            confirmed("web-01"),
            confirmed("db-01"),
            RETIRE.to_owned(),
        ]),
    )]);
    assert_eq!(
        check(&[(
            "r.log",
            &rotation(&[
                ROTATED.to_owned(),
                BROADCAST.to_owned(),
                confirmed("web-01"),
                stale("db-01"),
                RETIRE.to_owned(),
            ]),
        )]),
        vec![at("r.log", 5, "sequence-violation")]
    );
}

/// Rotation Actions › cert-renewal-start: emitted "when the cert expiry
/// check finds the cert within the renewal threshold", with the days left
/// "at the point rotation was triggered".
#[test]
fn renewal_starts_from_a_check_within_the_threshold() {
    assert_clean(&[(
        "r.log",
        &rotation(&[
            "ACTION=cert-check DAYS_LEFT=120 THRESHOLD=90",
            CERT_CHECK,
            RENEWAL_START,
            ROTATED,
        ]),
    )]);
    // The check found the cert outside the threshold.
    assert_eq!(
        check(&[(
            "r.log",
            &rotation(&[
                "ACTION=cert-check DAYS_LEFT=120 THRESHOLD=90",
                "ACTION=cert-renewal-start DAYS_LEFT=120",
                ROTATED,
            ]),
        )]),
        vec![at("r.log", 2, "condition-violation")]
    );
    // Days left other than the check's.
    assert_eq!(
        check(&[(
            "r.log",
            &rotation(&[
                CERT_CHECK,
                "ACTION=cert-renewal-start DAYS_LEFT=80",
                ROTATED
            ]),
        )]),
        vec![at("r.log", 2, "condition-violation")]
    );
    // No check at all.
    assert_eq!(
        check(&[("r.log", &rotation(&[RENEWAL_START, ROTATED]))]),
        vec![at("r.log", 1, "condition-violation")]
    );
}

/// Rotation Actions › cert-rotated, serial-broadcast, serial-retire: the
/// rotation writes the new cert and marks AGENTS agents pending; the
/// broadcast sends "the serial being broadcast" (the new one) to pending
/// agents, and serial-retire removes "the previous serial".
#[test]
fn broadcast_and_retire_carry_the_rotations_serials() {
    assert_clean(&[(
        "r.log",
        &rotation(&[
            ROTATED,
            BROADCAST,
            &confirmed("web-01"),
            &broadcast_fail("db-01"),
            "ACTION=serial-broadcast HOSTS=db-01 SERIAL=0a1b2c3d DISPATCHER=ctrl-exec-primary",
            &confirmed("db-01"),
            RETIRE,
        ]),
    )]);
    assert_eq!(
        check(&[(
            "r.log",
            &rotation(&[
                ROTATED,
                "ACTION=serial-broadcast HOSTS=web-01,db-01 SERIAL=09abcdef DISPATCHER=ctrl-exec-primary",
            ]),
        )]),
        vec![at("r.log", 2, "condition-violation")]
    );
    assert_eq!(
        check(&[(
            "r.log",
            &rotation(&[
                ROTATED,
                "ACTION=serial-broadcast HOSTS=web-01,db-01,db-02 SERIAL=0a1b2c3d DISPATCHER=ctrl-exec-primary",
            ]),
        )]),
        vec![at("r.log", 2, "condition-violation")]
    );
    assert_eq!(
        check(&[(
            "r.log",
            &rotation(&[
                ROTATED,
                BROADCAST,
                &confirmed("web-01"),
                &confirmed("db-01"),
                "ACTION=serial-retire HOSTS=web-01,db-01 SERIAL=0a1b2c3d",
            ]),
        )]),
        vec![at("r.log", 5, "condition-violation")]
    );
}
