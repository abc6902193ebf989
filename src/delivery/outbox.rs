//! The dev outbox: text messages and e-mails kept in memory and shown at `/dev/outbox`, so a developer can log in
//! without a gateway. It exists only when configured, never beside a real gateway.

use std::collections::VecDeque;
use std::sync::Mutex;

use async_trait::async_trait;
use serde::Serialize;
use time::OffsetDateTime;

use crate::core::ports::{DeliveryError, Mail, MailSender, Sms, SmsSender};

/// The outbox keeps only the newest messages.
const KEEP: usize = 200;

#[derive(Clone, Debug, Serialize)]
pub struct OutboxMessage {
    /// `sms` or `email`.
    pub channel: &'static str,
    pub recipient: String,
    /// The SMS sender name, or the e-mail's `From`.
    pub sender: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub text: String,
    #[serde(with = "time::serde::rfc3339")]
    pub time: OffsetDateTime,
}

#[derive(Default)]
pub struct Outbox {
    messages: Mutex<VecDeque<OutboxMessage>>,
}

impl Outbox {
    /// Newest first.
    pub fn messages(&self) -> Vec<OutboxMessage> {
        let messages = self.messages.lock().unwrap_or_else(|e| e.into_inner());
        messages.iter().rev().cloned().collect()
    }

    fn keep(&self, message: OutboxMessage) {
        let mut messages = self.messages.lock().unwrap_or_else(|e| e.into_inner());
        if messages.len() == KEEP {
            messages.pop_front();
        }
        messages.push_back(message);
    }
}

#[async_trait]
impl SmsSender for Outbox {
    async fn send(&self, sms: &Sms, now: OffsetDateTime) -> Result<(), DeliveryError> {
        self.keep(OutboxMessage {
            channel: "sms",
            recipient: sms.to.clone(),
            sender: sms.sender.clone(),
            subject: None,
            text: sms.text.to_string(),
            time: now,
        });
        Ok(())
    }
}

#[async_trait]
impl MailSender for Outbox {
    async fn send(&self, mail: &Mail, now: OffsetDateTime) -> Result<(), DeliveryError> {
        self.keep(OutboxMessage {
            channel: "email",
            recipient: mail.to.clone(),
            sender: "(dev outbox)".into(),
            subject: Some(mail.subject.clone()),
            text: mail.text.to_string(),
            time: now,
        });
        Ok(())
    }
}
