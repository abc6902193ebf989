//! The direct OTP grants (Ubisecure's `sms-mt-otp` and `smtp-otp`) by their grant-type URIs,
//! and the provider each verifies with. The configuration, discovery and the grants door all
//! name them.

use super::provider::Provider;

pub const SMS_GRANT: &str = "http://globalsign.com/iam/sso/oauth2/grant-type/sms-mt-otp";
pub const EMAIL_GRANT: &str = "http://globalsign.com/iam/sso/oauth2/grant-type/smtp-otp";

/// The provider a direct grant type verifies with.
pub fn provider_of(grant_type: &str) -> Option<Provider> {
    match grant_type {
        SMS_GRANT => Some(Provider::OtpSms),
        EMAIL_GRANT => Some(Provider::OtpEmail),
        _ => None,
    }
}
