//! Splitting a byte stream into lines, in one pass and bounded memory.
//!
//! Lines are handed out as raw bytes: a line that is not UTF-8 is still a
//! line, and the caller must see it (with [`decode`]'s error) rather than lose
//! it inside an iterator that stops at the first bad byte.

use std::io::{self, BufRead};

use crate::error::{ReadError, ReadErrorKind};

/// Default for [`LineReader::new`]'s `max_line_bytes`: 1 MiB.
pub const DEFAULT_MAX_LINE_BYTES: usize = 1 << 20;

/// Reads lines from a [`BufRead`], keeping at most `max_line_bytes` of each.
///
/// The rest of a longer line is read and discarded, not buffered, so memory
/// stays bounded whatever the input; [`RawLine::skipped_bytes`] says how much
/// was discarded. An I/O error is returned as is; calling
/// [`next_line`](LineReader::next_line) again resumes the same line, so a
/// transient error loses nothing.
#[derive(Debug)]
pub struct LineReader<R> {
    inner: R,
    max_line_bytes: usize,
    /// The current line's kept bytes; never grows beyond `max_line_bytes`.
    buf: Vec<u8>,
    /// Bytes of the current line discarded beyond the limit.
    skipped: u64,
    /// Last byte of the current line's content seen so far, kept or not:
    /// needed to spot the `\r` of a `\r\n` that fell beyond the limit.
    last_byte: Option<u8>,
    /// Number of lines returned so far.
    number: u64,
    /// The line in `buf` was returned: start afresh on the next call.
    returned: bool,
}

/// One line as read, without its terminator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawLine<'a> {
    /// 1-based line number.
    pub number: u64,
    /// The line's bytes, at most `max_line_bytes`. When the line was cut, the
    /// cut is moved back to the start of a UTF-8 sequence it would split (the
    /// moved bytes count in `skipped_bytes`), so a long UTF-8 line still
    /// decodes.
    pub bytes: &'a [u8],
    /// Bytes beyond the limit that were discarded (0 normally).
    pub skipped_bytes: u64,
    /// The line ended in `\r\n`; the `\r` is not in `bytes`.
    pub had_cr: bool,
    /// False for a last line without a newline (a truncated file, or a
    /// writer that was still writing).
    pub terminated: bool,
}

impl<R: BufRead> LineReader<R> {
    /// A reader keeping at most `max_line_bytes` of each line
    /// ([`DEFAULT_MAX_LINE_BYTES`] is a sensible value). With 0, every line
    /// comes back empty with its length in `skipped_bytes`.
    pub fn new(inner: R, max_line_bytes: usize) -> Self {
        LineReader {
            inner,
            max_line_bytes,
            buf: Vec::new(),
            skipped: 0,
            last_byte: None,
            number: 0,
            returned: false,
        }
    }

    /// Next line without its terminator ("\n", and a "\r" before it is
    /// removed too). `Ok(None)` at the end of the input.
    pub fn next_line(&mut self) -> io::Result<Option<RawLine<'_>>> {
        if self.returned {
            self.buf.clear();
            self.skipped = 0;
            self.last_byte = None;
            self.returned = false;
        }
        let terminated = self.fill_line()?;
        if !terminated && self.buf.is_empty() && self.skipped == 0 {
            return Ok(None);
        }
        let had_cr = terminated && self.last_byte == Some(b'\r');
        if had_cr {
            // The `\r` is the line's last byte: discarded if anything was.
            if self.skipped > 0 {
                self.skipped -= 1;
            } else {
                self.buf.pop();
            }
        }
        if self.skipped > 0 {
            self.cut_at_char_boundary();
        }
        self.returned = true;
        self.number += 1;
        Ok(Some(RawLine {
            number: self.number,
            bytes: &self.buf,
            skipped_bytes: self.skipped,
            had_cr,
            terminated,
        }))
    }

    /// Reads up to and including the next `\n`; true if one was found.
    fn fill_line(&mut self) -> io::Result<bool> {
        loop {
            let available = match self.inner.fill_buf() {
                Ok(available) => available,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                return Ok(false);
            }
            let newline = memchr::memchr(b'\n', available);
            let content = match newline {
                Some(at) => available.get(..at).unwrap_or_default(),
                None => available,
            };
            if let Some(&last) = content.last() {
                self.last_byte = Some(last);
            }
            let room = self.max_line_bytes.saturating_sub(self.buf.len());
            let (kept, dropped) = content.split_at(content.len().min(room));
            reserve_bounded(&mut self.buf, kept.len(), self.max_line_bytes);
            self.buf.extend_from_slice(kept);
            self.skipped = self.skipped.saturating_add(dropped.len() as u64);
            let used = content.len() + usize::from(newline.is_some());
            self.inner.consume(used);
            if newline.is_some() {
                return Ok(true);
            }
        }
    }

    /// If the cut split a UTF-8 sequence, drop its leading bytes too.
    fn cut_at_char_boundary(&mut self) {
        let len = self.buf.len();
        for back in 1..=len.min(4) {
            let Some(&byte) = self.buf.get(len - back) else {
                return;
            };
            if byte & 0xC0 == 0x80 {
                continue; // a continuation byte: keep looking for the lead
            }
            let needed = match byte {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xF7 => 4,
                _ => 1,
            };
            if needed > back {
                self.buf.truncate(len - back);
                self.skipped = self.skipped.saturating_add(back as u64);
            }
            return;
        }
    }
}

