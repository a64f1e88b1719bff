//! Writing a walked scenario as the inputs a deployment produces: records
//! timed by their gaps, each at least a second (so the checker merges them
//! back into the order they were walked in; see
//! [`timing`](super::timing)), stamped as the walk read them, and split into one input per record
//! kind and host (one per record for a kind whose input is one document),
//! each named by a path its kind claims; and the finding a break must
//! raise located at the line its record starts on.

use super::layout::{input_of, instantiate, placed_path, Layout};
use super::rules::RuleFinding;
use super::timing::stamp;
use super::{Scenario, ScenarioInput, StreamExpected, StreamMutationKind, Walked};
use crate::generator::Compiled;
use crate::stream::{Line, Stream};
use std::collections::HashMap;
use std::rc::Rc;

/// The records, timed and split into inputs.
pub(crate) fn assemble(
    compiled: &Rc<Compiled>,
    layout: &Layout,
    records: Walked,
    start_at: i64,
    gaps: &[i64],
    expected: Option<(RuleFinding, StreamMutationKind)>,
) -> Scenario {
    let plan = &compiled.plan;
    let several_kinds = layout.framings.iter().flatten().count() > 1;
    let mut inputs: Vec<ScenarioInput> = Vec::new();
    // (kind, host) → input, for kinds whose inputs hold many records.
    let mut by_source: HashMap<(usize, String), usize> = HashMap::new();
    let mut placed: Vec<(usize, usize)> = Vec::with_capacity(records.len());
    let mut time = start_at;
    for ((mut record, host), gap) in records.into_iter().zip(gaps) {
        record.meta.hostname = host.clone();
        let kind = plan.events[record.event].kind;
        let framing = layout.framing(plan, record.event);
        time += gap;
        stamp(compiled, layout, &mut record, time);
        let alone = crate::stream::one_record(framing);
        let existing = (!alone)
            .then(|| by_source.get(&(kind, host.clone())).copied())
            .flatten();
        let at = existing.unwrap_or_else(|| {
            let pattern = plan.kinds[kind].path_patterns().next();
            let placed = alone.then(|| placed_path(plan, &record, &host)).flatten();
            let name = match (placed, pattern) {
                (Some(placed), _) => placed,
                (None, Some(pattern)) => {
                    format!("{host}/{}", instantiate(pattern, &inputs.len().to_string()))
                }
                (None, None) if several_kinds => format!("{host}/{}.log", plan.kinds[kind].name),
                (None, None) => format!("{host}.log"),
            };
            inputs.push(ScenarioInput {
                name,
                host: host.clone(),
                stream: Stream {
                    framing,
                    lines: Vec::new(),
                },
            });
            if !alone {
                by_source.insert((kind, host.clone()), inputs.len() - 1);
            }
            inputs.len() - 1
        });
        placed.push((at, inputs[at].stream.lines.len()));
        inputs[at].stream.lines.push(Line {
            record,
            mutation: None,
        });
    }
    let expected = expected.and_then(|(finding, kind)| {
        let (input, position) = *placed.get(finding.record)?;
        let (_, starts) = inputs[input].stream.rendered().ok()?;
        let rule = &plan.rules[finding.rule];
        // A key part read from the input's path holds what stood for the
        // input in the walk: the checker reports the path.
        let written = &inputs[input];
        let record = &written.stream.lines.get(position)?.record;
        let stand_in = input_of(plan, record, written.stream.framing, &written.host);
        let key: Vec<String> = finding
            .key
            .iter()
            .map(|part| {
                if **part == *stand_in {
                    written.name.clone()
                } else {
                    part.clone()
                }
            })
            .collect();
        Some(StreamExpected {
            kind,
            code: finding.code,
            rule: rule.id.clone(),
            input,
            line: *starts.get(position)?,
            key: rule.describe_key(&key),
        })
    });
    Scenario { inputs, expected }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{compiled, layout, record_of};
    use super::*;
    use crate::scenario::Hosts;
    use crate::{Framing, Sampler};
    use logspec_checker::Code;
    use logspec_reader::Format;

    #[test]
    fn a_pattern_is_instantiated_with_the_input_number() {
        assert_eq!(instantiate("runs/*.json", "3"), "runs/3.json");
        assert_eq!(instantiate("**/audit?.log", "0"), "x/auditx.log");
    }

    #[test]
    fn records_go_to_one_input_per_kind_and_host_in_time_order() {
        let compiled = Rc::new(compiled("ctrl-exec"));
        let framing = Framing::default_of(Format::Rfc3164);
        let layout = layout(&compiled, framing, Hosts::Told);
        let mut sampler = Sampler::new(1);
        let records: Walked = ["a", "b", "a", "a", "b"]
            .into_iter()
            .map(|host| {
                let record = record_of(&compiled, "ping", Format::Rfc3164, &mut sampler);
                (record, host.to_owned())
            })
            .collect();
        let finding = RuleFinding {
            code: Code::Unpaired,
            rule: 0,
            record: 3,
            key: vec!["k".to_owned(), "a".to_owned()],
        };
        let scenario = assemble(
            &compiled,
            &layout,
            records,
            0,
            &[1_000_000; 5],
            Some((finding, StreamMutationKind::DropClosing)),
        );
        let hosts: Vec<(&str, usize)> = scenario
            .inputs
            .iter()
            .map(|input| (input.host.as_str(), input.stream.lines.len()))
            .collect();
        assert_eq!(hosts, [("a", 3), ("b", 2)]);
        let times: Vec<i64> = scenario.inputs[0]
            .stream
            .lines
            .iter()
            .map(|line| line.record.meta.time.0)
            .collect();
        assert_eq!(times, [1_000_000, 3_000_000, 4_000_000]);
        let expected = scenario.expected.expect("the finding is placed");
        // The fourth record is the third line of host a's input.
        assert_eq!((expected.input, expected.line), (0, 3));
        assert_eq!(expected.rule, compiled.plan.rules[0].id);
    }
}
