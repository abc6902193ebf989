//! The OTP policy as a user meets it: wrong codes, expiry, resends, gateway trouble.

use serde_json::json;

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
    let flow = Flow::to_code(&app).await;
    let code = app.gateway().last_code();
    for remaining in (1..=4).rev() {
        let answer = flow.code(&wrong(&code)).await;
        assert_eq!(answer.location_path(&app.base), flow.notice("wrong-code"));
        let page = flow.browser.get(&flow.notice("wrong-code")).await;
        let expected = match remaining {
            1 => "You have one attempt left.".to_owned(),
            n => format!("You have {n} attempts left."),
        };
        assert!(page.body.contains(&expected), "{remaining}: {}", page.body);
    }
    // Our page says why, then its form goes on to the error callback.
    let last = flow.code(&wrong(&code)).await;
    assert_eq!(last.location_path(&app.base), login(&flow.id));
    let last = onward(&flow.browser, &login(&flow.id)).await;
    assert_eq!(last.location, Some(flow.callback(ERROR)));
    let result = app.session(&flow.id).await;
    assert_eq!(result["status"], "ERROR");
    assert_eq!(result["error"]["code"], "too_many_attempts");
    assert!(result.get("subject").is_none());
    // The right code no longer helps.
    flow.code(&code).await;
    assert_eq!(flow.status().await, "ERROR");
}

#[tokio::test]
async fn malformed_codes_do_not_count() {
    let app = TestApp::start().await;
    let flow = Flow::to_code(&app).await;
    for _ in 0..10 {
        let answer = flow.code("12ab").await;
        assert_eq!(answer.location_path(&app.base), flow.notice("malformed"));
    }
    let code = app.gateway().last_code();
    // Spaces people type are fine.
    let done = flow.code(&format!("{} {}", &code[..3], &code[3..])).await;
    assert_eq!(done.location, Some(flow.callback(SUCCESS)));
}

#[tokio::test]
async fn codes_expire_after_five_minutes() {
    let app = TestApp::start().await;
    let flow = Flow::to_code(&app).await;
    let code = app.gateway().last_code();
    app.advance(5 * 60);
    let answer = flow.code(&code).await;
    assert_eq!(answer.location_path(&app.base), flow.notice("code-expired"));
    let page = flow.browser.get(&flow.notice("code-expired")).await;
    assert!(page.body.contains("This code has expired"));
    assert_eq!(flow.status().await, "CREATED");
    // A new code works.
    assert_eq!(
        flow.resend().await.location_path(&app.base),
        flow.notice("resent")
    );
    let done = flow.code(&app.gateway().last_code()).await;
    assert_eq!(done.location, Some(flow.callback(SUCCESS)));
}

#[tokio::test]
async fn sessions_expire_and_say_so() {
    let app = TestApp::start().await;
    let flow = Flow::to_code(&app).await;
    let code = app.gateway().last_code();
    app.advance(15 * 60);
    assert_eq!(flow.code(&code).await.status, 303);
    let page = flow.page().await;
    assert_eq!(page.status, 410);
    assert!(page.body.contains("This sign-in has expired"));
    assert!(page.body.contains(&flow.callback(ERROR)));
    assert_eq!(flow.status().await, "EXPIRED");
}

#[tokio::test]
async fn resend_honours_cooldown_and_limit_and_replaces_the_code() {
    let app = TestApp::start().await;
    let flow = Flow::to_code(&app).await;
    let first = app.gateway().last_code();

    let early = flow.resend().await;
    assert_eq!(early.location_path(&app.base), flow.notice("cooldown"));
    let page = flow.browser.get(&flow.notice("cooldown")).await;
    assert!(
        page.body
            .contains("You can ask for a new code in 30 seconds.")
    );
    assert_eq!(app.gateway().count(), 1);

    app.advance(30);
    assert_eq!(
        flow.resend().await.location_path(&app.base),
        flow.notice("resent")
    );
    assert_eq!(app.gateway().count(), 2);
    let second = app.gateway().last_code();

    app.advance(30);
    flow.resend().await;
    assert_eq!(app.gateway().count(), 3);
    let third = app.gateway().last_code();

    app.advance(30);
    assert_eq!(
        flow.resend().await.location_path(&app.base),
        flow.notice("send-limit")
    );
    assert_eq!(app.gateway().count(), 3);
    let page = flow.page().await;
    assert!(page.body.contains("No more codes can be sent"));
    assert!(page.body.contains("disabled>"));

    // Earlier codes were replaced by the newest one.
    for old in [&first, &second] {
        if old != &third {
            let answer = flow.code(old).await;
            assert_eq!(answer.location_path(&app.base), flow.notice("wrong-code"));
        }
    }
    assert_eq!(
        flow.code(&third).await.location,
        Some(flow.callback(SUCCESS))
    );
}

#[tokio::test]
async fn reloading_pages_never_sends_another_message() {
    let app = TestApp::start().await;
    let flow = Flow::to_code(&app).await;
    app.advance(60);
    for _ in 0..5 {
        assert_eq!(flow.page().await.status, 200);
        flow.browser.get(&flow.notice("resent")).await;
    }
    assert_eq!(app.gateway().count(), 1);
}

