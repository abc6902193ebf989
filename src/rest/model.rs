//! The REST API's JSON shapes, in Signicat's field names.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::core::provider::Provider;
use crate::core::session::{Callbacks, LoginSession, ReturnTo, State};
use crate::web::Common;
use crate::web::paths::login_path;

/// `POST /auth/rest/sessions`. Fields we do not know are ignored; known ones must have the
/// right type.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateSession {
    pub allowed_providers: Option<Vec<String>>,
    #[serde(default = "redirect")]
    pub flow: String,
    pub language: Option<String>,
    pub requested_attributes: Option<Vec<String>>,
    pub additional_parameters: Option<BTreeMap<String, String>>,
    pub callback_urls: Callbacks,
    pub prefilled_input: Option<PrefilledInput>,
    pub external_reference: Option<String>,
    /// A transaction the user confirms with the code.
    pub confirmation: Option<ConfirmationRequest>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct ConfirmationRequest {
    pub amount: String,
    pub currency: String,
    pub payee: String,
    pub text: Option<String>,
    pub reference: Option<String>,
}

fn redirect() -> String {
    "redirect".into()
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PrefilledInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// A confirmation as the API returns it: what was asked, its digest, and when the user
/// confirmed it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmationView {
    pub amount: String,
    pub currency: String,
    pub payee: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub digest: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmed_at: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionView {
    pub id: String,
    pub status: &'static str,
    pub authentication_url: String,
    pub expires_at: String,
    pub allowed_providers: Vec<&'static str>,
    pub flow: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<&'static str>,
    pub requested_attributes: Vec<&'static str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub additional_parameters: BTreeMap<String, String>,
    pub callback_urls: Callbacks,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefilled_input: Option<PrefilledInput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<ConfirmationView>,
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
            let mut fields = Map::new();
            fields.insert("id".into(), subject.id.clone().into());
            for attribute in &session.requested_attributes {
                if let Some(value) = subject.attribute(*attribute) {
                    fields.insert(attribute.name().into(), value.into());
                }
            }
            Value::Object(fields)
        });
        let error = match &session.state {
            State::Failed { .. } => Some(json!({
                "code": "too_many_attempts",
                "message": "too many wrong codes were entered",
            })),
            _ => None,
        };
        Some(SessionView {
            id: session.id.clone(),
            status: status(&session.state),
            authentication_url: state.url(&login_path(&session.id)),
            expires_at: rfc3339(session.expires_at),
            allowed_providers: session.allowed_providers.iter().map(|p| p.name()).collect(),
            flow: "redirect",
            language: session.language.map(|l| l.code()),
            requested_attributes: session
                .requested_attributes
                .iter()
                .map(|a| a.name())
                .collect(),
            additional_parameters: session.parameters.clone(),
            callback_urls: callbacks.clone(),
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

/// The API's status names for the core's states.
pub fn status(state: &State) -> &'static str {
    match state {
        State::Created
        | State::ProviderChosen { .. }
        | State::IdentifierEntered(_)
        | State::CodeSent(_) => "CREATED",
        State::Authenticated(_) | State::Completed(_) => "SUCCESS",
        State::Aborted => "ABORT",
        State::Failed { .. } => "ERROR",
        State::Cancelled => "CANCELLED",
        State::Expired => "EXPIRED",
    }
}

/// A time as the API writes it: RFC 3339, whole seconds.
fn rfc3339(t: time::OffsetDateTime) -> String {
    t.replace_nanosecond(0)
        .unwrap_or(t)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
