//! The REST API's contract: an OpenAPI 3.1 document generated from the handlers' own types
//! and `#[utoipa::path]` attributes, served at `/auth/rest/openapi.json` and committed as
//! `docs/openapi.json` (a test keeps the two equal).

use std::borrow::Cow;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{Http, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ObjectBuilder, RefOr, Schema, Type};
use utoipa::{IntoResponses, Modify, OpenApi, PartialSchema, ToSchema};

use crate::core::provider::{Attribute, Provider};
use crate::oauth::issue::TokenResponse;
use crate::oauth::{ErrorBody, TOKEN_PATH};
use crate::web::problem::Problem;

pub const PATH: &str = "/auth/rest/openapi.json";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "idbroker REST API",
        description = "Create a login session, send the browser to its `authenticationUrl`, \
            read the verified subject afterwards. Shaped like Signicat's Authentication REST API.",
    ),
    paths(token, super::create, super::read, super::cancel, document),
    // Also referenced from the shared responses below, which utoipa does not collect from.
    components(schemas(Problem)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "token", description = "Bearer tokens for the sessions API"),
        (name = "sessions", description = "Login sessions"),
        (name = "contract", description = "This document"),
    ),
)]
pub struct ApiDoc;

/// The document as served and as committed: pretty-printed, with a final newline.
pub fn text() -> Result<String, serde_json::Error> {
    ApiDoc::openapi().to_pretty_json().map(|json| json + "\n")
}

/// This document.
#[utoipa::path(
    get,
    path = PATH,
    operation_id = "getOpenApi",
    tag = "contract",
    responses((status = 200, description = "The OpenAPI document", body = Object)),
)]
pub(super) async fn document() -> Response {
    match text() {
        Ok(text) => {
            let mut response = text.into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            // It changes only with a release.
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            );
            response
        }
        Err(e) => crate::web::with_cause(
            Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response(),
            e,
        ),
    }
}

/// Every sessions operation's answer to a missing, expired or foreign bearer token.
#[derive(IntoResponses)]
#[response(
    status = 401,
    description = "No valid bearer token",
    content_type = "application/problem+json",
    headers(("WWW-Authenticate" = String))
)]
#[allow(dead_code)] // The contract only: `Problem::unauthorized` is what is sent.
pub(super) struct Unauthorized(Problem);

/// What an operation on one existing session answers besides its own outcomes.
#[derive(IntoResponses)]
#[allow(dead_code)] // The contract only: the handlers answer with `Problem`.
pub(super) enum SessionErrors {
    #[response(
        status = 404,
        description = "No such session for this client",
        content_type = "application/problem+json"
    )]
    NotFound(Problem),
    #[response(
        status = 503,
        description = "The store is unreachable",
        content_type = "application/problem+json"
    )]
    Unavailable(Problem),
}

/// Get a bearer token for the sessions API (`client_credentials`).
///
/// The client authenticates with HTTP Basic (`client_secret_basic`), or with `client_id` and
/// `client_secret` in the form (`client_secret_post`), not both. The answer carries
/// `Cache-Control: no-store`. Errors follow RFC 6749 §5.2.
#[utoipa::path(
    post,
    path = TOKEN_PATH,
    operation_id = "getToken",
    tag = "token",
    security(("client_secret_basic" = [])),
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "A bearer token", body = TokenResponse),
        (status = 400, description = "`invalid_request` (missing, repeated or malformed \
            parameters, two authentication methods), `unsupported_grant_type`, \
            `unauthorized_client` or `invalid_scope`", body = ErrorBody),
        (status = 401, description = "`invalid_client`: unknown client or wrong secret; \
            `WWW-Authenticate: Basic` when the client tried Basic", body = ErrorBody),
        (status = 429, description = "Too many failed client authentications from this address",
            body = ErrorBody, headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "`temporarily_unavailable`: the store is unreachable",
            body = ErrorBody),
    ),
)]
#[allow(dead_code)] // The contract only: `oauth::endpoint` serves this path, for every grant.
fn token() {}

/// A token request for the REST API, as a form.
#[derive(ToSchema)]
#[allow(dead_code)] // The contract only: the endpoint reads the form by name.
struct TokenRequest {
    grant_type: ClientCredentials,
    /// `idbroker-api`, or Signicat's `signicat-api`; space-separated. Optional.
    #[schema(pattern = "^((idbroker-api|signicat-api)( (idbroker-api|signicat-api))*)?$")]
    scope: Option<String>,
}

#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
enum ClientCredentials {
    ClientCredentials,
}

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(format!(
                        "An access token from `POST {TOKEN_PATH}` (`client_credentials`)"
                    )))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "client_secret_basic",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Basic)),
        );
    }
}

/// A provider's name on the wire. The schema lists the core's providers, so a new one
/// appears in the contract by itself.
pub struct ProviderName;

impl PartialSchema for ProviderName {
    fn schema() -> RefOr<Schema> {
        names(
            "A login method: `otp-sms` (a code by SMS), `otp-email` (a code by e-mail)",
            Provider::ALL.map(Provider::name),
        )
    }
}

impl ToSchema for ProviderName {
    fn name() -> Cow<'static, str> {
        "Provider".into()
    }
}

/// An attribute's name on the wire, from the core's list.
pub struct AttributeName;

impl PartialSchema for AttributeName {
    fn schema() -> RefOr<Schema> {
        names(
            "An attribute of the verified subject",
            Attribute::ALL.map(Attribute::name),
        )
    }
}

impl ToSchema for AttributeName {
    fn name() -> Cow<'static, str> {
        "Attribute".into()
    }
}

fn names(description: &str, values: impl IntoIterator<Item = &'static str>) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .enum_values(Some(values))
        .into()
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::core::rules::MAX_PARAMETER_VALUE;

    /// Limits the `schema` attributes can only spell as literals.
    #[test]
    fn limits_are_the_cores() {
        let doc: Value = serde_json::from_str(&text().unwrap()).unwrap();
        let create = &doc["components"]["schemas"]["CreateSession"]["properties"];
        assert_eq!(
            create["externalReference"]["maxLength"],
            MAX_PARAMETER_VALUE
        );
        assert_eq!(doc["openapi"], "3.1.0");
    }
}
