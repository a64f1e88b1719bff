//! RFC 3164, BSD syslog: `[<PRI>]TIMESTAMP [HOSTNAME ]TAG[[PID]]: MSG`.
//!
//! Three real variants are read: /var/log/syslog (no PRI, with hostname),
//! what libc's syslog(3) sends to /dev/log (PRI, no hostname), and rsyslog's
//! `RSYSLOG_FileFormat` (an RFC 3339 timestamp instead of `Mar 13 12:00:01`).

use std::borrow::Cow;

use crate::error::{ReadError, ReadErrorKind};
use crate::format::{Envelope, Framed};
use crate::syslog::{self, Cursor};

pub(crate) fn read(line: &str) -> Result<Framed<'_>, ReadError> {
    let mut cursor = Cursor::new(line);
    let priority = if cursor.peek() == Some(b'<') {
        Some(syslog::pri(&mut cursor)?)
    } else {
        None
    };

    let timestamp_start = cursor.pos();
    let after_timestamp = if cursor.peek().is_some_and(|b| b.is_ascii_digit()) {
        syslog::rfc3339(&mut cursor)?;
        ReadErrorKind::InvalidTimestamp
    } else {
        bsd_timestamp(&mut cursor)?;
        ReadErrorKind::InvalidTime
    };
    let timestamp = cursor.slice_from(timestamp_start);
    if cursor.at_end() {
        return Err(cursor.error(ReadErrorKind::MissingTag));
    }
    cursor.expect(b' ', after_timestamp)?;

    // A hostname never ends in ':', a tag always does: so a first word ending
    // in ':' (or holding `]:`, a tag with its pid) is the tag of a line
    // without hostname, as syslog(3) writes it.
    let first_start = cursor.pos();
    let first = cursor.token();
    let (hostname, tag_start, tag_word) = if let Some(end) = tag_end(first, false) {
        (None, first_start, first.get(..end).unwrap_or(first))
    } else {
        if first.is_empty() {
            return Err(ReadError::at(first_start, ReadErrorKind::MissingTag));
        }
        if !cursor.eat(b' ') {
            return Err(cursor.error(ReadErrorKind::MissingTag));
        }
        let start = cursor.pos();
        let word = cursor.token();
        let Some(end) = tag_end(word, true) else {
            return Err(ReadError::at(start, ReadErrorKind::MissingTag));
        };
        (Some(first), start, word.get(..end).unwrap_or(word))
    };
    let (tag, pid) =
        split_tag(tag_word).ok_or_else(|| ReadError::at(tag_start, ReadErrorKind::InvalidTag))?;
    // The message may follow the colon directly (`root[8539]:syslog message`).
    cursor.seek(tag_start + tag_word.len());
    // The space after the colon separates; any further spaces are the message's.
    cursor.eat(b' ');

    Ok(Framed {
        envelope: Envelope {
            facility: priority.map(|p| p.facility),
            severity: priority.map(|p| p.severity),
            timestamp: Some(Cow::Borrowed(timestamp)),
            hostname: hostname.map(Cow::Borrowed),
            tag: Some(Cow::Borrowed(tag)),
            pid: pid.map(Cow::Borrowed),
        },
        payload: Cow::Borrowed(cursor.rest()),
        payload_offset: Some(cursor.pos()),
    })
}

/// Where the tag at the start of `word` ends (just past its `:`), if it has
/// one. RFC 3164 ends the TAG at its first non-alphanumeric character, and
/// the message may follow the colon without a space. The word after a
/// hostname is cut at its first colon; a first word, which may be a
/// hostname (an IPv6 address holds colons), only at a final `:` or at `]:`.
fn tag_end(word: &str, after_hostname: bool) -> Option<usize> {
    if after_hostname {
        // memchr, not `str::find`: core's char search cost twice as much.
        return memchr::memchr(b':', word.as_bytes()).map(|colon| colon + 1);
    }
    if word.ends_with(':') {
        return Some(word.len());
    }
    // A byte search: `str::find` with a pattern sets up a substring
    // searcher, dearer than the scan of a word this short.
    (word.as_bytes().windows(2))
        .position(|pair| pair == b"]:")
        .map(|bracket| bracket + 2)
}

