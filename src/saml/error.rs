//! What can go wrong at the SAML door, typed; rendered as a local page at the edge. Nothing is
//! sent to an SP for a request we could not trust.

use axum::http::StatusCode;
use axum::response::Response;

use super::request::RequestError;
use crate::core::confirm::ConfirmError;
use crate::core::lang::Lang;
use crate::core::login::LoginError;
use crate::core::ports::StoreError;
use crate::web::page::{MessagePage, render};
use crate::web::with_cause;

#[derive(Debug, thiserror::Error)]
pub enum SamlError {
    #[error(transparent)]
    Request(#[from] RequestError),
    #[error("unreadable or repeated parameters")]
    Parameters,
    #[error("no SAMLRequest")]
    NoRequest,
    #[error("RelayState is too long")]
    RelayState,
    #[error("unknown issuer {0:?}")]
    UnknownIssuer(String),
    #[error("no IssueInstant")]
    NoIssueInstant,
    #[error("IssueInstant is outside the allowed clock skew")]
    ClockSkew,
    #[error("Destination is not this SSO endpoint")]
    Destination,
    /// Bindings §3.4.5.2 and §3.5.5.2: a request signed for another IdP could be replayed here.
    #[error("a signed request must carry a Destination")]
    NoDestination,
    #[error(
        "the requested AssertionConsumerService (URL or index, and binding) is not in the SP's metadata"
    )]
    Acs,
    #[error("replayed request ID")]
    Replayed,
    /// An unsigned request could show the user any amount and payee in our name.
    #[error("only a signed request may ask to confirm a payment (idbroker:param:*)")]
    UnsignedConfirmation,
    #[error("confirmation: {0}")]
    Confirmation(#[from] ConfirmError),
    #[error(
        "a confirmation needs idbroker:param:mobile or idbroker:param:email (one, valid, deliverable)"
    )]
    ConfirmationDestination,
    #[error("store: {0}")]
    Store(#[from] StoreError),
    #[error("session: {0}")]
    Session(#[from] LoginError),
    /// Building or signing our own message failed (openssl, xmlsec, a blocking task).
    #[error("signing: {0}")]
    Signing(String),
}

impl SamlError {
    pub fn signing(e: impl std::fmt::Display) -> SamlError {
        SamlError::Signing(e.to_string())
    }

    /// The local page for this error: a refused request is the SP's (or an attacker's)
    /// problem, anything else is ours.
    pub fn page(&self, lang: Lang) -> Response {
        let (status, id) = match self {
            SamlError::Store(_) | SamlError::Session(_) => {
                (StatusCode::SERVICE_UNAVAILABLE, "error-unavailable")
            }
            SamlError::Signing(_) => (StatusCode::INTERNAL_SERVER_ERROR, "error-unavailable"),
            _ => (StatusCode::BAD_REQUEST, "error-invalid-request"),
        };
        with_cause(render(status, &MessagePage::error(lang, id, None)), self)
    }
}
