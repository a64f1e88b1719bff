//! Fan-out: a record under a coarse key (one request id) lists members
//! (hosts), and records under the same key answer for one member each:
//! once per member, every member answered, none outside the list.
//!
//! Members are matched by name where names can be matched: the same
//! spelling, or the same host by the user's mapping (see [`super::hosts`]).
//! For host names nothing maps, an answer that names no listed member is
//! taken to answer for a listed member under another name (a registry
//! address), as long as there are members left that it could be; so a
//! deployment that addresses hosts by IP is not a violation, while two
//! answers for one named member, more answers than members, or an answer
//! naming a host the mapping knows and the list lacks, are.

use super::hosts::HostNames;
use super::key::part_values;
use super::plan::FanOutPlan;
use super::StreamRecord;
use std::collections::HashMap;

/// Members followed at most; the rest of a longer list is counted, and the
/// finding that reports the fan-out unfinished says so.
pub const MEMBERS: usize = 4096;

#[derive(Debug, Clone)]
struct Member {
    name: String,
    /// The mapping names it, so only an answer naming it can answer it.
    known: bool,
    answered: bool,
}

/// One key's fan-out: the listed members and what answered them.
#[derive(Debug, Clone)]
pub struct FanState {
    members: Vec<Member>,
    /// Where each member's name is in `members`: lists run to thousands.
    index: HashMap<String, usize>,
    /// Answers naming no listed member, standing for unknown ones.
    unnamed: usize,
    /// Distinct members listed beyond [`MEMBERS`], not followed.
    cut: usize,
}

/// Why an answer is refused.
pub enum Refusal {
    /// Its member already answered.
    Again(String),
    /// The list does not hold it, and names can be compared.
    NotListed(String),
    /// More answers than members it could stand for (the answer's name).
    TooMany(String),
}

impl FanState {
    /// The members `names` list, compared as hosts when `hosts` is given.
    pub fn new(names: Vec<String>, hosts: Option<&HostNames>) -> FanState {
        let mut members: Vec<Member> = Vec::new();
        let mut index = HashMap::new();
        let mut cut = 0;
        for name in names {
            if index.contains_key(&name) {
                continue;
            }
            if members.len() == MEMBERS {
                cut += 1;
                continue;
            }
            index.insert(name.clone(), members.len());
            members.push(Member {
                known: hosts.is_none_or(|hosts| hosts.known(&name)),
                name,
                answered: false,
            });
        }
        FanState {
            members,
            index,
            unnamed: 0,
            cut,
        }
    }

    /// Records an answer for `name`; `hosts` as for [`FanState::new`].
    pub fn answer(&mut self, name: &str, hosts: Option<&HostNames>) -> Result<(), Refusal> {
        let listed = self.index.get(name).copied();
        match listed.and_then(|at| self.members.get_mut(at)) {
            Some(member) if member.answered => return Err(Refusal::Again(name.to_owned())),
            Some(member) => member.answered = true,
            None => {
                let comparable = hosts.is_none_or(|hosts| hosts.known(name));
                if comparable {
                    return Err(Refusal::NotListed(name.to_owned()));
                }
                self.unnamed += 1;
            }
        }
        if self.unnamed > self.open_unknown() {
            // Undo, so the next answer is judged against the same list.
            self.unnamed = self.unnamed.saturating_sub(1);
            return Err(Refusal::TooMany(name.to_owned()));
        }
        Ok(())
    }

    /// Listed members no answer named that an unnamed answer could be.
    fn open_unknown(&self) -> usize {
        self.members
            .iter()
            .filter(|member| !member.answered && !member.known)
            .count()
    }

    /// Members still waiting for an answer (named ones, and as many of the
    /// others as unnamed answers do not cover).
    pub fn missing(&self) -> usize {
        self.members
            .iter()
            .filter(|member| !member.answered)
            .count()
            .saturating_sub(self.unnamed)
    }

    pub fn listed(&self) -> Vec<&str> {
        self.members
            .iter()
            .map(|member| member.name.as_str())
            .collect()
    }

    /// Members no answer named.
    pub fn unanswered(&self) -> Vec<&str> {
        self.members
            .iter()
            .filter(|member| !member.answered)
            .map(|member| member.name.as_str())
            .collect()
    }

