//! Limits across sessions, front doors and instances, played as an attacker would: one number
//! from everywhere, one address with many numbers, a sequential sweep, one client, premium-rate
//! numbers, a spent budget, a range nobody logs in from. Every refusal carries a truthful
//! `Retry-After`, and a legitimate user from another address still logs in.

use idbroker::config::{Config, Limits};
use idbroker::grants::SMS_GRANT;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};

use crate::common::*;

/// Where the broker under test keeps its counters: each test here runs on both.
enum Backend {
    Memory,
    Redis(RedisServer),
}

impl Backend {
    async fn redis() -> Backend {
        Backend::Redis(RedisServer::start().await)
    }
}

/// Runs each named test on the memory store and on a real redis-server.
macro_rules! on_both_stores {
    ($($test:ident),* $(,)?) => {
        mod memory {
            $(#[tokio::test]
            async fn $test() {
                super::$test(&super::Backend::Memory).await;
            })*
        }
        mod redis {
            $(#[tokio::test]
            async fn $test() {
                super::$test(&super::Backend::redis().await).await;
            })*
        }
    };
}

on_both_stores!(
    one_number_gets_three_codes_in_ten_minutes_through_any_door,
    the_direct_grant_has_the_pages_resend_cooldown,
    wrong_codes_for_one_person_are_bounded_across_sessions,
    the_direct_grant_refuses_a_limited_check_and_keeps_the_reference,
    one_address_with_many_numbers_is_bounded_and_others_still_log_in,
    a_sweep_through_one_range_from_many_addresses_stops_at_the_range_cap,
    one_client_is_held_to_its_own_caps,
    premium_rate_freephone_and_fixed_line_numbers_never_reach_the_gateway,
    only_the_allowed_regions_get_sms,
    a_spent_budget_stops_sms_until_the_next_day_but_not_e_mail,
    the_breaker_blocks_a_range_nobody_logs_in_from_and_opens_again,
    many_wrong_client_secrets_from_one_address_get_429,
    the_limit_page_speaks_the_users_language,
    a_resend_a_limit_refuses_leaves_the_code_already_out_working,
);

/// The broker with the limits as shipped, behind a proxy on loopback: each test says which
/// client address a request comes from with `X-Forwarded-For`.
async fn app(backend: &Backend, edit: impl FnOnce(&mut Config)) -> TestApp {
    TestApp::with(|c| {
        c.limits = Limits::default();
        c.server.trusted_proxies = vec!["127.0.0.1".into()];
        if let Backend::Redis(redis) = backend {
            c.store.kind = idbroker::config::StoreKind::Redis;
            c.store.url = Some(redis.url.clone());
        }
        edit(c);
    })
    .await
}

/// A browser whose requests come from `address`.
fn browser_from(app: &TestApp, address: &str) -> Browser {
    let mut headers = HeaderMap::new();
    headers.insert("x-forwarded-for", HeaderValue::from_str(address).unwrap());
    Browser {
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .default_headers(headers)
            .build()
            .unwrap(),
        base: app.base.clone(),
    }
}

/// A REST session opened and its page visited from `address`: the browser and the login path.
async fn open_from(app: &TestApp, address: &str) -> (Browser, String, String) {
    let session = app.create(json!({})).await;
    let browser = browser_from(app, address);
    let path = login(session["id"].as_str().unwrap());
    let page = browser.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = page.csrf();
    (browser, path, csrf)
}

/// The sign-in page asks for a code to `number`, from `address`.
async fn send_from(app: &TestApp, address: &str, number: &str) -> Page {
    let (browser, path, csrf) = open_from(app, address).await;
    browser
        .post(
            &format!("{path}/phone"),
            &[("csrf", &csrf), ("phone_number", number)],
        )
        .await
}

/// A whole sign-in from `address` with `number`, through the page: the code goes out and
/// takes the browser back to the relying party.
async fn sign_in_from(app: &TestApp, address: &str, number: &str) {
    let (browser, path, csrf) = open_from(app, address).await;
    let page = browser
        .post(
            &format!("{path}/phone"),
            &[("csrf", &csrf), ("phone_number", number)],
        )
        .await;
    assert!(sent(&page), "{}", page.body);
    let done = browser
        .post(
            &format!("{path}/otp"),
            &[("csrf", &csrf), ("otp", &app.gateway().last_code())],
        )
        .await;
    assert!(done.location.unwrap().starts_with(SUCCESS));
}

