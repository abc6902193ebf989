//! The REST API's OpenAPI document: served without a token, and equal to `docs/openapi.json`,
//! so that a change to the contract shows in review. `INSTA_UPDATE=always` rewrites the file,
//! as it rewrites the insta snapshots.

use std::path::Path;

use crate::common::*;

#[tokio::test]
async fn openapi_document_is_served_and_committed() {
    let app = TestApp::start().await;
    let response = app
        .api
        .get(app.url("/auth/rest/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.headers()["cache-control"], "public, max-age=300");
    let served = response.text().await.unwrap();
    let doc: serde_json::Value = serde_json::from_str(&served).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");

    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/openapi.json");
    if std::env::var("INSTA_UPDATE").as_deref() == Ok("always") {
        std::fs::write(&file, &served).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&file).unwrap_or_default();
    if served != committed {
        let line = served
            .lines()
            .zip(committed.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| served.lines().count().min(committed.lines().count()));
        panic!(
            "the served OpenAPI document differs from docs/openapi.json from line {}:\n  \
             served:    {:?}\n  committed: {:?}\nIf the change is meant, rewrite the file: \
             INSTA_UPDATE=always cargo test --test flow openapi",
            line + 1,
            served.lines().nth(line).unwrap_or("(end)"),
            committed.lines().nth(line).unwrap_or("(end)"),
        );
    }
}
