//! Pieces both syslog formats share: a byte cursor, the `<PRI>`, the months
//! of BSD timestamps, and RFC 3339 timestamps (RFC 5424's, and rsyslog's
//! `RSYSLOG_FileFormat` for RFC 3164).

use std::ops::RangeInclusive;

use crate::error::{ReadError, ReadErrorKind};
use crate::format::Priority;

/// The months a BSD timestamp names.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The index of the month `name` names in [`MONTHS`].
pub(crate) fn month_index(name: &[u8]) -> Option<usize> {
    MONTHS.iter().position(|month| month.as_bytes() == name)
}

/// Position in a line, moved byte by byte.
///
/// Slices are only ever cut where the cursor stopped on an ASCII delimiter or
/// at the end, both char boundaries; `str::get` keeps even a mistake from
/// panicking.
pub(crate) struct Cursor<'a> {
    line: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(line: &'a str) -> Self {
        Cursor { line, pos: 0 }
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn peek(&self) -> Option<u8> {
        self.line.as_bytes().get(self.pos).copied()
    }

    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.line.len()
    }

    pub(crate) fn bump(&mut self) {
        if !self.at_end() {
            self.pos += 1;
        }
    }

    /// Consumes `byte` if it is next.
    pub(crate) fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    /// Consumes up to the next space (not included) or the end.
    pub(crate) fn token(&mut self) -> &'a str {
        let start = self.pos;
        let rest = self.line.as_bytes().get(start..).unwrap_or_default();
        self.pos = start + memchr::memchr(b' ', rest).unwrap_or(rest.len());
        self.slice_from(start)
    }

    /// Moves to `pos`, at most the end of the line.
    pub(crate) fn seek(&mut self, pos: usize) {
        self.pos = pos.min(self.line.len());
    }

    pub(crate) fn slice_from(&self, start: usize) -> &'a str {
        self.line.get(start..self.pos).unwrap_or_default()
    }

    pub(crate) fn rest(&self) -> &'a str {
        self.line.get(self.pos..).unwrap_or_default()
    }

    pub(crate) fn error(&self, kind: ReadErrorKind) -> ReadError {
        ReadError::at(self.pos, kind)
    }

    /// Exactly `width` ASCII digits whose value lies in `range`; otherwise
    /// `kind` at the number's first column.
    pub(crate) fn number(
        &mut self,
        width: usize,
        range: RangeInclusive<u32>,
        kind: ReadErrorKind,
    ) -> Result<u32, ReadError> {
        let start = self.pos;
        let mut value = 0u32;
        for _ in 0..width {
            match self.peek() {
                Some(digit @ b'0'..=b'9') => {
                    value = value * 10 + u32::from(digit - b'0');
                    self.pos += 1;
                }
                _ => return Err(ReadError::at(self.pos, kind)),
            }
        }
        if range.contains(&value) {
            Ok(value)
        } else {
            Err(ReadError::at(start, kind))
        }
    }

    /// Consumes `byte` or fails with `kind` at the current column.
    pub(crate) fn expect(&mut self, byte: u8, kind: ReadErrorKind) -> Result<(), ReadError> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(self.error(kind))
        }
    }
}

/// Parses `<PRI>`; the cursor is on the `<`.
pub(crate) fn pri(cursor: &mut Cursor<'_>) -> Result<Priority, ReadError> {
    cursor.bump();
    let start = cursor.pos();
    let mut value = 0u32;
    while let Some(digit @ b'0'..=b'9') = cursor.peek() {
        value = value
            .saturating_mul(10)
            .saturating_add(u32::from(digit - b'0'));
        cursor.bump();
    }
    let stop = cursor.pos();
    match cursor.peek() {
        Some(b'>') if stop == start => Err(ReadError::at(stop, ReadErrorKind::PriNotNumber)),
        Some(b'>') => {
            if value > 191 {
                return Err(ReadError::at(start, ReadErrorKind::PriOutOfRange));
            }
            cursor.bump();
            // value <= 191, so facility <= 23 and both fit a u8.
            Ok(Priority {
                facility: (value / 8) as u8,
                severity: (value % 8) as u8,
            })
        }
        None => Err(ReadError::at(stop, ReadErrorKind::PriUnterminated)),
        // A `>` later in the same word means junk inside the PRI; none means
        // the PRI was never closed.
        Some(_) => {
            let kind = if cursor.token().contains('>') {
                ReadErrorKind::PriNotNumber
            } else {
                ReadErrorKind::PriUnterminated
            };
            Err(ReadError::at(stop, kind))
        }
    }
}

/// `hh:mm:ss`, with a leap second allowed; `kind` on any problem.
pub(crate) fn clock(cursor: &mut Cursor<'_>, kind: ReadErrorKind) -> Result<(), ReadError> {
    cursor.number(2, 0..=23, kind.clone())?;
    cursor.expect(b':', kind.clone())?;
    cursor.number(2, 0..=59, kind.clone())?;
    cursor.expect(b':', kind.clone())?;
    cursor.number(2, 0..=60, kind)?;
    Ok(())
}

