//! The JSON writing the JSON formats share: a record's fields as one
//! object, dotted names nested as a writer that builds objects would nest
//! them, each value as its JSON type.
//!
//! Written by hand rather than through `serde_json::Value` because a record
//! may hold what a map cannot: a member twice (a `duplicate-field`
//! mutation), members in a chosen order, and numbers exactly as generated.

use crate::record::Field;
use crate::RenderError;
use logspec_reader::instant::format_epoch_millis;
use logspec_reader::{field_instant, Instant, JsonKind};

/// How the object is laid out and which JSON dialect it speaks.
#[derive(Debug, Clone, Copy)]
pub(super) struct Style {
    /// One member per line, indented, as a pretty-printer writes a document.
    pub pretty: bool,
    /// MongoDB Extended JSON: object ids and dates as `$oid` and `$date`.
    pub extended: bool,
    /// Canonical Extended JSON: also numbers wrapped, dates as milliseconds.
    pub canonical: bool,
    /// The framing's name, for errors.
    pub framing: &'static str,
}

/// `fields` as one JSON object.
pub(super) fn object(fields: &[Field], style: Style) -> Result<String, RenderError> {
    let members: Vec<(&str, &Field)> = fields
        .iter()
        .map(|field| (field.written_key(), field))
        .collect();
    let mut out = String::new();
    write_object(&mut out, &members, style, 1)?;
    Ok(out)
}

/// Members as an object; a run of adjacent members whose names share a
/// first segment (`actor.ip`, `actor.userId`) becomes one nested object.
fn write_object(
    out: &mut String,
    members: &[(&str, &Field)],
    style: Style,
    depth: usize,
) -> Result<(), RenderError> {
    out.push('{');
    let mut rest = members;
    let mut first = true;
    while let Some(&(name, field)) = rest.first() {
        if !first {
            out.push(',');
        }
        first = false;
        newline(out, style, depth);
        match split(name) {
            Some((head, _)) => {
                let run = rest
                    .iter()
                    .take_while(|(other, _)| split(other).is_some_and(|(h, _)| h == head))
                    .count();
                let inner: Vec<(&str, &Field)> = rest[..run]
                    .iter()
                    .filter_map(|(other, field)| split(other).map(|(_, tail)| (tail, *field)))
                    .collect();
                write_string(out, head);
                out.push_str(separator(style));
                write_object(out, &inner, style, depth + 1)?;
                rest = &rest[run..];
            }
            None => {
                write_string(out, name);
                out.push_str(separator(style));
                write_value(out, field, style)?;
                rest = &rest[1..];
            }
        }
    }
    if !members.is_empty() {
        newline(out, style, depth - 1);
    }
    out.push('}');
    Ok(())
}

/// `head.tail` for a name that nests; `None` for one written as it is
/// (no dot, or an empty part, which nesting could not reproduce).
fn split(name: &str) -> Option<(&str, &str)> {
    name.split_once('.')
        .filter(|(head, tail)| !head.is_empty() && !tail.is_empty() && !tail.starts_with('.'))
}

fn separator(style: Style) -> &'static str {
    if style.pretty {
        ": "
    } else {
        ":"
    }
}

fn newline(out: &mut String, style: Style, depth: usize) {
    if style.pretty {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    }
}

pub(super) fn write_string(out: &mut String, text: &str) {
    out.push_str(&serde_json::Value::String(text.to_owned()).to_string());
}

