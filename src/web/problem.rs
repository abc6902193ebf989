//! Problem details (RFC 9457), the error shape of the REST API.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::core::login::LoginError;
use crate::web::body::BodyError;

/// An error of the REST API (RFC 9457), served as `application/problem+json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// Always `about:blank`: the status says what went wrong.
    #[serde(rename = "type")]
    #[schema(value_type = String, examples("about:blank"))]
    kind: &'static str,
    /// The status's reason phrase.
    #[schema(value_type = String, examples("Bad Request"))]
    title: &'static str,
    /// The HTTP status.
    #[schema(examples(400))]
    status: u16,
    /// What to fix, for a person.
    #[schema(examples(
        "callbackUrls.success: is not registered for this client (the match is exact)"
    ))]
    detail: String,
    /// The request field at fault, as a JSON path such as `callbackUrls.success`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, examples("callbackUrls.success"))]
    field: Option<Box<str>>,
    #[serde(skip)]
    bearer_challenge: bool,
    /// Set when a limit refused the request: the answer carries `Retry-After`.
    #[serde(skip)]
    limited: Option<crate::core::limits::Limited>,
    /// The internal error behind a 5xx, for the log.
    #[serde(skip)]
    cause: Option<Box<str>>,
}

impl Problem {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Problem {
        Problem {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            detail: detail.into(),
            field: None,
            bearer_challenge: false,
            limited: None,
            cause: None,
        }
    }

    /// A limit said no (429, or 503 when the operator's SMS caps are spent).
    pub fn limited(limited: crate::core::limits::Limited) -> Problem {
        Problem {
            limited: Some(limited),
            ..Problem::new(
                crate::web::limited::status(&limited),
                crate::web::limited::describe(&limited),
            )
        }
    }

    /// A 400 naming the request field at fault.
    pub fn field(field: impl Into<String>, detail: impl Into<String>) -> Problem {
        let field = field.into();
        let detail = format!("{field}: {}", detail.into());
        Problem {
            field: Some(field.into()),
            ..Problem::new(StatusCode::BAD_REQUEST, detail)
        }
    }

    pub fn not_found() -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "no such session")
    }

    /// A 401 that tells the client to come back with a bearer token (RFC 6750).
    pub fn unauthorized() -> Problem {
        Problem {
            bearer_challenge: true,
            ..Problem::new(
                StatusCode::UNAUTHORIZED,
                "a valid bearer token from the token endpoint is required",
            )
        }
    }

    pub fn unavailable() -> Problem {
        Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the service is temporarily unavailable; try again",
        )
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, axum::Json(&self)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(limited) = &self.limited {
            response = crate::web::limited::respond(limited, response);
        }
        if let Some(cause) = &self.cause {
            response = crate::web::with_cause(response, cause);
        }
        if self.bearer_challenge {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"idbroker\""),
            );
        }
        response
    }
}

impl From<BodyError> for Problem {
    fn from(e: BodyError) -> Problem {
        match e {
            BodyError::TooLarge => Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "the request body is too large",
            ),
            BodyError::WrongContentType => Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Content-Type must be application/json",
            ),
            BodyError::Unreadable | BodyError::Repeated(_) => Problem::new(
                StatusCode::BAD_REQUEST,
                "the request body could not be read",
            ),
        }
    }
}

/// What a login error means to an API client when its door has nothing more specific to say.
impl From<LoginError> for Problem {
    fn from(e: LoginError) -> Problem {
        let problem = match &e {
            LoginError::NotFound => return Problem::not_found(),
            LoginError::Limited(limited) => return Problem::limited(*limited),
            LoginError::Store(_) | LoginError::Contention => Problem::unavailable(),
            _ => Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error"),
        };
        Problem {
            cause: Some(e.to_string().into()),
            ..problem
        }
    }
}
