//! The OAuth token endpoint at `/auth/open/connect/token` and what it needs: the registered
//! clients, client authentication and access tokens. Grants plug in here by `grant_type`; this
//! version has `client_credentials`, which gives a bearer token for the REST API.

mod access;
mod clients;
mod error;

pub use access::AccessTokens;
pub use clients::{AuthMethod, Client, Clients};
pub use error::OAuthError;

use std::net::IpAddr;

use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::json;

use crate::web::AppState;
use crate::web::body::{BodyError, Form};

pub const TOKEN_PATH: &str = "/auth/open/connect/token";

/// Scopes a REST API token may carry; Signicat's name is accepted for compatibility.
const API_SCOPES: [&str; 2] = ["idbroker-api", "signicat-api"];

pub fn router() -> Router<AppState> {
    Router::new().route(TOKEN_PATH, post(endpoint))
}

/// The token endpoint; also served at Ubisecure's path by the grants module.
pub async fn endpoint(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let from = state.client_address(&parts);
    let headers = parts.headers.clone();
    let form = match Form::from_request(Request::from_parts(parts, body)).await {
        Ok(form) => form,
        Err(e) => return OAuthError::from_body(e).into_response(),
    };
    match grant(&state, &headers, &form, from).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

async fn grant(
    state: &AppState,
    headers: &HeaderMap,
    form: &Form,
    from: Option<IpAddr>,
) -> Result<Response, OAuthError> {
    let grant_type = form
        .get("grant_type")
        .ok_or_else(|| OAuthError::invalid_request("grant_type is missing"))?;
    let (client, method) = authenticate(state, headers, form, from).await?;
    match grant_type {
        crate::core::grant::SMS_GRANT | crate::core::grant::EMAIL_GRANT => {
            crate::grants::handle(state, client, grant_type, form, from).await
        }
        "authorization_code" => {
            let body = crate::oidc::redeem(state, client, form).await?;
            Ok(OAuthError::no_store(Json(body).into_response()))
        }
        "client_credentials" => {
            if !client.may_use(grant_type) || method == AuthMethod::None {
                return Err(OAuthError::unauthorized_client());
            }
            let scope = match form.get("scope") {
                None => None,
                Some(scope) if scope.split(' ').all(|s| API_SCOPES.contains(&s)) => Some(scope),
                Some(_) => return Err(OAuthError::invalid_scope()),
            };
            let (token, expires_in) = state.tokens.issue(&client.id);
            let mut body = json!({
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": expires_in,
            });
            if let Some(scope) = scope {
                body["scope"] = scope.into();
            }
            Ok(OAuthError::no_store(Json(body).into_response()))
        }
        _ => Err(OAuthError::unsupported_grant_type()),
    }
}

/// Client authentication, refused for a while to an address that keeps getting it wrong.
async fn authenticate<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    form: &Form,
    from: Option<IpAddr>,
) -> Result<(&'a Client, AuthMethod), OAuthError> {
    let limits = state.login.limits();
    match limits.before_auth(from).await {
        Ok(Ok(())) => {}
        Ok(Err(limited)) => return Err(OAuthError::limited(limited)),
        Err(e) => {
            tracing::error!(error = %e, "limits: store failed");
            return Err(OAuthError::temporarily_unavailable());
        }
    }
    let outcome = state.clients.authenticate(state, headers, form).await;
    if outcome
        .as_ref()
        .is_err_and(|e| e.code() == "invalid_client")
    {
        limits.auth_failed(from).await;
    }
    outcome
}

impl OAuthError {
    fn from_body(e: BodyError) -> OAuthError {
        match e {
            BodyError::TooLarge => OAuthError::invalid_request("request body is too large"),
            BodyError::Unreadable => OAuthError::invalid_request("request body could not be read"),
            BodyError::WrongContentType => OAuthError::invalid_request(
                "Content-Type must be application/x-www-form-urlencoded",
            ),
            BodyError::Repeated(name) => {
                OAuthError::invalid_request(format!("parameter {name} is repeated"))
            }
        }
    }
}
