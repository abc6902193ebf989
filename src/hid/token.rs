//! `POST /idp/{tenant}/authn/token`: a client of the tenant gets a bearer token
//! (`client_credentials`, HTTP Basic or `client_secret_post`; HID answers a wrong secret with
//! 400, and so do we), logs a user in (`password`), or delivers a transaction's challenge (a
//! JSON `DELIVER-CHALLENGE`). The seed and HID's own client put deliver and verify on
//! different paths; both paths come here and the body decides.

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::Hid;
use crate::oauth::issue::TokenBody;
use crate::oauth::{OAuthError, authenticate};
use crate::web::body::Form;

pub async fn token(
    State(state): State<Hid>,
    Path(tenant): Path<String>,
    request: Request,
) -> Response {
    match answer(&state, &tenant, request).await {
        Ok(response) => OAuthError::no_store(response),
        Err(e) => e.into_response(),
    }
}

async fn answer(state: &Hid, tenant: &str, request: Request) -> Result<Response, OAuthError> {
    if !state.has_tenant(tenant) {
        return Err(
            OAuthError::invalid_request("no such tenant").with_status(StatusCode::NOT_FOUND)
        );
    }
    let (parts, body) = request.into_parts();
    let from = state.client_address(&parts);
    let headers = parts.headers.clone();
    let (_, bytes) = crate::web::body::read(Request::from_parts(parts, body)).await?;
    // HID routes on the body: a JSON action delivers a transaction's challenge, a form is a
    // token request.
    if bytes.trim_ascii_start().starts_with(b"{") {
        let client = state
            .caller(tenant, &headers)
            .map_err(|_| OAuthError::invalid_client(false))?;
        return super::txoob::deliver(state, client, tenant, &bytes, &headers, from).await;
    }
    let form = Form::parse(&bytes)?;
    match form.get("grant_type") {
        Some("client_credentials") => {}
        // A user's login, on the client's bearer token.
        Some("password") => {
            let client = state
                .caller(tenant, &headers)
                .map_err(|_| OAuthError::invalid_client(false))?;
            return super::authn::password(state, client, tenant, &headers, &form, from).await;
        }
        Some(_) => return Err(OAuthError::unsupported_grant_type()),
        None => return Err(OAuthError::invalid_request("grant_type is missing")),
    }
    let (client, _) = authenticate(&state.oauth, &headers, &form, from)
        .await
        .map_err(|e| match e.code() {
            "invalid_client" => e.with_status(StatusCode::BAD_REQUEST),
            _ => e,
        })?;
    // A client of another tenant is no client here.
    if client.hid_tenant.as_deref() != Some(tenant) {
        return Err(OAuthError::invalid_client(false).with_status(StatusCode::BAD_REQUEST));
    }
    let (access_token, expires_in) = state.oauth.tokens.issue(&client.client_id);
    Ok(TokenBody {
        access_token,
        expires_in,
        scope: None,
        id_token: None,
        authorization_details: None,
    }
    .into_response())
}
