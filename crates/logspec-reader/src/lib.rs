//! Wire-format readers for logspec: they turn a producer's log stream into
//! lines, lines into an envelope and a payload, and payloads into
//! `KEY=value` pairs, for the checker to hold against the spec. Formats
//! whose records carry their fields themselves (JSON lines and documents,
//! MongoDB Extended JSON, Logback and pipe-separated text logs, RCE's
//! readable blocks, server-sent events) are read by [`read_record`] into the
//! same [`Field`] view, with multi-line records grouped by an [`Assembler`].
//!
//! The crate is shaped by one rule: bad input is normal input. A conformance
//! checker is most useful on exactly the streams that are broken, so:
//!
//! - Reading and understanding are separate steps. [`LineReader`] hands out
//!   every line as raw bytes, whatever they hold; [`decode`], then
//!   [`read_envelope`], then [`parse_pairs`] each either succeed or return a
//!   [`ReadError`] saying what is wrong and at which 1-based byte column. No
//!   line is ever dropped, and nothing panics on any input.
//! - Memory is bounded and reading is one pass: a line longer than the limit
//!   is cut, the rest read and discarded (and counted), never buffered.
//! - The per-line path borrows: payloads and values are `Cow`s into the line,
//!   owned only when an escape had to be undone.
//!
//! Each wire format has its own module, with what the syslog ones share
//! (PRI, RFC 3339 timestamps, a byte cursor) in `syslog` and what the JSON
//! ones share (a located, flattening JSON reader) in `json`. Every public
//! item is also re-exported here.

pub mod error;
mod extjson;
pub mod fields;
pub mod format;
pub mod frame;
pub mod instant;
mod journald;
mod json;
mod jsondoc;
mod jsonlines;
pub mod keyvalue;
pub mod lines;
mod logback;
pub mod otlp;
mod pipe;
mod plaintext;
mod rce_readable;
mod rfc3164;
mod rfc5424;
mod sse;
mod syslog;

pub use error::{ReadError, ReadErrorKind};
pub use fields::{read_record, Field, JsonKind, RecordHead};
pub use format::{
    detect, read_envelope, Envelope, Format, Framed, Framing, Priority, UnknownFormat,
};
pub use frame::{Assembled, Assembler, DeclaredLines, Fed, RecordLines, Trace, MAX_RECORD_LINES};
pub use instant::{field_instant, instant, Epoch, Instant};
pub use keyvalue::{parse_pairs, parse_pairs_into, Pair};
pub use lines::{decode, LineReader, RawLine, DEFAULT_MAX_LINE_BYTES};

#[cfg(test)]
mod tests {
    use super::*;

    /// xorshift64: a dependency-free, reproducible source of test input.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// Real lines of every format, to be mutated.
    const SEEDS: &[&str] = &[
        "Mar 13 12:00:01 host ctrl-exec[12345]: ACTION=dispatch SCRIPT=backup",
        "<30>Mar  3 12:00:01 ctrl-exec[12345]: ACTION=ping ERROR=\"read timeout\"",
        "2026-03-13T12:00:01.123456+00:00 host tag[1]: MSG=\"he said \"hi\" there\" N=1",
        "<30>1 2026-03-13T12:00:01.003Z host ctrl-exec 12345 - [a@1 k=\"v\\]\"] A=b",
        r#"{"MESSAGE":"A=\"x\" B=","PRIORITY":"6","_PID":"1","MESSAGE2":[65,255]}"#,
        r#"{"MESSAGE":[65,61,66],"SYSLOG_FACILITY":"3"}"#,
        "ACTION=ping TARGET=web-01:7443 RTT=60001ms EMPTY= Q=\"a\\\\b\"",
        r#"{"_t":"custom","_ts":"1","n":{"a":[1,{"b":null}]},"u":"\u00e9\ud83d\ude00"}"#,
        r#"{"_id":{"$oid":"663e"},"createdAt":{"$date":{"$numberLong":"-1"}}}"#,
        "2026-05-10T14:02:11.453Z INFO [http-1] [requestId=ab] api -- m=1\n\tat x",
        "2025-01-15 14:31:15 | INFO | src.x | [r_1] Executing: a | b",
        "-----\nIncoming Connection Accepted\n  Connection id:  c:1\n\nTitle",
        "event: run_finished\ndata: {\"run_id\":\"r\"}\n: ping\ndata:x\n\n",
    ];

