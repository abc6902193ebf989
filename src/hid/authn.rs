//! Password-grant posts to `/idp/{tenant}/authn/token` with the client's bearer token.
//! `AT_OOBSMS`: the first names the activation code and sends an 8-digit code by SMS, the
//! second names that code. `AT_TXOOB`: the code of a delivered challenge, with
//! `context=correlationId:…:false txID:…:false`. Every verification counts in the
//! authenticator's statistics, and `disable_threshold` consecutive failures lock it until
//! `RESET`.

use std::net::IpAddr;

use axum::Json;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::Duration;

use super::Hid;
use super::authenticators::{OOBSMS, TXOOB};
use crate::core::confirm::Confirmation;
use crate::core::directory::{Authenticator, User, UserFilter};
use crate::core::lang::Lang;
use crate::core::login::{LoginError, NewSession, Wording};
use crate::core::ports::Space;
use crate::core::provider::Provider;
use crate::core::records::{Change, Records};
use crate::core::session::{Completion, Effect, RegisteredRequest, ReturnTo, State};
use crate::oauth::issue::{self, AccessGrant, AccessToken};
use crate::oauth::{Client, OAuthError};
use crate::web::body::Form;
use crate::web::lang::resolve;

/// HID's codes have 8 digits.
const CODE_LENGTH: u8 = 8;

/// The refusal for anything about the user: it never says whether the user exists.
fn refused() -> OAuthError {
    OAuthError::invalid_grant("authentication failed")
}

pub async fn password(
    state: &Hid,
    client: &Client,
    tenant: &str,
    headers: &HeaderMap,
    form: &Form,
    from: Option<IpAddr>,
) -> Result<Response, OAuthError> {
    let policy = match form.get("authType") {
        Some(OOBSMS) => OOBSMS,
        Some(TXOOB) => TXOOB,
        Some(_) => {
            return Err(OAuthError::invalid_request(
                "authType must be AT_OOBSMS or AT_TXOOB",
            ));
        }
        None => return Err(OAuthError::invalid_request("authType is missing")),
    };
    // A transaction's code names its challenge (`txID`) and, if it had one, its correlation id.
    let context = Context::parse(form.get("context").unwrap_or(""));
    if policy == TXOOB && context.tx_id.is_none() {
        return Err(OAuthError::invalid_request("context must name the txID"));
    }
    let username = form
        .get("username")
        .ok_or_else(|| OAuthError::invalid_request("username is missing"))?;
    let password = form
        .get("password")
        .ok_or_else(|| OAuthError::invalid_request("password is missing"))?;
    let user = user(state, tenant, username).await?.ok_or_else(refused)?;
    let a = state
        .directory
        .authenticator(tenant, user.id, policy)
        .await?
        .ok_or_else(refused)?;
    if !a.enabled {
        return Err(OAuthError::invalid_grant("the authenticator is disabled"));
    }
    if state.login.now() >= a.expires_at {
        return Err(OAuthError::invalid_grant("the authenticator has expired"));
    }
    if policy == OOBSMS && state.activation_matches(&a, password) {
        let lang = resolve(headers, None, form.get("ui_locales"));
        start(state, client, &user, OOBSMS, None, lang, from).await?;
        return Ok(Json(json!({
            "access_token": "IA==",
            "token_type": "Bearer",
            "context": {"AUTHENTICATION_OOB_SENT": "1"},
        }))
        .into_response());
    }
    let verified = verify(state, &user, &a, password, &context).await;
    state
        .directory
        .record_use(tenant, user.id, policy, verified.is_ok(), state.login.now())
        .await?;
    verified?;
    tokens(state, client, &user, form).await
}

/// The user the client names: by `userName`, else by `externalId` (HID's examples log in
/// with the external id).
pub async fn user(state: &Hid, tenant: &str, name: &str) -> Result<Option<User>, OAuthError> {
    for filter in [
        UserFilter::UserName(name.to_owned()),
        UserFilter::ExternalId(name.to_owned()),
    ] {
        let (_, found) = state.directory.find_users(tenant, &filter, 0, 2).await?;
        if let [user] = found.as_slice() {
            return Ok(Some(user.clone()));
        }
    }
    Ok(None)
}

fn challenge_key(user: &User, policy: &str) -> String {
    format!("{}\u{0}{}\u{0}{policy}", user.tenant, user.id)
}

fn challenges(state: &Hid) -> Records<Pointer> {
    Records::new(state.store.clone(), Space::Challenge)
}

/// Where a user's current code is: its login session and, for a transaction, its `txID`.
#[derive(Clone, Serialize, Deserialize)]
pub struct Pointer {
    pub session: String,
    pub tx_id: Option<String>,
}

