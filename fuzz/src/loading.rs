//! What the spec loader promises, for the `spec` target (any text) and the
//! `spec-model` target (specs built from the model): any text is a spec or
//! a list of located problems, and a spec that loads compiles, lints, and
//! checks its own examples, each alone and all as one stream with every
//! rule parameter set, with findings inside what was checked.

use logspec_checker::{CheckOptions, Checker, Finding, Plan, PlanError, Unresolved};
use logspec_spec::{load_parsed, load_str, LoadError, LoadedSpec};

/// Loads `text` as a spec and holds the loader to its promises.
pub fn hold(text: &str) {
    hold_outcome(text, load_str(text, "fuzz.yaml"));
}

/// Loads the spec `text` from `data`, its YAML's data, and holds the
/// loader to its promises: what the `spec-model` target does with the
/// specs it writes, whose YAML parse the `spec` target covers.
pub fn hold_parsed(text: &str, data: serde_json::Value) {
    hold_outcome(text, load_parsed(text, "fuzz.yaml", data));
}

/// Holds the outcome of loading `text` to the loader's promises.
fn hold_outcome(text: &str, outcome: Result<LoadedSpec, LoadError>) {
    // Counted as YAML counts them: a lone `\r` ends a line too.
    let lines = text.lines().flat_map(|line| line.split('\r')).count();
    match outcome {
        Err(LoadError::Invalid { origin, problems }) => {
            assert_eq!(origin, "fuzz.yaml");
            assert!(!problems.is_empty(), "invalid without a problem");
            for problem in &problems {
                let at = problem.location;
                assert!(at.line >= 1 && at.column >= 1, "{problem:?}");
                assert!(at.line <= lines + 1, "{problem:?} is past the text's end");
            }
        }
        Err(error @ LoadError::Io { .. }) => panic!("loading a text did I/O: {error}"),
        Ok(loaded) => {
            // A spec the loader accepts must compile: a name the plan cannot
            // resolve is a gap in the loader's checks. The one refusal only
            // the plan can make is a path pattern globset cannot build (too
            // large), which it locates like a load error.
            // The loader refuses a pattern of only separators itself.
            for pattern in loaded.spec.kinds().flat_map(|kind| &kind.paths) {
                assert!(
                    logspec_spec::path_segments(pattern).next().is_some(),
                    "loaded a path pattern of only separators: {pattern:?}"
                );
            }
            let plan = match Plan::new(&loaded.spec) {
                Ok(plan) => plan,
                Err(PlanError {
                    problem: Unresolved::PathPattern { .. },
                    pointer,
                }) => {
                    assert!(pointer.contains("/paths/"), "{pointer}");
                    return;
                }
                Err(error) => panic!("loaded but does not compile: {error}"),
            };
            for finding in logspec_lint::lint(&loaded) {
                assert!(finding.line >= 1, "{finding:?}");
            }
            let examples: Vec<&str> = (loaded.spec.events.iter())
                .flat_map(|event| &event.variants)
                .flat_map(|variant| &variant.examples)
                .map(|example| example.line.as_str())
                .collect();
            for example in &examples {
                check(&plan, CheckOptions::default(), example);
            }
            // All of them as one stream, every rule parameter set, so that
            // the rules see records one after another.
            if examples.len() > 1 {
                let mut options = CheckOptions::default();
                options.rules.params = loaded.spec.example_params();
                check(&plan, options, &examples.join("\n"));
            }
        }
    }
}

/// Checks `text` as one input, holding the findings to their promises.
fn check(plan: &Plan, options: CheckOptions, text: &str) {
    let mut checker = Checker::new(plan, options);
    let mut findings: Vec<Finding> = Vec::new();
    let summary = checker
        .check_input("examples", text.as_bytes(), &mut findings)
        .unwrap_or_else(|e| panic!("reading a slice failed: {e}"));
    crate::checked::hold(text.as_bytes(), &summary, &findings);
}
