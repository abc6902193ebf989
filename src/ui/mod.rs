//! The browser front of a login session: provider choice, phone number or e-mail address, code. Every page works
//! without JavaScript; every form posts back here with the session's anti-forgery token and
//! then redirects (post/redirect/get), so reloading a page never sends another message.

mod pages;

use axum::Router;
use axum::extract::{FromRequest, FromRequestParts, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::core::ids::{random_token, short};
use crate::core::lang::{Lang, LangSources};
use crate::core::limits::{Limited, Undeliverable};
use crate::core::login::{LoginError, LoginService, Wording};
use crate::core::provider::Provider;
use crate::core::session::{Challenge, Effect, LoginSession, Refusal, State as Login};
use crate::core::text::{t, t_args};
use crate::web::AppState;
use crate::web::body::Form;
use crate::web::cookie::{LANG_COOKIE, cookie};
use crate::web::page::{Frame, MessagePage, render};
use crate::web::param::Param;
use crate::web::paths::{LOGIN_PREFIX, login_path};
use pages::{ChoosePage, CodePage, Field, IdentifierPage};

/// A random value that ties a login session to the browser that opened it first.
pub const BROWSER_COOKIE: &str = "idb_browser";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(&format!("{LOGIN_PREFIX}/{{sid}}"), get(show))
        .route(&format!("{LOGIN_PREFIX}/{{sid}}/provider"), post(choose))
        .route(&format!("{LOGIN_PREFIX}/{{sid}}/phone"), post(identifier))
        .route(&format!("{LOGIN_PREFIX}/{{sid}}/email"), post(identifier))
        .route(&format!("{LOGIN_PREFIX}/{{sid}}/otp"), post(otp))
        .route(&format!("{LOGIN_PREFIX}/{{sid}}/resend"), post(resend))
        .route(&format!("{LOGIN_PREFIX}/{{sid}}/cancel"), post(cancel))
        .route("/static/style.css", get(stylesheet))
}

/// Messages a redirect back to the page asks it to show.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Notice {
    Resent,
    WrongCode,
    Malformed,
    CodeExpired,
    SendFailed,
    Cooldown,
    SendLimit,
}

impl Notice {
    const ALL: [(Notice, &'static str); 7] = [
        (Notice::Resent, "resent"),
        (Notice::WrongCode, "wrong-code"),
        (Notice::Malformed, "malformed"),
        (Notice::CodeExpired, "code-expired"),
        (Notice::SendFailed, "send-failed"),
        (Notice::Cooldown, "cooldown"),
        (Notice::SendLimit, "send-limit"),
    ];

    fn parse(s: &str) -> Option<Notice> {
        Notice::ALL
            .iter()
            .find(|(_, name)| *name == s)
            .map(|(n, _)| *n)
    }

    fn name(self) -> &'static str {
        Notice::ALL
            .iter()
            .find(|(n, _)| *n == self)
            .map(|(_, name)| *name)
            .unwrap_or("")
    }

    fn is_error(self) -> bool {
        !matches!(self, Notice::Resent)
    }
}

/// One request in a login session: the session bound to this browser, and the language.
struct Visit {
    session: LoginSession,
    lang: Lang,
    set_cookies: Vec<String>,
}

impl Visit {
    fn path(&self, action: &str) -> String {
        format!("{}{action}", login_path(&self.session.id))
    }

    fn frame(&self) -> Frame {
        Frame::with_switcher(self.lang, &login_path(&self.session.id))
    }

    fn respond(&self, response: Response) -> Response {
        with_cookies(response, &self.set_cookies)
    }

    /// What the user sees when an action did not go through: back to the page, with a notice
    /// where there is something to say, or an error page when the session cannot go on.
    fn fail(&self, e: LoginError) -> Response {
        let notice = match e {
            LoginError::Delivery(_) => Notice::SendFailed,
            LoginError::MalformedCode => Notice::Malformed,
            LoginError::Refused(Refusal::Cooldown { .. }) => Notice::Cooldown,
            LoginError::Refused(Refusal::SendLimit) => Notice::SendLimit,
            // Out of step with the session (a second tab, a double click): show where it is.
            LoginError::Refused(_) => return self.redirect_here(None),
            e => return self.respond(error_page(self.lang, e)),
        };
        self.redirect_here(Some(notice))
    }

