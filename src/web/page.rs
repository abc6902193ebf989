//! HTML pages: the frame every page shares (language, switcher), rendering through one path,
//! and the localized message page used for errors.

use askama::Template;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::core::lang::Lang;
use crate::core::text;
use crate::web::lang::request_lang;

/// The part of every page that is not its content.
pub struct Frame {
    pub lang: Lang,
    /// The message id of the window title.
    pub title: &'static str,
    /// The language switcher; empty where switching makes no sense.
    pub languages: Vec<LangLink>,
}

pub struct LangLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

impl Frame {
    pub fn new(lang: Lang) -> Frame {
        Frame {
            lang,
            title: "page-title",
            languages: Vec::new(),
        }
    }

    /// With a switcher whose links are `base?lang=xx`.
    pub fn with_switcher(lang: Lang, base: &str) -> Frame {
        let languages = Lang::ALL
            .iter()
            .map(|l| LangLink {
                code: l.code(),
                name: l.native_name(),
                href: format!("{base}?lang={}", l.code()),
                current: *l == lang,
            })
            .collect();
        Frame {
            lang,
            title: "page-title",
            languages,
        }
    }

    /// With another window title (a confirmation is not a sign-in).
    pub fn titled(self, title: &'static str) -> Frame {
        Frame { title, ..self }
    }

    pub fn t(&self, id: &str) -> String {
        text::t(self.lang, id)
    }
}

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
    /// Where "back to the service" goes, when we know.
    pub link: Option<String>,
}

impl MessagePage {
    /// A page under the generic error heading.
    pub fn error(lang: Lang, text_id: &str, link: Option<String>) -> MessagePage {
        MessagePage {
            frame: Frame::new(lang),
            heading: text::t(lang, "error-heading"),
            text: text::t(lang, text_id),
            link,
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
    let mut response = render(StatusCode::OK, &page);
    let csp = format!(
        "default-src 'none'; script-src 'nonce-{nonce}'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&csp) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

pub async fn not_found(headers: HeaderMap) -> Response {
    let lang = request_lang(&headers);
    render(
        StatusCode::NOT_FOUND,
        &MessagePage::error(lang, "error-not-found", None),
    )
}
