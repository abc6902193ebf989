//! The dev outbox: messages kept in memory and shown at `/dev/outbox`, so a developer can log in
//! without a gateway. It exists only when configured, never beside a real gateway.

use std::collections::VecDeque;
use std::sync::Mutex;

use async_trait::async_trait;
use serde::Serialize;
use time::OffsetDateTime;

use crate::core::ports::{DeliveryError, Sms, SmsSender};

/// The outbox keeps only the newest messages.
const KEEP: usize = 200;

#[derive(Clone, Debug, Serialize)]
pub struct OutboxMessage {
    pub recipient: String,
    pub sender: String,
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
}

#[async_trait]
impl SmsSender for Outbox {
    async fn send(&self, sms: &Sms, now: OffsetDateTime) -> Result<(), DeliveryError> {
        let mut messages = self.messages.lock().unwrap_or_else(|e| e.into_inner());
        if messages.len() == KEEP {
            messages.pop_front();
        }
        messages.push_back(OutboxMessage {
            recipient: sms.to.clone(),
            sender: sms.sender.clone(),
            text: sms.text.to_string(),
            time: now,
        });
        Ok(())
    }
}
