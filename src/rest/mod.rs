//! The REST front door, shaped like Signicat's Authentication REST API: create a session, send
//! the browser to its `authenticationUrl`, read the verified subject afterwards.

mod finish;
mod model;
pub mod openapi;

pub use finish::RestFinish;
pub use model::{
    CallbackUrls, ConfirmationRequest, CreateSession, Flow, PrefilledInput, SessionView, Status,
};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::core::confirm::{Confirmation, Requested};
use crate::core::lang::Lang;
use crate::core::login::{LoginError, NewSession};
use crate::core::provider::{Attribute, Provider};
use crate::core::rules::{
    MAX_PARAMETER_NAME, MAX_PARAMETER_VALUE, ParameterRule, SENDER_RULE, parameter_fits,
    valid_sender,
};
use crate::core::session::{LoginSession, ReturnTo};
use crate::oauth::{Client, OAuth};
use crate::web::bearer::bearer;
use crate::web::body::{self, BodyError};
use crate::web::object::Object;
use crate::web::param::Param;
use crate::web::problem::Problem;
use openapi::{SessionErrors, Unauthorized};

pub const SESSIONS_PATH: &str = "/auth/rest/sessions";

pub fn router() -> Router<OAuth> {
    Router::new()
        .route(SESSIONS_PATH, post(create))
        .route(&format!("{SESSIONS_PATH}/{{id}}"), get(read).delete(cancel))
        .route(openapi::PATH, get(openapi::document))
}

