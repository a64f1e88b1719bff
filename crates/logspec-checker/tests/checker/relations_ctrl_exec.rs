//! ctrl-exec's statements about how records relate, one test per statement:
//! a stream that keeps the statement raises no finding at all, one that
//! breaks it raises exactly the rule's finding. Each test cites the section
//! of the document the statement comes from; `spec/ctrl-exec.yaml` lists
//! the statements logs cannot show under `unchecked`.
//! Certificate rotation is in `relations_ctrl_exec_rotate.rs`, the agent's
//! rate and probe blocks in `relations_ctrl_exec_blocks.rs`.

use crate::common;

use common::at;
use common::ctrl_exec::*;

const R1: &str = "a1b2c3d4e5f60001";
const R2: &str = "a1b2c3d4e5f60002";

/// `line` with its `REQID=?` set to `reqid`.
fn with(line: &str, reqid: &str) -> String {
    line.replace("REQID=?", &format!("REQID={reqid}"))
}

const DISPATCH: &str = "ACTION=dispatch SCRIPT=backup HOSTS=db-01,db-02 REQID=?";
const RUN_1: &str = "ACTION=run SCRIPT=backup TARGET=db-01:7443 EXIT=0 RTT=1203ms REQID=?";
const RUN_2: &str = "ACTION=run SCRIPT=backup TARGET=db-02:7443 EXIT=0 RTT=1203ms REQID=?";
const AGENT_RUN: &str =
    "ACTION=run SCRIPT=backup EXIT=0 PEER=10.0.0.1 DISPATCHER=ctrl-exec-primary REQID=?";
const AGENT_PING: &str = "ACTION=ping PEER=10.0.0.1 DISPATCHER=ctrl-exec-primary REQID=?";
const DENY: &str = "ACTION=deny SCRIPT=unknown-script PEER=10.0.0.1 REQID=?";
const SERIAL_REJECT: &str = "ACTION=serial-reject PEER=10.0.0.1 PEER_SERIAL=deadbeef REQID=?";
const PING_OK: &str = "ACTION=ping TARGET=web-01:7443 RESULT=ok RTT=42ms REQID=a1b2c3d4e5f60009";
const PING_ERROR: &str = "ACTION=ping TARGET=web-01:7443 ERROR=\"read timeout after 60s\" RTT=60001ms REQID=a1b2c3d4e5f60009";
const RENEW: &str = "ACTION=renew TARGET=web-01:7443 STATUS=starting REQID=b2c3d4e5f6a70002";
const RENEW_COMPLETE: &str = "ACTION=renew-complete TARGET=web-01:7443 EXPIRY=\"Mar 13 12:00:00 2027 GMT\" REQID=b2c3d4e5f6a70002";
const RENEW_FAILURE: &str =
    "ACTION=renew TARGET=web-01:7443 ERROR=\"connection refused\" REQID=b2c3d4e5f6a70002";

// ------------------------------------------------- Dispatcher-Side Actions › renew

/// Dispatcher-Side Actions › renew (and the alert table: renewal does not
/// trigger until a ping succeeds): a renewal follows a successful ping of
/// the same TARGET.
#[test]
fn renewal_follows_a_successful_ping_of_its_target() {
    assert_clean(&[("d.log", &dispatcher(&[PING_OK, RENEW, RENEW_COMPLETE]))]);
    assert_clean(&[("d.log", &dispatcher(&[PING_OK, RENEW_FAILURE]))]);
    assert_eq!(
        check(&[("d.log", &dispatcher(&[PING_ERROR, RENEW, RENEW_COMPLETE]))]),
        vec![at("d.log", 2, "sequence-violation")]
    );
    let other_target = PING_OK.replace("web-01", "web-02");
    assert_eq!(
        check(&[(
            "d.log",
            &dispatcher(&[other_target.as_str(), RENEW_FAILURE])
        )]),
        vec![at("d.log", 2, "sequence-violation")]
    );
}

