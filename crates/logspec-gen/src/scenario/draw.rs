//! Drawing the records of a walk: any record of the written kinds, one
//! playing a part of a rule with key values of its own, or one continuing
//! a key (the key's values and the values its records agree on written
//! into it: REQID and the TARGET host, a HOSTS entry as one run's TARGET,
//! an agent's line on its own host's log). Whether a record conforms is
//! judged as the checker classifies it, so a record kept is one the
//! checker sees as the variant it was drawn for.

use super::breaking::read_as_earlier;
use super::layout::Layout;
use crate::exact;
use crate::generator::{written_name, Compiled};
use crate::record::{Field, Record};
use crate::render::render;
use crate::{value, Framing, Sampler};
use indexmap::IndexSet;
use logspec_checker::plan::VariantPlan;
use logspec_checker::rules::RulePlan;
use logspec_checker::{Code, Plan};
use logspec_reader::{Format, JsonKind};
use logspec_spec::condition::Name;
use logspec_spec::{EnvelopeValue, FieldPart};
use proptest::prelude::*;
use std::collections::HashMap;

/// A record and the host it is logged on.
pub(crate) type Drawn = (Record, String);

/// Draws records for one walk, from one seed.
pub(crate) struct Draw<'c> {
    pub compiled: &'c Compiled,
    pub sampler: Sampler,
    pub layout: Layout,
    /// Variants of the written kinds.
    pool: Vec<(usize, usize)>,
    /// Per rule, per label: the pool's variants that play it.
    players: Vec<Vec<Vec<(usize, usize)>>>,
    /// Record strategies per variant, built once.
    strategies: HashMap<(usize, usize), BoxedStrategy<Record>>,
    /// The host records are logged on unless a key names another.
    pub home: String,
    /// Other hosts records were logged on; free records go to them too,
    /// so a host's log holds more than the lines a key sent there.
    pub others: IndexSet<String>,
}

