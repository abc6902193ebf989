//! Responses to SPs: a signed Assertion (RSA-SHA256, SHA-256 digests, exclusive c14n,
//! `Reference URI="#ID"`) inside a Response that is signed too when configured; delivered by an
//! auto-submitting form (HTTP-POST) or by a signed redirect (HTTP-Redirect).

use axum::response::{IntoResponse, Redirect, Response};
use base64::{Engine, engine::general_purpose::STANDARD};
use openssl::hash::MessageDigest;
use openssl::sign::Signer;
use samael::crypto::{Crypto, CryptoProvider};
use time::{Duration, OffsetDateTime};
use url::form_urlencoded::byte_serialize;

use super::error::SamlError;
use super::{Saml, entity_id, escape};
use crate::core::lang::Lang;
use crate::core::session::{LoginSession, SamlRequest, Verified};
use crate::web::page::auto_post;

const STATUS_PREFIX: &str = "urn:oasis:names:tc:SAML:2.0:status:";
const SIG_ALG: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";

/// A successful login, as a Response to the SP that asked.
pub(super) async fn respond(
    state: &Saml,
    session: &LoginSession,
    request: &SamlRequest,
    lang: Lang,
    verified: &Verified,
) -> Response {
    let now = state.login.now();
    let assertion = assertion(state, session, request, verified, now);
    let signed_assertion = match sign(assertion, state.key.key_der.clone()).await {
        Ok(xml) => strip_declaration(&xml).to_owned(),
        Err(e) => return e.page(lang),
    };
    deliver(
        state,
        request,
        lang,
        "Success",
        None,
        &signed_assertion,
        now,
    )
    .await
}

/// A Response with a non-success status (`AuthnFailed`, `NoPassive`, …) under `Responder`.
pub(super) async fn status(
    state: &Saml,
    request: &SamlRequest,
    lang: Lang,
    second: &str,
    message: &str,
) -> Response {
    deliver(
        state,
        request,
        lang,
        second,
        Some(message),
        "",
        state.login.now(),
    )
    .await
}

async fn deliver(
    state: &Saml,
    request: &SamlRequest,
    lang: Lang,
    status: &str,
    message: Option<&str>,
    assertion: &str,
    now: OffsetDateTime,
) -> Response {
    let id = new_id();
    let issuer = escape(&entity_id(state));
    let status_xml = match (status, message) {
        ("Success", _) => format!(
            r#"<saml2p:Status><saml2p:StatusCode Value="{STATUS_PREFIX}Success"/></saml2p:Status>"#
        ),
        (second, message) => format!(
            r#"<saml2p:Status><saml2p:StatusCode Value="{STATUS_PREFIX}Responder"><saml2p:StatusCode Value="{STATUS_PREFIX}{second}"/></saml2p:StatusCode><saml2p:StatusMessage>{}</saml2p:StatusMessage></saml2p:Status>"#,
            escape(message.unwrap_or(""))
        ),
    };
    // The HTTP-Redirect binding signs the query instead of the XML.
    let sign_xml = request.post && state.config.saml.sign_response;
    let signature = if sign_xml {
        signature_template(&id, &state.key.cert_b64, false)
    } else {
        String::new()
    };
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" Destination="{acs}" ID="{id}" InResponseTo="{in_response_to}" IssueInstant="{instant}" Version="2.0"><saml2:Issuer>{issuer}</saml2:Issuer>{signature}{status_xml}{assertion}</saml2p:Response>"#,
        acs = escape(&request.acs),
        in_response_to = escape(&request.request_id),
        instant = instant(now),
    );
    let xml = if sign_xml {
        match sign(xml, state.key.key_der.clone()).await {
            Ok(signed) => signed,
            Err(e) => return e.page(lang),
        }
    } else {
        xml
    };
    if request.post {
        let mut fields = vec![("SAMLResponse", STANDARD.encode(xml.as_bytes()))];
        if let Some(relay) = &request.relay_state {
            fields.push(("RelayState", relay.clone()));
        }
        return auto_post(lang, &request.acs, fields);
    }
    match redirect_url(state, request, &xml) {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(e) => e.page(lang),
    }
}

/// The HTTP-Redirect binding: DEFLATE, base64, and an RSA-SHA256 signature over the query.
fn redirect_url(state: &Saml, request: &SamlRequest, xml: &str) -> Result<String, SamlError> {
    use std::io::Write;
    let mut deflate =
        flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    deflate
        .write_all(xml.as_bytes())
        .map_err(SamlError::signing)?;
    let compressed = deflate.finish().map_err(SamlError::signing)?;
    let enc = |s: &str| byte_serialize(s.as_bytes()).collect::<String>();
    let mut query = format!("SAMLResponse={}", enc(&STANDARD.encode(compressed)));
    if let Some(relay) = &request.relay_state {
        query.push_str(&format!("&RelayState={}", enc(relay)));
    }
    query.push_str(&format!("&SigAlg={}", enc(SIG_ALG)));
    let mut signer =
        Signer::new(MessageDigest::sha256(), &state.key.key).map_err(SamlError::signing)?;
    signer
        .update(query.as_bytes())
        .map_err(SamlError::signing)?;
    let signature = signer.sign_to_vec().map_err(SamlError::signing)?;
    let separator = if request.acs.contains('?') { '&' } else { '?' };
    Ok(format!(
        "{}{separator}{query}&Signature={}",
        request.acs,
        enc(&STANDARD.encode(signature))
    ))
}

