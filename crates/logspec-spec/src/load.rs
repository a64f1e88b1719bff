//! Loading a spec: YAML text → JSON data → schema validation → typed model →
//! reference checks, every error located in the file.

use crate::locate::{Location, Locations};
use crate::model::Spec;
use crate::validate;
use crate::yaml::parse_yaml;
use serde_saphyr::{DefaultMessageFormatter, MessageFormatter};
use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

/// Paths of data the loader generated (`sections` expanded to `events`),
/// each with the path where the author wrote it.
pub(crate) type Aliases = Vec<(String, String)>;

/// The spec format's JSON Schema, the same file users validate against.
pub const SCHEMA: &str = include_str!("../../../spec/logspec.schema.json");

/// One problem in a spec, at a place in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecProblem {
    pub location: Location,
    /// The JSON pointer of the offending node, when known.
    pub pointer: String,
    pub message: String,
}

/// Why a spec could not be loaded. Every variant names the spec's origin.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read spec {origin}: {source}")]
    Io {
        origin: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{}", render(origin, problems))]
    Invalid {
        origin: String,
        problems: Vec<SpecProblem>,
    },
}

fn render(origin: &str, problems: &[SpecProblem]) -> String {
    let mut out = String::new();
    for (index, problem) in problems.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        out.push_str(&format!(
            "{origin}:{}:{}: {}",
            problem.location.line, problem.location.column, problem.message
        ));
    }
    out
}

/// A spec ready for use, with where it came from and where its nodes are.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    pub spec: Spec,
    /// A file path, or the built-in name.
    pub origin: String,
    /// The spec's text, so that tools can quote the lines they point at.
    pub text: String,
    /// Where each line starts, indexed on the first
    /// [`LoadedSpec::line_text`]: lint quotes a line for every finding.
    line_starts: OnceLock<Vec<usize>>,
    aliases: Aliases,
}

impl LoadedSpec {
    /// The line and column of the node at `pointer` in the spec file (of
    /// its nearest ancestor the text has, for data the text lacks).
    pub fn locate(&self, pointer: &str) -> Location {
        Locations::index_for(&self.text, [pointer], &self.aliases).find(pointer)
    }

    /// The line and column of each node of `pointers`, in order, in one
    /// walk of the YAML that stops at the last of them: tools that locate
    /// many nodes (lint) ask for them together. Nothing is kept between
    /// calls: most loads (`check`, `shape`) never locate a node, and the
    /// walk is a second parse of the text.
    pub fn locate_all(&self, pointers: &[String]) -> Vec<Location> {
        let locations = Locations::index_for(
            &self.text,
            pointers.iter().map(String::as_str),
            &self.aliases,
        );
        (pointers.iter())
            .map(|pointer| locations.find(pointer))
            .collect()
    }

    /// The text of 1-based line `line` of the spec, if it exists. Lines are
    /// counted as YAML (and so every [`Location`]) counts them: a lone `\r`
    /// ends a line too.
    pub fn line_text(&self, line: usize) -> Option<&str> {
        let starts = self.line_starts.get_or_init(|| line_starts(&self.text));
        nth_line(&self.text, starts, line)
    }
}

impl fmt::Display for SpecProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}",
            self.location.line, self.location.column, self.message
        )
    }
}

/// Loads a spec from a file.
pub fn load_path(path: &Path) -> Result<LoadedSpec, LoadError> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        origin: origin.clone(),
        source,
    })?;
    load_str(&text, &origin)
}

/// Loads a spec from its text; `origin` names it in errors.
pub fn load_str(text: &str, origin: &str) -> Result<LoadedSpec, LoadError> {
    // YAML errors carry their own location; node locations are indexed
    // only for the problems found after parsing, and for a spec that
    // loads, on demand.
    let data = parse_yaml(text).map_err(|error| LoadError::Invalid {
        origin: origin.to_owned(),
        problems: vec![yaml_problem(&error)],
    })?;
    load_parsed(text, origin, data)
}

