//! The HTTP kit every door shares: the shared state, bodies, pages, problem JSON, cookies,
//! paths, the hand-off at the end of a login and the layers every response passes through. No
//! door lives here; the composition root (`app`) builds the states and merges the routers.

pub mod addr;
pub mod bearer;
pub mod body;
pub mod brand;
pub mod context;
pub mod cookie;
pub mod handoff;
pub mod lang;
pub mod limited;
pub mod metrics;
pub mod object;
pub mod page;
pub mod param;
pub mod paths;
pub mod problem;
mod state;

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

pub use state::{Common, Shared};

/// Largest request body any endpoint accepts.
pub const MAX_BODY: usize = 64 * 1024;

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
        // Not `no-referrer`: with it a browser sends `Origin: null` on our own form posts,
        // which the pages must refuse (a sandboxed frame of any site sends the same). Other
        // sites still get no referrer, so a session's address does not leak.
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    for (name, value) in defaults {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    response
}

/// The internal error behind a response. Mappers attach it instead of logging, and
/// `access_log` writes it on the request's own line: one place logs errors.
#[derive(Clone, Debug)]
pub struct Cause(pub String);

/// `response` with the error that caused it, for the log.
pub fn with_cause(mut response: Response, cause: impl std::fmt::Display) -> Response {
    response.extensions_mut().insert(Cause(cause.to_string()));
    response
}

/// One line per request, naming the route pattern rather than the path: paths and queries
/// carry session ids and phone numbers. A response with a `Cause` names it: as an error for a
/// 5xx, as the reason for a refusal otherwise. Every line written while the request is
/// answered carries its id (the `request` span), which the response returns in
/// `X-Request-Id` and error pages show as their reference. A trusted proxy may name the id.
pub async fn access_log(State(shared): State<Shared>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "(unmatched)".into());
    let started = Instant::now();
    let given = proxied_request_id(&request, &shared.trusted_proxies);
    let context = context::Context::new(
        &method,
        request.uri().path_and_query().map(|p| p.as_str()),
        given,
    );
    let request_id = context.reference.clone();
    let span = tracing::info_span!("request", request_id = %request_id);
    let mut response = context
        .scope(next.run(request))
        .instrument(span.clone())
        .await;
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    let ms = elapsed.as_millis() as u64;
    crate::core::measure::request_seconds(method.as_str(), &route, status, elapsed.as_secs_f64());
    span.in_scope(|| match response.extensions().get::<Cause>() {
        Some(Cause(error)) if status >= 500 => {
            tracing::error!(%method, route, status, ms, error, "request failed")
        }
        Some(Cause(why)) => tracing::info!(%method, route, status, ms, why, "request refused"),
        None => tracing::info!(%method, route, status, ms, "request"),
    });
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

const REQUEST_ID: &str = "x-request-id";

/// The id a trusted proxy gave the request, when it is one we can log safely.
fn proxied_request_id(request: &Request, trusted: &[ipnet::IpNet]) -> Option<String> {
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()?
        .0
        .ip();
    if !trusted.iter().any(|net| net.contains(&peer)) {
        return None;
    }
    let id = request.headers().get(REQUEST_ID)?.to_str().ok()?;
    let plain = (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    plain.then(|| id.to_owned())
}
