//! Specs embedded in the binary, so that `--spec ctrl-exec` (or any other
//! built-in name) works anywhere. Each comes with its data parsed and its
//! catalogue sections expanded at build time (`build.rs`), so loading one
//! reads its model straight from JSON: no YAML parse, no schema check (its
//! tests hold the data to the schema), no expansion.

use crate::load::{load_model, Aliases, LoadError, LoadedSpec, SpecProblem};
use crate::{Location, Spec};

/// A spec shipped with logspec.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    pub name: &'static str,
    pub text: &'static str,
    /// `text`'s data as JSON, sections expanded, written by the build
    /// script.
    data: &'static str,
    /// Where each event and variant the expansion made came from.
    origins: &'static str,
}

/// The built-in spec `spec/NAME.yaml`, with its data.
macro_rules! builtin {
    ($name:literal) => {
        Builtin {
            name: $name,
            text: include_str!(concat!("../../../spec/", $name, ".yaml")),
            data: include_str!(concat!(env!("OUT_DIR"), "/", $name, ".json")),
            origins: include_str!(concat!(env!("OUT_DIR"), "/", $name, ".origins.json")),
        }
    };
}

/// Every built-in spec, by the name `--spec` accepts.
pub const BUILTINS: &[Builtin] = &[
    builtin!("ctrl-exec"),
    builtin!("rce-eventlog"),
    builtin!("prexorcloud"),
    builtin!("agent-hub"),
    builtin!("hexon"),
];

/// The built-in spec called `name`, if there is one.
pub fn builtin(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|builtin| builtin.name == name)
}

impl Builtin {
    pub fn load(&self) -> Result<LoadedSpec, LoadError> {
        let origin = self.origin();
        let built = serde_json::from_str::<Spec>(self.data)
            .and_then(|spec| Ok((spec, serde_json::from_str::<Aliases>(self.origins)?)));
        match built {
            Ok((spec, aliases)) => load_model(self.text, &origin, spec, aliases),
            // What the build wrote from a spec its tests load: a build
            // defect, but reported like any spec problem, not a panic.
            Err(error) => Err(LoadError::Invalid {
                origin,
                problems: vec![SpecProblem {
                    location: Location { line: 1, column: 1 },
                    pointer: String::new(),
                    message: format!("the spec's data built with logspec does not read: {error}"),
                }],
            }),
        }
    }

    /// Where the spec's text comes from, as problems name it.
    fn origin(&self) -> String {
        format!("spec/{}.yaml", self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_built_ahead_is_the_texts() {
        for builtin in BUILTINS {
            let mut parsed = crate::yaml::parse_yaml(builtin.text)
                .unwrap_or_else(|error| panic!("{}: {error}", builtin.name));
            let origins = crate::entries::expand(&mut parsed);
            let built: serde_json::Value = serde_json::from_str(builtin.data)
                .unwrap_or_else(|error| panic!("{}: {error}", builtin.name));
            assert!(built == parsed, "{}: the built data differs", builtin.name);
            let built: Aliases = serde_json::from_str(builtin.origins)
                .unwrap_or_else(|error| panic!("{}: {error}", builtin.name));
            assert!(
                built == origins,
                "{}: the built origins differ",
                builtin.name
            );
        }
    }

    /// The text loaded the whole way (YAML, schema, expansion, model) and
    /// the data built ahead give the same spec.
    #[test]
    fn every_builtin_loads_as_its_text_does() {
        for builtin in BUILTINS {
            let built = builtin
                .load()
                .unwrap_or_else(|error| panic!("{} does not load:\n{error}", builtin.name));
            let loaded = crate::load_str(builtin.text, &builtin.origin())
                .unwrap_or_else(|error| panic!("{} does not load:\n{error}", builtin.name));
            assert!(
                format!("{built:?}") == format!("{loaded:?}"),
                "{}: the spec built ahead differs from its text's",
                builtin.name
            );
        }
    }
}
