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

/// AES-256-GCM under a key of its own, for values that leave us (a direct grant's reference)
/// or rest where others can read (the key set in Redis): what `seal` gives only `open` with
/// the same key and `aad` reads back, and nobody can change unnoticed.
pub struct Sealer(aws_lc_rs::aead::LessSafeKey);

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(<redacted>)")
    }
}

impl Sealer {
    pub fn new(key: &Key, purpose: &str) -> Sealer {
        use aws_lc_rs::aead::{AES_256_GCM, LessSafeKey, UnboundKey};
        let bytes = key.mac(&[purpose.as_bytes()]);
        Sealer(LessSafeKey::new(
            UnboundKey::new(&AES_256_GCM, &bytes).expect("a 256-bit key"),
        ))
    }

    /// A random nonce, then the ciphertext and its tag.
    pub fn seal(&self, aad: &[u8], plain: &[u8]) -> Vec<u8> {
        use aws_lc_rs::aead::{Aad, NONCE_LEN, Nonce};
        let mut nonce = [0u8; NONCE_LEN];
        rand::fill(&mut nonce);
        let mut sealed = plain.to_vec();
        self.0
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(aad),
                &mut sealed,
            )
            .expect("AES-GCM seals any size we use");
        [nonce.as_slice(), &sealed].concat()
    }

    /// The plain text, or `None` when `bytes` were not sealed by this key with this `aad`.
    pub fn open(&self, aad: &[u8], bytes: &[u8]) -> Option<Vec<u8>> {
        use aws_lc_rs::aead::{Aad, NONCE_LEN, Nonce};
        let (nonce, sealed) = bytes.split_at_checked(NONCE_LEN)?;
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut sealed = sealed.to_vec();
        let plain = self
            .0
            .open_in_place(nonce, Aad::from(aad), &mut sealed)
            .ok()?;
        Some(plain.to_vec())
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
    fn sealed_values_open_only_with_their_key_and_aad() {
        let key = Key::derive(b"s", "t");
        let sealer = Sealer::new(&key, "purpose");
        let sealed = sealer.seal(b"aad", b"plain");
        assert_eq!(sealer.open(b"aad", &sealed).as_deref(), Some(&b"plain"[..]));
        assert_eq!(sealer.open(b"other", &sealed), None);
        assert_eq!(Sealer::new(&key, "other").open(b"aad", &sealed), None);
        let mut flipped = sealed.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert_eq!(sealer.open(b"aad", &flipped), None);
        assert_ne!(
            sealer.seal(b"aad", b"plain"),
            sealed,
            "a fresh nonce each time"
        );
    }

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
