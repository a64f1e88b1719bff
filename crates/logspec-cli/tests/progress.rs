//! The progress line of long runs: on standard error only when it is a
//! terminal, gone before the report. The input here stalls for longer than
//! the line waits before it appears, so a run that drew it where it must
//! not would show it.

mod common;

use common::{logspec, run, tempdir};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// Longer than the line waits before it appears (one second).
const STALL: Duration = Duration::from_millis(1600);

/// A conforming ctrl-exec stream of `count` independent records.
fn generated(dir: &Path, count: usize) -> PathBuf {
    let output = run(logspec().args([
        "gen",
        "--spec",
        "ctrl-exec",
        "--count",
        &count.to_string(),
        "--seed",
        "1",
    ]));
    assert!(output.status.success());
    let path = dir.join("sample.log");
    common::write(&path, &output.stdout);
    path
}

fn signs_of_progress(stderr: &str) -> bool {
    stderr.contains("lines/s") || stderr.contains("\u{1b}[")
}

#[test]
fn no_progress_line_when_stderr_is_not_a_terminal() {
    let dir = tempdir();
    let text = std::fs::read(generated(dir.path(), 2000)).unwrap_or_else(|e| panic!("{e}"));
    let (first, rest) = text.split_at(text.len() / 2);
    let mut child = Command::new(env!("CARGO_BIN_EXE_logspec"))
        .args(["check", "--spec", "ctrl-exec", "--no-stream-rules", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("{error}"));
    let mut stdin = child.stdin.take().unwrap_or_else(|| panic!("no stdin"));
    stdin.write_all(first).unwrap_or_else(|e| panic!("{e}"));
    stdin.flush().unwrap_or_else(|e| panic!("{e}"));
    std::thread::sleep(STALL);
    stdin.write_all(rest).unwrap_or_else(|e| panic!("{e}"));
    drop(stdin);
    let output = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "stderr: {stderr:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("PASS ctrl-exec: 2000 lines"));
}

/// Runs `logspec ARGS` on the half-stalled input in a pseudo-terminal
/// (util-linux `script`), standard output and error both on it; what the
/// terminal received, or `None` where `script` cannot run.
fn in_a_terminal(sample: &Path, args: &str) -> Option<String> {
    let available = Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if !available {
        eprintln!("util-linux script not installed: no terminal to test in");
        return None;
    }
    let sample = sample.display();
    let command = format!(
        "(head -n 1000 '{sample}'; sleep {stall}; tail -n +1001 '{sample}') | '{binary}' check \
         --spec ctrl-exec --no-stream-rules {args} -",
        stall = STALL.as_secs_f64(),
        binary = env!("CARGO_BIN_EXE_logspec"),
    );
    let output: Output = Command::new("script")
        .args(["--quiet", "--return", "--command", &command, "/dev/null"])
        .env("SHELL", "/bin/sh")
        // indicatif draws nowhere on a terminal it takes for dumb.
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    let seen = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(output.status.code(), Some(0), "{seen}");
    Some(seen)
}

#[test]
fn on_a_terminal_the_line_shows_and_is_cleared_before_the_report() {
    let dir = tempdir();
    let sample = generated(dir.path(), 2000);
    let Some(seen) = in_a_terminal(&sample, "") else {
        return;
    };
    let shown = seen
        .rfind(" lines/s")
        .unwrap_or_else(|| panic!("no progress line: {seen:?}"));
    assert!(seen.contains("read "), "{seen:?}");
    let cleared = seen[shown..]
        .find("\u{1b}[2K")
        .map(|at| shown + at)
        .unwrap_or_else(|| panic!("the line is not cleared: {seen:?}"));
    let verdict = seen
        .find("PASS ctrl-exec: 2000 lines")
        .unwrap_or_else(|| panic!("no report: {seen:?}"));
    assert!(
        cleared < verdict,
        "the report came before the line was cleared: {seen:?}"
    );
}

#[test]
fn no_progress_turns_it_off() {
    let dir = tempdir();
    let sample = generated(dir.path(), 2000);
    let Some(seen) = in_a_terminal(&sample, "--no-progress") else {
        return;
    };
    assert!(seen.contains("PASS ctrl-exec: 2000 lines"), "{seen:?}");
    assert!(!signs_of_progress(&seen), "{seen:?}");
}
