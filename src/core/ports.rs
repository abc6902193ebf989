//! The narrow traits the core needs from the outside: somewhere to keep sessions and a way to
//! send a message. Implementations live in `store` and `delivery`.

use async_trait::async_trait;
use time::{Duration, OffsetDateTime};
use zeroize::Zeroizing;

use super::session::LoginSession;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("session store unavailable: {0}")]
    Unavailable(String),
    #[error("session store is full")]
    Full,
}

/// A stored session with the version its next update must name.
#[derive(Clone, Debug)]
pub struct Versioned {
    pub session: LoginSession,
    pub version: u64,
}

#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Stores a new session; it disappears after `ttl`.
    async fn insert(&self, session: &LoginSession, ttl: Duration) -> Result<(), StoreError>;

    async fn get(&self, id: &str) -> Result<Option<Versioned>, StoreError>;

    /// Replaces the session only if it is still at `version` (compare-and-set), so two
    /// requests racing on one session cannot both win. Returns whether it was replaced.
    async fn replace(
        &self,
        version: u64,
        session: &LoginSession,
        ttl: Duration,
    ) -> Result<bool, StoreError>;
}

/// One text message on its way out. The text holds the code: it is zeroed on drop and never
/// printed.
pub struct Sms {
    pub to: String,
    pub sender: String,
    pub text: Zeroizing<String>,
}

impl std::fmt::Debug for Sms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sms(<redacted>)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error("gateway answered HTTP {0}")]
    Rejected(u16),
    #[error("gateway unreachable: {0}")]
    Unreachable(String),
    #[error("gateway timed out")]
    Timeout,
}

#[async_trait]
pub trait SmsSender: Send + Sync {
    async fn send(&self, sms: &Sms, now: OffsetDateTime) -> Result<(), DeliveryError>;
}
