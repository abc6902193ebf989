//! The single sign-on endpoint, HTTP-Redirect (GET) and HTTP-POST. Anything wrong with the
//! request — unknown issuer, bad or missing signature, stale or replayed, wrong destination, an
//! ACS not in the metadata — gets a local error page and nothing is sent to the SP.

use std::collections::BTreeMap;

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use time::Duration;

use super::request::{self, AuthnRequest, RequestError};
use super::sp::ServiceProvider;
use super::{BINDING_POST, PARAM_PREFIX, sso_url};
use crate::config::valid_sender;
use crate::core::lang::Lang;
use crate::core::login::NewSession;
use crate::core::ports::Space;
use crate::core::provider::{Attribute, Provider};
use crate::core::session::{ReturnTo, SamlRequest};
use crate::web::AppState;
use crate::web::body::Form;
use crate::web::page::{MessagePage, render, request_lang};

const MAX_RELAY_STATE: usize = 1024;
const MAX_PARAMETERS: usize = 20;

pub async fn sso(State(state): State<AppState>, request: Request) -> Response {
    let lang = request_lang(request.headers());
    match accept(&state, request).await {
        Ok(response) => response,
        Err(why) => {
            tracing::info!(%why, "SAML request refused");
            render(
                StatusCode::BAD_REQUEST,
                &MessagePage::error(lang, "error-invalid-request", None),
            )
        }
    }
}

async fn accept(state: &AppState, request: Request) -> Result<Response, String> {
    let lang = request_lang(request.headers());
    let get = request.method() == Method::GET;
    let query = request.uri().query().unwrap_or("").to_owned();
    let params = if get {
        Form::parse(query.as_bytes())
    } else {
        Form::from_request(request).await
    }
    .map_err(|_| "unreadable or repeated parameters".to_owned())?;
    let encoded = params.get("SAMLRequest").ok_or("no SAMLRequest")?;
    let relay_state = params.get("RelayState").map(str::to_owned);
    if relay_state
        .as_ref()
        .is_some_and(|r| r.len() > MAX_RELAY_STATE)
    {
        return Err("RelayState is too long".into());
    }
    let xml = if get {
        request::inflate(encoded)
    } else {
        request::decode_post(encoded)
    }
    .map_err(text)?;
    let unverified = request::parse(&xml).map_err(text)?;
    let sp = state
        .sps
        .get(&unverified.issuer)
        .ok_or_else(|| format!("unknown issuer {:?}", unverified.issuer))?;

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
            return Err(text(RequestError::Transform));
        }
        if signed {
            request::verify_redirect(&query, &sp.signing_certs).map_err(text)?;
        } else if sp.authn_requests_signed {
            return Err(text(RequestError::Signature));
        }
        unverified
    } else if signed {
        let certs = sp.signing_certs.clone();
        let verified = tokio::task::spawn_blocking(move || request::verify_enveloped(&xml, &certs))
            .await
            .map_err(|_| "verification task failed".to_owned())?
            .map_err(text)?;
        // Parse again, from the bytes the signature covers.
        request::parse(&verified).map_err(text)?
    } else {
        unverified
    };

    let now = state.login.now();
    let skew = Duration::seconds(state.config.saml.max_clock_skew_secs.into());
    let issued = authn.issue_instant.ok_or("no IssueInstant")?;
    if issued < now - skew || issued > now + skew {
        return Err("IssueInstant is outside the allowed clock skew".into());
    }
    match authn.destination.as_deref() {
        Some(d) if d != sso_url(state) => {
            return Err("Destination is not this SSO endpoint".into());
        }
        // Bindings §3.4.5.2 and §3.5.5.2: a signed request must say where it was sent, or
        // a request signed for another IdP could be replayed here.
        None if signed => return Err("a signed request must carry a Destination".into()),
        _ => {}
    }
    let acs = sp
        .choose_acs(
            authn.acs_url.as_deref(),
            authn.acs_index,
            authn.protocol_binding.as_deref(),
        )
        .ok_or("the requested AssertionConsumerService (URL or index, and binding) is not in the SP's metadata")?
        .clone();
    let marker = format!("saml\u{0}{}\u{0}{}", sp.entity_id, authn.id);
    match state
        .store
        .insert(Space::Seen, &marker, Vec::new(), skew * 2)
        .await
    {
        Ok(true) => {}
        Ok(false) => return Err("replayed request ID".into()),
        Err(e) => return Err(format!("store: {e}")),
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
            allowed_providers: state.config.available_providers(),
            language,
            requested_attributes: release(&sp, &authn),
            sender,
            parameters,
            prefill: None,
        })
        .await
        .map_err(|e| format!("session: {e}"))?;
    Ok(Redirect::to(&crate::web::paths::login_path(&session.id)).into_response())
}

fn text(e: RequestError) -> String {
    e.to_string()
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
            _ if parameters.len() < MAX_PARAMETERS && value.len() <= 256 && param.len() <= 64 => {
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
            .filter(|n| !n.starts_with(PARAM_PREFIX)),
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
