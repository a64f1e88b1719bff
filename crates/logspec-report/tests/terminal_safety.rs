//! The human report goes to a terminal: nothing a log line carries may
//! reach it as a control character, in the quoted line or in the message
//! (which quotes values). Found while writing the bad-bytes snapshot
//! (`snapshots/cli/check-bad-bytes-human.snap`): an escape sequence in a
//! field value was printed raw through the invalid-value message.

use logspec_finding::{Code, Excerpt, Finding};
use logspec_report::human::{render_findings, HumanOptions};
use std::sync::Arc;

fn finding_with_an_escape() -> Finding {
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
    finding
}

fn shown(options: HumanOptions) -> String {
    let mut out = Vec::new();
    if let Err(error) = render_findings(&[finding_with_an_escape()], options, &mut out) {
        panic!("rendering to memory failed: {error}");
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Asserts that `text` holds no control character but line ends, and
/// shows the value's escape and bell as symbols.
fn assert_shown_not_sent(text: &str) {
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
    assert!(
        text.contains("HOST=\u{241b}[31mdb-01\u{2407} in lock-acquire"),
        "{text}"
    );
}

#[test]
fn control_characters_in_messages_are_shown_not_sent() {
    assert_shown_not_sent(&shown(HumanOptions::default()));
}

/// In colour, the only escape sequences are the report's own styles.
#[test]
fn in_colour_only_the_reports_styles_are_sent() {
    let shown = shown(HumanOptions {
        color: true,
        ..HumanOptions::default()
    });
    assert!(shown.contains("\u{1b}[1m\u{1b}[31m"), "{shown:?}");
    // Bold red (errors), dim, bold, reset; the line's own `ESC[31m` alone
    // is none of them.
    let mut plain = shown.clone();
    for style in ["\u{1b}[1m\u{1b}[31m", "\u{1b}[2m", "\u{1b}[1m", "\u{1b}[0m"] {
        plain = plain.replace(style, "");
    }
    assert_shown_not_sent(&plain);
}
