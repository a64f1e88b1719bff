//! `logspec gen` through the real binary: reproducible bytes, conforming
//! output that `check` passes, and broken output whose findings `check`
//! reports exactly as `--expect` predicted.

use assert_cmd::Command;
use serde_json::Value;
use std::process::Output;

fn logspec() -> Command {
    match Command::cargo_bin("logspec") {
        Ok(command) => command,
        Err(error) => panic!("binary not built: {error}"),
    }
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut command = logspec();
    command.args(args);
    if let Some(stdin) = stdin {
        command.write_stdin(stdin);
    }
    command.output().unwrap_or_else(|error| panic!("{error}"))
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|error| panic!("not JSON ({error}):\n{}", String::from_utf8_lossy(bytes)))
}

/// (line, code, event, field) of every finding of a report.
fn findings(report: &Value) -> Vec<(u64, String, Value, Value)> {
    report["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings array: {report}"))
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap_or(0),
                f["code"].as_str().unwrap_or("").to_owned(),
                f["event"].clone(),
                f["field"].clone(),
            )
        })
        .collect()
}

/// Every framing ctrl-exec declares.
const FRAMINGS: &[&str] = &[
    "rfc3164",
    "rfc3164+pri",
    "rfc3164+nohost",
    "rfc3164+pri+nohost",
    "rfc3164+iso",
    "rfc3164+pri+nohost+iso",
    "rfc5424",
    "journald",
    "bare",
];

#[test]
fn the_same_seed_gives_the_same_bytes() {
    let gen = |seed: &str, invalid: bool| {
        let mut args = vec![
            "gen",
            "--spec",
            "ctrl-exec",
            "--count",
            "50",
            "--seed",
            seed,
        ];
        if invalid {
            args.push("--invalid");
        }
        let output = run(&args, None);
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        output.stdout
    };
    for invalid in [false, true] {
        let first = gen("7", invalid);
        assert_eq!(first, gen("7", invalid));
        assert_ne!(first, gen("8", invalid));
        assert_eq!(String::from_utf8_lossy(&first).lines().count(), 50);
    }
}

#[test]
fn generated_streams_pass_check() {
    for (seed, framing) in FRAMINGS.iter().enumerate() {
        let seed = seed.to_string();
        let generated = run(
            &[
                "gen",
                "--spec",
                "ctrl-exec",
                "--count",
                "40",
                "--seed",
                &seed,
                "--format",
                framing,
            ],
            None,
        );
        assert_eq!(generated.status.code(), Some(0), "{generated:?}");
        let checked = run(
            &[
                "check",
                "--spec",
                "ctrl-exec",
                "--no-stream-rules",
                "--report",
                "json",
                "-",
            ],
            Some(&generated.stdout),
        );
        let report = json(&checked.stdout);
        assert_eq!(checked.status.code(), Some(0), "{framing}: {report}");
        assert_eq!(findings(&report), vec![], "{framing}");
        assert_eq!(report["summary"]["records"], 40, "{framing}");
        let format = framing.split('+').next().unwrap_or_default();
        assert_eq!(report["inputs"][0]["format"], format);
    }
}

#[test]
fn broken_streams_raise_exactly_the_expected_findings() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    for (seed, framing) in FRAMINGS.iter().enumerate() {
        let seed = seed.to_string();
        let expect = dir.path().join(format!("{framing}.json"));
        let expect_arg = expect.display().to_string();
        let generated = run(
            &[
                "gen",
                "--spec",
                "ctrl-exec",
                "--count",
                "40",
                "--seed",
                &seed,
                "--format",
                framing,
                "--invalid",
                "--expect",
                &expect_arg,
            ],
            None,
        );
        assert_eq!(generated.status.code(), Some(0), "{generated:?}");
        let expected = json(&std::fs::read(&expect).unwrap_or_else(|error| panic!("{error}")));
        let checked = run(
            &[
                "check",
                "--spec",
                "ctrl-exec",
                "--no-stream-rules",
                "--report",
                "json",
                "--max-findings",
                "1000",
                "-",
            ],
            Some(&generated.stdout),
        );
        assert_eq!(checked.status.code(), Some(1), "{framing}");
        let report = json(&checked.stdout);
        let predicted = findings(&expected);
        assert_eq!(predicted.len(), 40, "{framing}: one finding per line");
        assert_eq!(findings(&report), predicted, "{framing}");
    }
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["gen", "--spec", "ctrl-exec", "--event", "no-such-event"][..],
        &["gen", "--spec", "ctrl-exec", "--format", "syslog"],
        &["gen", "--spec", "ctrl-exec", "--format", "rfc5424+pri"],
        &["gen", "--spec", "ctrl-exec", "--count", "0"],
        &["gen", "--spec", "ctrl-exec", "--expect", "f.json"],
        &["gen", "--spec", "no-such-spec"],
    ] {
        let output = run(args, None);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn one_event_only() {
    let output = run(
        &[
            "gen",
            "--spec",
            "ctrl-exec",
            "--event",
            "ping",
            "--count",
            "30",
            "--format",
            "bare",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.lines().all(|line| line.starts_with("ACTION=ping ")),
        "{text}"
    );
}
