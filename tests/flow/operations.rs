//! What an operator relies on: plain answers for unknown paths, logs a collector can read with
//! the request id the client saw and nothing secret in them, and tools that do not act on the
//! dev defaults by surprise.

use std::process::Command;

use serde_json::Value;

use crate::common::*;

#[tokio::test]
async fn unknown_paths_answer_a_plain_404() {
    let app = TestApp::start().await;
    let browser = app.browser();
    // A browser gets a small page in its language, not the sign-in error.
    for path in ["/metrics", "/nowhere", "/openapi.json"] {
        let page = browser
            .client
            .get(app.url(path))
            .header("accept", "text/html,application/xhtml+xml")
            .header("accept-language", "nb")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 404, "{path}");
        let body = page.text().await.unwrap();
        assert!(body.contains("<h1>Fant ikke siden</h1>"), "{path}: {body}");
        assert!(!body.contains("innloggingslenken"), "{body}");
    }
    // A program, and any API path, gets problem JSON.
    for (path, accept) in [
        ("/metrics", "*/*"),
        ("/auth/rest/nope", "text/html"),
        ("/auth/open/connect/nope", "text/html"),
    ] {
        let response = app
            .api
            .get(app.url(path))
            .header("accept", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json",
            "{path}"
        );
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["status"], 404);
    }
    let robots = app.api.get(app.url("/robots.txt")).send().await.unwrap();
    assert_eq!(robots.status(), 200);
    assert_eq!(robots.text().await.unwrap(), "User-agent: *\nDisallow: /\n");
    let icon = app.api.get(app.url("/favicon.ico")).send().await.unwrap();
    assert_eq!(icon.status(), 200);
    assert_eq!(icon.headers()["content-type"], "image/svg+xml");
}

/// A broker process with the dev outbox and a metrics token: in a process of its own, as the
/// metrics recorder is one per process.
async fn process_broker(edit: impl FnOnce(&mut idbroker::config::Config)) -> TestApp {
    handled(Handled::Secret, METRICS_TOKEN);
    TestApp::as_process(|c| {
        c.server.metrics_token = Some(idbroker::config::Secret::new(METRICS_TOKEN));
        edit(c);
    })
    .await
}

const METRICS_TOKEN: &str = "metrics-token-metrics-token-0123456789";

/// What one login left behind for the checks.
struct Login {
    token: String,
    code: String,
    /// The request ids of the first page and of the right code's answer.
    ids: [String; 2],
}

