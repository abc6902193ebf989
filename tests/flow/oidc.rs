//! The OpenID Connect front door, driven by an independent RP library (the `openidconnect`
//! crate) where a relying party would use one, and by hand where a test must misbehave.

use std::collections::HashMap;

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreJwsSigningAlgorithm,
    CoreProviderMetadata,
};
use openidconnect::{
    AuthenticationContextClass, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    EmptyAdditionalClaims, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, RedirectUrl,
    Scope, TokenResponse, UserInfoClaims, reqwest,
};
use serde_json::{Value, json};
use url::Url;

use crate::common::*;

fn http() -> reqwest::Client {
    reqwest::ClientBuilder::new()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn issuer(app: &TestApp) -> String {
    app.url("/auth/open")
}

async fn rp(app: &TestApp, client_id: &str, secret: Option<&str>, redirect: &str) -> impl RpClient {
    let metadata =
        CoreProviderMetadata::discover_async(IssuerUrl::new(issuer(app)).unwrap(), &http())
            .await
            .expect("discovery");
    CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(client_id.into()),
        secret.map(|s| ClientSecret::new(s.into())),
    )
    .set_redirect_uri(RedirectUrl::new(redirect.into()).unwrap())
}

/// The discovered client's type, named once.
trait RpClient {
    fn inner(&self) -> &DiscoveredClient;
}
type DiscoveredClient = openidconnect::Client<
    EmptyAdditionalClaims,
    openidconnect::core::CoreAuthDisplay,
    CoreGenderClaim,
    openidconnect::core::CoreJweContentEncryptionAlgorithm,
    openidconnect::core::CoreJsonWebKey,
    openidconnect::core::CoreAuthPrompt,
    openidconnect::StandardErrorResponse<openidconnect::core::CoreErrorResponseType>,
    openidconnect::core::CoreTokenResponse,
    openidconnect::core::CoreTokenIntrospectionResponse,
    openidconnect::core::CoreRevocableToken,
    openidconnect::core::CoreRevocationErrorResponse,
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;
impl RpClient for DiscoveredClient {
    fn inner(&self) -> &DiscoveredClient {
        self
    }
}

/// Follows the browser from the authorization URL through the OTP pages; returns the final
/// answer (the redirect to the client, or the form_post page).
async fn login(app: &TestApp, browser: &Browser, authorize_url: &str) -> Page {
    let start = browser.get(authorize_url).await;
    assert_eq!(start.status, 303, "{}", start.body);
    let login_path = start.location_path(&app.base);
    assert!(login_path.starts_with("/auth/login/"), "{login_path}");
    let phone_page = browser.get(&login_path).await;
    let csrf = phone_page.csrf();
    let sent = browser
        .post(
            &format!("{login_path}/phone"),
            &[("csrf", &csrf), ("phone_number", PHONE)],
        )
        .await;
    assert_eq!(sent.status, 303);
    browser.get(&login_path).await;
    let code = app.gateway().last_code();
    browser
        .post(
            &format!("{login_path}/otp"),
            &[("csrf", &csrf), ("otp", &code)],
        )
        .await
}

/// The query parameters of a redirect.
fn params(location: &str) -> HashMap<String, String> {
    Url::parse(location)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}

/// A syntactically valid S256 challenge and its verifier.
fn pkce() -> (String, String) {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    (challenge.as_str().to_owned(), verifier.secret().to_owned())
}

