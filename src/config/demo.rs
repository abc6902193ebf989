//! `[demo]`: the demo page, which acts as one registered client.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Demo {
    pub enabled: bool,
    /// The client the demo page acts as; its callbacks under `/demo/callback/` are added.
    pub client_id: String,
}

impl Default for Demo {
    fn default() -> Self {
        Demo {
            enabled: false,
            client_id: "demo".into(),
        }
    }
}

impl Demo {
    /// Whether `client_id` is the demo page's, which gets its redirect URI at start.
    pub(super) fn acts_as(&self, client_id: &str) -> bool {
        self.enabled && client_id == self.client_id
    }
}
