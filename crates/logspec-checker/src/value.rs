//! Value checks compiled from the spec's value types.
//!
//! A [`ValueCheck`] is the type's shape (an integer with its range, an enum,
//! a pattern, a list of elements, JSON with a schema, …) plus the narrowing
//! a variant or the glossary adds; the syntax of each scalar type is in
//! `syntax`, a JSON value's schema check in `json`. Every refusal says
//! which part of the value is wrong, so the finding can.

use crate::error::Unresolved;
use logspec_reader::JsonKind;
use logspec_spec::{DurationUnit, HexCase, JsonType, Pattern, ValueKind, ValueSpec};

pub mod json;
mod refusal;
mod syntax;
use json::JsonSchema;
pub use refusal::Refusal;
use syntax::{
    check_duration, check_hex, check_host, check_host_port, check_hostname, check_timestamp, is_ip,
    parse_integer, parse_number,
};

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
                separator: spec.list_separator().to_owned(),
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
            // Most text has no bounds: nothing to count.
            Shape::Text {
                min_chars: None,
                max_chars: None,
            } => Ok(()),
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
            Shape::Ip if is_ip(value) => Ok(()),
            Shape::Ip => Err(Refusal::from("not an IPv4 or IPv6 address".to_owned())),
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

fn quoted_list(values: &[String]) -> String {
    values
        .iter()
        .map(|value| format!("{value:?}"))
        .collect::<Vec<_>>()
        .join(", ")
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
