//! The built-in specs, loaded and compiled once per fuzzing process: the
//! targets that check records run every input against each of them.

use logspec_checker::Plan;
use logspec_spec::{LoadedSpec, BUILTINS};
use std::sync::OnceLock;

pub struct Compiled {
    pub name: &'static str,
    pub loaded: LoadedSpec,
    pub plan: Plan,
    /// A value for every rule parameter of the spec (NAME, VALUE), for
    /// the inputs that set them: without, a rule with parameters does
    /// not run.
    pub params: Vec<(String, String)>,
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
                    params: loaded.spec.example_params(),
                    loaded,
                    plan,
                }
            })
            .collect()
    })
}

/// The built-in spec a stream target's input is checked against, chosen by
/// its first byte (modulo the number of specs), and the rest of the input.
/// One spec per input: checking each input against every spec made the
/// end-to-end targets as slow as all specs together (Hexon's catalogue
/// most), for no more depth in any one of them.
pub fn choose(input: &[u8]) -> Option<(&'static Compiled, &[u8])> {
    let (&selector, rest) = input.split_first()?;
    let all = builtins();
    Some((&all[usize::from(selector) % all.len()], rest))
}

/// The first byte [`choose`] reads as the built-in spec at `index`.
pub fn selector(index: usize) -> u8 {
    u8::try_from(index).unwrap_or_else(|_| panic!("more than 256 built-in specs"))
}
