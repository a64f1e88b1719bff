//! Snapshot regression of formats: the canonical rendering of every
//! documented event variant of every built-in spec, in each wire format
//! its record kind declares (the format's plain framing). The canonical
//! record is the simplest one the generators make (required fields only,
//! shortest values), so a change to a renderer, a reader's format or a
//! spec's events shows up as a reviewed diff of `snapshots/variants/*.snap`.
//! This file is a test of logspec-cli (its Cargo.toml points here).

use logspec_gen::{render, Framing, Generator, Sampler};
use std::fmt::Write;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    match Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2) {
        Some(root) => root.to_path_buf(),
        None => panic!("the crate is not two levels below the workspace root"),
    }
}

/// Every variant of `spec` rendered in `framing`, one `event/variant:`
/// entry each; the lines of a multi-line record indented below it.
fn rendered_variants(generator: &Generator, framing: Framing) -> String {
    let spec = generator.spec();
    let mut out = String::new();
    for (event, variant) in generator.variants() {
        let Ok(strategy) = generator.record(event, variant, framing.format()) else {
            continue; // a variant of another record kind
        };
        let mut sampler = Sampler::new(0);
        let record = sampler
            .simplest(&strategy)
            .unwrap_or_else(|error| panic!("{error}"));
        let text = render(framing, &record).unwrap_or_else(|error| panic!("{error}"));
        let event = &spec.events[event];
        let _ = write!(out, "{}/{}:", event.id, event.variants[variant].name);
        let mut lines = text.lines();
        let _ = writeln!(out, " {}", lines.next().unwrap_or_default());
        for line in lines {
            let _ = writeln!(out, "    {line}");
        }
    }
    out
}

#[test]
fn every_variant_of_every_builtin_in_each_format() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(workspace().join("snapshots/variants"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for builtin in logspec_spec::BUILTINS {
            let spec = builtin
                .load()
                .unwrap_or_else(|error| panic!("{error}"))
                .spec;
            let generator = Generator::new(&spec).unwrap_or_else(|error| panic!("{error}"));
            let mut formats = Vec::new();
            for framing in Framing::all_for(&spec) {
                let plain = Framing::default_of(framing.format());
                // Console kinds hold lines, not events.
                if !formats.contains(&plain) && generator.any_record(None, plain.format()).is_ok() {
                    formats.push(plain);
                }
            }
            for framing in formats {
                let name = format!("{}-{}", builtin.name, framing.format().name());
                insta::assert_snapshot!(name, rendered_variants(&generator, framing));
            }
        }
    });
}
