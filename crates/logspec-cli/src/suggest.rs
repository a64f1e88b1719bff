//! "Did you mean": the closest of the names a user could have meant, for
//! every place the CLI resolves a name the user typed (spec, event,
//! subcommand page).

/// How similar (Jaro-Winkler, case-insensitive) a known name must be to
/// the typed one to be suggested: close enough for a typo or a changed
/// separator, not so loose that any name of the same length qualifies.
const THRESHOLD: f64 = 0.8;

/// The known name closest to `typed`, if one is close enough.
pub fn closest<'a>(typed: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let typed = typed.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for name in known {
        let score = strsim::jaro_winkler(&typed, &name.to_lowercase());
        if score >= THRESHOLD && best.is_none_or(|(top, _)| score > top) {
            best = Some((score, name));
        }
    }
    best.map(|(_, name)| name)
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
        assert_eq!(did_you_mean("runn", EVENTS), "; did you mean `run`?");
    }
}
