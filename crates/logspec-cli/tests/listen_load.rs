//! `logspec listen` under load on loopback, through the real binary: UDP
//! datagrams at a fixed rate and several TCP connections at once, then the
//! accounting must add up (received = checked + reported unreadable + of
//! other programs; sent over UDP = received over UDP + dropped by the
//! kernel) and nothing sent over TCP may be lost.
//!
//! Test-sized by default; `ci/listen-load` runs it larger, with
//! `LOGSPEC_LOAD_SCALE` (messages are multiplied by it), and the rate it
//! prints is the one BENCHMARKS.md records.

mod common;

use common::live::{
    accounting, example_lines, findings, json, lines_in, listen_on_both, Running, PATIENCE,
};
use serde_json::Value;
use std::io::Write;
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

/// How many times the test-sized load the run sends.
fn scale() -> usize {
    std::env::var("LOGSPEC_LOAD_SCALE")
        .ok()
        .and_then(|value| value.parse().ok())
        .filter(|&scale| scale >= 1)
        .unwrap_or(1)
}

fn start(save: &Path) -> (Running, SocketAddr, SocketAddr) {
    let save = save.display().to_string();
    listen_on_both(&["--save", &save])
}

/// The figures of the `capture-summary` note, in the order it gives them:
/// received, udp, tcp, checked, unreadable, of other programs, dropped.
fn figures(report: &Value) -> Vec<u64> {
    let message = accounting(report);
    let numbers: Vec<u64> = message
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|word| word.parse().ok())
        .collect();
    assert_eq!(numbers.len(), 7, "{message}");
    numbers
}

/// Sends `count` datagrams at `per_second`, paced in 10 ms steps.
fn send_udp(to: SocketAddr, lines: &[String], count: usize, per_second: usize) {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap_or_else(|error| panic!("{error}"));
    let started = Instant::now();
    let per_step = (per_second / 100).max(1);
    for (index, line) in lines.iter().cycle().take(count).enumerate() {
        if index % per_step == 0 {
            let due = started + Duration::from_millis((index / per_step) as u64 * 10);
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                thread::sleep(wait);
            }
        }
        socket
            .send_to(line.as_bytes(), to)
            .unwrap_or_else(|error| panic!("{error}"));
    }
}

/// Sends `count` messages on one connection, octet-counted and
/// newline-ended in turn.
fn send_tcp(to: SocketAddr, lines: &[String], count: usize) {
    let mut stream = TcpStream::connect(to).unwrap_or_else(|error| panic!("{error}"));
    let mut bytes = Vec::new();
    for (index, line) in lines.iter().cycle().take(count).enumerate() {
        if index % 2 == 0 {
            bytes.extend(format!("{} {line}", line.len()).into_bytes());
        } else {
            bytes.extend(format!("{line}\n").into_bytes());
        }
        if bytes.len() > 64 * 1024 {
            stream
                .write_all(&bytes)
                .unwrap_or_else(|error| panic!("{error}"));
            bytes.clear();
        }
    }
    stream
        .write_all(&bytes)
        .unwrap_or_else(|error| panic!("{error}"));
}

/// Sends `count` messages on each of `connections` TCP connections at
/// once; returns when every sender is done.
fn send_tcp_at_once(to: SocketAddr, lines: &[String], connections: usize, count: usize) {
    let senders: Vec<_> = (0..connections)
        .map(|_| {
            let lines = lines.to_vec();
            thread::spawn(move || send_tcp(to, &lines, count))
        })
        .collect();
    for sender in senders {
        sender
            .join()
            .unwrap_or_else(|_| panic!("a TCP sender failed"));
    }
}

/// Waits until the save file stops growing (or holds `expected` lines).
fn settle(save: &Path, expected: usize) -> usize {
    let deadline = Instant::now() + PATIENCE;
    let mut last = usize::MAX;
    loop {
        let now = lines_in(save);
        if now >= expected || (now == last && now > 0) || Instant::now() > deadline {
            return now;
        }
        last = now;
        thread::sleep(Duration::from_millis(500));
    }
}

