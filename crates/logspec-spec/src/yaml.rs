//! Spec text to data: the one YAML parse every spec goes through, shared
//! with the build script, which parses the built-in specs ahead of time
//! with it (so that a built-in's data is what loading its text would give).

/// The YAML data of `text`, as every spec is loaded: what
/// [`load_parsed`](crate::load_parsed) expects its data to be. Comments are not kept: nothing reads them, and
/// collecting them is a tenth of the parse. Nor are snippets of the text
/// around an error: a problem shows its line and column, and rendering a
/// snippet only to throw it away was a tenth of loading a broken spec.
pub fn parse_yaml(text: &str) -> Result<serde_json::Value, serde_saphyr::Error> {
    let mut options = serde_saphyr::Options::default();
    options.emit_comments = false;
    options.with_snippet = false;
    serde_saphyr::from_str_with_options(text, options)
}
