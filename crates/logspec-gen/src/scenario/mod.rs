//! Scenarios: streams that keep the spec's stream rules, written as the
//! inputs a deployment produces (one log per host, an audit trail beside
//! per-run documents), and the same broken in one place with the one
//! stream finding that must follow.
//!
//! A scenario is walked, not filtered, and its findings are predicted
//! from the spec's rules, never by asking the checker (so a property that
//! holds the checker to them is not circular). One file per concern:
//! - `layout`: which record kinds are written, in which framing, and
//!   what the checker learns of hosts;
//! - `rules`: the rules followed record by record as the engine follows
//!   them, from the facts its compiled plan states, with a journal so a
//!   record can be tried and taken back;
//! - `draw`: records drawn free, opening a lifecycle, or continuing an
//!   open key with its values written in;
//! - `walk`: lifecycles walked record by record and closed at the end;
//! - `breaking`: the walk broken in one place, with the one finding
//!   that must follow;
//! - `shrink`: a failing scenario made smaller, a lifecycle at a time;
//! - `timing`: the gap before each record, and each record's time as
//!   the checker reads it back;
//! - `edit`: the ways of breaking walked records, and what the engine
//!   sees of the edited ones;
//! - [`write`]: the records timed and split into inputs.
//!
//! What the model follows: lifecycles, agreement, resets and scopes;
//! conditions (`require`), evaluated by the checker's own compiled CEL
//! (`logspec_checker::rules::condition::judge`, one evaluator), a record
//! that fails one repaired from the values its key remembers or drawn
//! again; the times between records (`since`, `within`, `covered`,
//! `span`), each record read at the time the writer will give it, with
//! gaps now and then as long as a rule's window or parameter (see
//! `timing`); fan-outs (a listing record and its members' answers,
//! named or under another address); keys from the syslog pid; rule
//! parameters the scenario is checked with (a rule without them is not
//! run, and nothing of it is predicted). Not generated, by design of what
//! a walk can know in advance: parts whose key reads the path of an input
//! of many records as text (a capture of `{envelope: file}`) or whose
//! condition reads `source.file`/`source.line` (see
//! `walk::unpredictable`); which input a record goes to is known (one per
//! kind and host), and a record alone in its input is placed under a path
//! the walk chooses (`Meta::place`: a `record.json` under its run id's
//! directory). The scenario tests list rules walks leave unbroken.
//!
//! Draws come from a seed, so a failing scenario is reproduced exactly.
//! Walking, breaking and writing are linear in the records (see the
//! crate's README for measurements).

mod breaking;
mod draw;
mod edit;
mod layout;
mod rules;
mod shrink;
#[cfg(test)]
mod testing;
mod timing;
mod walk;
mod write;

use crate::generator::Compiled;
use crate::record::Record;
use crate::stream::Stream;
use crate::{Framing, RenderError};
use breaking::Breaking;
use draw::Draw;
use edit::Timed;
use layout::Layout;
use logspec_checker::Code;
use proptest::prelude::*;
use proptest::strategy::NewTree;
use proptest::test_runner::TestRunner;
use rules::RuleFinding;
use shrink::ScenarioTree;
use std::ops::RangeInclusive;
use std::rc::Rc;
use timing::Gaps;
use walk::Walk;

/// What scenarios to generate.
#[derive(Debug, Clone)]
pub struct ScenarioOptions {
    /// The framing of the stream's record kind (other kinds its rules pair
    /// it with are written in their first format).
    pub framing: Framing,
    /// How many records the walk draws before it closes the open keys.
    pub records: RangeInclusive<usize>,
    /// Whether to break the scenario with one [`StreamMutationKind`] (it
    /// stays whole when no mutation's finding can be predicted exactly).
    pub broken: bool,
    /// What the checker learns of the hosts records come from.
    pub hosts: Hosts,
    /// One input only (one record kind on one host), as a stream on
    /// standard output is; otherwise records may go to the logs of other
    /// hosts and kinds where their times let the checker merge them.
    pub one_input: bool,
    /// Rule parameters (NAME → VALUE as written) the scenario is to be
    /// checked with (`logspec check --param`): a rule with a parameter
    /// not given is not run by the checker, so no record playing it is
    /// written.
    pub params: Vec<(String, String)>,
    /// With `broken`: which rule to break, and how (any when unset).
    pub target: BreakTarget,
}

