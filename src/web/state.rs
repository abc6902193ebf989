//! What every door's state holds: the configuration, the store, the keys and the login
//! service. Each door wraps this in a state of its own with what only it needs.

use std::sync::Arc;

use url::Url;

use crate::config::Config;
use crate::core::keys::Keys;
use crate::core::login::LoginService;
use crate::core::ports::Store;

/// A cheap handle on the shared parts.
#[derive(Clone)]
pub struct Shared(Arc<Common>);

pub struct Common {
    pub config: Config,
    pub public_url: Url,
    pub store: Arc<dyn Store>,
    pub keys: Keys,
    pub login: LoginService,
    /// Proxies whose forwarding headers name the client's address.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// How the pages show each client and SP.
    pub brands: Arc<super::brand::Brands>,
}

impl Shared {
    pub fn new(common: Common) -> Shared {
        Shared(Arc::new(common))
    }
}

impl std::ops::Deref for Shared {
    type Target = Common;
    fn deref(&self) -> &Common {
        &self.0
    }
}

impl Common {
    /// Cookies carry `Secure` whenever the broker is reached over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    /// The client address of a request (see `addr`).
    pub fn client_address(&self, parts: &axum::http::request::Parts) -> Option<std::net::IpAddr> {
        super::addr::client_address(parts, &self.trusted_proxies)
    }

    /// An absolute URL under the public origin.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.public_url.as_str().trim_end_matches('/'), path)
    }
}

/// A door's state: a cheap handle (`$state`, an `Arc` of `$parts`) on the shared parts plus the
/// door's own. Both read through to `Common`, so a handler writes `state.login` and
/// `state.<own field>` alike. `$parts` must have a `shared: Shared` field.
#[macro_export]
macro_rules! door_state {
    ($(#[$meta:meta])* $state:ident, $parts:ident) => {
        $(#[$meta])*
        #[derive(Clone)]
        pub struct $state(std::sync::Arc<$parts>);

        impl $state {
            pub fn new(parts: $parts) -> $state {
                $state(std::sync::Arc::new(parts))
            }
        }

        impl std::ops::Deref for $state {
            type Target = $parts;
            fn deref(&self) -> &$parts {
                &self.0
            }
        }

        impl std::ops::Deref for $parts {
            type Target = $crate::web::Common;
            fn deref(&self) -> &$crate::web::Common {
                &self.shared
            }
        }
    };
}
