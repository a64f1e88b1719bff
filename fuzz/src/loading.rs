//! What the spec loader promises, for the `spec` target (any text) and the
//! `spec-model` target (specs built from the model): any text is a spec or
//! a list of located problems, and a spec that loads compiles, lints, and
//! checks its own examples without panicking.

use logspec_checker::{CheckOptions, Checker, Finding, Plan, PlanError, Unresolved};
use logspec_spec::{load_str, LoadError};

/// Loads `text` as a spec and holds the loader to its promises.
pub fn hold(text: &str) {
    // Counted as YAML counts them: a lone `\r` ends a line too.
    let lines = text.lines().flat_map(|line| line.split('\r')).count();
    match load_str(text, "fuzz.yaml") {
        Err(LoadError::Invalid { origin, problems }) => {
            assert_eq!(origin, "fuzz.yaml");
            assert!(!problems.is_empty(), "invalid without a problem");
            for problem in &problems {
                let at = problem.location;
                assert!(at.line >= 1 && at.column >= 1, "{problem:?}");
                assert!(at.line <= lines + 1, "{problem:?} is past the text's end");
            }
        }
        Err(error @ LoadError::Io { .. }) => panic!("load_str did I/O: {error}"),
        Ok(loaded) => {
            // A spec the loader accepts must compile: a name the plan cannot
            // resolve is a gap in the loader's checks. The one refusal only
            // the plan can make is a path pattern globset cannot build (too
            // large), which it locates like a load error.
            let plan = match Plan::new(&loaded.spec) {
                Ok(plan) => plan,
                Err(PlanError {
                    problem: Unresolved::PathPattern { problem, .. },
                    pointer,
                }) if !problem.contains("only separators") => {
                    assert!(pointer.contains("/paths/"), "{pointer}");
                    return;
                }
                Err(error) => panic!("loaded but does not compile: {error}"),
            };
            for finding in logspec_lint::lint(&loaded) {
                assert!(finding.line >= 1, "{finding:?}");
            }
            for event in &loaded.spec.events {
                for variant in &event.variants {
                    for example in &variant.examples {
                        let mut checker = Checker::new(&plan, CheckOptions::default());
                        let mut findings: Vec<Finding> = Vec::new();
                        checker
                            .check_input("example", example.line.as_bytes(), &mut findings)
                            .unwrap_or_else(|e| panic!("reading a slice failed: {e}"));
                    }
                }
            }
        }
    }
}
