//! The composition root: builds every back end and door the configuration names, and merges
//! the doors' routers into one broker. Nothing below this module knows the whole.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::middleware;
use tower_http::timeout::TimeoutLayer;
use url::Url;

use crate::config::{Config, EmailKind, SmsKind};
use crate::core::clock::Clock;
use crate::core::grant::GrantType;
use crate::core::login::{LoginService, LoginSettings};
use crate::core::otp::OtpPolicy;
use crate::core::phone::PhonePolicy;
use crate::core::ports::{MailSender, SmsSender};
use crate::core::session::Door;
use crate::delivery::{http_gateway::HttpGateway, outbox::Outbox, smtp::SmtpSender};
use crate::oauth::{AccessTokens, Clients, Grants, OAuth};
use crate::saml::Saml;
use crate::saml::idp_key::IdpKey;
use crate::saml::sp::Registry;
use crate::signing::{KeyRing, KeySource};
use crate::ui::Ui;
use crate::web::handoff::Handoff;
use crate::web::{Common, MAX_BODY, Shared, access_log, addr, page, security_headers};

/// Every door's state, built once. Each door's router gets its own part.
#[derive(Clone)]
pub struct AppState {
    pub shared: Shared,
    pub oauth: OAuth,
    pub saml: Saml,
    pub ui: Ui,
    /// Present only when `hid.tenants` names a tenant.
    pub hid: Option<crate::hid::Hid>,
    /// Present only when messages go to the dev outbox.
    pub outbox: Option<Arc<Outbox>>,
}

impl std::ops::Deref for AppState {
    type Target = Common;
    fn deref(&self) -> &Common {
        &self.shared
    }
}

