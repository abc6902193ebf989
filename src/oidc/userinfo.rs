//! Access tokens and the userinfo endpoint. Access tokens are opaque: 256 random bits, stored
//! only as a hash with what they grant, so they can be revoked.

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::claims;
use super::code::record_key;
use crate::core::ports::Space;
use crate::core::provider::Provider;
use crate::core::records::{Change, Records};
use crate::token::OAuthError;
use crate::web::AppState;
use crate::web::body::Form;

#[derive(Clone, Serialize, Deserialize)]
pub struct AccessGrant {
    pub client_id: String,
    pub sub: String,
    pub scope: Vec<String>,
    pub provider: Provider,
    pub identifier: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    pub revoked: bool,
}

/// A fresh opaque access token and the key its grant is stored under.
pub fn new_access_token() -> (String, String) {
    let token = crate::core::ids::random_token();
    let key = record_key(&token);
    (token, key)
}

/// Stores what a token grants, for as long as it lives.
pub async fn store_access_token(
    state: &AppState,
    key: &str,
    grant: &AccessGrant,
) -> Result<(), OAuthError> {
    let ttl = (grant.expires_at - state.login.now()).max(time::Duration::seconds(1));
    match grants(state).insert(key, grant, ttl).await {
        Ok(true) => Ok(()),
        _ => {
            tracing::error!("could not store an access token");
            Err(OAuthError::temporarily_unavailable())
        }
    }
}

fn grants(state: &AppState) -> Records<AccessGrant> {
    Records::new(state.store.clone(), Space::AccessToken)
}

/// Marks a token (by its record key) as revoked.
pub async fn revoke(state: &AppState, key: &str) {
    let result = grants(state)
        .update(key, |grant: AccessGrant| {
            if grant.revoked {
                return Ok(Change::Keep(()));
            }
            let ttl = (grant.expires_at - state.login.now()).max(time::Duration::seconds(1));
            Ok::<_, std::convert::Infallible>(Change::Write(
                AccessGrant {
                    revoked: true,
                    ..grant
                },
                ttl,
                (),
            ))
        })
        .await;
    if let Err(e) = result {
        tracing::info!(error = %e, "token to revoke not found");
    }
}

/// The userinfo claims for a valid token: `sub` and what its scopes release.
pub async fn userinfo_claims(state: &AppState, token: &str) -> Result<Map<String, Value>, Refused> {
    let grant = match grants(state).get(&record_key(token)).await {
        Ok(Some((grant, _))) => grant,
        Ok(None) => return Err(Refused::InvalidToken),
        Err(e) => {
            tracing::error!(error = %e, "store failed");
            return Err(Refused::Unavailable);
        }
    };
    if grant.revoked || state.login.now() >= grant.expires_at {
        return Err(Refused::InvalidToken);
    }
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
    Unavailable,
}

pub async fn get(State(state): State<AppState>, headers: HeaderMap) -> Response {
    respond(&state, bearer(&headers).ok_or(Refused::InvalidToken)).await
}

pub async fn post(State(state): State<AppState>, request: Request) -> Response {
    let headers = request.headers().clone();
    let from_header = bearer(&headers);
    let form = Form::from_request(request).await.unwrap_or_default();
    let token = match (from_header, form.get("access_token")) {
        (Some(_), Some(_)) => Err(Refused::InvalidRequest),
        (Some(t), None) => Ok(t),
        (None, Some(t)) => Ok(t.to_owned()),
        (None, None) => Err(Refused::InvalidToken),
    };
    respond(&state, token).await
}

async fn respond(state: &AppState, token: Result<String, Refused>) -> Response {
    let claims = match token {
        Ok(token) => userinfo_claims(state, &token).await,
        Err(e) => Err(e),
    };
    match claims {
        Ok(claims) => Json(claims).into_response(),
        Err(refused) => {
            let (status, challenge) = match refused {
                Refused::InvalidRequest => {
                    (StatusCode::BAD_REQUEST, "Bearer error=\"invalid_request\"")
                }
                Refused::InvalidToken => {
                    (StatusCode::UNAUTHORIZED, "Bearer error=\"invalid_token\"")
                }
                Refused::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "Bearer"),
            };
            let mut response = status.into_response();
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
            response
        }
    }
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
        .filter(|t| !t.is_empty())
}
