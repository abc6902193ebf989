//! One askama struct per page of the login flow.

use askama::Template;

use crate::core::confirm::{CODE_MARK, Confirmation};
use crate::core::lang::Lang;
use crate::core::provider::Provider;
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

/// What the identifier page asks for, per provider.
pub struct Field {
    pub name: &'static str,
    pub input_type: &'static str,
    pub autocomplete: &'static str,
    pub max_len: usize,
    pub heading: &'static str,
    pub intro: &'static str,
    pub label: &'static str,
    pub invalid: &'static str,
    /// Said when the field was sent empty.
    pub required: &'static str,
    pub change: &'static str,
    pub action: &'static str,
}

impl Field {
    pub fn of(provider: Provider) -> Field {
        match provider {
            Provider::OtpSms => Field {
                name: "phone_number",
                input_type: "tel",
                autocomplete: "tel",
                max_len: 40,
                heading: "phone-heading",
                intro: "phone-intro",
                label: "phone-label",
                invalid: "phone-invalid",
                required: "phone-required",
                change: "change-number",
                action: "/phone",
            },
            Provider::OtpEmail => Field {
                name: "email",
                input_type: "email",
                autocomplete: "email",
                max_len: 254,
                heading: "email-heading",
                intro: "email-intro",
                label: "email-label",
                invalid: "email-invalid",
                required: "email-required",
                change: "change-email",
                action: "/email",
            },
        }
    }
}

#[derive(Template)]
#[template(path = "identifier.html")]
pub struct IdentifierPage {
    pub frame: Frame,
    pub field: Field,
    pub action: String,
    pub cancel_action: String,
    pub csrf: String,
    pub value: String,
    pub help: Option<String>,
    pub error: Option<String>,
    pub notice: Option<String>,
    /// While a cooldown runs: no code can go to another number yet, and the page says when.
    pub wait: Option<String>,
    /// The ids of the texts that describe the input: the error first, then the hint.
    pub described_by: Option<String>,
}

#[derive(Template)]
#[template(path = "code.html")]
pub struct CodePage {
    pub frame: Frame,
    pub action: String,
    pub resend_action: String,
    pub cancel_action: String,
    /// "Use another number"; absent where the number is the relying party's to choose.
    pub change_href: Option<String>,
    pub change_label: &'static str,
    pub csrf: String,
    pub sent_to: String,
    pub error: Option<String>,
    pub notice: Option<String>,
    /// A new code may be sent now (no cooldown, sends left).
    pub can_resend: bool,
    pub resend_note: Option<String>,
    /// The code has expired: asking for a new one is the page's one action.
    pub expired: bool,
    /// What the code approves; shown before the code field.
    pub confirmation: Option<ConfirmView>,
    /// The wait before a resend, for the script to count down.
    pub countdown: Option<Countdown>,
    /// Seconds until the code expires, for the script to show the expired page then.
    pub expires_in: Option<i64>,
}

/// The resend countdown: seconds left, and the sentence with `{time}` where they go.
pub struct Countdown {
    pub seconds: i64,
    pub template: String,
}

/// After a cancel or too many wrong codes: our word on what happened, then on to the service
/// (by the script after a moment, or by the button).
#[derive(Template)]
#[template(path = "outcome.html")]
pub struct OutcomePage {
    pub frame: Frame,
    pub heading: String,
    pub text: String,
    pub action: String,
    pub csrf: String,
}

/// A confirmation as the page shows it: the amount in the page's language, the payee, and the
/// relying party's text with an ellipsis where the code will go.
pub struct ConfirmView {
    pub amount: String,
    pub payee: String,
    pub text: Option<String>,
}

impl ConfirmView {
    pub fn of(confirmation: &Confirmation, lang: Lang) -> ConfirmView {
        ConfirmView {
            amount: confirmation.display_amount(lang),
            payee: confirmation.payee.clone(),
            text: confirmation
                .text
                .as_ref()
                .map(|t| t.replace(CODE_MARK, "…")),
        }
    }
}

/// Before a confirmation's code goes out: what it approves, and where the code will go (the
/// relying party named it; the user cannot change it).
#[derive(Template)]
#[template(path = "confirm.html")]
pub struct ConfirmPage {
    pub frame: Frame,
    pub action: String,
    pub cancel_action: String,
    pub csrf: String,
    pub intro: &'static str,
    pub destination: String,
    pub confirmation: ConfirmView,
    pub error: Option<String>,
    pub notice: Option<String>,
}
