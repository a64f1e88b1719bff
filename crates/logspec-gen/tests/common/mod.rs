//! What the property suites share: the built-in specs, a deterministic
//! proptest configuration, and running the real checker on text.

#![allow(dead_code)] // Each test crate uses its own part of this module.

use logspec_checker::{CheckOptions, Checker, Finding, InputSummary, Plan};
use logspec_gen::{Framing, Generator};
use logspec_reader::Format;
use logspec_spec::{Spec, BUILTINS};
use proptest::strategy::Strategy;
use proptest::test_runner::{
    Config, FileFailurePersistence, RngAlgorithm, RngSeed, TestCaseError, TestRunner,
};

/// A built-in spec, its checker plan and its generator.
pub struct Builtin {
    pub name: &'static str,
    pub spec: Spec,
    pub plan: Plan,
    pub generator: Generator,
}

/// Every built-in spec: new ones are covered without touching the tests.
pub fn builtins() -> Vec<Builtin> {
    BUILTINS
        .iter()
        .map(|builtin| {
            let spec = builtin.load().expect("built-in specs load").spec;
            Builtin {
                name: builtin.name,
                plan: Plan::new(&spec),
                generator: Generator::new(&spec).expect("built-in specs generate"),
                spec,
            }
        })
        .collect()
}

/// A deterministic, offline configuration: a fixed ChaCha seed, `cases`
/// cases unless `PROPTEST_CASES` says otherwise, failures persisted next to
/// the test source (`*.proptest-regressions`, committed).
pub fn config(test_name: &'static str, source_file: &'static str, cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(cases);
    Config {
        cases,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(0x1095_9EC0_0006),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        // Proptest's default is four per case: too few to shrink fully in
        // the properties that run few cases per variant.
        max_shrink_iters: 4096,
        source_file: Some(source_file),
        test_name: Some(test_name),
        ..Config::default()
    }
}

/// Runs a property and panics with proptest's minimal counterexample.
pub fn check_property<S: Strategy>(
    config: Config,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let mut runner = TestRunner::new(config);
    if let Err(error) = runner.run(&strategy, test) {
        panic!("{error}");
    }
}

/// The real checker on `text`, detecting the format among the spec's, or
/// reading it as `format`.
pub fn run_checker(
    plan: &Plan,
    text: &str,
    format: Option<Format>,
) -> (InputSummary, Vec<Finding>) {
    let mut checker = Checker::new(
        plan,
        CheckOptions {
            format,
            ..CheckOptions::default()
        },
    );
    let mut findings = Vec::new();
    let summary = checker
        .check_input("generated", text.as_bytes(), &mut findings)
        .expect("reading a string cannot fail");
    (summary, findings)
}

/// Every (builtin index, framing) pair: each built-in spec in every framing
/// it declares.
pub fn framings(builtins: &[Builtin]) -> Vec<(usize, Framing)> {
    builtins
        .iter()
        .enumerate()
        .flat_map(|(index, builtin)| {
            Framing::all_for(&builtin.spec)
                .into_iter()
                .map(move |framing| (index, framing))
        })
        .collect()
}
