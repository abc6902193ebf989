//! `[server]`: where the broker listens, the URL it is reached at, and the key behind every
//! keyed hash.

use std::net::SocketAddr;

use serde::{Deserialize, Serialize};
use url::Url;

use super::{Config, Secret, StoreKind, is_loopback};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Server {
    pub listen: String,
    pub public_url: String,
    /// Keys every keyed hash (codes, subject ids, tokens); at least 32 bytes.
    pub secret_key: Option<Secret>,
    /// A file holding `secret_key`, for secret managers that mount files.
    pub secret_key_file: Option<String>,
    /// Proxies (CIDR) whose `X-Forwarded-For` / `Forwarded` names the client's address.
    pub trusted_proxies: Vec<String>,
    /// Allow the dev outbox on a listener others can reach (it shows every code).
    pub dev_outbox_unsafe: bool,
    /// Send `Strict-Transport-Security` when `public_url` is https.
    pub hsts: bool,
    /// Where the broker keeps what it creates (signing keys, the SAML key, uploaded metadata,
    /// the SQLite directory) unless their own keys name a place; made with mode 0700.
    pub data_dir: String,
    /// Serve `/metrics` on the main listener to requests bearing this token.
    pub metrics_token: Option<Secret>,
    /// Serve `/metrics` (without a token) on a listener of its own, for a private network.
    pub metrics_listen: Option<String>,
}

impl Default for Server {
    fn default() -> Self {
        Server {
            listen: "127.0.0.1:8080".into(),
            public_url: "http://127.0.0.1:8080".into(),
            secret_key: None,
            secret_key_file: None,
            trusted_proxies: Vec::new(),
            dev_outbox_unsafe: false,
            hsts: true,
            metrics_token: None,
            metrics_listen: None,
            data_dir: "data".into(),
        }
    }
}

/// Why the dev outbox is refused beside a listener others can reach.
pub(super) const OUTBOX_RULE: &str = "the dev outbox shows every code unauthenticated: only with a loopback server.listen and an http loopback server.public_url (or server.dev_outbox_unsafe = true)";

impl Server {
    pub(super) fn check(&self, config: &Config, err: &mut impl FnMut(&str, String)) {
        if self
            .metrics_token
            .as_ref()
            .is_some_and(|t| t.expose().len() < 32)
        {
            err(
                "server.metrics_token",
                "must be at least 32 characters of random text".into(),
            );
        }
        if let Some(listen) = &self.metrics_listen
            && (listen.parse::<SocketAddr>().is_err() || *listen == self.listen)
        {
            err(
                "server.metrics_listen",
                "must be an address and port other than server.listen, such as 127.0.0.1:9090"
                    .into(),
            );
        }
        if self.listen.parse::<SocketAddr>().is_err() {
            err(
                "server.listen",
                "must be an address and port such as 127.0.0.1:8080".into(),
            );
        }
        match Url::parse(&self.public_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => {
                if url.path() != "/" || url.query().is_some() {
                    err(
                        "server.public_url",
                        "must be an origin with no path, such as https://id.example.com".into(),
                    );
                }
            }
            _ => err(
                "server.public_url",
                "must be an http or https URL such as https://id.example.com".into(),
            ),
        }
        if let Some(key) = &self.secret_key
            && key.expose().len() < 32
        {
            err(
                "server.secret_key",
                "must be at least 32 characters of random text (try `openssl rand -base64 48`)"
                    .into(),
            );
        }
        for (i, cidr) in self.trusted_proxies.iter().enumerate() {
            if cidr.parse::<ipnet::IpNet>().is_err() && cidr.parse::<std::net::IpAddr>().is_err() {
                err(
                    &format!("server.trusted_proxies[{i}]"),
                    "must be an address or CIDR range such as 10.0.0.0/8".into(),
                );
            }
        }
        if config.store.kind == StoreKind::Redis && self.secret_key.is_none() {
            err(
                "server.secret_key",
                "is required when store.kind = \"redis\": every instance must share it".into(),
            );
        }
    }

    /// Whether a dev outbox may run here: only this machine can reach the broker, or the
    /// operator said otherwise.
    pub(super) fn outbox_allowed(&self) -> bool {
        self.dev_outbox_unsafe || self.loopback_only()
    }

    /// A loopback listener and a plain-http loopback public URL.
    fn loopback_only(&self) -> bool {
        let listen = self
            .listen
            .parse::<SocketAddr>()
            .is_ok_and(|a| a.ip().is_loopback());
        let public = Url::parse(&self.public_url).is_ok_and(|u| {
            u.scheme() == "http" && (is_loopback(&u) || u.host_str() == Some("localhost"))
        });
        listen && public
    }
}
