//! How Hexon records relate, where the document says so: for each such
//! statement (section cited in the test), inputs that keep it pass without a
//! finding and inputs that break it raise exactly the finding that encodes
//! it. The catalogue's other relations are listed as unchecked in the spec.

use crate::common;

use common::{at, check_builtin};

fn findings(name: &str, text: &str) -> Vec<(String, u64, &'static str)> {
    check_builtin("hexon", &[(name, text)])
}

/// One JSON-lines entry with the envelope keys.
fn entry(level: &str, event: &str, msg: &str) -> String {
    format!(
        r#"{{"time":"2026-11-29T09:00:00Z","level":"{level}","event":"{event}","msg":"{msg}"}}"#
    ) + "\n"
}

const STREAM: &str = "hexon.jsonl";

// Cluster & Operations › Telemetry & Logging › Stderr diagnostics: "These
// messages appear only in stderr, never in the structured log stream".
#[test]
fn telemetry_diagnostics_never_appear_in_the_structured_stream() {
    let diagnostic = "[TELEMETRY] OTLP provider shutdown error: context deadline exceeded\n";
    let structured = entry("INFO", "proxy.init", "Proxy service initialized");
    assert_eq!(findings("hexon.stderr", diagnostic), vec![]);
    assert_eq!(findings(STREAM, &structured), vec![]);
    assert_eq!(
        findings(STREAM, &format!("{structured}{diagnostic}")),
        vec![at(STREAM, 2, "console-line")]
    );
}

// Cluster & Operations › Configuration System: "None of these are
// queryable via 'logs search'. They appear only in process stdout/stderr."
#[test]
fn configuration_console_output_never_appears_in_the_structured_stream() {
    let console = "[CONFIG-HOTRELOAD] Config reload successful\n";
    let structured = entry("INFO", "proxy.init", "Proxy service initialized");
    assert_eq!(findings("hexon.stdout", console), vec![]);
    assert_eq!(
        findings(STREAM, &format!("{structured}{console}")),
        vec![at(STREAM, 2, "console-line")]
    );
}
