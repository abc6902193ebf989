//! Records in this process's memory: bounded in count, evicted when their time is up.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use time::{Duration, OffsetDateTime};

use crate::core::clock::Clock;
use crate::core::ports::{Count, Entry, Space, Store, StoreError, Tally};

/// How many inserts pass between sweeps of expired records.
const SWEEP_EVERY: u64 = 1024;

pub struct MemoryStore {
    clock: Arc<dyn Clock>,
    max_records: usize,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    records: HashMap<(Space, String), Record>,
    next_version: u64,
    inserts: u64,
}

struct Record {
    value: Vec<u8>,
    version: u64,
    evict_at: OffsetDateTime,
}

impl MemoryStore {
    pub fn new(clock: Arc<dyn Clock>, max_records: usize) -> MemoryStore {
        MemoryStore {
            clock,
            max_records,
            inner: Mutex::new(Inner::default()),
        }
    }

    pub fn len(&self) -> usize {
        self.lock().records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // Every change is a single map operation, so a panic elsewhere cannot leave a record
        // half-written behind a poisoned lock.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Inner {
    fn sweep(&mut self, now: OffsetDateTime) {
        self.records.retain(|_, r| r.evict_at > now);
    }

    fn version(&mut self) -> u64 {
        self.next_version += 1;
        self.next_version
    }
}

#[async_trait]
impl Store for MemoryStore {
    async fn insert(
        &self,
        space: Space,
        key: &str,
        value: Vec<u8>,
        ttl: Duration,
    ) -> Result<bool, StoreError> {
        let now = self.clock.now();
        let mut inner = self.lock();
        inner.inserts += 1;
        if inner.records.len() >= self.max_records || inner.inserts.is_multiple_of(SWEEP_EVERY) {
            inner.sweep(now);
        }
        let id = (space, key.to_owned());
        if inner.records.get(&id).is_some_and(|r| r.evict_at > now) {
            return Ok(false);
        }
        if inner.records.len() >= self.max_records {
            return Err(StoreError::Full);
        }
        let version = inner.version();
        inner.records.insert(
            id,
            Record {
                value,
                version,
                evict_at: now + ttl,
            },
        );
        Ok(true)
    }

    async fn get(&self, space: Space, key: &str) -> Result<Option<Entry>, StoreError> {
        let now = self.clock.now();
        let inner = self.lock();
        Ok(inner
            .records
            .get(&(space, key.to_owned()))
            .filter(|r| r.evict_at > now)
            .map(|r| Entry {
                value: r.value.clone(),
                version: r.version,
            }))
    }

