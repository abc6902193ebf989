//! The HID-compatible API, driven with the seed's request bodies (seed 003), unchanged but for
//! host and tenant.

use serde_json::{Value, json};

use crate::common::*;

pub const TENANT: &str = "t17b5e9c64237164237900";
pub const OTHER_TENANT: &str = "t2other";
pub const ADMIN: &str = "hid admin";
pub const ADMIN_SECRET: &str = "admin-secret:1&2";
pub const APP: &str = "hid-app";
pub const APP_SECRET: &str = "app-secret-123";
pub const OTHER_ADMIN: &str = "other-admin";

/// Two tenants, an administrator and a plain client in the first, an administrator in the
/// second, and the directory at `url`.
pub fn hid(config: &mut idbroker::config::Config, url: &str) {
    config.hid.tenants =
        serde_json::from_value(json!([{"id": TENANT}, {"id": OTHER_TENANT}])).unwrap();
    config.directory.url = url.to_owned();
    config.directory.kind = match url.starts_with("postgres") {
        true => idbroker::config::DirectoryKind::Postgres,
        false => idbroker::config::DirectoryKind::Sqlite,
    };
    let clients: Vec<idbroker::config::Client> = serde_json::from_value(json!([
        {"client_id": ADMIN, "client_secret": ADMIN_SECRET, "hid_tenant": TENANT, "hid_admin": true},
        {"client_id": APP, "client_secret": APP_SECRET, "hid_tenant": TENANT},
        {"client_id": OTHER_ADMIN, "client_secret": "other-secret-1", "hid_tenant": OTHER_TENANT, "hid_admin": true}
    ]))
    .unwrap();
    config.clients.extend(clients);
}

pub async fn hid_app() -> TestApp {
    TestApp::with(|c| hid(c, "sqlite::memory:")).await
}

/// A client token as HID's client gets one: HTTP Basic, id and secret URL-encoded first.
pub async fn client_token(app: &TestApp, tenant: &str, id: &str, secret: &str) -> (u16, Value) {
    let encode = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let basic = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        format!("{}:{}", encode(id), encode(secret)),
    );
    let response = app
        .api
        .post(app.url(&format!("/idp/{tenant}/authn/token")))
        .header("authorization", format!("Basic {basic}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials&scope=openid")
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub async fn admin_token(app: &TestApp) -> String {
    let (status, json) = client_token(app, TENANT, ADMIN, ADMIN_SECRET).await;
    assert_eq!(status, 200, "{json}");
    json["access_token"].as_str().unwrap().to_owned()
}

/// A SCIM request with `body`, as HID's examples send it (`Content-Type` in quotes included).
pub async fn scim(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = app
        .api
        .request(method, app.url(path))
        .header("content-type", "\"application/scim+json\"");
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.body(body.to_string());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub fn jsmith() -> Value {
    json!({
        "schemas": [
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:hid:scim:api:idp:2.0:UserAttribute"
        ],
        "externalId": "jsmith@gmail.com",
        "userName": "jsmith",
        "name": {"familyName": "Smith", "givenName": "John"},
        "groups": [{"value": "UG_ROOT"}],
        "urn:hid:scim:api:idp:2.0:UserAttribute": {
            "attributes": [{"name": "ATR_MOBILE", "type": "string", "value": PHONE}]
        }
    })
}

/// The seed's search request, to the letter.
fn seed_search() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": "externalId eq \"jsmith@gmail.com\"",
        "sortBy": "id",
        "sortOrder": "descending",
        "startIndex": 0,
        "count": 100
    })
}

