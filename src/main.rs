use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use idbroker::config::{Config, ConfigError, Log, Source};
use idbroker::core::clock::SystemClock;
use idbroker::signing::KeySource;
use idbroker::{AppState, app};

// Every request allocates and frees many small buffers across two worker threads; mimalloc
// spent a fraction of glibc's time on them under `make bench` (see docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "idbroker", version, about = "A self-hosted identity broker")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the broker. Without --config, the embedded development defaults apply.
    Serve {
        #[arg(long, env = "IDBROKER_CONFIG")]
        config: Option<PathBuf>,
    },
    /// Check a configuration file (with IDBROKER_ overrides) and explain what is wrong.
    CheckConfig { file: PathBuf },
    /// Register SAML service providers.
    Sp {
        #[command(subcommand)]
        action: SpAction,
        #[arg(long, env = "IDBROKER_CONFIG", global = true)]
        config: Option<PathBuf>,
        /// Act on the embedded dev defaults' files when no --config is given.
        #[arg(long, global = true)]
        dev: bool,
    },
    /// Create or bring up to date the directory's schema (`directory.url`); `serve` does this
    /// at start too.
    Migrate {
        #[arg(long, env = "IDBROKER_CONFIG")]
        config: Option<PathBuf>,
    },
    /// Manage the OIDC signing keys (in `oidc.keys_file`, or in Redis with the Redis store).
    Keys {
        #[command(subcommand)]
        action: KeysAction,
        #[arg(long, env = "IDBROKER_CONFIG", global = true)]
        config: Option<PathBuf>,
        /// Act on the embedded dev defaults' files when no --config is given.
        #[arg(long, global = true)]
        dev: bool,
    },
}

#[derive(Subcommand)]
enum SpAction {
    /// Check SP metadata (a file, or an https URL) and add it to `saml.metadata_dir`.
    Add { source: String },
}

#[derive(Subcommand)]
enum KeysAction {
    /// Promote each next key to active and publish a new next key; running brokers follow by
    /// themselves within `oidc.keys_reload_secs`.
    Rotate,
}

/// Starts the log as `[log]` says; `RUST_LOG` takes the place of `log.level` when set.
fn init_logging(log: &Log) {
    // Colour only for a terminal: a log file or a collector gets plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    // Nothing has installed one before: this runs once, first thing in `serve`.
    let _ = log.install(log.filter(), std::io::stdout, ansi);
}

/// Commands that change state refuse the embedded dev defaults unless asked: without
/// `--config` they would quietly act on the dev files in the current directory.
fn dev_guard(source: Source, dev: bool, what: &str) -> Result<(), String> {
    if source == Source::EmbeddedDevDefaults && !dev {
        return Err(format!(
            "no --config given: refusing to {what} of the embedded dev defaults; pass --config FILE, or --dev to act on the dev files"
        ));
    }
    Ok(())
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::CheckConfig { file } => match Config::load(Some(&file)) {
            Ok((config, _)) => {
                println!(
                    "{}: ok ({} client(s), store {:?}, sms {:?})",
                    file.display(),
                    config.clients.len(),
                    config.store.kind,
                    config.sms.kind
                );
                for warning in config.limits.warnings() {
                    println!("warning: {warning}");
                }
                ExitCode::SUCCESS
            }
            Err(errors) => report(&errors),
        },
        Command::Keys {
            action: KeysAction::Rotate,
            config,
            dev,
        } => run(config.as_deref(), |config, loaded| async move {
            dev_guard(loaded, dev, "rotate the signing keys")?;
            rotate_keys(&config).await
        }),
        Command::Sp {
            action: SpAction::Add { source },
            config,
            dev,
        } => run(config.as_deref(), |config, loaded| async move {
            dev_guard(loaded, dev, "register an SP in the metadata folder")?;
            let entity_id = add_sp(&config, &source)
                .await
                .map_err(|e| format!("{source}: {e}"))?;
            idbroker::core::audit::sp_registered(&entity_id);
            Ok(format!(
                "{entity_id}: registered in {}; restart the broker (or upload it to {}) to use it",
                config.saml.metadata_dir,
                idbroker::saml::ADMIN_SPS_PATH
            ))
        }),
        Command::Migrate { config } => run(config.as_deref(), |config, _| async move {
            idbroker::directory::SqlDirectory::open(&config.directory.url)
                .await
                .map(|_| format!("{}: schema up to date", redact(&config.directory.url)))
                .map_err(|e| e.to_string())
        }),
        Command::Serve { config } => run(config.as_deref(), |config, source| async move {
            serve(config, source)
                .await
                .map(|()| String::new())
                .map_err(|e| e.to_string())
        }),
    }
}

