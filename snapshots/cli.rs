//! Snapshot regression of everything `logspec` prints for people and
//! programs: check reports (every format) on a clean stream, a drifted
//! one and one full of bad bytes, lint on the built-in spec, explain on a
//! few events. A change to any of them shows up as a reviewable diff of
//! `snapshots/cli/*.snap` (see README.md, "Snapshots"). This file is a test
//! of logspec-cli (its Cargo.toml points here), kept beside the snapshots
//! so that `cargo insta review` finds changes to them.
//!
//! The real binary runs from the workspace root with relative paths, and
//! without colour, so the output holds no absolute path or terminal state.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    match Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2) {
        Some(root) => root.to_path_buf(),
        None => panic!("the crate is not two levels below the workspace root"),
    }
}

/// Runs `logspec ARGS` in the workspace root; (exit code, stdout).
fn logspec(args: &[&str]) -> (Option<i32>, String) {
    let mut command = match Command::cargo_bin("logspec") {
        Ok(command) => command,
        Err(error) => panic!("binary not built: {error}"),
    };
    let output = command
        .args(args)
        .current_dir(workspace())
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|error| panic!("cannot run logspec: {error}"));
    let stdout = match String::from_utf8(output.stdout) {
        Ok(stdout) => stdout,
        Err(error) => panic!("stdout is not UTF-8: {error}"),
    };
    (output.status.code(), stdout)
}

/// Asserts `output` against `snapshots/cli/NAME.snap`.
fn snapshot(name: &str, output: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(workspace().join("snapshots/cli"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, output));
}

const CLEAN: &str = "spec/examples/ctrl-exec.log";
const DRIFTED: &str = "spec/examples/ctrl-exec-drifted.log";
const BAD_BYTES: &str = "crates/logspec-cli/tests/fixtures/bad-bytes.log";
const EMPTY: &str = "crates/logspec-cli/tests/fixtures/empty.log";
const STREAM_VIOLATIONS: &str = "crates/logspec-cli/tests/fixtures/stream-violations.log";

fn check(report: &str, files: &[&str]) -> (Option<i32>, String) {
    let mut args = vec![
        "check",
        "--spec",
        "ctrl-exec",
        "--max-line-bytes",
        "256",
        "--report",
        report,
    ];
    args.extend_from_slice(files);
    logspec(&args)
}

#[test]
fn check_clean_stream() {
    for report in ["human", "json"] {
        let (code, stdout) = check(report, &[CLEAN]);
        assert_eq!(code, Some(0), "{stdout}");
        snapshot(&format!("check-clean-{report}"), &stdout);
    }
}

#[test]
fn check_per_line_violations() {
    for report in ["human", "json", "github", "junit", "sarif"] {
        let (code, stdout) = check(report, &[DRIFTED]);
        assert_eq!(code, Some(1), "{stdout}");
        snapshot(&format!("check-drifted-{report}"), &stdout);
    }
}

#[test]
fn check_bad_bytes() {
    for report in ["human", "json"] {
        let (code, stdout) = check(report, &[BAD_BYTES, EMPTY]);
        assert_eq!(code, Some(1), "{stdout}");
        snapshot(&format!("check-bad-bytes-{report}"), &stdout);
    }
}

#[test]
fn lint_builtin_spec() {
    for report in ["human", "json", "github"] {
        let (code, stdout) = logspec(&["lint", "ctrl-exec", "--report", report]);
        assert_eq!(code, Some(0), "{stdout}");
        snapshot(&format!("lint-ctrl-exec-{report}"), &stdout);
    }
}

#[test]
fn explain_events() {
    // One variant, several variants with emitters and forbidden fields, and
    // one whose examples contradict the document.
    for event in ["lock-acquire", "auth", "pair-timeout"] {
        let (code, stdout) = logspec(&["explain", "--spec", "ctrl-exec", event]);
        assert_eq!(code, Some(0), "{stdout}");
        snapshot(&format!("explain-{event}"), &stdout);
    }
}

#[test]
fn check_stream_rule_violations() {
    for report in ["human", "json", "github", "junit"] {
        let (code, stdout) = check(report, &[STREAM_VIOLATIONS]);
        assert_eq!(code, Some(1), "{stdout}");
        snapshot(&format!("check-stream-violations-{report}"), &stdout);
    }
}

#[test]
fn lifecycle_diagrams() {
    let (code, stdout) = logspec(&[
        "explain",
        "--spec",
        "ctrl-exec",
        "--rules",
        "--format",
        "mermaid",
    ]);
    assert_eq!(code, Some(0), "{stdout}");
    snapshot("explain-rules-ctrl-exec-mermaid", &stdout);
}

#[test]
fn hexon_reports_and_explain() {
    // Both wire formats and the stderr capture, then every Hexon finding.
    let (code, stdout) = logspec(&[
        "check",
        "--spec",
        "hexon",
        "spec/examples/hexon/entries.jsonl",
        "spec/examples/hexon/export.otlp.jsonl",
        "spec/examples/hexon/hexon.stderr",
    ]);
    assert_eq!(code, Some(0), "{stdout}");
    snapshot("check-hexon-clean-human", &stdout);
    for report in ["human", "json"] {
        let (code, stdout) = logspec(&[
            "check",
            "--spec",
            "hexon",
            "--report",
            report,
            "spec/examples/hexon/drifted.jsonl",
        ]);
        assert_eq!(code, Some(1), "{stdout}");
        snapshot(&format!("check-hexon-drifted-{report}"), &stdout);
    }
    let (code, stdout) = logspec(&["explain", "--spec", "hexon", "jit2fa.handoff.mint"]);
    assert_eq!(code, Some(0), "{stdout}");
    snapshot("explain-hexon-jit2fa-handoff-mint", &stdout);
    let (code, stdout) = logspec(&["lint", "hexon"]);
    assert_eq!(code, Some(0), "{stdout}");
    snapshot("lint-hexon-human", &stdout);
}
