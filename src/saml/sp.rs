//! Service providers, registered from their metadata (an `EntityDescriptor`). Metadata is
//! checked before it is trusted: no DOCTYPE, https ACS locations, RSA keys of 2048 bits or
//! more, a unique entityID. Everything the IdP needs is read straight from the descriptor.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::RwLock;

use openssl::x509::X509;
use samael::metadata::EntityDescriptor;
use url::Url;

use super::{BINDING_POST, BINDING_REDIRECT, xml_has_doctype};
use crate::core::lang::Lang;
use crate::core::names::DeclaredNames;
use crate::web::brand::SpNames;

/// Metadata larger than this is refused unread.
pub const MAX_METADATA: usize = 256 * 1024;

#[derive(Clone, Debug)]
pub struct Acs {
    pub binding: String,
    pub location: String,
    pub index: usize,
    pub is_default: bool,
}

#[derive(Clone, Debug)]
pub struct ServiceProvider {
    pub entity_id: String,
    pub acs: Vec<Acs>,
    /// Certificates whose keys may sign this SP's requests (`use="signing"` or no `use`).
    pub signing_certs: Vec<X509>,
    pub authn_requests_signed: bool,
    pub want_assertions_signed: bool,
    /// AttributeConsumingService index → (is default, requested attribute names).
    pub attribute_services: Vec<(usize, bool, Vec<String>)>,
    /// Its own names (`mdui:DisplayName`), for pages whose branding names it not.
    pub display_names: DeclaredNames,
}

impl ServiceProvider {
    /// Parses and checks metadata; the error names what is wrong.
    pub fn from_metadata(xml: &str, allow_loopback_http: bool) -> Result<ServiceProvider, String> {
        if xml.len() > MAX_METADATA {
            return Err(format!("metadata is larger than {MAX_METADATA} bytes"));
        }
        if xml_has_doctype(xml) {
            return Err("metadata must not contain a DOCTYPE".into());
        }
        let descriptor =
            EntityDescriptor::from_str(xml).map_err(|e| format!("not an EntityDescriptor: {e}"))?;
        let entity_id = descriptor
            .entity_id
            .clone()
            .filter(|id| !id.trim().is_empty())
            .ok_or("EntityDescriptor has no entityID")?;
        let sp = descriptor
            .sp_sso_descriptors
            .as_ref()
            .and_then(|d| d.first())
            .ok_or("no SPSSODescriptor")?;
        let mut acs = Vec::new();
        for endpoint in &sp.assertion_consumer_services {
            if endpoint.binding != BINDING_POST && endpoint.binding != BINDING_REDIRECT {
                continue;
            }
            check_location(&endpoint.location, allow_loopback_http)
                .map_err(|why| format!("AssertionConsumerService {}: {why}", endpoint.location))?;
            acs.push(Acs {
                binding: endpoint.binding.clone(),
                location: endpoint.location.clone(),
                index: endpoint.index,
                is_default: endpoint.is_default.unwrap_or(false),
            });
        }
        if acs.is_empty() {
            return Err(
                "no AssertionConsumerService with the HTTP-POST or HTTP-Redirect binding".into(),
            );
        }
        let mut signing_certs = Vec::new();
        for descriptor in sp.key_descriptors.iter().flatten() {
            // No `use` means the key serves both purposes (SAML metadata §2.4.1.1).
            if descriptor
                .key_use
                .as_deref()
                .is_some_and(|u| u != "signing")
            {
                continue;
            }
            for text in descriptor
                .key_info
                .x509_data
                .iter()
                .flat_map(|d| &d.certificates)
            {
                let cert = parse_cert(text)?;
                signing_certs.push(cert);
            }
        }
        let attribute_services = sp
            .attribute_consuming_services
            .iter()
            .flatten()
            .map(|s| {
                let names = s
                    .request_attributes
                    .iter()
                    .map(|a| a.name.clone())
                    .collect();
                (s.index, s.is_default.unwrap_or(false), names)
            })
            .collect();
        let authn_requests_signed = sp.authn_requests_signed.unwrap_or(false);
        if authn_requests_signed && signing_certs.is_empty() {
            return Err("AuthnRequestsSigned=\"true\" but no signing certificate".into());
        }
        Ok(ServiceProvider {
            entity_id,
            acs,
            signing_certs,
            authn_requests_signed,
            want_assertions_signed: sp.want_assertions_signed.unwrap_or(false),
            attribute_services,
            display_names: super::mdui::display_names(xml),
        })
    }

