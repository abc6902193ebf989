//! The registered relying parties (`config::Client`, checked at load) and how they prove who
//! they are at the token endpoint: `client_secret_basic`, `client_secret_post`,
//! `private_key_jwt`, or `none` for public clients.

use std::collections::HashMap;

use axum::http::{HeaderMap, header};
use base64::{Engine, engine::general_purpose::STANDARD};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use subtle::ConstantTimeEq;
use time::Duration;

use super::OAuth;
use super::OAuthError;
pub use crate::config::Client;
use crate::config::Secret;
use crate::core::provider::Provider;
use crate::core::records::first_sight;
use crate::web::body::Form;

pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

pub struct Clients {
    by_id: HashMap<String, Client>,
    /// Compared against when the client id is unknown, so both cases take the same time.
    decoy: Secret,
}

/// How a client proved itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthMethod {
    Basic,
    Post,
    PrivateKeyJwt,
    None,
}

impl Clients {
    /// `available`: the providers a client without an explicit list gets.
    pub fn from_config(clients: &[Client], available: &[Provider]) -> Clients {
        let by_id = clients
            .iter()
            .map(|c| {
                let mut client = c.clone();
                client
                    .allowed_providers
                    .get_or_insert_with(|| available.iter().map(|p| p.name().into()).collect());
                (client.client_id.clone(), client)
            })
            .collect();
        Clients {
            by_id,
            decoy: Secret::new(crate::core::ids::random_token()),
        }
    }

    /// Registers more callback and redirect URLs for a client (the demo page's own).
    pub fn add_urls(&mut self, id: &str, callbacks: &[String], redirect_uris: &[String]) {
        if let Some(client) = self.by_id.get_mut(id) {
            client.callback_urls.extend(callbacks.iter().cloned());
            client.redirect_uris.extend(redirect_uris.iter().cloned());
        }
    }

    pub fn get(&self, id: &str) -> Option<&Client> {
        self.by_id.get(id)
    }

