//! The OAuth grant types the broker knows, by the names on the wire, among them the direct OTP
//! grants (Ubisecure's `sms-mt-otp` and `smtp-otp`) and the provider each verifies with.

use serde::{Deserialize, Serialize};

use super::provider::Provider;

pub const SMS_GRANT: &str = "http://globalsign.com/iam/sso/oauth2/grant-type/sms-mt-otp";
pub const EMAIL_GRANT: &str = "http://globalsign.com/iam/sso/oauth2/grant-type/smtp-otp";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum GrantType {
    AuthorizationCode,
    ClientCredentials,
    SmsOtp,
    EmailOtp,
}

impl GrantType {
    pub const ALL: [GrantType; 4] = [
        GrantType::AuthorizationCode,
        GrantType::ClientCredentials,
        GrantType::SmsOtp,
        GrantType::EmailOtp,
    ];

    pub fn name(self) -> &'static str {
        match self {
            GrantType::AuthorizationCode => "authorization_code",
            GrantType::ClientCredentials => "client_credentials",
            GrantType::SmsOtp => SMS_GRANT,
            GrantType::EmailOtp => EMAIL_GRANT,
        }
    }

    pub fn from_name(name: &str) -> Option<GrantType> {
        GrantType::ALL.into_iter().find(|g| g.name() == name)
    }

    /// The provider a direct grant verifies with.
    pub fn provider(self) -> Option<Provider> {
        match self {
            GrantType::SmsOtp => Some(Provider::OtpSms),
            GrantType::EmailOtp => Some(Provider::OtpEmail),
            _ => None,
        }
    }
}

impl TryFrom<String> for GrantType {
    type Error = String;
    fn try_from(name: String) -> Result<GrantType, String> {
        GrantType::from_name(&name).ok_or_else(|| {
            let known: Vec<_> = GrantType::ALL.iter().map(|g| g.name()).collect();
            format!("unknown grant type {name:?}; known: {}", known.join(", "))
        })
    }
}

impl From<GrantType> for &'static str {
    fn from(g: GrantType) -> &'static str {
        g.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_direct_grants_name_their_provider() {
        for g in GrantType::ALL {
            assert_eq!(GrantType::from_name(g.name()), Some(g));
        }
        assert_eq!(GrantType::SmsOtp.provider(), Some(Provider::OtpSms));
        assert_eq!(GrantType::ClientCredentials.provider(), None);
        assert_eq!(GrantType::from_name("password"), None);
    }
}
