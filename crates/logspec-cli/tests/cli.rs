//! The real `logspec` binary: exit codes, JSON report shape, stdin, usage
//! errors and every subcommand.

mod common;

use common::{json_of, line_codes, logspec, repo_file, repo_path, run, tempdir, write};
use serde_json::Value;

#[test]
fn bundled_example_passes_with_exit_0() {
    // Without the agent's rate-limit block lengths and probe limit
    // (configuration), each rule that needs them says once that it did not
    // run.
    let output = run(logspec()
        .args(["check", "--spec", "ctrl-exec", "--report", "json"])
        .arg(repo_file("spec/examples/ctrl-exec.log")));
    assert_eq!(output.status.code(), Some(0));
    let report = json_of(&output);
    let codes: Vec<_> = report["findings"]
        .as_array()
        .map(|findings| findings.iter().map(|f| f["code"].clone()).collect())
        .unwrap_or_default();
    assert_eq!(codes, vec![Value::from("rule-unchecked"); 3], "{report}");
    let message = report["findings"][0]["message"].as_str().unwrap_or("");
    assert!(
        message.contains("parameters `volume_block`, `probe_block` are not set"),
        "{message}"
    );
    // With one of them, the message names the other.
    let output = run(logspec()
        .args(["check", "--spec", "ctrl-exec", "--report", "json"])
        .args(["--param", "volume_block=5m"])
        .arg(repo_file("spec/examples/ctrl-exec.log")));
    let report = json_of(&output);
    let message = report["findings"][0]["message"].as_str().unwrap_or("");
    assert!(
        message.contains(
            "parameter `probe_block` is not set (give it with --param probe_block=VALUE)"
        ),
        "{message}"
    );
    // With them (the documented defaults), nothing at all.
    let output = run(logspec()
        .args(["check", "--spec", "ctrl-exec", "--report", "json"])
        .args(["--param", "volume_block=5m", "--param", "probe_block=1h"])
        .args(["--param", "probe_limit=3", "--param", "probe_window=600s"])
        .arg(repo_file("spec/examples/ctrl-exec.log")));
    assert_eq!(output.status.code(), Some(0));
    let report = json_of(&output);
    assert_eq!(report["spec"], "ctrl-exec");
    assert_eq!(report["summary"]["lines"], 24);
    assert_eq!(report["summary"]["records"], 24);
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["warnings"], 0);
    assert_eq!(report["findings"], Value::Array(Vec::new()));
    assert_eq!(report["inputs"][0]["format"], "rfc3164");
    assert_eq!(report["inputs"][0]["detected"], true);
    assert_eq!(report["coverage"]["documented"], 74);
    let seen = report["coverage"]["seen"].as_array().map_or(0, Vec::len);
    let not_seen = report["coverage"]["not_seen"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(seen + not_seen, 74);
    assert!(report["coverage"]["seen"]
        .as_array()
        .is_some_and(|seen| seen.iter().any(|entry| entry["event"] == "run"
            && entry["variant"] == "agent"
            && entry["count"] == 2)));
}

