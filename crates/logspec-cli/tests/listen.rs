//! The live modes through the real binary: `logspec listen` receiving
//! syslog over loopback (from a sender in the test, and from util-linux
//! `logger` when it is installed), and `check --follow` on a growing,
//! rotated file. Every wait is bounded; ports are chosen by the system.

mod common;

use common::live::{
    accounting, binary, example_lines, findings, json, listen_on_both, wait_for_lines, Running,
    PATIENCE,
};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::path::Path;
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

#[test]
fn listen_checks_what_arrives_over_udp_and_tcp_and_accounts_for_every_message() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let save = dir.path().join("capture.log");
    let save_arg = save.display().to_string();
    let (mut running, udp, tcp) = listen_on_both(&["--save", &save_arg]);
    let lines = example_lines();
    // UDP: one line per datagram, one with a trailing line end.
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap_or_else(|error| panic!("{error}"));
    socket
        .send_to(format!("{}\n", lines[0]).as_bytes(), udp)
        .unwrap_or_else(|error| panic!("{error}"));
    wait_for_lines(&save, 1);
    for line in &lines[1..4] {
        socket
            .send_to(line.as_bytes(), udp)
            .unwrap_or_else(|error| panic!("{error}"));
    }
    wait_for_lines(&save, 4);
    // TCP: both framings on one connection, a broken line, and a message
    // holding a line break.
    let mut stream = TcpStream::connect(tcp).unwrap_or_else(|error| panic!("{error}"));
    let mut bytes = Vec::new();
    for (index, line) in lines[4..8].iter().enumerate() {
        if index % 2 == 0 {
            bytes.extend(format!("{} {line}", line.len()).into_bytes());
        } else {
            bytes.extend(format!("{line}\n").into_bytes());
        }
    }
    bytes.extend(b"Mar 13 12:00:09 ctl-01 ctrl-exec-agent[1]: ACTION=start PORT=notaport\n");
    let two = "Mar 13 12:00:09 ctl-01 ctrl-exec-agent[1]: ACTION=x\nsecond line";
    bytes.extend(format!("{} {two}", two.len()).into_bytes());
    stream
        .write_all(&bytes)
        .unwrap_or_else(|error| panic!("{error}"));
    drop(stream);
    wait_for_lines(&save, 10);
    // Findings are shown as they are found, before the end.
    running.wait_for("live finding", |line| line.contains("invalid-value"));
    running.signal("TERM");
    let (code, stdout) = running.finish();
    let report = json(&stdout);
    assert_eq!(code, Some(1), "{report:#}");
    assert_eq!(report["summary"]["lines"], 10);
    assert_eq!(report["summary"]["records"], 9);
    assert_eq!(findings(&report, "invalid-value").len(), 1, "{report:#}");
    let broken = findings(&report, "parse-error");
    assert_eq!(broken.len(), 1, "{report:#}");
    assert_eq!(broken[0]["line"], 10);
    assert!(broken[0]["message"]
        .as_str()
        .is_some_and(|message| message.contains("line break")));
    assert_eq!(
        accounting(&report),
        "received 10 messages (udp 4, tcp 6): 9 checked, 1 reported unreadable, 0 of other \
         programs; the kernel dropped 0 UDP datagrams before they could be read"
    );
    assert!(findings(&report, "datagrams-dropped").is_empty());
    // The saved capture is what was received, and checks the same.
    let saved = std::fs::read_to_string(&save).unwrap_or_else(|error| panic!("{error}"));
    assert!(
        saved.starts_with(&format!("{}\n{}\n", lines[0], lines[1])),
        "{saved}"
    );
    assert!(saved.contains(two));
    let output = Command::new(binary())
        .args([
            "check",
            "--spec",
            "ctrl-exec",
            "--report",
            "json",
            "--partial",
        ])
        .arg(&save)
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    let again = json(&String::from_utf8_lossy(&output.stdout));
    assert_eq!(findings(&again, "invalid-value").len(), 1);
}

#[test]
fn listen_bounds_what_senders_can_hold_and_reports_every_cut_message() {
    let mut running = Running::start(&[
        "listen",
        "--spec",
        "ctrl-exec",
        "--tcp",
        "127.0.0.1:0",
        "--report",
        "json",
        "--partial",
        "--max-connections",
        "2",
        "--idle-timeout",
        "0.5",
        "--max-message-bytes",
        "100",
    ]);
    let (_, tcp) = running.bound();
    let tcp = tcp.unwrap_or_else(|| panic!("no tcp address"));
    let connect = || TcpStream::connect(tcp).unwrap_or_else(|error| panic!("{error}"));
    // A count that overruns what is sent, and a line without end, on
    // connections that then stay open and silent.
    let mut lying = connect();
    lying
        .write_all(b"500 <13>Mar 13 12:00:00 h ctrl-exec-agent[1]: ACTION=start")
        .unwrap_or_else(|error| panic!("{error}"));
    let mut endless = connect();
    endless
        .write_all(b"<13>Mar 13 12:00:00 h ctrl-exec-agent[1]: ACTION=st")
        .unwrap_or_else(|error| panic!("{error}"));
    thread::sleep(Duration::from_millis(200));
    // A third connection while two are open: closed unread.
    let mut refused = connect();
    let _ = refused.write_all(b"<13>Mar 13 12:00:00 h ctrl-exec-agent[1]: ACTION=start\n");
    let mut buffer = [0u8; 1];
    let closed = refused.read(&mut buffer);
    assert!(matches!(closed, Ok(0) | Err(_)), "{closed:?}");
    // The idle limit closes both; then an over-long message.
    running.wait_for("cut message", |line| {
        line.contains("bytes its octet count announced")
    });
    // The two connections close in either order.
    if !running.seen.iter().any(|line| line.contains("line end")) {
        running.wait_for("cut line", |line| line.contains("line end"));
    }
    let mut long = connect();
    long.write_all(format!("<13>{}\n", "x".repeat(300)).as_bytes())
        .unwrap_or_else(|error| panic!("{error}"));
    running.wait_for("over-long message", |line| {
        line.contains("over the limit of 100")
    });
    running.signal("INT");
    let (code, stdout) = running.finish();
    let report = json(&stdout);
    assert_eq!(code, Some(1), "{report:#}");
    assert_eq!(findings(&report, "parse-error").len(), 3, "{report:#}");
    assert_eq!(
        findings(&report, "connection-refused").len(),
        1,
        "{report:#}"
    );
    assert_eq!(
        accounting(&report),
        "received 3 messages (udp 0, tcp 3): 0 checked, 3 reported unreadable, 0 of other programs"
    );
    drop((lying, endless, long));
}

