//! Set-up shared by the checker's integration tests: compile a built-in
//! spec once, check named in-memory inputs, and list findings by place.

pub mod ctrl_exec;
pub mod rce;

use logspec_checker::rules::EngineOptions;
use logspec_checker::stream::Input;
use logspec_checker::{CheckOptions, Checker, Finding, InputSummary, Plan};

/// The built-in spec `name`, compiled.
pub fn builtin_plan(name: &str) -> Plan {
    match logspec_spec::builtin(name).map(|builtin| builtin.load()) {
        Some(Ok(loaded)) => Plan::new(&loaded.spec).expect("spec compiles"),
        _ => panic!("built-in {name} spec does not load"),
    }
}

/// Checks `inputs` (name, text) together, as `logspec check` would.
pub fn run(
    plan: &Plan,
    inputs: &[(&str, &str)],
    options: CheckOptions,
) -> (Vec<Finding>, Vec<InputSummary>) {
    let mut checker = Checker::new(plan, options);
    let inputs = inputs
        .iter()
        .map(|(name, text)| Input {
            name: (*name).to_owned(),
            reader: text.as_bytes(),
            host: None,
        })
        .collect();
    let mut findings = Vec::new();
    match checker.check_inputs(inputs, &mut findings) {
        Ok((summaries, _)) => (findings, summaries),
        Err(error) => panic!("{error}"),
    }
}

/// Each finding as (file, line, code).
pub fn located(findings: &[Finding]) -> Vec<(String, u64, &'static str)> {
    findings
        .iter()
        .map(|finding| {
            (
                finding.file.to_string(),
                finding.line,
                finding.code.as_str(),
            )
        })
        .collect()
}

pub fn at(file: &str, line: u64, code: &'static str) -> (String, u64, &'static str) {
    (file.to_owned(), line, code)
}

/// The built-in spec `name`, compiled once per test binary and shared by
/// every test in it.
pub fn shared_plan(name: &str) -> &'static Plan {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static PLANS: OnceLock<Mutex<HashMap<String, &'static Plan>>> = OnceLock::new();
    let mut plans = match PLANS.get_or_init(Default::default).lock() {
        Ok(plans) => plans,
        Err(poisoned) => poisoned.into_inner(),
    };
    plans
        .entry(name.to_owned())
        .or_insert_with(|| Box::leak(Box::new(builtin_plan(name))))
}

/// Every finding of checking `inputs` (name, text) together against the
/// built-in spec `name` with every rule, as (file, line, code).
pub fn check_builtin(name: &str, inputs: &[(&str, &str)]) -> Vec<(String, u64, &'static str)> {
    located(&run(shared_plan(name), inputs, CheckOptions::default()).0)
}

/// Asserts that `inputs` keep every rule of the built-in spec `name`: no
/// finding at all.
pub fn assert_passes(name: &str, inputs: &[(&str, &str)]) {
    let found = check_builtin(name, inputs);
    assert!(
        found.is_empty(),
        "expected no findings, got {found:?} for {inputs:#?}"
    );
}

/// Check options with the rule parameters `params` set, as
/// `--param NAME=VALUE` would.
pub fn with_params(params: &[(&str, &str)]) -> CheckOptions {
    CheckOptions {
        rules: EngineOptions {
            params: params
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
                .collect(),
            ..EngineOptions::default()
        },
        ..CheckOptions::default()
    }
}
