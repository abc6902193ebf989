//! A real SMTP listener on loopback, and pointing the broker's e-mail at it.

use std::sync::{Arc, Mutex};

use idbroker::config::Config;

/// A real SMTP server on loopback that keeps every message it is given.
#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    pub messages: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let kept = messages.clone();
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let kept = kept.clone();
                tokio::spawn(async move {
                    let (read, mut write) = socket.into_split();
                    let mut lines = BufReader::new(read);
                    let _ = write.write_all(b"220 sink.test ESMTP\r\n").await;
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                        let reply: &[u8] = match verb.as_str() {
                            "EHLO" => b"250-sink.test\r\n250 8BITMIME\r\n",
                            "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
                            "QUIT" => {
                                let _ = write.write_all(b"221 Bye\r\n").await;
                                return;
                            }
                            "DATA" => {
                                let _ = write.write_all(b"354 Go ahead\r\n").await;
                                let mut data = Vec::new();
                                loop {
                                    let mut chunk = String::new();
                                    if lines.read_line(&mut chunk).await.unwrap_or(0) == 0 {
                                        return;
                                    }
                                    if chunk == ".\r\n" {
                                        break;
                                    }
                                    data.extend_from_slice(chunk.as_bytes());
                                }
                                if let Some((to, _, text)) = parsed(&data) {
                                    super::handled_message(&to, &text);
                                }
                                kept.lock().unwrap().push(data);
                                b"250 Queued\r\n"
                            }
                            _ => b"502 Not implemented\r\n",
                        };
                        if write.write_all(reply).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        SmtpSink { port, messages }
    }

    pub fn count(&self) -> usize {
        self.messages.lock().unwrap().len()
    }

    /// The newest message, parsed: (to, subject, body text).
    pub fn last(&self) -> (String, String, String) {
        let raw = self
            .messages
            .lock()
            .unwrap()
            .last()
            .cloned()
            .expect("a message was delivered");
        parsed(&raw).expect("a parsable message")
    }
}

/// A message's (to, subject, body text).
fn parsed(raw: &[u8]) -> Option<(String, String, String)> {
    let message = mail_parser::MessageParser::default().parse(raw)?;
    let to = message
        .to()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .unwrap_or("")
        .to_owned();
    let subject = message.subject().unwrap_or("").to_owned();
    let body = message
        .body_text(0)
        .unwrap_or_default()
        .trim_end()
        .to_owned();
    Some((to, subject, body))
}

/// Points the broker's e-mail at `port` on loopback, without TLS.
pub fn smtp_to(config: &mut Config, port: u16) {
    config.email.kind = idbroker::config::EmailKind::Smtp;
    config.email.host = Some("127.0.0.1".into());
    config.email.port = Some(port);
    config.email.security = idbroker::config::SmtpSecurity::Plain;
    config.email.from = Some("idbroker <no-reply@idbroker.test>".into());
    config.email.timeout_secs = 2;
}
