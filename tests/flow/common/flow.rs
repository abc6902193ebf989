//! A login through the OTP pages, step by step, as the browser that opened it sees it.

use serde_json::{Value, json};

use super::{Browser, PHONE, Page, TestApp};

/// The login page URL's path for a session.
pub fn login(id: &str) -> String {
    format!("/auth/login/{id}")
}

/// One login in progress, seen from the browser that opened it.
pub struct Flow<'a> {
    pub app: &'a TestApp,
    pub id: String,
    pub browser: Browser,
    pub csrf: String,
}

impl<'a> Flow<'a> {
    /// Creates a session (default request plus `extra`) and opens its login page.
    pub async fn open(app: &'a TestApp, extra: Value) -> Flow<'a> {
        let session = app.create(extra).await;
        let id = session["id"].as_str().unwrap().to_owned();
        let browser = app.browser();
        let page = browser
            .get(session["authenticationUrl"].as_str().unwrap())
            .await;
        assert_eq!(page.status, 200, "{}", page.body);
        let csrf = page.csrf();
        super::handled(super::Handled::Secret, &csrf);
        Flow {
            app,
            id,
            browser,
            csrf,
        }
    }

    /// Opens a session and gets a code sent to `PHONE`.
    pub async fn to_code(app: &'a TestApp) -> Flow<'a> {
        let flow = Flow::open(app, json!({})).await;
        let sent = flow.phone(PHONE).await;
        assert_eq!(
            sent.location_path(&app.base),
            flow.path(""),
            "{}",
            sent.body
        );
        flow
    }

    /// This session's login path plus `suffix`.
    pub fn path(&self, suffix: &str) -> String {
        format!("{}{suffix}", login(&self.id))
    }

    /// Posts a form of this session's page, with its anti-forgery token.
    pub async fn post(&self, action: &str, fields: &[(&str, &str)]) -> Page {
        let mut form = vec![("csrf", self.csrf.as_str())];
        form.extend_from_slice(fields);
        self.browser.post(&self.path(action), &form).await
    }

    pub async fn phone(&self, number: &str) -> Page {
        // In E.164 for the scan, as the broker would read it; a number it cannot read is
        // looked for by its shape only.
        let region = self.app.config.sms.default_region.parse().ok();
        if let Ok(read) = phonenumber::parse(region, number) {
            let e164 = read.format().mode(phonenumber::Mode::E164).to_string();
            super::handled(super::Handled::Number, &e164);
        }
        self.post("/phone", &[("phone_number", number)]).await
    }

    pub async fn code(&self, code: &str) -> Page {
        self.post("/otp", &[("otp", code)]).await
    }

    pub async fn resend(&self) -> Page {
        self.post("/resend", &[]).await
    }

    pub async fn page(&self) -> Page {
        self.browser.get(&self.path("")).await
    }

    /// Where a post that asks the page to show `notice` redirects.
    pub fn notice(&self, notice: &str) -> String {
        self.path(&format!("?notice={notice}"))
    }

    pub fn callback(&self, base: &str) -> String {
        format!("{base}?sessionId={}", self.id)
    }

    pub async fn status(&self) -> Value {
        self.app.session(&self.id).await["status"].clone()
    }
}

/// Completes the OTP pages of a session hopping between two instances: page on `b`, phone
/// number on `a`, code on `b`. Returns the final answer.
pub async fn login_across(browser: &Browser, login_path: &str, a: &TestApp, b: &TestApp) -> Page {
    let page = browser.get(&format!("{}{login_path}", b.base)).await;
    let csrf = page.csrf();
    browser
        .post(
            &format!("{}{login_path}/phone", a.base),
            &[("csrf", &csrf), ("phone_number", PHONE)],
        )
        .await;
    let code = a.gateway().last_code();
    browser
        .post(
            &format!("{}{login_path}/otp", b.base),
            &[("csrf", &csrf), ("otp", &code)],
        )
        .await
}

/// After a cancel or too many wrong codes our page says what happened; its form goes on to
/// the service. Returns the answer to that form.
pub async fn onward(browser: &Browser, login_path: &str) -> Page {
    let outcome = browser.get(login_path).await;
    assert_eq!(outcome.status, 200, "{}", outcome.body);
    assert!(outcome.body.contains(r#"id="onward""#), "{}", outcome.body);
    browser
        .post(
            &format!("{login_path}/onward"),
            &[("csrf", &outcome.csrf())],
        )
        .await
}
