//! Sessions in this process's memory: bounded in count, evicted when their time is up.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use time::{Duration, OffsetDateTime};

use crate::core::clock::Clock;
use crate::core::ports::{SessionStore, StoreError, Versioned};
use crate::core::session::LoginSession;

/// How many inserts pass between sweeps of expired entries.
const SWEEP_EVERY: u64 = 1024;

pub struct MemoryStore {
    clock: Arc<dyn Clock>,
    max_sessions: usize,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<String, Entry>,
    next_version: u64,
    inserts: u64,
}

struct Entry {
    session: LoginSession,
    version: u64,
    evict_at: OffsetDateTime,
}

impl MemoryStore {
    pub fn new(clock: Arc<dyn Clock>, max_sessions: usize) -> MemoryStore {
        MemoryStore {
            clock,
            max_sessions,
            inner: Mutex::new(Inner::default()),
        }
    }

    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave an entry half-written: every change is a
        // single map operation.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Inner {
    fn sweep(&mut self, now: OffsetDateTime) {
        self.entries.retain(|_, e| e.evict_at > now);
    }

    fn version(&mut self) -> u64 {
        self.next_version += 1;
        self.next_version
    }
}

#[async_trait]
impl SessionStore for MemoryStore {
    async fn insert(&self, session: &LoginSession, ttl: Duration) -> Result<(), StoreError> {
        let now = self.clock.now();
        let mut inner = self.lock();
        inner.inserts += 1;
        if inner.entries.len() >= self.max_sessions || inner.inserts.is_multiple_of(SWEEP_EVERY) {
            inner.sweep(now);
        }
        if inner.entries.len() >= self.max_sessions {
            return Err(StoreError::Full);
        }
        let version = inner.version();
        inner.entries.insert(
            session.id.clone(),
            Entry {
                session: session.clone(),
                version,
                evict_at: now + ttl,
            },
        );
        Ok(())
    }

    async fn get(&self, id: &str) -> Result<Option<Versioned>, StoreError> {
        let now = self.clock.now();
        let inner = self.lock();
        Ok(inner
            .entries
            .get(id)
            .filter(|e| e.evict_at > now)
            .map(|e| Versioned {
                session: e.session.clone(),
                version: e.version,
            }))
    }

    async fn replace(
        &self,
        version: u64,
        session: &LoginSession,
        ttl: Duration,
    ) -> Result<bool, StoreError> {
        let now = self.clock.now();
        let mut inner = self.lock();
        let new_version = inner.version();
        match inner.entries.get_mut(&session.id) {
            Some(e) if e.version == version && e.evict_at > now => {
                e.session = session.clone();
                e.version = new_version;
                e.evict_at = now + ttl;
                Ok(true)
            }
            _ => Ok(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::clock::ManualClock;
    use crate::core::session::{Callbacks, ReturnTo, State};

    fn session(id: &str, now: OffsetDateTime) -> LoginSession {
        LoginSession {
            id: id.into(),
            client_id: "c".into(),
            return_to: ReturnTo::Rest {
                callbacks: Callbacks {
                    success: "s".into(),
                    abort: "a".into(),
                    error: "e".into(),
                },
                external_reference: None,
            },
            allowed_providers: vec![],
            language: None,
            requested_attributes: vec![],
            sender: None,
            parameters: Default::default(),
            prefill: None,
            created_at: now,
            expires_at: now,
            browser: None,
            csrf: "x".into(),
            state: State::Created,
        }
    }

    fn setup(max: usize) -> (Arc<ManualClock>, MemoryStore) {
        let clock = Arc::new(ManualClock::new(
            time::macros::datetime!(2026-01-01 0:00 UTC),
        ));
        (clock.clone(), MemoryStore::new(clock, max))
    }

    #[tokio::test]
    async fn replace_is_compare_and_set() {
        let (clock, store) = setup(10);
        let s = session("a", clock.now());
        store.insert(&s, Duration::minutes(1)).await.unwrap();
        let v1 = store.get("a").await.unwrap().unwrap().version;
        let mut changed = s.clone();
        changed.state = State::Aborted;
        assert!(
            store
                .replace(v1, &changed, Duration::minutes(1))
                .await
                .unwrap()
        );
        // The stale version loses.
        assert!(!store.replace(v1, &s, Duration::minutes(1)).await.unwrap());
        assert_eq!(
            store.get("a").await.unwrap().unwrap().session.state,
            State::Aborted
        );
        assert!(store.get("missing").await.unwrap().is_none());
    }

    #[tokio::test]
    async fn entries_vanish_after_their_ttl() {
        let (clock, store) = setup(10);
        store
            .insert(&session("a", clock.now()), Duration::seconds(30))
            .await
            .unwrap();
        clock.advance(Duration::seconds(29));
        assert!(store.get("a").await.unwrap().is_some());
        clock.advance(Duration::seconds(1));
        assert!(store.get("a").await.unwrap().is_none());
        let stale = 1;
        assert!(
            !store
                .replace(stale, &session("a", clock.now()), Duration::minutes(1))
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn memory_is_bounded_and_expired_entries_make_room() {
        let (clock, store) = setup(3);
        for id in ["a", "b", "c"] {
            store
                .insert(&session(id, clock.now()), Duration::seconds(10))
                .await
                .unwrap();
        }
        assert!(matches!(
            store
                .insert(&session("d", clock.now()), Duration::seconds(10))
                .await,
            Err(StoreError::Full)
        ));
        clock.advance(Duration::seconds(10));
        store
            .insert(&session("d", clock.now()), Duration::seconds(10))
            .await
            .unwrap();
        assert_eq!(store.len(), 1);
    }
}
