//! What the pages know about the request they answer, without every handler passing it on: a
//! short reference (also on the request's log line and in `X-Request-Id`), so a user can quote
//! it to support and the operator can find the line; and, for a GET, the path it asked for,
//! so an error page can offer its languages for the same address.

use axum::http::Method;

tokio::task_local! {
    static CONTEXT: Context;
}

#[derive(Clone, Debug)]
pub struct Context {
    pub reference: String,
    /// Path and query of a GET; none for other methods (a form cannot be replayed by a link).
    pub get_path: Option<String>,
}

impl Context {
    /// `given`: the id a trusted proxy gave the request, kept so its logs and ours agree.
    pub fn new(method: &Method, path_and_query: Option<&str>, given: Option<String>) -> Context {
        Context {
            reference: given.unwrap_or_else(reference),
            get_path: (method == Method::GET)
                .then(|| path_and_query.map(str::to_owned))
                .flatten(),
        }
    }

    /// Runs `f` with this context in reach of `current`.
    pub async fn scope<F: std::future::Future>(self, f: F) -> F::Output {
        CONTEXT.scope(self, f).await
    }
}

/// The context of the request being answered, if any.
pub fn current() -> Option<Context> {
    CONTEXT.try_with(Clone::clone).ok()
}

/// Eight characters a user can read out: no 0/O or 1/I/L.
fn reference() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let bytes: [u8; 8] = rand::random();
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}