/// Loads the spec `text` from `data`, the data its YAML holds, for a caller
/// that has the data already: parsed ahead of time (a built-in spec, parsed
/// when logspec is built), or the data a tool wrote the text from (the
/// `spec-model` fuzz target writes its specs as JSON, which is YAML).
/// Problems are located in `text`, so `data` must be what [`parse_yaml`]
/// gives for `text`; nothing checks that here.
pub fn load_parsed(
    text: &str,
    origin: &str,
    mut data: serde_json::Value,
) -> Result<LoadedSpec, LoadError> {
    let invalid = |problems: Vec<SpecProblem>| LoadError::Invalid {
        origin: origin.to_owned(),
        problems,
    };
    let problems = schema_problems(&data, text);
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let aliases = crate::entries::expand(&mut data);

    // By value: the model takes the strings over instead of copying them.
    // Without the path: tracking it copies every map key on every load,
    // for the few refusals the schema leaves to the model.
    let spec: Spec = serde_json::from_value(data)
        .map_err(|error| invalid(vec![model_problem(text, &aliases, error)]))?;
    load_model(text, origin, spec, aliases)
}

/// The model's refusal of the data of `text`, located: the text is read
/// again and its data deserialized with the path tracked. `first` is the
/// refusal as met without the path; were the text's data to deserialize
/// (the caller broke [`load_parsed`]'s contract), it is reported at the
/// root rather than lost.
fn model_problem(text: &str, aliases: &Aliases, first: serde_json::Error) -> SpecProblem {
    let tracked = parse_yaml(text).ok().and_then(|mut data| {
        crate::entries::expand(&mut data);
        serde_path_to_error::deserialize::<_, Spec>(data).err()
    });
    let (pointer, message) = match tracked {
        Some(error) => (json_pointer(error.path()), error.inner().to_string()),
        None => (String::new(), first.to_string()),
    };
    SpecProblem {
        location: Locations::index_for(text, [pointer.as_str()], aliases).find(&pointer),
        message,
        pointer,
    }
}

/// The last step of [`load_parsed`], from the model on: the checks across
/// the spec (every name resolves, patterns and conditions compile). A
/// built-in spec starts here, read into the model straight from JSON
/// written when logspec was built, its sections already expanded; its
/// tests hold that JSON to the schema and to what [`load_str`] makes of
/// its text.
pub(crate) fn load_model(
    text: &str,
    origin: &str,
    spec: Spec,
    aliases: Aliases,
) -> Result<LoadedSpec, LoadError> {
    let invalid = |problems: Vec<SpecProblem>| LoadError::Invalid {
        origin: origin.to_owned(),
        problems,
    };
    let references = validate::references(&spec);
    if !references.is_empty() {
        let locations = Locations::index_for(
            text,
            references.iter().map(|problem| problem.pointer.as_str()),
            &aliases,
        );
        let starts = line_starts(text);
        let problems = references
            .into_iter()
            .map(|problem| {
                let mut location = locations.find(&problem.pointer);
                if let Some((scalar, offset)) = &problem.within {
                    location = within_scalar(text, &starts, location, scalar, *offset);
                }
                SpecProblem {
                    location,
                    pointer: problem.pointer,
                    message: problem.message,
                }
            })
            .collect();
        return Err(invalid(problems));
    }
    Ok(LoadedSpec {
        spec,
        origin: origin.to_owned(),
        text: text.to_owned(),
        line_starts: OnceLock::new(),
        aliases,
    })
}

/// The byte offset where each line of `text` starts, lines ended by `\n`,
/// `\r\n` or a lone `\r` as YAML ends them; no line after a final ending.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    if bytes.is_empty() {
        return Vec::new();
    }
    let mut starts = vec![0];
    let mut at = 0;
    while let Some(found) = memchr::memchr2(b'\n', b'\r', &bytes[at..]) {
        let mut end = at + found + 1;
        if bytes[at + found] == b'\r' && bytes.get(end) == Some(&b'\n') {
            end += 1;
        }
        at = end;
        starts.push(at);
    }
    if at == bytes.len() {
        starts.pop();
    }
    starts
}

/// Line `line` (1-based) of `text`, whose lines start at `starts`
/// ([`line_starts`]), without its ending.
fn nth_line<'t>(text: &'t str, starts: &[usize], line: usize) -> Option<&'t str> {
    let rest = text.get(*starts.get(line.checked_sub(1)?)?..)?;
    Some(&rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())])
}

