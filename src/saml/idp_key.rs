//! The IdP's signing key and self-signed certificate, created on first start and kept in one
//! PEM file (key, then certificate) readable by its owner only.

use std::path::Path;

use openssl::asn1::Asn1Time;
use openssl::bn::{BigNum, MsbOption};
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::x509::{X509, X509NameBuilder};

pub struct IdpKey {
    pub key: PKey<Private>,
    /// PKCS#8 DER of the key, as xmlsec takes it.
    pub key_der: Vec<u8>,
    pub cert: X509,
    /// The certificate's DER in base64, as it goes into `<ds:X509Certificate>`.
    pub cert_b64: String,
}

impl std::fmt::Debug for IdpKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdpKey(<redacted>)")
    }
}

impl IdpKey {
    pub fn load_or_create(path: &Path, common_name: &str) -> Result<IdpKey, String> {
        let describe = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
        if !path.exists() {
            let pem = generate(common_name).map_err(|e| describe(&e))?;
            crate::signing::write_private(path, pem.as_bytes()).map_err(|e| describe(&e))?;
            tracing::info!(path = %path.display(), "SAML signing key created");
        }
        let pem = std::fs::read(path).map_err(|e| describe(&e))?;
        let key = PKey::private_key_from_pem(&pem).map_err(|e| describe(&e))?;
        let cert = X509::from_pem(&pem).map_err(|e| describe(&e))?;
        let key_der = key.private_key_to_pkcs8().map_err(|e| describe(&e))?;
        let cert_der = cert.to_der().map_err(|e| describe(&e))?;
        use base64::Engine;
        Ok(IdpKey {
            key,
            key_der,
            cert,
            cert_b64: base64::engine::general_purpose::STANDARD.encode(cert_der),
        })
    }
}

/// An RSA-2048 key and a ten-year self-signed certificate for it, as one PEM text.
fn generate(common_name: &str) -> Result<String, openssl::error::ErrorStack> {
    let key = PKey::from_rsa(Rsa::generate(2048)?)?;
    let mut name = X509NameBuilder::new()?;
    name.append_entry_by_text("CN", common_name)?;
    let name = name.build();
    let mut serial = BigNum::new()?;
    serial.rand(128, MsbOption::MAYBE_ZERO, false)?;
    let mut builder = X509::builder()?;
    builder.set_version(2)?;
    let serial = serial.to_asn1_integer()?;
    builder.set_serial_number(&serial)?;
    builder.set_subject_name(&name)?;
    builder.set_issuer_name(&name)?;
    builder.set_pubkey(&key)?;
    let not_before = Asn1Time::days_from_now(0)?;
    let not_after = Asn1Time::days_from_now(3650)?;
    builder.set_not_before(&not_before)?;
    builder.set_not_after(&not_after)?;
    builder.sign(&key, MessageDigest::sha256())?;
    let cert = builder.build();
    let mut pem = String::from_utf8(key.private_key_to_pem_pkcs8()?).expect("PEM is ASCII");
    pem.push_str(std::str::from_utf8(&cert.to_pem()?).expect("PEM is ASCII"));
    Ok(pem)
}
