//! How RCE event log records relate, statement by statement: for each
//! relation the document states (section cited in the test), a compact
//! stream that keeps it passes without a finding and one that breaks it
//! raises exactly the rule's finding. This file: SSH connections and
//! Uplink sessions; workflow and component runs, accounts and the node's
//! session are in `relations_rce_runs.rs`.

use crate::common;

use common::rce::*;

const ACCEPTED: &str = "connection.incoming.accepted";
const FAILED: &str = "connection.incoming.auth.failed";
const REFUSED: &str = "connection.incoming.refused";
const CLOSED: &str = "connection.incoming.closed";
const UPLINK_ACCEPTED: &str = "uplink.incoming.accepted";
const UPLINK_REFUSED: &str = "uplink.incoming.refused";
const UPLINK_CLOSED: &str = "uplink.incoming.closed";

// Event Log › Incoming Connection Accepted / Refused: "Mutually exclusive".
#[test]
fn connection_accepted_and_refused_are_mutually_exclusive() {
    passes(&after_starting(&[ACCEPTED, CLOSED]));
    passes(&starting().add(REFUSED, &[]));
    raises(
        &after_starting(&[ACCEPTED, REFUSED]),
        &[(3, "exclusive-violation")],
    );
    raises(
        &after_starting(&[REFUSED, ACCEPTED]),
        &[(3, "exclusive-violation")],
    );
}

// Event Log › Incoming Connection Failed To Authenticate: "succeeded by" an
// acceptance after a later success, otherwise "always" by a refusal; the
// acceptance "may be reached after one or more" failures.
#[test]
fn a_failed_authentication_is_succeeded_by_acceptance_or_refusal() {
    passes(
        &starting()
            .add(FAILED, &[])
            .add(FAILED, &[("auth_failure_count", "2")])
            .add(ACCEPTED, &[("auth_failure_count", "2")]),
    );
    passes(&after_starting(&[FAILED, REFUSED]));
    raises(&starting().add(FAILED, &[]), &[(2, "incomplete")]);
}

// Event Log › Incoming Connection Closed: "always preceded by a
// connection.incoming.accepted event".
#[test]
fn closed_is_always_preceded_by_accepted() {
    passes(&after_starting(&[ACCEPTED, CLOSED]));
    raises(&starting().add(CLOSED, &[]), &[(2, "sequence-violation")]);
}

// Event Log › Incoming Connection Closed / Refused: "Mutually exclusive".
#[test]
fn closed_and_refused_are_mutually_exclusive() {
    passes(
        &starting()
            .add(REFUSED, &[])
            .add(ACCEPTED, &[("connection_id", "ssh-2")]),
    );
    raises(
        &after_starting(&[REFUSED, CLOSED]),
        &[(3, "sequence-violation")],
    );
}

// Event Log › Incoming Connection Accepted, Connection id: "unique within
// the application's session"; the files are "not cleared on the restart",
// so a new session may use an id again.
#[test]
fn connection_id_is_unique_within_the_application_session() {
    passes(&after_starting(&[
        ACCEPTED,
        CLOSED,
        "application.starting",
        ACCEPTED,
        CLOSED,
    ]));
    raises(
        &after_starting(&[ACCEPTED, CLOSED, ACCEPTED, CLOSED]),
        &[(4, "duplicate-key")],
    );
}

// Event Log › Incoming Uplink Connection Accepted / Refused: "After the
// login credentials for an incoming SSH connection were accepted, this
// subsequent event"; the refusal adds "the SSH connection was already
// 'accepted'".
#[test]
fn the_uplink_handshake_follows_the_ssh_acceptance() {
    passes(&after_starting(&[
        ACCEPTED,
        UPLINK_ACCEPTED,
        UPLINK_CLOSED,
        CLOSED,
    ]));
    raises(
        &after_starting(&[UPLINK_ACCEPTED, ACCEPTED]),
        &[(2, "sequence-violation")],
    );
    raises(
        &after_starting(&[UPLINK_REFUSED, CLOSED]),
        &[(2, "sequence-violation"), (3, "sequence-violation")],
    );
}