/// The location of byte `offset` of `scalar`, a one-line scalar written at
/// `start` (plain or quoted); `start` itself when the text there is not the
/// scalar as written (escapes, folding).
fn within_scalar(
    text: &str,
    starts: &[usize],
    start: Location,
    scalar: &str,
    offset: usize,
) -> Location {
    let Some(line) = nth_line(text, starts, start.line.max(1)) else {
        return start;
    };
    let Some(at) = line
        .char_indices()
        .nth(start.column.saturating_sub(1))
        .map(|(byte, _)| byte)
    else {
        return start;
    };
    let rest = &line[at..];
    let quoted = rest.starts_with(['"', '\'']);
    let body = if quoted { &rest[1..] } else { rest };
    match (body.starts_with(scalar), scalar.get(..offset)) {
        (true, Some(before)) => Location {
            line: start.line,
            column: start.column + usize::from(quoted) + before.chars().count(),
        },
        _ => start,
    }
}

pub(crate) fn yaml_problem(error: &serde_saphyr::Error) -> SpecProblem {
    let location = error
        .location()
        .map(|at| Location {
            line: at.line() as usize,
            column: at.column() as usize,
        })
        .unwrap_or(Location { line: 1, column: 1 });
    // The message alone: the location is the problem's own. A message may
    // quote the input, so control characters are escaped.
    let mut message = String::new();
    for c in DefaultMessageFormatter.format_message(error).chars() {
        if c.is_control() {
            message.extend(c.escape_debug());
        } else {
            message.push(c);
        }
    }
    SpecProblem {
        location,
        pointer: String::new(),
        message: format!("invalid YAML: {message}"),
    }
}

fn schema() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        // The schema ships inside the binary and is tested; failing here is
        // a build defect, not an input problem.
        #[allow(clippy::expect_used)]
        let schema: serde_json::Value =
            serde_json::from_str(SCHEMA).expect("bundled schema is valid JSON");
        #[allow(clippy::expect_used)]
        jsonschema::validator_for(&schema).expect("bundled schema compiles")
    })
}

fn schema_problems(data: &serde_json::Value, text: &str) -> Vec<SpecProblem> {
    let errors: Vec<_> = schema().iter_errors(data).collect();
    if errors.is_empty() {
        return Vec::new();
    }
    // No generated data yet: the paths are the author's.
    let pointers: Vec<String> = errors
        .iter()
        .map(|error| error.instance_path().to_string())
        .collect();
    let locations = Locations::index_for(text, pointers.iter().map(String::as_str), &[]);
    let mut problems: Vec<SpecProblem> = errors
        .into_iter()
        .zip(pointers)
        .map(|(error, pointer)| {
            // serde-saphyr resolves plain yes/no/on/off to booleans, the
            // commonest surprise when writing value lists.
            let hint = if error.instance().is_boolean() {
                "; YAML reads unquoted yes/no/true/false/on/off as booleans: quote the value"
            } else {
                ""
            };
            SpecProblem {
                location: locations.find(&pointer),
                message: format!("{error} (at {}){hint}", display_pointer(&pointer)),
                pointer,
            }
        })
        .collect();
    problems.sort_by_key(|problem| problem.location);
    problems
}

fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() {
        "the top level"
    } else {
        pointer
    }
}

fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let segments: Vec<String> = path
        .iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .collect();
    crate::locate::pointer(&segments)
}

#[cfg(test)]
mod tests {
    use super::{line_starts, nth_line};

    /// Every line of `text`, as `line_text` finds them.
    fn lines(text: &str) -> Vec<&str> {
        let starts = line_starts(text);
        (1..=starts.len() + 1)
            .map_while(|line| nth_line(text, &starts, line))
            .collect()
    }

    #[test]
    fn lines_end_as_yaml_ends_them() {
        assert_eq!(lines(""), Vec::<&str>::new());
        assert_eq!(lines("a"), ["a"]);
        assert_eq!(lines("a\n"), ["a"]);
        assert_eq!(lines("\n"), [""]);
        assert_eq!(lines("a\r\n\r\nb"), ["a", "", "b"]);
        assert_eq!(lines("a\r\rb\r"), ["a", "", "b"]);
        assert_eq!(lines("a\n\rb\r\n"), ["a", "", "b"]);
    }
}
