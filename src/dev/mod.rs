//! Developer conveniences that exist only in development configurations: the outbox viewer
//! (only with `sms.kind = "outbox"`) and the demo relying party at `/` (only with
//! `demo.enabled`).

use askama::Template;
use axum::extract::{RawQuery, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

use crate::app::AppState;
use crate::core::grant::GrantType;
use crate::core::ids::random_token;
use crate::core::lang::Lang;
use crate::oauth::{AuthMethod, Client, Grant, GrantRequest};
use crate::rest::{
    CallbackUrls, ConfirmationRequest, CreateSession, Flow, PrefilledInput, create_session,
    session_view,
};
use crate::web::body::Form;
use crate::web::page::{MessagePage, render};

pub fn outbox_router() -> Router<AppState> {
    Router::new()
        .route("/dev/outbox", get(outbox_page))
        .route("/dev/outbox.json", get(outbox_json))
}

pub fn demo_router() -> Router<AppState> {
    Router::new()
        .route("/", get(demo_page))
        .route("/demo/start", post(demo_start))
        .route("/demo/confirm", post(demo_start))
        .route("/demo/callback/{outcome}", get(demo_callback))
        .route("/demo/oidc/start", post(oidc_start))
        .route("/demo/saml/start", post(saml_start))
        .route(DEMO_ACS_PATH, post(saml_acs))
        .route(DEMO_REDIRECT_PATH, get(oidc_callback))
}

const DEMO_REDIRECT_PATH: &str = "/demo/oidc/callback";
const DEMO_SP_PATH: &str = "/demo/saml";
const DEMO_ACS_PATH: &str = "/demo/saml/acs";
/// Holds the demo's state, nonce and PKCE verifier between the two legs of its OIDC login.
const DEMO_COOKIE: &str = "idb_demo_oidc";

struct Row {
    time: String,
    recipient: String,
    sender: String,
    text: String,
    /// The code, picked out so it reads at a glance on a phone.
    code: Option<String>,
}

/// The code in a message: the WebOTP line's (`@host #123456`), else the first run of 6 to 10
/// digits.
fn code_in(text: &str) -> Option<String> {
    let webotp = text
        .lines()
        .last()
        .and_then(|line| line.rsplit_once(" #"))
        .map(|(_, code)| code.trim())
        .filter(|c| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_digit()));
    webotp.map(str::to_owned).or_else(|| {
        text.split(|c: char| !c.is_ascii_digit())
            .find(|run| (6..=10).contains(&run.len()))
            .map(str::to_owned)
    })
}

#[derive(Template)]
#[template(path = "outbox.html")]
struct OutboxPage {
    messages: Vec<Row>,
}

async fn outbox_page(State(state): State<AppState>) -> Response {
    let messages = state
        .outbox
        .as_ref()
        .map(|o| o.messages())
        .unwrap_or_default()
        .into_iter()
        .map(|m| Row {
            time: m
                .time
                .format(time::macros::format_description!(
                    "[hour]:[minute]:[second]"
                ))
                .unwrap_or_default(),
            code: code_in(&m.text),
            recipient: m.recipient,
            sender: m.sender,
            text: m.text,
        })
        .collect();
    render(StatusCode::OK, &OutboxPage { messages })
}

async fn outbox_json(State(state): State<AppState>) -> Response {
    Json(
        state
            .outbox
            .as_ref()
            .map(|o| o.messages())
            .unwrap_or_default(),
    )
    .into_response()
}

struct DemoResult {
    status: String,
    json: String,
}

#[derive(Template)]
#[template(path = "demo.html")]
struct DemoPage {
    client_id: String,
    base: String,
    languages: Vec<(&'static str, &'static str)>,
    result: Option<DemoResult>,
}

/// The demo's callback URLs under the public origin: success, abort, error.
pub fn demo_callbacks(public_url: &url::Url) -> [String; 3] {
    let base = public_url.as_str().trim_end_matches('/');
    ["success", "abort", "error"].map(|outcome| format!("{base}/demo/callback/{outcome}"))
}

/// The demo page under the public origin: the demo client's way back when its branding names
/// none, so it follows `server.public_url` wherever that points.
pub fn demo_home(public_url: &url::Url) -> String {
    format!("{}/", public_url.as_str().trim_end_matches('/'))
}

