//! The verified subject a provider yields, and its opaque stable identifier.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};

use super::keys::Key;
use super::provider::{Attribute, Provider};

/// Who the end user proved to be.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    /// Opaque and stable for the same provider and identifier; never the identifier itself.
    pub id: String,
    pub provider: Provider,
    /// The identifier the provider verified (an E.164 number for `otp-sms`).
    pub idp_id: String,
}

impl Subject {
    pub fn new(key: &Key, provider: Provider, idp_id: &str) -> Subject {
        let mac = key.mac(&[b"subject", provider.name().as_bytes(), idp_id.as_bytes()]);
        Subject {
            id: URL_SAFE_NO_PAD.encode(mac),
            provider,
            idp_id: idp_id.to_owned(),
        }
    }

    /// The value of one released attribute.
    pub fn attribute(&self, attribute: Attribute) -> Option<&str> {
        match (attribute, self.provider) {
            (Attribute::IdpId, _) => Some(&self.idp_id),
            (Attribute::PhoneNumber, Provider::OtpSms) => Some(&self.idp_id),
            (Attribute::Email, Provider::OtpEmail) => Some(&self.idp_id),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_is_stable_opaque_and_keyed() {
        let k = Key::derive(b"secret", "subject");
        let a = Subject::new(&k, Provider::OtpSms, "+447700900123");
        let b = Subject::new(&k, Provider::OtpSms, "+447700900123");
        let c = Subject::new(&k, Provider::OtpSms, "+447700900124");
        let other_key = Subject::new(
            &Key::derive(b"other", "subject"),
            Provider::OtpSms,
            "+447700900123",
        );
        assert_eq!(a.id, b.id);
        assert_ne!(a.id, c.id);
        assert_ne!(a.id, other_key.id);
        assert!(!a.id.contains("7700900123"));
        assert_eq!(a.attribute(Attribute::PhoneNumber), Some("+447700900123"));
    }
}