/// Grows `buf` for `extra` more bytes like `Vec` would, but never past `max`
/// (the amortised doubling alone could reach almost twice the limit).
fn reserve_bounded(buf: &mut Vec<u8>, extra: usize, max: usize) {
    let needed = buf.len() + extra;
    if needed > buf.capacity() {
        let target = buf.capacity().saturating_mul(2).max(needed).min(max);
        buf.reserve_exact(target.max(needed) - buf.len());
    }
}

/// Decode a raw line as UTF-8 text.
///
/// Errors with the 1-based byte column of the first invalid UTF-8 sequence,
/// or of the first NUL byte, whichever comes first.
pub fn decode(bytes: &[u8]) -> Result<&str, ReadError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => match memchr::memchr(0, bytes) {
            Some(at) => Err(ReadError::at(at, ReadErrorKind::NulByte)),
            None => Ok(text),
        },
        Err(e) => {
            let valid = e.valid_up_to();
            let nul = memchr::memchr(0, bytes.get(..valid).unwrap_or_default());
            Err(match nul {
                Some(at) => ReadError::at(at, ReadErrorKind::NulByte),
                None => ReadError::at(valid, ReadErrorKind::InvalidUtf8),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Cursor, Read};

    /// Every line as (bytes, skipped, had_cr, terminated).
    fn all(input: &[u8], max: usize) -> Vec<(Vec<u8>, u64, bool, bool)> {
        let mut reader = LineReader::new(Cursor::new(input), max);
        let mut out = Vec::new();
        let mut expected_number = 1;
        while let Some(line) = reader.next_line().expect("cursor reads never fail") {
            assert_eq!(line.number, expected_number);
            expected_number += 1;
            out.push((
                line.bytes.to_vec(),
                line.skipped_bytes,
                line.had_cr,
                line.terminated,
            ));
        }
        out
    }

    fn line(text: &str, skipped: u64, cr: bool, terminated: bool) -> (Vec<u8>, u64, bool, bool) {
        (text.as_bytes().to_vec(), skipped, cr, terminated)
    }

    #[test]
    fn empty_input_has_no_lines() {
        assert!(all(b"", 16).is_empty());
    }

    #[test]
    fn splits_on_newline_and_strips_crlf() {
        assert_eq!(
            all(b"one\r\ntwo\n\nthree\r\n", 16),
            vec![
                line("one", 0, true, true),
                line("two", 0, false, true),
                line("", 0, false, true),
                line("three", 0, true, true),
            ]
        );
    }

    #[test]
    fn last_line_without_newline_is_returned_unterminated() {
        assert_eq!(
            all(b"a\nlast", 16),
            vec![line("a", 0, false, true), line("last", 0, false, false)]
        );
    }

    #[test]
    fn lone_cr_is_content_not_a_terminator() {
        assert_eq!(
            all(b"a\rb\nc\r", 16),
            vec![line("a\rb", 0, false, true), line("c\r", 0, false, false)]
        );
    }

    #[test]
    fn long_line_is_cut_and_counted() {
        assert_eq!(
            all(b"0123456789\nok\n", 4),
            vec![line("0123", 6, false, true), line("ok", 0, false, true)]
        );
    }

    #[test]
    fn line_exactly_at_the_limit_is_whole() {
        assert_eq!(all(b"0123\n", 4), vec![line("0123", 0, false, true)]);
        // The `\r` of `\r\n` past the limit is a terminator, not content.
        assert_eq!(all(b"0123\r\n", 4), vec![line("0123", 0, true, true)]);
        assert_eq!(all(b"01234\r\n", 4), vec![line("0123", 1, true, true)]);
    }

    #[test]
    fn zero_limit_keeps_nothing_but_counts_everything() {
        assert_eq!(
            all(b"abc\n\nxy", 0),
            vec![
                line("", 3, false, true),
                line("", 0, false, true),
                line("", 2, false, false),
            ]
        );
    }

    #[test]
    fn cut_backs_up_out_of_a_split_utf8_sequence() {
        // "aé€" is 61 C3A9 E282AC; a 5-byte cut would split the euro sign.
        let input = "aé€z\n".as_bytes();
        let lines = all(input, 5);
        assert_eq!(lines, vec![line("aé", 4, false, true)]);
        assert!(decode(&lines[0].0).is_ok());
        // A cut right after a whole character keeps it.
        assert_eq!(all(input, 6), vec![line("aé€", 1, false, true)]);
    }

    /// Yields `len` bytes of `a` in reads of at most 1000 bytes, then `tail`,
    /// without ever holding the long line.
    struct LongLine {
        remaining: usize,
        tail: &'static [u8],
    }

    impl Read for LongLine {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if self.remaining > 0 {
                let n = out.len().min(self.remaining).min(1000);
                out[..n].fill(b'a');
                self.remaining -= n;
                return Ok(n);
            }
            let n = out.len().min(self.tail.len());
            out[..n].copy_from_slice(&self.tail[..n]);
            self.tail = &self.tail[n..];
            Ok(n)
        }
    }

    #[test]
    fn ten_megabyte_line_is_skipped_in_bounded_memory() {
        const LONG: usize = 10 * 1024 * 1024;
        const MAX: usize = 64 * 1024;
        let source = LongLine {
            remaining: LONG,
            tail: b"\r\nnext=1\n",
        };
        let mut reader = LineReader::new(BufReader::with_capacity(4096, source), MAX);
        let first = reader.next_line().expect("no I/O error").expect("a line");
        assert_eq!(first.number, 1);
        assert_eq!(first.bytes.len(), MAX);
        assert!(first.bytes.iter().all(|&b| b == b'a'));
        assert_eq!(first.skipped_bytes, (LONG - MAX) as u64);
        assert!(first.had_cr && first.terminated);
        assert!(reader.buf.capacity() <= MAX, "buffer grew past the limit");
        let second = reader.next_line().expect("no I/O error").expect("a line");
        assert_eq!(second.number, 2);
        assert_eq!(second.bytes, b"next=1");
        assert_eq!(second.skipped_bytes, 0);
        assert!(reader.next_line().expect("no I/O error").is_none());
        assert!(reader.buf.capacity() <= MAX);
    }

    /// Yields its chunks in turn; `None` is an I/O error.
    struct Flaky(Vec<Option<io::Result<&'static [u8]>>>);

    impl Read for Flaky {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Ok(0);
            }
            match self.0.remove(0) {
                Some(Ok(chunk)) => {
                    out[..chunk.len()].copy_from_slice(chunk);
                    Ok(chunk.len())
                }
                Some(Err(e)) => Err(e),
                None => Err(io::Error::other("disk on fire")),
            }
        }
    }

    #[test]
    fn io_error_mid_line_is_reported_and_the_line_resumes() {
        let source = Flaky(vec![
            Some(Ok(b"ab")),
            Some(Err(io::Error::from(io::ErrorKind::Interrupted))),
            Some(Ok(b"c")),
            None,
            Some(Ok(b"d\nnext\n")),
        ]);
        let mut reader = LineReader::new(BufReader::with_capacity(8, source), 16);
        let err = reader.next_line().expect_err("the error is passed on");
        assert_eq!(err.to_string(), "disk on fire");
        let line = reader.next_line().expect("no error").expect("a line");
        assert_eq!((line.number, line.bytes), (1, &b"abcd"[..]));
        let line = reader.next_line().expect("no error").expect("a line");
        assert_eq!((line.number, line.bytes), (2, &b"next"[..]));
        assert!(reader.next_line().expect("no error").is_none());
    }

    #[test]
    fn binary_garbage_still_comes_back_line_by_line() {
        let garbage: Vec<u8> = (0..=255u8).chain([b'\n', 0xFF, 0x00]).collect();
        let lines = all(&garbage, 1024);
        // 0..=255 holds its own `\n` (10): lines are 0..10, 11..=255, and the tail.
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].0, (0..10u8).collect::<Vec<_>>());
        assert_eq!(lines[1].0, (11..=255u8).collect::<Vec<_>>());
        assert_eq!(lines[2], (vec![0xFF, 0x00], 0, false, false));
        assert_eq!(
            decode(&lines[0].0).map_err(|e| e.kind),
            Err(ReadErrorKind::NulByte)
        );
    }

    #[test]
    fn decode_accepts_utf8() {
        assert_eq!(decode("ACTION=ping é".as_bytes()), Ok("ACTION=ping é"));
        assert_eq!(decode(b""), Ok(""));
    }

    #[test]
    fn decode_reports_invalid_utf8_column() {
        assert_eq!(
            decode(b"ab\xFFcd"),
            Err(ReadError {
                column: 3,
                kind: ReadErrorKind::InvalidUtf8
            })
        );
        // A sequence cut off at the end points at its first byte.
        assert_eq!(
            decode(b"abc\xE2\x82"),
            Err(ReadError {
                column: 4,
                kind: ReadErrorKind::InvalidUtf8
            })
        );
    }

    #[test]
    fn decode_reports_nul_column() {
        assert_eq!(
            decode(b"KEY=a\0b"),
            Err(ReadError {
                column: 6,
                kind: ReadErrorKind::NulByte
            })
        );
    }

    #[test]
    fn decode_reports_whichever_problem_comes_first() {
        assert_eq!(decode(b"a\0\xFF").map_err(|e| e.column), Err(2));
        assert_eq!(
            decode(b"a\xFF\0"),
            Err(ReadError {
                column: 2,
                kind: ReadErrorKind::InvalidUtf8
            })
        );
    }

    #[test]
    fn error_display_names_column_and_problem() {
        let err = decode(b"ab\xFF").expect_err("invalid");
        assert_eq!(err.to_string(), "column 3: invalid UTF-8 byte sequence");
    }
}
