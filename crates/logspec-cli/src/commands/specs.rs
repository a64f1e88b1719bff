//! `logspec specs`: the built-in specs and what they encode.

use crate::{CliError, Verdict};
use logspec_spec::BUILTINS;
use std::fmt::Write as _;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> Result<Verdict, CliError> {
    let mut out = String::new();
    for builtin in BUILTINS {
        let loaded = builtin.load()?;
        let spec = &loaded.spec;
        let variants: usize = spec.events.iter().map(|event| event.variants.len()).sum();
        let _ = writeln!(
            out,
            "{:<14} {} events, {} variants — {}",
            builtin.name,
            spec.events.len(),
            variants,
            spec.document.title
        );
    }
    crate::write_stdout(out.as_bytes())?;
    Ok(Verdict::Pass)
}
