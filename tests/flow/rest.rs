//! The REST API: validation, ownership, cancellation, authentication.

use serde_json::{Value, json};

use crate::common::*;

async fn problem(app: &TestApp, body: Value) -> Value {
    let (status, json) = app.create_raw(&app.token().await, &body).await;
    assert_eq!(status, 400, "{json}");
    json
}

fn with(edit: impl FnOnce(&mut Value)) -> Value {
    let mut body = session_request();
    edit(&mut body);
    body
}

#[tokio::test]
async fn create_echoes_the_request_and_points_at_the_login_page() {
    let app = TestApp::start().await;
    let token = app.token().await;
    let body = with(|b| {
        b["externalReference"] = json!("order-42");
        b["prefilledInput"] = json!({"mobile": "07911 123456"});
        b["someFutureField"] = json!({"ignored": true});
    });
    let response = app
        .api
        .post(app.url("/auth/rest/sessions"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let json: Value = response.json().await.unwrap();
    let id = json["id"].as_str().unwrap();
    assert_eq!(location, format!("/auth/rest/sessions/{id}"));
    assert_eq!(json["authenticationUrl"], app.url(&login(id)));
    assert_eq!(json["allowedProviders"], json!(["otp-sms"]));
    assert_eq!(json["flow"], "redirect");
    assert_eq!(json["language"], "en");
    assert_eq!(json["requestedAttributes"], json!(["idpId", "phoneNumber"]));
    assert_eq!(json["externalReference"], "order-42");
    assert_eq!(json["prefilledInput"]["mobile"], PHONE);
    // The pre-filled number shows on the phone page.
    let page = app.browser().get(&login(id)).await;
    assert!(page.body.contains(&format!("value=\"{PHONE}\"")));
}

#[tokio::test]
async fn bad_requests_name_the_field() {
    let app = TestApp::start().await;
    let cases: Vec<(Value, &str)> = vec![
        (
            with(|b| b["allowedProviders"] = json!(["bankid"])),
            "allowedProviders[0]",
        ),
        (
            with(|b| b["allowedProviders"] = json!([])),
            "allowedProviders",
        ),
        (
            with(|b| b["allowedProviders"] = json!("otp-sms")),
            "allowedProviders",
        ),
        (
            with(|b| b["requestedAttributes"] = json!(["idpId", "ssn"])),
            "requestedAttributes[1]",
        ),
        (with(|b| b["language"] = json!("tlh")), "language"),
        (with(|b| b["language"] = json!(7)), "language"),
        (with(|b| b["flow"] = json!("headless")), "flow"),
        (
            with(|b| b["callbackUrls"]["success"] = json!("https://evil.example/cb")),
            "callbackUrls.success",
        ),
        (
            with(|b| b["callbackUrls"]["error"] = json!(format!("{ERROR}/more"))),
            "callbackUrls.error",
        ),
        (
            with(|b| {
                b.as_object_mut().unwrap().remove("callbackUrls");
            }),
            "(body)",
        ),
        (
            with(|b| b["callbackUrls"] = json!({"success": SUCCESS})),
            "callbackUrls",
        ),
        (
            with(|b| b["additionalParameters"]["otp_sms_sender"] = json!("Acme\n@evil #1")),
            "additionalParameters.otp_sms_sender",
        ),
        (
            with(|b| b["additionalParameters"]["otp_sms_sender"] = json!(12)),
            "additionalParameters.otp_sms_sender",
        ),
        (
            with(|b| b["prefilledInput"] = json!({"mobile": "123"})),
            "prefilledInput.mobile",
        ),
        // serde would read a struct from an array of its fields; the API takes objects.
        (
            with(|b| b["callbackUrls"] = json!([SUCCESS, ABORT, ERROR])),
            "callbackUrls",
        ),
        (
            with(|b| b["prefilledInput"] = json!([null, null])),
            "prefilledInput",
        ),
    ];
    for (body, field) in cases {
        let json = problem(&app, body).await;
        assert_eq!(json["field"], field, "{json}");
        assert_eq!(json["status"], 400);
        assert!(
            json["detail"].as_str().unwrap().starts_with(field),
            "{json}"
        );
    }
}

#[tokio::test]
async fn length_limits_count_characters() {
    let app = TestApp::start().await;
    let accented = "é".repeat(256);
    let session = app
        .create(json!({
            "externalReference": accented,
            "additionalParameters": {"note": accented},
        }))
        .await;
    assert_eq!(session["externalReference"], accented.as_str());
    let json = problem(
        &app,
        with(|b| b["externalReference"] = json!("x".repeat(257))),
    )
    .await;
    assert_eq!(json["field"], "externalReference");
}

#[tokio::test]
async fn malformed_bodies_get_problem_json() {
    let app = TestApp::start().await;
    let token = app.token().await;
    let send = |body: Vec<u8>, content_type: &'static str| {
        app.api
            .post(app.url("/auth/rest/sessions"))
            .bearer_auth(&token)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let mut trailing = serde_json::to_vec(&session_request()).unwrap();
    trailing.extend_from_slice(b" {}");
    for (body, content_type, status) in [
        (b"{not json".to_vec(), "application/json", 400),
        (trailing, "application/json", 400),
        (b"[]".to_vec(), "application/json", 400),
        (b"".to_vec(), "application/json", 400),
        (br#"{"a":1}"#.to_vec(), "text/plain", 415),
        (vec![b' '; 100 * 1024], "application/json", 413),
    ] {
        let response = send(body, content_type).await.unwrap();
        assert_eq!(response.status(), status);
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        let json: Value = response.json().await.unwrap();
        assert_eq!(json["status"], status);
    }
}

#[tokio::test]
async fn api_needs_a_valid_bearer_token() {
    let app = TestApp::start().await;
    for auth in [
        None,
        Some("Bearer nonsense"),
        Some("Bearer a.b"),
        Some("Basic cnA6cnAtc2VjcmV0LTEyMw=="),
    ] {
        let mut request = app
            .api
            .post(app.url("/auth/rest/sessions"))
            .json(&session_request());
        if let Some(auth) = auth {
            request = request.header("authorization", auth);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 401, "{auth:?}");
        assert!(
            response.headers()["www-authenticate"]
                .to_str()
                .unwrap()
                .starts_with("Bearer")
        );
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    }
    // Tokens expire.
    let token = app.token().await;
    app.advance(601);
    let (status, _) = app.create_raw(&token, &session_request()).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn another_clients_session_does_not_exist() {
    let app = TestApp::start().await;
    let session = app.create(json!({})).await;
    let id = session["id"].as_str().unwrap();
    let other = app.token_for(OTHER, "other-secret-123").await;
    let path = app.url(&format!("/auth/rest/sessions/{id}"));
    let read = app.api.get(&path).bearer_auth(&other).send().await.unwrap();
    assert_eq!(read.status(), 404);
    assert_eq!(read.headers()["content-type"], "application/problem+json");
    let delete = app
        .api
        .delete(&path)
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(delete.status(), 404);
    assert_eq!(app.session(id).await["status"], "CREATED");
    // Unknown ids look the same.
    let unknown = app
        .api
        .get(app.url("/auth/rest/sessions/00000000-0000-4000-8000-000000000000"))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    let garbage = app
        .api
        .get(app.url("/auth/rest/sessions/%ff"))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), 404);
    assert_eq!(
        garbage.headers()["content-type"],
        "application/problem+json"
    );
}

#[tokio::test]
async fn delete_cancels_and_the_browser_goes_to_abort() {
    let app = TestApp::start().await;
    let session = app.create(json!({})).await;
    let id = session["id"].as_str().unwrap();
    let browser = app.browser();
    browser.get(&login(id)).await;
    let path = app.url(&format!("/auth/rest/sessions/{id}"));
    let response = app
        .api
        .delete(&path)
        .bearer_auth(app.token().await)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>().await.unwrap()["status"],
        "CANCELLED"
    );
    let page = browser.get(&login(id)).await;
    assert_eq!(
        page.location.as_deref(),
        Some(format!("{ABORT}?sessionId={id}").as_str())
    );
    // Cancelling again: the session has already ended.
    let again = app
        .api
        .delete(&path)
        .bearer_auth(app.token().await)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 409);
}

#[tokio::test]
async fn providers_must_be_enabled_for_the_client() {
    let app =
        TestApp::with(|c| c.clients[0].allowed_providers = Some(vec!["otp-sms".into()])).await;
    let session = app
        .create(json!({"allowedProviders": ["otp-sms", "otp-sms"]}))
        .await;
    assert_eq!(session["allowedProviders"], json!(["otp-sms"]));
}
