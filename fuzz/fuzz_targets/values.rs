//! Field value checks (`logspec_checker::value`): every distinct field
//! check of every built-in spec, which between them use every value type,
//! and the shape value classifier (`logspec_shape::classify`), on arbitrary
//! text. They slice values by byte position, so the promise tested is that
//! no value makes one panic, and that each answers the same twice.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logspec_checker::value::ValueCheck;
use logspec_fuzz::specs::builtins;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// One of each check: variants mostly share their glossary's.
fn checks() -> &'static [&'static ValueCheck] {
    static CHECKS: OnceLock<Vec<&'static ValueCheck>> = OnceLock::new();
    CHECKS.get_or_init(|| {
        let mut distinct = BTreeMap::new();
        for compiled in builtins() {
            for event in &compiled.plan.events {
                for variant in &event.variants {
                    for field in &variant.fields {
                        distinct.insert(format!("{:?}", field.check), &field.check);
                    }
                }
            }
        }
        distinct.into_values().collect()
    })
}

fuzz_target!(|input: &[u8]| {
    let value = String::from_utf8_lossy(input);
    let class = logspec_shape::classify(&value);
    assert_eq!(class, logspec_shape::classify(&value));
    assert!(!class.is_empty());
    for check in checks() {
        let verdict = check.check(&value);
        assert_eq!(verdict, check.check(&value), "{}", check.describe());
        assert!(!check.describe().is_empty());
    }
});
