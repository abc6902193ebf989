//! HTML pages: the frame every page shares (language, switcher), rendering through one path,
//! and the localized message page used for errors.

use askama::Template;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use std::sync::Arc;

use crate::core::lang::Lang;
use crate::core::text;
use crate::web::brand::Service;
use crate::web::context;
use crate::web::lang::request_lang;

/// The part of every page that is not its content: the language, the service the user is
/// signing in to, the window title, the language menu and, on error pages, the reference.
pub struct Frame {
    pub lang: Lang,
    /// The window title, and the line above the step heading ("Sign in to Demo Shop").
    pub title: String,
    pub service: Arc<Service>,
    /// The language menu; empty where switching makes no sense.
    pub languages: Vec<LangLink>,
    /// A form whose typed values the language menu carries: its choices submit that form to
    /// `carry_action` instead of following a link.
    pub carry: Option<Carry>,
    /// The request's reference, shown on error pages.
    pub reference: Option<String>,
    /// Set when the page shows an error: the title says so first.
    pub error: bool,
    /// The nonce of the page's scripts, when it has any.
    pub nonce: Option<String>,
}

pub struct LangLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

pub struct Carry {
    pub form: &'static str,
    pub action: String,
}

impl Frame {
    pub fn new(lang: Lang) -> Frame {
        Frame {
            lang,
            title: text::t(lang, "page-title"),
            service: Arc::default(),
            languages: Vec::new(),
            carry: None,
            reference: None,
            error: false,
            nonce: None,
        }
    }

    /// With a language menu whose links are `href(code)`.
    pub fn with_switcher(lang: Lang, href: impl Fn(&str) -> String) -> Frame {
        let languages = Lang::ALL
            .iter()
            .map(|l| LangLink {
                code: l.code(),
                name: l.native_name(),
                href: href(l.code()),
                current: *l == lang,
            })
            .collect();
        Frame {
            languages,
            ..Frame::new(lang)
        }
    }

    /// For an error page: the reference of the request, and a language menu for the address
    /// that was asked for when it can be asked again.
    pub fn for_error(lang: Lang) -> Frame {
        let context = context::current();
        let mut frame = match context.as_ref().and_then(|c| c.get_path.as_deref()) {
            Some(path) => Frame::with_switcher(lang, |code| language_href(code, path)),
            None => Frame::new(lang),
        };
        frame.reference = context.map(|c| c.reference);
        frame.error = true;
        frame
    }

    /// Names the service the page is for: "Sign in to Demo Shop".
    pub fn for_service(mut self, service: Arc<Service>) -> Frame {
        if let Some(name) = &service.name {
            self.title = text::t_args(
                self.lang,
                "page-title-service",
                &[("service", name.as_str().into())],
            );
        }
        self.service = service;
        self
    }

    /// With another title (a confirmation is not a sign-in).
    pub fn titled(self, title: String) -> Frame {
        Frame { title, ..self }
    }

    pub fn t(&self, id: &str) -> String {
        text::t(self.lang, id)
    }

    /// The window title: the error first when the page shows one, so a screen reader hears it.
    pub fn window_title(&self) -> String {
        match self.error {
            true => text::t_args(
                self.lang,
                "title-error",
                &[("title", self.title.as_str().into())],
            ),
            false => self.title.clone(),
        }
    }

    /// The current language's own name, for the menu's button.
    pub fn language_name(&self) -> &'static str {
        self.lang.native_name()
    }

    /// "Back to Demo Shop", or "Back to the service" for an unnamed one.
    pub fn back_label(&self) -> String {
        match &self.service.name {
            Some(name) => text::t_args(
                self.lang,
                "back-to-named",
                &[("service", name.as_str().into())],
            ),
            None => self.t("back-to-service"),
        }
    }

    pub fn reference_text(&self) -> Option<String> {
        self.reference.as_ref().map(|r| {
            text::t_args(
                self.lang,
                "error-reference",
                &[("reference", r.as_str().into())],
            )
        })
    }
}

/// The address that sets the language and comes back to `path` (ours, so never elsewhere).
pub fn language_href(code: &str, path: &str) -> String {
    let back: String = url::form_urlencoded::byte_serialize(path.as_bytes()).collect();
    format!("{LANGUAGE_PATH}/{code}?back={back}")
}

