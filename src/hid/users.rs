//! SCIM users: create, read, replace, delete, and `.search` with the filters HID's clients
//! send (`externalId eq "x"`, `userName eq x`).

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::Hid;
use super::scim::{ATTRIBUTE_SCHEMA, LIST_SCHEMA, ScimError, read_json, scim_json, user_resource};
use crate::core::directory::{DirectoryError, User, UserFields, UserFilter};
use crate::core::email;
use crate::core::provider::Provider;

const MAX_NAME: usize = 256;
const MAX_PAGE: i64 = 1000;

fn location(state: &Hid, tenant: &str, id: i64) -> String {
    state.url(&format!("/scim/{tenant}/v2/Users/{id}"))
}

fn answer(state: &Hid, status: StatusCode, user: &User) -> Response {
    let location = location(state, &user.tenant, user.id);
    scim_json(status, user_resource(user, &location))
}

pub async fn create(
    State(state): State<Hid>,
    Path(tenant): Path<String>,
    request: Request,
) -> Result<Response, ScimError> {
    state.admin(&tenant, request.headers())?;
    let body = read_json(request).await?;
    let fields = fields(&state, &body, UserFields::default())?;
    if fields.user_name.is_empty() {
        return Err(ScimError::invalid_value("userName is required"));
    }
    let user = state
        .directory
        .create_user(&tenant, &fields, state.login.now())
        .await
        .map_err(|e| match e {
            DirectoryError::Conflict => ScimError::uniqueness("userName is taken in this tenant"),
            e => e.into(),
        })?;
    Ok(answer(&state, StatusCode::CREATED, &user))
}

pub async fn read(
    State(state): State<Hid>,
    Path((tenant, id)): Path<(String, String)>,
    request: Request,
) -> Result<Response, ScimError> {
    let user = find(&state, &tenant, &id, request.headers()).await?;
    Ok(answer(&state, StatusCode::OK, &user))
}

/// Replaces what the body names and keeps the rest: HID's clients update the number with a
/// body that holds only the attribute block.
pub async fn replace(
    State(state): State<Hid>,
    Path((tenant, id)): Path<(String, String)>,
    request: Request,
) -> Result<Response, ScimError> {
    let user = find(&state, &tenant, &id, request.headers()).await?;
    let body = read_json(request).await?;
    let current = UserFields {
        user_name: user.user_name.clone(),
        external_id: user.external_id.clone(),
        given_name: user.given_name.clone(),
        family_name: user.family_name.clone(),
        phone: user.phone.clone(),
        email: user.email.clone(),
    };
    let fields = fields(&state, &body, current)?;
    let user = state
        .directory
        .replace_user(&tenant, user.id, &fields, state.login.now())
        .await?
        .ok_or_else(ScimError::not_found)?;
    Ok(answer(&state, StatusCode::OK, &user))
}

pub async fn delete(
    State(state): State<Hid>,
    Path((tenant, id)): Path<(String, String)>,
    request: Request,
) -> Result<Response, ScimError> {
    let user = find(&state, &tenant, &id, request.headers()).await?;
    if !state.directory.delete_user(&tenant, user.id).await? {
        return Err(ScimError::not_found());
    }
    Ok(axum::response::IntoResponse::into_response(
        StatusCode::NO_CONTENT,
    ))
}

pub async fn search(
    State(state): State<Hid>,
    Path(tenant): Path<String>,
    request: Request,
) -> Result<Response, ScimError> {
    state.admin(&tenant, request.headers())?;
    let body = read_json(request).await?;
    let filter = match body.get("filter") {
        None | Some(Value::Null) => UserFilter::All,
        Some(Value::String(f)) => parse_filter(f)?,
        Some(_) => return Err(ScimError::invalid_filter("filter must be a string")),
    };
    let number = |name: &str, default: i64| match body.get(name) {
        None | Some(Value::Null) => Ok(default),
        Some(v) => v
            .as_i64()
            .ok_or_else(|| ScimError::invalid_value(format!("{name} must be an integer"))),
    };
    // RFC 7644 §3.4.2.4: the index is 1-based and below 1 means 1 (HID's examples send 0).
    let start = (number("startIndex", 1)? - 1).max(0);
    let count = number("count", 100)?.clamp(0, MAX_PAGE);
    let (total, users) = state
        .directory
        .find_users(&tenant, &filter, start, count)
        .await?;
    let resources: Vec<Value> = users
        .iter()
        .map(|u| user_resource(u, &location(&state, &tenant, u.id)))
        .collect();
    Ok(scim_json(
        StatusCode::OK,
        json!({
            "schemas": [LIST_SCHEMA],
            "totalResults": total,
            "itemsPerPage": resources.len(),
            "startIndex": start + 1,
            "resources": resources,
        }),
    ))
}

/// A user of this tenant by its id, for an administrator of the tenant; any other id, or
/// another tenant's, is not found.
async fn find(
    state: &Hid,
    tenant: &str,
    id: &str,
    headers: &axum::http::HeaderMap,
) -> Result<User, ScimError> {
    state.admin(tenant, headers)?;
    let id: i64 = id.parse().map_err(|_| ScimError::not_found())?;
    state
        .directory
        .user(tenant, id)
        .await?
        .ok_or_else(ScimError::not_found)
}

