//! How RCE event log records relate, statement by statement: for each
//! relation the document states (section cited in the test), a compact
//! stream that keeps it passes without a finding and one that breaks it
//! raises exactly the rule's finding.

mod common;

use common::{at, check_builtin};

const FILE: &str = "events-compact.log";

/// Leaves a default attribute out of an event.
const ABSENT: &str = "\u{0}absent";

/// Writes an attribute as JSON `null`.
const NULL: &str = "\u{0}null";

/// The attributes an event carries unless a test says otherwise: values
/// of one SSH connection, one Uplink session, one workflow and component
/// run of this node.
fn defaults(id: &str) -> &'static [(&'static str, &'static str)] {
    const CONNECTION: &[(&str, &str)] = &[
        ("type", "ssh"),
        ("connection_id", "ssh-1"),
        ("remote_ip", "192.0.2.10"),
        ("remote_port", "50412"),
        ("server_port", "31005"),
    ];
    match id {
        "application.starting" => &[
            ("user_home", "/home/rce"),
            ("user_name", "rce"),
            ("profile_location", "/home/rce/.rce/default"),
            ("work_dir", "/home/rce"),
            ("rce_version", "10.5.0"),
            ("os_name", "Linux"),
            ("jvm_version", "17"),
        ],
        "application.shutdown.requested" => &[("method", "console command"), ("is_restart", "no")],
        "connection.incoming.accepted" => CONNECTION,
        "connection.incoming.auth.failed" => &[
            ("type", "ssh"),
            ("connection_id", "ssh-1"),
            ("remote_ip", "192.0.2.10"),
            ("remote_port", "50412"),
            ("server_port", "31005"),
            ("login_name", "alice"),
            ("auth_method", "passphrase"),
            ("auth_failure_reason", "wrong password"),
            ("auth_failure_count", "1"),
        ],
        "connection.incoming.refused" => &[
            ("type", "ssh"),
            ("connection_id", "ssh-1"),
            ("remote_ip", "192.0.2.10"),
            ("remote_port", "50412"),
            ("server_port", "31005"),
            ("close_reason", "authentication timeout"),
            ("duration", "30000"),
        ],
        "connection.incoming.closed" => &[
            ("type", "ssh"),
            ("connection_id", "ssh-1"),
            ("remote_ip", "192.0.2.10"),
            ("remote_port", "50412"),
            ("server_port", "31005"),
            ("close_reason", "closed by client"),
            ("duration", "900"),
        ],
        "uplink.incoming.accepted" => &[
            ("session_id", "u-1"),
            ("connection_id", "ssh-1"),
            ("client_version", "rce/10.5.0"),
            ("protocol_version", "0.4"),
            ("login_name", "alice"),
            ("client_id", "default"),
            ("namespace", "alice_default"),
        ],
        "uplink.incoming.refused" => &[
            ("session_id", "u-1"),
            ("connection_id", "ssh-1"),
            ("client_version", "rce/9.0.0"),
            ("protocol_version", "0.1"),
            ("login_name", "alice"),
            ("client_id", "default"),
            ("reason", "unsupported protocol version"),
        ],
        "uplink.incoming.closed" => &[
            ("session_id", "u-1"),
            ("connection_id", "ssh-1"),
            ("final_state", "CLOSED"),
        ],
        "network.node.named" => &[
            ("instance_id", "a1b2c3d4e5f60718293a4b5c6d7e8f90"),
            ("session_id", "s1ab"),
            ("name", "Lab node"),
            ("is_local_node", "yes"),
        ],
        "workflow.request.initiated" => &[
            ("workflow_run_id", "wf-1"),
            (
                "workflow_controller_node",
                "a1b2c3d4e5f60718293a4b5c6d7e8f90:s1ab",
            ),
            ("workflow_controller_is_local_node", "yes"),
            ("workflow_metadata", "{}"),
            ("success", "yes"),
        ],
        "workflow.execution.requested" => &[
            ("workflow_run_id", "wf-1"),
            ("start_ts", "2024-03-01T10:00:05.000"),
            ("initiator_node", "a1b2c3d4e5f60718293a4b5c6d7e8f90:s1ab"),
            ("initiator_is_local_node", "yes"),
            ("workflow_metadata", "{}"),
            ("success", "yes"),
        ],
        "workflow.execution.completed" => &[
            ("workflow_run_id", "wf-1"),
            ("end_ts", "2024-03-01T10:00:10.000"),
            ("duration", "5000"),
            ("final_state", "FINISHED"),
        ],
        "workflow.request.completed" => &[("workflow_run_id", "wf-1"), ("final_state", "FINISHED")],
        "component.request.initiated" => &[
            ("workflow_run_id", "wf-1"),
            ("component_run_id", "c-1"),
            (
                "execution_controller_node",
                "a1b2c3d4e5f60718293a4b5c6d7e8f90:s1ab",
            ),
            ("execution_controller_is_local_node", "yes"),
        ],
        "component.execution.requested" => &[
            ("workflow_run_id", "wf-1"),
            ("component_run_id", "c-1"),
            ("start_ts", "2024-03-01T10:00:06.000"),
            ("workflow_controller_is_local_node", "yes"),
            (
                "workflow_controller_node",
                "a1b2c3d4e5f60718293a4b5c6d7e8f90:s1ab",
            ),
        ],
        "component.execution.completed" | "component.request.completed" => &[
            ("workflow_run_id", "wf-1"),
            ("component_run_id", "c-1"),
            ("end_ts", "2024-03-01T10:00:09.000"),
            ("duration", "3000"),
            ("final_state", "FINISHED"),
        ],
        "accounts.initialized" | "accounts.updated" => &[
            ("type", "ssh"),
            ("number_of_accounts", "3"),
            ("origin", "configuration.json"),
        ],
        _ => &[],
    }
}

