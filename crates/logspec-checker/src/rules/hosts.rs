//! Which host names denote one host, for rules that correlate records by
//! host.
//!
//! A dispatcher addresses an agent as its registry says (an IP address, or
//! a name other than the agent's syslog hostname), so two spellings are
//! not two hosts, and one spelling in two places is not proven to be one
//! either. Names are only equated where something says so: the same
//! spelling; a loopback address, which denotes the machine that wrote the
//! record; or the user's mapping (`--host-alias NAME=ADDRESS`, a hosts
//! file). Rules that must not equate hosts by spelling alone (fan-out)
//! ask [`HostNames::known`] whether a name can be compared at all.

use std::borrow::Cow;
use std::collections::HashMap;
use std::net::IpAddr;

/// Host names the user says are one host, each group under one name.
#[derive(Debug, Clone, Default)]
pub struct HostNames {
    /// Lower-cased name or address → the group's name, as the user wrote it.
    canonical: HashMap<String, String>,
}

/// A hosts file line that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct HostsFileError {
    pub line: usize,
    pub message: String,
}

impl HostNames {
    /// Says that `name` and `other` are the same host. Groups merge: an
    /// address given two names makes the three one host.
    pub fn alias(&mut self, name: &str, other: &str) {
        // The group first named keeps its name.
        let group = [name, other]
            .iter()
            .find_map(|member| self.canonical.get(&member.to_ascii_lowercase()).cloned())
            .unwrap_or_else(|| name.to_owned());
        let merged: Vec<String> = [name, other]
            .iter()
            .filter_map(|member| self.canonical.get(&member.to_ascii_lowercase()).cloned())
            .collect();
        for value in self.canonical.values_mut() {
            if merged.contains(value) {
                *value = group.clone();
            }
        }
        for member in [name, other] {
            self.canonical
                .insert(member.to_ascii_lowercase(), group.clone());
        }
    }

    /// Reads an `/etc/hosts`-style file: `ADDRESS NAME [ALIAS…]` per line,
    /// `#` comments; each line is one host, under its first name.
    pub fn read_hosts_file(&mut self, text: &str) -> Result<(), HostsFileError> {
        for (index, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or_default();
            let mut words = line.split_whitespace();
            let Some(address) = words.next() else {
                continue;
            };
            let names: Vec<&str> = words.collect();
            let Some(first) = names.first() else {
                return Err(HostsFileError {
                    line: index + 1,
                    message: format!("`{address}` has no name after it"),
                });
            };
            if address.parse::<IpAddr>().is_err() {
                return Err(HostsFileError {
                    line: index + 1,
                    message: format!("`{address}` is not an IP address"),
                });
            }
            self.alias(first, address);
            for name in &names[1..] {
                self.alias(first, name);
            }
        }
        Ok(())
    }

    /// Whether the user's mapping names `host`, so that its absence from a
    /// list of names is meaningful.
    pub fn known(&self, host: &str) -> bool {
        self.canonical.contains_key(&host.to_ascii_lowercase())
    }

    pub fn is_empty(&self) -> bool {
        self.canonical.is_empty()
    }

    /// The name `host` is compared by: its group's name when the mapping
    /// has it; the machine that wrote the record (`own`) for a loopback
    /// address; otherwise `host` as written (borrowed: the usual case
    /// allocates nothing).
    pub fn canonical<'h>(&self, host: &'h str, own: Option<&str>) -> Cow<'h, str> {
        // Without aliases (the usual run) there is nothing to look up.
        let aliased = (!self.canonical.is_empty())
            .then(|| self.canonical.get(&host.to_ascii_lowercase()))
            .flatten();
        if let Some(name) = aliased {
            return Cow::Owned(name.clone());
        }
        match own {
            Some(own) if is_loopback(host) && !is_loopback(own) => {
                Cow::Owned(self.canonical(own, None).into_owned())
            }
            _ => Cow::Borrowed(host),
        }
    }

    /// Puts `host` in the form it is compared by ([`HostNames::canonical`]).
    pub fn canonicalize(&self, host: &mut String, own: Option<&str>) {
        if let Cow::Owned(name) = self.canonical(host, own) {
            *host = name;
        }
    }
}

/// `127.0.0.0/8`, `::1` or `localhost`.
pub fn is_loopback(host: &str) -> bool {
    let address = host.trim_start_matches('[').trim_end_matches(']');
    // Only `127.…` or an IPv6 address written with nothing but zeros and
    // ones (`::1`, `0:0:0:0:0:0:0:1`, `::0.0.0.1`) can be a loopback
    // address: other names and addresses (most hosts) are not parsed.
    let v6_loopback_like = || {
        address.contains(':')
            && address
                .bytes()
                .all(|byte| matches!(byte, b'0' | b'1' | b':' | b'.'))
    };
    host.eq_ignore_ascii_case("localhost")
        || ((address.starts_with("127.") || v6_loopback_like())
            && address
                .parse::<IpAddr>()
                .is_ok_and(|address| address.is_loopback()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_group_names_under_the_first() {
        let mut hosts = HostNames::default();
        hosts.alias("vm", "10.0.0.5");
        hosts.alias("VM.example.org", "10.0.0.5");
        assert_eq!(hosts.canonical("10.0.0.5", None), "vm");
        assert_eq!(hosts.canonical("vm.example.org", None), "vm");
        assert_eq!(hosts.canonical("db-01", None), "db-01");
        assert!(hosts.known("VM") && !hosts.known("db-01"));
    }

    #[test]
    fn loopback_is_the_writing_machine() {
        let hosts = HostNames::default();
        assert_eq!(hosts.canonical("127.0.0.1", Some("ctl")), "ctl");
        assert_eq!(hosts.canonical("::1", Some("ctl")), "ctl");
        assert_eq!(hosts.canonical("localhost", None), "localhost");
        assert_eq!(hosts.canonical("10.0.0.1", Some("ctl")), "10.0.0.1");
        // Only addresses are parsed; a name that starts like one is a name.
        assert!(is_loopback("127.0.0.2") && is_loopback("[0:0:0:0:0:0:0:1]"));
        assert!(!is_loopback("127.example") && !is_loopback("db-01") && !is_loopback("::2"));
        // Every spelling of ::1 is one, and only those.
        for loopback in [
            "::1",
            "[::1]",
            "0::1",
            "::0001",
            "0:0:0:0:0:0:0:1",
            "::0.0.0.1",
        ] {
            assert!(is_loopback(loopback), "{loopback}");
        }
        for other in [
            "::10",
            "1::1",
            "::1:0",
            "::ffff:127.0.0.1",
            "fe80::1",
            "::1%lo",
        ] {
            assert!(!is_loopback(other), "{other}");
        }
    }

    #[test]
    fn hosts_files_and_their_errors() {
        let mut hosts = HostNames::default();
        let text = "# fleet\n10.0.0.5 web-01 web-01.lan\n\n10.0.0.6\tdb-01 # primary\n";
        assert_eq!(hosts.read_hosts_file(text), Ok(()));
        assert_eq!(hosts.canonical("web-01.lan", None), "web-01");
        assert_eq!(hosts.canonical("10.0.0.6", None), "db-01");
        let error = HostNames::default().read_hosts_file("10.0.0.5\n");
        assert_eq!(error.map_err(|e| e.line), Err(1));
        let error = HostNames::default().read_hosts_file("ok\nweb-01 10.0.0.5\n");
        assert_eq!(error.map_err(|e| e.line), Err(1));
    }
}
