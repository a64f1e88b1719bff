//! Bad input is normal input: every line is counted, every unreadable line
//! is a located `parse-error`, and checking goes on after it.

use logspec_checker::{CheckOptions, Checker, Code, Finding, InputSummary, Plan};

fn run(input: impl std::io::BufRead, max_line_bytes: usize) -> (InputSummary, Vec<Finding>) {
    let loaded = match logspec_spec::builtin("ctrl-exec").map(|builtin| builtin.load()) {
        Some(Ok(loaded)) => loaded,
        _ => panic!("built-in ctrl-exec spec does not load"),
    };
    let plan = Plan::new(&loaded.spec);
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
    // Every line is accounted for: a record, or a finding on its line.
    assert!(summary.records <= summary.lines);
    assert!(findings.iter().all(|finding| finding.line <= summary.lines));
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