#[test]
fn drifted_example_fails_with_exit_1_and_located_findings() {
    let output = run(logspec()
        .args(["check", "--spec", "ctrl-exec", "--report", "json"])
        .arg(repo_file("spec/examples/ctrl-exec-drifted.log")));
    assert_eq!(output.status.code(), Some(1));
    let report = json_of(&output);
    let findings: Vec<(u64, String, String)> = report["findings"]
        .as_array()
        .map(|findings| {
            findings
                .iter()
                .map(|f| {
                    (
                        f["line"].as_u64().unwrap_or(0),
                        f["code"].as_str().unwrap_or("").to_owned(),
                        f["field"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let expected = [
        (2, "invalid-value", "TARGET"),
        (3, "severity-mismatch", ""),
        (4, "unexpected-field", "USER"),
        (5, "event-key-not-first", "ACTION"),
        // A /dev/log capture names no host: the agent line cannot be paired.
        (5, "unkeyed", ""),
        // Line 6's RTT=42 drops the ms every example shows, but the document
        // asks only for milliseconds: no check finding (shape diff sees it).
        (7, "unknown-event", "ACTION"),
        (8, "field-order", "HOSTS"),
        // The release has no acquire before it, for either host.
        (8, "sequence-violation", ""),
        (8, "sequence-violation", ""),
    ];
    let expected: Vec<(u64, String, String)> = expected
        .iter()
        .map(|(line, code, field)| (*line, (*code).to_owned(), (*field).to_owned()))
        .collect();
    assert_eq!(findings, expected);
    for finding in report["findings"].as_array().into_iter().flatten() {
        for key in [
            "code", "severity", "file", "line", "event", "variant", "field", "message",
        ] {
            assert!(finding.get(key).is_some(), "finding lacks {key}: {finding}");
        }
    }
    assert_eq!(report["summary"]["errors"], 7);
    assert_eq!(report["summary"]["warnings"], 1);
}

#[test]
fn stdin_is_read_with_dash() {
    let output = run(logspec()
        .args(["check", "--spec", "ctrl-exec", "--report", "json", "-"])
        .write_stdin("ACTION=api-stop\nACTION=nope\n"));
    assert_eq!(output.status.code(), Some(1));
    let report = json_of(&output);
    assert_eq!(report["inputs"][0]["file"], "<stdin>");
    assert_eq!(report["inputs"][0]["format"], "bare");
    assert_eq!(report["findings"][0]["code"], "unknown-event");
    assert_eq!(report["findings"][0]["line"], 2);
}

#[test]
fn forced_format_is_used_and_must_be_declared() {
    let line = "<30>1 2026-03-13T12:00:01Z host ctrl-exec-api 811 - - ACTION=api-stop\n";
    let output = logspec()
        .args([
            "check",
            "--spec",
            "ctrl-exec",
            "--format",
            "rfc5424",
            "--report",
            "json",
            "-",
        ])
        .write_stdin(line)
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let report = json_of(&output);
    assert_eq!(report["inputs"][0]["format"], "rfc5424");
    assert_eq!(report["inputs"][0]["detected"], false);

    let output = run(logspec()
        .args(["check", "--spec", "ctrl-exec", "--format", "rfc3164", "-"])
        .write_stdin("ACTION=api-stop\n"));
    assert_eq!(output.status.code(), Some(1), "a bare line is not rfc3164");
}

#[test]
fn journald_export_is_detected() {
    let line = r#"{"MESSAGE":"ACTION=api-stop","PRIORITY":"6","SYSLOG_FACILITY":"3","SYSLOG_IDENTIFIER":"ctrl-exec-api","_HOSTNAME":"ctl-01","__REALTIME_TIMESTAMP":"1773403201000000"}"#;
    let output = run(logspec()
        .args(["check", "--spec", "ctrl-exec", "--report", "json", "-"])
        .write_stdin(format!("{line}\n")));
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let report = json_of(&output);
    assert_eq!(report["inputs"][0]["format"], "journald");
    assert_eq!(report["summary"]["severity_unchecked"], 0);
}

#[test]
fn usage_errors_exit_2() {
    let cases: [&[&str]; 5] = [
        &["check", "--spec", "no-such-spec", "x.log"],
        &["check", "--spec", "ctrl-exec", "/no/such/file.log"],
        &["check", "--spec", "ctrl-exec", "--format", "yaml", "-"],
        &["check", "--spec", "ctrl-exec"],
        &["explain", "--spec", "ctrl-exec", "no-such-event"],
    ];
    for args in cases {
        let output = run(logspec().args(args));
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!output.stderr.is_empty(), "{args:?} says nothing");
    }
}

#[test]
fn an_unreadable_spec_file_exits_2_with_its_location() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let path = dir.path().join("broken.yaml");
    std::fs::write(&path, "logspec: 1\nproducer: [\n").unwrap_or_else(|error| panic!("{error}"));
    let output = run(logspec()
        .args(["check", "--spec"])
        .arg(&path)
        .arg("-")
        .write_stdin(""));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("broken.yaml:"), "{stderr}");
}

#[test]
fn specs_lists_the_builtins() {
    let output = run(logspec().arg("specs"));
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.starts_with("ctrl-exec "), "{stdout}");
    assert!(stdout.contains("50 events, 74 variants"), "{stdout}");
}

#[test]
fn lint_reports_contradictions_as_json() {
    let output = run(logspec().args(["lint", "ctrl-exec", "--report", "json"]));
    assert_eq!(output.status.code(), Some(0));
    let report = json_of(&output);
    assert_eq!(report["summary"]["errors"], 0);
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|finding| finding["code"].as_str())
        .collect();
    for code in [
        "table-severity-conflict",
        "emitter-tag-conflict",
        "glossary-value-unused",
        "example-finding",
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    let with_related = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|finding| finding["related"].as_array().is_some_and(|r| !r.is_empty()))
        .count();
    assert!(with_related >= 6);
}

#[test]
fn lint_of_an_invalid_spec_exits_1_with_locations() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let path = dir.path().join("bad.yaml");
    std::fs::write(&path, "logspec: 2\n").unwrap_or_else(|error| panic!("{error}"));
    let output = run(logspec().arg("lint").arg(&path));
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("spec-invalid"), "{stdout}");
    assert!(stdout.contains("bad.yaml:1:"), "{stdout}");
}