#[test]
fn listen_accounts_for_every_message_under_load_and_loses_nothing_over_tcp() {
    let scale = scale();
    let udp_count = 5_000 * scale;
    let udp_rate = 5_000;
    let connections = 4;
    let tcp_each = 5_000 * scale;
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let save = dir.path().join("capture.log");
    let (running, udp, tcp) = start(&save);
    let lines = example_lines();
    // Both at once: UDP paced, TCP as fast as the listener takes it.
    let started = Instant::now();
    let udp_lines = lines.clone();
    let udp_sender = thread::spawn(move || send_udp(udp, &udp_lines, udp_count, udp_rate));
    send_tcp_at_once(tcp, &lines, connections, tcp_each);
    udp_sender
        .join()
        .unwrap_or_else(|_| panic!("the UDP sender failed"));
    let both = udp_count + connections * tcp_each;
    let saved = settle(&save, both);
    let elapsed = started.elapsed();
    // Then TCP alone, timed until the last message is saved (the capture
    // flushes --save whenever it waits for messages): the sustained rate.
    let burst = Instant::now();
    send_tcp_at_once(tcp, &lines, connections, tcp_each);
    let deadline = burst + PATIENCE;
    while lines_in(&save) < saved + connections * tcp_each && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
    }
    let sustained = burst.elapsed();
    running.signal("TERM");
    let (code, stdout) = running.finish();
    let report = json(&stdout);
    assert!(matches!(code, Some(0 | 1)), "{code:?}");
    let numbers = figures(&report);
    let [received, over_udp, over_tcp, checked, unreadable, foreign, dropped] = numbers[..] else {
        panic!("{numbers:?}");
    };
    assert_eq!(received, over_udp + over_tcp);
    assert_eq!(received, checked + unreadable + foreign, "{report:#}");
    assert_eq!(
        over_tcp as usize,
        2 * connections * tcp_each,
        "lost over TCP"
    );
    assert_eq!(over_udp + dropped, udp_count as u64, "UDP does not add up");
    assert_eq!(unreadable, 0, "{report:#}");
    assert_eq!(report["summary"]["records"], checked);
    assert_eq!(lines_in(&save) as u64, received, "--save lost messages");
    assert_eq!(
        findings(&report, "datagrams-dropped").len(),
        usize::from(dropped > 0)
    );
    eprintln!(
        "listen load: {both} messages at once in {:.2} s ({saved} saved before the TCP burst): \
         {udp_count} UDP at {udp_rate}/s, {dropped} dropped by the kernel, {} over {connections} \
         TCP connections; then {} over TCP alone in {:.2} s: {:.0} messages/s sustained",
        elapsed.as_secs_f64(),
        connections * tcp_each,
        connections * tcp_each,
        sustained.as_secs_f64(),
        (connections * tcp_each) as f64 / sustained.as_secs_f64()
    );
}

/// A burst far beyond what the receive buffer holds: the kernel drops
/// datagrams, and the report counts them and warns.
#[test]
fn datagrams_the_kernel_dropped_are_counted_and_reported() {
    if !cfg!(target_os = "linux") {
        eprintln!("the kernel's drop count is read on Linux only");
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let save = dir.path().join("capture.log");
    let (running, udp, _) = start(&save);
    // 20,000 datagrams at once: far more than a socket buffer holds
    // while the checker works through them.
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap_or_else(|error| panic!("{error}"));
    let line = &example_lines()[1];
    let sent = 20_000;
    for _ in 0..sent {
        socket
            .send_to(line.as_bytes(), udp)
            .unwrap_or_else(|error| panic!("{error}"));
    }
    settle(&save, sent);
    running.signal("TERM");
    let (_, stdout) = running.finish();
    let report = json(&stdout);
    let numbers = figures(&report);
    let (over_udp, dropped) = (numbers[1], numbers[6]);
    assert!(dropped > 0, "nothing dropped: {report:#}");
    assert_eq!(over_udp + dropped, sent as u64, "{report:#}");
    let warned = findings(&report, "datagrams-dropped");
    assert_eq!(warned.len(), 1, "{report:#}");
    assert!(warned[0]["message"]
        .as_str()
        .is_some_and(|message| message.contains(&format!("dropped {dropped} datagrams"))));
}