/// An events-compact.log stream built event by event, half a second apart.
#[derive(Default)]
struct Log {
    lines: Vec<String>,
}

impl Log {
    fn new() -> Log {
        Log::default()
    }

    /// Appends event `id` with its default attributes, `changes` replacing
    /// (or, with [`ABSENT`], removing) some of them.
    fn add(mut self, id: &str, changes: &[(&str, &str)]) -> Log {
        let at = 1_709_287_200_000_u64 + 500 * self.lines.len() as u64;
        let mut members: Vec<(String, String)> = vec![
            ("_t".to_owned(), id.to_owned()),
            ("_ts".to_owned(), at.to_string()),
        ];
        for (key, value) in defaults(id).iter().chain(changes) {
            members.retain(|(name, _)| name != key);
            if *value != ABSENT {
                members.push(((*key).to_owned(), (*value).to_owned()));
            }
        }
        members.sort();
        let body: Vec<String> = members
            .iter()
            .map(|(key, value)| match value.as_str() {
                NULL => format!("{key:?}:null"),
                _ => format!("{key:?}:{value:?}"),
            })
            .collect();
        self.lines.push(format!("{{{}}}", body.join(",")));
        self
    }

    fn text(&self) -> String {
        self.lines.iter().map(|line| format!("{line}\n")).collect()
    }
}

/// Every finding of checking `log`, as (file, line, code).
fn findings(log: &Log) -> Vec<(String, u64, &'static str)> {
    check_builtin("rce-eventlog", &[(FILE, &log.text())])
}

fn passes(log: &Log) {
    assert_eq!(findings(log), vec![], "{}", log.text());
}

