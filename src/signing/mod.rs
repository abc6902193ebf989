//! The broker's signing keys: RS256 and ES256 key pairs kept as one key set, created on first
//! start. Each algorithm has an active key (signs) and a next key (published ahead, so relying
//! parties already have it when `idbroker keys rotate` promotes it); the key it replaced stays
//! published as retired until the following rotation, so tokens it signed still verify.
//!
//! The set lives in a file (`file`) for a single instance, or encrypted in the shared store
//! (`stored`) so that every instance signs with, and publishes, the same keys. A running broker
//! follows its source (`ring`), so a rotation needs no restart.

mod file;
mod ring;
mod stored;

pub use file::{load_file, rotate_file, write_private};
pub use ring::{KeyRing, KeySource};
pub use stored::StoredKeys;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, RSA_PKCS1_SHA256, RsaKeyPair,
};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::jwk::{Jwk, JwkSet, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};
use serde::{Deserialize, Serialize};

pub const ALGORITHMS: [Algorithm; 2] = [Algorithm::RS256, Algorithm::ES256];

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read or write the keys file {path}: {why}")]
    Io { path: String, why: String },
    #[error("the key set in {origin} is not valid: {why}")]
    Invalid { origin: String, why: String },
    #[error("the key set in the store: {0}")]
    Store(String),
    #[error("signing failed")]
    Sign,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Status {
    Active,
    Next,
    Retired,
}

#[derive(Clone, Serialize, Deserialize)]
struct StoredKey {
    kid: String,
    alg: Algorithm,
    status: Status,
    /// PKCS#8 private key in PEM.
    pem: String,
}

/// The serialized key set, as kept in the file or the store.
#[derive(Default, Serialize, Deserialize)]
struct KeySet {
    keys: Vec<StoredKey>,
}

impl KeySet {
    /// Gives each algorithm an active and a next key where it lacks one; whether it changed.
    fn complete(&mut self) -> Result<bool, KeyError> {
        let before = self.keys.len();
        for alg in ALGORITHMS {
            for status in [Status::Active, Status::Next] {
                if !self.keys.iter().any(|k| k.alg == alg && k.status == status) {
                    self.keys.push(generate(alg, status)?);
                }
            }
        }
        Ok(self.keys.len() != before)
    }

    /// Promotes each algorithm's next key to active, retires the active one, drops the key
    /// retired before it, and makes a new next key.
    fn rotate(&mut self) -> Result<(), KeyError> {
        self.keys.retain(|k| k.status != Status::Retired);
        for key in &mut self.keys {
            key.status = match key.status {
                Status::Active => Status::Retired,
                _ => Status::Active,
            };
        }
        self.complete().map(|_| ())
    }
}

struct LoadedKey {
    kid: String,
    alg: Algorithm,
    status: Status,
    signer: Signer,
    /// The encoded JWS header (`alg`, `kid`), the same for every token this key signs.
    header: String,
    public: Jwk,
}

/// A private key parsed once. (`jsonwebtoken::encode` parses and checks the whole RSA key again
/// on every call, which cost half of each signature.)
enum Signer {
    Rsa(RsaKeyPair),
    Ec(EcdsaKeyPair),
}

impl Signer {
    fn parse(alg: Algorithm, der: &[u8]) -> Result<Signer, String> {
        match alg {
            Algorithm::RS256 => RsaKeyPair::from_pkcs8(der)
                .or_else(|_| RsaKeyPair::from_der(der))
                .map(Signer::Rsa)
                .map_err(|e| e.to_string()),
            Algorithm::ES256 => EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, der)
                .map(Signer::Ec)
                .map_err(|e| e.to_string()),
            other => Err(format!("unsupported algorithm {other:?}")),
        }
    }

    fn sign(&self, message: &[u8]) -> Option<Vec<u8>> {
        let rng = SystemRandom::new();
        match self {
            Signer::Rsa(pair) => {
                let mut signature = vec![0; pair.public_modulus_len()];
                pair.sign(&RSA_PKCS1_SHA256, &rng, message, &mut signature)
                    .ok()?;
                Some(signature)
            }
            Signer::Ec(pair) => pair.sign(&rng, message).ok().map(|s| s.as_ref().to_vec()),
        }
    }
}

pub struct SigningKeys {
    keys: Vec<LoadedKey>,
}

impl std::fmt::Debug for SigningKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKeys(<redacted>)")
    }
}

