//! One-time codes: generated from the OS-seeded CSPRNG, kept only as a keyed hash bound to the
//! session, compared in constant time.

use rand::Rng;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use time::Duration;
use zeroize::Zeroizing;

use super::keys::Key;

/// How codes are made and how many chances a session gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtpPolicy {
    pub length: u8,
    pub ttl: Duration,
    pub max_attempts: u8,
    pub resend_cooldown: Duration,
    pub max_sends: u8,
}

impl Default for OtpPolicy {
    fn default() -> Self {
        OtpPolicy {
            length: 6,
            ttl: Duration::minutes(5),
            max_attempts: 5,
            resend_cooldown: Duration::seconds(30),
            max_sends: 3,
        }
    }
}

/// A code in clear text, as it goes into one message. Zeroed on drop; never printed.
pub struct Code(Zeroizing<String>);

impl Code {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Code(<redacted>)")
    }
}

/// The keyed hash of a code, bound to one session: the same digits in another session hash
/// differently.
#[derive(Clone, Copy, Serialize, Deserialize)]
pub struct CodeHash(#[serde(with = "hex32")] [u8; 32]);

impl CodeHash {
    /// Bound to the session and, for a confirmation, to its digest (empty otherwise): a code
    /// checked against another transaction does not match.
    pub fn of(key: &Key, session_id: &str, code: &str, digest: &str) -> CodeHash {
        CodeHash(key.mac(&[
            b"otp",
            session_id.as_bytes(),
            code.as_bytes(),
            digest.as_bytes(),
        ]))
    }
}

impl PartialEq for CodeHash {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for CodeHash {}

impl std::fmt::Debug for CodeHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CodeHash(..)")
    }
}

impl OtpPolicy {
    /// A uniformly random code of `length` digits (leading zeros kept).
    pub fn generate(&self) -> Code {
        let bound = 10u64.pow(u32::from(self.length));
        let n = rand::rng().random_range(0..bound);
        Code(Zeroizing::new(format!(
            "{n:0width$}",
            width = usize::from(self.length)
        )))
    }

    /// Whether typed input has the shape of a code; spaces and dashes people type are dropped.
    pub fn normalize_input(&self, input: &str) -> Option<Zeroizing<String>> {
        let digits: Zeroizing<String> = Zeroizing::new(
            input
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .collect(),
        );
        (digits.len() == usize::from(self.length) && digits.bytes().all(|b| b.is_ascii_digit()))
            .then_some(digits)
    }
}

mod hex32 {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        let mut out = String::with_capacity(64);
        for b in bytes {
            out.push_str(&format!("{b:02x}"));
        }
        s.serialize_str(&out)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = String::deserialize(d)?;
        if text.len() != 64 {
            return Err(D::Error::custom("expected 64 hex digits"));
        }
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).map_err(D::Error::custom)?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_the_configured_length_and_vary() {
        for length in 6..=10 {
            let policy = OtpPolicy {
                length,
                ..OtpPolicy::default()
            };
            let codes: Vec<String> = (0..50)
                .map(|_| policy.generate().as_str().to_owned())
                .collect();
            assert!(
                codes.iter().all(
                    |c| c.len() == usize::from(length) && c.bytes().all(|b| b.is_ascii_digit())
                )
            );
            let distinct: std::collections::HashSet<_> = codes.iter().collect();
            assert!(distinct.len() > 45, "codes repeat too often");
        }
    }

    #[test]
    fn hashes_are_bound_to_the_session() {
        let key = Key::derive(b"k", "otp");
        assert_eq!(
            CodeHash::of(&key, "s1", "123456", ""),
            CodeHash::of(&key, "s1", "123456", "")
        );
        assert_ne!(
            CodeHash::of(&key, "s1", "123456", ""),
            CodeHash::of(&key, "s2", "123456", "")
        );
        assert_ne!(
            CodeHash::of(&key, "s1", "123456", ""),
            CodeHash::of(&key, "s1", "123457", "")
        );
    }

    #[test]
    fn hash_survives_serde() {
        let key = Key::derive(b"k", "otp");
        let h = CodeHash::of(&key, "s", "000001", "");
        let json = serde_json::to_string(&h).unwrap();
        let back: CodeHash = serde_json::from_str(&json).unwrap();
        assert_eq!(h, back);
        assert!(serde_json::from_str::<CodeHash>("\"zz\"").is_err());
    }

    #[test]
    fn input_is_normalized() {
        let p = OtpPolicy::default();
        assert_eq!(
            p.normalize_input(" 123 456 ")
                .as_deref()
                .map(String::as_str),
            Some("123456")
        );
        assert_eq!(
            p.normalize_input("123-456").as_deref().map(String::as_str),
            Some("123456")
        );
        assert!(p.normalize_input("12345").is_none());
        assert!(p.normalize_input("12345a").is_none());
        assert!(p.normalize_input("１２３４５６").is_none());
    }
}