/// `name:` or `name[pid]:` into name and pid; `None` if either is empty.
fn split_tag(word: &str) -> Option<(&str, Option<&str>)> {
    let body = word.strip_suffix(':')?;
    let (name, pid) = match memchr::memchr(b'[', body.as_bytes()) {
        None => (body, None),
        Some(bracket) => {
            let pid = body.get(bracket + 1..)?.strip_suffix(']')?;
            if pid.is_empty() || memchr::memchr2(b'[', b']', pid.as_bytes()).is_some() {
                return None;
            }
            (body.get(..bracket)?, Some(pid))
        }
    };
    (!name.is_empty()).then_some((name, pid))
}

/// `Mmm dd hh:mm:ss`, the day padded with a space (`Mar  3`) as syslogd
/// writes it; `Mar 3` and `Mar 03` are accepted too.
fn bsd_timestamp(cursor: &mut Cursor<'_>) -> Result<(), ReadError> {
    let Some(month) = cursor
        .rest()
        .as_bytes()
        .get(..3)
        .and_then(syslog::month_index)
    else {
        return Err(cursor.error(ReadErrorKind::InvalidMonth));
    };
    for _ in 0..3 {
        cursor.bump();
    }
    cursor.expect(b' ', ReadErrorKind::InvalidMonth)?;

    let day_start = cursor.pos();
    let padded = cursor.eat(b' ');
    let (mut day, mut digits) = (0u8, 0);
    while digits < 2 {
        let Some(digit @ b'0'..=b'9') = cursor.peek() else {
            break;
        };
        day = day * 10 + (digit - b'0');
        digits += 1;
        cursor.bump();
    }
    if digits == 0 || (padded && digits == 2) || !crate::instant::yearless_date_exists(month, day) {
        return Err(ReadError::at(day_start, ReadErrorKind::InvalidDay));
    }
    cursor.expect(b' ', ReadErrorKind::InvalidDay)?;
    syslog::clock(cursor, ReadErrorKind::InvalidTime)
}

/// Shape check for [`detect`](crate::detect): an optional `<digits>`, then a
/// BSD timestamp, or an RFC 3339 one after a PRI or before a hostname.
pub(crate) fn looks_like(line: &str) -> bool {
    let bytes = line.as_bytes();
    let pri_len = syslog::pri_shape_len(bytes);
    let rest = bytes.get(pri_len.unwrap_or(0)..).unwrap_or_default();
    if looks_like_bsd_timestamp(rest) {
        return true;
    }
    if !syslog::looks_like_rfc3339(rest) {
        return false;
    }
    // Without a PRI, a timestamp could just as well begin a bare payload.
    pri_len.is_some()
        || memchr::memchr(b' ', rest)
            .and_then(|space| rest.get(space + 1))
            .is_some_and(|&next| next != b' ')
}

