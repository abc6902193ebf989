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

use crate::core::confirm::{CODE_MARK, Confirmation, Requested};
use crate::core::lang::Lang;
use crate::core::login::{LoginError, NewSession, Wording};
use crate::core::provider::Provider;
use crate::core::session::{
    Completion, DirectRequest, Effect, LoginSession, Refusal, ReturnTo, State,
};
use crate::oauth::issue::{self, AccessGrant, AccessToken, TokenBody, access_ttl};
use crate::oauth::scope::openid_scope;
use crate::oauth::{Client, Grant, GrantRequest, OAuth, OAuthError};
use crate::web::body::Form;
use crate::web::lang::resolve;

pub use crate::core::grant::{EMAIL_GRANT, SMS_GRANT};

/// Ubisecure's token endpoint path, served beside our own.
pub const UAS_TOKEN_PATH: &str = "/uas/oauth2/token";

/// Bounds on what an application may put into a message.
const MAX_MESSAGE: usize = 1000;
const MAX_TITLE: usize = 200;

pub fn router() -> Router<OAuth> {
    Router::new().route(UAS_TOKEN_PATH, post(crate::oauth::endpoint))
}

/// `sms-mt-otp` and `smtp-otp`, registered by the app for both grant types.
pub struct DirectGrant;

#[async_trait::async_trait]
impl Grant for DirectGrant {
    async fn grant(
        &self,
        state: &OAuth,
        request: GrantRequest<'_>,
    ) -> Result<Response, OAuthError> {
        handle(state, request).await
    }
}

/// Both requests of a direct grant; the reference tells them apart.
async fn handle(state: &OAuth, request: GrantRequest<'_>) -> Result<Response, OAuthError> {
    let GrantRequest {
        grant_type,
        client,
        form,
        headers,
        from,
        ..
    } = request;
    let provider = grant_type
        .provider()
        .ok_or_else(OAuthError::unsupported_grant_type)?;
    if !client.allows(provider) {
        return Err(OAuthError::unauthorized_client());
    }
    let scope = openid_scope(form.get("scope")).ok_or_else(OAuthError::invalid_scope)?;
    let lang = resolve(headers, None, form.get("ui_locales"));
    let grant_type = grant_type.name();
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
        client_id: &client.client_id,
        grant_type,
        identifier: &identifier,
    };
    match form.get("x_globalsign_iam_reference_id") {
        None => {
            let request = Send {
                provider,
                grant_type,
                username,
                scope: &scope,
                lang,
                from,
            };
            send(state, client, request, form, &binding).await
        }
        Some(reference) => {
            verify(
                state, client, provider, grant_type, username, form, reference, &binding,
            )
            .await
        }
    }
}

/// What the first request of a direct grant asks for.
struct Send<'a> {
    provider: Provider,
    grant_type: &'a str,
    username: &'a str,
    scope: &'a [String],
    lang: Lang,
    from: Option<IpAddr>,
}

async fn send(
    state: &OAuth,
    client: &Client,
    request: Send<'_>,
    form: &Form,
    binding: &reference::Binding<'_>,
) -> Result<Response, OAuthError> {
    let Send {
        provider,
        grant_type,
        username,
        scope,
        lang,
        from,
    } = request;
    let body = form.get("x_globalsign_iam_otp_body");
    if let Some(body) = body
        && (!body.contains("{0}") || body.len() > MAX_MESSAGE)
    {
        return Err(OAuthError::invalid_request(format!(
            "x_globalsign_iam_otp_body must contain {{0}} and be at most {MAX_MESSAGE} characters"
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
    let confirmation = confirmation(form)?;
    let session = state
        .login
        .create(NewSession {
            client_id: client.client_id.clone(),
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
            prefill: Some(binding.identifier.to_owned()),
            confirmation,
        })
        .await?;
    state.login.choose_provider(&session.id, provider).await?;
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
        Err(LoginError::Undeliverable(_)) => Err(OAuthError::invalid_request(
            "username is a number that cannot receive codes by SMS",
        )),
        Err(e) => Err(e.into()),
    }
}

#[allow(clippy::too_many_arguments)]
async fn verify(
    state: &OAuth,
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
    // The transaction the code is for, as this request repeats it: a changed (or
    // unreadable) value makes the code a wrong one.
    let presented = confirmation(form)
        .ok()
        .flatten()
        .map(|c| c.digest())
        .unwrap_or_default();
    let checked = state
        .login
        .submit_code(&session_id, code, Some(turn), Some(&presented))
        .await;
    let (session, effect) = match checked {
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
        Err(e) => return Err(e.into()),
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
            if !matches!(
                state.login.complete(&session.id).await,
                Ok((_, Completion::First))
            ) {
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
    state: &OAuth,
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
    let access = AccessToken::new();
    let grant = AccessGrant::new(
        state,
        &client.client_id,
        &sub,
        request.scope.clone(),
        provider,
        &verified.identifier,
    );
    issue::store(state, &access.key, &grant).await?;
    let mut claims = issue::id_token_claims(state, &client.client_id, &sub, provider, auth_time);
    claims.insert("aud".into(), json!([client.client_id]));
    claims.insert("azp".into(), client.client_id.clone().into());
    claims.insert("session_index".into(), session_index(&session.id).into());
    claims.insert(
        format!("{}.grant_type", provider.name()),
        json!([grant_type]),
    );
    if let Some(confirmation) = &session.confirmation {
        claims.insert(
            "confirmation".into(),
            issue::confirmation_claim(confirmation),
        );
    }
    let id_token = issue::sign(state, jsonwebtoken::Algorithm::RS256, claims).await?;
    Ok(TokenBody {
        access_token: access.token,
        expires_in: access_ttl(state).whole_seconds(),
        scope: Some(request.scope.join(" ")),
        id_token: Some(id_token),
        authorization_details: None,
    }
    .into_response())
}

fn challenge(state: &OAuth, session: &LoginSession, binding: &reference::Binding) -> Response {
    let body: Value = json!({
        "x_globalsign_iam_challenge": {"reference": reference::seal(&state.keys.token, session, binding)}
    });
    Json(body).into_response()
}

/// The transaction a direct grant's request names: `x_idbroker_amount`, `_currency` and
/// `_payee`, with the message body (its `{0}` is the code) as the text.
fn confirmation(form: &Form) -> Result<Option<Confirmation>, OAuthError> {
    let field = |name: &str| form.get(&format!("x_idbroker_{name}"));
    let (Some(amount), currency, payee) = (field("amount"), field("currency"), field("payee"))
    else {
        return Ok(None);
    };
    let text = form
        .get("x_globalsign_iam_otp_body")
        .map(|b| b.replace("{0}", CODE_MARK));
    Confirmation::new(Requested {
        amount,
        currency: currency.unwrap_or(""),
        payee: payee.unwrap_or(""),
        text: text.as_deref(),
        reference: field("reference"),
    })
    .map(Some)
    .map_err(|e| OAuthError::invalid_request(format!("x_idbroker_{e}")))
}

/// An opaque id for the login, in Ubisecure's `_` + 40 hex digits shape.
fn session_index(session_id: &str) -> String {
    let digest = Sha256::digest(session_id.as_bytes());
    let hex: String = digest.iter().take(20).map(|b| format!("{b:02x}")).collect();
    format!("_{hex}")
}
