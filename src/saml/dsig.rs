//! The one shape of enveloped XML signature an AuthnRequest may carry, checked with a plain
//! reader before xmlsec sees the document. xmlsec runs every transform a Reference names (XPath,
//! XSLT, …) before it looks at the signature value, so an unsigned request could otherwise make
//! it evaluate whatever it is given. A SAML signature needs one Reference to the root, the
//! enveloped-signature transform and a canonicalization; anything else is refused unread.

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::request::RequestError;

const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const C14N: [&str; 4] = [
    "http://www.w3.org/2001/10/xml-exc-c14n#",
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
];
const SIGNATURE_METHODS: [&str; 2] = [
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
];
const DIGEST_METHODS: [&str; 2] = [
    "http://www.w3.org/2001/04/xmlenc#sha256",
    "http://www.w3.org/2001/04/xmlenc#sha512",
];

/// What may stand where inside a `Signature`, by the path of local names below it.
fn allowed(path: &[&str]) -> bool {
    matches!(
        path,
        ["SignedInfo"]
            | ["SignedInfo", "CanonicalizationMethod"]
            | [
                "SignedInfo",
                "CanonicalizationMethod",
                "InclusiveNamespaces"
            ]
            | ["SignedInfo", "SignatureMethod"]
            | ["SignedInfo", "Reference"]
            | ["SignedInfo", "Reference", "Transforms"]
            | ["SignedInfo", "Reference", "Transforms", "Transform"]
            | [
                "SignedInfo",
                "Reference",
                "Transforms",
                "Transform",
                "InclusiveNamespaces"
            ]
            | ["SignedInfo", "Reference", "DigestMethod"]
            | ["SignedInfo", "Reference", "DigestValue"]
            | ["SignatureValue"]
            | ["KeyInfo"]
            | ["KeyInfo", "KeyName"]
            | ["KeyInfo", "X509Data"]
            | ["KeyInfo", "X509Data", "X509Certificate"]
            | ["KeyInfo", "X509Data", "X509SubjectName"]
            | ["KeyInfo", "X509Data", "X509IssuerSerial"]
            | ["KeyInfo", "X509Data", "X509IssuerSerial", _]
            | ["KeyInfo", "KeyValue"]
            | ["KeyInfo", "KeyValue", "RSAKeyValue"]
            | ["KeyInfo", "KeyValue", "RSAKeyValue", "Modulus" | "Exponent"]
    )
}

/// Checks that `xml` carries exactly one signature, a child of the root, of the shape above,
/// whose one Reference points at the root (`#root_id`).
pub fn check(xml: &str, root_id: &str) -> Result<(), RequestError> {
    let shape = || RequestError::Transform;
    let mut reader = Reader::from_str(xml);
    let mut depth = 0usize;
    // The path below the Signature element, while inside it.
    let mut inside: Option<Vec<String>> = None;
    let mut signatures = 0;
    let mut references = 0;
    let mut transforms = 0;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| RequestError::Malformed(e.to_string()))?;
        let (element, empty) = match &event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                depth -= 1;
                if let Some(path) = &mut inside
                    && path.pop().is_none()
                {
                    inside = None;
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let name = String::from_utf8_lossy(element.local_name().as_ref()).into_owned();
        match &mut inside {
            None if name == "Signature" => {
                signatures += 1;
                // Enveloped: a child of the root, and only one.
                if depth != 1 || signatures > 1 || empty {
                    return Err(shape());
                }
                inside = Some(Vec::new());
            }
            None => {}
            Some(path) => {
                let mut below: Vec<&str> = path.iter().map(String::as_str).collect();
                below.push(&name);
                if !allowed(&below) {
                    return Err(shape());
                }
                let algorithm = attribute(element, b"Algorithm")?;
                match below[..] {
                    ["SignedInfo", "CanonicalizationMethod"]
                        if !algorithm.as_deref().is_some_and(|a| C14N.contains(&a)) =>
                    {
                        return Err(shape());
                    }
                    ["SignedInfo", "SignatureMethod"]
                        if !algorithm
                            .as_deref()
                            .is_some_and(|a| SIGNATURE_METHODS.contains(&a)) =>
                    {
                        return Err(RequestError::Algorithm);
                    }
                    ["SignedInfo", "Reference"] => {
                        references += 1;
                        let uri = attribute(element, b"URI")?;
                        if references > 1 || uri.as_deref() != Some(&format!("#{root_id}")) {
                            return Err(RequestError::SignatureScope);
                        }
                    }
                    ["SignedInfo", "Reference", "Transforms", "Transform"] => {
                        transforms += 1;
                        let known = algorithm
                            .as_deref()
                            .is_some_and(|a| a == ENVELOPED || C14N.contains(&a));
                        if !known || transforms > 2 {
                            return Err(shape());
                        }
                    }
                    ["SignedInfo", "Reference", "DigestMethod"]
                        if !algorithm
                            .as_deref()
                            .is_some_and(|a| DIGEST_METHODS.contains(&a)) =>
                    {
                        return Err(RequestError::Algorithm);
                    }
                    _ => {}
                }
                if !empty {
                    path.push(name.clone());
                }
            }
        }
        if !empty {
            depth += 1;
        }
    }
    if signatures != 1 || references != 1 {
        return Err(RequestError::Signature);
    }
    Ok(())
}