fn claims_of(jwt: &str) -> Value {
    use base64::Engine;
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn an_independent_rp_logs_in_and_reads_userinfo() {
    let app = TestApp::start().await;
    let client = rp(&app, CLIENT, Some(SECRET), REDIRECT).await;
    let client = client.inner();
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("idp-id".into()))
        .add_scope(Scope::new("phone".into()))
        .add_extra_param("acr_values", "idp:otp-sms")
        .add_extra_param("prompt", "login")
        .add_extra_param("ui_locales", "en")
        .set_pkce_challenge(challenge)
        .url();
    let done = login(&app, &app.browser(), url.as_str()).await;
    assert_eq!(done.status, 303);
    let location = done.location.clone().unwrap();
    assert!(location.starts_with(REDIRECT), "{location}");
    let answer = params(&location);
    assert_eq!(answer["state"], *csrf.secret());
    assert_eq!(answer["iss"], issuer(&app));

    let tokens = client
        .exchange_code(AuthorizationCode::new(answer["code"].clone()))
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(&http())
        .await
        .expect("code exchange");
    let id_token = tokens.id_token().expect("an ID token");
    let claims = id_token
        .claims(&client.id_token_verifier(), &nonce)
        .expect("valid ID token");
    assert_eq!(claims.phone_number().map(|p| p.as_str()), Some(PHONE));
    assert_eq!(claims.phone_number_verified(), Some(true));
    assert_eq!(
        claims.auth_context_ref(),
        Some(&AuthenticationContextClass::new("idp:otp-sms".into()))
    );
    assert!(claims.auth_time().is_some());
    let raw = claims_of(&id_token.to_string());
    assert_eq!(raw["idp_id"], PHONE);
    assert_eq!(raw["idp_issuer"], "otp-sms");
    assert_eq!(raw["amr"], json!(["otp", "sms"]));
    assert_eq!(raw["aud"], CLIENT);

    let userinfo: UserInfoClaims<EmptyAdditionalClaims, CoreGenderClaim> = client
        .user_info(
            tokens.access_token().clone(),
            Some(claims.subject().clone()),
        )
        .unwrap()
        .request_async(&http())
        .await
        .expect("userinfo");
    assert_eq!(userinfo.phone_number().map(|p| p.as_str()), Some(PHONE));
    let raw: Value = app
        .get_json(
            "/auth/open/connect/userinfo",
            Some(tokens.access_token().secret()),
        )
        .await;
    assert_eq!(
        raw,
        json!({"sub": claims.subject().as_str(), "idp_id": PHONE, "idp_issuer": "otp-sms", "phone_number": PHONE, "phone_number_verified": true})
    );

    // `sub` is the REST API's subject id for the same number.
    let flow = Flow::to_code(&app).await;
    flow.code(&app.gateway().last_code()).await;
    let rest = app.session(&flow.id).await;
    assert_eq!(rest["subject"]["id"], claims.subject().as_str());
}

#[tokio::test]
async fn discovery_matches_the_snapshot() {
    let app = TestApp::start().await;
    let doc: Value = app
        .get_json("/auth/open/.well-known/openid-configuration", None)
        .await;
    let text = serde_json::to_string(&doc)
        .unwrap()
        .replace(&app.base, "https://id.example");
    let doc: Value = serde_json::from_str(&text).unwrap();
    insta::assert_json_snapshot!("discovery", doc);
}

#[tokio::test]
async fn jwks_publishes_active_and_next_keys_with_ids() {
    let app = TestApp::start().await;
    let jwks: Value = app
        .get_json("/auth/open/.well-known/openid-configuration/jwks", None)
        .await;
    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 4);
    for alg in ["RS256", "ES256"] {
        assert_eq!(keys.iter().filter(|k| k["alg"] == alg).count(), 2, "{alg}");
    }
    assert!(
        keys.iter()
            .all(|k| k["kid"].is_string() && k["use"] == "sig" && k.get("d").is_none())
    );
}

