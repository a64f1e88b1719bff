//! Running the real `logspec` in a live mode (`listen`, `check --follow`)
//! for the tests: its standard error read line by line, signals, the
//! reports it writes at the end. Every wait is bounded.

use serde_json::Value;
use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::thread;
use std::time::{Duration, Instant};

/// Longest any single wait in these tests may take.
pub const PATIENCE: Duration = Duration::from_secs(30);

pub fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("logspec")
}

/// A running `logspec`, its standard error read line by line and its
/// standard output as it comes (a report larger than the pipe holds must
/// not stall it); killed if a test fails before it ends.
pub struct Running {
    child: Option<Child>,
    stderr: Receiver<String>,
    stdout: Receiver<String>,
    pub seen: Vec<String>,
}

impl Running {
    pub fn start(args: &[&str]) -> Running {
        let mut child = Command::new(binary())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| panic!("{error}"));
        let stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
        let (sender, receiver) = channel();
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut out = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        let (sender, stdout) = channel();
        thread::spawn(move || {
            let mut text = String::new();
            let _ = out.read_to_string(&mut text);
            let _ = sender.send(text);
        });
        Running {
            child: Some(child),
            stderr: receiver,
            stdout,
            seen: Vec::new(),
        }
    }

    /// Waits for a line of standard error that `wanted` accepts.
    pub fn wait_for(&mut self, what: &str, wanted: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.stderr.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if wanted(&line) {
                        return line;
                    }
                }
                Err(_) => break,
            }
        }
        panic!(
            "no {what} on standard error; saw:\n{}",
            self.seen.join("\n")
        );
    }

    /// The addresses `listen` says it bound.
    pub fn bound(&mut self) -> (Option<SocketAddr>, Option<SocketAddr>) {
        let line = self.wait_for("listening line", |line| line.contains("listening on"));
        let find = |protocol: &str| {
            line.split([',', ';'])
                .find(|part| part.contains(&format!("{protocol} ")))
                .and_then(|part| part.split_whitespace().last())
                .and_then(|address| address.parse().ok())
        };
        (find("udp"), find("tcp"))
    }

    pub fn signal(&self, name: &str) {
        let pid = self.child.as_ref().map_or(0, Child::id);
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!("kill -{name} {pid}"))
            .status()
            .unwrap_or_else(|error| panic!("{error}"));
        assert!(status.success());
    }

    /// Waits for the exit; the exit code and standard output.
    pub fn finish(mut self) -> (Option<i32>, String) {
        let mut child = self
            .child
            .take()
            .unwrap_or_else(|| panic!("finished twice"));
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = child.try_wait().unwrap_or_else(|error| panic!("{error}")) {
                let stdout = self
                    .stdout
                    .recv_timeout(PATIENCE)
                    .unwrap_or_else(|error| panic!("standard output not read: {error}"));
                return (status.code(), stdout);
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("logspec did not end");
            }
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

pub fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("not JSON ({error}): {text}"))
}

pub fn findings<'a>(report: &'a Value, code: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|finding| finding["code"] == code)
        .collect()
}

pub fn accounting(report: &Value) -> String {
    let summary = findings(report, "capture-summary");
    assert_eq!(summary.len(), 1, "{report:#}");
    summary[0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

pub fn lines_in(path: &Path) -> usize {
    std::fs::read(path).map_or(0, |bytes| bytes.iter().filter(|&&b| b == b'\n').count())
}

/// Waits until `path` holds `count` lines (the capture flushes its save
/// file whenever it waits for messages).
pub fn wait_for_lines(path: &Path, count: usize) {
    let deadline = Instant::now() + PATIENCE;
    while lines_in(path) < count {
        assert!(
            Instant::now() < deadline,
            "{} of {count} lines saved",
            lines_in(path)
        );
        thread::sleep(Duration::from_millis(20));
    }
}

/// The bundled ctrl-exec example's lines: what the live tests send.
pub fn example_lines() -> Vec<String> {
    std::fs::read_to_string(super::repo_path("spec/examples/ctrl-exec.log"))
        .unwrap_or_else(|error| panic!("{error}"))
        .lines()
        .map(str::to_owned)
        .collect()
}

/// `logspec listen` with the ctrl-exec spec on loopback UDP and TCP (ports
/// the system picks), a JSON report and `--partial`, plus `extra`; with
/// the two addresses it bound.
pub fn listen_on_both(extra: &[&str]) -> (Running, SocketAddr, SocketAddr) {
    let mut args = vec![
        "listen",
        "--spec",
        "ctrl-exec",
        "--udp",
        "127.0.0.1:0",
        "--tcp",
        "127.0.0.1:0",
        "--report",
        "json",
        "--partial",
    ];
    args.extend_from_slice(extra);
    let mut running = Running::start(&args);
    let (udp, tcp) = running.bound();
    (
        running,
        udp.unwrap_or_else(|| panic!("no udp address")),
        tcp.unwrap_or_else(|| panic!("no tcp address")),
    )
}
