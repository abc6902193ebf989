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

impl StoreError {
    /// What went wrong, in a word: for metrics and logs.
    pub fn kind(&self) -> &'static str {
        match self {
            StoreError::Unavailable(_) => "unavailable",
            StoreError::Full => "full",
            StoreError::Corrupt(_) => "corrupt",
        }
    }
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
    /// The counters behind the limits (`Store::count`).
    Count,
    /// Which login session holds a registered authenticator's current code.
    Challenge,
}

impl Space {
    pub fn name(self) -> &'static str {
        match self {
            Space::Session => "session",
            Space::AuthCode => "code",
            Space::AccessToken => "token",
            Space::Seen => "seen",
            Space::Keys => "keys",
            Space::Count => "count",
            Space::Challenge => "challenge",
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

    /// Counts against every counter at once, or against none: a counter with a positive or zero
    /// cost refuses when `value + max(cost, 1) > limit`; when any refuses, nothing changes and
    /// the tally names the one that frees up last. Counters run out by `now` (the broker's
    /// clock), so their windows are the same whatever store keeps them.
    async fn count(&self, counts: &[Count], now: OffsetDateTime) -> Result<Tally, StoreError>;
}

/// One counter in a `Store::count` call. The counter at `key` starts at zero and lives `ttl`
/// from the moment it is first counted; later counts do not extend it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Count {
    pub key: String,
    /// The most the counter may reach.
    pub limit: u64,
    /// What to add: positive to count, zero to ask whether one more would fit without counting,
    /// negative to give back (never below zero, never refused).
    pub cost: i64,
    pub ttl: Duration,
}

/// What a `Store::count` call came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally {
    /// Each counter's value after the call, in the order given.
    pub values: Vec<u64>,
    /// When a counter was full: its index and how long until it is gone. Nothing was counted.
    pub refused: Option<(usize, Duration)>,
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
