//! Request bodies read by hand, so that malformed, oversized or mistyped input gets the
//! protocol's own error instead of axum's plain-text rejection.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, header};

#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    TooLarge,
    Unreadable,
    WrongContentType,
    /// A form parameter given more than once (RFC 6749 §3.1 forbids it).
    Repeated(String),
}

pub async fn read(request: Request) -> Result<(HeaderMap, Bytes), BodyError> {
    let headers = request.headers().clone();
    match Bytes::from_request(request, &()).await {
        Ok(bytes) => Ok((headers, bytes)),
        Err(rejection) if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
            Err(BodyError::TooLarge)
        }
        Err(_) => Err(BodyError::Unreadable),
    }
}

pub fn has_content_type(headers: &HeaderMap, expected: &str) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(expected))
}

/// An `application/x-www-form-urlencoded` body as a map; a repeated name is an error.
#[derive(Debug, Default)]
pub struct Form(HashMap<String, String>);

impl Form {
    pub fn parse(bytes: &[u8]) -> Result<Form, BodyError> {
        let mut map = HashMap::new();
        for (k, v) in url::form_urlencoded::parse(bytes) {
            if map.insert(k.to_string(), v.into_owned()).is_some() {
                return Err(BodyError::Repeated(k.into_owned()));
            }
        }
        Ok(Form(map))
    }

    /// A parameter, with empty values treated as absent (RFC 6749 §3.1).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// Reads a form request: the content type must be a form.
    pub async fn from_request(request: Request) -> Result<Form, BodyError> {
        let (headers, bytes) = read(request).await?;
        if !has_content_type(&headers, "application/x-www-form-urlencoded") {
            return Err(BodyError::WrongContentType);
        }
        Form::parse(&bytes)
    }
}

/// Protocol parameters from the query of a GET or the form body of a POST, as OIDC lets
/// authorization and logout requests use either. `None` when they are malformed or repeated.
pub struct Params(pub Option<Form>);

impl<S: Send + Sync> FromRequest<S> for Params {
    type Rejection = std::convert::Infallible;

    async fn from_request(request: Request, _: &S) -> Result<Params, Self::Rejection> {
        if request.method() == axum::http::Method::POST {
            return Ok(Params(Form::from_request(request).await.ok()));
        }
        let query = request.uri().query().unwrap_or("");
        Ok(Params(Form::parse(query.as_bytes()).ok()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_parameters_are_refused() {
        assert_eq!(
            Form::parse(b"a=1&a=2").unwrap_err(),
            BodyError::Repeated("a".into())
        );
        let form = Form::parse(b"a=1&b=&c=%20x").unwrap();
        assert_eq!(form.get("a"), Some("1"));
        assert_eq!(form.get("b"), None);
        assert_eq!(form.get("c"), Some(" x"));
    }
}