/// One whole login through the REST API and the pages, with one wrong code.
async fn one_login(app: &TestApp) -> Login {
    let base = app.base.as_str();
    let api = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let token = app.token().await;
    let (status, session) = app.create_raw(&token, &session_request()).await;
    assert_eq!(status, 201, "{session}");
    let page = api
        .get(session["authenticationUrl"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    let first_id = page.headers()["x-request-id"].to_str().unwrap().to_owned();
    let body = page.text().await.unwrap();
    let csrf = testkit::csrf_in(&body).unwrap();
    let login = format!("{base}{}", login(session["id"].as_str().unwrap()));
    api.post(format!("{login}/phone"))
        .form(&[("csrf", csrf.as_str()), ("phone_number", PHONE)])
        .send()
        .await
        .unwrap();
    let outbox = outbox_at(&api, base).await;
    let code = code_of(outbox[0]["text"].as_str().unwrap());
    api.post(format!("{login}/otp"))
        .form(&[("csrf", csrf.as_str()), ("otp", "000000")])
        .send()
        .await
        .unwrap();
    let done = api
        .post(format!("{login}/otp"))
        .form(&[("csrf", csrf.as_str()), ("otp", code.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 303);
    let last_id = done.headers()["x-request-id"].to_str().unwrap().to_owned();
    Login {
        token,
        code,
        ids: [first_id, last_id],
    }
}

#[tokio::test]
async fn json_log_lines_carry_the_request_id_and_no_secret() {
    let app = process_broker(|_| {}).await;
    let base = app.base.clone();
    let Login { token, code, ids } = one_login(&app).await;
    // A trusted proxy's id is kept; anyone else's is not.
    let proxied = reqwest::Client::new()
        .get(format!("{base}/healthz"))
        .header("x-request-id", "from-client-1")
        .send()
        .await
        .unwrap();
    assert_ne!(proxied.headers()["x-request-id"], "from-client-1");

    let lines = app.process().log_lines_until(&ids[1]).await;
    app.process().stop();
    let events: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    for id in &ids {
        let line = events
            .iter()
            .find(|e| e["span"]["request_id"] == id.as_str() && e["route"].is_string())
            .unwrap_or_else(|| panic!("no line with request id {id}"));
        assert_eq!(line["span"]["name"], "request");
    }
    // The core's own lines carry the id of the request they belong to.
    assert!(
        events
            .iter()
            .any(|e| e["span"]["request_id"] == ids[1].as_str()
                && e["target"] == "idbroker::core::login")
    );
    // The audit stream: fixed target, stable fields.
    let audit = |event: &str| {
        events
            .iter()
            .filter(|e| e["target"] == "audit" && e["event"] == event)
            .cloned()
            .collect::<Vec<_>>()
    };
    let logins = audit("login");
    assert_eq!(logins.len(), 1, "{logins:?}");
    assert_eq!(logins[0]["outcome"], "succeeded");
    assert_eq!(logins[0]["client"], CLIENT);
    assert_eq!(logins[0]["door"], "rest");
    let issued = audit("token_issued");
    assert_eq!(issued[0]["grant"], "client_credentials");
    assert!(events.iter().any(|e| e["message"] == "configuration"));
    assert!(
        events
            .iter()
            .any(|e| e["version"] == env!("CARGO_PKG_VERSION"))
    );
    // Nothing a person or a client would not want read: the number in any form, the code,
    // the client secret, the token.
    let national = &PHONE[3..];
    for line in &lines {
        for secret in [PHONE, national, &code, SECRET, &token, METRICS_TOKEN] {
            assert!(!line.contains(secret), "{secret} in {line}");
        }
    }
}

/// The value of `name` with exactly `labels`, from a scrape of `/metrics`.
async fn scrape(base: &str) -> prometheus_parse::Scrape {
    let text = reqwest::Client::new()
        .get(format!("{base}/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let scrape = prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_owned())))
        .unwrap_or_else(|e| panic!("{e}: {text}"));
    // Every counter and gauge line was read: none was skipped as unreadable.
    let plain: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .filter_map(|l| l.split_once(' '))
        .filter(|(_, kind)| matches!(*kind, "counter" | "gauge"))
        .map(|(name, _)| name)
        .collect();
    let lines = text
        .lines()
        .filter(|l| {
            plain
                .iter()
                .any(|n| l.starts_with(&format!("{n}{{")) || l.starts_with(&format!("{n} ")))
        })
        .count();
    let read = scrape
        .samples
        .iter()
        .filter(|s| plain.contains(&s.metric.as_str()))
        .count();
    assert_eq!(read, lines, "{text}");
    scrape
}

fn value(scrape: &prometheus_parse::Scrape, name: &str, labels: &[(&str, &str)]) -> f64 {
    scrape
        .samples
        .iter()
        .filter(|s| s.metric == name)
        .filter(|s| labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
        .map(|s| match s.value {
            prometheus_parse::Value::Counter(v)
            | prometheus_parse::Value::Gauge(v)
            | prometheus_parse::Value::Untyped(v) => v,
            _ => 0.0,
        })
        .sum()
}

#[tokio::test]
async fn metrics_count_one_login_exactly() {
    let app = process_broker(|_| {}).await;
    let base = app.base.clone();
    // Without the token there is nothing to read.
    let anonymous = reqwest::get(format!("{base}/metrics")).await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let before = scrape(&base).await;
    let Login { code, .. } = one_login(&app).await;
    let after = scrape(&base).await;
    app.process().stop();
    let moved = |name: &str, labels: &[(&str, &str)]| {
        value(&after, name, labels) - value(&before, name, labels)
    };
    assert_eq!(
        moved("idbroker_logins_started_total", &[("door", "rest")]),
        1.0
    );
    assert_eq!(
        moved("idbroker_codes_sent_total", &[("channel", "sms")]),
        1.0
    );
    assert_eq!(
        moved(
            "idbroker_codes_checked_total",
            &[("channel", "sms"), ("result", "wrong")]
        ),
        1.0
    );
    assert_eq!(
        moved(
            "idbroker_codes_checked_total",
            &[("channel", "sms"), ("result", "right")]
        ),
        1.0
    );
    assert_eq!(
        moved(
            "idbroker_logins_ended_total",
            &[
                ("door", "rest"),
                ("provider", "otp-sms"),
                ("outcome", "verified")
            ]
        ),
        1.0
    );
    assert_eq!(
        value(
            &after,
            "idbroker_build_info",
            &[("version", env!("CARGO_PKG_VERSION"))]
        ),
        1.0
    );
    // Latency by route pattern, never by path.
    let routes: Vec<_> = after
        .samples
        .iter()
        .filter(|s| {
            s.metric
                .starts_with("idbroker_http_request_duration_seconds")
        })
        .map(|s| s.labels.get("route").unwrap_or("").to_owned())
        .collect();
    assert!(
        routes.iter().any(|r| r.contains("/auth/login/:sid/otp")),
        "{routes:?}"
    );
    // No label carries a person or a secret.
    for sample in &after.samples {
        for (_, label) in sample.labels.iter() {
            for secret in [PHONE, &PHONE[3..], code.as_str(), SECRET] {
                assert!(!label.contains(secret), "{secret} in {}", sample.metric);
            }
        }
    }
}

#[tokio::test]
async fn metrics_and_audit_count_one_refused_code_exactly() {
    let app = process_broker(|_| {}).await;
    let before = scrape(&app.base).await;
    let flow = Flow::to_code(&app).await;
    // A second code at once: the cooldown refuses it.
    let early = flow.resend().await;
    assert_eq!(early.location_path(&app.base), flow.notice("cooldown"));
    let after = scrape(&app.base).await;
    let moved = |name: &str, labels: &[(&str, &str)]| {
        value(&after, name, labels) - value(&before, name, labels)
    };
    let refused = "idbroker_codes_refused_total";
    assert_eq!(
        moved(
            refused,
            &[("channel", "sms"), ("reason", "session_cooldown")]
        ),
        1.0
    );
    assert_eq!(moved(refused, &[]), 1.0, "no other refusal was counted");
    assert_eq!(moved("idbroker_codes_sent_total", &[]), 1.0);
    assert_eq!(moved("idbroker_codes_failed_total", &[]), 0.0);
    // The audit stream has it once, by the session's short id.
    let lines = app.process().log_lines_until("code_refused").await;
    app.process().stop();
    let refusals: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|e| e["target"] == "audit" && e["event"] == "code_refused")
        .collect();
    assert_eq!(refusals.len(), 1, "{refusals:?}");
    assert_eq!(refusals[0]["reason"], "session_cooldown");
    assert_eq!(refusals[0]["channel"], "sms");
    assert_eq!(refusals[0]["session"], &flow.id[..8]);
}

#[tokio::test]
async fn a_full_memory_store_is_counted_as_a_store_error() {
    let app = process_broker(|c| c.store.max_records = 3).await;
    let token = app.token().await;
    let before = scrape(&app.base).await;
    let mut refused = None;
    for _ in 0..10 {
        let (status, body) = app.create_raw(&token, &session_request()).await;
        if status != 201 {
            refused = Some((status, body));
            break;
        }
    }
    let (status, body) = refused.expect("the store filled up");
    assert_eq!(status, 503, "{body}");
    let after = scrape(&app.base).await;
    app.process().stop();
    let errors = |scrape: &prometheus_parse::Scrape, labels: &[(&str, &str)]| {
        value(scrape, "idbroker_store_errors_total", labels)
    };
    let full = [("store", "memory"), ("kind", "full")];
    assert_eq!(errors(&after, &full) - errors(&before, &full), 1.0);
    assert_eq!(errors(&after, &[]) - errors(&before, &[]), 1.0);
}

fn idbroker_in(dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_idbroker"));
    command
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .env_remove("IDBROKER_CONFIG");
    command
}

#[test]
fn state_changing_commands_refuse_the_dev_defaults_without_dev() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["keys", "rotate"][..], &["sp", "add", "metadata.xml"][..]] {
        let out = idbroker_in(dir.path()).args(args).output().unwrap();
        assert!(!out.status.success(), "{args:?}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains("no --config given: refusing to"), "{said}");
        assert!(said.contains("--dev"), "{said}");
    }
    // Nothing was created in the working directory.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    // With --dev it acts on the dev files, where the dev defaults say.
    let out = idbroker_in(dir.path())
        .args(["keys", "rotate", "--dev"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join(".idbroker/keys.json").exists());
}

#[test]
fn serve_on_a_busy_port_names_it_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = busy.local_addr().unwrap().to_string();
    let out = idbroker_in(dir.path())
        .arg("serve")
        .env("IDBROKER_SERVER__LISTEN", &address)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains(&format!("cannot listen on {address}")),
        "{said}"
    );
    assert!(
        !dir.path().join(".idbroker").exists(),
        "keys were created before the bind"
    );
}

#[tokio::test]
async fn what_the_broker_creates_goes_into_its_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let data = dir.path().join("state");
    let config = dir.path().join("idbroker.toml");
    std::fs::write(
        &config,
        format!(
            "[server]\nlisten = \"127.0.0.1:{port}\"\npublic_url = \"http://127.0.0.1:{port}\"\ndata_dir = {:?}\n[sms]\nkind = \"outbox\"\n",
            data.to_str().unwrap()
        ),
    )
    .unwrap();
    let mut broker = spawn_broker(&config, port).await;
    let _ = broker.kill();
    let _ = broker.wait();
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&data).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700, "{mode:o}");
    for file in ["keys.json", "saml-key.pem"] {
        assert!(data.join(file).exists(), "{file}");
    }
    // Nothing landed beside the configuration.
    let beside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(beside.len(), 2, "{beside:?}");
}
