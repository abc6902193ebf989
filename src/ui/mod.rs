//! The browser front of a login session: provider choice, phone number or e-mail address, code.
//! Every page works without JavaScript; every form posts back here with the session's
//! anti-forgery token and then redirects (post/redirect/get), so reloading a page never sends
//! another message. A session that has ended goes to the door that opened it, through the
//! hand-off the app wired.
//!
//! `visit` binds a request to its session and browser, `notice` names what a redirect asks the
//! page to say, `handlers` answers each step, `pages` holds the templates.

mod handlers;
mod notice;
mod pages;
mod visit;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::core::lang::Lang;
use crate::web::Shared;
use crate::web::cookie::LANG_COOKIE;
use crate::web::handoff::Handoff;
use crate::web::page::LANGUAGE_PATH;
use crate::web::paths::LOGIN_PREFIX;
use handlers::{cancel, choose, identifier, language, onward, otp, resend, show};

pub use visit::BROWSER_COOKIE;

crate::door_state!(
    /// The pages' state: the shared parts and the hand-off to the doors.
    Ui,
    Parts
);

pub struct Parts {
    pub shared: Shared,
    pub handoff: Handoff,
}

pub fn router() -> Router<Ui> {
    Router::new()
        .route(&format!("{LOGIN_PREFIX}/{{sid}}"), get(show))
        .route(&format!("{LOGIN_PREFIX}/{{sid}}/provider"), post(choose))
        .route(&format!("{LOGIN_PREFIX}/{{sid}}/phone"), post(identifier))
        .route(&format!("{LOGIN_PREFIX}/{{sid}}/email"), post(identifier))
        .route(&format!("{LOGIN_PREFIX}/{{sid}}/otp"), post(otp))
        .route(&format!("{LOGIN_PREFIX}/{{sid}}/resend"), post(resend))
        .route(&format!("{LOGIN_PREFIX}/{{sid}}/cancel"), post(cancel))
        .route(&format!("{LOGIN_PREFIX}/{{sid}}/onward"), post(onward))
        .route(&format!("{LOGIN_PREFIX}/{{sid}}/language"), post(language))
        .route(&format!("{LANGUAGE_PATH}/{{code}}"), get(set_language))
        .route("/static/style.css", get(stylesheet))
}

/// The language menu of pages outside a session (error pages): keeps the choice in the
/// language cookie and goes back to the page, which must be one of ours.
async fn set_language(
    State(state): State<Ui>,
    Path(code): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let back = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "back")
        .map(|(_, v)| v.into_owned())
        .filter(|b| b.starts_with('/') && !b.starts_with("//") && !b.contains('\\'))
        .unwrap_or_else(|| "/".into());
    let mut response = Redirect::to(&back).into_response();
    if let Some(lang) = Lang::from_tag(&code) {
        let cookie = visit::cookie_header(&state, LANG_COOKIE, lang.code(), "/", Some(31_536_000));
        response = visit::with_cookies(response, &[cookie]);
    }
    response
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/style.css"),
    )
        .into_response()
}
