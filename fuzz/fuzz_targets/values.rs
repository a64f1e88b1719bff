//! Field value checks (`logspec_checker::value`): every field check of
//! every built-in spec, which between them use every value type, on
//! arbitrary text. They slice values by byte position, so the promise
//! tested is that no value makes one panic, and that each answers the same
//! twice.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logspec_fuzz::specs::builtins;

fuzz_target!(|input: &[u8]| {
    let value = String::from_utf8_lossy(input);
    for compiled in builtins() {
        for event in &compiled.plan.events {
            for variant in &event.variants {
                for field in &variant.fields {
                    let verdict = field.check.check(&value);
                    assert_eq!(verdict, field.check.check(&value), "{}", field.name);
                    assert!(!field.check.describe().is_empty());
                }
            }
        }
    }
});
