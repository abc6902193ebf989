//! `[rest]`: the REST API's access tokens.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rest {
    pub token_ttl_secs: u32,
}

impl Default for Rest {
    fn default() -> Self {
        Rest {
            token_ttl_secs: 600,
        }
    }
}

impl Rest {
    pub(super) fn check(&self, err: &mut impl FnMut(&str, String)) {
        if !(60..=86_400).contains(&self.token_ttl_secs) {
            err("rest.token_ttl_secs", "must be between 60 and 86400".into());
        }
    }
}
