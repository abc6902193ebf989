//! `[oidc]`: the signing keys and the lifetimes of codes and tokens.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Oidc {
    /// Where the signing keys live; created with fresh keys on first start.
    pub keys_file: String,
    /// How often a running broker checks its keys (the file, or Redis where the keys live with
    /// the Redis store) for a rotation.
    pub keys_reload_secs: u32,
    pub code_ttl_secs: u32,
    pub id_token_ttl_secs: u32,
    pub access_token_ttl_secs: u32,
}

impl Default for Oidc {
    fn default() -> Self {
        Oidc {
            // Empty: `keys.json` under `server.data_dir`.
            keys_file: String::new(),
            keys_reload_secs: 30,
            code_ttl_secs: 60,
            id_token_ttl_secs: 600,
            access_token_ttl_secs: 600,
        }
    }
}

impl Oidc {
    pub(super) fn check(&self, err: &mut impl FnMut(&str, String)) {
        if self.keys_file.is_empty() {
            err("oidc.keys_file", "must name a file".into());
        }
        if !(1..=3600).contains(&self.keys_reload_secs) {
            err("oidc.keys_reload_secs", "must be between 1 and 3600".into());
        }
        if !(10..=600).contains(&self.code_ttl_secs) {
            err("oidc.code_ttl_secs", "must be between 10 and 600".into());
        }
        if !(60..=86_400).contains(&self.id_token_ttl_secs) {
            err(
                "oidc.id_token_ttl_secs",
                "must be between 60 and 86400".into(),
            );
        }
        if !(60..=86_400).contains(&self.access_token_ttl_secs) {
            err(
                "oidc.access_token_ttl_secs",
                "must be between 60 and 86400".into(),
            );
        }
    }
}
