//! Line splitting (`LineReader`) and byte decoding (`decode`), against a
//! reference model written from their documentation, with the input
//! delivered in arbitrary chunks and failing reads in between.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logspec_fuzz::chunked::{Chunked, Chunking, Hiccup};
use logspec_reader::{decode, LineReader, ReadErrorKind};

/// (kept bytes, skipped bytes, had_cr, terminated) of one line.
type Line = (Vec<u8>, u64, bool, bool);

fuzz_target!(|input: &[u8]| {
    let (chunking, data) = Chunking::split(input);
    let max = chunking.max_line_bytes;
    let expected = reference(data);

    let mut reader = LineReader::new(Chunked::new(data, chunking.plan, Hiccup::Failed), max);
    let mut got: Vec<Line> = Vec::new();
    loop {
        // A failed read is passed on; calling again resumes the same line.
        let line = match reader.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(_) => continue,
        };
        assert_eq!(line.number, got.len() as u64 + 1);
        got.push((
            line.bytes.to_vec(),
            line.skipped_bytes,
            line.had_cr,
            line.terminated,
        ));
    }
    assert_eq!(got.len(), expected.len(), "line count");
    for ((kept, skipped, had_cr, terminated), (content, want_cr, want_terminated)) in
        got.iter().zip(&expected)
    {
        assert_eq!((*had_cr, *terminated), (*want_cr, *want_terminated));
        assert!(
            content.starts_with(kept),
            "kept bytes are not the line's start"
        );
        assert_eq!(kept.len() as u64 + skipped, content.len() as u64);
        assert!(kept.len() <= max);
        if *skipped > 0 {
            // The cut moves back at most to the start of one UTF-8 sequence.
            assert!(kept.len() + 3 >= max, "cut moved back too far");
            if let Ok(text) = std::str::from_utf8(content) {
                let boundary = (0..=max).rev().find(|&at| text.is_char_boundary(at));
                assert_eq!(
                    Some(kept.len()),
                    boundary,
                    "cut is not the last char boundary"
                );
            }
        }
        check_decode(kept);
    }
});

/// Each line's content (without `\n`, and without the `\r` of `\r\n`),
/// whether it ended in `\r\n`, and whether it was terminated.
fn reference(data: &[u8]) -> Vec<(Vec<u8>, bool, bool)> {
    let mut lines = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let (piece, terminated) = match rest.iter().position(|&b| b == b'\n') {
            Some(at) => (&rest[..at], true),
            None => (rest, false),
        };
        rest = &rest[(piece.len() + usize::from(terminated)).min(rest.len())..];
        let had_cr = terminated && piece.last() == Some(&b'\r');
        let content = if had_cr {
            &piece[..piece.len() - 1]
        } else {
            piece
        };
        lines.push((content.to_vec(), had_cr, terminated));
    }
    lines
}

/// `decode` agrees with the standard library: the first NUL before any
/// invalid sequence is a NUL error, the first invalid sequence otherwise.
fn check_decode(bytes: &[u8]) {
    let nul = bytes.iter().position(|&b| b == 0);
    let invalid = std::str::from_utf8(bytes).err().map(|e| e.valid_up_to());
    let expected = match (nul, invalid) {
        (Some(nul), Some(invalid)) if nul < invalid => Some((nul, ReadErrorKind::NulByte)),
        (_, Some(invalid)) => Some((invalid, ReadErrorKind::InvalidUtf8)),
        (Some(nul), None) => Some((nul, ReadErrorKind::NulByte)),
        (None, None) => None,
    };
    match (decode(bytes), expected) {
        (Ok(text), None) => assert_eq!(text.as_bytes(), bytes),
        (Err(error), Some((offset, kind))) => {
            assert_eq!((error.column, error.kind), (offset + 1, kind))
        }
        (got, want) => panic!("decode {bytes:?}: got {got:?}, expected {want:?}"),
    }
}
