//! Value checks compiled from the spec's value types.
//!
//! The checks are written here rather than taken from a date or network
//! crate because a finding must say *which part* of a value is wrong
//! ("port 70000 is out of range", "month 13") and must accept exactly what
//! the spec format promises, no more: a lenient parser is a false pass.

use crate::error::Unresolved;
use logspec_reader::JsonKind;
use logspec_spec::{DurationUnit, HexCase, JsonType, Pattern, ValueKind, ValueSpec};
use std::net::IpAddr;
use std::sync::Arc;

mod json;
mod refusal;
pub use refusal::Refusal;

/// A compiled value type: checks one value, says what is wrong with it.
#[derive(Debug, Clone)]
pub struct ValueCheck {
    shape: Shape,
    /// Further constraints every value must also meet: `values` or
    /// `pattern` given on a type that is not itself an enum or pattern,
    /// and a variant's narrowing of a glossary type.
    narrowing: Vec<Shape>,
    also: Vec<String>,
    empty_allowed: bool,
    /// JSON types a JSON record's value may have; any when `None`.
    json: Option<Vec<JsonType>>,
    /// Whether a JSON `null` is accepted.
    nullable: bool,
}

/// A JSON Schema a value's JSON must satisfy, for statements about a
/// structured value's content (Hexon's DLP `violations` hold detector
/// names, actions and counts, never the matched text).
#[derive(Clone)]
struct JsonSchema(Arc<jsonschema::Validator>);

impl JsonSchema {
    /// A schema that does not compile is an error (the loader reports
    /// those first): dropping it would pass every value.
    fn compile(schema: &serde_json::Value) -> Result<JsonSchema, Unresolved> {
        jsonschema::validator_for(schema)
            .map(|validator| JsonSchema(Arc::new(validator)))
            .map_err(|error| Unresolved::Schema(error.to_string()))
    }

    fn check(&self, value: &str) -> Result<(), String> {
        let parsed = parse_json(value)
            .ok_or_else(|| "not JSON, where the document describes a JSON value".to_owned())?;
        let first = self.0.iter_errors(&parsed).next().map(|error| {
            let at = error.instance_path().to_string();
            let at = if at.is_empty() {
                "the value".to_owned()
            } else {
                at
            };
            format!("{at}: {error}")
        });
        first.map_or(Ok(()), Err)
    }
}

/// The JSON `text` holds. A number beyond `f64` (`1e999`) is valid JSON
/// (RFC 8259 sets no range, and the record reader accepted it), but
/// serde_json refuses it: such a number is read as the largest `f64` of its
/// sign, so a schema's bounds still judge it and it is never "not JSON".
fn parse_json(text: &str) -> Option<serde_json::Value> {
    match json::from_str(text) {
        Ok(value) => Some(value),
        Err(_) => json::from_str(&clamp_huge_numbers(text)?).ok(),
    }
}

/// `text` with each number outside `f64`'s range replaced by `±f64::MAX`;
/// `None` when it has no such number (the JSON is wrong for another reason).
fn clamp_huge_numbers(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut at, mut copied, mut in_string, mut clamped) = (0, 0, false, false);
    while let Some(&byte) = bytes.get(at) {
        if in_string {
            match byte {
                b'\\' => at += 1,
                b'"' => in_string = false,
                _ => {}
            }
            at += 1;
            continue;
        }
        if byte == b'"' {
            in_string = true;
            at += 1;
            continue;
        }
        if byte == b'-' || byte.is_ascii_digit() {
            let end = bytes
                .get(at..)
                .and_then(|rest| {
                    rest.iter().position(|b| {
                        !(b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
                    })
                })
                .map_or(bytes.len(), |length| at + length);
            let number = text.get(at..end).unwrap_or_default();
            if number.parse::<f64>().is_ok_and(f64::is_infinite) {
                out.push_str(text.get(copied..at).unwrap_or_default());
                let sign = if number.starts_with('-') { "-" } else { "" };
                out.push_str(&format!("{sign}{:e}", f64::MAX));
                copied = end;
                clamped = true;
            }
            at = end;
            continue;
        }
        at += 1;
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    clamped.then_some(out)
}

impl std::fmt::Debug for JsonSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JsonSchema")
    }
}

#[derive(Debug, Clone)]
enum Shape {
    Json(JsonSchema),
    Text {
        min_chars: Option<usize>,
        max_chars: Option<usize>,
    },
    Integer {
        min: Option<i64>,
        max: Option<i64>,
    },
    Hex {
        min_len: usize,
        max_len: Option<usize>,
        case: HexCase,
    },
    Duration {
        units: Vec<DurationUnit>,
    },
    HostPort,
    Ip,
    Hostname,
    Host,
    List {
        item: Box<ValueCheck>,
        separator: String,
    },
    Timestamp,
    OneOf(Vec<String>),
    NoneOf(Vec<String>),
    Matches(Pattern),
    Number {
        min: Option<i64>,
        max: Option<i64>,
    },
}

