//! RFC 5424, IETF syslog:
//! `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]`,
//! with `-` for a field that has no value.
//!
//! Structured data is validated (so a malformed element is reported where it
//! breaks) but not returned: the envelope carries what every format shares.

use std::borrow::Cow;
use std::collections::HashSet;

use crate::error::{ReadError, ReadErrorKind};
use crate::format::{Envelope, Framed};
use crate::syslog::{self, Cursor};

/// The byte order mark RFC 5424 allows before a UTF-8 MSG.
const BOM: char = '\u{FEFF}';

pub(crate) fn read(line: &str) -> Result<Framed<'_>, ReadError> {
    let mut cursor = Cursor::new(line);
    if cursor.peek() != Some(b'<') {
        return Err(cursor.error(ReadErrorKind::MissingPri));
    }
    let priority = syslog::pri(&mut cursor)?;
    let version_start = cursor.pos();
    if cursor.token() != "1" {
        return Err(ReadError::at(
            version_start,
            ReadErrorKind::UnsupportedVersion,
        ));
    }
    separator(&mut cursor, "TIMESTAMP")?;
    let timestamp = timestamp(&mut cursor)?;
    separator(&mut cursor, "HOSTNAME")?;
    let hostname = header_field(&mut cursor, "HOSTNAME", 255)?;
    separator(&mut cursor, "APP-NAME")?;
    let app_name = header_field(&mut cursor, "APP-NAME", 48)?;
    separator(&mut cursor, "PROCID")?;
    let procid = header_field(&mut cursor, "PROCID", 128)?;
    separator(&mut cursor, "MSGID")?;
    header_field(&mut cursor, "MSGID", 32)?;
    separator(&mut cursor, "STRUCTURED-DATA")?;
    match cursor.peek() {
        None => {
            return Err(cursor.error(ReadErrorKind::MissingField {
                field: "STRUCTURED-DATA",
            }))
        }
        Some(b'-') => cursor.bump(),
        Some(b'[') => structured_data(&mut cursor)?,
        Some(_) => return Err(cursor.error(ReadErrorKind::ExpectedStructuredData)),
    }

    if !cursor.at_end() {
        cursor.expect(b' ', ReadErrorKind::ExpectedSpaceBeforeMsg)?;
    }
    let rest = cursor.rest();
    let (payload, bom_len) = match rest.strip_prefix(BOM) {
        Some(message) => (message, BOM.len_utf8()),
        None => (rest, 0),
    };

    Ok(Framed {
        envelope: Envelope {
            facility: Some(priority.facility),
            severity: Some(priority.severity),
            timestamp: timestamp.map(Cow::Borrowed),
            hostname: hostname.map(Cow::Borrowed),
            tag: app_name.map(Cow::Borrowed),
            pid: procid.map(Cow::Borrowed),
        },
        payload: Cow::Borrowed(payload),
        payload_offset: Some(cursor.pos() + bom_len),
    })
}

/// The single space before the next header field; only the end of the line
/// can stand in its place, since fields stop at a space.
fn separator(cursor: &mut Cursor<'_>, next: &'static str) -> Result<(), ReadError> {
    cursor.expect(b' ', ReadErrorKind::MissingField { field: next })
}

/// `-` or an RFC 3339 timestamp that ends the field.
fn timestamp<'a>(cursor: &mut Cursor<'a>) -> Result<Option<&'a str>, ReadError> {
    let start = cursor.pos();
    if matches!(cursor.rest().as_bytes(), [b'-'] | [b'-', b' ', ..]) {
        cursor.bump();
        return Ok(None);
    }
    if cursor.at_end() {
        return Err(cursor.error(ReadErrorKind::MissingField { field: "TIMESTAMP" }));
    }
    syslog::rfc3339(cursor)?;
    if !cursor.at_end() && cursor.peek() != Some(b' ') {
        return Err(cursor.error(ReadErrorKind::InvalidTimestamp));
    }
    Ok(Some(cursor.slice_from(start)))
}

