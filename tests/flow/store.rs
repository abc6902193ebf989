//! One store suite, run against the memory store and a real redis-server; and the broker on
//! Redis: a login started on one instance completes on another.

use std::future::Future;
use std::sync::Arc;

use idbroker::config::StoreKind;
use idbroker::core::clock::ManualClock;
use idbroker::core::ports::{Count, Space, Store, StoreError};
use idbroker::store::memory::MemoryStore;
use idbroker::store::redis::RedisStore;
use serde_json::json;
use time::Duration;

use crate::common::*;

/// The contract every store keeps. `wait` lets time pass (a manual clock, or real sleep).
async fn suite<F: Future<Output = ()>>(store: Arc<dyn Store>, wait: impl Fn(Duration) -> F) {
    let s = Space::Session;
    let ttl = Duration::seconds(60);
    assert!(store.insert(s, "a", b"one".to_vec(), ttl).await.unwrap());
    assert!(
        !store.insert(s, "a", b"two".to_vec(), ttl).await.unwrap(),
        "keys are unique"
    );
    assert!(
        store
            .insert(Space::AuthCode, "a", b"x".to_vec(), ttl)
            .await
            .unwrap(),
        "per space"
    );
    let first = store.get(s, "a").await.unwrap().unwrap();
    assert_eq!(first.value, b"one");
    assert!(
        store
            .replace(s, "a", first.version, b"two".to_vec(), ttl)
            .await
            .unwrap()
    );
    assert!(
        !store
            .replace(s, "a", first.version, b"three".to_vec(), ttl)
            .await
            .unwrap(),
        "stale version loses"
    );
    assert_eq!(store.get(s, "a").await.unwrap().unwrap().value, b"two");
    assert!(store.get(s, "missing").await.unwrap().is_none());
    assert!(!store.replace(s, "missing", 1, vec![], ttl).await.unwrap());

    // Fifty racing writers on one version: exactly one wins.
    let current = store.get(s, "a").await.unwrap().unwrap().version;
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .replace(Space::Session, "a", current, vec![i], Duration::seconds(60))
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut wins = 0;
    for task in tasks {
        wins += usize::from(task.await.unwrap());
    }
    assert_eq!(wins, 1);

    // Records vanish with their TTL.
    assert!(
        store
            .insert(s, "short", b"x".to_vec(), Duration::milliseconds(300))
            .await
            .unwrap()
    );
    assert!(store.get(s, "short").await.unwrap().is_some());
    wait(Duration::milliseconds(500)).await;
    assert!(store.get(s, "short").await.unwrap().is_none());
    assert!(
        store
            .insert(s, "short", b"again".to_vec(), ttl)
            .await
            .unwrap(),
        "an expired key is free"
    );

    // Counters run out by the caller's clock, moved here as `wait` moves time.
    let t0 = time::OffsetDateTime::now_utc();
    counters(&store, t0).await;
    let tally = store
        .count(&[counter("brief", 1, 1, 300)], t0)
        .await
        .unwrap();
    assert_eq!(tally.values, [1]);
    wait(Duration::milliseconds(500)).await;
    let tally = store
        .count(
            &[counter("brief", 1, 1, 300)],
            t0 + Duration::milliseconds(500),
        )
        .await
        .unwrap();
    assert_eq!(
        (tally.values, tally.refused),
        (vec![1], None),
        "a counter starts over when its time is up"
    );
}

fn counter(key: &str, limit: u64, cost: i64, ttl_ms: i64) -> Count {
    Count {
        key: key.into(),
        limit,
        cost,
        ttl: Duration::milliseconds(ttl_ms),
    }
}

