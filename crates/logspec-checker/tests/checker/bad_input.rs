//! Bad input is normal input: every line is counted, every unreadable line
//! is a located `parse-error`, and checking goes on after it.

use crate::common;

use logspec_checker::{CheckOptions, Checker, Code, Finding, InputSummary, Plan};

fn run(input: impl std::io::BufRead, max_line_bytes: usize) -> (InputSummary, Vec<Finding>) {
    let loaded = match logspec_spec::builtin("ctrl-exec").map(|builtin| builtin.load()) {
        Some(Ok(loaded)) => loaded,
        _ => panic!("built-in ctrl-exec spec does not load"),
    };
    let plan = Plan::new(&loaded.spec).expect("spec compiles");
    let mut checker = Checker::new(
        &plan,
        CheckOptions {
            format: None,
            max_line_bytes,
            // Per-line checks only; stream rules have their own tests.
            stream_rules: false,
            ..CheckOptions::default()
        },
    );
    let mut findings = Vec::new();
    match checker.check_input("bad.log", input, &mut findings) {
        Ok(summary) => (summary, findings),
        Err(error) => panic!("reading from memory failed: {error}"),
    }
}

const GOOD: &[u8] = b"ACTION=lock-acquire HOST=db-01 SCRIPT=backup";

fn lines(parts: &[&[u8]]) -> Vec<u8> {
    parts.join(&b'\n')
}

fn parse_errors(findings: &[Finding]) -> Vec<(u64, Option<usize>)> {
    findings
        .iter()
        .filter(|finding| finding.code == Code::ParseError)
        .map(|finding| (finding.line, finding.column))
        .collect()
}

#[test]
fn invalid_utf8_is_located_and_checking_goes_on() {
    let input = lines(&[
        GOOD,
        b"ACTION=lock-acquire HOST=db\xff01 SCRIPT=backup",
        GOOD,
        b"",
    ]);
    let (summary, findings) = run(&input[..], 4096);
    assert_eq!(summary.lines, 3);
    assert_eq!(summary.records, 2);
    assert_eq!(parse_errors(&findings), vec![(2, Some(28))]);
    assert_eq!(findings.len(), 1);
}

#[test]
fn nul_bytes_are_located() {
    let input = lines(&[b"ACTION=lock-acquire HOST=db-01\0 SCRIPT=backup", GOOD]);
    let (summary, findings) = run(&input[..], 4096);
    assert_eq!(summary.lines, 2);
    assert_eq!(parse_errors(&findings), vec![(1, Some(31))]);
}

#[test]
fn a_ten_megabyte_line_is_reported_not_buffered() {
    let mut input = GOOD.to_vec();
    input.push(b'\n');
    input.extend(std::iter::repeat_n(b'x', 10 << 20));
    input.push(b'\n');
    input.extend_from_slice(GOOD);
    // A reader handing out small chunks, as a pipe would.
    let chunked = std::io::BufReader::with_capacity(4096, &input[..]);
    let (summary, findings) = run(chunked, 1 << 20);
    assert_eq!(summary.lines, 3);
    assert_eq!(summary.records, 2);
    assert_eq!(parse_errors(&findings), vec![(2, None)]);
    assert!(
        findings[0].message.contains("over the limit"),
        "{}",
        findings[0].message
    );
}

#[test]
fn crlf_line_endings_are_read_as_lines() {
    let input = b"ACTION=lock-acquire HOST=db-01 SCRIPT=backup\r\nACTION=api-stop\r\n";
    let (summary, findings) = run(&input[..], 4096);
    assert_eq!(summary.lines, 2);
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn binary_garbage_is_parse_errors_never_a_panic() {
    let mut garbage = Vec::new();
    let mut state: u32 = 0x1234_5678;
    for _ in 0..64 * 1024 {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        garbage.push((state >> 24) as u8);
    }
    let newlines = garbage.iter().filter(|&&byte| byte == b'\n').count() as u64;
    let (summary, findings) = run(&garbage[..], 4096);
    let ends_in_newline = garbage.last() == Some(&b'\n');
    assert_eq!(summary.lines, newlines + u64::from(!ends_in_newline));
    // No line of random bytes is a record: every line has its parse error
    // (invalid UTF-8, or an envelope that does not read; an empty line is
    // an empty line), located on it.
    assert_eq!(summary.records, 0, "{summary:?}");
    let mut located: Vec<u64> = findings
        .iter()
        .filter(|finding| matches!(finding.code, Code::ParseError | Code::EmptyLine))
        .map(|finding| finding.line)
        .collect();
    located.sort_unstable();
    located.dedup();
    let every_line: Vec<u64> = (1..=summary.lines).collect();
    assert_eq!(located, every_line, "{findings:#?}");
    // And nothing was checked, which is said.
    let empty = findings
        .iter()
        .filter(|finding| finding.code == Code::EmptyInput)
        .count();
    assert_eq!(empty, 1, "{findings:#?}");
}

#[test]
fn a_truncated_last_line_is_still_checked() {
    let input = b"ACTION=lock-acquire HOST=db-01 SCRIPT=backup\nACTION=dispatch SCRIPT=backup HOSTS=db-01 REQ";
    let (summary, findings) = run(&input[..], 4096);
    assert_eq!(summary.lines, 2);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].line, 2);
    assert_eq!(findings[0].code, Code::ParseError);
}

