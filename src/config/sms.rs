//! `[sms]`: the SMS gateway (an HTTP URL template) or the dev outbox.

use serde::{Deserialize, Serialize};
use url::Url;

use super::Config;
use super::server::OUTBOX_RULE;
use crate::core::phone::PhonePolicy;
use crate::core::rules::{SENDER_RULE, valid_sender};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmsKind {
    Http,
    Outbox,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Sms {
    pub kind: SmsKind,
    pub url: Option<String>,
    pub sender: String,
    pub timeout_secs: u32,
    pub default_region: String,
}

impl Default for Sms {
    fn default() -> Self {
        Sms {
            kind: SmsKind::Http,
            url: None,
            sender: "idbroker".into(),
            timeout_secs: 5,
            default_region: "GB".into(),
        }
    }
}

impl Sms {
    pub(super) fn check(&self, config: &Config, err: &mut impl FnMut(&str, String)) {
        match (self.kind, &self.url) {
            (SmsKind::Http, None) => err("sms.url", "is required when sms.kind = \"http\"".into()),
            (SmsKind::Http, Some(template)) => {
                if let Err(why) = check_gateway_template(template) {
                    err("sms.url", why);
                }
            }
            (SmsKind::Outbox, Some(_)) => err(
                "sms.url",
                "must not be set when sms.kind = \"outbox\"".into(),
            ),
            (SmsKind::Outbox, None) => {}
        }
        if self.kind == SmsKind::Outbox && !config.server.outbox_allowed() {
            err("sms.kind", OUTBOX_RULE.into());
        }
        if !valid_sender(&self.sender) {
            err("sms.sender", SENDER_RULE.into());
        }
        if !(1..=60).contains(&self.timeout_secs) {
            err("sms.timeout_secs", "must be between 1 and 60".into());
        }
        if PhonePolicy::new(&self.default_region).is_none() {
            err(
                "sms.default_region",
                "must be a two-letter region code such as GB, NO or SE".into(),
            );
        }
    }
}

fn check_gateway_template(template: &str) -> Result<(), String> {
    for needed in ["{mobile}", "{challenge}"] {
        if !template.contains(needed) {
            return Err(format!("must contain {needed}"));
        }
    }
    let sample = template
        .replace("{mobile}", "1")
        .replace("{challenge}", "1")
        .replace("{sender}", "1");
    match Url::parse(&sample) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => Ok(()),
        _ => Err("must be an http(s) URL template such as https://gw.example/send?to={mobile}&text={challenge}".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sender_names() {
        assert!(valid_sender("Signicat AS"));
        assert!(!valid_sender("Signicat ASA"));
        assert!(!valid_sender("A\n@evil #1"));
        assert!(!valid_sender(""));
    }

    #[test]
    fn gateway_template() {
        assert!(check_gateway_template("https://gw/send?to={mobile}&m={challenge}").is_ok());
        assert!(check_gateway_template("https://gw/send?to={mobile}").is_err());
        assert!(check_gateway_template("ftp://gw/{mobile}/{challenge}").is_err());
    }
}
