//! The IdP's own metadata, for SP operators to import.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::Saml;
use super::{BINDING_POST, BINDING_REDIRECT, entity_id, escape, sso_url};

pub fn xml(state: &Saml) -> String {
    let entity = escape(&entity_id(state));
    let sso = escape(&sso_url(state));
    let cert = &state.key.cert_b64;
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{entity}">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo>
        <ds:X509Data>
          <ds:X509Certificate>{cert}</ds:X509Certificate>
        </ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>
    <md:SingleSignOnService Binding="{BINDING_REDIRECT}" Location="{sso}"/>
    <md:SingleSignOnService Binding="{BINDING_POST}" Location="{sso}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
"#
    )
}

pub async fn document(State(state): State<Saml>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/samlmetadata+xml"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        xml(&state),
    )
        .into_response()
}
