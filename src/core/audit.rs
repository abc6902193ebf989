//! The audit stream: security events as log lines with the fixed target `audit` and stable
//! field names (`event`, then what it concerns), so an operator can route them apart
//! (`RUST_LOG=audit=info`, or by `target` in JSON logs). Never a number, address, code or
//! secret: sessions by their short id, clients by their id.

use crate::core::ids::short;

/// A login session ended with a verified identifier (`succeeded`) or too many wrong codes
/// (`failed`).
pub fn login(session: &str, client: &str, door: &'static str, outcome: &'static str) {
    tracing::info!(target: "audit", event = "login", outcome, session = short(session), client, door);
}

/// A limit kept a code from going out.
pub fn code_refused(session: &str, channel: &'static str, reason: &'static str) {
    tracing::info!(target: "audit", event = "code_refused", session = short(session), channel, reason);
}

/// The token endpoint issued tokens to `client` for `grant`.
pub fn token_issued(client: &str, grant: &str) {
    tracing::info!(target: "audit", event = "token_issued", client, grant);
}

/// An authorization code came back a second time; its tokens were revoked.
pub fn token_replayed(client: &str) {
    tracing::warn!(target: "audit", event = "token_replayed", client);
}

/// A SAML service provider was registered (uploaded, or added by the CLI).
pub fn sp_registered(entity_id: &str) {
    tracing::info!(target: "audit", event = "sp_registered", entity_id);
}

/// The OIDC signing keys were rotated, in a `file` or the `store`.
pub fn keys_rotated(place: &'static str) {
    tracing::info!(target: "audit", event = "keys_rotated", place);
}
