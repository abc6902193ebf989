//! The token endpoint: reads the form, authenticates the client (refused for a while to an
//! address that keeps getting it wrong) and runs the grant registered for `grant_type`.

use std::net::IpAddr;

use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use super::grant::GrantRequest;
use super::{AuthMethod, Client, OAuth, OAuthError};
use crate::core::grant::GrantType;
use crate::web::body::{BodyError, Form};

/// The token endpoint; also served at Ubisecure's path by the grants door.
pub async fn endpoint(State(state): State<OAuth>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let from = state.client_address(&parts);
    let headers = parts.headers.clone();
    let form = match Form::from_request(Request::from_parts(parts, body)).await {
        Ok(form) => form,
        Err(e) => return OAuthError::from(e).into_response(),
    };
    match grant(&state, &headers, &form, from).await {
        Ok(response) => OAuthError::no_store(response),
        Err(e) => e.into_response(),
    }
}

async fn grant(
    state: &OAuth,
    headers: &HeaderMap,
    form: &Form,
    from: Option<IpAddr>,
) -> Result<Response, OAuthError> {
    let name = form
        .get("grant_type")
        .ok_or_else(|| OAuthError::invalid_request("grant_type is missing"))?;
    let (client, method) = authenticate(state, headers, form, from).await?;
    let grant_type = GrantType::from_name(name).ok_or_else(OAuthError::unsupported_grant_type)?;
    let handler = state
        .grants
        .get(grant_type)
        .ok_or_else(OAuthError::unsupported_grant_type)?;
    if !client.may_use(grant_type) {
        return Err(OAuthError::unauthorized_client());
    }
    let request = GrantRequest {
        grant_type,
        client,
        method,
        form,
        headers,
        from,
    };
    let client_id = client.client_id.clone();
    let answer = handler.grant(state, request).await;
    if answer.is_ok() {
        crate::core::audit::token_issued(&client_id, name);
    }
    answer
}

/// Client authentication, refused for a while to an address that keeps getting it wrong.
pub async fn authenticate<'a>(
    state: &'a OAuth,
    headers: &HeaderMap,
    form: &Form,
    from: Option<IpAddr>,
) -> Result<(&'a Client, AuthMethod), OAuthError> {
    let limits = state.login.limits();
    match limits.before_auth(from).await {
        Ok(Ok(())) => {}
        Ok(Err(limited)) => return Err(OAuthError::limited(limited)),
        Err(e) => return Err(e.into()),
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

impl From<BodyError> for OAuthError {
    fn from(e: BodyError) -> OAuthError {
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
