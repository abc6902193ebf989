//! What a hostile probe found open, each shown closed over HTTP: forms posted from another
//! site, cookies another host could set, no HSTS, guessable-looking session ids.

use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn a_form_posted_from_another_site_is_refused_and_changes_nothing() {
    let app = TestApp::start().await;
    let flow = Flow::open(&app, json!({ "language": "de" })).await;
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("origin", "null"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let page = Browser::page(
            flow.browser
                .client
                .post(app.url(&flow.path("/phone")))
                .header(name, value)
                .form(&[("csrf", flow.csrf.as_str()), ("phone_number", PHONE)])
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(page.status, 403, "{name}: {value}");
        // Said in the session's language, whatever the browser prefers.
        assert!(page.body.contains(r#"<html lang="de">"#), "{}", page.body);
    }
    assert_eq!(app.gateway().count(), 0);
    assert_eq!(flow.status().await, "CREATED");
    // Our own origin, and a same-origin fetch, go through.
    let page = Browser::page(
        flow.browser
            .client
            .post(app.url(&flow.path("/phone")))
            .header("origin", &app.base)
            .header("sec-fetch-site", "same-origin")
            .form(&[("csrf", flow.csrf.as_str()), ("phone_number", PHONE)])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(page.status, 303);
    assert_eq!(app.gateway().count(), 1);
}

#[tokio::test]
async fn over_https_cookies_are_host_only_and_hsts_is_sent() {
    let app = TestApp::with(|c| c.server.public_url = "https://id.example".into()).await;
    let session = app.create(json!({})).await;
    let path = login(session["id"].as_str().unwrap());
    let browser = app.browser();
    let page = browser.get(&path).await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.headers["strict-transport-security"],
        "max-age=31536000"
    );
    let cookie = page.headers["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-idb_browser="), "{cookie}");
    assert!(
        cookie.contains("; Path=/;") && cookie.contains("Secure") && !cookie.contains("Domain"),
        "{cookie}"
    );
    // (The test client speaks http, so it does not send a Secure cookie back: send it by hand.)
    let value = cookie.split(';').next().unwrap().split_once('=').unwrap().1;
    let post = |name: String| {
        let (app, path, csrf) = (&app, &path, page.csrf());
        async move {
            app.api
                .post(app.url(&format!("{path}/phone")))
                .header("cookie", format!("{name}={value}"))
                .form(&[("csrf", csrf.as_str()), ("phone_number", PHONE)])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // The same value under the plain name (as a sibling host could set it) is not ours.
    assert_eq!(post("idb_browser".into()).await, 403);
    assert_eq!(post("__Host-idb_browser".into()).await, 303);
    // Over http there is no HSTS.
    let plain = TestApp::start().await;
    let response = plain.api.get(plain.url("/healthz")).send().await.unwrap();
    assert!(
        response
            .headers()
            .get("strict-transport-security")
            .is_none()
    );
}

#[tokio::test]
async fn session_ids_carry_128_random_bits() {
    let app = TestApp::start().await;
    let mut version_nibbles = std::collections::BTreeSet::new();
    for _ in 0..64 {
        let id = app.create(json!({})).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        // Still shaped like a UUID, as Signicat's are.
        assert!(uuid::Uuid::try_parse(&id).is_ok(), "{id}");
        version_nibbles.insert(id.as_bytes()[14]);
    }
    // A UUIDv4 spends this digit on its version (always "4"): random bits use all of it.
    assert!(version_nibbles.len() > 4, "{version_nibbles:?}");
}
