//! The HID-compatible API (HID Authentication Service, seed 003): tenants, client tokens,
//! SCIM users and, on them, out-of-band SMS authenticators. Users live in the directory;
//! codes and challenges in the store, like every other login.

mod authenticators;
mod authn;
mod scim;
mod token;
mod txoob;
mod users;

use std::sync::Arc;

use axum::Router;
use axum::http::HeaderMap;
use axum::routing::{get, post};

use crate::core::directory::Directory;
use crate::oauth::{Client, OAuth};
use crate::web::Shared;
use crate::web::bearer::bearer;
use scim::ScimError;

crate::door_state!(
    /// The HID door's state: the OAuth parts (clients, tokens) and the directory.
    Hid,
    Parts
);

pub struct Parts {
    pub shared: Shared,
    pub oauth: OAuth,
    pub directory: Arc<dyn Directory>,
}

impl Hid {
    fn has_tenant(&self, tenant: &str) -> bool {
        self.config.hid.tenants.iter().any(|t| t.id == tenant)
    }

    /// The client a bearer token was issued to, if it belongs to `tenant`.
    fn caller(&self, tenant: &str, headers: &HeaderMap) -> Result<&Client, ScimError> {
        if !self.has_tenant(tenant) {
            return Err(ScimError::not_found());
        }
        bearer(headers)
            .and_then(|t| self.oauth.tokens.verify(t))
            .and_then(|id| self.oauth.clients.get(&id))
            .filter(|c| c.hid_tenant.as_deref() == Some(tenant))
            .ok_or_else(ScimError::unauthorized)
    }

    /// An administrator of `tenant`: only they may use SCIM.
    fn admin(&self, tenant: &str, headers: &HeaderMap) -> Result<&Client, ScimError> {
        let client = self.caller(tenant, headers)?;
        if !client.hid_admin {
            return Err(ScimError::forbidden());
        }
        Ok(client)
    }
}

pub fn router() -> Router<Hid> {
    let mut router = Router::new()
        .route("/idp/{tenant}/authn/token", post(token::token))
        .route(
            "/idp/{tenant}/v2/Authenticator/.AT_TXOOB",
            post(token::token),
        );
    // HID's documents write `/scim/` and `/SCIM/`; both are served.
    for root in ["scim", "SCIM"] {
        router = router
            .route(&format!("/{root}/{{tenant}}/v2/Users"), post(users::create))
            .route(
                &format!("/{root}/{{tenant}}/v2/Users/.search"),
                post(users::search),
            )
            .route(
                &format!("/{root}/{{tenant}}/v2/Users/{{id}}"),
                get(users::read).put(users::replace).delete(users::delete),
            )
            .route(
                &format!("/{root}/{{tenant}}/v2/Authenticator"),
                post(authenticators::register),
            )
            .route(
                &format!("/{root}/{{tenant}}/v2/Authenticator/{{id}}"),
                get(authenticators::read)
                    .put(authenticators::replace)
                    .delete(authenticators::delete)
                    .post(authenticators::act),
            );
    }
    router
}
