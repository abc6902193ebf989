//! A broker on a real loopback listener, a fake SMS gateway beside it, and a browser-like client.
//! Each concern has a file of its own; everything is re-exported here, so the tests say
//! `use crate::common::*`.

mod app;
mod browser;
mod config;
mod flow;
mod gateway;
mod logs;
mod postgres;
mod redis;
mod smtp;

pub use app::*;
pub use browser::*;
pub use config::*;
pub use flow::*;
pub use gateway::*;
pub use logs::*;
pub use postgres::*;
pub use redis::*;
pub use smtp::*;

/// The clients, callbacks and number the test configuration (`config.rs`) registers and uses.
pub const CLIENT: &str = "rp";
pub const SECRET: &str = "rp-secret-123";
pub const OTHER: &str = "other";
pub const SUCCESS: &str = "https://rp.example/cb/success";
pub const ABORT: &str = "https://rp.example/cb/abort";
pub const ERROR: &str = "https://rp.example/cb/error";
pub const PHONE: &str = "+447911123456";
pub const REDIRECT: &str = "https://rp.example/oidc/cb";
pub const LOGGED_OUT: &str = "https://rp.example/bye";
pub const PUBLIC_APP: &str = "public-app";
pub const ES_CLIENT: &str = "es-client";
pub const UBI: &str = "c495bb59-f0ae-430a-9830-ca8228aa58fe";
pub const UBI2: &str = "second-app";
pub const UBI_SECRET: &str = "CVgXCVQaLeRcd0AQ604sUuAL0NCBDX77";
