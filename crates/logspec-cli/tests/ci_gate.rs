//! The ready-to-copy CI examples in `ci/gate/`: the POSIX gate script run
//! with `sh` on fixture logs (exit codes, report files), and the GitHub
//! Actions and GitLab CI files parsed as YAML with the keys each system
//! needs.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn repo_file(relative: &str) -> String {
    root().join(relative).display().to_string()
}

/// Runs `sh ci/gate/logspec-gate ARGS` in `dir` with the built binary.
fn gate(dir: &Path, args: &[&str], github: bool) -> Output {
    let mut command = Command::new("sh");
    command
        .arg(repo_file("ci/gate/logspec-gate"))
        .args(args)
        .current_dir(dir)
        .env("LOGSPEC", env!("CARGO_BIN_EXE_logspec"))
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS");
    if github {
        command.env("GITHUB_ACTIONS", "true");
    }
    command.output().unwrap_or_else(|error| panic!("{error}"))
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"))
}

fn json_file(path: &Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn gate_script_passes_a_conforming_log_and_writes_every_report() {
    let dir = tempdir();
    let log = repo_file("spec/examples/ctrl-exec.log");
    let output = gate(dir.path(), &["-s", "ctrl-exec", &log], false);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        text(&output).contains("logspec-gate: PASS"),
        "{}",
        text(&output)
    );
    let reports = dir.path().join("logspec-reports");
    assert_eq!(
        json_file(&reports.join("logspec.json"))["gate"]["passed"],
        true
    );
    assert_eq!(
        json_file(&reports.join("logspec.sarif"))["version"],
        "2.1.0"
    );
    let junit = std::fs::read_to_string(reports.join("junit.xml"))
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(junit.contains("<testsuites"), "{junit}");
    assert!(junit.contains("failures=\"0\""), "{junit}");
    // Not on GitHub Actions: no workflow commands.
    assert!(!text(&output).contains("::error"), "{}", text(&output));
}

#[test]
fn gate_script_fails_a_drifted_log_and_annotates_on_github() {
    let dir = tempdir();
    let log = repo_file("spec/examples/ctrl-exec-drifted.log");
    let output = gate(dir.path(), &["-s", "ctrl-exec", "-o", "out", &log], true);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let console = text(&output);
    assert!(console.contains("::error file="), "{console}");
    assert!(console.contains("logspec-gate: FAIL"), "{console}");
    let report = json_file(&dir.path().join("out/logspec.json"));
    assert_eq!(report["gate"]["passed"], false);
    let junit = std::fs::read_to_string(dir.path().join("out/junit.xml"))
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(junit.contains("<failure"), "{junit}");
    // Report only: the same log passes with -f never.
    let output = gate(dir.path(), &["-s", "ctrl-exec", "-f", "never", &log], false);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
}

