//! The whole REST + browser flow, and what the pages promise.

use serde_json::{Value, json};

use crate::common::*;

/// Drives a session to the code page; returns the browser and the code page's CSRF token.
pub async fn to_code_page(app: &TestApp, session: &Value) -> (Browser, String) {
    let browser = app.browser();
    let id = session["id"].as_str().unwrap();
    let phone_page = browser
        .get(session["authenticationUrl"].as_str().unwrap())
        .await;
    assert_eq!(phone_page.status, 200, "{}", phone_page.body);
    assert!(
        phone_page
            .body
            .contains(r#"type="tel" id="phone_number" name="phone_number" autocomplete="tel""#)
    );
    let sent = browser
        .post(
            &format!("{}/phone", login(id)),
            &[
                ("csrf", &phone_page.csrf()),
                ("phone_number", "07911 123456"),
            ],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert_eq!(sent.location_path(&app.base), login(id));
    let code_page = browser.get(&login(id)).await;
    assert_eq!(code_page.status, 200);
    assert!(
        code_page
            .body
            .contains(r#"name="otp" autocomplete="one-time-code" inputmode="numeric""#)
    );
    let csrf = code_page.csrf();
    (browser, csrf)
}

#[tokio::test]
async fn full_flow_through_the_http_gateway() {
    let app = TestApp::start().await;
    let session = app.create(json!({})).await;
    let id = session["id"].as_str().unwrap();
    assert_eq!(session["status"], "CREATED");
    assert!(session["expiresAt"].as_str().unwrap().ends_with('Z'));
    assert_eq!(session["callbackUrls"]["success"], SUCCESS);
    assert_eq!(
        session["additionalParameters"]["otp_sms_sender"],
        "Acme Bank"
    );

    let (browser, csrf) = to_code_page(&app, &session).await;
    let sms = app.gateway().last();
    assert_eq!(sms["to"], PHONE);
    assert_eq!(sms["from"], "Acme Bank");
    let host = "127.0.0.1";
    let text = &sms["challenge"];
    let code = app.gateway().last_code();
    assert!(text.starts_with("Acme Bank: "), "{text}");
    assert!(text.contains(&code));
    assert!(text.ends_with(&format!("\n@{host} #{code}")), "{text}");
    assert_eq!(code.len(), 6);

    let done = browser
        .post(
            &format!("{}/otp", login(id)),
            &[("csrf", &csrf), ("otp", &code)],
        )
        .await;
    assert_eq!(done.status, 303);
    assert_eq!(
        done.location.as_deref(),
        Some(format!("{SUCCESS}?sessionId={id}").as_str())
    );

    let result = app.session(id).await;
    assert_eq!(result["status"], "SUCCESS");
    assert_eq!(result["provider"], "otp-sms");
    assert_eq!(result["subject"]["idpId"], PHONE);
    assert_eq!(result["subject"]["phoneNumber"], PHONE);
    let subject_id = result["subject"]["id"].as_str().unwrap();
    assert!(!subject_id.contains("7911123456"));

    // The same code cannot be used twice, and the finished page sends the browser on again.
    let again = browser
        .post(
            &format!("{}/otp", login(id)),
            &[("csrf", &csrf), ("otp", &code)],
        )
        .await;
    assert_eq!(again.status, 303);
    let revisit = browser.get(&login(id)).await;
    assert_eq!(
        revisit.location.as_deref(),
        Some(format!("{SUCCESS}?sessionId={id}").as_str())
    );
    assert_eq!(app.gateway().count(), 1);
}

#[tokio::test]
async fn full_flow_through_the_dev_outbox() {
    let app = TestApp::with_outbox().await;
    let session = app
        .create(json!({"requestedAttributes": ["phoneNumber"]}))
        .await;
    let id = session["id"].as_str().unwrap();
    let (browser, csrf) = to_code_page(&app, &session).await;
    let outbox = app.outbox().await;
    let message = &outbox[0];
    assert_eq!(message["recipient"], PHONE);
    assert!(message["time"].as_str().is_some());
    let code = code_of(message["text"].as_str().unwrap());
    let html = app
        .api
        .get(app.url("/dev/outbox"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&code));
    let done = browser
        .post(
            &format!("{}/otp", login(id)),
            &[("csrf", &csrf), ("otp", &code)],
        )
        .await;
    assert_eq!(
        done.location.as_deref(),
        Some(format!("{SUCCESS}?sessionId={id}").as_str())
    );
    let result = app.session(id).await;
    // Only what was asked for is released.
    assert_eq!(result["subject"]["phoneNumber"], PHONE);
    assert!(result["subject"].get("idpId").is_none());
}

#[tokio::test]
async fn outbox_does_not_exist_beside_a_real_gateway() {
    let app = TestApp::start().await;
    for path in ["/dev/outbox", "/dev/outbox.json"] {
        let response = app.api.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn subject_id_is_stable_for_the_same_number() {
    let app = TestApp::start().await;
    let mut ids = Vec::new();
    for _ in 0..2 {
        let session = app.create(json!({})).await;
        let id = session["id"].as_str().unwrap();
        let (browser, csrf) = to_code_page(&app, &session).await;
        let code = app.gateway().last_code();
        browser
            .post(
                &format!("{}/otp", login(id)),
                &[("csrf", &csrf), ("otp", &code)],
            )
            .await;
        ids.push(
            app.session(id).await["subject"]["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    assert_eq!(ids[0], ids[1]);
}

#[tokio::test]
async fn invalid_phone_number_sends_nothing() {
    let app = TestApp::start().await;
    let session = app.create(json!({})).await;
    let id = session["id"].as_str().unwrap();
    let browser = app.browser();
    let page = browser.get(&login(id)).await;
    for bad in ["12345", "not a number", "+44 1", &"9".repeat(500)] {
        let answer = browser
            .post(
                &format!("{}/phone", login(id)),
                &[("csrf", &page.csrf()), ("phone_number", bad)],
            )
            .await;
        assert_eq!(answer.status, 422, "{bad}");
        assert!(answer.body.contains("That is not a valid mobile number"));
        assert!(answer.body.contains(r#"aria-invalid="true""#));
    }
    assert_eq!(app.gateway().count(), 0);
    // The session is not burned: a good number still works.
    let ok = browser
        .post(
            &format!("{}/phone", login(id)),
            &[("csrf", &page.csrf()), ("phone_number", PHONE)],
        )
        .await;
    assert_eq!(ok.status, 303);
    assert_eq!(app.gateway().count(), 1);
}

#[tokio::test]
async fn forms_without_the_right_csrf_token_are_refused() {
    let app = TestApp::start().await;
    let session = app.create(json!({})).await;
    let id = session["id"].as_str().unwrap();
    let browser = app.browser();
    browser.get(&login(id)).await;
    for form in [
        vec![("phone_number", PHONE)],
        vec![("csrf", "forged"), ("phone_number", PHONE)],
    ] {
        let answer = browser.post(&format!("{}/phone", login(id)), &form).await;
        assert_eq!(answer.status, 403);
        assert!(answer.body.contains("The form was out of date"));
    }
    let cancel = browser
        .post(&format!("{}/cancel", login(id)), &[("csrf", "forged")])
        .await;
    assert_eq!(cancel.status, 403);
    assert_eq!(app.gateway().count(), 0);
    assert_eq!(app.session(id).await["status"], "CREATED");
}

/// The out-of-date form's page offers what its text asks for: its button says so, in the
/// session's language, and opens the sign-in page again, whose fresh form is accepted.
#[tokio::test]
async fn an_out_of_date_form_offers_to_try_again() {
    let app = TestApp::start().await;
    for (language, label) in [("en", "Try again"), ("de", "Erneut versuchen")] {
        let flow = Flow::open(&app, json!({"language": language})).await;
        let stale = flow
            .browser
            .post(
                &flow.path("/phone"),
                &[("csrf", "stale"), ("phone_number", PHONE)],
            )
            .await;
        assert_eq!(stale.status, 403);
        let button = format!(r#"<a class="button" href="{}">{label}</a>"#, flow.path(""));
        assert!(stale.body.contains(&button), "{language}: {}", stale.body);
        assert!(!stale.body.contains("Back to the service"), "{language}");

        let again = flow.browser.get(&flow.path("")).await;
        assert_eq!(again.status, 200);
        let sent = flow
            .browser
            .post(
                &flow.path("/phone"),
                &[("csrf", &again.csrf()), ("phone_number", PHONE)],
            )
            .await;
        assert_eq!(sent.status, 303, "{language}: {}", sent.body);
        assert_eq!(sent.location_path(&app.base), flow.path(""));
    }
    assert_eq!(app.gateway().count(), 2);
}

#[tokio::test]
async fn a_second_browser_is_turned_away() {
    let app = TestApp::start().await;
    let session = app.create(json!({})).await;
    let url = session["authenticationUrl"].as_str().unwrap();
    let first = app.browser();
    assert_eq!(first.get(url).await.status, 200);
    let second = app.browser();
    let refused = second.get(url).await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("started in another browser"));
    // A post from a browser without the cookie is refused too, even with a valid token.
    let csrf = first.get(url).await.csrf();
    let id = session["id"].as_str().unwrap();
    let post = app
        .api
        .post(app.url(&format!("{}/phone", login(id))))
        .form(&[("csrf", csrf.as_str()), ("phone_number", PHONE)])
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 403);
    assert_eq!(app.gateway().count(), 0);
}

#[tokio::test]
async fn pages_carry_the_security_headers_and_strict_cookies() {
    let app = TestApp::start().await;
    let session = app.create(json!({})).await;
    let page = app
        .browser()
        .get(session["authenticationUrl"].as_str().unwrap())
        .await;
    let h = |name: &str| {
        page.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    assert!(h("content-security-policy").contains("frame-ancestors 'none'"));
    assert_eq!(h("x-frame-options"), "DENY");
    assert_eq!(h("cache-control"), "no-store");
    assert_eq!(h("referrer-policy"), "same-origin");
    let cookie = h("set-cookie");
    assert!(cookie.starts_with("idb_browser="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain-http dev origin: {cookie}"
    );

    let https = TestApp::with(|c| c.server.public_url = "https://id.example.com".into()).await;
    let session = https.create(json!({})).await;
    let id = session["id"].as_str().unwrap();
    assert_eq!(
        session["authenticationUrl"],
        format!("https://id.example.com/auth/login/{id}")
    );
    let page = https.browser().get(&login(id)).await;
    let cookie = page.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test]
async fn cancel_goes_back_to_the_abort_callback() {
    let app = TestApp::start().await;
    let session = app.create(json!({})).await;
    let id = session["id"].as_str().unwrap();
    let browser = app.browser();
    let page = browser.get(&login(id)).await;
    let cancelled = browser
        .post(&format!("{}/cancel", login(id)), &[("csrf", &page.csrf())])
        .await;
    assert_eq!(cancelled.status, 303);
    let next = onward(&browser, &login(id)).await;
    assert_eq!(
        next.location.as_deref(),
        Some(format!("{ABORT}?sessionId={id}").as_str())
    );
    assert_eq!(app.session(id).await["status"], "ABORT");
}

#[tokio::test]
async fn unknown_and_malformed_login_links_get_a_page() {
    let app = TestApp::start().await;
    let browser = app.browser();
    for path in [
        "/auth/login/00000000-0000-4000-8000-000000000000".to_owned(),
        "/auth/login/not-a-session".to_owned(),
        "/auth/login/%ff%fe".to_owned(),
        format!("/auth/login/{}", "x".repeat(5000)),
    ] {
        let page = browser.get(&path).await;
        assert_eq!(page.status, 404, "{path}");
        assert!(page.body.contains("This sign-in link is not valid"));
    }
}

#[tokio::test]
async fn concurrent_right_codes_succeed_exactly_once() {
    let app = TestApp::start().await;
    let session = app.create(json!({})).await;
    let id = session["id"].as_str().unwrap().to_owned();
    let (browser, csrf) = to_code_page(&app, &session).await;
    let code = app.gateway().last_code();
    let client = browser.client.clone();
    let url = app.url(&format!("{}/otp", login(&id)));
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let (client, url, csrf, code) =
                (client.clone(), url.clone(), csrf.clone(), code.clone());
            tokio::spawn(async move {
                let r = client
                    .post(url)
                    .form(&[("csrf", csrf), ("otp", code)])
                    .send()
                    .await
                    .unwrap();
                r.headers()
                    .get("location")
                    .map(|l| l.to_str().unwrap().to_owned())
            })
        })
        .collect();
    let mut successes = 0;
    for t in tasks {
        if t.await.unwrap().is_some_and(|l| l.starts_with(SUCCESS)) {
            successes += 1;
        }
    }
    // Exactly one request turned the code into a login; the rest found the session done and
    // were sent to the login page, which then forwards them too.
    assert_eq!(successes, 1);
    assert_eq!(app.session(&id).await["status"], "SUCCESS");
}
