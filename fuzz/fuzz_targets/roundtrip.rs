//! Structure-aware: a record (envelope and key/value pairs) built by
//! `arbitrary`, rendered in its format, must read back exactly, through
//! the same path a log file takes: line reader, decode, detection,
//! envelope, pairs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logspec_fuzz::record::{ArbitraryRecord, FORMATS};
use logspec_reader::{
    decode, detect, parse_pairs, read_envelope, Format, LineReader, DEFAULT_MAX_LINE_BYTES,
};

fuzz_target!(|record: ArbitraryRecord| {
    let format = record.format();
    let (line, expected) = record.line();
    let mut bytes = line.clone().into_bytes();
    bytes.push(b'\n');
    let mut reader = LineReader::new(&bytes[..], DEFAULT_MAX_LINE_BYTES);
    {
        let raw = reader
            .next_line()
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("{line:?}: no line"));
        assert!(raw.terminated && raw.skipped_bytes == 0);
        assert_eq!(
            raw.bytes,
            line.as_bytes(),
            "the line reader changed {line:?}"
        );
        let text = decode(raw.bytes).unwrap_or_else(|e| panic!("{line:?}: {e}"));
        if format != Format::Bare {
            assert_eq!(detect(text, &FORMATS), Some(format), "{line:?}");
        }
        let framed = read_envelope(format, text).unwrap_or_else(|e| panic!("{line:?}: {e}"));
        assert_eq!(framed.envelope, expected.envelope, "{line:?}");
        let pairs = parse_pairs(&framed.payload).unwrap_or_else(|e| panic!("{line:?}: {e}"));
        let pairs: Vec<(String, String, bool)> = pairs
            .into_iter()
            .map(|pair| (pair.key.to_owned(), pair.value.into_owned(), pair.quoted))
            .collect();
        assert_eq!(pairs, expected.pairs, "{line:?}");
    }
    let next = reader.next_line().unwrap_or_else(|e| panic!("{e}"));
    assert!(next.is_none(), "{line:?} read as more than one line");
});
