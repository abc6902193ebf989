//! A broker on a real loopback listener, a fake SMS gateway beside it, and a browser-like client.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use idbroker::config::{Config, Secret, SmsKind};
use idbroker::core::clock::ManualClock;
use reqwest::redirect::Policy;
use serde_json::{Value, json};

pub const CLIENT: &str = "rp";
pub const SECRET: &str = "rp-secret-123";
pub const OTHER: &str = "other";
pub const SUCCESS: &str = "https://rp.example/cb/success";
pub const ABORT: &str = "https://rp.example/cb/abort";
pub const ERROR: &str = "https://rp.example/cb/error";
pub const PHONE: &str = "+447911123456";
pub const REDIRECT: &str = "https://rp.example/oidc/cb";
pub const LOGGED_OUT: &str = "https://rp.example/bye";
pub const PUBLIC_APP: &str = "public-app";
pub const ES_CLIENT: &str = "es-client";
pub const UBI: &str = "c495bb59-f0ae-430a-9830-ca8228aa58fe";
pub const UBI2: &str = "second-app";
pub const UBI_SECRET: &str = "CVgXCVQaLeRcd0AQ604sUuAL0NCBDX77";

/// How the fake gateway answers.
#[derive(Clone, Copy)]
pub enum GatewayMode {
    Ok,
    Status(u16),
    Hang,
}

#[derive(Clone)]
pub struct Gateway {
    pub url: String,
    pub received: Arc<Mutex<Vec<HashMap<String, String>>>>,
    pub mode: Arc<Mutex<GatewayMode>>,
}

impl Gateway {
    pub async fn start() -> Gateway {
        let received = Arc::new(Mutex::new(Vec::new()));
        let mode = Arc::new(Mutex::new(GatewayMode::Ok));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/send", listener.local_addr().unwrap());
        let app = axum::Router::new()
            .route("/send", get(gateway_send))
            .with_state((received.clone(), mode.clone()));
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Gateway {
            url,
            received,
            mode,
        }
    }

    pub fn set(&self, mode: GatewayMode) {
        *self.mode.lock().unwrap() = mode;
    }

    pub fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }

    pub fn last(&self) -> HashMap<String, String> {
        self.received
            .lock()
            .unwrap()
            .last()
            .cloned()
            .expect("a message was sent")
    }

    /// The code in the newest message, read from its WebOTP line.
    pub fn last_code(&self) -> String {
        code_of(&self.last()["challenge"])
    }
}

type GatewayState = (
    Arc<Mutex<Vec<HashMap<String, String>>>>,
    Arc<Mutex<GatewayMode>>,
);

async fn gateway_send(
    State((received, mode)): State<GatewayState>,
    Query(query): Query<HashMap<String, String>>,
) -> StatusCode {
    let mode = *mode.lock().unwrap();
    match mode {
        GatewayMode::Ok => {
            received.lock().unwrap().push(query);
            StatusCode::OK
        }
        GatewayMode::Status(s) => StatusCode::from_u16(s).unwrap(),
        GatewayMode::Hang => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            StatusCode::OK
        }
    }
}

/// The first run of six digits in a text: the code in a message without a WebOTP line.
pub fn digits_in(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .expect("a six-digit code")
        .to_owned()
}

/// The code from a message's last line, `@host #123456`.
pub use testkit::code_of;

