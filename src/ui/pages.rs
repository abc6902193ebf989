//! One askama struct per page of the login flow.

use askama::Template;

use crate::web::page::Frame;

#[derive(Template)]
#[template(path = "choose.html")]
pub struct ChoosePage {
    pub frame: Frame,
    pub action: String,
    pub cancel_action: String,
    pub csrf: String,
    /// (provider name, label)
    pub providers: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "phone.html")]
pub struct PhonePage {
    pub frame: Frame,
    pub action: String,
    pub cancel_action: String,
    pub csrf: String,
    pub value: String,
    pub help: String,
    pub error: Option<String>,
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "code.html")]
pub struct CodePage {
    pub frame: Frame,
    pub action: String,
    pub resend_action: String,
    pub cancel_action: String,
    pub change_href: String,
    pub csrf: String,
    pub sent_to: String,
    pub error: Option<String>,
    pub notice: Option<String>,
    pub can_resend: bool,
    pub resend_note: Option<String>,
}
