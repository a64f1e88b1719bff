//! `logspec shape` on arbitrary logs, against a built-in spec chosen by the
//! first byte: the shape file reads back as what was written, logs
//! compared with their own shapes show no change, and against nothing
//! every change is additive.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logspec_fuzz::specs::choose;
use logspec_reader::Format;
use logspec_shape::{diff, Impact, Recorder, Shapes};

fuzz_target!(|input: &[u8]| {
    let Some((compiled, input)) = choose(input) else {
        return;
    };
    let plan = &compiled.plan;
    let mut recorder = Recorder::new(plan, 1 << 20);
    let stats = recorder
        .read(input)
        .unwrap_or_else(|e| panic!("reading a slice failed: {e}"));
    // An OTLP/JSON line is an export of many log records.
    assert!(
        stats.records <= stats.lines || plan.formats.contains(&Format::OtlpJson),
        "{stats:?}"
    );
    let shapes = recorder.finish();
    let text = shapes.to_json();
    let again = Shapes::from_json(&text, &plan.producer)
        .unwrap_or_else(|e| panic!("the shape file does not read back: {e}\n{text}"));
    assert_eq!(again, shapes);
    assert_eq!(diff(&shapes, &shapes, plan), Vec::new());
    let nothing = Shapes::new(&plan.producer);
    for change in diff(&nothing, &shapes, plan) {
        assert_eq!(change.impact, Impact::Additive, "{change:?}");
    }
    for variants in shapes.events.values() {
        for shape in variants.values() {
            assert_eq!(shape.order.len(), shape.fields.len());
        }
    }
});
