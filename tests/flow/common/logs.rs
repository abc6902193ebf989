//! The whole run's log, and what no line of it may hold.
//!
//! Every broker of `make test` writes JSON lines under [`dir`]: the brokers in this process
//! through one subscriber ([`capture`]), each broker process to a file of its own
//! ([`process_log`]), the scripts' brokers beside them. What a test handles that a log must
//! never show (a number, an address, a code, a secret) is noted in a `.handled` file
//! ([`handled`]); `logscan.rs` reads both once everything has run.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use idbroker::config::{Log, LogFormat};

use super::test_config;

/// The folder: `TEST_LOG_DIR` (the Makefile sets it for the scripts too), else
/// `target/tmp/test-logs`.
pub fn dir() -> PathBuf {
    std::env::var_os("TEST_LOG_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("test-logs"))
}

/// What kind of thing a `.handled` line is; the scan looks for each its own way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handled {
    /// A phone number, in E.164: looked for in that form and as its national digits.
    Number,
    /// An e-mail address.
    Address,
    /// A one-time code: looked for as a whole run of digits.
    Code,
    /// A secret, token or password: looked for anywhere.
    Secret,
}

impl Handled {
    pub fn name(self) -> &'static str {
        match self {
            Handled::Number => "number",
            Handled::Address => "address",
            Handled::Code => "code",
            Handled::Secret => "secret",
        }
    }

    pub fn parse(name: &str) -> Option<Handled> {
        [
            Handled::Number,
            Handled::Address,
            Handled::Code,
            Handled::Secret,
        ]
        .into_iter()
        .find(|h| h.name() == name)
    }
}

/// This process's `.handled` file, opened once its subscriber is in.
static NOTES: OnceLock<Mutex<File>> = OnceLock::new();

/// What every broker of the run logs: `info`, and every level of ours.
pub const CAPTURED: &str = "info,idbroker=trace,audit=trace";

/// Routes this process's log lines (the in-process brokers') to `dir()/flow-<pid>.log`, as
/// JSON at `CAPTURED`, and notes the test configuration's secrets. Once per process; every
/// way of starting a broker calls it. Outside `make test` (no `TEST_LOG_DIR`), the files of
/// earlier runs are removed first, so that they do not pile up.
pub fn capture() {
    notes();
}

fn notes() -> &'static Mutex<File> {
    NOTES.get_or_init(|| {
        let dir = dir();
        if std::env::var_os("TEST_LOG_DIR").is_none() {
            let _ = std::fs::remove_dir_all(&dir);
        }
        std::fs::create_dir_all(&dir).unwrap();
        let pid = std::process::id();
        let log = File::create(dir.join(format!("flow-{pid}.log"))).unwrap();
        let json = Log {
            format: LogFormat::Json,
            level: String::new(),
        };
        let filter = tracing_subscriber::EnvFilter::new(CAPTURED);
        json.install(filter, Mutex::new(log), false)
            .expect("nothing else in the test binary installs a subscriber");
        let mut notes = OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join(format!("flow-{pid}.handled")))
            .unwrap();
        let config = test_config();
        let secrets = config
            .clients
            .iter()
            .filter_map(|c| c.client_secret.as_ref())
            .chain(&config.server.secret_key);
        for secret in secrets {
            writeln!(notes, "{}\t{}", Handled::Secret.name(), secret.expose()).unwrap();
        }
        Mutex::new(notes)
    })
}

/// Notes `value` as something no log line may hold.
pub fn handled(kind: Handled, value: &str) {
    let value = value.trim();
    if value.is_empty() || value.contains(['\n', '\t']) {
        return;
    }
    writeln!(notes().lock().unwrap(), "{}\t{value}", kind.name()).unwrap();
}

/// Notes what a delivered message shows: its recipient (a number or an address) and its code,
/// every run of 6 to 10 digits in its text.
pub fn handled_message(to: &str, text: &str) {
    let kind = if to.contains('@') {
        Handled::Address
    } else {
        Handled::Number
    };
    handled(kind, to);
    for run in text.split(|c: char| !c.is_ascii_digit()) {
        if (6..=10).contains(&run.len()) {
            handled(Handled::Code, run);
        }
    }
}

/// A fresh file under `dir()` for one broker process's log.
pub fn process_log() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    capture();
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    dir().join(format!("process-{}-{n}.log", std::process::id()))
}
