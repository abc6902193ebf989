//! The end of a login session, handed back to whichever front door opened it: the REST
//! callbacks, or an OIDC authorization response.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use url::Url;

use crate::core::lang::Lang;
use crate::core::login::LoginError;
use crate::core::session::{LoginSession, ReturnTo, State, Verified};
use crate::core::text::t;
use crate::web::AppState;
use crate::web::page::{Frame, MessagePage, render};

enum Outcome<'a> {
    /// `first` is true for the one request that completed the session.
    Success {
        verified: &'a Verified,
        first: bool,
    },
    Abort,
    Error,
    Expired,
}

/// Sends the browser back to the relying party once the session has ended.
pub async fn respond(state: &AppState, session: &LoginSession, lang: Lang) -> Response {
    let outcome = match &session.state {
        State::Authenticated(verified) => match state.login.complete(&session.id).await {
            Ok(_) => Outcome::Success {
                verified,
                first: true,
            },
            // Another request completed it first and has handed the result over.
            Err(LoginError::Refused(_)) => Outcome::Success {
                verified,
                first: false,
            },
            Err(e) => return unavailable(lang, e),
        },
        State::Completed(verified) => Outcome::Success {
            verified,
            first: false,
        },
        State::Aborted | State::Cancelled => Outcome::Abort,
        State::Failed { .. } => Outcome::Error,
        State::Expired => Outcome::Expired,
        open => {
            tracing::error!(state = open.name(), "asked to finish an open session");
            return unavailable(lang, LoginError::NotFound);
        }
    };
    match &session.return_to {
        // A direct grant has no browser to send anywhere.
        ReturnTo::Direct(_) => unavailable(lang, LoginError::NotFound),
        ReturnTo::Saml(request) => match outcome {
            Outcome::Success {
                verified,
                first: true,
            } => crate::saml::respond(state, session, request, lang, verified).await,
            // An assertion goes to the SP once.
            Outcome::Success { first: false, .. } => render(
                StatusCode::CONFLICT,
                &MessagePage::error(lang, "error-finished", None),
            ),
            Outcome::Abort => {
                crate::saml::status(
                    state,
                    request,
                    lang,
                    "AuthnFailed",
                    "the user cancelled the sign-in",
                )
                .await
            }
            Outcome::Error => {
                crate::saml::status(state, request, lang, "AuthnFailed", "too many wrong codes")
                    .await
            }
            Outcome::Expired => {
                crate::saml::status(state, request, lang, "AuthnFailed", "the sign-in expired")
                    .await
            }
        },
        ReturnTo::Rest { callbacks, .. } => {
            let with_id = |base: &str| {
                let mut url = Url::parse(base).ok()?;
                url.query_pairs_mut().append_pair("sessionId", &session.id);
                Some(String::from(url))
            };
            let target = match outcome {
                Outcome::Success { .. } => with_id(&callbacks.success),
                Outcome::Abort => with_id(&callbacks.abort),
                Outcome::Error => with_id(&callbacks.error),
                Outcome::Expired => {
                    let page = MessagePage {
                        frame: Frame::new(lang),
                        heading: t(lang, "error-expired-heading"),
                        text: t(lang, "error-expired"),
                        link: with_id(&callbacks.error),
                    };
                    return render(StatusCode::GONE, &page);
                }
            };
            match target {
                Some(url) => Redirect::to(&url).into_response(),
                None => unavailable(lang, LoginError::NotFound),
            }
        }
        ReturnTo::Oidc(request) => {
            use crate::oidc::{authorization_response, error_response};
            match outcome {
                Outcome::Success {
                    verified,
                    first: true,
                } => match crate::oidc::issue_code(state, session, request, verified).await {
                    Ok(code) => authorization_response(state, request, lang, vec![("code", code)]),
                    Err(e) => unavailable(lang, LoginError::Store(e)),
                },
                // The code went to the browser once; it is never issued twice.
                Outcome::Success { first: false, .. } => render(
                    StatusCode::CONFLICT,
                    &MessagePage::error(lang, "error-finished", None),
                ),
                Outcome::Abort => error_response(
                    state,
                    request,
                    lang,
                    "access_denied",
                    "the user cancelled the sign-in",
                ),
                Outcome::Error => error_response(
                    state,
                    request,
                    lang,
                    "access_denied",
                    "too many wrong codes",
                ),
                Outcome::Expired => {
                    error_response(state, request, lang, "access_denied", "the sign-in expired")
                }
            }
        }
    }
}

fn unavailable(lang: Lang, e: LoginError) -> Response {
    tracing::error!(error = %e, "could not finish a login session");
    render(
        StatusCode::SERVICE_UNAVAILABLE,
        &MessagePage::error(lang, "error-unavailable", None),
    )
}
