//! `logspec shape record|diff` through the real binary: the recording is
//! deterministic whatever the file order, each kind of change is reported
//! with its impact, and the exit status is 1 exactly when one breaks
//! consumers (2 for usage errors).

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn workspace() -> PathBuf {
    match Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2) {
        Some(root) => root.to_path_buf(),
        None => panic!("the crate is not two levels below the workspace root"),
    }
}

/// Runs `logspec ARGS` in `dir`; (exit code, stdout, stderr).
fn logspec(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let mut command = match Command::cargo_bin("logspec") {
        Ok(command) => command,
        Err(error) => panic!("binary not built: {error}"),
    };
    let output = command
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|error| panic!("cannot run logspec: {error}"));
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn snapshot(name: &str, output: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(workspace().join("snapshots/cli"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, output));
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("not JSON ({error}):\n{text}"))
}

/// A scratch directory with files of the given contents.
fn files(contents: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new().unwrap_or_else(|error| panic!("no temp dir: {error}"));
    for (name, text) in contents {
        std::fs::write(dir.path().join(name), text).unwrap_or_else(|error| panic!("{error}"));
    }
    dir
}

/// Records `baseline.log` into `shapes.json` in `dir`, then diffs `today`
/// (as JSON); returns the exit code and (impact, kind, label, field) of
/// every change.
fn diff_of(dir: &Path, spec: &str, today: &[&str]) -> (Option<i32>, Vec<[String; 4]>) {
    let (code, shapes, stderr) = logspec(dir, &["shape", "record", "--spec", spec, "baseline.log"]);
    assert_eq!(code, Some(0), "{stderr}");
    std::fs::write(dir.join("shapes.json"), shapes).unwrap_or_else(|error| panic!("{error}"));
    let mut args = vec![
        "shape",
        "diff",
        "shapes.json",
        "--spec",
        spec,
        "--report",
        "json",
    ];
    args.extend_from_slice(today);
    let (code, stdout, stderr) = logspec(dir, &args);
    assert!(stderr.is_empty(), "{stderr}");
    let report = json(&stdout);
    let text = |value: &Value| value.as_str().unwrap_or("").to_owned();
    let changes = report["changes"]
        .as_array()
        .map(|changes| {
            changes
                .iter()
                .map(|change| {
                    let label = match change["variant"].as_str() {
                        Some(variant) => format!("{}/{variant}", text(&change["event"])),
                        None => text(&change["event"]),
                    };
                    [
                        text(&change["impact"]),
                        text(&change["kind"]),
                        label,
                        text(&change["field"]),
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
    (code, changes)
}

fn change(impact: &str, kind: &str, label: &str, field: &str) -> [String; 4] {
    [impact, kind, label, field].map(str::to_owned)
}

const CLEAN: &str = "spec/examples/ctrl-exec.log";
const DRIFTED: &str = "spec/examples/ctrl-exec-drifted.log";

#[test]
fn recording_is_deterministic_whatever_the_file_order() {
    let root = workspace();
    let (code, forward, stderr) = logspec(
        &root,
        &["shape", "record", "--spec", "ctrl-exec", CLEAN, DRIFTED],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let (_, backward, _) = logspec(
        &root,
        &["shape", "record", "--spec", "ctrl-exec", DRIFTED, CLEAN],
    );
    assert_eq!(forward, backward);
    let (code, clean, stderr) = logspec(&root, &["shape", "record", "--spec", "ctrl-exec", CLEAN]);
    assert_eq!(code, Some(0), "{stderr}");
    let shapes = json(&clean);
    assert_eq!(shapes["logspec_shape"], 1);
    let ping = &shapes["events"]["ping"]["success"];
    assert_eq!(
        ping["order"],
        json(r#"["ACTION","TARGET","RESULT","RTT","REQID"]"#)
    );
    assert_eq!(ping["fields"]["RTT"]["classes"], json(r#"["duration"]"#));
    assert_eq!(ping["fields"]["REQID"]["classes"], json(r#"["hex16"]"#));
    assert_eq!(
        ping["fields"]["TARGET"]["classes"],
        json(r#"["host:port"]"#)
    );
    snapshot("shape-record-clean", &clean);
}

#[test]
fn the_logs_a_baseline_was_recorded_from_have_no_changes() {
    let root = workspace();
    let (code, shapes, _) = logspec(&root, &["shape", "record", "--spec", "ctrl-exec", CLEAN]);
    assert_eq!(code, Some(0));
    let dir = files(&[("shapes.json", &shapes)]);
    let clean = root.join(CLEAN).display().to_string();
    let (code, stdout, stderr) = logspec(
        dir.path(),
        &[
            "shape",
            "diff",
            "shapes.json",
            "--spec",
            "ctrl-exec",
            &clean,
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        stdout,
        "shape ctrl-exec: no changes in 24 records against the recorded shapes\n"
    );
}

#[test]
fn drifted_logs_are_breaking_changes_with_exit_1() {
    let root = workspace();
    let (_, shapes, _) = logspec(&root, &["shape", "record", "--spec", "ctrl-exec", CLEAN]);
    let dir = files(&[("shapes.json", &shapes)]);
    std::fs::copy(root.join(DRIFTED), dir.path().join("drifted.log"))
        .unwrap_or_else(|error| panic!("{error}"));
    for report in ["human", "json"] {
        let (code, stdout, stderr) = logspec(
            dir.path(),
            &[
                "shape",
                "diff",
                "shapes.json",
                "--spec",
                "ctrl-exec",
                "--report",
                report,
                "drifted.log",
            ],
        );
        assert_eq!(code, Some(1), "{stdout}{stderr}");
        snapshot(&format!("shape-diff-drifted-{report}"), &stdout);
    }
}

/// A spec of its own, so these tests follow shape's rules, not the
/// built-in specs' evolution: `start` and `ping` fix their order, `stop`
/// leaves it open, and the event key comes first.
const DEMO: &str = r#"logspec: 1
producer: {name: demo, summary: A demo producer.}
document: {title: Demo logging reference}
wire: {envelopes: [bare], payload: key-value, event_key: EVENT, event_key_first: true}
severity:
  levels: [{name: INFO, syslog: 6}]
emitters:
  - {name: app, tags: [{tag: demo, source: Overview}]}
fields:
  EVENT: {type: string, description: Event name.}
  PORT: {type: integer, description: Listening port.}
  MODE: {type: string, description: Start mode.}
  PATH: {type: string, description: Request path.}
  LEN: {type: integer, description: Body length.}
  TARGET: {type: host-port, description: Pinged agent.}
  RTT: {type: duration, description: Round trip.}
  ID: {type: hex, length: 16, description: Request id.}
  CODE: {type: integer, description: Exit code.}
  REASON: {type: string, description: Why.}
events:
  - id: start
    section: Events › start
    variants:
      - {name: default, severity: INFO, ordered: true, fields: [EVENT, PORT, {name: MODE, optional: true}]}
  - id: request
    section: Events › request
    variants:
      - {name: default, severity: INFO, ordered: true, fields: [EVENT, PATH, LEN]}
  - id: ping
    section: Events › ping
    variants:
      - {name: default, severity: INFO, ordered: true, fields: [EVENT, TARGET, RTT, ID]}
  - id: stop
    section: Events › stop
    variants:
      - {name: default, severity: INFO, fields: [EVENT, CODE, REASON]}
"#;

#[test]
fn additive_changes_pass_with_exit_0() {
    let dir = files(&[
        ("demo.yaml", DEMO),
        ("baseline.log", "EVENT=start PORT=80\nEVENT=start PORT=81\n"),
        (
            "today.log",
            "EVENT=start PORT=80\n\
             EVENT=start PORT=http MODE=fast\n\
             EVENT=stop CODE=0 REASON=done\n\
             EVENT=no-such-event\n",
        ),
    ]);
    let (code, changes) = diff_of(dir.path(), "demo.yaml", &["today.log"]);
    assert_eq!(code, Some(0), "{changes:?}");
    assert_eq!(
        changes,
        vec![
            change("additive", "new-field", "start", "MODE"),
            change("additive", "class-added", "start", "PORT"),
            change("additive", "new-variant", "stop", ""),
        ]
    );
}

#[test]
fn removed_and_no_longer_constant_fields_break() {
    let dir = files(&[
        ("demo.yaml", DEMO),
        (
            "baseline.log",
            "EVENT=request PATH=/a LEN=1\nEVENT=start PORT=80 MODE=fast\n",
        ),
        (
            "today.log",
            "EVENT=request PATH=/a\nEVENT=start PORT=80 MODE=fast\nEVENT=start PORT=81\n",
        ),
    ]);
    let (code, changes) = diff_of(dir.path(), "demo.yaml", &["today.log"]);
    assert_eq!(code, Some(1), "{changes:?}");
    assert_eq!(
        changes,
        vec![
            change("breaking", "field-removed", "request", "LEN"),
            change("breaking", "field-now-optional", "start", "MODE"),
        ]
    );
}

#[test]
fn values_of_another_class_break_and_reordering_a_fixed_order_breaks() {
    let dir = files(&[
        ("demo.yaml", DEMO),
        (
            "baseline.log",
            "EVENT=ping TARGET=web-01:7443 RTT=42ms ID=a1b2c3d4e5f60001\n",
        ),
        (
            "today.log",
            "EVENT=ping TARGET=web-01:7443 ID=a1b2c3d4e5f60001 RTT=42\n",
        ),
    ]);
    let (code, changes) = diff_of(dir.path(), "demo.yaml", &["today.log"]);
    assert_eq!(code, Some(1), "{changes:?}");
    assert_eq!(
        changes,
        vec![
            change("breaking", "class-changed", "ping", "RTT"),
            change("breaking", "order-changed", "ping", ""),
        ]
    );
}

#[test]
fn reordering_where_the_spec_leaves_order_open_is_compatible() {
    let dir = files(&[
        ("demo.yaml", DEMO),
        ("baseline.log", "EVENT=stop CODE=0 REASON=done\n"),
        ("today.log", "EVENT=stop REASON=done CODE=0\n"),
    ]);
    let (code, changes) = diff_of(dir.path(), "demo.yaml", &["today.log"]);
    assert_eq!(code, Some(0), "{changes:?}");
    assert_eq!(
        changes,
        vec![change("compatible", "order-changed", "stop", "")]
    );
    // Moving the event key breaks where the spec says it comes first, and
    // only there.
    std::fs::write(
        dir.path().join("today.log"),
        "CODE=0 EVENT=stop REASON=done\n",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let (code, changes) = diff_of(dir.path(), "demo.yaml", &["today.log"]);
    assert_eq!(code, Some(1), "{changes:?}");
    assert_eq!(changes[0][..2], ["breaking", "order-changed"]);
    let open = DEMO.replace(", event_key_first: true}", "}");
    std::fs::write(dir.path().join("demo.yaml"), open).unwrap_or_else(|error| panic!("{error}"));
    let (code, changes) = diff_of(dir.path(), "demo.yaml", &["today.log"]);
    assert_eq!(code, Some(0), "{changes:?}");
    assert_eq!(changes[0][..2], ["compatible", "order-changed"]);
}

#[test]
fn unusable_baselines_and_arguments_exit_2() {
    let dir = files(&[
        ("logs.log", "ACTION=lock-acquire HOST=db-01 SCRIPT=backup\n"),
        ("broken.json", "{\"logspec_shape\": 1, "),
        (
            "future.json",
            "{\"logspec_shape\": 2, \"spec\": \"ctrl-exec\", \"events\": {}}",
        ),
        (
            "other.json",
            "{\"logspec_shape\": 1, \"spec\": \"demo\", \"events\": {}}",
        ),
    ]);
    for (baseline, error) in [
        ("missing.json", "cannot read missing.json"),
        ("broken.json", "broken.json: not a logspec shape file"),
        ("future.json", "shape file format 2 is not supported"),
        ("other.json", "recorded with spec demo, not ctrl-exec"),
    ] {
        let (code, stdout, stderr) = logspec(
            dir.path(),
            &["shape", "diff", baseline, "--spec", "ctrl-exec", "logs.log"],
        );
        assert_eq!(code, Some(2), "{baseline}: {stdout}{stderr}");
        assert!(stderr.contains(error), "{baseline}: {stderr}");
        assert!(stdout.is_empty(), "{baseline}: {stdout}");
    }
    for args in [
        &["shape", "record", "--spec", "ctrl-exec"][..],
        &["shape", "record", "--spec", "no-such-spec", "logs.log"],
        &["shape", "record", "--spec", "ctrl-exec", "missing.log"],
        &["shape", "record", "--spec", "ctrl-exec", "-", "-"],
        &["shape", "diff", "--spec", "ctrl-exec", "logs.log"],
    ] {
        let (code, _, stderr) = logspec(dir.path(), args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
    }
}
