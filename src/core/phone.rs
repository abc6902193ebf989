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
        self.parse(input).map(|(e164, _)| e164)
    }

    /// The number in E.164 and what it is, from one parse.
    pub fn parse(&self, input: &str) -> Option<(String, Destination)> {
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
            phonenumber::is_valid(&number).then(|| {
                (
                    number.format().mode(Mode::E164).to_string(),
                    classify(&number),
                )
            })
        })
        .ok()
        .flatten()
    }

    /// Loads the parser's metadata now rather than on the first user's request.
    pub fn warm_up(&self) {
        let _ = self.normalize("+447911123456");
    }
}

/// An example mobile number of `region` in international form (`+47 412 34 567`), from the
/// parser's metadata, for the hint beside the number field.
pub fn example(region: &str) -> Option<String> {
    let meta = phonenumber::metadata::DATABASE.by_id(region)?;
    let national = meta.descriptors().mobile()?.example()?;
    let number = phonenumber::parse(None, format!("+{}{national}", meta.country_code())).ok()?;
    Some(number.format().mode(Mode::International).to_string())
}

/// What an E.164 number is, as far as sending it an SMS goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Destination {
    /// The number type, by its config name (`mobile`, `premium_rate`, …).
    pub kind: &'static str,
    /// The two-letter region, when the number belongs to one.
    pub region: Option<String>,
}

/// Classifies a number already normalized to E.164.
pub fn destination(e164: &str) -> Destination {
    let owned = e164.to_owned();
    std::panic::catch_unwind(move || Some(classify(&phonenumber::parse(None, &owned).ok()?)))
        .ok()
        .flatten()
        .unwrap_or(Destination {
            kind: "unknown",
            region: None,
        })
}

fn classify(number: &phonenumber::PhoneNumber) -> Destination {
    let database = &phonenumber::metadata::DATABASE;
    Destination {
        kind: type_name(number.number_type(database)),
        region: region_of(number, database),
    }
}

/// The region whose numbering plan holds the number. The crate's own answer goes by leading
/// digits alone (it calls +44 7911… Guernsey's); here the first plan whose pattern holds the
/// number, the main region of the country code first.
fn region_of(
    number: &phonenumber::PhoneNumber,
    database: &phonenumber::metadata::Database,
) -> Option<String> {
    let national = number.national().value().to_string();
    let mut plans: Vec<_> = database
        .by_code(&number.code().value())?
        .into_iter()
        .collect();
    plans.sort_by_key(|m| !m.is_main_country_for_code());
    plans
        .into_iter()
        .find(|m| m.descriptors().general().is_match(&national))
        .map(|m| m.id().to_owned())
        .filter(|id| id != "001")
}

fn type_name(kind: phonenumber::Type) -> &'static str {
    use phonenumber::Type;
    match kind {
        Type::Mobile => "mobile",
        Type::FixedLineOrMobile => "fixed_line_or_mobile",
        Type::FixedLine => "fixed_line",
        Type::TollFree => "toll_free",
        Type::PremiumRate => "premium_rate",
        Type::SharedCost => "shared_cost",
        Type::PersonalNumber => "personal_number",
        Type::Voip => "voip",
        Type::Pager => "pager",
        Type::Uan => "uan",
        Type::Voicemail => "voicemail",
        _ => "unknown",
    }
}

/// The number range a number belongs to: all but its last three digits.
pub fn range(e164: &str) -> &str {
    &e164[..e164.len().saturating_sub(3)]
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
    fn destinations_are_classified() {
        let mobile = destination("+447911123456");
        assert_eq!(mobile.kind, "mobile");
        assert_eq!(mobile.region.as_deref(), Some("GB"));
        assert_eq!(destination("+449090901234").kind, "premium_rate");
        assert_eq!(destination("+4780012345").kind, "toll_free");
        assert_eq!(destination("+442079460123").kind, "fixed_line");
        assert_eq!(destination("+4741234567").region.as_deref(), Some("NO"));
        assert_eq!(destination("garbage").kind, "unknown");
    }

    #[test]
    fn range_drops_the_last_three_digits() {
        assert_eq!(range("+447911123456"), "+447911123");
    }

    #[test]
    fn mask_hides_the_middle() {
        assert_eq!(mask("+447911123456"), "+44 ••• 456");
    }
}