#[test]
fn gate_script_baseline_and_requirements() {
    let dir = tempdir();
    let log = repo_file("spec/examples/ctrl-exec-drifted.log");
    let baseline = dir.path().join("baseline.json");
    let written = Command::new(env!("CARGO_BIN_EXE_logspec"))
        .args([
            "check",
            "--spec",
            "ctrl-exec",
            "--fail-on",
            "never",
            "--write-baseline",
        ])
        .arg(&baseline)
        .arg(&log)
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(written.status.code(), Some(0), "{}", text(&written));
    let baseline_arg = baseline.display().to_string();
    let output = gate(
        dir.path(),
        &["-s", "ctrl-exec", "-b", &baseline_arg, &log],
        false,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    // A missing baseline is said, and every finding counts.
    let output = gate(
        dir.path(),
        &["-s", "ctrl-exec", "-b", "none.json", &log],
        false,
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(text(&output).contains("no baseline at none.json"));
    // Requirements: ctrl-exec's example sees a few of many variants.
    let clean = repo_file("spec/examples/ctrl-exec.log");
    let output = gate(dir.path(), &["-s", "ctrl-exec", "-c", "90%", &clean], false);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let output = gate(
        dir.path(),
        &["-s", "ctrl-exec", "-e", "dispatch,run", &clean],
        false,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
}

#[test]
fn gate_script_fails_on_nothing_captured_and_on_usage() {
    let dir = tempdir();
    let empty = dir.path().join("service.log");
    std::fs::write(&empty, "").unwrap_or_else(|error| panic!("{error}"));
    let empty = empty.display().to_string();
    let output = gate(dir.path(), &["-s", "ctrl-exec", &empty], false);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let output = gate(dir.path(), &["-s", "ctrl-exec", "-a", &empty], false);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    // No log, no spec, an unreadable log: the run fails (2).
    for args in [
        &["-s", "ctrl-exec"][..],
        &["missing.log"],
        &["-s", "ctrl-exec", "missing.log"],
    ] {
        let output = gate(dir.path(), args, false);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", text(&output));
    }
}

fn yaml(relative: &str) -> Value {
    let source = std::fs::read_to_string(root().join(relative))
        .unwrap_or_else(|error| panic!("{relative}: {error}"));
    serde_saphyr::from_str(&source).unwrap_or_else(|error| panic!("{relative}: {error}"))
}

fn steps_using<'a>(steps: &'a [Value], action: &str) -> Vec<&'a Value> {
    steps
        .iter()
        .filter(|step| {
            step["uses"]
                .as_str()
                .is_some_and(|uses| uses.starts_with(action))
        })
        .collect()
}

#[test]
fn github_workflow_has_what_actions_needs() {
    let workflow = yaml("ci/gate/github-workflow.yml");
    assert!(workflow["name"].is_string());
    assert!(
        workflow["on"].is_object(),
        "`on` must stay a key: {workflow}"
    );
    assert_eq!(workflow["permissions"]["security-events"], "write");
    let jobs = workflow["jobs"]
        .as_object()
        .unwrap_or_else(|| panic!("no jobs: {workflow}"));
    assert_eq!(jobs.len(), 1);
    for job in jobs.values() {
        assert!(job["runs-on"].is_string());
        let steps = job["steps"]
            .as_array()
            .unwrap_or_else(|| panic!("no steps: {job}"));
        for step in steps {
            assert!(
                step["uses"].is_string() ^ step["run"].is_string(),
                "a step either uses an action or runs a command: {step}"
            );
        }
        assert_eq!(steps_using(steps, "actions/checkout@").len(), 1);
        let sarif = steps_using(steps, "github/codeql-action/upload-sarif@");
        assert_eq!(sarif.len(), 1);
        assert_eq!(sarif[0]["if"], "always()");
        let sarif_file = sarif[0]["with"]["sarif_file"].as_str().unwrap_or_default();
        let artifacts = steps_using(steps, "actions/upload-artifact@");
        assert_eq!(artifacts.len(), 1);
        let kept = artifacts[0]["with"]["path"].as_str().unwrap_or_default();
        let gate = steps
            .iter()
            .filter_map(|step| step["run"].as_str())
            .find(|run| run.contains("logspec check"))
            .unwrap_or_else(|| panic!("no logspec check step"));
        // The files uploaded are the files the gate writes.
        assert!(
            gate.contains(&format!("--report sarif={sarif_file}")),
            "{gate}"
        );
        for report in ["json=logspec.json", "junit=junit.xml", "--report github"] {
            assert!(gate.contains(report), "{gate}");
        }
        for file in ["logspec.json", "junit.xml", sarif_file] {
            assert!(kept.lines().any(|line| line.trim() == file), "{kept}");
        }
    }
}

#[test]
fn gitlab_job_has_what_gitlab_needs() {
    let config = yaml("ci/gate/gitlab-ci.yml");
    let job = &config["logspec"];
    assert!(job["image"].is_string());
    let script: Vec<&str> = job["script"]
        .as_array()
        .unwrap_or_else(|| panic!("no script: {job}"))
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let gate = script
        .iter()
        .find(|line| line.contains("logspec check"))
        .unwrap_or_else(|| panic!("no logspec check: {script:?}"));
    let junit = job["artifacts"]["reports"]["junit"]
        .as_str()
        .unwrap_or_else(|| panic!("no junit report: {job}"));
    assert!(gate.contains(&format!("--report junit={junit}")), "{gate}");
    assert_eq!(job["artifacts"]["when"], "always");
}
