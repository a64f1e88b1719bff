//! journald entries as `journalctl -o json` writes them: one JSON object per
//! line, every value a string, except that a field which is not printable
//! UTF-8 is an array of byte values and a field over 4096 bytes is `null`.
//!
//! The fields read are kept as borrowed raw JSON first, so an error in one of
//! them can name its column, and a MESSAGE without escapes is borrowed from
//! the line instead of copied.

use std::borrow::Cow;
use std::ops::RangeInclusive;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::{ReadError, ReadErrorKind};
use crate::format::{Envelope, Framed};
use crate::lines::decode;

/// The fields the envelope needs; journalctl writes many more, all ignored.
#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(rename = "MESSAGE", borrow, default, deserialize_with = "present")]
    message: Option<&'a RawValue>,
    #[serde(rename = "PRIORITY", borrow, default, deserialize_with = "present")]
    priority: Option<&'a RawValue>,
    #[serde(
        rename = "SYSLOG_FACILITY",
        borrow,
        default,
        deserialize_with = "present"
    )]
    facility: Option<&'a RawValue>,
    #[serde(
        rename = "SYSLOG_IDENTIFIER",
        borrow,
        default,
        deserialize_with = "present"
    )]
    identifier: Option<&'a RawValue>,
    #[serde(rename = "_HOSTNAME", borrow, default, deserialize_with = "present")]
    hostname: Option<&'a RawValue>,
    #[serde(
        rename = "__REALTIME_TIMESTAMP",
        borrow,
        default,
        deserialize_with = "present"
    )]
    realtime: Option<&'a RawValue>,
    #[serde(rename = "_PID", borrow, default, deserialize_with = "present")]
    pid: Option<&'a RawValue>,
    #[serde(rename = "SYSLOG_PID", borrow, default, deserialize_with = "present")]
    syslog_pid: Option<&'a RawValue>,
}

/// Keeps a present `null` as `Some` (a plain `Option` would make it `None`):
/// a null MESSAGE is journalctl leaving out a long one, not a missing one.
fn present<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<&'de RawValue>, D::Error> {
    <&'de RawValue>::deserialize(deserializer).map(Some)
}

pub(crate) fn read(line: &str) -> Result<Framed<'_>, ReadError> {
    // serde would also read a struct from a JSON array: only objects are entries.
    let start = line.len() - line.trim_start_matches(JSON_WHITESPACE).len();
    if line.as_bytes().get(start) != Some(&b'{') {
        return Err(ReadError::at(start, ReadErrorKind::NotJsonObject));
    }
    let entry: Entry<'_> = serde_json::from_str(line).map_err(|e| json_error(line, &e))?;
    let message = entry
        .message
        .ok_or_else(|| ReadError::at(0, ReadErrorKind::MissingMessage))?;
    let (payload, payload_offset) = text(line, "MESSAGE", message)?;
    let severity = entry
        .priority
        .map(|raw| {
            code(
                line,
                "PRIORITY",
                raw,
                0..=7,
                "a syslog severity, \"0\" to \"7\"",
            )
        })
        .transpose()?;
    let facility = entry
        .facility
        .map(|raw| {
            code(
                line,
                "SYSLOG_FACILITY",
                raw,
                0..=23,
                "a syslog facility, \"0\" to \"23\"",
            )
        })
        .transpose()?;
    let timestamp = entry.realtime.map(|raw| realtime(line, raw)).transpose()?;
    // journalctl's own short output prefers the kernel-attested _PID.
    let (pid_field, pid) = match entry.pid {
        Some(raw) => ("_PID", Some(raw)),
        None => ("SYSLOG_PID", entry.syslog_pid),
    };

    Ok(Framed {
        envelope: Envelope {
            facility,
            severity,
            timestamp: timestamp.map(Cow::Owned),
            hostname: optional_text(line, "_HOSTNAME", entry.hostname)?,
            tag: optional_text(line, "SYSLOG_IDENTIFIER", entry.identifier)?,
            pid: optional_text(line, pid_field, pid)?,
        },
        payload,
        payload_offset,
    })
}

/// The text of a field that may be absent.
fn optional_text<'a>(
    line: &'a str,
    field: &'static str,
    raw: Option<&'a RawValue>,
) -> Result<Option<Cow<'a, str>>, ReadError> {
    raw.map(|raw| text(line, field, raw).map(|(text, _)| text))
        .transpose()
}

