//! The load generator: starts a broker (the release binary) with its own fake SMS gateway and,
//! for `--store redis`, its own redis-server; drives complete logins end to end from many
//! concurrent virtual users; prints throughput, latency percentiles per step, errors, and the
//! machine's RS256 signing ceiling measured in the same run.
//!
//!     loadgen [--mode oidc|rest|grant|pending|pump|hostile] [--store memory|redis] [--logins N]
//!             [--concurrency C] [--stalled K] [--limits on|off] [--seconds S]
//!             [--records N,N,...]
//!
//! `--stalled K` adds K more users whose SMS the gateway never answers: their requests hang in
//! the broker until its gateway timeout, over and over, while the measured users log in. Compare
//! the measured latencies with a run without it to see that one hanging gateway call does not
//! slow the other logins down.
//!
//! `pending` opens N sessions that nobody finishes and reports the broker's memory growth per
//! session (resident set size, from /proc). Then, in this process, it fills the broker's
//! in-memory store to each size of `--records` (1000,1000000) and reports the p50 and p99
//! latency of one insert and one read at that size.
//!
//! The broker runs with its limits on (`--limits off` turns them off, to measure their cost),
//! behind a trusted proxy on loopback: each login comes from its own address in 198.18.0.0/15
//! (`X-Forwarded-For`) and its own number, as real users do.
//!
//! `hostile` sends a corpus of hostile SAML requests (XPath and XSLT transforms, signature
//! wrapping, deep nesting, many attributes, entity and deflate bombs) to an SP's SSO endpoint
//! and prints the broker's CPU time per refused request.
//!
//! `pump` plays an SMS pumper for `--seconds S` (60) from one address — one number over and
//! over, a sequential sweep, premium-rate numbers, through the direct grant and the pages —
//! while the `--concurrency` users log in beside it; it reports how many of the attacker's SMS
//! reached the gateway and the logins/s of everyone else.

use std::collections::{BTreeMap, HashMap};
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clap::{Parser, ValueEnum};
use reqwest::redirect::Policy;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;

const CLIENT: &str = "bench";
const SECRET: &str = "bench-secret-123";
const REDIRECT: &str = "https://rp.bench/cb";

// The same allocator as the broker, so the client takes as little of the shared cores as it can.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The fake SMS gateway's state: who waits for which number's code, and how many requests it
/// is holding without an answer.
#[derive(Clone, Default)]
struct Gateway {
    /// By number: the measured user each login's number belongs to.
    codes: Arc<Mutex<HashMap<String, mpsc::UnboundedSender<String>>>>,
    hanging: Arc<std::sync::atomic::AtomicUsize>,
    /// SMS that reached the gateway for the pumper's numbers.
    pumped: Arc<std::sync::atomic::AtomicUsize>,
}

/// Numbers the gateway never answers for.
const STALLED_PREFIX: &str = "+4792";
/// The measured users' numbers: `+479`, one of `USER_DIGITS`, and six digits; a new number
/// for each login.
const USER_PREFIX: &str = "+479";
const USER_DIGITS: [u8; 8] = [1, 3, 4, 5, 6, 7, 8, 9];
/// The pumper's numbers (a sweep through Norwegian mobiles; premium-rate ones in the UK).
const PUMP_PREFIXES: [&str; 2] = ["+4790", "+44909"];
/// The one address the pumper sends from.
const PUMP_ADDRESS: &str = "203.0.113.66";

