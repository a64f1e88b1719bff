//! `logspec gen` through the real binary: reproducible bytes, conforming
//! output that `check` passes, and broken output whose findings `check`
//! reports exactly as `--expect` predicted.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
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
/// The findings of a report but `rule-unchecked`, the note that a rule
/// was not run for want of its parameters (scenarios here are checked
/// without them), which says nothing of the stream.
fn verdicts(report: &Value) -> impl Iterator<Item = &Value> {
    report["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings array: {report}"))
        .iter()
        .filter(|f| f["code"] != "rule-unchecked")
}

fn findings(report: &Value) -> Vec<(u64, String, Value, Value)> {
    verdicts(report)
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

/// Every framing of every built-in spec that has stream rules, for
/// `gen --scenario`.
fn rule_framings() -> Vec<(&'static str, String)> {
    let ruled: Vec<&str> = logspec_spec::BUILTINS
        .iter()
        .filter(|builtin| {
            builtin
                .load()
                .is_ok_and(|loaded| !loaded.spec.rules.is_empty())
        })
        .map(|builtin| builtin.name)
        .collect();
    spec_framings()
        .into_iter()
        .filter(|(spec, _, _)| ruled.contains(spec))
        .map(|(spec, framing, _)| (spec, framing))
        .collect()
}

/// Whether records of the kind `framing` writes take part in a rule.
fn ruled(spec: &str, framing: &str) -> bool {
    let plan = plan(spec);
    let format = framing
        .parse::<logspec_gen::Framing>()
        .unwrap_or_else(|error| panic!("{error}"))
        .format();
    let kind = plan
        .kinds
        .iter()
        .position(|kind| kind.formats.contains(&format));
    plan.rules.iter().any(|rule| {
        rule.label_kinds
            .iter()
            .flatten()
            .any(|&of| Some(of) == kind)
    })
}

fn plan(spec: &str) -> logspec_checker::Plan {
    logspec_checker::Plan::new(
        &logspec_spec::builtin(spec)
            .and_then(|builtin| builtin.load().ok())
            .unwrap_or_else(|| panic!("built-in spec {spec}"))
            .spec,
    )
    .expect("spec compiles")
}

/// The files `gen --scenario --out DIR` wrote, in path order.
fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|error| panic!("{error}")) {
            let path = entry.unwrap_or_else(|error| panic!("{error}")).path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The inputs to give `check` for a scenario written below `dir`: the
/// directory itself when the spec's record kinds name paths, else its
/// files.
fn scenario_inputs(spec: &str, dir: &Path) -> Vec<String> {
    if plan(spec)
        .kinds
        .iter()
        .any(|kind| kind.path_patterns().next().is_some())
    {
        vec![dir.display().to_string()]
    } else {
        files_below(dir)
            .iter()
            .map(|path| path.display().to_string())
            .collect()
    }
}

/// `gen --scenario` below a fresh directory (or on standard output when
/// `out` is `None`), then `check` with the stream rules on: the report,
/// the check's exit status and what was written.
fn scenario_checked(
    spec: &str,
    framing: &str,
    seed: usize,
    out: Option<&Path>,
    expect: Option<&Path>,
) -> (Value, Option<i32>, Vec<u8>) {
    scenario_counted(spec, framing, seed, 20, out, expect)
}

/// [`scenario_checked`] with `count` records drawn.
fn scenario_counted(
    spec: &str,
    framing: &str,
    seed: usize,
    count: usize,
    out: Option<&Path>,
    expect: Option<&Path>,
) -> (Value, Option<i32>, Vec<u8>) {
    scenario_with(spec, framing, seed, count, out, expect, &[], &[])
}

/// [`scenario_counted`] with more arguments for `gen` (`--break-rule`)
/// and for both (`--param`).
#[allow(clippy::too_many_arguments)]
fn scenario_with(
    spec: &str,
    framing: &str,
    seed: usize,
    count: usize,
    out: Option<&Path>,
    expect: Option<&Path>,
    gen_only: &[&str],
    both: &[&str],
) -> (Value, Option<i32>, Vec<u8>) {
    let seed = seed.to_string();
    let count = count.to_string();
    let mut args = vec![
        "gen",
        "--spec",
        spec,
        "--scenario",
        "--format",
        framing,
        "--seed",
        &seed,
        "--count",
        &count,
    ];
    let out_arg = out.map(|dir| dir.display().to_string());
    if let Some(dir) = &out_arg {
        args.extend(["--out", dir]);
    }
    let expect_arg = expect.map(|path| path.display().to_string());
    if let Some(path) = &expect_arg {
        args.extend(["--invalid", "--expect", path]);
    }
    args.extend(gen_only);
    args.extend(both);
    let generated = run(&args, None);
    assert_eq!(generated.status.code(), Some(0), "{args:?}: {generated:?}");
    let inputs = match out {
        Some(dir) => scenario_inputs(spec, dir),
        None => vec!["-".to_owned()],
    };
    let mut check = vec![
        "check",
        "--spec",
        spec,
        "--report",
        "json",
        "--max-findings",
        "1000",
    ];
    check.extend(both);
    check.extend(inputs.iter().map(String::as_str));
    let checked = run(&check, out.is_none().then_some(&generated.stdout[..]));
    (
        json(&checked.stdout),
        checked.status.code(),
        generated.stdout,
    )
}

/// (file, line, code, key) of every finding of a report.
fn stream_findings(report: &Value) -> Vec<(String, u64, String, Value)> {
    verdicts(report)
        .map(|f| {
            (
                f["file"].as_str().unwrap_or("").to_owned(),
                f["line"].as_u64().unwrap_or(0),
                f["code"].as_str().unwrap_or("").to_owned(),
                f["key"].clone(),
            )
        })
        .collect()
}

#[test]
fn scenarios_pass_check_with_stream_rules() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let mut several_inputs = Vec::new();
    for (seed, (spec, framing)) in rule_framings().into_iter().enumerate() {
        let out = dir.path().join(format!("{spec}-{framing}"));
        let (report, status, _) = scenario_checked(spec, &framing, seed, Some(&out), None);
        assert_eq!(findings(&report), vec![], "{spec} {framing}");
        assert_eq!(status, Some(0), "{spec} {framing}: {report}");
        assert!(report["summary"]["records"].as_u64() > Some(0), "{report}");
        let files = files_below(&out).len();
        if files > 1 {
            several_inputs.push(format!("{spec} {framing}"));
        }
        // Output on standard output is one input.
        if !framing.starts_with("json-document") {
            let (report, status, _) = scenario_checked(spec, &framing, seed, None, None);
            assert_eq!(findings(&report), vec![], "{spec} {framing} on stdout");
            assert_eq!(status, Some(0), "{spec} {framing} on stdout: {report}");
            assert_eq!(report["inputs"].as_array().map(Vec::len), Some(1));
        }
    }
    // Hosts apart (ctrl-exec's dispatcher and agents) and kinds apart
    // (Agent Hub's audit trail and run records) are among them.
    for spec in ["ctrl-exec", "agent-hub"] {
        assert!(
            several_inputs.iter().any(|run| run.starts_with(spec)),
            "{spec}: {several_inputs:?}"
        );
    }
}

