//! Fan-out under a coarse key: a record lists members, records of the same
//! key answer for one each. Once per member, every member, none outside
//! the list; hosts matched by name only where names can be matched (same
//! spelling, loopback, the user's mapping), so addressing hosts by IP is
//! not a violation; records without a listing record stay legal.

use crate::common;

use common::run;
use logspec_checker::rules::hosts::HostNames;
use logspec_checker::rules::EngineOptions;
use logspec_checker::{CheckOptions, Finding, Plan};

const SPEC: &str = r#"logspec: 1
producer: {name: demo, summary: Demo.}
document: {title: Demo}
wire: {envelopes: [rfc3164], payload: key-value, event_key: EVENT}
severity: {levels: [{name: INFO, syslog: 6}]}
emitters: [{name: app, tags: [{tag: demo, source: here}]}]
fields:
  EVENT: {type: string, description: Event.}
  REQ: {type: string, description: Request id.}
  HOSTS: {type: list, item: {type: string}, description: Hosts.}
  TARGET: {type: host-port, description: Where a run went.}
  NAMES: {type: list, item: {type: string}, description: Items.}
  NAME: {type: string, description: Item.}
events:
  - {id: dispatch, section: s, variants: [{name: default, severity: INFO, fields: [EVENT, REQ, HOSTS]}]}
  - {id: run, section: s, variants: [{name: default, severity: INFO, fields: [EVENT, REQ, TARGET]}]}
  - {id: batch, section: s, variants: [{name: default, severity: INFO, fields: [EVENT, REQ, NAMES]}]}
  - {id: item, section: s, variants: [{name: default, severity: INFO, fields: [EVENT, REQ, NAME]}]}
rules:
  - id: every-host-runs
    description: Each host a dispatch lists gets one run.
    key: [REQ]
    participants:
      - {label: dispatch, match: [dispatch], key: [{field: REQ}]}
      - {label: run, match: [run], key: [{field: REQ}]}
    lifecycle:
      start: new
      states:
        new: {on: {dispatch: dispatched, run: single}}
        dispatched: {accepting: true, on: {run: dispatched}}
        single: {accepting: true}
    fan_out:
      list: {label: dispatch, field: HOSTS, part: host}
      member: {label: run, field: TARGET, part: host}
  - id: every-item-once
    description: Each item a batch lists is logged once, by its exact name.
    key: [REQ]
    participants:
      - {label: batch, match: [batch], key: [{field: REQ}]}
      - {label: item, match: [item], key: [{field: REQ}]}
    fan_out:
      list: {label: batch, field: NAMES}
      member: {label: item, field: NAME}
"#;

fn plan() -> Plan {
    match logspec_spec::load_str(SPEC, "fan-out.yaml") {
        Ok(loaded) => Plan::new(&loaded.spec).expect("spec compiles"),
        Err(error) => panic!("test spec does not load:\n{error}"),
    }
}

/// Checks lines `HOST PAYLOAD` with the host mapping `aliases`.
fn check_with(lines: &[&str], aliases: &[(&str, &str)]) -> Vec<Finding> {
    let text: String = lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let (host, payload) = line.split_once(' ').unwrap_or(("ctl", line));
            format!("Mar 13 12:00:{index:02} {host} demo[7]: {payload}\n")
        })
        .collect();
    let mut hosts = HostNames::default();
    for (name, address) in aliases {
        hosts.alias(name, address);
    }
    let options = CheckOptions {
        rules: EngineOptions {
            hosts,
            ..EngineOptions::default()
        },
        ..CheckOptions::default()
    };
    run(&plan(), &[("app.log", &text)], options).0
}

fn codes(findings: &[Finding]) -> Vec<(u64, &'static str)> {
    findings
        .iter()
        .map(|finding| (finding.line, finding.code.as_str()))
        .collect()
}

fn check(lines: &[&str]) -> Vec<(u64, &'static str)> {
    codes(&check_with(lines, &[]))
}

