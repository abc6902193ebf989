//! What the sign-in pages promise beyond the flow: the service's name and look, the localized
//! phone hint, error pages with a way on and a reference that is in the log, our word on a
//! cancel, the language menu that keeps what was typed, and the code page's script.

use idbroker::config::Branding;
use serde_json::json;

use crate::browser::to_code_page;
use crate::common::*;

fn demo_shop() -> Branding {
    Branding {
        display_name: Some("Demo Shop".into()),
        logo: Some("data:image/png;base64,iVBORw0KGgo=".into()),
        accent_color: Some("#0b6e4f".into()),
        privacy_url: Some("https://shop.example/privacy".into()),
        help_url: Some("https://shop.example/help".into()),
        home_url: Some("https://shop.example/".into()),
        ..Branding::default()
    }
}

/// The text of the element with `class`, the first one.
fn text_of(body: &str, class: &str) -> Option<String> {
    let start = body.find(&format!("class=\"{class}\""))?;
    let rest = &body[start..];
    let open = rest.find('>')? + 1;
    let close = rest[open..].find('<')?;
    Some(rest[open..open + close].to_owned())
}

#[tokio::test]
async fn pages_name_the_service_and_carry_its_look() {
    let app = TestApp::with(|c| c.clients[0].branding = demo_shop()).await;
    let session = app.create(json!({})).await;
    let page = app
        .browser()
        .get(session["authenticationUrl"].as_str().unwrap())
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("<title>Sign in to Demo Shop</title>"),
        "{}",
        page.body
    );
    assert_eq!(
        text_of(&page.body, "service-title").as_deref(),
        Some("Sign in to Demo Shop")
    );
    assert!(
        page.body
            .contains(r#"<a href="https://shop.example/privacy" rel="noopener">Privacy</a>"#)
    );
    assert!(
        page.body
            .contains(r#"<a href="https://shop.example/help" rel="noopener">Help</a>"#)
    );
    // The logo and the colours are ours to serve, so the page's policy stays 'self'.
    let logo = page.body.split("class=\"logo\" src=\"").nth(1).unwrap();
    let logo = &logo[..logo.find('"').unwrap()];
    assert!(
        logo.starts_with("/static/brand/") && logo.ends_with(".png"),
        "{logo}"
    );
    let served = app.api.get(app.url(logo)).send().await.unwrap();
    assert_eq!(served.headers()["content-type"], "image/png");
    assert!(
        served.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    assert_eq!(&served.bytes().await.unwrap()[..4], b"\x89PNG");
    let sheet = page
        .body
        .split("<link rel=\"stylesheet\" href=\"")
        .nth(2)
        .unwrap();
    let sheet = &sheet[..sheet.find('"').unwrap()];
    let css = app
        .api
        .get(app.url(sheet))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(css.contains("--accent: #0b6e4f"), "{css}");
    // Dark mode gets a lighter shade that reads on the dark page.
    assert!(css.contains("prefers-color-scheme: dark"), "{css}");
    // In another language, the same service.
    let nb = app
        .browser()
        .get_with(
            session["authenticationUrl"].as_str().unwrap(),
            ("accept-language", "nb"),
        )
        .await;
    assert!(nb.body.contains("Demo Shop"));
    // Unknown names stay unknown: a client without branding gets the neutral page.
    let plain = TestApp::start().await;
    let session = plain.create(json!({})).await;
    let page = plain
        .browser()
        .get(session["authenticationUrl"].as_str().unwrap())
        .await;
    assert!(page.body.contains("<title>Sign in</title>"));
    assert!(!page.body.contains("class=\"logo\""));
    assert!(!page.body.contains("/static/brand/"));
}

#[tokio::test]
async fn a_service_name_is_text_never_markup() {
    let app = TestApp::with(|c| {
        c.clients[0].branding.display_name = Some("<script>alert(1)</script> & \"Co\"".into())
    })
    .await;
    let session = app.create(json!({})).await;
    let page = app
        .browser()
        .get(session["authenticationUrl"].as_str().unwrap())
        .await;
    assert!(!page.body.contains("<script>alert(1)"), "{}", page.body);
    assert!(
        page.body
            .contains("Sign in to &#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;Co&#34;"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn the_phone_hint_names_the_region_in_the_pages_language() {
    // The example numbers are libphonenumber's, written the international way.
    for (region, lang, name, example) in [
        ("NO", "nb", "Norge", "+47 40 61 23 45"),
        ("DE", "de", "Deutschland", "+49 1512 3456789"),
        ("GR", "el", "Ελλάδα", "+30 691 234 5678"),
    ] {
        let app = TestApp::with(|c| c.sms.default_region = region.into()).await;
        let session = app.create(json!({ "language": lang })).await;
        let page = app
            .browser()
            .get(session["authenticationUrl"].as_str().unwrap())
            .await;
        let hint = text_of(&page.body, "help").unwrap();
        assert!(hint.contains(name), "{region}: {hint}");
        assert!(hint.contains(example), "{region}: {hint}");
        assert!(!hint.contains("+44"), "{region}: {hint}");
        assert_eq!(
            idbroker::core::phone::example(region).as_deref(),
            Some(example)
        );
    }
}

#[tokio::test]
async fn an_empty_or_wrong_number_is_answered_on_the_page_in_its_language() {
    let app = TestApp::start().await;
    let session = app.create(json!({ "language": "de" })).await;
    let browser = app.browser();
    let page = browser
        .get(session["authenticationUrl"].as_str().unwrap())
        .await;
    // Our own messages, not the browser's: the form does not validate itself.
    assert!(page.body.contains("id=\"identifier-form\" novalidate"));
    assert!(!page.body.contains(" required"));
    let id = session["id"].as_str().unwrap();
    let empty = browser
        .post(
            &format!("{}/phone", login(id)),
            &[("csrf", &page.csrf()), ("phone_number", " ")],
        )
        .await;
    assert_eq!(empty.status, 422);
    assert_eq!(
        text_of(&empty.body, "error").as_deref(),
        Some(idbroker::core::text::t(idbroker::core::lang::Lang::De, "phone-required").as_str())
    );
    // The error is tied to the input, before the hint, and the title says there is one.
    assert!(
        empty
            .body
            .contains(r#"aria-describedby="identifier-error identifier-help" aria-invalid="true""#),
        "{}",
        empty.body
    );
    assert!(empty.body.contains("<title>Fehler"), "{}", empty.body);
    let wrong = browser
        .post(
            &format!("{}/phone", login(id)),
            &[("csrf", &page.csrf()), ("phone_number", "12")],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(
        wrong
            .body
            .contains(r#"<p class="error" id="identifier-error">"#)
    );
    assert!(wrong.body.contains(r#"value="12""#));
}

#[tokio::test]
async fn the_language_menu_keeps_the_typed_number() {
    let app = TestApp::start().await;
    let session = app.create(json!({ "language": "en" })).await;
    let browser = app.browser();
    let page = browser
        .get(session["authenticationUrl"].as_str().unwrap())
        .await;
    // Each language is a button that submits the number form to the language action.
    let id = session["id"].as_str().unwrap();
    assert!(page.body.contains(&format!(
        r#"form="identifier-form" formaction="{}/language" formnovalidate name="lang" value="pl""#,
        login(id)
    )));
    assert!(page.body.contains("<details class=\"languages\">"));
    let switched = browser
        .post(
            &format!("{}/language", login(id)),
            &[
                ("csrf", &page.csrf()),
                ("lang", "pl"),
                ("phone_number", "07911 12"),
            ],
        )
        .await;
    assert_eq!(switched.status, 200);
    assert!(switched.body.contains(r#"<html lang="pl">"#));
    assert!(switched.body.contains(r#"value="07911 12""#));
    // The choice stays: the session's language and the cookie.
    let again = browser.get(&login(id)).await;
    assert!(again.body.contains(r#"<html lang="pl">"#));
    // Without the anti-forgery token the language does not change.
    let forged = browser
        .post(&format!("{}/language", login(id)), &[("lang", "el")])
        .await;
    assert_eq!(forged.status, 403);
}

#[tokio::test]
async fn the_code_page_counts_down_and_offers_webotp_by_a_nonced_script() {
    let app = TestApp::start().await;
    let session = app.create(json!({})).await;
    let (browser, _) = to_code_page(&app, &session).await;
    let page = browser.get(&login(session["id"].as_str().unwrap())).await;
    let csp = page.headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(
        page.body.contains(&format!("<script nonce=\"{nonce}\"")),
        "{}",
        page.body
    );
    assert!(page.body.contains("navigator.credentials"));
    assert!(page.body.contains("transport: [\"sms\"]"));
    // The countdown starts from what the server counted, with the sentence to count in.
    let seconds: i64 = page
        .body
        .split("data-seconds=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let cooldown = i64::from(app.config.otp.resend_cooldown_secs);
    assert!((cooldown - 1..=cooldown).contains(&seconds), "{seconds}");
    assert!(
        page.body
            .contains("data-template=\"You can ask for a new code in {time}.\"")
    );
    assert!(
        page.body
            .contains(&format!("You can ask for a new code in 0:{seconds:02}."))
    );
    assert!(
        page.body
            .contains(r#"id="resend" class="secondary" aria-describedby="resend-note" disabled"#)
    );
    // Each page has its own nonce.
    let next = browser.get(&login(session["id"].as_str().unwrap())).await;
    assert!(!next.body.contains(nonce));
}

#[tokio::test]
async fn a_cancel_shows_our_page_then_goes_back_by_a_form() {
    let app = TestApp::with(|c| c.clients[0].branding = demo_shop()).await;
    let session = app.create(json!({})).await;
    let id = session["id"].as_str().unwrap();
    let browser = app.browser();
    let page = browser
        .get(session["authenticationUrl"].as_str().unwrap())
        .await;
    let cancelled = browser
        .post(&format!("{}/cancel", login(id)), &[("csrf", &page.csrf())])
        .await;
    assert_eq!(cancelled.status, 303);
    let outcome = browser.get(&login(id)).await;
    assert_eq!(outcome.status, 200);
    assert!(
        outcome.body.contains("<h1>Sign-in cancelled</h1>"),
        "{}",
        outcome.body
    );
    assert!(outcome.body.contains(&format!(
        r#"<form method="post" action="{}/onward" id="onward">"#,
        login(id)
    )));
    assert!(
        outcome
            .body
            .contains("<button type=\"submit\">Back to Demo Shop</button>")
    );
    let onward = browser
        .post(
            &format!("{}/onward", login(id)),
            &[("csrf", &outcome.csrf())],
        )
        .await;
    assert_eq!(onward.status, 303);
    assert_eq!(onward.location.unwrap(), format!("{ABORT}?sessionId={id}"));
    assert_eq!(app.session(id).await["status"], "ABORT");

    // A client that opts out sends its users straight back.
    let direct = TestApp::with(|c| c.clients[0].branding.outcome_page = Some(false)).await;
    let session = direct.create(json!({})).await;
    let id = session["id"].as_str().unwrap();
    let browser = direct.browser();
    let page = browser
        .get(session["authenticationUrl"].as_str().unwrap())
        .await;
    browser
        .post(&format!("{}/cancel", login(id)), &[("csrf", &page.csrf())])
        .await;
    let gone = browser.get(&login(id)).await;
    assert_eq!(gone.status, 303);
    assert_eq!(gone.location.unwrap(), format!("{ABORT}?sessionId={id}"));
}

#[tokio::test]
async fn too_many_wrong_codes_say_so_before_going_back() {
    let app = TestApp::start().await;
    let session = app.create(json!({})).await;
    let id = session["id"].as_str().unwrap();
    let (browser, csrf) = to_code_page(&app, &session).await;
    for _ in 0..app.config.otp.max_attempts {
        browser
            .post(
                &format!("{}/otp", login(id)),
                &[("csrf", &csrf), ("otp", "000000")],
            )
            .await;
    }
    let outcome = browser.get(&login(id)).await;
    assert_eq!(outcome.status, 200, "{}", outcome.body);
    assert!(
        outcome.body.contains("<h1>Sign-in stopped</h1>"),
        "{}",
        outcome.body
    );
    assert!(outcome.body.contains("Back to the service"));
    let onward = browser
        .post(
            &format!("{}/onward", login(id)),
            &[("csrf", &outcome.csrf())],
        )
        .await;
    assert_eq!(onward.location.unwrap(), format!("{ERROR}?sessionId={id}"));
}

#[tokio::test]
async fn an_empty_code_is_asked_for_in_words() {
    let app = TestApp::start().await;
    let session = app.create(json!({})).await;
    let id = session["id"].as_str().unwrap();
    let (browser, csrf) = to_code_page(&app, &session).await;
    let sent = browser
        .post(
            &format!("{}/otp", login(id)),
            &[("csrf", &csrf), ("otp", "")],
        )
        .await;
    assert_eq!(sent.status, 303);
    let page = browser.get(&sent.location_path(&app.base)).await;
    assert!(
        page.body
            .contains(r#"<p class="error" id="code-error">Enter the code we sent you.</p>"#),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(r#"aria-invalid="true" aria-describedby="code-error" autofocus"#)
    );
    assert!(page.body.contains("<title>Error: Sign in</title>"));
    // An empty code costs no attempt.
    let wrong = browser
        .post(
            &format!("{}/otp", login(id)),
            &[("csrf", &csrf), ("otp", "000000")],
        )
        .await;
    let page = browser.get(&wrong.location_path(&app.base)).await;
    assert!(page.body.contains(&format!(
        "You have {} attempts left",
        app.config.otp.max_attempts - 1
    )));
}

#[tokio::test]
async fn error_pages_offer_languages_and_a_way_back() {
    let app = TestApp::with(|c| c.clients[0].branding = demo_shop()).await;
    // An unknown session: the languages, for the same address.
    let page = app
        .browser()
        .get("/auth/login/00000000-0000-4000-8000-000000000000")
        .await;
    assert_eq!(page.status, 404);
    assert!(page.body.contains(
        r#"<a href="/language/nb?back=%2Fauth%2Flogin%2F00000000-0000-4000-8000-000000000000" lang="nb""#
    ), "{}", page.body);
    assert!(text_of(&page.body, "reference").is_some());
    // The menu's link sets the language and comes back, never elsewhere.
    for (back, to) in [
        ("%2Flogin%2Fx%3Fa%3D1", "/login/x?a=1"),
        ("https%3A%2F%2Fevil.example%2F", "/"),
        ("%2F%2Fevil.example", "/"),
        ("%2F%5Cevil.example", "/"),
    ] {
        let hop = app
            .browser()
            .get(&format!("/language/el?back={back}"))
            .await;
        assert_eq!(hop.status, 303);
        assert_eq!(hop.location.as_deref(), Some(to), "{back}");
        assert!(
            hop.headers["set-cookie"]
                .to_str()
                .unwrap()
                .starts_with("idb_lang=el;")
        );
    }
    // Another browser: the session is known, so the page names the service and its home.
    let session = app.create(json!({})).await;
    let url = session["authenticationUrl"].as_str().unwrap();
    app.browser().get(url).await;
    let other = app.browser().get(url).await;
    assert_eq!(other.status, 403);
    assert!(
        other
            .body
            .contains("<title>Error: Sign in to Demo Shop</title>"),
        "{}",
        other.body
    );
    assert!(
        other
            .body
            .contains(r#"<a class="button" href="https://shop.example/">Back to Demo Shop</a>"#)
    );
    // A request with an unregistered redirect URI names the parameter, and the service.
    let bad = app
        .browser()
        .get(&app.authorize_url(&[
            ("client_id", CLIENT),
            ("redirect_uri", "https://evil.example/cb"),
        ]))
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("“redirect_uri”"), "{}", bad.body);
    assert!(bad.body.contains("Back to Demo Shop"));
    // What was sent is never echoed as text (the language links carry it encoded).
    assert!(!bad.body.contains("https://evil.example"));
}

#[tokio::test]
async fn an_error_pages_reference_is_on_its_log_line() {
    let broker = Process::start(test_config()).await;
    let base = broker.base.clone();
    let response = reqwest::get(format!(
        "{base}/auth/open/connect/authorize?client_id=no-such-client&redirect_uri=https%3A%2F%2Frp.example%2Fcb&response_type=code&scope=openid"
    ))
    .await
    .unwrap();
    assert_eq!(response.status(), 400);
    let header = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let body = response.text().await.unwrap();
    let shown = text_of(&body, "reference").unwrap();
    let reference = shown.rsplit(' ').next().unwrap().to_owned();
    assert_eq!(reference, header);
    assert_eq!(reference.len(), 8);
    assert!(body.contains("“client_id”"), "{body}");
    let lines = broker.log_lines_until(&reference).await;
    broker.stop();
    let line: serde_json::Value = lines
        .iter()
        .find(|l| l.contains(&reference))
        .map(|l| serde_json::from_str(l).unwrap())
        .expect("a log line with the reference");
    assert_eq!(line["span"]["request_id"], reference.as_str());
    assert_eq!(line["status"], 400, "{line}");
    assert!(
        line["why"].as_str().unwrap().contains("no-such-client"),
        "{line}"
    );
}
