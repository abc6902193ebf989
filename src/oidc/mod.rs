//! The OpenID Connect front door (issuer `<public_url>/auth/open`): discovery, JWKS, the
//! authorization endpoint, the `authorization_code` grant, userinfo and RP-initiated logout.
//! Every authorization opens a login session on the shared state machine; there is no single
//! sign-on session, so each authorization is a fresh login.

mod authorize;
mod claims;
mod code;
mod details;
pub mod discovery;
mod endsession;
mod response;
mod userinfo;

mod finish;

pub use code::CodeGrant;
pub use finish::OidcFinish;
pub use userinfo::userinfo_claims;

use axum::Router;
use axum::routing::get;

use crate::oauth::OAuth;
use response::error_response;

pub const DISCOVERY_PATH: &str = "/auth/open/.well-known/openid-configuration";
pub const JWKS_PATH: &str = "/auth/open/.well-known/openid-configuration/jwks";
pub const AUTHORIZE_PATH: &str = "/auth/open/connect/authorize";
pub const USERINFO_PATH: &str = "/auth/open/connect/userinfo";
pub const ENDSESSION_PATH: &str = "/auth/open/connect/endsession";

/// Scopes we know; others are ignored, as OIDC Core §5.4 allows.
pub const SCOPES: [&str; 4] = ["openid", "idp-id", "phone", "email"];

pub fn router() -> Router<OAuth> {
    Router::new()
        .route(DISCOVERY_PATH, get(discovery::document))
        .route(JWKS_PATH, get(discovery::jwks))
        .route(
            AUTHORIZE_PATH,
            get(authorize::authorize).post(authorize::authorize),
        )
        .route(USERINFO_PATH, get(userinfo::get).post(userinfo::post))
        .route(
            ENDSESSION_PATH,
            get(endsession::end_session).post(endsession::end_session),
        )
}
