//! The sample outputs README.md shows are the binary's: every block that
//! starts with `$ logspec ARGS` is run (from the repository root, without
//! colour) and compared with what it printed. A sample may leave lines out
//! (a line `…`); the lines it shows must be printed, in that order. A JSON
//! sample may cut arrays short (`, …`); every value it shows must be the
//! report's.

mod common;

use common::{logspec, root, run, stdout};
use serde_json::Value;

/// Each README block whose first line is `$ logspec ...`: (arguments,
/// the sample output).
fn samples() -> Vec<(Vec<String>, Vec<String>)> {
    let text = std::fs::read_to_string(root().join("README.md"))
        .unwrap_or_else(|error| panic!("README.md: {error}"));
    let mut samples = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if !line.starts_with("```") {
            continue;
        }
        let block: Vec<&str> = lines.by_ref().take_while(|line| *line != "```").collect();
        let Some(command) = block
            .first()
            .and_then(|first| first.strip_prefix("$ logspec "))
        else {
            continue;
        };
        let args = command.split_whitespace().map(str::to_owned).collect();
        let sample = block[1..].iter().map(|line| (*line).to_owned()).collect();
        samples.push((args, sample));
    }
    samples
}

/// Every value `sample` shows is `real`'s; arrays may be cut short.
fn shown_in(sample: &Value, real: &Value, path: &str) {
    match (sample, real) {
        (Value::Object(sample), Value::Object(real)) => {
            for (key, value) in sample {
                let Some(real_value) = real.get(key) else {
                    panic!("README shows {path}.{key}, the report has none");
                };
                shown_in(value, real_value, &format!("{path}.{key}"));
            }
        }
        (Value::Array(sample), Value::Array(real)) => {
            assert!(sample.len() <= real.len(), "{path}: README shows more");
            for (index, (value, real_value)) in sample.iter().zip(real).enumerate() {
                shown_in(value, real_value, &format!("{path}[{index}]"));
            }
        }
        _ => assert_eq!(sample, real, "README's {path}"),
    }
}

#[test]
fn readme_samples_are_what_the_binary_prints() {
    let samples = samples();
    assert!(samples.len() >= 2, "README shows no `$ logspec` sample");
    for (args, sample) in samples {
        let output = run(logspec()
            .args(&args)
            .current_dir(root())
            .env("NO_COLOR", "1"));
        let printed = stdout(&output);
        if sample.first().is_some_and(|line| line.starts_with('{')) {
            let text = sample.join("\n").replace(", …", "");
            let shown: Value = serde_json::from_str(&text)
                .unwrap_or_else(|error| panic!("README's JSON for {args:?}: {error}\n{text}"));
            shown_in(&shown, &common::json_of(&output), "report");
            continue;
        }
        let mut printed_lines = printed.lines();
        for line in sample.iter().filter(|line| *line != "…") {
            assert!(
                printed_lines.any(|printed| printed == line),
                "README shows for {args:?} a line not printed (or out of order):\n{line}\n\
                 printed:\n{printed}"
            );
        }
    }
}