/// A database URL without its password, for output.
fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// Loads the configuration (or explains what is wrong with it), then runs `command` to its end:
/// prints what it reports, or the error.
fn run<F, Fut>(file: Option<&Path>, command: F) -> ExitCode
where
    F: FnOnce(Config, Source) -> Fut,
    Fut: Future<Output = Result<String, String>>,
{
    let (config, source) = match Config::load(file) {
        Ok(loaded) => loaded,
        Err(errors) => return report(&errors),
    };
    init_logging(&config.log);
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    match runtime.block_on(command(config, source)) {
        Ok(done) => {
            if !done.is_empty() {
                println!("{done}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("idbroker: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Reads metadata from a file or an https URL, checks it against the registered SPs, and keeps
/// it in the metadata folder.
async fn add_sp(config: &Config, source: &str) -> Result<String, String> {
    let xml = if source.starts_with("https://") || source.starts_with("http://") {
        let url = url::Url::parse(source).map_err(|e| e.to_string())?;
        let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
        if url.scheme() != "https" && !loopback {
            return Err("metadata URLs must use https".into());
        }
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        let response = client.get(url).send().await.map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("HTTP {}", response.status()));
        }
        let bytes = response.bytes().await.map_err(|e| e.to_string())?;
        if bytes.len() > idbroker::saml::sp::MAX_METADATA {
            return Err("metadata is too large".into());
        }
        String::from_utf8(bytes.to_vec()).map_err(|_| "metadata is not UTF-8".to_owned())?
    } else {
        std::fs::read_to_string(source).map_err(|e| e.to_string())?
    };
    let dir = std::path::Path::new(&config.saml.metadata_dir);
    let registry = idbroker::saml::sp::Registry::load(dir, config.saml.allow_loopback_http)?;
    registry.add(&xml)
}

fn report(errors: &[ConfigError]) -> ExitCode {
    eprintln!(
        "idbroker: the configuration has {} problem(s):",
        errors.len()
    );
    for e in errors {
        eprintln!("  {e}");
    }
    ExitCode::from(2)
}

/// Rotates the key set where the configuration keeps it: in the store for Redis, else the file.
async fn rotate_keys(config: &Config) -> Result<String, String> {
    let store = idbroker::store::open(config, Arc::new(SystemClock))?;
    let source = KeySource::for_config(config, store, &config.keys());
    source.rotate().await.map_err(|e| e.to_string())?;
    idbroker::core::audit::keys_rotated(match source {
        KeySource::File(_) => "file",
        KeySource::Store(_) => "store",
    });
    let within = config.oidc.keys_reload_secs;
    Ok(match source {
        KeySource::File(path) => format!(
            "{}: rotated; a running broker signs with the new keys within {within} s",
            path.display()
        ),
        KeySource::Store(_) => {
            format!(
                "rotated in the store; every instance signs with the new keys within {within} s"
            )
        }
    })
}

async fn serve(config: Config, source: Source) -> std::io::Result<()> {
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "idbroker starting");
    if source == Source::EmbeddedDevDefaults {
        tracing::warn!(
            "no --config given: using the embedded development defaults (demo client, dev outbox); do not use them in production"
        );
    }
    for warning in config.limits.warnings() {
        tracing::warn!("{warning}");
    }
    let outbox = config.sms.kind == idbroker::config::SmsKind::Outbox
        || config.email.kind == idbroker::config::EmailKind::Outbox;
    if outbox && config.server.dev_outbox_unsafe {
        tracing::error!(
            "server.dev_outbox_unsafe = true: every code is readable at /dev/outbox by anyone who reaches this broker"
        );
    }
    let listen = config.server.listen.clone();
    // Bind before anything is created (keys, metadata folder, directory): a busy port must
    // not leave files behind, and the error names the address.
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .map_err(|e| std::io::Error::new(e.kind(), format!("cannot listen on {listen}: {e}")))?;
    let metrics = match &config.server.metrics_listen {
        Some(address) => Some(tokio::net::TcpListener::bind(address).await.map_err(|e| {
            std::io::Error::new(e.kind(), format!("cannot listen on {address}: {e}"))
        })?),
        None => None,
    };
    let stop = shutdown_signal()?;
    summary(&config);
    let public = config.server.public_url.clone();
    let state = AppState::new(config, Arc::new(SystemClock))
        .await
        .map_err(std::io::Error::other)?;
    tracing::info!(%listen, %public, "idbroker listening");
    if let Some(metrics) = metrics {
        let router =
            axum::Router::new().route("/metrics", axum::routing::get(idbroker::web::metrics::open));
        tokio::spawn(async move {
            if let Err(e) = axum::serve(metrics, router).await {
                tracing::error!(error = %e, "the metrics listener stopped");
            }
        });
    }
    // The peer address feeds the per-address limits.
    let service = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(stop)
        .await?;
    tracing::info!("idbroker stopped");
    Ok(())
}

/// What this instance runs with, at start, for whoever reads the log: never a secret.
fn summary(config: &Config) {
    tracing::info!(
        store = ?config.store.kind,
        sms = ?config.sms.kind,
        email = ?config.email.kind,
        clients = config.clients.len(),
        saml_metadata_dir = %config.saml.metadata_dir,
        hid_tenants = config.hid.tenants.len(),
        public_url = %config.server.public_url,
        demo = config.demo.enabled,
        log_format = ?config.log.format,
        "configuration"
    );
}

/// Ctrl-C or SIGTERM: stop accepting, let requests in flight finish, exit 0. The handlers are
/// registered here, before the listener serves: a signal that arrives between the first
/// request and the first poll of a lazily registered handler would kill the process instead.
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
        Ok(async move {
            tokio::select! {
                _ = term.recv() => {},
                _ = interrupt.recv() => {},
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}
