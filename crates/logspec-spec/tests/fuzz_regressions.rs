//! Inputs the fuzz targets (`fuzz/`) found breaking a promise, kept as
//! ordinary tests so each bug stays fixed without a fuzzer. Each test names
//! the target that found it.

use logspec_spec::{builtin, load_str, LoadError};

/// `spec`: the text `\r-\r` and a byte. YAML counts a lone `\r` as a line
/// break, so the error sat on line 3 of a text that `str::lines` sees as
/// one line, and `line_text` quoted the wrong line (or none) for every
/// location in a spec written with old Mac line endings.
#[test]
fn locations_and_quoted_lines_count_a_lone_cr_as_a_line_break() {
    match load_str("\r-\r\u{FFFD}", "cr.yaml") {
        Err(LoadError::Invalid { problems, .. }) => {
            assert_eq!(problems[0].location.line, 3, "{problems:?}");
        }
        other => panic!("expected a YAML error, got {other:?}"),
    }
    let text = match builtin("ctrl-exec") {
        Some(builtin) => builtin.text,
        None => panic!("no built-in ctrl-exec"),
    };
    for newline in ["\n", "\r\n", "\r"] {
        let loaded = match load_str(&text.replace('\n', newline), "spec.yaml") {
            Ok(loaded) => loaded,
            Err(error) => panic!("{newline:?} line endings: {error}"),
        };
        let at = loaded.locate("/producer/name");
        assert_eq!(
            loaded.line_text(at.line),
            Some("  name: ctrl-exec"),
            "{newline:?} line endings"
        );
    }
}
