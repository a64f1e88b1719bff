//! What `check` and `shape` read, through the real binary: compressed
//! inputs told by content, thousands of files under a low descriptor
//! limit, and `shape record` refusing input it recognised nothing in.

mod common;

use assert_cmd::Command;
use common::{json_of, line_codes, logspec, repo_path, run, tempdir, write};
use serde_json::Value;
use std::io::Write;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .unwrap_or_else(|error| panic!("{error}"))
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).unwrap_or_else(|error| panic!("{error}"))
}

fn example() -> Vec<u8> {
    std::fs::read(repo_path("spec/examples/ctrl-exec.log")).unwrap_or_else(|e| panic!("{e}"))
}

/// The binary run under `ulimit -n limit`, through the shell.
fn limited(limit: u32) -> Command {
    let binary = assert_cmd::cargo::cargo_bin("logspec");
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("ulimit -n {limit} && exec \"$0\" \"$@\""))
        .arg(binary);
    command
}

#[test]
fn gzip_and_zstd_are_read_by_content_whatever_the_name() {
    let dir = tempdir();
    let plain = example();
    let files = [
        ("syslog.2.gz", gzip(&plain)),
        ("rotated-without-extension", gzip(&plain)),
        ("archive.log.zst", zstd(&plain)),
        ("misnamed.gz", plain.clone()),
    ];
    for (name, bytes) in &files {
        let path = dir.path().join(name);
        write(&path, bytes);
        let output = run(logspec()
            .args(["check", "--spec", "ctrl-exec", "--report", "json"])
            .args(["--param", "volume_block=5m", "--param", "probe_block=1h"])
            .args(["--param", "probe_limit=3", "--param", "probe_window=600s"])
            .arg(&path));
        let report = json_of(&output);
        assert_eq!(output.status.code(), Some(0), "{name}: {report:#}");
        assert_eq!(report["summary"]["records"], 24, "{name}");
        assert_eq!(report["findings"], Value::Array(Vec::new()), "{name}");
    }
    // Standard input has no name at all.
    let output = run(logspec()
        .args(["check", "--spec", "ctrl-exec", "--report", "json", "-"])
        .write_stdin(zstd(&plain)));
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(json_of(&output)["summary"]["records"], 24);
}

#[test]
fn a_cut_compressed_file_is_a_located_finding_not_a_failed_run() {
    let dir = tempdir();
    let whole = gzip(&example().repeat(200));
    let path = dir.path().join("cut.gz");
    write(&path, &whole[..whole.len() / 2]);
    let output = run(logspec()
        .args([
            "check",
            "--spec",
            "ctrl-exec",
            "--report",
            "json",
            "--partial",
        ])
        .arg(&path));
    let report = json_of(&output);
    assert_eq!(output.status.code(), Some(1), "{report:#}");
    let damaged: Vec<&Value> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|finding| {
            finding["code"] == "parse-error"
                && finding["message"]
                    .as_str()
                    .is_some_and(|message| message.contains("gzip data is damaged"))
        })
        .collect();
    assert_eq!(damaged.len(), 1, "{report:#}");
    let records = report["summary"]["records"].as_u64().unwrap_or_default();
    assert!(records > 0 && records < 24 * 200, "{records}");
    // The finding is on the line being read when the data broke: the last
    // (cut) line read, or the next one when the cut fell on a line end.
    let lines = report["summary"]["lines"].as_u64().unwrap_or_default();
    let line = damaged[0]["line"].as_u64().unwrap_or_default();
    assert!(
        line == lines || line == lines + 1,
        "{line} after {lines} lines"
    );
}

#[test]
fn thousands_of_run_records_fit_in_a_low_descriptor_limit() {
    let dir = tempdir();
    for index in 0..3000u32 {
        let id = format!("20250115_{:06}_{:08x}", 100_000 + index % 1000, index);
        let record = serde_json::json!({
            "run_id": id, "cwd": "/srv", "command": "ls", "exit_code": 0,
            "stdout": "", "stderr": "", "ts": 1_705_329_185.0 + f64::from(index),
            "duration_ms": 1.0
        });
        write(
            &dir.path().join(format!("runs/{id}/record.json")),
            record.to_string().as_bytes(),
        );
    }
    let output = run(limited(256)
        .args(["check", "--spec", "agent-hub", "--report", "json"])
        .arg(dir.path()));
    let report = json_of(&output);
    assert_eq!(output.status.code(), Some(0), "{}", report["findings"]);
    assert_eq!(report["inputs"].as_array().map(Vec::len), Some(3000));
    assert_eq!(report["summary"]["records"], 3000);
    assert_eq!(report["alignment"]["order"], "merged-by-timestamp");
}

