//! The binary's configuration commands.

use std::process::Command;

fn idbroker() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_idbroker"));
    command.env_remove("RUST_LOG");
    command
}

/// A configuration check-config accepts.
const GOOD: &str = r#"
[server]
public_url = "https://id.example.com"
secret_key = "0123456789abcdef0123456789abcdef"

[sms]
kind = "http"
url = "https://gw.example/send?to={mobile}&text={challenge}"

[[clients]]
client_id = "shop"
client_secret = "a-long-secret"
callback_urls = ["https://shop.example/done"]
grant_types = ["client_credentials"]
"#;

#[test]
fn check_config_accepts_a_good_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("good.toml");
    std::fs::write(&path, GOOD).unwrap();
    let out = idbroker().arg("check-config").arg(&path).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("ok"));
    // Without an allow-list of regions, SMS may go anywhere: it says so.
    assert!(
        stdout.contains("warning: limits.sms_regions is empty"),
        "{stdout}"
    );
    std::fs::write(
        &path,
        std::fs::read_to_string(&path)
            .unwrap()
            .replace("[sms]", "[limits]\nsms_regions = [\"NO\"]\n\n[sms]"),
    )
    .unwrap();
    let out = idbroker().arg("check-config").arg(&path).output().unwrap();
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("warning"));
}

/// Writes `toml` to a file, runs check-config on it, expects it refused (exit 2), and checks
/// that every key in `keys` is named; returns the file's path and what it said.
fn refused(dir: &std::path::Path, toml: &str, keys: &[&str]) -> (std::path::PathBuf, String) {
    let path = dir.join("check.toml");
    std::fs::write(&path, toml).unwrap();
    let out = idbroker().arg("check-config").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    for key in keys {
        assert!(stderr.contains(&format!("{key}: ")), "{key} in {stderr}");
    }
    (path, stderr)
}

#[test]
fn check_config_names_bad_limits() {
    let dir = tempfile::tempdir().unwrap();
    refused(
        dir.path(),
        r#"
[server]
trusted_proxies = ["10.0.0.0/8", "not-a-net"]

[sms]
kind = "outbox"

[limits]
daily_sms_budget = -1
sms_regions = ["no"]
sms_number_types = ["mobile", "satellite"]
sms_prices = { XX = 0.1 }
breaker_min_verified_percent = 120

[[clients]]
client_id = "shop"
client_secret = "a-long-secret"
sms_regions = ["Norway"]
"#,
        &[
            "server.trusted_proxies[1]",
            "limits.daily_sms_budget",
            "limits.sms_regions[0]",
            "limits.sms_number_types",
            "limits.sms_prices.XX",
            "limits.breaker_min_verified_percent",
            "clients[0].sms_regions[0]",
        ],
    );
}

#[test]
fn check_config_names_every_bad_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(
        &path,
        r#"
[otp]
length = 4
ttl_secs = 3600

[sms]
kind = "http"

[[clients]]
client_id = "shop"
client_secret = "short"
allowed_providers = ["bankid"]
"#,
    )
    .unwrap();
    let out = idbroker().arg("check-config").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for key in [
        "otp.length",
        "otp.ttl_secs",
        "sms.url",
        "clients[0].client_secret",
        "clients[0].allowed_providers",
    ] {
        assert!(stderr.contains(key), "{key} missing in:\n{stderr}");
    }
}

#[test]
fn check_config_reports_type_errors_and_unknown_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typo.toml");
    std::fs::write(&path, "[otp]\nlenght = 6\n[server]\nlisten = 80\n").unwrap();
    let out = idbroker().arg("check-config").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("lenght"), "{stderr}");
}

#[test]
fn environment_overrides_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("env.toml");
    std::fs::write(&path, "[sms]\nkind = \"outbox\"\n").unwrap();
    let out = idbroker()
        .arg("check-config")
        .arg(&path)
        .env("IDBROKER_OTP__LENGTH", "3")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("otp.length"));
}

#[test]
fn missing_file_is_explained() {
    let out = idbroker()
        .arg("check-config")
        .arg("/nonexistent/idbroker.toml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a readable file"));
}

