//! `[otp]`: the one-time codes: how long, how long they live, how often they may be tried and
//! sent.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Otp {
    pub length: u8,
    pub ttl_secs: u32,
    pub max_attempts: u8,
    pub resend_cooldown_secs: u32,
    pub max_sends: u8,
}

impl Default for Otp {
    fn default() -> Self {
        Otp {
            length: 6,
            ttl_secs: 300,
            max_attempts: 5,
            resend_cooldown_secs: 30,
            max_sends: 3,
        }
    }
}

impl Otp {
    pub(super) fn check(&self, err: &mut impl FnMut(&str, String)) {
        if !(6..=10).contains(&self.length) {
            err("otp.length", "must be between 6 and 10 digits".into());
        }
        if !(30..=600).contains(&self.ttl_secs) {
            err(
                "otp.ttl_secs",
                "must be between 30 and 600 (10 minutes)".into(),
            );
        }
        if !(1..=10).contains(&self.max_attempts) {
            err("otp.max_attempts", "must be between 1 and 10".into());
        }
        if self.resend_cooldown_secs > 600 {
            err("otp.resend_cooldown_secs", "must be at most 600".into());
        }
        if !(1..=10).contains(&self.max_sends) {
            err("otp.max_sends", "must be between 1 and 10".into());
        }
    }
}
