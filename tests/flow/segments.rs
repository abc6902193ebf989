//! Every language's default SMS texts stay within the segments they were written for, so a
//! longer translation, or one letter outside GSM-7, fails here rather than on the bill.

use idbroker::core::confirm::{Confirmation, Requested};
use idbroker::core::lang::Lang;
use idbroker::core::segments::{Encoding, segments};
use idbroker::core::text;

const SENDER: &str = "Acme Bank";
const CODE: &str = "123456";
const MINUTES: i64 = 5;
const HOST: &str = "login.example.com";

/// Per language: the encoding and the most segments of the login SMS, the confirmation SMS
/// (with the WebOTP line, as sent while a page waits) and an application's code message.
///
/// Greek needs letters outside GSM-7, and 70 UTF-16 units cannot hold the sender, the code,
/// the WebOTP line (28 units alone) and a sentence saying one-time, how long and not to
/// share: its login SMS takes two segments, and so does its confirmation, which also names
/// amount and payee. Every other language is worded to stay in GSM-7 (Spanish "clave" and
/// "caduca", Polish "wygasa" and "nie podawaj", with no letter changed) and fits one.
const EXPECTED: [(Lang, Encoding, usize, usize, usize); 12] = [
    (Lang::En, Encoding::Gsm7, 1, 1, 1),
    (Lang::Nb, Encoding::Gsm7, 1, 1, 1),
    (Lang::Sv, Encoding::Gsm7, 1, 1, 1),
    (Lang::Da, Encoding::Gsm7, 1, 1, 1),
    (Lang::Fi, Encoding::Gsm7, 1, 1, 1),
    (Lang::De, Encoding::Gsm7, 1, 1, 1),
    (Lang::Fr, Encoding::Gsm7, 1, 1, 1),
    (Lang::Es, Encoding::Gsm7, 1, 1, 1),
    (Lang::Nl, Encoding::Gsm7, 1, 1, 1),
    (Lang::Pl, Encoding::Gsm7, 1, 1, 1),
    (Lang::It, Encoding::Gsm7, 1, 1, 1),
    (Lang::El, Encoding::Ucs2, 2, 2, 1),
];

fn confirmation() -> Confirmation {
    Confirmation::new(Requested {
        amount: "50.00",
        currency: "EUR",
        payee: "ExamplePayee",
        ..Requested::default()
    })
    .unwrap()
}

#[test]
fn default_sms_texts_fit_their_segments() {
    let confirmation = confirmation();
    let mut over = Vec::new();
    eprintln!("lang  message  encoding  units  segments");
    for (lang, encoding, login, confirm, app) in EXPECTED {
        let texts = [
            (
                "login",
                text::sms_text(lang, SENDER, CODE, MINUTES, HOST),
                login,
            ),
            (
                "confirm",
                text::confirm_sms(lang, SENDER, CODE, MINUTES, &confirmation, Some(HOST)),
                confirm,
            ),
            ("app", text::app_text(lang, None, CODE), app),
        ];
        for (kind, sms, most) in texts {
            let got = segments(&sms);
            eprintln!(
                "{:<5} {kind:<8} {:<9} {:>5}  {:>8}",
                lang.code(),
                format!("{:?}", got.encoding),
                got.units,
                got.count
            );
            // The login SMS of a GSM-7 language must stay GSM-7; the others may shorten.
            let wrong_encoding = kind == "login" && got.encoding != encoding;
            if got.count > most || wrong_encoding {
                over.push(format!(
                    "{} {kind}: {got:?}, expected {encoding:?} in at most {most}: {sms:?}",
                    lang.code()
                ));
            }
        }
        if encoding == Encoding::Gsm7 {
            assert_eq!(
                login,
                1,
                "{}: a GSM-7 login SMS is one segment",
                lang.code()
            );
        }
    }
    assert!(over.is_empty(), "{}", over.join("\n"));
}
