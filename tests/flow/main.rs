//! End-to-end tests: each starts the broker on a real loopback listener and talks HTTP to it.

mod common;

mod browser;
mod cli;
mod confirm;
mod demo;
mod directory;
mod email;
mod grants;
mod hardening;
mod hid;
mod limits;
mod locales;
mod logscan;
mod oidc;
mod openapi;
mod operations;
mod otp;
mod pages;
mod rest;
mod saml;
mod saml_names;
mod segments;
mod store;
mod token;
