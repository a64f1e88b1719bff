//! The key=value payload as ctrl-exec writes it: values bare, except those
//! a bare word cannot hold (empty, whitespace, `"`, `=`), which are
//! double-quoted with `"` and `\` escaped.

use crate::record::Field;
use crate::RenderError;

/// `fields` as a payload, in their order, separated by single spaces.
pub fn payload(fields: &[Field]) -> Result<String, RenderError> {
    let mut out = String::new();
    for field in fields {
        if !valid_key(&field.key) {
            return Err(RenderError::Key {
                key: field.key.clone(),
            });
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&field.key);
        out.push('=');
        write_value(&mut out, &field.value);
    }
    Ok(out)
}

/// Whether `value` must be quoted to be read back whole.
pub fn needs_quotes(value: &str) -> bool {
    // Whitespace is what the reader splits bare values on; `=` is quoted
    // as ctrl-exec does, although a reader would not need it.
    value.is_empty() || value.contains([' ', '\t', '"', '='])
}

/// Keys are bare words: not empty, and without whitespace, `=` or `"`.
pub fn valid_key(key: &str) -> bool {
    !key.is_empty() && !key.contains([' ', '\t', '=', '"', '\n', '\r'])
}

fn write_value(out: &mut String, value: &str) {
    if !needs_quotes(value) {
        out.push_str(value);
        return;
    }
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<Field> {
        pairs
            .iter()
            .map(|(key, value)| Field::new(*key, *value))
            .collect()
    }

    #[test]
    fn quotes_only_what_needs_it() {
        let payload = payload(&fields(&[
            ("ACTION", "ping"),
            ("ERROR", "read timeout after 60s"),
            ("MSG", r#"say "hi" C:\dir"#),
            ("EQ", "a=b"),
            ("EMPTY", ""),
            ("PATH", r"C:\dir"),
        ]))
        .unwrap();
        assert_eq!(
            payload,
            r#"ACTION=ping ERROR="read timeout after 60s" MSG="say \"hi\" C:\\dir" EQ="a=b" EMPTY="" PATH=C:\dir"#
        );
    }

    #[test]
    fn bad_keys_are_errors() {
        for key in ["", "A B", "A=B", "A\"B"] {
            assert_eq!(
                payload(&fields(&[(key, "v")])),
                Err(RenderError::Key {
                    key: key.to_owned()
                })
            );
        }
    }
}
