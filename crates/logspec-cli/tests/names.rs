//! How the names a user types resolve: `explain --spec NAME` alone lists
//! the events; a name that resolves to nothing suggests the closest one
//! ("did you mean"), wherever it is typed; a built-in spec name never
//! silently shadows a file of that name in the current directory.

mod common;

use common::{logspec, run, stdout, tempdir, write};
use std::process::Output;

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs `logspec ARGS`, which must fail as a usage error; its message.
fn refused(args: &[&str]) -> String {
    let output = run(logspec().args(args));
    assert_eq!(
        output.status.code(),
        Some(2),
        "{args:?}: {}",
        stderr(&output)
    );
    stderr(&output)
}

#[test]
fn explain_without_an_event_lists_the_events() {
    let output = run(logspec().args(["explain", "--spec", "ctrl-exec"]));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let mut lines = text.lines();
    let head = lines.next().unwrap_or_default();
    assert!(head.starts_with("ctrl-exec documents 50 events"), "{head}");
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 50, "{text}");
    let dispatch = rows
        .iter()
        .find(|row| row.trim_start().starts_with("dispatch "))
        .unwrap_or_else(|| panic!("no dispatch row: {text}"));
    assert!(dispatch.contains("1 variant "), "{dispatch}");
    assert!(dispatch.contains("INFO"), "{dispatch}");
    assert!(dispatch.contains("Opens a run"), "{dispatch}");
    let ping = rows
        .iter()
        .find(|row| row.trim_start().starts_with("ping "))
        .unwrap_or_else(|| panic!("no ping row: {text}"));
    assert!(ping.contains("3 variants"), "{ping}");
    assert!(ping.contains("INFO, ERR"), "{ping}");
    // Every built-in spec lists, one row per event.
    for spec in ["hexon", "rce-eventlog", "prexorcloud", "agent-hub"] {
        let output = run(logspec().args(["explain", "--spec", spec]));
        assert_eq!(output.status.code(), Some(0), "{spec}: {}", stderr(&output));
        assert!(stdout(&output).starts_with(&format!("{spec} documents ")));
    }
}

#[test]
fn an_unknown_name_suggests_the_closest() {
    let cases: [(&[&str], &str); 7] = [
        (
            &["explain", "--spec", "ctrl-exec", "dispach"],
            "did you mean `dispatch`?",
        ),
        (
            &["explain", "--spec", "ctrl-exe", "run"],
            "did you mean `ctrl-exec`?",
        ),
        (
            &[
                "check",
                "--spec",
                "ctrl-exec",
                "--require-events",
                "run,lock-releas",
                "-",
            ],
            "did you mean `lock-release`?",
        ),
        (
            &["gen", "--spec", "ctrl-exec", "--event", "rnu"],
            "did you mean `run`?",
        ),
        (
            &["check", "--spec", "ctrl-exec", "--report", "sarfi", "-"],
            "did you mean `sarif`?",
        ),
        (&["man", "explian"], "did you mean `explain`?"),
        (
            &["gen", "--spec", "ctrl-exec", "--format", "rfc5242"],
            "did you mean `rfc5424`?",
        ),
    ];
    for (args, hint) in cases {
        let message = refused(args);
        assert!(message.contains(hint), "{args:?}: {message}");
    }
    // An input named in --host, as a typo of a real one.
    let dir = tempdir();
    let log = dir.path().join("agent.log");
    write(&log, b"");
    let log = log.display().to_string();
    let typo = format!("{}=db-01", log.replace("agent.log", "agnet.log"));
    let message = refused(&["check", "--spec", "ctrl-exec", "--host", &typo, &log]);
    assert!(
        message.contains(&format!("did you mean `{log}`?")),
        "{message}"
    );
    // The event errors say how to list the events.
    let message = refused(&["explain", "--spec", "ctrl-exec", "dispach"]);
    assert!(
        message.contains("`logspec explain --spec ctrl-exec` lists them"),
        "{message}"
    );
}

/// A spec with one stream rule that takes a parameter.
const WITH_PARAM: &str = r#"logspec: 1
producer: {name: demo, summary: Demo.}
document: {title: Demo}
wire: {envelopes: [rfc3164], payload: key-value, event_key: EVENT}
severity: {levels: [{name: INFO, syslog: 6}]}
emitters: [{name: app, tags: [{tag: demo, source: here}]}]
fields:
  EVENT: {type: string, description: Event.}
  REQ: {type: string, description: Request id.}