impl ValueCheck {
    /// Compiles a value type. A type lacking what it cannot do without
    /// (the schema requires it, so the loader refuses such a spec) or with
    /// a schema that does not compile is an error, never a laxer check.
    pub fn compile(spec: &ValueSpec) -> Result<ValueCheck, Unresolved> {
        let incomplete = |setting| Unresolved::Incomplete {
            kind: spec.kind.name(),
            setting,
        };
        let shape = match spec.kind {
            ValueKind::String => Shape::Text {
                min_chars: spec.min_length,
                max_chars: spec.max_length,
            },
            ValueKind::Integer => Shape::Integer {
                min: spec.min,
                max: spec.max,
            },
            ValueKind::Hex => Shape::Hex {
                min_len: spec.length.or(spec.min_length).unwrap_or(1),
                max_len: spec.length.or(spec.max_length),
                case: spec.case.unwrap_or(HexCase::Any),
            },
            ValueKind::Duration => Shape::Duration {
                units: spec.units.clone().unwrap_or_else(|| {
                    vec![
                        DurationUnit::Ns,
                        DurationUnit::Us,
                        DurationUnit::Ms,
                        DurationUnit::S,
                        DurationUnit::M,
                        DurationUnit::H,
                        DurationUnit::D,
                    ]
                }),
            },
            ValueKind::HostPort => Shape::HostPort,
            ValueKind::Ip => Shape::Ip,
            ValueKind::Hostname => Shape::Hostname,
            ValueKind::Host => Shape::Host,
            ValueKind::List => Shape::List {
                item: Box::new(ValueCheck::compile(
                    spec.item.as_deref().ok_or_else(|| incomplete("item"))?,
                )?),
                separator: spec.separator.clone().unwrap_or_else(|| ",".to_owned()),
            },
            ValueKind::Timestamp => Shape::Timestamp,
            ValueKind::Enum => {
                Shape::OneOf(spec.values.clone().ok_or_else(|| incomplete("values"))?)
            }
            ValueKind::Pattern => {
                Shape::Matches(spec.pattern.clone().ok_or_else(|| incomplete("pattern"))?)
            }
            ValueKind::Number => Shape::Number {
                min: spec.min,
                max: spec.max,
            },
        };
        let mut check = ValueCheck {
            shape,
            narrowing: Vec::new(),
            also: spec.also.clone(),
            empty_allowed: spec.empty,
            json: spec.json.clone(),
            nullable: spec.nullable,
        };
        if !matches!(spec.kind, ValueKind::Enum | ValueKind::Pattern) {
            check = check.narrowed(spec.values.as_deref(), spec.pattern.as_ref());
        }
        if let Some(schema) = &spec.schema {
            check
                .narrowing
                .push(Shape::Json(JsonSchema::compile(schema)?));
        }
        Ok(check.excluding(&spec.except))
    }

    /// This check, rejecting the values in `except`.
    pub fn excluding(mut self, except: &[String]) -> ValueCheck {
        if !except.is_empty() {
            self.narrowing.push(Shape::NoneOf(except.to_vec()));
        }
        self
    }

    /// This check, also accepting JSON `null` when `nullable`.
    pub fn or_null(mut self, nullable: bool) -> ValueCheck {
        self.nullable |= nullable;
        self
    }

    /// This check, also accepting the literal values `also`.
    pub fn also_accepting(mut self, also: &[String]) -> ValueCheck {
        self.also.extend(also.iter().cloned());
        self
    }

    /// This check, further limited to `values` and to `pattern`.
    pub fn narrowed(mut self, values: Option<&[String]>, pattern: Option<&Pattern>) -> ValueCheck {
        if let Some(values) = values {
            self.narrowing.push(Shape::OneOf(values.to_vec()));
        }
        if let Some(pattern) = pattern {
            self.narrowing.push(Shape::Matches(pattern.clone()));
        }
        self
    }

    /// A check that accepts any non-empty text.
    pub fn text() -> ValueCheck {
        ValueCheck {
            shape: Shape::Text {
                min_chars: None,
                max_chars: None,
            },
            narrowing: Vec::new(),
            also: Vec::new(),
            empty_allowed: false,
            json: None,
            nullable: false,
        }
    }

