//! `journalctl -o json` entries: errors located inside the line, a borrowed
//! MESSAGE located by its offset, detection agreeing, and everything the
//! reader accepts also valid JSON whose MESSAGE is the payload.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logspec_fuzz::promises::check_line;
use logspec_reader::{read_envelope, Format};
use serde_json::value::RawValue;
use std::collections::BTreeMap;

fuzz_target!(|input: &[u8]| {
    let line = String::from_utf8_lossy(input);
    check_line(Format::Journald, &line);
    if let Ok(framed) = read_envelope(Format::Journald, &line) {
        // Fields are kept raw: the reader skips values it does not need
        // (a number too large for a float, say) without converting them.
        let fields: BTreeMap<String, Box<RawValue>> = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("{line:?} was read but is not a JSON object: {e}"));
        let message: serde_json::Value = fields
            .get("MESSAGE")
            .and_then(|raw| serde_json::from_str(raw.get()).ok())
            .unwrap_or_else(|| panic!("{line:?} was read without a MESSAGE"));
        let expected = match message {
            serde_json::Value::String(text) => text,
            serde_json::Value::Array(bytes) => {
                let bytes: Vec<u8> = bytes
                    .into_iter()
                    .map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()))
                    .collect::<Option<_>>()
                    .unwrap_or_else(|| panic!("{line:?}: MESSAGE array of non-bytes was read"));
                String::from_utf8(bytes)
                    .unwrap_or_else(|_| panic!("{line:?}: non-UTF-8 MESSAGE was read"))
            }
            other => panic!("{line:?}: MESSAGE {other} was read"),
        };
        assert_eq!(framed.payload, expected, "{line:?}");
    }
});