/// Parses an RFC 3339 timestamp at the cursor,
/// `YYYY-MM-DDThh:mm:ss[.frac](Z|+hh:mm|-hh:mm)`, with `T` and `Z` in upper
/// case as RFC 5424 requires. The fraction may have 1-9 digits: RFC 5424
/// allows 6, but producers writing nanoseconds are common and harmless.
pub(crate) fn rfc3339(cursor: &mut Cursor<'_>) -> Result<(), ReadError> {
    const BAD: ReadErrorKind = ReadErrorKind::InvalidTimestamp;
    let year = cursor.number(4, 0..=9999, BAD)?;
    cursor.expect(b'-', BAD)?;
    let month = cursor.number(2, 1..=12, BAD)?;
    cursor.expect(b'-', BAD)?;
    let day_start = cursor.pos();
    let day = cursor.number(2, 1..=31, BAD)?;
    if !crate::instant::date_exists(year, month, day) {
        return Err(ReadError::at(day_start, BAD));
    }
    cursor.expect(b'T', BAD)?;
    clock(cursor, BAD)?;
    if cursor.eat(b'.') {
        let start = cursor.pos();
        while cursor.peek().is_some_and(|b| b.is_ascii_digit()) {
            cursor.bump();
        }
        if !(1..=9).contains(&(cursor.pos() - start)) {
            return Err(ReadError::at(start, BAD));
        }
    }
    match cursor.peek() {
        Some(b'Z') => cursor.bump(),
        Some(b'+' | b'-') => {
            cursor.bump();
            cursor.number(2, 0..=23, BAD)?;
            cursor.expect(b':', BAD)?;
            cursor.number(2, 0..=59, BAD)?;
        }
        _ => return Err(cursor.error(BAD)),
    }
    Ok(())
}

/// Shape of an RFC 3339 date-time start, `dddd-dd-ddT`, for format detection
/// (ranges are left to the parser, which can then say what is wrong).
pub(crate) fn looks_like_rfc3339(text: &[u8]) -> bool {
    let digit = |i: usize| text.get(i).is_some_and(u8::is_ascii_digit);
    (0..4).all(digit)
        && text.get(4) == Some(&b'-')
        && (5..7).all(digit)
        && text.get(7) == Some(&b'-')
        && (8..10).all(digit)
        && text.get(10) == Some(&b'T')
}

/// Length of a `<digits>` PRI at the start of `text`, for format detection.
pub(crate) fn pri_shape_len(text: &[u8]) -> Option<usize> {
    if text.first() != Some(&b'<') {
        return None;
    }
    let digits = text
        .get(1..)
        .unwrap_or_default()
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    (digits > 0 && text.get(1 + digits) == Some(&b'>')).then_some(digits + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timestamp(text: &str) -> Result<usize, ReadError> {
        let mut cursor = Cursor::new(text);
        rfc3339(&mut cursor).map(|()| cursor.pos())
    }

    fn bad_at(column: usize) -> Result<usize, ReadError> {
        Err(ReadError {
            column,
            kind: ReadErrorKind::InvalidTimestamp,
        })
    }

    #[test]
    fn rfc3339_accepts_the_forms_in_use() {
        for text in [
            "2026-03-13T12:00:01Z",
            "2026-03-13T12:00:01.003Z",
            "2026-03-13T12:00:01.123456+00:00",
            "2026-03-13T12:00:01.123456789-05:30",
            "2024-02-29T23:59:60Z",
            "2000-02-29T00:00:00Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
        ] {
            assert_eq!(timestamp(text), Ok(text.len()), "{text}");
        }
    }

    #[test]
    fn rfc3339_stops_after_the_timestamp() {
        assert_eq!(timestamp("2026-03-13T12:00:01Z host"), Ok(20));
    }

    #[test]
    fn rfc3339_points_at_the_bad_part() {
        assert_eq!(timestamp("2026-13-01T00:00:00Z"), bad_at(6));
        assert_eq!(timestamp("2025-02-29T00:00:00Z"), bad_at(9));
        assert_eq!(timestamp("2100-02-29T00:00:00Z"), bad_at(9));
        assert_eq!(timestamp("2026-04-31T00:00:00Z"), bad_at(9));
        assert_eq!(timestamp("2026-01-32T00:00:00Z"), bad_at(9));
        assert_eq!(timestamp("2026-01-00T00:00:00Z"), bad_at(9));
        assert_eq!(timestamp("2026-03-13 12:00:01Z"), bad_at(11));
        assert_eq!(timestamp("2026-03-13T24:00:01Z"), bad_at(12));
        assert_eq!(timestamp("2026-03-13T12:60:01Z"), bad_at(15));
        assert_eq!(timestamp("2026-03-13T12:00:01"), bad_at(20));
        assert_eq!(timestamp("2026-03-13T12:00:01.Z"), bad_at(21));
        assert_eq!(timestamp("2026-03-13T12:00:01+0100"), bad_at(23));
        assert_eq!(timestamp("2026-03-13t12:00:01z"), bad_at(11));
        assert_eq!(timestamp("2026-3-13T12:00:01Z"), bad_at(7));
    }

    fn pri_of(text: &str) -> Result<(u8, u8, usize), ReadError> {
        let mut cursor = Cursor::new(text);
        pri(&mut cursor).map(|p| (p.facility, p.severity, cursor.pos()))
    }

    #[test]
    fn pri_splits_facility_and_severity() {
        assert_eq!(pri_of("<30>Mar"), Ok((3, 6, 4)));
        assert_eq!(pri_of("<0>"), Ok((0, 0, 3)));
        assert_eq!(pri_of("<191>"), Ok((23, 7, 5)));
    }

    #[test]
    fn pri_errors_have_columns() {
        let err = |column, kind| Err(ReadError { column, kind });
        assert_eq!(pri_of("<192>"), err(2, ReadErrorKind::PriOutOfRange));
        assert_eq!(
            pri_of("<99999999999999>"),
            err(2, ReadErrorKind::PriOutOfRange)
        );
        assert_eq!(pri_of("<>"), err(2, ReadErrorKind::PriNotNumber));
        assert_eq!(pri_of("<3a>"), err(3, ReadErrorKind::PriNotNumber));
        assert_eq!(pri_of("<30 Mar"), err(4, ReadErrorKind::PriUnterminated));
        assert_eq!(pri_of("<30"), err(4, ReadErrorKind::PriUnterminated));
    }
}
