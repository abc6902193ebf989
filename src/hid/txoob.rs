//! `DELIVER-CHALLENGE` for `AT_TXOOB`: the relying party's text (`tds`, with `{$secret}` where
//! the code goes) goes to the user's number with an 8-digit code bound to the text and the
//! correlation id: a confirmation in the core's sense. The answer is the seed's attribute list.

use std::net::IpAddr;

use axum::Json;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::Hid;
use super::authenticators::{ACTION, TXOOB, action_attribute};
use super::authn::start;
use crate::core::confirm::{CODE_MARK, Confirmation};
use crate::core::directory::UserFilter;
use crate::core::ids::random_token;
use crate::oauth::{Client, OAuthError};
use crate::web::lang::resolve;

/// Where HID's template puts the code.
const SECRET_MARK: &str = "{$secret}";

pub async fn deliver(
    state: &Hid,
    client: &Client,
    tenant: &str,
    bytes: &[u8],
    headers: &HeaderMap,
    from: Option<IpAddr>,
) -> Result<Response, OAuthError> {
    let body: Value = serde_json::from_slice(bytes)
        .map_err(|_| OAuthError::invalid_request("the body must be a JSON action"))?;
    let action = body
        .get(ACTION)
        .ok_or_else(|| OAuthError::invalid_request("the body must hold an Action"))?;
    if action.get("action").and_then(Value::as_str) != Some("DELIVER-CHALLENGE") {
        return Err(OAuthError::invalid_request(
            "the action must be DELIVER-CHALLENGE",
        ));
    }
    if action_attribute(action, "DEVICETYPE") != Some("DT_TXOOB") {
        return Err(OAuthError::invalid_request("DEVICETYPE must be DT_TXOOB"));
    }
    let tds = action_attribute(action, "tds")
        .ok_or_else(|| OAuthError::invalid_request("tds is required"))?;
    if tds.matches(SECRET_MARK).count() != 1 || tds.contains(CODE_MARK) {
        return Err(OAuthError::invalid_request(
            "tds must contain {$secret} once, where the code goes",
        ));
    }
    // The correlation id may also come as HID's client sends it, in a header.
    let correlation = action_attribute(action, "correlationid").or_else(|| {
        headers
            .get("x-correlation-id")
            .and_then(|v| v.to_str().ok())
    });
    let confirmation = Confirmation::message(&tds.replace(SECRET_MARK, CODE_MARK), correlation)
        .map_err(|e| OAuthError::invalid_request(format!("tds or correlationid: {}", e.why)))?;
    let external = action_attribute(action, "USER.EXTERNALID")
        .ok_or_else(|| OAuthError::invalid_request("USER.EXTERNALID is required"))?;
    let filter = UserFilter::ExternalId(external.to_owned());
    let (_, users) = state.directory.find_users(tenant, &filter, 0, 2).await?;
    let [user] = users.as_slice() else {
        return Err(OAuthError::invalid_grant("no challenge can be delivered"));
    };
    let authenticator = state
        .directory
        .authenticator(tenant, user.id, TXOOB)
        .await?
        .filter(|a| a.enabled && !state.locked(&a.stats) && state.login.now() < a.expires_at)
        .ok_or_else(|| OAuthError::invalid_grant("no challenge can be delivered"))?;
    let lang = resolve(headers, None, None);
    let pointer = start(
        state,
        client,
        user,
        &authenticator.policy,
        Some(confirmation),
        lang,
        from,
    )
    .await?;
    let attribute = |name: &str, value: Option<String>| {
        let mut a = json!({"name": name, "type": "string", "readOnly": false});
        if let Some(value) = value {
            a["value"] = value.into();
        }
        a
    };
    Ok(Json(json!({
        "schemas": [ACTION],
        "attributes": [
            // Opaque to the caller; the code itself never leaves by this answer.
            attribute("CHALLENGE", Some(random_token())),
            attribute("CHALLENGE.ID", pointer.tx_id),
            attribute("REQUEST.STATUS", Some("1".into())),
            attribute("REQUEST.REASON", Some("-1".into())),
            attribute("REQUEST.ERROR_MESSAGE", None),
        ],
    }))
    .into_response())
}