/// Create a login session.
///
/// Send the browser to the answer's `authenticationUrl`; it comes back to one of the
/// `callbackUrls` with `?sessionId=<id>`, and the result is read with `GET`.
#[utoipa::path(
    post,
    path = SESSIONS_PATH,
    operation_id = "createSession",
    tag = "sessions",
    security(("bearer" = [])),
    request_body(content = CreateSession, content_type = "application/json"),
    responses(
        (status = 201, description = "The session, waiting for the user", body = SessionView,
            headers(("Location" = String, description = "The session's address"))),
        (status = 400, description = "A field has the wrong type or value (`field` names it), \
            or the body is not one JSON object",
            body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 64 KiB",
            body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`",
            body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "An SMS-only session while the client's SMS caps allow no more",
            body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "The store is unreachable, or no SMS can be sent at the \
            moment (then with `Retry-After`)",
            body = Problem, content_type = "application/problem+json"),
        Unauthorized,
    ),
)]
async fn create(State(state): State<OAuth>, request: Request) -> Result<Response, Problem> {
    let client = authenticated(&state, request.headers())?;
    let (headers, bytes) = body::read(request).await?;
    if !body::has_content_type(&headers, "application/json") {
        return Err(BodyError::WrongContentType.into());
    }
    let mut json = serde_json::Deserializer::from_slice(&bytes);
    let request: CreateSession =
        serde_path_to_error::deserialize(Object(&mut json)).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." {
                "(body)".to_owned()
            } else {
                path
            };
            Problem::field(field, e.into_inner().to_string())
        })?;
    // One JSON value and nothing after it.
    json.end()
        .map_err(|e| Problem::field("(body)", e.to_string()))?;
    let view = create_session(&state, client, request).await?;
    let location = HeaderValue::from_str(&format!("{SESSIONS_PATH}/{}", view.id))
        .expect("session ids are header-safe");
    let mut response = (StatusCode::CREATED, Json(view)).into_response();
    response.headers_mut().insert(header::LOCATION, location);
    Ok(response)
}

/// Read a session: its status and, after `SUCCESS`, `provider` and `subject`.
#[utoipa::path(
    get,
    path = "/auth/rest/sessions/{id}",
    operation_id = "getSession",
    tag = "sessions",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The session's id")),
    responses(
        (status = 200, description = "The session", body = SessionView),
        Unauthorized,
        SessionErrors,
    ),
)]
async fn read(
    State(state): State<OAuth>,
    Param(id): Param,
    request: Request,
) -> Result<Json<SessionView>, Problem> {
    let client = authenticated(&state, request.headers())?;
    Ok(Json(session_view(&state, client, &id).await?))
}

/// Cancel a session that is still waiting for the user; it stays readable as `CANCELLED`.
#[utoipa::path(
    delete,
    path = "/auth/rest/sessions/{id}",
    operation_id = "cancelSession",
    tag = "sessions",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The session's id")),
    responses(
        (status = 200, description = "The session, now `CANCELLED`", body = SessionView),
        (status = 409, description = "The session has already ended",
            body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        SessionErrors,
    ),
)]
async fn cancel(
    State(state): State<OAuth>,
    Param(id): Param,
    request: Request,
) -> Result<Json<SessionView>, Problem> {
    let client = authenticated(&state, request.headers())?;
    own_session(&state, client, &id).await?;
    let session = state.login.cancel(&id).await.map_err(|e| match e {
        LoginError::Refused(_) => {
            Problem::new(StatusCode::CONFLICT, "the session has already ended")
        }
        e => e.into(),
    })?;
    SessionView::of(&state, &session)
        .map(Json)
        .ok_or_else(Problem::not_found)
}

/// Validates a create request for `client` and opens the session. The demo page uses this too.
pub async fn create_session(
    state: &OAuth,
    client: &Client,
    request: CreateSession,
) -> Result<SessionView, Problem> {
    let allowed_providers = match &request.allowed_providers {
        None => client.providers(),
        Some(names) if names.is_empty() => {
            return Err(Problem::field(
                "allowedProviders",
                "must name at least one provider",
            ));
        }
        Some(names) => {
            let mut providers = Vec::new();
            for (i, name) in names.iter().enumerate() {
                let field = format!("allowedProviders[{i}]");
                let provider = Provider::from_name(name)
                    .ok_or_else(|| Problem::field(&field, format!("unknown provider {name:?}")))?;
                if !client.allows(provider) {
                    return Err(Problem::field(
                        &field,
                        format!("provider {name:?} is not enabled for this client"),
                    ));
                }
                if !providers.contains(&provider) {
                    providers.push(provider);
                }
            }
            providers
        }
    };
    let language = match &request.language {
        None => None,
        Some(tag) => Some(Lang::from_tag(tag).ok_or_else(|| {
            let known: Vec<_> = Lang::ALL.iter().map(|l| l.code()).collect();
            Problem::field(
                "language",
                format!(
                    "unsupported language {tag:?}; supported: {}",
                    known.join(", ")
                ),
            )
        })?),
    };
    let requested_attributes = match &request.requested_attributes {
        None => Attribute::ALL.to_vec(),
        Some(names) => {
            let mut attributes = Vec::new();
            for (i, name) in names.iter().enumerate() {
                let attribute = Attribute::from_name(name).ok_or_else(|| {
                    Problem::field(
                        format!("requestedAttributes[{i}]"),
                        format!("unknown attribute {name:?}"),
                    )
                })?;
                if !attributes.contains(&attribute) {
                    attributes.push(attribute);
                }
            }
            attributes
        }
    };
    let parameters = request.additional_parameters.clone().unwrap_or_default();
    for (held, (key, value)) in parameters.iter().enumerate() {
        match parameter_fits(held, key, value) {
            Ok(()) => {}
            Err(e @ ParameterRule::TooMany) => {
                return Err(Problem::field("additionalParameters", e.to_string()));
            }
            Err(e @ ParameterRule::TooLong) => {
                let key: String = key.chars().take(MAX_PARAMETER_NAME).collect();
                return Err(Problem::field(
                    format!("additionalParameters.{key}"),
                    e.to_string(),
                ));
            }
        }
    }
    let sender = match parameters.get("otp_sms_sender") {
        Some(sender) if !valid_sender(sender) => {
            return Err(Problem::field(
                "additionalParameters.otp_sms_sender",
                SENDER_RULE,
            ));
        }
        sender => sender.cloned(),
    };
    let callbacks = &request.callback_urls;
    for (name, url) in [
        ("success", &callbacks.success),
        ("abort", &callbacks.abort),
        ("error", &callbacks.error),
    ] {
        if !client.has_callback(url) {
            return Err(Problem::field(
                format!("callbackUrls.{name}"),
                "is not registered for this client (the match is exact)",
            ));
        }
    }
    let prefilled = request.prefilled_input.clone().unwrap_or_default();
    let normalized = |provider: Provider, value: &str, field: &str, why: &str| {
        let id = state.login.normalize(provider, value);
        id.map(|id| (provider, id))
            .ok_or_else(|| Problem::field(field, why))
    };
    let prefill = match (&prefilled.mobile, &prefilled.email) {
        (Some(_), Some(_)) => {
            return Err(Problem::field(
                "prefilledInput",
                "give mobile or email, not both",
            ));
        }
        (Some(mobile), None) => Some(normalized(
            Provider::OtpSms,
            mobile,
            "prefilledInput.mobile",
            "is not a valid phone number",
        )?),
        (None, Some(email)) => Some(normalized(
            Provider::OtpEmail,
            email,
            "prefilledInput.email",
            "is not a valid e-mail address",
        )?),
        (None, None) => None,
    };
    let (confirmation, allowed_providers) = confirmation(&request, &prefill, allowed_providers)?;
    let prefill = prefill.map(|(_, identifier)| identifier);
    if request
        .external_reference
        .as_ref()
        .is_some_and(|r| r.chars().count() > MAX_PARAMETER_VALUE)
    {
        return Err(Problem::field(
            "externalReference",
            format!("at most {MAX_PARAMETER_VALUE} characters"),
        ));
    }
    // A session that can only send SMS is no use while the client's caps or the day's budget
    // allow none: say so now, not on the user's phone.
    if allowed_providers == [Provider::OtpSms] {
        match state.login.limits().sms_available(&client.client_id).await {
            Ok(Ok(())) => {}
            Ok(Err(limited)) => return Err(Problem::limited(limited)),
            Err(e) => return Err(LoginError::from(e).into()),
        }
    }
    let session = state
        .login
        .create(NewSession {
            client_id: client.client_id.clone(),
            return_to: ReturnTo::Rest {
                callbacks: callbacks.clone().into(),
                external_reference: request.external_reference.clone(),
            },
            allowed_providers,
            language,
            requested_attributes,
            sender,
            parameters,
            prefill,
            confirmation,
        })
        .await?;
    SessionView::of(state, &session).ok_or_else(Problem::not_found)
}

/// A confirmation and the one provider that may carry its code: the one the pre-filled
/// identifier is for, which the request and the client must allow.
fn confirmation(
    request: &CreateSession,
    prefill: &Option<(Provider, String)>,
    allowed: Vec<Provider>,
) -> Result<(Option<Confirmation>, Vec<Provider>), Problem> {
    let Some(asked) = &request.confirmation else {
        return Ok((None, allowed));
    };
    let confirmation = Confirmation::new(Requested {
        amount: &asked.amount,
        currency: &asked.currency,
        payee: &asked.payee,
        text: asked.text.as_deref(),
        reference: asked.reference.as_deref(),
    })
    .map_err(|e| Problem::field(format!("confirmation.{}", e.field), e.why))?;
    let Some((provider, _)) = prefill else {
        return Err(Problem::field(
            "prefilledInput",
            "a confirmation needs prefilledInput.mobile or prefilledInput.email: the code goes to the number or address you name",
        ));
    };
    if !allowed.contains(provider) {
        return Err(Problem::field(
            "prefilledInput",
            format!(
                "provider {:?} is not allowed for this session",
                provider.name()
            ),
        ));
    }
    Ok((Some(confirmation), vec![*provider]))
}

/// The session as its relying party sees it; another client's session does not exist.
pub async fn session_view(
    state: &OAuth,
    client: &Client,
    id: &str,
) -> Result<SessionView, Problem> {
    let session = own_session(state, client, id).await?;
    SessionView::of(state, &session).ok_or_else(Problem::not_found)
}

async fn own_session(state: &OAuth, client: &Client, id: &str) -> Result<LoginSession, Problem> {
    let session = state.login.get(id).await?;
    if session.client_id != client.client_id || !matches!(session.return_to, ReturnTo::Rest { .. })
    {
        return Err(Problem::not_found());
    }
    Ok(session)
}

fn authenticated<'a>(
    state: &'a OAuth,
    headers: &axum::http::HeaderMap,
) -> Result<&'a Client, Problem> {
    bearer(headers)
        .and_then(|t| state.tokens.verify(t))
        .and_then(|id| state.clients.get(&id))
        .ok_or_else(Problem::unauthorized)
}
