//! What the unit tests of the scenario modules share: built-in specs
//! compiled for generation, and layouts of them.

use super::draw::Draw;
use super::edit::Timed;
use super::layout::Layout;
use super::timing::Gaps;
use super::walk::Walk;
use super::{Hosts, ScenarioOptions};
use crate::generator::Compiled;
use crate::record::Record;
use crate::{Framing, Generator, Sampler};
use logspec_reader::Format;

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

/// A walk of `layout` from `seed`, drawn to `records` and closed, and the
/// gap before each of its records.
pub(crate) fn closed_walk(
    compiled: &Compiled,
    layout: Layout,
    seed: u64,
    records: usize,
) -> (Walk<'_>, Vec<i64>) {
    let mut walk = walk(compiled, layout, seed);
    walk.draw(records);
    walk.close().expect("the walk closes");
    let gaps = walk.gaps.first(walk.records.len());
    (walk, gaps)
}

/// The records of `walk` with their times, as edits see them.
pub(crate) fn timed<'a>(walk: &'a Walk<'_>, gaps: &'a [i64]) -> Timed<'a> {
    Timed::new(
        walk.draw.compiled,
        &walk.draw.layout,
        &walk.records,
        &walk.seen,
        walk.gaps.start_at,
        gaps,
    )
}

/// A record of the first variant of event `id` in `format`.
pub(crate) fn record_of(
    compiled: &Compiled,
    id: &str,
    format: Format,
    sampler: &mut Sampler,
) -> Record {
    let event = compiled
        .spec
        .events
        .iter()
        .position(|event| event.id == id)
        .expect("the spec documents the event");
    let strategy = compiled
        .variant(event, 0, format)
        .expect("the event in the format")
        .records();
    sampler.sample(&strategy).expect("a record")
}