#[tokio::test]
async fn gateway_failure_is_reported_and_the_session_survives() {
    let app = TestApp::start().await;
    let flow = Flow::open(&app, json!({})).await;
    app.gateway().set(GatewayMode::Status(500));
    let answer = flow.phone(PHONE).await;
    assert_eq!(answer.location_path(&app.base), flow.notice("send-failed"));
    let retry_page = flow.browser.get(&flow.notice("send-failed")).await;
    assert!(retry_page.body.contains("We could not send the code"));
    // The number is kept for the retry.
    assert!(retry_page.body.contains(PHONE));
    assert_eq!(flow.status().await, "CREATED");

    // Retry at once (no cooldown for a send that failed); it works once the gateway is back.
    app.gateway().set(GatewayMode::Ok);
    assert_eq!(
        flow.phone(PHONE).await.location_path(&app.base),
        flow.path("")
    );
    assert_eq!(app.gateway().count(), 1);
    assert!(flow.page().await.body.contains("name=\"otp\""));
}

#[tokio::test]
async fn gateway_timeout_is_a_failed_send_and_the_user_can_retry() {
    // One send allowed, and a resend cooldown: a failed send that counted would block the retry.
    let app = TestApp::with(|c| c.otp.max_sends = 1).await;
    let flow = Flow::open(&app, json!({})).await;
    app.gateway().set(GatewayMode::Hang);
    let started = std::time::Instant::now();
    let answer = flow.phone(PHONE).await;
    assert_eq!(answer.location_path(&app.base), flow.notice("send-failed"));
    // The configured timeout (1 s here), not the gateway's 30 s stall, decided.
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(app.gateway().count(), 0);

    // The gateway recovers; the same session sends at once, and its code logs in.
    app.gateway().set(GatewayMode::Ok);
    let answer = flow.phone(PHONE).await;
    assert_eq!(answer.location_path(&app.base), flow.path(""));
    let done = flow.code(&app.gateway().last_code()).await;
    assert!(done.location.unwrap().starts_with(SUCCESS));
}

#[tokio::test]
async fn unreachable_gateway_is_a_failed_send() {
    let app = TestApp::with(|c| {
        c.sms.url = Some("http://127.0.0.1:9/send?to={mobile}&m={challenge}".into())
    })
    .await;
    let flow = Flow::open(&app, json!({})).await;
    let answer = flow.phone(PHONE).await;
    assert_eq!(answer.location_path(&app.base), flow.notice("send-failed"));
}

#[tokio::test]
async fn code_length_is_configurable() {
    let app = TestApp::with(|c| c.otp.length = 8).await;
    Flow::to_code(&app).await;
    assert_eq!(app.gateway().last_code().len(), 8);
}

/// The resend button as the code page renders it.
fn resend_button(body: &str) -> &str {
    let at = body
        .find("Send a new code</button>")
        .expect("a resend button");
    let start = body[..at].rfind("<button").unwrap();
    &body[start..at]
}

#[tokio::test]
async fn the_code_page_says_when_a_new_code_can_be_sent() {
    let app = TestApp::start().await;
    let flow = Flow::to_code(&app).await;
    // During the cooldown the button is off and the page says for how long.
    let page = flow.page().await;
    assert!(
        resend_button(&page.body).contains("disabled"),
        "{}",
        page.body
    );
    assert!(page.body.contains("You can ask for a new code in 0:30."));
    app.advance(12);
    let page = flow.page().await;
    assert!(page.body.contains("You can ask for a new code in 0:18."));
    // Then it is on, and says nothing more.
    app.advance(18);
    let page = flow.page().await;
    assert!(
        !resend_button(&page.body).contains("disabled"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("You can ask for a new code in"));
    assert!(page.body.contains(r#"name="otp""#));
}

#[tokio::test]
async fn an_expired_code_leaves_one_action_a_new_code() {
    let app = TestApp::start().await;
    let flow = Flow::to_code(&app).await;
    let ttl = i64::from(app.config.otp.ttl_secs);
    app.advance(ttl);
    let page = flow.page().await;
    assert!(
        !page.body.contains(r#"name="otp""#),
        "no code field: {}",
        page.body
    );
    assert!(page.body.contains("This code has expired."));
    let button = resend_button(&page.body);
    assert!(
        !button.contains("disabled") && !button.contains("secondary"),
        "{button}"
    );
    let resent = flow.resend().await;
    assert_eq!(resent.location_path(&app.base), flow.notice("resent"));
    assert!(flow.page().await.body.contains(r#"name="otp""#));
}

#[tokio::test]
async fn another_number_during_the_cooldown_waits_and_says_so() {
    let app = TestApp::start().await;
    let flow = Flow::to_code(&app).await;
    let change = flow.browser.get(&flow.path("?change=1")).await;
    assert!(change.body.contains(r#"name="phone_number""#));
    assert!(
        change
            .body
            .contains("You can ask for a new code in 30 seconds.")
    );
    assert!(
        change
            .body
            .contains(r#"aria-describedby="wait-note" disabled>"#),
        "{}",
        change.body
    );
    app.advance(30);
    let change = flow.browser.get(&flow.path("?change=1")).await;
    assert!(!change.body.contains("disabled>"), "{}", change.body);
    let sent = flow.phone("+447911123457").await;
    assert_eq!(sent.location_path(&app.base), flow.path(""));
    assert_eq!(app.gateway().last()["to"], "+447911123457");
}
