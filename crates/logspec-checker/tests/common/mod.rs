//! Set-up shared by the checker's integration tests: compile a built-in
//! spec once, check named in-memory inputs, and list findings by place.

#![allow(dead_code)] // each test file uses the part it needs

use logspec_checker::stream::Input;
use logspec_checker::{CheckOptions, Checker, Finding, InputSummary, Plan};

/// The built-in spec `name`, compiled.
pub fn builtin_plan(name: &str) -> Plan {
    match logspec_spec::builtin(name).map(|builtin| builtin.load()) {
        Some(Ok(loaded)) => Plan::new(&loaded.spec),
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