    /// An ISO 8601 date or date and time, as the `timestamp` type takes it.
    pub fn iso_time() -> ValueCheck {
        ValueCheck {
            shape: Shape::Timestamp,
            ..ValueCheck::text()
        }
    }

    /// `Ok` when `value`, of JSON type `json` in a JSON record (`None` in
    /// text formats), has the type; otherwise why not.
    pub fn check_typed(&self, value: &str, json: Option<JsonKind>) -> Result<(), Refusal<'_>> {
        match json {
            Some(JsonKind::Null) if self.nullable => return Ok(()),
            Some(JsonKind::Null) => {
                return Err(Refusal::from("null, where a value is required".to_owned()))
            }
            Some(kind) => {
                if let Some(allowed) = self
                    .json
                    .as_ref()
                    .filter(|allowed| json_type(kind).is_none_or(|found| !allowed.contains(&found)))
                {
                    let names: Vec<&str> = allowed.iter().map(|json| json.name()).collect();
                    return Err(Refusal::from(format!(
                        "{}, but the value must be {}",
                        kind.name(),
                        names.join(" or ")
                    )));
                }
            }
            None => {}
        }
        self.check(value)
    }

    /// `Ok` when a JSON object (which JSON records flatten into members
    /// under the field's name) may be the value: its JSON types allow one
    /// and its type is free text; otherwise why not.
    pub fn check_object(&self) -> Result<(), String> {
        if let Some(allowed) = self
            .json
            .as_ref()
            .filter(|allowed| !allowed.contains(&JsonType::Object))
        {
            let names: Vec<&str> = allowed.iter().map(|json| json.name()).collect();
            return Err(format!(
                "a JSON object, but the value must be {}",
                names.join(" or ")
            ));
        }
        match (&self.shape, self.narrowing.is_empty()) {
            (Shape::Text { .. }, true) => Ok(()),
            _ => Err("a JSON object, where the document describes a single value".to_owned()),
        }
    }

    /// `Ok` when `value` has the type, otherwise why not.
    pub fn check(&self, value: &str) -> Result<(), Refusal<'_>> {
        if value.is_empty() {
            return if self.empty_allowed || self.also.iter().any(|also| also.is_empty()) {
                Ok(())
            } else {
                Err(Refusal::from("the value is empty".to_owned()))
            };
        }
        if self.also.iter().any(|also| also == value) {
            return Ok(());
        }
        self.shape.check(value)?;
        self.narrowing
            .iter()
            .try_for_each(|narrowing| narrowing.check(value))
    }

    /// A short description of what the check accepts, for messages.
    pub fn describe(&self) -> String {
        let mut base = self.shape.describe();
        for narrowing in &self.narrowing {
            base = format!("{base}, {}", narrowing.describe());
        }
        if !self.also.is_empty() {
            base = format!("{base} or {}", quoted_list(&self.also));
        }
        if let Some(json) = &self.json {
            let names: Vec<&str> = json.iter().map(|json| json.name()).collect();
            base = format!("{base}, as {}", names.join(" or "));
        }
        if self.nullable {
            base = format!("{base}, or null");
        }
        base
    }
}

