//! Why a value was refused, written out only when shown.
//!
//! A record is compared with every candidate variant of its event, and
//! most candidates refuse some value; only the chosen variant's refusals
//! reach a finding. Writing out the others (a list of the allowed values,
//! a pattern) was about a tenth of the instructions per line, so the
//! common refusals keep what they refer to and are formatted on display.

use logspec_spec::Pattern;
use std::fmt;

#[derive(Debug, Clone)]
pub enum Refusal<'c> {
    /// Not one of the values the type lists.
    NotOneOf(&'c [String]),
    /// Does not match the type's pattern.
    NoMatch(&'c Pattern),
    /// Any other reason, written out.
    Text(String),
}

impl fmt::Display for Refusal<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NotOneOf(values) => {
                f.write_str("not one of ")?;
                for (index, value) in values.iter().enumerate() {
                    if index > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{value:?}")?;
                }
                Ok(())
            }
            Refusal::NoMatch(pattern) => write!(f, "does not match /{}/", pattern.source()),
            Refusal::Text(text) => f.write_str(text),
        }
    }
}

/// Refusals are equal when of one kind and about the same values (a
/// pattern compared by its source, as it is shown).
impl PartialEq for Refusal<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Refusal::NotOneOf(a), Refusal::NotOneOf(b)) => a == b,
            (Refusal::NoMatch(a), Refusal::NoMatch(b)) => a.source() == b.source(),
            (Refusal::Text(a), Refusal::Text(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Refusal<'_> {}

impl From<String> for Refusal<'_> {
    fn from(text: String) -> Self {
        Refusal::Text(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_read_as_they_were_written_out() {
        let values = ["a".to_owned(), "b \"c\"".to_owned()];
        assert_eq!(
            Refusal::NotOneOf(&values).to_string(),
            r#"not one of "a", "b \"c\"""#
        );
        assert_eq!(Refusal::from("why".to_owned()).to_string(), "why");
    }
}
