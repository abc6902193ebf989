//! AuthnRequests as they arrive: decoded from either binding, their signature checked with the
//! SP's metadata keys only, then parsed — from the verified bytes — by a strict reader.

use std::io::Read;

use base64::{Engine, engine::general_purpose::STANDARD};
use openssl::hash::MessageDigest;
use openssl::sign::Verifier;
use openssl::x509::X509;
use quick_xml::events::Event;
use quick_xml::reader::Reader;
use samael::crypto::{
    AllowedSignatureAlgorithm, CertificateDer, Crypto, CryptoProvider, ReduceMode,
};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::xml_has_doctype;

/// The most XML a request may inflate to: a deflate bomb expands about 1000:1. AuthnRequests
/// are a few KiB; this bounds what one request may cost to parse and verify.
pub const MAX_INFLATED: u64 = 64 * 1024;
/// The most base64 text a request may carry.
pub const MAX_ENCODED: usize = 64 * 1024;
/// How deep elements may nest, and how many attributes one may have.
const MAX_DEPTH: usize = 32;
const MAX_ATTRIBUTES: usize = 32;

const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const RSA_SHA512: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("the request is not valid base64 or DEFLATE data")]
    Encoding,
    #[error("the request is too large")]
    TooLarge,
    #[error("the request contains a DOCTYPE")]
    Doctype,
    #[error("the request is not a well-formed AuthnRequest: {0}")]
    Malformed(String),
    #[error("the request's signature is missing or does not verify")]
    Signature,
    #[error("the signature algorithm is not accepted (SHA-1 is not)")]
    Algorithm,
    #[error("the signature does not cover the whole request")]
    SignatureScope,
    #[error("the signature has a transform or a part a SAML signature does not use")]
    Transform,
}

/// HTTP-Redirect: base64, then raw DEFLATE, inflated with a cap.
pub fn inflate(encoded: &str) -> Result<String, RequestError> {
    if encoded.len() > MAX_ENCODED {
        return Err(RequestError::TooLarge);
    }
    let compressed = decode_base64(encoded)?;
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(compressed.as_slice())
        .take(MAX_INFLATED + 1)
        .read_to_end(&mut out)
        .map_err(|_| RequestError::Encoding)?;
    if out.len() as u64 > MAX_INFLATED {
        return Err(RequestError::TooLarge);
    }
    String::from_utf8(out).map_err(|_| RequestError::Encoding)
}

/// HTTP-POST: base64 only.
pub fn decode_post(encoded: &str) -> Result<String, RequestError> {
    if encoded.len() > MAX_ENCODED {
        return Err(RequestError::TooLarge);
    }
    String::from_utf8(decode_base64(encoded)?).map_err(|_| RequestError::Encoding)
}

fn decode_base64(text: &str) -> Result<Vec<u8>, RequestError> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    STANDARD.decode(compact).map_err(|_| RequestError::Encoding)
}

/// The raw (still percent-encoded) value of a query parameter, as the SP signed it.
fn raw_param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
}