    fn redirect_here(&self, notice: Option<Notice>) -> Response {
        let mut to = login_path(&self.session.id);
        if let Some(n) = notice {
            to = format!("{to}?notice={}", n.name());
        }
        self.respond(Redirect::to(&to).into_response())
    }
}

async fn show(
    State(state): State<AppState>,
    Param(sid): Param,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let query = query_map(query.as_deref());
    let mut visit = match open(&state, &sid, &headers, true).await {
        Ok(visit) => visit,
        Err(response) => return response,
    };
    if let Some(lang) = query.lang.as_deref().and_then(Lang::from_tag) {
        match state.login.set_language(&sid, lang).await {
            Ok(session) => visit.session = session,
            Err(e) => return visit.respond(error_page(visit.lang, e)),
        }
        visit.lang = lang;
        visit.set_cookies.push(cookie_header(
            &state,
            LANG_COOKIE,
            lang.code(),
            "/",
            Some(31_536_000),
        ));
    }
    let notice = query.notice.as_deref().and_then(Notice::parse);
    let response = page(&state, &mut visit, notice, query.change).await;
    visit.respond(response)
}

/// The page for the session's current state.
async fn page(
    state: &AppState,
    visit: &mut Visit,
    notice: Option<Notice>,
    change: bool,
) -> Response {
    let session = &visit.session;
    match &session.state {
        Login::Created => {
            if let [only] = session.allowed_providers[..] {
                match state.login.choose_provider(&session.id, only).await {
                    Ok(s) => visit.session = s,
                    Err(e) => return error_page(visit.lang, e),
                }
                let value = visit.session.prefill.clone();
                return identifier_page(state, visit, value, None, notice, StatusCode::OK);
            }
            choose_page(visit)
        }
        Login::ProviderChosen { provider } => {
            // A pre-filled identifier only fits the provider it is valid for.
            let value = session
                .prefill
                .clone()
                .filter(|p| state.login.normalize(*provider, p).is_some());
            identifier_page(state, visit, value, None, notice, StatusCode::OK)
        }
        Login::IdentifierEntered(c) => {
            let value = Some(c.identifier.clone());
            identifier_page(state, visit, value, None, notice, StatusCode::OK)
        }
        Login::CodeSent(c) if change => {
            let value = Some(c.identifier.clone());
            identifier_page(state, visit, value, None, notice, StatusCode::OK)
        }
        Login::CodeSent(c) => code_page(state, visit, c, notice, None),
        _ => crate::web::finish::respond(state, &visit.session, visit.lang).await,
    }
}

fn choose_page(visit: &Visit) -> Response {
    let lang = visit.lang;
    let page = ChoosePage {
        frame: visit.frame(),
        action: visit.path("/provider"),
        cancel_action: visit.path("/cancel"),
        csrf: visit.session.csrf.clone(),
        providers: visit
            .session
            .allowed_providers
            .iter()
            .map(|p| (p.name(), t(lang, &format!("provider-{}", p.name()))))
            .collect(),
    };
    render(StatusCode::OK, &page)
}

/// The provider the session is asking an identifier for.
fn provider_of(session: &LoginSession) -> Provider {
    match &session.state {
        Login::ProviderChosen { provider } => *provider,
        Login::IdentifierEntered(c) | Login::CodeSent(c) => c.provider,
        _ => session
            .allowed_providers
            .first()
            .copied()
            .unwrap_or(Provider::OtpSms),
    }
}

fn identifier_page(
    state: &AppState,
    visit: &Visit,
    value: Option<String>,
    error: Option<String>,
    notice: Option<Notice>,
    status: StatusCode,
) -> Response {
    let lang = visit.lang;
    let provider = provider_of(&visit.session);
    let field = Field::of(provider);
    let help = (provider == Provider::OtpSms).then(|| {
        let region = state.config.sms.default_region.to_ascii_uppercase();
        t_args(lang, "phone-help", &[("region", region.into())])
    });
    let (error, notice) = match notice {
        Some(n) if n.is_error() && error.is_none() => (Some(notice_text(state, visit, n)), None),
        Some(n) if !n.is_error() => (error, Some(notice_text(state, visit, n))),
        _ => (error, None),
    };
    let page = IdentifierPage {
        frame: visit.frame(),
        action: visit.path(field.action),
        field,
        cancel_action: visit.path("/cancel"),
        csrf: visit.session.csrf.clone(),
        value: value.unwrap_or_default(),
        help,
        error,
        notice,
    };
    render(status, &page)
}

