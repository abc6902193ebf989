//! `[log]`: how the broker writes its log. `RUST_LOG`, when set, takes the place of `level`.

use serde::{Deserialize, Serialize};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// Why a subscriber could not be installed (the process has one).
pub type InitError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One readable line per event; coloured only on a terminal.
    #[default]
    Text,
    /// One JSON object per line, for a log collector.
    Json,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Log {
    pub format: LogFormat,
    /// A level (`info`) or a filter in `RUST_LOG`'s syntax (`info,idbroker::ui=debug`).
    pub level: String,
}

impl Default for Log {
    fn default() -> Self {
        Log {
            format: LogFormat::Text,
            level: "info".into(),
        }
    }
}

impl Log {
    /// `RUST_LOG` when it is set and reads, else `level`.
    pub fn filter(&self) -> EnvFilter {
        EnvFilter::try_from_default_env()
            .or_else(|_| EnvFilter::builder().parse(&self.level))
            .unwrap_or_else(|_| EnvFilter::new("info"))
    }

    /// Makes this the process's subscriber: events that pass `filter`, in `format`, to
    /// `writer`; colour (text only) when `ansi`. Fails when the process has one already.
    pub fn install<W>(&self, filter: EnvFilter, writer: W, ansi: bool) -> Result<(), InitError>
    where
        W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
    {
        let builder = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(writer);
        match self.format {
            LogFormat::Text => builder.with_ansi(ansi).try_init(),
            LogFormat::Json => builder
                .json()
                .flatten_event(true)
                .with_current_span(true)
                // Every span's fields, as the text format shows them.
                .with_span_list(true)
                .try_init(),
        }
    }

    pub(super) fn check(&self, err: &mut impl FnMut(&str, String)) {
        if EnvFilter::builder().parse(&self.level).is_err() {
            err(
                "log.level",
                "must be a level (error, warn, info, debug, trace) or a RUST_LOG filter".into(),
            );
        }
    }
}
