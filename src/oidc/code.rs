//! Authorization codes and what they turn into. A code is single use, lives 60 s and is bound
//! to its client, redirect URI and PKCE challenge; presenting it a second time revokes the
//! access tokens the first redemption issued (RFC 9700 §4.5).

use axum::response::{IntoResponse, Response};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use time::{Duration, OffsetDateTime};

use super::claims;
use crate::core::confirm::Confirmation;
use crate::core::ids::{random_token, record_key};
use crate::core::ports::{Space, StoreError};
use crate::core::provider::Provider;
use crate::core::records::{Change, Records, UpdateError};
use crate::core::session::{LoginSession, OidcRequest, Verified};
use crate::oauth::issue::{self, AccessGrant, AccessToken, TokenBody, access_ttl};
use crate::oauth::{Grant, GrantRequest, OAuth, OAuthError};
use crate::web::Common;

#[derive(Clone, Serialize, Deserialize)]
struct AuthCode {
    client_id: String,
    redirect_uri: String,
    code_challenge: Option<String>,
    nonce: Option<String>,
    scope: Vec<String>,
    provider: Provider,
    identifier: String,
    #[serde(with = "time::serde::rfc3339")]
    auth_time: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    expires_at: OffsetDateTime,
    /// Set by the first redemption, with the keys of the access tokens it issued.
    redeemed: Option<Vec<String>>,
    /// Set when the code came back after its redemption.
    #[serde(default)]
    replayed: bool,
    /// The payment the user confirmed, and the `authorization_details` granted for it.
    #[serde(default)]
    confirmation: Option<Confirmation>,
    #[serde(default)]
    authorization_details: Option<String>,
}

/// Issues the code for a finished login.
pub async fn issue(
    state: &Common,
    session: &LoginSession,
    request: &OidcRequest,
    verified: &Verified,
) -> Result<String, StoreError> {
    let now = state.login.now();
    let ttl = Duration::seconds(state.config.oidc.code_ttl_secs.into());
    let code = random_token();
    let record = AuthCode {
        client_id: session.client_id.clone(),
        redirect_uri: request.redirect_uri.clone(),
        code_challenge: request.code_challenge.clone(),
        nonce: request.nonce.clone(),
        scope: request.scope.clone(),
        provider: verified.provider,
        identifier: verified.identifier.clone(),
        auth_time: verified.auth_time,
        expires_at: now + ttl,
        redeemed: None,
        replayed: false,
        confirmation: session.confirmation.clone(),
        authorization_details: request.authorization_details.clone(),
    };
    Records::new(state.store.clone(), Space::AuthCode)
        .insert(&record_key(&code), &record, ttl)
        .await?;
    Ok(code)
}

/// The `authorization_code` grant: checks the code against the client and the request, and
/// answers with an access token and an ID token.
pub struct CodeGrant;

#[async_trait::async_trait]
impl Grant for CodeGrant {
    async fn grant(
        &self,
        state: &OAuth,
        request: GrantRequest<'_>,
    ) -> Result<Response, OAuthError> {
        redeem(state, request).await
    }
}