impl SigningKeys {
    /// Parses a key set; `origin` names where it came from in errors.
    fn from_set(origin: &str, set: KeySet) -> Result<SigningKeys, KeyError> {
        let invalid = |why: String| KeyError::Invalid {
            origin: origin.to_owned(),
            why,
        };
        let keys = set
            .keys
            .into_iter()
            .map(|k| {
                let encoding = match k.alg {
                    Algorithm::RS256 => EncodingKey::from_rsa_pem(k.pem.as_bytes()),
                    Algorithm::ES256 => EncodingKey::from_ec_pem(k.pem.as_bytes()),
                    other => return Err(invalid(format!("unsupported algorithm {other:?}"))),
                }
                .map_err(|e| invalid(format!("key {}: {e}", k.kid)))?;
                let signer = Signer::parse(k.alg, &pem_der(&k.pem).unwrap_or_default())
                    .map_err(|e| invalid(format!("key {}: {e}", k.kid)))?;
                let mut header = Header::new(k.alg);
                header.kid = Some(k.kid.clone());
                let header = URL_SAFE_NO_PAD
                    .encode(serde_json::to_vec(&header).expect("a JWS header serializes"));
                let mut public = Jwk::from_encoding_key(&encoding, k.alg)
                    .map_err(|e| invalid(format!("key {}: {e}", k.kid)))?;
                public.common.key_id = Some(k.kid.clone());
                public.common.public_key_use = Some(PublicKeyUse::Signature);
                public.common.key_algorithm = Some(match k.alg {
                    Algorithm::ES256 => KeyAlgorithm::ES256,
                    _ => KeyAlgorithm::RS256,
                });
                Ok(LoadedKey {
                    kid: k.kid,
                    alg: k.alg,
                    status: k.status,
                    signer,
                    header,
                    public,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SigningKeys { keys })
    }

    /// Signs `claims` as a compact JWS with the active key of `alg`.
    pub fn sign<T: Serialize>(&self, alg: Algorithm, claims: &T) -> Result<String, KeyError> {
        let key = self
            .keys
            .iter()
            .find(|k| k.alg == alg && k.status == Status::Active)
            .ok_or(KeyError::Sign)?;
        let payload = serde_json::to_vec(claims).map_err(|_| KeyError::Sign)?;
        let mut jws = key.header.clone();
        jws.push('.');
        URL_SAFE_NO_PAD.encode_string(payload, &mut jws);
        let signature = key.signer.sign(jws.as_bytes()).ok_or(KeyError::Sign)?;
        jws.push('.');
        URL_SAFE_NO_PAD.encode_string(signature, &mut jws);
        Ok(jws)
    }

    /// Every published public key: active, next and retired.
    pub fn jwks(&self) -> JwkSet {
        JwkSet {
            keys: self.keys.iter().map(|k| k.public.clone()).collect(),
        }
    }

    /// The public key with this id, to check a token we issued.
    pub fn decoding_key(&self, kid: &str) -> Option<(DecodingKey, Algorithm)> {
        let key = self.keys.iter().find(|k| k.kid == kid)?;
        Some((DecodingKey::from_jwk(&key.public).ok()?, key.alg))
    }

    /// The id of the key that signs with `alg` now.
    pub fn active_kid(&self, alg: Algorithm) -> Option<&str> {
        self.keys
            .iter()
            .find(|k| k.alg == alg && k.status == Status::Active)
            .map(|k| k.kid.as_str())
    }
}

fn generate(alg: Algorithm, status: Status) -> Result<StoredKey, KeyError> {
    let failed = || KeyError::Invalid {
        origin: "(new key)".into(),
        why: "key generation failed".into(),
    };
    let der = match alg {
        Algorithm::RS256 => {
            let pair = aws_lc_rs::rsa::KeyPair::generate(KeySize::Rsa2048).map_err(|_| failed())?;
            pair.as_der().map_err(|_| failed())?.as_ref().to_vec()
        }
        _ => {
            let pair =
                EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).map_err(|_| failed())?;
            pair.to_pkcs8v1().map_err(|_| failed())?.as_ref().to_vec()
        }
    };
    Ok(StoredKey {
        kid: crate::core::ids::random_token()[..16].to_owned(),
        alg,
        status,
        pem: pem("PRIVATE KEY", &der),
    })
}

/// The DER inside a PEM block.
fn pem_der(pem: &str) -> Option<Vec<u8>> {
    let body: String = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .map(str::trim)
        .collect();
    STANDARD.decode(body).ok()
}

fn pem(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize)]
    struct Claims {
        sub: String,
        exp: i64,
    }

    #[test]
    fn keys_persist_sign_verify_and_rotate() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.json");
        let keys = load_file(&path).unwrap();
        assert_eq!(keys.jwks().keys.len(), 4);
        let claims = Claims {
            sub: "x".into(),
            exp: 4_000_000_000,
        };
        let token = keys.sign(Algorithm::RS256, &claims).unwrap();
        let es = keys.sign(Algorithm::ES256, &claims).unwrap();

        // A restart reads the same keys.
        let again = load_file(&path).unwrap();
        let verify = |keys: &SigningKeys, token: &str| {
            let kid = jsonwebtoken::decode_header(token).unwrap().kid.unwrap();
            let (key, alg) = keys.decoding_key(&kid).expect("published key");
            let mut v = jsonwebtoken::Validation::new(alg);
            v.set_required_spec_claims(&["exp"]);
            jsonwebtoken::decode::<Claims>(token, &key, &v).is_ok()
        };
        assert!(verify(&again, &token) && verify(&again, &es));

        let old_active = keys.active_kid(Algorithm::RS256).unwrap().to_owned();
        let next: Vec<_> = keys
            .keys
            .iter()
            .filter(|k| k.status == Status::Next && k.alg == Algorithm::RS256)
            .map(|k| k.kid.clone())
            .collect();
        rotate_file(&path).unwrap();
        let rotated = load_file(&path).unwrap();
        assert_eq!(rotated.active_kid(Algorithm::RS256), Some(next[0].as_str()));
        // The old key still verifies what it signed; two rotations later it is gone.
        assert!(verify(&rotated, &token));
        rotate_file(&path).unwrap();
        let twice = load_file(&path).unwrap();
        assert!(twice.decoding_key(&old_active).is_none());
        assert_eq!(twice.jwks().keys.len(), 6);

        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "keys file must be private");
        }
    }

    #[test]
    fn a_broken_file_is_an_error_not_a_new_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.json");
        std::fs::write(&path, "{not json").unwrap();
        assert!(matches!(load_file(&path), Err(KeyError::Invalid { .. })));
    }
}