#[tokio::test]
async fn form_post_answers_with_a_self_submitting_form() {
    let app = TestApp::start().await;
    let (challenge, _) = pkce();
    let url = app.authorize_url(&[
        ("client_id", CLIENT),
        ("redirect_uri", REDIRECT),
        ("response_type", "code"),
        ("scope", "openid"),
        ("state", "s-1"),
        ("response_mode", "form_post"),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ]);
    let page = login(&app, &app.browser(), &url).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&format!("action=\"{REDIRECT}\"")));
    assert!(page.body.contains(r#"name="code" value=""#));
    assert!(page.body.contains(r#"name="state" value="s-1""#));
    assert!(
        page.body
            .contains(&format!(r#"name="iss" value="{}""#, issuer(&app)))
    );
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(page.body.contains(&format!("<script nonce=\"{nonce}\">")));
    assert!(
        page.body.contains("<button type=\"submit\">"),
        "works without JavaScript"
    );
}

#[tokio::test]
async fn unknown_clients_and_unregistered_redirect_uris_get_a_page_not_a_redirect() {
    let app = TestApp::start().await;
    let browser = app.browser();
    let bad = [
        ("nobody", REDIRECT),
        (CLIENT, "https://rp.example/oidc/cb/extra"),
        (CLIENT, "https://rp.example/oidc/cb?x=1"),
        (CLIENT, "https://rp.example/oidc/cb/"),
        (CLIENT, "http://rp.example/oidc/cb"),
        (CLIENT, "https://rp.example.evil.com/oidc/cb"),
        (CLIENT, "https://RP.example/oidc/cb"),
        (CLIENT, "https://rp.example/oidc/cb#frag"),
        (CLIENT, ""),
        (PUBLIC_APP, "http://localhost:5000/callback"),
        (PUBLIC_APP, "http://127.0.0.1:5000/other"),
        (PUBLIC_APP, "https://127.0.0.1:5000/callback"),
    ];
    for (client, redirect) in bad {
        let url = app.authorize_url(&[
            ("client_id", client),
            ("redirect_uri", redirect),
            ("response_type", "code"),
            ("scope", "openid"),
            ("state", "x"),
        ]);
        let page = browser.get_with(&url, ("accept-language", "sv")).await;
        assert_eq!(page.status, 400, "{client} {redirect}");
        assert!(page.location.is_none(), "{client} {redirect}");
        assert!(page.body.contains("<html lang=\"sv\">"));
    }
    // A native client's loopback redirect may use any port.
    let (challenge, _) = pkce();
    let url = app.authorize_url(&[
        ("client_id", PUBLIC_APP),
        ("redirect_uri", "http://127.0.0.1:53123/callback"),
        ("response_type", "code"),
        ("scope", "openid"),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ]);
    assert_eq!(browser.get(&url).await.status, 303);
}

/// Errors that can go back to the client do, with `error`, `state` and `iss`.
#[tokio::test]
async fn request_errors_are_redirected_with_state_and_iss() {
    let app = TestApp::start().await;
    let (challenge, _) = pkce();
    let base = [
        ("client_id", CLIENT),
        ("redirect_uri", REDIRECT),
        ("state", "st"),
    ];
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            vec![("response_type", "token"), ("scope", "openid")],
            "unsupported_response_type",
        ),
        (vec![("scope", "openid")], "unsupported_response_type"),
        (
            vec![("response_type", "code"), ("scope", "phone")],
            "invalid_scope",
        ),
        (
            vec![
                ("response_type", "code"),
                ("scope", "openid"),
                ("prompt", "none"),
            ],
            "login_required",
        ),
        (
            vec![
                ("response_type", "code"),
                ("scope", "openid"),
                ("prompt", "none login"),
            ],
            "invalid_request",
        ),
        (
            vec![
                ("response_type", "code"),
                ("scope", "openid"),
                ("max_age", "-1"),
            ],
            "invalid_request",
        ),
        (
            vec![
                ("response_type", "code"),
                ("scope", "openid"),
                ("request", "eyJ.x.y"),
            ],
            "request_not_supported",
        ),
        (
            vec![
                ("response_type", "code"),
                ("scope", "openid"),
                ("response_mode", "fragment"),
            ],
            "invalid_request",
        ),
        (
            vec![
                ("response_type", "code"),
                ("scope", "openid"),
                ("code_challenge", &challenge),
                ("code_challenge_method", "plain"),
            ],
            "invalid_request",
        ),
        (
            vec![
                ("response_type", "code"),
                ("scope", "openid"),
                ("code_challenge", &challenge),
            ],
            "invalid_request",
        ),
        (
            vec![
                ("response_type", "code"),
                ("scope", "openid"),
                ("code_challenge", "short"),
                ("code_challenge_method", "S256"),
            ],
            "invalid_request",
        ),
    ];
    for (extra, error) in cases {
        let mut pairs = base.to_vec();
        pairs.extend(extra.iter().copied());
        let page = app.browser().get(&app.authorize_url(&pairs)).await;
        assert_eq!(page.status, 303, "{extra:?}");
        let location = page.location.unwrap();
        assert!(location.starts_with(REDIRECT), "{location}");
        let answer = params(&location);
        assert_eq!(answer["error"], error, "{extra:?}");
        assert_eq!(answer["state"], "st");
        assert_eq!(answer["iss"], issuer(&app));
    }
    // Public clients must use PKCE.
    let page = app
        .browser()
        .get(&app.authorize_url(&[
            ("client_id", PUBLIC_APP),
            ("redirect_uri", "http://127.0.0.1:4000/callback"),
            ("response_type", "code"),
            ("scope", "openid"),
        ]))
        .await;
    assert_eq!(params(&page.location.unwrap())["error"], "invalid_request");
}

/// Completes a login for `CLIENT` with the given extra parameters; returns the code.
async fn code_for(app: &TestApp, extra: &[(&str, &str)]) -> String {
    let mut pairs = vec![
        ("client_id", CLIENT),
        ("redirect_uri", REDIRECT),
        ("response_type", "code"),
        ("scope", "openid phone"),
        ("nonce", "n-1"),
    ];
    pairs.extend_from_slice(extra);
    let done = login(app, &app.browser(), &app.authorize_url(&pairs)).await;
    params(&done.location.expect("redirect to the client"))["code"].clone()
}

async fn redeem(app: &TestApp, form: &[(&str, &str)], basic: Option<(&str, &str)>) -> (u16, Value) {
    let mut request = app.api.post(app.url("/auth/open/connect/token")).form(form);
    if let Some((id, secret)) = basic {
        request = request.basic_auth(id, Some(secret));
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    assert_eq!(response.headers()["cache-control"], "no-store");
    (status, response.json().await.unwrap())
}

/// A fresh login's tokens for `CLIENT` (code flow, no PKCE, scopes `openid phone`).
async fn tokens_for(app: &TestApp) -> Value {
    let code = code_for(app, &[]).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
    ];
    let (status, tokens) = redeem(app, &form, Some((CLIENT, SECRET))).await;
    assert_eq!(status, 200, "{tokens}");
    tokens
}

#[tokio::test]
async fn pkce_is_enforced_at_the_token_endpoint() {
    let app = TestApp::start().await;
    let (challenge, verifier) = pkce();
    let with_pkce = [
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let grant = |code: &str, verifier: Option<&str>| {
        let mut form = vec![
            ("grant_type", "authorization_code".to_owned()),
            ("code", code.to_owned()),
            ("redirect_uri", REDIRECT.to_owned()),
        ];
        if let Some(v) = verifier {
            form.push(("code_verifier", v.to_owned()));
        }
        form
    };
    let as_refs = |form: &Vec<(&'static str, String)>| {
        form.iter()
            .map(|(k, v)| (*k, v.clone()))
            .collect::<Vec<_>>()
    };
    let post = |form: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            redeem(app, &pairs, Some((CLIENT, SECRET))).await
        }
    };
    // Missing and wrong verifiers.
    for bad in [None, Some("x".repeat(43)), Some(pkce().1)] {
        let code = code_for(&app, &with_pkce).await;
        let (status, json) = post(as_refs(&grant(&code, bad.as_deref()))).await;
        assert_eq!(
            (status, json["error"].as_str()),
            (400, Some("invalid_grant")),
            "{bad:?}"
        );
    }
    // A verifier without a challenge is a downgrade attempt.
    let code = code_for(&app, &[]).await;
    let (status, json) = post(grant(&code, Some(&verifier))).await;
    assert_eq!(
        (status, json["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    // The right verifier works.
    let code = code_for(&app, &with_pkce).await;
    let (status, json) = post(grant(&code, Some(&verifier))).await;
    assert_eq!(status, 200, "{json}");

    // A public client redeems with PKCE and no secret.
    let (challenge, verifier) = pkce();
    let url = app.authorize_url(&[
        ("client_id", PUBLIC_APP),
        ("redirect_uri", "http://127.0.0.1:4711/callback"),
        ("response_type", "code"),
        ("scope", "openid"),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ]);
    let done = login(&app, &app.browser(), &url).await;
    let code = params(&done.location.unwrap())["code"].clone();
    let (status, json) = redeem(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", PUBLIC_APP),
            ("redirect_uri", "http://127.0.0.1:4711/callback"),
            ("code_verifier", &verifier),
        ],
        None,
    )
    .await;
    assert_eq!(status, 200, "{json}");
}

#[tokio::test]
async fn a_code_works_once_and_its_replay_revokes_the_tokens() {
    let app = TestApp::start().await;
    let code = code_for(&app, &[]).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("redirect_uri", REDIRECT),
    ];
    let (status, tokens) = redeem(&app, &form, Some((CLIENT, SECRET))).await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(userinfo_status(&app, access).await.0, 200);
    let (status, json) = redeem(&app, &form, Some((CLIENT, SECRET))).await;
    assert_eq!(
        (status, json["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (status, challenge) = userinfo_status(&app, access).await;
    assert_eq!(status, 401);
    assert_eq!(challenge, "Bearer error=\"invalid_token\"");
}

#[tokio::test]
async fn codes_expire_and_are_bound_to_client_and_redirect_uri() {
    let app = TestApp::start().await;
    let code = code_for(&app, &[]).await;
    app.advance(61);
    let (_, json) = redeem(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
        ],
        Some((CLIENT, SECRET)),
    )
    .await;
    assert_eq!(json["error"], "invalid_grant");

    let code = code_for(&app, &[]).await;
    let (status, json) = redeem(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
        ],
        Some((CLIENT, "wrong")),
    )
    .await;
    assert_eq!(
        (status, json["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let (_, json) = redeem(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "https://es.example/cb"),
        ],
        Some((ES_CLIENT, "es-secret-123")),
    )
    .await;
    assert_eq!(json["error"], "invalid_grant", "another client's code");
    let (_, json) = redeem(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "https://rp.example/other"),
        ],
        Some((CLIENT, SECRET)),
    )
    .await;
    assert_eq!(json["error"], "invalid_grant", "another redirect_uri");
    let (_, json) = redeem(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("code", "made-up"),
            ("redirect_uri", REDIRECT),
        ],
        Some((CLIENT, SECRET)),
    )
    .await;
    assert_eq!(json["error"], "invalid_grant");
}

#[tokio::test]
async fn max_age_and_unknown_parameters_still_mean_a_fresh_login() {
    let app = TestApp::start().await;
    let before = time::OffsetDateTime::now_utc().unix_timestamp() - 1;
    let code = code_for(
        &app,
        &[
            ("max_age", "0"),
            ("prompt", "login"),
            ("foo", "bar"),
            ("claims_locales", "de"),
        ],
    )
    .await;
    let (status, tokens) = redeem(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
        ],
        Some((CLIENT, SECRET)),
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    let claims = claims_of(tokens["id_token"].as_str().unwrap());
    assert!(claims["auth_time"].as_i64().unwrap() >= before);
    assert_eq!(claims["nonce"], "n-1");
    assert!(claims.get("idp_id").is_none(), "idp-id scope not asked for");
    assert_eq!(claims["phone_number"], PHONE);
}

#[tokio::test]
async fn ui_locales_and_login_hint_shape_the_page_and_the_sms() {
    let app = TestApp::start().await;
    let browser = app.browser();
    let url = app.authorize_url(&[
        ("client_id", CLIENT),
        ("redirect_uri", REDIRECT),
        ("response_type", "code"),
        ("scope", "openid"),
        ("ui_locales", "xx fi"),
        ("login_hint", "07911 123456"),
    ]);
    let start = browser.get(&url).await;
    let page = browser.get(&start.location_path(&app.base)).await;
    assert!(page.body.contains("<html lang=\"fi\">"));
    assert!(page.body.contains(&format!("value=\"{PHONE}\"")));
    let login_path = start.location_path(&app.base);
    browser
        .post(
            &format!("{login_path}/phone"),
            &[("csrf", &page.csrf()), ("phone_number", PHONE)],
        )
        .await;
    let code = app.gateway().last_code();
    let text = idbroker::core::text::sms_text(
        idbroker::core::lang::Lang::Fi,
        "idbroker",
        &code,
        5,
        "127.0.0.1",
    );
    assert_eq!(app.gateway().last()["challenge"], text);
}

#[tokio::test]
async fn cancelling_on_the_page_is_access_denied() {
    let app = TestApp::start().await;
    let browser = app.browser();
    let url = app.authorize_url(&[
        ("client_id", CLIENT),
        ("redirect_uri", REDIRECT),
        ("response_type", "code"),
        ("scope", "openid"),
        ("state", "c"),
    ]);
    let login_path = browser.get(&url).await.location_path(&app.base);
    let page = browser.get(&login_path).await;
    browser
        .post(&format!("{login_path}/cancel"), &[("csrf", &page.csrf())])
        .await;
    let back = onward(&browser, &login_path).await;
    let answer = params(&back.location.unwrap());
    assert_eq!(answer["error"], "access_denied");
    assert_eq!(answer["state"], "c");
    assert_eq!(answer["iss"], issuer(&app));
}

#[tokio::test]
async fn es256_and_pairwise_subjects_per_client() {
    let app = TestApp::start().await;
    let client = rp(
        &app,
        ES_CLIENT,
        Some("es-secret-123"),
        "https://es.example/cb",
    )
    .await;
    let client = client.inner();
    let (url, _, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .url();
    let done = login(&app, &app.browser(), url.as_str()).await;
    let code = params(&done.location.unwrap())["code"].clone();
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .unwrap()
        .request_async(&http())
        .await
        .unwrap();
    let id_token = tokens.id_token().unwrap();
    let verifier = client
        .id_token_verifier()
        .set_allowed_algs(vec![CoreJwsSigningAlgorithm::EcdsaP256Sha256]);
    let claims = id_token
        .claims(&verifier, &nonce)
        .expect("ES256 token verifies against the JWKS");
    let sub = claims.subject().as_str().to_owned();

    // The same number through the public-subject client gives another sub.
    let tokens = tokens_for(&app).await;
    let public_sub = claims_of(tokens["id_token"].as_str().unwrap())["sub"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(sub, public_sub);
}

#[tokio::test]
async fn userinfo_refuses_missing_bad_and_doubled_tokens() {
    let app = TestApp::start().await;
    let response = app
        .api
        .get(app.url("/auth/open/connect/userinfo"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(
        response.headers()["www-authenticate"],
        "Bearer error=\"invalid_token\""
    );
    assert_eq!(userinfo_status(&app, "made-up").await.0, 401);

    let tokens = tokens_for(&app).await;
    let access = tokens["access_token"].as_str().unwrap();
    let by_body = app
        .api
        .post(app.url("/auth/open/connect/userinfo"))
        .form(&[("access_token", access)])
        .send()
        .await
        .unwrap();
    assert_eq!(by_body.status(), 200);
    let both = app
        .api
        .post(app.url("/auth/open/connect/userinfo"))
        .bearer_auth(access)
        .form(&[("access_token", access)])
        .send()
        .await
        .unwrap();
    assert_eq!(both.status(), 400);
    app.advance(601);
    assert_eq!(userinfo_status(&app, access).await.0, 401, "expired");
}

#[tokio::test]
async fn private_key_jwt_authenticates_once_per_assertion() {
    use aws_lc_rs::encoding::AsDer;
    use jsonwebtoken::{Algorithm, EncodingKey, Header, jwk::Jwk};
    let pair = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
    let der = pair.as_der().unwrap();
    let pem = format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, der.as_ref())
    );
    let key = EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap();
    let mut jwk = Jwk::from_encoding_key(&key, Algorithm::RS256).unwrap();
    jwk.common.key_id = Some("k1".into());
    let jwks = json!({"keys": [jwk]}).to_string();
    let app = TestApp::with(|c| {
        let mut client: idbroker::config::Client = serde_json::from_value(json!({
            "client_id": "jwt-client", "jwks": jwks,
            "redirect_uris": [REDIRECT], "grant_types": ["authorization_code"]
        }))
        .unwrap();
        client.client_secret = None;
        c.clients.push(client);
    })
    .await;
    let assertion = |jti: &str, aud: &str, key: &EncodingKey| {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some("k1".into());
        let exp = time::OffsetDateTime::now_utc().unix_timestamp() + 60;
        jsonwebtoken::encode(
            &header,
            &json!({"iss": "jwt-client", "sub": "jwt-client", "aud": aud, "exp": exp, "jti": jti}),
            key,
        )
        .unwrap()
    };
    let token_url = app.url("/auth/open/connect/token");
    let mut pairs = vec![
        ("client_id", "jwt-client"),
        ("redirect_uri", REDIRECT),
        ("response_type", "code"),
        ("scope", "openid"),
    ];
    pairs.push(("state", "j"));
    let done = login(&app, &app.browser(), &app.authorize_url(&pairs)).await;
    let code = params(&done.location.unwrap())["code"].clone();
    let send = |assertion: String, code: String| {
        let app = &app;
        async move {
            redeem(
                app,
                &[
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("redirect_uri", REDIRECT),
                    (
                        "client_assertion_type",
                        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                    ),
                    ("client_assertion", &assertion),
                ],
                None,
            )
            .await
        }
    };
    // Wrong audience, and a key the client never registered.
    let (status, _) = send(
        assertion("a", "https://elsewhere.example/token", &key),
        code.clone(),
    )
    .await;
    assert_eq!(status, 401);
    let other = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
    let other_pem = format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            other.as_der().unwrap().as_ref()
        )
    );
    let forged = EncodingKey::from_rsa_pem(other_pem.as_bytes()).unwrap();
    let (status, _) = send(assertion("b", &token_url, &forged), code.clone()).await;
    assert_eq!(status, 401);
    // The real thing works, once.
    let good = assertion("c", &token_url, &key);
    let (status, json) = send(good.clone(), code.clone()).await;
    assert_eq!(status, 200, "{json}");
    let (status, json) = send(good, code).await;
    assert_eq!(
        (status, json["error"].as_str()),
        (401, Some("invalid_client")),
        "replayed assertion"
    );
}

#[tokio::test]
async fn end_session_returns_only_to_registered_uris() {
    let app = TestApp::start().await;
    let tokens = tokens_for(&app).await;
    let id_token = tokens["id_token"].as_str().unwrap();
    let browser = app.browser();
    let end = |pairs: &[(&str, &str)]| {
        let mut url = Url::parse(&app.url("/auth/open/connect/endsession")).unwrap();
        url.query_pairs_mut().extend_pairs(pairs);
        String::from(url)
    };
    let back = browser
        .get(&end(&[
            ("id_token_hint", id_token),
            ("post_logout_redirect_uri", LOGGED_OUT),
            ("state", "bye"),
        ]))
        .await;
    assert_eq!(
        back.location.as_deref(),
        Some(format!("{LOGGED_OUT}?state=bye").as_str())
    );
    let back = browser
        .get(&end(&[
            ("client_id", CLIENT),
            ("post_logout_redirect_uri", LOGGED_OUT),
        ]))
        .await;
    assert_eq!(back.status, 303);
    for bad in [
        end(&[
            ("id_token_hint", id_token),
            ("post_logout_redirect_uri", "https://evil.example/"),
        ]),
        end(&[("post_logout_redirect_uri", LOGGED_OUT)]),
        end(&[
            ("id_token_hint", "eyJhbGciOiJub25lIn0.e30."),
            ("post_logout_redirect_uri", LOGGED_OUT),
        ]),
        end(&[("id_token_hint", id_token), ("client_id", ES_CLIENT)]),
    ] {
        let page = browser.get(&bad).await;
        assert_eq!(page.status, 400, "{bad}");
        assert!(page.location.is_none());
    }
    let page = browser.get(&end(&[])).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("You are signed out"));
}

#[tokio::test]
async fn keys_survive_a_restart_so_issued_tokens_stay_valid() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys.json").to_str().unwrap().to_owned();
    let first = TestApp::with(|c| c.oidc.keys_file = keys.clone()).await;
    let tokens = tokens_for(&first).await;
    let kid = jsonwebtoken::decode_header(tokens["id_token"].as_str().unwrap())
        .unwrap()
        .kid
        .unwrap();
    let second = TestApp::with(|c| c.oidc.keys_file = keys.clone()).await;
    let jwks: Value = second
        .get_json("/auth/open/.well-known/openid-configuration/jwks", None)
        .await;
    assert!(
        jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["kid"] == kid.as_str())
    );
}