/// A field's text, and its offset in the line when borrowed verbatim.
fn text<'a>(
    line: &'a str,
    field: &'static str,
    raw: &'a RawValue,
) -> Result<(Cow<'a, str>, Option<usize>), ReadError> {
    let json = raw.get();
    let at = offset_in(line, json);
    let wrong_type = || {
        ReadError::at(
            at,
            ReadErrorKind::InvalidFieldValue {
                field,
                expected: "a string or an array of byte values",
            },
        )
    };
    match json.as_bytes().first() {
        Some(b'"') => {
            // Without escapes, the string is exactly the JSON between the quotes.
            let verbatim = json.strip_prefix('"').and_then(|s| s.strip_suffix('"'));
            match verbatim {
                Some(inner) if !inner.contains('\\') => Ok((Cow::Borrowed(inner), Some(at + 1))),
                // serde_json undoes the escapes; one that names no character
                // (a lone surrogate) is an error.
                _ => serde_json::from_str::<String>(json)
                    .map(|text| (Cow::Owned(text), None))
                    .map_err(|e| {
                        ReadError::at(
                            at,
                            ReadErrorKind::InvalidJson {
                                reason: json_reason(&e),
                            },
                        )
                    }),
            }
        }
        Some(b'[') => {
            let bytes: Vec<u8> = serde_json::from_str(json).map_err(|_| wrong_type())?;
            decode(&bytes)
                .map(|text| (Cow::Owned(text.to_owned()), None))
                .map_err(|e| ReadError {
                    column: at + element_offset(json, e.column.saturating_sub(1)) + 1,
                    kind: e.kind,
                })
        }
        Some(b'n') => Err(ReadError::at(at, ReadErrorKind::NullField { field })),
        _ => Err(wrong_type()),
    }
}

/// PRIORITY or SYSLOG_FACILITY: a decimal string within `range`.
fn code(
    line: &str,
    field: &'static str,
    raw: &RawValue,
    range: RangeInclusive<u8>,
    expected: &'static str,
) -> Result<u8, ReadError> {
    let (text, _) = text(line, field, raw)?;
    text.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| text.parse::<u8>().ok())
        .flatten()
        .filter(|value| range.contains(value))
        .ok_or_else(|| {
            ReadError::at(
                offset_in(line, raw.get()),
                ReadErrorKind::InvalidFieldValue { field, expected },
            )
        })
}

/// `__REALTIME_TIMESTAMP`, microseconds since the epoch, kept as written.
fn realtime(line: &str, raw: &RawValue) -> Result<String, ReadError> {
    const FIELD: &str = "__REALTIME_TIMESTAMP";
    let (text, _) = text(line, FIELD, raw)?;
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ReadError::at(
            offset_in(line, raw.get()),
            ReadErrorKind::InvalidFieldValue {
                field: FIELD,
                expected: "microseconds since the epoch, as a string of digits",
            },
        ));
    }
    Ok(text.into_owned())
}

/// Byte offset of `part`, a slice borrowed from `line`, within `line`.
fn offset_in(line: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(line.as_ptr() as usize)
}

/// Byte offset in `array` (the JSON text of an array of numbers) of element
/// `index`, so a bad byte can be pointed at in the line.
fn element_offset(array: &str, index: usize) -> usize {
    let mut seen = 0;
    let mut at_element_start = true;
    for (offset, byte) in array.bytes().enumerate() {
        match byte {
            b',' | b'[' => at_element_start = true,
            b'0'..=b'9' if at_element_start => {
                if seen == index {
                    return offset;
                }
                seen += 1;
                at_element_start = false;
            }
            _ => {}
        }
    }
    0
}

/// serde_json's error with its column as a byte column of `line`.
fn json_error(line: &str, error: &serde_json::Error) -> ReadError {
    let (column, reason) = serde_error_at(line, error);
    ReadError {
        column,
        kind: ReadErrorKind::InvalidJson { reason },
    }
}

