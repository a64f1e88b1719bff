//! `logspec specs`: the built-in specs and what they encode.

use crate::{CliError, Verdict};
use logspec_spec::BUILTINS;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> Result<Verdict, CliError> {
    for builtin in BUILTINS {
        let loaded = builtin.load()?;
        let spec = &loaded.spec;
        let variants: usize = spec.events.iter().map(|event| event.variants.len()).sum();
        println!(
            "{:<14} {} events, {} variants — {}",
            builtin.name,
            spec.events.len(),
            variants,
            spec.document.title
        );
    }
    Ok(Verdict::Pass)
}