/// The demo's OIDC redirect URI under the public origin.
pub fn demo_redirect_uri(public_url: &url::Url) -> String {
    format!(
        "{}{DEMO_REDIRECT_PATH}",
        public_url.as_str().trim_end_matches('/')
    )
}

/// The client the demo page acts as.
fn demo_client(state: &AppState) -> Option<&Client> {
    state.oauth.clients.get(&state.config.demo.client_id)
}

fn demo_page_with(state: &AppState, result: Option<DemoResult>) -> Response {
    let Some(client) = demo_client(state) else {
        let page = MessagePage::error(Lang::En, "error-unavailable", None);
        return render(StatusCode::SERVICE_UNAVAILABLE, &page);
    };
    let page = DemoPage {
        client_id: client.client_id.clone(),
        base: state.url(""),
        languages: Lang::ALL
            .iter()
            .map(|l| (l.code(), l.native_name()))
            .collect(),
        result,
    };
    render(StatusCode::OK, &page)
}

async fn demo_page(State(state): State<AppState>) -> Response {
    demo_page_with(&state, None)
}

/// A REST session, for a login or, when the form names an amount, a payment to confirm.
async fn demo_start(State(state): State<AppState>, request: Request) -> Response {
    let Some(client) = demo_client(&state) else {
        return demo_page_with(&state, None);
    };
    let form = Form::from_request(request).await.unwrap_or_default();
    let confirmation = form.get("amount").map(|amount| ConfirmationRequest {
        amount: amount.to_owned(),
        currency: form.get("currency").unwrap_or("").to_owned(),
        payee: form.get("payee").unwrap_or("").to_owned(),
        text: None,
        reference: Some(random_token()[..12].to_owned()),
    });
    let request = CreateSession {
        allowed_providers: None,
        flow: Flow::Redirect,
        language: form.get("language").map(str::to_owned),
        requested_attributes: None,
        additional_parameters: None,
        callback_urls: {
            let [success, abort, error] = demo_callbacks(&state.public_url);
            CallbackUrls {
                success,
                abort,
                error,
            }
        },
        prefilled_input: form.get("mobile").map(|m| PrefilledInput {
            mobile: Some(m.to_owned()),
            email: None,
        }),
        external_reference: None,
        confirmation,
    };
    match create_session(&state.oauth, client, request).await {
        Ok(view) => Redirect::to(&view.authentication_url).into_response(),
        Err(problem) => problem.into_response(),
    }
}

async fn demo_callback(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let id = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "sessionId")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let Some(client) = demo_client(&state) else {
        return demo_page_with(&state, None);
    };
    match session_view(&state.oauth, client, &id).await {
        Ok(view) => {
            let result = DemoResult {
                status: view.status.name().to_owned(),
                json: serde_json::to_string_pretty(&view).unwrap_or_default(),
            };
            demo_page_with(&state, Some(result))
        }
        Err(problem) => problem.into_response(),
    }
}

/// Starts an OIDC login as a relying party would: state, nonce and a PKCE verifier kept in a
/// cookie, then a redirect to the authorization endpoint.
async fn oidc_start(State(state): State<AppState>, request: Request) -> Response {
    let Some(client) = demo_client(&state) else {
        return demo_page_with(&state, None);
    };
    let form = Form::from_request(request).await.unwrap_or_default();
    let (state_param, nonce, verifier) = (random_token(), random_token(), random_token());
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let mut url = url::Url::parse(&state.url(crate::oidc::AUTHORIZE_PATH)).expect("valid URL");
    {
        let mut query = url.query_pairs_mut();
        query
            .append_pair("client_id", &client.client_id)
            .append_pair("response_type", "code")
            .append_pair("redirect_uri", &demo_redirect_uri(&state.public_url))
            .append_pair("scope", "openid idp-id phone")
            .append_pair("acr_values", crate::oauth::issue::ACR_OTP_SMS)
            .append_pair("prompt", "login")
            .append_pair("state", &state_param)
            .append_pair("nonce", &nonce)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");
        if let Some(lang) = form.get("language") {
            query.append_pair("ui_locales", lang);
        }
        if let Some(mobile) = form.get("mobile") {
            query.append_pair("login_hint", mobile);
        }
    }
    let cookie = format!(
        "{DEMO_COOKIE}={state_param}.{nonce}.{verifier}; Path=/demo; HttpOnly; SameSite=Lax{}",
        if state.secure_cookies() {
            "; Secure"
        } else {
            ""
        }
    );
    let mut response = Redirect::to(url.as_str()).into_response();
    if let Ok(value) = axum::http::HeaderValue::from_str(&cookie) {
        response
            .headers_mut()
            .insert(axum::http::header::SET_COOKIE, value);
    }
    response
}

