//! The single sign-on endpoint, HTTP-Redirect (GET) and HTTP-POST. Anything wrong with the
//! request — unknown issuer, bad or missing signature, stale or replayed, wrong destination, an
//! ACS not in the metadata — gets a local error page and nothing is sent to the SP.

use std::collections::BTreeMap;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::response::{IntoResponse, Redirect, Response};
use time::Duration;

use super::error::SamlError;
use super::request::{self, AuthnRequest, RequestError};
use super::sp::ServiceProvider;
use super::{BINDING_POST, CONFIRM_PREFIX, PARAM_PREFIX, Saml, sso_url};
use crate::core::confirm::{Confirmation, Requested};
use crate::core::lang::Lang;
use crate::core::login::NewSession;
use crate::core::provider::{Attribute, Provider};
use crate::core::records::first_sight;
use crate::core::rules::{parameter_fits, valid_sender};
use crate::core::session::{ReturnTo, SamlRequest};
use crate::web::body::Form;
use crate::web::lang::request_lang;
use crate::web::paths::login_path;

const MAX_RELAY_STATE: usize = 1024;

pub async fn sso(State(state): State<Saml>, request: Request) -> Response {
    let lang = request_lang(request.headers());
    match accept(&state, request).await {
        Ok(response) => response,
        Err(e) => e.page(lang),
    }
}

async fn accept(state: &Saml, request: Request) -> Result<Response, SamlError> {
    let lang = request_lang(request.headers());
    let get = request.method() == Method::GET;
    let query = request.uri().query().unwrap_or("").to_owned();
    let params = if get {
        Form::parse(query.as_bytes())
    } else {
        Form::from_request(request).await
    }
    .map_err(|_| SamlError::Parameters)?;
    let encoded = params.get("SAMLRequest").ok_or(SamlError::NoRequest)?;
    let relay_state = params.get("RelayState").map(str::to_owned);
    if relay_state
        .as_ref()
        .is_some_and(|r| r.len() > MAX_RELAY_STATE)
    {
        return Err(SamlError::RelayState);
    }
    let xml = if get {
        request::inflate(encoded)
    } else {
        request::decode_post(encoded)
    }?;
    let unverified = request::parse(&xml)?;
    let sp = state
        .sps
        .get(&unverified.issuer)
        .ok_or_else(|| SamlError::UnknownIssuer(unverified.issuer.clone()))?;

    // Keys come from the SP's metadata only, never from the message.
    let signed = if get {
        params.get("Signature").is_some()
    } else {
        sp.authn_requests_signed || request::has_enveloped_signature(&xml)
    };
    let authn = if get {
        // Bindings §3.4.4.1: by Redirect the signature travels beside the message, and any
        // enveloped one must have been removed.
        if request::has_enveloped_signature(&xml) {
            return Err(RequestError::Transform.into());
        }
        if signed {
            request::verify_redirect(&query, &sp.signing_certs)?;
        } else if sp.authn_requests_signed {
            return Err(RequestError::Signature.into());
        }
        unverified
    } else if signed {
        let certs = sp.signing_certs.clone();
        let verified = tokio::task::spawn_blocking(move || request::verify_enveloped(&xml, &certs))
            .await
            .map_err(SamlError::signing)??;
        // Parse again, from the bytes the signature covers.
        request::parse(&verified)?
    } else {
        unverified
    };

    let now = state.login.now();
    let skew = Duration::seconds(state.config.saml.max_clock_skew_secs.into());
    let issued = authn.issue_instant.ok_or(SamlError::NoIssueInstant)?;
    if issued < now - skew || issued > now + skew {
        return Err(SamlError::ClockSkew);
    }
    match authn.destination.as_deref() {
        Some(d) if d != sso_url(state) => return Err(SamlError::Destination),
        None if signed => return Err(SamlError::NoDestination),
        _ => {}
    }
    let acs = sp
        .choose_acs(
            authn.acs_url.as_deref(),
            authn.acs_index,
            authn.protocol_binding.as_deref(),
        )
        .ok_or(SamlError::Acs)?
        .clone();
    if !first_sight(&*state.store, "saml", &[&sp.entity_id, &authn.id], skew * 2).await? {
        return Err(SamlError::Replayed);
    }

    let target = SamlRequest {
        sp: sp.entity_id.clone(),
        acs: acs.location.clone(),
        post: acs.binding == BINDING_POST,
        request_id: authn.id.clone(),
        relay_state,
    };
    let (language, sender, parameters) = extensions(&authn);
    let lang = language.unwrap_or(lang);
    let confirming = confirmation(state, &authn, signed)?;
    // There is no single sign-on session, so a passive request can never be satisfied and
    // ForceAuthn is always honoured.
    if authn.is_passive {
        return Ok(super::response::status(
            state,
            &target,
            lang,
            "NoPassive",
            "passive authentication is not possible",
        )
        .await);
    }
    let session = state
        .login
        .create(NewSession {
            client_id: sp.entity_id.clone(),
            return_to: ReturnTo::Saml(target),
            allowed_providers: match &confirming {
                Some((_, provider, _)) => vec![*provider],
                None => state.config.available_providers(),
            },
            language,
            requested_attributes: release(&sp, &authn),
            sender,
            parameters,
            prefill: confirming.as_ref().map(|(_, _, to)| to.clone()),
            confirmation: confirming.map(|(c, _, _)| c),
        })
        .await?;
    Ok(Redirect::to(&login_path(&session.id)).into_response())
}

