//! The `otp-email` provider in the browser flow, delivered over real SMTP.

use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn email_login_through_oidc_with_localized_mail() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::with(|c| smtp_to(c, smtp.port)).await;
    let browser = app.browser();
    let url = app.authorize_url(&[
        ("client_id", CLIENT),
        ("redirect_uri", REDIRECT),
        ("response_type", "code"),
        ("scope", "openid email idp-id"),
        ("acr_values", "idp:otp-email"),
        ("ui_locales", "sv"),
        ("nonce", "n"),
    ]);
    let start = browser.get(&url).await;
    let login_path = start.location_path(&app.base);
    let page = browser.get(&login_path).await;
    assert!(
        page.body
            .contains(r#"<input type="email" id="email" name="email" autocomplete="email""#),
        "{}",
        page.body
    );
    let csrf = page.csrf();

    let refused = browser
        .post(
            &format!("{login_path}/email"),
            &[("csrf", &csrf), ("email", "not-an-address")],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(smtp.count(), 0);

    let sent = browser
        .post(
            &format!("{login_path}/email"),
            &[("csrf", &csrf), ("email", "Kari@Example.NO")],
        )
        .await;
    assert_eq!(sent.status, 303);
    let (to, subject, body) = smtp.last();
    let sv = idbroker::core::lang::Lang::Sv;
    assert_eq!(to, "Kari@example.no");
    assert_eq!(subject, idbroker::core::text::t(sv, "email-subject"));
    let code = digits_in(&body);
    assert_eq!(body, idbroker::core::text::email_text(sv, &code, 5).1);

    let code_page = browser.get(&login_path).await;
    assert!(code_page.body.contains("K•••@example.no"));
    let done = browser
        .post(
            &format!("{login_path}/otp"),
            &[("csrf", &csrf), ("otp", &code)],
        )
        .await;
    let location = done.location.unwrap();
    let code_param: String = url::Url::parse(&location)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    let tokens: serde_json::Value = app
        .api
        .post(app.url("/auth/open/connect/token"))
        .basic_auth(CLIENT, Some(SECRET))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code_param.as_str()),
            ("redirect_uri", REDIRECT),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let userinfo: serde_json::Value = app
        .get_json(
            "/auth/open/connect/userinfo",
            Some(tokens["access_token"].as_str().unwrap()),
        )
        .await;
    assert_eq!(userinfo["email"], "Kari@example.no");
    assert_eq!(userinfo["email_verified"], true);
    assert_eq!(userinfo["idp_issuer"], "otp-email");
    assert_eq!(userinfo["idp_id"], "Kari@example.no");
}

#[tokio::test]
async fn rest_sessions_choose_a_provider_and_release_the_email() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::with(|c| smtp_to(c, smtp.port)).await;
    let session = app
        .create(json!({"allowedProviders": ["otp-sms", "otp-email"], "requestedAttributes": ["email", "idpId"]}))
        .await;
    let id = session["id"].as_str().unwrap();
    let browser = app.browser();
    let choice = browser.get(&login(id)).await;
    assert!(
        choice.body.contains(r#"value="otp-sms""#) && choice.body.contains(r#"value="otp-email""#)
    );
    let csrf = choice.csrf();
    browser
        .post(
            &format!("{}/provider", login(id)),
            &[("csrf", &csrf), ("provider", "otp-email")],
        )
        .await;
    let page = browser.get(&login(id)).await;
    assert!(page.body.contains(r#"name="email""#));
    browser
        .post(
            &format!("{}/email", login(id)),
            &[("csrf", &csrf), ("email", "ola@example.com")],
        )
        .await;
    let (_, _, body) = smtp.last();
    let code = digits_in(&body);
    let done = browser
        .post(
            &format!("{}/otp", login(id)),
            &[("csrf", &csrf), ("otp", &code)],
        )
        .await;
    assert!(done.location.unwrap().starts_with(SUCCESS));
    let result = app.session(id).await;
    assert_eq!(result["provider"], "otp-email");
    assert_eq!(result["subject"]["email"], "ola@example.com");
    assert_eq!(result["subject"]["idpId"], "ola@example.com");
    assert!(result["subject"].get("phoneNumber").is_none());
}

#[tokio::test]
async fn smtp_down_is_a_failed_send_on_the_page() {
    let closed = free_port();
    let app = TestApp::with(|c| smtp_to(c, closed)).await;
    let session = app.create(json!({"allowedProviders": ["otp-email"]})).await;
    let id = session["id"].as_str().unwrap();
    let browser = app.browser();
    let page = browser.get(&login(id)).await;
    let answer = browser
        .post(
            &format!("{}/email", login(id)),
            &[("csrf", &page.csrf()), ("email", "ola@example.com")],
        )
        .await;
    assert_eq!(
        answer.location_path(&app.base),
        format!("{}?notice=send-failed", login(id))
    );
    assert_eq!(app.session(id).await["status"], "CREATED");
}