/// Asserts that `log` raises exactly `expected` (line, code) findings.
fn raises(log: &Log, expected: &[(u64, &'static str)]) {
    let expected: Vec<_> = expected
        .iter()
        .map(|(line, code)| at(FILE, *line, code))
        .collect();
    assert_eq!(findings(log), expected, "{}", log.text());
}

fn starting() -> Log {
    Log::new().add("application.starting", &[])
}

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
    passes(&starting().add(ACCEPTED, &[]).add(CLOSED, &[]));
    passes(&starting().add(REFUSED, &[]));
    raises(
        &starting().add(ACCEPTED, &[]).add(REFUSED, &[]),
        &[(3, "exclusive-violation")],
    );
    raises(
        &starting().add(REFUSED, &[]).add(ACCEPTED, &[]),
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
    passes(&starting().add(FAILED, &[]).add(REFUSED, &[]));
    raises(&starting().add(FAILED, &[]), &[(2, "incomplete")]);
}

// Event Log › Incoming Connection Closed: "always preceded by a
// connection.incoming.accepted event".
#[test]
fn closed_is_always_preceded_by_accepted() {
    passes(&starting().add(ACCEPTED, &[]).add(CLOSED, &[]));
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
        &starting().add(REFUSED, &[]).add(CLOSED, &[]),
        &[(3, "sequence-violation")],
    );
}

// Event Log › Incoming Connection Accepted, Connection id: "unique within
// the application's session"; the files are "not cleared on the restart",
// so a new session may use an id again.
#[test]
fn connection_id_is_unique_within_the_application_session() {
    passes(
        &starting()
            .add(ACCEPTED, &[])
            .add(CLOSED, &[])
            .add("application.starting", &[])
            .add(ACCEPTED, &[])
            .add(CLOSED, &[]),
    );
    raises(
        &starting()
            .add(ACCEPTED, &[])
            .add(CLOSED, &[])
            .add(ACCEPTED, &[])
            .add(CLOSED, &[]),
        &[(4, "duplicate-key")],
    );
}

// Event Log › Incoming Uplink Connection Accepted / Refused: "After the
// login credentials for an incoming SSH connection were accepted, this
// subsequent event"; the refusal adds "the SSH connection was already
// 'accepted'".
#[test]
fn the_uplink_handshake_follows_the_ssh_acceptance() {
    passes(
        &starting()
            .add(ACCEPTED, &[])
            .add(UPLINK_ACCEPTED, &[])
            .add(UPLINK_CLOSED, &[])
            .add(CLOSED, &[]),
    );
    raises(
        &starting().add(UPLINK_ACCEPTED, &[]).add(ACCEPTED, &[]),
        &[(2, "sequence-violation")],
    );
    raises(
        &starting().add(UPLINK_REFUSED, &[]).add(CLOSED, &[]),
        &[(2, "sequence-violation"), (3, "sequence-violation")],
    );
}

// Event Log › Incoming Uplink Connection Accepted / Refused: "Mutually
// exclusive with uplink.incoming.accepted".
#[test]
fn uplink_accepted_and_refused_are_mutually_exclusive() {
    passes(
        &starting()
            .add(ACCEPTED, &[])
            .add(UPLINK_REFUSED, &[])
            .add(CLOSED, &[]),
    );
    raises(
        &starting()
            .add(ACCEPTED, &[])
            .add(UPLINK_ACCEPTED, &[])
            .add(UPLINK_REFUSED, &[])
            .add(CLOSED, &[]),
        &[(4, "exclusive-violation")],
    );
}

// Event Log › Incoming Uplink Connection Closed: "After a previous
// uplink.incoming.accepted event"; "Mutually exclusive with
// uplink.incoming.refused".
#[test]
fn uplink_closed_only_after_uplink_accepted() {
    passes(
        &starting()
            .add(ACCEPTED, &[])
            .add(UPLINK_ACCEPTED, &[])
            .add(UPLINK_CLOSED, &[])
            .add(CLOSED, &[]),
    );
    raises(
        &starting()
            .add(ACCEPTED, &[])
            .add(UPLINK_CLOSED, &[])
            .add(CLOSED, &[]),
        &[(3, "sequence-violation")],
    );
}

// Event Log › Incoming Uplink Connection Refused: "The next event logged
// after this should be connection.incoming.closed" (of that connection).
#[test]
fn after_an_uplink_refusal_the_connection_closes_next() {
    passes(
        &starting()
            .add(ACCEPTED, &[])
            .add(UPLINK_REFUSED, &[])
            .add(CLOSED, &[]),
    );
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
        &starting().add(ACCEPTED, &[]).add(UPLINK_REFUSED, &[]),
        &[(3, "incomplete")],
    );
}

// Event Log › Incoming Uplink Connection Closed: "should be logged for any
// kind of connection termination", so an SSH connection that closes
// leaves no accepted Uplink session open.
#[test]
fn an_uplink_session_is_closed_when_its_connection_terminates() {
    passes(
        &starting()
            .add(ACCEPTED, &[])
            .add(UPLINK_ACCEPTED, &[])
            .add(CLOSED, &[])
            .add(UPLINK_CLOSED, &[]),
    );
    // A session still open at the end of the log may be live.
    passes(&starting().add(ACCEPTED, &[]).add(UPLINK_ACCEPTED, &[]));
    raises(
        &starting()
            .add(ACCEPTED, &[])
            .add(UPLINK_ACCEPTED, &[])
            .add(CLOSED, &[]),
        &[(4, "incomplete")],
    );
}

