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
pub use endpoint::endpoint;
pub use error::OAuthError;
pub use grant::{Grant, GrantRequest, Grants};

use std::sync::Arc;

use axum::Router;
use axum::routing::post;

use crate::signing::KeyRing;
use crate::web::{Common, Shared};

pub const TOKEN_PATH: &str = "/auth/open/connect/token";
/// The issuer of every token: `<public_url>/auth/open`.
pub const ISSUER_PATH: &str = "/auth/open";

/// The state of the doors that speak OAuth: the shared parts, the clients, the keys that sign
/// ID tokens and the grant handlers.
#[derive(Clone)]
pub struct OAuth(Arc<Parts>);

pub struct Parts {
    pub shared: Shared,
    pub clients: Clients,
    /// Bearer tokens for the REST API.
    pub tokens: AccessTokens,
    pub signing: Arc<KeyRing>,
    pub grants: Grants,
}

impl OAuth {
    pub fn new(parts: Parts) -> OAuth {
        OAuth(Arc::new(parts))
    }

    pub fn issuer(&self) -> String {
        self.url(ISSUER_PATH)
    }
}

impl std::ops::Deref for OAuth {
    type Target = Parts;
    fn deref(&self) -> &Parts {
        &self.0
    }
}

impl std::ops::Deref for Parts {
    type Target = Common;
    fn deref(&self) -> &Common {
        &self.shared
    }
}

pub fn router() -> Router<OAuth> {
    Router::new().route(TOKEN_PATH, post(endpoint))
}
