//! The authorization endpoint. A request that names an unknown client or an unregistered
//! redirect URI gets a local error page and never a redirect; any other problem is answered at
//! the redirect URI with `error`, `state` and `iss`. A good request opens a login session and
//! sends the browser to its page.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use url::Url;

use super::{SCOPES, details, error_response};
use crate::config::ApplicationType;
use crate::core::grant::GrantType;
use crate::core::lang::Lang;
use crate::core::login::NewSession;
use crate::core::provider::{Attribute, Provider};
use crate::core::session::{OidcRequest, ReturnTo};
use crate::oauth::issue::{ACR_OTP_EMAIL, ACR_OTP_SMS};
use crate::oauth::scope::openid_scope;
use crate::oauth::{Client, OAuth};
use crate::web::body::{Form, Params};
use crate::web::lang::{request_lang, resolve};
use crate::web::page::{MessagePage, render};
use crate::web::paths::login_path;
use crate::web::with_cause;

/// Upper bounds on what we keep from a request.
const MAX_STATE: usize = 2048;
const MAX_NONCE: usize = 512;

/// GET and POST alike.
pub async fn authorize(
    State(state): State<OAuth>,
    headers: HeaderMap,
    Params(params): Params,
) -> Response {
    let (state, headers) = (&state, &headers);
    let lang = request_lang(headers);
    // A request we cannot answer at its redirect URI: our own page, naming the parameter for
    // the integrator and, in the log line, what was sent (escaped, cut short).
    let bad_request = |parameter: &str, client: Option<&Client>| {
        let mut page = MessagePage::error(lang, "error-invalid-request", None);
        if !parameter.is_empty() {
            page = page.naming(parameter);
        }
        if let Some(client) = client {
            page = page.for_service(state.brands.client(&client.client_id));
        }
        render(StatusCode::BAD_REQUEST, &page)
    };
    // Repeated or unreadable parameters: nothing in the request can be trusted, not even
    // where to send an error.
    let Some(params) = params else {
        let page = bad_request("", None);
        return with_cause(page, "repeated or unreadable parameters");
    };
    let Some(client) = params.get("client_id").and_then(|id| state.clients.get(id)) else {
        let sent: String = params
            .get("client_id")
            .unwrap_or("")
            .chars()
            .take(64)
            .collect();
        let page = bad_request("client_id", None);
        return with_cause(page, format!("unknown client_id {sent:?}"));
    };
    let Some(redirect_uri) = params
        .get("redirect_uri")
        .filter(|uri| redirect_uri_matches(client, uri))
    else {
        let page = bad_request("redirect_uri", Some(client));
        return with_cause(
            page,
            format!("client {:?}: unregistered redirect_uri", client.client_id),
        );
    };
    let form_post = match params.get("response_mode") {
        None | Some("query") => false,
        Some("form_post") => true,
        Some(_) => {
            let request = reply_to(redirect_uri, &params, false);
            return error_response(
                state,
                &request,
                lang,
                "invalid_request",
                "response_mode must be query or form_post",
            );
        }
    };
    let request = reply_to(redirect_uri, &params, form_post);
    let lang = resolve(headers, None, params.get("ui_locales"));
    let refuse = |error: &'static str, description: &str| {
        error_response(state, &request, lang, error, description)
    };

    if params.get("request").is_some() {
        return refuse("request_not_supported", "request objects are not supported");
    }
    if params.get("request_uri").is_some() {
        return refuse("request_uri_not_supported", "request_uri is not supported");
    }
    if params.get("response_type") != Some("code") {
        return refuse("unsupported_response_type", "response_type must be code");
    }
    if !client.may_use(GrantType::AuthorizationCode) {
        return refuse(
            "unauthorized_client",
            "the client may not use the authorization code flow",
        );
    }
    let Some(mut scope) = openid_scope(params.get("scope")) else {
        return refuse("invalid_scope", "scope must include openid");
    };
    scope.retain(|s| SCOPES.contains(&s.as_str()));
    let code_challenge = match (
        params.get("code_challenge"),
        params.get("code_challenge_method"),
    ) {
        (None, None) if client.public => {
            return refuse(
                "invalid_request",
                "public clients must use PKCE (code_challenge with S256)",
            );
        }
        (None, None) => None,
        (Some(challenge), Some("S256")) if valid_challenge(challenge) => Some(challenge.to_owned()),
        (Some(_), Some("S256")) => {
            return refuse(
                "invalid_request",
                "code_challenge must be 43 base64url characters",
            );
        }
        (Some(_), _) | (None, Some(_)) => {
            return refuse(
                "invalid_request",
                "code_challenge_method must be S256 (plain is not accepted)",
            );
        }
    };
    let prompts: Vec<&str> = params
        .get("prompt")
        .unwrap_or("")
        .split(' ')
        .filter(|p| !p.is_empty())
        .collect();
    if prompts.contains(&"none") {
        if prompts.len() > 1 {
            return refuse(
                "invalid_request",
                "prompt=none cannot be combined with other values",
            );
        }
        // There is no single sign-on session to reuse: every authorization is a fresh login.
        return refuse("login_required", "the user must sign in");
    }
    if params
        .get("max_age")
        .is_some_and(|m| m.parse::<u64>().is_err())
    {
        return refuse("invalid_request", "max_age must be a non-negative integer");
    }
    if request.state.as_ref().is_some_and(|s| s.len() > MAX_STATE) {
        return refuse("invalid_request", "state is too long");
    }
    let nonce = params.get("nonce").map(str::to_owned);
    if nonce.as_ref().is_some_and(|n| n.len() > MAX_NONCE) {
        return refuse("invalid_request", "nonce is too long");
    }

    let granted = match params.get("authorization_details") {
        None => None,
        Some(raw) => match details::parse(raw, client) {
            Ok(granted) => Some(granted),
            Err(why) => return refuse("invalid_authorization_details", &why),
        },
    };
    let mut allowed_providers = providers(client, params.get("acr_values"));
    let mut requested_attributes = Vec::new();
    if scope.iter().any(|s| s == "idp-id") {
        requested_attributes.push(Attribute::IdpId);
    }
    if scope.iter().any(|s| s == "phone") {
        requested_attributes.push(Attribute::PhoneNumber);
    }
    if scope.iter().any(|s| s == "email") {
        requested_attributes.push(Attribute::Email);
    }
    // The hint pre-fills whichever identifier it is a valid one for.
    let hinted = params.get("login_hint").and_then(|hint| {
        allowed_providers
            .iter()
            .find_map(|p| state.login.normalize(*p, hint).map(|id| (*p, id)))
    });
    // A payment's code goes to the number or address the client names, by the provider
    // that delivers to it.
    if granted.is_some() {
        let Some((provider, _)) = &hinted else {
            return refuse(
                "invalid_request",
                "authorization_details needs a login_hint naming the phone number or e-mail address the code goes to",
            );
        };
        allowed_providers = vec![*provider];
    }
    let prefill = hinted.map(|(_, id)| id);
    let (confirmation, authorization_details) = match granted {
        Some(g) => (Some(g.confirmation), Some(g.details.to_string())),
        None => (None, None),
    };
    let session = state
        .login
        .create(NewSession {
            client_id: client.client_id.clone(),
            return_to: ReturnTo::Oidc(OidcRequest {
                nonce,
                code_challenge,
                scope,
                authorization_details,
                ..request.clone()
            }),
            allowed_providers,
            language: params.get("ui_locales").and_then(Lang::first_of_list),
            requested_attributes,
            sender: None,
            parameters: Default::default(),
            prefill,
            confirmation,
        })
        .await;
    match session {
        Ok(session) => Redirect::to(&login_path(&session.id)).into_response(),
        Err(e) => with_cause(
            refuse("temporarily_unavailable", "try again in a moment"),
            e,
        ),
    }
}

