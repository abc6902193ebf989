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
