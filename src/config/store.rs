//! `[store]`: where sessions, codes and counters live: this process's memory, or Redis shared
//! by every instance.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    Memory,
    Redis,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Store {
    pub kind: StoreKind,
    pub max_records: usize,
    /// One Redis server.
    pub url: Option<String>,
    /// The nodes of a Redis Cluster (any subset reaches the whole cluster).
    pub urls: Vec<String>,
}

impl Default for Store {
    fn default() -> Self {
        Store {
            kind: StoreKind::Memory,
            max_records: 100_000,
            url: None,
            urls: Vec::new(),
        }
    }
}

impl Store {
    pub(super) fn check(&self, err: &mut impl FnMut(&str, String)) {
        if self.kind == StoreKind::Redis {
            let redis_url = |u: &String| u.starts_with("redis://") || u.starts_with("rediss://");
            match (&self.url, self.urls.is_empty()) {
                (None, true) => err(
                    "store.url",
                    "is required when store.kind = \"redis\" (or store.urls for a cluster)".into(),
                ),
                (Some(_), false) => err(
                    "store.urls",
                    "give store.url (one server) or store.urls (a cluster), not both".into(),
                ),
                (Some(url), true) if !redis_url(url) => {
                    err("store.url", "must be a redis:// or rediss:// URL".into())
                }
                (None, false) if !self.urls.iter().all(redis_url) => err(
                    "store.urls",
                    "must all be redis:// or rediss:// URLs".into(),
                ),
                _ => {}
            }
        }
        if self.max_records == 0 {
            err("store.max_records", "must be at least 1".into());
        }
    }
}