/// `Store::count`: all counters or none, peeks, give-backs, and racing callers.
async fn counters(store: &Arc<dyn Store>, now: time::OffsetDateTime) {
    const MIN: i64 = 60_000;
    let tally = store
        .count(&[counter("x", 3, 2, MIN), counter("y", 5, 1, MIN)], now)
        .await
        .unwrap();
    assert_eq!((tally.values, tally.refused), (vec![2, 1], None));
    // `x` has room for one more, not two: nothing is counted, not even `y`.
    let tally = store
        .count(&[counter("y", 5, 1, MIN), counter("x", 3, 2, MIN)], now)
        .await
        .unwrap();
    assert_eq!(tally.values, [1, 2]);
    let (index, wait) = tally.refused.expect("x is full");
    assert_eq!(index, 1);
    assert!(
        wait > Duration::seconds(55) && wait <= Duration::seconds(60),
        "{wait}"
    );
    // A peek asks for room for one and counts nothing.
    let tally = store.count(&[counter("x", 3, 0, MIN)], now).await.unwrap();
    assert_eq!((tally.values, tally.refused.is_none()), (vec![2], true));
    let tally = store.count(&[counter("x", 2, 0, MIN)], now).await.unwrap();
    assert!(tally.refused.is_some());
    // Giving back never refuses, never goes below zero, never makes a counter.
    let tally = store
        .count(
            &[counter("x", 0, -5, MIN), counter("never", 0, -1, MIN)],
            now,
        )
        .await
        .unwrap();
    assert_eq!((tally.values, tally.refused), (vec![0, 0], None));
    // The refused one that frees up last is named.
    store
        .count(&[counter("long", 1, 1, 10 * MIN)], now)
        .await
        .unwrap();
    store
        .count(&[counter("short1", 1, 1, MIN)], now)
        .await
        .unwrap();
    let tally = store
        .count(
            &[counter("short1", 1, 1, MIN), counter("long", 1, 1, MIN)],
            now,
        )
        .await
        .unwrap();
    let (index, wait) = tally.refused.unwrap();
    assert_eq!(index, 1);
    assert!(wait > Duration::minutes(9), "{wait}");

    // Fifty racing callers on a counter with room for seven: seven get through.
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move {
                let tally = store
                    .count(&[counter("race", 7, 1, MIN)], now)
                    .await
                    .unwrap();
                tally.refused.is_none()
            })
        })
        .collect();
    let mut through = 0;
    for task in tasks {
        through += usize::from(task.await.unwrap());
    }
    assert_eq!(through, 7);
}

#[tokio::test]
async fn memory_store_keeps_the_contract() {
    let clock = Arc::new(ManualClock::new(time::OffsetDateTime::now_utc()));
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new(clock.clone(), 1000));
    suite(store, |d| {
        clock.advance(d);
        async {}
    })
    .await;
}

#[tokio::test]
async fn redis_store_keeps_the_contract() {
    let redis = RedisServer::start().await;
    let store: Arc<dyn Store> = Arc::new(RedisStore::new(&redis.url).unwrap());
    suite(store, |d| {
        tokio::time::sleep(std::time::Duration::from_millis(
            d.whole_milliseconds() as u64
        ))
    })
    .await;
}

#[tokio::test]
async fn redis_down_is_unavailable_not_a_panic() {
    let port = free_port();
    let store = RedisStore::new(&format!("redis://127.0.0.1:{port}")).unwrap();
    let result = store.get(Space::Session, "a").await;
    assert!(
        matches!(result, Err(StoreError::Unavailable(_))),
        "{result:?}"
    );
}

/// Two broker instances sharing one real redis-server.
async fn two_instances() -> (RedisServer, TestApp, TestApp) {
    let redis = RedisServer::start().await;
    let url = redis.url.clone();
    let a = TestApp::with(|c| {
        c.store.kind = StoreKind::Redis;
        c.store.url = Some(url);
    })
    .await;
    let b = a.sibling().await;
    (redis, a, b)
}

