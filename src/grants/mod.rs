//! Direct OTP grants, compatible with Ubisecure's `sms-mt-otp` and `smtp-otp`: an application
//! without a browser sends a code to a phone number or e-mail address with one token request,
//! and trades the code for tokens with a second. Both run on the same login session, OTP policy
//! and senders as the sign-in page.
//!
//! Each answer carries a fresh `reference` naming the session and the turn it is good for,
//! MACed together with the client, the grant and the username; a reference works once.

pub mod reference;

use std::net::IpAddr;

use axum::Json;
use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::core::lang::Lang;
use crate::core::login::{LoginError, NewSession, Wording};
use crate::core::provider::Provider;
use crate::core::session::{DirectRequest, Effect, LoginSession, Refusal, ReturnTo, State};
use crate::oidc::{AccessGrant, store_access_token};
use crate::token::{Client, OAuthError};
use crate::web::AppState;
use crate::web::body::Form;

pub use crate::core::grant::{EMAIL_GRANT, SMS_GRANT, provider_of};
/// Ubisecure's token endpoint path, served beside our own.
pub const UAS_TOKEN_PATH: &str = "/uas/oauth2/token";

/// Bounds on what an application may put into a message.
const MAX_BODY: usize = 1000;
const MAX_TITLE: usize = 200;

pub fn router() -> Router<AppState> {
    Router::new().route(UAS_TOKEN_PATH, post(crate::token::endpoint))
}

