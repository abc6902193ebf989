//! RP-initiated logout. There is no single sign-on session to end, so this checks the request
//! and either returns the browser to a registered `post_logout_redirect_uri` or says the user
//! is signed out.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jsonwebtoken::Validation;
use serde::Deserialize;
use url::Url;

use crate::core::text::t;
use crate::oauth::OAuth;
use crate::web::body::Params;
use crate::web::lang::{request_lang, resolve};
use crate::web::page::{Frame, MessagePage, render};

/// GET and POST alike.
pub async fn end_session(
    State(state): State<OAuth>,
    headers: HeaderMap,
    Params(params): Params,
) -> Response {
    let (state, headers) = (&state, &headers);
    let lang = request_lang(headers);
    let invalid = |lang| {
        render(
            StatusCode::BAD_REQUEST,
            &MessagePage::error(lang, "error-invalid-request", None),
        )
    };
    let Some(params) = params else {
        return invalid(lang);
    };
    let lang = resolve(headers, None, params.get("ui_locales"));
    let hinted = match params.get("id_token_hint") {
        None => None,
        Some(hint) => match audience(state, hint) {
            Some(aud) => Some(aud),
            None => return invalid(lang),
        },
    };
    let client_id = match (params.get("client_id"), hinted.as_deref()) {
        (Some(a), Some(b)) if a != b => return invalid(lang),
        (Some(id), _) | (None, Some(id)) => Some(id.to_owned()),
        (None, None) => None,
    };
    if let Some(uri) = params.get("post_logout_redirect_uri") {
        let registered = client_id
            .as_deref()
            .and_then(|id| state.clients.get(id))
            .is_some_and(|c| c.post_logout_redirect_uris.iter().any(|r| r == uri));
        let Ok(mut url) = Url::parse(uri) else {
            return invalid(lang);
        };
        if !registered {
            tracing::info!("logout with an unregistered post_logout_redirect_uri");
            return invalid(lang);
        }
        if let Some(s) = params.get("state") {
            url.query_pairs_mut().append_pair("state", s);
        }
        return Redirect::to(url.as_str()).into_response();
    }
    let page = MessagePage {
        frame: Frame::new(lang),
        heading: t(lang, "signed-out-heading"),
        text: t(lang, "signed-out"),
        link: None,
        detail: None,
    };
    render(StatusCode::OK, &page)
}

/// The client an ID token we issued was for; expired hints are fine (OIDC RP-Initiated
/// Logout §2), forged ones are not.
fn audience(state: &OAuth, token: &str) -> Option<String> {
    let kid = jsonwebtoken::decode_header(token).ok()?.kid?;
    let (key, alg) = state.signing.current()?.decoding_key(&kid)?;
    let mut validation = Validation::new(alg);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.set_issuer(&[state.issuer()]);
    validation.set_required_spec_claims(&["iss", "aud"]);
    #[derive(Deserialize)]
    struct Claims {
        aud: String,
    }
    jsonwebtoken::decode::<Claims>(token, &key, &validation)
        .ok()
        .map(|data| data.claims.aud)
}