/// A direct grant's first request, from `address`: status, `Retry-After`, body.
async fn grant_send(app: &TestApp, address: &str, number: &str) -> (u16, Option<i64>, Value) {
    let response = app
        .api
        .post(app.url("/uas/oauth2/token"))
        .header("x-forwarded-for", address)
        .form(&[
            ("grant_type", SMS_GRANT),
            ("scope", "openid"),
            ("username", number),
            ("client_id", UBI),
            ("client_secret", UBI_SECRET),
        ])
        .send()
        .await
        .unwrap();
    answer(response).await
}

/// An API answer: status, `Retry-After`, JSON body.
async fn answer(response: reqwest::Response) -> (u16, Option<i64>, Value) {
    let status = response.status().as_u16();
    let retry = retry_after(response.headers());
    (status, retry, response.json().await.unwrap())
}

fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<i64> {
    headers
        .get("retry-after")
        .map(|v| v.to_str().unwrap().parse().unwrap())
}

/// A 303 back to the page: the code went out.
fn sent(page: &Page) -> bool {
    page.status == 303
}

async fn one_number_gets_three_codes_in_ten_minutes_through_any_door(backend: &Backend) {
    let app = app(backend, |_| {}).await;
    // Pages (a REST session), the direct grant, and an OIDC authorization, each from its own
    // address, all for one number.
    assert!(sent(&send_from(&app, "198.51.100.1", PHONE).await));
    app.advance(31);
    let (status, _, _) = grant_send(&app, "198.51.100.2", PHONE).await;
    assert_eq!(status, 200);
    app.advance(31);
    let browser = browser_from(&app, "198.51.100.3");
    let start = browser
        .get(&app.authorize_url(&[
            ("client_id", CLIENT),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT),
            ("scope", "openid phone"),
            ("state", "s"),
        ]))
        .await;
    let path = start.location_path(&app.base);
    let csrf = browser.get(&path).await.csrf();
    let third = browser
        .post(
            &format!("{path}/phone"),
            &[("csrf", &csrf), ("phone_number", PHONE)],
        )
        .await;
    assert!(sent(&third), "{}", third.body);
    assert_eq!(app.gateway().count(), 3);

    // The fourth, from yet another address and door, is refused with the time left in the
    // ten minutes that began with the first send.
    app.advance(31);
    let (status, retry, body) = grant_send(&app, "198.51.100.4", PHONE).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["error"], "temporarily_unavailable");
    let retry = retry.expect("Retry-After");
    assert!((600 - 93..=600 - 93 + 1).contains(&retry), "{retry}");
    let page = send_from(&app, "198.51.100.5", PHONE).await;
    assert_eq!(page.status, 429);
    assert_eq!(retry_after(&page.headers), Some(retry));
    assert!(
        page.body
            .contains("Too many attempts. Try again in 9 minutes.")
    );
    assert_eq!(app.gateway().count(), 3);

    // Never below the truth: one second early is still refused, on time works.
    app.advance(retry - 1);
    assert_eq!(grant_send(&app, "198.51.100.6", PHONE).await.0, 429);
    app.advance(1);
    assert_eq!(grant_send(&app, "198.51.100.6", PHONE).await.0, 200);
    assert_eq!(app.gateway().count(), 4);
}

async fn the_direct_grant_has_the_pages_resend_cooldown(backend: &Backend) {
    let app = app(backend, |_| {}).await;
    assert_eq!(grant_send(&app, "198.51.100.1", PHONE).await.0, 200);
    let (status, retry, body) = grant_send(&app, "198.51.100.1", PHONE).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(retry, Some(30));
    assert_eq!(app.gateway().count(), 1);
    // The page says it in seconds, as its own cooldown does.
    let page = send_from(&app, "198.51.100.2", PHONE).await;
    assert_eq!(page.status, 429);
    assert!(
        page.body
            .contains("You can ask for a new code in 30 seconds.")
    );
    app.advance(30);
    assert_eq!(grant_send(&app, "198.51.100.1", PHONE).await.0, 200);
}

