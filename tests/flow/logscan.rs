//! The log scan of a whole run (`common/logs.rs`): no line that any broker of `make test` wrote
//! holds a number, an address, a code or a secret some test handled, nor anything shaped like
//! a phone number or a token. `make test` runs it last, once every broker has stopped; a
//! self-test shows that it finds each kind.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::common::*;

/// What the run handled, as the scan looks for it.
#[derive(Default)]
struct Wanted {
    numbers: BTreeSet<String>,
    /// The numbers' national significant digits.
    nationals: BTreeSet<String>,
    addresses: BTreeSet<String>,
    codes: BTreeSet<String>,
    secrets: BTreeSet<String>,
}

impl Wanted {
    fn note(&mut self, kind: Handled, value: &str) {
        match kind {
            Handled::Number => {
                self.numbers.insert(value.to_owned());
                if let Ok(number) = phonenumber::parse(None, value) {
                    let national = number.national().value().to_string();
                    // Shorter runs of digits are everywhere: ports, counts, durations.
                    if national.len() >= 7 {
                        self.nationals.insert(national);
                    }
                }
            }
            Handled::Address => {
                self.addresses.insert(value.to_lowercase());
            }
            Handled::Code => {
                self.codes.insert(value.to_owned());
            }
            // A short "secret" would be found by chance.
            Handled::Secret if value.len() >= 8 => {
                self.secrets.insert(value.to_owned());
            }
            Handled::Secret => {}
        }
    }

    /// The `.handled` files in `dir`, and the secrets of the embedded dev defaults, which the
    /// scripts' brokers run with.
    fn read(dir: &Path) -> Wanted {
        let mut wanted = Wanted::default();
        for (_, text) in files(dir, "handled") {
            for line in text.lines() {
                let (kind, value) = line.split_once('\t').expect("kind<TAB>value");
                let kind = Handled::parse(kind).unwrap_or_else(|| panic!("kind {kind}"));
                wanted.note(kind, value);
            }
        }
        let dev = idbroker::config::Config::load(None).unwrap().0;
        for client in &dev.clients {
            if let Some(secret) = &client.client_secret {
                wanted.note(Handled::Secret, secret.expose());
            }
        }
        wanted
    }

    /// Why `line` may not be in a log, if it may not.
    fn leak(&self, line: &str) -> Option<String> {
        let mut texts = Vec::new();
        match serde_json::from_str::<Value>(line) {
            Ok(event) => texts_of(&event, &mut texts),
            Err(_) => texts.push(line.to_owned()),
        }
        texts
            .iter()
            .flat_map(|text| [text.clone(), unescaped(text)])
            .find_map(|text| self.leak_in(&text))
    }

    fn leak_in(&self, text: &str) -> Option<String> {
        if let Some(number) = phone_shaped(text) {
            return Some(format!("a phone number ({number})"));
        }
        if let Some(token) = token_shaped(text) {
            return Some(format!("a token ({token})"));
        }
        for run in numbers_in(text, false) {
            if self.codes.contains(&run) {
                return Some(format!("the code {run}"));
            }
        }
        for run in numbers_in(text, true) {
            let national = self.nationals.iter().find(|n| {
                run == **n || run.strip_prefix('0') == Some(n.as_str()) || {
                    // With the country code, without the plus.
                    run.ends_with(n.as_str()) && run.len() <= n.len() + 3
                }
            });
            if let Some(national) = national {
                return Some(format!("the number {national}"));
            }
        }
        let lower = text.to_lowercase();
        let found = |set: &BTreeSet<String>, haystack: &str| {
            set.iter().find(|v| haystack.contains(v.as_str())).cloned()
        };
        found(&self.numbers, text)
            .map(|n| format!("the number {n}"))
            .or_else(|| found(&self.addresses, &lower).map(|a| format!("the address {a}")))
            .or_else(|| found(&self.secrets, text).map(|s| format!("the secret {s}")))
    }
}

/// The texts of an event that could hold what it must not: every string and whole number in
/// it, and its keys, but not its timestamp (whose microseconds are six digits like a code's).
fn texts_of(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Number(n) if n.is_u64() || n.is_i64() => out.push(n.to_string()),
        Value::Array(items) => items.iter().for_each(|v| texts_of(v, out)),
        Value::Object(fields) => {
            for (key, v) in fields {
                out.push(key.clone());
                if key != "timestamp" {
                    texts_of(v, out);
                }
            }
        }
        _ => {}
    }
}

