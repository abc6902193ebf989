//! `/metrics` in the Prometheus text format. One recorder per process, installed on first use;
//! the names are `core::measure`'s. On the main listener it answers only a bearer of
//! `server.metrics_token`; `server.metrics_listen` serves it on a listener of its own.

use std::sync::OnceLock;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use subtle::ConstantTimeEq;

use crate::core::measure::{BUILD_INFO, REQUEST_SECONDS, SIGNING_SECONDS};
use crate::web::Shared;
use crate::web::bearer::bearer;

/// Seconds: from a fast page to a slow gateway.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// The process's recorder, installed the first time it is asked for.
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(REQUEST_SECONDS.into()), &BUCKETS)
            .and_then(|b| b.set_buckets_for_metric(Matcher::Full(SIGNING_SECONDS.into()), &BUCKETS))
            .expect("buckets are not empty");
        let handle = match builder.install_recorder() {
            Ok(handle) => handle,
            // Another recorder was installed first (a host program): ours still renders.
            Err(_) => PrometheusBuilder::new().build_recorder().handle(),
        };
        metrics::gauge!(BUILD_INFO, "version" => env!("CARGO_PKG_VERSION")).set(1.0);
        handle
    })
}

fn render() -> Response {
    let handle = handle();
    handle.run_upkeep();
    let mut response = handle.render().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

/// On the main listener: only for the bearer of `server.metrics_token`; without one set, there
/// is nothing here.
pub async fn guarded(State(shared): State<Shared>, headers: HeaderMap) -> Response {
    let Some(token) = &shared.config.server.metrics_token else {
        return crate::web::page::not_found(axum::http::Uri::from_static("/metrics"), headers)
            .await;
    };
    let presented = bearer(&headers).unwrap_or("");
    if !bool::from(presented.as_bytes().ct_eq(token.expose().as_bytes())) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
        )
            .into_response();
    }
    render()
}

/// On `server.metrics_listen`: the network decides who may read it.
pub async fn open() -> Response {
    render()
}
