//! Spec overlays: a small file that names a spec and gives what the
//! document leaves to each deployment — today the values of rule
//! parameters (a block window's length set in the producer's own
//! configuration) — so a team keeps them beside its CI job instead of in
//! `--param` flags:
//!
//! ```yaml
//! extends: ctrl-exec            # a built-in name, or a spec's path relative to this file
//! params:
//!   volume_block: 5m
//!   probe_block: 1h
//! ```
//!
//! An overlay is told from a spec by its top-level `extends`. It is read
//! strictly: an unknown key, a missing `extends`, a value that is not a
//! string or number is a problem at its line and column. Whether each
//! parameter is one a rule of the base spec declares, and of its type, is
//! judged where the base spec is known (the CLI, as for `--param`), and
//! reported at the parameter's place in the overlay.

use crate::load::{yaml_problem, LoadError, SpecProblem};
use crate::locate::{Location, Locations};
use crate::yaml::parse_yaml;

/// An overlay as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlay {
    /// The file path, for messages.
    pub origin: String,
    /// The spec it extends: a built-in name or a path.
    pub extends: String,
    /// Each parameter value as written, with its place.
    pub params: Vec<OverlayParam>,
}

/// One `params` entry of an overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlayParam {
    pub name: String,
    pub value: String,
    pub location: Location,
}

/// Whether `text` is an overlay rather than a spec: a YAML mapping with a
/// top-level `extends`.
pub fn is_overlay(text: &str) -> bool {
    parse_yaml(text)
        .ok()
        .is_some_and(|data| data.get("extends").is_some())
}

/// Reads an overlay; every problem located in `text`.
pub fn load_overlay_str(text: &str, origin: &str) -> Result<Overlay, LoadError> {
    let invalid = |problems: Vec<SpecProblem>| LoadError::Invalid {
        origin: origin.to_owned(),
        problems,
    };
    let data: serde_json::Value =
        parse_yaml(text).map_err(|error| invalid(vec![yaml_problem(&error)]))?;
    let locations = Locations::index(text);
    let problem = |pointer: &str, message: String| SpecProblem {
        location: locations.find(pointer),
        pointer: pointer.to_owned(),
        message,
    };
    let Some(top) = data.as_object() else {
        return Err(invalid(vec![problem(
            "",
            "an overlay is a mapping with `extends` and `params`".to_owned(),
        )]));
    };
    let mut problems = Vec::new();
    for key in top
        .keys()
        .filter(|key| !["extends", "params"].contains(&key.as_str()))
    {
        problems.push(problem(
            &format!("/{key}"),
            format!("unknown overlay key `{key}` (an overlay has `extends` and `params`)"),
        ));
    }
    let extends = match top.get("extends") {
        Some(serde_json::Value::String(name)) if !name.is_empty() => name.clone(),
        _ => {
            problems.push(problem(
                "/extends",
                "`extends` names the spec overlaid: a built-in name or a path".to_owned(),
            ));
            String::new()
        }
    };
    let mut params = Vec::new();
    match top.get("params") {
        None => {}
        Some(serde_json::Value::Object(entries)) => {
            for (name, value) in entries {
                let pointer = format!("/params/{}", name.replace('~', "~0").replace('/', "~1"));
                let value = match value {
                    serde_json::Value::String(text) => text.clone(),
                    serde_json::Value::Number(number) => number.to_string(),
                    _ => {
                        problems.push(problem(
                            &pointer,
                            format!("parameter `{name}`: a value is a string or a number"),
                        ));
                        continue;
                    }
                };
                params.push(OverlayParam {
                    name: name.clone(),
                    value,
                    location: locations.find(&pointer),
                });
            }
        }
        Some(_) => problems.push(problem(
            "/params",
            "`params` maps parameter names to values".to_owned(),
        )),
    }
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    Ok(Overlay {
        origin: origin.to_owned(),
        extends,
        params,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overlay_names_its_spec_and_parameters() {
        let text = "extends: ctrl-exec\nparams:\n  volume_block: 5m\n  retries: 3\n";
        assert!(is_overlay(text));
        let overlay = load_overlay_str(text, "o.yaml").expect("an overlay");
        assert_eq!(overlay.extends, "ctrl-exec");
        let params: Vec<(&str, &str, usize)> = overlay
            .params
            .iter()
            .map(|param| {
                (
                    param.name.as_str(),
                    param.value.as_str(),
                    param.location.line,
                )
            })
            .collect();
        assert_eq!(params, vec![("volume_block", "5m", 3), ("retries", "3", 4)]);
    }

    #[test]
    fn a_spec_is_no_overlay() {
        assert!(!is_overlay("producer: {name: x}\nevents: []\n"));
        assert!(!is_overlay("not: [valid"));
    }

    #[test]
    fn problems_are_located() {
        let text = "extends: ctrl-exec\nparam:\n  x: 1\nparams:\n  a: [1]\n";
        let Err(LoadError::Invalid { problems, .. }) = load_overlay_str(text, "o.yaml") else {
            panic!("refused");
        };
        let found: Vec<(usize, &str)> = problems
            .iter()
            .map(|p| (p.location.line, p.message.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    2,
                    "unknown overlay key `param` (an overlay has `extends` and `params`)"
                ),
                (5, "parameter `a`: a value is a string or a number"),
            ]
        );
        let Err(LoadError::Invalid { problems, .. }) = load_overlay_str("extends: 3\n", "o.yaml")
        else {
            panic!("refused");
        };
        assert_eq!(problems[0].location.line, 1);
    }
}