#[tokio::test]
async fn the_demo_page_runs_an_oidc_login() {
    let app = TestApp::dev_defaults().await;
    let browser = app.browser();
    let start = browser
        .post(
            "/demo/oidc/start",
            &[("language", "de"), ("mobile", "+47 412 34 567")],
        )
        .await;
    assert_eq!(start.status, 303);
    let authorize_url = start.location.clone().unwrap();
    let to_login = browser.get(&authorize_url).await;
    let login_path = to_login.location_path(&app.base);
    let page = browser.get(&login_path).await;
    assert!(page.body.contains("<html lang=\"de\">"));
    browser
        .post(
            &format!("{login_path}/phone"),
            &[("csrf", &page.csrf()), ("phone_number", "+47 412 34 567")],
        )
        .await;
    let code = code_of(app.outbox().await[0]["text"].as_str().unwrap());
    let done = browser
        .post(
            &format!("{login_path}/otp"),
            &[("csrf", &page.csrf()), ("otp", &code)],
        )
        .await;
    let callback = done.location.unwrap();
    assert!(
        callback.starts_with(&app.url("/demo/oidc/callback?")),
        "{callback}"
    );
    let result = browser.get(&callback).await;
    assert!(
        result.body.contains("SUCCESS (OpenID Connect)"),
        "{}",
        result.body
    );
    assert!(
        result
            .body
            .contains("&#34;phone_number&#34;: &#34;+4741234567&#34;"),
        "{}",
        result.body
    );
}

