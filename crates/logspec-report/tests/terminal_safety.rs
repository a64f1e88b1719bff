//! The human report goes to a terminal: nothing a log line carries may
//! reach it as a control character, in the quoted line or in the message
//! (which quotes values). Found while writing the bad-bytes snapshot
//! (`snapshots/cli/check-bad-bytes-human.snap`): an escape sequence in a
//! field value was printed raw through the invalid-value message.

use logspec_finding::{Code, Excerpt, Finding};
use logspec_report::human::{render_findings, HumanOptions};
use std::sync::Arc;

#[test]
fn control_characters_in_messages_are_shown_not_sent() {
    let file: Arc<str> = Arc::from("app.log");
    let value = "\u{1b}[31mdb-01\u{7}";
    let mut finding = Finding::new(
        Code::InvalidValue,
        &file,
        3,
        format!("HOST={value} in lock-acquire: not a hostname"),
    );
    finding.excerpt = Some(Excerpt {
        text: format!("ACTION=lock-acquire HOST={value}"),
        span: Some(20..34),
    });
    let mut out = Vec::new();
    if let Err(error) = render_findings(&[finding], HumanOptions::default(), &mut out) {
        panic!("rendering to memory failed: {error}");
    }
    let shown = String::from_utf8_lossy(&out);
    assert!(
        !shown.chars().any(|c| c.is_control() && c != '\n'),
        "{shown:?}"
    );
    assert!(
        shown.contains("HOST=\u{241b}[31mdb-01\u{2407} in lock-acquire"),
        "{shown}"
    );
}
