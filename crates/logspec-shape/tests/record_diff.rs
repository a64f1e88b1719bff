//! Recording and comparing shapes through the library, on the built-in
//! ctrl-exec spec: what is recorded per field, and the changes the CLI
//! tests do not reach.

use logspec_checker::Plan;
use logspec_shape::{diff, ChangeKind, Impact, Presence, Recorder, Shapes};

fn plan() -> Plan {
    match logspec_spec::builtin("ctrl-exec").map(|builtin| builtin.load()) {
        Some(Ok(loaded)) => Plan::new(&loaded.spec).expect("spec compiles"),
        _ => panic!("built-in ctrl-exec spec does not load"),
    }
}

fn shapes(plan: &Plan, logs: &str) -> Shapes {
    let mut recorder = Recorder::new(plan, 1 << 20);
    if let Err(error) = recorder.read(logs.as_bytes()) {
        panic!("reading from memory failed: {error}");
    }
    recorder.finish()
}

#[test]
fn fields_are_recorded_with_presence_classes_and_order() {
    let plan = plan();
    let recorded = shapes(
        &plan,
        "ACTION=revoked-serials-absent PATH=/etc/revoked REASON=\"file not found\"\n\
         ACTION=revoked-serials-absent PATH=/etc/revoked\n\
         not a record\n\
         ACTION=no-such-event X=1\n",
    );
    let shape = &recorded.events["revoked-serials-absent"]["default"];
    assert_eq!(shape.order, ["ACTION", "PATH", "REASON"]);
    let reason = &shape.fields["REASON"];
    assert_eq!(reason.presence, Presence::Sometimes);
    assert_eq!(reason.classes.iter().collect::<Vec<_>>(), ["text"]);
    assert_eq!(
        reason.preceded_by.iter().collect::<Vec<_>>(),
        ["ACTION", "PATH"]
    );
    assert_eq!(shape.fields["PATH"].presence, Presence::Always);
    // Lines that are not records of a documented event are not shapes.
    assert_eq!(recorded.events.len(), 1);
}

#[test]
fn a_field_now_always_present_and_a_variant_not_seen_are_compatible() {
    let plan = plan();
    let before = shapes(
        &plan,
        "ACTION=revoked-serials-absent PATH=/etc/revoked REASON=\"file not found\"\n\
         ACTION=revoked-serials-absent PATH=/etc/revoked\n\
         ACTION=lock-acquire HOST=db-01 SCRIPT=backup\n",
    );
    let after = shapes(
        &plan,
        "ACTION=revoked-serials-absent PATH=/etc/revoked REASON=\"file not found\"\n",
    );
    let changes = diff(&before, &after, &plan);
    let kinds: Vec<(Impact, ChangeKind, String)> = changes
        .iter()
        .map(|change| (change.impact, change.kind, change.label()))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                Impact::Compatible,
                ChangeKind::VariantNotSeen,
                "lock-acquire".to_owned()
            ),
            (
                Impact::Compatible,
                ChangeKind::FieldNowAlways,
                "revoked-serials-absent".to_owned()
            ),
        ]
    );
    assert!(diff(&after, &after, &plan).is_empty());
}

#[test]
fn a_shape_file_reads_back_as_written() {
    let plan = plan();
    let recorded = shapes(&plan, "ACTION=lock-acquire HOST=db-01 SCRIPT=backup\n");
    let text = recorded.to_json();
    match Shapes::from_json(&text, "ctrl-exec") {
        Ok(again) => assert_eq!(again, recorded),
        Err(error) => panic!("{error}"),
    }
    let error = Shapes::from_json(&text, "other").map(|_| ());
    assert!(matches!(
        error,
        Err(logspec_shape::ShapeError::SpecMismatch { .. })
    ));
    let unknown_key = text.replacen("\"spec\"", "\"extra\": 1, \"spec\"", 1);
    assert!(matches!(
        Shapes::from_json(&unknown_key, "ctrl-exec"),
        Err(logspec_shape::ShapeError::Parse(_))
    ));
}