// Event Log › Login/Account Data Updated: "updated at application runtime,
// after being already initialized".
#[test]
fn accounts_are_updated_only_after_being_initialized() {
    passes(
        &starting()
            .add("accounts.initialized", &[])
            .add("accounts.updated", &[("number_of_accounts", "4")]),
    );
    raises(
        &starting()
            .add("accounts.initialized", &[])
            .add("application.starting", &[])
            .add("accounts.updated", &[]),
        &[(4, "sequence-violation")],
    );
    raises(
        &starting()
            .add("accounts.initialized", &[])
            .add("accounts.updated", &[("type", "uplink")]),
        &[(3, "sequence-violation")],
    );
}

// Event Log › Workflow Request Initiated / Execution Requested, Workflow
// run id: "Can be considered globally unique", so each event of a run is
// logged once, across application sessions too.
#[test]
fn workflow_run_ids_are_globally_unique() {
    passes(
        &starting()
            .add("workflow.request.initiated", &[])
            .add("workflow.execution.requested", &[])
            .add("workflow.request.initiated", &[("workflow_run_id", "wf-2")])
            .add(
                "workflow.execution.requested",
                &[("workflow_run_id", "wf-2")],
            ),
    );
    raises(
        &starting()
            .add("workflow.request.initiated", &[])
            .add("application.starting", &[])
            .add("workflow.request.initiated", &[]),
        &[(4, "sequence-violation")],
    );
    raises(
        &starting()
            .add("workflow.execution.requested", &[])
            .add("workflow.execution.requested", &[]),
        &[(3, "sequence-violation")],
    );
}

// Event Log › Workflow Execution Completed: "The end of a local workflow
// controller's execution", whose start is the Execution Requested event.
#[test]
fn workflow_execution_completes_once_after_its_request() {
    passes(
        &starting()
            .add("workflow.execution.requested", &[])
            .add("workflow.execution.completed", &[]),
    );
    raises(
        &starting().add("workflow.execution.completed", &[]),
        &[(2, "sequence-violation")],
    );
    raises(
        &starting()
            .add("workflow.execution.requested", &[])
            .add("workflow.execution.completed", &[])
            .add("workflow.execution.completed", &[]),
        &[(4, "sequence-violation")],
    );
}

// Event Log › Workflow Request Completed: "The final event of a workflow
// run that was initiated by the local node".
#[test]
fn workflow_request_completed_is_the_final_event_of_a_local_run() {
    passes(
        &starting()
            .add("workflow.request.initiated", &[])
            .add("workflow.execution.requested", &[])
            .add("workflow.execution.completed", &[])
            .add("workflow.request.completed", &[]),
    );
    // A run initiated elsewhere logs its controller's events only.
    passes(
        &starting()
            .add(
                "workflow.execution.requested",
                &[("initiator_is_local_node", "no")],
            )
            .add("workflow.execution.completed", &[]),
    );
    raises(
        &starting().add("workflow.request.completed", &[]),
        &[(2, "sequence-violation")],
    );
    raises(
        &starting()
            .add("workflow.request.initiated", &[])
            .add("workflow.execution.requested", &[])
            .add("workflow.request.completed", &[])
            .add("workflow.execution.completed", &[]),
        &[(5, "sequence-violation")],
    );
}

// Event Log › Component/Tool Execution Initiated / Requested, Component
// run id: "Unique within the scope of the associated workflow".
#[test]
fn component_run_ids_are_unique_within_their_workflow() {
    passes(
        &starting()
            .add("workflow.execution.requested", &[])
            .add("component.request.initiated", &[])
            .add("component.execution.requested", &[])
            .add(
                "component.request.initiated",
                &[("component_run_id", "c-2")],
            )
            .add(
                "component.execution.requested",
                &[("component_run_id", "c-2")],
            )
            .add(
                "workflow.execution.requested",
                &[("workflow_run_id", "wf-2")],
            )
            .add(
                "component.request.initiated",
                &[("workflow_run_id", "wf-2")],
            ),
    );
    raises(
        &starting()
            .add("workflow.execution.requested", &[])
            .add("component.request.initiated", &[])
            .add("component.request.initiated", &[]),
        &[(4, "sequence-violation")],
    );
    raises(
        &starting()
            .add("component.execution.requested", &[])
            .add("component.execution.requested", &[]),
        &[(3, "sequence-violation")],
    );
}

