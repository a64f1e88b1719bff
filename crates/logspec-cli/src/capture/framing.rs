//! Syslog over TCP: splitting a connection's bytes into messages, as RFC
//! 6587 frames them. A frame starting with a non-zero digit is
//! octet-counted (`LEN SP MSG`); any other is non-transparent, ended by a
//! line feed. Senders mix both on one connection, so each frame is told
//! apart on its own.
//!
//! Hand-written because what matters here is what the crates that parse
//! syslog do not offer: bounded memory against lying senders (a frame is
//! kept up to the message limit, the rest counted and dropped), and a
//! reason for every frame that is not a clean message, so that nothing a
//! sender wrote disappears without a finding.

/// One message as framed, and what is wrong with its framing, if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The message (at most the limit), without an octet count.
    pub bytes: Vec<u8>,
    /// Why the message cannot be checked as it is.
    pub problem: Option<String>,
}

/// Digits an octet count may have: more is no count (10 GB frames).
const MAX_COUNT_DIGITS: usize = 10;

#[derive(Debug)]
enum State {
    /// Between frames.
    Start,
    /// Reading the digits of an octet count.
    Count { digits: Vec<u8> },
    /// Reading an octet-counted message.
    Counted { announced: u64, remaining: u64 },
    /// Reading a message up to its line feed.
    Line,
}

/// Splits a byte stream into frames, keeping at most `max_bytes` of each.
#[derive(Debug)]
pub struct Deframer {
    max_bytes: usize,
    state: State,
    kept: Vec<u8>,
    /// Bytes of the current frame beyond the limit, dropped.
    dropped: u64,
}

impl Deframer {
    pub fn new(max_bytes: usize) -> Deframer {
        Deframer {
            max_bytes,
            state: State::Start,
            kept: Vec::new(),
            dropped: 0,
        }
    }

    fn keep(&mut self, bytes: &[u8]) {
        let room = self.max_bytes.saturating_sub(self.kept.len());
        let taken = bytes.len().min(room);
        self.kept.extend_from_slice(&bytes[..taken]);
        self.dropped += (bytes.len() - taken) as u64;
    }

    fn emit(&mut self, out: &mut Vec<Frame>, problem: Option<String>) {
        let bytes = std::mem::take(&mut self.kept);
        let problem = problem.or_else(|| {
            (self.dropped > 0).then(|| {
                format!(
                    "message of {} bytes, over the limit of {}: not checked",
                    bytes.len() as u64 + self.dropped,
                    self.max_bytes
                )
            })
        });
        self.dropped = 0;
        self.state = State::Start;
        out.push(Frame { bytes, problem });
    }

    /// Adds bytes read from the connection; complete frames go to `out`.
    pub fn push(&mut self, mut bytes: &[u8], out: &mut Vec<Frame>) {
        while !bytes.is_empty() {
            match &mut self.state {
                State::Start => {
                    self.state = if matches!(bytes[0], b'1'..=b'9') {
                        State::Count { digits: Vec::new() }
                    } else {
                        State::Line
                    };
                }
                State::Count { digits } => {
                    let byte = bytes[0];
                    if byte.is_ascii_digit() && digits.len() < MAX_COUNT_DIGITS {
                        digits.push(byte);
                        bytes = &bytes[1..];
                    } else if byte == b' ' {
                        let announced = std::str::from_utf8(digits)
                            .ok()
                            .and_then(|digits| digits.parse::<u64>().ok())
                            .unwrap_or(0);
                        bytes = &bytes[1..];
                        self.state = State::Counted {
                            announced,
                            remaining: announced,
                        };
                    } else {
                        // Not a count after all: a line that starts with
                        // digits, which the checker will judge.
                        let digits = std::mem::take(digits);
                        self.state = State::Line;
                        self.keep(&digits);
                    }
                }
                State::Counted {
                    announced,
                    remaining,
                } => {
                    let announced = *announced;
                    let taken = bytes
                        .len()
                        .min(usize::try_from(*remaining).unwrap_or(usize::MAX));
                    *remaining -= taken as u64;
                    let done = *remaining == 0;
                    let (body, rest) = bytes.split_at(taken);
                    self.keep(body);
                    bytes = rest;
                    if done {
                        let problem = (self.dropped > 0).then(|| {
                            format!(
                                "octet-counted message of {announced} bytes, over the limit of \
                                 {}: not checked",
                                self.max_bytes
                            )
                        });
                        self.emit(out, problem);
                    }
                }
                State::Line => match memchr::memchr(b'\n', bytes) {
                    Some(end) => {
                        self.keep(&bytes[..end]);
                        bytes = &bytes[end + 1..];
                        if self.kept.last() == Some(&b'\r') && self.dropped == 0 {
                            self.kept.pop();
                        }
                        self.emit(out, None);
                    }
                    None => {
                        self.keep(bytes);
                        bytes = &[];
                    }
                },
            }
        }
    }