/// `userName eq x`, `externalId eq "x"`: the attribute case-insensitive, the value quoted or
/// bare.
fn parse_filter(filter: &str) -> Result<UserFilter, ScimError> {
    let bad = || {
        ScimError::invalid_filter("supported filters: userName eq value, externalId eq \"value\"")
    };
    let mut parts = filter.trim().splitn(3, char::is_whitespace);
    let (Some(attribute), Some(op), Some(value)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    if !op.eq_ignore_ascii_case("eq") {
        return Err(bad());
    }
    let value = value.trim();
    let value = match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(quoted) => quoted.replace("\\\"", "\"").replace("\\\\", "\\"),
        None if !value.contains(char::is_whitespace) && !value.is_empty() => value.to_owned(),
        None => return Err(bad()),
    };
    match attribute.to_ascii_lowercase().as_str() {
        "username" => Ok(UserFilter::UserName(value)),
        "externalid" => Ok(UserFilter::ExternalId(value)),
        _ => Err(bad()),
    }
}

/// The string at `path` in `body`, if present; another type is an error naming the field.
fn string<'a>(body: &'a Value, path: &[&str], field: &str) -> Result<Option<&'a str>, ScimError> {
    let mut at = body;
    for key in path {
        match at.get(*key) {
            Some(next) => at = next,
            None => return Ok(None),
        }
    }
    match at {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        _ => Err(ScimError::invalid_value(format!(
            "{field} must be a string"
        ))),
    }
}

/// The value of HID's attribute `name` (`ATR_MOBILE`, `ATR_EMAIL`) in the body's extension.
fn hid_attribute<'a>(body: &'a Value, name: &str) -> Option<&'a str> {
    body.get(ATTRIBUTE_SCHEMA)?
        .get("attributes")?
        .as_array()?
        .iter()
        .find(|a| a.get("name").and_then(Value::as_str) == Some(name))?
        .get("value")?
        .as_str()
}

/// One value given in two places (`phoneNumbers[0].value` and `ATR_MOBILE`): they must agree.
fn one_of(
    first: Option<&str>,
    second: Option<&str>,
    field: &str,
    normalize: impl Fn(&str) -> Option<String>,
) -> Result<Option<String>, ScimError> {
    let parsed = |v: &str| {
        normalize(v).ok_or_else(|| ScimError::invalid_value(format!("{field} is not valid: {v:?}")))
    };
    match (
        first.map(parsed).transpose()?,
        second.map(parsed).transpose()?,
    ) {
        (Some(a), Some(b)) if a != b => Err(ScimError::invalid_value(format!(
            "{field} is given twice with different values"
        ))),
        (a, b) => Ok(a.or(b)),
    }
}

/// The fields the body names, on top of `base`.
fn fields(state: &Hid, body: &Value, base: UserFields) -> Result<UserFields, ScimError> {
    let mut fields = base;
    if let Some(name) = string(body, &["userName"], "userName")? {
        if name.trim().is_empty()
            || name.chars().count() > MAX_NAME
            || name.contains(char::is_control)
        {
            return Err(ScimError::invalid_value(format!(
                "userName must be 1 to {MAX_NAME} characters"
            )));
        }
        fields.user_name = name.to_owned();
    }
    let optional = |path: &[&str], field: &str| -> Result<Option<Option<String>>, ScimError> {
        Ok(string(body, path, field)?.map(|v| {
            let v = v.trim();
            (!v.is_empty()).then(|| v.chars().take(MAX_NAME).collect())
        }))
    };
    if let Some(v) = optional(&["externalId"], "externalId")? {
        fields.external_id = v;
    }
    if let Some(v) = optional(&["name", "givenName"], "name.givenName")? {
        fields.given_name = v;
    }
    if let Some(v) = optional(&["name", "familyName"], "name.familyName")? {
        fields.family_name = v;
    }
    let listed = |list: &str| {
        body.get(list)
            .and_then(|l| l.get(0))
            .and_then(|e| e.get("value"))
            .and_then(Value::as_str)
    };
    let phone = one_of(
        listed("phoneNumbers"),
        hid_attribute(body, "ATR_MOBILE"),
        "phoneNumbers[0].value",
        |v| state.login.normalize(Provider::OtpSms, v),
    )?;
    if phone.is_some() {
        fields.phone = phone;
    }
    let email = one_of(
        listed("emails"),
        hid_attribute(body, "ATR_EMAIL"),
        "emails[0].value",
        email::normalize,
    )?;
    if email.is_some() {
        fields.email = email;
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_as_hid_writes_them() {
        assert_eq!(
            parse_filter("externalId eq \"jsmith@gmail.com\"").unwrap(),
            UserFilter::ExternalId("jsmith@gmail.com".into())
        );
        assert_eq!(
            parse_filter("userName eq jsmith").unwrap(),
            UserFilter::UserName("jsmith".into())
        );
        assert_eq!(
            parse_filter("USERNAME EQ \"a b\"").unwrap(),
            UserFilter::UserName("a b".into())
        );
        for bad in [
            "userName co x",
            "title eq x",
            "userName eq",
            "userName eq a b",
            "",
        ] {
            assert!(parse_filter(bad).is_err(), "{bad}");
        }
    }
}
