//! A transaction the user approves with the code (PSD2 dynamic linking, RTS Art. 5): an
//! amount in a currency, a payee, and optionally the relying party's own text and reference.
//! The code's keyed hash covers the confirmation's digest, so a code issued for one
//! transaction never verifies another, and any change to it invalidates the code.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::Duration;

use super::lang::Lang;

pub const MAX_PAYEE: usize = 70;
pub const MAX_TEXT: usize = 300;
pub const MAX_REFERENCE: usize = 64;
/// Where the code goes in a relying party's text.
pub const CODE_MARK: &str = "{code}";
/// RTS Art. 4: a code lives at most five minutes and five wrong codes end the attempt.
pub const MAX_TTL: Duration = Duration::minutes(5);
pub const MAX_ATTEMPTS: u8 = 5;
/// The RFC 9396 `authorization_details` types a confirmation can carry.
pub const DETAILS_TYPES: [&str; 1] = ["payment_initiation"];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    /// A decimal string with exactly the currency's minor units (`50.00`, `1200`, `3.500`).
    pub amount: String,
    /// ISO 4217, upper case.
    pub currency: String,
    pub payee: String,
    pub text: Option<String>,
    pub reference: Option<String>,
}

/// What is wrong with a confirmation, naming its field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {why}")]
pub struct ConfirmError {
    pub field: &'static str,
    pub why: String,
}

fn refuse(field: &'static str, why: impl Into<String>) -> ConfirmError {
    ConfirmError {
        field,
        why: why.into(),
    }
}

/// What a relying party asks the user to confirm, before it is checked.
#[derive(Clone, Debug, Default)]
pub struct Requested<'a> {
    pub amount: &'a str,
    pub currency: &'a str,
    pub payee: &'a str,
    pub text: Option<&'a str>,
    pub reference: Option<&'a str>,
}

impl Confirmation {
    pub fn new(requested: Requested<'_>) -> Result<Confirmation, ConfirmError> {
        let currency = requested.currency.trim().to_ascii_uppercase();
        let exponent = iso_currency::Currency::from_code(&currency)
            .and_then(|c| c.exponent())
            .ok_or_else(|| refuse("currency", "must be an ISO 4217 currency code such as EUR"))?;
        let amount = canonical_amount(requested.amount, exponent.into())
            .map_err(|why| refuse("amount", why))?;
        let payee = requested.payee;
        if payee.trim().is_empty() || payee.chars().count() > MAX_PAYEE {
            return Err(refuse(
                "payee",
                format!("must be 1 to {MAX_PAYEE} characters"),
            ));
        }
        if !printable(payee) {
            return Err(refuse(
                "payee",
                "must be printable text on one line (no control or direction characters)",
            ));
        }
        if let Some(text) = requested.text {
            if text.trim().is_empty() || text.chars().count() > MAX_TEXT {
                return Err(refuse(
                    "text",
                    format!("must be 1 to {MAX_TEXT} characters"),
                ));
            }
            if !printable(text) {
                return Err(refuse(
                    "text",
                    "must be printable text on one line (no control or direction characters)",
                ));
            }
            if text.matches(CODE_MARK).count() > 1 {
                return Err(refuse(
                    "text",
                    format!("may contain {CODE_MARK} once, where the code goes"),
                ));
            }
        }
        if let Some(reference) = requested.reference
            && (reference.is_empty()
                || reference.chars().count() > MAX_REFERENCE
                || !printable(reference))
        {
            return Err(refuse(
                "reference",
                format!("must be 1 to {MAX_REFERENCE} printable characters"),
            ));
        }
        Ok(Confirmation {
            amount,
            currency,
            payee: payee.to_owned(),
            text: requested.text.map(str::to_owned),
            reference: requested.reference.map(str::to_owned),
        })
    }

