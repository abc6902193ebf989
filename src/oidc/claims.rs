//! Which claims each scope releases, for ID tokens and userinfo alike.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::{Map, Value};

use crate::config::SubjectType;
use crate::core::provider::Provider;
use crate::token::Client;
use crate::web::AppState;

/// The `sub` a client sees: the REST API's subject id, or a per-client one.
pub fn subject(state: &AppState, client: &Client, provider: Provider, identifier: &str) -> String {
    let public = state.login.subject(provider, identifier).id;
    match client.subject_type {
        SubjectType::Public => public,
        SubjectType::Pairwise => URL_SAFE_NO_PAD.encode(state.keys.subject.mac(&[
            b"pairwise",
            client.id.as_bytes(),
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

/// The claims every ID token carries: who issued it, about whom, for whom, when, and how the
/// user was authenticated.
pub fn id_token(
    state: &AppState,
    client_id: &str,
    sub: &str,
    provider: Provider,
    auth_time: time::OffsetDateTime,
) -> Map<String, Value> {
    let now = state.login.now();
    let ttl = time::Duration::seconds(state.config.oidc.id_token_ttl_secs.into());
    let mut claims = Map::new();
    claims.insert("iss".into(), super::issuer(state).into());
    claims.insert("sub".into(), sub.into());
    claims.insert("aud".into(), client_id.into());
    claims.insert("exp".into(), (now + ttl).unix_timestamp().into());
    claims.insert("iat".into(), now.unix_timestamp().into());
    claims.insert("auth_time".into(), auth_time.unix_timestamp().into());
    claims.insert("acr".into(), super::acr(provider).into());
    claims.insert("amr".into(), super::amr(provider).to_vec().into());
    claims
}

/// Signs an ID token on the blocking pool: RSA is CPU work that would otherwise stall the async
/// threads serving everyone else.
pub async fn sign(
    state: &AppState,
    alg: jsonwebtoken::Algorithm,
    claims: Map<String, Value>,
) -> Result<String, crate::token::OAuthError> {
    let keys = state
        .signing
        .current()
        .ok_or_else(crate::token::OAuthError::temporarily_unavailable)?;
    tokio::task::spawn_blocking(move || keys.sign(alg, &claims))
        .await
        .ok()
        .and_then(Result::ok)
        .ok_or_else(crate::token::OAuthError::server_error)
}
