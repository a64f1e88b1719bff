//! Every check finding code, each with input that must raise it and the
//! nearest input that must not, against the built-in ctrl-exec spec.

use logspec_checker::{CheckOptions, Checker, Code, Finding, Plan};
use logspec_reader::Format;

fn plan() -> Plan {
    let loaded = match logspec_spec::builtin("ctrl-exec").map(|builtin| builtin.load()) {
        Some(Ok(loaded)) => loaded,
        Some(Err(error)) => panic!("built-in spec does not load: {error}"),
        None => panic!("no built-in ctrl-exec spec"),
    };
    Plan::new(&loaded.spec).expect("spec compiles")
}

fn check_with(input: &[u8], format: Option<Format>) -> Vec<Finding> {
    let plan = plan();
    let mut checker = Checker::new(
        &plan,
        CheckOptions {
            format,
            max_line_bytes: 4096,
            // Per-line checks only; stream rules have their own tests.
            stream_rules: false,
            ..CheckOptions::default()
        },
    );
    let mut findings = Vec::new();
    match checker.check_input("test.log", input, &mut findings) {
        Ok(_) => findings,
        Err(error) => panic!("reading from memory failed: {error}"),
    }
}

fn codes(input: &str) -> Vec<(u64, &'static str)> {
    check_with(input.as_bytes(), None)
        .iter()
        .map(|finding| (finding.line, finding.code.as_str()))
        .collect()
}

fn assert_raises(input: &str, code: Code) {
    let found = codes(input);
    assert!(
        found.iter().any(|(_, found)| *found == code.as_str()),
        "{input:?} should raise {}, raised {found:?}",
        code.as_str()
    );
}

fn assert_clean(input: &str) {
    let found = check_with(input.as_bytes(), None);
    assert!(
        found.is_empty(),
        "{input:?} should be clean, raised {found:#?}"
    );
}

const DISPATCH: &str = "ACTION=dispatch SCRIPT=backup HOSTS=db-01,db-02 REQID=a1b2c3d4e5f60001";

#[test]
fn parse_error() {
    assert_raises("ACTION=run SCRIPT=\"backup\n", Code::ParseError);
    assert_raises(
        "<999>Mar 13 12:00:01 host ctrl-exec[1]: ACTION=api-stop\n",
        Code::ParseError,
    );
    assert_clean(
        "ACTION=run-store-fail REQID=a1b2c3d4e5f60001 ERROR=\"No space left on device\"\n",
    );
}

#[test]
fn empty_line_and_empty_input() {
    assert_eq!(codes(""), vec![(0, "empty-input")]);
    assert_eq!(
        codes("\n\n"),
        vec![(1, "empty-line"), (2, "empty-line"), (2, "empty-input")]
    );
    assert_eq!(
        codes(&format!("{DISPATCH}\n\n{DISPATCH}\n")),
        vec![(2, "empty-line")]
    );
    assert_clean(&format!("{DISPATCH}\n{DISPATCH}\n"));
}

#[test]
fn byte_order_mark() {
    let line = format!("Mar 13 12:00:01 host ctrl-exec[1]: {DISPATCH}\n");
    assert_eq!(
        codes(&format!("\u{FEFF}{line}{line}")),
        vec![(1, "byte-order-mark")]
    );
    assert_clean(&line);
    // Only at the start of the input.
    assert_raises(&format!("{line}\u{FEFF}{line}"), Code::ParseError);
}

#[test]
fn formats_disagree() {
    let line = format!("Mar 13 12:00:01 host ctrl-exec[1]: {DISPATCH}\n");
    // A stray first line does not make the input bare: it is read as the
    // syslog its other lines are, and is an error of its own.
    let text = format!("starting capture\n{line}{line}");
    assert_eq!(
        codes(&text),
        vec![(1, "formats-disagree"), (1, "parse-error")]
    );
    // An input of bare payloads is bare, from its first line on.
    assert_clean(&format!("{DISPATCH}\n{DISPATCH}\n"));
    // And one whose lines all fit a catch-all is read as one, to the end.
    assert_eq!(
        codes("just text\nmore text\n"),
        vec![(1, "parse-error"), (2, "parse-error"), (2, "empty-input")]
    );
}

