//! Domain rules every door applies the same way: what an SMS sender name may be, and how much
//! a relying party may stash in a session's parameters.

pub const SENDER_RULE: &str =
    "must be 1 to 11 letters, digits, spaces, '.', '-' or '&' (an SMS sender name)";

/// SMS sender names: what networks accept as an alphanumeric sender, and nothing that could
/// break the message into extra lines.
pub fn valid_sender(s: &str) -> bool {
    (1..=11).contains(&s.chars().count())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '-' | '&'))
        && !s.starts_with(' ')
        && !s.ends_with(' ')
}

/// How many parameters a session keeps, and how long their names and values may be
/// (characters, as the messages and the REST API's `maxLength` say).
pub const MAX_PARAMETERS: usize = 20;
pub const MAX_PARAMETER_NAME: usize = 64;
pub const MAX_PARAMETER_VALUE: usize = 256;

/// Whether one more parameter fits, given how many a session holds already.
pub fn parameter_fits(held: usize, name: &str, value: &str) -> Result<(), ParameterRule> {
    if held >= MAX_PARAMETERS {
        return Err(ParameterRule::TooMany);
    }
    if name.chars().count() > MAX_PARAMETER_NAME || value.chars().count() > MAX_PARAMETER_VALUE {
        return Err(ParameterRule::TooLong);
    }
    Ok(())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParameterRule {
    #[error("at most {MAX_PARAMETERS} parameters")]
    TooMany,
    #[error(
        "keys are at most {MAX_PARAMETER_NAME} and values at most {MAX_PARAMETER_VALUE} characters"
    )]
    TooLong,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sender_names_and_parameter_limits() {
        assert!(valid_sender("Demo Shop"));
        assert!(!valid_sender("Demo\nShop"));
        assert!(!valid_sender(" lead"));
        assert!(!valid_sender("twelve chars"));
        assert_eq!(parameter_fits(0, "a", "b"), Ok(()));
        assert_eq!(parameter_fits(20, "a", "b"), Err(ParameterRule::TooMany));
        let long = "x".repeat(257);
        assert_eq!(parameter_fits(0, "a", &long), Err(ParameterRule::TooLong));
        assert_eq!(parameter_fits(0, "a", &"é".repeat(256)), Ok(()));
    }
}