fn assertion(
    state: &Saml,
    session: &LoginSession,
    request: &SamlRequest,
    verified: &Verified,
    now: OffsetDateTime,
) -> String {
    let id = new_id();
    let ttl = Duration::seconds(state.config.saml.assertion_ttl_secs.into());
    let subject = state.login.subject(verified.provider, &verified.identifier);
    let provider = verified.provider.name();
    let attributes: String = session
        .requested_attributes
        .iter()
        .filter_map(|a| subject.attribute(*a).map(|v| attribute(a.name(), v)))
        .collect();
    // What the user confirmed, for the SP to compare with its own record.
    let confirmed: String = session
        .confirmation
        .iter()
        .flat_map(|c| {
            [
                ("confirmationAmount", c.amount.clone()),
                ("confirmationCurrency", c.currency.clone()),
                ("confirmationPayee", c.payee.clone()),
                ("confirmationDigest", c.digest()),
            ]
        })
        .map(|(name, value)| attribute(name, &value))
        .collect();
    let attributes = attributes + &confirmed;
    format!(
        r#"<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="{id}" IssueInstant="{instant}" Version="2.0"><saml2:Issuer>{issuer}</saml2:Issuer>{signature}<saml2:Subject><saml2:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified" NameQualifier="{provider}">{name_id}</saml2:NameID><saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml2:SubjectConfirmationData InResponseTo="{in_response_to}" NotOnOrAfter="{expires}" Recipient="{acs}"/></saml2:SubjectConfirmation></saml2:Subject><saml2:Conditions NotBefore="{not_before}" NotOnOrAfter="{expires}"><saml2:AudienceRestriction><saml2:Audience>{audience}</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions><saml2:AttributeStatement>{attributes}</saml2:AttributeStatement><saml2:AuthnStatement AuthnInstant="{auth_instant}" SessionIndex="{session_index}"><saml2:AuthnContext><saml2:AuthnContextClassRef>substantial</saml2:AuthnContextClassRef><saml2:AuthenticatingAuthority>{provider}</saml2:AuthenticatingAuthority></saml2:AuthnContext></saml2:AuthnStatement></saml2:Assertion>"#,
        instant = instant(now),
        issuer = escape(&entity_id(state)),
        signature = signature_template(&id, &state.key.cert_b64, true),
        name_id = escape(&subject.id),
        in_response_to = escape(&request.request_id),
        expires = instant(now + ttl),
        acs = escape(&request.acs),
        not_before = instant(now - Duration::seconds(5)),
        audience = escape(&request.sp),
        auth_instant = instant(verified.auth_time),
        session_index = new_id(),
    )
}

/// One attribute of the assertion, its value a string.
fn attribute(name: &str, value: &str) -> String {
    format!(
        r#"<saml2:Attribute Name="{name}"><saml2:AttributeValue xsi:type="xsd:string">{}</saml2:AttributeValue></saml2:Attribute>"#,
        escape(value)
    )
}

/// An enveloped-signature template for the element with `id`; xmlsec fills in the values.
fn signature_template(id: &str, cert_b64: &str, xsd_prefix: bool) -> String {
    let inclusive = if xsd_prefix {
        r#"<ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="xsd"/>"#
    } else {
        ""
    };
    format!(
        r##"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="{SIG_ALG}"/><ds:Reference URI="#{id}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#">{inclusive}</ds:Transform></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue></ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert_b64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>"##
    )
}

/// Signs the first signature template in `xml`, off the async threads.
async fn sign(xml: String, key_der: Vec<u8>) -> Result<String, SamlError> {
    tokio::task::spawn_blocking(move || {
        Crypto::sign_xml(xml.as_bytes(), &key_der).map_err(SamlError::signing)
    })
    .await
    .map_err(SamlError::signing)?
}

fn strip_declaration(xml: &str) -> &str {
    let xml = xml.trim_start();
    match xml.strip_prefix("<?xml") {
        Some(rest) => rest
            .split_once("?>")
            .map_or(xml, |(_, body)| body.trim_start()),
        None => xml,
    }
}

fn new_id() -> String {
    let mut bytes = [0u8; 16];
    rand::fill(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("_{hex}")
}

/// SAML instants: UTC with milliseconds.
fn instant(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}