#[test]
fn broken_scenarios_raise_exactly_the_expected_finding() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    for (seed, (spec, framing)) in rule_framings().into_iter().enumerate() {
        let name = format!("{spec}-{framing}");
        let out = dir.path().join(&name);
        let expect = dir.path().join(format!("{name}.json"));
        if !ruled(spec, &framing) {
            // Nothing to break: gen says so.
            let expect_arg = expect.display().to_string();
            let args = [
                "gen",
                "--spec",
                spec,
                "--scenario",
                "--format",
                &framing,
                "--invalid",
                "--expect",
                &expect_arg,
            ];
            let output = run(&args, None);
            assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
            continue;
        }
        let (report, status, _) = scenario_checked(spec, &framing, seed, Some(&out), Some(&expect));
        let expected = json(&std::fs::read(&expect).unwrap_or_else(|error| panic!("{error}")));
        let predicted = stream_findings(&expected);
        assert_eq!(predicted.len(), 1, "{name}: {expected}");
        assert_eq!(stream_findings(&report), predicted, "{name}");
        let errors = report["summary"]["errors"].as_u64().unwrap_or(0);
        assert_eq!(status, Some(if errors > 0 { 1 } else { 0 }), "{name}");
        // One input on standard output: where it loses no rule, the spec
        // having one record kind (Prexorcloud's rule pairs its audit trail
        // with its process log).
        if plan(spec).kinds.len() == 1 {
            let (report, _, _) = scenario_checked(spec, &framing, seed, None, Some(&expect));
            let expected = json(&std::fs::read(&expect).unwrap_or_else(|error| panic!("{error}")));
            let at = |findings: Vec<(String, u64, String, Value)>| -> Vec<(u64, String, Value)> {
                findings
                    .into_iter()
                    .map(|(_, line, code, key)| (line, code, key))
                    .collect()
            };
            assert_eq!(
                at(stream_findings(&report)),
                at(stream_findings(&expected)),
                "{name} on stdout"
            );
        }
    }
}

