//! Access tokens for the REST API: self-contained and MACed with a key derived from the broker
//! secret, so any instance can check them without a store.

use std::sync::Arc;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use time::Duration;

use crate::core::clock::Clock;
use crate::core::keys::Key;

pub struct AccessTokens {
    key: Key,
    clock: Arc<dyn Clock>,
    ttl: Duration,
}

#[derive(Serialize, Deserialize)]
struct Claims {
    cid: String,
    exp: i64,
    /// Makes every token distinct.
    jti: String,
}

impl AccessTokens {
    pub fn new(key: Key, clock: Arc<dyn Clock>, ttl: Duration) -> AccessTokens {
        AccessTokens { key, clock, ttl }
    }

    /// A token for `client_id` and its lifetime in seconds.
    pub fn issue(&self, client_id: &str) -> (String, i64) {
        let claims = Claims {
            cid: client_id.to_owned(),
            exp: (self.clock.now() + self.ttl).unix_timestamp(),
            jti: crate::core::ids::random_token()[..16].to_owned(),
        };
        let payload =
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).expect("claims serialize"));
        let mac = URL_SAFE_NO_PAD.encode(self.key.mac(&[payload.as_bytes()]));
        (format!("{payload}.{mac}"), self.ttl.whole_seconds())
    }

    /// The client a valid, unexpired token was issued to.
    pub fn verify(&self, token: &str) -> Option<String> {
        let (payload, mac) = token.split_once('.')?;
        let expected = URL_SAFE_NO_PAD.encode(self.key.mac(&[payload.as_bytes()]));
        if !bool::from(expected.as_bytes().ct_eq(mac.as_bytes())) {
            return None;
        }
        let claims: Claims = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
        (claims.exp > self.clock.now().unix_timestamp()).then_some(claims.cid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::clock::ManualClock;

    #[test]
    fn tokens_verify_until_they_expire_and_resist_tampering() {
        let clock = Arc::new(ManualClock::new(
            time::macros::datetime!(2026-01-01 0:00 UTC),
        ));
        let tokens =
            AccessTokens::new(Key::derive(b"k", "t"), clock.clone(), Duration::minutes(10));
        let (token, ttl) = tokens.issue("demo");
        assert_eq!(ttl, 600);
        assert_eq!(tokens.verify(&token).as_deref(), Some("demo"));
        let other_key = AccessTokens::new(
            Key::derive(b"other", "t"),
            clock.clone(),
            Duration::minutes(10),
        );
        assert_eq!(other_key.verify(&token), None);
        let forged = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(br#"{"cid":"x","exp":9999999999,"jti":"a"}"#),
            token.split_once('.').unwrap().1
        );
        assert_eq!(tokens.verify(&forged), None);
        clock.advance(Duration::minutes(10));
        assert_eq!(tokens.verify(&token), None);
    }
}
