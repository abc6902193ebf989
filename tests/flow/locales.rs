//! Every locale is complete and renders; the language is chosen in the documented order.

use std::collections::{BTreeMap, BTreeSet};

use idbroker::core::lang::Lang;
use idbroker::core::text;
use serde_json::json;

use crate::common::*;

/// Message ids and the variables each uses, read from a locale's `.ftl` file.
fn messages(lang: &str) -> BTreeMap<String, BTreeSet<String>> {
    let path = format!("{}/locales/{lang}/main.ftl", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current = None;
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !line.starts_with(' ') && !line.starts_with('}') {
            let (id, _) = line
                .split_once(" =")
                .unwrap_or_else(|| panic!("{path}: {line}"));
            out.insert(id.to_owned(), BTreeSet::new());
            current = Some(id.to_owned());
        }
        let vars = out.get_mut(current.as_ref().unwrap()).unwrap();
        for part in line.split('$').skip(1) {
            let name: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            vars.insert(name);
        }
    }
    out
}

#[test]
fn every_locale_has_every_message_with_the_same_variables() {
    let reference = messages("en");
    assert!(reference.len() > 30);
    for lang in Lang::ALL {
        let got = messages(lang.code());
        let missing: Vec<_> = reference.keys().filter(|k| !got.contains_key(*k)).collect();
        let extra: Vec<_> = got.keys().filter(|k| !reference.contains_key(*k)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{}: missing {missing:?}, extra {extra:?}",
            lang.code()
        );
        for (id, vars) in &reference {
            assert_eq!(&got[id], vars, "{}: variables of {id}", lang.code());
        }
    }
}

#[test]
fn every_message_resolves_in_every_locale() {
    let args = || {
        [
            "region",
            "phone",
            "remaining",
            "length",
            "seconds",
            "sender",
            "code",
            "minutes",
            "amount",
            "payee",
            "service",
            "title",
            "reference",
            "parameter",
            "time",
            "example",
        ]
        .map(|name| (name, text::Arg::from(2)))
    };
    for lang in Lang::ALL {
        for id in messages("en").keys() {
            let text = text::t_args(lang, id, &args());
            assert!(
                !text.is_empty() && !text.contains("Unknown localization"),
                "{}: {id}",
                lang.code()
            );
        }
    }
    // A translation, not the English fallback.
    assert_ne!(
        text::t(Lang::De, "phone-heading"),
        text::t(Lang::En, "phone-heading")
    );
}

fn escaped(s: &str) -> String {
    s.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

#[tokio::test]
async fn every_locale_renders_the_pages_and_the_sms() {
    let app = TestApp::start().await;
    for lang in Lang::ALL {
        let session = app.create(json!({"language": lang.code()})).await;
        let id = session["id"].as_str().unwrap();
        let browser = app.browser();
        let page = browser.get(&login(id)).await;
        assert_eq!(page.status, 200);
        assert!(
            page.body
                .contains(&format!("<html lang=\"{}\">", lang.code())),
            "{}",
            lang.code()
        );
        let heading = escaped(&text::t(lang, "phone-heading"));
        assert!(
            page.body.contains(&heading),
            "{}: {heading} not in page",
            lang.code()
        );
        // The switcher lists every language.
        for other in Lang::ALL {
            assert!(page.body.contains(other.native_name()));
        }
        browser
            .post(
                &format!("{}/phone", login(id)),
                &[("csrf", &page.csrf()), ("phone_number", PHONE)],
            )
            .await;
        let code_page = browser.get(&login(id)).await;
        assert!(
            code_page
                .body
                .contains(&escaped(&text::t(lang, "code-heading"))),
            "{}",
            lang.code()
        );
        let code = app.gateway().last_code();
        let expected = text::sms_text(lang, "Acme Bank", &code, 5, "127.0.0.1");
        assert_eq!(
            app.gateway().last()["challenge"],
            expected,
            "{}",
            lang.code()
        );
    }
}

#[tokio::test]
async fn language_comes_from_session_then_cookie_then_accept_language() {
    let app = TestApp::start().await;
    let html_lang = |body: &str| body.split("<html lang=\"").nth(1).unwrap()[..2].to_owned();

    // No session language: Accept-Language decides, q-values honoured.
    let session = app.create(json!({"language": null})).await;
    let id = session["id"].as_str().unwrap();
    let browser = app.browser();
    let page = browser
        .get_with(&login(id), ("accept-language", "xx, fi;q=0.5, sv;q=0.8"))
        .await;
    assert_eq!(html_lang(&page.body), "sv");
    // Nothing at all: English.
    assert_eq!(html_lang(&browser.get(&login(id)).await.body), "en");

    // The switcher sets the session's language and a cookie that later sessions use.
    let switched = browser.get(&format!("{}?lang=pl", login(id))).await;
    assert_eq!(html_lang(&switched.body), "pl");
    let cookie = switched
        .headers
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        cookie.starts_with("idb_lang=pl") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    assert_eq!(
        html_lang(
            &browser
                .get_with(&login(id), ("accept-language", "de"))
                .await
                .body
        ),
        "pl"
    );
    let next = app.create(json!({"language": null})).await;
    let next_page = browser
        .get_with(
            &login(next["id"].as_str().unwrap()),
            ("accept-language", "de"),
        )
        .await;
    assert_eq!(
        html_lang(&next_page.body),
        "pl",
        "cookie beats Accept-Language"
    );

    // The relying party's explicit language beats the cookie.
    let explicit = app.create(json!({"language": "it"})).await;
    let page = browser.get(&login(explicit["id"].as_str().unwrap())).await;
    assert_eq!(html_lang(&page.body), "it");
}

#[tokio::test]
async fn error_pages_follow_accept_language() {
    let app = TestApp::start().await;
    let page = app
        .browser()
        .get_with("/auth/login/nope", ("accept-language", "de-DE,de;q=0.9"))
        .await;
    assert_eq!(page.status, 404);
    assert!(page.body.contains("<html lang=\"de\">"));
    assert!(
        page.body
            .contains(&escaped(&text::t(Lang::De, "error-not-found")))
    );
}
