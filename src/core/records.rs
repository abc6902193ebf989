//! Typed records over the byte store: what the core keeps, serialized as JSON.

use std::marker::PhantomData;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use time::Duration;

use super::ports::{Space, Store, StoreError};

/// How many times an update re-reads a record after losing a race before giving up.
const MAX_RACES: usize = 16;

pub struct Records<T> {
    store: Arc<dyn Store>,
    space: Space,
    kind: PhantomData<fn() -> T>,
}

/// What an update closure decides.
pub enum Change<T, R> {
    /// Store this value (with this TTL) and return `R`.
    Write(T, Duration, R),
    /// Leave the record as it is and return `R`.
    Keep(R),
}

#[derive(Debug, thiserror::Error)]
pub enum UpdateError<E> {
    #[error("no such record")]
    Missing,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the record is too busy")]
    Contention,
    #[error("{0}")]
    Refused(E),
}

impl<T: Serialize + DeserializeOwned> Records<T> {
    pub fn new(store: Arc<dyn Store>, space: Space) -> Records<T> {
        Records {
            store,
            space,
            kind: PhantomData,
        }
    }

    pub async fn insert(&self, key: &str, value: &T, ttl: Duration) -> Result<bool, StoreError> {
        self.store
            .insert(self.space, key, encode(value)?, ttl)
            .await
    }

    pub async fn get(&self, key: &str) -> Result<Option<(T, u64)>, StoreError> {
        match self.store.get(self.space, key).await? {
            None => Ok(None),
            Some(entry) => Ok(Some((decode(&entry.value)?, entry.version))),
        }
    }

    /// Reads the record, lets `change` decide, and writes with compare-and-set, starting over
    /// when another request got there first.
    pub async fn update<R, E>(
        &self,
        key: &str,
        mut change: impl FnMut(T) -> Result<Change<T, R>, E>,
    ) -> Result<R, UpdateError<E>> {
        for _ in 0..MAX_RACES {
            let Some((value, version)) = self.get(key).await? else {
                return Err(UpdateError::Missing);
            };
            match change(value).map_err(UpdateError::Refused)? {
                Change::Keep(out) => return Ok(out),
                Change::Write(next, ttl, out) => {
                    if self
                        .store
                        .replace(self.space, key, version, encode(&next)?, ttl)
                        .await?
                    {
                        return Ok(out);
                    }
                }
            }
        }
        Err(UpdateError::Contention)
    }
}

fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Remembers a one-time message (a replay marker) for `ttl`: true the first time it is seen,
/// false for every replay. `kind` keeps the markers of different messages apart; `parts` are
/// what makes one message unique (an issuer and its id).
pub async fn first_sight(
    store: &dyn Store,
    kind: &str,
    parts: &[&str],
    ttl: Duration,
) -> Result<bool, StoreError> {
    let mut marker = kind.to_owned();
    for part in parts {
        marker.push('\u{0}');
        marker.push_str(part);
    }
    store.insert(Space::Seen, &marker, Vec::new(), ttl).await
}
