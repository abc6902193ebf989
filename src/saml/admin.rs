//! Operators register SPs by uploading metadata: `POST /admin/saml/sps` with the admin token as
//! a bearer token and the EntityDescriptor as the body. Without `saml.admin_token` the endpoint
//! does not exist (404).

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use subtle::ConstantTimeEq;

use super::Saml;
use super::sp::MAX_METADATA;
use crate::web::bearer::bearer;
use crate::web::body::BodyError;
use crate::web::problem::Problem;

fn authorized(state: &Saml, headers: &HeaderMap) -> Result<(), Problem> {
    let Some(expected) = &state.config.saml.admin_token else {
        return Err(Problem::new(StatusCode::NOT_FOUND, "not found"));
    };
    let given = bearer(headers).unwrap_or("");
    if bool::from(expected.expose().as_bytes().ct_eq(given.as_bytes())) {
        Ok(())
    } else {
        Err(Problem::unauthorized())
    }
}

pub async fn upload(State(state): State<Saml>, request: Request) -> Response {
    if let Err(problem) = authorized(&state, request.headers()) {
        return problem.into_response();
    }
    let body = match crate::web::body::read(request).await {
        Ok((_, body)) => body,
        Err(BodyError::TooLarge) => {
            let detail = format!("metadata is larger than {MAX_METADATA} bytes");
            return Problem::new(StatusCode::PAYLOAD_TOO_LARGE, detail).into_response();
        }
        Err(_) => return Problem::field("(body)", "the body could not be read").into_response(),
    };
    let Ok(xml) = std::str::from_utf8(&body) else {
        return Problem::field("(body)", "metadata must be UTF-8 XML").into_response();
    };
    match state.sps.add(xml) {
        Ok(entity_id) => {
            crate::core::audit::sp_registered(&entity_id);
            (StatusCode::CREATED, Json(json!({"entityID": entity_id}))).into_response()
        }
        Err(why) => Problem::field("(body)", why).into_response(),
    }
}

pub async fn list(State(state): State<Saml>, headers: HeaderMap) -> Response {
    if let Err(problem) = authorized(&state, &headers) {
        return problem.into_response();
    }
    Json(json!({"serviceProviders": state.sps.entity_ids()})).into_response()
}