/// Dispatcher-Side Actions › renew: a renewal that starts ends in
/// renew-complete or the failure line for the same REQID and TARGET.
#[test]
fn renewal_ends_in_complete_or_failure() {
    assert_clean(&[("d.log", &dispatcher(&[PING_OK, RENEW, RENEW_FAILURE]))]);
    assert_eq!(
        check(&[("d.log", &dispatcher(&[PING_OK, RENEW]))]),
        vec![at("d.log", 2, "incomplete")]
    );
}

/// Dispatcher-Side Actions › renew-complete: completion follows the start
/// of its renewal.
#[test]
fn renew_complete_follows_its_renewal() {
    assert_eq!(
        check(&[("d.log", &dispatcher(&[PING_OK, RENEW_COMPLETE]))]),
        vec![at("d.log", 2, "sequence-violation")]
    );
}

// ------------------------------------------------ API-Side Actions › api-request

const API_START: &str = "ACTION=api-start PORT=7445 BIND=0.0.0.0 TLS=yes";
const API_REQUEST: &str = "ACTION=api-request METHOD=POST PATH=/run PEER=10.0.0.7 LEN=87";
const API_AUTH: &str =
    "ACTION=auth RESULT=pass REASON=no-hook-allow AUTHACTION=run USER=alice IP=10.0.0.7";

/// API-Side Actions › api-request: every request is logged before its auth
/// is evaluated, so an auth line only the API writes follows a request from
/// the same address.
#[test]
fn api_request_precedes_its_auth() {
    assert_clean(&[("api.log", &api(&[API_START, API_REQUEST, API_AUTH]))]);
    assert_eq!(
        check(&[("api.log", &api(&[API_START, API_AUTH, API_REQUEST]))]),
        vec![at("api.log", 2, "sequence-violation")]
    );
    let other_peer = API_REQUEST.replace("10.0.0.7", "10.0.0.8");
    assert_eq!(
        check(&[("api.log", &api(&[API_START, other_peer.as_str(), API_AUTH]))]),
        vec![at("api.log", 3, "sequence-violation")]
    );
}

/// API-Side Actions › api-request, api-start, api-stop: the API logs
/// requests only while it runs.
#[test]
fn api_requests_only_while_running() {
    assert_clean(&[(
        "api.log",
        &api(&[API_START, API_REQUEST, "ACTION=api-stop"]),
    )]);
    assert_eq!(
        check(&[(
            "api.log",
            &api(&[API_START, "ACTION=api-stop", API_REQUEST]),
        )]),
        vec![at("api.log", 3, "sequence-violation")]
    );
}

// --------------------------------------------- API-Side Actions › run-store-fail

/// API-Side Actions › run-store-fail: the run whose result could not be
/// stored was logged first.
#[test]
fn run_store_fail_follows_its_run() {
    let store_fail = with(
        "ACTION=run-store-fail REQID=? ERROR=\"No space left on device\"",
        R1,
    );
    assert_clean(&[("api.log", &api(&[with(RUN_1, R1), store_fail.clone()]))]);
    assert_eq!(
        check(&[("api.log", &api(&[with(RUN_1, R2), store_fail]))]),
        vec![at("api.log", 2, "sequence-violation")]
    );
}

// ---------------------------------------------------- Agent-Side Actions › deny

/// Agent-Side Actions › deny: a rejected /run is not executed, so the agent
/// logs no run for its REQID.
#[test]
fn denied_run_is_not_executed() {
    assert_clean(&[(
        "a.log",
        &agent("db-01", 0, &[with(DENY, R1), with(AGENT_RUN, R2)]),
    )]);
    assert_eq!(
        check(&[(
            "a.log",
            &agent("db-01", 0, &[with(DENY, R1), with(AGENT_RUN, R1)]),
        )]),
        vec![at("a.log", 2, "exclusive-violation")]
    );
}

/// Agent-Side Actions › serial-reject: a request refused for its serial
/// (once its REQID was read) is not executed either.
#[test]
fn serial_rejected_request_is_not_executed() {
    assert_clean(&[(
        "a.log",
        &agent(
            "db-01",
            0,
            &[
                SERIAL_REJECT.replace("REQID=?", "REQID=(none)"),
                with(AGENT_PING, R1),
            ],
        ),
    )]);
    assert_eq!(
        check(&[(
            "a.log",
            &agent("db-01", 0, &[with(AGENT_PING, R1), with(SERIAL_REJECT, R1)]),
        )]),
        vec![at("a.log", 2, "exclusive-violation")]
    );
}

