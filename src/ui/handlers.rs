//! Each step of the pages: show the page the session is on, and the form posts that move it.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::Ui;
use super::notice::{Notice, notice_text};
use super::pages::{
    ChoosePage, CodePage, ConfirmPage, ConfirmView, Countdown, Field, IdentifierPage, OutcomePage,
};
use super::visit::{Submission, Visit, error_page, open};
use crate::core::ids::random_token;
use crate::core::lang::Lang;
use crate::core::limits::{Limited, Undeliverable};
use crate::core::login::{LoginError, Wording};
use crate::core::provider::Provider;
use crate::core::session::{Challenge, Effect, LoginSession, Refusal, State as Login};
use crate::core::text::{t, t_args};
use crate::web::page::{Carry, render, with_script_nonce};
use crate::web::param::Param;
use crate::web::paths::login_path;

pub async fn show(
    State(state): State<Ui>,
    Param(sid): Param,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let query = query_map(query.as_deref());
    let mut visit = match open(&state, &sid, &headers, true).await {
        Ok(visit) => visit,
        Err(response) => return response,
    };
    if let Some(lang) = query.lang.as_deref().and_then(Lang::from_tag)
        && let Err(e) = visit.switch_language(&state, lang).await
    {
        return visit.respond(error_page(visit.lang, e, Some(visit.service.clone())));
    }
    let notice = query.notice.as_deref().and_then(Notice::parse);
    let response = page(&state, &mut visit, notice, query.change).await;
    visit.respond(response)
}

