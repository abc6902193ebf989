//! `[[clients]]`: the registered relying parties, as configured and validated. The OAuth
//! layer holds these (`oauth::Clients`) and checks their credentials.

use std::collections::HashSet;

use jsonwebtoken::Algorithm;
use jsonwebtoken::jwk::JwkSet;
use serde::{Deserialize, Serialize};
use url::Url;

use super::branding::Branding;
use super::parsed::{FromText, Parsed};
use super::{Config, EmailKind, Secret, is_loopback, limits};
use crate::core::confirm::DETAILS_TYPES;
use crate::core::grant::GrantType;
use crate::core::provider::Provider;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Client {
    pub client_id: String,
    /// Absent for public clients and for clients that authenticate with `private_key_jwt` only.
    pub client_secret: Option<Secret>,
    #[serde(default)]
    pub callback_urls: Vec<String>,
    /// Providers its sessions may use; absent means every provider this broker can deliver
    /// for, which `oauth::Clients` fills in.
    pub allowed_providers: Option<Vec<Parsed<Provider>>>,
    #[serde(default)]
    pub grant_types: Vec<Parsed<GrantType>>,
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
    pub jwks: Option<Parsed<JwkSet>>,
    #[serde(default = "rs256")]
    pub id_token_signed_response_alg: Parsed<SigningAlg>,
    #[serde(default)]
    pub subject_type: SubjectType,
    /// Optional caps on the SMS this client's sessions may send.
    pub sms_per_hour: Option<u32>,
    pub sms_per_day: Option<u32>,
    /// Regions this client's users may receive SMS in (on top of `limits.sms_regions`).
    #[serde(default)]
    pub sms_regions: Vec<String>,
    /// RFC 9396 `authorization_details` types the client may request (`payment_initiation`).
    #[serde(default)]
    pub authorization_details_types: Vec<String>,
    /// The HID tenant the client belongs to; without one it cannot use the HID-compatible API.
    pub hid_tenant: Option<String>,
    /// An administrator of its tenant: may use SCIM. A plain client may only authenticate users.
    #[serde(default)]
    pub hid_admin: bool,
    /// How the sign-in pages name and show this service.
    #[serde(default)]
    pub branding: Branding,
}

fn rs256() -> Parsed<SigningAlg> {
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

/// How a client's ID tokens are signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SigningAlg {
    Rs256,
    Es256,
}

impl From<SigningAlg> for Algorithm {
    fn from(alg: SigningAlg) -> Algorithm {
        match alg {
            SigningAlg::Rs256 => Algorithm::RS256,
            SigningAlg::Es256 => Algorithm::ES256,
        }
    }
}

impl FromText for SigningAlg {
    fn from_text(text: &str) -> Option<SigningAlg> {
        match text {
            "RS256" => Some(SigningAlg::Rs256),
            "ES256" => Some(SigningAlg::Es256),
            _ => None,
        }
    }

    fn refusal(_: &str) -> String {
        "must be RS256 or ES256".into()
    }
}

impl FromText for JwkSet {
    fn from_text(text: &str) -> Option<JwkSet> {
        serde_json::from_str(text).ok()
    }

    fn refusal(_: &str) -> String {
        "must be a JWK Set in JSON: {\"keys\": [...]}".into()
    }
}

impl Client {
    pub fn has_callback(&self, url: &str) -> bool {
        self.callback_urls.iter().any(|c| c == url)
    }

    pub fn may_use(&self, grant: GrantType) -> bool {
        self.grant_types.iter().any(|g| g.get() == Some(&grant))
    }

    /// The providers its sessions may use (none before `oauth::Clients` fills in an absent
    /// list).
    pub fn providers(&self) -> Vec<Provider> {
        self.allowed_providers
            .iter()
            .flatten()
            .filter_map(|p| p.get().copied())
            .collect()
    }

    pub fn allows(&self, provider: Provider) -> bool {
        self.allowed_providers
            .iter()
            .flatten()
            .any(|p| p.get() == Some(&provider))
    }

