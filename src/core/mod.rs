//! The core: login sessions, OTP policy, providers and subjects. Nothing here knows HTTP.

pub mod clock;
pub mod email;
pub mod grant;
pub mod ids;
pub mod keys;
pub mod lang;
pub mod limits;
pub mod login;
pub mod otp;
pub mod phone;
pub mod ports;
pub mod provider;
pub mod records;
pub mod session;
pub mod subject;
pub mod text;
