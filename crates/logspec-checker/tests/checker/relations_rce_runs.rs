//! How RCE event log records relate (as in `relations_rce.rs`): accounts,
//! workflow and component runs, and the local node's session.

use crate::common;

use common::rce::*;

/// A component run a local workflow controller initiated, start to end.
const LOCAL_COMPONENT_RUN: [&str; 5] = [
    "workflow.execution.requested",
    "component.request.initiated",
    "component.execution.requested",
    "component.execution.completed",
    "component.request.completed",
];

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
        &after_starting(&[
            "accounts.initialized",
            "application.starting",
            "accounts.updated",
        ]),
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
        &after_starting(&[
            "workflow.request.initiated",
            "application.starting",
            "workflow.request.initiated",
        ]),
        &[(4, "sequence-violation")],
    );
    raises(
        &after_starting(&[
            "workflow.execution.requested",
            "workflow.execution.requested",
        ]),
        &[(3, "sequence-violation")],
    );
}

// Event Log › Workflow Execution Completed: "The end of a local workflow
// controller's execution", whose start is the Execution Requested event.
#[test]
fn workflow_execution_completes_once_after_its_request() {
    passes(&after_starting(&[
        "workflow.execution.requested",
        "workflow.execution.completed",
    ]));
    raises(
        &starting().add("workflow.execution.completed", &[]),
        &[(2, "sequence-violation")],
    );
    raises(
        &after_starting(&[
            "workflow.execution.requested",
            "workflow.execution.completed",
            "workflow.execution.completed",
        ]),
        &[(4, "sequence-violation")],
    );
}

// Event Log › Workflow Request Completed: "The final event of a workflow
// run that was initiated by the local node".
#[test]
fn workflow_request_completed_is_the_final_event_of_a_local_run() {
    passes(&after_starting(&[
        "workflow.request.initiated",
        "workflow.execution.requested",
        "workflow.execution.completed",
        "workflow.request.completed",
    ]));
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
        &after_starting(&[
            "workflow.request.initiated",
            "workflow.execution.requested",
            "workflow.request.completed",
            "workflow.execution.completed",
        ]),
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
        &after_starting(&[
            "workflow.execution.requested",
            "component.request.initiated",
            "component.request.initiated",
        ]),
        &[(4, "sequence-violation")],
    );
    raises(
        &after_starting(&[
            "component.execution.requested",
            "component.execution.requested",
        ]),
        &[(3, "sequence-violation")],
    );
}

// Event Log › Component/Tool Execution Completed: the end of the component
// run whose local controller the Execution Requested event started.
#[test]
fn component_execution_completes_once_after_its_request() {
    passes(&after_starting(&[
        "component.execution.requested",
        "component.execution.completed",
    ]));
    raises(
        &starting().add("component.execution.completed", &[]),
        &[(2, "sequence-violation")],
    );
    raises(
        &after_starting(&[
            "component.execution.requested",
            "component.execution.completed",
            "component.execution.completed",
        ]),
        &[(4, "sequence-violation")],
    );
}

// Event Log › Component/Tool Execution Request Completed: "The final event
// of a component run that was initiated by a workflow controller running
// on the local node".
#[test]
fn component_request_completed_is_the_final_event_of_a_local_component_run() {
    passes(&after_starting(&LOCAL_COMPONENT_RUN));
    raises(
        &starting().add("component.request.completed", &[]),
        &[(2, "sequence-violation")],
    );
    raises(
        &after_starting(&[
            "workflow.execution.requested",
            "component.request.initiated",
            "component.execution.requested",
            "component.request.completed",
            "component.execution.completed",
        ]),
        &[(6, "sequence-violation")],
    );
}

// Event Log › Component/Tool Execution Initiated: "initiated from the local
// node, which is always the workflow controller", so the run's controller
// was requested here and has not ended.
#[test]
fn components_are_initiated_only_by_a_local_workflow_controller() {
    passes(&after_starting(&[
        "workflow.execution.requested",
        "component.request.initiated",
        "workflow.execution.completed",
    ]));
    raises(
        &starting().add("component.request.initiated", &[]),
        &[(2, "sequence-violation")],
    );
    raises(
        &after_starting(&[
            "workflow.execution.requested",
            "workflow.execution.completed",
            "component.request.initiated",
        ]),
        &[(4, "sequence-violation")],
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
        &after_starting(&["workflow.request.initiated", "workflow.request.completed"]),
        &[(3, "condition-violation")],
    );
    passes(&after_starting(&LOCAL_COMPONENT_RUN));
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
        &after_starting(&[
            "workflow.execution.requested",
            "component.request.initiated",
            "component.request.completed",
        ]),
        &[(4, "condition-violation")],
    );
}

// Event Log › Component/Tool Execution Initiated (Request Sent): initiated
// "from the local node, which is always the workflow controller"; a
// controller whose initialisation failed initiates nothing.
#[test]
fn components_are_initiated_only_by_an_initialised_controller() {
    passes(&after_starting(&[
        "workflow.execution.requested",
        "component.request.initiated",
    ]));
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
    passes(&after_starting(&[
        "workflow.request.initiated",
        "workflow.execution.requested",
        "component.request.initiated",
        "component.execution.requested",
        "component.execution.completed",
        "component.request.completed",
        "workflow.execution.completed",
        "workflow.request.completed",
    ]));
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
