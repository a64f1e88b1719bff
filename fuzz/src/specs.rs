//! The built-in specs, loaded and compiled once per fuzzing process: the
//! targets that check records run every input against each of them.

use logspec_checker::Plan;
use logspec_spec::{LoadedSpec, BUILTINS};
use std::sync::OnceLock;

pub struct Compiled {
    pub name: &'static str,
    pub loaded: LoadedSpec,
    pub plan: Plan,
}

/// Every spec in [`BUILTINS`], compiled.
pub fn builtins() -> &'static [Compiled] {
    static COMPILED: OnceLock<Vec<Compiled>> = OnceLock::new();
    COMPILED.get_or_init(|| {
        BUILTINS
            .iter()
            .map(|builtin| {
                // The built-in specs are tested to load; a harness cannot
                // run without them.
                let loaded = builtin
                    .load()
                    .unwrap_or_else(|error| panic!("{}: {error}", builtin.name));
                let plan = Plan::new(&loaded.spec).expect("spec compiles");
                Compiled {
                    name: builtin.name,
                    loaded,
                    plan,
                }
            })
            .collect()
    })
}
