//! RFC 3164 (BSD syslog) lines: errors located inside the line, the payload
//! the rest of the line, detection agreeing, the payload's pairs sound.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logspec_fuzz::promises::check_line;
use logspec_reader::Format;

fuzz_target!(|input: &[u8]| {
    check_line(Format::Rfc3164, &String::from_utf8_lossy(input));
});
