//! The token endpoint's client_credentials grant and its errors.

use serde_json::Value;

use crate::common::*;

async fn post(
    app: &TestApp,
    basic: Option<(&str, &str)>,
    form: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut request = app.api.post(app.url("/auth/open/connect/token")).form(form);
    if let Some((id, secret)) = basic {
        request = request.basic_auth(id, Some(secret));
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.json().await.unwrap())
}

#[tokio::test]
async fn client_credentials_by_basic_and_by_post() {
    let app = TestApp::start().await;
    let (status, headers, json) = post(
        &app,
        Some((CLIENT, SECRET)),
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(json["token_type"], "Bearer");
    assert_eq!(json["expires_in"], 600);
    let (status, _, json) = post(
        &app,
        None,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("scope", "signicat-api"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(json["scope"], "signicat-api");
}

#[tokio::test]
async fn wrong_credentials_are_invalid_client() {
    let app = TestApp::start().await;
    for (basic, form) in [
        (
            Some((CLIENT, "wrong")),
            vec![("grant_type", "client_credentials")],
        ),
        (
            Some(("nobody", SECRET)),
            vec![("grant_type", "client_credentials")],
        ),
        (
            None,
            vec![
                ("grant_type", "client_credentials"),
                ("client_id", CLIENT),
                ("client_secret", "wrong"),
            ],
        ),
        (None, vec![("grant_type", "client_credentials")]),
    ] {
        let (status, headers, json) = post(&app, basic, &form).await;
        assert_eq!(status, 401, "{form:?}");
        assert_eq!(json["error"], "invalid_client");
        if basic.is_some() {
            assert!(
                headers["www-authenticate"]
                    .to_str()
                    .unwrap()
                    .starts_with("Basic")
            );
        }
    }
}

#[tokio::test]
async fn protocol_errors() {
    let app = TestApp::start().await;
    type Case<'a> = (Option<(&'a str, &'a str)>, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        (Some((CLIENT, SECRET)), vec![], "invalid_request"),
        (
            Some((CLIENT, SECRET)),
            vec![("grant_type", "password")],
            "unsupported_grant_type",
        ),
        (
            Some(("nogrant", "nogrant-secret")),
            vec![("grant_type", "client_credentials")],
            "unauthorized_client",
        ),
        (
            Some((CLIENT, SECRET)),
            vec![("grant_type", "client_credentials"), ("scope", "admin")],
            "invalid_scope",
        ),
        (
            Some((CLIENT, SECRET)),
            vec![
                ("grant_type", "client_credentials"),
                ("client_secret", SECRET),
                ("client_id", CLIENT),
            ],
            "invalid_request",
        ),
        (
            Some((CLIENT, SECRET)),
            vec![
                ("grant_type", "client_credentials"),
                ("grant_type", "client_credentials"),
            ],
            "invalid_request",
        ),
    ];
    for (basic, form, error) in cases {
        let (status, _, json) = post(&app, basic, &form).await;
        assert_eq!(status, 400, "{form:?}");
        assert_eq!(json["error"], error, "{form:?}");
    }
    // Not a form at all.
    let response = app
        .api
        .post(app.url("/auth/open/connect/token"))
        .basic_auth(CLIENT, Some(SECRET))
        .json(&serde_json::json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.json::<Value>().await.unwrap()["error"],
        "invalid_request"
    );
}
