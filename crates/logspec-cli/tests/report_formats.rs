//! Every report format through the real binary, on fixtures with every
//! kind of finding: JSON reports validate against the published schema
//! (`crates/logspec-report/report.schema.json`), SARIF logs against the
//! OASIS SARIF 2.1.0 schema (a copy in `crates/logspec-report/tests/`),
//! JUnit documents have one test case per event variant seen, failed
//! exactly where the gate fails.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn repo_file(relative: &str) -> String {
    root().join(relative).display().to_string()
}

fn validator(relative: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join(relative))
        .unwrap_or_else(|error| panic!("{relative}: {error}"))
        // The OASIS schema's pattern for `language` has a stray `]` that
        // ECMA-262 reads as a literal and Rust's regex engines reject:
        // escaped here, with the same meaning, rather than edited in the copy.
        .replace(r#"[a-zA-Z]{2}]?$"#, r#"[a-zA-Z]{2}\\]?$"#);
    let schema: Value =
        serde_json::from_str(&text).unwrap_or_else(|error| panic!("{relative}: {error}"));
    jsonschema::validator_for(&schema).unwrap_or_else(|error| panic!("{relative}: {error}"))
}

fn assert_valid(validator: &jsonschema::Validator, instance: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}:\n{}", errors.join("\n"));
}

