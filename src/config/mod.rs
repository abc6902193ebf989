//! Configuration: one typed struct, layered as built-in defaults → TOML file (or the embedded
//! dev file) → `IDBROKER_` environment variables (`__` between levels). Checked once at start:
//! each section checks its own keys, so every problem is reported at once.

use std::path::Path;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use url::Url;
use zeroize::Zeroize;

mod branding;
mod clients;
mod demo;
mod email;
mod hid;
mod limits;
mod log;
mod oidc;
mod otp;
mod parsed;
mod rest;
mod saml;
mod server;
mod session;
mod sms;
mod store;

pub use branding::{Branding, DARK_SURFACE, LIGHT_SURFACE, Logo, MIN_CONTRAST, Rgb};
pub use clients::{ApplicationType, Client, SigningAlg, SubjectType};
pub use demo::Demo;
pub use email::{Email, EmailKind, SmtpSecurity};
pub use hid::{Directory, DirectoryKind, Hid, Tenant};
pub use limits::{Limits, NUMBER_TYPES};
pub use log::{Log, LogFormat};
pub use oidc::Oidc;
pub use otp::Otp;
pub use parsed::{FromText, Parsed};
pub use rest::Rest;
pub use saml::Saml;
pub use server::Server;
pub use session::Session;
pub use sms::{Sms, SmsKind};
pub use store::{Store, StoreKind};

use crate::core::provider::Provider;

pub const DEV_DEFAULTS: &str = include_str!("../../config/dev.toml");

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub server: Server,
    pub log: Log,
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
    pub hid: Hid,
    pub directory: Directory,
    pub clients: Vec<Client>,
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
        let (mut config, mut errors) = extract_all(figment)?;
        config.place_in_data_dir();
        if let Err(more) = config.read_secret_file() {
            errors.extend(more);
        }
        if let Err(more) = config.validate() {
            errors.extend(more);
        }
        match errors.is_empty() {
            true => Ok((config, source)),
            false => Err(errors),
        }
    }

    /// Files and folders left unnamed go under `server.data_dir`.
    fn place_in_data_dir(&mut self) {
        let dir = std::path::Path::new(&self.server.data_dir);
        let under = |name: &str| dir.join(name).to_string_lossy().into_owned();
        if self.oidc.keys_file.is_empty() {
            self.oidc.keys_file = under("keys.json");
        }
        if self.saml.key_file.is_empty() {
            self.saml.key_file = under("saml-key.pem");
        }
        if self.saml.metadata_dir.is_empty() {
            self.saml.metadata_dir = under("metadata");
        }
        if self.directory.url.is_empty() {
            self.directory.url = format!("sqlite://{}?mode=rwc", under("directory.db"));
        }
    }

    /// Creates `server.data_dir` readable by this user only, when something will live there.
    pub fn make_data_dir(&self) -> Result<(), String> {
        let dir = std::path::Path::new(&self.server.data_dir);
        if dir.as_os_str().is_empty() || dir.is_dir() {
            return Ok(());
        }
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(dir)
            .map_err(|e| format!("server.data_dir: cannot create {}: {e}", dir.display()))
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

    /// Checks every value once; returns every problem found, each naming its key. A section
    /// also reports what other sections' settings require of its keys.
    pub fn validate(&self) -> Result<(), Vec<ConfigError>> {
        let mut errors = Vec::new();
        let mut err = |key: &str, message: String| {
            errors.push(ConfigError {
                key: key.into(),
                message,
            })
        };
        self.oidc.check(&mut err);
        self.server.check(self, &mut err);
        self.log.check(&mut err);
        self.session.check(&mut err);
        self.store.check(&mut err);
        self.otp.check(&mut err);
        self.sms.check(self, &mut err);
        self.email.check(self, &mut err);
        self.rest.check(&mut err);
        self.saml.check(&mut err);
        self.limits.validate(&mut err);
        self.hid.check(self, &mut err);
        clients::check(&self.clients, self, &mut err);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    pub fn public_url(&self) -> Url {
        Url::parse(&self.server.public_url).expect("validated at load")
    }
}

/// Reads the configuration, reporting every key that is unknown or of the wrong type rather
/// than stopping at the first: each offending key is set aside and the rest read again, so the
/// checks of every section still run on what is left.
fn extract_all(figment: Figment) -> Result<(Config, Vec<ConfigError>), Vec<ConfigError>> {
    use figment::error::Kind;
    let unreadable = |e: figment::Error| {
        vec![ConfigError {
            key: "(file)".into(),
            message: e.to_string(),
        }]
    };
    let mut value: figment::value::Value = figment.extract().map_err(unreadable)?;
    let mut errors = Vec::new();
    // Each round sets aside at least one key; a file has only so many.
    for _ in 0..200 {
        let attempt = Figment::from(Serialized::defaults(&value)).extract::<Config>();
        let problems = match attempt {
            Ok(config) => return Ok((config, errors)),
            Err(e) => e,
        };
        let mut removed = false;
        for problem in problems {
            let (path, message) = match &problem.kind {
                Kind::UnknownField(field, known) => {
                    let mut path = problem.path.clone();
                    if path.last() != Some(field) {
                        path.push(field.clone());
                    }
                    (
                        path,
                        format!("unknown key; known keys here: {}", known.join(", ")),
                    )
                }
                Kind::MissingField(field) => {
                    let mut path = problem.path.clone();
                    if path.last().map(String::as_str) != Some(field.as_ref()) {
                        path.push(field.to_string());
                    }
                    (path, "is required".into())
                }
                kind => (problem.path.clone(), kind.to_string().replace('`', "")),
            };
            if path.is_empty() {
                return Err(vec![ConfigError {
                    key: "(file)".into(),
                    message,
                }]);
            }
            errors.push(ConfigError {
                key: key_name(&path),
                message,
            });
            removed |= remove_key(&mut value, &path);
        }
        if !removed {
            break;
        }
    }
    Err(errors)
}

/// `clients[0].colour`, the way the checks of each section name keys.
fn key_name(path: &[String]) -> String {
    let mut key = String::new();
    for part in path {
        match part.parse::<usize>() {
            Ok(index) => key.push_str(&format!("[{index}]")),
            Err(_) if key.is_empty() => key.push_str(part),
            Err(_) => {
                key.push('.');
                key.push_str(part);
            }
        }
    }
    key
}

/// Removes the value at `path` (dictionary keys, or indexes into arrays).
fn remove_key(value: &mut figment::value::Value, path: &[String]) -> bool {
    use figment::value::Value;
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut at = value;
    for key in parents {
        at = match at {
            Value::Dict(_, dict) => match dict.get_mut(key) {
                Some(next) => next,
                None => return false,
            },
            Value::Array(_, items) => {
                match key.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                    Some(next) => next,
                    None => return false,
                }
            }
            _ => return false,
        };
    }
    match at {
        Value::Dict(_, dict) => dict.remove(last).is_some(),
        Value::Array(_, items) => match last.parse::<usize>() {
            Ok(i) if i < items.len() => {
                items.remove(i);
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// A loopback IP address (not a name that may resolve to one).
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        _ => false,
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
}