/// The redirect URI: checks state and iss, redeems the code, reads userinfo, shows both.
async fn oidc_callback(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(client) = demo_client(&state) else {
        return demo_page_with(&state, None);
    };
    let params = Form::parse(query.unwrap_or_default().as_bytes()).unwrap_or_default();
    let saved = crate::web::cookie::cookie(&headers, DEMO_COOKIE).unwrap_or_default();
    let mut parts = saved.splitn(3, '.');
    let (expected_state, nonce, verifier) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    let show = |status: &str, value: serde_json::Value| {
        let result = DemoResult {
            status: status.to_owned(),
            json: serde_json::to_string_pretty(&value).unwrap_or_default(),
        };
        demo_page_with(&state, Some(result))
    };
    if expected_state.is_empty() || params.get("state") != Some(expected_state) {
        return show(
            "state mismatch",
            serde_json::json!({"error": "the state does not match this browser's login"}),
        );
    }
    if params.get("iss") != Some(state.oauth.issuer().as_str()) {
        return show(
            "issuer mismatch",
            serde_json::json!({"iss": params.get("iss")}),
        );
    }
    if let Some(error) = params.get("error") {
        return show(
            error,
            serde_json::json!({"error": error, "error_description": params.get("error_description")}),
        );
    }
    let token_request = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "authorization_code")
        .append_pair("code", params.get("code").unwrap_or(""))
        .append_pair("redirect_uri", &demo_redirect_uri(&state.public_url))
        .append_pair("code_verifier", verifier)
        .finish();
    let token_form = Form::parse(token_request.as_bytes()).unwrap_or_default();
    // The token request the demo's server side would send, answered in process.
    let request = GrantRequest {
        grant_type: GrantType::AuthorizationCode,
        client,
        method: AuthMethod::Post,
        form: &token_form,
        headers: &axum::http::HeaderMap::new(),
        from: None,
    };
    let tokens = match crate::oidc::CodeGrant.grant(&state.oauth, request).await {
        Ok(response) => axum::body::to_bytes(response.into_body(), crate::web::MAX_BODY)
            .await
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .unwrap_or_default(),
        Err(e) => return show(e.code(), serde_json::json!({"error": e.code()})),
    };
    let id_token = tokens["id_token"].as_str().unwrap_or("");
    let decode = |part: usize| {
        id_token
            .split('.')
            .nth(part)
            .and_then(|p| URL_SAFE_NO_PAD.decode(p).ok())
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .unwrap_or_default()
    };
    let claims = decode(1);
    if claims["nonce"] != nonce {
        return show("nonce mismatch", claims);
    }
    let access_token = tokens["access_token"].as_str().unwrap_or("");
    let userinfo = crate::oidc::userinfo_claims(&state.oauth, access_token)
        .await
        .map(serde_json::Value::Object)
        .unwrap_or_default();
    show(
        "SUCCESS (OpenID Connect)",
        serde_json::json!({"id_token": {"header": decode(0), "claims": claims}, "userinfo": userinfo}),
    )
}

/// The demo's SAML service provider: registered in memory when the demo is on, with its ACS
/// under the public origin.
pub fn demo_sp(public_url: &url::Url) -> crate::saml::sp::ServiceProvider {
    let base = public_url.as_str().trim_end_matches('/');
    crate::saml::sp::ServiceProvider {
        entity_id: format!("{base}{DEMO_SP_PATH}"),
        acs: vec![crate::saml::sp::Acs {
            binding: crate::saml::BINDING_POST.into(),
            location: format!("{base}{DEMO_ACS_PATH}"),
            index: 0,
            is_default: true,
        }],
        signing_certs: Vec::new(),
        authn_requests_signed: false,
        want_assertions_signed: true,
        attribute_services: Vec::new(),
        // Its branding is the demo client's.
        display_names: Default::default(),
    }
}

