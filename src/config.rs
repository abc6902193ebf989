//! Configuration: one typed struct, layered as built-in defaults → TOML file (or the embedded
//! dev file) → `IDBROKER_` environment variables (`__` between levels). Checked once at start.

use std::net::SocketAddr;
use std::path::Path;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use url::Url;
use zeroize::Zeroize;

mod limits;

pub use limits::{Limits, NUMBER_TYPES};

use crate::core::phone::PhonePolicy;
use crate::core::provider::Provider;
use crate::core::rules::{SENDER_RULE, valid_sender};

pub const DEV_DEFAULTS: &str = include_str!("../config/dev.toml");

/// The grant types a client may be given.
pub const GRANT_TYPES: [&str; 4] = [
    "client_credentials",
    "authorization_code",
    crate::core::grant::SMS_GRANT,
    crate::core::grant::EMAIL_GRANT,
];

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub server: Server,
    pub session: Session,
    pub store: Store,
    pub otp: Otp,
    pub sms: Sms,
    pub email: Email,
    pub rest: Rest,
    pub oidc: Oidc,
    pub saml: Saml,
    pub demo: Demo,
    pub limits: Limits,
    pub clients: Vec<Client>,
}

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
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Session {
    pub ttl_secs: u32,
    pub retention_secs: u32,
}