#[test]
fn explain_shows_variants_fields_and_examples() {
    let output = run(logspec().args(["explain", "--spec", "ctrl-exec", "ping"]));
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "variant success",
        "variant error",
        "variant agent",
        "severity: ERR (syslog 3)",
        "16 lowercase hex digits",
        "ACTION=ping TARGET=web-01:7443 RESULT=ok RTT=42ms REQID=a1b2c3d4e5f60001",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in\n{stdout}"
        );
    }
}

#[test]
fn human_report_quotes_and_underlines_without_colour_when_piped() {
    let output = run(logspec()
        .env_remove("CLICOLOR_FORCE")
        .args(["check", "--spec", "ctrl-exec", "-"])
        .write_stdin("ACTION=ping TARGET=web-01 RESULT=ok RTT=42ms REQID=a1b2c3d4e5f60001\n"));
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains('\x1b'), "colour on a pipe:\n{stdout}");
    assert!(stdout.contains("error[invalid-value]"), "{stdout}");
    assert!(
        stdout.contains("  1 | ACTION=ping TARGET=web-01 RESULT=ok"),
        "{stdout}"
    );
    assert!(
        stdout.contains("    |                    ^^^^^^"),
        "{stdout}"
    );
    assert!(
        stdout.contains("FAIL ctrl-exec: 1 line, 1 record, 1 error, 0 warnings"),
        "{stdout}"
    );
}

/// Colour on a pipe: `--color` decides when given; with `auto`, the
/// environment (NO_COLOR over CLICOLOR_FORCE), as anstream reads it.
#[test]
fn colour_follows_the_option_then_the_environment() {
    let coloured = |option: &str, env: &[(&str, &str)]| {
        let mut command = logspec();
        for name in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
            command.env_remove(name);
        }
        command.envs(env.iter().copied());
        let output = run(command
            .args(["check", "--spec", "ctrl-exec", "--color", option, "-"])
            .write_stdin("ACTION=ping TARGET=web-01 RESULT=ok RTT=42ms REQID=a1b2c3d4e5f60001\n"));
        assert_eq!(output.status.code(), Some(1));
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(stdout.contains("invalid-value"), "{stdout}");
        // Bold red, then the reset, around the verdict.
        let red = stdout.contains("\x1b[1m\x1b[31mFAIL\x1b[0m");
        assert_eq!(red, stdout.contains('\x1b'), "{stdout:?}");
        red
    };
    assert!(coloured("always", &[]));
    assert!(coloured("always", &[("NO_COLOR", "1")]));
    assert!(!coloured("never", &[("CLICOLOR_FORCE", "1")]));
    assert!(!coloured("auto", &[]));
    assert!(coloured("auto", &[("CLICOLOR_FORCE", "1")]));
    assert!(!coloured(
        "auto",
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
    ));
}

#[test]
fn bad_bytes_are_findings_not_failures() {
    let mut input = b"ACTION=api-stop\n\xff\xfe\x00garbage\nACTION=api-stop\r\n".to_vec();
    input.extend_from_slice(&[b'x'; 5000]);
    input.extend_from_slice(b"\nACTION=api-st");
    let output = logspec()
        .args([
            "check",
            "--spec",
            "ctrl-exec",
            "--report",
            "json",
            "--max-line-bytes",
            "1000",
            "-",
        ])
        .write_stdin(input)
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(output.status.code(), Some(1));
    let report = json_of(&output);
    assert_eq!(report["summary"]["lines"], 5);
    let lines: Vec<u64> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|finding| finding["code"] == "parse-error" || finding["code"] == "unknown-event")
        .filter_map(|finding| finding["line"].as_u64())
        .collect();
    assert_eq!(lines, vec![2, 4, 5]);
}

