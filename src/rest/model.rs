//! The REST API's JSON shapes, in Signicat's field names. Their doc comments and `schema`
//! attributes are the OpenAPI document's (`openapi.rs`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::openapi::{AttributeName, ProviderName};
use crate::core::provider::{Attribute, Provider};
use crate::core::session::{Callbacks, LoginSession, ReturnTo, State};
use crate::web::Common;
use crate::web::object::{object, optional_object};
use crate::web::paths::login_path;

/// `POST /auth/rest/sessions`. Fields we do not know are ignored; known ones must have the
/// right type.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(examples(json!({
    "allowedProviders": ["otp-sms"],
    "flow": "redirect",
    "language": "en",
    "requestedAttributes": ["idpId", "phoneNumber"],
    "additionalParameters": {"otp_sms_sender": "Demo Shop"},
    "callbackUrls": {
        "success": "https://rp.example/success",
        "abort": "https://rp.example/abort",
        "error": "https://rp.example/error",
    },
})))]
pub struct CreateSession {
    /// The providers the user may choose from; with more than one the user chooses. Each must
    /// be enabled for the client. Default: every provider the client may use.
    #[schema(value_type = Option<Vec<ProviderName>>, min_items = 1)]
    pub allowed_providers: Option<Vec<String>>,
    #[serde(default)]
    pub flow: Flow,
    /// The language of the pages and the SMS or e-mail: an ISO 639-1 code (`en`, `nb`, `sv`,
    /// `da`, `fi`, `de`, `fr`, `es`, …; a tag such as `en-GB` counts as its language).
    /// Unsupported languages are refused. Default: the browser's.
    #[schema(examples("en"))]
    pub language: Option<String>,
    /// The attributes of `subject` to release. Default: all.
    #[schema(value_type = Option<Vec<AttributeName>>)]
    pub requested_attributes: Option<Vec<String>>,
    /// Strings kept with the session and echoed (at most 20; keys at most 64 and values at
    /// most 256 characters). `otp_sms_sender` sets the SMS sender name: 1 to 11 letters,
    /// digits, spaces, `.`, `-` or `&`.
    pub additional_parameters: Option<BTreeMap<String, String>>,
    #[serde(deserialize_with = "object")]
    pub callback_urls: CallbackUrls,
    #[serde(default, deserialize_with = "optional_object")]
    pub prefilled_input: Option<PrefilledInput>,
    /// Your own reference, echoed.
    #[schema(max_length = 256)]
    pub external_reference: Option<String>,
    #[serde(default, deserialize_with = "optional_object")]
    pub confirmation: Option<ConfirmationRequest>,
}

/// How the user gets to the login: only `redirect` (send the browser to
/// `authenticationUrl`), the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Flow {
    #[default]
    Redirect,
}

/// Where the browser goes when the login ends, with `?sessionId=<id>` added. Each must be
/// registered for the client, exactly.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[schema(examples(json!({
    "success": "https://rp.example/success",
    "abort": "https://rp.example/abort",
    "error": "https://rp.example/error",
})))]
pub struct CallbackUrls {
    #[schema(format = "uri")]
    pub success: String,
    #[schema(format = "uri")]
    pub abort: String,
    #[schema(format = "uri")]
    pub error: String,
}

impl From<CallbackUrls> for Callbacks {
    fn from(urls: CallbackUrls) -> Callbacks {
        let CallbackUrls {
            success,
            abort,
            error,
        } = urls;
        Callbacks {
            success,
            abort,
            error,
        }
    }
}

impl From<Callbacks> for CallbackUrls {
    fn from(callbacks: Callbacks) -> CallbackUrls {
        let Callbacks {
            success,
            abort,
            error,
        } = callbacks;
        CallbackUrls {
            success,
            abort,
            error,
        }
    }
}

/// A transaction the user confirms with the code (a payment, say): the code goes only to
/// `prefilledInput`, and the code is bound to what is shown.
#[derive(Clone, Debug, Deserialize, ToSchema)]
pub struct ConfirmationRequest {
    /// A decimal amount with at most the currency's minor digits, e.g. `"12.50"`.
    #[schema(examples("12.50"))]
    pub amount: String,
    /// An ISO 4217 currency code.
    #[schema(examples("EUR"))]
    pub currency: String,
    /// Who is paid: printable text on one line.
    #[schema(examples("Demo Shop"))]
    pub payee: String,
    /// The text shown with the code: printable, on one line.
    pub text: Option<String>,
    /// Your reference for the transaction: printable.
    pub reference: Option<String>,
}

/// A value to pre-fill on the login page (validated; not trusted as verified). Give one.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct PrefilledInput {
    /// A phone number, in international or national form.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(examples("+447911123456"))]
    pub mobile: Option<String>,
    /// An e-mail address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// A confirmation as the API returns it: what was asked, its digest, and when the user
/// confirmed it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmationView {
    /// The amount in canonical form.
    pub amount: String,
    pub currency: String,
    pub payee: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The digest the code is bound to.
    pub digest: String,
    /// When the user confirmed it (RFC 3339); absent until then.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub confirmed_at: Option<String>,
}

