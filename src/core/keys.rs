//! The broker's secret and the keyed hashes derived from it. Each use gets its own derived key,
//! so a value computed for one purpose (a subject id) can never stand in for another (a code).

use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop};

type HmacSha256 = Hmac<Sha256>;

/// A 256-bit key that zeroes on drop and never prints.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Key([u8; 32]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(<redacted>)")
    }
}

impl Key {
    pub fn random() -> Key {
        let mut bytes = [0u8; 32];
        rand::fill(&mut bytes);
        Key(bytes)
    }

    /// Derives the key for one purpose from the broker's secret.
    pub fn derive(secret: &[u8], purpose: &str) -> Key {
        Key(mac_parts(secret, &[b"idbroker key", purpose.as_bytes()]))
    }

    /// HMAC-SHA256 over the parts, each length-prefixed so that ("ab","c") and ("a","bc") differ.
    pub fn mac(&self, parts: &[&[u8]]) -> [u8; 32] {
        mac_parts(&self.0, parts)
    }
}

fn mac_parts(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    for part in parts {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// The keys the core uses, all derived from the one configured secret.
#[derive(Clone, Debug)]
pub struct Keys {
    pub otp: Key,
    pub subject: Key,
    pub token: Key,
    pub browser: Key,
    /// Seals what the broker keeps in the shared store (the signing key set).
    pub at_rest: Key,
    /// Names the counters behind the limits, so no phone number or address is a store key.
    pub limits: Key,
}

impl Keys {
    pub fn from_secret(secret: &[u8]) -> Keys {
        Keys {
            otp: Key::derive(secret, "otp"),
            subject: Key::derive(secret, "subject"),
            token: Key::derive(secret, "access token"),
            browser: Key::derive(secret, "browser binding"),
            at_rest: Key::derive(secret, "at rest"),
            limits: Key::derive(secret, "limits"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_length_prefixed() {
        let k = Key::derive(b"s", "t");
        assert_ne!(k.mac(&[b"ab", b"c"]), k.mac(&[b"a", b"bc"]));
    }

    #[test]
    fn purposes_give_different_keys() {
        let keys = Keys::from_secret(b"one secret");
        assert_ne!(keys.otp.mac(&[b"x"]), keys.subject.mac(&[b"x"]));
        assert_eq!(format!("{:?}", keys.otp), "Key(<redacted>)");
    }
}
