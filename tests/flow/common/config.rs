//! The broker configuration the tests start from: its clients, and one set of keys for the
//! whole run.

use idbroker::config::{Config, Secret};
use serde_json::json;

use super::{
    ABORT, CLIENT, ERROR, ES_CLIENT, LOGGED_OUT, OTHER, PUBLIC_APP, REDIRECT, SECRET, SUCCESS, UBI,
    UBI_SECRET, UBI2,
};

/// One keys file for the whole test run: key generation is the slow part of starting a broker.
pub fn shared_keys_file() -> String {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let dir = DIR.get_or_init(|| tempfile::tempdir().unwrap());
    let path = dir.path().join("keys.json");
    static MADE: std::sync::Once = std::sync::Once::new();
    MADE.call_once(|| {
        idbroker::signing::load_file(&path).unwrap();
        let saml = path.with_file_name("saml-key.pem");
        idbroker::saml::idp_key::IdpKey::load_or_create(&saml, "127.0.0.1").unwrap();
    });
    path.to_str().unwrap().to_owned()
}

/// One SAML key for the whole test run, beside the JWT keys.
pub fn shared_saml_key() -> String {
    let path = std::path::Path::new(&shared_keys_file()).with_file_name("saml-key.pem");
    path.to_str().unwrap().to_owned()
}

pub fn test_config() -> Config {
    let mut config = Config::load(None).unwrap().0;
    config.oidc.keys_file = shared_keys_file();
    config.saml.key_file = shared_saml_key();
    // A metadata folder of its own: each test registers its own SPs.
    let dir = std::env::temp_dir().join(format!(
        "idbroker-metadata-{}",
        idbroker::core::ids::random_token()
    ));
    config.saml.metadata_dir = dir.to_str().unwrap().to_owned();
    config.server.secret_key = Some(Secret::new("test-secret-test-secret-test-secret-0123"));
    // A directory of each broker's own: the dev defaults' file is shared by every test in the
    // checkout, and two brokers migrating it at once collide.
    config.directory.url = "sqlite::memory:".into();
    config.demo.enabled = false;
    // The limits across sessions are off unless a test turns them on (`limits.rs` does): the
    // other tests send many codes to one number from one address.
    config.limits = idbroker::config::Limits::off();
    // E-mail is off unless a test turns it on: most tests are about the SMS path.
    config.email.kind = idbroker::config::EmailKind::None;
    config.clients = serde_json::from_value(json!([
        {
            "client_id": CLIENT, "client_secret": SECRET,
            "callback_urls": [SUCCESS, ABORT, ERROR],
            "grant_types": ["client_credentials", "authorization_code"],
            "redirect_uris": [REDIRECT], "post_logout_redirect_uris": [LOGGED_OUT],
            "authorization_details_types": ["payment_initiation"]
        },
        {
            "client_id": PUBLIC_APP, "public": true, "application_type": "native",
            "redirect_uris": ["http://127.0.0.1/callback"], "grant_types": ["authorization_code"]
        },
        {
            "client_id": ES_CLIENT, "client_secret": "es-secret-123",
            "redirect_uris": ["https://es.example/cb"], "grant_types": ["authorization_code"],
            "id_token_signed_response_alg": "ES256", "subject_type": "pairwise"
        },
        {
            "client_id": UBI, "client_secret": UBI_SECRET,
            "grant_types": [idbroker::grants::SMS_GRANT, idbroker::grants::EMAIL_GRANT]
        },
        {
            "client_id": UBI2, "client_secret": UBI_SECRET,
            "grant_types": [idbroker::grants::SMS_GRANT, idbroker::grants::EMAIL_GRANT]
        },
        {
            "client_id": OTHER, "client_secret": "other-secret-123",
            "callback_urls": ["https://other.example/cb"],
            "allowed_providers": ["otp-sms"], "grant_types": ["client_credentials"]
        },
        {
            "client_id": "nogrant", "client_secret": "nogrant-secret",
            "callback_urls": [], "allowed_providers": ["otp-sms"], "grant_types": []
        }
    ]))
    .unwrap();
    config
}