#[derive(Parser)]
#[command(about = "Complete logins end to end against an idbroker process it starts")]
struct Args {
    /// What to drive.
    #[arg(long, value_enum, default_value_t = Mode::Oidc)]
    mode: Mode,
    /// Where the broker keeps its records (`redis` starts a redis-server of its own).
    #[arg(long, value_enum, default_value_t = StoreKind::Memory)]
    store: StoreKind,
    /// Logins to complete (`pending`: sessions to open; `hostile`: times to send each request,
    /// at most 200).
    #[arg(long, default_value_t = 2000)]
    logins: usize,
    /// Virtual users at once.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Users whose SMS the gateway never answers, beside the measured ones.
    #[arg(long, default_value_t = 0)]
    stalled: usize,
    /// The broker's limits as shipped (`on`) or all off.
    #[arg(long, value_enum, default_value_t = Switch::On)]
    limits: Switch,
    /// How long the `pump` mode runs.
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// `pending`: the in-memory store sizes to time one insert and one read at.
    #[arg(long, value_delimiter = ',', default_values_t = [1000, 1000000])]
    records: Vec<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Mode {
    Oidc,
    Rest,
    Grant,
    Pending,
    Pump,
    Hostile,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum StoreKind {
    Memory,
    Redis,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Switch {
    On,
    Off,
}

/// The name a value has on the command line.
fn name(value: impl ValueEnum) -> String {
    value
        .to_possible_value()
        .map(|v| v.get_name().to_owned())
        .unwrap_or_default()
}

/// The broker process, killed on drop, and the redis-server if any (stopped on drop), so an
/// aborted run leaves nothing behind.
struct Guard(Vec<Child>, Option<testkit::RedisServer>);

impl Drop for Guard {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

// One thread: the client needs well under a core, and a second worker thread only adds
// context switches on the cores it shares with the broker.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = Args::parse();
    let limits_on = args.limits == Switch::On;
    let dir = tempfile::tempdir().unwrap();
    let mut guard = Guard(Vec::new(), None);

    // The fake SMS gateway: hands each code to the virtual user waiting for that number.
    let codes = Gateway::default();
    let gateway = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let gateway_url = format!("http://{}/send", gateway.local_addr().unwrap());
    let app = axum::Router::new()
        .route("/send", axum::routing::get(deliver))
        .with_state(codes.clone());
    tokio::spawn(async move { axum::serve(gateway, app).await.unwrap() });

    let store = if args.store == StoreKind::Redis {
        let redis = testkit::RedisServer::start().await;
        let store = format!("kind = \"redis\"\nurl = \"{}\"\n", redis.url);
        guard.1 = Some(redis);
        store
    } else {
        "kind = \"memory\"\nmax_records = 2000000\n".to_owned()
    };
    let port = testkit::free_port();
    let base = format!("http://127.0.0.1:{port}");
    // As shipped, but with a budget that thousands of logins a second do not spend in the
    // run (the budget is counted all the same); or every limit off.
    let limits = if limits_on {
        "daily_sms_budget = 1000000.0\n"
    } else {
        "wrong_codes_per_hour = 0\nwrong_codes_per_day = 0\ncooldown_per_identifier_secs = 0\n\
         sends_per_identifier_per_10min = 0\nsends_per_identifier_per_day = 0\n\
         sends_per_address_per_minute = 0\nsends_per_address_per_hour = 0\n\
         sms_per_range_per_hour = 0\ndaily_sms_budget = 0.0\nbreaker_min_sends = 0\n\
         auth_failures_per_address_per_10min = 0\n"
    };
    let config = format!(
        r#"[server]
listen = "127.0.0.1:{port}"
public_url = "{base}"
secret_key = "bench-secret-bench-secret-bench-secret-0001"
trusted_proxies = ["127.0.0.1"]
[limits]
{limits}
[store]
{store}
[otp]
resend_cooldown_secs = 0
[sms]
kind = "http"
# Short, so that the stalled users' sends time out (and retry) several times in one run.
timeout_secs = 2
url = "{gateway_url}?to={{mobile}}&text={{challenge}}"
default_region = "NO"
[oidc]
keys_file = "{keys}"
[saml]
key_file = "{saml}"
metadata_dir = "{metadata}"
[[clients]]
client_id = "{CLIENT}"
client_secret = "{SECRET}"
callback_urls = ["https://rp.bench/ok", "https://rp.bench/abort", "https://rp.bench/error"]
redirect_uris = ["{REDIRECT}"]
grant_types = ["client_credentials", "authorization_code", "http://globalsign.com/iam/sso/oauth2/grant-type/sms-mt-otp"]
"#,
        keys = dir.path().join("keys.json").display(),
        saml = dir.path().join("saml.pem").display(),
        metadata = dir.path().join("metadata").display(),
    );
    if args.mode == Mode::Hostile {
        // The SP the hostile requests name: registered, not asking for signed requests.
        std::fs::create_dir_all(dir.path().join("metadata")).unwrap();
        std::fs::write(
            dir.path().join("metadata/sp.xml"),
            hostile_sp_metadata(dir.path()),
        )
        .unwrap();
    }
    let config_path = dir.path().join("bench.toml");
    std::fs::write(&config_path, config).unwrap();
    let binary = std::env::current_exe().unwrap().with_file_name("idbroker");
    let mut command = Command::new(binary);
    command
        .args(["serve", "--config"])
        .arg(&config_path)
        // The stalled users' timeouts would log a warning each.
        .env("RUST_LOG", "warn,idbroker::core::login=error");
    // Under `make test`, into the run's log folder for the scan at its end.
    if let Some(logs) = std::env::var_os("TEST_LOG_DIR") {
        let logs = std::path::PathBuf::from(logs);
        std::fs::create_dir_all(&logs).unwrap();
        let name = format!("loadgen-{}.log", std::process::id());
        let file = std::fs::File::create(logs.join(name)).unwrap();
        command
            .env("IDBROKER_LOG__FORMAT", "json")
            .stdout(file.try_clone().unwrap())
            .stderr(file);
    }
    guard
        .0
        .push(command.spawn().expect("the idbroker binary beside loadgen"));
    assert!(
        testkit::wait_ready(&base).await,
        "the broker did not become ready"
    );
    let http = reqwest::Client::new();
    let jwks: jsonwebtoken::jwk::JwkSet = http
        .get(format!(
            "{base}/auth/open/.well-known/openid-configuration/jwks"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let jwks = Arc::new(jwks);

    println!(
        "idbroker load: mode {}, store {}, {} logins, {} concurrent, limits {}, {} cores",
        name(args.mode),
        name(args.store),
        args.logins,
        args.concurrency,
        name(args.limits),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    if args.mode == Mode::Pending {
        let pid = guard.0.last().map(Child::id).unwrap_or_default();
        pending(&base, pid, args.logins, args.concurrency).await;
        for &records in &args.records {
            store_latency(records).await;
        }
        return;
    }
    if args.mode == Mode::Hostile {
        let pid = guard.0.last().map(Child::id).unwrap_or_default();
        let worst = hostile(&base, pid, args.logins.min(200)).await;
        drop(guard);
        // Every request of the corpus must have been refused.
        if worst.is_none() {
            std::process::exit(1);
        }
        return;
    }
    let broker_pid = guard.0.last().map(Child::id).unwrap_or_default();
    let cpu_before = (cpu_seconds(broker_pid), cpu_seconds(std::process::id()));
    let timings: Arc<Mutex<BTreeMap<&'static str, Vec<Duration>>>> = Arc::default();
    let errors = Arc::new(Mutex::new(Vec::<String>::new()));
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    // The stalled users go first, so that every measured login runs beside hanging sends.
    let stalled_sends = Arc::new(Mutex::new(Vec::<Duration>::new()));
    let stalled: Vec<_> = (0..args.stalled)
        .map(|i| {
            let (_, rx) = mpsc::unbounded_channel();
            // Each in a range and at an address of its own, as the measured users are.
            let phone = format!("{STALLED_PREFIX}{i:03}000");
            let mut user = User::new(&base, phone, rx, &jwks);
            user.address = limits_on.then(|| format!("198.51.100.{}", i % 256));
            let (sends, errors) = (stalled_sends.clone(), errors.clone());
            tokio::spawn(async move {
                loop {
                    match user.stall().await {
                        Ok(waited) => sends.lock().unwrap().push(waited),
                        Err(e) => errors.lock().unwrap().push(e),
                    }
                }
            })
        })
        .collect();
    let waiting = Instant::now();
    while codes.hanging.load(std::sync::atomic::Ordering::Relaxed) < args.stalled {
        if waiting.elapsed() > Duration::from_secs(10) {
            panic!("the stalled users' sends did not reach the gateway");
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let started = Instant::now();
    let deadline = (args.mode == Mode::Pump).then(|| started + Duration::from_secs(args.seconds));
    let total = if deadline.is_some() {
        usize::MAX
    } else {
        args.logins
    };
    let pumper = deadline.map(|deadline| tokio::spawn(pump(base.clone(), deadline, limits_on)));
    let workers: Vec<_> = (0..args.concurrency)
        .map(|_| {
            let (tx, rx) = mpsc::unbounded_channel();
            let user = User::new(&base, String::new(), rx, &jwks);
            let (gateway, mode, timings, errors, next, limits) = (
                codes.codes.clone(),
                args.mode,
                timings.clone(),
                errors.clone(),
                next.clone(),
                limits_on,
            );
            tokio::spawn(async move {
                let mut user = user;
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= total || deadline.is_some_and(|d| Instant::now() >= d) {
                        break;
                    }
                    // A number and an address of its own for each login; consecutive logins
                    // fall in different number ranges (all but the last three digits): 8000
                    // ranges of Norwegian mobiles, and the 131 072 addresses of 198.18.0.0/15.
                    let (d, r, k) = (USER_DIGITS[i % 8], (i / 8) % 1000, (i / 8000) % 1000);
                    user.phone = format!("{USER_PREFIX}{d}{r:03}{k:03}");
                    user.address = limits.then(|| {
                        format!(
                            "198.{}.{}.{}",
                            18 + ((i >> 16) & 1),
                            (i >> 8) & 255,
                            i & 255
                        )
                    });
                    gateway
                        .lock()
                        .unwrap()
                        .insert(user.phone.clone(), tx.clone());
                    let began = Instant::now();
                    user.steps.clear();
                    let result = match mode {
                        Mode::Rest => user.rest().await,
                        Mode::Grant => user.grant().await,
                        _ => user.oidc().await,
                    };
                    match result {
                        Ok(()) => {
                            let mut t = timings.lock().unwrap();
                            for (step, d) in user.steps.drain(..) {
                                t.entry(step).or_default().push(d);
                            }
                            t.entry("total").or_default().push(began.elapsed());
                        }
                        Err(e) => errors.lock().unwrap().push(e),
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.unwrap();
    }
    let elapsed = started.elapsed();
    if let Some(pumper) = pumper {
        let report = pumper.await.unwrap();
        println!(
            "pump: {:.0} s from one address ({PUMP_ADDRESS}): {} send attempts ({}), {} SMS reached the gateway",
            elapsed.as_secs_f64(),
            report.attempts,
            report
                .statuses
                .iter()
                .map(|(status, n)| format!("{n}× {status}"))
                .collect::<Vec<_>>()
                .join(", "),
            codes.pumped.load(std::sync::atomic::Ordering::Relaxed)
        );
    }
    let still_hanging = codes.hanging.load(std::sync::atomic::Ordering::Relaxed);
    for task in stalled {
        task.abort();
    }
    let cpu = (
        cpu_seconds(broker_pid) - cpu_before.0,
        cpu_seconds(std::process::id()) - cpu_before.1,
    );
    let timings = std::mem::take(&mut *timings.lock().unwrap());
    let done = timings.get("total").map_or(0, Vec::len);
    let errors = std::mem::take(&mut *errors.lock().unwrap());
    println!(
        "completed {done} logins in {:.2} s: {:.0} logins/s, {} errors",
        elapsed.as_secs_f64(),
        done as f64 / elapsed.as_secs_f64(),
        errors.len()
    );
    if let Some(first) = errors.first() {
        println!("first error: {first}");
    }
    if args.stalled > 0 {
        let sends = stalled_sends.lock().unwrap();
        let longest = sends.iter().max().copied().unwrap_or_default();
        println!(
            "stalled: {} users whose gateway call never returns; {} of their sends ended in \
             send-failed (the longest after {:.1} s), {} still hanging at the end",
            args.stalled,
            sends.len(),
            longest.as_secs_f64(),
            still_hanging
        );
    }
    if done > 0 {
        println!(
            "CPU per login: broker {:.2} ms, loadgen {:.2} ms ({:.0}% of the cores busy)",
            cpu.0 * 1000.0 / done as f64,
            cpu.1 * 1000.0 / done as f64,
            (cpu.0 + cpu.1) * 100.0
                / elapsed.as_secs_f64()
                / std::thread::available_parallelism().map_or(1, |n| n.get()) as f64
        );
    }
    println!("{:<10} {:>9} {:>9} {:>9}", "step (ms)", "p50", "p95", "p99");
    for (step, durations) in timings.iter() {
        let mut sorted = durations.clone();
        sorted.sort();
        let pct = |p: f64| {
            sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)].as_secs_f64()
                * 1000.0
        };
        println!(
            "{step:<10} {:>9.2} {:>9.2} {:>9.2}",
            pct(0.50),
            pct(0.95),
            pct(0.99)
        );
    }
    let ceiling = signing_ceiling().await;
    println!(
        "RS256 signing ceiling (2048-bit, all cores): {ceiling:.0} signatures/s; logins/s ÷ ceiling = {:.2}",
        done as f64 / elapsed.as_secs_f64() / ceiling
    );
    drop(guard);
    if !errors.is_empty() {
        std::process::exit(1);
    }
}

/// Counts a request the gateway holds, until the broker gives up on it and hyper drops it.
struct Hanging(Arc<std::sync::atomic::AtomicUsize>);

impl Drop for Hanging {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }
}

async fn deliver(
    State(gateway): State<Gateway>,
    Query(query): Query<HashMap<String, String>>,
) -> &'static str {
    if query
        .get("to")
        .is_some_and(|to| to.starts_with(STALLED_PREFIX))
    {
        gateway
            .hanging
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let _hanging = Hanging(gateway.hanging.clone());
        // Far longer than the broker waits: it times out first and drops the connection.
        tokio::time::sleep(Duration::from_secs(600)).await;
        return "late";
    }
    if let Some(to) = query.get("to")
        && PUMP_PREFIXES.iter().any(|p| to.starts_with(p))
    {
        gateway
            .pumped
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return "ok";
    }
    let code = testkit::code_of(query.get("text").map_or("", String::as_str));
    if let Some(to) = query.get("to")
        && let Some(tx) = gateway.codes.lock().unwrap().get(to)
    {
        let _ = tx.send(code);
    }
    "ok"
}

/// One virtual user with a browser (cookies) and a phone.
struct User {
    base: String,
    phone: String,
    /// The client address this user's requests come from, as our trusted proxy (loopback)
    /// says in `X-Forwarded-For`; `None` sends none.
    address: Option<String>,
    codes: mpsc::UnboundedReceiver<String>,
    browser: reqwest::Client,
    jwks: Arc<jsonwebtoken::jwk::JwkSet>,
    steps: Vec<(&'static str, Duration)>,
}

fn location(r: &reqwest::Response) -> Result<String, String> {
    r.headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .map(str::to_owned)
        .ok_or_else(|| format!("expected a redirect, got {}", r.status()))
}

fn csrf(body: &str) -> Result<String, String> {
    testkit::csrf_in(body).ok_or_else(|| "no form".to_owned())
}

impl User {
    fn new(
        base: &str,
        phone: String,
        codes: mpsc::UnboundedReceiver<String>,
        jwks: &Arc<jsonwebtoken::jwk::JwkSet>,
    ) -> User {
        User {
            base: base.to_owned(),
            phone,
            address: None,
            codes,
            browser: reqwest::Client::builder()
                .redirect(Policy::none())
                .cookie_store(true)
                .build()
                .unwrap(),
            jwks: jwks.clone(),
            steps: Vec::new(),
        }
    }

    fn get(&self, url: impl reqwest::IntoUrl) -> reqwest::RequestBuilder {
        self.with_address(self.browser.get(url))
    }

    fn post(&self, url: impl reqwest::IntoUrl) -> reqwest::RequestBuilder {
        self.with_address(self.browser.post(url))
    }

    fn with_address(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.address {
            Some(address) => request.header("x-forwarded-for", address),
            None => request,
        }
    }

    fn time(&mut self, step: &'static str, since: Instant) {
        self.steps.push((step, since.elapsed()));
    }

    /// Phone page, then the phone number: returns the page's anti-forgery token and where the
    /// number's post led.
    async fn enter_phone(&mut self, login_url: &str) -> Result<(String, String), String> {
        let t = Instant::now();
        let page = self
            .get(login_url)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let body = page.text().await.map_err(|e| e.to_string())?;
        let csrf = csrf(&body)?;
        self.time("page", t);
        let t = Instant::now();
        let sent = self
            .post(format!("{login_url}/phone"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("phone_number", self.phone.as_str()),
            ])
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let to = location(&sent)?;
        self.time("phone", t);
        Ok((csrf, to))
    }

    /// Phone page, phone number, code from the gateway, code page: returns where it ends.
    async fn pages(&mut self, login_url: &str) -> Result<String, String> {
        let (csrf, _) = self.enter_phone(login_url).await?;
        let t = Instant::now();
        let code = tokio::time::timeout(Duration::from_secs(10), self.codes.recv())
            .await
            .map_err(|_| "no SMS".to_owned())?
            .ok_or("gateway gone")?;
        self.time("sms", t);
        let t = Instant::now();
        let done = self
            .post(format!("{login_url}/otp"))
            .form(&[("csrf", csrf.as_str()), ("otp", code.as_str())])
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let end = location(&done)?;
        self.time("otp", t);
        Ok(end)
    }

    /// Authorization request: returns the login page URL, the PKCE verifier and the nonce.
    async fn authorize(&mut self) -> Result<(String, String, String), String> {
        let verifier = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        let nonce = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 16]>());
        let mut url =
            url::Url::parse(&format!("{}/auth/open/connect/authorize", self.base)).unwrap();
        url.query_pairs_mut().extend_pairs([
            ("client_id", CLIENT),
            ("redirect_uri", REDIRECT),
            ("response_type", "code"),
            ("scope", "openid idp-id phone"),
            ("state", "s"),
            ("nonce", &nonce),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ]);
        let t = Instant::now();
        let start = self.get(url).send().await.map_err(|e| e.to_string())?;
        let login_url = format!("{}{}", self.base, location(&start)?);
        self.time("authorize", t);
        Ok((login_url, verifier, nonce))
    }

    /// A login whose SMS the gateway never answers: returns how long the send took to fail.
    async fn stall(&mut self) -> Result<Duration, String> {
        let (login_url, _, _) = self.authorize().await?;
        self.steps.clear();
        let (_, to) = self.enter_phone(&login_url).await?;
        if !to.ends_with("notice=send-failed") {
            return Err(format!("a send the gateway never answered ended in {to}"));
        }
        Ok(self.steps.last().map(|(_, took)| *took).unwrap_or_default())
    }

    async fn oidc(&mut self) -> Result<(), String> {
        let (login_url, verifier, nonce) = self.authorize().await?;
        let end = self.pages(&login_url).await?;
        let code: String = url::Url::parse(&end)
            .map_err(|e| e.to_string())?
            .query_pairs()
            .find(|(k, _)| k == "code")
            .ok_or("no code")?
            .1
            .into();
        let t = Instant::now();
        let tokens = json(
            self.post(format!("{}/auth/open/connect/token", self.base))
                .basic_auth(CLIENT, Some(SECRET))
                .form(&[
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("redirect_uri", REDIRECT),
                    ("code_verifier", &verifier),
                ]),
        )
        .await?;
        self.time("token", t);
        let t = Instant::now();
        let id_token = tokens["id_token"]
            .as_str()
            .ok_or_else(|| format!("no id_token: {tokens}"))?;
        let header = jsonwebtoken::decode_header(id_token).map_err(|e| e.to_string())?;
        let jwk = self
            .jwks
            .find(header.kid.as_deref().unwrap_or(""))
            .ok_or("unknown kid")?;
        let key = jsonwebtoken::DecodingKey::from_jwk(jwk).map_err(|e| e.to_string())?;
        let mut validation = jsonwebtoken::Validation::new(header.alg);
        validation.set_audience(&[CLIENT]);
        let claims = jsonwebtoken::decode::<Value>(id_token, &key, &validation)
            .map_err(|e| e.to_string())?
            .claims;
        if claims["nonce"] != nonce.as_str() || claims["phone_number"] != self.phone.as_str() {
            return Err("ID token claims do not match".into());
        }
        self.time("verify", t);
        let t = Instant::now();
        let userinfo = json(
            self.get(format!("{}/auth/open/connect/userinfo", self.base))
                .bearer_auth(tokens["access_token"].as_str().unwrap_or("")),
        )
        .await?;
        if userinfo["sub"] != claims["sub"] {
            return Err("userinfo sub differs".into());
        }
        self.time("userinfo", t);
        Ok(())
    }

    async fn rest(&mut self) -> Result<(), String> {
        let t = Instant::now();
        let token = json(
            self.post(format!("{}/auth/open/connect/token", self.base))
                .basic_auth(CLIENT, Some(SECRET))
                .form(&[("grant_type", "client_credentials")]),
        )
        .await?;
        let bearer = token["access_token"].as_str().unwrap_or("").to_owned();
        let session = json(self.post(format!("{}/auth/rest/sessions", self.base))
            .bearer_auth(&bearer)
            .json(&json!({"callbackUrls": {"success": "https://rp.bench/ok", "abort": "https://rp.bench/abort", "error": "https://rp.bench/error"}}))).await?;
        self.time("create", t);
        let url = session["authenticationUrl"]
            .as_str()
            .ok_or("no authenticationUrl")?
            .to_owned();
        self.pages(&url).await?;
        let t = Instant::now();
        let result = json(
            self.get(format!(
                "{}/auth/rest/sessions/{}",
                self.base,
                session["id"].as_str().unwrap_or("")
            ))
            .bearer_auth(&bearer),
        )
        .await?;
        if result["status"] != "SUCCESS" {
            return Err(format!("status {}", result["status"]));
        }
        self.time("result", t);
        Ok(())
    }

    async fn grant(&mut self) -> Result<(), String> {
        let grant = "http://globalsign.com/iam/sso/oauth2/grant-type/sms-mt-otp";
        let t = Instant::now();
        let first = json(self.post(format!("{}/uas/oauth2/token", self.base)).form(&[
            ("grant_type", grant),
            ("scope", "openid"),
            ("username", &self.phone),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
        ]))
        .await?;
        let reference = first["x_globalsign_iam_challenge"]["reference"]
            .as_str()
            .ok_or_else(|| format!("no reference: {first}"))?
            .to_owned();
        self.time("send", t);
        let text = tokio::time::timeout(Duration::from_secs(10), self.codes.recv())
            .await
            .map_err(|_| "no SMS".to_owned())?
            .ok_or("gateway gone")?;
        let code = text.rsplit(' ').next().unwrap_or("").to_owned();
        let t = Instant::now();
        let second = json(self.post(format!("{}/uas/oauth2/token", self.base)).form(&[
            ("grant_type", grant),
            ("scope", "openid"),
            ("username", &self.phone),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("x_globalsign_iam_reference_id", &reference),
            ("x_globalsign_iam_otp_code", &code),
        ]))
        .await?;
        if second["id_token"].as_str().is_none() {
            return Err(format!("no id_token: {second}"));
        }
        self.time("verify", t);
        Ok(())
    }
}

/// RS256 signatures per second with a 2048-bit key, on every core, for about two seconds, made
/// by the broker's own signer.
async fn signing_ceiling() -> f64 {
    let dir = tempfile::tempdir().unwrap();
    let keys = Arc::new(idbroker::signing::load_file(&dir.path().join("k.json")).unwrap());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let started = Instant::now();
    let tasks: Vec<_> = (0..cores)
        .map(|_| {
            let keys = keys.clone();
            tokio::task::spawn_blocking(move || {
                let mut n = 0u64;
                let claims = json!({"sub": "x", "exp": 4_000_000_000u64});
                while started.elapsed() < Duration::from_secs(2) {
                    keys.sign(jsonwebtoken::Algorithm::RS256, &claims).unwrap();
                    n += 1;
                }
                n
            })
        })
        .collect();
    let mut total = 0;
    for task in tasks {
        total += task.await.unwrap();
    }
    total as f64 / started.elapsed().as_secs_f64()
}

/// CPU time (user and system) a process has used, in seconds.
fn cpu_seconds(pid: u32) -> f64 {
    // Fields after the parenthesized command name; utime and stime are the 12th and 13th.
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // /proc counts in USER_HZ, which Linux fixes at 100 for user space.
    (ticks(11) + ticks(12)) / 100.0
}

/// The broker's resident set size in bytes.
fn rss(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .unwrap_or(0)
        * 1024
}

/// A REST API token for the bench client, asked for from `from` (a client address) if given.
async fn api_token(http: &reqwest::Client, base: &str, from: Option<&str>) -> String {
    testkit::client_credentials_token(http, base, CLIENT, SECRET, from).await
}

/// Opens `count` REST sessions and reports the memory they hold.
async fn pending(base: &str, pid: u32, count: usize, concurrency: usize) {
    let http = reqwest::Client::new();
    let bearer = api_token(&http, base, None).await;
    let body = json!({
        "language": "en",
        "requestedAttributes": ["idpId", "phoneNumber"],
        "additionalParameters": {"otp_sms_sender": "Bench"},
        "callbackUrls": {"success": "https://rp.bench/ok", "abort": "https://rp.bench/abort", "error": "https://rp.bench/error"}
    });
    // Warm up allocators and caches before the baseline.
    for _ in 0..1000 {
        http.post(format!("{base}/auth/rest/sessions"))
            .bearer_auth(&bearer)
            .json(&body)
            .send()
            .await
            .unwrap();
    }
    let before = rss(pid);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (http, base, bearer, body, next) = (
                http.clone(),
                base.to_owned(),
                bearer.clone(),
                body.clone(),
                next.clone(),
            );
            tokio::spawn(async move {
                while next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < count {
                    let r = http
                        .post(format!("{base}/auth/rest/sessions"))
                        .bearer_auth(&bearer)
                        .json(&body)
                        .send()
                        .await;
                    assert!(r.is_ok_and(|r| r.status() == 201), "session not created");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let after = rss(pid);
    println!(
        "{count} pending sessions in {:.1} s: RSS {:.1} MiB -> {:.1} MiB, {:.0} bytes per pending session",
        started.elapsed().as_secs_f64(),
        before as f64 / 1048576.0,
        after as f64 / 1048576.0,
        after.saturating_sub(before) as f64 / count as f64
    );
}

/// Measured operations of each kind per store size.
const STORE_SAMPLES: usize = 10_000;
/// About a pending login session's record.
const STORE_VALUE_BYTES: usize = 512;

/// The latency of one insert and one read on the broker's in-memory store holding `records`
/// records, in this process, through the `Store` trait: fills a store to the size, times
/// inserts of new keys in rounds that grow it by at most a tenth (each round on a freshly
/// filled store), then reads of random existing keys; prints p50, p99 and the slowest.
async fn store_latency(records: usize) {
    use idbroker::core::ids::random_token;
    use idbroker::core::ports::{Space, Store};
    use idbroker::store::memory::MemoryStore;

    let ttl = time::Duration::hours(1);
    let value = vec![0x5a_u8; STORE_VALUE_BYTES];
    let per_round = (records / 10).clamp(1, STORE_SAMPLES);
    let filled = || async {
        let store = MemoryStore::new(
            Arc::new(idbroker::core::clock::SystemClock),
            records + per_round,
        );
        let mut keys = Vec::with_capacity(records);
        for _ in 0..records {
            let key = random_token();
            let stored = store.insert(Space::Session, &key, value.clone(), ttl).await;
            assert!(stored.unwrap(), "a fresh key is taken");
            keys.push(key);
        }
        (store, keys)
    };
    let started = Instant::now();
    let mut inserts = Vec::with_capacity(STORE_SAMPLES);
    let (mut store, mut keys) = filled().await;
    while inserts.len() < STORE_SAMPLES {
        if !inserts.is_empty() {
            (store, keys) = filled().await;
        }
        // Inserts of a key already taken add nothing but count as inserts: a random number of
        // them puts whatever the store does every so many inserts (today a sweep of expired
        // records every 1024) on the timed inserts as often as in a long run, not once a round.
        for _ in 0..rand::random_range(0..1024) {
            let taken = store
                .insert(Space::Session, &keys[0], value.clone(), ttl)
                .await;
            assert!(!taken.unwrap(), "a taken key is refused");
        }
        for _ in 0..per_round.min(STORE_SAMPLES - inserts.len()) {
            let (key, value) = (random_token(), value.clone());
            let t = Instant::now();
            let stored = store.insert(Space::Session, &key, value, ttl).await;
            inserts.push(t.elapsed());
            assert!(stored.unwrap(), "a fresh key is taken");
        }
    }
    let mut reads = Vec::with_capacity(STORE_SAMPLES);
    for _ in 0..STORE_SAMPLES {
        let key = &keys[rand::random_range(0..keys.len())];
        let t = Instant::now();
        let found = store.get(Space::Session, key).await;
        reads.push(t.elapsed());
        assert!(found.unwrap().is_some(), "a stored key is found");
    }
    let (insert, read) = (micros(&mut inserts), micros(&mut reads));
    println!(
        "store at {records} records: insert p99 {:.1} µs, read p99 {:.1} µs \
         (p50 {:.1} / {:.1} µs, slowest {:.0} / {:.0} µs; {STORE_SAMPLES} of each, \
         {STORE_VALUE_BYTES}-byte values, {:.1} s)",
        insert.1,
        read.1,
        insert.0,
        read.0,
        insert.2,
        read.2,
        started.elapsed().as_secs_f64()
    );
}

/// p50, p99 and the slowest of some durations, in microseconds.
fn micros(durations: &mut [Duration]) -> (f64, f64, f64) {
    durations.sort();
    let at = |p: f64| {
        durations[((durations.len() as f64 * p) as usize).min(durations.len() - 1)].as_secs_f64()
            * 1e6
    };
    (at(0.50), at(0.99), at(1.0))
}

/// What the pumper's requests came to.
struct PumpReport {
    attempts: usize,
    statuses: BTreeMap<u16, usize>,
}

/// The SMS pumper: until `deadline`, from one address, eight requests at a time, in turn: the
/// same victim number, the next number of a sequential sweep, a premium-rate number (all by
/// the direct grant), and the next sweep number through a REST session and its page.
async fn pump(base: String, deadline: Instant, limits: bool) -> PumpReport {
    let http = reqwest::Client::builder()
        .redirect(Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let bearer = api_token(&http, &base, Some(PUMP_ADDRESS)).await;
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let statuses = Arc::new(Mutex::new(BTreeMap::<u16, usize>::new()));
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (http, base, bearer, next, statuses) = (
                http.clone(),
                base.clone(),
                bearer.clone(),
                next.clone(),
                statuses.clone(),
            );
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let sweep = format!("+4790{:06}", i / 4);
                    let status = match i % 4 {
                        0 => grant_send(&http, &base, "+4790000000").await,
                        1 => grant_send(&http, &base, &sweep).await,
                        2 => grant_send(&http, &base, "+449090901234").await,
                        _ => page_send(&http, &base, &bearer, &sweep).await,
                    };
                    *statuses.lock().unwrap().entry(status).or_default() += 1;
                    // Without limits nothing slows the pumper down; keep its rate bounded.
                    if !limits {
                        tokio::time::sleep(Duration::from_millis(5)).await;
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let statuses = std::mem::take(&mut *statuses.lock().unwrap());
    PumpReport {
        attempts: statuses.values().sum(),
        statuses,
    }
}

/// A direct grant's first request from the pumper's address: the status.
async fn grant_send(http: &reqwest::Client, base: &str, number: &str) -> u16 {
    http.post(format!("{base}/uas/oauth2/token"))
        .header("x-forwarded-for", PUMP_ADDRESS)
        .form(&[
            (
                "grant_type",
                "http://globalsign.com/iam/sso/oauth2/grant-type/sms-mt-otp",
            ),
            ("scope", "openid"),
            ("username", number),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
        ])
        .send()
        .await
        .map_or(0, |r| r.status().as_u16())
}

/// A REST session and its page asked for a code to `number`: the status of the phone post
/// (303 when a code went out).
async fn page_send(http: &reqwest::Client, base: &str, bearer: &str, number: &str) -> u16 {
    let session: Value = match http
        .post(format!("{base}/auth/rest/sessions"))
        .bearer_auth(bearer)
        .json(&json!({"callbackUrls": {"success": "https://rp.bench/ok", "abort": "https://rp.bench/abort", "error": "https://rp.bench/error"}}))
        .send()
        .await
    {
        Ok(r) => r.json().await.unwrap_or_default(),
        Err(_) => return 0,
    };
    let Some(url) = session["authenticationUrl"].as_str() else {
        return 0;
    };
    let Ok(page) = http
        .get(url)
        .header("x-forwarded-for", PUMP_ADDRESS)
        .send()
        .await
    else {
        return 0;
    };
    let Ok(csrf) = csrf(&page.text().await.unwrap_or_default()) else {
        return 0;
    };
    http.post(format!("{url}/phone"))
        .header("x-forwarded-for", PUMP_ADDRESS)
        .form(&[("csrf", csrf.as_str()), ("phone_number", number)])
        .send()
        .await
        .map_or(0, |r| r.status().as_u16())
}

const HOSTILE_SP: &str = "https://sp.bench/saml";

/// Metadata for the SP that the hostile corpus names, with a fresh certificate.
fn hostile_sp_metadata(dir: &std::path::Path) -> String {
    let key =
        idbroker::saml::idp_key::IdpKey::load_or_create(&dir.join("sp.pem"), "sp.bench").unwrap();
    format!(
        r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{HOSTILE_SP}"><md:SPSSODescriptor AuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.bench/acs" index="0" isDefault="true"/></md:SPSSODescriptor></md:EntityDescriptor>"#,
        key.cert_b64
    )
}

/// One hostile AuthnRequest: `body` goes after the Issuer.
fn hostile_request(base: &str, id: &str, body: &str) -> String {
    let now = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    format!(
        r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" IssueInstant="{now}" Destination="{base}/auth/saml/login"><saml:Issuer>{HOSTILE_SP}</saml:Issuer>{body}</samlp:AuthnRequest>"#
    )
}

/// An enveloped signature with these transforms, over `reference` (a made-up value).
fn hostile_signature(reference: &str, transforms: &str, key_info: &str) -> String {
    format!(
        r#"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="{reference}"><ds:Transforms>{transforms}</ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>AAAA</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue>{key_info}</ds:Signature>"#
    )
}

/// The hostile corpus: (name, binding is Redirect, the request XML).
fn hostile_corpus(base: &str) -> Vec<(&'static str, bool, String)> {
    let enveloped =
        r#"<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>"#;
    let xpath = r#"<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><ds:XPath>count(//*[count(//*[count(//*) &gt; 0]) &gt; 0]) &gt; 0</ds:XPath></ds:Transform>"#;
    let xslt = r#"<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"><xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0"><xsl:template match="/"><xsl:for-each select="//*"><xsl:for-each select="//*"><xsl:value-of select="."/></xsl:for-each></xsl:for-each></xsl:template></xsl:stylesheet></ds:Transform>"#;
    let filler: String = (0..1000).map(|i| format!("<x n=\"{i}\"/>")).collect();
    let extensions = format!("<samlp:Extensions>{filler}</samlp:Extensions>");
    let sig = |id: &str, transforms: &str, key_info: &str| {
        hostile_signature(&format!("#{id}"), transforms, key_info)
    };
    let deep = format!("{}{}", "<a>".repeat(5000), "</a>".repeat(5000));
    let attributes: String = (0..5000).map(|i| format!(" a{i}=\"x\"")).collect();
    let laughs = {
        let mut entities = String::from(r#"<!ENTITY l0 "lol">"#);
        for i in 1..10 {
            entities.push_str(&format!(
                r#"<!ENTITY l{i} "{}">"#,
                format!("&l{};", i - 1).repeat(10)
            ));
        }
        format!("<!DOCTYPE r [{entities}]>")
    };
    let inner = hostile_request(base, "_inner", "");
    vec![
        (
            "XPath transform over 1000 elements",
            false,
            hostile_request(
                base,
                "_h1",
                &format!(
                    "{}{extensions}",
                    sig("_h1", &format!("{enveloped}{xpath}"), "")
                ),
            ),
        ),
        (
            "XSLT transform",
            false,
            hostile_request(
                base,
                "_h2",
                &format!("{}{extensions}", sig("_h2", xslt, "")),
            ),
        ),
        (
            "XPath in KeyInfo RetrievalMethod",
            false,
            hostile_request(
                base,
                "_h3",
                &sig(
                    "_h3",
                    enveloped,
                    &format!(
                        r##"<ds:KeyInfo><ds:RetrievalMethod URI="#_h3"><ds:Transforms>{xpath}</ds:Transforms></ds:RetrievalMethod></ds:KeyInfo>"##
                    ),
                ),
            ),
        ),
        (
            "signature wrapping: a reference to an inner request",
            false,
            hostile_request(
                base,
                "_h4",
                &format!(
                    "{}<samlp:Extensions>{inner}</samlp:Extensions>",
                    sig("_inner", enveloped, "")
                ),
            ),
        ),
        (
            "two signatures",
            false,
            hostile_request(
                base,
                "_h5",
                &format!("{}{}", sig("_h5", enveloped, ""), sig("_h5", enveloped, "")),
            ),
        ),
        (
            "5000 nested elements",
            false,
            hostile_request(base, "_h6", &deep),
        ),
        (
            "5000 attributes on one element",
            false,
            hostile_request(base, "_h7", &format!("<x{attributes}/>")),
        ),
        (
            "billion laughs (DOCTYPE)",
            false,
            format!("{laughs}{}", hostile_request(base, "_h8", "<x>&l9;</x>")),
        ),
        (
            "XPath transform by the Redirect binding",
            true,
            hostile_request(
                base,
                "_h9",
                &format!("{}{extensions}", sig("_h9", xpath, "")),
            ),
        ),
        (
            "deflate bomb (32 MiB of spaces)",
            true,
            " ".repeat(32 << 20),
        ),
        (
            "over the size bound (100 KiB)",
            false,
            hostile_request(base, "_h10", &format!("<!-- {} -->", "x".repeat(100 << 10))),
        ),
    ]
}

/// Sends each request of the hostile corpus `times` times and prints the broker's CPU per
/// request; returns the worst, or `None` when a request was not refused.
async fn hostile(base: &str, pid: u32, times: usize) -> Option<f64> {
    use std::io::Write;
    let http = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap();
    let mut worst: f64 = 0.0;
    let mut all_refused = true;
    for (name, redirect, xml) in hostile_corpus(base) {
        let encoded = if redirect {
            let mut deflate =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
            deflate.write_all(xml.as_bytes()).unwrap();
            base64::engine::general_purpose::STANDARD.encode(deflate.finish().unwrap())
        } else {
            base64::engine::general_purpose::STANDARD.encode(xml.as_bytes())
        };
        let before = cpu_seconds(pid);
        let started = Instant::now();
        let mut statuses = BTreeMap::<u16, usize>::new();
        for _ in 0..times {
            let request = if redirect {
                http.get(format!("{base}/auth/saml/login"))
                    .query(&[("SAMLRequest", encoded.as_str())])
            } else {
                http.post(format!("{base}/auth/saml/login"))
                    .form(&[("SAMLRequest", encoded.as_str())])
            };
            let status = request.send().await.map_or(0, |r| r.status().as_u16());
            *statuses.entry(status).or_default() += 1;
        }
        let cpu_ms = (cpu_seconds(pid) - before) * 1000.0 / times as f64;
        let wall_ms = started.elapsed().as_secs_f64() * 1000.0 / times as f64;
        let refused = statuses.keys().all(|s| (400..500).contains(s));
        all_refused &= refused;
        worst = worst.max(cpu_ms);
        println!(
            "hostile: {name:<52} {:>7} KiB  broker CPU {cpu_ms:>6.2} ms/request  wall {wall_ms:>6.2} ms  {}",
            xml.len() / 1024,
            statuses
                .iter()
                .map(|(s, n)| format!("{n}× {s}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    println!("hostile: worst broker CPU per refused request {worst:.2} ms ({times} of each)");
    all_refused.then_some(worst)
}

/// Sends a request and reads its JSON answer.
async fn json(request: reqwest::RequestBuilder) -> Result<Value, String> {
    request
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())
}
