//! Ubisecure-compatible direct OTP grants, sent with the seed pages' exact request bodies.

use base64::Engine;
use idbroker::grants::{EMAIL_GRANT, SMS_GRANT};
use serde_json::Value;

use crate::common::*;

pub const MSISDN: &str = "358404134252";

/// A form body as the seed pages write it: `k=v&k=v`, values URL-encoded.
pub fn body(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

async fn token_at(
    app: &TestApp,
    path: &str,
    body: String,
    basic: Option<(&str, &str)>,
) -> (u16, Value) {
    let mut request = app
        .api
        .post(app.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body);
    if let Some((id, secret)) = basic {
        request = request.basic_auth(id, Some(secret));
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

pub async fn token(app: &TestApp, body: String) -> (u16, Value) {
    token_at(app, "/uas/oauth2/token", body, None).await
}

/// The first request of the seed page (client credentials in the body).
fn first(grant: &str, username: &str, client: &str) -> String {
    body(&[
        ("grant_type", grant),
        ("scope", "openid"),
        ("username", username),
        ("client_id", client),
        ("client_secret", UBI_SECRET),
    ])
}

/// The second request of the seed page.
fn second(grant: &str, username: &str, client: &str, reference: &str, code: &str) -> String {
    body(&[
        ("grant_type", grant),
        ("scope", "openid"),
        ("username", username),
        ("client_id", client),
        ("client_secret", UBI_SECRET),
        ("x_globalsign_iam_reference_id", reference),
        ("x_globalsign_iam_otp_code", code),
    ])
}

pub fn reference(json: &Value) -> String {
    json["x_globalsign_iam_challenge"]["reference"]
        .as_str()
        .expect("a reference")
        .to_owned()
}

/// Verifies an ID token's signature against the broker's JWKS; returns its claims.
pub async fn verified_claims(app: &TestApp, id_token: &str) -> Value {
    let jwks: jsonwebtoken::jwk::JwkSet = serde_json::from_value(
        app.get_json("/auth/open/.well-known/openid-configuration/jwks", None)
            .await,
    )
    .unwrap();
    let header = jsonwebtoken::decode_header(id_token).unwrap();
    assert_eq!(header.alg, jsonwebtoken::Algorithm::RS256);
    let jwk = jwks.find(&header.kid.unwrap()).expect("kid in JWKS");
    let key = jsonwebtoken::DecodingKey::from_jwk(jwk).unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&[UBI]);
    validation.set_issuer(&[app.url("/auth/open")]);
    jsonwebtoken::decode::<Value>(id_token, &key, &validation)
        .expect("valid signature and claims")
        .claims
}

#[tokio::test]
async fn sms_grant_with_the_seed_request_bodies() {
    let app = TestApp::start().await;
    let (status, json) = token(&app, first(SMS_GRANT, MSISDN, UBI)).await;
    assert_eq!(status, 200, "{json}");
    assert_eq!(
        json.as_object().unwrap().len(),
        1,
        "only the challenge: {json}"
    );
    let reference = reference(&json);
    assert!(reference.len() >= 40);
    let sms = app.gateway().last();
    assert_eq!(sms["to"], format!("+{MSISDN}"));
    let code = sms["challenge"]
        .trim_start_matches("Your one time password is ")
        .to_owned();
    assert_eq!(
        sms["challenge"],
        format!("Your one time password is {code}")
    );

    let (status, json) = token(&app, second(SMS_GRANT, MSISDN, UBI, &reference, &code)).await;
    assert_eq!(status, 200, "{json}");
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "access_token",
            "expires_in",
            "id_token",
            "scope",
            "token_type"
        ]
    );
    assert_eq!(json["token_type"], "Bearer");
    assert_eq!(json["scope"], "openid");
    assert!(json["expires_in"].as_i64().unwrap() > 0);
    let claims = verified_claims(&app, json["id_token"].as_str().unwrap()).await;
    assert_eq!(claims["sub"], MSISDN);
    assert_eq!(claims["aud"], serde_json::json!([UBI]));
    assert_eq!(claims["azp"], UBI);
    assert_eq!(claims["otp-sms.grant_type"], serde_json::json!([SMS_GRANT]));
    let index = claims["session_index"].as_str().unwrap();
    assert!(index.starts_with('_') && index.len() == 41, "{index}");
    for claim in ["exp", "iat", "auth_time"] {
        assert!(claims[claim].is_i64(), "{claim}");
    }
    assert!(claims["amr"].is_array());
    // The access token works at userinfo.
    let userinfo: Value = app
        .get_json(
            "/auth/open/connect/userinfo",
            Some(json["access_token"].as_str().unwrap()),
        )
        .await;
    assert_eq!(userinfo["sub"], MSISDN);
}