#[test]
fn a_later_line_of_another_format_is_named() {
    let syslog = format!("Mar 13 12:00:01 host ctrl-exec[1]: {DISPATCH}\n");
    let rfc5424 = format!("<30>1 2026-03-13T12:00:01.003Z host ctrl-exec 1 - - {DISPATCH}\n");
    let found = check_with(format!("{syslog}{rfc5424}").as_bytes(), None);
    let codes: Vec<_> = found.iter().map(|f| (f.line, f.code.as_str())).collect();
    assert_eq!(codes, vec![(2, "parse-error")]);
    assert!(
        found[0].message.contains(
            "the line has the shape of rfc5424, another format ctrl-exec declares, \
             but the input is read as rfc3164 throughout"
        ),
        "{}",
        found[0].message
    );
    // A format the spec does not declare is named as such.
    let logback = "2026-05-10T14:02:11.453Z INFO [main] a.b -- x\n";
    let found = check_with(format!("{syslog}{logback}").as_bytes(), None);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0]
            .message
            .contains("the shape of logback, a format ctrl-exec does not declare"),
        "{}",
        found[0].message
    );
    // A broken line of the input's own format gets no hint, and the verdict
    // is the same either way: a parse error on that line only.
    let found = check_with(
        format!("{syslog}Mar 13 12:00:01 host\n{syslog}").as_bytes(),
        None,
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!((found[0].line, found[0].code.as_str()), (2, "parse-error"));
    assert!(
        !found[0].message.contains("shape of"),
        "{}",
        found[0].message
    );
    // Nor does plain text, which loose shapes (an RCE readable title) fit.
    let found = check_with(
        format!("{syslog}complete and utter nonsense\n").as_bytes(),
        None,
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        !found[0].message.contains("shape of"),
        "{}",
        found[0].message
    );
}

#[test]
fn unknown_event() {
    assert_eq!(
        codes("ACTION=job-queued SCRIPT=backup\n"),
        vec![(1, "unknown-event")]
    );
    assert_clean("ACTION=api-stop\n");
}

#[test]
fn missing_field() {
    assert_eq!(
        codes("ACTION=dispatch SCRIPT=backup HOSTS=db-01\n"),
        vec![(1, "missing-field")]
    );
    assert_eq!(codes("SCRIPT=backup\n"), vec![(1, "missing-field")]);
    assert_clean(&format!("{DISPATCH}\n"));
}

#[test]
fn unexpected_field() {
    let found = check_with(format!("{DISPATCH} USER=bob\n").as_bytes(), None);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, Code::UnexpectedField);
    assert_eq!(found[0].field.as_deref(), Some("USER"));
    // A field the variant says is absent: renew failure has no STATUS.
    assert_raises(
        "ACTION=renew TARGET=web-01:7443 ERROR=\"x\" STATUS=starting REQID=b2c3d4e5f6a70002\n",
        Code::UnexpectedField,
    );
    assert_clean(
        "ACTION=renew TARGET=web-01:7443 ERROR=\"connection refused\" REQID=b2c3d4e5f6a70002\n",
    );
}

#[test]
fn invalid_value() {
    for bad in [
        "ACTION=dispatch SCRIPT=backup HOSTS=db-01,db-02 REQID=A1B2C3D4E5F60001",
        "ACTION=dispatch SCRIPT=backup HOSTS=db-01,db-02 REQID=a1b2c3d4e5f6",
        "ACTION=ping TARGET=web-01 RESULT=ok RTT=42ms REQID=a1b2c3d4e5f60001",
        "ACTION=ping TARGET=web-01:7443 RESULT=ok RTT=42s REQID=a1b2c3d4e5f60001",
        "ACTION=ping TARGET=web-01:7443 RESULT=ok RTT=fast REQID=a1b2c3d4e5f60001",
        "ACTION=api-request METHOD= PATH=/run PEER=127.0.0.1 LEN=0",
        "ACTION=start PORT=0",
        "ACTION=api-start PORT=7445 BIND=127.0.0.1 TLS=maybe",
        "ACTION=dispatch SCRIPT= HOSTS=db-01 REQID=a1b2c3d4e5f60001",
    ] {
        let found = codes(&format!("{bad}\n"));
        assert_eq!(found, vec![(1, "invalid-value")], "{bad}");
    }
    assert_clean("ACTION=ping TARGET=web-01:7443 RESULT=ok RTT=42ms REQID=a1b2c3d4e5f60001\n");
    // The document types these only by example (RTT=42ms, METHOD GET or
    // POST): a number of milliseconds without its unit, any HTTP method.
    assert_clean("ACTION=ping TARGET=web-01:7443 RESULT=ok RTT=42 REQID=a1b2c3d4e5f60001\n");
    assert_clean("ACTION=ping TARGET=web-01:7443 RESULT=ok RTT=0.8ms REQID=a1b2c3d4e5f60001\n");
    assert_clean("ACTION=api-request METHOD=m-search PATH=/run PEER=127.0.0.1 LEN=0\n");
    // A placeholder is valid only where its section mentions it.
    assert_clean("ACTION=serial-reject PEER=10.0.0.1 PEER_SERIAL=deadbeef REQID=(none)\n");
    assert_raises(
        "ACTION=dispatch SCRIPT=backup HOSTS=db-01 REQID=(none)\n",
        Code::InvalidValue,
    );
}