/// Where errors go once the redirect URI is known to be the client's.
fn reply_to(redirect_uri: &str, params: &Form, form_post: bool) -> OidcRequest {
    OidcRequest {
        redirect_uri: redirect_uri.to_owned(),
        state: params.get("state").map(str::to_owned),
        nonce: None,
        form_post,
        code_challenge: None,
        scope: Vec::new(),
        authorization_details: None,
    }
}

/// Exact match against the registered URIs. Native clients may use any port on a loopback IP
/// (RFC 8252 §7.3), nothing else varies.
pub fn redirect_uri_matches(client: &Client, uri: &str) -> bool {
    if client.redirect_uris.iter().any(|r| r == uri) {
        return true;
    }
    if client.application_type != ApplicationType::Native {
        return false;
    }
    let Ok(mut asked) = Url::parse(uri) else {
        return false;
    };
    let loopback = matches!(asked.host_str(), Some("127.0.0.1" | "[::1]"));
    if asked.scheme() != "http" || !loopback || asked.set_port(None).is_err() {
        return false;
    }
    client.redirect_uris.iter().any(|registered| {
        Url::parse(registered).is_ok_and(|mut r| r.set_port(None).is_ok() && r == asked)
    })
}

/// S256 challenges are 43 base64url characters (a SHA-256 digest).
fn valid_challenge(challenge: &str) -> bool {
    challenge.len() == 43
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `acr_values` picks providers among the client's; without a usable one, all of the client's.
fn providers(client: &Client, acr_values: Option<&str>) -> Vec<Provider> {
    let acr: HashMap<&str, Provider> = [
        (ACR_OTP_SMS, Provider::OtpSms),
        (ACR_OTP_EMAIL, Provider::OtpEmail),
    ]
    .into_iter()
    .collect();
    let asked: Vec<Provider> = acr_values
        .unwrap_or("")
        .split(' ')
        .filter_map(|v| acr.get(v).copied())
        .filter(|p| client.allows(*p))
        .collect();
    if asked.is_empty() {
        client.providers()
    } else {
        asked
    }
}
