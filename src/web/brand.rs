//! The services' identity on the pages: each client's and SP's name, logo, colours and links,
//! read once at start. Logos and the colour sheets are served from our own origin under
//! content-addressed names, so the pages' Content-Security-Policy stays `'self'`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::config::{Branding, Config, DARK_SURFACE, LIGHT_SURFACE, Logo};
use crate::core::lang::Lang;
use crate::core::session::{Door, LoginSession};

/// Where the brand assets are served.
pub const ASSET_PREFIX: &str = "/static/brand";

/// A service as the pages show it.
#[derive(Clone, Debug, Default)]
pub struct Service {
    pub name: Option<String>,
    pub logo: Option<String>,
    /// The colour sheet that overrides the accent.
    pub stylesheet: Option<String>,
    pub privacy_url: Option<String>,
    pub help_url: Option<String>,
    pub home_url: Option<String>,
    pub outcome_page: bool,
}

struct Asset {
    media_type: &'static str,
    bytes: Vec<u8>,
}

/// Names SPs declare themselves, for those whose branding names none. Uploads add SPs while
/// the broker runs, so the names are asked for each page.
pub trait SpNames: Send + Sync {
    /// The SP's own name in `lang` (else English, else its first), if it declares one.
    fn sp_name(&self, entity_id: &str, lang: Lang) -> Option<String>;
}

#[derive(Default)]
pub struct Brands {
    clients: HashMap<String, Arc<Service>>,
    sps: HashMap<String, Arc<Service>>,
    sp_names: Option<Arc<dyn SpNames>>,
    assets: HashMap<String, Asset>,
    neutral: Arc<Service>,
}

impl Brands {
    /// Reads every logo the configuration names; `config` was validated, so a failure here is
    /// a file that went away since.
    pub fn load(config: &Config) -> Result<Brands, String> {
        let mut brands = Brands {
            neutral: Arc::new(Service {
                outcome_page: true,
                ..Service::default()
            }),
            ..Brands::default()
        };
        for client in &config.clients {
            let service = brands.service(&client.branding)?;
            brands.clients.insert(client.client_id.clone(), service);
        }
        for (entity, branding) in &config.saml.branding {
            let service = brands.service(branding)?;
            brands.sps.insert(entity.clone(), service);
        }
        Ok(brands)
    }

    fn service(&mut self, branding: &Branding) -> Result<Arc<Service>, String> {
        let logo = match &branding.logo {
            Some(source) => {
                let Logo { media_type, bytes } = Logo::read(source)?;
                Some(self.add(media_type, bytes))
            }
            None => None,
        };
        let stylesheet = match (branding.light_accent(), branding.dark_accent()) {
            (None, None) => None,
            (light, dark) => {
                let mut css = String::new();
                if let Some(light) = light {
                    css.push_str(&format!(
                        ":root {{ --accent: {light}; --on-accent: {LIGHT_SURFACE}; }}\n"
                    ));
                }
                if let Some(dark) = dark {
                    css.push_str(&format!(
                        "@media (prefers-color-scheme: dark) {{ :root {{ --accent: {dark}; --on-accent: {DARK_SURFACE}; }} }}\n"
                    ));
                }
                Some(self.add("text/css; charset=utf-8", css.into_bytes()))
            }
        };
        Ok(Arc::new(Service {
            name: branding.display_name.clone(),
            logo,
            stylesheet,
            privacy_url: branding.privacy_url.clone(),
            help_url: branding.help_url.clone(),
            home_url: branding.home_url.clone(),
            outcome_page: branding.outcome_page.unwrap_or(true),
        }))
    }

    /// Keeps an asset under a name made of its hash; returns its path.
    fn add(&mut self, media_type: &'static str, bytes: Vec<u8>) -> String {
        let hash: String = Sha256::digest(&bytes)[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let extension = match media_type {
            "image/png" => "png",
            "image/jpeg" => "jpg",
            "image/webp" => "webp",
            "image/svg+xml" => "svg",
            _ => "css",
        };
        let name = format!("{hash}.{extension}");
        self.assets
            .insert(name.clone(), Asset { media_type, bytes });
        format!("{ASSET_PREFIX}/{name}")
    }

    /// Gives a client a way back from error pages when its branding names none.
    pub fn default_home(&mut self, client_id: &str, home_url: &str) {
        if let Some(service) = self.clients.get_mut(client_id) {
            Arc::make_mut(service)
                .home_url
                .get_or_insert_with(|| home_url.to_owned());
        }
    }

    /// Shows an SP as a client is shown (the demo's SP is the demo client's shop).
    pub fn share_with_sp(&mut self, client_id: &str, entity_id: &str) {
        if let Some(service) = self.clients.get(client_id).cloned() {
            self.sps.entry(entity_id.to_owned()).or_insert(service);
        }
    }

    /// Where SPs without a configured name get theirs.
    pub fn name_sps_by(&mut self, names: Arc<dyn SpNames>) {
        self.sp_names = Some(names);
    }

    /// The service a login session is for, named in the page's language.
    pub fn of(&self, session: &LoginSession, lang: Lang) -> Arc<Service> {
        match session.return_to.door() {
            Door::Saml => self.sp(&session.client_id, lang),
            _ => self.client(&session.client_id),
        }
    }

    /// An SP as configured; without a configured name, with the one its metadata declares.
    fn sp(&self, entity_id: &str, lang: Lang) -> Arc<Service> {
        let configured = self.for_id(&self.sps, entity_id);
        if configured.name.is_some() {
            return configured;
        }
        let declared = self
            .sp_names
            .as_ref()
            .and_then(|n| n.sp_name(entity_id, lang))
            .filter(|name| !self.names_another(name));
        match declared {
            Some(name) => Arc::new(Service {
                name: Some(name),
                ..(*configured).clone()
            }),
            None => configured,
        }
    }

    /// Whether `name` reads as the configured name of a service, whatever its case and its
    /// look-alike letters (Cyrillic "а" for Latin "a"): an SP's metadata cannot take the name
    /// of a client or SP the operator named.
    fn names_another(&self, name: &str) -> bool {
        let name = looks(name);
        self.clients
            .values()
            .chain(self.sps.values())
            .filter_map(|s| s.name.as_deref())
            .any(|configured| looks(configured) == name)
    }

    /// The service an OAuth client is.
    pub fn client(&self, client_id: &str) -> Arc<Service> {
        self.for_id(&self.clients, client_id)
    }

    fn for_id(&self, by: &HashMap<String, Arc<Service>>, id: &str) -> Arc<Service> {
        by.get(id).cloned().unwrap_or_else(|| self.neutral.clone())
    }
}

/// What a name looks like: its UTS #39 skeleton, lower-cased before and after (a skeleton maps
/// some letters to capitals, "l" to "I").
fn looks(name: &str) -> String {
    let skeleton: String =
        unicode_security::confusable_detection::skeleton(&name.to_lowercase()).collect();
    skeleton.to_lowercase()
}

/// Serves a logo or colour sheet. An SVG cannot run anything: the response's policy allows no
/// script, and `sandbox` keeps it from acting as a page of ours.
pub async fn asset(State(brands): State<Arc<Brands>>, Path(name): Path<String>) -> Response {
    let Some(asset) = brands.assets.get(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    (
        [
            (header::CONTENT_TYPE, asset.media_type),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; sandbox",
            ),
        ],
        asset.bytes.clone(),
    )
        .into_response()
}