/// A text as it would read had it not been escaped on its way into the log: percent-decoded
/// (a URL, a form), with the escapes of a `?debug` value (`\n`, `\t`, `\u{…}`) as spaces, so
/// that "code:\n482913" or "to=%2B47…&text=Code%20482913" show their numbers standing alone.
fn unescaped(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| {
            bytes
                .get(at..at + 2)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        };
        match bytes[i] {
            b'%' if hex(i + 1).is_some() => {
                out.push(hex(i + 1).unwrap());
                i += 3;
            }
            b'\\' if matches!(bytes.get(i + 1), Some(b'n' | b'r' | b't')) => {
                out.push(b' ');
                i += 2;
            }
            b'\\' if bytes.get(i + 1..i + 3) == Some(b"u{") => {
                out.push(b' ');
                i += bytes[i..]
                    .iter()
                    .position(|b| *b == b'}')
                    .map_or(2, |end| end + 1);
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A token in the text: a JWT or one of our access tokens (base64url JSON, a dot, more), or a
/// lone run of 43 base64url characters, the shape of 256 random bits (authorization codes,
/// refresh tokens, references) and of a SHA-256.
fn token_shaped(text: &str) -> Option<&str> {
    let b64 = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    text.split(|c: char| !b64(c) && c != '.').find(|word| {
        (word.starts_with("eyJ") && word.len() >= 30 && word.contains('.'))
            || word.split('.').any(|part| part.len() == 43)
    })
}

/// A `+` (or `%2B`) and 7 to 15 digits, spaces or hyphens allowed between them: E.164, as
/// typed or formatted.
fn phone_shaped(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut starts = Vec::new();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'+' {
            starts.push(i + 1);
        } else if bytes[i..].len() >= 3 && bytes[i..i + 3].eq_ignore_ascii_case(b"%2b") {
            starts.push(i + 3);
        }
    }
    for start in starts {
        let mut digits = String::new();
        for (i, b) in bytes[start..].iter().enumerate() {
            match b {
                b'0'..=b'9' => digits.push(*b as char),
                b' ' | b'-'
                    if i > 0 && bytes.get(start + i + 1).is_some_and(u8::is_ascii_digit) => {}
                _ => break,
            }
        }
        if (7..=15).contains(&digits.len()) && !digits.starts_with('0') {
            return Some(digits);
        }
    }
    None
}

/// The numbers standing alone in a text: runs of digits with no letter or digit on either
/// side (not the digits inside an id such as `9c2735e1`), with spaces and hyphens between
/// digits taken out when `joined` (a number as it is written, "07400 123456").
fn numbers_in(text: &str, joined: bool) -> Vec<String> {
    let bytes = text.as_bytes();
    let word = |i: usize| {
        bytes
            .get(i)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && word(i - 1)) {
            i += 1;
            continue;
        }
        let mut run = String::new();
        let mut j = i;
        while j < bytes.len() {
            match bytes[j] {
                b @ b'0'..=b'9' => run.push(b as char),
                b' ' | b'-' if joined && bytes.get(j + 1).is_some_and(u8::is_ascii_digit) => {}
                _ => break,
            }
            j += 1;
        }
        if !word(j) {
            out.push(run);
        }
        i = j;
    }
    out
}

/// The files in `dir` ending in `.{extension}`, with their text, by name.
fn files(dir: &Path, extension: &str) -> Vec<(String, String)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (
                name,
                String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

/// What a scan of `dir` read, and what it found.
struct Scan {
    files: Vec<(String, usize)>,
    lines: usize,
    leaks: Vec<String>,
}

fn scan(dir: &Path) -> (Wanted, Scan) {
    let wanted = Wanted::read(dir);
    let mut scan = Scan {
        files: Vec::new(),
        lines: 0,
        leaks: Vec::new(),
    };
    for (name, text) in files(dir, "log") {
        let mut count = 0;
        for (n, line) in text.lines().enumerate() {
            count += 1;
            if let Some(why) = wanted.leak(line) {
                scan.leaks.push(format!("{name}:{}: {why}: {line}", n + 1));
            }
        }
        scan.lines += count;
        scan.files.push((name, count));
    }
    (wanted, scan)
}

#[test]
#[ignore = "reads the logs of a whole run: make test runs it last"]
fn no_log_line_of_the_run_holds_a_number_code_or_secret() {
    let dir = dir();
    let (wanted, scan) = scan(&dir);
    println!(
        "{} lines in {} files; {} numbers, {} addresses, {} codes, {} secrets handled",
        scan.lines,
        scan.files.len(),
        wanted.numbers.len(),
        wanted.addresses.len(),
        wanted.codes.len(),
        wanted.secrets.len()
    );
    for (name, lines) in &scan.files {
        println!("  {name}: {lines}");
    }
    assert!(
        scan.leaks.is_empty(),
        "{} lines hold what they must not:\n{}",
        scan.leaks.len(),
        scan.leaks.join("\n")
    );
    // The scan read the whole run: the brokers in the test process, broker processes, and the
    // scripts' brokers; and the run handled enough to look for.
    let has = |prefix: &str| {
        scan.files
            .iter()
            .any(|(n, l)| n.starts_with(prefix) && *l > 0)
    };
    for source in ["flow-", "process-", "openapi", "browser"] {
        assert!(has(source), "no log from {source}* in {}", dir.display());
    }
    assert!(wanted.codes.len() >= 100, "{} codes", wanted.codes.len());
    assert!(
        wanted.numbers.len() >= 10,
        "{} numbers",
        wanted.numbers.len()
    );
    assert!(!wanted.addresses.is_empty());
    assert!(
        wanted.secrets.len() >= 5,
        "{} secrets",
        wanted.secrets.len()
    );
}

#[test]
fn the_scan_finds_each_kind_and_passes_a_clean_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("t.handled"),
        "number\t+447911123456\naddress\tAda@Example.org\ncode\t482913\nsecret\ts3cr3t-value-1\n",
    )
    .unwrap();
    // The code's digits inside an id, or in the timestamp, are not the code.
    let clean = r#"{"timestamp":"2026-12-01T10:00:00.482913Z","level":"INFO","message":"request","status":200,"ms":3,"session":"482913ef","span":{"request_id":"X4829137"}}"#;
    let leaking = [
        r#"{"message":"sent","to":"+44 7911 123456"}"#,
        r#"{"message":"sent","to":"07911 123456"}"#,
        r#"{"message":"sent","to":"447911123456"}"#,
        r#"{"message":"sent","to":"ada@example.org"}"#,
        r#"{"message":"checked","otp":"482913"}"#,
        r#"{"message":"wrong code 482913 for session 9c2735e1"}"#,
        r#"{"message":"checked","otp":482913}"#,
        r#"{"message":"auth","header":"Basic x:s3cr3t-value-1"}"#,
        r#"{"message":"issued","token":"eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.sig"}"#,
        r#"{"message":"refused","number":"%2B4740612345"}"#,
        r#"{"message":"sent","text":"Your code:\n482913"}"#,
        r#"{"message":"sent","url":"https://gw.example/send?to=x&text=Code%20482913"}"#,
        r#"{"message":"keyJar","token":"a eyJhbGciOiJIUzI1NiJ9.eyJjaWQiOiJ4In0.c2lnbmF0dXJl"}"#,
        r#"{"message":"stored","code":"q7NfX2bLw9Yk3RtVp0aZc1Xe8HjUm4SdGf6Kn2QoPrI"}"#,
        "thread 'main' panicked at src/x.rs: +4740612345",
    ];
    let mut log = format!("{clean}\n");
    for line in leaking {
        log.push_str(line);
        log.push('\n');
    }
    std::fs::write(dir.path().join("t.log"), log).unwrap();
    let (_, scan) = scan(dir.path());
    assert_eq!(scan.lines, leaking.len() + 1);
    assert_eq!(scan.leaks.len(), leaking.len(), "{:#?}", scan.leaks);
    for (found, line) in scan.leaks.iter().zip(leaking) {
        assert!(found.ends_with(line), "{found}");
    }
}