#[tokio::test]
async fn a_rest_login_started_on_one_instance_completes_on_another() {
    let (_redis, a, b) = two_instances().await;
    let session = a.create(json!({})).await;
    let id = session["id"].as_str().unwrap();
    // The browser keeps its cookies across instances (one site behind a load balancer).
    let browser = a.browser();
    let on = |app: &TestApp, path: &str| format!("{}{path}", app.base);
    let page = browser.get(&on(&a, &login(id))).await;
    let csrf = page.csrf();
    let sent = browser
        .post(
            &on(&b, &format!("{}/phone", login(id))),
            &[("csrf", &csrf), ("phone_number", PHONE)],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let code = a.gateway().last_code();
    let done = browser
        .post(
            &on(&a, &format!("{}/otp", login(id))),
            &[("csrf", &csrf), ("otp", &code)],
        )
        .await;
    assert_eq!(done.location, Some(format!("{SUCCESS}?sessionId={id}")));
    // Either instance reports the result, with the same subject.
    let on_b = b.session(id).await;
    assert_eq!(on_b["status"], "SUCCESS");
    assert_eq!(on_b["subject"]["phoneNumber"], PHONE);
    assert_eq!(a.session(id).await["subject"]["id"], on_b["subject"]["id"]);
}

/// An authorization code from a login authorized on `a` whose pages hop between `a` and `b`.
async fn code_across(a: &TestApp, b: &TestApp) -> String {
    let browser = a.browser();
    let authorize = a.authorize_url(&[
        ("client_id", CLIENT),
        ("redirect_uri", REDIRECT),
        ("response_type", "code"),
        ("scope", "openid phone"),
    ]);
    let login_path = browser.get(&authorize).await.location_path(&a.base);
    let done = login_across(&browser, &login_path, a, b).await;
    url::Url::parse(&done.location.unwrap())
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into()
}

/// Redeems `code` at `app`'s token endpoint.
fn redeem(
    app: &TestApp,
    code: &str,
) -> impl Future<Output = reqwest::Result<reqwest::Response>> + Send + use<> {
    app.api
        .post(app.url("/auth/open/connect/token"))
        .basic_auth(CLIENT, Some(SECRET))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
        ])
        .send()
}

#[tokio::test]
async fn an_oidc_code_from_one_instance_is_redeemed_once_on_another() {
    let (_redis, a, b) = two_instances().await;
    let code = code_across(&a, &b).await;
    let first = redeem(&a, &code).await.unwrap();
    assert_eq!(first.status(), 200);
    let tokens: serde_json::Value = first.json().await.unwrap();
    let second = redeem(&b, &code).await.unwrap();
    assert_eq!(
        second.status(),
        400,
        "a code works once, whichever instance sees it"
    );
    // And the replay revoked the token on every instance.
    let token = tokens["access_token"].as_str().unwrap();
    assert_eq!(userinfo_status(&b, token).await.0, 401);
    // Both instances publish the same JWKS.
    assert_eq!(
        a.get_json("/auth/open/.well-known/openid-configuration/jwks", None)
            .await,
        b.get_json("/auth/open/.well-known/openid-configuration/jwks", None)
            .await
    );
}

#[tokio::test]
async fn fifty_racing_redemptions_of_one_code_on_two_instances_give_one_token_response() {
    let (_redis, a, b) = two_instances().await;
    let code = code_across(&a, &b).await;
    let answers: Vec<_> = (0..50)
        .map(|i| tokio::spawn(redeem(if i % 2 == 0 { &a } else { &b }, &code)))
        .collect();
    let mut statuses: Vec<u16> = Vec::new();
    let mut tokens = Vec::new();
    for answer in answers {
        let answer = answer.await.unwrap().unwrap();
        statuses.push(answer.status().as_u16());
        if answer.status() == 200 {
            tokens.push(answer.json::<serde_json::Value>().await.unwrap());
        }
    }
    assert_eq!(tokens.len(), 1, "exactly one token response: {statuses:?}");
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 400),
        "{statuses:?}"
    );
    // The replays revoked the access token it carried, on both instances.
    for app in [&a, &b] {
        let token = tokens[0]["access_token"].as_str().unwrap();
        assert_eq!(userinfo_status(app, token).await.0, 401);
    }
}

#[tokio::test]
async fn fifty_racing_right_codes_on_two_instances_make_one_login() {
    let (_redis, a, b) = two_instances().await;
    let flow = Flow::to_code(&a).await;
    let code = a.gateway().last_code();
    let posts: Vec<_> = (0..50)
        .map(|i| {
            let app = if i % 2 == 0 { &a } else { &b };
            tokio::spawn(
                flow.browser
                    .client
                    .post(app.url(&flow.path("/otp")))
                    .form(&[("csrf", flow.csrf.as_str()), ("otp", code.as_str())])
                    .send(),
            )
        })
        .collect();
    let mut logins = 0;
    for answer in posts {
        let answer = answer.await.unwrap().unwrap();
        let to = answer
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok());
        logins += usize::from(to.is_some_and(|l| l.starts_with(SUCCESS)));
    }
    assert_eq!(logins, 1, "exactly one request turns the code into a login");
    assert_eq!(flow.status().await, "SUCCESS");
}