/// The code page; `error` (from a limit) takes the place of any notice.
fn code_page(
    state: &AppState,
    visit: &Visit,
    c: &Challenge,
    notice: Option<Notice>,
    error: Option<String>,
) -> Response {
    let lang = visit.lang;
    let policy = &state.login.settings().policy;
    let now = state.login.now();
    let wait = c
        .last_send
        .map(|last| (last + policy.resend_cooldown - now).whole_seconds())
        .filter(|s| *s > 0);
    let limit_reached = c.sends >= policy.max_sends;
    let resend_note = if limit_reached {
        Some(t(lang, "resend-limit"))
    } else {
        wait.map(|s| t_args(lang, "resend-wait", &[("seconds", s.into())]))
    };
    let (error, notice) = match (error, notice) {
        (Some(error), _) => (Some(error), None),
        (None, Some(n)) if n.is_error() => (Some(notice_text(state, visit, n)), None),
        (None, Some(n)) => (None, Some(notice_text(state, visit, n))),
        (None, None) => (None, None),
    };
    let page = CodePage {
        frame: visit.frame(),
        action: visit.path("/otp"),
        resend_action: visit.path("/resend"),
        cancel_action: visit.path("/cancel"),
        change_href: format!("{}?change=1", login_path(&visit.session.id)),
        change_label: Field::of(c.provider).change,
        csrf: visit.session.csrf.clone(),
        sent_to: t_args(
            lang,
            "code-sent-to",
            &[("phone", masked(c.provider, &c.identifier).into())],
        ),
        error,
        notice,
        can_resend: !limit_reached,
        resend_note,
    };
    render(StatusCode::OK, &page)
}

fn notice_text(state: &AppState, visit: &Visit, notice: Notice) -> String {
    let lang = visit.lang;
    let policy = &state.login.settings().policy;
    let challenge = match &visit.session.state {
        Login::CodeSent(c) | Login::IdentifierEntered(c) => Some(c),
        _ => None,
    };
    match notice {
        Notice::Resent => t(lang, "code-resent"),
        Notice::WrongCode => {
            let used = challenge.map_or(0, |c| c.attempts);
            let remaining = i64::from(policy.max_attempts.saturating_sub(used));
            t_args(lang, "code-wrong", &[("remaining", remaining.into())])
        }
        Notice::Malformed => t_args(
            lang,
            "code-malformed",
            &[("length", i64::from(policy.length).into())],
        ),
        Notice::CodeExpired => t(lang, "code-expired"),
        Notice::SendFailed => t(lang, "send-failed"),
        Notice::Cooldown => {
            let now = state.login.now();
            let wait = challenge.and_then(|c| c.last_send).map_or(1, |last| {
                (last + policy.resend_cooldown - now).whole_seconds().max(1)
            });
            t_args(lang, "resend-wait", &[("seconds", wait.into())])
        }
        Notice::SendLimit => t(lang, "resend-limit"),
    }
}

async fn choose(
    State(state): State<AppState>,
    Submission { visit, form, .. }: Submission,
) -> Response {
    if let Some(provider) = form.get("provider").and_then(Provider::from_name)
        && let Err(e) = state
            .login
            .choose_provider(&visit.session.id, provider)
            .await
    {
        return visit.fail(e);
    }
    visit.redirect_here(None)
}

/// The identifier as shown back on the code page, its middle hidden.
fn masked(provider: Provider, identifier: &str) -> String {
    match provider {
        Provider::OtpSms => crate::core::phone::mask(identifier),
        Provider::OtpEmail => crate::core::email::mask(identifier),
    }
}

