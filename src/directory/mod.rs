//! The directory in a SQL database: SQLite embedded (a file, or memory for tests) or PostgreSQL
//! for several instances. One set of queries runs on both through sqlx's Any driver
//! (`$n` placeholders, Unix-second times, integers for flags); the schema lives in
//! `migrations/<kind>/` and is applied at start and by `idbroker migrate`.

use async_trait::async_trait;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};
use time::OffsetDateTime;

use crate::core::directory::{
    Authenticator, Directory, DirectoryError, Statistics, User, UserFields, UserFilter,
};

/// Which database a URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

impl Kind {
    pub fn of(url: &str) -> Option<Kind> {
        if url.starts_with("sqlite:") {
            Some(Kind::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Kind::Postgres)
        } else {
            None
        }
    }
}

pub struct SqlDirectory {
    pool: AnyPool,
}

fn unavailable(e: sqlx::Error) -> DirectoryError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => DirectoryError::Conflict,
        _ => DirectoryError::Unavailable(e.to_string()),
    }
}

impl SqlDirectory {
    /// Connects and brings the schema up to date.
    pub async fn open(url: &str) -> Result<SqlDirectory, DirectoryError> {
        let kind = Kind::of(url).ok_or_else(|| {
            DirectoryError::Unavailable("not a sqlite: or postgres:// URL".into())
        })?;
        sqlx::any::install_default_drivers();
        if kind == Kind::Sqlite
            && let Some(path) = sqlite_file(url)
            && let Some(dir) = std::path::Path::new(path).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|e| DirectoryError::Unavailable(e.to_string()))?;
        }
        // Each connection to an in-memory SQLite database is a database of its own.
        let connections = if url.contains(":memory:") { 1 } else { 8 };
        let pool = AnyPoolOptions::new()
            .max_connections(connections)
            .connect(url)
            .await
            .map_err(unavailable)?;
        let directory = SqlDirectory { pool };
        directory.migrate(kind).await?;
        Ok(directory)
    }

    async fn migrate(&self, kind: Kind) -> Result<(), DirectoryError> {
        let migrator = match kind {
            Kind::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            Kind::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        migrator
            .run(&self.pool)
            .await
            .map_err(|e| DirectoryError::Unavailable(format!("migrations: {e}")))
    }
}

/// The file a `sqlite:` URL names, with the `mode=rwc` the broker adds.
fn sqlite_file(url: &str) -> Option<&str> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = path.split('?').next().unwrap_or(path);
    (!path.contains(":memory:") && !path.is_empty()).then_some(path)
}

fn secs(t: OffsetDateTime) -> i64 {
    t.unix_timestamp()
}

