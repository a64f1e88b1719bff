//! ctrl-exec's statements about the agent's rate and probe blocks
//! (Agent-Side Actions › rate-block, tls-failure), one test per statement,
//! as in `relations_ctrl_exec.rs`.

use crate::common;

use common::at;
use common::ctrl_exec::*;

/// Agent-Side Actions › rate-block: "One entry is logged when the threshold
/// is first crossed; subsequent connections from the same IP during the
/// block window are silently dropped"; block lengths are configuration
/// (rate_limit_volume, rate_limit_probe), given as rule parameters.
#[test]
fn a_rate_block_is_logged_once_per_block_window() {
    let with_params = with_probe_params;
    const BLOCK: &str = "ACTION=rate-block PEER=10.0.0.1 REASON=volume";
    const TLS: &str = "ACTION=tls-failure PEER=10.0.0.1 REASON=\"SSL accept attempt failed\"";
    let blocked_twice = agent("db-01", 0, &[BLOCK, BLOCK]);
    // Six minutes later the five-minute block is over.
    let later = format!(
        "{}{}",
        agent("db-01", 0, &[BLOCK]),
        agent("db-01", 360, &[TLS, BLOCK])
    );
    assert_eq!(with_params(&later), vec![]);
    // Another source, an eviction or a restart in between: no finding.
    let other = agent(
        "db-01",
        0,
        &[BLOCK, "ACTION=rate-block PEER=10.0.0.9 REASON=volume"],
    );
    assert_eq!(with_params(&other), vec![]);
    let evicted = agent("db-01", 0, &[BLOCK, "ACTION=rate-evict COUNT=1000", BLOCK]);
    assert_eq!(with_params(&evicted), vec![]);
    let restarted = agent("db-01", 0, &[BLOCK, "ACTION=start PORT=7443", TLS]);
    assert_eq!(with_params(&restarted), vec![]);
    assert_eq!(
        with_params(&blocked_twice),
        vec![at("a.log", 2, "condition-violation")]
    );
    let probe = agent(
        "db-01",
        0,
        &["ACTION=rate-block PEER=10.0.0.1 REASON=probe"],
    ) + &agent("db-01", 600, &[TLS]);
    assert_eq!(
        with_params(&probe),
        vec![at("a.log", 2, "condition-violation")]
    );
    // Without the block lengths the rule says once that it did not run (as
    // do the two rules of the probe limit, a block being part of them).
    assert_eq!(
        check(&[("a.log", &blocked_twice)]),
        vec![at("a.log", 1, "rule-unchecked"); 3]
    );
}

/// The block window across the end of February: year-less syslog times
/// put no Feb 29 between Feb 28 and Mar 1 unless the input shows one, so
/// a second block three minutes into a five-minute one is found (it read a
/// day later, past the window, when every year had a Feb 29).
#[test]
fn a_second_rate_block_across_the_end_of_february_is_found() {
    let line = |at: &str, payload: &str| format!("{at} db-01 ctrl-exec-agent[4242]: {payload}\n");
    const BLOCK: &str = "ACTION=rate-block PEER=10.0.0.1 REASON=volume";
    let across = line("Feb 28 23:58:00", BLOCK) + &line("Mar  1 00:01:00", BLOCK);
    assert_eq!(
        with_probe_params(&across),
        vec![at("a.log", 2, "condition-violation")]
    );
    // In an input that shows a Feb 29 (here another source's block), the
    // same two lines are a day and three minutes apart: the block is over.
    let leap = line("Feb 28 23:58:00", BLOCK)
        + &line(
            "Feb 29 12:00:00",
            "ACTION=rate-block PEER=10.0.0.9 REASON=volume",
        )
        + &line("Mar  1 00:01:00", BLOCK);
    assert_eq!(with_probe_params(&leap), vec![]);
}

/// Checks `text` as `a.log` with the probe limit's parameters set (3
/// failures in 600 s, as the document's defaults) and the block lengths.
fn with_probe_params(text: &str) -> Located {
    let options = common::with_params(&[
        ("probe_limit", "3"),
        ("probe_window", "600s"),
        ("volume_block", "5m"),
        ("probe_block", "1h"),
    ]);
    common::located(
        &common::run(
            common::shared_plan("ctrl-exec"),
            &[("a.log", text)],
            options,
        )
        .0,
    )
}

const TLS_FAILURE: &str = "ACTION=tls-failure PEER=10.0.0.1 REASON=\"SSL accept attempt failed\"";
const PROBE_BLOCK: &str = "ACTION=rate-block PEER=10.0.0.1 REASON=probe";
const AGENT_START: &str = "ACTION=start PORT=7443";

/// `n` TLS failures of 10.0.0.1 on db-01, one a second from `second`.
fn failures(second: usize, n: usize) -> String {
    agent("db-01", second, &vec![TLS_FAILURE; n])
}

