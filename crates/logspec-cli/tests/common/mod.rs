//! Set-up shared by the CLI's integration tests: the built binary, the
//! repository's files, temporary directories and reading what a run wrote.

#![allow(dead_code)] // each test file uses the part it needs

pub mod live;

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The built `logspec` binary, ready for arguments.
pub fn logspec() -> Command {
    match Command::cargo_bin("logspec") {
        Ok(command) => command,
        Err(error) => panic!("binary not built: {error}"),
    }
}

/// Runs `command` to completion.
pub fn run(command: &mut Command) -> Output {
    command.output().unwrap_or_else(|error| panic!("{error}"))
}

/// The repository's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A file of the repository, by its path from the root.
pub fn repo_path(relative: &str) -> PathBuf {
    root().join(relative)
}

/// The same, as an argument string.
pub fn repo_file(relative: &str) -> String {
    repo_path(relative).display().to_string()
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"))
}

/// Writes `bytes` to `path`, creating its directories.
pub fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|error| panic!("{error}"));
    }
    std::fs::write(path, bytes).unwrap_or_else(|error| panic!("{error}"));
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A run's standard output as JSON; the panic shows both streams.
pub fn json_of(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "stdout is not JSON ({error}):\n{}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// (line, code) of every finding of a run's JSON report; a report without
/// a findings list fails the test rather than reading as "no findings".
pub fn line_codes(output: &Output) -> Vec<(u64, String)> {
    let report = json_of(output);
    let findings = report["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings array: {report}"));
    findings
        .iter()
        .map(|f| {
            let line = f["line"].as_u64().unwrap_or_else(|| panic!("no line: {f}"));
            let code = f["code"].as_str().unwrap_or_else(|| panic!("no code: {f}"));
            (line, code.to_owned())
        })
        .collect()
}

/// A JSON file a run wrote.
pub fn read_json(path: &Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}