    pub fn unnamed(&self) -> usize {
        self.unnamed
    }

    /// Members listed past the ones followed.
    pub fn cut(&self) -> usize {
        self.cut
    }
}

/// What one record did to its key's fan-out.
pub enum FanStep {
    /// It plays no part in the fan-out (or answers before any listing).
    Untouched,
    /// It listed the members; `cut` more were listed than are followed.
    Listed { cut: usize },
    /// It answered for members; these answers were refused.
    Answered(Vec<Refusal>),
}

/// Steps a key's fan-out (`fan`, held with the key) by `record` playing
/// `label`: the one place member names are taken from records and put in
/// the form they are compared in, for the engine and the generator's model.
pub fn step(
    plan: &FanOutPlan,
    label: usize,
    record: &StreamRecord,
    mapping: &HostNames,
    fan: &mut Option<Box<FanState>>,
) -> FanStep {
    let hosts = plan.hosts.then_some(mapping);
    let name = |mut value: String| {
        if let Some(hosts) = hosts {
            hosts.canonicalize(&mut value, record.host.as_deref());
        }
        value
    };
    if label == plan.list_label && fan.is_none() {
        let names = part_values(&plan.list.0, &plan.list.1, record)
            .into_iter()
            .map(name)
            .collect();
        let state = FanState::new(names, hosts);
        let cut = state.cut();
        *fan = Some(Box::new(state));
        return FanStep::Listed { cut };
    }
    match fan.as_mut() {
        Some(state) if label == plan.member_label => FanStep::Answered(
            part_values(&plan.member.0, &plan.member.1, record)
                .into_iter()
                .filter_map(|member| state.answer(&name(member), hosts).err())
                .collect(),
        ),
        _ => FanStep::Untouched,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(names: &[&str], hosts: Option<&HostNames>) -> FanState {
        FanState::new(names.iter().map(|n| (*n).to_owned()).collect(), hosts)
    }

    #[test]
    fn exact_names_once_each_and_none_outside() {
        let mut fan = list(&["a", "b"], None);
        assert!(fan.answer("a", None).is_ok());
        assert!(matches!(fan.answer("a", None), Err(Refusal::Again(_))));
        assert!(matches!(fan.answer("c", None), Err(Refusal::NotListed(_))));
        assert_eq!(fan.missing(), 1);
        assert!(fan.answer("b", None).is_ok());
        assert_eq!(fan.missing(), 0);
    }

    #[test]
    fn unmapped_hosts_answer_under_other_names_up_to_the_count() {
        let hosts = HostNames::default();
        let mut fan = list(&["vm"], Some(&hosts));
        assert!(fan.answer("127.0.0.1", Some(&hosts)).is_ok());
        assert_eq!(fan.missing(), 0);
        assert!(matches!(
            fan.answer("10.0.0.9", Some(&hosts)),
            Err(Refusal::TooMany(_))
        ));
        let mut fan = list(&["db-01", "db-02"], Some(&hosts));
        assert!(fan.answer("10.0.0.5", Some(&hosts)).is_ok());
        assert_eq!(fan.missing(), 1);
        assert!(fan.answer("db-01", Some(&hosts)).is_ok());
        assert_eq!(fan.missing(), 0);
        // db-01 named and an unnamed answer: no room for a third.
        assert!(matches!(
            fan.answer("db-02", Some(&hosts)),
            Err(Refusal::TooMany(_))
        ));
    }

    #[test]
    fn mapped_hosts_are_compared() {
        let mut hosts = HostNames::default();
        hosts.alias("db-01", "10.0.0.5");
        hosts.alias("db-03", "10.0.0.7");
        let mut fan = list(&["db-01", "db-02"], Some(&hosts));
        assert!(matches!(
            fan.answer("db-03", Some(&hosts)),
            Err(Refusal::NotListed(_))
        ));
        // db-01 is mapped: an unmapped name cannot stand for it.
        assert!(fan.answer("10.0.0.99", Some(&hosts)).is_ok());
        assert!(matches!(
            fan.answer("10.0.0.98", Some(&hosts)),
            Err(Refusal::TooMany(_))
        ));
        assert_eq!(fan.missing(), 1);
        assert_eq!(fan.unanswered(), vec!["db-01", "db-02"]);
    }
}
