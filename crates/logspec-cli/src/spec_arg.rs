//! `--spec NAME|PATH`: a built-in name first, then a file path.
//!
//! A built-in name never silently shadows a file of that name in the
//! current directory: when both exist the built-in is used and standard
//! error says so, and how to name the file instead (`./NAME`; a built-in
//! name holds no `/`, so a path with one is always a path).

use crate::{suggest, CliError};
use logspec_spec::{builtin, load_path, LoadedSpec, BUILTINS};
use std::path::Path;

pub fn load(name_or_path: &str) -> Result<LoadedSpec, CliError> {
    let path = Path::new(name_or_path);
    if let Some(builtin) = builtin(name_or_path) {
        if let Some(note) = shadow_note(name_or_path, path) {
            eprintln!("logspec: note: {note}");
        }
        return Ok(builtin.load()?);
    }
    if path.exists() {
        return Ok(load_path(path)?);
    }
    let names: Vec<&str> = BUILTINS.iter().map(|builtin| builtin.name).collect();
    Err(CliError::Usage(format!(
        "no built-in spec or file named {name_or_path:?} (built-in: {}){}",
        names.join(", "),
        suggest::did_you_mean(name_or_path, names.iter().copied())
    )))
}

/// What to tell when the built-in `name` is used while `path` (the same
/// name, relative to the current directory) exists too.
fn shadow_note(name: &str, path: &Path) -> Option<String> {
    let metadata = path.symlink_metadata().ok()?;
    let what = if metadata.is_dir() {
        "directory"
    } else {
        "file"
    };
    Some(format!(
        "`{name}` is the built-in spec {name}, used here; the {what} {name} in the current \
         directory is not read (give it as ./{name} to use it)"
    ))
}
