//! References: `base64url({"sid", "turn"}) "." base64url(MAC)`. The MAC binds the session and
//! turn to the client, the grant type and the identifier, so a reference is useless to another
//! client or for another username; the turn makes it single use.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::core::keys::Key;
use crate::core::session::LoginSession;

pub struct Binding<'a> {
    pub client_id: &'a str,
    pub grant_type: &'a str,
    pub identifier: &'a str,
}

#[derive(Serialize, Deserialize)]
struct Payload {
    sid: String,
    turn: u32,
}

fn mac(key: &Key, payload: &str, binding: &Binding) -> String {
    URL_SAFE_NO_PAD.encode(key.mac(&[
        b"direct grant reference",
        payload.as_bytes(),
        binding.client_id.as_bytes(),
        binding.grant_type.as_bytes(),
        binding.identifier.as_bytes(),
    ]))
}

/// The reference for the session's next turn.
pub fn seal(key: &Key, session: &LoginSession, binding: &Binding) -> String {
    let payload = Payload {
        sid: session.id.clone(),
        turn: session.turn,
    };
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&payload).expect("payload serializes"));
    let mac = mac(key, &payload, binding);
    format!("{payload}.{mac}")
}

/// The session and turn a reference names, when it was made for this binding.
pub fn open(key: &Key, reference: &str, binding: &Binding) -> Option<(String, u32)> {
    let (payload, given) = reference.trim().split_once('.')?;
    let expected = mac(key, payload, binding);
    if !bool::from(expected.as_bytes().ct_eq(given.as_bytes())) {
        return None;
    }
    let payload: Payload = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    Some((payload.sid, payload.turn))
}
