//! Hostile input: the worst cases for a per-record check (one record of
//! very many tiny parts, in each wire format that has parts: key=value
//! fields, list items, RFC 5424 structured data, JSON members, Extended
//! JSON dates, OTLP records in one export, a multi-line record's lines;
//! the deepest nesting the JSON reader follows, a very long message) and
//! for the stream rules' state (more distinct keys than the cap). Each case
//! asserts its verdict, and that checking it takes time linear in its size.
//!
//! Linear, without flaky timing: a case is checked at a size `n` and at
//! `SCALE * n`, each timed by the thread's CPU time (so other processes on a
//! loaded machine do not count) as the fastest of three runs. A linear check
//! scales by about `SCALE` (less where fixed costs weigh at `n`), a
//! quadratic one by about `SCALE²`; the bound, `3 * SCALE`, sits a factor of
//! three from the first and ten from the second. With the duplicate-field
//! check as it was (each field compared with every earlier one), 32 times
//! the distinct fields took 670 times as long, and these tests failed.
//! A cost linear in the record but with a large constant (the edit distance
//! between a 1 MB message and every documented one) passes here; the
//! benchmark shows it: `ci/bench-hostile` measures the full-size cases
//! (1 MB lines, a million keys) in release mode, with time and peak memory.

use logspec_checker::rules::EngineOptions;
use logspec_checker::{CheckOptions, Checker, Code, Finding, FindingSink, Plan};
use logspec_reader::Format;
use rustix::time::{clock_gettime, ClockId};
use std::collections::BTreeMap;
use std::time::Duration;

const SCALE: u32 = 32;
const SYSLOG: &str = "Mar 13 12:00:01 ctl-01 ctrl-exec[12345]: ";
const HEXON: &str = r#"{"time":"2026-11-29T09:00:00.000Z","level":"INFO","event":"loadbalancer","msg":"backend added""#;

fn plan(name: &str) -> Plan {
    match logspec_spec::builtin(name).map(|builtin| builtin.load()) {
        Some(Ok(loaded)) => Plan::new(&loaded.spec).expect("spec compiles"),
        _ => panic!("built-in {name} spec does not load"),
    }
}

/// Counts findings per code and keeps the first of each, so a case of a
/// hundred thousand findings costs no memory here; and the records read.
#[derive(Default, Debug)]
struct Tally {
    counts: BTreeMap<&'static str, usize>,
    first: BTreeMap<&'static str, Finding>,
    records: u64,
}

impl Tally {
    fn count(&self, code: Code) -> usize {
        self.counts.get(code.as_str()).copied().unwrap_or(0)
    }

    /// Every code seen, with its count.
    fn codes(&self) -> Vec<(&'static str, usize)> {
        self.counts.iter().map(|(&code, &n)| (code, n)).collect()
    }
}

impl FindingSink for Tally {
    fn push(&mut self, finding: Finding) {
        let code = finding.code.as_str();
        *self.counts.entry(code).or_default() += 1;
        self.first.entry(code).or_insert(finding);
    }
}

fn check(plan: &Plan, options: &CheckOptions, input: &str) -> Tally {
    let mut checker = Checker::new(plan, options.clone());
    let mut tally = Tally::default();
    match checker.check_input("hostile", input.as_bytes(), &mut tally) {
        Ok(summary) => tally.records = summary.records,
        Err(error) => panic!("reading from memory failed: {error}"),
    }
    tally
}

/// The verdict on `input`, a single record that must be read (no
/// parse-error): what the large cases built around it are compared with.
fn read_verdict(plan: &Plan, options: &CheckOptions, input: &str) -> Vec<(&'static str, usize)> {
    let tally = check(plan, options, input);
    assert_eq!(tally.count(Code::ParseError), 0, "{:?}", tally.codes());
    assert_eq!(tally.records, 1, "{input}");
    tally.codes()
}

fn thread_cpu_time() -> Duration {
    let now = clock_gettime(ClockId::ThreadCPUTime);
    Duration::new(
        u64::try_from(now.tv_sec).unwrap_or(0),
        u32::try_from(now.tv_nsec).unwrap_or(0),
    )
}

