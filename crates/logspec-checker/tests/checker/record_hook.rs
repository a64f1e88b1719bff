//! `FindingSink::record`: every record classified as a documented event
//! variant reaches the sink with its fields in order, after its findings;
//! lines that are no such record do not.

use logspec_checker::record::Classification;
use logspec_checker::{CheckOptions, Checker, Finding, FindingSink, Plan};

#[derive(Default)]
struct Seen {
    /// "finding CODE" or "record EVENT/VARIANT K=V ..." in arrival order.
    log: Vec<String>,
    plan_names: Vec<Vec<String>>,
    event_ids: Vec<String>,
}

impl FindingSink for Seen {
    fn push(&mut self, finding: Finding) {
        self.log.push(format!("finding {}", finding.code.as_str()));
    }

    fn record<'a>(
        &mut self,
        classification: Classification,
        fields: &mut dyn Iterator<Item = (&'a str, &'a str)>,
    ) {
        let fields: Vec<String> = fields
            .map(|(key, value)| format!("{key}={value}"))
            .collect();
        self.log.push(format!(
            "record {}/{} {}",
            self.event_ids[classification.event],
            self.plan_names[classification.event][classification.variant],
            fields.join(" ")
        ));
    }

    fn wants_records(&self) -> bool {
        true
    }
}

#[test]
fn classified_records_reach_the_sink_with_their_fields_in_order() {
    let loaded = match logspec_spec::builtin("ctrl-exec").map(|builtin| builtin.load()) {
        Some(Ok(loaded)) => loaded,
        _ => panic!("built-in ctrl-exec spec does not load"),
    };
    let plan = Plan::new(&loaded.spec).expect("spec compiles");
    // On the reading thread, and on two others: the same entries.
    for threads in [1, 2] {
        check_hook(&plan, threads);
    }
}

fn check_hook(plan: &Plan, threads: usize) {
    let mut seen = Seen {
        event_ids: plan
            .events
            .iter()
            .map(|event| event.id.to_string())
            .collect(),
        plan_names: plan
            .events
            .iter()
            .map(|event| event.variants.iter().map(|v| v.name.to_string()).collect())
            .collect(),
        ..Seen::default()
    };
    let input = "ACTION=lock-acquire SCRIPT=backup HOST=db-01\n\
                 ACTION=no-such-event\n\
                 not a record\n\
                 ACTION=ping TARGET=web-01:7443 RESULT=ok RTT=42ms REQID=a1b2c3d4e5f60001 MSG=\"a b\"\n";
    let options = CheckOptions {
        threads,
        ..CheckOptions::default()
    };
    let mut checker = Checker::new(plan, options);
    if let Err(error) = checker.check_input("hook.log", input.as_bytes(), &mut seen) {
        panic!("reading from memory failed: {error}");
    }
    // Findings about the stream as a whole, if any, come after the records:
    // undocumented events too (once per event, with their count).
    assert!(seen.log.len() >= 5, "{:?}", seen.log);
    assert!(seen.log[5..]
        .iter()
        .all(|entry| entry.starts_with("finding")));
    assert!(seen.log[5..].contains(&"finding unknown-event".to_owned()));
    assert_eq!(
        seen.log[..5],
        [
            "finding field-order",
            "record lock-acquire/default ACTION=lock-acquire SCRIPT=backup HOST=db-01",
            "finding parse-error",
            "finding unexpected-field",
            "record ping/success ACTION=ping TARGET=web-01:7443 RESULT=ok RTT=42ms \
             REQID=a1b2c3d4e5f60001 MSG=a b",
        ]
    );
}
