//! The spec loader (YAML → JSON Schema validation → model → references) on
//! any text: a spec or a list of located problems; a spec that loads
//! compiles, lints, and checks its own examples (`src/loading.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    logspec_fuzz::loading::hold(&String::from_utf8_lossy(input));
});
