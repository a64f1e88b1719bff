//! Structure-aware: a spec built from the spec model by `arbitrary`
//! (`src/spec_model.rs`) as data, written as text, loaded from the data
//! (the `spec` target fuzzes the YAML parse) and held to the loader's
//! promises (`src/loading.rs`): a spec or located problems, and a spec
//! that loads compiles and checks its own examples, so that the fuzzer
//! works past the YAML syntax, in validation, references, compilation and
//! checking. Lint has a target of its own (`spec-lint`): it reads the text
//! again for its locations, which would halve this one's rate.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logspec_fuzz::spec_model::{ArbitrarySpec, Style};

fuzz_target!(|spec: ArbitrarySpec| {
    let (text, data) = spec.written(Style::Json);
    if let Some(loaded) = logspec_fuzz::loading::hold_parsed(&text, data) {
        logspec_fuzz::loading::hold_compiled(&loaded);
    }
});
