//! The SAML front door, with an independent service provider (pysaml2, run by `make test`)
//! creating the requests and validating the responses, and hand-made hostile requests.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use idbroker::config::Secret;
use serde_json::Value;

use crate::common::*;

const ADMIN: &str = "admin-token-admin-token-admin-token-0001";
const SP_ENTITY: &str = "https://sp.example/saml";
const SP_ACS: &str = "https://sp.example/saml/acs";

fn python() -> PathBuf {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    assert!(
        venv.exists(),
        "the SAML interop tests need pysaml2: run `make test` (it creates .venv)"
    );
    venv
}

/// Runs the pysaml2 SP with `args`; returns its JSON answer.
fn sp(workdir: &Path, args: &[&str]) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/saml/sp.py");
    let out = Command::new(python())
        .arg(script)
        .args(args)
        .args([
            "--workdir",
            workdir.to_str().unwrap(),
            "--entity",
            SP_ENTITY,
            "--acs",
            SP_ACS,
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "pysaml2 failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout).unwrap()
}

struct Sp {
    dir: tempfile::TempDir,
    app: TestApp,
}

impl Sp {
    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn idp_metadata(&self) -> String {
        self.path().join("idp.xml").to_str().unwrap().to_owned()
    }

    /// pysaml2's verdict on a Response delivered by POST to the request it made.
    fn check_post_response(&self, request: &Value, saml_response: &str) -> Value {
        sp(
            self.path(),
            &[
                "response",
                "--binding",
                "post",
                "--idp-metadata",
                &self.idp_metadata(),
                "--request-id",
                request["request_id"].as_str().unwrap(),
                "--saml-response",
                saml_response,
            ],
        )
    }
}

/// A broker with the pysaml2 SP registered through the admin API.
async fn setup(acs_binding: &str, sign_requests: bool) -> Sp {
    setup_with(acs_binding, sign_requests, |_| {}).await
}

async fn setup_with(
    acs_binding: &str,
    sign_requests: bool,
    edit: impl FnOnce(&mut idbroker::config::Config),
) -> Sp {
    let app = TestApp::with(|c| {
        c.saml.admin_token = Some(Secret::new(ADMIN));
        edit(c);
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let key =
        idbroker::saml::idp_key::IdpKey::load_or_create(&dir.path().join("sp.pem"), "sp.example")
            .unwrap();
    std::fs::write(
        dir.path().join("sp.key"),
        key.key.private_key_to_pem_pkcs8().unwrap(),
    )
    .unwrap();
    std::fs::write(dir.path().join("sp.crt"), key.cert.to_pem().unwrap()).unwrap();
    let mut args = vec!["metadata", "--acs-binding", acs_binding];
    if sign_requests {
        args.push("--sign-requests");
    }
    let metadata = sp(dir.path(), &args)["xml"].as_str().unwrap().to_owned();
    let (status, answer) = app.upload_sp(ADMIN, metadata).await;
    assert_eq!(status, 201, "{answer}");
    let idp = app
        .api
        .get(app.url("/auth/saml/metadata"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    std::fs::write(dir.path().join("idp.xml"), idp).unwrap();
    Sp { dir, app }
}

/// Hidden form fields of an auto-posting page.
fn hidden(body: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body.find(&marker)? + marker.len();
    let raw = body[start..].split('"').next()?;
    Some(
        raw.replace("&#43;", "+")
            .replace("&#47;", "/")
            .replace("&#61;", "=")
            .replace("&#34;", "\"")
            .replace("&#39;", "'")
            .replace("&#60;", "<")
            .replace("&#62;", ">")
            .replace("&amp;", "&")
            .replace("&#38;", "&"),
    )
}

/// Completes the OTP pages after the SSO endpoint answered with a redirect to them.
async fn otp_login(app: &TestApp, browser: &Browser, start: &Page) -> Page {
    assert_eq!(start.status, 303, "{}", start.body);
    let login_path = start.location_path(&app.base);
    assert!(login_path.starts_with("/auth/login/"), "{login_path}");
    let page = browser.get(&login_path).await;
    let csrf = page.csrf();
    browser
        .post(
            &format!("{login_path}/phone"),
            &[("csrf", &csrf), ("phone_number", PHONE)],
        )
        .await;
    let code = app.gateway().last_code();
    browser
        .post(
            &format!("{login_path}/otp"),
            &[("csrf", &csrf), ("otp", &code)],
        )
        .await
}

#[tokio::test]
async fn pysaml2_logs_in_with_a_signed_redirect_request() {
    let sp_ = setup("post", true).await;
    let app = &sp_.app;
    let request = sp(
        sp_.path(),
        &[
            "request",
            "--binding",
            "redirect",
            "--sign-requests",
            "--idp-metadata",
            &sp_.idp_metadata(),
        ],
    );
    let url = request["url"].as_str().unwrap();
    assert!(
        url.starts_with(&app.url("/auth/saml/login?")) && url.contains("Signature="),
        "{url}"
    );
    let browser = app.browser();
    let done = otp_login(app, &browser, &browser.get(url).await).await;
    assert_eq!(done.status, 200);
    assert!(done.body.contains(&format!("action=\"{SP_ACS}\"")));
    let saml_response = hidden(&done.body, "SAMLResponse").unwrap();
    assert_eq!(
        hidden(&done.body, "RelayState").as_deref(),
        Some("rs-42/ä&x"),
        "RelayState comes back byte-identical"
    );
    let xml = String::from_utf8(STANDARD.decode(&saml_response).unwrap()).unwrap();
    assert_eq!(
        xml.matches("<ds:SignatureValue>").count(),
        2,
        "assertion and response signed"
    );
    assert!(
        xml.contains("rsa-sha256") && xml.contains("xmlenc#sha256") && !xml.contains("rsa-sha1")
    );

    let checked = sp_.check_post_response(&request, &saml_response);
    assert_eq!(checked["issuer"], app.url("/auth/saml"));
    assert_eq!(checked["in_response_to"], request["request_id"]);
    assert_eq!(checked["audience"], serde_json::json!([SP_ENTITY]));
    assert_eq!(checked["name_qualifier"], "otp-sms");
    assert_eq!(checked["attributes"]["idpId"], serde_json::json!([PHONE]));
    assert_eq!(
        checked["attributes"]["phoneNumber"],
        serde_json::json!([PHONE])
    );
    // NameID is the same opaque subject as the REST API's and OIDC's.
    let flow = Flow::to_code(app).await;
    flow.code(&app.gateway().last_code()).await;
    assert_eq!(
        app.session(&flow.id).await["subject"]["id"],
        checked["name_id"]
    );
}

#[tokio::test]
async fn pysaml2_logs_in_with_a_post_request_and_a_redirect_response() {
    let sp_ = setup("redirect", false).await;
    let app = &sp_.app;
    let request = sp(
        sp_.path(),
        &[
            "request",
            "--binding",
            "post",
            "--acs-binding",
            "redirect",
            "--idp-metadata",
            &sp_.idp_metadata(),
        ],
    );
    let html = request["html"].as_str().unwrap();
    let saml_request = hidden(html, "SAMLRequest").unwrap();
    let relay = hidden(html, "RelayState").unwrap();
    let browser = app.browser();
    let start = browser
        .post(
            "/auth/saml/login",
            &[("SAMLRequest", &saml_request), ("RelayState", &relay)],
        )
        .await;
    let done = otp_login(app, &browser, &start).await;
    assert_eq!(done.status, 303);
    let location = done.location.unwrap();
    assert!(
        location.starts_with(&format!("{SP_ACS}?SAMLResponse=")),
        "{location}"
    );
    let query = location.split_once('?').unwrap().1;
    let checked = sp(
        sp_.path(),
        &[
            "response",
            "--binding",
            "redirect",
            "--acs-binding",
            "redirect",
            "--idp-metadata",
            &sp_.idp_metadata(),
            "--request-id",
            request["request_id"].as_str().unwrap(),
            "--query",
            query,
        ],
    );
    assert_eq!(
        checked["attributes"]["phoneNumber"],
        serde_json::json!([PHONE])
    );
    assert_eq!(checked["relay_state"], "rs-42/ä&x");
}

#[tokio::test]
async fn pysaml2_signed_post_requests_verify_and_sha1_is_refused() {
    let sp_ = setup("post", true).await;
    let app = &sp_.app;
    let browser = app.browser();
    let metadata = sp_.idp_metadata();
    let request = sp(
        sp_.path(),
        &[
            "request",
            "--binding",
            "post",
            "--sign-requests",
            "--idp-metadata",
            &metadata,
        ],
    );
    let html = request["html"].as_str().unwrap();
    let xml = String::from_utf8(
        STANDARD
            .decode(hidden(html, "SAMLRequest").unwrap())
            .unwrap(),
    )
    .unwrap();
    assert!(xml.contains("SignatureValue"), "pysaml2 signed the request");
    let start = browser
        .post(
            "/auth/saml/login",
            &[
                ("SAMLRequest", &hidden(html, "SAMLRequest").unwrap()),
                ("RelayState", &hidden(html, "RelayState").unwrap()),
            ],
        )
        .await;
    assert_eq!(start.status, 303, "{}", start.body);
    for binding in ["post", "redirect"] {
        let request = sp(
            sp_.path(),
            &[
                "request",
                "--binding",
                binding,
                "--sign-requests",
                "--sha1",
                "--idp-metadata",
                &sp_.idp_metadata(),
            ],
        );
        let page = match binding {
            "post" => {
                let html = request["html"].as_str().unwrap();
                browser
                    .post(
                        "/auth/saml/login",
                        &[("SAMLRequest", &hidden(html, "SAMLRequest").unwrap())],
                    )
                    .await
            }
            _ => browser.get(request["url"].as_str().unwrap()).await,
        };
        assert_eq!(page.status, 400, "SHA-1 by {binding}");
    }
}

#[tokio::test]
async fn bad_signed_requests_get_a_local_error_and_no_response() {
    let sp_ = setup("post", true).await;
    let app = &sp_.app;
    let browser = app.browser();
    let fresh = || {
        sp(
            sp_.path(),
            &[
                "request",
                "--binding",
                "redirect",
                "--sign-requests",
                "--idp-metadata",
                &sp_.idp_metadata(),
            ],
        )["url"]
            .as_str()
            .unwrap()
            .to_owned()
    };

    // Unsigned where the SP's metadata says AuthnRequestsSigned.
    let url = fresh();
    let unsigned: String = url
        .split('&')
        .filter(|p| !p.starts_with("Signature=") && !p.starts_with("SigAlg="))
        .collect::<Vec<_>>()
        .join("&");
    // Tampered signature.
    let url2 = fresh();
    let (head, signature) = url2.split_once("Signature=").unwrap();
    let flipped = if signature.starts_with('A') {
        signature.replacen('A', "B", 1)
    } else {
        format!("A{}", &signature[1..])
    };
    let tampered = format!("{head}Signature={flipped}");
    for bad in [unsigned, tampered] {
        let page = browser.get(&bad).await;
        assert_eq!(page.status, 400, "{bad}");
        assert!(page.location.is_none());
        assert!(!page.body.contains("SAMLResponse"));
    }
    // A replayed request is refused the second time.
    let url = fresh();
    assert_eq!(browser.get(&url).await.status, 303);
    assert_eq!(browser.get(&url).await.status, 400);
}

/// A hand-made AuthnRequest from the pysaml2 SP (which then signs nothing).
fn request_xml(app: &TestApp, id: &str, extra_attrs: &str, body: &str) -> String {
    let now = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    format!(
        r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" IssueInstant="{now}" Destination="{dest}" {extra_attrs}><saml:Issuer>{SP_ENTITY}</saml:Issuer>{body}</samlp:AuthnRequest>"#,
        dest = app.url("/auth/saml/login"),
    )
}

async fn post_request(browser: &Browser, xml: &str) -> Page {
    browser
        .post(
            "/auth/saml/login",
            &[("SAMLRequest", &STANDARD.encode(xml)), ("RelayState", "r")],
        )
        .await
}

#[tokio::test]
async fn hostile_and_misdirected_requests_are_refused() {
    let sp_ = setup("post", false).await;
    let app = &sp_.app;
    let browser = app.browser();
    let other_acs = r#"AssertionConsumerServiceURL="https://evil.example/acs""#;
    let cases = [
        request_xml(app, "_a1", other_acs, ""),
        request_xml(app, "_a2", r#"AssertionConsumerServiceIndex="7""#, ""),
        request_xml(app, "_a3", "", "").replace(SP_ENTITY, "https://unknown.example/sp"),
        request_xml(app, "_a4", "", "").replace(
            &app.url("/auth/saml/login"),
            "https://elsewhere.example/sso",
        ),
        format!(
            r#"<!DOCTYPE r [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>{}"#,
            request_xml(app, "_a5", "", "")
        ),
        request_xml(app, "_a6", "", "").replace("IssueInstant=\"", "IssueInstant=\"2001"),
        "<notxml".to_owned(),
    ];
    for xml in cases {
        let page = post_request(&browser, &xml).await;
        assert_eq!(page.status, 400, "{xml}");
        assert!(
            page.location.is_none() && !page.body.contains("SAMLResponse"),
            "{xml}"
        );
    }
    // A deflate bomb by the Redirect binding is cut off, not inflated.
    use std::io::Write;
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&vec![b' '; 32 * 1024 * 1024]).unwrap();
    let bomb = STANDARD.encode(encoder.finish().unwrap());
    let url = format!(
        "/auth/saml/login?SAMLRequest={}",
        url::form_urlencoded::byte_serialize(bomb.as_bytes()).collect::<String>()
    );
    assert_eq!(browser.get(&url).await.status, 400);
    // A good unsigned request from the same SP works (this SP does not require signing).
    let ok = post_request(&browser, &request_xml(app, "_ok", "", "")).await;
    assert_eq!(ok.status, 303);
}

/// Signature wrapping: a request the SP really signed, tucked inside a forged outer request.
/// The signature verifies, but it does not cover the document's root.
#[tokio::test]
async fn a_signature_over_an_inner_element_is_refused() {
    let sp_ = setup("post", true).await;
    let app = &sp_.app;
    let key = std::fs::read(sp_.path().join("sp.key")).unwrap();
    let key_der = openssl::pkey::PKey::private_key_from_pem(&key)
        .unwrap()
        .private_key_to_pkcs8()
        .unwrap();
    let template = r##"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#_inner"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue></ds:SignatureValue></ds:Signature>"##;
    let inner = request_xml(app, "_inner", "", "")
        .replace("</saml:Issuer>", &format!("</saml:Issuer>{template}"));
    use samael::crypto::CryptoProvider;
    let signed_inner = samael::crypto::Crypto::sign_xml(inner.as_bytes(), &key_der).expect("signs");
    let signed_inner = signed_inner
        .split_once("?>")
        .map_or(signed_inner.as_str(), |(_, rest)| rest)
        .trim();
    let wrapped = request_xml(
        app,
        "_outer",
        "",
        &format!(
            "<samlp:Extensions>{}</samlp:Extensions>",
            signed_inner
                .replace("_inner\"", "_inner\" ")
                .replace("ID=\"_inner\" ", "ID=\"_inner\"")
        ),
    );
    let page = post_request(&app.browser(), &wrapped).await;
    assert_eq!(page.status, 400);
    assert!(page.location.is_none());
}

#[tokio::test]
async fn extensions_set_language_and_sender_and_passive_gets_no_passive() {
    let sp_ = setup("post", false).await;
    let app = &sp_.app;
    let browser = app.browser();
    let extensions = r#"<samlp:Extensions><req-attr:RequestedAttributes xmlns:req-attr="urn:oasis:names:tc:SAML:protocol:ext:req-attr"><md:RequestedAttribute xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" Name="signicat:param:language" isRequired="true"><saml:AttributeValue>el</saml:AttributeValue></md:RequestedAttribute><md:RequestedAttribute xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" Name="signicat:param:otp_sms_sender" isRequired="true"><saml:AttributeValue>Signicat AS</saml:AttributeValue></md:RequestedAttribute><md:RequestedAttribute xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" Name="phoneNumber"/></req-attr:RequestedAttributes></samlp:Extensions>"#;
    let start = post_request(&browser, &request_xml(app, "_ext", "", extensions)).await;
    let login_path = start.location_path(&app.base);
    let page = browser.get(&login_path).await;
    assert!(page.body.contains("<html lang=\"el\">"));
    let csrf = page.csrf();
    browser
        .post(
            &format!("{login_path}/phone"),
            &[("csrf", &csrf), ("phone_number", PHONE)],
        )
        .await;
    assert_eq!(app.gateway().last()["from"], "Signicat AS");
    let code = app.gateway().last_code();
    let done = browser
        .post(
            &format!("{login_path}/otp"),
            &[("csrf", &csrf), ("otp", &code)],
        )
        .await;
    let xml = String::from_utf8(
        STANDARD
            .decode(hidden(&done.body, "SAMLResponse").unwrap())
            .unwrap(),
    )
    .unwrap();
    assert!(xml.contains(r#"<saml2:Attribute Name="phoneNumber">"#));
    assert!(
        !xml.contains(r#"Name="idpId""#),
        "only the requested attribute is released"
    );
    assert!(xml.contains("<saml2:AuthnContextClassRef>substantial</saml2:AuthnContextClassRef>"));
    assert!(xml.contains("<saml2:AuthenticatingAuthority>otp-sms</saml2:AuthenticatingAuthority>"));

    let passive = post_request(
        &browser,
        &request_xml(app, "_passive", r#"IsPassive="true""#, ""),
    )
    .await;
    assert_eq!(passive.status, 200);
    let xml = String::from_utf8(
        STANDARD
            .decode(hidden(&passive.body, "SAMLResponse").unwrap())
            .unwrap(),
    )
    .unwrap();
    assert!(
        xml.contains("urn:oasis:names:tc:SAML:2.0:status:NoPassive"),
        "{xml}"
    );
    assert!(xml.contains("<ds:SignatureValue>"));
}

#[tokio::test]
async fn cancelling_answers_authn_failed() {
    let sp_ = setup("post", false).await;
    let app = &sp_.app;
    let browser = app.browser();
    let start = post_request(&browser, &request_xml(app, "_cancel", "", "")).await;
    let login_path = start.location_path(&app.base);
    let page = browser.get(&login_path).await;
    browser
        .post(&format!("{login_path}/cancel"), &[("csrf", &page.csrf())])
        .await;
    let answer = onward(&browser, &login_path).await;
    let xml = String::from_utf8(
        STANDARD
            .decode(hidden(&answer.body, "SAMLResponse").unwrap())
            .unwrap(),
    )
    .unwrap();
    assert!(
        xml.contains("status:Responder") && xml.contains("status:AuthnFailed"),
        "{xml}"
    );
    assert_eq!(hidden(&answer.body, "RelayState").as_deref(), Some("r"));
}

#[tokio::test]
async fn metadata_uploads_are_checked_and_guarded() {
    let sp_ = setup("post", true).await;
    let app = &sp_.app;
    let upload = |token: &'static str, body: String| {
        app.api
            .post(app.url("/admin/saml/sps"))
            .bearer_auth(token)
            .body(body)
            .send()
    };
    let good = sp(sp_.path(), &["metadata"])["xml"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        upload("wrong-token", good.clone()).await.unwrap().status(),
        401
    );
    let duplicate = upload(ADMIN, good.clone()).await.unwrap();
    assert_eq!(duplicate.status(), 400);
    assert!(
        duplicate
            .text()
            .await
            .unwrap()
            .contains("already registered")
    );
    for (bad, why) in [
        (
            good.replace(SP_ACS, "http://sp.example/acs")
                .replace(SP_ENTITY, "https://two.example/sp"),
            "https",
        ),
        (
            good.replace(SP_ACS, "javascript:alert(1)")
                .replace(SP_ENTITY, "https://three.example/sp"),
            "https",
        ),
        (
            format!(
                "<!DOCTYPE x>{}",
                good.replace(SP_ENTITY, "https://four.example/sp")
            ),
            "DOCTYPE",
        ),
        ("<nonsense/>".to_owned(), "EntityDescriptor"),
    ] {
        let response = upload(ADMIN, bad).await.unwrap();
        assert_eq!(response.status(), 400);
        assert!(response.text().await.unwrap().contains(why), "{why}");
    }
    // Larger than the general body limit, within the metadata limit: read, then judged as XML.
    let padded = format!(
        "{}<!-- {} -->",
        good.replace(SP_ENTITY, "https://five.example/sp"),
        "x".repeat(100 * 1024)
    );
    let response = upload(ADMIN, padded).await.unwrap();
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    // Over the metadata limit: 413 problem JSON.
    let huge = upload(ADMIN, "x".repeat(300 * 1024)).await.unwrap();
    assert_eq!(huge.status(), 413);
    assert_eq!(huge.headers()["content-type"], "application/problem+json");
    let listed: Value = app
        .api
        .get(app.url("/admin/saml/sps"))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        listed["serviceProviders"],
        serde_json::json!(["https://five.example/sp", SP_ENTITY])
    );
    // Without an admin token configured, the endpoint does not exist.
    let plain = TestApp::start().await;
    assert_eq!(plain.upload_sp(ADMIN, good).await.0, 404);
}

#[tokio::test]
async fn idp_metadata_matches_the_snapshot() {
    let app = TestApp::start().await;
    let response = app
        .api
        .get(app.url("/auth/saml/metadata"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["content-type"],
        "application/samlmetadata+xml"
    );
    let xml = response.text().await.unwrap();
    let cert = xml
        .split("<ds:X509Certificate>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap();
    let stable = xml
        .replace(cert, "CERTIFICATE")
        .replace(&app.base, "https://id.example");
    insta::assert_snapshot!("idp_metadata", stable);
}

#[tokio::test]
async fn the_demo_page_runs_a_saml_login() {
    let app = TestApp::dev_defaults().await;
    let browser = app.browser();
    let start = browser
        .post("/demo/saml/start", &[("language", "da")])
        .await;
    assert_eq!(start.status, 200);
    let request = hidden(&start.body, "SAMLRequest").unwrap();
    let at_idp = browser
        .post(
            "/auth/saml/login",
            &[("SAMLRequest", &request), ("RelayState", "demo")],
        )
        .await;
    let login_path = at_idp.location_path(&app.base);
    let choice = browser.get(&login_path).await;
    assert!(choice.body.contains("<html lang=\"da\">"));
    let csrf = choice.csrf();
    browser
        .post(
            &format!("{login_path}/provider"),
            &[("csrf", &csrf), ("provider", "otp-sms")],
        )
        .await;
    browser
        .post(
            &format!("{login_path}/phone"),
            &[("csrf", &csrf), ("phone_number", "+47 412 34 567")],
        )
        .await;
    let code = code_of(app.outbox().await[0]["text"].as_str().unwrap());
    let done = browser
        .post(
            &format!("{login_path}/otp"),
            &[("csrf", &csrf), ("otp", &code)],
        )
        .await;
    assert!(
        done.body
            .contains(&format!("action=\"{}\"", app.url("/demo/saml/acs")))
    );
    let response = hidden(&done.body, "SAMLResponse").unwrap();
    let shown = browser
        .post(
            "/demo/saml/acs",
            &[("SAMLResponse", &response), ("RelayState", "demo")],
        )
        .await;
    assert!(shown.body.contains("SUCCESS (SAML)"), "{}", shown.body);
    assert!(shown.body.contains("+4741234567"));
}

#[tokio::test]
async fn a_saml_login_started_on_one_instance_completes_on_another() {
    let redis = RedisServer::start().await;
    let url = redis.url.clone();
    let sp_ = setup_with("post", true, |c| {
        c.store.kind = idbroker::config::StoreKind::Redis;
        c.store.url = Some(url);
    })
    .await;
    let a = &sp_.app;
    // The second instance reads the uploaded metadata from the shared folder at start.
    let b = a.sibling().await;
    let request = sp(
        sp_.path(),
        &[
            "request",
            "--binding",
            "redirect",
            "--sign-requests",
            "--idp-metadata",
            &sp_.idp_metadata(),
        ],
    );
    let url = request["url"].as_str().unwrap().to_owned();
    let browser = a.browser();
    let start = browser.get(&url).await;
    assert_eq!(start.status, 303);
    let login_path = start.location_path(&a.base);
    let done = login_across(&browser, &login_path, a, &b).await;
    let response = hidden(&done.body, "SAMLResponse").expect("a response from the second instance");
    let checked = sp_.check_post_response(&request, &response);
    assert_eq!(
        checked["attributes"]["phoneNumber"],
        serde_json::json!([PHONE])
    );
    // The request's ID was seen on A; B refuses the replay.
    let replay = url.replacen(&a.base, &b.base, 1);
    assert_eq!(browser.get(&replay).await.status, 400);
    // Both publish the same IdP metadata (entity, endpoints, certificate).
    let on_a = browser.get(&a.url(idbroker::saml::METADATA_PATH)).await;
    let on_b = browser.get(&b.url(idbroker::saml::METADATA_PATH)).await;
    assert_eq!(on_a.status, 200);
    assert!(on_a.body.contains("X509Certificate"));
    assert_eq!(on_a.body, on_b.body);
}

/// A SAML login meets the same limits as every other door: the second code to one number
/// within the window is refused on the page with 429 and `Retry-After`, and nothing reaches
/// the gateway or the SP.
#[tokio::test]
async fn a_saml_login_is_held_to_the_same_limits() {
    let sp_ = setup_with("post", false, |c| {
        c.limits = idbroker::config::Limits::default();
        c.limits.sends_per_identifier_per_10min = 1;
    })
    .await;
    let app = &sp_.app;
    let mut answers = Vec::new();
    for id in ["_limit1", "_limit2"] {
        let browser = app.browser();
        let start = post_request(&browser, &request_xml(app, id, "", "")).await;
        assert_eq!(start.status, 303, "{}", start.body);
        let path = start.location_path(&app.base);
        let csrf = browser.get(&path).await.csrf();
        answers.push(
            browser
                .post(
                    &format!("{path}/phone"),
                    &[("csrf", &csrf), ("phone_number", PHONE)],
                )
                .await,
        );
        app.advance(31);
    }
    assert_eq!(answers[0].status, 303);
    let refused = &answers[1];
    assert_eq!(refused.status, 429);
    let retry: i64 = refused.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(retry, 600 - 31);
    assert!(
        refused
            .body
            .contains("Too many attempts. Try again in 10 minutes.")
    );
    assert!(!refused.body.contains("SAMLResponse"));
    assert_eq!(app.gateway().count(), 1);
}

/// An XPath transform in an enveloped signature, over many elements: xmlsec would evaluate it
/// (cubic in the elements here) before it looked at the signature value. The request is not
/// even signed; only the SP's entityID is real. It is refused before xmlsec sees it.
#[tokio::test]
async fn an_xpath_transform_is_refused_without_being_evaluated() {
    let sp_ = setup("post", false).await;
    let app = &sp_.app;
    let filler: String = (0..600).map(|i| format!("<x n=\"{i}\"/>")).collect();
    let signature = r##"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#_xpath"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><ds:XPath>count(//*[count(//*[count(//*) &gt; 0]) &gt; 0]) &gt; 0</ds:XPath></ds:Transform></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>AAAA</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>"##;
    let xml = request_xml(
        app,
        "_xpath",
        "",
        &format!("{signature}<samlp:Extensions>{filler}</samlp:Extensions>"),
    );
    let started = std::time::Instant::now();
    let page = post_request(&app.browser(), &xml).await;
    let took = started.elapsed();
    assert_eq!(page.status, 400);
    assert!(!page.body.contains("SAMLResponse"));
    // Evaluated, this costs seconds of CPU; refused unread, a few milliseconds.
    assert!(took < std::time::Duration::from_secs(3), "{took:?}");
}

/// SAML profiles §4.1.4.1: the Response goes to an ACS of the binding the request names.
#[tokio::test]
async fn the_acs_is_chosen_by_binding_too() {
    let sp_ = setup("post", false).await;
    let app = &sp_.app;
    let browser = app.browser();
    let binding = |id: &str, binding: &str| {
        request_xml(
            app,
            id,
            &format!(r#"ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:{binding}""#),
            "",
        )
    };
    // This SP has only an HTTP-POST ACS.
    for (id, name) in [("_pb1", "HTTP-Redirect"), ("_pb2", "HTTP-Artifact")] {
        let page = post_request(&browser, &binding(id, name)).await;
        assert_eq!(page.status, 400, "{name}");
        assert!(page.location.is_none());
    }
    let ok = post_request(&browser, &binding("_pb3", "HTTP-POST")).await;
    assert_eq!(ok.status, 303);
}

/// A Redirect-binding query signed with the SP's key, over `xml` exactly as given.
fn signed_redirect(sp_: &Sp, xml: &str) -> String {
    use std::io::Write;
    let mut deflate = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    deflate.write_all(xml.as_bytes()).unwrap();
    let encode = |v: &str| url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>();
    let request = encode(&STANDARD.encode(deflate.finish().unwrap()));
    let sig_alg = encode("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
    let signed = format!("SAMLRequest={request}&SigAlg={sig_alg}");
    let key = openssl::pkey::PKey::private_key_from_pem(
        &std::fs::read(sp_.path().join("sp.key")).unwrap(),
    )
    .unwrap();
    let mut signer =
        openssl::sign::Signer::new(openssl::hash::MessageDigest::sha256(), &key).unwrap();
    signer.update(signed.as_bytes()).unwrap();
    let signature = encode(&STANDARD.encode(signer.sign_to_vec().unwrap()));
    format!("/auth/saml/login?{signed}&Signature={signature}")
}

/// Bindings §3.4.5.2: a signed request must say where it was sent.
#[tokio::test]
async fn a_signed_request_without_destination_is_refused() {
    let sp_ = setup("redirect", true).await;
    let app = &sp_.app;
    let browser = app.browser();
    let with = request_xml(app, "_d1", "", "");
    let without = request_xml(app, "_d2", "", "").replace(
        &format!(r#" Destination="{}""#, app.url("/auth/saml/login")),
        "",
    );
    assert!(!without.contains("Destination"));
    let refused = browser.get(&signed_redirect(&sp_, &without)).await;
    assert_eq!(refused.status, 400);
    assert!(refused.location.is_none());
    assert_eq!(browser.get(&signed_redirect(&sp_, &with)).await.status, 303);
}

/// `idbroker:param:*` requested attributes asking to confirm a payment.
fn confirm_extensions(params: &[(&str, &str)]) -> String {
    let attrs: String = params
        .iter()
        .map(|(name, value)| {
            format!(
                r#"<md:RequestedAttribute xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" Name="idbroker:param:{name}" isRequired="true"><saml:AttributeValue>{value}</saml:AttributeValue></md:RequestedAttribute>"#
            )
        })
        .collect();
    format!(
        r#"<samlp:Extensions><req-attr:RequestedAttributes xmlns:req-attr="urn:oasis:names:tc:SAML:protocol:ext:req-attr">{attrs}</req-attr:RequestedAttributes></samlp:Extensions>"#
    )
}

const PAYMENT: [(&str, &str); 5] = [
    ("amount", "75"),
    ("currency", "SEK"),
    ("payee", "ExamplePayee"),
    ("reference", "inv-3"),
    ("mobile", PHONE),
];

#[tokio::test]
async fn a_signed_request_has_a_payment_confirmed() {
    let sp_ = setup("post", true).await;
    let app = &sp_.app;
    let browser = app.browser();
    let mut params = PAYMENT.to_vec();
    params.push(("language", "sv"));
    let xml = request_xml(app, "_pay1", "", &confirm_extensions(&params))
        .replace("idbroker:param:language", "signicat:param:language");
    let start = browser.get(&signed_redirect(&sp_, &xml)).await;
    assert_eq!(start.status, 303, "{}", start.body);
    let login_path = start.location_path(&app.base);
    let page = browser.get(&login_path).await;
    assert!(page.body.contains("75,00 SEK"), "{}", page.body);
    assert!(page.body.contains("ExamplePayee"));
    let csrf = page.csrf();
    browser
        .post(&format!("{login_path}/phone"), &[("csrf", &csrf)])
        .await;
    let sms = app.gateway().last();
    assert_eq!(sms["to"], PHONE);
    assert!(
        sms["challenge"].contains("75,00 SEK"),
        "{}",
        sms["challenge"]
    );
    let done = browser
        .post(
            &format!("{login_path}/otp"),
            &[("csrf", &csrf), ("otp", &app.gateway().last_code())],
        )
        .await;
    let xml = String::from_utf8(
        STANDARD
            .decode(hidden(&done.body, "SAMLResponse").expect("a response to the SP"))
            .unwrap(),
    )
    .unwrap();
    for (name, value) in [
        ("confirmationAmount", "75.00".to_owned()),
        ("confirmationCurrency", "SEK".to_owned()),
        ("confirmationPayee", "ExamplePayee".to_owned()),
        (
            "confirmationDigest",
            crate::confirm::digest_of("75.00", "SEK", "ExamplePayee", "", "inv-3"),
        ),
    ] {
        assert!(
            xml.contains(&format!(
                r#"<saml2:Attribute Name="{name}"><saml2:AttributeValue xsi:type="xsd:string">{value}</saml2:AttributeValue>"#
            )),
            "{name} in {xml}"
        );
    }
}

#[tokio::test]
async fn an_unsigned_or_malformed_confirmation_request_is_refused() {
    let sp_ = setup("post", true).await;
    let app = &sp_.app;
    let browser = app.browser();
    // Unsigned: refused even though the SP may send unsigned requests otherwise.
    let unsigned = setup("post", false).await;
    let xml = request_xml(&unsigned.app, "_pay2", "", &confirm_extensions(&PAYMENT));
    let page = post_request(&unsigned.app.browser(), &xml).await;
    assert_eq!(page.status, 400, "{}", page.body);
    assert!(page.location.is_none());
    // Signed but wrong: a negative amount, an unknown currency, no number.
    for (id, edit) in [
        ("_pay3", ("amount", "-75")),
        ("_pay4", ("currency", "ZZZ")),
        ("_pay5", ("mobile", "not a number")),
    ] {
        let params: Vec<_> = PAYMENT
            .iter()
            .map(|(n, v)| if *n == edit.0 { edit } else { (*n, *v) })
            .collect();
        let xml = request_xml(app, id, "", &confirm_extensions(&params));
        let page = browser.get(&signed_redirect(&sp_, &xml)).await;
        assert_eq!(page.status, 400, "{id}: {}", page.body);
        assert!(page.location.is_none());
    }
    assert_eq!(app.gateway().count(), 0);
}