/// A real SMTP server on loopback that keeps every message it is given.
#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    pub messages: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let kept = messages.clone();
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let kept = kept.clone();
                tokio::spawn(async move {
                    let (read, mut write) = socket.into_split();
                    let mut lines = BufReader::new(read);
                    let _ = write.write_all(b"220 sink.test ESMTP\r\n").await;
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                        let reply: &[u8] = match verb.as_str() {
                            "EHLO" => b"250-sink.test\r\n250 8BITMIME\r\n",
                            "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
                            "QUIT" => {
                                let _ = write.write_all(b"221 Bye\r\n").await;
                                return;
                            }
                            "DATA" => {
                                let _ = write.write_all(b"354 Go ahead\r\n").await;
                                let mut data = Vec::new();
                                loop {
                                    let mut chunk = String::new();
                                    if lines.read_line(&mut chunk).await.unwrap_or(0) == 0 {
                                        return;
                                    }
                                    if chunk == ".\r\n" {
                                        break;
                                    }
                                    data.extend_from_slice(chunk.as_bytes());
                                }
                                kept.lock().unwrap().push(data);
                                b"250 Queued\r\n"
                            }
                            _ => b"502 Not implemented\r\n",
                        };
                        if write.write_all(reply).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        SmtpSink { port, messages }
    }

    pub fn count(&self) -> usize {
        self.messages.lock().unwrap().len()
    }

    /// The newest message, parsed: (to, subject, body text).
    pub fn last(&self) -> (String, String, String) {
        let raw = self
            .messages
            .lock()
            .unwrap()
            .last()
            .cloned()
            .expect("a message was delivered");
        let message = mail_parser::MessageParser::default()
            .parse(&raw)
            .expect("a parsable message");
        let to = message
            .to()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .unwrap_or("")
            .to_owned();
        let subject = message.subject().unwrap_or("").to_owned();
        let body = message
            .body_text(0)
            .unwrap_or_default()
            .trim_end()
            .to_owned();
        (to, subject, body)
    }
}

/// A real redis-server and free ports come from the helpers loadgen shares.
pub use testkit::{RedisServer, free_port};

/// Points the broker's e-mail at `port` on loopback, without TLS.
pub fn smtp_to(config: &mut Config, port: u16) {
    config.email.kind = idbroker::config::EmailKind::Smtp;
    config.email.host = Some("127.0.0.1".into());
    config.email.port = Some(port);
    config.email.security = idbroker::config::SmtpSecurity::Plain;
    config.email.from = Some("idbroker <no-reply@idbroker.test>".into());
    config.email.timeout_secs = 2;
}

pub struct TestApp {
    pub base: String,
    pub config: Config,
    pub clock: Arc<ManualClock>,
    pub gateway: Option<Gateway>,
    pub api: reqwest::Client,
    /// Set when this instance is a separate broker process (its clock is the system's).
    process: Option<Process>,
}