async fn wrong_codes_for_one_person_are_bounded_across_sessions(backend: &Backend) {
    let app = app(backend, |c| c.limits.cooldown_per_identifier_secs = 0).await;
    // Two sessions, four wrong codes each; then two more in a third: ten in the hour.
    let mut last = None;
    for wrong in [4, 4, 2] {
        let (browser, path, csrf) = open_from(&app, "198.51.100.1").await;
        let page = browser
            .post(
                &format!("{path}/phone"),
                &[("csrf", &csrf), ("phone_number", PHONE)],
            )
            .await;
        assert!(sent(&page), "{}", page.body);
        let code = app.gateway().last_code();
        let bad = if code == "000000" { "111111" } else { "000000" };
        for _ in 0..wrong {
            let answer = browser
                .post(&format!("{path}/otp"), &[("csrf", &csrf), ("otp", bad)])
                .await;
            assert_eq!(answer.status, 303);
        }
        last = Some((browser, path, csrf, code));
    }
    // The right code is no longer accepted for this person, and no new code is sent.
    let (browser, path, csrf, code) = last.unwrap();
    let answer = browser
        .post(&format!("{path}/otp"), &[("csrf", &csrf), ("otp", &code)])
        .await;
    assert_eq!(answer.status, 429, "{}", answer.body);
    let retry = retry_after(&answer.headers).unwrap();
    assert!((3590..=3600).contains(&retry), "{retry}");
    assert!(
        answer
            .body
            .contains("Too many attempts. Try again in 60 minutes.")
    );
    let before = app.gateway().count();
    let (status, _, _) = grant_send(&app, "198.51.100.9", PHONE).await;
    assert_eq!(status, 429);
    assert_eq!(app.gateway().count(), before);
    // The refused check did not use up the session's attempts: after the hour, the session
    // has expired, but a new one logs in.
    app.advance(retry);
    let flow = Flow::to_code(&app).await;
    let done = flow.code(&app.gateway().last_code()).await;
    assert_eq!(
        done.location.as_deref(),
        Some(flow.callback(SUCCESS).as_str())
    );
}

async fn the_direct_grant_refuses_a_limited_check_and_keeps_the_reference(backend: &Backend) {
    let app = app(backend, |c| {
        c.limits.wrong_codes_per_hour = 2;
        c.limits.cooldown_per_identifier_secs = 0;
    })
    .await;
    let (_, _, json) = grant_send(&app, "198.51.100.1", PHONE).await;
    let mut reference = json["x_globalsign_iam_challenge"]["reference"]
        .as_str()
        .unwrap()
        .to_owned();
    let code = app.gateway().last_code();
    let verify = |reference: String, otp: String| {
        let app = &app;
        async move {
            let response = app
                .api
                .post(app.url("/uas/oauth2/token"))
                .form(&[
                    ("grant_type", SMS_GRANT),
                    ("scope", "openid"),
                    ("username", PHONE),
                    ("client_id", UBI),
                    ("client_secret", UBI_SECRET),
                    ("x_globalsign_iam_reference_id", &reference),
                    ("x_globalsign_iam_otp_code", &otp),
                ])
                .send()
                .await
                .unwrap();
            answer(response).await
        }
    };
    for _ in 0..2 {
        let (status, _, json) = verify(reference.clone(), "000001".into()).await;
        assert_eq!(status, 400);
        reference = json["x_globalsign_iam_challenge"]["reference"]
            .as_str()
            .unwrap()
            .to_owned();
    }
    let (status, retry, json) = verify(reference.clone(), code.clone()).await;
    assert_eq!(status, 429, "{json}");
    assert_eq!(json["error"], "temporarily_unavailable");
    assert!(retry.unwrap() > 3500);
    assert_eq!(json["x_globalsign_iam_challenge"]["reference"], reference);
}

async fn one_address_with_many_numbers_is_bounded_and_others_still_log_in(backend: &Backend) {
    let app = app(backend, |_| {}).await;
    // A sequential sweep from one address, each number in its own range.
    let mut sent_count = 0;
    let mut refused = Vec::new();
    for i in 0..15 {
        let number = format!("+4479111{:02}456", 10 + i);
        let (status, retry, _) = grant_send(&app, "203.0.113.66", &number).await;
        match status {
            200 => sent_count += 1,
            429 => refused.push(retry.unwrap()),
            s => panic!("{s}"),
        }
    }
    assert_eq!(sent_count, 10);
    assert_eq!(app.gateway().count(), 10);
    assert!(refused.iter().all(|r| (1..=60).contains(r)), "{refused:?}");
    // An IPv6 client is one /64: another address in it is the same client.
    for i in 0..10 {
        let number = format!("+4479112{:02}456", 10 + i);
        let from = format!("2001:db8:1:2::{i:x}");
        assert_eq!(grant_send(&app, &from, &number).await.0, 200);
    }
    assert_eq!(
        grant_send(&app, "2001:db8:1:2::ff", "+447912300456")
            .await
            .0,
        429
    );
    // A user elsewhere signs in as usual.
    sign_in_from(&app, "198.51.100.20", PHONE).await;
}

