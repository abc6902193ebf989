//! `Parsed<T>`: a value the file gives as text, parsed once at load. Text that does not parse
//! is kept rather than refused by serde, so `validate` can report it beside every other
//! problem instead of stopping at the first.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::core::grant::GrantType;
use crate::core::provider::Provider;

/// What a config value can be parsed into.
pub trait FromText: Sized {
    fn from_text(text: &str) -> Option<Self>;
    /// What check-config says about `text` when it does not parse.
    fn refusal(text: &str) -> String;
}

#[derive(Clone, Debug)]
pub struct Parsed<T> {
    text: String,
    value: Option<T>,
}

impl<T: FromText> Parsed<T> {
    pub fn new(text: impl Into<String>) -> Parsed<T> {
        let text = text.into();
        let value = T::from_text(&text);
        Parsed { text, value }
    }

    /// The value; `None` only in a configuration `validate` refuses.
    pub fn get(&self) -> Option<&T> {
        self.value.as_ref()
    }

    /// Why the text does not parse, if it does not.
    pub fn refusal(&self) -> Option<String> {
        self.value.is_none().then(|| T::refusal(&self.text))
    }
}

impl<T: FromText> From<&str> for Parsed<T> {
    fn from(text: &str) -> Parsed<T> {
        Parsed::new(text)
    }
}

impl<T> Serialize for Parsed<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.text.serialize(serializer)
    }
}

impl<'de, T: FromText> Deserialize<'de> for Parsed<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Parsed<T>, D::Error> {
        String::deserialize(deserializer).map(Parsed::new)
    }
}

impl FromText for Provider {
    fn from_text(text: &str) -> Option<Provider> {
        Provider::from_name(text)
    }

    fn refusal(text: &str) -> String {
        let known: Vec<_> = Provider::ALL.iter().map(|p| p.name()).collect();
        format!("unknown provider {text:?}; known: {}", known.join(", "))
    }
}

impl FromText for GrantType {
    fn from_text(text: &str) -> Option<GrantType> {
        GrantType::from_name(text)
    }

    fn refusal(text: &str) -> String {
        GrantType::try_from(text.to_owned())
            .err()
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_text_is_kept_for_the_report_and_written_back() {
        let list: Vec<Parsed<Provider>> = serde_json::from_str(r#"["otp-sms", "bankid"]"#).unwrap();
        assert_eq!(list[0].get(), Some(&Provider::OtpSms));
        assert_eq!(list[0].refusal(), None);
        assert_eq!(list[1].get(), None);
        assert_eq!(
            list[1].refusal().unwrap(),
            "unknown provider \"bankid\"; known: otp-sms, otp-email"
        );
        assert_eq!(
            serde_json::to_string(&list).unwrap(),
            r#"["otp-sms","bankid"]"#
        );
    }
}
