//! key=value payloads: spans that locate keys and values, errors inside
//! the payload, `parse_pairs_into` equal to `parse_pairs`, and the pairs
//! written back out reading the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logspec_fuzz::promises::check_payload;

fuzz_target!(|input: &[u8]| {
    check_payload(&String::from_utf8_lossy(input));
});