#[test]
fn explain_rules_as_text_and_mermaid() {
    let text = run(logspec().args(["explain", "--spec", "ctrl-exec", "--rules"]));
    assert_eq!(text.status.code(), Some(0));
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("rule agent-answers-dispatcher"), "{text}");
    assert!(text.contains("awaiting-agent: agent → paired"), "{text}");
    assert!(
        text.contains("each dispatch names members in host of HOSTS"),
        "{text}"
    );
    assert!(
        text.contains("document section: Dispatcher-Side Actions › renew\n"),
        "{text}"
    );
    let mermaid = logspec()
        .args([
            "explain",
            "--spec",
            "ctrl-exec",
            "--rules",
            "--format",
            "mermaid",
        ])
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    let mermaid = String::from_utf8_lossy(&mermaid.stdout);
    let rules = match logspec_spec::builtin("ctrl-exec").map(|builtin| builtin.load()) {
        Some(Ok(loaded)) => loaded.spec.rules.len(),
        _ => panic!("the built-in ctrl-exec spec does not load"),
    };
    assert_eq!(
        mermaid.matches("stateDiagram-v2").count(),
        rules,
        "one diagram per rule: {mermaid}"
    );
    assert!(
        mermaid.contains("    awaiting_agent --> paired: agent"),
        "{mermaid}"
    );
    // A window is shown with its length, in text and as a mermaid comment.
    assert!(
        text.contains("  window probe: parameter probe_window plus 2s (within.probe.LABEL"),
        "{text}"
    );
    assert!(
        mermaid.contains(
            "%% window probe: parameter probe_window minus 1s (within.probe.LABEL, covered.probe)"
        ),
        "{mermaid}"
    );
}