async fn a_sweep_through_one_range_from_many_addresses_stops_at_the_range_cap(backend: &Backend) {
    let app = app(backend, |c| c.limits.breaker_min_sends = 0).await;
    let mut delivered = 0;
    for i in 0..25 {
        let number = format!("+447911123{i:03}");
        let from = format!("198.51.100.{}", i + 1);
        if grant_send(&app, &from, &number).await.0 == 200 {
            delivered += 1;
        }
    }
    assert_eq!(delivered, 20);
    assert_eq!(app.gateway().count(), 20);
    // Another range is not affected.
    assert_eq!(
        grant_send(&app, "198.51.100.99", "+447911124000").await.0,
        200
    );
}

async fn one_client_is_held_to_its_own_caps(backend: &Backend) {
    let app = app(backend, |c| {
        let rp = c
            .clients
            .iter_mut()
            .find(|c| c.client_id == CLIENT)
            .unwrap();
        rp.sms_per_hour = Some(2);
    })
    .await;
    // A session opened before the cap is reached, used after.
    let (browser, path, csrf) = open_from(&app, "198.51.100.7").await;
    for i in 0..2 {
        let number = format!("+4479111{i:02}456");
        assert!(sent(
            &send_from(&app, &format!("198.51.100.{i}"), &number).await
        ));
    }
    let page = browser
        .post(
            &format!("{path}/phone"),
            &[("csrf", &csrf), ("phone_number", "+447911177456")],
        )
        .await;
    assert_eq!(page.status, 429);
    // The REST API says so before it opens a session that could only send SMS.
    let (status, body) = app.create_raw(&app.token().await, &session_request()).await;
    assert_eq!(status, 429, "{body}");
    assert!(body["detail"].as_str().unwrap().contains("try again in"));
    // Another client's users are not affected.
    assert_eq!(
        grant_send(&app, "198.51.100.8", "+447911188456").await.0,
        200
    );
}

async fn premium_rate_freephone_and_fixed_line_numbers_never_reach_the_gateway(backend: &Backend) {
    let app = app(backend, |_| {}).await;
    for number in ["+44 909 0901234", "+47 800 12345", "+44 20 7946 0123"] {
        let page = send_from(&app, "198.51.100.1", number).await;
        assert_eq!(page.status, 422, "{number}");
        assert!(
            page.body
                .contains("We can only send codes to mobile numbers.")
        );
        let (status, _, json) = grant_send(&app, "198.51.100.1", number).await;
        assert_eq!(status, 400, "{json}");
        assert_eq!(json["error"], "invalid_request");
    }
    assert_eq!(app.gateway().count(), 0);
}

async fn only_the_allowed_regions_get_sms(backend: &Backend) {
    let app = app(backend, |c| {
        c.limits.sms_regions = vec!["GB".into(), "NO".into()];
        let rp = c
            .clients
            .iter_mut()
            .find(|c| c.client_id == CLIENT)
            .unwrap();
        rp.sms_regions = vec!["NO".into()];
    })
    .await;
    // The broker allows GB and NO; this client only NO.
    let page = send_from(&app, "198.51.100.1", PHONE).await;
    assert_eq!(page.status, 422);
    assert!(
        page.body
            .contains("We cannot send codes to numbers in that country.")
    );
    assert!(sent(&send_from(&app, "198.51.100.2", "+4741234567").await));
    // The direct-grant client has no list of its own: GB is fine, Sweden is not.
    assert_eq!(grant_send(&app, "198.51.100.3", PHONE).await.0, 200);
    assert_eq!(
        grant_send(&app, "198.51.100.3", "+46701234567").await.0,
        400
    );
    assert_eq!(app.gateway().count(), 2);
}