#[test]
fn an_empty_file_is_not_a_pass() {
    let (summary, findings) = run(&b""[..], 4096);
    assert_eq!(summary.lines, 0);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].code, Code::EmptyInput);
}

/// xorshift64: reproducible mangling without a dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Streams of every new format, mangled byte by byte, through the built-in
/// specs that read them: no panic, every line counted, every parse-error
/// located inside the input.
#[test]
fn mangled_streams_of_every_record_format_never_panic() {
    let seeds: &[(&str, &str, &str)] = &[
        (
            "agent-hub",
            "runtime/audit.log",
            "{\"event\": \"command_executed\", \"run_id\": \"20250115_143122_e5f6g7h8\", \"command\": \"Get-Process \\u00e9\", \"exit_code\": 0, \"duration_ms\": 142.5, \"ts\": \"2025-01-15T14:31:22\"}\n",
        ),
        (
            "agent-hub",
            "runtime/runs/x/record.json",
            "{\n\"run_id\": \"20250115_143122_e5f6g7h8\",\n\"cwd\": \"C:\\\\provara\",\n\"command\": \"x\",\n\"exit_code\": 0,\n\"stdout\": \"\",\n\"stderr\": \"\",\n\"ts\": 1705329082.456,\n\"duration_ms\": 142.5\n}\n",
        ),
        (
            "agent-hub",
            "events.sse",
            "event: run_started\ndata: {\"event\": \"run_started\", \"run_id\": \"20250115_143122_e5f6g7h8\"}\n\n: ping\n\n",
        ),
        (
            "agent-hub",
            "stdout.log",
            "2025-01-15 14:31:15 | INFO | src.server.exec.runner | [20250115_143100_abc] Executing: whoami\nTraceback:\n",
        ),
        (
            "prexorcloud",
            "logs/latest.log",
            "2026-05-10T14:02:11.453Z INFO [http-1] [requestId=abf12d49] api.groups -- create\n\tat x\n",
        ),
        (
            "prexorcloud",
            "audit_log.json",
            "{\"_id\":{\"$oid\":\"663e2b139c1d4e5f6a7b8c02\"},\"createdAt\":{\"$date\":{\"$numberLong\":\"1778421731470\"}},\"requestId\":\"r\",\"actor\":{\"userId\":\"u\",\"username\":\"a\",\"ip\":\"::1\"},\"type\":\"groups.create\",\"target\":\"t\",\"detail\":\"d\",\"outcome\":\"o\",\"error\":null}\n",
        ),
        (
            "rce-eventlog",
            "events-readable.log",
            "-----\nServer Port Opened\n  Event time:     2024-03-01T11:00:00.123\n  Port type:      ssh\n  IP port number: 31005\n  IP bind address: ::\n\n",
        ),
    ];
    const ALPHABET: &[u8] = b"{}[]\":,\\\n\r\t -|=01aZ$\xff\xc3\xa9\0";
    let plans: Vec<(&str, Plan)> = ["agent-hub", "prexorcloud", "rce-eventlog"]
        .into_iter()
        .map(
            |spec| match logspec_spec::builtin(spec).map(|builtin| builtin.load()) {
                Some(Ok(loaded)) => (spec, Plan::new(&loaded.spec).expect("spec compiles")),
                _ => panic!("built-in {spec} does not load"),
            },
        )
        .collect();
    let mut rng = Rng(0x5EED_2024_0003);
    for round in 0..600 {
        let (spec, name, seed) = seeds[round % seeds.len()];
        let Some((_, plan)) = plans.iter().find(|(name, _)| *name == spec) else {
            panic!("no plan for {spec}");
        };
        let mut input = seed.as_bytes().to_vec();
        for _ in 0..=rng.below(4) {
            let at = rng.below(input.len() + 1);
            let byte = ALPHABET[rng.below(ALPHABET.len())];
            match rng.below(3) {
                0 => input.insert(at, byte),
                1 if at < input.len() => input[at] = byte,
                _ => input.truncate(at),
            }
        }
        let line_count = input.split(|&b| b == b'\n').count()
            - usize::from(input.last() == Some(&b'\n') || input.is_empty());
        let mut checker = Checker::new(
            plan,
            CheckOptions {
                max_line_bytes: 96,
                ..CheckOptions::default()
            },
        );
        let mut findings = Vec::new();
        let summary = match checker.check_input(name, &input[..], &mut findings) {
            Ok(summary) => summary,
            Err(error) => panic!("{error}"),
        };
        assert_eq!(summary.lines as usize, line_count, "{spec} {input:?}");
        for finding in findings.iter().filter(|f| f.code == Code::ParseError) {
            assert!(
                (1..=summary.lines).contains(&finding.line),
                "{spec} {input:?}: {finding:#?}"
            );
        }
    }
}

