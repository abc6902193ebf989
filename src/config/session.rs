//! `[session]`: how long a login session lives, and how long it is kept after.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Session {
    pub ttl_secs: u32,
    pub retention_secs: u32,
}

impl Default for Session {
    fn default() -> Self {
        Session {
            ttl_secs: 900,
            retention_secs: 3600,
        }
    }
}

impl Session {
    pub(super) fn check(&self, err: &mut impl FnMut(&str, String)) {
        if !(60..=86_400).contains(&self.ttl_secs) {
            err("session.ttl_secs", "must be between 60 and 86400".into());
        }
        if self.retention_secs > 7 * 86_400 {
            err(
                "session.retention_secs",
                "must be at most 604800 (a week)".into(),
            );
        }
    }
}