impl<'c> Draw<'c> {
    pub fn new(compiled: &'c Compiled, layout: Layout, seed: u64) -> Option<Draw<'c>> {
        let plan = &compiled.plan;
        let pool: Vec<(usize, usize)> = compiled
            .spec
            .variants()
            .filter(|(event, _, _, _)| layout.writes(plan.events[*event].kind))
            .map(|(event, variant, _, _)| (event, variant))
            .collect();
        let players = plan
            .rules
            .iter()
            .map(|rule| {
                (0..rule.labels.len())
                    .map(|label| {
                        pool.iter()
                            .copied()
                            .filter(|variant| {
                                rule.roles
                                    .get(variant)
                                    .is_some_and(|labels| labels.contains(&label))
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let mut sampler = Sampler::new(seed);
        let home = sampler.sample(&value::hostname()).ok()?;
        Some(Draw {
            compiled,
            sampler,
            layout,
            pool,
            players,
            strategies: HashMap::new(),
            home,
            others: IndexSet::new(),
        })
    }

    /// The pool's variants that play `label` of rule `rule`.
    pub fn players(&self, rule: usize, label: usize) -> &[(usize, usize)] {
        &self.players[rule][label]
    }

    pub fn format_of(&self, event: usize) -> Format {
        self.layout.framing(&self.compiled.plan, event).format()
    }

    /// A record of `variant` in its kind's framing.
    pub fn sample(&mut self, (event, variant): (usize, usize)) -> Option<Record> {
        if !self.strategies.contains_key(&(event, variant)) {
            let format = self.format_of(event);
            let strategy = self
                .compiled
                .variant(event, variant, format)
                .ok()?
                .records();
            self.strategies.insert((event, variant), strategy);
        }
        let strategy = self.strategies.get(&(event, variant))?;
        self.sampler.sample(strategy).ok()
    }

    pub fn pick<T: Clone + std::fmt::Debug>(&mut self, items: &[T]) -> Option<T> {
        if items.is_empty() {
            return None;
        }
        let at = self.sampler.sample(&(0..items.len())).ok()?;
        items.get(at).cloned()
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.sampler
            .sample(&proptest::bool::weighted(p))
            .unwrap_or(false)
    }

    /// A record of any written variant, on the home host or, where
    /// records may be logged apart, at times on another host seen so far.
    pub fn any(&mut self) -> Option<Drawn> {
        let pool = std::mem::take(&mut self.pool);
        let record = self.pick(&pool).and_then(|variant| self.sample(variant));
        self.pool = pool;
        let elsewhere = self.layout.hosts_apart && !self.others.is_empty() && self.chance(0.3);
        let host = match elsewhere {
            true => {
                let at = self.sampler.sample(&(0..self.others.len())).ok()?;
                self.others.get_index(at)?.clone()
            }
            false => self.home.clone(),
        };
        Some((record?, host))
    }

    /// A record playing `label` of rule `rule` with key values of its own,
    /// on the home host.
    pub fn fresh(&mut self, rule: usize, label: usize) -> Option<Drawn> {
        let variants = self.players(rule, label).to_vec();
        let record = self
            .pick(&variants)
            .and_then(|variant| self.sample(variant))?;
        Some((record, self.home.clone()))
    }

    /// A record playing `label` of rule `rule` for `key`, with the values
    /// the key's records agreed on (`agreed`, by index into the rule's
    /// `agree`), answering for `member` of the key's fan-out when given,
    /// and the host it is logged on.
    pub fn continuing(
        &mut self,
        rule: usize,
        label: usize,
        key: &[String],
        agreed: &[(usize, String)],
        member: Option<&str>,
    ) -> Option<Drawn> {
        let compiled = self.compiled;
        let plan = &compiled.plan.rules[rule];
        let variants = self.players(rule, label).to_vec();
        let variant = self.pick(&variants)?;
        let mut record = self.sample(variant)?;
        let framing = self.layout.framing(&compiled.plan, variant.0);
        let mut host = stitch(compiled, &mut record, plan, label, key, framing.format());
        if let (Some(member), Some(fan)) = (member, &plan.fan_out) {
            let part = &fan.member.0;
            match (&part.field, part.envelope) {
                (Some(field), _) => {
                    let written = match part.part {
                        Some(FieldPart::Host) => with_host(record.value(field), member),
                        None => member.to_owned(),
                    };
                    set_field(compiled, &mut record, field, &written, framing.format());
                }
                (None, Some(EnvelopeValue::Host)) => host = Some(member.to_owned()),
                _ => {}
            }
        }
        let host = host
            .filter(|_| self.layout.host_seen(framing))
            .unwrap_or_else(|| self.home.clone());
        for (index, value) in agreed {
            let (field, chars) = &plan.agree[*index];
            let value: String = match chars {
                Some(chars) => value.chars().take(*chars).collect(),
                None => value.clone(),
            };
            if record.value(field).is_some() {
                set_field(compiled, &mut record, field, &value, framing.format());
            }
        }
        Some((record, host))
    }

    /// Whether some variant of the pool can play `label` of rule `rule`
    /// for `key`: its envelope parts must be ones a record can have here.
    pub fn writable(&self, rule: usize, label: usize, key: &[String]) -> bool {
        let plan = &self.compiled.plan;
        let (parts, _) = &plan.rules[rule].keys[label];
        let variants = self.players(rule, label);
        !variants.is_empty()
            && parts
                .iter()
                .zip(key)
                .all(|(part, value)| match part.envelope {
                    Some(EnvelopeValue::Host) => variants.iter().any(|&(event, _)| {
                        let framing = self.layout.framing(plan, event);
                        if self.layout.host_seen(framing) {
                            self.layout.hosts_apart || value == &self.home
                        } else {
                            part.default.as_ref() == Some(value)
                        }
                    }),
                    Some(EnvelopeValue::Tag) => variants.iter().any(|&(event, variant)| {
                        self.compiled
                            .variant(event, variant, self.format_of(event))
                            .is_ok_and(|generator| generator.tags.contains(value))
                    }),
                    Some(EnvelopeValue::Pid) => {
                        value.parse::<u32>().is_ok()
                            && variants
                                .iter()
                                .any(|&(event, _)| self.layout.framing(plan, event).carries_pid())
                    }
                    // Input paths are not generated (a scenario with such
                    // a rule is refused: see `Layout::new`).
                    Some(EnvelopeValue::File) => false,
                    None => true,
                })
    }

    /// Whether `record` conforms as the variant the checker will see it
    /// as (which it is then given) and can be written.
    pub fn conforms(&self, record: &mut Record) -> bool {
        conforms(self.compiled, &self.layout, record)
    }

    /// `record`, playing `label` of rule `rule`, with some of the fields
    /// the rule's conditions read set to the constants they compare with
    /// (`success == 'yes'`, `key.is_local_node != 'yes'`): drawn values
    /// seldom equal them, so a guarded condition would never bite. Key
    /// fields are set only on a record opening its key (`opening`), as a
    /// continuing one carries its key's values. Left as drawn when the
    /// result would not conform.
    pub fn lean_on_literals(
        &mut self,
        rule: usize,
        label: usize,
        record: &mut Record,
        opening: bool,
    ) {
        let plan = &self.compiled.plan.rules[rule];
        let conditions: Vec<&logspec_spec::condition::Condition> = plan
            .requires
            .iter()
            .flatten()
            .map(|required| &required.condition)
            .collect();
        let literals: Vec<String> = conditions
            .iter()
            .flat_map(|condition| condition.literals.iter().cloned())
            .collect();
        if literals.is_empty() {
            return;
        }
        let key_fields: Vec<&str> = plan.keys[label]
            .0
            .iter()
            .filter_map(|part| part.field.as_deref())
            .collect();
        // The record's own fields its part's condition reads, the fields
        // later conditions read of it (`earlier.L.F`), and on an opening
        // record the key parts conditions read (`key.P`).
        let own = plan.requires[label]
            .iter()
            .flat_map(|required| required.condition.record_fields())
            .map(str::to_owned);
        let read_later = read_as_earlier(plan, label).map(str::to_owned);
        let key_parts_read = conditions
            .iter()
            .flat_map(|condition| &condition.uses)
            .filter_map(|used| match &used.name {
                Some(Name::Key(part)) if opening => plan
                    .key_names
                    .iter()
                    .position(|name| name == part)
                    .and_then(|at| key_fields.get(at))
                    .map(|field| (*field).to_owned()),
                _ => None,
            });
        let mut fields: Vec<String> = Vec::new();
        for field in own.chain(read_later).chain(key_parts_read) {
            if (opening || !key_fields.contains(&field.as_str())) && !fields.contains(&field) {
                fields.push(field);
            }
        }
        let format = self
            .layout
            .framing(&self.compiled.plan, record.event)
            .format();
        let mut leaned = record.clone();
        for field in &fields {
            if self.chance(0.5) {
                if let Some(literal) = self.pick(&literals) {
                    set_field(self.compiled, &mut leaned, field, &literal, format);
                }
            }
        }
        if self.conforms(&mut leaned) {
            *record = leaned;
        }
    }
}

/// Whether `record` conforms as the variant the checker will see it as
/// (which it is then given) and can be written in its kind's framing.
pub(crate) fn conforms(compiled: &Compiled, layout: &Layout, record: &mut Record) -> bool {
    let plan = &compiled.plan;
    let framing = layout.framing(plan, record.event);
    match classify(plan, record, framing) {
        Some((variant, true)) => record.variant = variant,
        _ => return false,
    }
    render(framing, record).is_ok()
}

/// Writes `key` into `record` where rule `rule`'s `label` reads it; the
/// host the record must be logged on, when the key names it.
pub(crate) fn stitch(
    compiled: &Compiled,
    record: &mut Record,
    rule: &RulePlan,
    label: usize,
    key: &[String],
    format: Format,
) -> Option<String> {
    let (parts, separators) = &rule.keys[label];
    let mut host = None;
    for ((part, value), separator) in parts.iter().zip(key).zip(separators) {
        match (&part.field, part.envelope) {
            (Some(field), _) => {
                // The element written: a list keeps one (split at the
                // glossary's separator), whose other parts (the other side
                // of a split, a port) stay as drawn.
                let current = record.value(field).map(|current| {
                    current
                        .split(separator.as_str())
                        .next()
                        .unwrap_or_default()
                        .to_owned()
                });
                let written = match (&part.split, part.part) {
                    (Some(split), _) => split.put(current.as_deref(), value, "x"),
                    (None, Some(FieldPart::Host)) => with_host(current.as_deref(), value),
                    (None, None) => value.clone(),
                };
                set_field(compiled, record, field, &written, format);
            }
            (None, Some(EnvelopeValue::Host)) => host = Some(value.clone()),
            (None, Some(EnvelopeValue::Tag)) => record.meta.tag = value.clone(),
            (None, Some(EnvelopeValue::Pid)) => {
                if let Ok(pid) = value.parse() {
                    record.meta.pid = pid;
                }
            }
            (None, Some(EnvelopeValue::File)) | (None, None) => {}
        }
    }
    host
}

/// `host` with the port of `current` (a `host:port`), or a usual one.
pub(crate) fn with_host(current: Option<&str>, host: &str) -> String {
    let port = current
        .and_then(|current| current.rsplit_once(':'))
        .map(|(_, port)| port)
        .filter(|port| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or("7443");
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// Sets field `name` of `record` (the first one), adding it where the
/// variant lists it when the record lacks it.
pub(crate) fn set_field(
    compiled: &Compiled,
    record: &mut Record,
    name: &str,
    value: &str,
    format: Format,
) {
    if let Some(field) = record.fields.iter_mut().find(|field| field.key == name) {
        field.value = value.to_owned();
        if field.json == JsonKind::Null {
            field.json = JsonKind::String;
        }
        return;
    }
    let plan = &compiled.plan;
    let listed = &plan.events[record.event].variants[record.variant].fields;
    let rank = |key: &str| listed.iter().position(|field| field.name == key);
    let own = rank(name);
    let at = record
        .fields
        .iter()
        .position(|field| own.is_some_and(|own| rank(&field.key).is_some_and(|other| other > own)))
        .unwrap_or(record.fields.len());
    let spec = &compiled.spec;
    record.fields.insert(
        at,
        Field {
            written: written_name(spec, &spec.events[record.event], name, format),
            ..Field::new(name, value)
        },
    );
}

/// The variant the checker classifies `record` as: the one with the fewest
/// errors, then the one whose emitters use its tag, then the fewest
/// warnings (a field out of the documented order), the first on a tie;
/// and whether it conforms to it.
pub(crate) fn classify(plan: &Plan, record: &Record, framing: Framing) -> Option<(usize, bool)> {
    let event = plan.events.get(record.event)?;
    let key = plan.kinds[event.kind].event_key.as_deref();
    let scores = event.variants.iter().map(|variant| {
        let errors = exact::errors(plan, variant, record, framing);
        let wrong_tag = errors
            .iter()
            .filter(|(code, _)| *code == Code::EmitterMismatch)
            .count();
        (
            errors.len(),
            wrong_tag,
            usize::from(out_of_order(variant, record, key)),
        )
    });
    let (variant, best) = scores
        .enumerate()
        .min_by_key(|(index, score)| (*score, *index))?;
    Some((variant, best == (0, 0, 0)))
}

/// Whether a documented field comes before one the document puts earlier.
fn out_of_order(variant: &VariantPlan, record: &Record, event_key: Option<&str>) -> bool {
    if !variant.ordered {
        return false;
    }
    let mut previous = None;
    for (index, field) in record.fields.iter().enumerate() {
        let first = !record.fields[..index].iter().any(|f| f.key == field.key);
        if !first || Some(field.key.as_str()) == event_key {
            continue;
        }
        let Some(rank) = variant.fields.iter().position(|f| f.name == field.key) else {
            continue;
        };
        if previous.is_some_and(|previous| rank < previous) {
            return true;
        }
        previous = Some(rank);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::testing::{ctrl_exec, layout, rule_index};
    use super::*;
    use crate::scenario::Hosts;

    #[test]
    fn with_host_keeps_the_port_and_brackets_ipv6() {
        assert_eq!(with_host(Some("db-01:9000"), "web-02"), "web-02:9000");
        assert_eq!(with_host(None, "web-02"), "web-02:7443");
        assert_eq!(with_host(Some("db-01"), "::1"), "[::1]:7443");
    }

    #[test]
    fn a_continuing_record_carries_the_key_and_the_agreed_values() {
        let compiled = ctrl_exec();
        let layout = layout(&compiled, Framing::default_of(Format::Rfc3164), Hosts::Told);
        let mut draw = Draw::new(&compiled, layout, 7).expect("a draw");
        let rule = rule_index(&compiled, "agent-answers-dispatcher");
        let key = ["a1b2c3d4e5f60001".to_owned(), "db-07".to_owned()];
        let agreed = [(0, "backup".to_owned()), (1, "3".to_owned())];
        // dispatcher-reply: the host goes into TARGET, with a port.
        let (record, host) = draw
            .continuing(rule, 0, &key, &agreed, None)
            .expect("a dispatcher reply");
        assert_eq!(record.value("REQID"), Some("a1b2c3d4e5f60001"));
        assert!(record
            .value("TARGET")
            .is_some_and(|target| target.starts_with("db-07:")));
        assert_eq!(record.value("SCRIPT"), Some("backup"));
        assert_eq!(host, draw.home);
        // agent: the host is the one the record is logged on.
        let (record, host) = draw
            .continuing(rule, 2, &key, &agreed, None)
            .expect("an agent line");
        assert_eq!(record.value("REQID"), Some("a1b2c3d4e5f60001"));
        assert_eq!(host, "db-07");
    }

    #[test]
    fn a_host_key_is_writable_only_where_records_can_move_host() {
        let compiled = ctrl_exec();
        let rule = rule_index(&compiled, "api-requests-while-running");
        let framing = Framing::default_of(Format::Rfc3164);
        let mut one = layout(&compiled, framing, Hosts::Told);
        one.hosts_apart = false;
        let draw = Draw::new(&compiled, one, 7).expect("a draw");
        let home = [draw.home.clone()];
        assert!(draw.writable(rule, 0, &home));
        assert!(!draw.writable(rule, 0, &["elsewhere".to_owned()]));
        let apart =
            Draw::new(&compiled, layout(&compiled, framing, Hosts::Told), 7).expect("a draw");
        assert!(apart.writable(rule, 0, &["elsewhere".to_owned()]));
    }

    #[test]
    fn a_record_is_classified_as_the_variant_it_conforms_to() {
        let compiled = ctrl_exec();
        let framing = Framing::default_of(Format::Rfc3164);
        let mut draw =
            Draw::new(&compiled, layout(&compiled, framing, Hosts::Told), 3).expect("a draw");
        for _ in 0..20 {
            let (mut record, _) = draw.any().expect("a record");
            assert!(draw.conforms(&mut record), "{record:?}");
            // Broken: a required field dropped. It conforms only as a
            // variant that does not require it.
            let variant = &compiled.plan.events[record.event].variants[record.variant];
            if let Some(required) = variant.fields.iter().find(|field| field.required) {
                let mut broken = record.clone();
                broken.fields.retain(|field| field.key != required.name);
                if draw.conforms(&mut broken) {
                    let now = &compiled.plan.events[broken.event].variants[broken.variant];
                    assert!(!now
                        .fields
                        .iter()
                        .any(|field| field.required && field.name == required.name));
                }
            }
        }
    }
}
