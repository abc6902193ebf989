//! Authorization responses: a redirect with the parameters in the query, or an auto-submitting
//! form (`response_mode=form_post`) that also works without JavaScript. Every response carries
//! `state` and `iss` (RFC 9207), success or error.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use url::Url;

use super::issuer;
use crate::core::lang::Lang;
use crate::core::login::random_token;
use crate::core::session::OidcRequest;
use crate::web::AppState;
use crate::web::page::{Frame, render};

#[derive(Template)]
#[template(path = "form_post.html")]
struct FormPostPage {
    frame: Frame,
    action: String,
    fields: Vec<(&'static str, String)>,
    nonce: String,
}

/// Sends `params` (plus `state` and `iss`) to the client's redirect URI.
pub fn authorization_response(
    state: &AppState,
    request: &OidcRequest,
    lang: Lang,
    mut params: Vec<(&'static str, String)>,
) -> Response {
    if let Some(s) = &request.state {
        params.push(("state", s.clone()));
    }
    params.push(("iss", issuer(state)));
    if request.form_post {
        let nonce = random_token();
        let page = FormPostPage {
            frame: Frame::new(lang),
            action: request.redirect_uri.clone(),
            fields: params,
            nonce: nonce.clone(),
        };
        let mut response = render(StatusCode::OK, &page);
        let csp = format!(
            "default-src 'none'; script-src 'nonce-{nonce}'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'"
        );
        if let Ok(value) = HeaderValue::from_str(&csp) {
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, value);
        }
        return response;
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
    state: &AppState,
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