    /// A confirmation of a message rather than a payment (HID's AT_TXOOB): the code is bound
    /// to the text, which says where the code goes, and to the relying party's correlation id.
    /// Amount, currency and payee stay empty.
    pub fn message(text: &str, reference: Option<&str>) -> Result<Confirmation, ConfirmError> {
        if text.trim().is_empty() || text.chars().count() > MAX_TEXT || !printable(text) {
            return Err(refuse(
                "text",
                format!("must be 1 to {MAX_TEXT} printable characters on one line"),
            ));
        }
        if text.matches(CODE_MARK).count() != 1 {
            return Err(refuse(
                "text",
                format!("must contain {CODE_MARK} once, where the code goes"),
            ));
        }
        if let Some(reference) = reference
            && (reference.is_empty()
                || reference.chars().count() > MAX_REFERENCE
                || !printable(reference))
        {
            return Err(refuse(
                "reference",
                format!("must be 1 to {MAX_REFERENCE} printable characters"),
            ));
        }
        Ok(Confirmation {
            amount: String::new(),
            currency: String::new(),
            payee: String::new(),
            text: Some(text.to_owned()),
            reference: reference.map(str::to_owned),
        })
    }

    /// The same confirmation with another reference: what a caller that repeats only the
    /// reference presents.
    pub fn with_reference(&self, reference: Option<&str>) -> Confirmation {
        Confirmation {
            reference: reference.map(str::to_owned),
            ..self.clone()
        }
    }

    /// SHA-256 (base64url, no padding) of the fields, one per line in this order: amount,
    /// currency, payee, text, reference; an absent field is an empty line. No field can hold a
    /// line break, so the lines cannot be shifted into one another.
    pub fn digest(&self) -> String {
        let canonical = [
            self.amount.as_str(),
            &self.currency,
            &self.payee,
            self.text.as_deref().unwrap_or(""),
            self.reference.as_deref().unwrap_or(""),
        ]
        .join("\n");
        URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
    }

    /// The amount as the page's language writes it, with the currency code: `1,234.50 EUR`
    /// in English, `1.234,50 EUR` in German, `1 234,50 EUR` in Norwegian.
    pub fn display_amount(&self, lang: Lang) -> String {
        let (int, frac) = match self.amount.split_once('.') {
            Some((int, frac)) => (int, Some(frac)),
            None => (self.amount.as_str(), None),
        };
        let (group, decimal) = separators(lang);
        let mut grouped = String::new();
        for (i, digit) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(group);
            }
            grouped.push(digit);
        }
        match frac {
            Some(frac) => format!("{grouped}{decimal}{frac} {}", self.currency),
            None => format!("{grouped} {}", self.currency),
        }
    }

    /// The relying party's text with the code in its place, when the text says where the
    /// code goes; a text without `{code}` is shown on the page, and the message is ours.
    pub fn text_with(&self, code: &str) -> Option<String> {
        self.text
            .as_ref()
            .filter(|t| t.contains(CODE_MARK))
            .map(|t| t.replace(CODE_MARK, code))
    }
}

/// Thousands and decimal separators: the conventions of each language's main countries.
fn separators(lang: Lang) -> (char, char) {
    match lang {
        Lang::En => (',', '.'),
        Lang::De | Lang::Da | Lang::Nl | Lang::It | Lang::Es | Lang::El => ('.', ','),
        // A no-break space, so the amount never wraps.
        Lang::Nb | Lang::Sv | Lang::Fi | Lang::Fr | Lang::Pl => ('\u{a0}', ','),
    }
}