    /// Ends the stream (`why`: how the connection ended); a frame begun
    /// and not finished is returned, with why it is incomplete.
    pub fn finish(&mut self, why: &str) -> Option<Frame> {
        let problem = match &self.state {
            State::Start => return None,
            State::Count { digits } => {
                let digits = String::from_utf8_lossy(digits).into_owned();
                self.kept = digits.clone().into_bytes();
                format!("not checked: the connection {why} inside the octet count {digits:?}")
            }
            State::Counted {
                announced,
                remaining,
            } => format!(
                "not checked: the connection {why} after {} of the {announced} bytes its \
                 octet count announced",
                announced - remaining
            ),
            State::Line => format!(
                "not checked (it may be cut): the connection {why} before the message's line end"
            ),
        };
        let mut out = Vec::new();
        self.emit(&mut out, Some(problem));
        out.pop()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(max: usize, chunks: &[&[u8]]) -> Vec<Frame> {
        let mut deframer = Deframer::new(max);
        let mut out = Vec::new();
        for chunk in chunks {
            deframer.push(chunk, &mut out);
        }
        out.extend(deframer.finish("closed"));
        out
    }

    fn clean(text: &str) -> Frame {
        Frame {
            bytes: text.as_bytes().to_vec(),
            problem: None,
        }
    }

    #[test]
    fn both_framings_mix_on_one_connection_whatever_the_chunks() {
        let stream = b"<13>a b\n11 <13>c\nd e\r\n<13>f\n3 xyz";
        let expected = vec![
            clean("<13>a b"),
            clean("<13>c\nd e\r\n"),
            clean("<13>f"),
            clean("xyz"),
        ];
        assert_eq!(frames(100, &[stream]), expected);
        // One byte at a time: the same frames.
        let bytes: Vec<&[u8]> = stream.chunks(1).collect();
        assert_eq!(frames(100, &bytes), expected);
    }

    #[test]
    fn over_long_frames_are_cut_and_said_so_and_the_next_frame_is_intact() {
        let out = frames(4, &[b"<13>abcdef\n12 <13>abcdefgh<1>x\n"]);
        assert_eq!(out.len(), 3, "{out:?}");
        assert_eq!(out[0].bytes, b"<13>");
        assert!(out[0]
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("10 bytes")));
        assert!(out[1]
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("12 bytes")));
        assert_eq!(out[2], clean("<1>x"));
    }

    #[test]
    fn a_lying_count_or_an_endless_line_is_reported_at_the_end() {
        let out = frames(100, &[b"50 <13>short"]);
        assert_eq!(out.len(), 1);
        assert!(out[0]
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("after 9 of the 50 bytes")));
        let out = frames(100, &[b"<13>no end"]);
        assert!(out[0]
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("line end")));
        assert_eq!(out[0].bytes, b"<13>no end");
        let out = frames(100, &[b"123"]);
        assert!(out[0]
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("octet count")));
        assert!(frames(100, &[b""]).is_empty());
    }

    #[test]
    fn digits_that_are_no_count_start_a_line() {
        assert_eq!(frames(100, &[b"12abc\n"]), vec![clean("12abc")]);
        assert_eq!(frames(100, &[b"0 x\n"]), vec![clean("0 x")]);
        let long = b"12345678901 x\n";
        assert_eq!(frames(100, &[long]), vec![clean("12345678901 x")]);
    }
}