/// Checks an HTTP-Redirect signature over the exact octets received: `SAMLRequest=…`,
/// `&RelayState=…` when present, `&SigAlg=…` (SAML bindings §3.4.4.1).
pub fn verify_redirect(query: &str, certs: &[X509]) -> Result<(), RequestError> {
    let request = raw_param(query, "SAMLRequest").ok_or(RequestError::Signature)?;
    let sig_alg_raw = raw_param(query, "SigAlg").ok_or(RequestError::Signature)?;
    let signature_raw = raw_param(query, "Signature").ok_or(RequestError::Signature)?;
    let decode = |raw: &str| {
        url::form_urlencoded::parse(format!("v={raw}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    let digest = match decode(sig_alg_raw).as_str() {
        RSA_SHA256 => MessageDigest::sha256(),
        RSA_SHA512 => MessageDigest::sha512(),
        _ => return Err(RequestError::Algorithm),
    };
    let signature = decode_base64(&decode(signature_raw))?;
    let mut signed = format!("SAMLRequest={request}");
    if let Some(relay) = raw_param(query, "RelayState") {
        signed.push_str(&format!("&RelayState={relay}"));
    }
    signed.push_str(&format!("&SigAlg={sig_alg_raw}"));
    let verified = certs.iter().any(|cert| {
        cert.public_key()
            .ok()
            .and_then(|key| {
                let mut verifier = Verifier::new(digest, &key).ok()?;
                verifier.update(signed.as_bytes()).ok()?;
                verifier.verify(&signature).ok()
            })
            .unwrap_or(false)
    });
    if verified {
        Ok(())
    } else {
        Err(RequestError::Signature)
    }
}

/// Checks an enveloped signature (HTTP-POST) with the SP's keys and returns the verified
/// request. The signature must reference the root element; SHA-1 is refused. Runs xmlsec, so
/// call it off the async threads.
pub fn verify_enveloped(xml: &str, certs: &[X509]) -> Result<String, RequestError> {
    let root_id = parse(xml)?.id;
    // Nothing reaches xmlsec that would make it evaluate more than a SAML signature needs.
    super::dsig::check(xml, &root_id)?;
    let ders: Vec<CertificateDer> = certs
        .iter()
        .filter_map(|c| c.to_der().ok())
        .map(CertificateDer::from)
        .collect();
    let allowed = [
        AllowedSignatureAlgorithm::RsaSha256,
        AllowedSignatureAlgorithm::RsaSha512,
    ];
    let verified = Crypto::reduce_xml_to_signed_with_allowed_algorithms(
        xml,
        &ders,
        ReduceMode::PreDigest,
        Some(&allowed),
    )
    .map_err(|e| match e.to_string().to_ascii_lowercase() {
        s if s.contains("algorithm") => RequestError::Algorithm,
        _ => RequestError::Signature,
    })?;
    // What was signed must be the request itself, not some element inside or beside it.
    match parse(&verified) {
        Ok(signed) if signed.id == root_id => Ok(verified),
        _ => Err(RequestError::SignatureScope),
    }
}

/// Whether the XML carries an enveloped signature at all.
pub fn has_enveloped_signature(xml: &str) -> bool {
    xml.contains("SignatureValue")
}

/// The parts of an AuthnRequest the IdP uses.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct AuthnRequest {
    pub id: String,
    pub issue_instant: Option<OffsetDateTime>,
    pub destination: Option<String>,
    pub issuer: String,
    pub acs_url: Option<String>,
    pub acs_index: Option<usize>,
    /// The binding the SP wants the Response by.
    pub protocol_binding: Option<String>,
    pub attribute_service_index: Option<usize>,
    pub force_authn: bool,
    pub is_passive: bool,
    /// `RequestedAttribute`s from `Extensions`: (Name, first AttributeValue).
    pub requested: Vec<(String, Option<String>)>,
}

/// Reads an AuthnRequest by local names (any namespace prefix). Refuses DOCTYPEs and anything
/// that is not one AuthnRequest element with an ID and an Issuer.
pub fn parse(xml: &str) -> Result<AuthnRequest, RequestError> {
    if xml_has_doctype(xml) {
        return Err(RequestError::Doctype);
    }
    let malformed = |why: &str| RequestError::Malformed(why.to_owned());
    let mut reader = Reader::from_str(xml);
    let mut request = AuthnRequest::default();
    let mut path: Vec<String> = Vec::new();
    let mut seen_root = false;
    let mut current: Option<(String, Option<String>)> = None;
    let mut text = String::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| RequestError::Malformed(e.to_string()))?;
        if let Event::Start(e) | Event::Empty(e) = &event {
            if path.len() >= MAX_DEPTH {
                return Err(malformed("elements nest too deeply"));
            }
            if e.attributes().count() > MAX_ATTRIBUTES {
                return Err(malformed("an element has too many attributes"));
            }
        }
        match event {
            Event::DocType(_) => return Err(RequestError::Doctype),
            Event::Start(e) if path.is_empty() => {
                if seen_root {
                    return Err(malformed("more than one root element"));
                }
                seen_root = true;
                root_attributes(&e, &mut request)?;
                path.push("AuthnRequest".into());
            }
            Event::Empty(_) if path.is_empty() => return Err(malformed("no Issuer")),
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if name == "RequestedAttribute" && path.iter().any(|p| p == "Extensions") {
                    current = Some((attribute(&e, b"Name")?.unwrap_or_default(), None));
                }
                text.clear();
                path.push(name);
            }
            Event::Empty(e)
                if e.local_name().as_ref() == b"RequestedAttribute"
                    && path.iter().any(|p| p == "Extensions") =>
            {
                request
                    .requested
                    .push((attribute(&e, b"Name")?.unwrap_or_default(), None));
            }
            Event::Text(t) => text.push_str(
                &t.decode()
                    .map_err(|e| RequestError::Malformed(e.to_string()))?,
            ),
            Event::CData(t) => text.push_str(&String::from_utf8_lossy(&t)),
            Event::GeneralRef(r) => text.push_str(
                &super::resolve_reference(&r)
                    .ok_or_else(|| malformed("unknown entity reference"))?,
            ),
            Event::End(_) => {
                match path.last().map(String::as_str) {
                    Some("Issuer") if path.len() == 2 => request.issuer = text.trim().to_owned(),
                    Some("AttributeValue") => {
                        if let Some((_, value @ None)) = &mut current {
                            *value = Some(text.trim().to_owned());
                        }
                    }
                    Some("RequestedAttribute") => {
                        if let Some(attribute) = current.take() {
                            request.requested.push(attribute);
                        }
                    }
                    _ => {}
                }
                text.clear();
                path.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_root {
        return Err(malformed("no AuthnRequest"));
    }
    if request.id.is_empty() {
        return Err(malformed("no ID"));
    }
    if request.issuer.is_empty() {
        return Err(malformed("no Issuer"));
    }
    Ok(request)
}

fn root_attributes(
    e: &quick_xml::events::BytesStart,
    request: &mut AuthnRequest,
) -> Result<(), RequestError> {
    let malformed = |why: &str| RequestError::Malformed(why.to_owned());
    if e.local_name().as_ref() != b"AuthnRequest" {
        return Err(malformed("the root is not an AuthnRequest"));
    }
    for attribute in e.attributes() {
        let attribute = attribute.map_err(|e| RequestError::Malformed(e.to_string()))?;
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::default())
            .map_err(|e| RequestError::Malformed(e.to_string()))?
            .into_owned();
        match attribute.key.local_name().as_ref() {
            b"ID" => request.id = value,
            b"IssueInstant" => request.issue_instant = OffsetDateTime::parse(&value, &Rfc3339).ok(),
            b"Destination" => request.destination = Some(value),
            b"AssertionConsumerServiceURL" => request.acs_url = Some(value),
            b"ProtocolBinding" => request.protocol_binding = Some(value),
            b"AssertionConsumerServiceIndex" => {
                request.acs_index = Some(
                    value
                        .parse()
                        .map_err(|_| malformed("bad AssertionConsumerServiceIndex"))?,
                )
            }
            b"AttributeConsumingServiceIndex" => {
                request.attribute_service_index = Some(
                    value
                        .parse()
                        .map_err(|_| malformed("bad AttributeConsumingServiceIndex"))?,
                )
            }
            b"ForceAuthn" => request.force_authn = value == "true" || value == "1",
            b"IsPassive" => request.is_passive = value == "true" || value == "1",
            b"Version" if value != "2.0" => return Err(malformed("Version must be 2.0")),
            _ => {}
        }
    }
    Ok(())
}

