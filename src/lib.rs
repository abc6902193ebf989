//! idbroker: an identity broker. The layers, bottom up (a module uses its own and those below;
//! `tests/layers.rs` checks it):
//! 1. `core`: the login session, OTP policy, limits, providers, subjects; no HTTP.
//! 2. `config`, `store`, `delivery`, `signing`, `directory`: configuration and the back ends
//!    behind the core's traits.
//! 3. `web`: the HTTP kit every door shares.
//! 4. `oauth`: what the OAuth doors share: errors, clients, access tokens, issuing tokens, and
//!    the token endpoint, which runs the grant handlers the app registers.
//! 5. The front doors: `rest`, `oidc`, `saml`, `grants`, `ui`, `hid`.
//! 6. `app` (the composition root), `dev` (outbox viewer, demo).

pub mod app;
pub mod config;
pub mod core;
pub mod delivery;
pub mod dev;
pub mod directory;
pub mod grants;
pub mod hid;
pub mod oauth;
pub mod oidc;
pub mod rest;
pub mod saml;
pub mod signing;
pub mod store;
pub mod ui;
pub mod web;

pub use app::AppState;
pub use app::app;