/// Digits with an optional fraction of at most `exponent` digits, above zero; written back
/// with exactly `exponent` fraction digits and no leading zeros.
fn canonical_amount(amount: &str, exponent: usize) -> Result<String, String> {
    let rule = || {
        if exponent == 0 {
            "must be a whole number above zero, such as 500".to_owned()
        } else {
            format!(
                "must be a decimal number above zero with at most {exponent} decimals, such as 50.{}",
                "0".repeat(exponent)
            )
        }
    };
    let (int, frac) = amount.split_once('.').unwrap_or((amount, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty()
        || !digits(int)
        || !digits(frac)
        || frac.len() > exponent
        || (amount.contains('.') && frac.is_empty())
    {
        return Err(rule());
    }
    let int = int.trim_start_matches('0');
    if int.len() > 15 {
        return Err("is too large".into());
    }
    let frac = format!("{frac:0<exponent$}");
    if int.is_empty() && frac.bytes().all(|b| b == b'0') {
        return Err(rule());
    }
    let int = if int.is_empty() { "0" } else { int };
    Ok(if exponent == 0 {
        int.to_owned()
    } else {
        format!("{int}.{frac}")
    })
}

/// One line of text a user can read as it is: no control characters, and none of the
/// invisible direction or joining marks that could make a payee look like another.
fn printable(text: &str) -> bool {
    !text.chars().any(|c| {
        c.is_control()
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(amount: &str) -> Result<Confirmation, ConfirmError> {
        Confirmation::new(Requested {
            amount,
            currency: "eur",
            payee: "ExamplePayee",
            ..Requested::default()
        })
    }

    #[test]
    fn amounts_take_the_currency_minor_units() {
        assert_eq!(eur("50").unwrap().amount, "50.00");
        assert_eq!(eur("050.5").unwrap().amount, "50.50");
        assert_eq!(eur("0.01").unwrap().amount, "0.01");
        for bad in [
            "-5", "0", "0.00", "1.234", "1,50", "", ".5", "5.", "1e3", "+5",
        ] {
            assert_eq!(eur(bad).unwrap_err().field, "amount", "{bad}");
        }
        let yen = |amount| {
            Confirmation::new(Requested {
                amount,
                currency: "JPY",
                payee: "Shop",
                ..Requested::default()
            })
        };
        assert_eq!(yen("500").unwrap().amount, "500");
        assert!(yen("500.5").is_err());
    }

    #[test]
    fn every_field_is_checked_by_name() {
        let base = Requested {
            amount: "1",
            currency: "EUR",
            payee: "Shop",
            ..Requested::default()
        };
        let field = |r: Requested| Confirmation::new(r).unwrap_err().field;
        assert_eq!(
            field(Requested {
                currency: "XXQ",
                ..base.clone()
            }),
            "currency"
        );
        assert_eq!(
            field(Requested {
                currency: "XAU",
                ..base.clone()
            }),
            "currency"
        );
        assert_eq!(
            field(Requested {
                payee: "",
                ..base.clone()
            }),
            "payee"
        );
        assert_eq!(
            field(Requested {
                payee: "Shop\nPay",
                ..base.clone()
            }),
            "payee"
        );
        assert_eq!(
            field(Requested {
                payee: "Shop\u{202e}",
                ..base.clone()
            }),
            "payee"
        );
        let long = "x".repeat(71);
        assert_eq!(
            field(Requested {
                payee: &long,
                ..base.clone()
            }),
            "payee"
        );
        assert_eq!(
            field(Requested {
                text: Some("{code} {code}"),
                ..base.clone()
            }),
            "text"
        );
        let long = "x".repeat(65);
        assert_eq!(
            field(Requested {
                reference: Some(&long),
                ..base.clone()
            }),
            "reference"
        );
    }

    #[test]
    fn the_digest_changes_with_every_field() {
        let a = eur("50").unwrap();
        let digest = a.digest();
        assert_eq!(
            digest,
            URL_SAFE_NO_PAD.encode(Sha256::digest(b"50.00\nEUR\nExamplePayee\n\n"))
        );
        for changed in [
            Confirmation {
                amount: "50.01".into(),
                ..a.clone()
            },
            Confirmation {
                currency: "SEK".into(),
                ..a.clone()
            },
            Confirmation {
                payee: "ExamplePayer".into(),
                ..a.clone()
            },
            Confirmation {
                reference: Some("r".into()),
                ..a.clone()
            },
        ] {
            assert_ne!(changed.digest(), digest);
        }
    }

    #[test]
    fn amounts_display_as_each_language_writes_them() {
        let big = eur("1234567.5").unwrap();
        assert_eq!(big.display_amount(Lang::En), "1,234,567.50 EUR");
        assert_eq!(big.display_amount(Lang::De), "1.234.567,50 EUR");
        assert_eq!(big.display_amount(Lang::Nb), "1\u{a0}234\u{a0}567,50 EUR");
        assert_eq!(eur("50").unwrap().display_amount(Lang::Fi), "50,00 EUR");
    }
}