    /// The ACS a request asked for: by URL (exactly one in metadata), by index, or the default.
    /// The ACS a request asks for, by URL or index and by binding (SAML profiles §4.1.4.1):
    /// with `ProtocolBinding`, only an endpoint of that binding will do.
    pub fn choose_acs(
        &self,
        url: Option<&str>,
        index: Option<usize>,
        binding: Option<&str>,
    ) -> Option<&Acs> {
        let mut fits = self
            .acs
            .iter()
            .filter(|a| binding.is_none_or(|b| a.binding == b));
        match (url, index) {
            (Some(url), _) => fits.find(|a| a.location == url),
            (None, Some(i)) => fits.find(|a| a.index == i),
            (None, None) => {
                let fits: Vec<&Acs> = fits.collect();
                fits.iter()
                    .find(|a| a.is_default)
                    .or_else(|| fits.iter().min_by_key(|a| a.index))
                    .copied()
            }
        }
    }
}

fn check_location(location: &str, allow_loopback_http: bool) -> Result<(), &'static str> {
    let url = Url::parse(location).map_err(|_| "is not an absolute URL")?;
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback && allow_loopback_http => Ok(()),
        "http" => Err("must use https"),
        _ => Err("must be an https URL"),
    }
}

fn parse_cert(text: &str) -> Result<X509, String> {
    use base64::Engine;
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .map_err(|_| "X509Certificate is not base64")?;
    let cert = X509::from_der(&der).map_err(|_| "X509Certificate is not a certificate")?;
    let key = cert
        .public_key()
        .map_err(|_| "certificate has no usable key")?;
    match key.rsa() {
        Ok(rsa) if rsa.size() * 8 >= 2048 => Ok(cert),
        Ok(_) => Err("RSA keys must have at least 2048 bits".into()),
        Err(_) => Err("only RSA signing keys are supported".into()),
    }
}

/// The registered SPs, loaded from the metadata folder and extended by uploads.
pub struct Registry {
    dir: PathBuf,
    allow_loopback_http: bool,
    by_entity: RwLock<HashMap<String, ServiceProvider>>,
}

impl Registry {
    /// Loads every `*.xml` in `dir`; a bad file stops the start with its name and the reason.
    pub fn load(dir: &Path, allow_loopback_http: bool) -> Result<Registry, String> {
        let registry = Registry {
            dir: dir.to_owned(),
            allow_loopback_http,
            by_entity: RwLock::new(HashMap::new()),
        };
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Ok(registry);
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "xml"))
            .collect();
        files.sort();
        for path in files {
            let xml =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let sp = ServiceProvider::from_metadata(&xml, allow_loopback_http)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            registry
                .insert(sp)
                .map_err(|e| format!("{}: {e}", path.display()))?;
        }
        Ok(registry)
    }

    /// Registers an SP that exists only in memory (the demo's own).
    pub fn insert(&self, sp: ServiceProvider) -> Result<(), String> {
        let mut map = self.by_entity.write().unwrap_or_else(|e| e.into_inner());
        if map.contains_key(&sp.entity_id) {
            return Err(format!("entityID {:?} is already registered", sp.entity_id));
        }
        map.insert(sp.entity_id.clone(), sp);
        Ok(())
    }

    /// Checks uploaded metadata, registers it and keeps it in the metadata folder.
    pub fn add(&self, xml: &str) -> Result<String, String> {
        let sp = ServiceProvider::from_metadata(xml, self.allow_loopback_http)?;
        let entity_id = sp.entity_id.clone();
        self.insert(sp)?;
        let file = self.dir.join(file_name(&entity_id));
        if let Err(e) = std::fs::create_dir_all(&self.dir).and_then(|()| std::fs::write(&file, xml))
        {
            tracing::error!(error = %e, "could not keep uploaded metadata");
        }
        Ok(entity_id)
    }

    pub fn get(&self, entity_id: &str) -> Option<ServiceProvider> {
        let map = self.by_entity.read().unwrap_or_else(|e| e.into_inner());
        map.get(entity_id).cloned()
    }

    pub fn entity_ids(&self) -> Vec<String> {
        let map = self.by_entity.read().unwrap_or_else(|e| e.into_inner());
        let mut ids: Vec<String> = map.keys().cloned().collect();
        ids.sort();
        ids
    }
}