// Event Log › Component/Tool Execution Completed: the end of the component
// run whose local controller the Execution Requested event started.
#[test]
fn component_execution_completes_once_after_its_request() {
    passes(
        &starting()
            .add("component.execution.requested", &[])
            .add("component.execution.completed", &[]),
    );
    raises(
        &starting().add("component.execution.completed", &[]),
        &[(2, "sequence-violation")],
    );
    raises(
        &starting()
            .add("component.execution.requested", &[])
            .add("component.execution.completed", &[])
            .add("component.execution.completed", &[]),
        &[(4, "sequence-violation")],
    );
}

// Event Log › Component/Tool Execution Request Completed: "The final event
// of a component run that was initiated by a workflow controller running
// on the local node".
#[test]
fn component_request_completed_is_the_final_event_of_a_local_component_run() {
    passes(
        &starting()
            .add("workflow.execution.requested", &[])
            .add("component.request.initiated", &[])
            .add("component.execution.requested", &[])
            .add("component.execution.completed", &[])
            .add("component.request.completed", &[]),
    );
    raises(
        &starting().add("component.request.completed", &[]),
        &[(2, "sequence-violation")],
    );
    raises(
        &starting()
            .add("workflow.execution.requested", &[])
            .add("component.request.initiated", &[])
            .add("component.execution.requested", &[])
            .add("component.request.completed", &[])
            .add("component.execution.completed", &[]),
        &[(6, "sequence-violation")],
    );
}

