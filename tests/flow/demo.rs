//! The dev defaults a newcomer meets with `make run`: demo page, outbox, a whole login.

use crate::common::*;

#[tokio::test]
async fn a_newcomer_completes_a_login_from_the_demo_page() {
    let app = TestApp::dev_defaults().await;
    let browser = app.browser();
    let home = browser.get("/").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("action=\"/demo/start\""));
    assert!(home.body.contains("/dev/outbox"));

    let started = browser
        .post("/demo/start", &[("language", "nb"), ("mobile", "")])
        .await;
    assert_eq!(started.status, 303, "{}", started.body);
    let auth_url = started.location.clone().unwrap();
    assert!(auth_url.starts_with(&app.url("/auth/login/")), "{auth_url}");
    let id = auth_url.rsplit('/').next().unwrap().to_owned();

    // The demo client may use both providers, so the user chooses.
    let choice = browser.get(&auth_url).await;
    assert!(choice.body.contains("<html lang=\"nb\">"));
    assert!(choice.body.contains(r#"name="provider" value="otp-email""#));
    let chosen = browser
        .post(
            &format!("{}/provider", login(&id)),
            &[("csrf", &choice.csrf()), ("provider", "otp-sms")],
        )
        .await;
    assert_eq!(chosen.status, 303);
    let phone_page = browser.get(&auth_url).await;
    assert!(phone_page.body.contains(r#"name="phone_number""#));
    browser
        .post(
            &format!("{}/phone", login(&id)),
            &[
                ("csrf", &phone_page.csrf()),
                ("phone_number", "+47 412 34 567"),
            ],
        )
        .await;
    let outbox = app.outbox().await;
    assert_eq!(outbox[0]["recipient"], "+4741234567");
    assert_eq!(outbox[0]["sender"], "idbroker");
    let code = code_of(outbox[0]["text"].as_str().unwrap());
    let code_page = browser.get(&login(&id)).await;
    let done = browser
        .post(
            &format!("{}/otp", login(&id)),
            &[("csrf", &code_page.csrf()), ("otp", &code)],
        )
        .await;
    let callback = done.location.unwrap();
    assert_eq!(
        callback,
        app.url(&format!("/demo/callback/success?sessionId={id}"))
    );

    let result = browser.get(&callback).await;
    assert_eq!(result.status, 200);
    assert!(result.body.contains("Result: SUCCESS"), "{}", result.body);
    assert!(result.body.contains("+4741234567"));
}

#[tokio::test]
async fn the_demo_client_works_over_the_api_with_its_documented_secret() {
    let app = TestApp::dev_defaults().await;
    let token = app.token_for("demo", "demo-secret").await;
    let [success, abort, error] =
        idbroker::dev::demo_callbacks(&url::Url::parse(&app.base).unwrap());
    let body =
        serde_json::json!({"callbackUrls": {"success": success, "abort": abort, "error": error}});
    let (status, json) = app.create_raw(&token, &body).await;
    assert_eq!(status, 201, "{json}");
}

#[tokio::test]
async fn the_demo_page_confirms_a_payment() {
    let app = TestApp::dev_defaults().await;
    let browser = app.browser();
    let home = browser.get("/").await;
    assert!(home.body.contains("action=\"/demo/confirm\""));
    let started = browser
        .post(
            "/demo/confirm",
            &[
                ("mobile", "+47 412 34 567"),
                ("amount", "99.9"),
                ("currency", "NOK"),
                ("payee", "Demo Shop"),
            ],
        )
        .await;
    assert_eq!(started.status, 303, "{}", started.body);
    let auth_url = started.location.clone().unwrap();
    let id = auth_url.rsplit('/').next().unwrap().to_owned();
    let page = browser.get(&auth_url).await;
    assert!(page.body.contains("99.90 NOK"), "{}", page.body);
    browser
        .post(&format!("{}/phone", login(&id)), &[("csrf", &page.csrf())])
        .await;
    let outbox = app.outbox().await;
    assert_eq!(outbox[0]["recipient"], "+4741234567");
    let text = outbox[0]["text"].as_str().unwrap();
    assert!(
        text.contains("99.90 NOK") && text.contains("Demo Shop"),
        "{text}"
    );
    let done = browser
        .post(
            &format!("{}/otp", login(&id)),
            &[("csrf", &page.csrf()), ("otp", &code_of(text))],
        )
        .await;
    let result = browser.get(&done.location.unwrap()).await;
    assert!(result.body.contains("Result: SUCCESS"), "{}", result.body);
    assert!(result.body.contains("&#34;digest&#34;"), "{}", result.body);
}

#[tokio::test]
async fn the_dev_defaults_serve_the_hid_api_with_the_documented_clients() {
    let app = TestApp::dev_defaults().await;
    let (status, json) =
        crate::hid::client_token(&app, "tdemo", "hid-admin", "hid-admin-secret").await;
    assert_eq!(status, 200, "{json}");
    let token = json["access_token"].as_str().unwrap();
    let (status, list) = crate::hid::scim(
        &app,
        reqwest::Method::POST,
        "/scim/tdemo/v2/Users/.search",
        Some(token),
        Some(serde_json::json!({"filter": "userName eq nobody"})),
    )
    .await;
    assert_eq!((status, list["totalResults"].as_i64()), (200, Some(0)));
}

/// The demo client's way back from error pages is the demo page under the public URL, which
/// the tests set to their own listener (not the dev defaults' 127.0.0.1:8080); a `home_url`
/// in its branding still wins.
#[tokio::test]
async fn the_demo_clients_way_back_follows_the_public_url() {
    async fn way_back(app: &TestApp) -> String {
        let started = app
            .browser()
            .post("/demo/start", &[("language", "en"), ("mobile", "")])
            .await;
        let auth_url = started.location.expect("a redirect to the login page");
        assert_eq!(app.browser().get(&auth_url).await.status, 200);
        // Another browser is turned away, on a page that names the service and its home.
        let refused = app.browser().get(&auth_url).await;
        assert_eq!(refused.status, 403);
        let marker = r#"<a class="button" href=""#;
        let start = refused.body.find(marker).expect("a way back") + marker.len();
        let (href, rest) = refused.body[start..].split_once("\">").unwrap();
        assert!(rest.starts_with("Back to Demo Shop</a>"), "{rest}");
        href.to_owned()
    }

    let app = TestApp::dev_defaults().await;
    assert!(!app.base.ends_with(":8080"), "{}", app.base);
    assert_eq!(way_back(&app).await, app.url("/"));

    let set = TestApp::dev_defaults_with(|c| {
        let demo = c
            .clients
            .iter_mut()
            .find(|c| c.client_id == "demo")
            .unwrap();
        demo.branding.home_url = Some("https://shop.example/".into());
    })
    .await;
    assert_eq!(way_back(&set).await, "https://shop.example/");
}
