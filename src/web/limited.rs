//! How a refusal by a limit looks on the wire, the same at every front door: `429 Too Many
//! Requests` (or `503` when the operator's SMS caps are spent) with a truthful `Retry-After`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

use crate::core::limits::Limited;

pub fn status(limited: &Limited) -> StatusCode {
    match limited {
        Limited::SmsUnavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
        Limited::TooMany { .. } | Limited::Cooldown { .. } => StatusCode::TOO_MANY_REQUESTS,
    }
}

/// What an API client reads in the error's description.
pub fn describe(limited: &Limited) -> String {
    let secs = limited.wait_secs();
    match limited {
        Limited::TooMany { .. } => format!("too many attempts; try again in {secs} seconds"),
        Limited::Cooldown { .. } => {
            format!("a code was sent a moment ago; a new one can be sent in {secs} seconds")
        }
        Limited::SmsUnavailable { .. } => {
            format!("no SMS can be sent at the moment; try again in {secs} seconds")
        }
    }
}

/// Sets `status` and `Retry-After` (whole seconds, rounded up) on a response.
pub fn respond(limited: &Limited, mut response: Response) -> Response {
    *response.status_mut() = status(limited);
    response.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(limited.wait_secs().max(1) as u64),
    );
    response
}