fn read_json(path: &Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Runs `logspec ARGS` writing JSON and SARIF reports into `dir`;
/// (exit code, JSON report, SARIF log).
fn reports(dir: &Path, args: &[&str]) -> (Option<i32>, Value, Value) {
    let json = dir.join("report.json");
    let sarif = dir.join("report.sarif");
    let output = Command::cargo_bin("logspec")
        .unwrap_or_else(|error| panic!("{error}"))
        .args(args)
        .arg(format!("--report=json={}", json.display()))
        .arg(format!("--report=sarif={}", sarif.display()))
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(
        output.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    (output.status.code(), read_json(&json), read_json(&sarif))
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"))
}

/// Check runs covering every part of the report: clean, per-record and
/// stream-rule findings, bad bytes, an empty input, several inputs, a
/// catalogue spec with sections, directories, gate requirements.
fn check_runs() -> Vec<Vec<String>> {
    let check = |spec: &str, extra: &[&str], files: &[&str]| {
        let mut args: Vec<String> = vec!["check".into(), "--spec".into(), spec.into()];
        args.extend(extra.iter().map(|arg| arg.to_string()));
        args.extend(files.iter().map(|file| repo_file(file)));
        args
    };
    vec![
        check("ctrl-exec", &[], &["spec/examples/ctrl-exec.log"]),
        check("ctrl-exec", &[], &["spec/examples/ctrl-exec-drifted.log"]),
        check(
            "ctrl-exec",
            &["--max-line-bytes", "256"],
            &[
                "crates/logspec-cli/tests/fixtures/bad-bytes.log",
                "crates/logspec-cli/tests/fixtures/empty.log",
            ],
        ),
        check(
            "ctrl-exec",
            &[
                "--require-coverage",
                "50%",
                "--require-events",
                "dispatch,pair-timeout",
            ],
            &["crates/logspec-cli/tests/fixtures/stream-violations.log"],
        ),
        check("hexon", &[], &["spec/examples/hexon/drifted.jsonl"]),
        check("agent-hub", &[], &["spec/examples/agent-hub/runtime"]),
    ]
}

#[test]
fn json_and_sarif_reports_follow_their_schemas() {
    let report_schema = validator("crates/logspec-report/report.schema.json");
    let sarif_schema = validator("crates/logspec-report/tests/sarif-schema-2.1.0.json");
    let dir = tempdir();
    let mut codes_seen = std::collections::BTreeSet::new();
    for args in check_runs() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, json, sarif) = reports(dir.path(), &args);
        let what = args.join(" ");
        assert!(matches!(code, Some(0 | 1)), "{what}: exit {code:?}");
        assert_valid(&report_schema, &json, &what);
        assert_valid(&sarif_schema, &sarif, &what);
        // SARIF holds one result per finding, each under its code's rule.
        let findings = json["findings"].as_array().cloned().unwrap_or_default();
        let results = sarif["runs"][0]["results"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(findings.len(), results.len(), "{what}");
        let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for (finding, result) in findings.iter().zip(&results) {
            assert_eq!(finding["code"], result["ruleId"], "{what}");
            let index = result["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize;
            assert_eq!(
                rules.get(index).map(|rule| &rule["id"]),
                Some(&result["ruleId"])
            );
            let location = &result["locations"][0]["physicalLocation"];
            if finding["line"].as_u64().unwrap_or(0) > 0 {
                assert_eq!(location["region"]["startLine"], finding["line"], "{what}");
            }
            codes_seen.insert(finding["code"].as_str().unwrap_or_default().to_owned());
        }
        // The gate's verdict is the exit status.
        assert_eq!(json["gate"]["passed"], code == Some(0), "{what}");
    }
    for code in [
        "invalid-value",
        "parse-error",
        "empty-input",
        "mismatch",
        "coverage-below",
        "required-event-not-seen",
    ] {
        assert!(codes_seen.contains(code), "no run raised {code}");
    }
}

#[test]
fn sarif_rules_carry_summary_and_help_for_every_code() {
    let dir = tempdir();
    let args = ["check", "--spec", "ctrl-exec"];
    let clean = repo_file("spec/examples/ctrl-exec.log");
    let (_, _, sarif) = reports(dir.path(), &[&args[..], &[clean.as_str()]].concat());
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(rules.len() > 40, "{}", rules.len());
    for rule in &rules {
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(
                rule[key]["text"]
                    .as_str()
                    .is_some_and(|text| !text.is_empty()),
                "{rule}"
            );
        }
        assert!(rule["defaultConfiguration"]["level"].is_string(), "{rule}");
    }
    assert_eq!(sarif["runs"][0]["tool"]["driver"]["name"], "logspec");
}

#[test]
fn lint_reports_follow_the_schemas() {
    let report_schema = validator("crates/logspec-report/report.schema.json");
    let sarif_schema = validator("crates/logspec-report/tests/sarif-schema-2.1.0.json");
    let dir = tempdir();
    for spec in ["ctrl-exec", "hexon"] {
        let (code, json, sarif) = reports(dir.path(), &["lint", "--spec", spec]);
        assert_eq!(code, Some(0));
        assert_valid(&report_schema, &json, spec);
        assert_valid(&sarif_schema, &sarif, spec);
    }
}

#[test]
fn junit_has_a_case_per_variant_failed_where_the_gate_fails() {
    let output = Command::cargo_bin("logspec")
        .unwrap_or_else(|error| panic!("{error}"))
        .args(["check", "--spec", "ctrl-exec", "--report", "junit"])
        .arg(repo_file("spec/examples/ctrl-exec-drifted.log"))
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(output.status.code(), Some(1));
    let xml = String::from_utf8_lossy(&output.stdout);
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<testcase classname="ctrl-exec" name="dispatch"/>"#),
        "{xml}"
    );
    assert!(xml.contains(r#"name="run (success)">"#), "{xml}");
    assert!(xml.contains(r#"type="invalid-value""#), "{xml}");
    // The field-order warning does not fail its case; it is listed as output.
    assert!(xml.contains("<system-out>"), "{xml}");
    // With --fail-on never, no case fails.
    let output = Command::cargo_bin("logspec")
        .unwrap_or_else(|error| panic!("{error}"))
        .args([
            "check",
            "--spec",
            "ctrl-exec",
            "--fail-on",
            "never",
            "--report",
            "junit",
        ])
        .arg(repo_file("spec/examples/ctrl-exec-drifted.log"))
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(output.status.code(), Some(0));
    let xml = String::from_utf8_lossy(&output.stdout);
    assert!(xml.contains(r#"failures="0""#), "{xml}");
    assert!(!xml.contains("<failure"), "{xml}");
}

#[test]
fn junit_escapes_what_logs_carry() {
    let dir = tempdir();
    let log = dir.path().join("hostile.log");
    std::fs::write(
        &log,
        "<30>Mar 13 12:00:01 ctrl-exec[1]: ACTION=<x>&\"]]>\u{1b}[31m\n",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let output = Command::cargo_bin("logspec")
        .unwrap_or_else(|error| panic!("{error}"))
        .args(["check", "--spec", "ctrl-exec", "--report", "junit"])
        .arg(&log)
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(output.status.code(), Some(1));
    let xml = String::from_utf8_lossy(&output.stdout);
    assert!(!xml.contains('\u{1b}'), "{xml}");
    assert!(!xml.contains("<x>"), "{xml}");
    assert!(xml.contains("&lt;x&gt;&amp;"), "{xml}");
}
