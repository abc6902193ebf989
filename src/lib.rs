//! idbroker: an identity broker. A core that knows no HTTP (`core`), front doors that speak the
//! protocols (`token`, `rest`, `oidc`, `ui`), back ends behind narrow traits (`store`, `delivery`).

pub mod config;
pub mod core;
pub mod delivery;
pub mod dev;
pub mod grants;
pub mod oidc;
pub mod rest;
pub mod saml;
pub mod signing;
pub mod store;
pub mod token;
pub mod ui;
pub mod web;

pub use web::{AppState, app};