/// A login session as its relying party sees it: the request's fields echoed, its status and,
/// once the user has proved the number or address, who they are.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionView {
    pub id: String,
    pub status: Status,
    /// Send the browser here.
    #[schema(format = "uri")]
    pub authentication_url: String,
    /// When the session stops waiting for the user (RFC 3339).
    #[schema(format = DateTime)]
    pub expires_at: String,
    #[schema(value_type = Vec<ProviderName>)]
    pub allowed_providers: Vec<&'static str>,
    pub flow: Flow,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<&'static str>,
    #[schema(value_type = Vec<AttributeName>)]
    pub requested_attributes: Vec<&'static str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub additional_parameters: BTreeMap<String, String>,
    pub callback_urls: CallbackUrls,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefilled_input: Option<PrefilledInput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_reference: Option<String>,
    /// The provider the user authenticated with, after `SUCCESS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<ProviderName>)]
    pub provider: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<SubjectView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<SessionError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<ConfirmationView>,
}

/// Where a session is: `CREATED` while waiting for the user; `SUCCESS` when the user proved
/// the number or address; `ABORT` when the user cancelled; `ERROR` after too many wrong codes;
/// `CANCELLED` after `DELETE`; `EXPIRED` when its lifetime ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    Created,
    Success,
    Abort,
    Error,
    Cancelled,
    Expired,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Created => "CREATED",
            Status::Success => "SUCCESS",
            Status::Abort => "ABORT",
            Status::Error => "ERROR",
            Status::Cancelled => "CANCELLED",
            Status::Expired => "EXPIRED",
        }
    }
}

/// Who the user is, after `SUCCESS`: the id and the requested attributes the provider has.
#[derive(Debug, Default, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubjectView {
    /// Opaque and stable: the same provider and identifier give the same id in every session.
    pub id: String,
    /// The verified phone number or e-mail address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idp_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

impl SubjectView {
    fn set(&mut self, attribute: Attribute, value: &str) {
        let field = match attribute {
            Attribute::IdpId => &mut self.idp_id,
            Attribute::PhoneNumber => &mut self.phone_number,
            Attribute::Email => &mut self.email,
        };
        *field = Some(value.to_owned());
    }
}

/// Why a session ended in `ERROR`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionError {
    #[schema(examples("too_many_attempts"))]
    pub code: &'static str,
    pub message: &'static str,
}

impl SessionView {
    /// The view of a REST session; `None` for sessions other front doors opened.
    pub fn of(state: &Common, session: &LoginSession) -> Option<SessionView> {
        let ReturnTo::Rest {
            callbacks,
            external_reference,
        } = &session.return_to
        else {
            return None;
        };
        let verified = session.state.verified();
        let subject = verified.map(|v| {
            let subject = state.login.subject(v.provider, &v.identifier);
            let mut view = SubjectView {
                id: subject.id.clone(),
                ..SubjectView::default()
            };
            for attribute in &session.requested_attributes {
                if let Some(value) = subject.attribute(*attribute) {
                    view.set(*attribute, value);
                }
            }
            view
        });
        let error = match &session.state {
            State::Failed { .. } => Some(SessionError {
                code: "too_many_attempts",
                message: "too many wrong codes were entered",
            }),
            _ => None,
        };
        Some(SessionView {
            id: session.id.clone(),
            status: status(&session.state),
            authentication_url: state.url(&login_path(&session.id)),
            expires_at: rfc3339(session.expires_at),
            allowed_providers: session.allowed_providers.iter().map(|p| p.name()).collect(),
            flow: Flow::Redirect,
            language: session.language.map(|l| l.code()),
            requested_attributes: session
                .requested_attributes
                .iter()
                .map(|a| a.name())
                .collect(),
            additional_parameters: session.parameters.clone(),
            callback_urls: callbacks.clone().into(),
            prefilled_input: session.prefill.as_ref().map(|p| match p.contains('@') {
                true => PrefilledInput {
                    email: Some(p.clone()),
                    ..PrefilledInput::default()
                },
                false => PrefilledInput {
                    mobile: Some(p.clone()),
                    ..PrefilledInput::default()
                },
            }),
            external_reference: external_reference.clone(),
            provider: verified.map(|v| Provider::name(v.provider)),
            subject,
            error,
            confirmation: session.confirmation.as_ref().map(|c| ConfirmationView {
                amount: c.amount.clone(),
                currency: c.currency.clone(),
                payee: c.payee.clone(),
                text: c.text.clone(),
                reference: c.reference.clone(),
                digest: c.digest(),
                confirmed_at: verified.map(|v| rfc3339(v.auth_time)),
            }),
        })
    }
}

/// The API's status for the core's states.
pub fn status(state: &State) -> Status {
    match state {
        State::Created
        | State::ProviderChosen { .. }
        | State::IdentifierEntered(_)
        | State::CodeSent(_) => Status::Created,
        State::Authenticated(_) | State::Completed(_) => Status::Success,
        State::Aborted => Status::Abort,
        State::Failed { .. } => Status::Error,
        State::Cancelled => Status::Cancelled,
        State::Expired => Status::Expired,
    }
}

/// A time as the API writes it: RFC 3339, whole seconds.
fn rfc3339(t: time::OffsetDateTime) -> String {
    t.replace_nanosecond(0)
        .unwrap_or(t)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_are_the_cores() {
        let mut subject = SubjectView::default();
        for attribute in Attribute::ALL {
            subject.set(attribute, "x");
        }
        let json = serde_json::to_value(&subject).unwrap();
        for attribute in Attribute::ALL {
            assert_eq!(json[attribute.name()], "x", "{}", attribute.name());
        }
        for status in [
            Status::Created,
            Status::Success,
            Status::Abort,
            Status::Error,
            Status::Cancelled,
            Status::Expired,
        ] {
            assert_eq!(serde_json::to_value(status).unwrap(), status.name());
        }
    }
}
