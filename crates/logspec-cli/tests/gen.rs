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

/// Every built-in spec with every framing it declares records of events in, and the number of
/// records to generate in it (one for a format whose input is one record).
fn spec_framings() -> Vec<(&'static str, String, usize)> {
    logspec_spec::BUILTINS
        .iter()
        .flat_map(|builtin| {
            let spec = builtin
                .load()
                .unwrap_or_else(|error| panic!("{error}"))
                .spec;
            let generator =
                logspec_gen::Generator::new(&spec).unwrap_or_else(|error| panic!("{error}"));
            logspec_gen::Framing::all_for(&spec)
                .into_iter()
                // Console kinds (Hexon's stderr lines) hold no events.
                .filter(move |framing| generator.any_record(None, framing.format()).is_ok())
                .map(move |framing| {
                    let count = if logspec_gen::stream::one_record(framing) {
                        1
                    } else {
                        30
                    };
                    (builtin.name, framing.to_string(), count)
                })
        })
        .collect()
}

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
    // And in every format of every built-in spec.
    for (spec, framing, count) in spec_framings() {
        let count = count.to_string();
        let args = [
            "gen", "--spec", spec, "--format", &framing, "--count", &count, "--seed", "3",
        ];
        let first = run(&args, None);
        assert_eq!(first.status.code(), Some(0), "{spec} {framing}: {first:?}");
        assert_eq!(first.stdout, run(&args, None).stdout, "{spec} {framing}");
    }
}

#[test]
fn generated_streams_pass_check() {
    for (seed, (spec, framing, count)) in spec_framings().into_iter().enumerate() {
        let (seed, count_arg) = (seed.to_string(), count.to_string());
        let generated = run(
            &[
                "gen", "--spec", spec, "--count", &count_arg, "--seed", &seed, "--format", &framing,
            ],
            None,
        );
        assert_eq!(generated.status.code(), Some(0), "{generated:?}");
        let checked = run(
            &[
                "check",
                "--spec",
                spec,
                "--no-stream-rules",
                "--report",
                "json",
                "-",
            ],
            Some(&generated.stdout),
        );
        let report = json(&checked.stdout);
        assert_eq!(checked.status.code(), Some(0), "{spec} {framing}: {report}");
        assert_eq!(findings(&report), vec![], "{spec} {framing}");
        assert_eq!(report["summary"]["records"], count, "{spec} {framing}");
        let format = framing.split('+').next().unwrap_or_default();
        assert_eq!(report["inputs"][0]["format"], format, "{spec} {framing}");
    }
}

#[test]
fn broken_streams_raise_exactly_the_expected_findings() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    for (seed, (spec, framing, count)) in spec_framings().into_iter().enumerate() {
        let (seed, count_arg) = (seed.to_string(), count.to_string());
        let expect = dir.path().join(format!("{spec}-{framing}.json"));
        let expect_arg = expect.display().to_string();
        let generated = run(
            &[
                "gen",
                "--spec",
                spec,
                "--count",
                &count_arg,
                "--seed",
                &seed,
                "--format",
                &framing,
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
                spec,
                "--no-stream-rules",
                "--report",
                "json",
                "--max-findings",
                "1000",
                "-",
            ],
            Some(&generated.stdout),
        );
        let report = json(&checked.stdout);
        let predicted = findings(&expected);
        // Every record is broken; a tolerated unknown event is reported
        // once per id, and a warning alone passes.
        assert!(!predicted.is_empty(), "{spec} {framing}");
        assert_eq!(findings(&report), predicted, "{spec} {framing}");
        let errors = report["findings"]
            .as_array()
            .is_some_and(|all| all.iter().any(|f| f["severity"] == "error"));
        assert_eq!(
            checked.status.code(),
            Some(if errors { 1 } else { 0 }),
            "{spec} {framing}"
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["gen", "--spec", "ctrl-exec", "--event", "no-such-event"][..],
        &["gen", "--spec", "ctrl-exec", "--format", "syslog"],
        &["gen", "--spec", "ctrl-exec", "--format", "rfc5424+pri"],
        &["gen", "--spec", "ctrl-exec", "--count", "0"],
        &[
            "gen",
            "--spec",
            "agent-hub",
            "--format",
            "json-document",
            "--count",
            "2",
        ],
        &[
            "gen",
            "--spec",
            "agent-hub",
            "--event",
            "health",
            "--format",
            "sse",
        ],
        &[
            "gen",
            "--spec",
            "prexorcloud",
            "--format",
            "extended-json+pri",
        ],
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
