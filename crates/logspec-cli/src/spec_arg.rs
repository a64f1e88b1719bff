//! `--spec NAME|PATH`: a built-in name first, then a file path: a spec,
//! or an overlay naming one (`extends`) with parameter values.
//!
//! A built-in name never silently shadows a file of that name in the
//! current directory: when both exist the built-in is used and standard
//! error says so, and how to name the file instead (`./NAME`; a built-in
//! name holds no `/`, so a path with one is always a path).

use crate::{suggest, CliError};
use logspec_spec::{
    builtin, is_overlay, load_overlay_str, load_str, LoadError, LoadedSpec, Overlay, BUILTINS,
};
use std::path::Path;

/// The spec `--spec` names; an overlay file gives the spec it extends.
pub fn load(name_or_path: &str) -> Result<LoadedSpec, CliError> {
    load_overlaid(name_or_path).map(|(loaded, _)| loaded)
}

/// The spec `--spec` names, and the overlay it was named through, if one
/// was (a file with a top-level `extends`: see `logspec_spec::overlay`).
pub fn load_overlaid(name_or_path: &str) -> Result<(LoadedSpec, Option<Overlay>), CliError> {
    let path = Path::new(name_or_path);
    if let Some(builtin) = builtin(name_or_path) {
        if let Some(note) = shadow_note(name_or_path, path) {
            eprintln!("logspec: note: {note}");
        }
        return Ok((builtin.load()?, None));
    }
    if path.exists() {
        let text = read(path)?;
        if !is_overlay(&text) {
            return Ok((load_str(&text, &path.display().to_string())?, None));
        }
        let overlay = load_overlay_str(&text, &path.display().to_string())?;
        // The base: a built-in name, or a path from the overlay's folder.
        let base = match builtin(&overlay.extends) {
            Some(builtin) => builtin.load()?,
            None => {
                let base = path
                    .parent()
                    .unwrap_or(Path::new("."))
                    .join(&overlay.extends);
                if !base.exists() {
                    let names: Vec<&str> = BUILTINS.iter().map(|builtin| builtin.name).collect();
                    return Err(CliError::Usage(format!(
                        "overlay {}: `extends: {}` is no built-in spec ({}) and no file {}{}",
                        overlay.origin,
                        overlay.extends,
                        names.join(", "),
                        base.display(),
                        suggest::did_you_mean(&overlay.extends, names.iter().copied())
                    )));
                }
                let text = read(&base)?;
                if is_overlay(&text) {
                    return Err(CliError::Usage(format!(
                        "overlay {}: {} is an overlay too; an overlay extends a spec",
                        overlay.origin,
                        base.display()
                    )));
                }
                load_str(&text, &base.display().to_string())?
            }
        };
        return Ok((base, Some(overlay)));
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

fn read(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|source| {
        CliError::from(LoadError::Io {
            origin: path.display().to_string(),
            source,
        })
    })
}