#[test]
fn every_listed_host_once() {
    let dispatch = "ctl EVENT=dispatch REQ=r1 HOSTS=db-01,db-02";
    assert_eq!(
        check(&[
            dispatch,
            "ctl EVENT=run REQ=r1 TARGET=db-02:7443",
            "ctl EVENT=run REQ=r1 TARGET=db-01:7443",
        ]),
        vec![]
    );
    let missing = check_with(&[dispatch, "ctl EVENT=run REQ=r1 TARGET=db-01:7443"], &[]);
    assert_eq!(codes(&missing), vec![(1, "incomplete")]);
    assert!(
        missing[0].message.contains("no run for db-02"),
        "{}",
        missing[0].message
    );
    assert_eq!(
        check(&[
            dispatch,
            "ctl EVENT=run REQ=r1 TARGET=db-01:7443",
            "ctl EVENT=run REQ=r1 TARGET=db-01:7443",
        ]),
        vec![(3, "sequence-violation")]
    );
    assert_eq!(
        check(&[
            dispatch,
            "ctl EVENT=run REQ=r1 TARGET=db-01:7443",
            "ctl EVENT=run REQ=r1 TARGET=db-02:7443",
            "ctl EVENT=run REQ=r1 TARGET=10.0.0.9:7443",
        ]),
        vec![(4, "sequence-violation")]
    );
}

#[test]
fn hosts_addressed_by_address_are_not_violations() {
    // Dispatcher and agent on one machine: the registry names it `vm`,
    // the run goes to the loopback address.
    assert_eq!(
        check(&[
            "vm EVENT=dispatch REQ=r1 HOSTS=vm",
            "vm EVENT=run REQ=r1 TARGET=127.0.0.1:7443",
        ]),
        vec![]
    );
    // The same from a machine whose syslog name is not the registry's.
    assert_eq!(
        check(&[
            "ctl EVENT=dispatch REQ=r1 HOSTS=vm",
            "ctl EVENT=run REQ=r1 TARGET=127.0.0.1:7443",
        ]),
        vec![]
    );
    // Registry addresses: as many runs as hosts.
    assert_eq!(
        check(&[
            "ctl EVENT=dispatch REQ=r1 HOSTS=web-01,db-01",
            "ctl EVENT=run REQ=r1 TARGET=10.0.0.5:7443",
            "ctl EVENT=run REQ=r1 TARGET=db-01:7443",
        ]),
        vec![]
    );
    // Two hosts listed, one run: still unfinished.
    assert_eq!(
        check(&[
            "ctl EVENT=dispatch REQ=r1 HOSTS=web-01,db-01",
            "ctl EVENT=run REQ=r1 TARGET=10.0.0.5:7443",
        ]),
        vec![(1, "incomplete")]
    );
}

#[test]
fn mapped_names_are_compared_strictly() {
    let aliases = [("db-01", "10.0.0.5"), ("db-03", "10.0.0.7")];
    let dispatch = "ctl EVENT=dispatch REQ=r1 HOSTS=db-01,db-02";
    let kept = check_with(
        &[
            dispatch,
            "ctl EVENT=run REQ=r1 TARGET=10.0.0.5:7443",
            "ctl EVENT=run REQ=r1 TARGET=db-02:7443",
        ],
        &aliases,
    );
    assert_eq!(codes(&kept), vec![]);
    let elsewhere = check_with(
        &[dispatch, "ctl EVENT=run REQ=r1 TARGET=10.0.0.7:7443"],
        &aliases,
    );
    assert_eq!(codes(&elsewhere), vec![(2, "sequence-violation")]);
    assert!(
        elsewhere[0].message.contains("db-03")
            && elsewhere[0]
                .message
                .contains("does not list (db-01, db-02)"),
        "{}",
        elsewhere[0].message
    );
}

#[test]
fn records_without_a_listing_stay_legal() {
    assert_eq!(check(&["ctl EVENT=run REQ=r9 TARGET=db-01:7443"]), vec![]);
    assert_eq!(check(&["ctl EVENT=item REQ=r9 NAME=x"]), vec![]);
}

#[test]
fn exact_names_without_hosts() {
    let batch = "ctl EVENT=batch REQ=b1 NAMES=x,y";
    assert_eq!(
        check(&[
            batch,
            "ctl EVENT=item REQ=b1 NAME=y",
            "ctl EVENT=item REQ=b1 NAME=x"
        ]),
        vec![]
    );
    // Not a host: no other spelling can stand for a listed name.
    assert_eq!(
        check(&[
            batch,
            "ctl EVENT=item REQ=b1 NAME=z",
            "ctl EVENT=item REQ=b1 NAME=x"
        ]),
        vec![(2, "sequence-violation")]
    );
    assert_eq!(
        check(&[batch, "ctl EVENT=item REQ=b1 NAME=x"]),
        vec![(1, "incomplete")]
    );
}
