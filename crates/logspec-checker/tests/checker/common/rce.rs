//! Records for the RCE event log tests: a compact log built event by
//! event over default attributes, and the checks of it.

use super::{at, check_builtin};

pub const FILE: &str = "events-compact.log";

/// Leaves a default attribute out of an event.
pub const ABSENT: &str = "\u{0}absent";

/// Writes an attribute as JSON `null`.
pub const NULL: &str = "\u{0}null";

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
pub struct Log {
    lines: Vec<String>,
}

impl Log {
    pub fn new() -> Log {
        Log::default()
    }

    /// Appends event `id` with its default attributes, `changes` replacing
    /// (or, with [`ABSENT`], removing) some of them.
    pub fn add(mut self, id: &str, changes: &[(&str, &str)]) -> Log {
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

    pub fn text(&self) -> String {
        self.lines.iter().map(|line| format!("{line}\n")).collect()
    }
}

/// Every finding of checking `log`, as (file, line, code).
pub fn findings(log: &Log) -> Vec<(String, u64, &'static str)> {
    check_builtin("rce-eventlog", &[(FILE, &log.text())])
}

pub fn passes(log: &Log) {
    assert_eq!(findings(log), vec![], "{}", log.text());
}

/// Asserts that `log` raises exactly `expected` (line, code) findings.
pub fn raises(log: &Log, expected: &[(u64, &'static str)]) {
    let expected: Vec<_> = expected
        .iter()
        .map(|(line, code)| at(FILE, *line, code))
        .collect();
    assert_eq!(findings(log), expected, "{}", log.text());
}

pub fn starting() -> Log {
    Log::new().add("application.starting", &[])
}

/// `application.starting`, then each of `ids` with its default attributes.
pub fn after_starting(ids: &[&str]) -> Log {
    ids.iter().fold(starting(), |log, id| log.add(id, &[]))
}