impl Shape {
    fn check(&self, value: &str) -> Result<(), Refusal<'_>> {
        match self {
            Shape::Text {
                min_chars,
                max_chars,
            } => {
                let chars = value.chars().count();
                if min_chars.is_some_and(|min| chars < min) {
                    return Err(Refusal::from(format!(
                        "{chars} characters, fewer than {}",
                        min_chars.unwrap_or(0)
                    )));
                }
                if let Some(max) = max_chars.filter(|&max| chars > max) {
                    return Err(Refusal::from(format!(
                        "{chars} characters, more than {max}"
                    )));
                }
                Ok(())
            }
            Shape::Integer { min, max } => {
                let number = parse_integer(value)?;
                if let Some(min) = min.filter(|&min| number < min) {
                    return Err(Refusal::from(format!(
                        "{number} is below the minimum {min}"
                    )));
                }
                if let Some(max) = max.filter(|&max| number > max) {
                    return Err(Refusal::from(format!(
                        "{number} is above the maximum {max}"
                    )));
                }
                Ok(())
            }
            Shape::Hex {
                min_len,
                max_len,
                case,
            } => Ok(check_hex(value, *min_len, *max_len, *case)?),
            Shape::Duration { units } => Ok(check_duration(value, units)?),
            Shape::HostPort => Ok(check_host_port(value)?),
            Shape::Ip => match value.parse::<IpAddr>() {
                Ok(_) => Ok(()),
                Err(_) => Err(Refusal::from("not an IPv4 or IPv6 address".to_owned())),
            },
            Shape::Hostname => Ok(check_hostname(value)?),
            Shape::Host => Ok(check_host(value)?),
            Shape::List { item, separator } => {
                for (index, element) in value.split(separator.as_str()).enumerate() {
                    item.check(element)
                        .map_err(|why| format!("element {} ({element:?}): {why}", index + 1))?;
                }
                Ok(())
            }
            Shape::Timestamp => Ok(check_timestamp(value)?),
            Shape::OneOf(values) => {
                if values.iter().any(|allowed| allowed == value) {
                    Ok(())
                } else {
                    Err(Refusal::NotOneOf(values))
                }
            }
            Shape::NoneOf(values) => {
                if values.iter().any(|excluded| excluded == value) {
                    Err(Refusal::from(format!("{value:?} is never written here")))
                } else {
                    Ok(())
                }
            }
            Shape::Json(schema) => Ok(schema.check(value)?),
            Shape::Matches(pattern) => {
                if pattern.is_match(value) {
                    Ok(())
                } else {
                    Err(Refusal::NoMatch(pattern))
                }
            }
            Shape::Number { min, max } => {
                let number = parse_number(value)?;
                if let Some(min) = min.filter(|&min| number < min as f64) {
                    return Err(Refusal::from(format!("{value} is below the minimum {min}")));
                }
                if let Some(max) = max.filter(|&max| number > max as f64) {
                    return Err(Refusal::from(format!("{value} is above the maximum {max}")));
                }
                Ok(())
            }
        }
    }

    fn describe(&self) -> String {
        match self {
            Shape::Text { .. } => "text".to_owned(),
            Shape::Integer { min, max } => match (min, max) {
                (Some(min), Some(max)) => format!("an integer from {min} to {max}"),
                (Some(min), None) => format!("an integer of at least {min}"),
                (None, Some(max)) => format!("an integer of at most {max}"),
                (None, None) => "an integer".to_owned(),
            },
            Shape::Hex {
                min_len,
                max_len,
                case,
            } => {
                let case = match case {
                    HexCase::Lower => "lowercase ",
                    HexCase::Upper => "uppercase ",
                    HexCase::Any => "",
                };
                match max_len {
                    Some(max) if max == min_len => format!("{max} {case}hex digits"),
                    Some(max) => format!("{min_len} to {max} {case}hex digits"),
                    None => format!("{case}hex digits"),
                }
            }
            Shape::Duration { units } => format!(
                "a duration like 42{}",
                units.first().map_or("ms", |unit| unit.suffix())
            ),
            Shape::HostPort => "host:port".to_owned(),
            Shape::Ip => "an IP address".to_owned(),
            Shape::Hostname => "a hostname".to_owned(),
            Shape::Host => "a hostname or IP address".to_owned(),
            Shape::List { item, separator } => {
                format!("a {separator:?}-separated list of {}", item.describe())
            }
            Shape::Timestamp => "an ISO 8601 timestamp".to_owned(),
            Shape::OneOf(values) => format!("one of {}", quoted_list(values)),
            Shape::NoneOf(values) => format!("never {}", quoted_list(values)),
            Shape::Matches(pattern) => format!("text matching /{}/", pattern.source()),
            Shape::Json(_) => "JSON of the documented shape".to_owned(),
            Shape::Number { min, max } => match (min, max) {
                (Some(min), Some(max)) => format!("a number from {min} to {max}"),
                (Some(min), None) => format!("a number of at least {min}"),
                (None, Some(max)) => format!("a number of at most {max}"),
                (None, None) => "a number".to_owned(),
            },
        }
    }
}

/// The spec's name for a JSON type the reader found (`null` is not a
/// type in the spec but a flag, `nullable`).
fn json_type(kind: JsonKind) -> Option<JsonType> {
    match kind {
        JsonKind::String => Some(JsonType::String),
        JsonKind::Number => Some(JsonType::Number),
        JsonKind::Boolean => Some(JsonType::Boolean),
        JsonKind::Array => Some(JsonType::Array),
        JsonKind::Object => Some(JsonType::Object),
        JsonKind::ObjectId => Some(JsonType::ObjectId),
        JsonKind::Date => Some(JsonType::Date),
        JsonKind::Null => None,
    }
}