/// Fastest of three checks of `input`, in thread CPU time.
fn cpu_time_to_check(plan: &Plan, options: &CheckOptions, input: &str) -> Duration {
    (0..3)
        .map(|_| {
            let start = thread_cpu_time();
            std::hint::black_box(check(plan, options, input));
            thread_cpu_time().saturating_sub(start)
        })
        .min()
        .unwrap_or_default()
}

/// Checks `build(n)` and `build(SCALE * n)`, hands each verdict to
/// `verdict` with its size, and asserts the time grew linearly.
fn assert_linear(
    name: &str,
    plan: &Plan,
    options: &CheckOptions,
    n: usize,
    build: impl Fn(usize) -> String,
    verdict: impl Fn(usize, &Tally),
) {
    let small = build(n);
    let large = build(SCALE as usize * n);
    verdict(n, &check(plan, options, &small));
    verdict(SCALE as usize * n, &check(plan, options, &large));
    let small_time = cpu_time_to_check(plan, options, &small);
    let large_time = cpu_time_to_check(plan, options, &large);
    let ratio = large_time.as_secs_f64() / small_time.as_secs_f64().max(1e-6);
    assert!(
        ratio < f64::from(3 * SCALE),
        "{name}: {} bytes took {large_time:?}, {} bytes {small_time:?}: {ratio:.0} times \
         as long for {SCALE} times the size",
        large.len(),
        small.len(),
    );
}

fn kv_fields(n: usize) -> String {
    let fields: String = (0..n).map(|i| format!(" K{i}=v")).collect();
    format!("{SYSLOG}ACTION=ping{fields}\n")
}

#[test]
fn a_line_of_many_tiny_fields() {
    let plan = plan("ctrl-exec");
    assert_linear(
        "kv-fields",
        &plan,
        &CheckOptions::default(),
        1_000,
        kv_fields,
        |n, tally| {
            // Each K field is undocumented for ping; nothing else changes.
            let baseline = check(&plan, &CheckOptions::default(), &kv_fields(0));
            assert_eq!(tally.count(Code::UnexpectedField), n, "{:?}", tally.codes());
            for (code, count) in baseline.codes() {
                if code != Code::UnexpectedField.as_str() {
                    assert_eq!(tally.counts.get(code), Some(&count), "{code}");
                }
            }
        },
    );
}

#[test]
fn a_line_of_one_field_repeated() {
    let plan = plan("ctrl-exec");
    assert_linear(
        "kv-repeated",
        &plan,
        &CheckOptions::default(),
        1_000,
        |n| format!("{SYSLOG}ACTION=ping{}\n", " A=1".repeat(n)),
        |n, tally| {
            assert_eq!(
                tally.count(Code::DuplicateField),
                n - 1,
                "{:?}",
                tally.codes()
            );
            // The first A is the one judged: undocumented for ping.
            assert_eq!(tally.count(Code::UnexpectedField), 1, "{:?}", tally.codes());
        },
    );
}

#[test]
fn a_list_field_of_many_items_each_a_rule_key() {
    let plan = plan("ctrl-exec");
    let dispatch = |n: usize| {
        let hosts: Vec<String> = (0..n).map(|i| format!("h{i}")).collect();
        format!(
            "{SYSLOG}ACTION=dispatch SCRIPT=backup HOSTS={} REQID=a1b2c3d4e5f60001\n",
            hosts.join(",")
        )
    };
    assert_linear(
        "kv-list",
        &plan,
        &CheckOptions::default(),
        500,
        dispatch,
        |n, tally| {
            // Every host is a valid list item, and each waits for its run:
            // one finding for the dispatch, counting them and naming a few.
            assert_eq!(tally.count(Code::InvalidValue), 0, "{:?}", tally.codes());
            let waiting = tally.first.values().find(|finding| {
                finding
                    .message
                    .starts_with("dispatch-reaches-every-host: REQID=a1b2c3d4e5f60001")
            });
            let Some(waiting) = waiting else {
                panic!("no unfinished dispatch: {:?}", tally.codes())
            };
            assert_eq!(tally.count(waiting.code), 1);
            // Lists longer than the engine follows say so.
            let followed = n.min(logspec_checker::rules::fan_out::MEMBERS);
            assert!(
                waiting
                    .message
                    .contains(&format!(" ended with {followed} of the {followed} members")),
                "{}",
                waiting.message
            );
            assert_eq!(
                waiting.message.contains("were not followed"),
                n > followed,
                "{}",
                waiting.message
            );
            // The cap is reported where the long list is.
            let capped = usize::from(n > followed);
            assert_eq!(
                tally.count(Code::StateEvicted),
                capped,
                "{:?}",
                tally.codes()
            );
            assert!(waiting.message.len() < 1_000, "{}", waiting.message);
        },
    );
}

