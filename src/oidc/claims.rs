//! Which claims each scope releases, for ID tokens and userinfo alike.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::{Map, Value};

use crate::config::SubjectType;
use crate::core::provider::Provider;
use crate::oauth::{Client, OAuth};

/// The `sub` a client sees: the REST API's subject id, or a per-client one.
pub fn subject(state: &OAuth, client: &Client, provider: Provider, identifier: &str) -> String {
    let public = state.login.subject(provider, identifier).id;
    match client.subject_type {
        SubjectType::Public => public,
        SubjectType::Pairwise => URL_SAFE_NO_PAD.encode(state.keys.subject.mac(&[
            b"pairwise",
            client.client_id.as_bytes(),
            public.as_bytes(),
        ])),
    }
}

/// The claims the granted scopes release about the verified identifier.
pub fn scoped(scope: &[String], provider: Provider, identifier: &str) -> Map<String, Value> {
    let mut claims = Map::new();
    let has = |s: &str| scope.iter().any(|g| g == s);
    if has("idp-id") {
        claims.insert("idp_id".into(), identifier.into());
        claims.insert("idp_issuer".into(), provider.name().into());
    }
    if has("phone") && provider == Provider::OtpSms {
        claims.insert("phone_number".into(), identifier.into());
        claims.insert("phone_number_verified".into(), true.into());
    }
    if has("email") && provider == Provider::OtpEmail {
        claims.insert("email".into(), identifier.into());
        claims.insert("email_verified".into(), true.into());
    }
    claims
}