async fn a_spent_budget_stops_sms_until_the_next_day_but_not_e_mail(backend: &Backend) {
    let sink = SmtpSink::start().await;
    let app = app(backend, |c| {
        c.limits.daily_sms_budget = 0.10;
        c.limits.sms_price_default = 0.05;
        c.limits.sms_prices = [("NO".to_owned(), 0.02)].into();
        smtp_to(c, sink.port);
    })
    .await;
    // 0.05 + 0.05 = 0.10: two GB messages spend it; a third refused, even to Norway at 0.02.
    let (browser, path, csrf) = open_from(&app, "198.51.100.3").await;
    assert!(sent(
        &send_from(&app, "198.51.100.1", "+447911100456").await
    ));
    assert!(sent(
        &send_from(&app, "198.51.100.2", "+447911200456").await
    ));
    let page = browser
        .post(
            &format!("{path}/phone"),
            &[("csrf", &csrf), ("phone_number", "+4741234567")],
        )
        .await;
    assert_eq!(page.status, 503);
    assert!(
        page.body
            .contains("We cannot send text messages at the moment.")
    );
    let now = idbroker::core::clock::Clock::now(app.clock.as_ref());
    let to_midnight = 86_400
        - i64::from(now.time().hour()) * 3600
        - i64::from(now.time().minute()) * 60
        - i64::from(now.time().second());
    let retry = retry_after(&page.headers).unwrap();
    assert!(
        (to_midnight - 1..=to_midnight + 1).contains(&retry),
        "{retry} {to_midnight}"
    );
    let (status, grant_retry, json) = grant_send(&app, "198.51.100.4", "+447912300456").await;
    assert_eq!(status, 503, "{json}");
    assert_eq!(grant_retry, Some(retry));
    // The REST API refuses an SMS-only session, and still opens one that may use e-mail.
    let token = app.token().await;
    let (status, body) = app.create_raw(&token, &session_request()).await;
    assert_eq!(status, 503, "{body}");
    let mut email = session_request();
    email["allowedProviders"] = json!(["otp-email"]);
    email["requestedAttributes"] = json!(["idpId", "email"]);
    let (status, session) = app.create_raw(&token, &email).await;
    assert_eq!(status, 201, "{session}");
    let mail_browser = browser_from(&app, "198.51.100.5");
    let path = login(session["id"].as_str().unwrap());
    let csrf = mail_browser.get(&path).await.csrf();
    let page = mail_browser
        .post(
            &format!("{path}/email"),
            &[("csrf", &csrf), ("email", "kari@example.no")],
        )
        .await;
    assert!(sent(&page), "{}", page.body);
    assert_eq!(sink.count(), 1);
    assert_eq!(app.gateway().count(), 2);
    // The next day (UTC) the budget is back.
    app.advance(retry);
    assert!(sent(&send_from(&app, "198.51.100.6", "+4741234567").await));
    assert_eq!(app.gateway().count(), 3);
}

async fn the_breaker_blocks_a_range_nobody_logs_in_from_and_opens_again(backend: &Backend) {
    let app = app(backend, |c| {
        c.limits.breaker_min_sends = 5;
        c.limits.breaker_min_verified_percent = 20;
        c.limits.breaker_block_secs = 3600;
    })
    .await;
    // A range whose codes are used is never blocked.
    for i in 0..6 {
        let number = format!("+447911200{i:03}");
        sign_in_from(&app, &format!("198.51.100.{i}"), &number).await;
    }
    // Five codes to a range and not one used: the fifth opens the breaker.
    for i in 0..5 {
        let number = format!("+447912300{i:03}");
        assert_eq!(
            grant_send(&app, &format!("203.0.113.{i}"), &number).await.0,
            200
        );
    }
    let (status, retry, _) = grant_send(&app, "203.0.113.50", "+447912300999").await;
    assert_eq!(status, 429);
    assert!((3590..=3600).contains(&retry.unwrap()));
    let blocked = send_from(&app, "198.51.100.50", "+447912300998").await;
    assert_eq!(blocked.status, 429);
    assert_eq!(app.gateway().count(), 11);
    // The good range still works; after the block the bad one does too.
    assert_eq!(
        grant_send(&app, "198.51.100.60", "+447911200100").await.0,
        200
    );
    app.advance(retry.unwrap());
    assert_eq!(
        grant_send(&app, "203.0.113.51", "+447912300997").await.0,
        200
    );
}