#[test]
fn duplicate_field() {
    let found = codes(&format!("{DISPATCH} SCRIPT=other\n"));
    assert_eq!(found, vec![(1, "duplicate-field")]);
}

#[test]
fn severity_mismatch() {
    // ping error is ERR (3): <27> is daemon.err, <30> daemon.info.
    let error_line = "ctrl-exec[1]: ACTION=ping TARGET=web-01:7443 ERROR=\"read timeout\" RTT=60001ms REQID=a1b2c3d4e5f60001";
    assert_eq!(
        codes(&format!("<30>Mar 13 12:00:01 {error_line}\n")),
        vec![(1, "severity-mismatch")]
    );
    assert_clean(&format!("<27>Mar 13 12:00:01 {error_line}\n"));
}

#[test]
fn facility_mismatch() {
    // <134> is local0.info.
    assert_eq!(
        codes("<134>Mar 13 12:00:01 ctrl-exec-api[1]: ACTION=api-stop\n"),
        vec![(1, "facility-mismatch")]
    );
    assert_clean("<30>Mar 13 12:00:01 ctrl-exec-api[1]: ACTION=api-stop\n");
}

#[test]
fn emitter_mismatch() {
    assert_eq!(
        codes("Mar 13 12:00:01 host ctrl-exec-agent[1]: ACTION=api-stop\n"),
        vec![(1, "emitter-mismatch")]
    );
    // Both tags the document gives the dispatcher are accepted.
    assert_clean(
        "Mar 13 12:00:01 host ctrl-exec[1]: ACTION=cert-check DAYS_LEFT=120 THRESHOLD=90\n",
    );
    assert_clean(
        "Mar 13 12:00:01 host ctrl-exec-dispatcher[1]: ACTION=cert-check DAYS_LEFT=120 THRESHOLD=90\n",
    );
}

#[test]
fn event_key_not_first() {
    assert_eq!(
        codes("HOSTS=db-01 ACTION=lock-release SCRIPT=backup\n"),
        vec![(1, "event-key-not-first")]
    );
    assert_clean("ACTION=lock-release HOSTS=db-01 SCRIPT=backup\n");
}

#[test]
fn field_order() {
    let found = check_with(b"ACTION=lock-release SCRIPT=backup HOSTS=db-01\n", None);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, Code::FieldOrder);
    assert_eq!(found[0].severity, logspec_checker::Severity::Warning);
    assert_clean("ACTION=lock-release HOSTS=db-01 SCRIPT=backup\n");
}

#[test]
fn variants_are_told_apart() {
    let classify =
        |line: &str| -> Vec<Finding> { check_with(format!("{line}\n").as_bytes(), None) };
    // Each documented form passes as itself...
    for line in [
        "ACTION=ping TARGET=web-01:7443 RESULT=ok RTT=42ms REQID=a1b2c3d4e5f60001",
        "ACTION=ping TARGET=web-01:7443 ERROR=\"read timeout after 60s\" RTT=60001ms REQID=a1b2c3d4e5f60001",
        "ACTION=ping PEER=10.0.0.1 DISPATCHER=ctrl-exec-primary REQID=a1b2c3d4e5f60001",
        "ACTION=deny SCRIPT=unknown-script PEER=10.0.0.1 REQID=a1b2c3d4e5f60001",
        "ACTION=config-warn ENTRY=10.0.0.0/20 MSG=\"unsupported prefix length\"",
        "ACTION=config-warn KEY=rate_limit_volume MSG=\"invalid format\"",
    ] {
        assert!(classify(line).is_empty(), "{line}: {:#?}", classify(line));
    }
    // ...and a broken one is judged against the form it is closest to.
    let found = classify("ACTION=ping TARGET=web-01:7443 RESULT=ok REQID=a1b2c3d4e5f60001");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].variant.as_deref(), Some("success"));
    assert_eq!(found[0].field.as_deref(), Some("RTT"));
}

#[test]
fn agent_and_dispatcher_sides_by_tag() {
    // Same fields, told apart only by the tag: pair-timeout.
    let line = "ACTION=pair-timeout REQID=a1b2c3d4e5f60001";
    assert_clean(&format!("<28>Mar 13 12:00:01 ctrl-exec[1]: {line}\n"));
    assert_clean(&format!("<28>Mar 13 12:00:01 ctrl-exec-agent[1]: {line}\n"));
    // Dispatcher-side pair-denied is INFO, agent-side WARNING with REASON.
    assert_clean("<30>Mar 13 12:00:01 ctrl-exec[1]: ACTION=pair-denied REQID=a1b2c3d4e5f60001\n");
    assert_clean(
        "<28>Mar 13 12:00:01 ctrl-exec-agent[1]: ACTION=pair-denied REQID=a1b2c3d4e5f60001 REASON=denied\n",
    );
}

