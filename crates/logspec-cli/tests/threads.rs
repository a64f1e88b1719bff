//! `check --threads N`: the report is the same byte for byte whatever N
//! is (one input and several merged by time, stream rules on and off),
//! and the option says what it cannot do.

mod common;

use common::{logspec, run, tempdir, write};
use std::path::Path;
use std::process::Output;

/// `logspec gen ARGS` into `path`.
fn generate(path: &Path, args: &[&str]) {
    let output = run(logspec().arg("gen").args(args));
    assert!(
        output.status.success(),
        "gen {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    write(path, &output.stdout);
}

fn check(threads: &str, args: &[&str]) -> Output {
    run(logspec()
        .args(["check", "--threads", threads, "--no-progress"])
        .args(args))
}

/// Each report format of a check on one thread, then on two and three.
fn same_reports(args: &[&str]) {
    for report in ["json", "human", "sarif"] {
        let args = [&["--report", report][..], args].concat();
        let one = check("1", &args);
        assert!(one.status.code().is_some_and(|code| code <= 1), "{one:?}");
        for threads in ["2", "3"] {
            let many = check(threads, &args);
            assert_eq!(one.status.code(), many.status.code(), "{args:?}");
            assert!(
                one.stdout == many.stdout,
                "--threads {threads} {args:?}: the {report} report differs"
            );
        }
    }
}

#[test]
fn one_input_gives_the_same_report_on_any_number_of_threads() {
    let dir = tempdir();
    let log = dir.path().join("ctrl-exec.log");
    // More records than a chunk holds (1024), broken and not.
    let valid = run(logspec().args([
        "gen",
        "--spec",
        "ctrl-exec",
        "--format",
        "rfc3164",
        "--count",
        "1500",
        "--seed",
        "3",
    ]));
    let broken = run(logspec().args([
        "gen",
        "--spec",
        "ctrl-exec",
        "--format",
        "rfc3164",
        "--count",
        "900",
        "--seed",
        "4",
        "--invalid",
    ]));
    let mut bytes = valid.stdout;
    bytes.extend_from_slice(b"\xff not UTF-8\n");
    bytes.extend_from_slice(&broken.stdout);
    write(&log, &bytes);
    let log = log.display().to_string();
    same_reports(&["--spec", "ctrl-exec", "--no-stream-rules", &log]);
    same_reports(&["--spec", "ctrl-exec", "--partial", &log]);
}

#[test]
fn inputs_merged_by_time_give_the_same_report_on_any_number_of_threads() {
    let dir = tempdir();
    let out = dir.path().join("scenario");
    let output = run(logspec()
        .args([
            "gen",
            "--spec",
            "ctrl-exec",
            "--scenario",
            "--count",
            "400",
            "--seed",
            "5",
            "--out",
        ])
        .arg(&out));
    assert!(output.status.success(), "{output:?}");
    // ctrl-exec's kinds name no paths: every file is given.
    let mut files = Vec::new();
    let mut dirs = vec![out];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|error| panic!("{error}")) {
            let path = entry.unwrap_or_else(|error| panic!("{error}")).path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path.display().to_string());
            }
        }
    }
    files.sort();
    assert!(files.len() > 1, "{files:?}");
    let args: Vec<&str> = ["--spec", "ctrl-exec"]
        .into_iter()
        .chain(files.iter().map(String::as_str))
        .collect();
    same_reports(&args);
    let report = check("2", &[&["--report", "json"][..], &args].concat());
    let report: serde_json::Value =
        serde_json::from_slice(&report.stdout).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        report["alignment"]["order"], "merged-by-timestamp",
        "{}",
        report["alignment"]
    );
}

#[test]
fn multi_line_records_give_the_same_report_on_any_number_of_threads() {
    let dir = tempdir();
    for (spec, format) in [
        ("prexorcloud", "logback"),
        ("rce-eventlog", "rce-readable"),
        ("agent-hub", "pipe-separated"),
    ] {
        let log = dir.path().join(format!("{format}.log"));
        let common = ["--spec", spec, "--format", format, "--count", "700"];
        generate(&log, &[&common[..], &["--seed", "6"]].concat());
        let broken = dir.path().join(format!("{format}-broken.log"));
        generate(
            &broken,
            &[&common[..], &["--seed", "7", "--invalid"]].concat(),
        );
        let (log, broken) = (log.display().to_string(), broken.display().to_string());
        same_reports(&["--spec", spec, "--no-stream-rules", &log, &broken]);
    }
}

#[test]
fn threads_are_at_least_one_and_follow_checks_on_one() {
    let dir = tempdir();
    let log = dir.path().join("a.log");
    write(&log, b"");
    let log = log.display().to_string();
    let zero = check("0", &["--spec", "ctrl-exec", &log]);
    assert_eq!(zero.status.code(), Some(2), "{zero:?}");
    let follow = check("2", &["--spec", "ctrl-exec", "--follow", &log]);
    assert_eq!(follow.status.code(), Some(2), "{follow:?}");
    assert!(
        String::from_utf8_lossy(&follow.stderr).contains("--threads does not apply"),
        "{follow:?}"
    );
}