/// A broker process, killed when dropped, and the folder holding its configuration.
pub struct Process {
    child: std::process::Child,
    _dir: Option<tempfile::TempDir>,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the real binary with `config` (a file), listening on `port`, and waits until it is
/// ready.
pub async fn spawn_broker(config: &std::path::Path, port: u16) -> std::process::Child {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_idbroker"))
        .args(["serve", "--config"])
        .arg(config)
        // Errors only: the tests provoke warnings (replays, failed sends) on purpose.
        .env("RUST_LOG", "error")
        .spawn()
        .unwrap();
    if testkit::wait_ready(&format!("http://127.0.0.1:{port}")).await {
        return child;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the broker did not become ready");
}

/// One keys file for the whole test run: key generation is the slow part of starting a broker.
pub fn shared_keys_file() -> String {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let dir = DIR.get_or_init(|| tempfile::tempdir().unwrap());
    let path = dir.path().join("keys.json");
    static MADE: std::sync::Once = std::sync::Once::new();
    MADE.call_once(|| {
        idbroker::signing::load_file(&path).unwrap();
        let saml = path.with_file_name("saml-key.pem");
        idbroker::saml::idp_key::IdpKey::load_or_create(&saml, "127.0.0.1").unwrap();
    });
    path.to_str().unwrap().to_owned()
}

/// One SAML key for the whole test run, beside the JWT keys.
pub fn shared_saml_key() -> String {
    let path = std::path::Path::new(&shared_keys_file()).with_file_name("saml-key.pem");
    path.to_str().unwrap().to_owned()
}

pub fn test_config() -> Config {
    let mut config = Config::load(None).unwrap().0;
    config.oidc.keys_file = shared_keys_file();
    config.saml.key_file = shared_saml_key();
    // A metadata folder of its own: each test registers its own SPs.
    let dir = std::env::temp_dir().join(format!(
        "idbroker-metadata-{}",
        idbroker::core::ids::random_token()
    ));
    config.saml.metadata_dir = dir.to_str().unwrap().to_owned();
    config.server.secret_key = Some(Secret::new("test-secret-test-secret-test-secret-0123"));
    config.demo.enabled = false;
    // The limits across sessions are off unless a test turns them on (`limits.rs` does): the
    // other tests send many codes to one number from one address.
    config.limits = idbroker::config::Limits::off();
    // E-mail is off unless a test turns it on: most tests are about the SMS path.
    config.email.kind = idbroker::config::EmailKind::None;
    config.clients = serde_json::from_value(json!([
        {
            "client_id": CLIENT, "client_secret": SECRET,
            "callback_urls": [SUCCESS, ABORT, ERROR],
            "grant_types": ["client_credentials", "authorization_code"],
            "redirect_uris": [REDIRECT], "post_logout_redirect_uris": [LOGGED_OUT]
        },
        {
            "client_id": PUBLIC_APP, "public": true, "application_type": "native",
            "redirect_uris": ["http://127.0.0.1/callback"], "grant_types": ["authorization_code"]
        },
        {
            "client_id": ES_CLIENT, "client_secret": "es-secret-123",
            "redirect_uris": ["https://es.example/cb"], "grant_types": ["authorization_code"],
            "id_token_signed_response_alg": "ES256", "subject_type": "pairwise"
        },
        {
            "client_id": UBI, "client_secret": UBI_SECRET,
            "grant_types": [idbroker::grants::SMS_GRANT, idbroker::grants::EMAIL_GRANT]
        },
        {
            "client_id": UBI2, "client_secret": UBI_SECRET,
            "grant_types": [idbroker::grants::SMS_GRANT, idbroker::grants::EMAIL_GRANT]
        },
        {
            "client_id": OTHER, "client_secret": "other-secret-123",
            "callback_urls": ["https://other.example/cb"],
            "allowed_providers": ["otp-sms"], "grant_types": ["client_credentials"]
        },
        {
            "client_id": "nogrant", "client_secret": "nogrant-secret",
            "callback_urls": [], "allowed_providers": ["otp-sms"], "grant_types": []
        }
    ]))
    .unwrap();
    config
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
        let mut config = Config::load(None).unwrap().0;
        config.oidc.keys_file = shared_keys_file();
        config.saml.key_file = shared_saml_key();
        TestApp::build_from(config, |_| {}, None).await
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
        let port = free_port();
        let mut config = self.config.clone();
        config.server.listen = format!("127.0.0.1:{port}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("idbroker.toml");
        std::fs::write(&path, toml::to_string(&config).unwrap()).unwrap();
        let child = spawn_broker(&path, port).await;
        TestApp {
            base: format!("http://127.0.0.1:{port}"),
            config,
            clock: Arc::new(ManualClock::new(time::OffsetDateTime::now_utc())),
            gateway: self.gateway.clone(),
            api: reqwest::Client::builder()
                .redirect(Policy::none())
                .build()
                .unwrap(),
            process: Some(Process {
                child,
                _dir: Some(dir),
            }),
        }
    }

    async fn build_from(
        mut config: Config,
        edit: impl FnOnce(&mut Config),
        gateway: Option<Gateway>,
    ) -> TestApp {
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
        testkit::client_credentials_token(&self.api, &self.base, client, secret, None).await
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
        (status, response.json().await.unwrap_or(Value::Null))
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

    /// The dev outbox's messages, newest first.
    pub async fn outbox(&self) -> Value {
        let response = self
            .api
            .get(self.url("/dev/outbox.json"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
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

/// A browser: keeps cookies, does not follow redirects (tests look at them).
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn csrf(&self) -> String {
        testkit::csrf_in(&self.body).expect("page has a form")
    }

    /// The path a 303 points at, relative to the broker.
    pub fn location_path(&self, base: &str) -> String {
        let location = self.location.clone().expect("a redirect");
        location.strip_prefix(base).unwrap_or(&location).to_owned()
    }
}

impl Browser {
    pub async fn page(response: reqwest::Response) -> Page {
        Page {
            status: response.status().as_u16(),
            location: response
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_owned()),
            headers: response.headers().clone(),
            body: response.text().await.unwrap(),
        }
    }

    fn abs(&self, url: &str) -> String {
        if url.starts_with("http") {
            url.to_owned()
        } else {
            format!("{}{url}", self.base)
        }
    }

    pub async fn get(&self, url: &str) -> Page {
        Browser::page(self.client.get(self.abs(url)).send().await.unwrap()).await
    }

    pub async fn get_with(&self, url: &str, header: (&str, &str)) -> Page {
        Browser::page(
            self.client
                .get(self.abs(url))
                .header(header.0, header.1)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn post(&self, url: &str, form: &[(&str, &str)]) -> Page {
        Browser::page(
            self.client
                .post(self.abs(url))
                .form(form)
                .send()
                .await
                .unwrap(),
        )
        .await
    }
}

/// Completes the OTP pages of a session hopping between two instances: page on `b`, phone
/// number on `a`, code on `b`. Returns the final answer.
pub async fn login_across(browser: &Browser, login_path: &str, a: &TestApp, b: &TestApp) -> Page {
    let page = browser.get(&format!("{}{login_path}", b.base)).await;
    let csrf = page.csrf();
    browser
        .post(
            &format!("{}{login_path}/phone", a.base),
            &[("csrf", &csrf), ("phone_number", PHONE)],
        )
        .await;
    let code = a.gateway().last_code();
    browser
        .post(
            &format!("{}{login_path}/otp", b.base),
            &[("csrf", &csrf), ("otp", &code)],
        )
        .await
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

/// The login page URL's path for a session.
pub fn login(id: &str) -> String {
    format!("/auth/login/{id}")
}

/// One login in progress, seen from the browser that opened it.
pub struct Flow<'a> {
    pub app: &'a TestApp,
    pub id: String,
    pub browser: Browser,
    pub csrf: String,
}

impl<'a> Flow<'a> {
    /// Creates a session (default request plus `extra`) and opens its login page.
    pub async fn open(app: &'a TestApp, extra: Value) -> Flow<'a> {
        let session = app.create(extra).await;
        let id = session["id"].as_str().unwrap().to_owned();
        let browser = app.browser();
        let page = browser
            .get(session["authenticationUrl"].as_str().unwrap())
            .await;
        assert_eq!(page.status, 200, "{}", page.body);
        let csrf = page.csrf();
        Flow {
            app,
            id,
            browser,
            csrf,
        }
    }

    /// Opens a session and gets a code sent to `PHONE`.
    pub async fn to_code(app: &'a TestApp) -> Flow<'a> {
        let flow = Flow::open(app, json!({})).await;
        let sent = flow.phone(PHONE).await;
        assert_eq!(
            sent.location_path(&app.base),
            flow.path(""),
            "{}",
            sent.body
        );
        flow
    }

    /// This session's login path plus `suffix`.
    pub fn path(&self, suffix: &str) -> String {
        format!("{}{suffix}", login(&self.id))
    }

    /// Posts a form of this session's page, with its anti-forgery token.
    pub async fn post(&self, action: &str, fields: &[(&str, &str)]) -> Page {
        let mut form = vec![("csrf", self.csrf.as_str())];
        form.extend_from_slice(fields);
        self.browser.post(&self.path(action), &form).await
    }

    pub async fn phone(&self, number: &str) -> Page {
        self.post("/phone", &[("phone_number", number)]).await
    }

    pub async fn code(&self, code: &str) -> Page {
        self.post("/otp", &[("otp", code)]).await
    }

    pub async fn resend(&self) -> Page {
        self.post("/resend", &[]).await
    }

    pub async fn page(&self) -> Page {
        self.browser.get(&self.path("")).await
    }

    /// Where a post that asks the page to show `notice` redirects.
    pub fn notice(&self, notice: &str) -> String {
        self.path(&format!("?notice={notice}"))
    }

    pub fn callback(&self, base: &str) -> String {
        format!("{base}?sessionId={}", self.id)
    }

    pub async fn status(&self) -> Value {
        self.app.session(&self.id).await["status"].clone()
    }
}