#[test]
fn findings_carry_location_and_names() {
    let found = check_with(
        b"Mar 13 12:00:01 host ctrl-exec[1]: ACTION=ping TARGET=web-01 RESULT=ok RTT=42ms REQID=a1b2c3d4e5f60001\n",
        None,
    );
    assert_eq!(found.len(), 1);
    let finding = &found[0];
    assert_eq!(&*finding.file, "test.log");
    assert_eq!(finding.line, 1);
    assert_eq!(finding.event.as_deref(), Some("ping"));
    assert_eq!(finding.variant.as_deref(), Some("success"));
    assert_eq!(finding.field.as_deref(), Some("TARGET"));
    let excerpt = finding.excerpt.as_ref().map(|excerpt| {
        let span = excerpt.span.clone().unwrap_or(0..0);
        excerpt.text[span].to_owned()
    });
    assert_eq!(excerpt.as_deref(), Some("web-01"));
    assert_eq!(finding.column, Some(55));
}

/// Facts the document states only in prose, each with a line that breaks
/// it and one that keeps it.
#[test]
fn prose_facts_are_enforced() {
    // REASON=serial-mismatch belongs to the variant that carries PEER_SERIAL.
    assert_raises(
        "ACTION=capabilities-deny PEER=10.0.0.1 REASON=serial-mismatch\n",
        Code::MissingField,
    );
    assert_clean("ACTION=capabilities-deny PEER=10.0.0.1 REASON=denied\n");
    // "hook exited N" stands for exit codes other than the ones with their
    // own text (1, 2, 3) and success (0).
    for code in ["4", "9", "10", "127", "255"] {
        assert_clean(&format!(
            "ACTION=capabilities-deny PEER=10.0.0.1 REASON=\"hook exited {code}\"\n"
        ));
    }
    for code in ["0", "1", "2", "3", "01"] {
        assert_raises(
            &format!("ACTION=capabilities-deny PEER=10.0.0.1 REASON=\"hook exited {code}\"\n"),
            Code::InvalidValue,
        );
    }
    // On the agent side IP is the dispatcher's address, never loopback.
    let agent_auth = |ip: &str| {
        format!("Mar 13 12:00:01 db-01 ctrl-exec-agent[1]: ACTION=auth RESULT=pass AUTHACTION=run USER=alice IP={ip}\n")
    };
    assert_raises(&agent_auth("127.0.0.1"), Code::InvalidValue);
    assert_clean(&agent_auth("10.0.0.1"));
    // A GET carries no body.
    assert_raises(
        "ACTION=api-request METHOD=GET PATH=/status PEER=127.0.0.1 LEN=87\n",
        Code::InvalidValue,
    );
    assert_clean("ACTION=api-request METHOD=GET PATH=/status PEER=127.0.0.1 LEN=0\n");
    assert_clean("ACTION=api-request METHOD=DELETE PATH=/run PEER=127.0.0.1 LEN=0\n");
    // The overlap end is a UTC timestamp.
    assert_raises(
        "ACTION=cert-rotated OLD_SERIAL=09abcdef NEW_SERIAL=0a1b2c3d OVERLAP_EXPIRES=2026-04-13T14:30:00+02:00 AGENTS=12\n",
        Code::InvalidValue,
    );
    // ISO 8601 lets the seconds go; the example's spelling does not bind.
    assert_clean(
        "ACTION=cert-rotated OLD_SERIAL=09abcdef NEW_SERIAL=0a1b2c3d OVERLAP_EXPIRES=2026-04-13T14:30Z AGENTS=12\n",
    );
    // Dispatch targets may carry a port.
    assert_clean("ACTION=dispatch SCRIPT=backup HOSTS=db-01:7443,db-02 REQID=a1b2c3d4e5f60001\n");
    // The CLI path never goes through the API: under the API's tag the line
    // is read as the API's no-hook variant, whose REASON it contradicts.
    assert_raises(
        "Mar 13 12:00:01 ctl ctrl-exec-api[1]: ACTION=auth RESULT=pass REASON=no-hook-cli AUTHACTION=run USER=alice IP=127.0.0.1\n",
        Code::InvalidValue,
    );
    assert_clean(
        "Mar 13 12:00:01 ctl ctrl-exec-dispatcher[1]: ACTION=auth RESULT=pass REASON=no-hook-cli AUTHACTION=run USER=alice IP=127.0.0.1\n",
    );
}
