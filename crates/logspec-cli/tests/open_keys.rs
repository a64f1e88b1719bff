//! `check --max-open-keys-total N`: the rules share a budget of open keys,
//! a run over it says which rules gave keys up, and the report does not
//! depend on the number of checking threads.

mod common;

use common::{logspec, run, tempdir, write};
use serde_json::Value;
use std::path::Path;

/// 300 dispatcher `run` lines, each with a fresh REQID: every record opens
/// keys in several rules.
fn runs(dir: &Path) -> String {
    let output = run(logspec().args([
        "gen",
        "--spec",
        "ctrl-exec",
        "--format",
        "rfc3164",
        "--event",
        "run",
        "--count",
        "300",
        "--seed",
        "7",
    ]));
    assert!(output.status.success(), "{output:?}");
    let path = dir.join("runs.log");
    write(&path, &output.stdout);
    path.display().to_string()
}

/// The JSON report of a check of `file` with `args`.
fn report(file: &str, args: &[&str]) -> (Value, Vec<u8>) {
    let output = run(logspec()
        .args(["check", "--spec", "ctrl-exec", "--partial", "--no-progress"])
        .args(["--fail-on", "never", "--report", "json"])
        .args(args)
        .arg(file));
    assert!(output.status.success(), "{output:?}");
    let json = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| panic!("{error}"));
    (json, output.stdout)
}

/// The messages of the report's `state-evicted` findings.
fn evicted(report: &Value) -> Vec<String> {
    (report["findings"].as_array().into_iter().flatten())
        .filter(|finding| finding["code"] == "state-evicted")
        .filter_map(|finding| finding["message"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn a_run_over_the_budget_says_which_rules_gave_keys_up() {
    let dir = tempdir();
    let file = runs(dir.path());
    let (over, bytes) = report(&file, &["--max-open-keys-total", "50", "--threads", "1"]);
    let messages = evicted(&over);
    assert!(
        !messages.is_empty()
            && messages
                .iter()
                .all(|message| message.contains("to keep all rules within 50 open keys")),
        "{messages:?}"
    );
    // Which keys are given up follows the records' order, not the threads'.
    let (_, two) = report(&file, &["--max-open-keys-total", "50", "--threads", "2"]);
    assert!(bytes == two, "the report differs on two threads");
}

#[test]
fn a_run_within_the_default_budget_gives_nothing_up() {
    let dir = tempdir();
    let file = runs(dir.path());
    let (within, _) = report(&file, &[]);
    assert!(evicted(&within).is_empty(), "{:?}", evicted(&within));
}
