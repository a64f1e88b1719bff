//! What the property suites share: the built-in specs, a deterministic
//! proptest configuration, and running the real checker on text.

#![allow(dead_code)] // Each test crate uses its own part of this module.

use logspec_checker::{CheckOptions, Checker, Finding, InputSummary, Plan};
use logspec_gen::{Framing, Generator};
use logspec_reader::Format;
use logspec_spec::{load_path, Spec, BUILTINS};
use proptest::strategy::Strategy;
use proptest::test_runner::{
    Config, FileFailurePersistence, RngAlgorithm, RngSeed, TestCaseError, TestRunner,
};
use std::hash::BuildHasher;
use std::path::{Path, PathBuf};

/// A spec under test, its checker plan and its generator.
pub struct Subject {
    pub name: String,
    pub spec: Spec,
    pub plan: Plan,
    pub generator: Generator,
}

impl Subject {
    fn new(name: String, spec: Spec) -> Subject {
        Subject {
            plan: Plan::new(&spec).expect("spec compiles"),
            generator: Generator::new(&spec).expect("the specs under test generate"),
            name,
            spec,
        }
    }
}

/// Every built-in spec (new ones are covered without touching the tests),
/// and the test specs in `tests/specs/`, which use the parts of the spec
/// format the built-in ones do not.
pub fn subjects() -> Vec<Subject> {
    let builtins = BUILTINS.iter().map(|builtin| {
        let spec = builtin.load().expect("built-in specs load").spec;
        Subject::new(builtin.name.to_owned(), spec)
    });
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/specs is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "yaml")
        })
        .collect();
    files.sort();
    let tests = files.into_iter().map(|path| {
        let spec = load_path(&path).expect("test specs load").spec;
        Subject::new(path.display().to_string(), spec)
    });
    builtins.chain(tests).collect()
}

/// The seed of the test command's runs: every run walks the same cases.
const FIXED_SEED: u64 = 0x1095_9EC0_0006;

/// The ChaCha seed: [`FIXED_SEED`] unless `PROPTEST_SEED` gives a number,
/// or `random` for a fresh one per test (the exploring runs of
/// `ci/proptest-explore`), which a failure prints so it can be replayed.
fn seed() -> u64 {
    match std::env::var("PROPTEST_SEED").as_deref() {
        Err(_) => FIXED_SEED,
        Ok("random") => std::hash::RandomState::new().hash_one(std::time::SystemTime::now()),
        Ok(number) => number.parse().unwrap_or_else(|_| {
            panic!("PROPTEST_SEED={number:?} is neither a number nor `random`")
        }),
    }
}

/// A deterministic, offline configuration: a fixed ChaCha seed (see
/// [`seed`]), `cases` cases unless `PROPTEST_CASES` says otherwise (or
/// `PROPTEST_SCALE` times `cases`: the properties differ in cost),
/// failures persisted next to the test source (`*.proptest-regressions`,
/// committed), where every later run replays them first.
pub fn config(test_name: &'static str, source_file: &'static str, cases: u32) -> Config {
    let scale: u32 = std::env::var("PROPTEST_SCALE")
        .ok()
        .and_then(|scale| scale.parse().ok())
        .unwrap_or(1);
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(cases.saturating_mul(scale));
    Config {
        cases,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(seed()),
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
    let seed = match config.rng_seed {
        RngSeed::Fixed(seed) => Some(seed),
        RngSeed::Random => None,
    };
    let mut runner = TestRunner::new(config);
    if let Err(error) = runner.run(&strategy, test) {
        match seed {
            Some(seed) => panic!("{error}\n(replay this run with PROPTEST_SEED={seed})"),
            None => panic!("{error}"),
        }
    }
}

impl Subject {
    /// The name of the record kind a stream in `framing` holds: `event`'s,
    /// or the first that declares the format.
    pub fn kind(&self, event: Option<usize>, framing: Framing) -> String {
        let kind = self
            .generator
            .kind_of(event, framing.format())
            .expect("the kind declares the format");
        self.plan.kinds[kind].name.clone()
    }

    /// Framings of the formats `event`'s record kind declares.
    pub fn framings_of(&self, event: usize) -> Vec<Framing> {
        Framing::all_for(&self.spec)
            .into_iter()
            .filter(|framing| {
                self.generator
                    .kind_of(Some(event), framing.format())
                    .is_ok()
            })
            .collect()
    }
}

/// The real checker on `text` as one input of record kind `kind`,
/// detecting the format among the kind's, or reading it as `format`.
pub fn run_checker(
    plan: &Plan,
    text: &str,
    format: Option<Format>,
    kind: Option<String>,
) -> (InputSummary, Vec<Finding>) {
    let mut checker = Checker::new(
        plan,
        CheckOptions {
            format,
            kind,
            // Streams do not walk the stream rules' lifecycles yet: the
            // properties are about records (see the crate docs).
            stream_rules: false,
            ..CheckOptions::default()
        },
    );
    let mut findings = Vec::new();
    let summary = checker
        .check_input("generated", text.as_bytes(), &mut findings)
        .expect("reading a string cannot fail");
    (summary, findings)
}

/// Every (subject index, framing) pair: each spec in every framing it
/// declares.
pub fn framings(subjects: &[Subject]) -> Vec<(usize, Framing)> {
    subjects
        .iter()
        .enumerate()
        .flat_map(|(index, subject)| {
            Framing::all_for(&subject.spec)
                .into_iter()
                // Console kinds hold lines, not events.
                .filter(|framing| subject.generator.any_record(None, framing.format()).is_ok())
                .map(move |framing| (index, framing))
        })
        .collect()
}

/// A value for every rule parameter of the subject's spec (a window of an
/// hour), given to the scenario and the checker alike, so that rules with
/// parameters are walked and run.
pub fn params(subject: &Subject) -> Vec<(String, String)> {
    subject.spec.example_params()
}
