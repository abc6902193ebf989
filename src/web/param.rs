//! A path parameter that never rejects: a segment that is not valid UTF-8 becomes the empty
//! string, which no session has, so each front door answers with its own "not found".

use std::convert::Infallible;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

pub struct Param(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Param {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Param, Infallible> {
        let value = Path::<String>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| v)
            .unwrap_or_default();
        Ok(Param(value))
    }
}
