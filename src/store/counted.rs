//! Every store error counted once, whichever store it came from: the store the app uses is
//! wrapped in this at `open`.

use std::sync::Arc;

use async_trait::async_trait;
use time::{Duration, OffsetDateTime};

use crate::core::measure;
use crate::core::ports::{Count, Entry, Space, Store, StoreError, Tally};

pub struct Counted {
    inner: Arc<dyn Store>,
    /// `memory` or `redis`, the metric's `store` label.
    name: &'static str,
}

impl Counted {
    pub fn new(inner: Arc<dyn Store>, name: &'static str) -> Counted {
        Counted { inner, name }
    }

    fn counted<T>(&self, result: Result<T, StoreError>) -> Result<T, StoreError> {
        if let Err(e) = &result {
            measure::store_error(self.name, e.kind());
        }
        result
    }
}

#[async_trait]
impl Store for Counted {
    async fn insert(
        &self,
        space: Space,
        key: &str,
        value: Vec<u8>,
        ttl: Duration,
    ) -> Result<bool, StoreError> {
        self.counted(self.inner.insert(space, key, value, ttl).await)
    }

    async fn get(&self, space: Space, key: &str) -> Result<Option<Entry>, StoreError> {
        self.counted(self.inner.get(space, key).await)
    }

    async fn replace(
        &self,
        space: Space,
        key: &str,
        version: u64,
        value: Vec<u8>,
        ttl: Duration,
    ) -> Result<bool, StoreError> {
        self.counted(self.inner.replace(space, key, version, value, ttl).await)
    }

    async fn count(&self, counts: &[Count], now: OffsetDateTime) -> Result<Tally, StoreError> {
        self.counted(self.inner.count(counts, now).await)
    }
}