/// The page the session is on, with what a limit said in place of a notice: `429` (or `503`)
/// and `Retry-After`, the same as the APIs.
fn limited_page(
    state: &AppState,
    visit: &Visit,
    limited: Limited,
    typed: Option<String>,
) -> Response {
    let lang = visit.lang;
    let text = match limited {
        Limited::TooMany { .. } => t_args(
            lang,
            "limit-wait",
            &[("minutes", limited.wait_minutes().into())],
        ),
        Limited::Cooldown { .. } => t_args(
            lang,
            "resend-wait",
            &[("seconds", limited.wait_secs().into())],
        ),
        Limited::SmsUnavailable { .. } => t(lang, "sms-unavailable"),
    };
    let page = match (&visit.session.state, typed) {
        (Login::CodeSent(c), None) => code_page(state, visit, c, None, Some(text)),
        (Login::IdentifierEntered(c) | Login::CodeSent(c), typed) => {
            let value = typed.or_else(|| Some(c.identifier.clone()));
            identifier_page(state, visit, value, Some(text), None, StatusCode::OK)
        }
        (_, typed) => identifier_page(state, visit, typed, Some(text), None, StatusCode::OK),
    };
    visit.respond(crate::web::limited::respond(&limited, page))
}

async fn identifier(
    State(state): State<AppState>,
    Submission { visit, form, from }: Submission,
) -> Response {
    let field = Field::of(provider_of(&visit.session));
    let input = form.get(field.name).unwrap_or("");
    let typed = || Some(input.chars().take(field.max_len).collect::<String>());
    let error = match state
        .login
        .submit_identifier(&visit.session.id, input, visit.lang, &Wording::Page, from)
        .await
    {
        Ok(_) => return visit.redirect_here(None),
        Err(LoginError::Limited(limited)) => {
            return limited_page(&state, &visit, limited, typed());
        }
        Err(LoginError::Undeliverable(why)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            t(
                visit.lang,
                match why {
                    Undeliverable::NumberType => "phone-not-mobile",
                    Undeliverable::Region => "phone-region-refused",
                },
            ),
        ),
        // These are answered on the page itself, keeping what was typed.
        Err(LoginError::InvalidIdentifier) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            t(visit.lang, field.invalid),
        ),
        Err(LoginError::Refused(Refusal::Cooldown { wait_secs })) => (
            StatusCode::TOO_MANY_REQUESTS,
            t_args(visit.lang, "resend-wait", &[("seconds", wait_secs.into())]),
        ),
        Err(LoginError::Refused(Refusal::SendLimit)) => {
            (StatusCode::TOO_MANY_REQUESTS, t(visit.lang, "resend-limit"))
        }
        Err(e) => return visit.fail(e),
    };
    let page = identifier_page(&state, &visit, typed(), Some(error.1), None, error.0);
    visit.respond(page)
}

async fn otp(
    State(state): State<AppState>,
    Submission { visit, form, .. }: Submission,
) -> Response {
    let code = form.get("otp").unwrap_or("");
    match state.login.submit_code(&visit.session.id, code, None).await {
        Ok((session, Effect::Finished)) => {
            visit.respond(crate::web::finish::respond(&state, &session, visit.lang).await)
        }
        Ok((_, Effect::WrongCode { .. })) => visit.redirect_here(Some(Notice::WrongCode)),
        Ok((_, Effect::CodeExpired)) => visit.redirect_here(Some(Notice::CodeExpired)),
        Ok(_) => visit.redirect_here(None),
        Err(LoginError::Limited(limited)) => limited_page(&state, &visit, limited, None),
        Err(e) => visit.fail(e),
    }
}

async fn resend(
    State(state): State<AppState>,
    Submission { visit, from, .. }: Submission,
) -> Response {
    match state
        .login
        .resend(&visit.session.id, visit.lang, from)
        .await
    {
        Ok(_) => visit.redirect_here(Some(Notice::Resent)),
        Err(LoginError::Limited(limited)) => limited_page(&state, &visit, limited, None),
        Err(e) => visit.fail(e),
    }
}

async fn cancel(State(state): State<AppState>, Submission { visit, .. }: Submission) -> Response {
    match state.login.abort(&visit.session.id).await {
        Ok(_) => visit.redirect_here(None),
        Err(e) => visit.fail(e),
    }
}

