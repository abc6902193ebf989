//! Registered users and their out-of-band authenticators: what must outlive a login session
//! (the HID-compatible API). The core names what it needs; the `directory` back end keeps it in
//! SQLite or PostgreSQL. Every counter changes in one statement, so two instances verifying
//! at once never lose a failure or a success.

use async_trait::async_trait;
use time::OffsetDateTime;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// A numeric id, unique in the directory.
    pub id: i64,
    pub tenant: String,
    pub user_name: String,
    pub external_id: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// E.164.
    pub phone: Option<String>,
    pub email: Option<String>,
    pub created_at: OffsetDateTime,
    pub modified_at: OffsetDateTime,
    pub version: i64,
}

/// What a user record says, as created or replaced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserFields {
    pub user_name: String,
    pub external_id: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// How users are looked up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UserFilter {
    All,
    UserName(String),
    ExternalId(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authenticator {
    pub tenant: String,
    pub user_id: i64,
    /// `AT_OOBSMS`, `AT_TXOOB`.
    pub policy: String,
    /// Keyed hash of the activation code, for the policies that have one.
    pub activation_hash: Option<String>,
    pub enabled: bool,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub stats: Statistics,
    pub version: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Statistics {
    pub consecutive_failed: i64,
    pub consecutive_success: i64,
    pub total_failed: i64,
    pub total_success: i64,
    pub last_success_at: Option<OffsetDateTime>,
    pub last_failure_at: Option<OffsetDateTime>,
}

impl Statistics {
    /// Every verification, right or wrong (HID's `maximumNumberOfUsages`).
    pub fn uses(&self) -> i64 {
        self.total_failed + self.total_success
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    /// A unique key is taken (a user name, one authenticator per user and policy).
    #[error("already exists")]
    Conflict,
    #[error("directory unavailable: {0}")]
    Unavailable(String),
}

#[async_trait]
pub trait Directory: Send + Sync {
    async fn create_user(
        &self,
        tenant: &str,
        fields: &UserFields,
        now: OffsetDateTime,
    ) -> Result<User, DirectoryError>;
    async fn user(&self, tenant: &str, id: i64) -> Result<Option<User>, DirectoryError>;
    /// A page of matching users (`start` is 0-based) and how many match in all.
    async fn find_users(
        &self,
        tenant: &str,
        filter: &UserFilter,
        start: i64,
        count: i64,
    ) -> Result<(i64, Vec<User>), DirectoryError>;
    async fn replace_user(
        &self,
        tenant: &str,
        id: i64,
        fields: &UserFields,
        now: OffsetDateTime,
    ) -> Result<Option<User>, DirectoryError>;
    /// Also removes the user's authenticators.
    async fn delete_user(&self, tenant: &str, id: i64) -> Result<bool, DirectoryError>;

    async fn create_authenticator(
        &self,
        authenticator: &Authenticator,
    ) -> Result<(), DirectoryError>;
    async fn authenticator(
        &self,
        tenant: &str,
        user_id: i64,
        policy: &str,
    ) -> Result<Option<Authenticator>, DirectoryError>;
    async fn delete_authenticator(
        &self,
        tenant: &str,
        user_id: i64,
        policy: &str,
    ) -> Result<bool, DirectoryError>;
    async fn set_enabled(
        &self,
        tenant: &str,
        user_id: i64,
        policy: &str,
        enabled: bool,
    ) -> Result<Option<Authenticator>, DirectoryError>;
    /// Clears the consecutive failures (unlocks).
    async fn reset(
        &self,
        tenant: &str,
        user_id: i64,
        policy: &str,
    ) -> Result<Option<Authenticator>, DirectoryError>;
    /// Counts one verification, atomically, and returns the statistics after it.
    async fn record_use(
        &self,
        tenant: &str,
        user_id: i64,
        policy: &str,
        success: bool,
        at: OffsetDateTime,
    ) -> Result<Option<Statistics>, DirectoryError>;
}
