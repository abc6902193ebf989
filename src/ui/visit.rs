//! One request in a login session: the session, bound to the browser that opened it first (a
//! random cookie), and the page's language; for form posts also the anti-forgery token and an
//! Origin check.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use std::sync::Arc;

use super::Ui;
use super::notice::Notice;
use crate::core::ids::{random_token, short};
use crate::core::lang::Lang;
use crate::core::login::{LoginError, LoginService};
use crate::core::session::{LoginSession, Refusal};
use crate::core::text::t_args;
use crate::web::body::Form;
use crate::web::brand::Service;
use crate::web::cookie::{LANG_COOKIE, cookie};
use crate::web::lang::{request_lang, resolve};
use crate::web::page::{Frame, Link, MessagePage, render};
use crate::web::param::Param;
use crate::web::paths::{LOGIN_PREFIX, login_path};
use crate::web::with_cause;

/// A random value that ties a login session to the browser that opened it first.
pub const BROWSER_COOKIE: &str = "idb_browser";

/// One request in a login session: the session bound to this browser, and the language.
pub struct Visit {
    pub session: LoginSession,
    pub lang: Lang,
    pub set_cookies: Vec<String>,
    /// The service the session signs in to, as the pages show it.
    pub service: Arc<Service>,
}

impl Visit {
    pub fn path(&self, action: &str) -> String {
        format!("{}{action}", login_path(&self.session.id))
    }

    pub fn frame(&self) -> Frame {
        let base = login_path(&self.session.id);
        let frame = Frame::with_switcher(self.lang, |code| format!("{base}?lang={code}"))
            .for_service(self.service.clone());
        match &self.session.confirmation {
            Some(c) => {
                let title = t_args(
                    self.lang,
                    "confirm-title-payee",
                    &[("payee", c.payee.as_str().into())],
                );
                frame.titled(title)
            }
            None => frame,
        }
    }

    /// The user chose `lang`: the session keeps it, and the cookie for the next sign-in.
    pub async fn switch_language(&mut self, state: &Ui, lang: Lang) -> Result<(), LoginError> {
        self.session = state.login.set_language(&self.session.id, lang).await?;
        self.lang = lang;
        self.set_cookies.push(cookie_header(
            state,
            LANG_COOKIE,
            lang.code(),
            "/",
            Some(31_536_000),
        ));
        Ok(())
    }

    pub fn respond(&self, response: Response) -> Response {
        with_cookies(response, &self.set_cookies)
    }

    /// What the user sees when an action did not go through: back to the page, with a notice
    /// where there is something to say, or an error page when the session cannot go on.
    pub fn fail(&self, e: LoginError) -> Response {
        let notice = match e {
            LoginError::Delivery(_) => Notice::SendFailed,
            LoginError::MalformedCode => Notice::Malformed,
            LoginError::Refused(Refusal::Cooldown { .. }) => Notice::Cooldown,
            LoginError::Refused(Refusal::SendLimit) => Notice::SendLimit,
            // Out of step with the session (a second tab, a double click): show where it is.
            LoginError::Refused(_) => return self.redirect_here(None),
            e => return self.respond(error_page(self.lang, e, Some(self.service.clone()))),
        };
        self.redirect_here(Some(notice))
    }

    pub fn redirect_here(&self, notice: Option<Notice>) -> Response {
        let mut to = login_path(&self.session.id);
        if let Some(n) = notice {
            to = format!("{to}?notice={}", n.name());
        }
        self.respond(Redirect::to(&to).into_response())
    }
}

/// Loads the session for this browser. On the first visit the browser gets its random cookie
/// and the session is bound to it; `may_bind` is false for form posts, which must come from a
/// browser that already holds the cookie.
pub async fn open(
    state: &Ui,
    sid: &str,
    headers: &HeaderMap,
    may_bind: bool,
) -> Result<Visit, Response> {
    let header_lang = request_lang(headers);
    if uuid::Uuid::try_parse(sid).is_err() {
        return Err(error_page(header_lang, LoginError::NotFound, None));
    }
    let mut set_cookies = Vec::new();
    let browser_cookie = cookie_name(state, BROWSER_COOKIE);
    let browser = match cookie(headers, &browser_cookie).filter(|v| plausible_token(v)) {
        Some(value) => value,
        None if may_bind => {
            let value = random_token();
            set_cookies.push(cookie_header(
                state,
                BROWSER_COOKIE,
                &value,
                LOGIN_PREFIX,
                None,
            ));
            value
        }
        None => return Err(other_browser(state, sid, header_lang).await),
    };
    let session = state
        .login
        .bind_browser(sid, &browser)
        .await
        .map_err(|e| match e {
            LoginError::OtherBrowser => None,
            e => Some(error_page(header_lang, e, None)),
        });
    let session = match session {
        Ok(session) => session,
        Err(Some(page)) => return Err(page),
        Err(None) => return Err(other_browser(state, sid, header_lang).await),
    };
    // Sessions of doors without pages (direct grants, the HID API) are not reachable from a
    // browser.
    if !state.handoff.has_pages(session.return_to.door()) {
        return Err(error_page(header_lang, LoginError::NotFound, None));
    }
    let lang = resolve(headers, session.language, None);
    Ok(Visit {
        service: state.brands.of(&session, lang),
        session,
        lang,
        set_cookies,
    })
}

