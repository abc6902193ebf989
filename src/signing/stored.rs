//! The key set in the shared store, for several instances: the first instance to start creates
//! it, every instance signs with and publishes the same keys, and a rotation reaches them all
//! without a restart. The set is sealed with AES-256-GCM under a key derived from
//! `server.secret_key`, so reading Redis does not give away the private keys.

use std::sync::Arc;

use super::{KeyError, KeySet, SigningKeys};
use crate::core::keys::{Key, Sealer};
use crate::core::ports::{Space, Store, StoreError};

const RECORD: &str = "set";
/// Renewed by every rotation; rotating at least once a year keeps the set alive.
const TTL: time::Duration = time::Duration::days(400);
const AAD: &[u8] = b"idbroker signing key set v1";

impl From<StoreError> for KeyError {
    fn from(e: StoreError) -> KeyError {
        KeyError::Store(e.to_string())
    }
}

pub struct StoredKeys {
    store: Arc<dyn Store>,
    seal: Sealer,
}

impl StoredKeys {
    /// `key` is the broker's key for data at rest (derived from `server.secret_key`).
    pub fn new(store: Arc<dyn Store>, key: &Key) -> StoredKeys {
        StoredKeys {
            store,
            seal: Sealer::new(key, "signing key set"),
        }
    }

    /// The key set, created in the store when it has none, unless it is still `known` (the
    /// sealed bytes last loaded).
    pub(super) async fn load_unless(
        &self,
        known: Option<&[u8]>,
    ) -> Result<Option<(SigningKeys, Vec<u8>)>, KeyError> {
        loop {
            if let Some(entry) = self.store.get(Space::Keys, RECORD).await? {
                if known == Some(entry.value.as_slice()) {
                    return Ok(None);
                }
                let keys = SigningKeys::from_set("the store", self.open(&entry.value)?)?;
                return Ok(Some((keys, entry.value)));
            }
            let mut set = KeySet::default();
            set.complete()?;
            // Several instances may start at once: one insert wins, all read the winner.
            if self
                .store
                .insert(Space::Keys, RECORD, self.seal(&set), TTL)
                .await?
            {
                tracing::info!("signing keys created in the store");
            }
        }
    }

    /// Rotates the stored set (see `KeySet::rotate`); a concurrent change makes it try again.
    pub async fn rotate(&self) -> Result<(), KeyError> {
        loop {
            let Some(entry) = self.store.get(Space::Keys, RECORD).await? else {
                self.load_unless(None).await?;
                continue;
            };
            let mut set = self.open(&entry.value)?;
            set.complete()?;
            set.rotate()?;
            let sealed = self.seal(&set);
            if self
                .store
                .replace(Space::Keys, RECORD, entry.version, sealed, TTL)
                .await?
            {
                return Ok(());
            }
        }
    }

    fn seal(&self, set: &KeySet) -> Vec<u8> {
        self.seal
            .seal(AAD, &serde_json::to_vec(set).expect("a key set serializes"))
    }

    fn open(&self, bytes: &[u8]) -> Result<KeySet, KeyError> {
        let unreadable = |why: &str| KeyError::Invalid {
            origin: "the store".into(),
            why: why.into(),
        };
        let plain = self.seal.open(AAD, bytes).ok_or_else(|| {
            unreadable("it cannot be decrypted: do all instances share server.secret_key?")
        })?;
        serde_json::from_slice(&plain).map_err(|e| unreadable(&e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::clock::SystemClock;
    use crate::signing::{KeyRing, KeySource};
    use crate::store::memory::MemoryStore;
    use jsonwebtoken::Algorithm;
    use std::time::Duration;

    fn store() -> Arc<dyn Store> {
        Arc::new(MemoryStore::new(Arc::new(SystemClock), 100))
    }

    fn kids(keys: &SigningKeys) -> Vec<String> {
        keys.jwks()
            .keys
            .iter()
            .map(|k| k.common.key_id.clone().unwrap())
            .collect()
    }

    #[tokio::test]
    async fn instances_share_one_sealed_set_and_follow_its_rotation() {
        let store = store();
        let secret = Key::derive(b"a shared secret of enough length!!", "at rest");
        let a = StoredKeys::new(store.clone(), &secret);
        let b = StoredKeys::new(store.clone(), &secret);
        let (first, _) = a.load_unless(None).await.unwrap().unwrap();
        let (second, sealed) = b.load_unless(None).await.unwrap().unwrap();
        assert_eq!(kids(&first), kids(&second));
        assert!(b.load_unless(Some(&sealed)).await.unwrap().is_none());

        // What Redis holds is sealed: no key material, and useless under another secret.
        let raw = store.get(Space::Keys, RECORD).await.unwrap().unwrap().value;
        let text = String::from_utf8_lossy(&raw);
        assert!(!text.contains("PRIVATE KEY") && !text.contains("\"kid\""));
        let other = StoredKeys::new(store.clone(), &Key::derive(b"another secret", "at rest"));
        assert!(matches!(
            other.load_unless(None).await,
            Err(KeyError::Invalid { .. })
        ));
        // An instance with another secret does not start (an unreachable store would not stop it).
        assert!(
            KeyRing::follow(KeySource::Store(other), Duration::from_secs(1))
                .await
                .is_err()
        );

        let ring = KeyRing::follow(KeySource::Store(b), Duration::from_millis(20))
            .await
            .unwrap();
        let next = first
            .keys
            .iter()
            .find(|k| k.alg == Algorithm::RS256 && k.status == super::super::Status::Next)
            .unwrap()
            .kid
            .clone();
        a.rotate().await.unwrap();
        for _ in 0..500 {
            if ring.current().unwrap().active_kid(Algorithm::RS256) == Some(next.as_str()) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("the ring never picked up the rotation");
    }
}