/// The page for the session's current state.
async fn page(state: &Ui, visit: &mut Visit, notice: Option<Notice>, change: bool) -> Response {
    let session = &visit.session;
    match &session.state {
        Login::Created => {
            if let [only] = session.allowed_providers[..] {
                match state.login.choose_provider(&session.id, only).await {
                    Ok(s) => visit.session = s,
                    Err(e) => return error_page(visit.lang, e, Some(visit.service.clone())),
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
        Login::CodeSent(c) if change && session.confirmation.is_none() => {
            let value = Some(c.identifier.clone());
            identifier_page(state, visit, value, None, notice, StatusCode::OK)
        }
        Login::CodeSent(c) => code_page(state, visit, c, notice, None),
        // The user's own cancel and too many wrong codes; a relying party's abort goes on.
        Login::Aborted | Login::Failed { .. } if visit.service.outcome_page => outcome_page(visit),
        _ => {
            state
                .handoff
                .respond(&state.login, &visit.session, visit.lang)
                .await
        }
    }
}

/// Our word on a sign-in that ended without one, before the service hears of it.
fn outcome_page(visit: &Visit) -> Response {
    let lang = visit.lang;
    let (heading, text) = match visit.session.state {
        Login::Failed { .. } => ("outcome-failed-heading", "outcome-failed"),
        _ => ("outcome-cancelled-heading", "outcome-cancelled"),
    };
    let nonce = random_token();
    let mut frame = visit.frame();
    frame.nonce = Some(nonce.clone());
    let page = OutcomePage {
        frame,
        heading: t(lang, heading),
        text: t(lang, text),
        action: visit.path("/onward"),
        csrf: visit.session.csrf.clone(),
    };
    with_script_nonce(render(StatusCode::OK, &page), &nonce)
}

/// On from the outcome page to the service.
pub async fn onward(State(state): State<Ui>, Submission { visit, .. }: Submission) -> Response {
    visit.respond(
        state
            .handoff
            .respond(&state.login, &visit.session, visit.lang)
            .await,
    )
}

/// The language menu on the identifier page: the language changes and what was typed stays.
pub async fn language(
    State(state): State<Ui>,
    Submission {
        mut visit, form, ..
    }: Submission,
) -> Response {
    let Some(lang) = form.get("lang").and_then(Lang::from_tag) else {
        return visit.redirect_here(None);
    };
    if let Err(e) = visit.switch_language(&state, lang).await {
        return visit.fail(e);
    }
    let field = Field::of(provider_of(&visit.session));
    let typed = form
        .get(field.name)
        .map(|v| v.chars().take(field.max_len).collect::<String>());
    match (&visit.session.state, typed) {
        (Login::ProviderChosen { .. } | Login::IdentifierEntered(_), Some(typed))
            if visit.session.confirmation.is_none() =>
        {
            let page = identifier_page(&state, &visit, Some(typed), None, None, StatusCode::OK);
            visit.respond(page)
        }
        _ => visit.redirect_here(None),
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
    state: &Ui,
    visit: &Visit,
    value: Option<String>,
    error: Option<String>,
    notice: Option<Notice>,
    status: StatusCode,
) -> Response {
    let lang = visit.lang;
    let provider = provider_of(&visit.session);
    let field = Field::of(provider);
    let (error, notice) = match notice {
        Some(n) if n.is_error() && error.is_none() => (Some(notice_text(state, visit, n)), None),
        Some(n) if !n.is_error() => (error, Some(notice_text(state, visit, n))),
        _ => (error, None),
    };
    if let (Some(confirmation), Some(destination)) =
        (&visit.session.confirmation, &visit.session.prefill)
    {
        let mut frame = visit.frame();
        frame.error = error.is_some();
        let page = ConfirmPage {
            frame,
            action: visit.path(field.action),
            cancel_action: visit.path("/cancel"),
            csrf: visit.session.csrf.clone(),
            intro: field.intro,
            destination: masked(provider, destination),
            confirmation: ConfirmView::of(confirmation, lang),
            error,
            notice,
        };
        return render(status, &page);
    }
    // Another number during a cooldown: it may not get a code until the cooldown ends.
    let wait = match &visit.session.state {
        Login::CodeSent(c) if error.is_none() => {
            let policy = state.login.policy_for(&visit.session);
            c.resend_wait(&policy, state.login.now())
                .map(|s| t_args(lang, "resend-wait", &[("seconds", s.into())]))
        }
        _ => None,
    };
    let help = (provider == Provider::OtpSms).then(|| phone_hint(state, lang));
    let described_by = [
        error.as_ref().map(|_| "identifier-error"),
        help.as_ref().map(|_| "identifier-help"),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>();
    let mut frame = visit.frame();
    frame.error = error.is_some();
    frame.carry = Some(Carry {
        form: "identifier-form",
        action: visit.path("/language"),
    });
    let page = IdentifierPage {
        frame,
        described_by: (!described_by.is_empty()).then(|| described_by.join(" ")),
        action: visit.path(field.action),
        field,
        cancel_action: visit.path("/cancel"),
        csrf: visit.session.csrf.clone(),
        value: value.unwrap_or_default(),
        help,
        error,
        notice,
        wait,
    };
    render(status, &page)
}

/// The code page; `error` (from a limit) takes the place of any notice.
fn code_page(
    state: &Ui,
    visit: &Visit,
    c: &Challenge,
    notice: Option<Notice>,
    error: Option<String>,
) -> Response {
    let lang = visit.lang;
    let policy = &state.login.policy_for(&visit.session);
    let now = state.login.now();
    let wait = c.resend_wait(policy, now);
    let limit_reached = c.sends_spent(policy);
    let expired = c.code.as_ref().is_none_or(|code| now >= code.expires_at);
    let countdown_text = |time: String| t_args(lang, "resend-countdown", &[("time", time.into())]);
    let resend_note = if limit_reached {
        Some(t(lang, "resend-limit"))
    } else {
        wait.map(|s| countdown_text(format!("{}:{:02}", s / 60, s % 60)))
    };
    let countdown = wait.filter(|_| !limit_reached).map(|seconds| Countdown {
        seconds,
        template: countdown_text("{time}".into()),
    });
    let expires_in = c
        .code
        .as_ref()
        .map(|code| (code.expires_at - now).whole_seconds())
        .filter(|s| *s > 0);
    let (error, notice) = match (error, notice) {
        (Some(error), _) => (Some(error), None),
        (None, Some(n)) if n.is_error() => (Some(notice_text(state, visit, n)), None),
        (None, Some(n)) => (None, Some(notice_text(state, visit, n))),
        (None, None) => (None, None),
    };
    let nonce = random_token();
    let mut frame = visit.frame();
    frame.error = error.is_some();
    frame.nonce = Some(nonce.clone());
    let page = CodePage {
        frame,
        countdown,
        expires_in,
        action: visit.path("/otp"),
        resend_action: visit.path("/resend"),
        cancel_action: visit.path("/cancel"),
        change_href: visit
            .session
            .confirmation
            .is_none()
            .then(|| format!("{}?change=1", login_path(&visit.session.id))),
        change_label: Field::of(c.provider).change,
        csrf: visit.session.csrf.clone(),
        sent_to: t_args(
            lang,
            "code-sent-to",
            &[("phone", masked(c.provider, &c.identifier).into())],
        ),
        error,
        notice,
        can_resend: !limit_reached && wait.is_none(),
        resend_note,
        expired,
        confirmation: visit
            .session
            .confirmation
            .as_ref()
            .map(|c| ConfirmView::of(c, lang)),
    };
    with_script_nonce(render(StatusCode::OK, &page), &nonce)
}

/// The phone hint: an example number of the default region, in international form, and the
/// region's name in the page's language.
fn phone_hint(state: &Ui, lang: Lang) -> String {
    let region = state.config.sms.default_region.to_ascii_uppercase();
    let example = crate::core::phone::example(&region).unwrap_or_default();
    let name = crate::core::regions::name(&region, lang).unwrap_or(region);
    t_args(
        lang,
        "phone-help",
        &[("example", example.into()), ("region", name.into())],
    )
}

pub async fn choose(
    State(state): State<Ui>,
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
fn limited_page(state: &Ui, visit: &Visit, limited: Limited, typed: Option<String>) -> Response {
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

pub async fn identifier(
    State(state): State<Ui>,
    Submission { visit, form, from }: Submission,
) -> Response {
    let field = Field::of(provider_of(&visit.session));
    // A confirmation's code goes where the relying party said, whatever the form holds.
    let input = match &visit.session.confirmation {
        Some(_) => visit.session.prefill.as_deref().unwrap_or(""),
        None => form.get(field.name).unwrap_or(""),
    };
    let typed = || Some(input.chars().take(field.max_len).collect::<String>());
    if input.trim().is_empty() {
        let text = t(visit.lang, field.required);
        let page = identifier_page(
            &state,
            &visit,
            typed(),
            Some(text),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
        return visit.respond(page);
    }
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

pub async fn otp(State(state): State<Ui>, Submission { visit, form, .. }: Submission) -> Response {
    let code = form.get("otp").unwrap_or("");
    if code.trim().is_empty() {
        return visit.redirect_here(Some(Notice::CodeRequired));
    }
    match state
        .login
        .submit_code(&visit.session.id, code, None, None)
        .await
    {
        // Too many wrong codes: our page says so first.
        Ok((session, Effect::Finished))
            if matches!(session.state, Login::Failed { .. }) && visit.service.outcome_page =>
        {
            visit.redirect_here(None)
        }
        Ok((session, Effect::Finished)) => visit.respond(
            state
                .handoff
                .respond(&state.login, &session, visit.lang)
                .await,
        ),
        Ok((_, Effect::WrongCode { .. })) => visit.redirect_here(Some(Notice::WrongCode)),
        Ok((_, Effect::CodeExpired)) => visit.redirect_here(Some(Notice::CodeExpired)),
        Ok(_) => visit.redirect_here(None),
        Err(LoginError::Limited(limited)) => limited_page(&state, &visit, limited, None),
        Err(e) => visit.fail(e),
    }
}

pub async fn resend(
    State(state): State<Ui>,
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

pub async fn cancel(State(state): State<Ui>, Submission { visit, .. }: Submission) -> Response {
    match state.login.abort(&visit.session.id).await {
        Ok(_) => visit.redirect_here(None),
        Err(e) => visit.fail(e),
    }
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
