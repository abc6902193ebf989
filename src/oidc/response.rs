//! Authorization responses: a redirect with the parameters in the query, or an auto-submitting
//! form (`response_mode=form_post`) that also works without JavaScript. Every response carries
//! `state` and `iss` (RFC 9207), success or error.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use url::Url;

use crate::core::lang::Lang;
use crate::core::session::OidcRequest;
use crate::oauth::OAuth;
use crate::web::page::auto_post;

/// Sends `params` (plus `state` and `iss`) to the client's redirect URI.
pub fn authorization_response(
    state: &OAuth,
    request: &OidcRequest,
    lang: Lang,
    mut params: Vec<(&'static str, String)>,
) -> Response {
    if let Some(s) = &request.state {
        params.push(("state", s.clone()));
    }
    params.push(("iss", state.issuer()));
    if request.form_post {
        return auto_post(lang, &request.redirect_uri, params);
    }
    match Url::parse(&request.redirect_uri) {
        Ok(mut url) => {
            url.query_pairs_mut()
                .extend_pairs(params.iter().map(|(k, v)| (*k, v.as_str())));
            Redirect::to(url.as_str()).into_response()
        }
        Err(_) => (StatusCode::BAD_REQUEST, "invalid redirect_uri").into_response(),
    }
}

/// An error response (OAuth 2.0 §4.1.2.1) to the client's redirect URI.
pub fn error_response(
    state: &OAuth,
    request: &OidcRequest,
    lang: Lang,
    error: &'static str,
    description: &str,
) -> Response {
    let params = vec![
        ("error", error.to_owned()),
        ("error_description", description.to_owned()),
    ];
    authorization_response(state, request, lang, params)
}