// ------------------------------------------------------------------- Pairing

const PAIR_REQUEST: &str = "ACTION=pair-request AGENT=web-01 IP=10.0.0.5 REQID=? STATUS=pending";
const PAIR_APPROVE: &str = "ACTION=pair-approve AGENT=web-01 REQID=?";
const PAIR_DENY: &str = "ACTION=pair-deny AGENT=web-01 REQID=?";
const PAIR_DENIED: &str = "ACTION=pair-denied REQID=?";
const AGENT_PAIR_DENIED: &str = "ACTION=pair-denied REQID=? REASON=denied";
const PAIR_TIMEOUT: &str = "ACTION=pair-timeout REQID=?";

/// Dispatcher-Side Actions › pair-approve, pair-deny: the operator decides
/// on a pending request, so the decision follows its pair-request.
#[test]
fn pairing_decision_follows_its_request() {
    assert_clean(&[(
        "d.log",
        &dispatcher(&[with(PAIR_REQUEST, R1), with(PAIR_APPROVE, R1)]),
    )]);
    assert_eq!(
        check(&[(
            "d.log",
            &dispatcher(&[with(PAIR_REQUEST, R2), with(PAIR_DENY, R1)]),
        )]),
        vec![at("d.log", 2, "sequence-violation")]
    );
}

/// Dispatcher-Side Actions › pair-approve, pair-deny, pair-timeout: a
/// pending request is approved, denied or timed out, once; the operator's
/// pair-deny and the dispatcher's pair-denied record the same denial.
#[test]
fn pairing_request_is_resolved_once() {
    assert_clean(&[(
        "d.log",
        &dispatcher(&[
            with(PAIR_REQUEST, R1),
            with(PAIR_DENY, R1),
            with(PAIR_DENIED, R1),
        ]),
    )]);
    assert_eq!(
        check(&[(
            "d.log",
            &dispatcher(&[
                with(PAIR_REQUEST, R1),
                with(PAIR_APPROVE, R1),
                with(PAIR_DENY, R1),
            ]),
        )]),
        vec![at("d.log", 3, "exclusive-violation")]
    );
}

/// Agent-Side Actions › pair-denied, pair-timeout (agent-side): a
/// background pairing ends in a denial or a timeout, not both.
#[test]
fn agent_pairing_ends_once() {
    assert_clean(&[("a.log", &agent("web-01", 0, &[with(PAIR_TIMEOUT, R1)]))]);
    assert_eq!(
        check(&[(
            "a.log",
            &agent(
                "web-01",
                0,
                &[with(AGENT_PAIR_DENIED, R1), with(PAIR_TIMEOUT, R1)]
            ),
        )]),
        vec![at("a.log", 2, "exclusive-violation")]
    );
}

/// Agent-Side Actions › pair-denied (agent-side): logged "when the
/// dispatcher explicitly denies the request", so a dispatcher denial
/// (pair-deny or its pair-denied) with the REQID comes with it, in either
/// order across the two hosts' clocks, and no approval does. Judged only
/// where the dispatcher logs given show the REQID.
#[test]
fn agent_denial_follows_a_dispatcher_denial() {
    let requested = dispatcher(&[with(PAIR_REQUEST, R1), with(PAIR_DENY, R1)]);
    let denied = agent("web-01", 5, &[with(AGENT_PAIR_DENIED, R1)]);
    assert_clean(&[("d.log", &requested), ("a.log", &denied)]);
    // The agent's line first (its clock runs ahead).
    let early = agent("web-01", 0, &[with(AGENT_PAIR_DENIED, R1)]);
    assert_clean(&[("d.log", &requested), ("a.log", &early)]);
    // Another dispatcher's log, or none: the request cannot be judged.
    assert_clean(&[("a.log", &denied)]);
    let other = dispatcher(&[with(PAIR_REQUEST, R2), with(PAIR_DENY, R2)]);
    assert_clean(&[("d.log", &other), ("a.log", &denied)]);

    let pending = dispatcher(&[with(PAIR_REQUEST, R1)]);
    assert_eq!(
        check(&[("d.log", &pending), ("a.log", &denied)]),
        vec![at("a.log", 1, "unpaired")]
    );
    let approved = dispatcher(&[with(PAIR_REQUEST, R1), with(PAIR_APPROVE, R1)]);
    assert_eq!(
        check(&[("d.log", &approved), ("a.log", &denied)]),
        vec![at("a.log", 1, "sequence-violation")]
    );
}

