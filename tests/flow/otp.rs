//! The OTP policy as a user meets it: wrong codes, expiry, resends, gateway trouble.

use serde_json::json;

use crate::browser::to_code_page;
use crate::common::*;

fn wrong(code: &str) -> String {
    // Same length, surely different.
    code.chars()
        .map(|c| if c == '0' { '1' } else { '0' })
        .collect()
}

#[tokio::test]
async fn five_wrong_codes_fail_the_session_and_burn_the_right_one() {
    let app = TestApp::start().await;
    let session = app.create(json!({})).await;
    let id = session["id"].as_str().unwrap();
    let (browser, csrf) = to_code_page(&app, &session).await;
    let code = app.gateway().last_code();
    let otp = format!("{}/otp", login(id));
    for remaining in (1..=4).rev() {
        let answer = browser
            .post(&otp, &[("csrf", &csrf), ("otp", &wrong(&code))])
            .await;
        assert_eq!(answer.status, 303);
        assert_eq!(
            answer.location_path(&app.base),
            format!("{}?notice=wrong-code", login(id))
        );
        let page = browser.get(&answer.location_path(&app.base)).await;
        let expected = if remaining == 1 {
            "You have one attempt left.".to_owned()
        } else {
            format!("You have {remaining} attempts left.")
        };
        assert!(page.body.contains(&expected), "{remaining}: {}", page.body);
    }
    let last = browser
        .post(&otp, &[("csrf", &csrf), ("otp", &wrong(&code))])
        .await;
    assert_eq!(
        last.location.as_deref(),
        Some(format!("{ERROR}?sessionId={id}").as_str())
    );
    let result = app.session(id).await;
    assert_eq!(result["status"], "ERROR");
    assert_eq!(result["error"]["code"], "too_many_attempts");
    assert!(result.get("subject").is_none());
    // The right code no longer helps.
    browser.post(&otp, &[("csrf", &csrf), ("otp", &code)]).await;
    assert_eq!(app.session(id).await["status"], "ERROR");
}

#[tokio::test]
async fn malformed_codes_do_not_count() {
    let app = TestApp::start().await;
    let session = app.create(json!({})).await;
    let id = session["id"].as_str().unwrap();
    let (browser, csrf) = to_code_page(&app, &session).await;
    let otp = format!("{}/otp", login(id));
    for _ in 0..10 {
        let answer = browser
            .post(&otp, &[("csrf", &csrf), ("otp", "12ab")])
            .await;
        assert_eq!(
            answer.location_path(&app.base),
            format!("{}?notice=malformed", login(id))
        );
    }
    let code = app.gateway().last_code();
    // Spaces people type are fine.
    let spaced = format!("{} {}", &code[..3], &code[3..]);
    let done = browser
        .post(&otp, &[("csrf", &csrf), ("otp", &spaced)])
        .await;
    assert!(done.location.unwrap().starts_with(SUCCESS));
}

#[tokio::test]
async fn codes_expire_after_five_minutes() {
    let app = TestApp::start().await;
    let session = app.create(json!({})).await;
    let id = session["id"].as_str().unwrap();
    let (browser, csrf) = to_code_page(&app, &session).await;
    let code = app.gateway().last_code();
    app.advance(5 * 60);
    let answer = browser
        .post(
            &format!("{}/otp", login(id)),
            &[("csrf", &csrf), ("otp", &code)],
        )
        .await;
    assert_eq!(
        answer.location_path(&app.base),
        format!("{}?notice=code-expired", login(id))
    );
    let page = browser.get(&answer.location_path(&app.base)).await;
    assert!(page.body.contains("This code has expired"));
    assert_eq!(app.session(id).await["status"], "CREATED");
    // A new code works.
    let resent = browser
        .post(&format!("{}/resend", login(id)), &[("csrf", &csrf)])
        .await;
    assert_eq!(
        resent.location_path(&app.base),
        format!("{}?notice=resent", login(id))
    );
    let fresh = app.gateway().last_code();
    let done = browser
        .post(
            &format!("{}/otp", login(id)),
            &[("csrf", &csrf), ("otp", &fresh)],
        )
        .await;
    assert!(done.location.unwrap().starts_with(SUCCESS));
}

#[tokio::test]
async fn sessions_expire_and_say_so() {
    let app = TestApp::start().await;
    let session = app.create(json!({})).await;
    let id = session["id"].as_str().unwrap();
    let (browser, csrf) = to_code_page(&app, &session).await;
    let code = app.gateway().last_code();
    app.advance(15 * 60);
    let answer = browser
        .post(
            &format!("{}/otp", login(id)),
            &[("csrf", &csrf), ("otp", &code)],
        )
        .await;
    assert_eq!(answer.status, 303);
    let page = browser.get(&login(id)).await;
    assert_eq!(page.status, 410);
    assert!(page.body.contains("This sign-in has expired"));
    assert!(page.body.contains(&format!("{ERROR}?sessionId={id}")));
    assert_eq!(app.session(id).await["status"], "EXPIRED");
}