/// A decimal number, `-?[0-9]+(.[0-9]+)?`, with an exponent as JSON
/// allows; leading zeros are tolerated (`007`), signs other than a leading
/// minus are not.
fn parse_number(value: &str) -> Result<f64, String> {
    let unsigned = value.strip_prefix('-').unwrap_or(value);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let exponent_ok = exponent
        .is_none_or(|exponent| digits(exponent.strip_prefix(['+', '-']).unwrap_or(exponent)));
    if !digits(whole) || !fraction.is_none_or(digits) || !exponent_ok {
        return Err("not a number".to_owned());
    }
    value
        .parse::<f64>()
        .ok()
        .filter(|number| number.is_finite())
        .ok_or_else(|| "a number too large to represent".to_owned())
}

fn quoted_list(values: &[String]) -> String {
    values
        .iter()
        .map(|value| format!("{value:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn parse_integer(value: &str) -> Result<i64, String> {
    let digits = value.strip_prefix('-').unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err("not an integer".to_owned());
    }
    value
        .parse::<i64>()
        .map_err(|_| "an integer too large to represent".to_owned())
}

fn check_hex(
    value: &str,
    min_len: usize,
    max_len: Option<usize>,
    case: HexCase,
) -> Result<(), String> {
    if let Some(position) = value.find(|c: char| !c.is_ascii_hexdigit()) {
        return Err(format!(
            "not hex: {:?} at position {}",
            &value[position..].chars().next().unwrap_or('?'),
            position + 1
        ));
    }
    match case {
        HexCase::Lower if value.bytes().any(|byte| byte.is_ascii_uppercase()) => {
            return Err("hex digits must be lowercase".to_owned())
        }
        HexCase::Upper if value.bytes().any(|byte| byte.is_ascii_lowercase()) => {
            return Err("hex digits must be uppercase".to_owned())
        }
        _ => {}
    }
    let length = value.len();
    match max_len {
        Some(max) if max == min_len && length != max => {
            Err(format!("{length} hex digits, expected {max}"))
        }
        Some(max) if length > max => Err(format!("{length} hex digits, more than {max}")),
        _ if length < min_len => Err(format!("{length} hex digits, fewer than {min_len}")),
        _ => Ok(()),
    }
}

fn check_duration(value: &str, units: &[DurationUnit]) -> Result<(), String> {
    let number_end = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(number_end);
    let well_formed = !number.is_empty()
        && !number.starts_with('.')
        && !number.ends_with('.')
        && number.matches('.').count() <= 1;
    if !well_formed {
        return Err("not a duration: expected a number followed by a unit".to_owned());
    }
    if units.iter().any(|allowed| allowed.suffix() == unit) {
        Ok(())
    } else {
        let allowed: Vec<&str> = units.iter().map(|unit| unit.suffix()).collect();
        if unit.is_empty() {
            Err(format!(
                "the duration has no unit (expected {})",
                allowed.join(", ")
            ))
        } else {
            Err(format!(
                "unit {unit:?} is not one of {}",
                allowed.join(", ")
            ))
        }
    }
}

fn check_hostname(value: &str) -> Result<(), String> {
    if value.len() > 253 {
        return Err(format!("{} characters, more than 253", value.len()));
    }
    for label in value.strip_suffix('.').unwrap_or(value).split('.') {
        if label.is_empty() {
            return Err("empty label in hostname".to_owned());
        }
        if label.len() > 63 {
            return Err(format!("label {label:?} is longer than 63 characters"));
        }
        if let Some(bad) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            return Err(format!("character {bad:?} is not allowed in a hostname"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(format!("label {label:?} starts or ends with '-'"));
        }
    }
    Ok(())
}

/// A hostname, an IP address, or a bracketed IPv6 address.
fn check_host(value: &str) -> Result<(), String> {
    let unbracketed = value
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'));
    if let Some(inner) = unbracketed {
        return inner
            .parse::<std::net::Ipv6Addr>()
            .map(|_| ())
            .map_err(|_| format!("{inner:?} is not an IPv6 address"));
    }
    if value.parse::<IpAddr>().is_ok() {
        return Ok(());
    }
    check_hostname(value)
}

fn check_host_port(value: &str) -> Result<(), String> {
    let (host, port) = if let Some(rest) = value.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .ok_or_else(|| "unclosed '[' in host:port".to_owned())?;
        let port = after
            .strip_prefix(':')
            .ok_or_else(|| "no :port after the bracketed address".to_owned())?;
        host.parse::<std::net::Ipv6Addr>()
            .map_err(|_| format!("{host:?} is not an IPv6 address"))?;
        (None, port)
    } else {
        let (host, port) = value
            .rsplit_once(':')
            .ok_or_else(|| "no port: expected host:port".to_owned())?;
        if host.contains(':') {
            return Err("an IPv6 address must be bracketed: [addr]:port".to_owned());
        }
        (Some(host), port)
    };
    if let Some(host) = host {
        if host.parse::<IpAddr>().is_err() {
            check_hostname(host).map_err(|why| format!("host {host:?}: {why}"))?;
        }
    }
    match parse_integer(port) {
        Ok(number) if (1..=65535).contains(&number) => Ok(()),
        Ok(number) => Err(format!("port {number} is out of range 1-65535")),
        Err(_) => Err(format!("port {port:?} is not a number")),
    }
}

/// ISO 8601 calendar date with optional time and zone, the profile RFC 3339
/// and `date -Iseconds` produce: `2026-04-13`, `2026-04-13T14:30:00Z`,
/// `2026-04-13T14:30:00.123+02:00`.
fn check_timestamp(value: &str) -> Result<(), String> {
    let bytes = value.as_bytes();
    let digits = |range: std::ops::Range<usize>, what: &str| -> Result<u32, String> {
        let part = value
            .get(range)
            .filter(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| format!("expected {what}"))?;
        part.parse::<u32>().map_err(|_| format!("expected {what}"))
    };
    let separator = |at: usize, expected: u8, what: &str| -> Result<(), String> {
        if bytes.get(at) == Some(&expected) {
            Ok(())
        } else {
            Err(format!("expected {what} at position {}", at + 1))
        }
    };
    let year = digits(0..4, "a four-digit year")?;
    separator(4, b'-', "'-'")?;
    let month = digits(5..7, "a two-digit month")?;
    separator(7, b'-', "'-'")?;
    let day = digits(8..10, "a two-digit day")?;
    if !(1..=12).contains(&month) {
        return Err(format!("month {month} is out of range"));
    }
    if !logspec_reader::instant::date_exists(year, month, day) {
        return Err(format!("day {day} does not exist in {year}-{month:02}"));
    }
    if bytes.len() == 10 {
        return Ok(());
    }
    if !matches!(bytes.get(10), Some(b'T') | Some(b't') | Some(b' ')) {
        return Err("expected 'T' between date and time".to_owned());
    }
    let hour = digits(11..13, "a two-digit hour")?;
    separator(13, b':', "':'")?;
    let minute = digits(14..16, "two-digit minutes")?;
    let mut at = 16;
    let mut second = 0;
    if bytes.get(at) == Some(&b':') {
        second = digits(17..19, "two-digit seconds")?;
        at = 19;
        if bytes.get(at) == Some(&b'.') || bytes.get(at) == Some(&b',') {
            let fraction = bytes[at + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if fraction == 0 {
                return Err("expected digits after the decimal point".to_owned());
            }
            at += 1 + fraction;
        }
    }
    // 24:00:00 and leap second 60 are valid ISO 8601.
    if hour > 24 || minute > 59 || second > 60 || (hour == 24 && (minute, second) != (0, 0)) {
        return Err(format!(
            "time {hour:02}:{minute:02}:{second:02} is out of range"
        ));
    }
    match &value[at..] {
        "" | "Z" | "z" => Ok(()),
        zone => {
            let sign = zone.as_bytes()[0];
            // A non-ASCII first character leaves no char boundary at 1.
            let offset = zone.get(1..).unwrap_or_default();
            let valid = (sign == b'+' || sign == b'-')
                && match offset.len() {
                    2 => offset.bytes().all(|b| b.is_ascii_digit()),
                    4 => offset.bytes().all(|b| b.is_ascii_digit()),
                    5 => {
                        offset.as_bytes()[2] == b':'
                            && offset
                                .bytes()
                                .enumerate()
                                .all(|(i, b)| i == 2 || b.is_ascii_digit())
                    }
                    _ => false,
                };
            if valid {
                Ok(())
            } else {
                Err(format!("zone {zone:?} is not Z or ±hh:mm"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(json: &str) -> ValueCheck {
        match serde_json::from_str::<ValueSpec>(json) {
            Ok(spec) => ValueCheck::compile(&spec).expect("test spec compiles"),
            Err(error) => panic!("bad test spec {json}: {error}"),
        }
    }

    fn accepts(check: &ValueCheck, values: &[&str]) {
        for value in values {
            assert!(
                check.check(value).is_ok(),
                "{value:?} should pass: {:?}",
                check.check(value)
            );
        }
    }

    fn rejects(check: &ValueCheck, values: &[&str]) {
        for value in values {
            assert!(check.check(value).is_err(), "{value:?} should fail");
        }
    }

    #[test]
    fn json_numbers_beyond_f64_are_json() {
        let check = spec(
            r#"{"type":"string","schema":{"type":"array","items":{"type":"number","maximum":10}}}"#,
        );
        accepts(&check, &["[1, 2.5]"]);
        let huge = check.check("[1e999]").unwrap_err().to_string();
        assert!(!huge.contains("not JSON"), "{huge}");
        let open = spec(r#"{"type":"string","schema":{"type":"array"}}"#);
        accepts(&open, &["[1e999, -1e999, \"1e999\", {\"a\": 2E400}]"]);
        assert!(open
            .check("[1e999,")
            .unwrap_err()
            .to_string()
            .contains("not JSON"));
        assert!(open
            .check("[01]")
            .unwrap_err()
            .to_string()
            .contains("not JSON"));
    }

    #[test]
    fn hex_with_length_and_case() {
        let check = spec(r#"{"type":"hex","length":16,"case":"lower"}"#);
        accepts(&check, &["a1b2c3d4e5f60001"]);
        rejects(
            &check,
            &[
                "a1b2c3d4e5f6",
                "A1B2C3D4E5F60001",
                "a1b2c3d4e5f6000g",
                "",
                "a1b2c3d4e5f600011",
            ],
        );
        assert_eq!(
            check.check("00c9845e0001").unwrap_err().to_string(),
            "12 hex digits, expected 16"
        );
    }

    #[test]
    fn also_and_empty() {
        let check = spec(r#"{"type":"hex","length":16,"also":["(none)"]}"#);
        accepts(&check, &["(none)", "0123456789abcdef"]);
        rejects(&check, &["", "(None)"]);
        let open = spec(r#"{"type":"string","empty":true}"#);
        accepts(&open, &["", "x"]);
        rejects(&spec(r#"{"type":"string"}"#), &[""]);
    }

    #[test]
    fn integers_with_range() {
        let check = spec(r#"{"type":"integer","min":1,"max":65535}"#);
        accepts(&check, &["1", "7443", "65535"]);
        rejects(
            &check,
            &[
                "0",
                "65536",
                "-1",
                "12a",
                "+5",
                "",
                "99999999999999999999999",
            ],
        );
        accepts(&spec(r#"{"type":"integer"}"#), &["-1", "0", "255"]);
    }

    #[test]
    fn durations() {
        let check = spec(r#"{"type":"duration","units":["ms"]}"#);
        accepts(&check, &["42ms", "60001ms", "1.5ms"]);
        rejects(&check, &["42", "42s", "ms", "4.2.1ms", ".5ms", "42 ms"]);
    }

    #[test]
    fn host_port() {
        let check = spec(r#"{"type":"host-port"}"#);
        accepts(
            &check,
            &[
                "web-01:7443",
                "10.0.0.1:7443",
                "[::1]:7443",
                "db.example.com:1",
            ],
        );
        rejects(
            &check,
            &[
                "web-01",
                "web-01:0",
                "web-01:70000",
                "::1:7443",
                "web 01:7443",
                ":7443",
                "web-01:x",
            ],
        );
    }

    #[test]
    fn ip_and_hostname() {
        accepts(
            &spec(r#"{"type":"ip"}"#),
            &["127.0.0.1", "::1", "2001:db8::5"],
        );
        rejects(&spec(r#"{"type":"ip"}"#), &["256.0.0.1", "host", "10.0.0"]);
        accepts(
            &spec(r#"{"type":"hostname"}"#),
            &["db-01", "ctrl-exec.example.com", "a_b"],
        );
        rejects(
            &spec(r#"{"type":"hostname"}"#),
            &["-db", "db..01", "db 01", "db,01"],
        );
    }

    #[test]
    fn hosts_and_exclusions() {
        let check = spec(r#"{"type":"host","except":["127.0.0.1"]}"#);
        accepts(
            &check,
            &[
                "ctrl_exec.example.com",
                "10.0.0.1",
                "::1",
                "[::1]",
                "localhost",
            ],
        );
        rejects(&check, &["127.0.0.1", "...", "[::1", "a b", "[db-01]"]);
    }

    #[test]
    fn lists_check_each_element() {
        let check = spec(r#"{"type":"list","item":{"type":"hostname"}}"#);
        accepts(&check, &["db-01", "db-01,db-02"]);
        rejects(&check, &["db-01,", ",db-01", "db-01,,db-02", "db 01"]);
        assert_eq!(
            check.check("db-01,").unwrap_err().to_string(),
            "element 2 (\"\"): the value is empty"
        );
    }

    #[test]
    fn timestamps() {
        let check = spec(r#"{"type":"timestamp"}"#);
        accepts(
            &check,
            &[
                "2026-04-13T14:30:00Z",
                "2026-04-13",
                "2026-04-13T14:30:00.123+02:00",
                "2024-02-29T00:00:00Z",
                "2000-02-29",
                "0000-01-01",
                "9999-12-31T23:59:59Z",
                "2026-04-13T14:30Z",
                "2026-04-13T14:30:00-0500",
            ],
        );
        rejects(
            &check,
            &[
                "2026-13-01",
                "2025-02-29",
                "1900-02-29",
                "2100-02-29",
                "2026-04-31",
                "2026-04-00",
                "2026-04-13T25:00:00Z",
                "2026-04-13T14:30:00+2",
                "13/04/2026",
                "2026-04-13T14:30:00.Z",
                "2026-04-13X",
                "2026-04-13T14:30:00é",
            ],
        );
        assert_eq!(
            check.check("2100-02-29").unwrap_err().to_string(),
            check_timestamp("2100-02-29").unwrap_err()
        );
        assert_eq!(
            check_timestamp("2100-02-29").unwrap_err(),
            "day 29 does not exist in 2100-02"
        );
    }

    #[test]
    fn enums_and_patterns() {
        let check = spec(r#"{"type":"enum","values":["yes","no"]}"#);
        accepts(&check, &["yes", "no"]);
        rejects(&check, &["Yes", "true"]);
        let check = spec(r#"{"type":"pattern","pattern":"hook exited [0-9]+|denied"}"#);
        accepts(&check, &["denied", "hook exited 4"]);
        rejects(&check, &["hook exited", "xdenied", "denied!"]);
    }

    #[test]
    fn numbers() {
        let check = spec(r#"{"type":"number","min":0}"#);
        accepts(
            &check,
            &["0", "142.5", "1705329082.456", "1e3", "2.5E-2", "007"],
        );
        rejects(
            &check,
            &[
                "-1", "-0.5", "1.", ".5", "1e", "+1", "", "NaN", "inf", "1e999",
            ],
        );
    }

    #[test]
    fn objects_are_free_text_values_only() {
        assert!(spec(r#"{"type":"string"}"#).check_object().is_ok());
        assert!(spec(r#"{"type":"string","json":["string","object"]}"#)
            .check_object()
            .is_ok());
        assert!(spec(r#"{"type":"string","json":["string"]}"#)
            .check_object()
            .is_err());
        assert!(spec(r#"{"type":"integer"}"#).check_object().is_err());
        assert!(spec(r#"{"type":"string","values":["a"]}"#)
            .check_object()
            .is_err());
    }

    #[test]
    fn json_types_and_null() {
        let digits = spec(r#"{"type":"integer","min":1,"max":65535,"json":["string"]}"#);
        assert!(digits.check_typed("8080", Some(JsonKind::String)).is_ok());
        assert!(digits.check_typed("8080", None).is_ok());
        assert_eq!(
            digits
                .check_typed("8080", Some(JsonKind::Number))
                .unwrap_err()
                .to_string(),
            "a JSON number, but the value must be a JSON string"
        );
        assert_eq!(
            digits
                .check_typed("", Some(JsonKind::Null))
                .unwrap_err()
                .to_string(),
            "null, where a value is required"
        );
        assert!(digits
            .clone()
            .or_null(true)
            .check_typed("", Some(JsonKind::Null))
            .is_ok());
        assert!(digits.check_typed("99999", Some(JsonKind::String)).is_err());
        let id = spec(r#"{"type":"hex","length":24,"json":["string","object-id"]}"#);
        assert!(id
            .check_typed("663e2b1f9c1d4e5f6a7b8c9d", Some(JsonKind::ObjectId))
            .is_ok());
        assert!(id
            .check_typed("663e2b1f9c1d4e5f6a7b8c9d", Some(JsonKind::Date))
            .is_err());
        let nullable = spec(r#"{"type":"string","nullable":true}"#);
        assert!(nullable.check_typed("", Some(JsonKind::Null)).is_ok());
    }

    #[test]
    fn narrowing_applies_on_top_of_the_type() {
        let check = spec(r#"{"type":"string","values":["ok"]}"#);
        accepts(&check, &["ok"]);
        rejects(&check, &["pass"]);
        let values = ["run".to_owned(), "ping".to_owned()];
        let check =
            spec(r#"{"type":"enum","values":["run","ping","api"]}"#).narrowed(Some(&values), None);
        accepts(&check, &["run", "ping"]);
        assert_eq!(
            check.check("api").unwrap_err().to_string(),
            "not one of \"run\", \"ping\""
        );
        let pattern = Pattern::new("[a-z]+").unwrap();
        let check = spec(r#"{"type":"integer"}"#).narrowed(None, Some(&pattern));
        rejects(&check, &["12"]);
    }
}