/// Creates jsmith in `TENANT`; returns the id.
pub async fn create_jsmith(app: &TestApp, token: &str) -> String {
    let (status, user) = scim(
        app,
        reqwest::Method::POST,
        &format!("/scim/{TENANT}/v2/Users"),
        Some(token),
        Some(jsmith()),
    )
    .await;
    assert_eq!(status, 201, "{user}");
    user["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn client_tokens_follow_hid() {
    let app = hid_app().await;
    let (status, json) = client_token(&app, TENANT, ADMIN, ADMIN_SECRET).await;
    assert_eq!(status, 200, "{json}");
    assert_eq!(json["token_type"], "Bearer");
    assert!(json["expires_in"].as_i64().unwrap() > 0);
    // client_secret_post works too.
    let response = app
        .api
        .post(app.url(&format!("/idp/{TENANT}/authn/token")))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", APP),
            ("client_secret", APP_SECRET),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // A wrong secret is HID's 400; a client of another tenant is no client here.
    let (status, json) = client_token(&app, TENANT, ADMIN, "wrong").await;
    assert_eq!(
        (status, json["error"].as_str()),
        (400, Some("invalid_client"))
    );
    let (status, _) = client_token(&app, TENANT, OTHER_ADMIN, "other-secret-1").await;
    assert_eq!(status, 400);
    let (status, _) = client_token(&app, "tnowhere", ADMIN, ADMIN_SECRET).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn users_are_created_found_changed_and_deleted_over_scim() {
    let app = hid_app().await;
    let token = admin_token(&app).await;
    let id = create_jsmith(&app, &token).await;
    assert!(id.parse::<u64>().is_ok(), "numeric id: {id}");

    let (status, list) = scim(
        &app,
        reqwest::Method::POST,
        &format!("/scim/{TENANT}/v2/Users/.search"),
        Some(&token),
        Some(seed_search()),
    )
    .await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(
        list["schemas"][0],
        "urn:ietf:params:scim:api:messages:2.0:ListResponse"
    );
    assert_eq!(list["totalResults"], 1);
    let found = &list["resources"][0];
    assert_eq!(found["id"], id.as_str());
    assert_eq!(found["externalId"], "jsmith@gmail.com");
    assert_eq!(found["phoneNumbers"][0]["value"], PHONE);
    assert_eq!(
        found["urn:hid:scim:api:idp:2.0:UserAttribute"]["attributes"][0],
        json!({"name": "ATR_MOBILE", "type": "string", "value": PHONE})
    );
    // The unquoted userName filter, under /SCIM/ and with a spaced api-version.
    let mut by_name = seed_search();
    by_name["filter"] = json!("userName eq jsmith");
    let (status, list) = scim(
        &app,
        reqwest::Method::POST,
        &format!("/SCIM/{TENANT}/v2/Users/.search?  api-version = 10"),
        Some(&token),
        Some(by_name),
    )
    .await;
    assert_eq!((status, list["totalResults"].as_i64()), (200, Some(1)));

    // PUT with just the attribute block changes the number, in both views.
    let (status, user) = scim(
        &app,
        reqwest::Method::PUT,
        &format!("/scim/{TENANT}/v2/Users/{id}"),
        Some(&token),
        Some(
            json!({"urn:hid:scim:api:idp:2.0:UserAttribute": {"attributes": [
                {"name": "ATR_MOBILE", "type": "string", "value": "+47 412 34 567"}
            ]}}),
        ),
    )
    .await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(user["phoneNumbers"][0]["value"], "+4741234567");
    assert_eq!(user["userName"], "jsmith", "the rest is kept");
    let (status, read) = scim(
        &app,
        reqwest::Method::GET,
        &format!("/scim/{TENANT}/v2/Users/{id}?api-version=10"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        read["urn:hid:scim:api:idp:2.0:UserAttribute"]["attributes"][0]["value"],
        "+4741234567"
    );
    // A second jsmith is a conflict.
    let (status, error) = scim(
        &app,
        reqwest::Method::POST,
        &format!("/scim/{TENANT}/v2/Users"),
        Some(&token),
        Some(jsmith()),
    )
    .await;
    assert_eq!(status, 409, "{error}");
    assert_eq!(error["scimType"], "uniqueness");
    assert_eq!(error["status"], "409");
    let (status, _) = scim(
        &app,
        reqwest::Method::DELETE,
        &format!("/scim/{TENANT}/v2/Users/{id}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let (status, error) = scim(
        &app,
        reqwest::Method::GET,
        &format!("/scim/{TENANT}/v2/Users/{id}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(
        error["schemas"][0],
        "urn:ietf:params:scim:api:messages:2.0:Error"
    );
}

#[tokio::test]
async fn scim_is_for_administrators_of_the_tenant_only() {
    let app = hid_app().await;
    let token = admin_token(&app).await;
    let id = create_jsmith(&app, &token).await;
    let user_path = format!("/scim/{TENANT}/v2/Users/{id}");
    let (status, error) = scim(&app, reqwest::Method::GET, &user_path, None, None).await;
    assert_eq!(status, 401, "{error}");
    assert_eq!(error["status"], "401");
    let (_, app_token) = client_token(&app, TENANT, APP, APP_SECRET).await;
    let app_token = app_token["access_token"].as_str().unwrap().to_owned();
    let (status, _) = scim(
        &app,
        reqwest::Method::GET,
        &user_path,
        Some(&app_token),
        None,
    )
    .await;
    assert_eq!(status, 403);
    // Another tenant's administrator: its token is no token here, and in its own tenant the
    // id does not exist.
    let (_, other) = client_token(&app, OTHER_TENANT, OTHER_ADMIN, "other-secret-1").await;
    let other = other["access_token"].as_str().unwrap().to_owned();
    let (status, _) = scim(&app, reqwest::Method::GET, &user_path, Some(&other), None).await;
    assert_eq!(status, 401);
    let (status, _) = scim(
        &app,
        reqwest::Method::GET,
        &format!("/scim/{OTHER_TENANT}/v2/Users/{id}"),
        Some(&other),
        None,
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn bad_scim_requests_get_scim_errors() {
    let app = hid_app().await;
    let token = admin_token(&app).await;
    let users = format!("/scim/{TENANT}/v2/Users");
    let mut bad_phone = jsmith();
    bad_phone["urn:hid:scim:api:idp:2.0:UserAttribute"]["attributes"][0]["value"] = json!("12");
    let mut twice = jsmith();
    twice["phoneNumbers"] = json!([{"value": "+4741234567"}]);
    let mut no_name = jsmith();
    no_name.as_object_mut().unwrap().remove("userName");
    for (body, kind) in [
        (bad_phone, "invalidValue"),
        (twice, "invalidValue"),
        (no_name, "invalidValue"),
        (json!({"userName": 7}), "invalidValue"),
    ] {
        let (status, error) = scim(
            &app,
            reqwest::Method::POST,
            &users,
            Some(&token),
            Some(body),
        )
        .await;
        assert_eq!(
            (status, error["scimType"].as_str()),
            (400, Some(kind)),
            "{error}"
        );
    }
    let response = app
        .api
        .post(app.url(&users))
        .bearer_auth(&token)
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["scimType"], "invalidSyntax");
    let (status, error) = scim(
        &app,
        reqwest::Method::POST,
        &format!("{users}/.search"),
        Some(&token),
        Some(json!({"filter": "title co \"x\""})),
    )
    .await;
    assert_eq!(
        (status, error["scimType"].as_str()),
        (400, Some("invalidFilter"))
    );
}

async fn survives_a_restart(url: &str) {
    let app = TestApp::with(|c| hid(c, url)).await;
    let token = admin_token(&app).await;
    let id = create_jsmith(&app, &token).await;
    drop(app);
    let again = TestApp::with(|c| hid(c, url)).await;
    let token = admin_token(&again).await;
    let (status, user) = scim(
        &again,
        reqwest::Method::GET,
        &format!("/scim/{TENANT}/v2/Users/{id}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(user["phoneNumbers"][0]["value"], PHONE);
}

#[tokio::test]
async fn users_survive_a_restart_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("directory.db").display()
    );
    survives_a_restart(&url).await;
}

#[tokio::test]
async fn users_survive_a_restart_on_postgresql() {
    let server = PostgresServer::start();
    survives_a_restart(&server.url).await;
}

/// The seed's registration body, as text (its repeated `policy` key included).
fn seed_registration(user_id: &str) -> String {
    format!(
        r#"{{
   "schemas":[
      "urn:hid:scim:api:idp:2.0:Authenticator"
   ],
   "policy":{{
      "value":"AT_OOBSMS"
   }},
   "owner":{{
      "value":"{user_id}"
   }},
   "policy": {{
      "value": "AT_OOBSMS"
   }},
      "activationCode":"activationSecretCode",
   "urn:hid:scim:api:idp:2.0:Action": {{
      "action": "REGISTER-OOB",
      "attributes": [
          {{
             "name": "OOB_DEVICETYPE_CODE",
             "value": "DT_OOBSMS"
          }}
   ]}}
}}"#
    )
}

async fn post_text(app: &TestApp, path: &str, token: &str, body: String) -> (u16, Value) {
    let response = app
        .api
        .post(app.url(path))
        .bearer_auth(token)
        .header("content-type", "\"application/scim+json\"")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// jsmith with an AT_OOBSMS authenticator; returns the admin token and the user id.
async fn registered(app: &TestApp) -> (String, String) {
    let token = admin_token(app).await;
    let id = create_jsmith(app, &token).await;
    let path = format!("/scim/{TENANT}/v2/Authenticator");
    let (status, a) = post_text(app, &path, &token, seed_registration(&id)).await;
    assert_eq!(status, 201, "{a}");
    (token, id)
}

/// One `authn/token` post of the seed's login, with the client's token.
async fn authn(app: &TestApp, token: &str, password: &str, no_token: Option<&str>) -> (u16, Value) {
    let mut body = format!(
        "grant_type=password&username=jsmith%40gmail.com&password={password}&channel=CH_EXTRAPP&authType=AT_OOBSMS"
    );
    if let Some(n) = no_token {
        body.push_str(&format!("&noToken={n}"));
    }
    let response = app
        .api
        .post(app.url(&format!("/idp/{TENANT}/authn/token")))
        .bearer_auth(token)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn app_token(app: &TestApp) -> String {
    let (_, json) = client_token(app, TENANT, APP, APP_SECRET).await;
    json["access_token"].as_str().unwrap().to_owned()
}

/// The 8-digit code in the newest SMS.
fn sms_code(app: &TestApp) -> String {
    let text = app.gateway().last()["challenge"].clone();
    text.split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 8)
        .unwrap_or_else(|| panic!("an 8-digit code in {text:?}"))
        .to_owned()
}

async fn authenticator(app: &TestApp, token: &str, id: &str) -> Value {
    let (status, a) = scim(
        app,
        reqwest::Method::GET,
        &format!("/scim/{TENANT}/v2/Authenticator/{id}.AT_OOBSMS"),
        Some(token),
        None,
    )
    .await;
    assert_eq!(status, 200, "{a}");
    a
}

#[tokio::test]
async fn an_oob_sms_authenticator_registers_as_the_seed_shows() {
    let app = hid_app().await;
    let token = admin_token(&app).await;
    let id = create_jsmith(&app, &token).await;
    let path = format!("/scim/{TENANT}/v2/Authenticator");
    let (status, a) = post_text(&app, &path, &token, seed_registration(&id)).await;
    assert_eq!(status, 201, "{a}");
    assert_eq!(
        a["schemas"],
        json!(["urn:hid:scim:api:idp:2.0:Authenticator"])
    );
    assert_eq!(a["id"], format!("{id}.AT_OOBSMS"));
    assert_eq!(a["externalId"], "jsmith@gmail.com");
    assert_eq!(a["meta"]["resourceType"], "Authenticator");
    assert_eq!(
        a["meta"]["location"],
        app.url(&format!("/scim/{TENANT}/v2/Authenticator/{id}.AT_OOBSMS"))
    );
    assert_eq!(a["status"]["status"], "ENABLED");
    assert_eq!(a["status"]["active"], true);
    assert_eq!(
        a["owner"],
        json!({"type": "User", "display": "jsmith@gmail.com", "value": id,
               "$ref": app.url(&format!("/scim/{TENANT}/v2/Users/{id}"))})
    );
    assert_eq!(
        a["statistics"],
        json!({"consecutiveFailed": "0", "consecutiveSuccess": "0", "maximumNumberOfUsages": "0",
               "totalFailed": "0", "totalSuccess": "0"})
    );
    assert_eq!(a["policy"]["value"], "AT_OOBSMS");
    assert_eq!(a["activationCode"], "activationSecretCode");
    // Once per user and policy; the activation code is not shown again.
    let (status, error) = post_text(&app, &path, &token, seed_registration(&id)).await;
    assert_eq!(
        (status, error["scimType"].as_str()),
        (409, Some("uniqueness"))
    );
    assert!(
        authenticator(&app, &token, &id)
            .await
            .get("activationCode")
            .is_none()
    );
    // AT_TXOOB as HID's client registers it: the owner by external id, no activation code.
    let txoob = json!({
        "schemas": ["urn:hid:scim:api:idp:2.0:Authenticator"],
        "policy": {"value": "AT_TXOOB"},
        "owner": {"display": "jsmith@gmail.com"},
        "useActivationCode": false,
        "urn:hid:scim:api:idp:2.0:Action": {"action": "REGISTER-OOB", "attributes": [
            {"name": "OOB_CREDENTIALTYPE_CODE", "value": "CT_TXOOB"},
            {"name": "OOB_DEVICETYPE_CODE", "value": "DT_TXOOB"}
        ]}
    });
    let (status, a) = post_text(&app, &path, &token, txoob.to_string()).await;
    assert_eq!(status, 201, "{a}");
    assert_eq!(a["id"], format!("{id}.AT_TXOOB"));
    // AT_OOBSMS without an activation code is refused.
    let (status, error) = post_text(
        &app,
        &path,
        &token,
        seed_registration(&id).replace(r#""activationCode":"activationSecretCode","#, ""),
    )
    .await;
    assert_eq!(
        (status, error["scimType"].as_str()),
        (400, Some("invalidValue"))
    );
}

#[tokio::test]
async fn the_two_step_login_answers_for_each_no_token() {
    let app = hid_app().await;
    let (admin, id) = registered(&app).await;
    let client = app_token(&app).await;
    for (no_token, expected) in [
        (None, json!({"token_type": "Bearer", "expires_in": 86400})),
        (
            Some("0"),
            json!({"token_type": "Bearer", "expires_in": 360, "context": {"LEVEL_OF_ASSURANCE": "1"}}),
        ),
        (
            Some("1"),
            json!({"token_type": "Bearer", "access_token": "IA==", "context": {"LEVEL_OF_ASSURANCE": "1"}}),
        ),
    ] {
        let (status, sent) = authn(&app, &client, "activationSecretCode", Some("1")).await;
        assert_eq!(status, 200, "{sent}");
        assert!(
            !sent["context"]["AUTHENTICATION_OOB_SENT"]
                .as_str()
                .unwrap()
                .is_empty()
        );
        assert_eq!(app.gateway().last()["to"], PHONE);
        let (status, tokens) = authn(&app, &client, &sms_code(&app), no_token).await;
        assert_eq!(status, 200, "{tokens}");
        for (key, value) in expected.as_object().unwrap() {
            assert_eq!(&tokens[key], value, "{no_token:?}: {tokens}");
        }
        if no_token != Some("1") {
            assert_ne!(tokens["access_token"], "IA==");
            assert_eq!(
                tokens.as_object().unwrap().len(),
                expected.as_object().unwrap().len() + 1
            );
        } else {
            assert_eq!(tokens.as_object().unwrap().len(), 3);
        }
    }
    let stats = &authenticator(&app, &admin, &id).await["statistics"];
    assert_eq!(stats["totalSuccess"], "3");
    assert_eq!(stats["consecutiveSuccess"], "3");
    assert_eq!(stats["maximumNumberOfUsages"], "3");
    assert!(stats["lastSuccessfulDate"].is_string());
}

#[tokio::test]
async fn wrong_codes_lock_and_reset_unlocks() {
    let app = hid_app().await;
    let (admin, id) = registered(&app).await;
    let client = app_token(&app).await;
    // A wrong activation code sends nothing.
    let (status, _) = authn(&app, &client, "not-the-code", Some("1")).await;
    assert_eq!(status, 400);
    assert_eq!(app.gateway().count(), 0);
    authn(&app, &client, "activationSecretCode", Some("1")).await;
    let code = sms_code(&app);
    for _ in 0..4 {
        let (status, json) = authn(&app, &client, "00000000", None).await;
        assert_eq!(
            (status, json["error"].as_str()),
            (400, Some("invalid_grant"))
        );
    }
    // The fifth wrong code locks: now the right one no longer works, even after a new send.
    authn(&app, &client, "00000001", None).await;
    let a = authenticator(&app, &admin, &id).await;
    assert_eq!(
        a["statistics"]["consecutiveFailed"], "6",
        "the wrong activation code counts"
    );
    assert_eq!(a["status"]["active"], false);
    authn(&app, &client, "activationSecretCode", Some("1")).await;
    let (status, json) = authn(&app, &client, &sms_code(&app), None).await;
    assert_eq!(status, 400, "{json}");
    assert!(
        json["error_description"]
            .as_str()
            .unwrap()
            .contains("locked")
    );
    let _ = code;
    // RESET, a new code, and it works.
    let (status, a) = scim(
        &app,
        reqwest::Method::POST,
        &format!("/scim/{TENANT}/v2/Authenticator/{id}.AT_OOBSMS"),
        Some(&admin),
        Some(json!({"schemas": ["urn:hid:scim:api:idp:2.0:Action"],
                    "urn:hid:scim:api:idp:2.0:Action": {"action": "RESET"}})),
    )
    .await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(a["statistics"]["consecutiveFailed"], "0");
    authn(&app, &client, "activationSecretCode", Some("1")).await;
    let (status, json) = authn(&app, &client, &sms_code(&app), None).await;
    assert_eq!(status, 200, "{json}");
}

#[tokio::test]
async fn a_disabled_authenticator_neither_sends_nor_verifies() {
    let app = hid_app().await;
    let (admin, id) = registered(&app).await;
    let client = app_token(&app).await;
    authn(&app, &client, "activationSecretCode", Some("1")).await;
    let code = sms_code(&app);
    let sent = app.gateway().count();
    let (status, a) = scim(
        &app,
        reqwest::Method::PUT,
        &format!("/scim/{TENANT}/v2/Authenticator/{id}.AT_OOBSMS"),
        Some(&admin),
        Some(json!({"status": {"status": "DISABLED", "active": false}})),
    )
    .await;
    assert_eq!(
        (status, a["status"]["status"].as_str()),
        (200, Some("DISABLED"))
    );
    let (status, _) = authn(&app, &client, &code, None).await;
    assert_eq!(status, 400);
    let (status, _) = authn(&app, &client, "activationSecretCode", Some("1")).await;
    assert_eq!(status, 400);
    assert_eq!(app.gateway().count(), sent, "nothing sent");
    // Without a client token there is no login at all.
    let (status, _) = authn(&app, "forged", "activationSecretCode", Some("1")).await;
    assert_eq!(status, 401);
}

/// jsmith with an AT_TXOOB authenticator; returns the admin token.
async fn with_txoob(app: &TestApp) -> String {
    let token = admin_token(app).await;
    create_jsmith(app, &token).await;
    let body = json!({
        "schemas": ["urn:hid:scim:api:idp:2.0:Authenticator"],
        "policy": {"value": "AT_TXOOB"},
        "owner": {"display": "jsmith@gmail.com"},
        "useActivationCode": false,
        "urn:hid:scim:api:idp:2.0:Action": {"action": "REGISTER-OOB", "attributes": [
            {"name": "OOB_CREDENTIALTYPE_CODE", "value": "CT_TXOOB"},
            {"name": "OOB_DEVICETYPE_CODE", "value": "DT_TXOOB"}
        ]}
    });
    let path = format!("/scim/{TENANT}/v2/Authenticator");
    let (status, a) = post_text(app, &path, &token, body.to_string()).await;
    assert_eq!(status, 201, "{a}");
    token
}

/// The seed's DELIVER-CHALLENGE, with or without its correlation id, to `path`.
async fn deliver(app: &TestApp, token: &str, path: &str, correlation: Option<&str>) -> String {
    let mut attributes = vec![
        json!({"name": "tds", "value": "To validate your 50 EUR payment to ExamplePayee, please enter the code : {$secret}"}),
    ];
    if let Some(cid) = correlation {
        attributes.push(json!({"name": "correlationid", "value": cid}));
    }
    attributes.push(json!({"name": "DEVICETYPE", "value": "DT_TXOOB"}));
    attributes.push(json!({"name": "USER.EXTERNALID", "value": "jsmith@gmail.com"}));
    let body = json!({
        "schemas": ["urn:hid:scim:api:idp:2.0:Action"],
        "urn:hid:scim:api:idp:2.0:Action": {"action": "DELIVER-CHALLENGE", "attributes": attributes}
    });
    let (status, answer) = post_text(app, path, token, body.to_string()).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        answer["schemas"],
        json!(["urn:hid:scim:api:idp:2.0:Action"])
    );
    let names: Vec<&str> = answer["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "CHALLENGE",
            "CHALLENGE.ID",
            "REQUEST.STATUS",
            "REQUEST.REASON",
            "REQUEST.ERROR_MESSAGE"
        ]
    );
    assert_eq!(answer["attributes"][2]["value"], "1");
    let code = sms_code(app);
    let text = app.gateway().last()["challenge"].clone();
    assert_eq!(
        text,
        format!("To validate your 50 EUR payment to ExamplePayee, please enter the code : {code}")
    );
    answer["attributes"][1]["value"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The seed's verification post, to `path`.
async fn validate(
    app: &TestApp,
    token: &str,
    path: &str,
    code: &str,
    context: &str,
) -> (u16, Value) {
    validate_at(
        app.api.clone(),
        app.url(path),
        token.to_owned(),
        code.to_owned(),
        context.to_owned(),
    )
    .await
}

/// The same with everything owned, for a spawned task.
async fn validate_at(
    api: reqwest::Client,
    url: String,
    token: String,
    code: String,
    context: String,
) -> (u16, Value) {
    let body = format!(
        "grant_type=password&username=jsmith@gmail.com&password={code}&context={context}&channel=CH_EXTRAPP&authType=AT_TXOOB&noToken=1"
    );
    let response = api
        .post(url)
        .bearer_auth(token)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// jsmith's AT_TXOOB statistics, as `app` reports them.
async fn txoob_statistics(app: &TestApp, admin: &str) -> Value {
    let (_, user) = scim(
        app,
        reqwest::Method::POST,
        &format!("/scim/{TENANT}/v2/Users/.search"),
        Some(admin),
        Some(seed_search()),
    )
    .await;
    let id = user["resources"][0]["id"].as_str().unwrap();
    let (_, a) = scim(
        app,
        reqwest::Method::GET,
        &format!("/scim/{TENANT}/v2/Authenticator/{id}.AT_TXOOB"),
        Some(admin),
        None,
    )
    .await;
    a["statistics"].clone()
}

#[tokio::test]
async fn a_transaction_is_delivered_and_validated_on_both_paths() {
    let app = hid_app().await;
    with_txoob(&app).await;
    let client = app_token(&app).await;
    let seed_deliver = format!("/idp/{TENANT}/authn/token");
    let seed_verify = format!("/idp/{TENANT}/v2/Authenticator/.AT_TXOOB");
    let hid_deliver = format!("/scim/{TENANT}/v2/Authenticator/.AT_TXOOB");
    // The seed's way, with a correlation id.
    let tx = deliver(&app, &client, &seed_deliver, Some("4039")).await;
    let code = sms_code(&app);
    let (status, json) = validate(
        &app,
        &client,
        &seed_verify,
        &code,
        &format!("correlationId:4039:false+txID:{tx}:false"),
    )
    .await;
    assert_eq!(status, 200, "{json}");
    assert_eq!(
        json,
        json!({"access_token": "IA==", "context": {"LEVEL_OF_ASSURANCE": "1"}, "token_type": "Bearer"})
    );
    // HID's client's way, without one.
    let tx = deliver(&app, &client, &hid_deliver, None).await;
    let code = sms_code(&app);
    let (status, json) = validate(
        &app,
        &client,
        &seed_deliver,
        &code,
        &format!("txID:{tx}:false"),
    )
    .await;
    assert_eq!(status, 200, "{json}");
}

#[tokio::test]
async fn a_transaction_code_must_name_its_challenge_and_correlation() {
    let app = hid_app().await;
    let admin = with_txoob(&app).await;
    let client = app_token(&app).await;
    let path = format!("/idp/{TENANT}/authn/token");
    let tx = deliver(&app, &client, &path, Some("1123")).await;
    let code = sms_code(&app);
    for context in [
        format!("correlationId:9999:false+txID:{tx}:false"),
        format!("txID:{tx}:false"),
        "correlationId:1123:false+txID:1:false".to_owned(),
    ] {
        let (status, json) = validate(&app, &client, &path, &code, &context).await;
        assert_eq!(
            (status, json["error"].as_str()),
            (400, Some("invalid_grant")),
            "{context}"
        );
    }
    let (status, _) = validate(&app, &client, &path, &code, "correlationId:1123:false").await;
    assert_eq!(status, 400, "txID is required");
    // A new delivery replaces the old challenge: its code and id no longer work.
    let newer = deliver(&app, &client, &path, Some("1123")).await;
    let (status, _) = validate(
        &app,
        &client,
        &path,
        &code,
        &format!("correlationId:1123:false+txID:{tx}:false"),
    )
    .await;
    assert_eq!(status, 400);
    // Each failure counted.
    let stats = txoob_statistics(&app, &admin).await;
    assert_eq!(stats["totalFailed"], "4", "{stats}");
    // The newest one works.
    let (status, json) = validate(
        &app,
        &client,
        &path,
        &sms_code(&app),
        &format!("correlationId:1123:false+txID:{newer}:false"),
    )
    .await;
    assert_eq!(status, 200, "{json}");
}

/// Two broker processes on one PostgreSQL and one Redis: a challenge delivered by one
/// verifies on the other, and wrong codes racing across both are all counted.
#[tokio::test]
async fn two_instances_share_the_directory_and_count_every_failure() {
    let postgres = PostgresServer::start();
    let redis = RedisServer::start().await;
    let (pg, redis_url) = (postgres.url.clone(), redis.url.clone());
    let a = TestApp::with(|c| {
        hid(c, &pg);
        c.store.kind = idbroker::config::StoreKind::Redis;
        c.store.url = Some(redis_url);
        c.hid.disable_threshold = 10;
    })
    .await;
    let b = a.sibling().await;
    let admin = with_txoob(&a).await;
    let client = app_token(&a).await;
    // Delivered by A, verified on B (the token is good on both: one secret).
    let tx = deliver(
        &a,
        &client,
        &format!("/idp/{TENANT}/authn/token"),
        Some("77"),
    )
    .await;
    let (status, json) = validate(
        &b,
        &client,
        &format!("/idp/{TENANT}/authn/token"),
        &sms_code(&a),
        &format!("correlationId:77:false+txID:{tx}:false"),
    )
    .await;
    assert_eq!(status, 200, "{json}");
    // 20 wrong codes at once, half on each instance.
    let tx = deliver(&a, &client, &format!("/idp/{TENANT}/authn/token"), None).await;
    let context = format!("txID:{tx}:false");
    let mut racing = tokio::task::JoinSet::new();
    for i in 0..20 {
        let app = if i % 2 == 0 { &a } else { &b };
        let url = app.url(&format!("/idp/{TENANT}/authn/token"));
        let code = "12345678".to_owned();
        racing.spawn(validate_at(
            app.api.clone(),
            url,
            client.clone(),
            code,
            context.clone(),
        ));
    }
    let statuses = racing.join_all().await;
    assert!(statuses.iter().all(|(s, _)| *s == 400), "{statuses:?}");
    let stats = &txoob_statistics(&b, &admin).await;
    assert_eq!(stats["consecutiveFailed"], "20", "{stats}");
    assert_eq!(stats["totalFailed"], "20");
    assert_eq!(stats["totalSuccess"], "1");
}

#[tokio::test]
async fn an_expired_authenticator_sends_nothing() {
    let app = TestApp::with(|c| {
        hid(c, "sqlite::memory:");
        c.hid.authenticator_days = 1;
    })
    .await;
    registered(&app).await;
    app.advance(86_400);
    let client = app_token(&app).await;
    let (status, json) = authn(&app, &client, "activationSecretCode", Some("1")).await;
    assert_eq!(status, 400, "{json}");
    assert!(
        json["error_description"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
    assert_eq!(app.gateway().count(), 0);
}