/// Both requests of a direct grant; the reference tells them apart.
pub async fn handle(
    state: &AppState,
    client: &Client,
    grant_type: &str,
    form: &Form,
    from: Option<IpAddr>,
) -> Result<Response, OAuthError> {
    let provider = provider_of(grant_type).ok_or_else(OAuthError::unsupported_grant_type)?;
    if !client.may_use(grant_type) || !client.allowed_providers.contains(&provider) {
        return Err(OAuthError::unauthorized_client());
    }
    let scope: Vec<String> = form
        .get("scope")
        .unwrap_or("")
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if !scope.iter().any(|s| s == "openid") {
        return Err(OAuthError::invalid_scope());
    }
    let username = form
        .get("username")
        .map(str::trim)
        .ok_or_else(|| OAuthError::invalid_request("username is missing"))?;
    // An MSISDN is international by definition: digits alone get their `+` back.
    let msisdn;
    let input = if provider == Provider::OtpSms
        && !username.is_empty()
        && username.bytes().all(|b| b.is_ascii_digit())
    {
        msisdn = format!("+{username}");
        msisdn.as_str()
    } else {
        username
    };
    let identifier = state.login.normalize(provider, input).ok_or_else(|| {
        OAuthError::invalid_request(match provider {
            Provider::OtpSms => "username is not a valid phone number",
            Provider::OtpEmail => "username is not a valid e-mail address",
        })
    })?;
    let binding = reference::Binding {
        client_id: &client.id,
        grant_type,
        identifier: &identifier,
    };
    match form.get("x_globalsign_iam_reference_id") {
        None => {
            send(
                state, client, provider, grant_type, username, &scope, form, &binding, from,
            )
            .await
        }
        Some(reference) => {
            verify(
                state, client, provider, grant_type, username, form, reference, &binding,
            )
            .await
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn send(
    state: &AppState,
    client: &Client,
    provider: Provider,
    grant_type: &str,
    username: &str,
    scope: &[String],
    form: &Form,
    binding: &reference::Binding<'_>,
    from: Option<IpAddr>,
) -> Result<Response, OAuthError> {
    let body = form.get("x_globalsign_iam_otp_body");
    if let Some(body) = body
        && (!body.contains("{0}") || body.len() > MAX_BODY)
    {
        return Err(OAuthError::invalid_request(format!(
            "x_globalsign_iam_otp_body must contain {{0}} and be at most {MAX_BODY} characters"
        )));
    }
    let title = form.get("x_globalsign_iam_otp_title");
    if let Some(title) = title
        && (title.len() > MAX_TITLE || title.chars().any(char::is_control))
    {
        return Err(OAuthError::invalid_request(format!(
            "x_globalsign_iam_otp_title must be one line of at most {MAX_TITLE} characters"
        )));
    }
    let lang = form
        .get("ui_locales")
        .and_then(Lang::first_of_list)
        .unwrap_or(Lang::En);
    let session = state
        .login
        .create(NewSession {
            client_id: client.id.clone(),
            return_to: ReturnTo::Direct(DirectRequest {
                grant_type: grant_type.to_owned(),
                username: username.to_owned(),
                scope: scope.to_vec(),
            }),
            allowed_providers: vec![provider],
            language: Some(lang),
            requested_attributes: provider.attributes().to_vec(),
            sender: None,
            parameters: Default::default(),
            prefill: None,
        })
        .await
        .map_err(unavailable)?;
    state
        .login
        .choose_provider(&session.id, provider)
        .await
        .map_err(unavailable)?;
    let wording = Wording::App {
        body: body.map(str::to_owned),
        title: title.map(str::to_owned),
    };
    match state
        .login
        .submit_identifier(&session.id, binding.identifier, lang, &wording, from)
        .await
    {
        Ok(session) => Ok(challenge(state, &session, binding)),
        Err(LoginError::Limited(limited)) => Err(OAuthError::limited(limited)),
        Err(LoginError::Undeliverable(_)) => Err(OAuthError::invalid_request(
            "username is a number that cannot receive codes by SMS",
        )),
        Err(LoginError::Delivery(e)) => {
            tracing::warn!(error = %e, "direct grant: code not sent");
            Err(OAuthError::temporarily_unavailable())
        }
        Err(e) => Err(unavailable(e)),
    }
}

#[allow(clippy::too_many_arguments)]
async fn verify(
    state: &AppState,
    client: &Client,
    provider: Provider,
    grant_type: &str,
    username: &str,
    form: &Form,
    reference: &str,
    binding: &reference::Binding<'_>,
) -> Result<Response, OAuthError> {
    let (session_id, turn) =
        reference::open(&state.keys.token, reference, binding).ok_or_else(|| {
            OAuthError::invalid_grant("the reference is not valid for this client and username")
        })?;
    let code = form
        .get("x_globalsign_iam_otp_code")
        .ok_or_else(|| OAuthError::invalid_request("x_globalsign_iam_otp_code is missing"))?;
    let (session, effect) = match state.login.submit_code(&session_id, code, Some(turn)).await {
        Ok(outcome) => outcome,
        // The reference's turn was not used: the same one works once the limit has room.
        Err(LoginError::Limited(limited)) => {
            return Err(OAuthError::limited(limited).with_challenge(reference.trim().to_owned()));
        }
        Err(LoginError::Refused(Refusal::StaleTurn)) => {
            return Err(OAuthError::invalid_grant(
                "the reference has already been used",
            ));
        }
        Err(LoginError::NotFound | LoginError::Refused(_)) => {
            return Err(OAuthError::invalid_grant(
                "the verification is over; start again",
            ));
        }
        Err(e) => return Err(unavailable(e)),
    };
    let retry = |description: &str| {
        OAuthError::invalid_grant(description.to_owned()).with_challenge(reference::seal(
            &state.keys.token,
            &session,
            binding,
        ))
    };
    match (effect, &session.state) {
        (Effect::WrongCode { .. }, _) => Err(retry("Invalid OTP")),
        (Effect::CodeExpired, _) => Err(retry("OTP Expired")),
        (Effect::Finished, State::Authenticated(verified)) => {
            // Only the request that completes the session gets tokens.
            if state.login.complete(&session.id).await.is_err() {
                return Err(OAuthError::invalid_grant(
                    "the verification is over; start again",
                ));
            }
            tokens(
                state,
                client,
                provider,
                grant_type,
                username,
                &session,
                verified.auth_time,
            )
            .await
        }
        (Effect::Finished, _) => Err(retry("Too many wrong codes; the verification is over")),
        _ => Err(OAuthError::invalid_grant(
            "the verification is over; start again",
        )),
    }
}

/// The success answer: an access token and an ID token shaped like Ubisecure's.
async fn tokens(
    state: &AppState,
    client: &Client,
    provider: Provider,
    grant_type: &str,
    username: &str,
    session: &LoginSession,
    auth_time: time::OffsetDateTime,
) -> Result<Response, OAuthError> {
    let State::Authenticated(verified) = &session.state else {
        return Err(OAuthError::server_error());
    };
    // `sub` is the MSISDN or address, written as the application wrote it: with or without the
    // leading `+`.
    let sub = match provider {
        Provider::OtpSms if !username.starts_with('+') => {
            verified.identifier.trim_start_matches('+').to_owned()
        }
        _ => verified.identifier.clone(),
    };
    let ReturnTo::Direct(request) = &session.return_to else {
        return Err(OAuthError::server_error());
    };
    let now = state.login.now();
    let ttl = time::Duration::seconds(state.config.oidc.access_token_ttl_secs.into());
    let (access_token, key) = crate::oidc::new_access_token();
    let grant = AccessGrant {
        client_id: client.id.clone(),
        sub: sub.clone(),
        scope: request.scope.clone(),
        provider,
        identifier: verified.identifier.clone(),
        expires_at: now + ttl,
        revoked: false,
    };
    store_access_token(state, &key, &grant).await?;
    let mut claims = crate::oidc::id_token_claims(state, &client.id, &sub, provider, auth_time);
    claims.insert("aud".into(), json!([client.id]));
    claims.insert("azp".into(), client.id.clone().into());
    claims.insert("session_index".into(), session_index(&session.id).into());
    claims.insert(
        format!("{}.grant_type", provider.name()),
        json!([grant_type]),
    );
    let id_token =
        crate::oidc::sign_id_token(state, jsonwebtoken::Algorithm::RS256, claims).await?;
    let body = json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": ttl.whole_seconds(),
        "scope": request.scope.join(" "),
        "id_token": id_token,
    });
    Ok(OAuthError::no_store(Json(body).into_response()))
}

fn challenge(state: &AppState, session: &LoginSession, binding: &reference::Binding) -> Response {
    let body: Value = json!({
        "x_globalsign_iam_challenge": {"reference": reference::seal(&state.keys.token, session, binding)}
    });
    OAuthError::no_store(Json(body).into_response())
}

/// An opaque id for the login, in Ubisecure's `_` + 40 hex digits shape.
fn session_index(session_id: &str) -> String {
    let digest = Sha256::digest(session_id.as_bytes());
    let hex: String = digest.iter().take(20).map(|b| format!("{b:02x}")).collect();
    format!("_{hex}")
}

fn unavailable(e: LoginError) -> OAuthError {
    tracing::error!(error = %e, "direct grant failed");
    OAuthError::temporarily_unavailable()
}