    /// Exactly one authentication method per request (RFC 6749 §2.3).
    pub async fn authenticate<'a>(
        &'a self,
        state: &OAuth,
        headers: &HeaderMap,
        form: &Form,
    ) -> Result<(&'a Client, AuthMethod), OAuthError> {
        let basic = headers.get(header::AUTHORIZATION);
        let assertion = form.get("client_assertion");
        let secret = form.get("client_secret");
        let methods = [basic.is_some(), assertion.is_some(), secret.is_some()];
        if methods.iter().filter(|m| **m).count() > 1 {
            return Err(OAuthError::invalid_request(
                "use one client authentication method, not two",
            ));
        }
        if let Some(value) = basic {
            let (id, secret) = parse_basic(value.to_str().unwrap_or(""))
                .ok_or_else(|| OAuthError::invalid_client(true))?;
            if form.get("client_id").is_some_and(|form_id| form_id != id) {
                return Err(OAuthError::invalid_request(
                    "client_id does not match the credentials",
                ));
            }
            return self
                .check_secret(&id, &secret, true)
                .map(|c| (c, AuthMethod::Basic));
        }
        if let Some(assertion) = assertion {
            return self
                .check_assertion(state, form, assertion)
                .await
                .map(|c| (c, AuthMethod::PrivateKeyJwt));
        }
        let id = form
            .get("client_id")
            .ok_or_else(|| OAuthError::invalid_client(false))?;
        match secret {
            Some(secret) => self
                .check_secret(id, secret, false)
                .map(|c| (c, AuthMethod::Post)),
            None => match self.by_id.get(id) {
                Some(client) if client.public => Ok((client, AuthMethod::None)),
                _ => Err(OAuthError::invalid_client(false)),
            },
        }
    }

    fn check_secret(&self, id: &str, secret: &str, basic: bool) -> Result<&Client, OAuthError> {
        let client = self.by_id.get(id);
        let expected = client
            .and_then(|c| c.client_secret.as_ref())
            .unwrap_or(&self.decoy);
        let matches: bool = expected.expose().as_bytes().ct_eq(secret.as_bytes()).into();
        match client {
            Some(client) if matches && client.client_secret.is_some() => Ok(client),
            _ => {
                tracing::info!(basic, "client authentication failed");
                Err(OAuthError::invalid_client(basic))
            }
        }
    }

    /// `private_key_jwt` (RFC 7523): a JWT signed with one of the client's registered keys,
    /// issued by and about the client, for our token endpoint, used once.
    async fn check_assertion(
        &self,
        state: &OAuth,
        form: &Form,
        assertion: &str,
    ) -> Result<&Client, OAuthError> {
        let fail = |why: &str| {
            tracing::info!(why, "client assertion refused");
            OAuthError::invalid_client(false)
        };
        if form.get("client_assertion_type") != Some(ASSERTION_TYPE) {
            return Err(OAuthError::invalid_request(
                "client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ));
        }
        let header = jsonwebtoken::decode_header(assertion).map_err(|_| fail("malformed"))?;
        if !matches!(
            header.alg,
            Algorithm::RS256 | Algorithm::ES256 | Algorithm::PS256
        ) {
            return Err(fail("algorithm"));
        }
        #[derive(Deserialize)]
        struct Unverified {
            iss: String,
        }
        let unverified: Unverified = jsonwebtoken::dangerous::insecure_decode_claims(assertion)
            .map_err(|_| fail("claims"))?;
        let client = self
            .by_id
            .get(&unverified.iss)
            .ok_or_else(|| fail("unknown client"))?;
        if form
            .get("client_id")
            .is_some_and(|id| id != client.client_id)
        {
            return Err(fail("client_id mismatch"));
        }
        let jwks = client.jwks().ok_or_else(|| fail("no keys registered"))?;
        let jwk = match &header.kid {
            Some(kid) => jwks.find(kid),
            None if jwks.keys.len() == 1 => jwks.keys.first(),
            None => None,
        }
        .ok_or_else(|| fail("no such key"))?;
        let key = DecodingKey::from_jwk(jwk).map_err(|_| fail("unusable key"))?;
        let mut validation = Validation::new(header.alg);
        validation.set_audience(&[state.url(super::TOKEN_PATH), state.issuer()]);
        validation.set_issuer(&[&client.client_id]);
        validation.sub = Some(client.client_id.clone());
        validation.set_required_spec_claims(&["exp", "iss", "sub", "aud"]);
        validation.leeway = 30;
        #[derive(Deserialize)]
        struct Claims {
            jti: String,
            exp: i64,
        }
        let claims = jsonwebtoken::decode::<Claims>(assertion, &key, &validation)
            .map_err(|_| fail("signature or claims"))?
            .claims;
        let now = state.login.now().unix_timestamp();
        if claims.exp > now + 3600 {
            return Err(fail("lifetime too long"));
        }
        let ttl = Duration::seconds((claims.exp - now).max(0) + 60);
        match first_sight(&*state.store, "jwt", &[&client.client_id, &claims.jti], ttl).await {
            Ok(true) => Ok(client),
            Ok(false) => Err(fail("replayed")),
            Err(e) => Err(e.into()),
        }
    }
}

/// `Basic base64(urlencode(id) ":" urlencode(secret))` (RFC 6749 §2.3.1).
fn parse_basic(value: &str) -> Option<(String, String)> {
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let unescape = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
    };
    Some((unescape(id)?, unescape(secret)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_url_decoded() {
        let value = format!("Basic {}", STANDARD.encode("my%20app:s%3Acret"));
        assert_eq!(
            parse_basic(&value),
            Some(("my app".into(), "s:cret".into()))
        );
        assert_eq!(parse_basic("Bearer abc"), None);
        assert_eq!(parse_basic("Basic !!!"), None);
    }
}
