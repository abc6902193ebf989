use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use idbroker::config::{Config, ConfigError, Source};
use idbroker::core::clock::SystemClock;
use idbroker::signing::SigningKeys;
use idbroker::{AppState, app};

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
    /// Manage the signing keys in `oidc.keys_file`.
    Keys {
        #[command(subcommand)]
        action: KeysAction,
        #[arg(long, env = "IDBROKER_CONFIG", global = true)]
        config: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum KeysAction {
    /// Promote each next key to active and publish a new next key; restart the broker after.
    Rotate,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
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
                ExitCode::SUCCESS
            }
            Err(errors) => report(&errors),
        },
        Command::Keys {
            action: KeysAction::Rotate,
            config,
        } => {
            let (config, _) = match Config::load(config.as_deref()) {
                Ok(loaded) => loaded,
                Err(errors) => return report(&errors),
            };
            let path = std::path::Path::new(&config.oidc.keys_file);
            match SigningKeys::load_or_create(path).and_then(|_| SigningKeys::rotate(path)) {
                Ok(()) => {
                    println!(
                        "{}: rotated; restart the broker to sign with the new keys",
                        path.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("idbroker: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Serve { config } => {
            let (config, source) = match Config::load(config.as_deref()) {
                Ok(loaded) => loaded,
                Err(errors) => return report(&errors),
            };
            let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
            match runtime.block_on(serve(config, source)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("idbroker: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
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

async fn serve(config: Config, source: Source) -> std::io::Result<()> {
    if source == Source::EmbeddedDevDefaults {
        tracing::warn!(
            "no --config given: using the embedded development defaults (demo client, dev outbox); do not use them in production"
        );
    }
    let listen = config.server.listen.clone();
    let public = config.server.public_url.clone();
    let state = AppState::new(config, Arc::new(SystemClock)).map_err(std::io::Error::other)?;
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    tracing::info!(%listen, %public, "idbroker listening");
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    tracing::info!("idbroker stopped");
    Ok(())
}

/// Ctrl-C or SIGTERM: stop accepting, let requests in flight finish, exit 0.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
