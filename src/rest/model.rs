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
}

fn redirect() -> String {
    "redirect".into()
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PrefilledInput {
    pub mobile: Option<String>,
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
            expires_at: session
                .expires_at
                .replace_nanosecond(0)
                .unwrap_or(session.expires_at)
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
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
            prefilled_input: session.prefill.as_ref().map(|m| PrefilledInput {
                mobile: Some(m.clone()),
            }),
            external_reference: external_reference.clone(),
            provider: verified.map(|v| Provider::name(v.provider)),
            subject,
            error,
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
