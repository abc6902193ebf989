//! The HTTP kit every door shares: the state, bodies, pages, problem JSON, cookies, paths and
//! the layers every response passes through. The composition root (`app`) builds the state and
//! merges the doors' routers.

pub mod addr;
pub mod body;
pub mod cookie;
pub mod finish;
pub mod limited;
pub mod page;
pub mod param;
pub mod paths;
pub mod problem;

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use url::Url;

use crate::config::Config;
use crate::core::keys::Keys;
use crate::core::login::LoginService;
use crate::core::ports::Store;
use crate::delivery::outbox::Outbox;
use crate::saml::idp_key::IdpKey;
use crate::saml::sp::Registry;
use crate::signing::KeyRing;
use crate::token::{AccessTokens, Clients};

/// Largest request body any endpoint accepts.
pub const MAX_BODY: usize = 64 * 1024;

#[derive(Clone)]
pub struct AppState(pub(crate) Arc<Inner>);

pub struct Inner {
    pub config: Config,
    pub public_url: Url,
    pub store: Arc<dyn Store>,
    pub keys: Keys,
    pub signing: Arc<KeyRing>,
    pub saml_key: IdpKey,
    pub sps: Registry,
    pub login: LoginService,
    pub clients: Clients,
    pub tokens: AccessTokens,
    /// Present only when messages go to the dev outbox.
    pub outbox: Option<Arc<Outbox>>,
    /// Proxies whose forwarding headers name the client's address.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Cookies carry `Secure` whenever the broker is reached over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    /// The client address of a request (see `addr`).
    pub fn client_address(&self, parts: &axum::http::request::Parts) -> Option<std::net::IpAddr> {
        addr::client_address(parts, &self.trusted_proxies)
    }

    /// An absolute URL under the public origin.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.public_url.as_str().trim_end_matches('/'), path)
    }
}

/// Headers every response carries unless the handler chose otherwise.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let defaults = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    for (name, value) in defaults {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    response
}

/// One line per request, naming the route pattern rather than the path: paths and queries
/// carry session ids and phone numbers.
pub async fn access_log(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "(unmatched)".into());
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        %method,
        route,
        status = response.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "request"
    );
    response
}