impl Default for Session {
    fn default() -> Self {
        Session {
            ttl_secs: 900,
            retention_secs: 3600,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    Memory,
    Redis,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Store {
    pub kind: StoreKind,
    pub max_records: usize,
    /// One Redis server.
    pub url: Option<String>,
    /// The nodes of a Redis Cluster (any subset reaches the whole cluster).
    pub urls: Vec<String>,
}

impl Default for Store {
    fn default() -> Self {
        Store {
            kind: StoreKind::Memory,
            max_records: 100_000,
            url: None,
            urls: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Otp {
    pub length: u8,
    pub ttl_secs: u32,
    pub max_attempts: u8,
    pub resend_cooldown_secs: u32,
    pub max_sends: u8,
}

impl Default for Otp {
    fn default() -> Self {
        Otp {
            length: 6,
            ttl_secs: 300,
            max_attempts: 5,
            resend_cooldown_secs: 30,
            max_sends: 3,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmsKind {
    Http,
    Outbox,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Sms {
    pub kind: SmsKind,
    pub url: Option<String>,
    pub sender: String,
    pub timeout_secs: u32,
    pub default_region: String,
}

impl Default for Sms {
    fn default() -> Self {
        Sms {
            kind: SmsKind::Http,
            url: None,
            sender: "idbroker".into(),
            timeout_secs: 5,
            default_region: "GB".into(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EmailKind {
    /// No e-mail: the `otp-email` provider and the `smtp-otp` grant are unavailable.
    None,
    Smtp,
    Outbox,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same host or network.
    Plain,
}

/// The SMTP sender; Ubisecure's `mail.smtp.host`, `.port`, `.from`, `.user`, `.password` and
/// `.starttls.enable` map onto these keys.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Email {
    pub kind: EmailKind,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<Secret>,
    pub from: Option<String>,
    pub timeout_secs: u32,
}

impl Default for Email {
    fn default() -> Self {
        Email {
            kind: EmailKind::None,
            host: None,
            port: None,
            security: SmtpSecurity::Starttls,
            username: None,
            password: None,
            from: None,
            timeout_secs: 10,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rest {
    pub token_ttl_secs: u32,
}

impl Default for Rest {
    fn default() -> Self {
        Rest {
            token_ttl_secs: 600,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Oidc {
    /// Where the signing keys live; created with fresh keys on first start.
    pub keys_file: String,
    /// How often a running broker checks its keys (the file, or Redis where the keys live with
    /// the Redis store) for a rotation.
    pub keys_reload_secs: u32,
    pub code_ttl_secs: u32,
    pub id_token_ttl_secs: u32,
    pub access_token_ttl_secs: u32,
}

impl Default for Oidc {
    fn default() -> Self {
        Oidc {
            keys_file: "keys.json".into(),
            keys_reload_secs: 30,
            code_ttl_secs: 60,
            id_token_ttl_secs: 600,
            access_token_ttl_secs: 600,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Saml {
    /// The IdP's signing key and certificate (PEM), created on first start.
    pub key_file: String,
    /// SP metadata files (`*.xml`) loaded at start; uploads are kept here too.
    pub metadata_dir: String,
    /// Bearer token for `POST /admin/saml/sps`; without it the endpoint does not exist.
    pub admin_token: Option<Secret>,
    /// Accept `http://` ACS locations on loopback hosts (development only).
    pub allow_loopback_http: bool,
    /// Sign the Response as well as the Assertion (HTTP-POST).
    pub sign_response: bool,
    /// How long an assertion may be used.
    pub assertion_ttl_secs: u32,
    /// How far an AuthnRequest's IssueInstant may be from our clock.
    pub max_clock_skew_secs: u32,
}

impl Default for Saml {
    fn default() -> Self {
        Saml {
            key_file: "saml-key.pem".into(),
            metadata_dir: "metadata".into(),
            admin_token: None,
            allow_loopback_http: false,
            sign_response: true,
            assertion_ttl_secs: 300,
            max_clock_skew_secs: 180,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Demo {
    pub enabled: bool,
    /// The client the demo page acts as; its callbacks under `/demo/callback/` are added.
    pub client_id: String,
}

impl Default for Demo {
    fn default() -> Self {
        Demo {
            enabled: false,
            client_id: "demo".into(),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Client {
    pub client_id: String,
    /// Absent for public clients and for clients that authenticate with `private_key_jwt` only.
    pub client_secret: Option<Secret>,
    #[serde(default)]
    pub callback_urls: Vec<String>,
    /// Providers its sessions may use; absent means every provider this broker can deliver for.
    pub allowed_providers: Option<Vec<String>>,
    #[serde(default)]
    pub grant_types: Vec<String>,
    /// OIDC redirect URIs, matched exactly.
    #[serde(default)]
    pub redirect_uris: Vec<String>,
    #[serde(default)]
    pub post_logout_redirect_uris: Vec<String>,
    /// A client that cannot keep a secret (an app on a device): PKCE is mandatory.
    #[serde(default)]
    pub public: bool,
    #[serde(default)]
    pub application_type: ApplicationType,
    /// A JWK Set (JSON text) whose keys sign the client's `private_key_jwt` assertions.
    pub jwks: Option<String>,
    #[serde(default = "rs256")]
    pub id_token_signed_response_alg: String,
    #[serde(default)]
    pub subject_type: SubjectType,
    /// Optional caps on the SMS this client's sessions may send.
    pub sms_per_hour: Option<u32>,
    pub sms_per_day: Option<u32>,
    /// Regions this client's users may receive SMS in (on top of `limits.sms_regions`).
    #[serde(default)]
    pub sms_regions: Vec<String>,
}

fn rs256() -> String {
    "RS256".into()
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApplicationType {
    #[default]
    Web,
    /// Native apps may use loopback redirect URIs on any port (RFC 8252 §7.3).
    Native,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubjectType {
    /// The same `sub` for every client: the REST `subject.id`.
    #[default]
    Public,
    /// A different `sub` per client for the same person.
    Pairwise,
}

fn all_providers() -> Vec<String> {
    Provider::ALL.iter().map(|p| p.name().to_owned()).collect()
}

/// A secret that never prints and is zeroed when dropped.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// One thing wrong with the configuration, named by its key.
#[derive(Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub key: String,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

/// Where the configuration came from, for the start-up log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    File,
    EmbeddedDevDefaults,
}

impl Config {
    /// The keys derived from `server.secret_key`; without one (allowed outside Redis), random
    /// keys for this process only.
    pub fn keys(&self) -> crate::core::keys::Keys {
        use crate::core::keys::{Key, Keys};
        match &self.server.secret_key {
            Some(secret) => Keys::from_secret(secret.expose().as_bytes()),
            None => {
                tracing::warn!(
                    "server.secret_key is not set: using a random key, so subject ids and tokens change on restart"
                );
                Keys::from_secret(&Key::random().mac(&[b"ephemeral"]))
            }
        }
    }

    /// The providers this broker can deliver codes for.
    pub fn available_providers(&self) -> Vec<Provider> {
        Provider::ALL
            .into_iter()
            .filter(|p| *p != Provider::OtpEmail || self.email.kind != EmailKind::None)
            .collect()
    }

    /// Reads `file` (or the embedded dev defaults when there is none) and the environment.
    pub fn load(file: Option<&Path>) -> Result<(Config, Source), Vec<ConfigError>> {
        let base = Figment::from(Serialized::defaults(Config::default()));
        let (figment, source) = match file {
            Some(path) => {
                if !path.is_file() {
                    return Err(vec![ConfigError {
                        key: "--config".into(),
                        message: format!("{} is not a readable file", path.display()),
                    }]);
                }
                (base.merge(Toml::file_exact(path)), Source::File)
            }
            None => (
                base.merge(Toml::string(DEV_DEFAULTS)),
                Source::EmbeddedDevDefaults,
            ),
        };
        let figment = figment.merge(Env::prefixed("IDBROKER_").split("__"));
        let mut config: Config = figment.extract().map_err(|e| {
            e.into_iter()
                .map(|e| ConfigError {
                    key: if e.path.is_empty() {
                        "(file)".into()
                    } else {
                        e.path.join(".")
                    },
                    message: e.kind.to_string(),
                })
                .collect::<Vec<_>>()
        })?;
        config.read_secret_file()?;
        config.validate()?;
        Ok((config, source))
    }

    fn read_secret_file(&mut self) -> Result<(), Vec<ConfigError>> {
        if let Some(path) = &self.server.secret_key_file {
            let text = std::fs::read_to_string(path).map_err(|e| {
                vec![ConfigError {
                    key: "server.secret_key_file".into(),
                    message: format!("cannot read {path}: {e}"),
                }]
            })?;
            self.server.secret_key = Some(Secret::new(text.trim()));
        }
        Ok(())
    }

    /// Checks every value once; returns every problem found, each naming its key.
    pub fn validate(&self) -> Result<(), Vec<ConfigError>> {
        let mut errors = Vec::new();
        let mut err = |key: &str, message: String| {
            errors.push(ConfigError {
                key: key.into(),
                message,
            })
        };
        if self.server.listen.parse::<SocketAddr>().is_err() {
            err(
                "server.listen",
                "must be an address and port such as 127.0.0.1:8080".into(),
            );
        }
        match Url::parse(&self.server.public_url) {
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
        if let Some(key) = &self.server.secret_key
            && key.expose().len() < 32
        {
            err(
                "server.secret_key",
                "must be at least 32 characters of random text (try `openssl rand -base64 48`)"
                    .into(),
            );
        }
        if !(60..=86_400).contains(&self.session.ttl_secs) {
            err("session.ttl_secs", "must be between 60 and 86400".into());
        }
        if self.session.retention_secs > 7 * 86_400 {
            err(
                "session.retention_secs",
                "must be at most 604800 (a week)".into(),
            );
        }
        for (i, cidr) in self.server.trusted_proxies.iter().enumerate() {
            if cidr.parse::<ipnet::IpNet>().is_err() && cidr.parse::<std::net::IpAddr>().is_err() {
                err(
                    &format!("server.trusted_proxies[{i}]"),
                    "must be an address or CIDR range such as 10.0.0.0/8".into(),
                );
            }
        }
        self.limits.validate(&mut err);
        if !(1..=3600).contains(&self.oidc.keys_reload_secs) {
            err("oidc.keys_reload_secs", "must be between 1 and 3600".into());
        }
        if self.store.kind == StoreKind::Redis {
            if self.server.secret_key.is_none() {
                err(
                    "server.secret_key",
                    "is required when store.kind = \"redis\": every instance must share it".into(),
                );
            }
            let redis_url = |u: &String| u.starts_with("redis://") || u.starts_with("rediss://");
            match (&self.store.url, self.store.urls.is_empty()) {
                (None, true) => err(
                    "store.url",
                    "is required when store.kind = \"redis\" (or store.urls for a cluster)".into(),
                ),
                (Some(_), false) => err(
                    "store.urls",
                    "give store.url (one server) or store.urls (a cluster), not both".into(),
                ),
                (Some(url), true) if !redis_url(url) => {
                    err("store.url", "must be a redis:// or rediss:// URL".into())
                }
                (None, false) if !self.store.urls.iter().all(redis_url) => err(
                    "store.urls",
                    "must all be redis:// or rediss:// URLs".into(),
                ),
                _ => {}
            }
        }
        if self.store.max_records == 0 {
            err("store.max_records", "must be at least 1".into());
        }
        if !(6..=10).contains(&self.otp.length) {
            err("otp.length", "must be between 6 and 10 digits".into());
        }
        if !(30..=600).contains(&self.otp.ttl_secs) {
            err(
                "otp.ttl_secs",
                "must be between 30 and 600 (10 minutes)".into(),
            );
        }
        if !(1..=10).contains(&self.otp.max_attempts) {
            err("otp.max_attempts", "must be between 1 and 10".into());
        }
        if self.otp.resend_cooldown_secs > 600 {
            err("otp.resend_cooldown_secs", "must be at most 600".into());
        }
        if !(1..=10).contains(&self.otp.max_sends) {
            err("otp.max_sends", "must be between 1 and 10".into());
        }
        match (self.sms.kind, &self.sms.url) {
            (SmsKind::Http, None) => err("sms.url", "is required when sms.kind = \"http\"".into()),
            (SmsKind::Http, Some(template)) => {
                if let Err(why) = check_gateway_template(template) {
                    err("sms.url", why);
                }
            }
            (SmsKind::Outbox, Some(_)) => err(
                "sms.url",
                "must not be set when sms.kind = \"outbox\"".into(),
            ),
            (SmsKind::Outbox, None) => {}
        }
        let outbox = self.sms.kind == SmsKind::Outbox || self.email.kind == EmailKind::Outbox;
        if outbox && !self.server.dev_outbox_unsafe && !self.loopback_only() {
            err(
                if self.sms.kind == SmsKind::Outbox {
                    "sms.kind"
                } else {
                    "email.kind"
                },
                "the dev outbox shows every code unauthenticated: only with a loopback server.listen and an http loopback server.public_url (or server.dev_outbox_unsafe = true)".into(),
            );
        }
        if !valid_sender(&self.sms.sender) {
            err("sms.sender", SENDER_RULE.into());
        }
        if !(1..=60).contains(&self.sms.timeout_secs) {
            err("sms.timeout_secs", "must be between 1 and 60".into());
        }
        if PhonePolicy::new(&self.sms.default_region).is_none() {
            err(
                "sms.default_region",
                "must be a two-letter region code such as GB, NO or SE".into(),
            );
        }
        if self.oidc.keys_file.is_empty() {
            err("oidc.keys_file", "must name a file".into());
        }
        if !(10..=600).contains(&self.oidc.code_ttl_secs) {
            err("oidc.code_ttl_secs", "must be between 10 and 600".into());
        }
        if !(60..=86_400).contains(&self.oidc.id_token_ttl_secs) {
            err(
                "oidc.id_token_ttl_secs",
                "must be between 60 and 86400".into(),
            );
        }
        if !(60..=86_400).contains(&self.oidc.access_token_ttl_secs) {
            err(
                "oidc.access_token_ttl_secs",
                "must be between 60 and 86400".into(),
            );
        }
        if self.email.kind == EmailKind::Smtp {
            if self.email.host.as_deref().is_none_or(str::is_empty) {
                err(
                    "email.host",
                    "is required when email.kind = \"smtp\"".into(),
                );
            }
            match self
                .email
                .from
                .as_deref()
                .map(str::parse::<lettre::message::Mailbox>)
            {
                Some(Ok(_)) => {}
                _ => err(
                    "email.from",
                    "must be a sender address such as \"Example <no-reply@example.com>\"".into(),
                ),
            }
            if self.email.username.is_some() != self.email.password.is_some() {
                err("email.username", "username and password go together".into());
            }
        }
        if !(1..=120).contains(&self.email.timeout_secs) {
            err("email.timeout_secs", "must be between 1 and 120".into());
        }
        if self
            .saml
            .admin_token
            .as_ref()
            .is_some_and(|t| t.expose().len() < 32)
        {
            err(
                "saml.admin_token",
                "must be at least 32 characters of random text".into(),
            );
        }
        if !(30..=3600).contains(&self.saml.assertion_ttl_secs) {
            err(
                "saml.assertion_ttl_secs",
                "must be between 30 and 3600".into(),
            );
        }
        if !(10..=900).contains(&self.saml.max_clock_skew_secs) {
            err(
                "saml.max_clock_skew_secs",
                "must be between 10 and 900".into(),
            );
        }
        if !(60..=86_400).contains(&self.rest.token_ttl_secs) {
            err("rest.token_ttl_secs", "must be between 60 and 86400".into());
        }
        let mut seen = std::collections::HashSet::new();
        for (i, client) in self.clients.iter().enumerate() {
            let key = |field: &str| format!("clients[{i}].{field}");
            if client.client_id.is_empty()
                || client.client_id.len() > 128
                || client.client_id.contains(':')
            {
                err(
                    &key("client_id"),
                    "must be 1 to 128 characters without ':'".into(),
                );
            }
            if !seen.insert(client.client_id.as_str()) {
                err(
                    &key("client_id"),
                    format!("{:?} is used by another client", client.client_id),
                );
            }
            match (&client.client_secret, client.public, &client.jwks) {
                (Some(_), true, _) => err(
                    &key("client_secret"),
                    "a public client has no secret".into(),
                ),
                (Some(secret), false, _) if secret.expose().len() < 8 => err(
                    &key("client_secret"),
                    "must be at least 8 characters".into(),
                ),
                (None, false, None) => err(
                    &key("client_secret"),
                    "is required unless the client is public or has jwks".into(),
                ),
                _ => {}
            }
            if let Some(jwks) = &client.jwks
                && serde_json::from_str::<jsonwebtoken::jwk::JwkSet>(jwks).is_err()
            {
                err(
                    &key("jwks"),
                    "must be a JWK Set in JSON: {\"keys\": [...]}".into(),
                );
            }
            if !["RS256", "ES256"].contains(&client.id_token_signed_response_alg.as_str()) {
                err(
                    &key("id_token_signed_response_alg"),
                    "must be RS256 or ES256".into(),
                );
            }
            for (field, uris) in [
                ("redirect_uris", &client.redirect_uris),
                (
                    "post_logout_redirect_uris",
                    &client.post_logout_redirect_uris,
                ),
            ] {
                for (j, uri) in uris.iter().enumerate() {
                    if let Err(why) = check_redirect_uri(uri, client.application_type) {
                        err(&key(&format!("{field}[{j}]")), why.into());
                    }
                }
            }
            // A public client has no secret: its client_id alone would send codes anywhere.
            if client.public
                && client.grant_types.iter().any(|g| {
                    g == crate::core::grant::SMS_GRANT || g == crate::core::grant::EMAIL_GRANT
                })
            {
                err(
                    &key("grant_types"),
                    "a public client may not hold a direct OTP grant (sms-mt-otp, smtp-otp): anyone with its client_id could send codes".into(),
                );
            }
            let code_grant = client.grant_types.iter().any(|g| g == "authorization_code");
            if code_grant
                && client.redirect_uris.is_empty()
                && !(self.demo.enabled && client.client_id == self.demo.client_id)
            {
                err(
                    &key("redirect_uris"),
                    "authorization_code needs at least one redirect URI".into(),
                );
            }
            for (j, cb) in client.callback_urls.iter().enumerate() {
                match Url::parse(cb) {
                    Ok(url)
                        if matches!(url.scheme(), "http" | "https") && url.fragment().is_none() => {
                    }
                    _ => err(
                        &key(&format!("callback_urls[{j}]")),
                        "must be an absolute http(s) URL without a fragment".into(),
                    ),
                }
            }
            let providers = client.allowed_providers.as_deref().unwrap_or_default();
            if client.allowed_providers.is_some() && providers.is_empty() {
                err(
                    &key("allowed_providers"),
                    "must name at least one provider".into(),
                );
            }
            for p in providers {
                if p == "otp-email" && self.email.kind == EmailKind::None {
                    err(
                        &key("allowed_providers"),
                        "otp-email needs an e-mail sender ([email] kind)".into(),
                    );
                }
                if Provider::from_name(p).is_none() {
                    err(
                        &key("allowed_providers"),
                        format!(
                            "unknown provider {p:?}; known: {}",
                            all_providers().join(", ")
                        ),
                    );
                }
            }
            limits::check_regions(&key("sms_regions"), &client.sms_regions, &mut err);
            for g in &client.grant_types {
                if !GRANT_TYPES.contains(&g.as_str()) {
                    err(
                        &key("grant_types"),
                        format!(
                            "unknown grant type {g:?}; known: {}",
                            GRANT_TYPES.join(", ")
                        ),
                    );
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Whether the broker can be reached only from this machine: a loopback listener and a
    /// plain-http loopback public URL.
    fn loopback_only(&self) -> bool {
        let listen = self
            .server
            .listen
            .parse::<SocketAddr>()
            .is_ok_and(|a| a.ip().is_loopback());
        let public = Url::parse(&self.server.public_url).is_ok_and(|u| {
            u.scheme() == "http" && (is_loopback(&u) || u.host_str() == Some("localhost"))
        });
        listen && public
    }

    pub fn public_url(&self) -> Url {
        Url::parse(&self.server.public_url).expect("validated at load")
    }
}

/// Redirect URIs: absolute, no fragment; `https` for web clients; for native clients also
/// `http` on a loopback address and their own custom schemes (RFC 8252 §7).
fn check_redirect_uri(uri: &str, kind: ApplicationType) -> Result<(), &'static str> {
    let url = Url::parse(uri).map_err(|_| "must be an absolute URI")?;
    if url.fragment().is_some() {
        return Err("must not have a fragment");
    }
    let native = kind == ApplicationType::Native;
    match url.scheme() {
        "https" => Ok(()),
        "http" if native && is_loopback(&url) => Ok(()),
        "http" if native => Err("plain http only on a loopback address (127.0.0.1 or [::1])"),
        "http" => Err("must use https (plain http only for native clients, on loopback)"),
        "javascript" | "data" | "file" | "vbscript" => Err("must not use a script or data scheme"),
        _ if !native => {
            Err("custom schemes are for native clients (application_type = \"native\")")
        }
        _ if url.cannot_be_a_base() && url.scheme() != "urn" => Err("must be an absolute URI"),
        _ => Ok(()),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        _ => false,
    }
}

fn check_gateway_template(template: &str) -> Result<(), String> {
    for needed in ["{mobile}", "{challenge}"] {
        if !template.contains(needed) {
            return Err(format!("must contain {needed}"));
        }
    }
    let sample = template
        .replace("{mobile}", "1")
        .replace("{challenge}", "1")
        .replace("{sender}", "1");
    match Url::parse(&sample) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => Ok(()),
        _ => Err("must be an http(s) URL template such as https://gw.example/send?to={mobile}&text={challenge}".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_defaults_are_valid() {
        let (config, source) = Config::load(None).unwrap();
        assert_eq!(source, Source::EmbeddedDevDefaults);
        assert_eq!(config.clients[0].client_id, "demo");
        assert!(config.demo.enabled);
    }

    #[test]
    fn errors_name_their_keys() {
        let mut config = Config::load(None).unwrap().0;
        config.otp.length = 4;
        config.sms.kind = SmsKind::Http;
        config.clients[0].allowed_providers = Some(vec!["bankid".into()]);
        let errors = config.validate().unwrap_err();
        let keys: Vec<_> = errors.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(
            keys,
            ["otp.length", "sms.url", "clients[0].allowed_providers"]
        );
    }

    #[test]
    fn instances_on_redis_must_share_a_secret() {
        let mut config = Config::load(None).unwrap().0;
        config.store.kind = StoreKind::Redis;
        config.store.url = Some("redis://127.0.0.1:6379".into());
        config.server.secret_key = None;
        config.oidc.keys_reload_secs = 0;
        let errors = config.validate().unwrap_err();
        let keys: Vec<_> = errors.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["oidc.keys_reload_secs", "server.secret_key"]);
    }

    #[test]
    fn secrets_do_not_print() {
        let config = Config::load(None).unwrap().0;
        assert!(!format!("{config:?}").contains("demo-secret"));
    }

    #[test]
    fn sender_names() {
        assert!(valid_sender("Signicat AS"));
        assert!(!valid_sender("Signicat ASA"));
        assert!(!valid_sender("A\n@evil #1"));
        assert!(!valid_sender(""));
    }

    #[test]
    fn gateway_template() {
        assert!(check_gateway_template("https://gw/send?to={mobile}&m={challenge}").is_ok());
        assert!(check_gateway_template("https://gw/send?to={mobile}").is_err());
        assert!(check_gateway_template("ftp://gw/{mobile}/{challenge}").is_err());
    }
}
