//! Localized text from the fluent files in `locales/`, compiled into the binary.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::{Loader, fluent_bundle::FluentValue};

use super::confirm::Confirmation;
use super::lang::Lang;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Unicode isolation marks would show up in SMS text and attribute values.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A message with no arguments.
pub fn t(lang: Lang, id: &str) -> String {
    LOCALES.lookup(&lang.langid(), id)
}

/// A message with arguments; numbers select plural forms.
pub fn t_args(lang: Lang, id: &str, args: &[(&'static str, Arg)]) -> String {
    let map: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(k, v)| {
            let value = match v {
                Arg::Str(s) => FluentValue::from(s.clone()),
                Arg::Num(n) => FluentValue::from(*n),
            };
            (Cow::Borrowed(*k), value)
        })
        .collect();
    LOCALES.lookup_with_args(&lang.langid(), id, &map)
}

pub enum Arg {
    Str(String),
    Num(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Str(s.to_owned())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Str(s)
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Num(n)
    }
}

/// The SMS carrying a code: the localized sentence, then the WebOTP line that lets the phone
/// offer the code to the page on `host` (and only there).
pub fn sms_text(lang: Lang, sender: &str, code: &str, minutes: i64, host: &str) -> String {
    let body = t_args(
        lang,
        "sms-body",
        &[
            ("sender", sender.into()),
            ("code", code.into()),
            ("minutes", minutes.into()),
        ],
    );
    format!("{body}\n\n@{host} #{code}")
}

/// The SMS carrying a confirmation's code: the relying party's text with the code in place, or
/// the localized sentence naming amount and payee; the WebOTP line last when a page waits.
pub fn confirm_sms(
    lang: Lang,
    sender: &str,
    code: &str,
    minutes: i64,
    confirmation: &Confirmation,
    host: Option<&str>,
) -> String {
    let body = confirmation.text_with(code).unwrap_or_else(|| {
        t_args(
            lang,
            "sms-confirm",
            &[
                ("sender", sender.into()),
                ("code", code.into()),
                // A no-break space between thousands is not in GSM-7: in an SMS it would
                // turn the whole text into UCS-2, two or three times the segments.
                (
                    "amount",
                    confirmation
                        .display_amount(lang)
                        .replace(['\u{a0}', '\u{202f}'], " ")
                        .into(),
                ),
                ("payee", confirmation.payee.as_str().into()),
                ("minutes", minutes.into()),
            ],
        )
    });
    match host {
        Some(host) => format!("{body}\n\n@{host} #{code}"),
        None => body,
    }
}

/// The e-mail carrying a confirmation's code: subject and body.
pub fn confirm_email(
    lang: Lang,
    code: &str,
    minutes: i64,
    confirmation: &Confirmation,
) -> (String, String) {
    let body = confirmation.text_with(code).unwrap_or_else(|| {
        t_args(
            lang,
            "email-confirm-body",
            &[
                ("code", code.into()),
                ("amount", confirmation.display_amount(lang).into()),
                ("payee", confirmation.payee.as_str().into()),
                ("minutes", minutes.into()),
            ],
        )
    });
    (t(lang, "email-confirm-subject"), body)
}

/// The e-mail carrying a code for the sign-in page: subject and body.
pub fn email_text(lang: Lang, code: &str, minutes: i64) -> (String, String) {
    let body = t_args(
        lang,
        "email-body",
        &[("code", code.into()), ("minutes", minutes.into())],
    );
    (t(lang, "email-subject"), body)
}

/// A message an application asked for: its own body with `{0}` replaced by the code, or the
/// localized default.
pub fn app_text(lang: Lang, body: Option<&str>, code: &str) -> String {
    match body {
        Some(template) => template.replace("{0}", code),
        None => t_args(lang, "grant-otp-body", &[("code", code.into())]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_and_arguments_render_without_isolation_marks() {
        let one = t_args(Lang::En, "code-wrong", &[("remaining", 1.into())]);
        let many = t_args(Lang::En, "code-wrong", &[("remaining", 3.into())]);
        assert!(one.contains("one attempt"), "{one}");
        assert!(many.contains("3 attempts"), "{many}");
        assert!(!many.contains('\u{2068}'));
    }

    #[test]
    fn sms_ends_with_the_webotp_line() {
        let text = sms_text(Lang::En, "Acme", "123456", 5, "login.example.com");
        assert!(text.starts_with("Acme: 123456"), "{text}");
        assert!(text.ends_with("\n@login.example.com #123456"), "{text}");
    }
}