#[tokio::test]
async fn authorize_accepts_post_and_refuses_repeated_parameters() {
    let app = TestApp::start().await;
    let browser = app.browser();
    let posted = browser
        .post(
            "/auth/open/connect/authorize",
            &[
                ("client_id", CLIENT),
                ("redirect_uri", REDIRECT),
                ("response_type", "code"),
                ("scope", "openid"),
            ],
        )
        .await;
    assert_eq!(posted.status, 303);
    assert!(posted.location_path(&app.base).starts_with("/auth/login/"));
    let repeated = format!(
        "{}&client_id={CLIENT}",
        app.authorize_url(&[
            ("client_id", CLIENT),
            ("redirect_uri", REDIRECT),
            ("response_type", "code"),
            ("scope", "openid")
        ])
    );
    let page = browser.get(&repeated).await;
    assert_eq!(page.status, 400);
    assert!(page.location.is_none());
}

/// The RFC 9396 example payment, as a client sends it.
fn payment(amount: &str) -> String {
    json!([{
        "type": "payment_initiation",
        "instructedAmount": {"currency": "EUR", "amount": amount},
        "creditorName": "Merchant A",
        "creditorAccount": {"iban": "DE02100100109307118603"},
        "remittanceInformationUnstructured": "Ref Number Merchant",
        "endToEndIdentification": "e2e-42"
    }])
    .to_string()
}