#[tokio::test]
async fn basic_auth_our_path_custom_text_and_language() {
    let app = TestApp::start().await;
    let (status, json) = token_at(
        &app,
        "/auth/open/connect/token",
        body(&[
            ("grant_type", SMS_GRANT),
            ("scope", "openid"),
            ("username", "+44 7911 123456"),
            ("x_globalsign_iam_otp_body", "Acme: {0} is your code"),
        ]),
        Some((UBI, UBI_SECRET)),
    )
    .await;
    assert_eq!(status, 200, "{json}");
    let text = app.gateway().last()["challenge"].clone();
    assert!(
        text.starts_with("Acme: ") && text.ends_with(" is your code"),
        "{text}"
    );
    let code = text.split(' ').nth(1).unwrap().to_owned();
    let (status, json) = token_at(
        &app,
        "/auth/open/connect/token",
        body(&[
            ("grant_type", SMS_GRANT),
            ("scope", "openid"),
            ("username", "+44 7911 123456"),
            ("x_globalsign_iam_reference_id", &reference(&json)),
            ("x_globalsign_iam_otp_code", &code),
        ]),
        Some((UBI, UBI_SECRET)),
    )
    .await;
    assert_eq!(status, 200, "{json}");
    // Written with a `+`, the subject keeps it.
    let claims = verified_claims(&app, json["id_token"].as_str().unwrap()).await;
    assert_eq!(claims["sub"], PHONE);

    let (status, _) = token(
        &app,
        body(&[
            ("grant_type", SMS_GRANT),
            ("scope", "openid"),
            ("username", MSISDN),
            ("ui_locales", "de"),
            ("client_id", UBI),
            ("client_secret", UBI_SECRET),
        ]),
    )
    .await;
    assert_eq!(status, 200);
    let text = app.gateway().last()["challenge"].clone();
    let code = text.rsplit(' ').next().unwrap();
    let german = idbroker::core::text::app_text(idbroker::core::lang::Lang::De, None, code);
    assert_eq!(text, german);
    assert_ne!(text, format!("Your one time password is {code}"));
}