// Event Log › Incoming Uplink Connection Accepted / Refused: "Mutually
// exclusive with uplink.incoming.accepted".
#[test]
fn uplink_accepted_and_refused_are_mutually_exclusive() {
    passes(&after_starting(&[ACCEPTED, UPLINK_REFUSED, CLOSED]));
    raises(
        &after_starting(&[ACCEPTED, UPLINK_ACCEPTED, UPLINK_REFUSED, CLOSED]),
        &[(4, "exclusive-violation")],
    );
}

// Event Log › Incoming Uplink Connection Closed: "After a previous
// uplink.incoming.accepted event"; "Mutually exclusive with
// uplink.incoming.refused".
#[test]
fn uplink_closed_only_after_uplink_accepted() {
    passes(&after_starting(&[
        ACCEPTED,
        UPLINK_ACCEPTED,
        UPLINK_CLOSED,
        CLOSED,
    ]));
    raises(
        &after_starting(&[ACCEPTED, UPLINK_CLOSED, CLOSED]),
        &[(3, "sequence-violation")],
    );
}

// Event Log › Incoming Uplink Connection Refused: "The next event logged
// after this should be connection.incoming.closed" (of that connection).
#[test]
fn after_an_uplink_refusal_the_connection_closes_next() {
    passes(&after_starting(&[ACCEPTED, UPLINK_REFUSED, CLOSED]));
    raises(
        &starting()
            .add(ACCEPTED, &[])
            .add(UPLINK_REFUSED, &[])
            .add(UPLINK_ACCEPTED, &[("session_id", "u-2")])
            .add(UPLINK_CLOSED, &[("session_id", "u-2")])
            .add(CLOSED, &[]),
        // Each event of the connection before its close is out of place.
        &[(4, "sequence-violation"), (5, "sequence-violation")],
    );
    raises(
        &after_starting(&[ACCEPTED, UPLINK_REFUSED]),
        &[(3, "incomplete")],
    );
}

// Event Log › Incoming Uplink Connection Closed: "should be logged for any
// kind of connection termination", so an SSH connection that closes
// leaves no accepted Uplink session open.
#[test]
fn an_uplink_session_is_closed_when_its_connection_terminates() {
    passes(&after_starting(&[
        ACCEPTED,
        UPLINK_ACCEPTED,
        CLOSED,
        UPLINK_CLOSED,
    ]));
    // A session still open at the end of the log may be live.
    passes(&after_starting(&[ACCEPTED, UPLINK_ACCEPTED]));
    raises(
        &after_starting(&[ACCEPTED, UPLINK_ACCEPTED, CLOSED]),
        &[(4, "incomplete")],
    );
}

// Event Log › Incoming Connection Accepted, Failed To Authenticate,
// Refused, Closed: every event of one connection (connection_id, "an
// association id for this connection") gives "the remote IP address of the
// incoming connection", its port, the server port and the connection type.
#[test]
fn every_event_of_a_connection_describes_that_connection() {
    passes(
        &starting()
            .add(FAILED, &[])
            .add(
                ACCEPTED,
                &[("auth_failure_count", "1"), ("remote_node_id", "n-1")],
            )
            .add(CLOSED, &[("remote_node_id", "n-1")]),
    );
    // A remote node id learnt only by the close is no disagreement.
    passes(
        &starting()
            .add(ACCEPTED, &[])
            .add(CLOSED, &[("remote_node_id", "n-1")]),
    );
    raises(
        &starting()
            .add(FAILED, &[])
            .add(REFUSED, &[("remote_ip", "192.0.2.99")]),
        &[(3, "condition-violation")],
    );
    raises(
        &starting()
            .add(ACCEPTED, &[])
            .add(CLOSED, &[("server_port", "31006")]),
        &[(3, "condition-violation")],
    );
    raises(
        &starting()
            .add(ACCEPTED, &[("remote_node_id", "n-1")])
            .add(CLOSED, &[("remote_node_id", "n-2")]),
        &[(3, "condition-violation")],
    );
}