async fn redeem(state: &OAuth, request: GrantRequest<'_>) -> Result<Response, OAuthError> {
    let (client, form) = (request.client, request.form);
    let code = form
        .get("code")
        .ok_or_else(|| OAuthError::invalid_request("code is missing"))?;
    let redirect_uri = form.get("redirect_uri");
    let verifier = form.get("code_verifier");
    let now = state.login.now();
    let access_ttl = access_ttl(state);
    let AccessToken {
        token: access_token,
        key: access_key,
    } = AccessToken::new();
    let codes: Records<AuthCode> = Records::new(state.store.clone(), Space::AuthCode);

    enum Outcome {
        Fresh(Box<AuthCode>),
        Replayed(Vec<String>),
    }
    let outcome = codes
        .update(&record_key(code), |record: AuthCode| {
            if let Some(issued) = &record.redeemed {
                let issued = issued.clone();
                // Marked once; racing replays then only read, so none of them waits on the
                // others' writes (and none is turned away for contention).
                if record.replayed {
                    return Ok(Change::Keep(Outcome::Replayed(issued)));
                }
                let marked = AuthCode {
                    replayed: true,
                    ..record
                };
                return Ok(Change::Write(marked, access_ttl, Outcome::Replayed(issued)));
            }
            if record.client_id != client.client_id {
                return Err("the code was issued to another client");
            }
            if now >= record.expires_at {
                return Err("the code has expired");
            }
            if redirect_uri != Some(record.redirect_uri.as_str()) {
                return Err("redirect_uri does not match the authorization request");
            }
            match (&record.code_challenge, verifier) {
                (Some(challenge), Some(verifier)) if pkce_matches(challenge, verifier) => {}
                (Some(_), _) => return Err("code_verifier does not match the code_challenge"),
                (None, Some(_)) => return Err("code_verifier sent but no code_challenge was"),
                (None, None) => {}
            }
            let mut used = record.clone();
            used.redeemed = Some(vec![access_key.clone()]);
            // Remember the redemption as long as its token lives, to catch a replay.
            Ok(Change::Write(
                used,
                access_ttl,
                Outcome::Fresh(Box::new(record)),
            ))
        })
        .await;
    let record = match outcome {
        Ok(Outcome::Fresh(record)) => *record,
        Ok(Outcome::Replayed(issued)) => {
            tracing::warn!(client = %client.client_id, "authorization code presented twice: revoking its tokens");
            crate::core::audit::token_replayed(&client.client_id);
            for key in issued {
                issue::revoke(state, &key).await;
            }
            return Err(OAuthError::invalid_grant("the code has already been used"));
        }
        Err(UpdateError::Missing) => {
            return Err(OAuthError::invalid_grant(
                "the code is invalid or has expired",
            ));
        }
        Err(UpdateError::Refused(why)) => return Err(OAuthError::invalid_grant(why)),
        Err(UpdateError::Store(e)) => return Err(e.into()),
        Err(UpdateError::Contention) => {
            return Err(OAuthError::temporarily_unavailable().caused_by("contention"));
        }
    };

    let sub = claims::subject(state, client, record.provider, &record.identifier);
    let grant = AccessGrant::new(
        state,
        &client.client_id,
        &sub,
        record.scope.clone(),
        record.provider,
        &record.identifier,
    );
    issue::store(state, &access_key, &grant).await?;
    // This request won the code, so it gets the one token response; but a replay that landed
    // between the redemption and the token's storage found nothing to revoke yet. Revoke now,
    // as it would have: a racing replay ends like a later one.
    if !matches!(
        codes.get(&record_key(code)).await,
        Ok(Some((
            AuthCode {
                replayed: false,
                ..
            },
            _
        )))
    ) {
        issue::revoke(state, &access_key).await;
    }

    let mut id_claims = issue::id_token_claims(
        state,
        &client.client_id,
        &sub,
        record.provider,
        record.auth_time,
    );
    if let Some(nonce) = &record.nonce {
        id_claims.insert("nonce".into(), nonce.clone().into());
    }
    id_claims.extend(claims::scoped(
        &record.scope,
        record.provider,
        &record.identifier,
    ));
    let details = record
        .authorization_details
        .as_deref()
        .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok());
    if let (Some(details), Some(confirmation)) = (&details, &record.confirmation) {
        id_claims.insert("authorization_details".into(), details.clone());
        id_claims.insert(
            "confirmation".into(),
            issue::confirmation_claim(confirmation),
        );
    }
    let id_token = issue::sign(state, client.id_token_alg(), id_claims).await?;
    Ok(TokenBody {
        access_token,
        expires_in: access_ttl.whole_seconds(),
        scope: Some(record.scope.join(" ")),
        id_token: Some(id_token),
        authorization_details: details,
    }
    .into_response())
}

/// RFC 7636 S256: BASE64URL(SHA256(verifier)) == challenge, verifier 43–128 unreserved chars.
fn pkce_matches(challenge: &str, verifier: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    well_formed && bool::from(computed.as_bytes().ct_eq(challenge.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_example_from_rfc_7636() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(pkce_matches(challenge, verifier));
        assert!(!pkce_matches(
            challenge,
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXx"
        ));
        assert!(!pkce_matches(challenge, "short"));
    }
}