    async fn replace(
        &self,
        space: Space,
        key: &str,
        version: u64,
        value: Vec<u8>,
        ttl: Duration,
    ) -> Result<bool, StoreError> {
        let now = self.clock.now();
        let mut inner = self.lock();
        let new_version = inner.version();
        match inner.records.get_mut(&(space, key.to_owned())) {
            Some(r) if r.version == version && r.evict_at > now => {
                r.value = value;
                r.version = new_version;
                r.evict_at = now + ttl;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    async fn count(&self, counts: &[Count], now: OffsetDateTime) -> Result<Tally, StoreError> {
        let mut inner = self.lock();
        let live = |inner: &Inner, key: &str| {
            inner
                .records
                .get(&(Space::Count, key.to_owned()))
                .filter(|r| r.evict_at > now)
                .map(|r| (counter_value(&r.value), r.evict_at))
        };
        let mut values = Vec::with_capacity(counts.len());
        let mut refused: Option<(usize, Duration)> = None;
        for (i, c) in counts.iter().enumerate() {
            let current = live(&inner, &c.key);
            let value = current.map_or(0, |(v, _)| v);
            values.push(value);
            if c.cost >= 0 && value.saturating_add(c.cost.max(1) as u64) > c.limit {
                let wait = current.map_or(c.ttl, |(_, at)| at - now);
                if refused.is_none_or(|(_, w)| wait > w) {
                    refused = Some((i, wait));
                }
            }
        }
        if refused.is_some() {
            return Ok(Tally { values, refused });
        }
        let fresh = counts
            .iter()
            .filter(|c| c.cost > 0 && live(&inner, &c.key).is_none())
            .count();
        if fresh > 0 && inner.records.len() + fresh > self.max_records {
            inner.sweep(now);
            if inner.records.len() + fresh > self.max_records {
                return Err(StoreError::Full);
            }
        }
        for (c, value) in counts.iter().zip(values.iter_mut()) {
            if c.cost == 0 || (c.cost < 0 && *value == 0) {
                continue;
            }
            let next = value.saturating_add_signed(c.cost);
            let version = inner.version();
            let id = (Space::Count, c.key.clone());
            let evict_at = match inner.records.get(&id) {
                Some(r) if r.evict_at > now => r.evict_at,
                _ => now + c.ttl,
            };
            inner.records.insert(
                id,
                Record {
                    value: next.to_le_bytes().to_vec(),
                    version,
                    evict_at,
                },
            );
            *value = next;
        }
        Ok(Tally {
            values,
            refused: None,
        })
    }
}

fn counter_value(bytes: &[u8]) -> u64 {
    bytes.try_into().map(u64::from_le_bytes).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::clock::ManualClock;

    fn setup(max: usize) -> (Arc<ManualClock>, MemoryStore) {
        let clock = Arc::new(ManualClock::new(
            time::macros::datetime!(2026-01-01 0:00 UTC),
        ));
        (clock.clone(), MemoryStore::new(clock, max))
    }

    const MIN: Duration = Duration::minutes(1);

    #[tokio::test]
    async fn replace_is_compare_and_set() {
        let (_, store) = setup(10);
        assert!(
            store
                .insert(Space::Session, "a", b"1".to_vec(), MIN)
                .await
                .unwrap()
        );
        let v1 = store
            .get(Space::Session, "a")
            .await
            .unwrap()
            .unwrap()
            .version;
        assert!(
            store
                .replace(Space::Session, "a", v1, b"2".to_vec(), MIN)
                .await
                .unwrap()
        );
        // The stale version loses.
        assert!(
            !store
                .replace(Space::Session, "a", v1, b"3".to_vec(), MIN)
                .await
                .unwrap()
        );
        assert_eq!(
            store.get(Space::Session, "a").await.unwrap().unwrap().value,
            b"2"
        );
        assert!(
            store
                .get(Space::Session, "missing")
                .await
                .unwrap()
                .is_none()
        );
    }

    #[tokio::test]
    async fn keys_are_unique_within_a_space_only() {
        let (_, store) = setup(10);
        assert!(store.insert(Space::Seen, "k", vec![], MIN).await.unwrap());
        assert!(!store.insert(Space::Seen, "k", vec![], MIN).await.unwrap());
        assert!(
            store
                .insert(Space::AuthCode, "k", vec![], MIN)
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn records_vanish_after_their_ttl() {
        let (clock, store) = setup(10);
        store
            .insert(Space::Session, "a", vec![], Duration::seconds(30))
            .await
            .unwrap();
        clock.advance(Duration::seconds(29));
        assert!(store.get(Space::Session, "a").await.unwrap().is_some());
        clock.advance(Duration::seconds(1));
        assert!(store.get(Space::Session, "a").await.unwrap().is_none());
        assert!(
            !store
                .replace(Space::Session, "a", 1, vec![], MIN)
                .await
                .unwrap()
        );
        // An expired key can be taken again.
        assert!(
            store
                .insert(Space::Session, "a", vec![], MIN)
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn memory_is_bounded_and_expired_records_make_room() {
        let (clock, store) = setup(3);
        for id in ["a", "b", "c"] {
            store
                .insert(Space::Session, id, vec![], Duration::seconds(10))
                .await
                .unwrap();
        }
        assert!(matches!(
            store
                .insert(Space::Session, "d", vec![], Duration::seconds(10))
                .await,
            Err(StoreError::Full)
        ));
        clock.advance(Duration::seconds(10));
        store
            .insert(Space::Session, "d", vec![], Duration::seconds(10))
            .await
            .unwrap();
        assert_eq!(store.len(), 1);
    }
}
