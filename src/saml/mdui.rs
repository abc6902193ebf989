//! An SP's own names from its metadata: the `mdui:DisplayName`s of its `SPSSODescriptor`
//! (SAML V2.0 Metadata Extensions for Login and Discovery User Interface, §2.1.1), which
//! samael does not read.

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};

use crate::core::names::DeclaredNames;

const MD: &[u8] = b"urn:oasis:names:tc:SAML:2.0:metadata";
const MDUI: &[u8] = b"urn:oasis:names:tc:SAML:metadata:ui";

/// The elements on the way to a display name; anything else is `Other`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Entity,
    SpDescriptor,
    Extensions,
    UiInfo,
    DisplayName,
    Other,
}

/// The display names of the first `SPSSODescriptor` child of the `EntityDescriptor` (the one
/// the registry uses; one nested deeper is not a descriptor of this entity). The metadata
/// was accepted already; a part that cannot be read adds no names and refuses nothing.
pub fn display_names(xml: &str) -> DeclaredNames {
    let mut names = DeclaredNames::default();
    if let Err(e) = read(xml, &mut names) {
        tracing::debug!(error = %e, "SP metadata: display names not read to the end");
    }
    names
}

fn read(xml: &str, names: &mut DeclaredNames) -> Result<(), quick_xml::Error> {
    let mut reader = NsReader::from_str(xml);
    let mut path: Vec<Step> = Vec::new();
    let mut descriptors = 0;
    // The open display name: its language and text so far.
    let mut open: Option<(String, String)> = None;
    loop {
        let (ns, event) = reader.read_resolved_event()?;
        match event {
            Event::Start(e) => {
                let step = step(&ns, &e);
                if step == Step::SpDescriptor && path == [Step::Entity] {
                    descriptors += 1;
                }
                let wanted = [
                    Step::Entity,
                    Step::SpDescriptor,
                    Step::Extensions,
                    Step::UiInfo,
                ];
                if step == Step::DisplayName && descriptors == 1 && path == wanted {
                    open = Some((lang(&e)?, String::new()));
                }
                path.push(step);
            }
            Event::Text(t) => {
                if let Some((_, text)) = &mut open {
                    text.push_str(&t.decode().map_err(quick_xml::Error::Encoding)?);
                }
            }
            Event::CData(t) => {
                if let Some((_, text)) = &mut open {
                    text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, text)) = &mut open {
                    text.push_str(&super::resolve_reference(&r).unwrap_or_default());
                }
            }
            Event::End(_) => {
                if path.pop() == Some(Step::DisplayName)
                    && let Some((lang, text)) = open.take()
                {
                    names.add(&lang, &text);
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

fn step(ns: &ResolveResult, e: &BytesStart) -> Step {
    let ResolveResult::Bound(Namespace(ns)) = ns else {
        return Step::Other;
    };
    match (*ns, e.local_name().as_ref()) {
        (MD, b"EntityDescriptor") => Step::Entity,
        (MD, b"SPSSODescriptor") => Step::SpDescriptor,
        (MD, b"Extensions") => Step::Extensions,
        (MDUI, b"UIInfo") => Step::UiInfo,
        (MDUI, b"DisplayName") => Step::DisplayName,
        _ => Step::Other,
    }
}

/// The element's `xml:lang` (required on a DisplayName; empty when missing).
fn lang(e: &BytesStart) -> Result<String, quick_xml::Error> {
    for attribute in e.attributes() {
        let attribute = attribute?;
        if attribute.key.as_ref() == b"xml:lang" {
            return Ok(attribute
                .normalized_value(quick_xml::XmlVersion::default())?
                .into_owned());
        }
    }
    Ok(String::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lang::Lang;

    fn metadata(extensions: &str) -> String {
        format!(
            r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example/sp"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:Extensions>{extensions}</md:Extensions><md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example/acs" index="0"/></md:SPSSODescriptor><md:SPSSODescriptor protocolSupportEnumeration="x"><md:Extensions><mdui:UIInfo xmlns:mdui="urn:oasis:names:tc:SAML:metadata:ui"><mdui:DisplayName xml:lang="en">Second descriptor</mdui:DisplayName></mdui:UIInfo></md:Extensions></md:SPSSODescriptor></md:EntityDescriptor>"#
        )
    }

    #[test]
    fn display_names_by_language_from_the_first_descriptor() {
        let names = display_names(&metadata(
            r#"<ui:UIInfo xmlns:ui="urn:oasis:names:tc:SAML:metadata:ui"><ui:Description xml:lang="en">Not a name</ui:Description><ui:DisplayName xml:lang="en">Smith &amp; Sons</ui:DisplayName><ui:DisplayName xml:lang="de"><![CDATA[Schmidt]]> &#38; Söhne</ui:DisplayName></ui:UIInfo>"#,
        ));
        assert_eq!(names.pick(Lang::En), Some("Smith & Sons"));
        assert_eq!(names.pick(Lang::De), Some("Schmidt & Söhne"));
        assert_eq!(names.pick(Lang::Fr), Some("Smith & Sons"));
    }

    #[test]
    fn a_descriptor_nested_deeper_is_not_the_first() {
        let nested = r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:mdui="urn:oasis:names:tc:SAML:metadata:ui" entityID="https://sp.example/sp"><md:Extensions><md:SPSSODescriptor><md:Extensions><mdui:UIInfo><mdui:DisplayName xml:lang="en">Hidden</mdui:DisplayName></mdui:UIInfo></md:Extensions></md:SPSSODescriptor></md:Extensions><md:SPSSODescriptor><md:Extensions><mdui:UIInfo><mdui:DisplayName xml:lang="en">Real</mdui:DisplayName></mdui:UIInfo></md:Extensions></md:SPSSODescriptor></md:EntityDescriptor>"#;
        assert_eq!(display_names(nested).pick(Lang::En), Some("Real"));
    }

    #[test]
    fn only_the_mdui_namespace_counts() {
        let names = display_names(&metadata(
            r#"<x:UIInfo xmlns:x="urn:example:other"><x:DisplayName xml:lang="en">Impostor</x:DisplayName></x:UIInfo><DisplayName xml:lang="en">Loose</DisplayName>"#,
        ));
        assert_eq!(names, DeclaredNames::default());
    }
}
