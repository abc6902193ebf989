//! A broker under test: in this process on a loopback listener with a controllable clock, or
//! as a separate process running the real binary; and what the tests ask of it over HTTP.

use std::sync::Arc;

use idbroker::config::{Config, SmsKind};
use idbroker::core::clock::ManualClock;
use reqwest::redirect::Policy;
use serde_json::{Value, json};

use super::{
    ABORT, Browser, CAPTURED, CLIENT, ERROR, Gateway, Handled, SECRET, SUCCESS, capture, handled,
    handled_message, process_log, shared_keys_file, shared_saml_key, test_config,
};

/// A loopback port nothing listens on (yet).
pub use testkit::free_port;

pub struct TestApp {
    pub base: String,
    pub config: Config,
    pub clock: Arc<ManualClock>,
    pub gateway: Option<Gateway>,
    pub api: reqwest::Client,
    /// Set when this instance is a separate broker process (its clock is the system's).
    process: Option<Process>,
    /// An in-process broker's dev outbox, read when the test ends (`Drop`).
    outbox: Option<Arc<idbroker::delivery::outbox::Outbox>>,
}

/// Whatever the outbox holds at the end is noted as handled, read by the test or not.
impl Drop for TestApp {
    fn drop(&mut self) {
        for message in self.outbox.iter().flat_map(|o| o.messages()) {
            handled_message(&message.recipient, &message.text);
        }
    }
}

/// A broker process running the real binary with a configuration of ours, in a folder of its
/// own; killed when dropped.
pub struct Process {
    pub base: String,
    /// Its log, JSON lines (`spawn_broker_logging`).
    pub log: std::path::PathBuf,
    child: std::sync::Mutex<std::process::Child>,
    _dir: tempfile::TempDir,
}

impl Process {
    /// Writes `config`, set to listen on a free port and be reached there, and starts it.
    pub async fn start(config: Config) -> Process {
        Process::spawn(config, true).await
    }

    /// The same, keeping the public URL `config` names: another instance of one broker.
    pub async fn beside(config: Config) -> Process {
        Process::spawn(config, false).await
    }

