//! `[hid]` and `[directory]`: the HID-compatible API on registered users, and the database
//! that keeps them.

use serde::{Deserialize, Serialize};

use super::Config;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Hid {
    /// Every path names its tenant; clients are bound to one with `hid_tenant`.
    pub tenants: Vec<Tenant>,
    /// Consecutive wrong codes that lock an authenticator until `RESET` (PSD2 RTS Art. 4: 5).
    pub disable_threshold: u32,
    /// How long a registered authenticator stays valid.
    pub authenticator_days: u32,
}

impl Default for Hid {
    fn default() -> Self {
        Hid {
            tenants: Vec::new(),
            disable_threshold: 5,
            authenticator_days: 5 * 365,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tenant {
    /// `t` and letters or digits, as HID's tenant ids are.
    pub id: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DirectoryKind {
    /// Embedded: one file, one instance.
    Sqlite,
    /// Shared by several instances.
    Postgres,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Directory {
    pub kind: DirectoryKind,
    /// `sqlite:…` (a file, created when missing; `sqlite::memory:` for tests) or
    /// `postgres://…`, as `kind` says.
    pub url: String,
}

impl Default for Directory {
    fn default() -> Self {
        Directory {
            kind: DirectoryKind::Sqlite,
            // Empty: `directory.db` under `server.data_dir`.
            url: String::new(),
        }
    }
}

impl Hid {
    pub(super) fn check(&self, config: &Config, err: &mut impl FnMut(&str, String)) {
        if !(1..=10).contains(&self.disable_threshold) {
            err("hid.disable_threshold", "must be between 1 and 10".into());
        }
        if !(1..=3650).contains(&self.authenticator_days) {
            err(
                "hid.authenticator_days",
                "must be between 1 and 3650".into(),
            );
        }
        let mut seen = std::collections::HashSet::new();
        for (i, tenant) in self.tenants.iter().enumerate() {
            let id = &tenant.id;
            let shaped = id.len() > 1
                && id.len() <= 64
                && id.starts_with('t')
                && id.bytes().all(|b| b.is_ascii_alphanumeric());
            if !shaped {
                err(
                    &format!("hid.tenants[{i}].id"),
                    "must be t followed by letters or digits, such as t17b5e9c64237164237900"
                        .into(),
                );
            }
            if !seen.insert(id.as_str()) {
                err(
                    &format!("hid.tenants[{i}].id"),
                    format!("{id:?} is listed twice"),
                );
            }
        }
        for (i, client) in config.clients.iter().enumerate() {
            if let Some(tenant) = &client.hid_tenant
                && !seen.contains(tenant.as_str())
            {
                err(
                    &format!("clients[{i}].hid_tenant"),
                    format!("{tenant:?} is not in hid.tenants"),
                );
            }
        }
        let url = &config.directory.url;
        let fits = match config.directory.kind {
            DirectoryKind::Sqlite => url.starts_with("sqlite:"),
            DirectoryKind::Postgres => {
                url.starts_with("postgres://") || url.starts_with("postgresql://")
            }
        };
        if !fits {
            err(
                "directory.url",
                "must be a sqlite: URL with kind = \"sqlite\", or a postgres:// URL with kind = \"postgres\"".into(),
            );
        }
    }
}