#[test]
fn keys_rotate_promotes_the_next_key() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys.json");
    let config = dir.path().join("idbroker.toml");
    std::fs::write(
        &config,
        format!(
            "[sms]\nkind = \"outbox\"\n[oidc]\nkeys_file = {:?}\n",
            keys.to_str().unwrap()
        ),
    )
    .unwrap();
    let read =
        || -> serde_json::Value { serde_json::from_slice(&std::fs::read(&keys).unwrap()).unwrap() };
    let kid_of = |file: &serde_json::Value, alg: &str, status: &str| {
        file["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["alg"] == alg && k["status"] == status)
            .map(|k| k["kid"].as_str().unwrap().to_owned())
    };
    let rotate = || {
        let out = idbroker()
            .args(["keys", "rotate", "--config"])
            .arg(&config)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    rotate();
    let first = read();
    let next = kid_of(&first, "RS256", "next").unwrap();
    let active = kid_of(&first, "RS256", "active").unwrap();
    rotate();
    let second = read();
    assert_eq!(kid_of(&second, "RS256", "active"), Some(next));
    assert_eq!(kid_of(&second, "RS256", "retired"), Some(active));
    assert_eq!(second["keys"].as_array().unwrap().len(), 6);
}

#[test]
fn sp_add_checks_metadata_and_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let metadata_dir = dir.path().join("metadata");
    let config = dir.path().join("idbroker.toml");
    std::fs::write(
        &config,
        format!(
            "[sms]\nkind = \"outbox\"\n[saml]\nmetadata_dir = {:?}\n",
            metadata_dir.to_str().unwrap()
        ),
    )
    .unwrap();
    let key =
        idbroker::saml::idp_key::IdpKey::load_or_create(&dir.path().join("sp.pem"), "sp.example")
            .unwrap();
    let good = format!(
        r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example/cli"><md:SPSSODescriptor AuthnRequestsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example/acs" index="0"/></md:SPSSODescriptor></md:EntityDescriptor>"#,
        key.cert_b64
    );
    let file = dir.path().join("sp.xml");
    std::fs::write(&file, &good).unwrap();
    let add = || {
        idbroker()
            .args(["sp", "add"])
            .arg(&file)
            .arg("--config")
            .arg(&config)
            .output()
            .unwrap()
    };
    let out = add();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_dir(&metadata_dir).unwrap().count(), 1);
    // The same entityID again is refused.
    let again = add();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already registered"));
    // Insecure ACS locations are refused with the reason.
    std::fs::write(
        &file,
        good.replace("cli\"", "cli2\"")
            .replace("https://sp.example/acs", "http://sp.example/acs"),
    )
    .unwrap();
    let insecure = add();
    assert!(!insecure.status.success());
    assert!(String::from_utf8_lossy(&insecure.stderr).contains("https"));
}

#[test]
fn serve_answers_health_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = crate::common::free_port();
    let config = dir.path().join("idbroker.toml");
    std::fs::write(
        &config,
        format!(
            "[server]\nlisten = \"127.0.0.1:{port}\"\npublic_url = \"http://127.0.0.1:{port}\"\n[sms]\nkind = \"outbox\"\n[oidc]\nkeys_file = {:?}\n[saml]\nkey_file = {:?}\nmetadata_dir = {:?}\n",
            dir.path().join("keys.json").to_str().unwrap(),
            dir.path().join("saml.pem").to_str().unwrap(),
            dir.path().join("metadata").to_str().unwrap(),
        ),
    )
    .unwrap();
    let mut child = idbroker()
        .args(["serve", "--config"])
        .arg(&config)
        .spawn()
        .unwrap();
    let mut healthy = false;
    for _ in 0..200 {
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::{Read, Write};
            stream.write_all(b"GET /healthz HTTP/1.0\r\n\r\n").unwrap();
            let mut answer = String::new();
            let _ = stream.read_to_string(&mut answer);
            healthy = answer.starts_with("HTTP/1.0 200") && answer.ends_with("ok");
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(healthy, "the broker answered /healthz");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    for _ in 0..100 {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status:?}");
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!("the broker did not stop within 5 s of SIGTERM");
}

