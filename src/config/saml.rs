//! `[saml]`: the IdP's key, the SPs' metadata, and what an assertion may be.

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use super::Secret;
use super::branding::Branding;

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
    /// How the sign-in pages name and show each SP, by entity id.
    pub branding: BTreeMap<String, Branding>,
}

impl Default for Saml {
    fn default() -> Self {
        Saml {
            // Empty: under `server.data_dir`.
            key_file: String::new(),
            metadata_dir: String::new(),
            admin_token: None,
            allow_loopback_http: false,
            sign_response: true,
            assertion_ttl_secs: 300,
            max_clock_skew_secs: 180,
            branding: BTreeMap::new(),
        }
    }
}

impl Saml {
    pub(super) fn check(&self, err: &mut impl FnMut(&str, String)) {
        if self
            .admin_token
            .as_ref()
            .is_some_and(|t| t.expose().len() < 32)
        {
            err(
                "saml.admin_token",
                "must be at least 32 characters of random text".into(),
            );
        }
        if !(30..=3600).contains(&self.assertion_ttl_secs) {
            err(
                "saml.assertion_ttl_secs",
                "must be between 30 and 3600".into(),
            );
        }
        if !(10..=900).contains(&self.max_clock_skew_secs) {
            err(
                "saml.max_clock_skew_secs",
                "must be between 10 and 900".into(),
            );
        }
        for (entity, branding) in &self.branding {
            branding.check(&|field| format!("saml.branding.{entity:?}.{field}"), err);
        }
    }
}