fn attribute(
    e: &quick_xml::events::BytesStart,
    name: &[u8],
) -> Result<Option<String>, RequestError> {
    for attribute in e.attributes() {
        let attribute = attribute.map_err(|e| RequestError::Malformed(e.to_string()))?;
        if attribute.key.local_name().as_ref() == name {
            return Ok(Some(
                attribute
                    .normalized_value(quick_xml::XmlVersion::default())
                    .map_err(|e| RequestError::Malformed(e.to_string()))?
                    .into_owned(),
            ));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"
AttributeConsumingServiceIndex="1" Destination="https://id.example/auth/saml/login"
ID="d2d2ae0656604b739d9bf36edca452a7" IssueInstant="2024-08-12T07:20:50.265Z"
ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Version="2.0">
<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">ENTITY_ID &amp; co</saml:Issuer>
<saml2p:Extensions xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol">
<req-attr:RequestedAttributes xmlns:req-attr="urn:oasis:names:tc:SAML:protocol:ext:req-attr">
<md:RequestedAttribute xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" Name="signicat:param:language" isRequired="true">
<saml2:AttributeValue xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">el</saml2:AttributeValue>
</md:RequestedAttribute>
<md:RequestedAttribute xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" Name="phoneNumber"/>
</req-attr:RequestedAttributes>
</saml2p:Extensions>
</samlp:AuthnRequest>"#;

    #[test]
    fn the_seed_request_parses() {
        let r = parse(SEED).unwrap();
        assert_eq!(r.id, "d2d2ae0656604b739d9bf36edca452a7");
        assert_eq!(r.issuer, "ENTITY_ID & co");
        assert_eq!(r.attribute_service_index, Some(1));
        assert_eq!(
            r.destination.as_deref(),
            Some("https://id.example/auth/saml/login")
        );
        assert!(r.issue_instant.is_some());
        assert_eq!(
            r.requested,
            vec![
                ("signicat:param:language".into(), Some("el".into())),
                ("phoneNumber".into(), None)
            ]
        );
    }

    #[test]
    fn hostile_documents_are_refused() {
        let doctype = format!("<!DOCTYPE x [<!ENTITY a \"b\">]>{SEED}");
        assert_eq!(parse(&doctype), Err(RequestError::Doctype));
        assert!(matches!(
            parse("<Response ID=\"x\"/>"),
            Err(RequestError::Malformed(_))
        ));
        assert!(matches!(
            parse("not xml <"),
            Err(RequestError::Malformed(_))
        ));
        assert!(matches!(
            parse(&SEED.replace("&amp;", "&custom;")),
            Err(RequestError::Malformed(_))
        ));
    }

    #[test]
    fn deflate_bombs_are_capped() {
        use std::io::Write;
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&vec![b'a'; 8 * 1024 * 1024]).unwrap();
        let bomb = STANDARD.encode(encoder.finish().unwrap());
        assert_eq!(inflate(&bomb), Err(RequestError::TooLarge));
        assert_eq!(inflate("!!!"), Err(RequestError::Encoding));
    }
}
