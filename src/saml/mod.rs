//! The SAML 2.0 front door: an IdP for service providers that upload their metadata. The SSO
//! endpoint opens the same login session as the other front doors; the answer is a signed
//! Response carrying `idpId` and `phoneNumber` (or `email`), shaped like Signicat's.

mod admin;
mod dsig;
mod error;
mod finish;
pub mod idp_key;
mod mdui;
mod metadata;
mod request;
mod response;
pub mod sp;
mod sso;

pub use finish::SamlFinish;
pub use metadata::xml as metadata_xml;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;

use crate::web::{Common, Shared};
use idp_key::IdpKey;
use sp::Registry;

crate::door_state!(
    /// The SAML door's state: the shared parts, the registered SPs and the IdP's own key.
    Saml,
    Parts
);

pub struct Parts {
    pub shared: Shared,
    /// Shared with the pages' brands, which name SPs from their metadata.
    pub sps: Arc<Registry>,
    pub key: IdpKey,
}

pub const ENTITY_PATH: &str = "/auth/saml";
pub const METADATA_PATH: &str = "/auth/saml/metadata";
pub const SSO_PATH: &str = "/auth/saml/login";
pub const ADMIN_SPS_PATH: &str = "/admin/saml/sps";

pub const BINDING_POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
pub const BINDING_REDIRECT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";

/// Parameters that `signicat:param:*` RequestedAttributes set.
pub const PARAM_PREFIX: &str = "signicat:param:";
/// Parameters of a payment to confirm (`idbroker:param:amount`, …); signed requests only.
pub const CONFIRM_PREFIX: &str = "idbroker:param:";

pub fn entity_id(state: &Common) -> String {
    state.url(ENTITY_PATH)
}

pub fn sso_url(state: &Common) -> String {
    state.url(SSO_PATH)
}

pub fn router() -> Router<Saml> {
    Router::new()
        .route(METADATA_PATH, get(metadata::document))
        .route(SSO_PATH, get(sso::sso).post(sso::sso))
        .route(
            ADMIN_SPS_PATH,
            get(admin::list)
                .post(admin::upload)
                // Metadata may be larger than the broker's general body limit.
                .layer(axum::extract::DefaultBodyLimit::max(sp::MAX_METADATA)),
        )
}

/// DOCTYPEs (and the entity expansion they enable) are refused everywhere.
pub fn xml_has_doctype(xml: &str) -> bool {
    let lower = xml.to_ascii_lowercase();
    lower.contains("<!doctype") || lower.contains("<!entity")
}

/// A reference in text: a character reference or one of XML's five predefined entities.
/// Anything else would need a DTD, which is refused.
pub fn resolve_reference(r: &quick_xml::events::BytesRef) -> Option<String> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Some(c.to_string());
    }
    let predefined = match &*String::from_utf8_lossy(r) {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => return None,
    };
    Some(predefined.to_owned())
}

/// Text or attribute content, escaped for XML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injected_markup_stays_text() {
        assert_eq!(
            escape("a</saml:AttributeValue><x y='1'>&"),
            "a&lt;/saml:AttributeValue&gt;&lt;x y=&apos;1&apos;&gt;&amp;"
        );
        assert!(xml_has_doctype("<?xml version='1.0'?><!doctype x>"));
        assert!(!xml_has_doctype("<AuthnRequest/>"));
    }
}
