//! The CI gate through the real binary: several reports in one run, the
//! options `check`, `lint` and `shape diff` share, `--fail-on`, and inputs
//! with no records.

mod common;

use assert_cmd::Command;
use common::{read_json, repo_file, run, stdout, tempdir};
use serde_json::Value;

/// The binary, without colour whatever the terminal.
fn logspec() -> Command {
    let mut command = common::logspec();
    command.env("NO_COLOR", "1");
    command
}

const CLEAN: &str = "spec/examples/ctrl-exec.log";
const DRIFTED: &str = "spec/examples/ctrl-exec-drifted.log";

#[test]
fn several_reports_in_one_run() {
    let dir = tempdir();
    let json = dir.path().join("out.json");
    let output = run(logspec()
        .args([
            "check",
            "--spec",
            "ctrl-exec",
            "--report",
            "human",
            "--report",
        ])
        .arg(format!("json={}", json.display()))
        .arg(repo_file(DRIFTED)));
    assert_eq!(output.status.code(), Some(1));
    let console = stdout(&output);
    assert!(console.contains("FAIL ctrl-exec"), "{console}");
    assert!(!console.contains("\"findings\""), "{console}");
    let report = read_json(&json);
    assert_eq!(report["spec"], "ctrl-exec");
    assert!(report["summary"]["errors"].as_u64().is_some_and(|n| n > 0));
}

#[test]
fn human_and_github_share_standard_output() {
    let output = run(logspec()
        .args([
            "check",
            "--spec",
            "ctrl-exec",
            "--report",
            "github",
            "--report",
            "human",
        ])
        .arg(repo_file(DRIFTED)));
    assert_eq!(output.status.code(), Some(1));
    let console = stdout(&output);
    let annotations: Vec<&str> = console
        .lines()
        .filter(|line| line.starts_with("::error file="))
        .collect();
    assert!(!annotations.is_empty(), "{console}");
    assert!(
        annotations
            .iter()
            .all(|line| line.contains(",line=") && line.contains("title=logspec ")),
        "{console}"
    );
    assert!(console.contains("FAIL ctrl-exec"), "{console}");
}

#[test]
fn report_targets_are_checked_before_reading() {
    let cases: &[&[&str]] = &[
        &["--report", "json", "--report", "human"],
        &["--report", "json", "--report", "json=-"],
        &["--report", "json=a.json", "--report", "human=a.json"],
        &["--report", "xml"],
        &["--report", "json="],
    ];
    for extra in cases {
        let output = run(logspec()
            .args(["check", "--spec", "ctrl-exec"])
            .args(*extra)
            .arg(repo_file(CLEAN)));
        assert_eq!(output.status.code(), Some(2), "{extra:?}");
        assert!(output.stdout.is_empty(), "{extra:?}");
        assert!(!output.stderr.is_empty(), "{extra:?}");
    }
}

#[test]
fn unwritable_report_file_fails_the_run() {
    let output = run(logspec()
        .args(["check", "--spec", "ctrl-exec", "--report"])
        .arg("json=/nonexistent-dir/out.json")
        .arg(repo_file(CLEAN)));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("/nonexistent-dir/out.json"), "{stderr}");
}

#[test]
fn fail_on_sets_the_threshold() {
    // The drifted stream has errors and a warning; the clean one neither.
    let drifted = repo_file(DRIFTED);
    let code = |fail_on: &str, file: &str| {
        run(logspec().args(["check", "--spec", "ctrl-exec", "--fail-on", fail_on, file]))
            .status
            .code()
    };
    assert_eq!(code("error", &drifted), Some(1));
    assert_eq!(code("warning", &drifted), Some(1));
    assert_eq!(code("never", &drifted), Some(0));
    assert_eq!(code("error", &repo_file(CLEAN)), Some(0));
    assert_eq!(code("warning", &repo_file(CLEAN)), Some(0));
}