/// A form post: the browser must be the bound one and the anti-forgery token must match.
pub struct Submission {
    pub visit: Visit,
    pub form: Form,
    /// The client address, for the limits.
    pub from: Option<std::net::IpAddr>,
}

impl FromRequest<Ui> for Submission {
    type Rejection = Response;

    async fn from_request(request: Request, state: &Ui) -> Result<Submission, Response> {
        let (mut parts, body) = request.into_parts();
        let Ok(Param(sid)) = Param::from_request_parts(&mut parts, state).await;
        if cross_site(state, &parts.headers) {
            tracing::warn!(session = %short(&sid), "cross-site form post refused");
            // In the session's language, when there is one: the user chose it.
            let session = state.login.get(&sid).await.ok();
            let lang = resolve(
                &parts.headers,
                session.as_ref().and_then(|s| s.language),
                None,
            );
            let page = MessagePage::error(
                lang,
                "error-form-expired",
                Some(Link::Retry(login_path(&sid))),
            );
            return Err(render(StatusCode::FORBIDDEN, &page));
        }
        let visit = open(state, &sid, &parts.headers, false).await?;
        let from = state.client_address(&parts);
        let form = Form::from_request(Request::from_parts(parts, body))
            .await
            .unwrap_or_default();
        if !LoginService::csrf_matches(&visit.session, form.get("csrf").unwrap_or("")) {
            tracing::warn!(session = %short(&sid), "form without a valid anti-forgery token");
            let page = MessagePage::error(
                visit.lang,
                "error-form-expired",
                Some(Link::Retry(login_path(&sid))),
            );
            return Err(render(StatusCode::FORBIDDEN, &page));
        }
        Ok(Submission { visit, form, from })
    }
}

/// Another browser holds the session: the page names the service it was for, so the user
/// knows where to start again.
async fn other_browser(state: &Ui, sid: &str, lang: Lang) -> Response {
    let service = state
        .login
        .get(sid)
        .await
        .ok()
        .map(|s| state.brands.of(&s, lang));
    error_page(lang, LoginError::OtherBrowser, service)
}

pub fn error_page(lang: Lang, e: LoginError, service: Option<Arc<Service>>) -> Response {
    let (status, id) = match &e {
        LoginError::NotFound => (StatusCode::NOT_FOUND, "error-not-found"),
        LoginError::OtherBrowser => (StatusCode::FORBIDDEN, "error-other-browser"),
        LoginError::Store(_) | LoginError::Contention => {
            (StatusCode::SERVICE_UNAVAILABLE, "error-unavailable")
        }
        _ => (StatusCode::INTERNAL_SERVER_ERROR, "error-unavailable"),
    };
    let mut page = MessagePage::error(lang, id, None);
    if let Some(service) = service {
        page = page.for_service(service);
    }
    let page = render(status, &page);
    if status.is_server_error() {
        with_cause(page, e)
    } else {
        page
    }
}

pub fn plausible_token(value: &str) -> bool {
    (32..=64).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The name a cookie goes by: on https with the `__Host-` prefix, which the browser keeps only
/// for a cookie that is `Secure`, has `Path=/` and no `Domain`, so no other host (a sibling
/// subdomain) can set or overwrite it.
pub fn cookie_name(state: &Ui, name: &str) -> String {
    if state.secure_cookies() {
        format!("__Host-{name}")
    } else {
        name.to_owned()
    }
}

pub fn cookie_header(
    state: &Ui,
    name: &str,
    value: &str,
    path: &str,
    max_age: Option<u32>,
) -> String {
    let secure = state.secure_cookies();
    let (name, path) = (cookie_name(state, name), if secure { "/" } else { path });
    let mut cookie = format!("{name}={value}; Path={path}; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        cookie.push_str("; Secure");
    }
    cookie
}

/// A form post made by another site's page: an `Origin` that is not ours, or the browser's
/// own word that the request is cross-site. Only the sign-in pages' forms come here; the
/// endpoints that must take cross-site posts (SAML SSO by POST, OIDC authorize and endsession
/// by POST: a relying party's page sends them; the token endpoint: servers, no cookies) do
/// not go through this check.
pub fn cross_site(state: &Ui, headers: &HeaderMap) -> bool {
    let ours = state.public_url.origin().ascii_serialization();
    let origin = headers
        .get(header::ORIGIN)
        .is_some_and(|o| o.to_str().map_or(true, |o| o != ours));
    let fetch_site = headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"cross-site"));
    origin || fetch_site
}

pub fn with_cookies(mut response: Response, cookies: &[String]) -> Response {
    for c in cookies {
        if let Ok(value) = HeaderValue::from_str(c) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}