events:
  - {id: request, section: s, variants: [{name: default, severity: INFO, fields: [EVENT, REQ]}]}
  - {id: reply, section: s, variants: [{name: default, severity: INFO, fields: [EVENT, REQ]}]}
rules:
  - id: reply-within-window
    description: A reply comes within the configured window of its request.
    key: [REQ]
    params:
      reply_window: {type: duration, description: How long a reply may take.}
    participants:
      - {label: request, match: [request], key: [{field: REQ}]}
      - {label: reply, match: [reply], key: [{field: REQ}], require: "since.request <= params.reply_window"}
"#;

#[test]
fn an_unknown_rule_parameter_suggests_the_closest() {
    let dir = tempdir();
    let spec = dir.path().join("demo.yaml");
    write(&spec, WITH_PARAM.as_bytes());
    let spec = spec.display().to_string();
    let message = refused(&["check", "--spec", &spec, "--param", "reply_windw=5m", "-"]);
    assert!(
        message.contains("did you mean `reply_window`?"),
        "{message}"
    );
    let message = refused(&["check", "--spec", &spec, "--param", "timeout=5m", "-"]);
    assert!(!message.contains("did you mean"), "{message}");
    // The parameter itself is accepted.
    let output = run(logspec()
        .args([
            "check",
            "--spec",
            &spec,
            "--param",
            "reply_window=5m",
            "--allow-empty",
            "-",
        ])
        .write_stdin(""));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn a_name_close_to_nothing_suggests_nothing() {
    for args in [
        &["explain", "--spec", "ctrl-exec", "zzzzzz"][..],
        &["explain", "--spec", "qqqqqq", "run"],
        &[
            "check",
            "--spec",
            "ctrl-exec",
            "--require-events",
            "xyzzy",
            "-",
        ],
    ] {
        let message = refused(args);
        assert!(!message.contains("did you mean"), "{args:?}: {message}");
    }
}

/// A directory holding `ctrl-exec`: a broken spec, so that reading it
/// would fail the run.
fn directory_with_a_file_named_like_a_builtin() -> tempfile::TempDir {
    let dir = tempdir();
    write(&dir.path().join("ctrl-exec"), b"logspec: 1\nproducer: [\n");
    dir
}

#[test]
fn a_builtin_name_says_it_shadows_a_file_of_that_name() {
    let dir = directory_with_a_file_named_like_a_builtin();
    let output =
        run(logspec()
            .current_dir(dir.path())
            .args(["explain", "--spec", "ctrl-exec", "run"]));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("ACTION=run"));
    let note = stderr(&output);
    assert!(
        note.contains("built-in spec ctrl-exec, used here"),
        "{note}"
    );
    assert!(note.contains("./ctrl-exec"), "{note}");
    // The note is on standard error: a JSON report stays clean.
    let checked = run(logspec()
        .current_dir(dir.path())
        .args([
            "check",
            "--spec",
            "ctrl-exec",
            "--report",
            "json",
            "--allow-empty",
            "-",
        ])
        .write_stdin(""));
    assert!(stderr(&checked).contains("./ctrl-exec"));
    common::json_of(&checked);
    // Named as a path, the file is what is read.
    let output =
        run(logspec()
            .current_dir(dir.path())
            .args(["explain", "--spec", "./ctrl-exec", "run"]));
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("ctrl-exec:"), "{message}");
    assert!(!message.contains("built-in"), "{message}");
}

#[test]
fn a_directory_named_like_a_builtin_is_named_too() {
    let dir = tempdir();
    write(&dir.path().join("hexon/readme.txt"), b"not a spec\n");
    let output = run(logspec()
        .current_dir(dir.path())
        .args(["explain", "--spec", "hexon", "--rules"]));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let note = stderr(&output);
    assert!(note.contains("the directory hexon"), "{note}");
}

#[test]
fn a_builtin_name_with_no_such_file_says_nothing() {
    let dir = tempdir();
    let output =
        run(logspec()
            .current_dir(dir.path())
            .args(["explain", "--spec", "ctrl-exec", "run"]));
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stderr.is_empty(), "{}", stderr(&output));
}
