//! Structure-aware: a spec built from the spec model by `arbitrary`
//! (`src/spec_model.rs`) as data, written as text, loaded from the data
//! (the `spec` target fuzzes the YAML parse) and held to the loader's
//! promises like any text (`src/loading.rs`), so that the fuzzer works
//! past the YAML syntax, in validation, references, compilation, lint and
//! checking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logspec_fuzz::spec_model::ArbitrarySpec;

fuzz_target!(|spec: ArbitrarySpec| {
    let (text, data) = spec.written();
    logspec_fuzz::loading::hold_parsed(&text, data);
});
