//! Lines for the ctrl-exec tests: syslog lines of the dispatcher, its
//! API and rotation loop, and the agents, and the REQIDs they carry.

use super::{assert_passes, check_builtin};

pub type Located = Vec<(String, u64, &'static str)>;

/// Findings of checking `inputs` (name, text) together with every rule.
pub fn check(inputs: &[(&str, &str)]) -> Located {
    check_builtin("ctrl-exec", inputs)
}

pub fn assert_clean(inputs: &[(&str, &str)]) {
    assert_passes("ctrl-exec", inputs);
}

/// Syslog lines of `host` under `tag`, one second apart from `second`.
pub fn log<S: AsRef<str>>(second: usize, host: &str, tag: &str, payloads: &[S]) -> String {
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
pub fn dispatcher<S: AsRef<str>>(payloads: &[S]) -> String {
    log(0, "ctl", "ctrl-exec", payloads)
}

/// Lines of the API on host `ctl`.
pub fn api<S: AsRef<str>>(payloads: &[S]) -> String {
    log(0, "ctl", "ctrl-exec-api", payloads)
}

/// Lines of the dispatcher's rotation loop on host `ctl`, from second 0.
pub fn rotation<S: AsRef<str>>(payloads: &[S]) -> String {
    log(0, "ctl", "ctrl-exec-dispatcher", payloads)
}

/// Lines of the agent on `host`, from `second` on.
pub fn agent<S: AsRef<str>>(host: &str, second: usize, payloads: &[S]) -> String {
    log(second, host, "ctrl-exec-agent", payloads)
}