#[test]
fn listen_binds_only_where_told_and_stops_after_its_duration() {
    let output = Command::new(binary())
        .args(["listen", "--spec", "ctrl-exec", "--report", "json"])
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(output.status.code(), Some(2));
    let output = Command::new(binary())
        .args(["listen", "--spec", "ctrl-exec", "--udp", "5514"])
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(output.status.code(), Some(2), "a bare port is no address");
    let started = Instant::now();
    let output = Command::new(binary())
        .args([
            "listen",
            "--spec",
            "ctrl-exec",
            "--udp",
            "127.0.0.1:0",
            "--duration",
            "0.3",
            "--report",
            "json",
            "--allow-empty",
        ])
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(started.elapsed() < PATIENCE);
    assert_eq!(output.status.code(), Some(0));
    let report = json(&String::from_utf8_lossy(&output.stdout));
    assert!(accounting(&report).starts_with("received 0 messages"));
}

#[test]
fn listen_receives_what_logger_sends() {
    let logger = Command::new("logger").arg("--version").output();
    if !logger.is_ok_and(|output| output.status.success()) {
        eprintln!("util-linux `logger` is not installed: its part of the live tests is skipped");
        return;
    }
    let (mut running, udp, tcp) = listen_on_both(&[]);
    let send = |args: &[&str], address: SocketAddr, message: &str| {
        let status = Command::new("logger")
            .args(args)
            .args(["--server", &address.ip().to_string(), "--port"])
            .arg(address.port().to_string())
            .args(["--rfc3164", "--tag", "ctrl-exec-agent", message])
            .status()
            .unwrap_or_else(|error| panic!("{error}"));
        assert!(status.success());
    };
    send(&["--udp"], udp, "ACTION=start PORT=7443");
    send(&["--tcp"], tcp, "ACTION=start PORT=7444");
    send(
        &["--tcp", "--octet-count"],
        tcp,
        "ACTION=start PORT=notaport",
    );
    running.wait_for("live finding", |line| line.contains("invalid-value"));
    running.signal("TERM");
    let (code, stdout) = running.finish();
    let report = json(&stdout);
    assert_eq!(code, Some(1), "{report:#}");
    assert_eq!(report["summary"]["records"], 3, "{report:#}");
    assert_eq!(findings(&report, "invalid-value").len(), 1, "{report:#}");
    assert!(accounting(&report).starts_with("received 3 messages (udp 1, tcp 2): 3 checked"));
}

#[test]
fn check_follow_reads_a_growing_rotated_file_and_shows_findings_as_found() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let path = dir.path().join("ctrl-exec.log");
    let lines = example_lines();
    let bad = "Mar 13 12:00:09 ctl-01 ctrl-exec-agent[1]: ACTION=start PORT=notaport";
    let write = |path: &Path, text: String, append: bool| {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(append)
            .write(true)
            .truncate(!append)
            .open(path)
            .unwrap_or_else(|error| panic!("{error}"));
        file.write_all(text.as_bytes())
            .unwrap_or_else(|error| panic!("{error}"));
    };
    write(&path, format!("{}\n{bad}\n", lines[0]), false);
    let path_arg = path.display().to_string();
    let mut running = Running::start(&[
        "check",
        "--spec",
        "ctrl-exec",
        "--report",
        "json",
        "--partial",
        "--follow",
        &path_arg,
    ]);
    running.wait_for("first finding", |line| line.contains(":2"));
    write(&path, format!("{}\n", lines[1]), true);
    // Rotated: renamed away, a new file at the path.
    std::fs::rename(&path, dir.path().join("ctrl-exec.log.1"))
        .unwrap_or_else(|error| panic!("{error}"));
    write(&path, format!("{}\n{bad}\n", lines[2]), false);
    running.wait_for("finding after the rotation", |line| line.contains(":5"));
    running.signal("TERM");
    let (code, stdout) = running.finish();
    let report = json(&stdout);
    assert_eq!(code, Some(1), "{report:#}");
    assert_eq!(report["summary"]["lines"], 5, "{report:#}");
    let lines_found: Vec<u64> = findings(&report, "invalid-value")
        .iter()
        .filter_map(|finding| finding["line"].as_u64())
        .collect();
    assert_eq!(lines_found, vec![2, 5]);
}
