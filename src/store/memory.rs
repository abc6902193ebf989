//! Records in this process's memory: bounded in count, evicted when their time is up.
//!
//! Expiry runs from a queue ordered by eviction time, so each write removes the few records
//! that are due (and a full store all of them) instead of sweeping every record: an operation
//! costs the same at a thousand records as at a million. Time is the broker's clock, so a test
//! that moves its clock moves expiry too. (A concurrent cache such as moka evicts on its own
//! wall clock and by size, where this store must refuse when full and count several counters
//! at once, all or nothing.)

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use time::{Duration, OffsetDateTime};

use crate::core::clock::Clock;
use crate::core::ports::{Count, Entry, Space, Store, StoreError, Tally};

/// How many due records a write removes on its way: more than one, so expiry keeps ahead of
/// the records writes create.
const EXPIRE_PER_WRITE: usize = 4;

pub struct MemoryStore {
    clock: Arc<dyn Clock>,
    max_records: usize,
    inner: Mutex<Inner>,
}

type Id = (Space, Arc<str>);

#[derive(Default)]
struct Inner {
    records: HashMap<Id, Record>,
    /// Every record once, by (eviction time, version): the first entry is the next to go.
    expiry: BTreeMap<(OffsetDateTime, u64), Id>,
    next_version: u64,
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
        // Every change keeps the map and the queue in step before it returns, so a panic
        // elsewhere cannot leave a record half-written behind a poisoned lock.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn id(space: Space, key: &str) -> Id {
    (space, Arc::from(key))
}

impl Inner {
    /// Removes up to `budget` records that are due at `now`, oldest first.
    fn expire(&mut self, now: OffsetDateTime, budget: usize) {
        for _ in 0..budget {
            match self.expiry.first_key_value() {
                Some((&(at, _), _)) if at <= now => {
                    if let Some((_, id)) = self.expiry.pop_first() {
                        self.records.remove(&id);
                    }
                }
                _ => return,
            }
        }
    }

    /// Room for `fresh` more records, making it from due ones if need be.
    fn room_for(&mut self, fresh: usize, max: usize, now: OffsetDateTime) -> bool {
        if self.records.len() + fresh > max {
            self.expire(now, usize::MAX);
        }
        self.records.len() + fresh <= max
    }

    fn version(&mut self) -> u64 {
        self.next_version += 1;
        self.next_version
    }

    /// Stores `value` under `id` as a new version living until `evict_at`.
    fn put(&mut self, id: Id, value: Vec<u8>, evict_at: OffsetDateTime) {
        let version = self.version();
        if let Some(old) = self.records.get(&id) {
            self.expiry.remove(&(old.evict_at, old.version));
        }
        self.expiry.insert((evict_at, version), id.clone());
        self.records.insert(
            id,
            Record {
                value,
                version,
                evict_at,
            },
        );
    }

    fn live(&self, id: &Id, now: OffsetDateTime) -> Option<&Record> {
        self.records.get(id).filter(|r| r.evict_at > now)
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
        inner.expire(now, EXPIRE_PER_WRITE);
        let id = id(space, key);
        if inner.live(&id, now).is_some() {
            return Ok(false);
        }
        let taken = usize::from(inner.records.contains_key(&id));
        if !inner.room_for(1 - taken, self.max_records, now) {
            return Err(StoreError::Full);
        }
        inner.put(id, value, now + ttl);
        Ok(true)
    }

    async fn get(&self, space: Space, key: &str) -> Result<Option<Entry>, StoreError> {
        let now = self.clock.now();
        let inner = self.lock();
        Ok(inner.live(&id(space, key), now).map(|r| Entry {
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
        inner.expire(now, EXPIRE_PER_WRITE);
        let id = id(space, key);
        match inner.live(&id, now) {
            Some(r) if r.version == version => {
                inner.put(id, value, now + ttl);
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    async fn count(&self, counts: &[Count], now: OffsetDateTime) -> Result<Tally, StoreError> {
        let mut inner = self.lock();
        inner.expire(now, EXPIRE_PER_WRITE);
        let ids: Vec<Id> = counts.iter().map(|c| id(Space::Count, &c.key)).collect();
        let live = |inner: &Inner, id: &Id| {
            inner
                .live(id, now)
                .map(|r| (counter_value(&r.value), r.evict_at))
        };
        let mut values = Vec::with_capacity(counts.len());
        let mut refused: Option<(usize, Duration)> = None;
        for (i, (c, id)) in counts.iter().zip(&ids).enumerate() {
            let current = live(&inner, id);
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
            .zip(&ids)
            .filter(|(c, id)| c.cost > 0 && !inner.records.contains_key(*id))
            .count();
        if fresh > 0 && !inner.room_for(fresh, self.max_records, now) {
            return Err(StoreError::Full);
        }
        for ((c, id), value) in counts.iter().zip(ids).zip(values.iter_mut()) {
            if c.cost == 0 || (c.cost < 0 && *value == 0) {
                continue;
            }
            let next = value.saturating_add_signed(c.cost);
            // A counter's window runs from its first count.
            let evict_at = live(&inner, &id).map_or(now + c.ttl, |(_, at)| at);
            inner.put(id, next.to_le_bytes().to_vec(), evict_at);
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

    #[tokio::test]
    async fn a_replaced_record_expires_on_its_new_time_and_writes_clear_due_ones() {
        let (clock, store) = setup(100);
        let ten = Duration::seconds(10);
        store
            .insert(Space::Session, "a", vec![], ten)
            .await
            .unwrap();
        let v = store
            .get(Space::Session, "a")
            .await
            .unwrap()
            .unwrap()
            .version;
        clock.advance(Duration::seconds(5));
        assert!(
            store
                .replace(Space::Session, "a", v, vec![1], MIN)
                .await
                .unwrap()
        );
        for i in 0..8 {
            store
                .insert(Space::Seen, &format!("s{i}"), vec![], ten)
                .await
                .unwrap();
        }
        // Past the first lifetime: the queue's old entry for "a" is gone with its version.
        clock.advance(Duration::seconds(15));
        store.insert(Space::Seen, "x", vec![], ten).await.unwrap();
        assert_eq!(
            store.get(Space::Session, "a").await.unwrap().unwrap().value,
            [1]
        );
        // Each write removed a few of the eight due records; two more writes finish them.
        store.insert(Space::Seen, "y", vec![], ten).await.unwrap();
        store.insert(Space::Seen, "z", vec![], ten).await.unwrap();
        assert_eq!(store.len(), 4);
    }
}
