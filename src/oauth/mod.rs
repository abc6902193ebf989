//! What the OAuth-speaking doors share: `OAuthError`, the registered clients and how they
//! authenticate, access tokens, one way to issue tokens, and the token endpoint at
//! `/auth/open/connect/token`. The endpoint authenticates the client and hands the request to
//! the grant handler the app registered for its `grant_type`; `client_credentials` (a bearer
//! token for the REST API) is the one this layer answers itself.

mod access;
mod clients;
mod endpoint;
mod error;
pub mod grant;
pub mod issue;
pub mod scope;

pub use access::AccessTokens;
pub use clients::{AuthMethod, Client, Clients};
pub use endpoint::{authenticate, endpoint};
pub use error::{ErrorBody, OAuthError};
pub use grant::{Grant, GrantRequest, Grants};

use std::sync::Arc;

use axum::Router;
use axum::routing::post;

use crate::signing::KeyRing;
use crate::web::Shared;

pub const TOKEN_PATH: &str = "/auth/open/connect/token";
/// The issuer of every token: `<public_url>/auth/open`.
pub const ISSUER_PATH: &str = "/auth/open";

crate::door_state!(
    /// The state of the doors that speak OAuth: the shared parts, the clients, the keys that sign
    /// ID tokens and the grant handlers.
    OAuth,
    Parts
);

pub struct Parts {
    pub shared: Shared,
    pub clients: Clients,
    /// Bearer tokens for the REST API.
    pub tokens: AccessTokens,
    pub signing: Arc<KeyRing>,
    pub grants: Grants,
}

impl OAuth {
    pub fn issuer(&self) -> String {
        self.url(ISSUER_PATH)
    }
}

pub fn router() -> Router<OAuth> {
    Router::new().route(TOKEN_PATH, post(endpoint))
}