/// The payment an SP asks the user to confirm, from `idbroker:param:*` values: amount,
/// currency, payee, text, reference, and the `mobile` (or `email`) the code goes to, with the
/// provider that delivers to it. Only a signed request may ask: the SP vouches for what the
/// user will see.
fn confirmation(
    state: &Saml,
    authn: &AuthnRequest,
    signed: bool,
) -> Result<Option<(Confirmation, Provider, String)>, SamlError> {
    let value = |name: &str| {
        authn.requested.iter().find_map(|(n, v)| {
            (n.strip_prefix(CONFIRM_PREFIX) == Some(name))
                .then_some(v.as_deref())
                .flatten()
        })
    };
    let named = authn
        .requested
        .iter()
        .any(|(n, _)| n.starts_with(CONFIRM_PREFIX));
    if !named {
        return Ok(None);
    }
    if !signed {
        return Err(SamlError::UnsignedConfirmation);
    }
    let confirmation = Confirmation::new(Requested {
        amount: value("amount").unwrap_or(""),
        currency: value("currency").unwrap_or(""),
        payee: value("payee").unwrap_or(""),
        text: value("text"),
        reference: value("reference"),
    })?;
    let (provider, to) = match (value("mobile"), value("email")) {
        (Some(mobile), None) => (Provider::OtpSms, mobile),
        (None, Some(email)) => (Provider::OtpEmail, email),
        _ => return Err(SamlError::ConfirmationDestination),
    };
    let to = state
        .login
        .normalize(provider, to)
        .filter(|_| state.config.available_providers().contains(&provider))
        .ok_or(SamlError::ConfirmationDestination)?;
    Ok(Some((confirmation, provider, to)))
}

/// `signicat:param:*` values: the language, the SMS sender, and the rest kept as parameters.
fn extensions(authn: &AuthnRequest) -> (Option<Lang>, Option<String>, BTreeMap<String, String>) {
    let mut language = None;
    let mut sender = None;
    let mut parameters = BTreeMap::new();
    for (name, value) in &authn.requested {
        let (Some(param), Some(value)) = (name.strip_prefix(PARAM_PREFIX), value) else {
            continue;
        };
        match param {
            "language" => language = Lang::from_tag(value),
            "otp_sms_sender" if valid_sender(value) => sender = Some(value.clone()),
            "otp_sms_sender" => {
                tracing::info!("ignoring an otp_sms_sender that is not a valid sender name")
            }
            // What does not fit is dropped: the SP asked for nothing we must refuse.
            _ if parameter_fits(parameters.len(), param, value).is_ok() => {
                parameters.insert(param.to_owned(), value.clone());
            }
            _ => {}
        }
    }
    (language, sender, parameters)
}

/// Which attributes the Response releases: those the request names in its Extensions, else the
/// AttributeConsumingService it points at (or the SP's default one), else all.
fn release(sp: &ServiceProvider, authn: &AuthnRequest) -> Vec<Attribute> {
    let named = |names: &mut dyn Iterator<Item = &String>| -> Vec<Attribute> {
        let mut out = Vec::new();
        for attribute in names.filter_map(|n| Attribute::from_name(n)) {
            if !out.contains(&attribute) {
                out.push(attribute);
            }
        }
        out
    };
    let requested = named(
        &mut authn
            .requested
            .iter()
            .map(|(n, _)| n)
            .filter(|n| !n.starts_with(PARAM_PREFIX) && !n.starts_with(CONFIRM_PREFIX)),
    );
    if !requested.is_empty() {
        return requested;
    }
    let service = match authn.attribute_service_index {
        Some(i) => sp
            .attribute_services
            .iter()
            .find(|(index, _, _)| *index == i),
        None => sp
            .attribute_services
            .iter()
            .find(|(_, default, _)| *default),
    };
    match service {
        Some((_, _, names)) if !named(&mut names.iter()).is_empty() => named(&mut names.iter()),
        _ => Provider::ALL
            .iter()
            .flat_map(|p| p.attributes())
            .fold(Vec::new(), |mut all, a| {
                if !all.contains(a) {
                    all.push(*a);
                }
                all
            }),
    }
}
