//! The SMS gateway Ubisecure documents: one GET to a URL template in which `{mobile}` and
//! `{challenge}` are replaced by the URL-encoded number and message text. HTTP 200 means sent;
//! anything else, a connection error or a timeout means not sent.

use std::time::Duration;

use async_trait::async_trait;
use time::OffsetDateTime;
use url::form_urlencoded::byte_serialize;

use crate::core::ports::{DeliveryError, Sms, SmsSender};

pub struct HttpGateway {
    template: String,
    client: reqwest::Client,
}

impl HttpGateway {
    pub fn new(template: &str, timeout: Duration) -> HttpGateway {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            // The template is the whole contract: a redirect to elsewhere is not a 200 from it.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a client with only timeouts set always builds");
        HttpGateway {
            template: template.to_owned(),
            client,
        }
    }

    /// The template with its placeholders filled; `{sender}` is our extension for gateways
    /// that take the sender name as a parameter.
    pub fn url(template: &str, sms: &Sms) -> String {
        let enc = |s: &str| byte_serialize(s.as_bytes()).collect::<String>();
        template
            .replace("{mobile}", &enc(&sms.to))
            .replace("{sender}", &enc(&sms.sender))
            .replace("{challenge}", &enc(&sms.text))
    }
}

#[async_trait]
impl SmsSender for HttpGateway {
    async fn send(&self, sms: &Sms, _now: OffsetDateTime) -> Result<(), DeliveryError> {
        let url = zeroize::Zeroizing::new(HttpGateway::url(&self.template, sms));
        let response = self.client.get(url.as_str()).send().await.map_err(|e| {
            if e.is_timeout() {
                DeliveryError::Timeout
            } else {
                // The error text can include the URL, which holds the code: keep only its kind.
                DeliveryError::Unreachable(
                    if e.is_connect() { "connect" } else { "request" }.into(),
                )
            }
        })?;
        match response.status().as_u16() {
            200 => Ok(()),
            status => Err(DeliveryError::Rejected(status)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_url_encoded() {
        let sms = Sms {
            to: "+447700900123".into(),
            sender: "Acme AS".into(),
            text: zeroize::Zeroizing::new("Code 123456 & more\n@h #123456".into()),
        };
        let url = HttpGateway::url(
            "https://gw.example/send?to={mobile}&from={sender}&msg={challenge}",
            &sms,
        );
        assert_eq!(
            url,
            "https://gw.example/send?to=%2B447700900123&from=Acme+AS&msg=Code+123456+%26+more%0A%40h+%23123456"
        );
    }
}