/// Which rule a broken scenario breaks, and how: a user (`logspec gen
/// --scenario --invalid --break-rule`) or a test aiming at one rule gets a
/// scenario that breaks it, or none, rather than whichever rule a draw
/// happened to pick.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BreakTarget {
    /// The rule's id; any rule when `None`.
    pub rule: Option<String>,
    /// The way to break it; any way when `None`.
    pub kind: Option<StreamMutationKind>,
}

/// What the checker learns of the host a record comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hosts {
    /// Every input's host is told (`Input::host`, `logspec check --host
    /// FILE=HOST`).
    Told,
    /// Only what the lines write (`logspec check DIR`): RFC 5424, journald
    /// and RFC 3164 with a hostname name it; records in other framings stay
    /// on one host and are keyed as the checker sees them, without one.
    Written,
}

/// The ways a scenario is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StreamMutationKind {
    /// A record that finished a lifecycle left out: the rule's
    /// `unfinished` code (`incomplete`, `unpaired`).
    DropClosing,
    /// A record repeated right after itself where its state allows no
    /// second one: the rule's `violation` code.
    DuplicateTerminal,
    /// Two records of one key swapped: the rule's `violation` code.
    ReorderPair,
    /// A record given the key of an earlier lifecycle: the rule's
    /// `violation` code (`duplicate-key` for a uniqueness rule).
    ReuseKey,
    /// A record with a key of its own inserted, playing a part its
    /// lifecycle's start refuses (a request before the server started, a
    /// lock released that was never acquired): the rule's `violation` code.
    Stray,
    /// A field a rule's condition reads given another value (or left
    /// out) so that the record fails it: `condition-violation`.
    FailCondition,
    /// A value the records of a key must agree on (`agree`) changed in a
    /// record after the key's first: `mismatch`.
    Disagree,
}

impl StreamMutationKind {
    pub const ALL: [StreamMutationKind; 7] = [
        StreamMutationKind::DropClosing,
        StreamMutationKind::DuplicateTerminal,
        StreamMutationKind::ReorderPair,
        StreamMutationKind::ReuseKey,
        StreamMutationKind::Stray,
        StreamMutationKind::FailCondition,
        StreamMutationKind::Disagree,
    ];
}

impl StreamMutationKind {
    /// The kind's name as the command line writes it.
    pub fn name(self) -> &'static str {
        match self {
            StreamMutationKind::DropClosing => "drop-closing",
            StreamMutationKind::DuplicateTerminal => "duplicate-terminal",
            StreamMutationKind::ReorderPair => "reorder-pair",
            StreamMutationKind::ReuseKey => "reuse-key",
            StreamMutationKind::Stray => "stray",
            StreamMutationKind::FailCondition => "fail-condition",
            StreamMutationKind::Disagree => "disagree",
        }
    }

    /// The kind named `name` ([`name`](Self::name)).
    pub fn from_name(name: &str) -> Option<StreamMutationKind> {
        StreamMutationKind::ALL
            .into_iter()
            .find(|kind| kind.name() == name)
    }
}

impl std::fmt::Display for StreamMutationKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StreamMutationKind::DropClosing => "a record that finished a lifecycle left out",
            StreamMutationKind::DuplicateTerminal => "a record repeated",
            StreamMutationKind::ReorderPair => "two records swapped",
            StreamMutationKind::ReuseKey => "a record given the key of an earlier lifecycle",
            StreamMutationKind::Stray => "a record its lifecycle's start refuses inserted",
            StreamMutationKind::FailCondition => "a record changed to fail a rule's condition",
            StreamMutationKind::Disagree => "a value a key's records agree on changed in one",
        })
    }
}

/// The one finding a broken scenario must raise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamExpected {
    pub kind: StreamMutationKind,
    pub code: Code,
    /// The rule's id.
    pub rule: String,
    /// The input (index into [`Scenario::inputs`]) and its line.
    pub input: usize,
    pub line: u64,
    /// The key as the report gives it: `REQID=…, host=…`.
    pub key: String,
}