impl AppState {
    /// Builds the back ends the configuration names. `config` must have been validated; what
    /// can still fail is reading or creating the signing keys (in a file, or in the store).
    pub async fn new(config: Config, clock: Arc<dyn Clock>) -> Result<AppState, String> {
        // Counting starts before the first login.
        crate::web::metrics::handle();
        config.make_data_dir()?;
        let host = Url::parse(&config.server.public_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_else(|| "idbroker".into());
        let saml_key = IdpKey::load_or_create(Path::new(&config.saml.key_file), &host)?;
        let sps = Arc::new(Registry::load(
            Path::new(&config.saml.metadata_dir),
            config.saml.allow_loopback_http,
        )?);
        let keys = config.keys();
        let public_url = config.public_url();
        let store = crate::store::open(&config, clock.clone())?;
        let source = KeySource::for_config(&config, store.clone(), &keys);
        let every = Duration::from_secs(config.oidc.keys_reload_secs.into());
        let signing = KeyRing::follow(source, every)
            .await
            .map_err(|e| e.to_string())?;
        let (sms, mut outbox): (Arc<dyn SmsSender>, _) = match config.sms.kind {
            SmsKind::Outbox => {
                let outbox = Arc::new(Outbox::default());
                (outbox.clone(), Some(outbox))
            }
            SmsKind::Http => {
                let template = config
                    .sms
                    .url
                    .as_deref()
                    .expect("validated: http needs a url");
                let timeout = Duration::from_secs(config.sms.timeout_secs.into());
                (Arc::new(HttpGateway::new(template, timeout)), None)
            }
        };
        let mail: Option<Arc<dyn MailSender>> = match config.email.kind {
            EmailKind::None => None,
            EmailKind::Outbox => Some(
                outbox
                    .get_or_insert_with(|| Arc::new(Outbox::default()))
                    .clone(),
            ),
            EmailKind::Smtp => Some(Arc::new(SmtpSender::new(&config.email))),
        };
        let phone = PhonePolicy::new(&config.sms.default_region).expect("validated region");
        phone.warm_up();
        let otp = &config.otp;
        let settings = LoginSettings {
            policy: OtpPolicy {
                length: otp.length,
                ttl: time::Duration::seconds(otp.ttl_secs.into()),
                max_attempts: otp.max_attempts,
                resend_cooldown: time::Duration::seconds(otp.resend_cooldown_secs.into()),
                max_sends: otp.max_sends,
            },
            session_ttl: time::Duration::seconds(config.session.ttl_secs.into()),
            retention: time::Duration::seconds(config.session.retention_secs.into()),
            phone,
            default_sender: config.sms.sender.clone(),
            webotp_host: public_url.host_str().unwrap_or("localhost").to_owned(),
        };
        let limits = crate::core::limits::Limiter::new(
            store.clone(),
            clock.clone(),
            keys.limits.clone(),
            config.limits.policy(&config.clients),
        );
        let login = LoginService::new(
            store.clone(),
            sms,
            mail,
            clock.clone(),
            keys.clone(),
            settings,
            limits,
        );
        let mut brands = crate::web::brand::Brands::load(&config)?;
        brands.name_sps_by(sps.clone());
        let mut clients = Clients::from_config(&config.clients, &config.available_providers());
        if config.demo.enabled {
            let callbacks = crate::dev::demo_callbacks(&public_url);
            let redirect = crate::dev::demo_redirect_uri(&public_url);
            clients.add_urls(&config.demo.client_id, &callbacks, &[redirect]);
            brands.default_home(&config.demo.client_id, &crate::dev::demo_home(&public_url));
            let demo_sp = crate::dev::demo_sp(&public_url);
            // The demo SP plays the same shop as the demo client.
            brands.share_with_sp(&config.demo.client_id, &demo_sp.entity_id);
            sps.insert(demo_sp)?;
        }
        let tokens = AccessTokens::new(
            keys.token.clone(),
            clock,
            time::Duration::seconds(config.rest.token_ttl_secs.into()),
        );
        let trusted_proxies = addr::trusted_proxies(&config.server.trusted_proxies);
        let shared = Shared::new(Common {
            brands: Arc::new(brands),
            trusted_proxies,
            config,
            public_url,
            store,
            keys,
            login,
        });
        // The token endpoint reaches each door's grant through this table, not the door.
        let mut grants = Grants::new();
        grants.register(
            GrantType::AuthorizationCode,
            Arc::new(crate::oidc::CodeGrant),
        );
        for direct in [GrantType::SmsOtp, GrantType::EmailOtp] {
            grants.register(direct, Arc::new(crate::grants::DirectGrant));
        }
        let oauth = OAuth::new(crate::oauth::Parts {
            shared: shared.clone(),
            clients,
            tokens,
            signing,
            grants,
        });
        let saml = Saml::new(crate::saml::Parts {
            shared: shared.clone(),
            sps,
            key: saml_key,
        });
        // The pages hand a finished session to the door that opened it.
        let mut handoff = Handoff::default();
        handoff.register(Door::Rest, Arc::new(crate::rest::RestFinish));
        handoff.register(Door::Oidc, Arc::new(crate::oidc::OidcFinish(oauth.clone())));
        handoff.register(Door::Saml, Arc::new(crate::saml::SamlFinish(saml.clone())));
        let ui = Ui::new(crate::ui::Parts {
            shared: shared.clone(),
            handoff,
        });
        // The directory opens (and migrates) only when a tenant will use it.
        let hid = match shared.config.hid.tenants.is_empty() {
            true => None,
            false => {
                let directory = crate::directory::SqlDirectory::open(&shared.config.directory.url)
                    .await
                    .map_err(|e| format!("directory: {e}"))?;
                Some(crate::hid::Hid::new(crate::hid::Parts {
                    shared: shared.clone(),
                    oauth: oauth.clone(),
                    directory: Arc::new(directory),
                }))
            }
        };
        Ok(AppState {
            shared,
            oauth,
            saml,
            ui,
            hid,
            outbox,
        })
    }
}

/// The whole broker as one router.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new()
        .route("/healthz", axum::routing::get(healthz))
        .route("/readyz", axum::routing::get(readyz))
        .route("/robots.txt", axum::routing::get(page::robots))
        .route("/favicon.ico", axum::routing::get(page::favicon))
        .merge(crate::oauth::router().with_state(state.oauth.clone()))
        .merge(crate::rest::router().with_state(state.oauth.clone()))
        .merge(crate::oidc::router().with_state(state.oauth.clone()))
        .merge(crate::grants::router().with_state(state.oauth.clone()))
        .merge(crate::saml::router().with_state(state.saml.clone()))
        .merge(crate::ui::router().with_state(state.ui.clone()))
        .merge(
            Router::new()
                .route("/metrics", axum::routing::get(crate::web::metrics::guarded))
                .with_state(state.shared.clone()),
        )
        .merge(
            Router::new()
                .route(
                    &format!("{}/{{name}}", crate::web::brand::ASSET_PREFIX),
                    axum::routing::get(crate::web::brand::asset),
                )
                .with_state(state.brands.clone()),
        );
    if let Some(hid) = &state.hid {
        router = router.merge(crate::hid::router().with_state(hid.clone()));
    }
    if state.outbox.is_some() {
        router = router.merge(crate::dev::outbox_router());
    }
    if state.config.demo.enabled {
        router = router.merge(crate::dev::demo_router());
    }
    // Browsers that have seen the broker over https keep to https for a year.
    let hsts = state.secure_cookies() && state.config.server.hsts;
    let router = router
        .fallback(page::not_found)
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn_with_state(
            state.shared.clone(),
            access_log,
        ))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state);
    if hsts {
        return router.layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        ));
    }
    router
}

/// The process is alive.
async fn healthz() -> &'static str {
    "ok"
}

/// Ready for traffic: the store answers (keys were loaded at start, or the process would not
/// be running).
async fn readyz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let store = state
        .store
        .get(crate::core::ports::Space::Seen, "readyz")
        .await;
    if let Err(e) = &store {
        tracing::warn!(error = %e, "not ready");
    }
    let keys = state.oauth.signing.current().is_some();
    if store.is_ok() && keys {
        return axum::Json(serde_json::json!({"status": "ready"})).into_response();
    }
    (
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        axum::Json(serde_json::json!({
            "status": "unavailable",
            "store": if store.is_ok() { "reachable" } else { "unreachable" },
            "keys": if keys { "loaded" } else { "not loaded" },
        })),
    )
        .into_response()
}
