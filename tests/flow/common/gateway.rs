//! The fake SMS gateway: a real HTTP server on loopback that keeps what it is sent, or answers
//! with an error, or hangs; and reading the code out of a message.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;

/// How the fake gateway answers.
#[derive(Clone, Copy)]
pub enum GatewayMode {
    Ok,
    Status(u16),
    Hang,
}

#[derive(Clone)]
pub struct Gateway {
    pub url: String,
    pub received: Arc<Mutex<Vec<HashMap<String, String>>>>,
    pub mode: Arc<Mutex<GatewayMode>>,
}

impl Gateway {
    pub async fn start() -> Gateway {
        let received = Arc::new(Mutex::new(Vec::new()));
        let mode = Arc::new(Mutex::new(GatewayMode::Ok));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/send", listener.local_addr().unwrap());
        let app = axum::Router::new()
            .route("/send", get(gateway_send))
            .with_state((received.clone(), mode.clone()));
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Gateway {
            url,
            received,
            mode,
        }
    }

    pub fn set(&self, mode: GatewayMode) {
        *self.mode.lock().unwrap() = mode;
    }

    pub fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }

    pub fn last(&self) -> HashMap<String, String> {
        self.received
            .lock()
            .unwrap()
            .last()
            .cloned()
            .expect("a message was sent")
    }

    /// The code in the newest message, read from its WebOTP line.
    pub fn last_code(&self) -> String {
        code_of(&self.last()["challenge"])
    }
}

type GatewayState = (
    Arc<Mutex<Vec<HashMap<String, String>>>>,
    Arc<Mutex<GatewayMode>>,
);

async fn gateway_send(
    State((received, mode)): State<GatewayState>,
    Query(query): Query<HashMap<String, String>>,
) -> StatusCode {
    // Noted whatever the answer: a send that fails is where a code would reach a log.
    super::handled_message(
        query.get("to").map_or("", String::as_str),
        query.get("challenge").map_or("", String::as_str),
    );
    let mode = *mode.lock().unwrap();
    match mode {
        GatewayMode::Ok => {
            received.lock().unwrap().push(query);
            StatusCode::OK
        }
        GatewayMode::Status(s) => StatusCode::from_u16(s).unwrap(),
        GatewayMode::Hang => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            StatusCode::OK
        }
    }
}

/// The first run of six digits in a text: the code in a message without a WebOTP line.
pub fn digits_in(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .expect("a six-digit code")
        .to_owned()
}

/// The code from a message's last line, `@host #123456`.
pub use testkit::code_of;