/// One input of a scenario: a log of one record kind on one host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioInput {
    /// A path the spec's record kind claims (`web-01/audit.log`).
    pub name: String,
    /// The host its records come from.
    pub host: String,
    pub stream: Stream,
}

/// Inputs whose records keep (or, broken, break in one place) the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    pub inputs: Vec<ScenarioInput>,
    pub expected: Option<StreamExpected>,
}

impl Scenario {
    /// Every input's text.
    pub fn render(&self) -> Result<Vec<(String, String)>, RenderError> {
        self.inputs
            .iter()
            .map(|input| Ok((input.name.clone(), input.stream.render()?)))
            .collect()
    }
}

/// Scenarios as `options` say; a seed whose walk could not close its keys
/// is rejected.
pub(crate) fn scenarios(
    compiled: Rc<Compiled>,
    options: ScenarioOptions,
) -> BoxedStrategy<Scenario> {
    ScenarioStrategy { compiled, options }.boxed()
}

#[derive(Debug)]
struct ScenarioStrategy {
    compiled: Rc<Compiled>,
    options: ScenarioOptions,
}

impl Strategy for ScenarioStrategy {
    type Tree = ScenarioTree;
    type Value = Scenario;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        loop {
            let seed = runner.rng().next_u64();
            if let Some(built) = walked(&self.compiled, &self.options, seed) {
                return Ok(ScenarioTree::new(Rc::clone(&self.compiled), built));
            }
            runner.reject_local("no walk closed every key")?;
        }
    }
}

/// Records in the order the checker will observe them, each with its host.
type Walked = Vec<(Record, String)>;

/// A scenario before it is split into inputs.
struct Built {
    layout: Layout,
    records: Walked,
    /// The time before each record's.
    gaps: Vec<i64>,
    start_at: i64,
    expected: Option<(RuleFinding, StreamMutationKind)>,
}

impl Built {
    fn scenario(&self, compiled: &Rc<Compiled>) -> Scenario {
        write::assemble(
            compiled,
            &self.layout,
            self.records.clone(),
            self.start_at,
            &self.gaps,
            self.expected.clone(),
        )
    }
}

/// The scenario `seed` walks, as `options` ask.
pub(crate) fn build(
    compiled: &Rc<Compiled>,
    options: &ScenarioOptions,
    seed: u64,
) -> Option<Scenario> {
    walked(compiled, options, seed).map(|built| built.scenario(compiled))
}

/// Walks a scenario from `seed`; `None` when the walk could not close
/// every key (or the layout cannot be written).
fn walked(compiled: &Rc<Compiled>, options: &ScenarioOptions, seed: u64) -> Option<Built> {
    let layout = Layout::new(&compiled.plan, options)?;
    let focus = options
        .target
        .rule
        .as_ref()
        .filter(|_| options.broken)
        .and_then(|id| compiled.plan.rules.iter().position(|rule| rule.id == *id));
    let gaps = Gaps::new(&compiled.plan, &layout, seed)?;
    let mut walk = Walk::new(Draw::new(compiled, layout, seed)?, focus, gaps);
    let target = walk.draw.sampler.sample(&options.records).ok()?;
    walk.draw(target);
    walk.close()?;
    let strays = if options.broken {
        walk.strays()
    } else {
        Vec::new()
    };
    let Walk {
        mut draw,
        records,
        seen,
        mut gaps,
        ..
    } = walk;
    let start_at = gaps.start_at;
    let mut gaps = gaps.first(records.len());
    let mut records = records;
    let mut expected = None;
    // A scenario no mutation breaks predictably stays whole.
    if options.broken {
        let breaking = Breaking {
            walked: Timed::new(compiled, &draw.layout, &records, &seen, start_at, &gaps),
            strays: &strays,
        };
        if let Some((broken, finding, kind)) =
            breaking.break_one(&options.target, &mut draw.sampler)
        {
            (records, gaps) = broken;
            expected = Some((finding, kind));
        }
    }
    Some(Built {
        layout: draw.layout,
        records,
        gaps,
        start_at,
        expected,
    })
}
