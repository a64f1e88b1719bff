//! Structure-aware: lint on specs drawn from the spec model as the
//! `spec-model` target draws them (`src/spec_model.rs`), loaded from their
//! data; every finding is located inside the spec's text and quotes its
//! line (`src/loading.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use logspec_fuzz::spec_model::{ArbitrarySpec, Style};

fuzz_target!(|spec: ArbitrarySpec| {
    let (text, data) = spec.written(Style::Json);
    if let Some(loaded) = logspec_fuzz::loading::hold_parsed(&text, data) {
        logspec_fuzz::loading::hold_lint(&loaded);
    }
});