#[tokio::test]
async fn resend_honours_cooldown_and_limit_and_replaces_the_code() {
    let app = TestApp::start().await;
    let session = app.create(json!({})).await;
    let id = session["id"].as_str().unwrap();
    let (browser, csrf) = to_code_page(&app, &session).await;
    let first = app.gateway().last_code();
    let resend = format!("{}/resend", login(id));

    let early = browser.post(&resend, &[("csrf", &csrf)]).await;
    assert_eq!(
        early.location_path(&app.base),
        format!("{}?notice=cooldown", login(id))
    );
    let page = browser.get(&early.location_path(&app.base)).await;
    assert!(
        page.body
            .contains("You can ask for a new code in 30 seconds."),
        "{}",
        page.body
    );
    assert_eq!(app.gateway().count(), 1);

    app.advance(30);
    assert_eq!(
        browser
            .post(&resend, &[("csrf", &csrf)])
            .await
            .location_path(&app.base),
        format!("{}?notice=resent", login(id))
    );
    assert_eq!(app.gateway().count(), 2);
    let second = app.gateway().last_code();

    app.advance(30);
    browser.post(&resend, &[("csrf", &csrf)]).await;
    assert_eq!(app.gateway().count(), 3);
    let third = app.gateway().last_code();

    app.advance(30);
    let limited = browser.post(&resend, &[("csrf", &csrf)]).await;
    assert_eq!(
        limited.location_path(&app.base),
        format!("{}?notice=send-limit", login(id))
    );
    assert_eq!(app.gateway().count(), 3);
    let page = browser.get(&login(id)).await;
    assert!(page.body.contains("No more codes can be sent"));
    assert!(page.body.contains("disabled>"));

    // Earlier codes were replaced by the newest one.
    let otp = format!("{}/otp", login(id));
    for old in [&first, &second] {
        if old != &third {
            let answer = browser.post(&otp, &[("csrf", &csrf), ("otp", old)]).await;
            assert!(answer.location.unwrap().contains("wrong-code"));
        }
    }
    let done = browser
        .post(&otp, &[("csrf", &csrf), ("otp", &third)])
        .await;
    assert!(done.location.unwrap().starts_with(SUCCESS));
}

#[tokio::test]
async fn reloading_pages_never_sends_another_message() {
    let app = TestApp::start().await;
    let session = app.create(json!({})).await;
    let id = session["id"].as_str().unwrap();
    let (browser, _) = to_code_page(&app, &session).await;
    app.advance(60);
    for _ in 0..5 {
        assert_eq!(browser.get(&login(id)).await.status, 200);
        browser.get(&format!("{}?notice=resent", login(id))).await;
    }
    assert_eq!(app.gateway().count(), 1);
}

#[tokio::test]
async fn gateway_failure_is_reported_and_the_session_survives() {
    let app = TestApp::start().await;
    let session = app.create(json!({})).await;
    let id = session["id"].as_str().unwrap();
    let browser = app.browser();
    let page = browser.get(&login(id)).await;
    app.gateway().set(GatewayMode::Status(500));
    let answer = browser
        .post(
            &format!("{}/phone", login(id)),
            &[("csrf", &page.csrf()), ("phone_number", PHONE)],
        )
        .await;
    assert_eq!(
        answer.location_path(&app.base),
        format!("{}?notice=send-failed", login(id))
    );
    let retry_page = browser.get(&answer.location_path(&app.base)).await;
    assert!(retry_page.body.contains("We could not send the code"));
    // The number is kept for the retry.
    assert!(retry_page.body.contains(PHONE));
    assert_eq!(app.session(id).await["status"], "CREATED");

    // Retry at once (no cooldown for a send that failed); it works once the gateway is back.
    app.gateway().set(GatewayMode::Ok);
    let retried = browser
        .post(
            &format!("{}/phone", login(id)),
            &[("csrf", &page.csrf()), ("phone_number", PHONE)],
        )
        .await;
    assert_eq!(retried.location_path(&app.base), login(id));
    assert_eq!(app.gateway().count(), 1);
    let code_page = browser.get(&login(id)).await;
    assert!(code_page.body.contains("name=\"otp\""));
}

#[tokio::test]
async fn gateway_timeout_is_a_failed_send() {
    let app = TestApp::start().await;
    let session = app.create(json!({})).await;
    let id = session["id"].as_str().unwrap();
    let browser = app.browser();
    let page = browser.get(&login(id)).await;
    app.gateway().set(GatewayMode::Hang);
    let started = std::time::Instant::now();
    let answer = browser
        .post(
            &format!("{}/phone", login(id)),
            &[("csrf", &page.csrf()), ("phone_number", PHONE)],
        )
        .await;
    assert_eq!(
        answer.location_path(&app.base),
        format!("{}?notice=send-failed", login(id))
    );
    // The configured timeout (1 s here), not the gateway's 30 s stall, decided.
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(app.gateway().count(), 0);
}

#[tokio::test]
async fn unreachable_gateway_is_a_failed_send() {
    let app = TestApp::with(|c| {
        c.sms.url = Some("http://127.0.0.1:9/send?to={mobile}&m={challenge}".into())
    })
    .await;
    let session = app.create(json!({})).await;
    let id = session["id"].as_str().unwrap();
    let browser = app.browser();
    let page = browser.get(&login(id)).await;
    let answer = browser
        .post(
            &format!("{}/phone", login(id)),
            &[("csrf", &page.csrf()), ("phone_number", PHONE)],
        )
        .await;
    assert_eq!(
        answer.location_path(&app.base),
        format!("{}?notice=send-failed", login(id))
    );
}

#[tokio::test]
async fn code_length_is_configurable() {
    let app = TestApp::with(|c| c.otp.length = 8).await;
    let session = app.create(json!({})).await;
    to_code_page(&app, &session).await;
    assert_eq!(app.gateway().last_code().len(), 8);
}