/// Loads the session for this browser. On the first visit the browser gets its random cookie
/// and the session is bound to it; `may_bind` is false for form posts, which must come from a
/// browser that already holds the cookie.
async fn open(
    state: &AppState,
    sid: &str,
    headers: &HeaderMap,
    may_bind: bool,
) -> Result<Visit, Response> {
    let header_lang = crate::web::page::request_lang(headers);
    if uuid::Uuid::try_parse(sid).is_err() {
        return Err(error_page(header_lang, LoginError::NotFound));
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
        None => return Err(error_page(header_lang, LoginError::OtherBrowser)),
    };
    let session = state
        .login
        .bind_browser(sid, &browser)
        .await
        .map_err(|e| error_page(header_lang, e))?;
    // Direct grants have no sign-in page: their sessions are not reachable from a browser.
    if matches!(session.return_to, crate::core::session::ReturnTo::Direct(_)) {
        return Err(error_page(header_lang, LoginError::NotFound));
    }
    let lang = LangSources {
        session: session.language,
        ui_locales: None,
        cookie: cookie(headers, &cookie_name(state, LANG_COOKIE)).as_deref(),
        accept_language: headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    }
    .resolve();
    Ok(Visit {
        session,
        lang,
        set_cookies,
    })
}

/// A form post: the browser must be the bound one and the anti-forgery token must match.
struct Submission {
    visit: Visit,
    form: Form,
    /// The client address, for the limits.
    from: Option<std::net::IpAddr>,
}

impl FromRequest<AppState> for Submission {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Submission, Response> {
        let (mut parts, body) = request.into_parts();
        let Ok(Param(sid)) = Param::from_request_parts(&mut parts, state).await;
        if cross_site(state, &parts.headers) {
            tracing::warn!(session = %short(&sid), "cross-site form post refused");
            let lang = crate::web::page::request_lang(&parts.headers);
            let page = MessagePage::error(lang, "error-form-expired", Some(login_path(&sid)));
            return Err(render(StatusCode::FORBIDDEN, &page));
        }
        let visit = open(state, &sid, &parts.headers, false).await?;
        let from = state.client_address(&parts);
        let form = Form::from_request(Request::from_parts(parts, body))
            .await
            .unwrap_or_default();
        if !LoginService::csrf_matches(&visit.session, form.get("csrf").unwrap_or("")) {
            tracing::warn!(session = %short(&sid), "form without a valid anti-forgery token");
            let page = MessagePage::error(visit.lang, "error-form-expired", Some(login_path(&sid)));
            return Err(render(StatusCode::FORBIDDEN, &page));
        }
        Ok(Submission { visit, form, from })
    }
}

fn error_page(lang: Lang, e: LoginError) -> Response {
    let (status, id) = match &e {
        LoginError::NotFound => (StatusCode::NOT_FOUND, "error-not-found"),
        LoginError::OtherBrowser => (StatusCode::FORBIDDEN, "error-other-browser"),
        LoginError::Store(_) | LoginError::Contention => {
            tracing::error!(error = %e, "session store failed");
            (StatusCode::SERVICE_UNAVAILABLE, "error-unavailable")
        }
        _ => {
            tracing::error!(error = %e, "unexpected login error");
            (StatusCode::INTERNAL_SERVER_ERROR, "error-unavailable")
        }
    };
    render(status, &MessagePage::error(lang, id, None))
}

struct Query {
    lang: Option<String>,
    notice: Option<String>,
    change: bool,
}

fn query_map(query: Option<&str>) -> Query {
    let mut q = Query {
        lang: None,
        notice: None,
        change: false,
    };
    for (k, v) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        match &*k {
            "lang" => q.lang = Some(v.into_owned()),
            "notice" => q.notice = Some(v.into_owned()),
            "change" => q.change = v == "1",
            _ => {}
        }
    }
    q
}

fn plausible_token(value: &str) -> bool {
    (32..=64).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The name a cookie goes by: on https with the `__Host-` prefix, which the browser keeps only
/// for a cookie that is `Secure`, has `Path=/` and no `Domain`, so no other host (a sibling
/// subdomain) can set or overwrite it.
fn cookie_name(state: &AppState, name: &str) -> String {
    if state.secure_cookies() {
        format!("__Host-{name}")
    } else {
        name.to_owned()
    }
}

fn cookie_header(
    state: &AppState,
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
fn cross_site(state: &AppState, headers: &HeaderMap) -> bool {
    let ours = state.public_url.origin().ascii_serialization();
    let origin = headers
        .get(header::ORIGIN)
        .is_some_and(|o| o.to_str().map_or(true, |o| o != ours));
    let fetch_site = headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"cross-site"));
    origin || fetch_site
}

fn with_cookies(mut response: Response, cookies: &[String]) -> Response {
    for c in cookies {
        if let Ok(value) = HeaderValue::from_str(c) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/style.css"),
    )
        .into_response()
}
