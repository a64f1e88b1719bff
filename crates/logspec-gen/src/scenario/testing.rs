//! What the unit tests of the scenario modules share: built-in specs
//! compiled for generation, and layouts of them.

use super::draw::Draw;
use super::layout::Layout;
use super::timing::Gaps;
use super::walk::Walk;
use super::{Hosts, ScenarioOptions};
use crate::generator::Compiled;
use crate::{Framing, Generator};

/// The built-in spec `name`, compiled.
pub(crate) fn compiled(name: &str) -> Compiled {
    let spec = logspec_spec::builtin(name)
        .expect("a built-in spec")
        .load()
        .expect("built-in specs load")
        .spec;
    let generator = Generator::new(&spec).expect("built-in specs generate");
    generator.into_compiled()
}

pub(crate) fn ctrl_exec() -> Compiled {
    compiled("ctrl-exec")
}

/// The layout of a scenario of several inputs in `framing`.
pub(crate) fn layout(compiled: &Compiled, framing: Framing, hosts: Hosts) -> Layout {
    let options = ScenarioOptions {
        framing,
        records: 1..=1,
        broken: false,
        hosts,
        one_input: false,
        params: Vec::new(),
        target: Default::default(),
    };
    Layout::new(&compiled.plan, &options).expect("the spec writes the framing")
}

/// The index of the rule `id`.
pub(crate) fn rule_index(compiled: &Compiled, id: &str) -> usize {
    compiled
        .plan
        .rules
        .iter()
        .position(|rule| rule.id == id)
        .expect("a rule of the spec")
}

/// A walk of `layout` from `seed`, aimed at no rule.
pub(crate) fn walk(compiled: &Compiled, layout: Layout, seed: u64) -> Walk<'_> {
    let gaps = Gaps::new(&compiled.plan, &layout, seed).expect("gaps");
    Walk::new(
        Draw::new(compiled, layout, seed).expect("a draw"),
        None,
        gaps,
    )
}
