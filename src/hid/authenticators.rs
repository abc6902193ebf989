//! SCIM authenticators: `AT_OOBSMS` (with an activation code) and `AT_TXOOB`, one per user and
//! policy, answered as the seed shows them; enable or disable by `PUT`, unlock by the `RESET`
//! action.

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::{Value, json};
use subtle::ConstantTimeEq;
use time::Duration;

use super::Hid;
use super::scim::{ScimError, read_json, rfc3339, scim_json};
use crate::core::directory::{Authenticator, DirectoryError, Statistics, User, UserFilter};

pub const SCHEMA: &str = "urn:hid:scim:api:idp:2.0:Authenticator";
pub const ACTION: &str = "urn:hid:scim:api:idp:2.0:Action";
pub const OOBSMS: &str = "AT_OOBSMS";
pub const TXOOB: &str = "AT_TXOOB";
const MAX_ACTIVATION: usize = 128;

/// The policies this broker offers, with the device type their registration names.
fn device_type(policy: &str) -> Option<&'static str> {
    match policy {
        OOBSMS => Some("DT_OOBSMS"),
        TXOOB => Some("DT_TXOOB"),
        _ => None,
    }
}

impl Hid {
    /// The activation code's keyed hash, bound to its authenticator.
    pub fn activation_hash(&self, tenant: &str, user_id: i64, code: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.keys.otp.mac(&[
            b"activation",
            tenant.as_bytes(),
            user_id.to_string().as_bytes(),
            code.as_bytes(),
        ]))
    }

    /// Whether `code` is the authenticator's activation code (constant time).
    pub fn activation_matches(&self, a: &Authenticator, code: &str) -> bool {
        let given = self.activation_hash(&a.tenant, a.user_id, code);
        a.activation_hash
            .as_deref()
            .is_some_and(|stored| bool::from(stored.as_bytes().ct_eq(given.as_bytes())))
    }

    /// Locked: as many consecutive wrong codes as the threshold allows.
    pub fn locked(&self, stats: &Statistics) -> bool {
        stats.consecutive_failed >= i64::from(self.config.hid.disable_threshold)
    }
}

/// The seed's shape; `activation` only in the answer to a registration.
fn resource(state: &Hid, a: &Authenticator, owner: &User, activation: Option<&str>) -> Value {
    let base = |path: String| state.url(&format!("/scim/{}/v2/{path}", a.tenant));
    let id = format!("{}.{}", a.user_id, a.policy);
    let s = &a.stats;
    let mut statistics = json!({
        "consecutiveFailed": s.consecutive_failed.to_string(),
        "consecutiveSuccess": s.consecutive_success.to_string(),
        "maximumNumberOfUsages": s.uses().to_string(),
        "totalFailed": s.total_failed.to_string(),
        "totalSuccess": s.total_success.to_string(),
    });
    if let Some(at) = s.last_success_at {
        statistics["lastSuccessfulDate"] = rfc3339(at).into();
        statistics["lastSuccessfulChannel"] = "CH_EXTRAPP".into();
    }
    if let Some(at) = s.last_failure_at {
        statistics["lastUnsuccessfulDate"] = rfc3339(at).into();
        statistics["lastUnsuccessfulChannel"] = "CH_EXTRAPP".into();
    }
    let display = owner
        .external_id
        .clone()
        .unwrap_or_else(|| owner.user_name.clone());
    let mut resource = json!({
        "schemas": [SCHEMA],
        "id": id,
        "meta": {
            "resourceType": "Authenticator",
            "created": rfc3339(a.created_at),
            "location": base(format!("Authenticator/{id}")),
            "version": a.version.to_string(),
        },
        "status": {
            "status": if a.enabled { "ENABLED" } else { "DISABLED" },
            "active": a.enabled && !state.locked(s),
            "expiryDate": rfc3339(a.expires_at),
            "startDate": rfc3339(a.created_at),
        },
        "owner": {
            "type": "User",
            "display": display,
            "value": owner.id.to_string(),
            "$ref": base(format!("Users/{}", owner.id)),
        },
        "statistics": statistics,
        "policy": {
            "display": a.policy,
            "value": a.policy,
            "$ref": base(format!("Policy/Authenticator/{}", a.policy)),
        },
    });
    if let Some(external) = &owner.external_id {
        resource["externalId"] = external.as_str().into();
    }
    if let Some(code) = activation {
        resource["activationCode"] = code.into();
    }
    resource
}