#[test]
fn cross_stream_findings_cite_every_line_and_hosts_can_be_given() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let dispatcher = dir.path().join("dispatcher.log");
    let agent = dir.path().join("agent-db-01.log");
    std::fs::write(
        &dispatcher,
        "ACTION=run SCRIPT=backup TARGET=db-01:7443 EXIT=0 RTT=12ms REQID=a1b2c3d4e5f60001\n",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    std::fs::write(
        &agent,
        "ACTION=run SCRIPT=backup EXIT=1 PEER=10.0.0.1 DISPATCHER=primary REQID=a1b2c3d4e5f60001\n",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let output = run(logspec()
        .args(["check", "--spec", "ctrl-exec", "--report", "json", "--host"])
        .arg(format!("{}=db-01", agent.display()))
        .arg(&dispatcher)
        .arg(&agent));
    assert_eq!(output.status.code(), Some(1));
    let report = json_of(&output);
    let finding = &report["findings"][0];
    assert_eq!(finding["code"], "mismatch");
    assert_eq!(finding["key"], "REQID=a1b2c3d4e5f60001, host=db-01");
    assert_eq!(finding["related"][0]["line"], 1);
    assert!(finding["related"][0]["file"]
        .as_str()
        .is_some_and(|file| file.ends_with("dispatcher.log")));
    assert_eq!(report["alignment"]["order"], "sequential");

    let bad_host = run(logspec()
        .args(["check", "--spec", "ctrl-exec", "--host", "other.log=db-01"])
        .arg(&dispatcher));
    assert_eq!(bad_host.status.code(), Some(2));
}

#[test]
fn partial_turns_open_lifecycles_into_warnings() {
    let renewal = "ACTION=ping TARGET=web-01:7443 RESULT=ok RTT=42ms REQID=a1b2c3d4e5f60009\n\
                   ACTION=renew TARGET=web-01:7443 STATUS=starting REQID=b2c3d4e5f6a70002\n";
    let strict = run(logspec()
        .args(["check", "--spec", "ctrl-exec", "--report", "json", "-"])
        .write_stdin(renewal));
    assert_eq!(strict.status.code(), Some(1));
    assert_eq!(json_of(&strict)["findings"][0]["code"], "incomplete");
    let partial = logspec()
        .args([
            "check",
            "--spec",
            "ctrl-exec",
            "--report",
            "json",
            "--partial",
            "-",
        ])
        .write_stdin(renewal)
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(partial.status.code(), Some(0));
    let report = json_of(&partial);
    assert_eq!(report["findings"][0]["code"], "incomplete");
    assert_eq!(report["findings"][0]["severity"], "warning");
}

#[test]
fn a_runtime_directory_is_checked_file_by_file_as_its_kinds() {
    let output = logspec()
        .args(["check", "--spec", "agent-hub", "--report", "json"])
        .arg(repo_file("spec/examples/agent-hub/runtime"))
        .arg(repo_file("spec/examples/agent-hub/health.json"))
        .arg(repo_file("spec/examples/agent-hub/events.sse"))
        .arg(repo_file("spec/examples/agent-hub/stdout.log"))
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    let report = json_of(&output);
    assert_eq!(output.status.code(), Some(0), "{report:#}");
    let picked: Vec<(String, String, String)> = report["inputs"]
        .as_array()
        .map(|inputs| {
            inputs
                .iter()
                .map(|input| {
                    let file = input["file"].as_str().unwrap_or_default();
                    let name = file.rsplit(['/', '\\']).next().unwrap_or_default();
                    (
                        name.to_owned(),
                        input["kind"].as_str().unwrap_or_default().to_owned(),
                        input["format"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let expected = [
        ("audit.log", "audit", "json-lines"),
        ("20250115_143022_a1b2c3d4.json", "denied", "json-document"),
        ("record.json", "run-record", "json-document"),
        ("record.json", "run-record", "json-document"),
        ("health.json", "health", "json-document"),
        ("events.sse", "events", "sse"),
        ("stdout.log", "stdout", "pipe-separated"),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
        .collect();
    assert_eq!(picked, expected);
    assert_eq!(report["findings"], Value::Array(Vec::new()));
    assert_eq!(report["coverage"]["not_seen"], Value::Array(Vec::new()));
}

#[test]
fn files_no_kind_names_are_skipped_unread() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|error| panic!("{error}"));
        }
        std::fs::write(path, text).unwrap_or_else(|error| panic!("{error}"));
    };
    write(
        "audit.log",
        r#"{"event": "command_blocked", "run_id": "20250115_143200_x1y2z3w4", "reason": "r", "command": "c", "ts": "2025-01-15T14:32:00"}"#,
    );
    write("agent_hub_token.txt", "do-not-print-this-token\n");
    let output = logspec()
        .args(["check", "--spec", "agent-hub", "--report", "json"])
        .arg(dir.path())
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains("do-not-print-this-token"), "{stdout}");
    let report = json_of(&output);
    assert_eq!(report["findings"][0]["code"], "file-skipped");
    assert_eq!(report["findings"][0]["severity"], "info");
    assert!(report["findings"][0]["file"]
        .as_str()
        .is_some_and(|file| file.ends_with("agent_hub_token.txt")));
    assert_eq!(report["inputs"].as_array().map_or(0, Vec::len), 1);

    // A directory with nothing the spec names is a usage error, not a pass.
    let empty = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    std::fs::write(empty.path().join("notes.txt"), "x").unwrap_or_else(|error| panic!("{error}"));
    let output = logspec()
        .args(["check", "--spec", "agent-hub"])
        .arg(empty.path())
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("runs/*/record.json"), "{stderr}");
}

#[test]
fn the_format_picked_is_said_and_can_be_forced() {
    let output = logspec()
        .args([
            "check",
            "--spec",
            "agent-hub",
            "--format",
            "pipe-separated",
            "-",
        ])
        .write_stdin("2025-01-15 14:30:22 | INFO | src.server.main | Token required: True\n")
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("read <stdin>: stdout records, pipe-separated, 1 line, 1 record"),
        "{stdout}"
    );
    let output = logspec()
        .args(["check", "--spec", "agent-hub", "-"])
        .write_stdin("2025-01-15 14:30:22 | INFO | src.server.main | Token required: True\n")
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("stdout records, pipe-separated (detected)"),
        "{stdout}"
    );
}

/// Every example command in the README's table of built-in specs runs
/// and passes on the bundled streams.
#[test]
fn readme_examples_of_every_builtin_pass() {
    let readme =
        std::fs::read_to_string(repo_file("README.md")).unwrap_or_else(|error| panic!("{error}"));
    let commands: Vec<Vec<&str>> = readme
        .lines()
        .filter(|line| line.starts_with("| `"))
        .filter_map(|line| line.split("| `logspec check ").nth(1))
        .filter_map(|rest| rest.split('`').next())
        .map(|command| command.split_whitespace().collect())
        .collect();
    let specs: Vec<&str> = commands
        .iter()
        .filter_map(|args| args.get(1).copied())
        .collect();
    let builtins: Vec<&str> = logspec_spec::BUILTINS.iter().map(|b| b.name).collect();
    assert_eq!(specs, builtins, "one README example per built-in spec");
    for args in commands {
        let output = logspec()
            .current_dir(repo_file(""))
            .arg("check")
            .args(&args)
            .output()
            .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}:\n{}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
}