/// Polls `/readyz` for up to ten seconds; the last status it gave.
async fn ready_within(app: &TestApp) -> u16 {
    let mut status = 0;
    for _ in 0..100 {
        status = app.get_status("/readyz").await;
        if status == 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    status
}

#[tokio::test]
async fn an_instance_started_while_redis_is_down_gets_ready_when_it_is_back() {
    let mut redis = RedisServer::start().await;
    redis.stop();
    let url = redis.url.clone();
    let app = TestApp::with(|c| {
        c.store.kind = StoreKind::Redis;
        c.store.url = Some(url);
    })
    .await;
    let ready = app.api.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    let why: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(why["keys"], "not loaded");
    let jwks = app
        .get_status("/auth/open/.well-known/openid-configuration/jwks")
        .await;
    assert_eq!(jwks, 503);

    redis.restart().await;
    assert_eq!(ready_within(&app).await, 200, "ready once Redis is back");
    let jwks = app
        .get_json("/auth/open/.well-known/openid-configuration/jwks", None)
        .await;
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 4);
    let flow = Flow::to_code(&app).await;
    let done = flow.code(&app.gateway().last_code()).await;
    assert!(done.location.unwrap().starts_with(SUCCESS));
}

#[tokio::test]
async fn redis_going_away_gives_clean_errors_and_service_resumes() {
    let mut redis = RedisServer::start().await;
    let url = redis.url.clone();
    let app = TestApp::with(|c| {
        c.store.kind = StoreKind::Redis;
        c.store.url = Some(url);
    })
    .await;
    let session = app.create(json!({})).await;
    let id = session["id"].as_str().unwrap();
    assert_eq!(app.get_status("/readyz").await, 200);

    redis.stop();
    assert_eq!(app.get_status("/readyz").await, 503);
    assert_eq!(app.get_status("/healthz").await, 200);
    // The page: a localized 503, no internal text.
    let page = app
        .browser()
        .get_with(&login(id), ("accept-language", "nb"))
        .await;
    assert_eq!(page.status, 503);
    assert!(page.body.contains("<html lang=\"nb\">"));
    assert!(!page.body.to_lowercase().contains("redis"));
    // The REST API: 503 problem JSON.
    let token = app.token().await;
    let (status, problem) = app.create_raw(&token, &session_request()).await;
    assert_eq!(status, 503);
    assert_eq!(problem["status"], 503);
    assert!(!problem.to_string().to_lowercase().contains("redis"));
    // OAuth: a code grant answers temporarily_unavailable.
    let grant = app
        .api
        .post(app.url("/auth/open/connect/token"))
        .basic_auth(CLIENT, Some(SECRET))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", "x"),
            ("redirect_uri", REDIRECT),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(grant.status(), 503);
    assert_eq!(
        grant.json::<serde_json::Value>().await.unwrap()["error"],
        "temporarily_unavailable"
    );

    // Back by itself once Redis is.
    redis.restart().await;
    assert_eq!(ready_within(&app).await, 200);
    let fresh = app.create(json!({})).await;
    assert_eq!(fresh["status"], "CREATED");
}

