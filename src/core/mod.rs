//! The core: login sessions, OTP policy, limits, providers, subjects, languages and the domain
//! rules. Nothing here knows HTTP, a store's protocol, XML or templates.

pub mod audit;
pub mod clock;
pub mod confirm;
pub mod directory;
pub mod email;
pub mod grant;
pub mod ids;
pub mod keys;
pub mod lang;
pub mod limits;
pub mod login;
pub mod measure;
pub mod names;
pub mod otp;
pub mod phone;
pub mod ports;
pub mod provider;
pub mod records;
pub mod regions;
pub mod rules;
pub mod segments;
pub mod session;
pub mod subject;
pub mod text;