// --------------------------------------- Dispatcher-Side Actions › lock-acquire

const ACQUIRE: &str = "ACTION=lock-acquire HOST=db-01 SCRIPT=backup";
const RELEASE: &str = "ACTION=lock-release HOSTS=db-01 SCRIPT=backup";

/// Dispatcher-Side Actions › lock-acquire, lock-release: a host:script lock
/// is released after it is acquired, not acquired twice, and released by
/// the end; locks are a dispatcher host's own.
#[test]
fn locks_are_acquired_once_and_released() {
    let other_dispatcher = log(0, "ctl-2", "ctrl-exec", &[ACQUIRE, RELEASE]);
    assert_clean(&[
        ("d.log", &dispatcher(&[ACQUIRE, RELEASE])),
        ("d2.log", &other_dispatcher),
    ]);
    assert_eq!(
        check(&[("d.log", &dispatcher(&[ACQUIRE, ACQUIRE, RELEASE]))]),
        vec![at("d.log", 2, "sequence-violation")]
    );
    assert_eq!(
        check(&[("d.log", &dispatcher(&[ACQUIRE]))]),
        vec![at("d.log", 1, "incomplete")]
    );
    assert_eq!(
        check(&[("d.log", &dispatcher(&[RELEASE]))]),
        vec![at("d.log", 1, "sequence-violation")]
    );
}

/// Dispatcher-Side Actions › lock-acquire: a lock named `localhost` is
/// released under the same name (host names are compared as hosts).
#[test]
fn a_lock_on_a_loopback_name_is_released_under_it() {
    assert_clean(&[(
        "d.log",
        &dispatcher(&[
            "ACTION=lock-acquire HOST=localhost SCRIPT=backup",
            "ACTION=lock-release HOSTS=localhost SCRIPT=backup",
        ]),
    )]);
}

/// Dispatcher-Side Actions › lock-conflict: each host:script pair a
/// conflict names is locked on that dispatcher host when the dispatch is
/// turned down: acquired and not yet released.
#[test]
fn a_lock_conflict_names_locks_that_are_held() {
    let conflict = |pairs: &str| format!("ACTION=lock-conflict CONFLICTS={pairs}");
    // The CLI holds db-01:backup; the API is turned down meanwhile.
    let held = |pairs: &str| {
        [
            log(0, "ctl", "ctrl-exec", &[ACQUIRE]),
            log(1, "ctl", "ctrl-exec-api", &[conflict(pairs)]),
            log(2, "ctl", "ctrl-exec", &[RELEASE]),
        ]
        .concat()
    };
    assert_clean(&[("d.log", &held("db-01:backup"))]);
    assert_eq!(
        check(&[("d.log", &held("db-01:backup,db-02:backup"))]),
        vec![at("d.log", 2, "sequence-violation")],
        "db-02 is not locked"
    );
    assert_eq!(
        check(&[("d.log", &held("db-01:restore"))]),
        vec![at("d.log", 2, "sequence-violation")],
        "db-01 is locked for another script"
    );
    assert_eq!(
        check(&[(
            "d.log",
            &dispatcher(&[ACQUIRE, RELEASE, &conflict("db-01:backup")]),
        )]),
        vec![at("d.log", 3, "sequence-violation")],
        "the lock was released"
    );
    // Locks are a dispatcher host's own.
    let elsewhere = [
        log(0, "ctl-2", "ctrl-exec", &[ACQUIRE]),
        log(1, "ctl", "ctrl-exec", &[conflict("db-01:backup")]),
        log(2, "ctl-2", "ctrl-exec", &[RELEASE]),
    ]
    .concat();
    assert_eq!(
        check(&[("d.log", &elsewhere)]),
        vec![at("d.log", 2, "sequence-violation")]
    );
}

