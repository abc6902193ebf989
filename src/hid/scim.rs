//! SCIM's shapes (RFC 7643/7644) as HID writes them: errors, the user resource with HID's
//! attribute extension, and request bodies read with a clear error.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::core::directory::{DirectoryError, User};
use crate::web::body::BodyError;
use crate::web::with_cause;

pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const ATTRIBUTE_SCHEMA: &str = "urn:hid:scim:api:idp:2.0:UserAttribute";
pub const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
pub const MEDIA_TYPE: &str = "application/scim+json";

/// A SCIM error: `status` is a string, `scimType` names the kind of 400 or 409.
#[derive(Debug)]
pub struct ScimError {
    status: StatusCode,
    scim_type: Option<&'static str>,
    detail: String,
    cause: Option<String>,
}

impl ScimError {
    fn new(status: StatusCode, scim_type: Option<&'static str>, detail: impl Into<String>) -> Self {
        ScimError {
            status,
            scim_type,
            detail: detail.into(),
            cause: None,
        }
    }

    pub fn invalid_value(detail: impl Into<String>) -> ScimError {
        ScimError::new(StatusCode::BAD_REQUEST, Some("invalidValue"), detail)
    }

    pub fn invalid_filter(detail: impl Into<String>) -> ScimError {
        ScimError::new(StatusCode::BAD_REQUEST, Some("invalidFilter"), detail)
    }

    pub fn invalid_syntax(detail: impl Into<String>) -> ScimError {
        ScimError::new(StatusCode::BAD_REQUEST, Some("invalidSyntax"), detail)
    }

    pub fn uniqueness(detail: impl Into<String>) -> ScimError {
        ScimError::new(StatusCode::CONFLICT, Some("uniqueness"), detail)
    }

    pub fn not_found() -> ScimError {
        ScimError::new(StatusCode::NOT_FOUND, None, "resource not found")
    }

    pub fn unauthorized() -> ScimError {
        ScimError::new(
            StatusCode::UNAUTHORIZED,
            None,
            "a valid bearer token of this tenant is required",
        )
    }

    pub fn forbidden() -> ScimError {
        ScimError::new(
            StatusCode::FORBIDDEN,
            None,
            "only an administrator client may use SCIM",
        )
    }
}

impl From<DirectoryError> for ScimError {
    fn from(e: DirectoryError) -> ScimError {
        match e {
            DirectoryError::Conflict => ScimError::uniqueness("the resource exists already"),
            e => ScimError {
                cause: Some(e.to_string()),
                ..ScimError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    None,
                    "the service is temporarily unavailable",
                )
            },
        }
    }
}

impl From<BodyError> for ScimError {
    fn from(e: BodyError) -> ScimError {
        match e {
            BodyError::TooLarge => ScimError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                None,
                "the request body is too large",
            ),
            _ => ScimError::invalid_syntax("the request body could not be read"),
        }
    }
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        let mut body = json!({
            "schemas": [ERROR_SCHEMA],
            "detail": self.detail,
            "status": self.status.as_u16().to_string(),
        });
        if let Some(kind) = self.scim_type {
            body["scimType"] = kind.into();
        }
        let response = scim_json(self.status, body);
        match self.cause {
            Some(cause) => with_cause(response, cause),
            None => response,
        }
    }
}

/// A SCIM answer, typed `application/scim+json`.
pub fn scim_json(status: StatusCode, body: Value) -> Response {
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(MEDIA_TYPE));
    response
}

/// A request's JSON object body, whatever its `Content-Type` says (HID's examples quote it).
pub async fn read_json(request: axum::extract::Request) -> Result<Value, ScimError> {
    let (_, bytes) = crate::web::body::read(request).await?;
    parse_body(&bytes)
}

/// A JSON body; SCIM clients send `application/scim+json` or `application/json`.
pub fn parse_body(bytes: &[u8]) -> Result<Value, ScimError> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|_| ScimError::invalid_syntax("the body must be a JSON object"))?;
    if !value.is_object() {
        return Err(ScimError::invalid_syntax("the body must be a JSON object"));
    }
    Ok(value)
}

pub fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// A user as SCIM returns it: the number both as `phoneNumbers` and as HID's `ATR_MOBILE`
/// attribute, kept in step, and the same for the address.
pub fn user_resource(user: &User, location: &str) -> Value {
    let mut attributes = Vec::new();
    let mut resource = json!({
        "schemas": [USER_SCHEMA, "urn:hid:scim:api:idp:2.0:UserDevice", ATTRIBUTE_SCHEMA, "urn:hid:scim:api:idp:2.0:UserAuthenticator"],
        "id": user.id.to_string(),
        "userName": user.user_name,
        "meta": {
            "resourceType": "User",
            "created": rfc3339(user.created_at),
            "lastModified": rfc3339(user.modified_at),
            "location": location,
            "version": user.version.to_string(),
        },
    });
    if let Some(external) = &user.external_id {
        resource["externalId"] = external.as_str().into();
    }
    if user.given_name.is_some() || user.family_name.is_some() {
        resource["name"] = json!({"givenName": user.given_name, "familyName": user.family_name});
    }
    if let Some(phone) = &user.phone {
        resource["phoneNumbers"] = json!([{"value": phone, "type": "mobile", "primary": true}]);
        attributes.push(json!({"name": "ATR_MOBILE", "type": "string", "value": phone}));
    }
    if let Some(email) = &user.email {
        resource["emails"] = json!([{"value": email, "type": "work", "primary": true}]);
        attributes.push(json!({"name": "ATR_EMAIL", "type": "string", "value": email}));
    }
    resource[ATTRIBUTE_SCHEMA] = json!({ "attributes": attributes });
    resource
}
