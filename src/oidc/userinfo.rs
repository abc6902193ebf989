//! The userinfo endpoint: what an access token's scopes release about its subject.

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use super::claims;
use crate::oauth::{OAuth, issue};
use crate::web::bearer::bearer;
use crate::web::body::Form;
use crate::web::with_cause;

/// The userinfo claims for a valid token: `sub` and what its scopes release.
pub async fn userinfo_claims(state: &OAuth, token: &str) -> Result<Map<String, Value>, Refused> {
    let grant = match issue::lookup(state, token).await {
        Ok(Some(grant)) => grant,
        Ok(None) => return Err(Refused::InvalidToken),
        Err(e) => return Err(Refused::Unavailable(e.to_string())),
    };
    let mut out = Map::new();
    out.insert("sub".into(), grant.sub.clone().into());
    out.extend(claims::scoped(
        &grant.scope,
        grant.provider,
        &grant.identifier,
    ));
    Ok(out)
}

#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    InvalidRequest,
    InvalidToken,
    /// The store failed, with why.
    Unavailable(String),
}

pub async fn get(State(state): State<OAuth>, headers: HeaderMap) -> Response {
    let token = bearer(&headers).map(str::to_owned);
    respond(&state, token.ok_or(Refused::InvalidToken)).await
}

pub async fn post(State(state): State<OAuth>, request: Request) -> Response {
    let headers = request.headers().clone();
    let from_header = bearer(&headers).map(str::to_owned);
    let form = Form::from_request(request).await.unwrap_or_default();
    let token = match (from_header, form.get("access_token")) {
        (Some(_), Some(_)) => Err(Refused::InvalidRequest),
        (Some(t), None) => Ok(t),
        (None, Some(t)) => Ok(t.to_owned()),
        (None, None) => Err(Refused::InvalidToken),
    };
    respond(&state, token).await
}

async fn respond(state: &OAuth, token: Result<String, Refused>) -> Response {
    let claims = match token {
        Ok(token) => userinfo_claims(state, &token).await,
        Err(e) => Err(e),
    };
    match claims {
        Ok(claims) => Json(claims).into_response(),
        Err(refused) => {
            let cause = match &refused {
                Refused::Unavailable(why) => Some(why.clone()),
                _ => None,
            };
            let (status, challenge) = match refused {
                Refused::InvalidRequest => {
                    (StatusCode::BAD_REQUEST, "Bearer error=\"invalid_request\"")
                }
                Refused::InvalidToken => {
                    (StatusCode::UNAUTHORIZED, "Bearer error=\"invalid_token\"")
                }
                Refused::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "Bearer"),
            };
            let mut response = status.into_response();
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
            match cause {
                Some(cause) => with_cause(response, cause),
                None => response,
            }
        }
    }
}
