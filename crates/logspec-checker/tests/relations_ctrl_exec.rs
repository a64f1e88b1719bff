//! ctrl-exec's statements about how records relate, one test per statement:
//! a stream that keeps the statement raises no finding at all, one that
//! breaks it raises exactly the rule's finding. Each test cites the section
//! of the document the statement comes from; `spec/ctrl-exec.yaml` lists
//! the statements logs cannot show under `unchecked`.

mod common;

use common::{assert_passes, at, check_builtin};

type Located = Vec<(String, u64, &'static str)>;

/// Findings of checking `inputs` (name, text) together with every rule.
fn check(inputs: &[(&str, &str)]) -> Located {
    check_builtin("ctrl-exec", inputs)
}

fn assert_clean(inputs: &[(&str, &str)]) {
    assert_passes("ctrl-exec", inputs);
}

/// Syslog lines of `host` under `tag`, one second apart from `second`.
fn log<S: AsRef<str>>(second: usize, host: &str, tag: &str, payloads: &[S]) -> String {
    payloads
        .iter()
        .enumerate()
        .map(|(index, payload)| {
            let at = second + index;
            format!(
                "Mar 13 12:{:02}:{:02} {host} {tag}[4242]: {}\n",
                at / 60,
                at % 60,
                payload.as_ref()
            )
        })
        .collect()
}

/// Lines of the CLI dispatcher on host `ctl`.
fn dispatcher<S: AsRef<str>>(payloads: &[S]) -> String {
    log(0, "ctl", "ctrl-exec", payloads)
}

/// Lines of the API on host `ctl`.
fn api<S: AsRef<str>>(payloads: &[S]) -> String {
    log(0, "ctl", "ctrl-exec-api", payloads)
}

/// Lines of the dispatcher's rotation loop on host `ctl`.
fn rotation<S: AsRef<str>>(payloads: &[S]) -> String {
    log(0, "ctl", "ctrl-exec-dispatcher", payloads)
}

/// Lines of the agent on `host`, from `second` on.
fn agent<S: AsRef<str>>(host: &str, second: usize, payloads: &[S]) -> String {
    log(second, host, "ctrl-exec-agent", payloads)
}

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

// ----------------------------------------------------------- Rotation Actions

const CERT_CHECK: &str = "ACTION=cert-check DAYS_LEFT=85 THRESHOLD=90";
const RENEWAL_START: &str = "ACTION=cert-renewal-start DAYS_LEFT=85";
const ROTATED: &str = "ACTION=cert-rotated OLD_SERIAL=09abcdef NEW_SERIAL=0a1b2c3d OVERLAP_EXPIRES=2026-04-13T14:30:00Z AGENTS=2";
const ROTATION_FAIL: &str = "ACTION=cert-rotation-fail ERROR=\"openssl x509 failed: ...\"";
const BROADCAST: &str =
    "ACTION=serial-broadcast HOSTS=web-01,db-01 SERIAL=0a1b2c3d DISPATCHER=ctrl-exec-primary";
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

/// Checks `text` as `a.log` with the probe limit's parameters set (3
/// failures in 600 s, as the document's defaults) and the block lengths.
fn with_probe_params(text: &str) -> Located {
    use logspec_checker::rules::EngineOptions;
    use logspec_checker::CheckOptions;
    let options = CheckOptions {
        rules: EngineOptions {
            params: [
                ("probe_limit", "3"),
                ("probe_window", "600s"),
                ("volume_block", "5m"),
                ("probe_block", "1h"),
            ]
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect(),
            ..EngineOptions::default()
        },
        ..CheckOptions::default()
    };
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