#[test]
fn many_multi_line_files_merge_by_timestamp_within_the_limit() {
    // Every file is still being read when the next one starts: they are
    // closed and reopened (compressed ones decompressed again) in turn.
    let dir = tempdir();
    let plain = example();
    let lines: Vec<&[u8]> = plain.split_inclusive(|&byte| byte == b'\n').collect();
    let mut paths = Vec::new();
    for index in 0..300 {
        // Each file holds every line of the example: the merge interleaves
        // 300 copies, which repeat keys and so raise stream findings, the
        // same ones whether the files are closed in between or not.
        let text: Vec<u8> = lines.concat();
        let path = dir.path().join(format!("{index:03}.log"));
        write(&path, &if index % 3 == 0 { gzip(&text) } else { text });
        paths.push(path);
    }
    let limited_output = run(limited(96)
        .args(["check", "--spec", "ctrl-exec", "--report", "json"])
        .args(&paths));
    let unlimited_output = run(logspec()
        .args(["check", "--spec", "ctrl-exec", "--report", "json"])
        .args(&paths));
    let limited_report = json_of(&limited_output);
    let unlimited_report = json_of(&unlimited_output);
    assert_eq!(limited_report["summary"]["records"], 24 * 300);
    assert_eq!(limited_report["alignment"]["order"], "merged-by-timestamp");
    assert_eq!(limited_report, unlimited_report);
}

#[test]
fn shape_record_reads_directories_and_refuses_an_empty_baseline() {
    let output = run(logspec()
        .args(["shape", "record", "--spec", "agent-hub"])
        .arg(repo_path("spec/examples/agent-hub/runtime")));
    assert_eq!(output.status.code(), Some(0));
    let shapes: Value = json_of(&output);
    let text = shapes.to_string();
    assert!(
        text.contains("run-record") && text.contains("command_executed"),
        "{text}"
    );

    let dir = tempdir();
    for (name, bytes) in [
        (
            "garbage.log",
            b"\x00\x01 not a log at all\nnor this\n".to_vec(),
        ),
        ("empty.log", Vec::new()),
        ("empty.gz", gzip(b"")),
    ] {
        let path = dir.path().join(name);
        write(&path, &bytes);
        let output = run(logspec()
            .args(["shape", "record", "--spec", "ctrl-exec"])
            .arg(&path));
        assert_eq!(output.status.code(), Some(2), "{name}");
        assert!(output.stdout.is_empty(), "{name}: a shape file was written");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("no record of ctrl-exec"),
            "{name}: {stderr}"
        );
    }
}

/// The ctrl-exec example with other programs' lines between its own, as
/// in /var/log/syslog.
fn shared_syslog() -> Vec<u8> {
    let own = String::from_utf8(example()).unwrap_or_else(|error| panic!("{error}"));
    let mut lines: Vec<&str> = own.lines().collect();
    let others = [
        "Mar 13 12:00:01 ctl-01 sshd[222]: Accepted publickey for root from 10.0.0.1 port 2222",
        "Mar 13 12:00:02 ctl-01 CRON[12]: (root) CMD (run-parts /etc/cron.hourly)",
        "Mar 13 12:00:03 ctl-01 sshd[223]: Disconnected from user root 10.0.0.1 port 2222",
        "Mar 13 12:00:04 ctl-01 -- MARK --",
        "Mar 13 12:00:05 ctl-01 last message repeated 3 times",
    ];
    for (index, other) in others.iter().enumerate() {
        lines.insert(3 + index * 4, other);
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text.into_bytes()
}

fn findings_of<'a>(report: &'a Value, code: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|finding| finding["code"] == code)
        .collect()
}

