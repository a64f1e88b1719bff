//! Timestamps as instants (`logspec_reader::instant`): field values with
//! and without an epoch unit, and envelope timestamps of every format. No
//! panic on any text; an ISO 8601 date-time denotes exactly the time
//! written, anything else that is no number is no instant; envelope times
//! only for the formats that carry them, and for every timestamp a syslog
//! or journald reader accepts; two instants compare as their difference
//! says. Input: a format byte, then two values on two lines.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logspec_fuzz::instants::{check_envelope_instant, check_field_instant, check_order};
use logspec_reader::{read_envelope, Envelope, Epoch, Format};

const EPOCHS: [Option<Epoch>; 5] = [
    None,
    Some(Epoch::Seconds),
    Some(Epoch::Milliseconds),
    Some(Epoch::Microseconds),
    Some(Epoch::Nanoseconds),
];

fuzz_target!(|input: &[u8]| {
    let Some((&selector, rest)) = input.split_first() else {
        return;
    };
    let format = Format::ALL[usize::from(selector) % Format::ALL.len()];
    let epoch = EPOCHS[usize::from(selector / 16) % EPOCHS.len()];
    let text = String::from_utf8_lossy(rest);
    let (first, second) = text.split_once('\n').unwrap_or((&text, ""));
    let envelope = |timestamp: &str| Envelope {
        timestamp: Some(timestamp.to_owned().into()),
        ..Envelope::default()
    };
    for (earlier, later) in [
        (
            check_field_instant(first, epoch),
            check_field_instant(second, epoch),
        ),
        (
            check_envelope_instant(format, &envelope(first)),
            check_envelope_instant(format, &envelope(second)),
        ),
    ] {
        if let (Some(earlier), Some(later)) = (earlier, later) {
            check_order(earlier, later);
        }
    }
    // A timestamp the reader accepted is one the instant parser reads.
    if matches!(format, Format::Rfc3164 | Format::Rfc5424 | Format::Journald) {
        if let Ok(framed) = read_envelope(format, first) {
            let read = check_envelope_instant(format, &framed.envelope);
            assert_eq!(
                read.is_some(),
                framed.envelope.timestamp.is_some(),
                "{format} {first:?}: timestamp {:?} read as {read:?}",
                framed.envelope.timestamp
            );
        }
    }
});