#[test]
fn every_format_a_spec_declares_can_be_named() {
    for (format, file) in [
        ("otlp-json", "spec/examples/hexon/export.otlp.jsonl"),
        ("plain-text", "spec/examples/hexon/hexon.stderr"),
    ] {
        let output = run(logspec()
            .args(["check", "--spec", "hexon", "--format", format])
            .args(["--no-stream-rules", "--report", "json"])
            .arg(repo_file(file)));
        assert_eq!(
            output.status.code(),
            Some(0),
            "{format}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let report = json_of(&output);
        assert_eq!(report["inputs"][0]["format"], format);
        assert_eq!(report["inputs"][0]["detected"], false);
    }
}

/// ctrl-exec as deployed with dispatcher and agent on one machine: the
/// registry names it `vm`, the dispatcher addresses it at 127.0.0.1.
const ONE_MACHINE: &str = "\
Mar 13 12:00:01 vm ctrl-exec[4100]: ACTION=lock-acquire HOST=vm SCRIPT=backup
Mar 13 12:00:01 vm ctrl-exec[4100]: ACTION=dispatch SCRIPT=backup HOSTS=vm REQID=a1b2c3d4e5f60001
Mar 13 12:00:02 vm ctrl-exec-agent[900]: ACTION=run SCRIPT=backup EXIT=0 PEER=127.0.0.1 DISPATCHER=ctrl-exec-primary REQID=a1b2c3d4e5f60001
Mar 13 12:00:02 vm ctrl-exec[4100]: ACTION=run SCRIPT=backup TARGET=127.0.0.1:7443 EXIT=0 RTT=35ms REQID=a1b2c3d4e5f60001
Mar 13 12:00:02 vm ctrl-exec[4100]: ACTION=lock-release HOSTS=vm SCRIPT=backup
";

fn check_stdin(input: &str, extra: &[&str]) -> std::process::Output {
    run(logspec()
        .args(["check", "--spec", "ctrl-exec", "--report", "json"])
        .args(extra)
        .arg("-")
        .write_stdin(input.to_owned()))
}

/// Agent-Side Actions › rate-block: a probe block needs more than
/// rate_limit_probe TLS failures within the probe window before it, counted
/// by the rule's window (`within.probe.failure`), where the log reaches back
/// over the window.
#[test]
fn a_probe_block_is_judged_by_the_failures_within_its_window() {
    let line = |time: &str, payload: &str| {
        format!("Mar 13 {time} db-01 ctrl-exec-agent[4242]: {payload}\n")
    };
    let failure = "ACTION=tls-failure PEER=10.0.0.1 REASON=\"SSL accept attempt failed\"";
    let mut stream = line("11:40:00", "ACTION=start PORT=7443");
    for time in ["12:00:01", "12:00:02", "12:00:03"] {
        stream.push_str(&line(time, failure));
    }
    let block = line("12:00:04", "ACTION=rate-block PEER=10.0.0.1 REASON=probe");
    let params = [
        "--param",
        "probe_limit=3",
        "--param",
        "probe_window=600s",
        "--param",
        "volume_block=5m",
        "--param",
        "probe_block=1h",
    ];
    let three = check_stdin(&format!("{stream}{block}"), &params);
    assert_eq!(
        line_codes(&three),
        vec![(5, "condition-violation".to_owned())]
    );
    assert_eq!(three.status.code(), Some(1));
    let report = json_of(&three);
    let message = report["findings"][0]["message"].as_str().unwrap_or("");
    assert!(message.contains("within.probe.failure=3"), "{message}");
    // A fourth failure within the window: the block is due.
    let four = format!("{stream}{}{block}", line("12:00:03", failure));
    let output = check_stdin(&four, &params);
    assert_eq!(line_codes(&output), vec![]);
    assert_eq!(output.status.code(), Some(0));
    // Without the start twenty minutes before, the log may have begun
    // after the first failures: not judged.
    let rotated =
        format!("{stream}{block}").replacen(&line("11:40:00", "ACTION=start PORT=7443"), "", 1);
    assert_eq!(line_codes(&check_stdin(&rotated, &params)), vec![]);
}

#[test]
fn a_dispatcher_addressing_its_agent_by_address_checks_clean() {
    let clean = check_stdin(ONE_MACHINE, &[]);
    assert_eq!(line_codes(&clean), vec![]);
    assert_eq!(clean.status.code(), Some(0));
    // Two hosts listed, one run: the dispatch is unfinished.
    let two_hosts = ONE_MACHINE.replace("HOSTS=vm REQID", "HOSTS=vm,db-01 REQID");
    let output = check_stdin(&two_hosts, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(line_codes(&output), vec![(2, "incomplete".to_owned())]);
    // Names that can be matched: the run went to a host the mapping knows
    // and the dispatch did not list.
    let elsewhere = ONE_MACHINE.replace("TARGET=127.0.0.1:7443", "TARGET=10.0.0.7:7443");
    let output = check_stdin(&elsewhere, &["--host-alias", "db-03=10.0.0.7"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(line_codes(&output).contains(&(4, "sequence-violation".to_owned())));
    // Unmapped, the same address stands for `vm`.
    assert_eq!(line_codes(&check_stdin(&elsewhere, &[])), vec![]);
    // The same mapping from a hosts file; a malformed one is a usage error.
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let hosts = dir.path().join("hosts");
    std::fs::write(&hosts, "# fleet\n10.0.0.7 db-03 db-03.lan\n")
        .unwrap_or_else(|error| panic!("{error}"));
    let hosts = hosts.display().to_string();
    let output = check_stdin(&elsewhere, &["--hosts-file", &hosts]);
    assert!(line_codes(&output).contains(&(4, "sequence-violation".to_owned())));
    std::fs::write(dir.path().join("bad"), "db-03 10.0.0.7\n")
        .unwrap_or_else(|error| panic!("{error}"));
    let bad = dir.path().join("bad").display().to_string();
    assert_eq!(
        check_stdin(ONE_MACHINE, &["--hosts-file", &bad])
            .status
            .code(),
        Some(2)
    );
    // The agent's run line is missing: the loopback TARGET names this
    // machine, whose agent log is given (it logged its start).
    let unanswered = ONE_MACHINE.replace(
        "ACTION=run SCRIPT=backup EXIT=0 PEER=127.0.0.1 DISPATCHER=ctrl-exec-primary REQID=a1b2c3d4e5f60001",
        "ACTION=start PORT=7443",
    );
    assert_eq!(
        line_codes(&check_stdin(&unanswered, &[])),
        vec![(4, "unpaired".to_owned())]
    );
}

#[test]
fn rule_parameters_are_checked_on_the_command_line() {
    let output = check_stdin(ONE_MACHINE, &["--param", "no_such_window=5m"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("no rule of ctrl-exec has this parameter")
    );
    assert_eq!(
        check_stdin(ONE_MACHINE, &["--param", "oops"]).status.code(),
        Some(2)
    );
}

/// A spec overlay (`extends` and `params`) gives rule parameters in a
/// file: the bundled example checks clean through one, as with `--param`;
/// a parameter no rule has, a value of the wrong type and an unknown base
/// are errors at their place in the overlay.
#[test]
fn an_overlay_gives_rule_parameters() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let overlay = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap_or_else(|error| panic!("{error}"));
        path.display().to_string()
    };
    let check = |spec: &str| {
        run(logspec()
            .args(["check", "--spec", spec, "--report", "json"])
            .arg(repo_file("spec/examples/ctrl-exec.log")))
    };
    let good = overlay(
        "ours.yaml",
        "# our agents' rate limits\nextends: ctrl-exec\nparams:\n  volume_block: 5m\n  probe_block: 1h\n  \
         probe_limit: 3\n  probe_window: 600s\n",
    );
    let output = check(&good);
    assert_eq!(output.status.code(), Some(0));
    let report = json_of(&output);
    assert_eq!(report["findings"], Value::Array(Vec::new()), "{report}");
    assert_eq!(report["spec"], "ctrl-exec");

    let refused = |path: &str, says: &str| {
        let output = check(path);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(says), "{stderr}");
    };
    refused(
        &overlay(
            "typo.yaml",
            "extends: ctrl-exec\nparams:\n  volume_blok: 5m\n",
        ),
        "typo.yaml:3:16: parameter volume_blok: no rule of ctrl-exec has this parameter",
    );
    refused(
        &overlay(
            "typed.yaml",
            "extends: ctrl-exec\nparams:\n  probe_block: soon\n",
        ),
        "typed.yaml:3:16: parameter",
    );
    refused(
        &overlay("base.yaml", "extends: ctrl-exe\n"),
        "did you mean `ctrl-exec`?",
    );
    refused(
        &overlay("keys.yaml", "extends: ctrl-exec\nparam: {}\n"),
        "keys.yaml:2:1: unknown overlay key `param`",
    );
    // An overlay of a spec file beside it, and --param on top of it.
    std::fs::copy(
        repo_path("spec/ctrl-exec.yaml"),
        dir.path().join("ctrl.yaml"),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let beside = overlay(
        "beside.yaml",
        "extends: ctrl.yaml\nparams: {volume_block: 5m, probe_limit: 3, probe_window: 600s}\n",
    );
    let output = run(logspec()
        .args(["check", "--spec", &beside, "--report", "json"])
        .args(["--param", "probe_block=1h"])
        .arg(repo_file("spec/examples/ctrl-exec.log")));
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(json_of(&output)["findings"], Value::Array(Vec::new()));
}

/// A copy of the PrexorCloud spec whose process log declares a line that
/// may follow a record, for the spec format's `continuation_lines`.
fn prexorcloud_declaring(dir: &std::path::Path, pattern: &str) -> std::path::PathBuf {
    let spec = std::fs::read_to_string(repo_path("spec/prexorcloud.yaml"))
        .unwrap_or_else(|error| panic!("{error}"));
    let kind = "    event: log-line\n";
    assert!(spec.contains(kind), "the process kind moved");
    let path = dir.join("prexorcloud-declaring.yaml");
    let declared = format!("{kind}    continuation_lines: ['{pattern}']\n");
    write(&path, spec.replacen(kind, &declared, 1).as_bytes());
    path
}

#[test]
fn declared_continuation_lines_join_the_record_before_them() {
    let dir = tempdir();
    let log = dir.path().join("latest.log");
    write(
        &log,
        b"2026-05-10T14:02:11.453Z INFO [main] api.groups -- create group=lobby\n\
          \x20 | declared detail\n\
          2026-05-10T14:02:12.000Z INFO [main] api.groups -- done\n",
    );
    let check = |spec: &str| {
        run(logspec()
            .args([
                "check",
                "--spec",
                spec,
                "--no-stream-rules",
                "--report",
                "json",
            ])
            .arg(&log))
    };
    let built_in = check("prexorcloud");
    assert_eq!(built_in.status.code(), Some(1));
    assert_eq!(line_codes(&built_in), vec![(2, "parse-error".to_owned())]);
    let spec = prexorcloud_declaring(dir.path(), "  \\| .*");
    let declaring = check(&spec.display().to_string());
    assert_eq!(
        declaring.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&declaring.stdout)
    );
    assert_eq!(line_codes(&declaring), vec![]);
}

#[test]
fn explain_names_the_lines_that_may_follow_a_record() {
    let dir = tempdir();
    let spec = prexorcloud_declaring(dir.path(), "  \\| .*");
    let output = run(logspec()
        .args(["explain", "--spec"])
        .arg(&spec)
        .arg("log-line"));
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("after a record in logback: a Java stack trace")
            && stdout.contains("continued by lines matching /  \\| .*/"),
        "{stdout}"
    );
    // The built-in spec declares none: only the layout's own trace.
    let built_in = run(logspec().args(["explain", "--spec", "prexorcloud", "log-line"]));
    let stdout = String::from_utf8_lossy(&built_in.stdout);
    assert!(
        stdout.contains("a Java stack trace") && !stdout.contains("continued by lines"),
        "{stdout}"
    );
}

#[test]
fn explain_shows_a_stricter_reading_and_its_reason() {
    let output = run(logspec().args(["explain", "--spec", "agent-hub", "server-log"]));
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("expected: one of \"DEBUG\", \"INFO\", \"WARNING\", \"ERROR\", \"CRITICAL\" (else a warning:"),
        "{stdout}"
    );
}

#[test]
fn a_continuation_line_pattern_that_does_not_compile_is_a_load_error() {
    let dir = tempdir();
    let spec = prexorcloud_declaring(dir.path(), "(unclosed");
    let output = run(logspec()
        .args(["check", "--spec"])
        .arg(&spec)
        .arg("-")
        .write_stdin(""));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("prexorcloud-declaring.yaml:")
            && stderr.contains("invalid regular expression"),
        "{stderr}"
    );
}
