//! Transaction confirmation: a code bound to an amount and a payee, through every front door.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::common::*;

/// The digest as a relying party recomputes it from what it asked for (README: one field a
/// line, absent ones empty).
pub fn digest_of(amount: &str, currency: &str, payee: &str, text: &str, reference: &str) -> String {
    let canonical = [amount, currency, payee, text, reference].join("\n");
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

fn payment(amount: &str, payee: &str) -> Value {
    json!({
        "prefilledInput": {"mobile": PHONE},
        "confirmation": {"amount": amount, "currency": "EUR", "payee": payee, "reference": "order-7"}
    })
}

/// Opens a confirmation session in `language` and asks for its code (the number is fixed).
async fn send<'a>(app: &'a TestApp, language: &str, body: Value) -> Flow<'a> {
    let mut extra = body;
    extra["language"] = json!(language);
    let flow = Flow::open(app, extra).await;
    let sent = flow.post("/phone", &[]).await;
    assert_eq!(
        sent.location_path(&app.base),
        flow.path(""),
        "{}",
        sent.body
    );
    flow
}

#[tokio::test]
async fn rest_confirmation_shows_amount_and_payee_and_returns_the_digest() {
    let app = TestApp::start().await;
    let session = app.create(payment("1234.5", "ExamplePayee")).await;
    let id = session["id"].as_str().unwrap();
    assert_eq!(session["confirmation"]["amount"], "1234.50");
    assert_eq!(session["confirmation"]["currency"], "EUR");
    assert!(session["confirmation"].get("confirmedAt").is_none());

    // The page says what is being confirmed and where the code goes; the number is fixed.
    let browser = app.browser();
    let page = browser
        .get(session["authenticationUrl"].as_str().unwrap())
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("<title>Confirm a payment to ExamplePayee</title>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("1,234.50 EUR"), "{}", page.body);
    assert!(page.body.contains("ExamplePayee"));
    assert!(
        !page.body.contains("name=\"phone_number\""),
        "no number field"
    );
    assert!(!page.body.contains(PHONE), "the number is masked");
    let csrf = page.csrf();
    // A number typed into the form is ignored: the code goes where the relying party said.
    browser
        .post(
            &format!("{}/phone", login(id)),
            &[("csrf", &csrf), ("phone_number", "+447700900123")],
        )
        .await;
    let sms = app.gateway().last();
    assert_eq!(sms["to"], PHONE);
    let text = &sms["challenge"];
    assert!(
        text.contains("to confirm 1,234.50 EUR to ExamplePayee"),
        "{text}"
    );
    assert!(
        text.lines().last().unwrap().starts_with('@'),
        "WebOTP line last: {text}"
    );

    let code_page = browser.get(&login(id)).await;
    assert!(code_page.body.contains("1,234.50 EUR"));
    assert!(code_page.body.contains("Confirm payment"));
    assert!(!code_page.body.contains("change=1"), "no other number");
    let done = browser
        .post(
            &format!("{}/otp", login(id)),
            &[("csrf", &csrf), ("otp", &app.gateway().last_code())],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let result = app.session(id).await;
    assert_eq!(result["status"], "SUCCESS");
    let confirmation = &result["confirmation"];
    assert_eq!(
        confirmation["digest"],
        digest_of("1234.50", "EUR", "ExamplePayee", "", "order-7")
    );
    assert!(confirmation["confirmedAt"].is_string(), "{confirmation}");
}

#[tokio::test]
async fn the_sms_names_amount_and_payee_in_the_session_language() {
    let app = TestApp::start().await;
    for (language, expected) in [
        ("de", "50,00 EUR"),
        ("fi", "50,00 EUR"),
        ("nb", "50,00 EUR"),
        ("en", "50.00 EUR"),
    ] {
        let flow = send(&app, language, payment("50", "ExamplePayee")).await;
        let text = app.gateway().last()["challenge"].clone();
        assert!(text.contains(expected), "{language}: {text}");
        assert!(text.contains("ExamplePayee"), "{language}: {text}");
        let page = flow.page().await;
        assert!(page.body.contains(expected), "{language} page");
    }
}

#[tokio::test]
async fn the_relying_partys_text_carries_the_code() {
    let app = TestApp::start().await;
    let mut body = payment("9.99", "Shop");
    body["confirmation"]["text"] = json!("Code {code} approves 9.99 EUR to Shop");
    let flow = send(&app, "en", body).await;
    let text = app.gateway().last()["challenge"].clone();
    let code = app.gateway().last_code();
    assert!(
        text.starts_with(&format!("Code {code} approves 9.99 EUR to Shop")),
        "{text}"
    );
    let page = flow.page().await;
    assert!(page.body.contains("Code … approves"), "{}", page.body);
}

#[tokio::test]
async fn a_code_for_one_payment_does_not_confirm_another() {
    let app = TestApp::start().await;
    let a = send(&app, "en", payment("50", "Payee A")).await;
    let code_a = app.gateway().last_code();
    let b = send(&app, "en", payment("5000", "Payee B")).await;
    let wrong = b.code(&code_a).await;
    assert_eq!(wrong.location_path(&app.base), b.notice("wrong-code"));
    assert_eq!(b.status().await, "CREATED");
    // A's own code still confirms A.
    a.code(&code_a).await;
    assert_eq!(a.status().await, "SUCCESS");
}

#[tokio::test]
async fn five_wrong_codes_end_a_confirmation() {
    let app = TestApp::with(|c| c.otp.max_attempts = 10).await;
    let flow = send(&app, "en", payment("50", "Shop")).await;
    for _ in 0..5 {
        flow.code("000000").await;
    }
    assert_eq!(flow.status().await, "ERROR");
}

#[tokio::test]
async fn a_confirmation_code_lives_at_most_five_minutes() {
    let app = TestApp::with(|c| c.otp.ttl_secs = 600).await;
    let flow = send(&app, "en", payment("50", "Shop")).await;
    let code = app.gateway().last_code();
    assert!(app.gateway().last()["challenge"].contains("5 minutes"));
    app.advance(301);
    let late = flow.code(&code).await;
    assert_eq!(late.location_path(&app.base), flow.notice("code-expired"));
}

#[tokio::test]
async fn bad_confirmations_name_the_field() {
    let app = TestApp::start().await;
    let token = app.token().await;
    let mut cases = Vec::new();
    for (field, value, expected) in [
        ("amount", json!("-5"), "confirmation.amount"),
        ("amount", json!("12.345"), "confirmation.amount"),
        ("amount", json!("1,50"), "confirmation.amount"),
        ("amount", json!("0"), "confirmation.amount"),
        ("currency", json!("XYZ"), "confirmation.currency"),
        (
            "payee",
            json!("Shop\nPay 1 EUR to Other"),
            "confirmation.payee",
        ),
        ("payee", json!(""), "confirmation.payee"),
        ("text", json!("{code} and {code}"), "confirmation.text"),
    ] {
        let mut body = session_request();
        body["prefilledInput"] = json!({"mobile": PHONE});
        body["confirmation"] = json!({"amount": "5", "currency": "EUR", "payee": "Shop"});
        body["confirmation"][field] = value;
        cases.push((body, expected));
    }
    let mut no_number = session_request();
    no_number["confirmation"] = json!({"amount": "5", "currency": "EUR", "payee": "Shop"});
    cases.push((no_number, "prefilledInput"));
    for (body, field) in cases {
        let (status, json) = app.create_raw(&token, &body).await;
        assert_eq!(status, 400, "{json}");
        assert_eq!(json["field"], field, "{json}");
    }
}

mod grant {
    use super::*;
    use crate::grants::{MSISDN, body, reference, token, verified_claims};
    use idbroker::grants::SMS_GRANT;

    fn request(extra: &[(&str, &str)]) -> String {
        let mut pairs = vec![
            ("grant_type", SMS_GRANT),
            ("scope", "openid"),
            ("username", MSISDN),
            ("client_id", UBI),
            ("client_secret", UBI_SECRET),
            ("ui_locales", "fi"),
        ];
        pairs.extend_from_slice(extra);
        body(&pairs)
    }

    const PAYMENT: [(&str, &str); 3] = [
        ("x_idbroker_amount", "250.5"),
        ("x_idbroker_currency", "EUR"),
        ("x_idbroker_payee", "ExamplePayee"),
    ];

    async fn started(app: &TestApp) -> (String, String) {
        let (status, json) = token(app, request(&PAYMENT)).await;
        assert_eq!(status, 200, "{json}");
        let text = app.gateway().last()["challenge"].clone();
        assert!(text.contains("250,50 EUR"), "{text}");
        assert!(text.contains("ExamplePayee"), "{text}");
        (reference(&json), digits_in(&text)[..6].to_owned())
    }

    #[tokio::test]
    async fn the_grant_confirms_the_payment_it_repeats() {
        let app = TestApp::start().await;
        let (reference, code) = started(&app).await;
        let mut second = PAYMENT.to_vec();
        second.extend([
            ("x_globalsign_iam_reference_id", reference.as_str()),
            ("x_globalsign_iam_otp_code", code.as_str()),
        ]);
        let (status, json) = token(&app, request(&second)).await;
        assert_eq!(status, 200, "{json}");
        let claims = verified_claims(&app, json["id_token"].as_str().unwrap()).await;
        let confirmation = &claims["confirmation"];
        assert_eq!(confirmation["amount"], "250.50");
        assert_eq!(confirmation["payee"], "ExamplePayee");
        assert_eq!(
            confirmation["digest"],
            digest_of("250.50", "EUR", "ExamplePayee", "", "")
        );
    }

    #[tokio::test]
    async fn a_changed_amount_in_the_validation_request_is_a_wrong_code() {
        let app = TestApp::with(|c| c.otp.max_attempts = 2).await;
        let (reference, code) = started(&app).await;
        let changed = [
            ("x_idbroker_amount", "2505.00"),
            ("x_idbroker_currency", "EUR"),
            ("x_idbroker_payee", "ExamplePayee"),
            ("x_globalsign_iam_reference_id", reference.as_str()),
            ("x_globalsign_iam_otp_code", code.as_str()),
        ];
        let (status, json) = token(&app, request(&changed)).await;
        assert_eq!(status, 400, "{json}");
        assert_eq!(json["error"], "invalid_grant");
        assert_eq!(json["error_description"], "Invalid OTP", "never which part");
        // It counted: with two attempts allowed, one more wrong try ends the verification,
        // and even the right code with the right payment is too late then.
        let next = crate::grants::reference(&json);
        let mut again = changed.to_vec();
        again[3] = ("x_globalsign_iam_reference_id", next.as_str());
        let (_, json) = token(&app, request(&again)).await;
        let last = crate::grants::reference(&json);
        let mut right = PAYMENT.to_vec();
        right.extend([
            ("x_globalsign_iam_reference_id", last.as_str()),
            ("x_globalsign_iam_otp_code", code.as_str()),
        ]);
        let (status, json) = token(&app, request(&right)).await;
        assert_eq!(status, 400, "{json}");
        assert_eq!(json["error"], "invalid_grant");
    }

    #[tokio::test]
    async fn a_malformed_payment_is_refused_at_the_start() {
        let app = TestApp::start().await;
        let (status, json) = token(
            &app,
            request(&[
                ("x_idbroker_amount", "-1"),
                ("x_idbroker_currency", "EUR"),
                ("x_idbroker_payee", "Shop"),
            ]),
        )
        .await;
        assert_eq!(status, 400, "{json}");
        assert_eq!(json["error"], "invalid_request");
        assert!(
            json["error_description"]
                .as_str()
                .unwrap()
                .contains("amount")
        );
        assert_eq!(app.gateway().count(), 0);
    }
}

#[tokio::test]
async fn an_e_mail_names_the_payment_too() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::with(|c| smtp_to(c, smtp.port)).await;
    let flow = Flow::open(
        &app,
        json!({
            "allowedProviders": ["otp-sms", "otp-email"],
            "language": "it",
            "prefilledInput": {"email": "kari@example.no"},
            "confirmation": {"amount": "20", "currency": "EUR", "payee": "Negozio"}
        }),
    )
    .await;
    flow.post("/email", &[]).await;
    let (to, subject, body) = smtp.last();
    assert_eq!(to, "kari@example.no");
    let it = idbroker::core::lang::Lang::It;
    assert_eq!(
        subject,
        idbroker::core::text::t(it, "email-confirm-subject")
    );
    assert!(
        body.contains("20,00 EUR") && body.contains("Negozio"),
        "{body}"
    );
    let code = body
        .split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .expect("a six-digit code");
    flow.code(code).await;
    let result = app.session(&flow.id).await;
    assert_eq!(result["provider"], "otp-email");
    assert_eq!(
        result["confirmation"]["digest"],
        digest_of("20.00", "EUR", "Negozio", "", "")
    );
}
