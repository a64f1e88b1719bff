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
    /// More answers than members it could stand for.
    TooMany,
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
            return Err(Refusal::TooMany);
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
            Err(Refusal::TooMany)
        ));
        let mut fan = list(&["db-01", "db-02"], Some(&hosts));
        assert!(fan.answer("10.0.0.5", Some(&hosts)).is_ok());
        assert_eq!(fan.missing(), 1);
        assert!(fan.answer("db-01", Some(&hosts)).is_ok());
        assert_eq!(fan.missing(), 0);
        // db-01 named and an unnamed answer: no room for a third.
        assert!(matches!(
            fan.answer("db-02", Some(&hosts)),
            Err(Refusal::TooMany)
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
            Err(Refusal::TooMany)
        ));
        assert_eq!(fan.missing(), 1);
        assert_eq!(fan.unanswered(), vec!["db-01", "db-02"]);
    }
}