    pub fn id_token_alg(&self) -> Algorithm {
        self.id_token_signed_response_alg
            .get()
            .copied()
            .unwrap_or(SigningAlg::Rs256)
            .into()
    }

    /// The keys that sign its `private_key_jwt` assertions.
    pub fn jwks(&self) -> Option<&JwkSet> {
        self.jwks.as_ref().and_then(Parsed::get)
    }

    fn check(
        &self,
        key: &impl Fn(&str) -> String,
        config: &Config,
        err: &mut impl FnMut(&str, String),
    ) {
        self.branding
            .check(&|field| key(&format!("branding.{field}")), err);
        for kind in &self.authorization_details_types {
            if !DETAILS_TYPES.contains(&kind.as_str()) {
                err(
                    &key("authorization_details_types"),
                    format!("unknown type {kind:?}; known: {}", DETAILS_TYPES.join(", ")),
                );
            }
        }
        match (&self.client_secret, self.public, &self.jwks) {
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
        if let Some(why) = self.jwks.as_ref().and_then(Parsed::refusal) {
            err(&key("jwks"), why);
        }
        if let Some(why) = self.id_token_signed_response_alg.refusal() {
            err(&key("id_token_signed_response_alg"), why);
        }
        for (field, uris) in [
            ("redirect_uris", &self.redirect_uris),
            ("post_logout_redirect_uris", &self.post_logout_redirect_uris),
        ] {
            for (j, uri) in uris.iter().enumerate() {
                if let Err(why) = check_redirect_uri(uri, self.application_type) {
                    err(&key(&format!("{field}[{j}]")), why.into());
                }
            }
        }
        // A public client has no secret: its client_id alone would send codes anywhere.
        if self.public && (self.may_use(GrantType::SmsOtp) || self.may_use(GrantType::EmailOtp)) {
            err(
                &key("grant_types"),
                "a public client may not hold a direct OTP grant (sms-mt-otp, smtp-otp): anyone with its client_id could send codes".into(),
            );
        }
        if self.may_use(GrantType::AuthorizationCode)
            && self.redirect_uris.is_empty()
            && !config.demo.acts_as(&self.client_id)
        {
            err(
                &key("redirect_uris"),
                "authorization_code needs at least one redirect URI".into(),
            );
        }
        for (j, cb) in self.callback_urls.iter().enumerate() {
            match Url::parse(cb) {
                Ok(url) if matches!(url.scheme(), "http" | "https") && url.fragment().is_none() => {
                }
                _ => err(
                    &key(&format!("callback_urls[{j}]")),
                    "must be an absolute http(s) URL without a fragment".into(),
                ),
            }
        }
        let providers = self.allowed_providers.as_deref().unwrap_or_default();
        if self.allowed_providers.is_some() && providers.is_empty() {
            err(
                &key("allowed_providers"),
                "must name at least one provider".into(),
            );
        }
        for p in providers {
            if p.get() == Some(&Provider::OtpEmail) && config.email.kind == EmailKind::None {
                err(
                    &key("allowed_providers"),
                    "otp-email needs an e-mail sender ([email] kind)".into(),
                );
            }
            if let Some(why) = p.refusal() {
                err(&key("allowed_providers"), why);
            }
        }
        limits::check_regions(&key("sms_regions"), &self.sms_regions, err);
        for why in self.grant_types.iter().filter_map(Parsed::refusal) {
            err(&key("grant_types"), why);
        }
    }
}

/// Every client's rules, and that no two share a `client_id`.
pub(super) fn check(clients: &[Client], config: &Config, err: &mut impl FnMut(&str, String)) {
    let mut seen = HashSet::new();
    for (i, client) in clients.iter().enumerate() {
        let key = |field: &str| format!("clients[{i}].{field}");
        let id = &client.client_id;
        if id.is_empty() || id.len() > 128 || id.contains(':') {
            err(
                &key("client_id"),
                "must be 1 to 128 characters without ':'".into(),
            );
        }
        if !seen.insert(id.as_str()) {
            err(
                &key("client_id"),
                format!("{id:?} is used by another client"),
            );
        }
        client.check(&key, config, err);
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