/// A header field: `-` (None) or 1 to `max` printable US-ASCII characters.
fn header_field<'a>(
    cursor: &mut Cursor<'a>,
    field: &'static str,
    max: usize,
) -> Result<Option<&'a str>, ReadError> {
    let start = cursor.pos();
    let word = cursor.token();
    if word.is_empty() && cursor.at_end() {
        return Err(cursor.error(ReadErrorKind::MissingField { field }));
    }
    let invalid = |at| ReadError::at(at, ReadErrorKind::InvalidHeaderField { field, max });
    if let Some(bad) = word.bytes().position(|b| !is_printable(b)) {
        return Err(invalid(start + bad));
    }
    if word.is_empty() || word.len() > max {
        return Err(invalid(start));
    }
    Ok((word != "-").then_some(word))
}

fn is_printable(byte: u8) -> bool {
    (33..=126).contains(&byte)
}

/// One or more `[SD-ID (SP PARAM-NAME="value")*]`; the cursor is on a `[`.
/// An SD-ID may appear only once in a message (RFC 5424 §6.3.2: "MUST
/// NOT"). Parsers differ here (go-syslog refuses a repetition,
/// rust-syslog-rfc5424 merges the elements); the RFC decides.
fn structured_data(cursor: &mut Cursor<'_>) -> Result<(), ReadError> {
    let mut ids = SdIds::default();
    while cursor.peek() == Some(b'[') {
        let open = cursor.pos();
        cursor.bump();
        let id_start = cursor.pos();
        sd_name(cursor)?;
        if !ids.insert(cursor.slice_from(id_start)) {
            return Err(ReadError::at(id_start, ReadErrorKind::DuplicateSdId));
        }
        loop {
            match cursor.peek() {
                Some(b']') => {
                    cursor.bump();
                    break;
                }
                Some(b' ') => {
                    cursor.bump();
                    sd_param(cursor)?;
                }
                None => return Err(ReadError::at(open, ReadErrorKind::UnterminatedSdElement)),
                // A byte a name may not hold, right after a name.
                Some(_) => return Err(cursor.error(ReadErrorKind::InvalidSdName)),
            }
        }
    }
    Ok(())
}

/// The SD-IDs of one message so far: scanned while there are a few (the
/// usual case, no allocation beyond a small vector), hashed past that, so
/// that a line of a hundred thousand elements is read in linear time (a
/// scan of every earlier ID took 20 s on a 1 MB line).
#[derive(Default)]
struct SdIds<'a> {
    few: Vec<&'a str>,
    many: HashSet<&'a str>,
}

impl<'a> SdIds<'a> {
    const SCANNED: usize = 8;

    /// Adds `id`; false if the message already had it.
    fn insert(&mut self, id: &'a str) -> bool {
        if self.many.is_empty() {
            if self.few.contains(&id) {
                return false;
            }
            if self.few.len() < Self::SCANNED {
                self.few.push(id);
                return true;
            }
            self.many.extend(self.few.drain(..));
        }
        self.many.insert(id)
    }
}

/// SD-ID or PARAM-NAME: 1-32 printable ASCII characters but `=`, ` `, `]`, `"`.
fn sd_name(cursor: &mut Cursor<'_>) -> Result<(), ReadError> {
    let start = cursor.pos();
    while cursor
        .peek()
        .is_some_and(|b| is_printable(b) && !matches!(b, b'=' | b']' | b'"'))
    {
        cursor.bump();
    }
    if (1..=32).contains(&(cursor.pos() - start)) {
        Ok(())
    } else {
        Err(ReadError::at(start, ReadErrorKind::InvalidSdName))
    }
}

/// `PARAM-NAME="value"`, where `\"`, `\\` and `\]` are escapes; `"`, `\`
/// and `]` must be escaped (RFC 5424 §6.3.3), so a bare `]` is an error. A
/// backslash before any other character is kept as written, as the RFC says.
fn sd_param(cursor: &mut Cursor<'_>) -> Result<(), ReadError> {
    sd_name(cursor)?;
    if !cursor.eat(b'=') || cursor.peek() != Some(b'"') {
        return Err(cursor.error(ReadErrorKind::ExpectedSdValue));
    }
    let quote = cursor.pos();
    cursor.bump();
    loop {
        match cursor.peek() {
            Some(b'"') => {
                cursor.bump();
                return Ok(());
            }
            Some(b'\\') => {
                // Whatever follows is taken literally; only ASCII bytes are
                // ever compared, so stepping into a multi-byte char is harmless.
                cursor.bump();
                cursor.bump();
            }
            Some(b']') => return Err(cursor.error(ReadErrorKind::UnescapedSdBracket)),
            Some(_) => cursor.bump(),
            None => return Err(ReadError::at(quote, ReadErrorKind::UnterminatedSdValue)),
        }
    }
}