fn text<'a>(value: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut at = value;
    for key in path {
        at = at.get(*key)?;
    }
    at.as_str()
}

/// The `name = value` attributes of an action.
pub fn action_attribute<'a>(action: &'a Value, name: &str) -> Option<&'a str> {
    action
        .get("attributes")?
        .as_array()?
        .iter()
        .find(|a| {
            a.get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })?
        .get("value")?
        .as_str()
}

/// The owner a registration names: by `value` (the user id) or by `display` (the external id).
async fn owner(state: &Hid, tenant: &str, body: &Value) -> Result<User, ScimError> {
    if let Some(id) = text(body, &["owner", "value"]) {
        let id: i64 = id
            .parse()
            .map_err(|_| ScimError::invalid_value("owner.value is not a user id"))?;
        return state
            .directory
            .user(tenant, id)
            .await?
            .ok_or_else(|| ScimError::invalid_value("owner.value names no user"));
    }
    let display = text(body, &["owner", "display"])
        .ok_or_else(|| ScimError::invalid_value("owner.value or owner.display is required"))?;
    let filter = UserFilter::ExternalId(display.to_owned());
    let (_, users) = state.directory.find_users(tenant, &filter, 0, 2).await?;
    match users.as_slice() {
        [user] => Ok(user.clone()),
        _ => Err(ScimError::invalid_value(
            "owner.display names no single user",
        )),
    }
}

pub async fn register(
    State(state): State<Hid>,
    Path(tenant): Path<String>,
    request: Request,
) -> Result<Response, ScimError> {
    state.admin(&tenant, request.headers())?;
    let body = read_json(request).await?;
    let policy = text(&body, &["policy", "value"])
        .ok_or_else(|| ScimError::invalid_value("policy.value is required"))?;
    let device = device_type(policy).ok_or_else(|| {
        ScimError::invalid_value(format!(
            "policy {policy:?} is not offered: {OOBSMS}, {TXOOB}"
        ))
    })?;
    let action = body
        .get(ACTION)
        .ok_or_else(|| ScimError::invalid_value("the REGISTER-OOB action is required"))?;
    if text(action, &["action"]) != Some("REGISTER-OOB") {
        return Err(ScimError::invalid_value("the action must be REGISTER-OOB"));
    }
    if action_attribute(action, "OOB_DEVICETYPE_CODE") != Some(device) {
        return Err(ScimError::invalid_value(format!(
            "OOB_DEVICETYPE_CODE must be {device} for {policy}"
        )));
    }
    let activation = match body.get("activationCode") {
        Some(Value::String(code)) if !code.is_empty() && code.len() <= MAX_ACTIVATION => {
            Some(code.clone())
        }
        _ if policy == OOBSMS => {
            return Err(ScimError::invalid_value(
                "activationCode is required for AT_OOBSMS",
            ));
        }
        _ => None,
    };
    let user = owner(&state, &tenant, &body).await?;
    if user.phone.is_none() {
        return Err(ScimError::invalid_value(
            "the user has no mobile number (phoneNumbers or ATR_MOBILE)",
        ));
    }
    let now = state.login.now();
    let authenticator = Authenticator {
        tenant: tenant.clone(),
        user_id: user.id,
        policy: policy.to_owned(),
        activation_hash: activation
            .as_deref()
            .map(|code| state.activation_hash(&tenant, user.id, code)),
        enabled: true,
        created_at: now,
        expires_at: now + Duration::days(state.config.hid.authenticator_days.into()),
        stats: Statistics::default(),
        version: 1,
    };
    state
        .directory
        .create_authenticator(&authenticator)
        .await
        .map_err(|e| match e {
            DirectoryError::Conflict => {
                ScimError::uniqueness("the user has an authenticator of this policy already")
            }
            e => e.into(),
        })?;
    let answer = resource(&state, &authenticator, &user, activation.as_deref());
    Ok(scim_json(StatusCode::CREATED, answer))
}