    async fn spawn(mut config: Config, own_url: bool) -> Process {
        let port = free_port();
        config.server.listen = format!("127.0.0.1:{port}");
        if own_url {
            config.server.public_url = format!("http://127.0.0.1:{port}");
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("idbroker.toml");
        std::fs::write(&path, toml::to_string(&config).unwrap()).unwrap();
        let (child, log) = spawn_broker_logging(&path, port).await;
        Process {
            base: format!("http://127.0.0.1:{port}"),
            log,
            child: std::sync::Mutex::new(child),
            _dir: dir,
        }
    }

    /// Stops it now.
    pub fn stop(&self) {
        let mut child = self.child.lock().unwrap();
        let _ = child.kill();
        let _ = child.wait();
    }

    /// Its log lines so far, once one holds `until` (a line may take a moment to reach the
    /// file); all of them when none does after two seconds.
    pub async fn log_lines_until(&self, until: &str) -> Vec<String> {
        let mut lines = Vec::new();
        for _ in 0..100 {
            let text = std::fs::read_to_string(&self.log).unwrap_or_default();
            lines = text.lines().map(str::to_owned).collect();
            if lines.iter().any(|l| l.contains(until)) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        lines
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Starts the real binary with `config` (a file), listening on `port`, and waits until it is
/// ready.
pub async fn spawn_broker(config: &std::path::Path, port: u16) -> std::process::Child {
    spawn_broker_logging(config, port).await.0
}

/// The same, and the file its log goes to: JSON lines, every one of ours, in the run's log
/// folder (`logs.rs`), whatever the configuration says.
pub async fn spawn_broker_logging(
    config: &std::path::Path,
    port: u16,
) -> (std::process::Child, std::path::PathBuf) {
    let log = process_log();
    let file = std::fs::File::create(&log).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_idbroker"))
        .args(["serve", "--config"])
        .arg(config)
        .env("RUST_LOG", CAPTURED)
        .env("IDBROKER_LOG__FORMAT", "json")
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .spawn()
        .unwrap();
    if testkit::wait_ready(&format!("http://127.0.0.1:{port}")).await {
        return (child, log);
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!(
        "the broker did not become ready; its log:\n{}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
}

impl TestApp {
    /// The broker with an HTTP gateway (the fake one).
    pub async fn start() -> TestApp {
        TestApp::with(|_| {}).await
    }

    pub async fn with(edit: impl FnOnce(&mut Config)) -> TestApp {
        let gateway = Gateway::start().await;
        let url = format!(
            "{}?to={{mobile}}&from={{sender}}&challenge={{challenge}}",
            gateway.url
        );
        TestApp::build(
            |c| {
                c.sms.kind = SmsKind::Http;
                c.sms.url = Some(url);
                c.sms.timeout_secs = 1;
                edit(c);
            },
            Some(gateway),
        )
        .await
    }

    /// The broker with the dev outbox instead of a gateway.
    pub async fn with_outbox() -> TestApp {
        TestApp::build(|_| {}, None).await
    }

    /// Exactly what `make run` serves (the embedded dev defaults), on an ephemeral port.
    pub async fn dev_defaults() -> TestApp {
        TestApp::dev_defaults_with(|_| {}).await
    }

    /// The dev defaults, edited (after the public URL is set to the listener's).
    pub async fn dev_defaults_with(edit: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = Config::load(None).unwrap().0;
        config.oidc.keys_file = shared_keys_file();
        config.saml.key_file = shared_saml_key();
        // The dev directory file would sit in the checkout and be shared by parallel tests.
        config.directory.url = "sqlite::memory:".into();
        TestApp::build_from(config, edit, None).await
    }

    async fn build(edit: impl FnOnce(&mut Config), gateway: Option<Gateway>) -> TestApp {
        TestApp::build_from(test_config(), edit, gateway).await
    }

    /// A second instance beside this one, as a separate process running the real binary: the
    /// same configuration (so the same Redis, secret and SAML key) and the same public URL, as
    /// instances behind one load balancer have.
    pub async fn sibling(&self) -> TestApp {
        assert_eq!(
            self.config.store.kind,
            idbroker::config::StoreKind::Redis,
            "instances share state only through Redis"
        );
        let process = Process::beside(self.config.clone()).await;
        TestApp::over(process, self.config.clone(), self.gateway.clone())
    }

    /// The test configuration, edited, with the dev outbox, as a broker process: for what one
    /// process counts alone (metrics) or writes to its own log.
    pub async fn as_process(edit: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = test_config();
        config.sms.kind = SmsKind::Outbox;
        edit(&mut config);
        let process = Process::start(config.clone()).await;
        config.server.public_url = process.base.clone();
        TestApp::over(process, config, None)
    }

    /// A `TestApp` for a broker process started with `config`.
    fn over(process: Process, mut config: Config, gateway: Option<Gateway>) -> TestApp {
        config.server.listen = process.base.trim_start_matches("http://").to_owned();
        TestApp {
            base: process.base.clone(),
            config,
            clock: Arc::new(ManualClock::new(time::OffsetDateTime::now_utc())),
            gateway,
            api: reqwest::Client::builder()
                .redirect(Policy::none())
                .build()
                .unwrap(),
            process: Some(process),
            outbox: None,
        }
    }

    /// This instance's process (`as_process`, `sibling`).
    pub fn process(&self) -> &Process {
        self.process.as_ref().expect("a broker process")
    }

    async fn build_from(
        mut config: Config,
        edit: impl FnOnce(&mut Config),
        gateway: Option<Gateway>,
    ) -> TestApp {
        capture();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        config.server.public_url = base.clone();
        edit(&mut config);
        config.validate().expect("test config is valid");
        let clock = Arc::new(ManualClock::new(time::OffsetDateTime::now_utc()));
        let kept = config.clone();
        let state = idbroker::AppState::new(config, clock.clone())
            .await
            .expect("keys load");
        let outbox = state.outbox.clone();
        let service =
            idbroker::app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, service).await.unwrap() });
        TestApp {
            base,
            config: kept,
            clock,
            gateway,
            api: reqwest::Client::builder()
                .redirect(Policy::none())
                .build()
                .unwrap(),
            process: None,
            outbox,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The authorization endpoint's URL with these query parameters.
    pub fn authorize_url(&self, pairs: &[(&str, &str)]) -> String {
        let mut url = url::Url::parse(&self.url("/auth/open/connect/authorize")).unwrap();
        url.query_pairs_mut().extend_pairs(pairs);
        url.into()
    }

    /// The status of a plain GET of `path`.
    pub async fn get_status(&self, path: &str) -> u16 {
        let response = self.api.get(self.url(path)).send().await.unwrap();
        response.status().as_u16()
    }

    pub fn gateway(&self) -> &Gateway {
        self.gateway.as_ref().expect("this app has a gateway")
    }

    pub fn advance(&self, secs: i64) {
        assert!(
            self.process.is_none(),
            "a broker process runs on the system clock"
        );
        self.clock.advance(time::Duration::seconds(secs));
    }

    pub async fn token_for(&self, client: &str, secret: &str) -> String {
        let token =
            testkit::client_credentials_token(&self.api, &self.base, client, secret, None).await;
        handled(Handled::Secret, &token);
        token
    }

    pub async fn token(&self) -> String {
        self.token_for(CLIENT, SECRET).await
    }

    /// POST /auth/rest/sessions with `body`, returning status and JSON.
    pub async fn create_raw(&self, token: &str, body: &Value) -> (u16, Value) {
        let response = self
            .api
            .post(self.url("/auth/rest/sessions"))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let json = response.json().await.unwrap_or(Value::Null);
        // The whole id is the login page's bearer value; logs name a session by its start.
        handled(Handled::Secret, json["id"].as_str().unwrap_or(""));
        (status, json)
    }

    pub async fn create(&self, extra: Value) -> Value {
        let mut body = session_request();
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, json) = self.create_raw(&self.token().await, &body).await;
        assert_eq!(status, 201, "{json}");
        json
    }

    /// GET a JSON document, with an optional bearer token.
    pub async fn get_json(&self, path: &str, bearer: Option<&str>) -> Value {
        let mut request = self.api.get(self.url(path));
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap().json().await.unwrap()
    }

    /// Uploads SP `metadata` with the admin `token`: the answer's status and text.
    pub async fn upload_sp(&self, token: &str, metadata: String) -> (u16, String) {
        let response = self
            .api
            .post(self.url("/admin/saml/sps"))
            .bearer_auth(token)
            .body(metadata)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap_or_default())
    }

    /// The dev outbox's messages, newest first.
    pub async fn outbox(&self) -> Value {
        outbox_at(&self.api, &self.base).await
    }

    pub async fn session(&self, id: &str) -> Value {
        let response = self
            .api
            .get(self.url(&format!("/auth/rest/sessions/{id}")))
            .bearer_auth(self.token().await)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    pub fn browser(&self) -> Browser {
        Browser {
            client: reqwest::Client::builder()
                .redirect(Policy::none())
                .cookie_store(true)
                .build()
                .unwrap(),
            base: self.base.clone(),
        }
    }
}

pub fn session_request() -> Value {
    json!({
        "allowedProviders": ["otp-sms"],
        "flow": "redirect",
        "language": "en",
        "requestedAttributes": ["idpId", "phoneNumber"],
        "additionalParameters": {"otp_sms_sender": "Acme Bank"},
        "callbackUrls": {"success": SUCCESS, "abort": ABORT, "error": ERROR}
    })
}

/// The status of a userinfo request with `token` at `app`, and its `WWW-Authenticate` header.
pub async fn userinfo_status(app: &TestApp, token: &str) -> (u16, String) {
    let response = app
        .api
        .get(app.url("/auth/open/connect/userinfo"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (response.status().as_u16(), challenge)
}

/// The dev outbox of the broker at `base`, newest first; what it shows is noted as handled.
pub async fn outbox_at(api: &reqwest::Client, base: &str) -> Value {
    let response = api
        .get(format!("{base}/dev/outbox.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let outbox: Value = response.json().await.unwrap();
    for message in outbox.as_array().into_iter().flatten() {
        handled_message(
            message["recipient"].as_str().unwrap_or(""),
            message["text"].as_str().unwrap_or(""),
        );
    }
    outbox
}
