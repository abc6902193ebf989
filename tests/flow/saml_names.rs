//! SAML SPs named on the pages by their own metadata (`mdui:DisplayName`, in the page's
//! language, else English) when their configured branding names them not; configured names win.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use idbroker::config::{Branding, Secret};

use crate::common::*;

const ADMIN: &str = "names-admin-token-names-admin-token-0001";
const DECLARED: &str = "https://council.example/sp";
const CONFIGURED: &str = "https://shop.example/sp";
const IMPOSTOR: &str = "https://impostor.example/sp";

/// Metadata with display names in English, German and (with markup, a direction override and
/// a line break) Dutch; an SP whose requests are not signed.
fn metadata(entity: &str) -> String {
    format!(
        r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:mdui="urn:oasis:names:tc:SAML:metadata:ui" entityID="{entity}">
  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:Extensions>
      <mdui:UIInfo>
        <mdui:DisplayName xml:lang="en">Example Council</mdui:DisplayName>
        <mdui:DisplayName xml:lang="de">Beispielstadt</mdui:DisplayName>
        <mdui:DisplayName xml:lang="nl">&lt;b&gt;Raad&lt;/b&gt;&#x202E;
          Voorbeeld</mdui:DisplayName>
      </mdui:UIInfo>
    </md:Extensions>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{entity}/acs" index="0" isDefault="true"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>"#
    )
}

/// Starts a SAML login for `entity` and opens its first page asking for `language`.
async fn first_page(app: &TestApp, entity: &str, language: &str) -> Page {
    let now = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let id = format!("_{}", uuid::Uuid::new_v4().simple());
    let request = format!(
        r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" IssueInstant="{now}" Destination="{dest}"><saml:Issuer>{entity}</saml:Issuer></samlp:AuthnRequest>"#,
        dest = app.url("/auth/saml/login"),
    );
    let browser = app.browser();
    let started = browser
        .post(
            "/auth/saml/login",
            &[
                ("SAMLRequest", &STANDARD.encode(request)),
                ("RelayState", "r"),
            ],
        )
        .await;
    assert_eq!(started.status, 303, "{}", started.body);
    let page = browser
        .get_with(
            &started.location_path(&app.base),
            ("accept-language", language),
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    page
}

#[tokio::test]
async fn an_sp_is_named_by_its_metadata_unless_configured() {
    let app = TestApp::with(|c| {
        c.saml.admin_token = Some(Secret::new(ADMIN));
        c.saml.branding.insert(
            CONFIGURED.into(),
            Branding {
                display_name: Some("Configured Shop".into()),
                ..Branding::default()
            },
        );
    })
    .await;
    for body in [
        metadata(DECLARED),
        metadata(CONFIGURED),
        // Its English name is the one the operator gave another service, but for case and a
        // Cyrillic "о" and "р".
        metadata(IMPOSTOR).replace("Example Council", "c\u{43e}nfigured SH\u{41e}\u{420}"),
    ] {
        let (status, answer) = app.upload_sp(ADMIN, body).await;
        assert_eq!(status, 201, "{answer}");
    }

    for (language, expected) in [
        ("en", "Sign in to Example Council"),
        ("de", "Bei Beispielstadt anmelden"),
        // No French name: the English one.
        ("fr", "Connexion à Example Council"),
    ] {
        let page = first_page(&app, DECLARED, language).await;
        assert_eq!(title(&page), expected, "{language}");
        assert!(page.body.contains(&format!("<html lang=\"{language}\">")));
    }

    // Untrusted text: the override and the line break are gone, the markup is shown as text.
    let dutch = first_page(&app, DECLARED, "nl").await;
    assert!(!dutch.body.contains("<b>") && !dutch.body.contains('\u{202e}'));
    assert_eq!(
        title(&dutch),
        "Inloggen bij &#60;b&#62;Raad&#60;/b&#62; Voorbeeld"
    );

    for (language, expected) in [
        ("en", "Sign in to Configured Shop"),
        ("de", "Bei Configured Shop anmelden"),
    ] {
        let page = first_page(&app, CONFIGURED, language).await;
        assert_eq!(title(&page), expected, "{language}");
        assert!(!page.body.contains("Example Council") && !page.body.contains("Beispielstadt"));
    }

    // An SP cannot take a configured service's name; its other names stand.
    let impostor = first_page(&app, IMPOSTOR, "en").await;
    assert_eq!(title(&impostor), "Sign in");
    let impostor_de = first_page(&app, IMPOSTOR, "de").await;
    assert_eq!(title(&impostor_de), "Bei Beispielstadt anmelden");
}

fn title(page: &Page) -> &str {
    let start = page.body.find("<title>").expect("a title") + "<title>".len();
    let end = page.body[start..].find("</title>").unwrap();
    &page.body[start..start + end]
}