/// Shape check for [`detect`](crate::detect): `<digits>1 `.
pub(crate) fn looks_like(line: &str) -> bool {
    let bytes = line.as_bytes();
    syslog::pri_shape_len(bytes)
        .and_then(|len| bytes.get(len..len + 2))
        .is_some_and(|version| version == b"1 ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(line: &str) -> (Envelope<'_>, String) {
        let framed = read(line).unwrap_or_else(|e| panic!("{line:?}: {e}"));
        let offset = framed.payload_offset.expect("syslog payloads are slices");
        assert_eq!(line.get(offset..), Some(&*framed.payload));
        (framed.envelope, framed.payload.into_owned())
    }

    fn err(line: &str) -> (usize, ReadErrorKind) {
        let e = read(line).expect_err(line);
        (e.column, e.kind)
    }

    #[test]
    fn ctrl_exec_line() {
        assert_eq!(
            ok("<30>1 2026-03-13T12:00:01.003Z host ctrl-exec 12345 - - ACTION=ping TARGET=web-01:7443"),
            (
                Envelope {
                    facility: Some(3),
                    severity: Some(6),
                    timestamp: Some("2026-03-13T12:00:01.003Z".into()),
                    hostname: Some("host".into()),
                    tag: Some("ctrl-exec".into()),
                    pid: Some("12345".into()),
                },
                "ACTION=ping TARGET=web-01:7443".to_owned()
            )
        );
    }

    #[test]
    fn nil_fields_are_none() {
        let (env, payload) = ok("<0>1 - - - - - -");
        assert_eq!(
            env,
            Envelope {
                facility: Some(0),
                severity: Some(0),
                ..Envelope::default()
            }
        );
        assert_eq!(payload, "");
        assert_eq!(ok("<0>1 - - - - - - ").1, "");
    }

    #[test]
    fn structured_data_with_escapes_is_skipped_over() {
        let line = r#"<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][x@1 q="say \"hi\"" b="back\\slash" c="br\]acket \] too" e=""] A=b"#;
        let (env, payload) = ok(line);
        assert_eq!(env.tag.as_deref(), Some("evntslog"));
        assert_eq!(env.pid, None);
        assert_eq!((env.facility, env.severity), (Some(20), Some(5)));
        assert_eq!(payload, "A=b");
        assert_eq!(ok(r#"<30>1 - - - - - [a]"#).1, "");
        // Distinct SD-IDs, the same PARAM-NAME twice, an escaped bracket and
        // a backslash before an ordinary character are all allowed.
        assert_eq!(
            ok(r#"<30>1 - - - - - [a k="1" k="2"][b k="x\]\y"] m"#).1,
            "m"
        );
    }

    #[test]
    fn bom_before_the_message_is_stripped() {
        let line = "<30>1 - h app - - - \u{FEFF}ACTION=ping";
        let framed = read(line).expect("valid");
        assert_eq!(framed.payload, "ACTION=ping");
        assert_eq!(
            framed.payload_offset,
            Some(line.len() - "ACTION=ping".len())
        );
    }

    #[test]
    fn header_errors() {
        use ReadErrorKind::*;
        assert_eq!(err("1 - - - - - -"), (1, MissingPri));
        assert_eq!(err(""), (1, MissingPri));
        assert_eq!(err("<30>Mar 13 12:00:01 h t: x"), (5, UnsupportedVersion));
        assert_eq!(err("<30>2 - - - - - -"), (5, UnsupportedVersion));
        assert_eq!(err("<30>11 - - - - - -"), (5, UnsupportedVersion));
        assert_eq!(err("<200>1 - - - - - -"), (2, PriOutOfRange));
        assert_eq!(err("<30>1"), (6, MissingField { field: "TIMESTAMP" }));
        assert_eq!(err("<30>1 "), (7, MissingField { field: "TIMESTAMP" }));
        assert_eq!(
            err("<30>1 2026-03-13T25:00:01Z h a p m -"),
            (18, InvalidTimestamp)
        );
        assert_eq!(
            err("<30>1 2026-03-13T12:00:01Zh a p m -"),
            (27, InvalidTimestamp)
        );
        assert_eq!(err("<30>1 -"), (8, MissingField { field: "HOSTNAME" }));
        assert_eq!(err("<30>1 - h"), (10, MissingField { field: "APP-NAME" }));
        assert_eq!(err("<30>1 - h a p"), (14, MissingField { field: "MSGID" }));
        assert_eq!(
            err("<30>1 - h a p m"),
            (
                16,
                MissingField {
                    field: "STRUCTURED-DATA"
                }
            )
        );
        assert_eq!(
            err("<30>1 - h a p m "),
            (
                17,
                MissingField {
                    field: "STRUCTURED-DATA"
                }
            )
        );
    }

    #[test]
    fn header_field_errors() {
        use ReadErrorKind::InvalidHeaderField;
        let hostname = InvalidHeaderField {
            field: "HOSTNAME",
            max: 255,
        };
        let app = InvalidHeaderField {
            field: "APP-NAME",
            max: 48,
        };
        assert_eq!(err("<30>1 -  a p m - x"), (9, hostname.clone()));
        assert_eq!(err("<30>1 - hôst a p m - x"), (10, hostname));
        let long_app = format!("<30>1 - h {} p m - x", "a".repeat(49));
        assert_eq!(err(&long_app), (11, app));
        assert_eq!(
            err("<30>1 - h a p \tm - x"),
            (
                15,
                InvalidHeaderField {
                    field: "MSGID",
                    max: 32
                }
            )
        );
    }

    #[test]
    fn structured_data_errors() {
        use ReadErrorKind::*;
        assert_eq!(err("<30>1 - h a p m x"), (17, ExpectedStructuredData));
        assert_eq!(
            err("<30>1 - h a p m [id k=\"v\""),
            (17, UnterminatedSdElement)
        );
        assert_eq!(err("<30>1 - h a p m [id k=\"v"), (23, UnterminatedSdValue));
        assert_eq!(err("<30>1 - h a p m [id k=\"v]"), (25, UnescapedSdBracket));
        assert_eq!(
            err("<30>1 - h a p m [id k=\"v\\\""),
            (23, UnterminatedSdValue)
        );
        assert_eq!(err("<30>1 - h a p m [id k=v]"), (23, ExpectedSdValue));
        assert_eq!(err("<30>1 - h a p m [id k]"), (22, ExpectedSdValue));
        assert_eq!(err("<30>1 - h a p m [id=1]"), (20, InvalidSdName));
        assert_eq!(err("<30>1 - h a p m []"), (18, InvalidSdName));
        assert_eq!(err("<30>1 - h a p m ["), (18, InvalidSdName));
        assert_eq!(err("<30>1 - h a p m [id  k=\"v\"]"), (21, InvalidSdName));
        let long_id = format!("<30>1 - h a p m [{}]", "i".repeat(33));
        assert_eq!(err(&long_id), (18, InvalidSdName));
        assert_eq!(err("<30>1 - h a p m [id]x"), (21, ExpectedSpaceBeforeMsg));
        assert_eq!(err("<30>1 - h a p m [id][id]"), (22, DuplicateSdId));
        // Past the few IDs scanned, the hashed ones still find a repetition.
        let many: String = (0..20).map(|i| format!("[i{i}]")).collect();
        let line = format!("<30>1 - h a p m {many}[i3]");
        assert_eq!(err(&line), (line.len() - 2, DuplicateSdId));
        assert_eq!(ok(&format!("<30>1 - h a p m {many}[i20] m")).1, "m");
        assert_eq!(
            err("<30>1 - h a p m [id k=\"1\"][x][id k=\"2\"]"),
            (31, DuplicateSdId)
        );
        assert_eq!(
            err("<30>1 - h a p m [id k=\"a]b\"]"),
            (25, UnescapedSdBracket)
        );
        assert_eq!(
            err("<30>1 - h a p m [id k=\"]\"]"),
            (24, UnescapedSdBracket)
        );
        assert_eq!(err("<30>1 - h a p m -x"), (18, ExpectedSpaceBeforeMsg));
    }
}