/// `{userId}.{policy}`, of this tenant, for an administrator of the tenant.
async fn find(
    state: &Hid,
    tenant: &str,
    id: &str,
    headers: &axum::http::HeaderMap,
) -> Result<(Authenticator, User), ScimError> {
    state.admin(tenant, headers)?;
    let (user_id, policy) = id.split_once('.').ok_or_else(ScimError::not_found)?;
    let user_id: i64 = user_id.parse().map_err(|_| ScimError::not_found())?;
    let authenticator = state
        .directory
        .authenticator(tenant, user_id, policy)
        .await?
        .ok_or_else(ScimError::not_found)?;
    let user = state
        .directory
        .user(tenant, user_id)
        .await?
        .ok_or_else(ScimError::not_found)?;
    Ok((authenticator, user))
}

pub async fn read(
    State(state): State<Hid>,
    Path((tenant, id)): Path<(String, String)>,
    request: Request,
) -> Result<Response, ScimError> {
    let (a, user) = find(&state, &tenant, &id, request.headers()).await?;
    Ok(scim_json(StatusCode::OK, resource(&state, &a, &user, None)))
}

pub async fn delete(
    State(state): State<Hid>,
    Path((tenant, id)): Path<(String, String)>,
    request: Request,
) -> Result<Response, ScimError> {
    let (a, _) = find(&state, &tenant, &id, request.headers()).await?;
    state
        .directory
        .delete_authenticator(&tenant, a.user_id, &a.policy)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `PUT` with `status {status: ENABLED | DISABLED}`.
pub async fn replace(
    State(state): State<Hid>,
    Path((tenant, id)): Path<(String, String)>,
    request: Request,
) -> Result<Response, ScimError> {
    let (a, user) = find(&state, &tenant, &id, request.headers()).await?;
    let body = read_json(request).await?;
    let enabled = match text(&body, &["status", "status"]) {
        Some("ENABLED") => true,
        Some("DISABLED") => false,
        _ => {
            return Err(ScimError::invalid_value(
                "status.status must be ENABLED or DISABLED",
            ));
        }
    };
    let a = state
        .directory
        .set_enabled(&tenant, a.user_id, &a.policy, enabled)
        .await?
        .ok_or_else(ScimError::not_found)?;
    Ok(scim_json(StatusCode::OK, resource(&state, &a, &user, None)))
}

/// `POST` to an authenticator: the `RESET` action clears its consecutive failures.
/// `.AT_TXOOB` is HID's client's path for delivering a transaction's challenge.
pub async fn act(
    State(state): State<Hid>,
    Path((tenant, id)): Path<(String, String)>,
    request: Request,
) -> Result<Response, ScimError> {
    if id == ".AT_TXOOB" {
        return Ok(super::token::token(State(state), Path(tenant), request).await);
    }
    let (a, user) = find(&state, &tenant, &id, request.headers()).await?;
    let body = read_json(request).await?;
    match text(&body, &[ACTION, "action"]) {
        Some("RESET") => {}
        _ => return Err(ScimError::invalid_value("the action must be RESET")),
    }
    let a = state
        .directory
        .reset(&tenant, a.user_id, &a.policy)
        .await?
        .ok_or_else(ScimError::not_found)?;
    Ok(scim_json(StatusCode::OK, resource(&state, &a, &user, None)))
}