fn attribute(e: &BytesStart, name: &[u8]) -> Result<Option<String>, RequestError> {
    for attribute in e.attributes() {
        let attribute = attribute.map_err(|e| RequestError::Malformed(e.to_string()))?;
        if attribute.key.local_name().as_ref() == name {
            return Ok(Some(String::from_utf8_lossy(&attribute.value).into_owned()));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(transforms: &str, reference: &str, extra: &str) -> String {
        format!(
            r##"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">sp</saml:Issuer><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="{reference}"><ds:Transforms>{transforms}</ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>AA==</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>AA==</ds:SignatureValue>{extra}</ds:Signature></samlp:AuthnRequest>"##
        )
    }

    const GOOD: &str = r#"<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>"#;

    #[test]
    fn the_saml_shape_passes() {
        let keyinfo = "<ds:KeyInfo><ds:X509Data><ds:X509Certificate>AA==</ds:X509Certificate></ds:X509Data></ds:KeyInfo>";
        assert_eq!(check(&signed(GOOD, "#_r1", keyinfo), "_r1"), Ok(()));
    }

    #[test]
    fn xpath_xslt_and_other_transforms_are_refused_unread() {
        for transform in [
            r#"<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><ds:XPath>count(//. | //.)</ds:XPath></ds:Transform>"#,
            r#"<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"/>"#,
            r#"<ds:Transform Algorithm="http://www.w3.org/2002/06/xmldsig-filter2"/>"#,
            r#"<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"><ds:XPath>1</ds:XPath></ds:Transform>"#,
        ] {
            assert_eq!(
                check(&signed(transform, "#_r1", ""), "_r1"),
                Err(RequestError::Transform),
                "{transform}"
            );
        }
    }

    #[test]
    fn references_elsewhere_key_retrieval_and_objects_are_refused() {
        assert_eq!(
            check(&signed(GOOD, "#other", ""), "_r1"),
            Err(RequestError::SignatureScope)
        );
        assert_eq!(
            check(&signed(GOOD, "", ""), "_r1"),
            Err(RequestError::SignatureScope)
        );
        for extra in [
            r##"<ds:KeyInfo><ds:RetrievalMethod URI="#x"><ds:Transforms/></ds:RetrievalMethod></ds:KeyInfo>"##,
            "<ds:Object><ds:Manifest/></ds:Object>",
        ] {
            assert_eq!(
                check(&signed(GOOD, "#_r1", extra), "_r1"),
                Err(RequestError::Transform),
                "{extra}"
            );
        }
    }

    #[test]
    fn two_signatures_or_a_nested_one_are_refused() {
        let one = signed(GOOD, "#_r1", "");
        let sig =
            &one[one.find("<ds:Signature").unwrap()..one.find("</samlp:AuthnRequest>").unwrap()];
        let twice = one.replace(
            "</samlp:AuthnRequest>",
            &format!("{sig}</samlp:AuthnRequest>"),
        );
        assert_eq!(check(&twice, "_r1"), Err(RequestError::Transform));
        let nested = one.replace("sp</saml:Issuer>", &format!("sp</saml:Issuer><x>{sig}</x>"));
        assert_eq!(check(&nested, "_r1"), Err(RequestError::Transform));
    }

    #[test]
    fn weak_algorithms_are_refused() {
        let sha1 = signed(GOOD, "#_r1", "").replace(
            "http://www.w3.org/2001/04/xmlenc#sha256",
            "http://www.w3.org/2000/09/xmldsig#sha1",
        );
        assert_eq!(check(&sha1, "_r1"), Err(RequestError::Algorithm));
    }
}