/// Agent-Side Actions › rate-block: "Probe threshold: more than
/// rate_limit_probe TLS handshake failures within the probe window", and
/// one rate-block "is logged when the threshold is first crossed": a probe
/// block has more than the limit of failures of its PEER before it within
/// the window.
#[test]
fn a_probe_block_follows_more_failures_than_the_limit_within_the_window() {
    // The log begins at the agent's start, twenty minutes before.
    let start = agent("db-01", 0, &[AGENT_START]);
    let block_after = |failures_text: String, block_second: usize| {
        format!(
            "{start}{failures_text}{}",
            agent("db-01", block_second, &[PROBE_BLOCK])
        )
    };
    let four = block_after(failures(1200, 4), 1204);
    assert_eq!(with_probe_params(&four), vec![]);
    // Three failures are not more than the limit.
    let three = block_after(failures(1200, 3), 1203);
    assert_eq!(
        with_probe_params(&three),
        vec![at("a.log", 5, "condition-violation")]
    );
    // The first of four failures lies outside the ten-minute window.
    let spread = format!(
        "{start}{}{}",
        failures(1200, 1),
        block_after(failures(1900, 3), 1903).replace(&start, "")
    );
    assert_eq!(
        with_probe_params(&spread),
        vec![at("a.log", 6, "condition-violation")]
    );
    // A restart between failures and block does not excuse it: the agent's
    // table is empty after a restart and needs more failures, not fewer.
    let restarted = format!(
        "{start}{}{}",
        failures(1200, 4),
        agent("db-01", 1204, &[AGENT_START, PROBE_BLOCK])
    );
    assert_eq!(with_probe_params(&restarted), vec![]);
    // A volume block needs no failures.
    let volume = format!(
        "{start}{}",
        agent(
            "db-01",
            1200,
            &["ACTION=rate-block PEER=10.0.0.1 REASON=volume"]
        )
    );
    assert_eq!(with_probe_params(&volume), vec![]);
    // A log that begins within the window (rotated) may have lost the
    // first failures: the block is not judged.
    let rotated = failures(1200, 2) + &agent("db-01", 1202, &[PROBE_BLOCK]);
    assert_eq!(with_probe_params(&rotated), vec![]);
    // A revoked certificate may fail the handshake: counted, not to call
    // a block wrong that the agent may have counted it for.
    let revoked = block_after(
        failures(1200, 3)
            + &agent(
                "db-01",
                1203,
                &["ACTION=revoked-cert PEER=10.0.0.1 SERIAL=deadbeef01234567"],
            ),
        1204,
    );
    assert_eq!(with_probe_params(&revoked), vec![]);
    // Another PEER's failures do not count.
    let other = format!(
        "{start}{}{}",
        failures(1200, 4).replace("10.0.0.1", "10.0.0.2"),
        agent("db-01", 1204, &[PROBE_BLOCK])
    );
    assert_eq!(
        with_probe_params(&other),
        vec![at("a.log", 6, "condition-violation")]
    );
}

/// Agent-Side Actions › tls-failure: "TLS failures also update the probe
/// rate counter for the peer IP. If the probe threshold is crossed, a
/// subsequent rate-block is emitted", after which the PEER's connections
/// are dropped without a line (rate-block). The window may slide or start
/// anew, so a failure is refused after more than twice the limit within
/// the window.
#[test]
fn failures_past_the_probe_limit_are_followed_by_a_block() {
    let start = agent("db-01", 0, &[AGENT_START]);
    // Seven failures (more than twice three) and an eighth unblocked.
    let eight = format!("{start}{}", failures(1200, 8));
    assert_eq!(
        with_probe_params(&eight),
        vec![at("a.log", 9, "condition-violation")]
    );
    // Six before it could be split three and three between two windows.
    let seven = format!("{start}{}", failures(1200, 7));
    assert_eq!(with_probe_params(&seven), vec![]);
    // Blocked after the fourth, and eight more an hour and more later (the
    // hour's block over): the count starts after the block.
    let blocked = format!(
        "{start}{}{}{}",
        failures(1200, 4),
        agent("db-01", 1204, &[PROBE_BLOCK]),
        failures(1300, 7).replace("Mar 13 12:", "Mar 13 13:")
    );
    assert_eq!(with_probe_params(&blocked), vec![]);
    // Spread over more than the window: never more than three at once.
    let spread: String = (0..8)
        .map(|index| failures(1200 + index * 200, 1))
        .collect::<Vec<_>>()
        .concat();
    assert_eq!(with_probe_params(&format!("{start}{spread}")), vec![]);
    // A restart or an eviction may have dropped the counts.
    let restarted = format!(
        "{start}{}{}{}",
        failures(1200, 7),
        agent("db-01", 1207, &[AGENT_START]),
        failures(1208, 1)
    );
    assert_eq!(with_probe_params(&restarted), vec![]);
    let evicted = restarted.replace(AGENT_START, "ACTION=rate-evict COUNT=1000");
    assert_eq!(with_probe_params(&evicted), vec![]);
    // Without the limit and window the rules (and the block lengths of
    // rate-block-once-per-window) say once each that they did not run.
    assert_eq!(
        check(&[("a.log", &eight)]),
        vec![at("a.log", 2, "rule-unchecked"); 3]
    );
}
