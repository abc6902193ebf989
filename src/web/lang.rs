//! The language of a request, decided one way for every door: what the door was told
//! explicitly (the session's language, a validated parameter), then `ui_locales`, the
//! language cookie, `Accept-Language`, and English.

use axum::http::{HeaderMap, header};

use crate::core::lang::{Lang, LangSources};
use crate::web::cookie::{LANG_COOKIE, cookie};

pub fn resolve(headers: &HeaderMap, explicit: Option<Lang>, ui_locales: Option<&str>) -> Lang {
    // The `__Host-` name is the one set over https; a plain one may remain from http.
    let cookie =
        cookie(headers, &format!("__Host-{LANG_COOKIE}")).or_else(|| cookie(headers, LANG_COOKIE));
    LangSources {
        session: explicit,
        ui_locales,
        cookie: cookie.as_deref(),
        accept_language: headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    }
    .resolve()
}

/// The language of a request that names none: cookie, `Accept-Language`, English.
pub fn request_lang(headers: &HeaderMap) -> Lang {
    resolve(headers, None, None)
}
