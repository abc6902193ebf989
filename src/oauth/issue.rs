//! One way to issue tokens, for every grant: the access token's grant record (opaque tokens,
//! stored only as a hash with what they grant, so they can be revoked), the claims every ID
//! token carries, signing, and the JSON body of a token response.

use axum::Json;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use time::{Duration, OffsetDateTime};
use utoipa::ToSchema;

use super::{OAuth, OAuthError};
use crate::core::confirm::Confirmation;
use crate::core::ids::{random_token, record_key};
use crate::core::ports::{Space, StoreError};
use crate::core::provider::Provider;
use crate::core::records::{Change, Records};
use crate::web::Common;

/// The `acr` value of each provider.
pub const ACR_OTP_SMS: &str = "idp:otp-sms";
pub const ACR_OTP_EMAIL: &str = "idp:otp-email";

pub fn acr(provider: Provider) -> &'static str {
    match provider {
        Provider::OtpSms => ACR_OTP_SMS,
        Provider::OtpEmail => ACR_OTP_EMAIL,
    }
}

/// Authentication methods (RFC 8176) behind each provider.
pub fn amr(provider: Provider) -> [&'static str; 2] {
    match provider {
        Provider::OtpSms => ["otp", "sms"],
        Provider::OtpEmail => ["otp", "email"],
    }
}

/// What an access token grants, stored under the token's hash.
#[derive(Clone, Serialize, Deserialize)]
pub struct AccessGrant {
    pub client_id: String,
    pub sub: String,
    pub scope: Vec<String>,
    pub provider: Provider,
    pub identifier: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    pub revoked: bool,
}

/// A fresh opaque access token and the key its grant is stored under.
pub struct AccessToken {
    pub token: String,
    pub key: String,
}

impl AccessToken {
    pub fn new() -> AccessToken {
        let token = random_token();
        let key = record_key(&token);
        AccessToken { token, key }
    }
}

impl Default for AccessToken {
    fn default() -> Self {
        AccessToken::new()
    }
}

/// How long access tokens live.
pub fn access_ttl(state: &Common) -> Duration {
    Duration::seconds(state.config.oidc.access_token_ttl_secs.into())
}

impl AccessGrant {
    /// A grant that lives as long as access tokens do, from now.
    pub fn new(
        state: &Common,
        client_id: &str,
        sub: &str,
        scope: Vec<String>,
        provider: Provider,
        identifier: &str,
    ) -> AccessGrant {
        AccessGrant {
            client_id: client_id.to_owned(),
            sub: sub.to_owned(),
            scope,
            provider,
            identifier: identifier.to_owned(),
            expires_at: state.login.now() + access_ttl(state),
            revoked: false,
        }
    }

    /// The same grant living `ttl` from now instead (HID's token lifetimes).
    pub fn lasting(self, state: &Common, ttl: Duration) -> AccessGrant {
        AccessGrant {
            expires_at: state.login.now() + ttl,
            ..self
        }
    }

    fn ttl(&self, state: &Common) -> Duration {
        (self.expires_at - state.login.now()).max(Duration::seconds(1))
    }
}

fn grants(state: &Common) -> Records<AccessGrant> {
    Records::new(state.store.clone(), Space::AccessToken)
}

/// Stores what a token grants, for as long as it lives.
pub async fn store(state: &Common, key: &str, grant: &AccessGrant) -> Result<(), OAuthError> {
    match grants(state).insert(key, grant, grant.ttl(state)).await {
        Ok(true) => Ok(()),
        Ok(false) => Err(OAuthError::temporarily_unavailable()),
        Err(e) => Err(e.into()),
    }
}

/// Marks a token (by its record key) as revoked.
pub async fn revoke(state: &Common, key: &str) {
    let result = grants(state)
        .update(key, |grant: AccessGrant| {
            if grant.revoked {
                return Ok(Change::Keep(()));
            }
            let ttl = grant.ttl(state);
            let revoked = AccessGrant {
                revoked: true,
                ..grant
            };
            Ok::<_, std::convert::Infallible>(Change::Write(revoked, ttl, ()))
        })
        .await;
    if let Err(e) = result {
        tracing::info!(error = %e, "token to revoke not found");
    }
}