/// Starts a SAML login as an SP would: an AuthnRequest posted to the SSO endpoint.
async fn saml_start(State(state): State<AppState>, request: Request) -> Response {
    let form = Form::from_request(request).await.unwrap_or_default();
    let sp = demo_sp(&state.public_url);
    let now = state
        .login
        .now()
        .replace_nanosecond(0)
        .unwrap_or(state.login.now())
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let language = form
        .get("language")
        .and_then(Lang::from_tag)
        .map(|l| {
            format!(
                r#"<samlp:Extensions><ra:RequestedAttributes xmlns:ra="urn:oasis:names:tc:SAML:protocol:ext:req-attr"><md:RequestedAttribute xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" Name="signicat:param:language"><saml:AttributeValue>{}</saml:AttributeValue></md:RequestedAttribute></ra:RequestedAttributes></samlp:Extensions>"#,
                l.code()
            )
        })
        .unwrap_or_default();
    let xml = format!(
        r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_{id}" Version="2.0" IssueInstant="{now}" Destination="{dest}" AssertionConsumerServiceURL="{acs}" ProtocolBinding="{binding}"><saml:Issuer>{issuer}</saml:Issuer>{language}</samlp:AuthnRequest>"#,
        id = &random_token()[..32],
        dest = crate::saml::escape(&crate::saml::sso_url(&state)),
        acs = crate::saml::escape(&sp.acs[0].location),
        binding = crate::saml::BINDING_POST,
        issuer = crate::saml::escape(&sp.entity_id),
    );
    let fields = vec![
        (
            "SAMLRequest",
            base64::engine::general_purpose::STANDARD.encode(xml),
        ),
        ("RelayState", "demo".to_owned()),
    ];
    crate::web::page::auto_post(Lang::En, &crate::saml::sso_url(&state), fields)
}

/// The demo SP's ACS: checks the Response's signatures against the IdP's certificate and shows
/// what it says.
async fn saml_acs(State(state): State<AppState>, request: Request) -> Response {
    let form = Form::from_request(request).await.unwrap_or_default();
    let show = |status: &str, value: serde_json::Value| {
        let result = DemoResult {
            status: status.to_owned(),
            json: serde_json::to_string_pretty(&value).unwrap_or_default(),
        };
        demo_page_with(&state, Some(result))
    };
    let Some(xml) = form
        .get("SAMLResponse")
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok())
    else {
        return show("no SAMLResponse", serde_json::Value::Null);
    };
    let cert = state.saml.key.cert.to_der().unwrap_or_default();
    let checked = tokio::task::spawn_blocking(move || {
        use samael::crypto::CryptoProvider;
        samael::crypto::Crypto::reduce_xml_to_signed(
            &xml,
            &[samael::crypto::CertificateDer::from(cert)],
            samael::crypto::ReduceMode::ValidateAndMarkNoAncestors,
        )
        .map(|_| xml)
        .map_err(|e| e.to_string())
    })
    .await;
    match checked {
        Ok(Ok(xml)) => {
            let attributes: serde_json::Map<String, serde_json::Value> = xml
                .split("<saml2:Attribute Name=\"")
                .skip(1)
                .filter_map(|part| {
                    let (name, rest) = part.split_once('"')?;
                    let value = rest.split_once("\">")?.1.split('<').next()?;
                    Some((name.to_owned(), value.into()))
                })
                .collect();
            let status = if xml.contains("status:Success") {
                "SUCCESS (SAML)"
            } else {
                "SAML error status"
            };
            show(
                status,
                serde_json::json!({"attributes": attributes, "signature": "verified", "response": xml}),
            )
        }
        Ok(Err(e)) => show("signature check failed", serde_json::json!({"error": e})),
        Err(_) => show("signature check failed", serde_json::Value::Null),
    }
}
