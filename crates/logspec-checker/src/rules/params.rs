//! A rule's parameters: the values a user gives on the command line
//! (`--param NAME=VALUE`), typed as the spec declares them and turned into
//! the values its conditions and windows see. The engine and the
//! generator's model of it read them through the one function here, so a
//! rule runs, or is reported as not runnable, for the same reason in both.

use super::RulePlan;
use cel::Value;
use logspec_spec::condition::duration_seconds;
use logspec_spec::ParamType;
use std::sync::Arc;

/// Why a parameter's value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("parameter `{name}`: `{value}` is not {expected}")]
pub struct ParamError {
    pub name: String,
    pub value: String,
    pub expected: &'static str,
}

/// The values of a rule's parameters, as conditions see them.
pub type ParamValues = Vec<(String, Value)>;

/// The values of `rule`'s parameters from those the user set (NAME →
/// VALUE as written, the last of a name winning), or why the rule cannot
/// run: what the engine and the generator's model of it both use.
pub fn rule_params(rule: &RulePlan, given: &[(String, String)]) -> Result<ParamValues, String> {
    let value_of = |name: &str| given.iter().rev().find(|(known, _)| known == name);
    // Every unset one named at once, so one message says all to give.
    let unset: Vec<&str> = rule
        .params
        .iter()
        .map(|(name, _)| name.as_str())
        .filter(|name| value_of(name).is_none())
        .collect();
    match unset.as_slice() {
        [] => {}
        [name] => {
            return Err(format!(
                "parameter `{name}` is not set (give it with --param {name}=VALUE)"
            ))
        }
        names => {
            return Err(format!(
                "parameters {} are not set (give each with --param NAME=VALUE)",
                names
                    .iter()
                    .map(|name| format!("`{name}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        }
    }
    let values: ParamValues = rule
        .params
        .iter()
        .filter_map(|(name, kind)| Some((name, kind, &value_of(name)?.1)))
        .map(|(name, kind, text)| {
            param_value(name, *kind, text)
                .map(|value| (name.clone(), value))
                .map_err(|error| error.to_string())
        })
        .collect::<Result<_, _>>()?;
    // A margin may narrow a window given by a parameter below nothing.
    for window in &rule.windows {
        if window.seconds(&values).is_some_and(|seconds| seconds < 0.0) {
            return Err(format!(
                "window `{}` is shorter than nothing once its margin ({}s) is added",
                window.name, window.margin
            ));
        }
    }
    Ok(values)
}

/// A parameter's value as conditions see it: a duration in seconds.
pub fn param_value(name: &str, kind: ParamType, text: &str) -> Result<Value, ParamError> {
    let refuse = |expected| ParamError {
        name: name.to_owned(),
        value: text.to_owned(),
        expected,
    };
    match kind {
        ParamType::String => Ok(Value::String(Arc::new(text.to_owned()))),
        ParamType::Integer => text
            .parse::<i64>()
            .map(Value::Int)
            .map_err(|_| refuse("an integer")),
        ParamType::Number => text
            .parse::<f64>()
            .ok()
            .filter(|number| number.is_finite())
            .map(Value::Float)
            .ok_or_else(|| refuse("a number")),
        ParamType::Duration => duration_seconds(text)
            .map(Value::Float)
            .ok_or_else(|| refuse("a duration such as 90s, 5m, 1.5h, 2d or 250ms")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_seconds() {
        assert_eq!(
            param_value("w", ParamType::Duration, "1.5h"),
            Ok(Value::Float(5400.0))
        );
        assert!(param_value("w", ParamType::Duration, "soon").is_err());
        assert_eq!(param_value("n", ParamType::Integer, "3"), Ok(Value::Int(3)));
    }
}
