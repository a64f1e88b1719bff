//! Specs embedded in the binary, so that `--spec ctrl-exec` (or any other
//! built-in name) works anywhere. Each comes with its data parsed at build
//! time (`build.rs`), so loading one skips the YAML parse.

use crate::load::{load_parsed, LoadError, LoadedSpec};

/// A spec shipped with logspec.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    pub name: &'static str,
    pub text: &'static str,
    /// `text`'s data as JSON, written by the build script.
    data: &'static str,
}

/// The built-in spec `spec/NAME.yaml`, with its data.
macro_rules! builtin {
    ($name:literal) => {
        Builtin {
            name: $name,
            text: include_str!(concat!("../../../spec/", $name, ".yaml")),
            data: include_str!(concat!(env!("OUT_DIR"), "/", $name, ".json")),
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
        // serde_json's own output, written by the build script from a parse
        // that succeeded (the build fails otherwise); a test reads each back.
        let data = serde_json::from_str(self.data).expect("build.rs writes JSON");
        load_parsed(self.text, &format!("spec/{}.yaml", self.name), data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_built_ahead_is_the_texts() {
        for builtin in BUILTINS {
            let built: serde_json::Value = serde_json::from_str(builtin.data)
                .unwrap_or_else(|error| panic!("{}: {error}", builtin.name));
            let parsed = crate::yaml::parse_yaml(builtin.text)
                .unwrap_or_else(|error| panic!("{}: {error}", builtin.name));
            assert!(built == parsed, "{}: the built data differs", builtin.name);
        }
    }

    #[test]
    fn every_builtin_loads() {
        for builtin in BUILTINS {
            if let Err(error) = builtin.load() {
                panic!("{} does not load:\n{error}", builtin.name);
            }
        }
    }
}