#[test]
fn fail_on_warning_fails_on_a_warning_alone() {
    let dir = tempdir();
    let log = dir.path().join("order.log");
    // Documented fields out of the documented order: field-order, a warning.
    std::fs::write(
        &log,
        "<30>Mar 13 12:00:01 ctrl-exec[1]: ACTION=dispatch HOSTS=db-01 SCRIPT=backup REQID=a1b2c3d4e5f60001\n",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let base = [
        "check",
        "--spec",
        "ctrl-exec",
        "--no-stream-rules",
        "--report",
        "json",
    ];
    let output = run(logspec().args(base).arg(&log));
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("{error}: {}", stdout(&output)));
    assert_eq!(report["summary"]["errors"], 0, "{report}");
    assert_eq!(report["summary"]["warnings"], 1, "{report}");
    assert_eq!(output.status.code(), Some(0));
    let output = run(logspec()
        .args(base)
        .args(["--fail-on", "warning"])
        .arg(&log));
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn an_input_without_records_fails_unless_allowed() {
    for input in ["/dev/null", "crates/logspec-cli/tests/fixtures/empty.log"] {
        let file = if input.starts_with('/') {
            input.to_owned()
        } else {
            repo_file(input)
        };
        let output = run(logspec().args(["check", "--spec", "ctrl-exec"]).arg(&file));
        assert_eq!(output.status.code(), Some(1), "{input}");
        let console = stdout(&output);
        assert!(console.contains("error[empty-input]"), "{console}");
        assert!(console.contains("FAIL ctrl-exec"), "{console}");

        let output = run(logspec()
            .args(["check", "--spec", "ctrl-exec", "--allow-empty"])
            .arg(&file));
        assert_eq!(output.status.code(), Some(0), "{input}");
        let console = stdout(&output);
        assert!(console.contains("info[empty-input]"), "{console}");
        assert!(console.contains("PASS ctrl-exec"), "{console}");
    }
    // Empty standard input too.
    let output = run(logspec()
        .args(["check", "--spec", "ctrl-exec", "-"])
        .write_stdin(""));
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn lint_takes_spec_as_option_or_positional() {
    let by_option = run(logspec().args(["lint", "--spec", "ctrl-exec"]));
    let by_position = run(logspec().args(["lint", "ctrl-exec"]));
    assert_eq!(by_option.status.code(), Some(0));
    assert_eq!(by_option.stdout, by_position.stdout);
    for args in [&["lint"][..], &["lint", "--spec", "ctrl-exec", "ctrl-exec"]] {
        let output = run(logspec().args(args));
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
    // The shared options: several reports, --fail-on.
    let dir = tempdir();
    let json = dir.path().join("lint.json");
    let output = run(logspec()
        .args([
            "lint",
            "--spec",
            "ctrl-exec",
            "--report",
            "github",
            "--report",
        ])
        .arg(format!("json={}", json.display())));
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stdout(&output).starts_with("::warning file="),
        "{}",
        stdout(&output)
    );
    assert_eq!(read_json(&json)["spec"], "spec/ctrl-exec.yaml");
    // ctrl-exec's document has warnings (contradictions), no errors.
    let output = run(logspec().args(["lint", "--spec", "ctrl-exec", "--fail-on", "warning"]));
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn shape_diff_takes_the_shared_report_options() {
    let dir = tempdir();
    let shapes = dir.path().join("shapes.json");
    let recorded = run(logspec()
        .args(["shape", "record", "--spec", "ctrl-exec"])
        .arg(repo_file(CLEAN)));
    assert_eq!(recorded.status.code(), Some(0));
    std::fs::write(&shapes, &recorded.stdout).unwrap_or_else(|error| panic!("{error}"));
    let json = dir.path().join("diff.json");
    let output = run(logspec()
        .args(["shape", "diff"])
        .arg(&shapes)
        .args(["--spec", "ctrl-exec", "--report", "human", "--report"])
        .arg(format!("json={}", json.display()))
        .arg(repo_file(CLEAN)));
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(json.exists());
    read_json(&json);
    // Its changes have no log location to annotate.
    let output = run(logspec()
        .args(["shape", "diff"])
        .arg(&shapes)
        .args(["--spec", "ctrl-exec", "--report", "github"])
        .arg(repo_file(CLEAN)));
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn baseline_accepts_known_findings_and_fails_on_new_ones() {
    let dir = tempdir();
    let baseline = dir.path().join("baseline.json");
    let drifted = repo_file(DRIFTED);
    // Writing a baseline does not change the verdict.
    let output = run(logspec()
        .args(["check", "--spec", "ctrl-exec", "--write-baseline"])
        .arg(&baseline)
        .arg(&drifted));
    assert_eq!(output.status.code(), Some(1));
    let written = read_json(&baseline);
    assert_eq!(written["spec"], "ctrl-exec");
    let entries = written["findings"].as_array().cloned().unwrap_or_default();
    assert!(!entries.is_empty());
    // Fingerprints carry no line numbers, values or messages.
    for entry in &entries {
        for absent in ["line", "message", "file", "column"] {
            assert!(entry.get(absent).is_none(), "{entry}");
        }
    }
    assert!(
        entries
            .iter()
            .any(|entry| entry["rule"] == "locks-are-released"
                && entry["key"] == "dispatcher, SCRIPT, host"),
        "{written}"
    );

    // The same findings again: all accepted, nothing stale.
    let output = run(logspec()
        .args([
            "check",
            "--spec",
            "ctrl-exec",
            "--report",
            "json",
            "--baseline",
        ])
        .arg(&baseline)
        .arg(&drifted));
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let report: Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["findings"].as_array().map(Vec::len), Some(0));
    // Every finding of the drifted example: 7 errors, a warning, a note.
    assert_eq!(report["gate"]["baseline"]["matched"].as_u64(), Some(9));
    assert_eq!(
        report["gate"]["baseline"]["stale"].as_array().map(Vec::len),
        Some(0)
    );

    // A new kind of finding fails; fixed ones are listed as stale.
    let log = dir.path().join("new.log");
    std::fs::write(
        &log,
        "<30>Mar 13 12:00:01 ctrl-exec[1]: ACTION=dispatch SCRIPT=backup HOSTS=db-01 REQID=a1b2c3d4e5f60001 COLOR=red\n\
         <30>Mar 13 12:00:02 ctrl-exec[1]: ACTION=job-queued SCRIPT=backup\n",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let output = run(logspec()
        .args(["check", "--spec", "ctrl-exec", "--partial", "--baseline"])
        .arg(&baseline)
        .arg(&log));
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let console = stdout(&output);
    assert!(console.contains("error[unexpected-field]"), "{console}");
    assert!(!console.contains("unknown-event]"), "{console}");
    assert!(console.contains("no longer occur"), "{console}");
    assert!(
        console.contains("invalid-value run success TARGET"),
        "{console}"
    );
}

#[test]
fn a_baseline_that_cannot_be_used_fails_the_run() {
    let dir = tempdir();
    let other = dir.path().join("hexon.json");
    let output = run(logspec()
        .args([
            "check",
            "--spec",
            "hexon",
            "--fail-on",
            "never",
            "--write-baseline",
        ])
        .arg(&other)
        .arg(repo_file("spec/examples/hexon/drifted.jsonl")));
    assert_eq!(output.status.code(), Some(0));
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"findings\": []}").unwrap_or_else(|error| panic!("{error}"));
    for baseline in [&other, &broken, &dir.path().join("missing.json")] {
        let output = run(logspec()
            .args(["check", "--spec", "ctrl-exec", "--baseline"])
            .arg(baseline)
            .arg(repo_file(CLEAN)));
        assert_eq!(output.status.code(), Some(2), "{}", baseline.display());
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn coverage_and_required_events_gate_the_run() {
    let clean = repo_file(CLEAN);
    let check = |extra: &[&str]| {
        run(logspec()
            .args(["check", "--spec", "ctrl-exec", "--report", "json"])
            .args(extra)
            .arg(&clean))
    };
    let output = check(&["--require-coverage", "1%"]);
    assert_eq!(output.status.code(), Some(0));
    let report: Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(report["gate"]["required_coverage"]["met"], true);

    let output = check(&["--require-coverage", "90%"]);
    assert_eq!(output.status.code(), Some(1));
    let report: Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(report["gate"]["required_coverage"]["met"], false);
    assert!(report["findings"]
        .as_array()
        .is_some_and(|findings| findings.iter().any(|f| f["code"] == "coverage-below")));

    let output = check(&["--require-events", "dispatch,pair-timeout,pair-request"]);
    assert_eq!(output.status.code(), Some(1));
    let report: Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|error| panic!("{error}"));
    let not_seen = &report["gate"]["required_events"]["not_seen"];
    assert!(
        not_seen.as_array().is_some_and(|events| events.len() == 2
            && events.contains(&Value::from("pair-timeout"))
            && !events.contains(&Value::from("dispatch"))),
        "{not_seen}"
    );

    // The human report says what was never seen.
    let output = run(logspec()
        .args([
            "check",
            "--spec",
            "ctrl-exec",
            "--require-events",
            "dispatch,pair-timeout",
        ])
        .arg(&clean));
    let console = stdout(&output);
    assert!(
        console.contains("required events never seen: pair-timeout"),
        "{console}"
    );
    assert!(
        console.contains("error[required-event-not-seen]"),
        "{console}"
    );

    // Usage errors: an undocumented event, a percentage out of range.
    for extra in [
        &["--require-events", "dispatch,no-such-event"][..],
        &["--require-coverage", "120%"],
        &["--require-coverage", "most"],
    ] {
        assert_eq!(check(extra).status.code(), Some(2), "{extra:?}");
    }
}

#[test]
fn undocumented_events_are_reported_once_per_event_with_a_count() {
    let dir = tempdir();
    let log = dir.path().join("drift.log");
    std::fs::write(
        &log,
        "<30>Mar 13 12:00:01 ctrl-exec[1]: ACTION=job-queued SCRIPT=a\n\
         <30>Mar 13 12:00:02 ctrl-exec[1]: ACTION=job-queued SCRIPT=b\n\
         <30>Mar 13 12:00:03 ctrl-exec[1]: ACTION=job-started SCRIPT=a\n\
         <30>Mar 13 12:00:04 ctrl-exec[1]: ACTION=job-queued SCRIPT=c\n",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let output = run(logspec()
        .args(["check", "--spec", "ctrl-exec", "--report", "json"])
        .arg(&log));
    assert_eq!(output.status.code(), Some(1));
    let report: Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|error| panic!("{error}"));
    let unknown: Vec<&Value> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|finding| finding["code"] == "unknown-event")
        .collect();
    assert_eq!(unknown.len(), 2, "{report}");
    assert_eq!(unknown[0]["event"], "job-queued");
    assert_eq!(unknown[0]["line"], 1);
    assert!(
        unknown[0]["message"]
            .as_str()
            .is_some_and(|message| message.ends_with("(3 records; first here)")),
        "{}",
        unknown[0]
    );
    assert_eq!(unknown[1]["event"], "job-started");
    assert_eq!(unknown[1]["line"], 3);
    // JUnit: one failed case per undocumented event.
    let output = run(logspec()
        .args(["check", "--spec", "ctrl-exec", "--report", "junit"])
        .arg(&log));
    let xml = stdout(&output);
    assert!(xml.contains(r#"name="job-queued (undocumented)""#), "{xml}");
    assert!(
        xml.contains(r#"name="job-started (undocumented)""#),
        "{xml}"
    );
}
