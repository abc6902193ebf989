//! Random values the broker hands out, and how an id appears in the logs.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

/// 256 random bits, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// 128 random bits in the shape of a UUID (the look of Signicat's session ids). A version-4
/// UUID would spend six of them on its version and variant.
pub fn session_id() -> String {
    let mut bytes = [0u8; 16];
    rand::fill(&mut bytes);
    uuid::Uuid::from_bytes(bytes).to_string()
}

/// Enough of an id to follow it through the logs without handing out the whole bearer value.
pub fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

/// A secret's record key: its SHA-256 (base64url), so the store never holds a usable code or
/// token, only what finds its record.
pub fn record_key(secret: &str) -> String {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    use sha2::{Digest, Sha256};
    URL_SAFE_NO_PAD.encode(Sha256::digest(secret.as_bytes()))
}