fn time_of(secs: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(secs).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

const USER_COLUMNS: &str = "id, tenant, user_name, external_id, given_name, family_name, phone, email, created_at, modified_at, version";
const AUTHENTICATOR_COLUMNS: &str = "tenant, user_id, policy, activation_hash, enabled, created_at, expires_at, consecutive_failed, consecutive_success, total_failed, total_success, last_success_at, last_failure_at, version";
const STATISTICS_COLUMNS: &str = "consecutive_failed, consecutive_success, total_failed, total_success, last_success_at, last_failure_at";

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// A user's fields, bound in the order the statements list them.
fn bind_fields<'q>(query: AnyQuery<'q>, fields: &'q UserFields) -> AnyQuery<'q> {
    query
        .bind(&fields.user_name)
        .bind(&fields.external_id)
        .bind(&fields.given_name)
        .bind(&fields.family_name)
        .bind(&fields.phone)
        .bind(&fields.email)
}

fn user(row: &AnyRow) -> Result<User, sqlx::Error> {
    Ok(User {
        id: row.try_get("id")?,
        tenant: row.try_get("tenant")?,
        user_name: row.try_get("user_name")?,
        external_id: row.try_get("external_id")?,
        given_name: row.try_get("given_name")?,
        family_name: row.try_get("family_name")?,
        phone: row.try_get("phone")?,
        email: row.try_get("email")?,
        created_at: time_of(row.try_get("created_at")?),
        modified_at: time_of(row.try_get("modified_at")?),
        version: row.try_get("version")?,
    })
}

fn statistics(row: &AnyRow) -> Result<Statistics, sqlx::Error> {
    let at = |name: &str| -> Result<Option<OffsetDateTime>, sqlx::Error> {
        Ok(row.try_get::<Option<i64>, _>(name)?.map(time_of))
    };
    Ok(Statistics {
        consecutive_failed: row.try_get("consecutive_failed")?,
        consecutive_success: row.try_get("consecutive_success")?,
        total_failed: row.try_get("total_failed")?,
        total_success: row.try_get("total_success")?,
        last_success_at: at("last_success_at")?,
        last_failure_at: at("last_failure_at")?,
    })
}

fn authenticator(row: &AnyRow) -> Result<Authenticator, sqlx::Error> {
    Ok(Authenticator {
        tenant: row.try_get("tenant")?,
        user_id: row.try_get("user_id")?,
        policy: row.try_get("policy")?,
        activation_hash: row.try_get("activation_hash")?,
        enabled: row.try_get::<i64, _>("enabled")? != 0,
        created_at: time_of(row.try_get("created_at")?),
        expires_at: time_of(row.try_get("expires_at")?),
        stats: statistics(row)?,
        version: row.try_get("version")?,
    })
}

#[async_trait]
impl Directory for SqlDirectory {
    async fn create_user(
        &self,
        tenant: &str,
        fields: &UserFields,
        now: OffsetDateTime,
    ) -> Result<User, DirectoryError> {
        let sql = format!(
            "INSERT INTO users (tenant, user_name, external_id, given_name, family_name, phone, email, created_at, modified_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING {USER_COLUMNS}"
        );
        let row = bind_fields(sqlx::query(&sql).bind(tenant), fields)
            .bind(secs(now))
            .fetch_one(&self.pool)
            .await
            .map_err(unavailable)?;
        user(&row).map_err(unavailable)
    }

    async fn user(&self, tenant: &str, id: i64) -> Result<Option<User>, DirectoryError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE tenant = $1 AND id = $2");
        self.optional(sqlx::query(&sql).bind(tenant).bind(id), user)
            .await
    }

    async fn find_users(
        &self,
        tenant: &str,
        filter: &UserFilter,
        start: i64,
        count: i64,
    ) -> Result<(i64, Vec<User>), DirectoryError> {
        let (condition, value) = match filter {
            UserFilter::All => ("", None),
            UserFilter::UserName(name) => (" AND user_name = $2", Some(name)),
            UserFilter::ExternalId(id) => (" AND external_id = $2", Some(id)),
        };
        let total_sql = format!("SELECT COUNT(*) AS n FROM users WHERE tenant = $1{condition}");
        let mut total = sqlx::query(&total_sql).bind(tenant);
        if let Some(v) = value {
            total = total.bind(v);
        }
        let total: i64 = total
            .fetch_one(&self.pool)
            .await
            .and_then(|r| r.try_get("n"))
            .map_err(unavailable)?;
        let (limit, offset) = if value.is_some() {
            ("$3", "$4")
        } else {
            ("$2", "$3")
        };
        let page_sql = format!(
            "SELECT {USER_COLUMNS} FROM users WHERE tenant = $1{condition} ORDER BY id LIMIT {limit} OFFSET {offset}"
        );
        let mut page = sqlx::query(&page_sql).bind(tenant);
        if let Some(v) = value {
            page = page.bind(v);
        }
        let rows = page
            .bind(count.max(0))
            .bind(start.max(0))
            .fetch_all(&self.pool)
            .await
            .map_err(unavailable)?;
        let users = rows
            .iter()
            .map(user)
            .collect::<Result<_, _>>()
            .map_err(unavailable)?;
        Ok((total, users))
    }

    async fn replace_user(
        &self,
        tenant: &str,
        id: i64,
        fields: &UserFields,
        now: OffsetDateTime,
    ) -> Result<Option<User>, DirectoryError> {
        let sql = format!(
            "UPDATE users SET user_name = $3, external_id = $4, given_name = $5, family_name = $6, phone = $7, email = $8, \
             modified_at = $9, version = version + 1 WHERE tenant = $1 AND id = $2 RETURNING {USER_COLUMNS}"
        );
        self.optional(
            bind_fields(sqlx::query(&sql).bind(tenant).bind(id), fields).bind(secs(now)),
            user,
        )
        .await
    }

    async fn delete_user(&self, tenant: &str, id: i64) -> Result<bool, DirectoryError> {
        // Both statements in one transaction: no authenticator outlives its user.
        let mut tx = self.pool.begin().await.map_err(unavailable)?;
        sqlx::query("DELETE FROM authenticators WHERE tenant = $1 AND user_id = $2")
            .bind(tenant)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(unavailable)?;
        let done = sqlx::query("DELETE FROM users WHERE tenant = $1 AND id = $2")
            .bind(tenant)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(unavailable)?;
        tx.commit().await.map_err(unavailable)?;
        Ok(done.rows_affected() > 0)
    }

    async fn create_authenticator(&self, a: &Authenticator) -> Result<(), DirectoryError> {
        sqlx::query(
            "INSERT INTO authenticators (tenant, user_id, policy, activation_hash, enabled, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&a.tenant)
        .bind(a.user_id)
        .bind(&a.policy)
        .bind(&a.activation_hash)
        .bind(i64::from(a.enabled))
        .bind(secs(a.created_at))
        .bind(secs(a.expires_at))
        .execute(&self.pool)
        .await
        .map_err(unavailable)?;
        Ok(())
    }

    async fn authenticator(
        &self,
        tenant: &str,
        user_id: i64,
        policy: &str,
    ) -> Result<Option<Authenticator>, DirectoryError> {
        let sql = format!(
            "SELECT {AUTHENTICATOR_COLUMNS} FROM authenticators WHERE tenant = $1 AND user_id = $2 AND policy = $3"
        );
        self.optional(
            sqlx::query(&sql).bind(tenant).bind(user_id).bind(policy),
            authenticator,
        )
        .await
    }

    async fn delete_authenticator(
        &self,
        tenant: &str,
        user_id: i64,
        policy: &str,
    ) -> Result<bool, DirectoryError> {
        let done = sqlx::query(
            "DELETE FROM authenticators WHERE tenant = $1 AND user_id = $2 AND policy = $3",
        )
        .bind(tenant)
        .bind(user_id)
        .bind(policy)
        .execute(&self.pool)
        .await
        .map_err(unavailable)?;
        Ok(done.rows_affected() > 0)
    }

    async fn set_enabled(
        &self,
        tenant: &str,
        user_id: i64,
        policy: &str,
        enabled: bool,
    ) -> Result<Option<Authenticator>, DirectoryError> {
        self.change(
            tenant,
            user_id,
            policy,
            "enabled = $4",
            Some(i64::from(enabled)),
        )
        .await
    }

    async fn reset(
        &self,
        tenant: &str,
        user_id: i64,
        policy: &str,
    ) -> Result<Option<Authenticator>, DirectoryError> {
        self.change(tenant, user_id, policy, "consecutive_failed = 0", None)
            .await
    }

    async fn record_use(
        &self,
        tenant: &str,
        user_id: i64,
        policy: &str,
        success: bool,
        at: OffsetDateTime,
    ) -> Result<Option<Statistics>, DirectoryError> {
        // One statement: concurrent verifications on any instance each count exactly once.
        let sql = format!(
            "UPDATE authenticators SET \
             consecutive_failed = CASE WHEN $4 = 1 THEN 0 ELSE consecutive_failed + 1 END, \
             consecutive_success = CASE WHEN $4 = 1 THEN consecutive_success + 1 ELSE 0 END, \
             total_failed = total_failed + 1 - $4, \
             total_success = total_success + $4, \
             last_success_at = CASE WHEN $4 = 1 THEN $5 ELSE last_success_at END, \
             last_failure_at = CASE WHEN $4 = 1 THEN last_failure_at ELSE $5 END, \
             version = version + 1 \
             WHERE tenant = $1 AND user_id = $2 AND policy = $3 RETURNING {STATISTICS_COLUMNS}"
        );
        self.optional(
            sqlx::query(&sql)
                .bind(tenant)
                .bind(user_id)
                .bind(policy)
                .bind(i64::from(success))
                .bind(secs(at)),
            statistics,
        )
        .await
    }
}

impl SqlDirectory {
    /// The one row a query may find, read by `read`.
    async fn optional<T>(
        &self,
        query: AnyQuery<'_>,
        read: fn(&AnyRow) -> Result<T, sqlx::Error>,
    ) -> Result<Option<T>, DirectoryError> {
        let row = query
            .fetch_optional(&self.pool)
            .await
            .map_err(unavailable)?;
        row.as_ref().map(read).transpose().map_err(unavailable)
    }

    /// One `SET` on an authenticator, returning it as it is after.
    async fn change(
        &self,
        tenant: &str,
        user_id: i64,
        policy: &str,
        set: &str,
        value: Option<i64>,
    ) -> Result<Option<Authenticator>, DirectoryError> {
        let sql = format!(
            "UPDATE authenticators SET {set}, version = version + 1 \
             WHERE tenant = $1 AND user_id = $2 AND policy = $3 RETURNING {AUTHENTICATOR_COLUMNS}"
        );
        let mut query = sqlx::query(&sql).bind(tenant).bind(user_id).bind(policy);
        if let Some(value) = value {
            query = query.bind(value);
        }
        self.optional(query, authenticator).await
    }
}