async fn many_wrong_client_secrets_from_one_address_get_429(backend: &Backend) {
    let app = app(backend, |_| {}).await;
    let attempt = |secret: &'static str, from: &'static str| {
        let app = &app;
        async move {
            let response = app
                .api
                .post(app.url("/auth/open/connect/token"))
                .header("x-forwarded-for", from)
                .basic_auth(CLIENT, Some(secret))
                .form(&[("grant_type", "client_credentials")])
                .send()
                .await
                .unwrap();
            answer(response).await
        }
    };
    for _ in 0..20 {
        assert_eq!(attempt("wrong-secret", "203.0.113.9").await.0, 401);
    }
    // Now even the right secret is refused from there, the OAuth way, with Retry-After.
    let (status, retry, json) = attempt(SECRET, "203.0.113.9").await;
    assert_eq!(status, 429);
    assert_eq!(json["error"], "temporarily_unavailable");
    assert!((1..=600).contains(&retry.unwrap()));
    assert_eq!(attempt(SECRET, "198.51.100.1").await.0, 200);
    app.advance(600);
    assert_eq!(attempt(SECRET, "203.0.113.9").await.0, 200);
}

async fn the_limit_page_speaks_the_users_language(backend: &Backend) {
    let app = app(backend, |c| c.limits.sends_per_identifier_per_10min = 1).await;
    assert!(sent(&send_from(&app, "198.51.100.1", PHONE).await));
    app.advance(31);
    let session = app.create(json!({"language": "nb"})).await;
    let browser = browser_from(&app, "198.51.100.2");
    let path = login(session["id"].as_str().unwrap());
    let csrf = browser.get(&path).await.csrf();
    let page = browser
        .post(
            &format!("{path}/phone"),
            &[("csrf", &csrf), ("phone_number", PHONE)],
        )
        .await;
    assert_eq!(page.status, 429);
    let expected = idbroker::core::text::t_args(
        idbroker::core::lang::Lang::Nb,
        "limit-wait",
        &[("minutes", 10i64.into())],
    );
    assert!(page.body.contains(&expected), "{}", page.body);
    assert_ne!(expected, "Too many attempts. Try again in 10 minutes.");
}

#[test]
fn the_shipped_defaults_have_every_limit_on() {
    let config = Config::load(None).unwrap().0;
    let limits = &config.limits;
    assert_eq!(limits, &Limits::default());
    assert_eq!(
        (limits.wrong_codes_per_hour, limits.wrong_codes_per_day),
        (10, 30)
    );
    assert_eq!(
        (
            limits.sends_per_identifier_per_10min,
            limits.sends_per_identifier_per_day
        ),
        (3, 10)
    );
    assert_eq!(
        (
            limits.sends_per_address_per_minute,
            limits.sends_per_address_per_hour
        ),
        (10, 50)
    );
    assert_eq!(limits.sms_per_range_per_hour, 20);
    assert!(limits.daily_sms_budget > 0.0);
    assert_eq!(limits.sms_number_types, ["mobile", "fixed_line_or_mobile"]);
}

mod shared {
    use super::*;

    async fn on_redis(redis: &Backend, edit: impl FnOnce(&mut Config)) -> TestApp {
        app(redis, edit).await
    }

    #[tokio::test]
    async fn two_instances_share_every_counter() {
        let redis = Backend::redis().await;
        let a = on_redis(&redis, |c| {
            c.limits.cooldown_per_identifier_secs = 0;
            c.limits.sends_per_address_per_minute = 4;
            c.limits.daily_sms_budget = 0.35;
            c.limits.sms_price_default = 0.05;
        })
        .await;
        let b = a.sibling().await;
        // Per number: three, whichever instance sends them.
        assert_eq!(grant_send(&a, "198.51.100.1", PHONE).await.0, 200);
        assert_eq!(grant_send(&b, "198.51.100.2", PHONE).await.0, 200);
        assert_eq!(grant_send(&a, "198.51.100.3", PHONE).await.0, 200);
        assert_eq!(grant_send(&b, "198.51.100.4", PHONE).await.0, 429);
        // Per address: four a minute across both (one already used above).
        for (i, app) in [&a, &b, &a].into_iter().enumerate() {
            let number = format!("+4479123{i:02}456");
            assert_eq!(grant_send(app, "198.51.100.1", &number).await.0, 200);
        }
        assert_eq!(grant_send(&b, "198.51.100.1", "+447912399456").await.0, 429);
        // The budget: 0.35 is seven messages; the seventh spends it, on either instance.
        assert_eq!(grant_send(&b, "198.51.100.9", "+447912500456").await.0, 200);
        let (status, retry, _) = grant_send(&a, "198.51.100.9", "+447912600456").await;
        assert_eq!(status, 503);
        assert!(retry.unwrap() > 0);
        assert_eq!(grant_send(&b, "198.51.100.9", "+447912600456").await.0, 503);
        assert_eq!(a.gateway().count(), 7);
    }