#[tokio::test]
async fn a_direct_grant_started_on_one_instance_finishes_on_another() {
    let (_redis, a, b) = two_instances().await;
    let grant = idbroker::grants::SMS_GRANT;
    let first: serde_json::Value = a
        .api
        .post(a.url("/uas/oauth2/token"))
        .form(&[
            ("grant_type", grant),
            ("scope", "openid"),
            ("username", PHONE),
            ("client_id", UBI),
            ("client_secret", UBI_SECRET),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let reference = first["x_globalsign_iam_challenge"]["reference"]
        .as_str()
        .unwrap();
    let code = digits_in(&a.gateway().last()["challenge"]);
    let second = |app: &TestApp| {
        app.api
            .post(app.url("/uas/oauth2/token"))
            .form(&[
                ("grant_type", grant),
                ("scope", "openid"),
                ("username", PHONE),
                ("client_id", UBI),
                ("client_secret", UBI_SECRET),
                ("x_globalsign_iam_reference_id", reference),
                ("x_globalsign_iam_otp_code", &code),
            ])
            .send()
    };
    assert_eq!(second(&b).await.unwrap().status(), 200);
    assert_eq!(
        second(&a).await.unwrap().status(),
        400,
        "the reference works once, on any instance"
    );
}

/// Three redis-server processes joined into a Redis Cluster with `redis-cli --cluster create`.
struct Cluster {
    urls: Vec<String>,
    nodes: Vec<std::process::Child>,
    _dir: tempfile::TempDir,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for node in &mut self.nodes {
            let _ = node.kill();
            let _ = node.wait();
        }
    }
}

async fn cluster() -> Cluster {
    let dir = tempfile::tempdir().unwrap();
    let ports: Vec<u16> = (0..3).map(|_| free_port()).collect();
    let mut nodes = Vec::new();
    for port in &ports {
        let node_dir = dir.path().join(port.to_string());
        std::fs::create_dir_all(&node_dir).unwrap();
        nodes.push(
            std::process::Command::new("redis-server")
                .args([
                    "--port",
                    &port.to_string(),
                    "--bind",
                    "127.0.0.1",
                    "--cluster-enabled",
                    "yes",
                ])
                .args([
                    "--cluster-config-file",
                    "nodes.conf",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ])
                .arg("--dir")
                .arg(&node_dir)
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("redis-server"),
        );
    }
    for port in &ports {
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", *port))
                .await
                .is_ok()
            {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
    let addresses: Vec<String> = ports.iter().map(|p| format!("127.0.0.1:{p}")).collect();
    let created = std::process::Command::new("redis-cli")
        .args(["--cluster", "create"])
        .args(&addresses)
        .args(["--cluster-replicas", "0", "--cluster-yes"])
        .output()
        .expect("redis-cli");
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stdout)
    );
    // Wait until every node agrees the cluster is up.
    for port in &ports {
        for _ in 0..100 {
            let info = std::process::Command::new("redis-cli")
                .args(["-p", &port.to_string(), "cluster", "info"])
                .output()
                .unwrap();
            if String::from_utf8_lossy(&info.stdout).contains("cluster_state:ok") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
    Cluster {
        urls: ports
            .iter()
            .map(|p| format!("redis://127.0.0.1:{p}"))
            .collect(),
        nodes,
        _dir: dir,
    }
}

#[tokio::test]
async fn redis_cluster_store_keeps_the_contract_and_serves_a_login() {
    let cluster = cluster().await;
    let store: Arc<dyn Store> = Arc::new(RedisStore::cluster(&cluster.urls).unwrap());
    suite(store, |d| {
        tokio::time::sleep(std::time::Duration::from_millis(
            d.whole_milliseconds() as u64
        ))
    })
    .await;

    let urls = cluster.urls.clone();
    let app = TestApp::with(|c| {
        c.store.kind = StoreKind::Redis;
        c.store.urls = urls;
    })
    .await;
    let flow = Flow::to_code(&app).await;
    let done = flow.code(&app.gateway().last_code()).await;
    assert_eq!(done.location, Some(flow.callback(SUCCESS)));
    assert_eq!(flow.status().await, "SUCCESS");
}

/// A configuration for a real broker process on `port`, on the Redis at `redis_url`; `oidc`
/// adds lines to its `[oidc]` section.
fn process_config(
    dir: &std::path::Path,
    port: u16,
    redis_url: &str,
    oidc: &str,
) -> std::path::PathBuf {
    let base = format!("http://127.0.0.1:{port}");
    let config = dir.join("idbroker.toml");
    std::fs::write(
        &config,
        format!(
            r#"[server]
listen = "127.0.0.1:{port}"
public_url = "{base}"
secret_key = "restart-secret-restart-secret-restart-0001"
[store]
kind = "redis"
url = "{redis}"
[sms]
kind = "outbox"
[oidc]
keys_file = {keys:?}
{oidc}
[saml]
key_file = {saml:?}
metadata_dir = {metadata:?}
[[clients]]
client_id = "{CLIENT}"
client_secret = "{SECRET}"
callback_urls = ["{SUCCESS}", "{ABORT}", "{ERROR}"]
grant_types = ["client_credentials"]
"#,
            redis = redis_url,
            keys = dir.join("keys.json").to_str().unwrap(),
            saml = dir.join("saml.pem").to_str().unwrap(),
            metadata = dir.join("metadata").to_str().unwrap(),
        ),
    )
    .unwrap();
    config
}

#[tokio::test]
async fn restarting_an_instance_loses_no_login_in_flight() {
    let redis = RedisServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let config = process_config(dir.path(), port, &redis.url, "");
    let mut broker = spawn_broker(&config, port).await;
    let api = reqwest::Client::new();
    let token: serde_json::Value = api
        .post(format!("{base}/auth/open/connect/token"))
        .basic_auth(CLIENT, Some(SECRET))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bearer = token["access_token"].as_str().unwrap().to_owned();
    let session: serde_json::Value = api
        .post(format!("{base}/auth/rest/sessions"))
        .bearer_auth(&bearer)
        .json(&session_request())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = session["id"].as_str().unwrap().to_owned();
    let browser = Browser {
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .unwrap(),
        base: base.clone(),
    };
    let page = browser.get(&login(&id)).await;
    let csrf = page.csrf();
    browser
        .post(
            &format!("{}/phone", login(&id)),
            &[("csrf", &csrf), ("phone_number", PHONE)],
        )
        .await;
    let outbox: serde_json::Value = api
        .get(format!("{base}/dev/outbox.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = code_of(outbox[0]["text"].as_str().unwrap());

    // Restart the instance between the code being sent and being typed.
    let stopped = std::process::Command::new("kill")
        .args(["-TERM", &broker.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    assert!(broker.wait().unwrap().success());
    let mut broker = spawn_broker(&config, port).await;

    let done = browser
        .post(
            &format!("{}/otp", login(&id)),
            &[("csrf", &csrf), ("otp", &code)],
        )
        .await;
    assert_eq!(done.location, Some(format!("{SUCCESS}?sessionId={id}")));
    let result: serde_json::Value = api
        .get(format!("{base}/auth/rest/sessions/{id}"))
        .bearer_auth(&bearer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        result["status"], "SUCCESS",
        "the access token from before the restart still works"
    );
    let _ = broker.kill();
    let _ = broker.wait();
}

async fn published_kids(base: &str) -> Vec<String> {
    let jwks: serde_json::Value = reqwest::get(format!(
        "{base}/auth/open/.well-known/openid-configuration/jwks"
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let mut kids: Vec<String> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_owned())
        .collect();
    kids.sort();
    kids
}

#[tokio::test]
async fn signing_keys_live_in_redis_and_a_rotation_reaches_running_instances() {
    let redis = RedisServer::start().await;
    // Two processes with nothing on disk in common: the keys can only come from Redis.
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (port_a, port_b) = (free_port(), free_port());
    let reload = "keys_reload_secs = 1";
    let config_a = process_config(dir_a.path(), port_a, &redis.url, reload);
    let config_b = process_config(dir_b.path(), port_b, &redis.url, reload);
    let mut a = spawn_broker(&config_a, port_a).await;
    let mut b = spawn_broker(&config_b, port_b).await;
    let (base_a, base_b) = (
        format!("http://127.0.0.1:{port_a}"),
        format!("http://127.0.0.1:{port_b}"),
    );
    let before = published_kids(&base_a).await;
    assert_eq!(before.len(), 4, "an active and a next key per algorithm");
    assert_eq!(published_kids(&base_b).await, before);
    assert!(!dir_a.path().join("keys.json").exists() && !dir_b.path().join("keys.json").exists());

    let rotated = std::process::Command::new(env!("CARGO_BIN_EXE_idbroker"))
        .args(["keys", "rotate", "--config"])
        .arg(&config_b)
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    assert!(rotated.status.success(), "{rotated:?}");
    assert!(String::from_utf8_lossy(&rotated.stdout).contains("rotated in the store"));

    // Each running instance picks the rotation up by itself: the old keys stay published (the
    // active one as retired) beside a new next key per algorithm.
    for base in [&base_a, &base_b] {
        let mut after = published_kids(base).await;
        for _ in 0..100 {
            if after != before {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            after = published_kids(base).await;
        }
        assert_eq!(after.len(), 6, "{base}: {after:?}");
        assert!(before.iter().all(|kid| after.contains(kid)), "{base}");
    }
    assert_eq!(published_kids(&base_a).await, published_kids(&base_b).await);
    for child in [&mut a, &mut b] {
        let _ = child.kill();
        let _ = child.wait();
    }
}
