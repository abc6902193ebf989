//! What the broker's integration tests (`tests/flow`) and the load generator (`tools/loadgen`)
//! both need, and only that: a real redis-server on a free loopback port, free ports, waiting
//! for a broker to be ready, a client-credentials token, and reading a login page's form token
//! and an SMS's code. Anything only one of them uses stays with it.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

/// A loopback port nothing listens on (yet).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A real redis-server on a free loopback port, in a folder of its own, keeping nothing on
/// disk; stopped when dropped.
pub struct RedisServer {
    pub url: String,
    port: u16,
    child: Child,
    dir: tempfile::TempDir,
}

impl RedisServer {
    /// Starts it and waits until it accepts connections.
    pub async fn start() -> RedisServer {
        let port = free_port();
        let dir = tempfile::tempdir().unwrap();
        let child = RedisServer::spawn(port, dir.path()).await;
        RedisServer {
            url: format!("redis://127.0.0.1:{port}"),
            port,
            child,
            dir,
        }
    }

    async fn spawn(port: u16, dir: &Path) -> Child {
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .arg("--dir")
            .arg(dir)
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server (installed by make test)");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        child
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server; it keeps nothing on disk, so its data is gone.
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// A fresh server on the same port.
    pub async fn restart(&mut self) {
        self.stop();
        self.child = RedisServer::spawn(self.port, self.dir.path()).await;
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Waits up to ten seconds for the broker at `base` to answer `/readyz` with 200; whether it
/// did.
pub async fn wait_ready(base: &str) -> bool {
    let http = reqwest::Client::new();
    for _ in 0..200 {
        if http
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// An access token for `client` by the client-credentials grant, asked for from the client
/// address `from` (in `X-Forwarded-For`, for a broker behind a trusted proxy) if given.
/// Panics unless the broker answers 200 with a token.
pub async fn client_credentials_token(
    http: &reqwest::Client,
    base: &str,
    client: &str,
    secret: &str,
    from: Option<&str>,
) -> String {
    let mut request = http
        .post(format!("{base}/auth/open/connect/token"))
        .basic_auth(client, Some(secret))
        .form(&[("grant_type", "client_credentials")]);
    if let Some(from) = from {
        request = request.header("x-forwarded-for", from);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The anti-forgery token of the form on a broker page, if it has one.
pub fn csrf_in(body: &str) -> Option<String> {
    let start = body.find("name=\"csrf\" value=\"")? + 19;
    Some(body[start..].split('"').next().unwrap_or("").to_owned())
}

/// The code from an SMS's last line, `@host #123456`.
pub fn code_of(text: &str) -> String {
    text.rsplit('#').next().unwrap_or("").trim().to_owned()
}
