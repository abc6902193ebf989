//! What the broker counts, named once: every metric's name and labels are here, so the
//! exporter (`web::metrics`) and the README agree. Labels name doors, providers, channels and
//! reasons, never a person, a number, an address or a client secret.

use metrics::{counter, histogram};

use crate::core::provider::{Channel, Provider};
use crate::core::session::Door;

pub const LOGINS_STARTED: &str = "idbroker_logins_started_total";
pub const LOGINS_ENDED: &str = "idbroker_logins_ended_total";
pub const CODES_SENT: &str = "idbroker_codes_sent_total";
pub const CODES_FAILED: &str = "idbroker_codes_failed_total";
pub const CODES_REFUSED: &str = "idbroker_codes_refused_total";
pub const CODES_CHECKED: &str = "idbroker_codes_checked_total";
pub const STORE_ERRORS: &str = "idbroker_store_errors_total";
pub const REQUEST_SECONDS: &str = "idbroker_http_request_duration_seconds";
pub const SIGNING_SECONDS: &str = "idbroker_token_signing_duration_seconds";
pub const BUILD_INFO: &str = "idbroker_build_info";

pub fn login_started(door: Door) {
    counter!(LOGINS_STARTED, "door" => door.name()).increment(1);
}

/// `outcome`: verified, failed (too many wrong codes), aborted (the user), cancelled (the
/// relying party), expired.
pub fn login_ended(door: Door, provider: Option<Provider>, outcome: &'static str) {
    let provider = provider.map_or("none", Provider::name);
    counter!(LOGINS_ENDED, "door" => door.name(), "provider" => provider, "outcome" => outcome)
        .increment(1);
}

pub fn code_sent(channel: Channel) {
    counter!(CODES_SENT, "channel" => channel.name()).increment(1);
}

/// The gateway or mail server did not take it.
pub fn code_failed(channel: Channel) {
    counter!(CODES_FAILED, "channel" => channel.name(), "reason" => "delivery").increment(1);
}

/// A limit kept it from going out.
pub fn code_refused(channel: Channel, reason: &'static str) {
    counter!(CODES_REFUSED, "channel" => channel.name(), "reason" => reason).increment(1);
}

/// `result`: right or wrong.
pub fn code_checked(channel: Channel, result: &'static str) {
    counter!(CODES_CHECKED, "channel" => channel.name(), "result" => result).increment(1);
}

/// `store`: memory or redis; `kind`: `StoreError::kind`.
pub fn store_error(store: &'static str, kind: &'static str) {
    counter!(STORE_ERRORS, "store" => store, "kind" => kind).increment(1);
}

pub fn request_seconds(method: &str, route: &str, status: u16, seconds: f64) {
    let class = match status {
        100..=399 => "ok",
        400..=499 => "4xx",
        _ => "5xx",
    };
    // `/auth/login/{sid}` reads as `/auth/login/:sid`: braces inside a label value trip up
    // more than one scraper's parser.
    let route = route.replace('{', ":").replace('}', "");
    histogram!(REQUEST_SECONDS, "method" => method.to_owned(), "route" => route, "status" => class)
        .record(seconds);
}

pub fn signing_seconds(seconds: f64) {
    histogram!(SIGNING_SECONDS).record(seconds);
}
