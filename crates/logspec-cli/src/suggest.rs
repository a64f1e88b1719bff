//! "Did you mean": the closest of the names a user could have meant, for
//! every place the CLI resolves a name the user typed (spec, event,
//! subcommand page).

/// How similar (Jaro-Winkler, case-insensitive) a known name must be to
/// the typed one to be suggested: close enough for a typo or a changed
/// separator, not so loose that any name of the same length qualifies.
const THRESHOLD: f64 = 0.8;

/// Typed names at least this long are also matched by one edit (a letter
/// added, dropped, changed or two swapped), which Jaro-Winkler undervalues
/// in short names (`rnu` for `run`).
const ONE_EDIT_FROM: usize = 3;

/// The known name closest to `typed`, if one is close enough: the fewest
/// edits away, then the most similar.
pub fn closest<'a>(typed: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let typed = typed.to_lowercase();
    let mut best: Option<(usize, f64, &str)> = None;
    for name in known {
        let lower = name.to_lowercase();
        let similarity = strsim::jaro_winkler(&typed, &lower);
        let edits = strsim::damerau_levenshtein(&typed, &lower);
        let close =
            similarity >= THRESHOLD || (edits <= 1 && typed.chars().count() >= ONE_EDIT_FROM);
        let better = best.is_none_or(|(fewest, most, _)| {
            edits < fewest || (edits == fewest && similarity > most)
        });
        if close && better {
            best = Some((edits, similarity, name));
        }
    }
    best.map(|(_, _, name)| name)
}

/// `"; did you mean `NAME`?"` for the closest known name, or nothing: the
/// tail of an error message about `typed`.
pub fn did_you_mean<'a>(typed: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    closest(typed, known)
        .map(|name| format!("; did you mean `{name}`?"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVENTS: [&str; 4] = ["dispatch", "run", "lock-acquire", "lock-release"];

    #[test]
    fn a_typo_finds_its_name() {
        assert_eq!(closest("dispach", EVENTS), Some("dispatch"));
        assert_eq!(closest("lock-releas", EVENTS), Some("lock-release"));
        assert_eq!(closest("LOCK-ACQUIRE", EVENTS), Some("lock-acquire"));
        assert_eq!(
            closest("ctrl-exe", ["ctrl-exec", "hexon"]),
            Some("ctrl-exec")
        );
    }

    #[test]
    fn an_unrelated_name_finds_none() {
        assert_eq!(closest("zebra", EVENTS), None);
        assert_eq!(closest("", EVENTS), None);
        assert_eq!(closest("anything", []), None);
        assert_eq!(did_you_mean("zebra", EVENTS), "");
    }

    #[test]
    fn the_hint_quotes_the_name() {
        assert_eq!(did_you_mean("rnu", EVENTS), "; did you mean `run`?");
        assert_eq!(closest("lock-acquir", EVENTS), Some("lock-acquire"));
        // One edit is not enough in a name too short to tell.
        assert_eq!(closest("ru", ["rx"]), None);
    }
}