    #[tokio::test]
    async fn fifty_concurrent_sends_for_one_number_let_exactly_three_through() {
        let redis = Backend::redis().await;
        let a = on_redis(&redis, |c| {
            c.limits.cooldown_per_identifier_secs = 0;
            c.limits.sends_per_address_per_minute = 0;
            c.limits.sends_per_address_per_hour = 0;
        })
        .await;
        let b = a.sibling().await;
        let tasks: Vec<_> = (0..50)
            .map(|i| {
                let target = if i % 2 == 0 {
                    a.base.clone()
                } else {
                    b.base.clone()
                };
                let api = a.api.clone();
                tokio::spawn(async move {
                    api.post(format!("{target}/uas/oauth2/token"))
                        .form(&[
                            ("grant_type", SMS_GRANT),
                            ("scope", "openid"),
                            ("username", PHONE),
                            ("client_id", UBI),
                            ("client_secret", UBI_SECRET),
                        ])
                        .send()
                        .await
                        .unwrap()
                        .status()
                        .as_u16()
                })
            })
            .collect();
        let mut statuses = Vec::new();
        for task in tasks {
            statuses.push(task.await.unwrap());
        }
        assert_eq!(
            statuses.iter().filter(|s| **s == 200).count(),
            3,
            "{statuses:?}"
        );
        assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 47);
        assert_eq!(a.gateway().count(), 3);
    }

    #[tokio::test]
    async fn wrong_codes_count_across_instances() {
        let redis = Backend::redis().await;
        let a = on_redis(&redis, |c| {
            c.limits.cooldown_per_identifier_secs = 0;
            c.limits.wrong_codes_per_hour = 3;
        })
        .await;
        let b = a.sibling().await;
        // Two wrong codes through one instance's page, one through the other's.
        let (browser, path, csrf) = open_from(&a, "198.51.100.1").await;
        browser
            .post(
                &format!("{path}/phone"),
                &[("csrf", &csrf), ("phone_number", PHONE)],
            )
            .await;
        let code = a.gateway().last_code();
        let bad = if code == "000000" { "111111" } else { "000000" };
        for base in [&a.base, &a.base, &b.base] {
            let page = browser
                .post(
                    &format!("{base}{path}/otp"),
                    &[("csrf", &csrf), ("otp", bad)],
                )
                .await;
            assert_eq!(page.status, 303);
        }
        let page = browser
            .post(
                &format!("{}{path}/otp", b.base),
                &[("csrf", &csrf), ("otp", &code)],
            )
            .await;
        assert_eq!(page.status, 429);
    }
}

async fn a_resend_a_limit_refuses_leaves_the_code_already_out_working(backend: &Backend) {
    let app = app(backend, |c| c.limits.sends_per_identifier_per_10min = 1).await;
    let (browser, path, csrf) = open_from(&app, "198.51.100.1").await;
    let page = browser
        .post(
            &format!("{path}/phone"),
            &[("csrf", &csrf), ("phone_number", PHONE)],
        )
        .await;
    assert!(sent(&page));
    let code = app.gateway().last_code();
    app.advance(31);
    let resend = browser
        .post(&format!("{path}/resend"), &[("csrf", &csrf)])
        .await;
    assert_eq!(resend.status, 429);
    assert!(
        resend.body.contains("name=\"otp\""),
        "the code page: {}",
        resend.body
    );
    assert!(resend.body.contains("Too many attempts."));
    assert_eq!(app.gateway().count(), 1);
    let done = browser
        .post(&format!("{path}/otp"), &[("csrf", &csrf), ("otp", &code)])
        .await;
    assert!(done.location.unwrap().starts_with(SUCCESS));
}
