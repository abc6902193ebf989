//! The keys in use by a running broker, and how they follow their source: a rotation made by
//! `idbroker keys rotate` (in the file or in the store) reaches every running instance without a
//! restart.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use super::{KeyError, SigningKeys, StoredKeys, file};
use crate::config::{Config, StoreKind};
use crate::core::keys::Keys;
use crate::core::ports::Store;

/// Where the key set lives.
pub enum KeySource {
    File(PathBuf),
    Store(StoredKeys),
}

impl KeySource {
    /// Where the configuration keeps the keys: the keys file on the memory store, the store
    /// itself on Redis (shared by every instance).
    pub fn for_config(config: &Config, store: Arc<dyn Store>, keys: &Keys) -> KeySource {
        match config.store.kind {
            StoreKind::Memory => KeySource::File(config.oidc.keys_file.clone().into()),
            StoreKind::Redis => KeySource::Store(StoredKeys::new(store, &keys.at_rest)),
        }
    }

    /// Rotates the set where it lives (see `KeySet::rotate`).
    pub async fn rotate(&self) -> Result<(), KeyError> {
        match self {
            KeySource::File(path) => file::rotate_file(path),
            KeySource::Store(stored) => stored.rotate().await,
        }
    }

    /// The keys and the bytes they came from, unless the source still holds `known`.
    async fn load_unless(
        &self,
        known: Option<&[u8]>,
    ) -> Result<Option<(SigningKeys, Vec<u8>)>, KeyError> {
        match self {
            KeySource::File(path) => {
                let (path, known) = (path.clone(), known.map(<[u8]>::to_vec));
                // File reads and key parsing are blocking work.
                tokio::task::spawn_blocking(move || file::load_unless(&path, known.as_deref()))
                    .await
                    .map_err(|e| KeyError::Io {
                        path: "keys file".into(),
                        why: e.to_string(),
                    })?
            }
            KeySource::Store(stored) => stored.load_unless(known).await,
        }
    }
}

/// The keys in use, swapped whole when the stored set changes.
pub struct KeyRing {
    current: RwLock<Option<Arc<SigningKeys>>>,
}

/// How often an instance that could not load the keys yet tries again.
const RETRY: Duration = Duration::from_secs(1);

impl KeyRing {
    /// The keys, or `None` while an instance on Redis has not been able to load them yet (the
    /// broker is not ready then).
    pub fn current(&self) -> Option<Arc<SigningKeys>> {
        self.current.read().expect("never poisoned").clone()
    }

    /// Loads the set (creating it if needed) and keeps following it: every `every`, a changed
    /// set replaces the keys in use, until the ring is dropped. An unreachable store does not
    /// stop the start: the ring keeps trying every second. A set that cannot be read (a broken
    /// file, another secret) does.
    pub async fn follow(source: KeySource, every: Duration) -> Result<Arc<KeyRing>, KeyError> {
        let ring = Arc::new(KeyRing {
            current: RwLock::new(None),
        });
        let mut known = None;
        match ring.refresh(&source, &mut known).await {
            Err(KeyError::Store(why)) => {
                tracing::warn!(error = %why, "signing keys not loaded yet: the store is unreachable");
            }
            Err(e) => return Err(e),
            Ok(()) => {}
        }
        let weak = Arc::downgrade(&ring);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(if known.is_some() { every } else { RETRY }).await;
                let Some(ring) = weak.upgrade() else { return };
                if let Err(e) = ring.refresh(&source, &mut known).await {
                    tracing::warn!(error = %e, "signing keys not reloaded; keeping the ones in use");
                }
            }
        });
        Ok(ring)
    }

    /// Replaces the keys when the set differs from `known` (the bytes last loaded).
    async fn refresh(
        &self,
        source: &KeySource,
        known: &mut Option<Vec<u8>>,
    ) -> Result<(), KeyError> {
        if let Some((keys, sealed)) = source.load_unless(known.as_deref()).await? {
            *self.current.write().expect("never poisoned") = Some(Arc::new(keys));
            if known.replace(sealed).is_some() {
                tracing::info!("signing keys reloaded");
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::rotate_file;
    use jsonwebtoken::Algorithm;

    #[tokio::test]
    async fn a_running_broker_follows_a_rotation_of_its_keys_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.json");
        let ring = KeyRing::follow(KeySource::File(path.clone()), Duration::from_millis(20))
            .await
            .unwrap();
        let before = ring
            .current()
            .unwrap()
            .active_kid(Algorithm::RS256)
            .unwrap()
            .to_owned();
        rotate_file(&path).unwrap();
        for _ in 0..500 {
            let now = ring.current().unwrap();
            if now.active_kid(Algorithm::RS256) != Some(before.as_str()) {
                // The old active key is still published, as retired.
                assert!(now.decoding_key(&before).is_some());
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("the ring never picked up the rotation");
    }

    #[tokio::test]
    async fn a_broken_keys_file_stops_the_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.json");
        std::fs::write(&path, "{not json").unwrap();
        let started = KeyRing::follow(KeySource::File(path), Duration::from_secs(1)).await;
        assert!(matches!(started, Err(KeyError::Invalid { .. })));
    }
}