fn write_value(out: &mut String, field: &Field, style: Style) -> Result<(), RenderError> {
    let value = field.value.as_str();
    let refuse = |json: &'static str| RenderError::Json {
        key: field.key.clone(),
        value: value.to_owned(),
        json,
        framing: style.framing.to_owned(),
    };
    match field.json {
        JsonKind::String => write_string(out, value),
        JsonKind::Null => out.push_str("null"),
        JsonKind::Boolean if matches!(value, "true" | "false") => out.push_str(value),
        JsonKind::Number if is_json_number(value) => {
            if style.canonical {
                let wrapper = if value.contains(['.', 'e', 'E']) {
                    "$numberDouble"
                } else {
                    "$numberLong"
                };
                out.push_str(&format!("{{\"{wrapper}\":\"{value}\"}}"));
            } else {
                out.push_str(value);
            }
        }
        JsonKind::ObjectId if style.extended => {
            out.push_str("{\"$oid\":");
            write_string(out, value);
            out.push('}');
        }
        JsonKind::Date if style.extended && !style.canonical => {
            out.push_str("{\"$date\":");
            write_string(out, value);
            out.push('}');
        }
        JsonKind::Date if style.extended => {
            // The reader turns milliseconds back into this one spelling.
            let millis = match field_instant(value, None) {
                Some(Instant::Absolute(micros)) if micros % 1000 == 0 => Some(micros / 1000),
                _ => None,
            }
            .filter(|&millis| format_epoch_millis(millis).as_deref() == Some(value))
            .ok_or_else(|| refuse("a canonical $date"))?;
            out.push_str(&format!("{{\"$date\":{{\"$numberLong\":\"{millis}\"}}}}"));
        }
        other => return Err(refuse(other.name())),
    }
    Ok(())
}

/// JSON's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
pub(crate) fn is_json_number(text: &str) -> bool {
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    digits(whole)
        && (whole == "0" || !whole.starts_with('0'))
        && fraction.is_none_or(digits)
        && exponent
            .is_none_or(|exponent| digits(exponent.strip_prefix(['+', '-']).unwrap_or(exponent)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(key: &str, value: &str, json: JsonKind) -> Field {
        Field {
            json,
            ..Field::new(key, value)
        }
    }

    const PLAIN: Style = Style {
        pretty: false,
        extended: false,
        canonical: false,
        framing: "json-lines",
    };

    #[test]
    fn nests_adjacent_dotted_names() {
        let fields = [
            field("actor.ip", "::1", JsonKind::String),
            field("actor.userId", "u", JsonKind::String),
            field("n", "-1.5e3", JsonKind::Number),
            field("actor.name", "a\"b", JsonKind::String),
            field("z", "", JsonKind::Null),
            field("a..b", "x", JsonKind::String),
        ];
        assert_eq!(
            object(&fields, PLAIN).unwrap(),
            r#"{"actor":{"ip":"::1","userId":"u"},"n":-1.5e3,"actor":{"name":"a\"b"},"z":null,"a..b":"x"}"#
        );
        let pretty = Style {
            pretty: true,
            ..PLAIN
        };
        assert_eq!(
            object(&fields[..2], pretty).unwrap(),
            "{\n  \"actor\": {\n    \"ip\": \"::1\",\n    \"userId\": \"u\"\n  }\n}"
        );
        assert_eq!(object(&[], pretty).unwrap(), "{}");
    }

    #[test]
    fn extended_wrappers() {
        let fields = [
            field("_id", "663e2b1f9c1d4e5f6a7b8c9d", JsonKind::ObjectId),
            field("at", "2026-05-10T14:02:11.453Z", JsonKind::Date),
            field("n", "5", JsonKind::Number),
        ];
        let relaxed = Style {
            extended: true,
            ..PLAIN
        };
        assert_eq!(
            object(&fields, relaxed).unwrap(),
            r#"{"_id":{"$oid":"663e2b1f9c1d4e5f6a7b8c9d"},"at":{"$date":"2026-05-10T14:02:11.453Z"},"n":5}"#
        );
        let canonical = Style {
            canonical: true,
            ..relaxed
        };
        assert_eq!(
            object(&fields, canonical).unwrap(),
            r#"{"_id":{"$oid":"663e2b1f9c1d4e5f6a7b8c9d"},"at":{"$date":{"$numberLong":"1778421731453"}},"n":{"$numberLong":"5"}}"#
        );
        let odd_date = [field("at", "2026-05-10T14:02:11Z", JsonKind::Date)];
        assert!(object(&odd_date, canonical).is_err());
        assert!(object(&fields[..1], PLAIN).is_err());
    }

    #[test]
    fn json_numbers() {
        for good in ["0", "-0", "42", "142.5", "1e3", "-1.5E+3"] {
            assert!(is_json_number(good), "{good}");
        }
        for bad in ["", "-", "007", "1.", ".5", "1e", "+1", "0x1", "1 "] {
            assert!(!is_json_number(bad), "{bad}");
        }
    }
}