#[test]
fn other_programs_in_a_shared_syslog_are_counted_once_per_program() {
    let dir = tempdir();
    let path = dir.path().join("syslog");
    write(&path, &shared_syslog());
    let output = run(logspec()
        .args(["check", "--spec", "ctrl-exec", "--report", "json"])
        .arg(&path));
    let report = json_of(&output);
    assert_eq!(output.status.code(), Some(0), "{report:#}");
    assert_eq!(report["summary"]["records"], 24);
    assert_eq!(report["inputs"][0]["foreign"], 5);
    let programs: Vec<String> = findings_of(&report, "foreign-program")
        .iter()
        .map(|finding| finding["message"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(programs.len(), 3, "{programs:?}");
    assert!(programs[0].starts_with("2 lines of sshd,"), "{programs:?}");
    assert!(programs[1].starts_with("1 line of CRON,"), "{programs:?}");
    assert!(
        programs[2].starts_with("2 lines of syslogd,"),
        "{programs:?}"
    );
    assert!(findings_of(&report, "foreign-line").is_empty());

    let output = run(logspec()
        .args([
            "check",
            "--spec",
            "ctrl-exec",
            "--report",
            "json",
            "--strict-foreign",
        ])
        .arg(&path));
    let report = json_of(&output);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(findings_of(&report, "foreign-line").len(), 5);
    assert!(findings_of(&report, "foreign-program").is_empty());
}

#[test]
fn the_producers_own_tags_are_checked_as_ever_in_a_shared_log() {
    let dir = tempdir();
    let path = dir.path().join("syslog");
    let mut text = shared_syslog();
    text.extend_from_slice(
        b"Mar 13 12:01:00 ctl-01 ctrl-exec-api[811]: ACTION=no-such-event\n\
          Mar 13 12:01:01 ctl-01 a line without any tag\n",
    );
    write(&path, &text);
    let output = run(logspec()
        .args([
            "check",
            "--spec",
            "ctrl-exec",
            "--report",
            "json",
            "--partial",
        ])
        .arg(&path));
    let report = json_of(&output);
    assert_eq!(output.status.code(), Some(1), "{report:#}");
    let lines = |code: &str| -> Vec<u64> {
        findings_of(&report, code)
            .iter()
            .filter_map(|finding| finding["line"].as_u64())
            .collect()
    };
    assert_eq!(lines("unknown-event"), vec![30]);
    assert_eq!(lines("parse-error"), vec![31]);
}

#[test]
fn journal_entries_of_other_identifiers_are_skipped() {
    let entry = |identifier: &str, message: &str, time: u64| {
        serde_json::json!({
            "__REALTIME_TIMESTAMP": time.to_string(), "_HOSTNAME": "ctl-01",
            "PRIORITY": "6", "SYSLOG_IDENTIFIER": identifier, "MESSAGE": message
        })
        .to_string()
    };
    let text = [
        entry("ctrl-exec-agent", "ACTION=start PORT=7443", 1),
        entry("systemd", "Started Session 5 of user root.", 2),
        entry("sshd", "Accepted publickey for root", 3),
    ]
    .join("\n");
    let output = run(logspec()
        .args([
            "check",
            "--spec",
            "ctrl-exec",
            "--report",
            "json",
            "--partial",
            "-",
        ])
        .write_stdin(text));
    let report = json_of(&output);
    assert_eq!(report["inputs"][0]["format"], "journald", "{report:#}");
    assert_eq!(report["summary"]["records"], 1, "{report:#}");
    assert_eq!(
        findings_of(&report, "foreign-program").len(),
        2,
        "{report:#}"
    );
}

#[test]
fn a_producers_record_under_a_wrong_tag_is_checked_not_skipped() {
    // A misspelt tag on the producer's own record would pass unnoticed if
    // it were taken for another program's line.
    let text = "Mar 13 11:59:59 db-01 ctrl-exec-agnet[6789]: ACTION=start PORT=7443\n";
    let output = run(logspec()
        .args([
            "check",
            "--spec",
            "ctrl-exec",
            "--report",
            "json",
            "--partial",
            "-",
        ])
        .write_stdin(text));
    let report = json_of(&output);
    assert_eq!(output.status.code(), Some(1), "{report:#}");
    assert_eq!(
        findings_of(&report, "emitter-mismatch").len(),
        1,
        "{report:#}"
    );
    assert!(findings_of(&report, "foreign-program").is_empty());
}

/// What a user sees of an input's start and of lines in another format:
/// a byte order mark is skipped and noted, a stray first line does not
/// make the input bare, and a later line of another format is named.
#[test]
fn byte_order_mark_stray_first_line_and_a_line_of_another_format() {
    let dir = tempdir();
    let line = "Mar 13 12:00:01 host ctrl-exec[1]: ACTION=dispatch SCRIPT=backup HOSTS=db-01,db-02 REQID=a1b2c3d4e5f60001\n";
    let check = |name: &str, text: &str| {
        let path = dir.path().join(name);
        write(&path, text.as_bytes());
        run(logspec()
            .args([
                "check",
                "--spec",
                "ctrl-exec",
                "--no-stream-rules",
                "--report",
                "json",
            ])
            .arg(&path))
    };

    let marked = check("marked.log", &format!("\u{FEFF}{line}{line}"));
    assert_eq!(marked.status.code(), Some(0));
    assert_eq!(line_codes(&marked), vec![(1, "byte-order-mark".to_owned())]);
    assert_eq!(json_of(&marked)["inputs"][0]["format"], "rfc3164");
    let unmarked = check("unmarked.log", &format!("{line}{line}"));
    assert_eq!(line_codes(&unmarked), vec![]);

    let stray = check("stray.log", &format!("capture started\n{line}{line}"));
    assert_eq!(stray.status.code(), Some(1));
    assert_eq!(
        line_codes(&stray),
        vec![
            (1, "formats-disagree".to_owned()),
            (1, "parse-error".to_owned())
        ]
    );
    assert_eq!(json_of(&stray)["inputs"][0]["format"], "rfc3164");

    let mixed = check(
        "mixed.log",
        &format!("{line}<30>1 2026-03-13T12:00:02.000Z host ctrl-exec 1 - - ACTION=api-stop\n"),
    );
    assert_eq!(line_codes(&mixed), vec![(2, "parse-error".to_owned())]);
    let message = json_of(&mixed)["findings"][0]["message"].to_string();
    assert!(
        message.contains("the shape of rfc5424, another format ctrl-exec declares"),
        "{message}"
    );
}