#[tokio::test]
async fn an_independent_rp_has_a_payment_confirmed() {
    let app = TestApp::start().await;
    let client = rp(&app, CLIENT, Some(SECRET), REDIRECT).await;
    let client = client.inner();
    let details = payment("123.5");
    let (url, _csrf, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_extra_param("authorization_details", &details)
        .add_extra_param("login_hint", PHONE)
        .add_extra_param("ui_locales", "de")
        .url();
    let browser = app.browser();
    let start = browser.get(url.as_str()).await;
    let login_path = start.location_path(&app.base);
    let page = browser.get(&login_path).await;
    assert!(page.body.contains("123,50 EUR"), "{}", page.body);
    assert!(page.body.contains("Merchant A"));
    let done = login(&app, &browser, url.as_str()).await;
    let sms = app.gateway().last()["challenge"].clone();
    assert!(
        sms.contains("123,50 EUR") && sms.contains("Merchant A"),
        "{sms}"
    );
    let answer = params(&done.location.expect("back to the client"));
    let tokens = client
        .exchange_code(AuthorizationCode::new(answer["code"].clone()))
        .unwrap()
        .request_async(&http())
        .await
        .expect("code exchange");
    let id_token = tokens.id_token().expect("an ID token");
    id_token
        .claims(&client.id_token_verifier(), &nonce)
        .expect("the RP library validates the ID token");
    let raw = claims_of(&id_token.to_string());
    assert_eq!(
        raw["authorization_details"][0]["instructedAmount"]["amount"],
        "123.50"
    );
    assert_eq!(
        raw["confirmation"]["digest"],
        crate::confirm::digest_of(
            "123.50",
            "EUR",
            "Merchant A",
            "Ref Number Merchant",
            "e2e-42"
        )
    );
}

#[tokio::test]
async fn the_token_response_carries_the_granted_details() {
    let app = TestApp::start().await;
    let details = payment("10");
    let code = code_for(
        &app,
        &[("authorization_details", &details), ("login_hint", PHONE)],
    )
    .await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
    ];
    let (status, tokens) = redeem(&app, &form, Some((CLIENT, SECRET))).await;
    assert_eq!(status, 200, "{tokens}");
    let granted = &tokens["authorization_details"][0];
    assert_eq!(granted["type"], "payment_initiation");
    assert_eq!(
        granted["instructedAmount"],
        json!({"currency": "EUR", "amount": "10.00"})
    );
    assert_eq!(granted["creditorAccount"]["iban"], "DE02100100109307118603");
}