// Event Log › Incoming Connection Failed To Authenticate / Accepted /
// Refused, Failure count: "The number of failed authentication/
// authorization attempts for this connection".
#[test]
fn the_failure_count_counts_the_connections_failures() {
    // Counting the failure itself (1, 2) or not (0, 1): both are counts.
    passes(
        &starting()
            .add(FAILED, &[])
            .add(FAILED, &[("auth_failure_count", "2")])
            .add(ACCEPTED, &[("auth_failure_count", "2")]),
    );
    passes(
        &starting()
            .add(FAILED, &[("auth_failure_count", "0")])
            .add(FAILED, &[("auth_failure_count", "1")])
            .add(REFUSED, &[("auth_failure_count", "2")]),
    );
    passes(&starting().add(ACCEPTED, &[("auth_failure_count", "0")]));
    passes(&starting().add(REFUSED, &[("auth_failure_count", NULL)]));
    raises(
        &starting()
            .add(FAILED, &[])
            .add(FAILED, &[("auth_failure_count", "1")])
            .add(REFUSED, &[]),
        &[(3, "condition-violation")],
    );
    raises(
        &starting()
            .add(FAILED, &[("auth_failure_count", "3")])
            .add(REFUSED, &[]),
        &[(2, "condition-violation")],
    );
    raises(
        &starting()
            .add(FAILED, &[])
            .add(ACCEPTED, &[("auth_failure_count", "0")]),
        &[(3, "condition-violation")],
    );
    raises(
        &starting().add(REFUSED, &[("auth_failure_count", "1")]),
        &[(2, "condition-violation")],
    );
}

// Event Log › Incoming Connection Refused: the last login name, failure
// reason and method are those "used for the last failed authentication/
// authorization attempt, if applicable".
#[test]
fn a_refusal_names_the_last_failed_attempt() {
    let last = [
        ("last_login_name", "bob"),
        ("last_auth_failure_reason", "unknown user"),
        ("last_auth_method", "private key"),
    ];
    let second = [
        ("login_name", "bob"),
        ("auth_failure_reason", "unknown user"),
        ("auth_method", "private key"),
        ("auth_failure_count", "2"),
    ];
    passes(
        &starting()
            .add(FAILED, &[])
            .add(FAILED, &second)
            .add(REFUSED, &last),
    );
    // "If applicable": a refusal may leave them out, or write them null.
    passes(&after_starting(&[FAILED, REFUSED]));
    passes(&starting().add(REFUSED, &[("last_login_name", NULL)]));
    raises(
        &starting()
            .add(FAILED, &[])
            .add(REFUSED, &[("last_login_name", "bob")]),
        &[(3, "condition-violation")],
    );
    raises(
        &starting()
            .add(FAILED, &[])
            .add(FAILED, &second)
            .add(REFUSED, &[("last_auth_method", "passphrase")]),
        &[(4, "condition-violation")],
    );
    // An authentication timeout: no attempt, so no last attempt to name.
    raises(
        &starting().add(REFUSED, &[("last_auth_failure_reason", "wrong password")]),
        &[(2, "condition-violation")],
    );
}

// Event Log › Incoming Uplink Connection Accepted: the original login name
// and client id are each "Omitted if equal to the effective" one.
#[test]
fn original_names_are_omitted_when_equal_to_the_effective_ones() {
    passes(&after_starting(&[ACCEPTED, UPLINK_ACCEPTED]));
    passes(&starting().add(ACCEPTED, &[]).add(
        UPLINK_ACCEPTED,
        &[
            ("original_login_name", "Alice"),
            ("original_client_id", "default 2"),
        ],
    ));
    raises(
        &starting()
            .add(ACCEPTED, &[])
            .add(UPLINK_ACCEPTED, &[("original_login_name", "alice")]),
        &[(3, "condition-violation")],
    );
    raises(
        &starting()
            .add(ACCEPTED, &[])
            .add(UPLINK_ACCEPTED, &[("original_client_id", "default")]),
        &[(3, "condition-violation")],
    );
}
