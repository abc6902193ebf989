//! Where records live: in this process's memory (the embedded default), or in Redis for
//! several instances. Both implement the core's `Store` trait and pass the same test suite.

pub mod memory;
pub mod redis;

use std::sync::Arc;

use crate::config::{Config, StoreKind};
use crate::core::clock::Clock;
use crate::core::ports::Store;

/// The store the configuration names.
pub fn open(config: &Config, clock: Arc<dyn Clock>) -> Result<Arc<dyn Store>, String> {
    Ok(match config.store.kind {
        StoreKind::Memory => Arc::new(memory::MemoryStore::new(clock, config.store.max_records)),
        StoreKind::Redis => Arc::new(match &config.store.url {
            Some(url) => redis::RedisStore::new(url)?,
            None => redis::RedisStore::cluster(&config.store.urls)?,
        }),
    })
}