#[tokio::test]
async fn bad_authorization_details_go_back_to_the_client() {
    let app = TestApp::start().await;
    let base = [
        ("client_id", CLIENT),
        ("redirect_uri", REDIRECT),
        ("response_type", "code"),
        ("scope", "openid"),
        ("state", "s-9"),
        ("login_hint", PHONE),
    ];
    let mut unknown_type: Value = serde_json::from_str(&payment("10")).unwrap();
    unknown_type[0]["type"] = json!("account_information");
    let mut unknown_field: Value = serde_json::from_str(&payment("10")).unwrap();
    unknown_field[0]["debtorName"] = json!("Someone");
    for (details, error) in [
        (payment("-10"), "invalid_authorization_details"),
        (payment("1.234"), "invalid_authorization_details"),
        (
            payment("10").replace("\"EUR\"", "\"EUX\""),
            "invalid_authorization_details",
        ),
        (unknown_type.to_string(), "invalid_authorization_details"),
        (unknown_field.to_string(), "invalid_authorization_details"),
        ("not json".to_owned(), "invalid_authorization_details"),
    ] {
        let mut pairs = base.to_vec();
        pairs.push(("authorization_details", &details));
        let page = app.browser().get(&app.authorize_url(&pairs)).await;
        let answer = params(&page.location.expect("back to the client"));
        assert_eq!(answer["error"], error, "{details}");
        assert_eq!(answer["state"], "s-9");
        assert_eq!(answer["iss"], issuer(&app));
    }
    // A client not registered for the type may not use it.
    let details = payment("10");
    let page = app
        .browser()
        .get(&app.authorize_url(&[
            ("client_id", ES_CLIENT),
            ("redirect_uri", "https://es.example/cb"),
            ("response_type", "code"),
            ("scope", "openid"),
            ("login_hint", PHONE),
            ("authorization_details", &details),
        ]))
        .await;
    let answer = params(&page.location.expect("back to the client"));
    assert_eq!(answer["error"], "invalid_authorization_details");
    // Without a number to send the code to.
    let mut pairs = base[..5].to_vec();
    pairs.push(("authorization_details", &details));
    let page = app.browser().get(&app.authorize_url(&pairs)).await;
    assert_eq!(params(&page.location.unwrap())["error"], "invalid_request");
}