// Event Log › Component/Tool Execution Initiated: "initiated from the local
// node, which is always the workflow controller", so the run's controller
// was requested here and has not ended.
#[test]
fn components_are_initiated_only_by_a_local_workflow_controller() {
    passes(
        &starting()
            .add("workflow.execution.requested", &[])
            .add("component.request.initiated", &[])
            .add("workflow.execution.completed", &[]),
    );
    raises(
        &starting().add("component.request.initiated", &[]),
        &[(2, "sequence-violation")],
    );
    raises(
        &starting()
            .add("workflow.execution.requested", &[])
            .add("workflow.execution.completed", &[])
            .add("component.request.initiated", &[]),
        &[(4, "sequence-violation")],
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
    passes(&starting().add(FAILED, &[]).add(REFUSED, &[]));
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
    passes(&starting().add(ACCEPTED, &[]).add(UPLINK_ACCEPTED, &[]));
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

// Event Log › Workflow Execution Requested (Request Received), Start
// timestamp: "On success, the canonical start time ...; OTHERWISE absent".
#[test]
fn a_workflow_start_timestamp_is_present_exactly_on_success() {
    passes(&starting().add("workflow.execution.requested", &[]));
    passes(&starting().add(
        "workflow.execution.requested",
        &[("success", "no"), ("start_ts", ABSENT)],
    ));
    passes(&starting().add(
        "workflow.execution.requested",
        &[("success", "no"), ("start_ts", NULL)],
    ));
    raises(
        &starting().add("workflow.execution.requested", &[("success", "no")]),
        &[(2, "condition-violation")],
    );
    raises(
        &starting().add("workflow.execution.requested", &[("start_ts", ABSENT)]),
        &[(2, "condition-violation")],
    );
}

// Event Log › Workflow Execution Requested / Component/Tool Execution
// Requested: "If controller initialization fails, this event MUST still be
// logged", so a run initiated here for a controller on this node is
// requested here before its request completes.
#[test]
fn a_local_controller_logs_its_request() {
    passes(
        &starting()
            .add("workflow.request.initiated", &[])
            .add(
                "workflow.execution.requested",
                &[("success", "no"), ("start_ts", ABSENT)],
            )
            .add("workflow.request.completed", &[]),
    );
    // A remote controller logs its request on its own node.
    passes(
        &starting()
            .add(
                "workflow.request.initiated",
                &[("workflow_controller_is_local_node", "no")],
            )
            .add("workflow.request.completed", &[]),
    );
    raises(
        &starting()
            .add("workflow.request.initiated", &[])
            .add("workflow.request.completed", &[]),
        &[(3, "condition-violation")],
    );
    passes(
        &starting()
            .add("workflow.execution.requested", &[])
            .add("component.request.initiated", &[])
            .add("component.execution.requested", &[])
            .add("component.execution.completed", &[])
            .add("component.request.completed", &[]),
    );
    passes(
        &starting()
            .add("workflow.execution.requested", &[])
            .add(
                "component.request.initiated",
                &[("execution_controller_is_local_node", "no")],
            )
            .add("component.request.completed", &[]),
    );
    raises(
        &starting()
            .add("workflow.execution.requested", &[])
            .add("component.request.initiated", &[])
            .add("component.request.completed", &[]),
        &[(4, "condition-violation")],
    );
}

// Event Log › Component/Tool Execution Initiated (Request Sent): initiated
// "from the local node, which is always the workflow controller"; a
// controller whose initialisation failed initiates nothing.
#[test]
fn components_are_initiated_only_by_an_initialised_controller() {
    passes(
        &starting()
            .add("workflow.execution.requested", &[])
            .add("component.request.initiated", &[]),
    );
    raises(
        &starting()
            .add(
                "workflow.execution.requested",
                &[("success", "no"), ("start_ts", ABSENT)],
            )
            .add("component.request.initiated", &[]),
        &[(3, "condition-violation")],
    );
}

// Event Log › Network Node Discovered/Named: instance_id is "the persistent
// part" of the address and session_id "the per-session suffix", "used to
// distinguish runs of the same instance".
#[test]
fn the_local_node_keeps_its_ids_within_a_session() {
    let node = "network.node.named";
    passes(
        &starting()
            .add(node, &[])
            .add(
                node,
                &[("logical_sub_node_id", "sub"), ("name", "Lab node A")],
            )
            .add(
                node,
                &[
                    ("instance_id", "ffff"),
                    ("session_id", "s9"),
                    ("is_local_node", "no"),
                ],
            )
            .add("application.starting", &[])
            .add(node, &[("session_id", "s2cd")]),
    );
    raises(
        &starting()
            .add(node, &[])
            .add(node, &[("session_id", "s2cd"), ("name", "Renamed")]),
        &[(3, "condition-violation")],
    );
    // Other nodes change their ids as they please.
    passes(
        &starting()
            .add(node, &[("is_local_node", "no")])
            .add(node, &[("is_local_node", "no"), ("session_id", "s2cd")]),
    );
}

// Event Log › Network Node Discovered/Named: the session id "always changes
// on an instance's restart"; the local node is the one that restarts here.
#[test]
fn the_local_session_id_changes_on_restart() {
    let node = "network.node.named";
    let remote = [("is_local_node", "no"), ("session_id", "s9")];
    passes(
        &starting()
            .add(node, &[])
            .add(node, &remote)
            .add("application.starting", &[])
            .add(node, &remote)
            .add(node, &[("session_id", "s2cd")]),
    );
    // The first start of the log has no session before it.
    passes(&starting().add("application.starting", &[]).add(node, &[]));
    raises(
        &starting()
            .add(node, &[])
            .add("application.starting", &[])
            .add(node, &[]),
        &[(4, "condition-violation")],
    );
    // Started twice without naming itself in between: still the old id.
    raises(
        &starting()
            .add(node, &[])
            .add("application.starting", &[])
            .add("application.starting", &[])
            .add(node, &remote)
            .add(node, &[]),
        &[(6, "condition-violation")],
    );
}

// Event Log › Workflow Execution Completed / Workflow Request Completed /
// Component/Tool Execution Completed / Request Completed: both ends of one
// run give its final state, and a component run's "canonical end time" and
// duration.
#[test]
fn both_ends_of_a_run_agree() {
    passes(
        &starting()
            .add("workflow.request.initiated", &[])
            .add("workflow.execution.requested", &[])
            .add("component.request.initiated", &[])
            .add("component.execution.requested", &[])
            .add("component.execution.completed", &[])
            .add("component.request.completed", &[])
            .add("workflow.execution.completed", &[])
            .add("workflow.request.completed", &[]),
    );
    raises(
        &starting()
            .add("workflow.request.initiated", &[])
            .add("workflow.execution.requested", &[])
            .add("workflow.execution.completed", &[])
            .add("workflow.request.completed", &[("final_state", "FAILED")]),
        &[(5, "condition-violation")],
    );
    raises(
        &starting()
            .add("workflow.execution.requested", &[])
            .add("component.request.initiated", &[])
            .add("component.execution.requested", &[])
            .add("component.execution.completed", &[])
            .add("component.request.completed", &[("duration", "3001")]),
        &[(6, "condition-violation")],
    );
}
