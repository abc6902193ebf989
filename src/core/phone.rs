//! Phone numbers: whatever the user typed, normalized to E.164 or refused.

use phonenumber::{Mode, country};

/// Longest input we hand to the parser; real numbers with spacing fit easily.
const MAX_INPUT: usize = 40;

#[derive(Clone, Copy, Debug)]
pub struct PhonePolicy {
    pub default_region: country::Id,
}

impl PhonePolicy {
    pub fn new(default_region: &str) -> Option<PhonePolicy> {
        Some(PhonePolicy {
            default_region: default_region.to_ascii_uppercase().parse().ok()?,
        })
    }

    /// The number in E.164 (`+447911123456`), or `None` when it is not a valid number.
    pub fn normalize(&self, input: &str) -> Option<String> {
        let input = input.trim();
        if input.is_empty() || input.len() > MAX_INPUT || input.chars().any(char::is_control) {
            return None;
        }
        let region = self.default_region;
        let owned = input.to_owned();
        // The parser is third-party code fed with hostile input: a panic there must not take
        // the request down with it.
        std::panic::catch_unwind(move || {
            let number = phonenumber::parse(Some(region), &owned).ok()?;
            phonenumber::is_valid(&number).then(|| number.format().mode(Mode::E164).to_string())
        })
        .ok()
        .flatten()
    }

    /// Loads the parser's metadata now rather than on the first user's request.
    pub fn warm_up(&self) {
        let _ = self.normalize("+447911123456");
    }
}

/// The number as shown back to the user: country code and last digits, the middle hidden.
pub fn mask(e164: &str) -> String {
    let digits: Vec<char> = e164.chars().collect();
    if digits.len() <= 6 {
        return e164.to_owned();
    }
    let tail: String = digits[digits.len() - 3..].iter().collect();
    let head: String = digits[..3].iter().collect();
    format!("{head} ••• {tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gb() -> PhonePolicy {
        PhonePolicy::new("GB").unwrap()
    }

    #[test]
    fn national_and_international_forms_normalize() {
        assert_eq!(
            gb().normalize("07911 123456").as_deref(),
            Some("+447911123456")
        );
        assert_eq!(
            gb().normalize("+44 7911 123456").as_deref(),
            Some("+447911123456")
        );
        assert_eq!(
            gb().normalize("+47 412 34 567").as_deref(),
            Some("+4741234567")
        );
    }

    #[test]
    fn garbage_is_refused() {
        for bad in [
            "",
            "abc",
            "+1",
            "12",
            "+44 7911 123456 999 999 999 999 999 999 99",
            "+44\n7700900123",
            "++++",
            "+0",
        ] {
            assert_eq!(gb().normalize(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn unknown_region_is_refused() {
        assert!(PhonePolicy::new("XX").is_none());
        assert!(PhonePolicy::new("no").is_some());
    }

    #[test]
    fn mask_hides_the_middle() {
        assert_eq!(mask("+447911123456"), "+44 ••• 456");
    }
}