/// For every built-in spec with rules, in its first format, at several
/// seeds and counts: a scenario checks clean with the stream rules on, and
/// broken it raises exactly the finding `--expect` predicted. (The first
/// format of RCE's event log once had no scenario at all: a refused Uplink
/// session opened a connection's lifecycle no record could close.)
#[test]
fn scenarios_at_several_seeds_and_counts_check_as_predicted() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let firsts: Vec<(&str, String)> = rule_framings()
        .into_iter()
        .filter(|(spec, framing)| {
            plan(spec).kinds[0]
                .formats
                .first()
                .map(|format| format.name())
                == framing.split('+').next()
        })
        .fold(Vec::new(), |mut firsts, (spec, framing)| {
            if !firsts.iter().any(|(seen, _)| *seen == spec) {
                firsts.push((spec, framing));
            }
            firsts
        });
    assert!(
        firsts.iter().any(|(spec, _)| *spec == "rce-eventlog"),
        "{firsts:?}"
    );
    for (spec, framing) in firsts {
        for (seed, count) in [(1, 30), (2, 30), (3, 300), (4, 1000)] {
            let name = format!("{spec}-{seed}-{count}");
            let out = dir.path().join(&name);
            let (report, status, _) =
                scenario_counted(spec, &framing, seed, count, Some(&out), None);
            assert_eq!(findings(&report), vec![], "{name}");
            assert_eq!(status, Some(0), "{name}: {report}");
            let records = report["summary"]["records"].as_u64().unwrap_or(0);
            assert!(records >= count as u64, "{name}: {records} records");
            let out = dir.path().join(format!("{name}-broken"));
            let expect = dir.path().join(format!("{name}.json"));
            let (report, _, _) =
                scenario_counted(spec, &framing, seed, count, Some(&out), Some(&expect));
            let expected = json(&std::fs::read(&expect).unwrap_or_else(|error| panic!("{error}")));
            let predicted = stream_findings(&expected);
            assert_eq!(predicted.len(), 1, "{name}: {expected}");
            assert_eq!(stream_findings(&report), predicted, "{name}");
        }
    }
}

/// ctrl-exec's rules on the times between records (a block window, the
/// probe window), run with their parameters: scenarios keep them, and a
/// scenario broken by a record moved in time or changed raises exactly
/// the finding predicted, the times read back by the checker from BSD
/// syslog (whole seconds, no year) and journald (microseconds).
#[test]
fn scenarios_walk_and_break_the_rules_on_times() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let params = [
        "--param",
        "volume_block=5m",
        "--param",
        "probe_block=1h",
        "--param",
        "probe_limit=1",
        "--param",
        "probe_window=10m",
    ];
    let rules = [
        "rate-block-once-per-window",
        "probe-block-follows-probe-failures",
        "probe-limit-crossed-blocks",
    ];
    for framing in ["rfc3164", "journald"] {
        for seed in [1, 2] {
            let name = format!("{framing}-{seed}");
            let out = dir.path().join(&name);
            let (report, status, _) = scenario_with(
                "ctrl-exec",
                framing,
                seed,
                200,
                Some(&out),
                None,
                &[],
                &params,
            );
            assert_eq!(findings(&report), vec![], "{name}");
            assert_eq!(status, Some(0), "{name}: {report}");
        }
        for rule in rules {
            let name = format!("{framing}-{rule}");
            let out = dir.path().join(&name);
            let expect = dir.path().join(format!("{name}.json"));
            let aim = ["--break-rule", rule, "--break-kind", "fail-condition"];
            let (report, _, _) = scenario_with(
                "ctrl-exec",
                framing,
                3,
                40,
                Some(&out),
                Some(&expect),
                &aim,
                &params,
            );
            let expected = json(&std::fs::read(&expect).unwrap_or_else(|error| panic!("{error}")));
            let predicted = stream_findings(&expected);
            assert_eq!(predicted.len(), 1, "{name}: {expected}");
            assert_eq!(predicted[0].2, "condition-violation", "{name}");
            assert_eq!(stream_findings(&report), predicted, "{name}");
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_scenario() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let written = |seed: &str, name: &str| -> Vec<(PathBuf, Vec<u8>)> {
        let out = dir.path().join(name);
        let out_arg = out.display().to_string();
        let args = [
            "gen",
            "--spec",
            "ctrl-exec",
            "--scenario",
            "--format",
            "rfc5424",
            "--count",
            "40",
            "--seed",
            seed,
            "--out",
            &out_arg,
        ];
        let output = run(&args, None);
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        files_below(&out)
            .into_iter()
            .map(|path| {
                let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("{error}"));
                let relative = path.strip_prefix(&out).map(Path::to_path_buf);
                (relative.unwrap_or_else(|error| panic!("{error}")), bytes)
            })
            .collect()
    };
    let first = written("11", "a");
    assert_eq!(first, written("11", "b"));
    assert_ne!(first, written("12", "c"));
    let stdout = |seed: &str| {
        let args = [
            "gen",
            "--spec",
            "agent-hub",
            "--scenario",
            "--invalid",
            "--seed",
            seed,
        ];
        let output = run(&args, None);
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        output.stdout
    };
    assert_eq!(stdout("4"), stdout("4"));
    assert_ne!(stdout("4"), stdout("5"));
}