#[tokio::test]
async fn references_are_single_use_and_bound_to_client_and_username() {
    let app = TestApp::start().await;
    let (_, json) = token(&app, first(SMS_GRANT, MSISDN, UBI)).await;
    let first_reference = reference(&json);
    let code = app.gateway().last()["challenge"]
        .rsplit(' ')
        .next()
        .unwrap()
        .to_owned();
    let wrong = if code == "000000" { "111111" } else { "000000" };

    // Another client, or another username, with this reference: refused, no new reference.
    for (client, username) in [(UBI2, MSISDN), (UBI, "358404134253")] {
        let (status, json) = token(
            &app,
            second(SMS_GRANT, username, client, &first_reference, &code),
        )
        .await;
        assert_eq!(
            (status, json["error"].as_str()),
            (400, Some("invalid_grant")),
            "{client} {username}"
        );
        assert!(json.get("x_globalsign_iam_challenge").is_none());
    }
    // A wrong code: invalid_grant with a fresh reference.
    let (status, json) = token(
        &app,
        second(SMS_GRANT, MSISDN, UBI, &first_reference, wrong),
    )
    .await;
    assert_eq!(
        (status, json["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let fresh = reference(&json);
    assert_ne!(fresh, first_reference);
    // The used reference is dead, even with the right code.
    let (status, json) = token(
        &app,
        second(SMS_GRANT, MSISDN, UBI, &first_reference, &code),
    )
    .await;
    assert_eq!(
        (status, json["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert!(json.get("x_globalsign_iam_challenge").is_none());
    // The fresh one works.
    let (status, _) = token(&app, second(SMS_GRANT, MSISDN, UBI, &fresh, &code)).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn an_expired_code_says_otp_expired_with_a_reference() {
    let app = TestApp::start().await;
    let (_, json) = token(&app, first(SMS_GRANT, MSISDN, UBI)).await;
    let code = app.gateway().last()["challenge"]
        .rsplit(' ')
        .next()
        .unwrap()
        .to_owned();
    app.advance(5 * 60);
    let (status, json) = token(
        &app,
        second(SMS_GRANT, MSISDN, UBI, &reference(&json), &code),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(json["error"], "invalid_grant");
    assert_eq!(json["error_description"], "OTP Expired");
    assert!(json["x_globalsign_iam_challenge"]["reference"].is_string());
}

#[tokio::test]
async fn five_wrong_codes_kill_the_chain() {
    let app = TestApp::start().await;
    let (_, json) = token(&app, first(SMS_GRANT, MSISDN, UBI)).await;
    let code = app.gateway().last()["challenge"]
        .rsplit(' ')
        .next()
        .unwrap()
        .to_owned();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let mut current = reference(&json);
    for _ in 0..5 {
        let (status, json) = token(&app, second(SMS_GRANT, MSISDN, UBI, &current, wrong)).await;
        assert_eq!(
            (status, json["error"].as_str()),
            (400, Some("invalid_grant"))
        );
        current = reference(&json);
    }
    let (status, json) = token(&app, second(SMS_GRANT, MSISDN, UBI, &current, &code)).await;
    assert_eq!(
        (status, json["error"].as_str()),
        (400, Some("invalid_grant")),
        "{json}"
    );
}

#[tokio::test]
async fn grants_are_off_unless_configured_and_need_the_right_secret() {
    let app = TestApp::start().await;
    let (status, json) = token(
        &app,
        body(&[
            ("grant_type", SMS_GRANT),
            ("scope", "openid"),
            ("username", MSISDN),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
        ]),
    )
    .await;
    assert_eq!(
        (status, json["error"].as_str()),
        (400, Some("unauthorized_client"))
    );
    let (status, json) = token(
        &app,
        body(&[
            ("grant_type", SMS_GRANT),
            ("scope", "openid"),
            ("username", MSISDN),
            ("client_id", UBI),
            ("client_secret", "wrong"),
        ]),
    )
    .await;
    assert_eq!(
        (status, json["error"].as_str()),
        (401, Some("invalid_client"))
    );
    // The e-mail grant needs an e-mail sender, which this broker lacks.
    let (status, json) = token(&app, first(EMAIL_GRANT, "kari@example.no", UBI)).await;
    assert_eq!(
        (status, json["error"].as_str()),
        (400, Some("unauthorized_client"))
    );
    assert_eq!(app.gateway().count(), 0);
}

#[tokio::test]
async fn bad_first_requests_send_nothing() {
    let app = TestApp::start().await;
    let cases = [
        (
            body(&[
                ("grant_type", SMS_GRANT),
                ("scope", "profile"),
                ("username", MSISDN),
                ("client_id", UBI),
                ("client_secret", UBI_SECRET),
            ]),
            "invalid_scope",
        ),
        (
            body(&[
                ("grant_type", SMS_GRANT),
                ("scope", "openid"),
                ("client_id", UBI),
                ("client_secret", UBI_SECRET),
            ]),
            "invalid_request",
        ),
        (
            body(&[
                ("grant_type", SMS_GRANT),
                ("scope", "openid"),
                ("username", "12"),
                ("client_id", UBI),
                ("client_secret", UBI_SECRET),
            ]),
            "invalid_request",
        ),
        (
            body(&[
                ("grant_type", SMS_GRANT),
                ("scope", "openid"),
                ("username", MSISDN),
                ("x_globalsign_iam_otp_body", "no placeholder"),
                ("client_id", UBI),
                ("client_secret", UBI_SECRET),
            ]),
            "invalid_request",
        ),
    ];
    for (request, error) in cases {
        let (status, json) = token(&app, request.clone()).await;
        assert_eq!(
            (status, json["error"].as_str()),
            (400, Some(error)),
            "{request}"
        );
    }
    assert_eq!(app.gateway().count(), 0);
}

/// The session id behind a reference, opened as only the broker (which knows the secret) can.
fn session_of(app: &TestApp, reference: &str) -> String {
    let keys = idbroker::core::keys::Keys::from_secret(
        app.config
            .server
            .secret_key
            .as_ref()
            .unwrap()
            .expose()
            .as_bytes(),
    );
    let identifier = format!("+{MSISDN}");
    let binding = idbroker::grants::reference::Binding {
        client_id: UBI,
        grant_type: SMS_GRANT,
        identifier: &identifier,
    };
    idbroker::grants::reference::open(&keys.token, reference, &binding)
        .expect("the broker opens its own reference")
        .0
}

#[tokio::test]
async fn a_direct_grant_has_no_sign_in_page() {
    let app = TestApp::start().await;
    let (_, json) = token(&app, first(SMS_GRANT, MSISDN, UBI)).await;
    let page = app
        .browser()
        .get(&login(&session_of(&app, &reference(&json))))
        .await;
    assert_eq!(page.status, 404);
}

/// The reference is opaque: it does not show the login session id (or anything readable).
#[tokio::test]
async fn a_reference_reveals_nothing_of_the_session() {
    let app = TestApp::start().await;
    let (_, json) = token(&app, first(SMS_GRANT, MSISDN, UBI)).await;
    let reference = reference(&json);
    let sid = session_of(&app, &reference);
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(&reference)
        .expect("base64url");
    assert!(serde_json::from_slice::<Value>(&raw).is_err());
    let text = String::from_utf8_lossy(&raw);
    assert!(!text.contains(&sid) && !text.contains("sid") && !reference.contains('.'));
    assert!(!reference.contains(&sid));
}

#[tokio::test]
async fn email_grant_over_real_smtp() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::with(|c| smtp_to(c, smtp.port)).await;
    let (status, json) = token(
        &app,
        body(&[
            ("grant_type", EMAIL_GRANT),
            ("scope", "openid"),
            ("username", " Kari@Example.NO "),
            ("x_globalsign_iam_otp_title", "Your Acme code"),
            ("x_globalsign_iam_otp_body", "Kode: {0}"),
            ("client_id", UBI),
            ("client_secret", UBI_SECRET),
        ]),
    )
    .await;
    assert_eq!(status, 200, "{json}");
    let (to, subject, text) = smtp.last();
    assert_eq!(to, "Kari@example.no");
    assert_eq!(subject, "Your Acme code");
    let code = text.trim_start_matches("Kode: ").to_owned();
    assert_eq!(text, format!("Kode: {code}"));
    let (status, json) = token(
        &app,
        second(
            EMAIL_GRANT,
            "Kari@Example.NO",
            UBI,
            &reference(&json),
            &code,
        ),
    )
    .await;
    assert_eq!(status, 200, "{json}");
    let claims = verified_claims(&app, json["id_token"].as_str().unwrap()).await;
    assert_eq!(claims["sub"], "Kari@example.no");
    assert_eq!(
        claims["otp-email.grant_type"],
        serde_json::json!([EMAIL_GRANT])
    );

    // Without a title or body: the localized defaults.
    token(
        &app,
        body(&[
            ("grant_type", EMAIL_GRANT),
            ("scope", "openid"),
            ("username", "kari@example.no"),
            ("ui_locales", "fi"),
            ("client_id", UBI),
            ("client_secret", UBI_SECRET),
        ]),
    )
    .await;
    let (_, subject, text) = smtp.last();
    let fi = idbroker::core::lang::Lang::Fi;
    assert_eq!(subject, idbroker::core::text::t(fi, "email-subject"));
    let code = text.rsplit(' ').next().unwrap();
    assert_eq!(text, idbroker::core::text::app_text(fi, None, code));
}

#[tokio::test]
async fn smtp_down_is_temporarily_unavailable() {
    let closed = free_port();
    let app = TestApp::with(|c| smtp_to(c, closed)).await;
    let (status, json) = token(&app, first(EMAIL_GRANT, "kari@example.no", UBI)).await;
    assert_eq!(
        (status, json["error"].as_str()),
        (503, Some("temporarily_unavailable")),
        "{json}"
    );
}
