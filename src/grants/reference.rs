//! References: the session and the turn a reference is good for, sealed (AES-256-GCM) with the
//! client, the grant type and the identifier as associated data. To the application it is an
//! opaque string that says nothing about the session; it opens only for the same client,
//! grant and username, and the turn makes it single use.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};

use crate::core::keys::{Key, Sealer};
use crate::core::session::LoginSession;

pub struct Binding<'a> {
    pub client_id: &'a str,
    pub grant_type: &'a str,
    pub identifier: &'a str,
}

impl Binding<'_> {
    /// The associated data: each part length-prefixed, so no two bindings run together.
    fn aad(&self) -> Vec<u8> {
        let mut aad = b"direct grant reference v2".to_vec();
        for part in [self.client_id, self.grant_type, self.identifier] {
            aad.extend_from_slice(&(part.len() as u64).to_be_bytes());
            aad.extend_from_slice(part.as_bytes());
        }
        aad
    }
}

#[derive(Serialize, Deserialize)]
struct Payload {
    sid: String,
    turn: u32,
}

fn sealer(key: &Key) -> Sealer {
    Sealer::new(key, "direct grant reference")
}

/// The reference for the session's next turn.
pub fn seal(key: &Key, session: &LoginSession, binding: &Binding) -> String {
    let payload = Payload {
        sid: session.id.clone(),
        turn: session.turn,
    };
    let plain = serde_json::to_vec(&payload).expect("payload serializes");
    URL_SAFE_NO_PAD.encode(sealer(key).seal(&binding.aad(), &plain))
}

/// The session and turn a reference names, when it was made for this binding.
pub fn open(key: &Key, reference: &str, binding: &Binding) -> Option<(String, u32)> {
    let sealed = URL_SAFE_NO_PAD.decode(reference.trim()).ok()?;
    let plain = sealer(key).open(&binding.aad(), &sealed)?;
    let payload: Payload = serde_json::from_slice(&plain).ok()?;
    Some((payload.sid, payload.turn))
}