#[test]
fn scenario_usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let full = dir.path().join("full");
    std::fs::create_dir(&full).unwrap_or_else(|error| panic!("{error}"));
    std::fs::write(full.join("old.log"), "").unwrap_or_else(|error| panic!("{error}"));
    let full = full.display().to_string();
    for args in [
        &[
            "gen",
            "--spec",
            "ctrl-exec",
            "--scenario",
            "--event",
            "ping",
        ][..],
        &["gen", "--spec", "ctrl-exec", "--out", "dir"],
        &["gen", "--spec", "ctrl-exec", "--scenario", "--out", &full],
        &[
            "gen",
            "--spec",
            "agent-hub",
            "--scenario",
            "--format",
            "json-document",
        ],
        // Hexon has no stream rule to break.
        &["gen", "--spec", "hexon", "--scenario", "--invalid"],
    ] {
        let output = run(args, None);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn otlp_times_are_counts_of_nanoseconds() {
    let output = run(
        &[
            "gen",
            "--spec",
            "hexon",
            "--format",
            "otlp-json",
            "--count",
            "20",
            "--seed",
            "5",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = String::from_utf8_lossy(&output.stdout);
    let mut times = 0;
    for line in text.lines() {
        let export = json(line.as_bytes());
        let records = export["resourceLogs"][0]["scopeLogs"][0]["logRecords"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for record in records {
            if let Some(time) = record.get("timeUnixNano") {
                times += 1;
                let written = time.as_str().map(str::to_owned).unwrap_or(time.to_string());
                assert!(
                    !written.is_empty() && written.bytes().all(|b| b.is_ascii_digit()),
                    "{written}"
                );
            }
        }
    }
    assert!(times > 0, "no record carried a time:\n{text}");
}

/// `gen --scenario --invalid --break-rule RULE [--break-kind KIND]`: the
/// one finding predicted is the rule's, broken the way asked, and `check`
/// raises exactly it; an unknown rule or way is a usage error naming the
/// closest, and aiming needs a scenario.
#[test]
fn aimed_scenarios_break_the_rule_asked_for() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    for (spec, rule, kind, code) in [
        (
            "ctrl-exec",
            "agent-denial-follows-dispatcher-denial",
            None,
            None,
        ),
        (
            "rce-eventlog",
            "workflow-start-ts-only-on-success",
            Some("fail-condition"),
            Some("condition-violation"),
        ),
        (
            "rce-eventlog",
            "connection-id-unique",
            Some("reuse-key"),
            Some("duplicate-key"),
        ),
    ] {
        let out = dir.path().join(rule);
        let expect = dir.path().join(format!("{rule}.json"));
        let (out_arg, expect_arg) = (out.display().to_string(), expect.display().to_string());
        let mut args = vec![
            "gen",
            "--spec",
            spec,
            "--scenario",
            "--count",
            "40",
            "--out",
            &out_arg,
            "--invalid",
            "--expect",
            &expect_arg,
            "--break-rule",
            rule,
        ];
        if let Some(kind) = kind {
            args.extend(["--break-kind", kind]);
        }
        let generated = run(&args, None);
        assert_eq!(generated.status.code(), Some(0), "{args:?}: {generated:?}");
        let expected = json(&std::fs::read(&expect).unwrap_or_else(|error| panic!("{error}")));
        let predicted = stream_findings(&expected);
        assert_eq!(predicted.len(), 1, "{rule}: {expected}");
        let message = expected["findings"][0]["message"].as_str().unwrap_or("");
        assert!(message.starts_with(&format!("{rule}: ")), "{message}");
        if let Some(code) = code {
            assert_eq!(predicted[0].2, code, "{rule}");
        }
        let inputs = scenario_inputs(spec, &out);
        let mut check = vec!["check", "--spec", spec, "--report", "json"];
        check.extend(inputs.iter().map(String::as_str));
        let checked = run(&check, None);
        assert_eq!(stream_findings(&json(&checked.stdout)), predicted, "{rule}");
    }

    let refused = |args: &[&str], says: &str| {
        let output = run(args, None);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    };
    let base = ["gen", "--spec", "ctrl-exec", "--scenario", "--invalid"];
    refused(
        &[&base[..], &["--break-rule", "locks-are-releasd"]].concat(),
        "did you mean `locks-are-released`?",
    );
    refused(
        &[&base[..], &["--break-kind", "reuse-keys"]].concat(),
        "did you mean `reuse-key`?",
    );
    refused(
        &[
            "gen",
            "--spec",
            "ctrl-exec",
            "--invalid",
            "--break-rule",
            "locks-are-released",
        ],
        "add --scenario",
    );
}
