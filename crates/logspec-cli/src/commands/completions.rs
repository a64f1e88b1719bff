//! `logspec completions SHELL` and `logspec man [SUBCOMMAND]`: shell
//! completions and man pages generated from the CLI definition itself
//! (clap_complete, clap_mangen), so they cannot drift from the options.

use crate::{suggest, CliError, Verdict};

#[derive(clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

#[derive(clap::Args)]
pub struct ManArgs {
    /// The subcommand whose page to write (`logspec-check(1)` and so on);
    /// without one, the page of `logspec` itself
    subcommand: Option<String>,
}

pub fn completions(args: CompletionsArgs, mut command: clap::Command) -> Result<Verdict, CliError> {
    // Generated into memory first: clap_complete panics when its writer
    // fails (a closed pipe), where a write error must be an exit status.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "logspec", &mut script);
    crate::write_stdout(&script)?;
    Ok(Verdict::Pass)
}

pub fn man(args: ManArgs, command: clap::Command) -> Result<Verdict, CliError> {
    // Built as clap_mangen's own `generate_to` builds it, so subcommands
    // get their full names (`logspec-check`), as the top page cites them.
    let mut command = command.disable_help_subcommand(true);
    command.build();
    let page = match &args.subcommand {
        None => command,
        Some(name) => {
            let names: Vec<&str> = command
                .get_subcommands()
                .filter(|sub| !sub.is_hide_set())
                .map(clap::Command::get_name)
                .collect();
            let Some(sub) = command
                .find_subcommand(name)
                .filter(|sub| !sub.is_hide_set())
            else {
                return Err(CliError::Usage(format!(
                    "logspec has no subcommand {name:?} (it has {}){}",
                    names.join(", "),
                    suggest::did_you_mean(name, names.iter().copied())
                )));
            };
            sub.clone()
        }
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut roff)
        .map_err(CliError::Output)?;
    crate::write_stdout(&roff)?;
    Ok(Verdict::Pass)
}
