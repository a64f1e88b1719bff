//! key=value payloads, as bare lines carry them: the payload is the whole
//! line, spans locate keys and values, errors point inside the payload,
//! `parse_pairs_into` equals `parse_pairs`, and the pairs written back out
//! read the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logspec_fuzz::promises::check_line;
use logspec_reader::Format;

fuzz_target!(|input: &[u8]| {
    check_line(Format::Bare, &String::from_utf8_lossy(input));
});