/// Sends a new code (bound to `confirmation`, if any) to the user's number; it replaces any
/// code of this policy sent before. Returns the transaction's id for a confirmation.
pub async fn start(
    state: &Hid,
    client: &Client,
    user: &User,
    policy: &str,
    confirmation: Option<Confirmation>,
    lang: Lang,
    from: Option<IpAddr>,
) -> Result<Pointer, OAuthError> {
    let phone = user.phone.clone().ok_or_else(refused)?;
    let tx_id = confirmation.is_some().then(|| {
        // A numeric id, as HID's `CHALLENGE.ID` is.
        (u64::from(rand::random::<u32>()) + 100_000).to_string()
    });
    let session = state
        .login
        .create(NewSession {
            client_id: client.client_id.clone(),
            return_to: ReturnTo::Registered(RegisteredRequest {
                tenant: user.tenant.clone(),
                user_id: user.id,
                policy: policy.to_owned(),
                code_length: CODE_LENGTH,
            }),
            allowed_providers: vec![Provider::OtpSms],
            language: Some(lang),
            requested_attributes: Vec::new(),
            sender: None,
            parameters: Default::default(),
            prefill: Some(phone.clone()),
            confirmation,
        })
        .await?;
    state
        .login
        .choose_provider(&session.id, Provider::OtpSms)
        .await?;
    let wording = Wording::App {
        body: None,
        title: None,
    };
    state
        .login
        .submit_identifier(&session.id, &phone, lang, &wording, from)
        .await?;
    let pointer = Pointer {
        session: session.id.clone(),
        tx_id,
    };
    let key = challenge_key(user, policy);
    let ttl = Duration::seconds(state.config.session.ttl_secs.into());
    let records = challenges(state);
    if !records.insert(&key, &pointer, ttl).await? {
        records
            .update(&key, |_| {
                Ok::<_, std::convert::Infallible>(Change::Write(pointer.clone(), ttl, ()))
            })
            .await
            .map_err(|e| OAuthError::temporarily_unavailable().caused_by(e))?;
    }
    Ok(pointer)
}

/// `context=NAME:VALUE:isForAudit NAME:VALUE:isForAudit` (a form's `+` is the space).
#[derive(Default)]
struct Context {
    tx_id: Option<String>,
    correlation_id: Option<String>,
}

impl Context {
    fn parse(text: &str) -> Context {
        let mut context = Context::default();
        for item in text.split_whitespace() {
            let item = item.rsplit_once(':').map_or(item, |(rest, _audit)| rest);
            match item.split_once(':') {
                Some(("txID", v)) => context.tx_id = Some(v.to_owned()),
                Some(("correlationId", v)) => context.correlation_id = Some(v.to_owned()),
                _ => {}
            }
        }
        context
    }
}

/// Checks the code against the user's current challenge. Any answer but success is a failure.
/// A transaction's code is checked against the transaction as this request names it: another
/// `txID`, or another correlation id, and it is a wrong code.
async fn verify(
    state: &Hid,
    user: &User,
    a: &Authenticator,
    code: &str,
    context: &Context,
) -> Result<(), OAuthError> {
    if state.locked(&a.stats) {
        return Err(OAuthError::invalid_grant(
            "the authenticator is locked after too many wrong codes",
        ));
    }
    let Some((pointer, _)) = challenges(state)
        .get(&challenge_key(user, &a.policy))
        .await?
    else {
        return Err(refused());
    };
    if pointer.tx_id.is_some() && pointer.tx_id != context.tx_id {
        return Err(refused());
    }
    let session_id = pointer.session;
    let presented = match &pointer.tx_id {
        Some(_) => state
            .login
            .get(&session_id)
            .await?
            .confirmation
            .map(|c| c.with_reference(context.correlation_id.as_deref()).digest()),
        None => None,
    };
    match state
        .login
        .submit_code(&session_id, code, None, presented.as_deref())
        .await
    {
        Ok((session, Effect::Finished)) if matches!(session.state, State::Authenticated(_)) => {
            match state.login.complete(&session.id).await {
                Ok((_, Completion::First)) => Ok(()),
                _ => Err(refused()),
            }
        }
        Ok((_, Effect::CodeExpired)) => Err(OAuthError::invalid_grant("the code has expired")),
        Ok(_) | Err(LoginError::MalformedCode | LoginError::Refused(_) | LoginError::NotFound) => {
            Err(refused())
        }
        Err(e) => Err(e.into()),
    }
}

/// HID's answers: `noToken=1` none, `noToken=0` a short session, none given a day's.
async fn tokens(
    state: &Hid,
    client: &Client,
    user: &User,
    form: &Form,
) -> Result<Response, OAuthError> {
    let context = json!({"LEVEL_OF_ASSURANCE": "1"});
    let ttl = match form.get("noToken") {
        Some("1") => {
            return Ok(Json(json!({
                "access_token": "IA==", "context": context, "token_type": "Bearer"
            }))
            .into_response());
        }
        Some("0") => Duration::seconds(360),
        _ => Duration::days(1),
    };
    let sub = user.id.to_string();
    let phone = user.phone.clone().unwrap_or_default();
    let access = AccessToken::new();
    let grant = AccessGrant::new(
        state,
        &client.client_id,
        &sub,
        vec!["openid".into()],
        Provider::OtpSms,
        &phone,
    )
    .lasting(state, ttl);
    issue::store(state, &access.key, &grant).await?;
    let mut body = json!({
        "access_token": access.token,
        "token_type": "Bearer",
        "expires_in": ttl.whole_seconds(),
    });
    if form.get("noToken") == Some("0") {
        body["context"] = context;
    }
    if form
        .get("scope")
        .is_some_and(|s| s.split(' ').any(|s| s == "openid"))
    {
        let claims = issue::id_token_claims(
            &state.oauth,
            &client.client_id,
            &sub,
            Provider::OtpSms,
            state.login.now(),
        );
        body["id_token"] = issue::sign(&state.oauth, client.id_token_alg(), claims)
            .await?
            .into();
    }
    Ok(Json(body).into_response())
}
