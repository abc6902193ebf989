//! E-mail over SMTP with lettre on tokio: STARTTLS, implicit TLS, or plain for a local relay.

use std::time::Duration;

use async_trait::async_trait;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use time::OffsetDateTime;

use crate::config::{Email, SmtpSecurity};
use crate::core::ports::{DeliveryError, Mail, MailSender};

pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpSender {
    /// `config` must have been validated: host and from are present.
    pub fn new(config: &Email) -> SmtpSender {
        let host = config
            .host
            .as_deref()
            .expect("validated: smtp needs a host");
        let builder = match config.security {
            SmtpSecurity::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host),
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host),
            SmtpSecurity::Plain => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
                host,
            )),
        }
        .unwrap_or_else(|_| AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host));
        let mut builder = builder.timeout(Some(Duration::from_secs(config.timeout_secs.into())));
        if let Some(port) = config.port {
            builder = builder.port(port);
        }
        if let (Some(user), Some(password)) = (&config.username, &config.password) {
            builder =
                builder.credentials(Credentials::new(user.clone(), password.expose().to_owned()));
        }
        SmtpSender {
            transport: builder.build(),
            from: config
                .from
                .as_deref()
                .and_then(|f| f.parse().ok())
                .expect("validated: from is a mailbox"),
        }
    }
}

#[async_trait]
impl MailSender for SmtpSender {
    async fn send(&self, mail: &Mail, _now: OffsetDateTime) -> Result<(), DeliveryError> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|_| DeliveryError::Unreachable("recipient address".into()))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.as_str())
            .header(ContentType::TEXT_PLAIN)
            .body(mail.text.to_string())
            .map_err(|_| DeliveryError::Unreachable("message".into()))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_timeout() => Err(DeliveryError::Timeout),
            Err(e) => match e.status() {
                Some(code) => Err(DeliveryError::Rejected(
                    u16::from(code.severity as u8) * 100
                        + u16::from(code.category as u8) * 10
                        + u16::from(code.detail as u8),
                )),
                // The error text can name the server but never holds the code: keep its kind.
                None => Err(DeliveryError::Unreachable(
                    if e.is_transient() {
                        "transient"
                    } else {
                        "connection"
                    }
                    .into(),
                )),
            },
        }
    }
}
