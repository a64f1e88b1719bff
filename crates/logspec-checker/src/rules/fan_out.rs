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
//!
//! Every open key of a fan-out rule holds one of these, so it is kept
//! small: most lists name a few hosts, whose names fit inline and are
//! found by a scan; only a list longer than `SCANNED` gets a hash index
//! (of positions, so each name is held once), and the counts the engine
//! asks for on every answer are kept rather than recounted.

use super::hosts::HostNames;
use super::key::part_values;
use super::plan::FanOutPlan;
use super::StreamRecord;
use compact_str::CompactString;
use foldhash::fast::RandomState;
use hashbrown::HashTable;
use std::hash::BuildHasher;

/// Members followed at most; the rest of a longer list is counted, and the
/// finding that reports the fan-out unfinished says so.
pub const MEMBERS: usize = 4096;

/// Lists up to this long are searched by a scan, longer ones by an index.
const SCANNED: usize = 16;

#[derive(Debug, Clone)]
struct Member {
    name: CompactString,
    /// The mapping names it, so only an answer naming it can answer it.
    known: bool,
    answered: bool,
}

/// Positions in a long list, hashed by the member's name.
#[derive(Debug, Clone, Default)]
struct NameIndex {
    table: HashTable<u16>,
    hasher: RandomState,
}

/// One key's fan-out: the listed members and what answered them.
#[derive(Debug, Clone)]
pub struct FanState {
    /// In the order listed, each name once.
    members: Box<[Member]>,
    /// Where each name is in `members`, for lists longer than [`SCANNED`].
    index: Option<Box<NameIndex>>,
    /// Members no answer named yet.
    waiting: u16,
    /// Of those, the ones an answer naming no listed member could be.
    waiting_unknown: u16,
    /// Answers naming no listed member, standing for unknown ones.
    unnamed: u32,
    /// Distinct members listed beyond [`MEMBERS`], not followed.
    cut: u32,
}

// Positions and counts of members are 16-bit.
const _: () = assert!(MEMBERS <= u16::MAX as usize);

/// Why an answer is refused.
pub enum Refusal {
    /// Its member already answered.
    Again(String),
    /// The list does not hold it, and names can be compared.
    NotListed(String),
    /// More answers than members it could stand for (the answer's name).
    TooMany(String),
}

/// Where `name` is in `members`.
fn position(members: &[Member], index: Option<&NameIndex>, name: &str) -> Option<usize> {
    match index {
        None => members.iter().position(|member| member.name == name),
        Some(index) => index
            .table
            .find(index.hasher.hash_one(name), |&at| {
                members[usize::from(at)].name == name
            })
            .map(|&at| usize::from(at)),
    }
}

impl FanState {
    /// The members `names` list, compared as hosts when `hosts` is given.
    pub fn new(names: Vec<String>, hosts: Option<&HostNames>) -> FanState {
        let mut members: Vec<Member> = Vec::new();
        let mut index: Option<Box<NameIndex>> = None;
        let mut cut: u32 = 0;
        for name in names {
            if position(&members, index.as_deref(), &name).is_some() {
                continue;
            }
            if members.len() == MEMBERS {
                cut = cut.saturating_add(1);
                continue;
            }
            members.push(Member {
                known: hosts.is_none_or(|hosts| hosts.known(&name)),
                name: CompactString::from(name),
                answered: false,
            });
            if members.len() > SCANNED {
                let index = index.get_or_insert_with(Box::default);
                let at = members.len() - 1;
                if at == SCANNED {
                    // The list outgrew the scan: index everything so far.
                    for (earlier, member) in members.iter().enumerate() {
                        index.insert(&member.name, earlier, &members);
                    }
                } else {
                    index.insert(&members[at].name, at, &members);
                }
            }
        }
        let count = |filter: fn(&Member) -> bool| {
            u16::try_from(members.iter().filter(|member| filter(member)).count())
                .unwrap_or(u16::MAX)
        };
        FanState {
            waiting: count(|_| true),
            waiting_unknown: count(|member| !member.known),
            members: members.into_boxed_slice(),
            index,
            unnamed: 0,
            cut,
        }
    }

    /// Records an answer for `name`; `hosts` as for [`FanState::new`].
    pub fn answer(&mut self, name: &str, hosts: Option<&HostNames>) -> Result<(), Refusal> {
        let listed = position(&self.members, self.index.as_deref(), name);
        match listed.and_then(|at| self.members.get_mut(at)) {
            Some(member) if member.answered => return Err(Refusal::Again(name.to_owned())),
            Some(member) => {
                member.answered = true;
                self.waiting = self.waiting.saturating_sub(1);
                if !member.known {
                    self.waiting_unknown = self.waiting_unknown.saturating_sub(1);
                }
            }
            None => {
                let comparable = hosts.is_none_or(|hosts| hosts.known(name));
                if comparable {
                    return Err(Refusal::NotListed(name.to_owned()));
                }
                self.unnamed = self.unnamed.saturating_add(1);
            }
        }
        if self.unnamed > u32::from(self.waiting_unknown) {
            // Undo, so the next answer is judged against the same list.
            self.unnamed = self.unnamed.saturating_sub(1);
            return Err(Refusal::TooMany(name.to_owned()));
        }
        Ok(())
    }

    /// Members still waiting for an answer (named ones, and as many of the
    /// others as unnamed answers do not cover).
    pub fn missing(&self) -> usize {
        usize::from(self.waiting).saturating_sub(self.unnamed())
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
        usize::try_from(self.unnamed).unwrap_or(usize::MAX)
    }

    /// Members listed past the ones followed.
    pub fn cut(&self) -> usize {
        usize::try_from(self.cut).unwrap_or(usize::MAX)
    }
}

impl NameIndex {
    /// Indexes `name`, the member at `at` (below [`MEMBERS`]).
    fn insert(&mut self, name: &str, at: usize, members: &[Member]) {
        let hasher = &self.hasher;
        let hash = hasher.hash_one(name);
        self.table.insert_unique(hash, at as u16, |&other| {
            hasher.hash_one(&*members[usize::from(other)].name)
        });
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
    fn long_lists_are_indexed_and_judged_like_short_ones() {
        // Past SCANNED members, names are found through the index.
        let names: Vec<String> = (0..3 * SCANNED)
            .chain(0..SCANNED)
            .map(|n| format!("host-{n}"))
            .collect();
        let mut fan = FanState::new(names, None);
        assert_eq!(fan.listed().len(), 3 * SCANNED, "duplicates listed once");
        assert_eq!(fan.missing(), 3 * SCANNED);
        for n in 0..3 * SCANNED {
            assert!(fan.answer(&format!("host-{n}"), None).is_ok(), "host-{n}");
        }
        assert!(matches!(
            fan.answer("host-40", None),
            Err(Refusal::Again(_))
        ));
        assert!(matches!(
            fan.answer("host-99", None),
            Err(Refusal::NotListed(_))
        ));
        assert_eq!(fan.missing(), 0);
        assert!(fan.unanswered().is_empty());
    }

    #[test]
    fn members_past_the_limit_are_counted_not_followed() {
        let names: Vec<String> = (0..MEMBERS + 5).map(|n| n.to_string()).collect();
        let fan = FanState::new(names, None);
        assert_eq!(fan.listed().len(), MEMBERS);
        assert_eq!(fan.cut(), 5);
        assert_eq!(fan.missing(), MEMBERS);
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
