//! The narrow traits the core needs from the outside: somewhere to keep sessions and a way to
//! send a message. Implementations live in `store` and `delivery`.

use async_trait::async_trait;
use time::{Duration, OffsetDateTime};
use zeroize::Zeroizing;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store unavailable: {0}")]
    Unavailable(String),
    #[error("store is full")]
    Full,
    #[error("stored record could not be read: {0}")]
    Corrupt(String),
}

/// The kinds of record the broker keeps; each is its own key space.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Space {
    /// Login sessions, by session id.
    Session,
    /// OIDC authorization codes, by a hash of the code.
    AuthCode,
    /// OIDC access tokens, by a hash of the token.
    AccessToken,
    /// One-time values seen once (client assertion ids), to refuse replays.
    Seen,
    /// The signing key set shared by all instances (sealed).
    Keys,
}

impl Space {
    pub fn name(self) -> &'static str {
        match self {
            Space::Session => "session",
            Space::AuthCode => "code",
            Space::AccessToken => "token",
            Space::Seen => "seen",
            Space::Keys => "keys",
        }
    }
}

/// A stored value with the version its next replacement must name.
#[derive(Clone, Debug)]
pub struct Entry {
    pub value: Vec<u8>,
    pub version: u64,
}

/// Where everything that must outlive a request lives. Values are opaque bytes with a TTL;
/// updates are compare-and-set on a version, so two requests racing on one record cannot both
/// win.
#[async_trait]
pub trait Store: Send + Sync {
    /// Stores a new record; `false` when the key is already taken.
    async fn insert(
        &self,
        space: Space,
        key: &str,
        value: Vec<u8>,
        ttl: Duration,
    ) -> Result<bool, StoreError>;

    async fn get(&self, space: Space, key: &str) -> Result<Option<Entry>, StoreError>;

    /// Replaces the record only if it is still at `version`. Returns whether it was replaced.
    async fn replace(
        &self,
        space: Space,
        key: &str,
        version: u64,
        value: Vec<u8>,
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

/// One e-mail on its way out; the text holds the code.
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: Zeroizing<String>,
}

impl std::fmt::Debug for Mail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Mail(<redacted>)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// The gateway or mail server answered with this status (HTTP or SMTP code).
    #[error("refused with status {0}")]
    Rejected(u16),
    #[error("unreachable: {0}")]
    Unreachable(String),
    #[error("timed out")]
    Timeout,
    #[error("no sender is configured for this channel")]
    NotConfigured,
}

#[async_trait]
pub trait SmsSender: Send + Sync {
    async fn send(&self, sms: &Sms, now: OffsetDateTime) -> Result<(), DeliveryError>;
}

#[async_trait]
pub trait MailSender: Send + Sync {
    async fn send(&self, mail: &Mail, now: OffsetDateTime) -> Result<(), DeliveryError>;
}
