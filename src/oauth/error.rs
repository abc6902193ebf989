//! OAuth 2.0 error responses (RFC 6749 §5.2).

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::core::directory::DirectoryError;
use crate::core::login::LoginError;
use crate::core::ports::StoreError;

#[derive(Debug)]
pub struct OAuthError {
    status: StatusCode,
    code: &'static str,
    description: String,
    /// The client tried HTTP Basic: the 401 names that scheme.
    basic_challenge: bool,
    /// A direct grant's fresh reference for the next try (`x_globalsign_iam_challenge`).
    reference: Option<String>,
    /// Set when a limit refused the request: the answer carries `Retry-After`.
    limited: Option<crate::core::limits::Limited>,
    /// The internal error behind a 5xx, for the log (never for the client).
    cause: Option<String>,
}

impl OAuthError {
    fn new(status: StatusCode, code: &'static str, description: impl Into<String>) -> OAuthError {
        OAuthError {
            status,
            code,
            description: description.into(),
            basic_challenge: false,
            reference: None,
            limited: None,
            cause: None,
        }
    }

    pub fn invalid_request(description: impl Into<String>) -> OAuthError {
        OAuthError::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    pub fn invalid_client(basic: bool) -> OAuthError {
        OAuthError {
            basic_challenge: basic,
            ..OAuthError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "client authentication failed",
            )
        }
    }

    pub fn unauthorized_client() -> OAuthError {
        OAuthError::new(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            "the client may not use this grant type",
        )
    }

    pub fn unsupported_grant_type() -> OAuthError {
        OAuthError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "the grant type is not supported",
        )
    }

    pub fn invalid_grant(description: impl Into<String>) -> OAuthError {
        OAuthError::new(StatusCode::BAD_REQUEST, "invalid_grant", description)
    }

    pub fn temporarily_unavailable() -> OAuthError {
        OAuthError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            "the service is temporarily unavailable; try again",
        )
    }

    pub fn server_error() -> OAuthError {
        OAuthError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            "internal error",
        )
    }

    pub fn invalid_scope() -> OAuthError {
        OAuthError::new(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            "the scope is not available",
        )
    }

    /// A limit said no: `temporarily_unavailable`, with the status and `Retry-After` every front
    /// door gives.
    pub fn limited(limited: crate::core::limits::Limited) -> OAuthError {
        OAuthError {
            limited: Some(limited),
            ..OAuthError::new(
                crate::web::limited::status(&limited),
                "temporarily_unavailable",
                crate::web::limited::describe(&limited),
            )
        }
    }

    /// Adds the reference the client should use for its next try.
    pub fn with_challenge(self, reference: String) -> OAuthError {
        OAuthError {
            reference: Some(reference),
            ..self
        }
    }

    /// The internal error behind this answer, logged with the request.
    pub fn caused_by(self, cause: impl std::fmt::Display) -> OAuthError {
        OAuthError {
            cause: Some(cause.to_string()),
            ..self
        }
    }

    /// The same error with another HTTP status, for a door whose vendor answers so (HID's
    /// token endpoint answers a wrong client secret with 400).
    pub fn with_status(self, status: StatusCode) -> OAuthError {
        OAuthError { status, ..self }
    }

    pub fn code(&self) -> &'static str {
        self.code
    }

    /// Token responses must not be cached (RFC 6749 §5.1).
    pub fn no_store(mut response: Response) -> Response {
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
        response
    }
}

/// An OAuth error as it goes on the wire; the REST API's OpenAPI document describes this type.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// `invalid_request`, `invalid_client`, `unauthorized_client`, `unsupported_grant_type`,
    /// `invalid_scope`, `invalid_grant` or `temporarily_unavailable`.
    #[schema(value_type = String, examples("invalid_client"))]
    pub error: &'static str,
    pub error_description: String,
    /// Only for the direct OTP grants: the reference for the next try.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x_globalsign_iam_challenge: Option<Challenge>,
}

#[derive(Serialize, ToSchema)]
pub struct Challenge {
    pub reference: String,
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.code,
            error_description: self.description,
            x_globalsign_iam_challenge: self.reference.map(|reference| Challenge { reference }),
        };
        let mut response = OAuthError::no_store((self.status, Json(body)).into_response());
        if let Some(limited) = &self.limited {
            response = crate::web::limited::respond(limited, response);
        }
        if let Some(cause) = self.cause {
            response = crate::web::with_cause(response, cause);
        }
        if self.basic_challenge {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"idbroker\""),
            );
        }
        response
    }
}

impl From<DirectoryError> for OAuthError {
    fn from(e: DirectoryError) -> OAuthError {
        OAuthError::temporarily_unavailable().caused_by(e)
    }
}

impl From<StoreError> for OAuthError {
    fn from(e: StoreError) -> OAuthError {
        OAuthError::temporarily_unavailable().caused_by(e)
    }
}

/// What a login error means to an OAuth client when its door has nothing more specific to say.
impl From<LoginError> for OAuthError {
    fn from(e: LoginError) -> OAuthError {
        match e {
            LoginError::Limited(limited) => OAuthError::limited(limited),
            e => OAuthError::temporarily_unavailable().caused_by(e),
        }
    }
}