/// What a hostile probe found open in a configuration that check-config used to accept.
#[test]
fn check_config_refuses_unsafe_clients_and_an_exposed_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let (path, stderr) = refused(
        dir.path(),
        r#"
[server]
listen = "0.0.0.0:8080"
public_url = "https://id.example.com"
secret_key = "0123456789abcdef0123456789abcdef"

[sms]
kind = "outbox"

[[clients]]
client_id = "app"
public = true
grant_types = ["http://globalsign.com/iam/sso/oauth2/grant-type/sms-mt-otp"]

[[clients]]
client_id = "web"
client_secret = "a-long-secret"
grant_types = ["authorization_code"]
redirect_uris = ["http://rp.example/cb", "com.example.app:/cb", "http://127.0.0.1/cb", "https://rp.example/ok"]

[[clients]]
client_id = "native"
client_secret = "a-long-secret"
application_type = "native"
grant_types = ["authorization_code"]
redirect_uris = ["http://127.0.0.1:9000/cb", "com.example.app:/cb", "http://rp.example/cb"]
"#,
        &[
            "sms.kind",
            "clients[0].grant_types",
            "clients[1].redirect_uris[0]",
            "clients[1].redirect_uris[1]",
            "clients[1].redirect_uris[2]",
            "clients[2].redirect_uris[2]",
        ],
    );
    for fine in [
        "clients[1].redirect_uris[3]",
        "clients[2].redirect_uris[0]",
        "clients[2].redirect_uris[1]",
    ] {
        assert!(!stderr.contains(&format!("{fine}: ")), "{fine} in {stderr}");
    }
    // The outbox beside a public listener only when the operator says so, loudly.
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text
        .replace("[sms]", "[sms]\n")
        .replace("secret_key = ", "dev_outbox_unsafe = true\nsecret_key = ");
    std::fs::write(&path, text).unwrap();
    let out = idbroker().arg("check-config").arg(&path).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("sms.kind: "));
}

#[test]
fn migrate_creates_the_directory_schema() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data/directory.db");
    let path = dir.path().join("idbroker.toml");
    std::fs::write(
        &path,
        format!(
            "[sms]\nkind = \"outbox\"\n[directory]\nurl = \"sqlite://{}?mode=rwc\"\n",
            db.display()
        ),
    )
    .unwrap();
    let run = || {
        idbroker()
            .args(["migrate", "--config"])
            .arg(&path)
            .output()
            .unwrap()
    };
    let out = run();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("schema up to date"));
    assert!(db.exists(), "the database file and its folder are created");
    // Again: nothing left to do, and no error.
    assert!(run().status.success());
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[directory]\nkind = \"postgres\"\nurl = \"sqlite://x.db\"\n",
    )
    .unwrap();
    let out = idbroker()
        .args(["migrate", "--config"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("directory.url"));
}

#[test]
fn check_config_refuses_branding_that_would_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let (_, said) = refused(
        dir.path(),
        r##"
[[clients]]
client_id = "shop"
client_secret = "a-long-secret"

[clients.branding]
display_name = "Shop\u202eevil"
accent_color = "#ffd000"
accent_color_dark = "#1d4ed8"
logo = "shop.gif"
privacy_url = "javascript:alert(1)"

[saml.branding."https://sp.example/metadata"]
accent_color = "#7dd3fc"
"##,
        &[
            "clients[0].branding.display_name",
            "clients[0].branding.accent_color",
            "clients[0].branding.accent_color_dark",
            "clients[0].branding.logo",
            "clients[0].branding.privacy_url",
            "saml.branding.\"https://sp.example/metadata\".accent_color",
        ],
    );
    // The contrast is named, with what is needed.
    assert!(said.contains("#ffd000 has a contrast of 1."), "{said}");
    assert!(said.contains("at least 4.5:1"), "{said}");
    // Colours that read pass.
    let path = dir.path().join("good.toml");
    let branded = format!(
        "{GOOD}\n[clients.branding]\ndisplay_name = \"Shop\"\naccent_color = \"#0b6e4f\"\naccent_color_dark = \"#7dd3fc\"\n"
    );
    std::fs::write(&path, branded).unwrap();
    let out = idbroker().arg("check-config").arg(&path).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn check_config_lists_every_mistake_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let (_, said) = refused(
        dir.path(),
        r#"
[otp]
max_atempts = 3
length = 4

[server]
listen = 80
trusted_proxies = ["not-a-net"]

[sms]
kind = "http"

[[clients]]
client_id = "shop"
client_secret = "short"
colour = "red"
"#,
        &[
            "otp.max_atempts",
            "otp.length",
            "server.listen",
            "server.trusted_proxies[0]",
            "sms.url",
            "clients[0].colour",
            "clients[0].client_secret",
        ],
    );
    assert!(said.contains("has 7 problem(s)"), "{said}");
    // Readable: the keys that would have been right, no nested quoting.
    assert!(
        said.contains(
            "otp.max_atempts: unknown key; known keys here: length, ttl_secs, max_attempts"
        ),
        "{said}"
    );
    assert!(!said.contains("``"), "{said}");
}