#[test]
fn an_rfc5424_line_of_many_structured_data_elements() {
    let plan = plan("ctrl-exec");
    let line = |data: &str| {
        format!("<30>1 2026-03-13T12:00:01Z ctl-01 ctrl-exec 12345 - {data} ACTION=ping\n")
    };
    let elements = |n: usize| (0..n).map(|i| format!("[i{i}]")).collect::<String>();
    // Structured data is validated, not checked: the verdict is the one on
    // the line without any.
    let baseline = read_verdict(&plan, &CheckOptions::default(), &line("-"));
    assert_linear(
        "sd-elements",
        &plan,
        &CheckOptions::default(),
        1_000,
        |n| line(&elements(n)),
        |_, tally| {
            assert_eq!(tally.records, 1);
            assert_eq!(tally.codes(), baseline);
        },
    );
    // An SD-ID repeated after many others is still found.
    let repeated = check(
        &plan,
        &CheckOptions::default(),
        &line(&format!("{}[i7]", elements(1_000))),
    );
    assert_eq!(
        repeated.count(Code::ParseError),
        1,
        "{:?}",
        repeated.codes()
    );
    let refusal = &repeated.first[Code::ParseError.as_str()];
    assert!(refusal.message.contains("appears twice"), "{refusal:?}");
}

/// `options` with the input read as `format`.
fn as_format(format: Format) -> CheckOptions {
    CheckOptions {
        format: Some(format),
        ..CheckOptions::default()
    }
}

