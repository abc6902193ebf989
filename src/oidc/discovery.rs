//! The discovery document and the JWKS. Discovery names exactly what is implemented.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{AUTHORIZE_PATH, ENDSESSION_PATH, JWKS_PATH, SCOPES, USERINFO_PATH};
use crate::core::confirm::DETAILS_TYPES;
use crate::core::grant::GrantType;
use crate::core::lang::Lang;
use crate::core::provider::Provider;
use crate::oauth::issue::acr;
use crate::oauth::{OAuth, OAuthError, TOKEN_PATH};

pub fn metadata(state: &OAuth) -> Value {
    // Only what this broker can deliver: e-mail scopes, claims and grants need an e-mail sender.
    let email = state
        .config
        .available_providers()
        .contains(&Provider::OtpEmail);
    let acr: Vec<&str> = state
        .config
        .available_providers()
        .into_iter()
        .map(acr)
        .collect();
    let mut scopes = SCOPES.to_vec();
    let mut claims = vec![
        "sub",
        "iss",
        "aud",
        "exp",
        "iat",
        "auth_time",
        "nonce",
        "acr",
        "amr",
        "idp_id",
        "idp_issuer",
        "phone_number",
        "phone_number_verified",
    ];
    let grants: Vec<&str> = state
        .grants
        .types()
        .into_iter()
        .filter(|g| email || *g != GrantType::EmailOtp)
        .map(GrantType::name)
        .collect();
    if email {
        claims.extend(["email", "email_verified"]);
    } else {
        scopes.retain(|s| *s != "email");
    }
    json!({
        "issuer": state.issuer(),
        "authorization_endpoint": state.url(AUTHORIZE_PATH),
        "token_endpoint": state.url(TOKEN_PATH),
        "userinfo_endpoint": state.url(USERINFO_PATH),
        "jwks_uri": state.url(JWKS_PATH),
        "end_session_endpoint": state.url(ENDSESSION_PATH),
        "scopes_supported": scopes,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "form_post"],
        "grant_types_supported": grants,
        "subject_types_supported": ["public", "pairwise"],
        "id_token_signing_alg_values_supported": ["RS256", "ES256"],
        "token_endpoint_auth_methods_supported": [
            "client_secret_basic", "client_secret_post", "private_key_jwt", "none"
        ],
        "token_endpoint_auth_signing_alg_values_supported": ["RS256", "ES256", "PS256"],
        "code_challenge_methods_supported": ["S256"],
        "acr_values_supported": acr,
        "claims_supported": claims,
        "ui_locales_supported": Lang::ALL.iter().map(|l| l.code()).collect::<Vec<_>>(),
        "claims_parameter_supported": false,
        "request_parameter_supported": false,
        "request_uri_parameter_supported": false,
        "authorization_response_iss_parameter_supported": true,
        "authorization_details_types_supported": DETAILS_TYPES,
    })
}

pub async fn document(State(state): State<OAuth>) -> Response {
    cacheable(Json(metadata(&state)).into_response())
}

pub async fn jwks(State(state): State<OAuth>) -> Response {
    match state.signing.current() {
        Some(keys) => cacheable(Json(keys.jwks()).into_response()),
        None => OAuthError::temporarily_unavailable().into_response(),
    }
}

/// Public documents may be cached briefly; the next key is published ahead of rotation.
fn cacheable(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}
