//! `[log]`: how the broker writes its log. `RUST_LOG`, when set, takes the place of `level`.

use serde::{Deserialize, Serialize};

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
    pub(super) fn check(&self, err: &mut impl FnMut(&str, String)) {
        if tracing_subscriber::EnvFilter::builder()
            .parse(&self.level)
            .is_err()
        {
            err(
                "log.level",
                "must be a level (error, warn, info, debug, trace) or a RUST_LOG filter".into(),
            );
        }
    }
}