#[test]
fn an_otlp_export_of_many_records() {
    let plan = plan("hexon");
    let options = as_format(Format::OtlpJson);
    let record = r#"{"timeUnixNano":"1795942800000000000","severityNumber":9,"severityText":"INFO","body":{"stringValue":"backend added"},"attributes":[{"key":"event","value":{"stringValue":"loadbalancer"}},{"key":"pool_id","value":{"stringValue":"web"}},{"key":"backend_id","value":{"stringValue":"web-2"}},{"key":"address","value":{"stringValue":"10.0.0.12:8080"}}]}"#;
    let export = |n: usize| {
        let records = vec![record; n].join(",");
        format!(r#"{{"resourceLogs":[{{"scopeLogs":[{{"logRecords":[{records}]}}]}}]}}"#) + "\n"
    };
    // Each record is judged alone, as the one record of a one-record export
    // (2,560 records at the larger size: a line under the 1 MiB limit).
    let one = read_verdict(&plan, &options, &export(1));
    assert_linear("otlp-records", &plan, &options, 80, export, |n, tally| {
        assert_eq!(tally.records, n as u64);
        let each: Vec<_> = one.iter().map(|&(code, count)| (code, count * n)).collect();
        assert_eq!(tally.codes(), each);
    });
}

#[test]
fn a_logback_record_of_many_continuation_lines() {
    let plan = plan("prexorcloud");
    let options = as_format(Format::Logback);
    let head = "2026-05-10T14:02:11.453Z INFO [http-1] [requestId=abf12d49] api.groups -- create group=lobby parent=null\n";
    let trace = |n: usize| -> String {
        let frames: String = (0..n)
            .map(|i| format!("\tat com.example.Groups.create(Groups.java:{i})\n"))
            .collect();
        format!("{head}{frames}")
    };
    // A stack trace continues the record's message; it adds no finding
    // (9,600 lines at the larger size: under a record's 10,000).
    let alone = read_verdict(&plan, &options, head);
    assert_linear("logback-trace", &plan, &options, 300, trace, |_, tally| {
        assert_eq!(tally.records, 1, "the trace is one record");
        assert_eq!(tally.codes(), alone);
    });
}

#[test]
fn an_extended_json_entry_of_many_date_members() {
    let plan = plan("prexorcloud");
    let options = as_format(Format::ExtendedJson);
    let head = r#"{"_id":{"$oid":"663e2b0b9c1d4e5f6a7b8c01"},"createdAt":{"$date":"2026-05-10T14:02:03.322Z"},"requestId":"7c01e9aa","actor":{"userId":"663e1f009c1d4e5f6a7b0001","username":"alice","ip":"203.0.113.42"},"type":"auth.login.succeeded","target":"alice","detail":"password login","outcome":"SUCCESS""#;
    let entry = |n: usize| {
        let dates: String = (0..n)
            .map(|i| format!(r#","d{i}":{{"$date":"2026-05-10T14:02:03.322Z"}}"#))
            .collect();
        format!("{head}{dates}}}\n")
    };
    // The entry documents its members: each date member is one too many,
    // and nothing else changes.
    let alone = read_verdict(&plan, &options, &entry(0));
    assert_linear("extjson-dates", &plan, &options, 500, entry, |n, tally| {
        let mut expected: BTreeMap<&str, usize> = alone.iter().copied().collect();
        *expected.entry(Code::UnexpectedField.as_str()).or_default() += n;
        assert_eq!(tally.records, 1);
        assert_eq!(tally.counts, expected);
    });
}

/// The verdict on the plain Hexon entry, which tiny extra members must not
/// change: the entry allows further fields.
fn hexon_baseline(plan: &Plan) -> Vec<(&'static str, usize)> {
    check(plan, &CheckOptions::default(), &format!("{HEXON}}}\n")).codes()
}

#[test]
fn a_json_object_of_many_tiny_keys() {
    let plan = plan("hexon");
    let baseline = hexon_baseline(&plan);
    assert_linear(
        "json-keys",
        &plan,
        &CheckOptions::default(),
        1_000,
        |n| {
            let members: String = (0..n).map(|i| format!(r#","k{i}":0"#)).collect();
            format!("{HEXON}{members}}}\n")
        },
        |_, tally| assert_eq!(tally.codes(), baseline),
    );
}

#[test]
fn a_json_object_of_one_key_repeated() {
    let plan = plan("hexon");
    let baseline = hexon_baseline(&plan);
    assert_linear(
        "json-repeated",
        &plan,
        &CheckOptions::default(),
        1_000,
        |n| format!("{HEXON}{}}}\n", r#","pool_id":"web""#.repeat(n)),
        |n, tally| {
            assert_eq!(
                tally.count(Code::DuplicateField),
                n - 1,
                "{:?}",
                tally.codes()
            );
            // pool_id is there now: one missing field fewer.
            let missing = baseline
                .iter()
                .find(|(code, _)| *code == Code::MissingField.as_str())
                .map_or(0, |(_, n)| *n);
            assert_eq!(tally.count(Code::MissingField), missing.saturating_sub(1));
        },
    );
}

/// `depth` objects nested inside the entry, the innermost holding `n`
/// tiny members.
fn nested(depth: usize, n: usize) -> String {
    let opening: String = (0..depth)
        .map(|level| format!(r#","n{level}":{{"x":0"#))
        .collect();
    let members: String = (0..n).map(|i| format!(r#","k{i}":0"#)).collect();
    format!("{HEXON}{opening}{members}{}}}\n", "}".repeat(depth))
}

#[test]
fn the_deepest_nesting_allowed_holding_many_keys() {
    let plan = plan("hexon");
    let baseline = hexon_baseline(&plan);
    // The entry is the first level: 63 more reach the reader's 64.
    assert_linear(
        "json-deep",
        &plan,
        &CheckOptions::default(),
        500,
        |n| nested(63, n),
        |_, tally| assert_eq!(tally.codes(), baseline),
    );
    // One level deeper is a located parse error, not a crash or a silence
    // (after a plain entry, which settles the input's format as JSON lines).
    let input = format!("{HEXON}}}\n{}", nested(64, 1));
    let tally = check(&plan, &CheckOptions::default(), &input);
    let mut expected = baseline.clone();
    expected.push((Code::ParseError.as_str(), 1));
    expected.sort_unstable();
    assert_eq!(tally.codes(), expected);
    let finding = &tally.first[Code::ParseError.as_str()];
    assert!(finding.message.contains("64"), "{}", finding.message);
    assert!(finding.column.is_some());
}

#[test]
fn a_very_long_undocumented_message() {
    let plan = plan("hexon");
    assert_linear(
        "long-message",
        &plan,
        &CheckOptions::default(),
        20_000,
        |n| {
            format!(
                r#"{{"time":"2026-11-29T09:00:00.000Z","level":"INFO","event":"loadbalancer","msg":"{}"}}"#,
                "x".repeat(n)
            ) + "\n"
        },
        |_, tally| {
            assert_eq!(tally.codes(), [(Code::UnknownMessage.as_str(), 1)]);
            let finding = &tally.first[Code::UnknownMessage.as_str()];
            // Quoted shortened, with the closest documented messages.
            assert!(finding.message.len() < 1_000, "{}", finding.message);
            assert!(finding.message.contains("closest documented: "));
        },
    );
}

#[test]
fn more_distinct_keys_than_the_cap() {
    let plan = plan("ctrl-exec");
    const CAP: usize = 200;
    let options = CheckOptions {
        rules: EngineOptions {
            max_open_keys: CAP,
            ..EngineOptions::default()
        },
        ..CheckOptions::default()
    };
    // Each dispatch has its own REQID, syslog host and two target hosts.
    let stream = |n: usize| -> String {
        (0..n)
            .map(|i| {
                format!(
                    "Mar 13 12:00:01 h{i} ctrl-exec[12345]: ACTION=dispatch SCRIPT=backup \
                     HOSTS=a{i},b{i} REQID={i:016x}\n"
                )
            })
            .collect()
    };
    assert_linear("distinct-keys", &plan, &options, 300, stream, |n, tally| {
        let evicted = &tally.first[Code::StateEvicted.as_str()];
        // One key per dispatch (its REQID; the hosts are its fan-out); all
        // but the cap's worth were dropped.
        assert!(
            evicted.message.starts_with(&format!(
                "dispatch-reaches-every-host: {} open keys",
                n - CAP
            )),
            "{}",
            evicted.message
        );
        // Only the keys within the cap survive to be judged at the end.
        let unfinished = tally
            .first
            .values()
            .find(|finding| {
                finding
                    .message
                    .starts_with("dispatch-reaches-every-host: REQID=")
            })
            .map(|finding| tally.count(finding.code));
        assert_eq!(unfinished, Some(CAP), "{:?}", tally.codes());
    });
}

/// On several threads, a record whose findings would go over what a chunk
/// keeps (a few MB) is checked again on the reading thread, its findings
/// going straight to the sink: every finding still comes, in order, with
/// the records around it checked on the workers.
#[test]
fn a_record_of_more_findings_than_a_chunk_keeps_on_several_threads() {
    let plan = plan("ctrl-exec");
    let ordinary = format!("{SYSLOG}ACTION=ping TARGET=web-01:7443 RESULT=ok RTT=4ms\n");
    let input = [
        ordinary.repeat(3),
        kv_fields(20_000),
        ordinary.repeat(3),
        kv_fields(20_000),
    ]
    .concat();
    let findings = |threads: usize| {
        let options = CheckOptions {
            threads,
            chunk_records: 2,
            ..CheckOptions::default()
        };
        let mut findings: Vec<Finding> = Vec::new();
        let mut checker = Checker::new(&plan, options);
        if let Err(error) = checker.check_input("hostile", input.as_bytes(), &mut findings) {
            panic!("reading from memory failed: {error}");
        }
        findings
    };
    let one = findings(1);
    let unexpected = one
        .iter()
        .filter(|finding| finding.code == Code::UnexpectedField)
        .count();
    assert_eq!(unexpected, 40_000);
    assert!(one == findings(2), "two threads found otherwise");
}

/// On two threads, a chunk per record: each chunk's work stays its own. A
/// chunk's line counts were once handed back uncleared and reused, so
/// every chunk went over all earlier lines again (quadratic, with the same
/// findings: 135 times as long for 32 times the lines here).
#[test]
fn many_chunks_on_two_threads_stay_linear() {
    let plan = plan("ctrl-exec");
    let options = CheckOptions {
        threads: 2,
        chunk_records: 1,
        stream_rules: false,
        ..CheckOptions::default()
    };
    let stream = |n: usize| -> String {
        (0..n)
            .map(|i| {
                format!("{SYSLOG}ACTION=dispatch SCRIPT=backup HOSTS=a{i},b{i} REQID={i:016x}\n")
            })
            .collect()
    };
    assert_linear("many-chunks", &plan, &options, 300, stream, |_, tally| {
        assert!(tally.codes().is_empty(), "{:?}", tally.codes());
    });
}