    /// Bytes that matter to some parser, and some that matter to none.
    const ALPHABET: &[u8] = b"<>[]{}\"\\=:- \t\r\n0123456789TZ.+,aMJ\0\xff\xc3\xa9";

    fn mutate(rng: &mut Rng, seed: &str) -> Vec<u8> {
        let mut bytes = seed.as_bytes().to_vec();
        for _ in 0..=rng.below(4) {
            let at = rng.below(bytes.len() + 1);
            let byte = ALPHABET[rng.below(ALPHABET.len())];
            match rng.below(3) {
                0 => bytes.insert(at, byte),
                1 if at < bytes.len() => bytes[at] = byte,
                _ => bytes.truncate(at),
            }
        }
        bytes
    }

    /// Holds every reader to its promises on mangled input: no panic, every
    /// line returned, columns inside the text, offsets that really locate the
    /// payload, spans that really locate keys and values.
    #[test]
    fn mangled_lines_never_panic_and_keep_their_promises() {
        let mut rng = Rng(0x5EED_1095_5EC0_0001);
        for round in 0..3000 {
            let seed = SEEDS[round % SEEDS.len()];
            let mut input = mutate(&mut rng, seed);
            input.push(b'\n');
            let expected_lines = input.iter().filter(|&&b| b == b'\n').count();
            let mut reader = LineReader::new(&input[..], 48);
            let mut count = 0;
            while let Some(raw) = reader.next_line().expect("slices never fail") {
                count += 1;
                assert!(raw.bytes.len() <= 48);
                let Ok(line) = decode(raw.bytes) else {
                    continue;
                };
                let detected = detect(line, &Format::ALL);
                assert!(detected.is_some(), "bare is always allowed");
                for format in Format::ALL {
                    check_line(format, line);
                }
            }
            assert_eq!(count, expected_lines, "{input:?}");
            // And the whole seed, mutated but uncut, as one line and as
            // the records each format's framing makes of it.
            if let Ok(text) = std::str::from_utf8(&input) {
                for format in Format::ALL {
                    check_line(format, text.trim_end_matches('\n'));
                    check_framed(format, text);
                }
            }
        }
    }

    fn check_framed(format: Format, text: &str) {
        let mut assembler = Assembler::new(format, 64);
        let mut records = Vec::new();
        for (index, line) in text.split('\n').enumerate() {
            if let Fed::Complete(record) = assembler.feed(index as u64 + 1, line) {
                records.push(record);
            }
        }
        records.extend(assembler.finish());
        for record in records {
            assert!(record.first_line <= record.last_line);
            if record.over_limit {
                assert!(record.text.is_empty());
                continue;
            }
            assert!(record.text.len() <= 64);
            check_record(format, &record.text);
            if let Err(error) = read_record(format, &record.text, &mut Vec::new()) {
                let (line, _, _) = record.lines().locate(error.column - 1);
                assert!((record.first_line..=record.last_line).contains(&line));
            }
        }
    }

    fn check_record(format: Format, text: &str) {
        let mut fields = Vec::new();
        match read_record(format, text, &mut fields) {
            Err(e) => assert!(
                (1..=text.len() + 1).contains(&e.column),
                "{format} {text:?}: {e}"
            ),
            Ok(_) => {
                for field in &fields {
                    for span in [&field.key_span, &field.value_span].into_iter().flatten() {
                        assert!(
                            text.get(span.clone()).is_some(),
                            "{format} {text:?} {span:?}"
                        );
                    }
                }
            }
        }
    }

    fn check_line(format: Format, line: &str) {
        check_record(format, line);
        match read_envelope(format, line) {
            Err(e) => assert!(
                (1..=line.len() + 1).contains(&e.column),
                "{format} {line:?}: {e}"
            ),
            Ok(framed) => {
                if let Some(offset) = framed.payload_offset {
                    let end = offset + framed.payload.len();
                    assert_eq!(line.get(offset..end), Some(&*framed.payload), "{line:?}");
                }
                check_payload(&framed.payload);
            }
        }
    }

    fn check_payload(payload: &str) {
        match parse_pairs(payload) {
            Err(e) => assert!(
                (1..=payload.len() + 1).contains(&e.column),
                "{payload:?}: {e}"
            ),
            Ok(pairs) => {
                for pair in pairs {
                    assert_eq!(payload.get(pair.key_span.clone()), Some(pair.key));
                    let written = payload.get(pair.value_span.clone()).expect("a real span");
                    if !pair.quoted {
                        assert_eq!(written, pair.value);
                    }
                }
            }
        }
    }
}
