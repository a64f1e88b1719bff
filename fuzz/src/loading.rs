//! What the spec loader promises, for the `spec` target (any text) and the
//! targets that draw specs from the model (`spec-model`, `spec-lint`): any
//! text is a spec or a list of located problems; a spec that loads
//! compiles and checks its own examples, each alone and all as one stream
//! with every rule parameter set, with findings inside what was checked;
//! and lint locates each of its findings inside the spec's text.

use logspec_checker::{CheckOptions, Checker, Finding, Plan, PlanError, Unresolved};
use logspec_spec::{load_parsed, load_str, LoadError, LoadedSpec};

/// Loads `text` as a spec and holds the loader, the plan, the examples'
/// checks and lint to their promises.
pub fn hold(text: &str) {
    if let Some(loaded) = hold_load(text, load_str(text, "fuzz.yaml")) {
        hold_lint(&loaded);
        hold_compiled(&loaded);
    }
}

/// Loads the spec `text` from `data`, its YAML's data, holding the loader
/// to its promises, and answers the spec if it loaded: what the targets
/// that draw specs do with them (the `spec` target covers the YAML parse).
pub fn hold_parsed(text: &str, data: serde_json::Value) -> Option<LoadedSpec> {
    hold_load(text, load_parsed(text, "fuzz.yaml", data))
}

/// Holds the outcome of loading `text` to the loader's promises, answering
/// the spec if it loaded.
fn hold_load(text: &str, outcome: Result<LoadedSpec, LoadError>) -> Option<LoadedSpec> {
    match outcome {
        Err(LoadError::Invalid { origin, problems }) => {
            assert_eq!(origin, "fuzz.yaml");
            assert!(!problems.is_empty(), "invalid without a problem");
            let lines = yaml_lines(text);
            for problem in &problems {
                let at = problem.location;
                assert!(at.line >= 1 && at.column >= 1, "{problem:?}");
                assert!(at.line <= lines + 1, "{problem:?} is past the text's end");
            }
            None
        }
        Err(error @ LoadError::Io { .. }) => panic!("loading a text did I/O: {error}"),
        Ok(loaded) => Some(loaded),
    }
}

/// The lines of `text`, counted as YAML counts them: a lone `\r` ends a
/// line too.
fn yaml_lines(text: &str) -> usize {
    text.lines().flat_map(|line| line.split('\r')).count()
}

/// Lint's promises: every finding and related location on a line of the
/// spec's text (the next line after the last for a node at its very end),
/// at a column, quoting the line it is on; findings sorted by line.
pub fn hold_lint(loaded: &LoadedSpec) {
    let lines = yaml_lines(&loaded.text) as u64;
    let findings = logspec_lint::lint(loaded);
    for finding in &findings {
        assert_eq!(&*finding.file, "fuzz.yaml", "{finding:?}");
        assert!((1..=lines + 1).contains(&finding.line), "{finding:?}");
        assert!(
            finding.column.is_some_and(|column| column >= 1),
            "{finding:?}"
        );
        let quoted = finding
            .excerpt
            .as_ref()
            .map(|excerpt| excerpt.text.as_str());
        let line = usize::try_from(finding.line).ok();
        let text_line = line.and_then(|line| loaded.line_text(line));
        assert_eq!(quoted, text_line, "{finding:?}");
        // A finding on a line of the text quotes it.
        assert!(
            finding.line > lines || quoted.is_some(),
            "{finding:?} quotes nothing"
        );
        for related in &finding.related {
            assert!((1..=lines + 1).contains(&related.line), "{finding:?}");
            assert!(
                related.column.is_some_and(|column| column >= 1),
                "{finding:?}"
            );
        }
    }
    assert!(
        findings.windows(2).all(|pair| pair[0].line <= pair[1].line),
        "lint's findings are not sorted by line"
    );
}

/// The plan's and the examples' promises for a spec that loaded.
pub fn hold_compiled(loaded: &LoadedSpec) {
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
    let examples: Vec<&str> = (loaded.spec.events.iter())
        .flat_map(|event| &event.variants)
        .flat_map(|variant| &variant.examples)
        .map(|example| example.line.as_str())
        .collect();
    for example in &examples {
        check(&plan, CheckOptions::default(), example);
    }
    // All of them as one stream, every rule parameter set, so that the
    // rules see records one after another.
    if examples.len() > 1 {
        let mut options = CheckOptions::default();
        options.rules.params = loaded.spec.example_params();
        check(&plan, options, &examples.join("\n"));
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