/// serde_json's error as a 1-based byte column of `text` and a reason.
pub(crate) fn serde_error_at(text: &str, error: &serde_json::Error) -> (usize, String) {
    // serde_json counts lines; a caller may have handed over text with `\n`.
    let line_start: usize = text
        .split('\n')
        .take(error.line().saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum();
    // serde_json places an error at the last byte it read, which may be
    // inside a character (a bad `\u` escape's fourth byte): the column is
    // that character's.
    let mut offset = (line_start + error.column())
        .saturating_sub(1)
        .min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    (offset + 1, json_reason(error))
}

/// serde_json's message without its own " at line L column C" suffix.
fn json_reason(error: &serde_json::Error) -> String {
    let full = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    match full.strip_suffix(&suffix) {
        Some(reason) => reason.to_owned(),
        None => full,
    }
}

/// Shape check for [`detect`](crate::detect): a JSON object, after the
/// same leading whitespace [`read`] skips.
pub(crate) fn looks_like(line: &str) -> bool {
    line.trim_start_matches(JSON_WHITESPACE).starts_with('{')
}

/// What JSON allows around a value.
const JSON_WHITESPACE: [char; 4] = [' ', '\t', '\r', '\n'];

#[cfg(test)]
mod tests {
    use super::*;

    const ENTRY: &str = r#"{"__CURSOR":"s=1;i=2","__REALTIME_TIMESTAMP":"1773403201003000","__MONOTONIC_TIMESTAMP":"81234","_BOOT_ID":"b","PRIORITY":"6","SYSLOG_FACILITY":"3","SYSLOG_IDENTIFIER":"ctrl-exec","SYSLOG_PID":"999","_PID":"12345","_COMM":"ctrl-exec","_HOSTNAME":"host","_TRANSPORT":"syslog","MESSAGE":"ACTION=ping TARGET=web-01:7443 ERROR=\"read timeout after 60s\""}"#;

    fn err(line: &str) -> (usize, ReadErrorKind) {
        let e = read(line).expect_err(line);
        (e.column, e.kind)
    }

    #[test]
    fn journalctl_json_entry() {
        let framed = read(ENTRY).expect("valid");
        assert_eq!(
            framed.envelope,
            Envelope {
                facility: Some(3),
                severity: Some(6),
                timestamp: Some("1773403201003000".into()),
                hostname: Some("host".into()),
                tag: Some("ctrl-exec".into()),
                pid: Some("12345".into()),
            }
        );
        assert_eq!(
            framed.payload,
            r#"ACTION=ping TARGET=web-01:7443 ERROR="read timeout after 60s""#
        );
        // Escaped quotes: decoded, so the payload is not a slice of the line.
        assert!(matches!(framed.payload, Cow::Owned(_)));
        assert_eq!(framed.payload_offset, None);
    }

    #[test]
    fn message_without_escapes_is_borrowed_with_its_offset() {
        let line = r#"{"PRIORITY":"3","MESSAGE":"ACTION=ping RTT=60001ms"}"#;
        let framed = read(line).expect("valid");
        assert!(matches!(framed.payload, Cow::Borrowed(_)));
        let offset = framed.payload_offset.expect("verbatim");
        assert_eq!(
            line.get(offset..offset + framed.payload.len()),
            Some(&*framed.payload)
        );
        assert_eq!(framed.envelope.severity, Some(3));
        assert_eq!(framed.envelope.facility, None);
    }

    #[test]
    fn only_message_is_required() {
        let framed = read(r#"{"MESSAGE":""}"#).expect("valid");
        assert_eq!(framed.envelope, Envelope::default());
        assert_eq!(framed.payload, "");
    }

    #[test]
    fn syslog_pid_stands_in_for_a_missing_pid() {
        let framed = read(r#"{"MESSAGE":"x","SYSLOG_PID":"77"}"#).expect("valid");
        assert_eq!(framed.envelope.pid.as_deref(), Some("77"));
    }

    #[test]
    fn array_message_is_decoded() {
        // "A=\x1b[1mb" has an escape character, so journalctl writes bytes.
        let line = r#"{"MESSAGE":[65,61,27,91,49,109,98],"SYSLOG_IDENTIFIER":[99,101]}"#;
        let framed = read(line).expect("valid");
        assert_eq!(framed.payload, "A=\u{1b}[1mb");
        assert_eq!(framed.payload_offset, None);
        assert_eq!(framed.envelope.tag.as_deref(), Some("ce"));
    }

    #[test]
    fn array_message_that_is_not_utf8_points_at_the_bad_byte() {
        let line = r#"{"MESSAGE":[65, 61,255,66]}"#;
        assert_eq!(err(line), (20, ReadErrorKind::InvalidUtf8));
        assert_eq!(line.get(19..22), Some("255"));
        assert_eq!(err(r#"{"MESSAGE":[0]}"#), (13, ReadErrorKind::NulByte));
    }

    #[test]
    fn message_problems() {
        use ReadErrorKind::*;
        assert_eq!(err(r#"{"PRIORITY":"6"}"#), (1, MissingMessage));
        assert_eq!(
            err(r#"{"MESSAGE":null}"#),
            (12, NullField { field: "MESSAGE" })
        );
        let wrong = InvalidFieldValue {
            field: "MESSAGE",
            expected: "a string or an array of byte values",
        };
        assert_eq!(err(r#"{"MESSAGE":42}"#), (12, wrong.clone()));
        // A field logged twice comes out as an array of its values.
        assert_eq!(err(r#"{"MESSAGE":["a","b"]}"#), (12, wrong.clone()));
        assert_eq!(err(r#"{"MESSAGE":[256]}"#), (12, wrong));
    }

    #[test]
    fn priority_and_facility_must_be_in_range() {
        let severity = ReadErrorKind::InvalidFieldValue {
            field: "PRIORITY",
            expected: "a syslog severity, \"0\" to \"7\"",
        };
        assert_eq!(
            err(r#"{"MESSAGE":"x","PRIORITY":"8"}"#),
            (27, severity.clone())
        );
        assert_eq!(
            err(r#"{"MESSAGE":"x","PRIORITY":"+6"}"#),
            (27, severity.clone())
        );
        assert_eq!(err(r#"{"MESSAGE":"x","PRIORITY":""}"#), (27, severity));
        assert!(matches!(
            err(r#"{"MESSAGE":"x","SYSLOG_FACILITY":"24"}"#),
            (
                34,
                ReadErrorKind::InvalidFieldValue {
                    field: "SYSLOG_FACILITY",
                    ..
                }
            )
        ));
        assert!(matches!(
            err(r#"{"MESSAGE":"x","PRIORITY":6}"#),
            (
                27,
                ReadErrorKind::InvalidFieldValue {
                    field: "PRIORITY",
                    ..
                }
            )
        ));
        assert!(matches!(
            err(r#"{"MESSAGE":"x","__REALTIME_TIMESTAMP":"soon"}"#),
            (
                39,
                ReadErrorKind::InvalidFieldValue {
                    field: "__REALTIME_TIMESTAMP",
                    ..
                }
            )
        ));
    }

    #[test]
    fn invalid_json_has_a_column_and_a_reason() {
        let (column, kind) = err(r#"{"MESSAGE":"x",}"#);
        assert_eq!(column, 16);
        assert_eq!(
            kind,
            ReadErrorKind::InvalidJson {
                reason: "trailing comma".to_owned()
            }
        );
        let (column, kind) = err(r#"{"MESSAGE":"x"} trailing"#);
        assert_eq!(column, 17);
        assert!(matches!(kind, ReadErrorKind::InvalidJson { .. }));
        assert!(matches!(
            err(r#"{"MESSAGE":"x""#).1,
            ReadErrorKind::InvalidJson { .. }
        ));
        assert!(matches!(
            err(r#"{"MESSAGE":"x","MESSAGE":"y"}"#).1,
            ReadErrorKind::InvalidJson { reason } if reason == "duplicate field `MESSAGE`"
        ));
    }

    #[test]
    fn anything_but_an_object_is_not_an_entry() {
        assert_eq!(err(r#"["MESSAGE"]"#), (1, ReadErrorKind::NotJsonObject));
        assert_eq!(err(r#"  "MESSAGE""#), (3, ReadErrorKind::NotJsonObject));
        assert_eq!(err("ACTION=ping"), (1, ReadErrorKind::NotJsonObject));
        assert_eq!(err(""), (1, ReadErrorKind::NotJsonObject));
    }

    #[test]
    fn garbage_is_a_located_error() {
        use std::mem::discriminant;
        let not_object = ReadErrorKind::NotJsonObject;
        let invalid = ReadErrorKind::InvalidJson {
            reason: String::new(),
        };
        let verdicts = [
            ("", 1, &not_object),
            ("{", 1, &invalid),
            ("}", 1, &not_object),
            ("{\"MESSAGE\":\"\\ud800\"}", 12, &invalid),
            ("\u{FFFD}", 1, &not_object),
            ("{\"MESSAGE\":[65,", 15, &invalid),
        ];
        for (line, column, kind) in verdicts {
            let (at, found) = err(line);
            assert_eq!(
                (at, discriminant(&found)),
                (column, discriminant(kind)),
                "{line:?}: {found:?}"
            );
        }
    }
}