impl SpNames for Registry {
    fn sp_name(&self, entity_id: &str, lang: Lang) -> Option<String> {
        let map = self.by_entity.read().unwrap_or_else(|e| e.into_inner());
        map.get(entity_id)?
            .display_names
            .pick(lang)
            .map(str::to_owned)
    }
}

/// A file name for an entityID: its SHA-256, so any entityID gives a safe name.
pub fn file_name(entity_id: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(entity_id.as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("sp-{hex}.xml")
}

#[cfg(test)]
mod tests {
    use super::*;
    use openssl::asn1::Asn1Time;
    use openssl::hash::MessageDigest;
    use openssl::pkey::PKey;
    use openssl::rsa::Rsa;

    fn cert_b64(bits: u32) -> String {
        use base64::Engine;
        let key = PKey::from_rsa(Rsa::generate(bits).unwrap()).unwrap();
        let mut builder = X509::builder().unwrap();
        builder.set_pubkey(&key).unwrap();
        builder
            .set_not_before(&Asn1Time::days_from_now(0).unwrap())
            .unwrap();
        builder
            .set_not_after(&Asn1Time::days_from_now(1).unwrap())
            .unwrap();
        builder.sign(&key, MessageDigest::sha256()).unwrap();
        base64::engine::general_purpose::STANDARD.encode(builder.build().to_der().unwrap())
    }

    fn metadata(key_use: &str, cert: &str, acs: &str) -> String {
        format!(
            r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="SAML Example SP"><md:SPSSODescriptor AuthnRequestsSigned="true" WantAssertionsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor {key_use}><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{acs}" index="1" isDefault="false"/><md:AttributeConsumingService index="1" isDefault="false"><md:ServiceName xml:lang="en">All attributes</md:ServiceName><md:RequestedAttribute Name="idpId"/><md:RequestedAttribute Name="phoneNumber"/></md:AttributeConsumingService></md:SPSSODescriptor></md:EntityDescriptor>"#
        )
    }

    #[test]
    fn the_seed_sp_metadata_reads_with_a_real_certificate() {
        let sp = ServiceProvider::from_metadata(
            &metadata(
                r#"use="signing""#,
                &cert_b64(2048),
                "https://sp.example/saml/acs",
            ),
            false,
        )
        .unwrap();
        assert_eq!(sp.entity_id, "SAML Example SP");
        assert_eq!(sp.acs[0].binding, BINDING_REDIRECT);
        assert_eq!(sp.acs[0].index, 1);
        assert!(sp.authn_requests_signed && !sp.want_assertions_signed);
        assert_eq!(sp.signing_certs.len(), 1);
        assert_eq!(
            sp.attribute_services,
            vec![(1, false, vec!["idpId".to_owned(), "phoneNumber".to_owned()])]
        );
        // `use` absent: the key signs too.
        let both = ServiceProvider::from_metadata(
            &metadata("", &cert_b64(2048), "https://sp.example/acs"),
            false,
        )
        .unwrap();
        assert_eq!(both.signing_certs.len(), 1);
        // An encryption-only key does not sign; a signed-requests SP then has none.
        let enc = ServiceProvider::from_metadata(
            &metadata(
                r#"use="encryption""#,
                &cert_b64(2048),
                "https://sp.example/acs",
            ),
            false,
        );
        assert!(enc.unwrap_err().contains("no signing certificate"));
    }

    #[test]
    fn weak_keys_and_unsafe_locations_are_refused() {
        let weak = ServiceProvider::from_metadata(
            &metadata("", &cert_b64(1024), "https://sp.example/acs"),
            false,
        );
        assert!(weak.unwrap_err().contains("2048"));
        let cert = cert_b64(2048);
        for acs in [
            "http://sp.example/acs",
            "javascript:alert(1)",
            "data:text/html,x",
            "/relative",
        ] {
            assert!(
                ServiceProvider::from_metadata(&metadata("", &cert, acs), true).is_err(),
                "{acs}"
            );
        }
        assert!(
            ServiceProvider::from_metadata(&metadata("", &cert, "http://127.0.0.1:9000/acs"), true)
                .is_ok()
        );
        assert!(
            ServiceProvider::from_metadata(
                &metadata("", &cert, "http://127.0.0.1:9000/acs"),
                false
            )
            .is_err()
        );
    }
}