// ------------------------------------- Dispatcher-Side Actions › run (success)

/// Dispatcher-Side Actions › run (success): logged once per host; a
/// dispatch's hosts each get their run.
#[test]
fn run_logged_once_per_host_of_a_dispatch() {
    assert_clean(&[(
        "d.log",
        &dispatcher(&[with(DISPATCH, R1), with(RUN_1, R1), with(RUN_2, R1)]),
    )]);
    assert_eq!(
        check(&[(
            "d.log",
            &dispatcher(&[
                with(DISPATCH, R1),
                with(RUN_1, R1),
                with(RUN_2, R1),
                with(RUN_1, R1)
            ]),
        )]),
        // Both dispatch-reaches-every-host and agent-answers-dispatcher
        // allow one dispatcher run per REQID and host.
        vec![
            at("d.log", 4, "sequence-violation"),
            at("d.log", 4, "sequence-violation")
        ]
    );
}

/// Format Overview › REQID: one REQID is generated per dispatch
/// operation, so no two dispatch lines carry it.
#[test]
fn a_reqid_names_one_dispatch() {
    assert_clean(&[(
        "d.log",
        &dispatcher(&[
            with(DISPATCH, R1),
            with(RUN_1, R1),
            with(RUN_2, R1),
            with(DISPATCH, R2),
            with(RUN_1, R2),
            with(RUN_2, R2),
        ]),
    )]);
    assert_eq!(
        check(&[(
            "d.log",
            &dispatcher(&[
                with(DISPATCH, R1),
                with(RUN_1, R1),
                with(RUN_2, R1),
                with(DISPATCH, R1),
            ]),
        )]),
        vec![at("d.log", 4, "sequence-violation")]
    );
}

const RESULT_DENY: &str =
    "ACTION=result-deny PEER=10.0.0.2 DISPATCHER=ctrl-exec-secondary REQID=? REASON=not-owner";

/// Agent-Side Actions › result-deny: a dispatcher asked for "an async run it
/// does not own"; the store is "partitioned by owner", the dispatcher id.
#[test]
fn result_deny_is_for_another_dispatchers_run() {
    assert_clean(&[(
        "a.log",
        &agent("db-01", 0, &[with(AGENT_RUN, R1), with(RESULT_DENY, R1)]),
    )]);
    assert_clean(&[(
        "a.log",
        &agent("db-01", 0, &[with(RESULT_DENY, R1), with(AGENT_RUN, R1)]),
    )]);
    let own = with(RESULT_DENY, R1).replace("ctrl-exec-secondary", "ctrl-exec-primary");
    assert_eq!(
        check(&[(
            "a.log",
            &agent("db-01", 0, &[with(AGENT_RUN, R1), own.clone()])
        )]),
        vec![at("a.log", 2, "condition-violation")]
    );
    assert_eq!(
        check(&[("a.log", &agent("db-01", 0, &[own, with(AGENT_RUN, R1)]))]),
        vec![at("a.log", 2, "condition-violation")]
    );
}

/// Agent-Side Actions › accept-fatal: "A fatal accept error causes the
/// agent's main loop to exit", so that process logs nothing more; a new
/// process with the same pid logs its start first.
#[test]
fn nothing_follows_accept_fatal_in_its_process() {
    const FATAL: &str = "ACTION=accept-fatal PEER=unknown REASON=\"Bad file descriptor\"";
    assert_clean(&[(
        "a.log",
        &agent(
            "db-01",
            0,
            &[FATAL, "ACTION=start PORT=7443", &with(AGENT_PING, R1)],
        ),
    )]);
    // Another process (pid 5151) of the same host goes on.
    let other = agent("db-01", 0, &[FATAL])
        + &agent("db-01", 1, &[with(AGENT_PING, R1)]).replace("[4242]", "[5151]");
    assert_clean(&[("a.log", &other)]);
    assert_eq!(
        check(&[("a.log", &agent("db-01", 0, &[FATAL, &with(AGENT_PING, R1)]))]),
        vec![at("a.log", 2, "sequence-violation")]
    );
}
