//! Specs embedded in the binary, so that `--spec ctrl-exec` (or any other
//! built-in name) works anywhere.

use crate::load::{load_str, LoadError, LoadedSpec};

/// A spec shipped with logspec.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    pub name: &'static str,
    pub text: &'static str,
}

/// Every built-in spec, by the name `--spec` accepts.
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "ctrl-exec",
        text: include_str!("../../../spec/ctrl-exec.yaml"),
    },
    Builtin {
        name: "rce-eventlog",
        text: include_str!("../../../spec/rce-eventlog.yaml"),
    },
    Builtin {
        name: "prexorcloud",
        text: include_str!("../../../spec/prexorcloud.yaml"),
    },
    Builtin {
        name: "agent-hub",
        text: include_str!("../../../spec/agent-hub.yaml"),
    },
    Builtin {
        name: "hexon",
        text: include_str!("../../../spec/hexon.yaml"),
    },
];

/// The built-in spec called `name`, if there is one.
pub fn builtin(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|builtin| builtin.name == name)
}

impl Builtin {
    pub fn load(&self) -> Result<LoadedSpec, LoadError> {
        load_str(self.text, &format!("spec/{}.yaml", self.name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_loads() {
        for builtin in BUILTINS {
            if let Err(error) = builtin.load() {
                panic!("{} does not load:\n{error}", builtin.name);
            }
        }
    }
}
