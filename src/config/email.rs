//! `[email]`: the SMTP sender for `otp-email`, the dev outbox, or none.

use serde::{Deserialize, Serialize};

use super::server::OUTBOX_RULE;
use super::{Config, Secret, SmsKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EmailKind {
    /// No e-mail: the `otp-email` provider and the `smtp-otp` grant are unavailable.
    None,
    Smtp,
    Outbox,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same host or network.
    Plain,
}

/// The SMTP sender; Ubisecure's `mail.smtp.host`, `.port`, `.from`, `.user`, `.password` and
/// `.starttls.enable` map onto these keys.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Email {
    pub kind: EmailKind,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<Secret>,
    pub from: Option<String>,
    pub timeout_secs: u32,
}

impl Default for Email {
    fn default() -> Self {
        Email {
            kind: EmailKind::None,
            host: None,
            port: None,
            security: SmtpSecurity::Starttls,
            username: None,
            password: None,
            from: None,
            timeout_secs: 10,
        }
    }
}

impl Email {
    pub(super) fn check(&self, config: &Config, err: &mut impl FnMut(&str, String)) {
        // One report for an exposed outbox: `sms.kind` says it when both are outboxes.
        if self.kind == EmailKind::Outbox
            && config.sms.kind != SmsKind::Outbox
            && !config.server.outbox_allowed()
        {
            err("email.kind", OUTBOX_RULE.into());
        }
        if self.kind == EmailKind::Smtp {
            if self.host.as_deref().is_none_or(str::is_empty) {
                err(
                    "email.host",
                    "is required when email.kind = \"smtp\"".into(),
                );
            }
            match self
                .from
                .as_deref()
                .map(str::parse::<lettre::message::Mailbox>)
            {
                Some(Ok(_)) => {}
                _ => err(
                    "email.from",
                    "must be a sender address such as \"Example <no-reply@example.com>\"".into(),
                ),
            }
            if self.username.is_some() != self.password.is_some() {
                err("email.username", "username and password go together".into());
            }
        }
        if !(1..=120).contains(&self.timeout_secs) {
            err("email.timeout_secs", "must be between 1 and 120".into());
        }
    }
}
