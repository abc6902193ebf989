//! Where records live: in this process's memory (the embedded default), or in Redis for
//! several instances. Both implement the core's `Store` trait and pass the same test suite.

mod counted;
pub mod memory;
pub mod redis;

use std::sync::Arc;

use crate::config::{Config, StoreKind};
use crate::core::clock::Clock;
use crate::core::ports::Store;

/// The store the configuration names, its errors counted (`idbroker_store_errors_total`).
pub fn open(config: &Config, clock: Arc<dyn Clock>) -> Result<Arc<dyn Store>, String> {
    let (store, name): (Arc<dyn Store>, _) = match config.store.kind {
        StoreKind::Memory => (
            Arc::new(memory::MemoryStore::new(clock, config.store.max_records)),
            "memory",
        ),
        StoreKind::Redis => (
            Arc::new(match &config.store.url {
                Some(url) => redis::RedisStore::new(url)?,
                None => redis::RedisStore::cluster(&config.store.urls)?,
            }),
            "redis",
        ),
    };
    Ok(Arc::new(counted::Counted::new(store, name)))
}