/// The grant of a token that is still good: known, not revoked, not expired.
pub async fn lookup(state: &Common, token: &str) -> Result<Option<AccessGrant>, StoreError> {
    let grant = grants(state).get(&record_key(token)).await?;
    Ok(grant
        .map(|(grant, _)| grant)
        .filter(|g| !g.revoked && state.login.now() < g.expires_at))
}

/// The claims every ID token carries: who issued it, about whom, for whom, when, and how the
/// user was authenticated.
pub fn id_token_claims(
    state: &OAuth,
    client_id: &str,
    sub: &str,
    provider: Provider,
    auth_time: OffsetDateTime,
) -> Map<String, Value> {
    let now = state.login.now();
    let ttl = Duration::seconds(state.config.oidc.id_token_ttl_secs.into());
    let mut claims = Map::new();
    claims.insert("iss".into(), state.issuer().into());
    claims.insert("sub".into(), sub.into());
    claims.insert("aud".into(), client_id.into());
    claims.insert("exp".into(), (now + ttl).unix_timestamp().into());
    claims.insert("iat".into(), now.unix_timestamp().into());
    claims.insert("auth_time".into(), auth_time.unix_timestamp().into());
    claims.insert("acr".into(), acr(provider).into());
    claims.insert("amr".into(), amr(provider).to_vec().into());
    claims
}

/// A confirmed transaction as tokens carry it: what the user approved, and its digest.
pub fn confirmation_claim(confirmation: &Confirmation) -> Value {
    let mut claim = json!({
        "amount": confirmation.amount,
        "currency": confirmation.currency,
        "payee": confirmation.payee,
        "digest": confirmation.digest(),
    });
    if let Some(text) = &confirmation.text {
        claim["text"] = text.as_str().into();
    }
    if let Some(reference) = &confirmation.reference {
        claim["reference"] = reference.as_str().into();
    }
    claim
}

/// Signs an ID token on the blocking pool: RSA is CPU work that would otherwise stall the async
/// threads serving everyone else.
pub async fn sign(
    state: &OAuth,
    alg: jsonwebtoken::Algorithm,
    claims: Map<String, Value>,
) -> Result<String, OAuthError> {
    let keys = state
        .signing
        .current()
        .ok_or_else(OAuthError::temporarily_unavailable)?;
    tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let signed = keys.sign(alg, &claims);
        crate::core::measure::signing_seconds(started.elapsed().as_secs_f64());
        signed
    })
    .await
    .ok()
    .and_then(Result::ok)
    .ok_or_else(OAuthError::server_error)
}

/// A successful token response (RFC 6749 §5.1); the endpoint adds `Cache-Control: no-store`.
pub struct TokenBody {
    pub access_token: String,
    pub expires_in: i64,
    pub scope: Option<String>,
    pub id_token: Option<String>,
    /// RFC 9396 §7: the `authorization_details` granted.
    pub authorization_details: Option<Value>,
}

/// A token response as it goes on the wire; the REST API's OpenAPI document describes this
/// type.
#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// Send it as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    /// Always `Bearer`.
    #[schema(value_type = String, examples("Bearer"))]
    pub token_type: &'static str,
    /// Seconds the token lives.
    #[schema(examples(600))]
    pub expires_in: i64,
    /// The scope granted, when the request named one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Only for the authorization code grant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    /// Only for the authorization code grant (RFC 9396).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub authorization_details: Option<Value>,
}

impl IntoResponse for TokenBody {
    fn into_response(self) -> Response {
        Json(TokenResponse {
            access_token: self.access_token,
            token_type: "Bearer",
            expires_in: self.expires_in,
            scope: self.scope,
            id_token: self.id_token,
            authorization_details: self.authorization_details,
        })
        .into_response()
    }
}