/// Where the language menu's links go.
pub const LANGUAGE_PATH: &str = "/language";

/// Renders a page; a template failure is logged and becomes a plain 500 page, never a panic.
pub fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => {
            let mut response = (status, html).into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            response
        }
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub frame: Frame,
    pub heading: String,
    pub text: String,
    /// The page's way on, when there is one.
    pub link: Option<Link>,
    /// For the service's developers: the parameter that was wrong.
    pub detail: Option<String>,
}

impl MessagePage {
    /// A page under the generic error heading, with the request's reference and a language
    /// menu.
    pub fn error(lang: Lang, text_id: &str, link: Option<Link>) -> MessagePage {
        MessagePage {
            frame: Frame::for_error(lang),
            heading: text::t(lang, "error-heading"),
            text: text::t(lang, text_id),
            link,
            detail: None,
        }
    }

    /// Names the service, and offers its home page as the way back when there is no other.
    pub fn for_service(mut self, service: Arc<Service>) -> MessagePage {
        if self.link.is_none() {
            self.link = service.home_url.clone().map(Link::Back);
        }
        self.frame = self.frame.for_service(service);
        self
    }

    /// The button's words: where it leads, not where the user came from.
    pub fn link_label(&self, link: &Link) -> String {
        match link {
            Link::Back(_) => self.frame.back_label(),
            Link::Retry(_) => self.frame.t("try-again"),
        }
    }

    /// Names the parameter that was wrong, for whoever integrates the service.
    pub fn naming(mut self, parameter: &str) -> MessagePage {
        self.detail = Some(text::t_args(
            self.frame.lang,
            "error-parameter",
            &[("parameter", parameter.into())],
        ));
        self
    }
}

/// A message page's button.
pub enum Link {
    /// Back to the service: its home page, or the callback its request named.
    Back(String),
    /// The sign-in page again, which serves a fresh form.
    Retry(String),
}

impl Link {
    pub fn href(&self) -> &str {
        match self {
            Link::Back(href) | Link::Retry(href) => href,
        }
    }
}

#[derive(Template)]
#[template(path = "form_post.html")]
struct AutoPostPage {
    frame: Frame,
    action: String,
    fields: Vec<(&'static str, String)>,
    nonce: String,
}

/// A page that posts `fields` to `action` by itself (one script, allowed by a nonce), and by a
/// visible button when scripts are off: OIDC `form_post` and the SAML HTTP-POST binding.
pub fn auto_post(lang: Lang, action: &str, fields: Vec<(&'static str, String)>) -> Response {
    let nonce = crate::core::ids::random_token();
    let page = AutoPostPage {
        frame: Frame::new(lang),
        action: action.to_owned(),
        fields,
        nonce: nonce.clone(),
    };
    with_script_nonce(render(StatusCode::OK, &page), &nonce)
}

/// Allows the page's own scripts, those carrying `nonce`, and nothing else; the rest of the
/// policy is the default every response gets.
pub fn with_script_nonce(mut response: Response, nonce: &str) -> Response {
    let csp = format!(
        "default-src 'none'; script-src 'nonce-{nonce}'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&csp) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// An address nothing answers: problem JSON for a program, a small page in the user's
/// language for a browser; never the sign-in error page, which would say a link was bad.
pub async fn not_found(uri: axum::http::Uri, headers: HeaderMap) -> Response {
    let wants_page = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    let api = [
        "/auth/rest/",
        "/auth/open/",
        "/admin/",
        "/scim/",
        "/.well-known/",
    ]
    .iter()
    .any(|prefix| uri.path().to_ascii_lowercase().starts_with(prefix));
    if api || !wants_page {
        let problem =
            crate::web::problem::Problem::new(StatusCode::NOT_FOUND, "nothing at this address");
        return problem.into_response();
    }
    let lang = request_lang(&headers);
    let page = MessagePage {
        heading: text::t(lang, "no-page-heading"),
        ..MessagePage::error(lang, "no-page", None)
    };
    render(StatusCode::NOT_FOUND, &page)
}

/// Nothing here is for search engines: sign-in pages are reached from a service.
pub async fn robots() -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "User-agent: *\nDisallow: /\n",
    )
        .into_response()
}

/// A plain key, so a browser's automatic request for it finds something.
pub async fn favicon() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("../../static/favicon.svg"),
    )
        .into_response()
}