/// `Mmm dd hh:` or `Mmm  d hh:`, ranges unchecked.
fn looks_like_bsd_timestamp(text: &[u8]) -> bool {
    let is_month = text.get(..3).and_then(syslog::month_index).is_some();
    if !is_month || text.get(3) != Some(&b' ') {
        return false;
    }
    let day = text.get(4..).unwrap_or_default();
    let time = match day {
        [b' ', d, b' ', time @ ..] | [d, b' ', time @ ..] if d.is_ascii_digit() => time,
        [d1, d2, b' ', time @ ..] if d1.is_ascii_digit() && d2.is_ascii_digit() => time,
        _ => return false,
    };
    matches!(time, [h1, h2, b':', ..] if h1.is_ascii_digit() && h2.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(
        priority: Option<(u8, u8)>,
        timestamp: &str,
        hostname: Option<&'static str>,
        tag: &str,
        pid: Option<&'static str>,
    ) -> Envelope<'static> {
        Envelope {
            facility: priority.map(|p| p.0),
            severity: priority.map(|p| p.1),
            timestamp: Some(timestamp.to_owned().into()),
            hostname: hostname.map(Cow::Borrowed),
            tag: Some(tag.to_owned().into()),
            pid: pid.map(Cow::Borrowed),
        }
    }

    /// Reads `line`, checks the payload sits at `payload_offset`, returns both.
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
    fn var_log_syslog_line() {
        assert_eq!(
            ok("Mar 13 12:00:01 host ctrl-exec[12345]: ACTION=dispatch SCRIPT=backup"),
            (
                envelope(
                    None,
                    "Mar 13 12:00:01",
                    Some("host"),
                    "ctrl-exec",
                    Some("12345")
                ),
                "ACTION=dispatch SCRIPT=backup".to_owned()
            )
        );
    }

    #[test]
    fn libc_syslog_line_has_pri_and_no_hostname() {
        assert_eq!(
            ok("<30>Mar 13 12:00:01 ctrl-exec[12345]: ACTION=dispatch"),
            (
                envelope(
                    Some((3, 6)),
                    "Mar 13 12:00:01",
                    None,
                    "ctrl-exec",
                    Some("12345")
                ),
                "ACTION=dispatch".to_owned()
            )
        );
    }

    #[test]
    fn pri_with_hostname() {
        let (env, payload) = ok("<13>Mar 13 12:00:01 web-01 ctrl-exec: A=b");
        assert_eq!(
            env,
            envelope(
                Some((1, 5)),
                "Mar 13 12:00:01",
                Some("web-01"),
                "ctrl-exec",
                None
            )
        );
        assert_eq!(payload, "A=b");
    }

    #[test]
    fn message_right_after_the_tag_colon() {
        let (env, payload) = ok("<13>Feb 13 20:07:26 74794bfb6795 root[8539]:syslog message");
        assert_eq!(env.hostname.as_deref(), Some("74794bfb6795"));
        assert_eq!(
            (env.tag.as_deref(), env.pid.as_deref()),
            (Some("root"), Some("8539"))
        );
        assert_eq!(payload, "syslog message");
        let (env, payload) = ok("<30>Jun 23 13:17:42 chronyd[1119]:A=b");
        assert_eq!((env.hostname, env.tag.as_deref()), (None, Some("chronyd")));
        assert_eq!(payload, "A=b");
        let (env, payload) = ok("Mar 13 12:00:01 host app:x:y z");
        assert_eq!(env.tag.as_deref(), Some("app"));
        assert_eq!(payload, "x:y z");
        // An IPv6 hostname is not taken for a tag.
        let (env, payload) = ok("Mar 13 12:00:01 fe80::1 app: A=b");
        assert_eq!(
            (env.hostname.as_deref(), env.tag.as_deref()),
            (Some("fe80::1"), Some("app"))
        );
        assert_eq!(payload, "A=b");
        // Still a tag is needed.
        assert_eq!(
            err("Mar 13 12:00:01 host app message").1,
            ReadErrorKind::MissingTag
        );
    }

    #[test]
    fn day_padded_with_a_space() {
        let (env, payload) = ok("Mar  3 09:05:00 host cron[7]: A=b");
        assert_eq!(env.timestamp.as_deref(), Some("Mar  3 09:05:00"));
        assert_eq!(payload, "A=b");
        assert_eq!(
            ok("Mar 3 09:05:00 cron: A=b").0.timestamp.as_deref(),
            Some("Mar 3 09:05:00")
        );
        assert_eq!(
            ok("Mar 03 09:05:00 cron: A=b").0.timestamp.as_deref(),
            Some("Mar 03 09:05:00")
        );
    }

    #[test]
    fn rsyslog_file_format_timestamp() {
        assert_eq!(
            ok("2026-03-13T12:00:01.123456+00:00 host tag[42]: msg here"),
            (
                envelope(
                    None,
                    "2026-03-13T12:00:01.123456+00:00",
                    Some("host"),
                    "tag",
                    Some("42")
                ),
                "msg here".to_owned()
            )
        );
        let (env, _) = ok("<30>2026-03-13T12:00:01Z tag: x");
        assert_eq!((env.severity, env.hostname), (Some(6), None));
    }

    #[test]
    fn tag_without_pid_and_message_edge_cases() {
        let (env, payload) = ok("Mar 13 12:00:01 host kernel: ");
        assert_eq!((env.tag.as_deref(), env.pid), (Some("kernel"), None));
        assert_eq!(payload, "");
        assert_eq!(ok("Mar 13 12:00:01 host kernel:").1, "");
        // Only the one separating space is removed.
        assert_eq!(ok("Mar 13 12:00:01 kernel:  indented").1, " indented");
    }

    #[test]
    fn timestamp_errors_point_at_the_bad_part() {
        assert_eq!(
            err("Foo 13 12:00:01 host t: x"),
            (1, ReadErrorKind::InvalidMonth)
        );
        assert_eq!(
            err("<30>mar 13 12:00:01 t: x"),
            (5, ReadErrorKind::InvalidMonth)
        );
        assert_eq!(
            err("März 13 12:00:01 t: x"),
            (1, ReadErrorKind::InvalidMonth)
        );
        assert_eq!(
            err("March 13 12:00:01 t: x"),
            (4, ReadErrorKind::InvalidMonth)
        );
        assert_eq!(
            err("Mar 32 12:00:01 host t: x"),
            (5, ReadErrorKind::InvalidDay)
        );
        // No year has these days: February has 29 at most, April 30.
        assert_eq!(
            err("Feb 30 12:00:01 host t: x"),
            (5, ReadErrorKind::InvalidDay)
        );
        assert_eq!(
            err("Apr 31 12:00:01 host t: x"),
            (5, ReadErrorKind::InvalidDay)
        );
        assert!(read("Feb 29 12:00:01 host t: x").is_ok());
        assert!(read("Dec 31 12:00:01 host t: x").is_ok());
        assert_eq!(
            err("Mar  0 12:00:01 host t: x"),
            (5, ReadErrorKind::InvalidDay)
        );
        assert_eq!(
            err("Mar 123 12:00:01 host t: x"),
            (7, ReadErrorKind::InvalidDay)
        );
        assert_eq!(
            err("Mar 13 24:00:01 host t: x"),
            (8, ReadErrorKind::InvalidTime)
        );
        assert_eq!(
            err("Mar 13 12:60:01 host t: x"),
            (11, ReadErrorKind::InvalidTime)
        );
        assert_eq!(
            err("Mar 13 12:00:61 host t: x"),
            (14, ReadErrorKind::InvalidTime)
        );
        assert_eq!(
            err("Mar 13 12:00:01.5 host t: x"),
            (16, ReadErrorKind::InvalidTime)
        );
        assert_eq!(
            err("Mar 13 12-00-01 host t: x"),
            (10, ReadErrorKind::InvalidTime)
        );
        assert_eq!(
            err("2026-02-30T12:00:01Z host t: x"),
            (9, ReadErrorKind::InvalidTimestamp)
        );
    }

    #[test]
    fn pri_errors_point_at_the_pri() {
        assert_eq!(
            err("<192>Mar 13 12:00:01 t: x"),
            (2, ReadErrorKind::PriOutOfRange)
        );
        assert_eq!(
            err("<3x>Mar 13 12:00:01 t: x"),
            (3, ReadErrorKind::PriNotNumber)
        );
        assert_eq!(
            err("<30Mar 13 12:00:01 t: x"),
            (4, ReadErrorKind::PriUnterminated)
        );
        assert_eq!(err("<"), (2, ReadErrorKind::PriUnterminated));
    }

    #[test]
    fn tag_errors() {
        assert_eq!(err("Mar 13 12:00:01"), (16, ReadErrorKind::MissingTag));
        assert_eq!(err("Mar 13 12:00:01 "), (17, ReadErrorKind::MissingTag));
        assert_eq!(err("Mar 13 12:00:01 host"), (21, ReadErrorKind::MissingTag));
        assert_eq!(
            err("Mar 13 12:00:01 host -- MARK --"),
            (22, ReadErrorKind::MissingTag)
        );
        assert_eq!(
            err("Mar 13 12:00:01 host  tag: x"),
            (22, ReadErrorKind::MissingTag)
        );
        // The tag's colon must end its word.
        assert_eq!(
            err("Mar 13 12:00:01 kernel:glued"),
            (29, ReadErrorKind::MissingTag)
        );
        assert_eq!(
            err("Mar 13 12:00:01 [1]: x"),
            (17, ReadErrorKind::InvalidTag)
        );
        assert_eq!(
            err("Mar 13 12:00:01 host tag[]: x"),
            (22, ReadErrorKind::InvalidTag)
        );
        assert_eq!(
            err("Mar 13 12:00:01 host tag[1: x"),
            (22, ReadErrorKind::InvalidTag)
        );
        assert_eq!(err("Mar 13 12:00:01 :"), (17, ReadErrorKind::InvalidTag));
    }

    #[test]
    fn garbage_is_a_located_error() {
        let verdicts = [
            ("", (1, ReadErrorKind::InvalidMonth)),
            ("\u{FFFD}\u{FFFD}", (1, ReadErrorKind::InvalidMonth)),
            ("<", (2, ReadErrorKind::PriUnterminated)),
            ("<>", (2, ReadErrorKind::PriNotNumber)),
            ("Mar", (4, ReadErrorKind::InvalidMonth)),
            ("Mar ", (5, ReadErrorKind::InvalidDay)),
            ("Mar  ", (5, ReadErrorKind::InvalidDay)),
            ("Mar 1", (6, ReadErrorKind::InvalidDay)),
            ("Mar 13 1", (9, ReadErrorKind::InvalidTime)),
            ("é", (1, ReadErrorKind::InvalidMonth)),
        ];
        for (line, verdict) in verdicts {
            assert_eq!(err(line), verdict, "{line:?}");
        }
    }
}