/// `\r\n` line ends (a capture made on Windows, or by curl) read like `\n`.
#[test]
fn crlf_streams_of_the_record_formats_read_like_lf() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "rce-eventlog",
            "events-readable.log",
            "Server Port Opened\n  Event time:     2024-03-01T11:00:00.123\n  Port type:      ssh\n  IP port number: 31005\n  IP bind address: 0.0.0.0\n\nApplication Terminating\n  Event time: 2024-03-01T11:00:01.000\n",
        ),
        (
            "agent-hub",
            "events.sse",
            "event: run_started\ndata: {\"event\": \"run_started\", \"run_id\": \"20250115_143122_e5f6g7h8\"}\n\nevent: run_finished\ndata: {\"event\": \"run_finished\", \"run_id\": \"20250115_143122_e5f6g7h8\", \"exit_code\": 0}\n\n",
        ),
        (
            "agent-hub",
            "runtime/runs/20250115_143122_e5f6g7h8/record.json",
            "{\n\"run_id\": \"20250115_143122_e5f6g7h8\",\n\"cwd\": \"C:\\\\provara\",\n\"command\": \"x\",\n\"exit_code\": 0,\n\"stdout\": \"\",\n\"stderr\": \"\",\n\"ts\": 1705329082.456,\n\"duration_ms\": 142.5\n}\n",
        ),
    ];
    for (spec, name, text) in cases {
        let plan = match logspec_spec::builtin(spec).map(|builtin| builtin.load()) {
            Some(Ok(loaded)) => Plan::new(&loaded.spec).expect("spec compiles"),
            _ => panic!("built-in {spec} does not load"),
        };
        let crlf = text.replace('\n', "\r\n");
        let mut checker = Checker::new(&plan, CheckOptions::default());
        let mut findings = Vec::new();
        if let Err(error) = checker.check_input(name, crlf.as_bytes(), &mut findings) {
            panic!("{error}");
        }
        assert!(findings.is_empty(), "{spec} {name}: {findings:#?}");
    }
}

/// Other programs in a shared syslog are counted one finding per program,
/// at its first line; past the cap on distinct programs the rest share one
/// count, so a log of endless program names cannot grow the state.
#[test]
fn foreign_programs_are_counted_per_program_up_to_the_cap() {
    use logspec_checker::stream::MAX_FOREIGN_PROGRAMS;
    let plan = common::builtin_plan("ctrl-exec");
    let programs = MAX_FOREIGN_PROGRAMS + 3;
    let mut text = String::new();
    for round in 0..2 {
        for program in 0..programs {
            let second = (round * programs + program) % 60;
            text += &format!("Mar 13 12:00:{second:02} host prog{program}[1]: hello\n");
        }
    }
    text += "Mar 13 12:01:00 ctl-01 ctrl-exec-api[811]: ACTION=api-start PORT=7445 BIND=127.0.0.1 TLS=no\n";
    let (findings, _) = common::run(&plan, &[("shared.log", &text)], Default::default());
    let counted: Vec<(u64, String)> = findings
        .iter()
        .filter(|finding| finding.code.as_str() == "foreign-program")
        .map(|finding| (finding.line, finding.message.clone()))
        .collect();
    assert_eq!(counted.len(), MAX_FOREIGN_PROGRAMS + 1, "{counted:?}");
    assert!(
        counted[0].1.starts_with("2 lines of prog0,"),
        "{}",
        counted[0].1
    );
    let (line, others) = &counted[MAX_FOREIGN_PROGRAMS];
    assert_eq!(*line, MAX_FOREIGN_PROGRAMS as u64 + 1);
    assert!(
        others.starts_with(&format!(
            "6 lines of programs beyond the first {MAX_FOREIGN_PROGRAMS}"
        )),
        "{others}"
    );
}
