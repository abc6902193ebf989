//! Registered relying parties and how they prove who they are at the token endpoint.

use std::collections::HashMap;

use axum::http::{HeaderMap, header};
use base64::{Engine, engine::general_purpose::STANDARD};
use subtle::ConstantTimeEq;

use super::OAuthError;
use crate::config::{self, Secret};
use crate::core::provider::Provider;
use crate::web::body::Form;

#[derive(Debug)]
pub struct Client {
    pub id: String,
    secret: Secret,
    pub callback_urls: Vec<String>,
    pub allowed_providers: Vec<Provider>,
    pub grant_types: Vec<String>,
}

pub struct Clients {
    by_id: HashMap<String, Client>,
    /// Compared against when the client id is unknown, so both cases take the same time.
    decoy: Secret,
}

impl Clients {
    pub fn from_config(clients: &[config::Client]) -> Clients {
        let by_id = clients
            .iter()
            .map(|c| {
                let client = Client {
                    id: c.client_id.clone(),
                    secret: c.client_secret.clone(),
                    callback_urls: c.callback_urls.clone(),
                    allowed_providers: c
                        .allowed_providers
                        .iter()
                        .filter_map(|p| Provider::from_name(p))
                        .collect(),
                    grant_types: c.grant_types.clone(),
                };
                (client.id.clone(), client)
            })
            .collect();
        Clients {
            by_id,
            decoy: Secret::new(crate::core::login::random_token()),
        }
    }

    /// Registers more callback URLs for a client (the demo page's own).
    pub fn add_callbacks(&mut self, id: &str, urls: &[String]) {
        if let Some(client) = self.by_id.get_mut(id) {
            client.callback_urls.extend(urls.iter().cloned());
        }
    }

    pub fn get(&self, id: &str) -> Option<&Client> {
        self.by_id.get(id)
    }

    /// `client_secret_basic` or `client_secret_post`, exactly one of them.
    pub fn authenticate(&self, headers: &HeaderMap, form: &Form) -> Result<&Client, OAuthError> {
        let basic = headers.get(header::AUTHORIZATION);
        let (id, secret, is_basic) = match (basic, form.get("client_secret")) {
            (Some(_), Some(_)) => {
                return Err(OAuthError::invalid_request(
                    "use one client authentication method, not two",
                ));
            }
            (Some(value), None) => {
                let (id, secret) = parse_basic(value.to_str().unwrap_or(""))
                    .ok_or_else(|| OAuthError::invalid_client(true))?;
                if form.get("client_id").is_some_and(|form_id| form_id != id) {
                    return Err(OAuthError::invalid_request(
                        "client_id does not match the credentials",
                    ));
                }
                (id, secret, true)
            }
            (None, Some(secret)) => {
                let id = form
                    .get("client_id")
                    .ok_or_else(|| OAuthError::invalid_request("client_id is missing"))?;
                (id.to_owned(), secret.to_owned(), false)
            }
            (None, None) => return Err(OAuthError::invalid_client(false)),
        };
        let client = self.by_id.get(&id);
        let expected = client.map_or(&self.decoy, |c| &c.secret);
        let matches: bool = expected.expose().as_bytes().ct_eq(secret.as_bytes()).into();
        match client {
            Some(client) if matches => Ok(client),
            _ => {
                tracing::info!(basic = is_basic, "client authentication failed");
                Err(OAuthError::invalid_client(is_basic))
            }
        }
    }
}

impl Client {
    pub fn has_callback(&self, url: &str) -> bool {
        self.callback_urls.iter().any(|c| c == url)
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
